//! The published spec: what poem-openapi generates from the code, with each operation's error
//! statuses narrowed to the ones it can actually return and its path parameters described.
//!
//! Every operation's errors come from one type ([`crate::error::ApiError`]), so the generated
//! spec lists the same set everywhere. Which of them an operation can answer follows from the
//! shape of the operation, decided here in one place for all of them (new operations included):
//!
//! | status | documented when |
//! |---|---|
//! | 400 | the operation reads a body or parameters (malformed JSON, an id that is not a number) |
//! | 401, 403 | the operation needs credentials (and 401 on logging in or entering an SMS code) |
//! | 404 | the path names a record (and one's own export, for an account with no record) |
//! | 409 | the operation changes something (except logging in and out), or shares a certificate |
//! | 413, 415 | the operation reads a body |
//! | 422 | the operation reads a body or parameters |
//! | 429 | logging in, asking for a sign-in link or SMS code, entering a code, applying: throttled |
//! | 500, 503 | always (an unexpected failure; the database unavailable) |

use serde_json::{Value, json};

use crate::error::PROBLEM_JSON;

/// Writing operations that never clash with existing records (no 409).
const NEVER_CONFLICT: &[&str] = &[
    "login",
    "logout",
    "request_email_link",
    "verify_credential",
    "request_sms_code",
    "verify_sms_code",
];

/// Reads that answer 409: sharing a certificate, or its badge, once it was replaced or revoked
/// (the answer names the certificate to use instead); the DHIS2 report without a mapping file
/// (the answer says what to configure).
const READS_THAT_CONFLICT: &[&str] = &[
    "share_certificate",
    "get_certificate_badge",
    "get_dhis2_report",
];

/// Public operations that still answer 401 (wrong credentials in the body), and what it means.
const CHECKS_CREDENTIALS: &[(&str, &str)] = &[
    ("login", "The email or password is wrong"),
    (
        "verify_sms_code",
        "The phone number or code is wrong, used or expired",
    ),
];

/// Operations that answer 429 when a caller tries too often.
const THROTTLED: &[&str] = &[
    "login",
    "request_email_link",
    "change_my_password",
    "request_sms_code",
    "verify_sms_code",
    "apply_for_workshop",
];

/// Operations without a path parameter that still answer 404, and what it means.
const NOT_FOUND_WITHOUT_PATH: &[(&str, &str)] = &[(
    "export_me",
    "This account is not linked to a participant record",
)];

/// The dates a request may carry (`domain::dates`: 2000-01-01 to 2100-12-31), exactly: a
/// generated client can check them, and a fuzzer knows which strings are dates.
const DATE_PATTERN: &str = "^(?:(?:20[0-9]{2}|2100)-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))|20(?:0[048]|[2468][048]|[13579][26])-02-29)$";

/// Narrows each operation's documented errors, describes path parameters, and states in the
/// request schemas the rules every request follows (see [`refine_request_schemas`]).
pub fn refine(spec: &mut Value) {
    standard_formats(spec);
    single_ref_all_of(spec);
    plain_json_media_types(spec);
    add_examples(spec, EXAMPLES);
    let Some(paths) = spec.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    let mut request_schemas = Vec::new();
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for (method, op) in item.iter_mut() {
            refine_operation(path, method, op);
            request_schemas.extend(body_schema_names(op));
        }
    }
    refine_request_schemas(spec, request_schemas);
}

/// Request and response examples of the main operations, captured from a real server with the
/// demo data by `scripts/capture-examples.py` (keyed by operation id).
const EXAMPLES: &str = include_str!("../../openapi/examples.json");

/// Puts each operation's captured examples on its request body and its success response.
fn add_examples(spec: &mut Value, examples: &str) {
    let Ok(Value::Object(examples)) = serde_json::from_str::<Value>(examples) else {
        return;
    };
    let Some(paths) = spec.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for op in paths
        .values_mut()
        .filter_map(Value::as_object_mut)
        .flat_map(|item| item.values_mut())
    {
        let Some(example) = op["operationId"].as_str().and_then(|id| examples.get(id)) else {
            continue;
        };
        if let (Some(request), Some(content)) = (
            example.get("request"),
            op.pointer_mut("/requestBody/content")
                .and_then(Value::as_object_mut),
        ) && let Some(media) = content.values_mut().next()
        {
            media["example"] = request.clone();
        }
        if let (Some(response), Some(responses)) = (
            example.get("response"),
            op.get_mut("responses").and_then(Value::as_object_mut),
        ) && let Some((_, success)) = responses.iter_mut().find(|(s, _)| s.starts_with('2'))
            && let Some(media) = success
                .get_mut("content")
                .and_then(Value::as_object_mut)
                .and_then(|c| c.values_mut().find(|m| m["schema"].get("$ref").is_some()))
        {
            media["example"] = response.clone();
        }
    }
}

/// poem-openapi names a `chrono::NaiveDate` `naive-date`; OpenAPI's (and every generator's)
/// name for a calendar date is `date`.
fn standard_formats(value: &mut Value) {
    match value {
        Value::Object(object) => {
            if object.get("format").and_then(Value::as_str) == Some("naive-date") {
                object.insert("format".into(), Value::String("date".into()));
            }
            object.values_mut().for_each(standard_formats);
        }
        Value::Array(items) => items.iter_mut().for_each(standard_formats),
        _ => {}
    }
}

/// poem-openapi writes a documented property whose type is a named schema as
/// `allOf: [{$ref}, {description}]` beside the same `description`. Generators refuse the
/// description-only member (openapi-python-client: "Cannot take allOf a non-object"), so the
/// member goes: `allOf: [{$ref}]` with the description beside it, which every generator takes.
fn single_ref_all_of(value: &mut Value) {
    match value {
        Value::Object(object) => {
            if let Some(Value::Array(members)) = object.get_mut("allOf")
                && members.first().is_some_and(|m| m.get("$ref").is_some())
            {
                let mut descriptions = Vec::new();
                members.retain(|m| match m.as_object() {
                    Some(o) if o.keys().all(|k| k == "description") => {
                        descriptions.extend(o.get("description").cloned());
                        false
                    }
                    _ => true,
                });
                if let Some(description) = descriptions.pop() {
                    object.entry("description").or_insert(description);
                }
            }
            object.values_mut().for_each(single_ref_all_of);
        }
        Value::Array(items) => items.iter_mut().for_each(single_ref_all_of),
        _ => {}
    }
}

/// poem-openapi names its JSON payloads `application/json; charset=utf-8`; JSON has no charset
/// parameter (RFC 8259: it is UTF-8), and generators match the media type `application/json`.
fn plain_json_media_types(value: &mut Value) {
    match value {
        Value::Object(object) => {
            if let Some(Value::Object(content)) = object.get_mut("content") {
                let renamed: Vec<String> = content
                    .keys()
                    .filter(|k| k.starts_with("application/json;"))
                    .cloned()
                    .collect();
                for key in renamed {
                    if let Some(media) = content.remove(&key) {
                        content.insert("application/json".into(), media);
                    }
                }
            }
            object.values_mut().for_each(plain_json_media_types);
        }
        Value::Array(items) => items.iter_mut().for_each(plain_json_media_types),
        _ => {}
    }
}

/// Media types the server answers with when a request states no preference; a response's
/// `content` lists them first, as content negotiation reads it (the first is the default).
const SERVER_DEFAULT_MEDIA_TYPES: &[&str] = &["application/vc+jwt"];

/// The spec written out: objects with their keys in order, except a `content` map, which lists
/// the server's default media type first ([`SERVER_DEFAULT_MEDIA_TYPES`]).
pub struct Ordered<'a>(pub &'a Value);

impl serde::Serialize for Ordered<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        write_ordered(self.0, false, serializer)
    }
}

struct OrderedIn<'a>(&'a Value, bool);

impl serde::Serialize for OrderedIn<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        write_ordered(self.0, self.1, serializer)
    }
}

fn write_ordered<S: serde::Serializer>(
    value: &Value,
    is_content: bool,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::{SerializeMap, SerializeSeq};
    match value {
        Value::Object(object) => {
            let mut entries: Vec<(&String, &Value)> = object.iter().collect();
            if is_content {
                entries.sort_by_key(|(k, _)| !SERVER_DEFAULT_MEDIA_TYPES.contains(&k.as_str()));
            }
            let mut map = serializer.serialize_map(Some(entries.len()))?;
            for (key, value) in entries {
                map.serialize_entry(key, &OrderedIn(value, key == "content"))?;
            }
            map.end()
        }
        Value::Array(items) => {
            let mut seq = serializer.serialize_seq(Some(items.len()))?;
            for item in items {
                seq.serialize_element(&OrderedIn(item, false))?;
            }
            seq.end()
        }
        other => serde::Serialize::serialize(other, serializer),
    }
}

/// The component schemas an operation's request body names.
fn body_schema_names(op: &Value) -> Vec<String> {
    let Some(content) = op["requestBody"]["content"].as_object() else {
        return Vec::new();
    };
    content
        .values()
        .filter_map(|c| c["schema"]["$ref"].as_str())
        .filter_map(|r| r.strip_prefix("#/components/schemas/"))
        .map(str::to_owned)
        .collect()
}

/// What every request schema follows, said in the schema so a generated client (and a fuzzer)
/// knows it:
/// - a text property (a string without a format, pattern or fixed values) holds none of the
///   characters `domain::text` refuses ([`crate::domain::text::text_pattern`]);
/// - an optional property may be `null`, which means the same as leaving it out (for a
///   `PATCH`, where a field can be cleared, the property's description says so).
///
/// Walks the body schemas and the schemas their properties and items name. Text query
/// parameters get the same pattern ([`refine_operation`]).
fn refine_request_schemas(spec: &mut Value, mut pending: Vec<String>) {
    let mut done = std::collections::BTreeSet::new();
    while let Some(name) = pending.pop() {
        if !done.insert(name.clone()) {
            continue;
        }
        let Some(schema) = spec["components"]["schemas"].get_mut(&name) else {
            continue;
        };
        let required: Vec<String> = schema["required"]
            .as_array()
            .map(|r| {
                r.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        let Some(properties) = schema.get_mut("properties").and_then(Value::as_object_mut) else {
            continue;
        };
        for (property, value) in properties.iter_mut() {
            pending.extend(named_schemas(value));
            if property == "email" {
                email_format(value);
                if !required.contains(property) {
                    make_nullable(value);
                }
                continue;
            }
            if property == "name" || property == "full_name" {
                add_name_pattern(value);
            } else {
                add_text_pattern(value, crate::domain::text::is_multiline_field(property));
            }
            if !required.contains(property) {
                make_nullable(value);
            }
        }
    }
}

/// The component schemas a property names, directly or as its items.
fn named_schemas(value: &Value) -> Vec<String> {
    [&value["$ref"], &value["items"]["$ref"]]
        .into_iter()
        .chain(
            value["allOf"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|v| &v["$ref"]),
        )
        .filter_map(Value::as_str)
        .filter_map(|r| r.strip_prefix("#/components/schemas/"))
        .map(str::to_owned)
        .collect()
}

/// Adds the text pattern to a plain string schema and the date pattern to a date (or to the
/// items of an array of them).
fn add_text_pattern(value: &mut Value, multiline: bool) {
    if value["type"] == "array" {
        if let Some(items) = value.get_mut("items") {
            add_text_pattern(items, multiline);
        }
        return;
    }
    if value["type"] == "string"
        && value["format"] == "date"
        && value.get("pattern").is_none()
        && let Some(object) = value.as_object_mut()
    {
        object.insert("pattern".into(), Value::String(DATE_PATTERN.into()));
        return;
    }
    let plain_text = value["type"] == "string"
        && value.get("format").is_none()
        && value.get("pattern").is_none()
        && value.get("enum").is_none();
    if plain_text && let Some(object) = value.as_object_mut() {
        let pattern = crate::domain::text::text_pattern(multiline);
        object.insert("pattern".into(), Value::String(pattern.into()));
    }
}

/// A name (`name`, `full_name`) gets the names' pattern: besides what any text refuses, no
/// invisible, format or unassigned character (`domain::text::name_pattern`).
fn add_name_pattern(value: &mut Value) {
    let plain_text = value["type"] == "string"
        && value.get("format").is_none()
        && value.get("pattern").is_none()
        && value.get("enum").is_none();
    if plain_text && let Some(object) = value.as_object_mut() {
        object.insert(
            "pattern".into(),
            Value::String(crate::domain::text::name_pattern().into()),
        );
    }
}

/// An email address in a request is checked as one: `format: email`.
fn email_format(value: &mut Value) {
    if let Some(object) = value.as_object_mut()
        && object.get("type").and_then(Value::as_str) == Some("string")
    {
        object.insert("format".into(), Value::String("email".into()));
    }
}

/// Declares a property nullable; a `$ref` is wrapped in `allOf`, where OpenAPI 3.0 lets
/// `nullable` apply.
fn make_nullable(value: &mut Value) {
    let Some(object) = value.as_object_mut() else {
        return;
    };
    if let Some(reference) = object.remove("$ref") {
        object.insert("allOf".into(), json!([{ "$ref": reference }]));
    }
    object.insert("nullable".into(), Value::Bool(true));
}

fn refine_operation(path: &str, method: &str, op: &mut Value) {
    let has_body = op.get("requestBody").is_some();
    let params = op
        .get("parameters")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let has_params = !params.is_empty();
    let has_path_params = params.iter().any(|p| p["in"] == "path");
    let secured = op
        .get("security")
        .and_then(Value::as_array)
        .is_some_and(|s| !s.is_empty());
    let writes = method != "get"
        && !op["operationId"]
            .as_str()
            .is_some_and(|id| NEVER_CONFLICT.contains(&id));
    let operation_id = op["operationId"].as_str().unwrap_or_default().to_owned();
    let op_id_in = |list: &[&str]| list.contains(&operation_id.as_str());
    let throttled = op_id_in(THROTTLED);
    let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else {
        return;
    };
    let keep = |status: &str| match status {
        "400" | "422" => has_body || has_params,
        "401" | "403" => secured,
        "404" => has_path_params,
        "409" => writes || op_id_in(READS_THAT_CONFLICT),
        _ => true,
    };
    responses.retain(|status, _| keep(status));
    let mut add = |status: &str, description: &str| {
        responses.entry(status.to_owned()).or_insert_with(|| {
            json!({
                "description": description,
                "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
            })
        });
    };
    if secured {
        add("401", "Missing, unknown, expired or revoked credentials");
        add("403", "The caller may not do this");
    }
    if let Some((_, meaning)) = CHECKS_CREDENTIALS
        .iter()
        .find(|(id, _)| *id == operation_id)
    {
        add("401", meaning);
    }
    if let Some((_, meaning)) = NOT_FOUND_WITHOUT_PATH
        .iter()
        .find(|(id, _)| *id == operation_id)
    {
        add("404", meaning);
    }
    if has_body || has_params {
        add("400", "Malformed request");
        add(
            "422",
            "Well-formed, but values break a rule; `errors` lists the fields",
        );
    }
    if has_path_params {
        add("404", "No such resource");
    }
    add(
        "500",
        "Unexpected failure; details are in the server log only",
    );
    if has_body {
        add(
            "413",
            "The body is larger than the limit for its media type (1 MiB JSON, 10 MiB CSV)",
        );
        add("415", "The body is not in a media type the operation takes");
    }
    if throttled {
        add(
            "429",
            "Too many attempts; try again after `Retry-After` seconds",
        );
    }
    add(
        "503",
        "The database is unavailable (its file went away); try again later",
    );
    if let Some(params) = op.get_mut("parameters").and_then(Value::as_array_mut) {
        for param in params.iter_mut().filter(|p| p["in"] == "query") {
            if let Some(schema) = param.get_mut("schema") {
                add_text_pattern(schema, false);
            }
        }
        for param in params.iter_mut().filter(|p| p["in"] == "path") {
            if param.get("description").is_none() {
                let name = param["name"].as_str().unwrap_or_default().to_owned();
                param["description"] = Value::String(describe_path_param(path, &name));
            }
        }
    }
}

/// `The workshop's id` for `{id}` in `/workshops/{id}`, `The enrolment's id` for
/// `{enrolment_id}`.
fn describe_path_param(path: &str, name: &str) -> String {
    if let Some(thing) = name.strip_suffix("_id") {
        return format!("The {}'s id", thing.replace('_', " "));
    }
    let placeholder = format!("{{{name}}}");
    let before = path
        .split('/')
        .take_while(|seg| *seg != placeholder)
        .filter(|seg| !seg.is_empty() && !seg.starts_with('{'))
        .last()
        .unwrap_or("record");
    let thing = before
        .strip_suffix("ies")
        .map(|stem| format!("{stem}y"))
        .or_else(|| before.strip_suffix('s').map(str::to_owned))
        .unwrap_or_else(|| before.to_owned())
        .replace('-', " ");
    match name {
        "id" => format!("The {thing}'s id"),
        "code" => format!("The {thing} code printed on the certificate"),
        other => format!("The {thing}'s {}", other.replace('_', " ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_patterns_refuse_exactly_what_the_domain_refuses() {
        for multiline in [false, true] {
            let pattern = crate::domain::text::text_pattern(multiline);
            let pattern = regex::Regex::new(pattern).expect("a valid pattern");
            for c in (0..=0x10FFFF).filter_map(char::from_u32) {
                let text = format!("a{c}b");
                assert_eq!(
                    pattern.is_match(&text),
                    crate::domain::text::forbidden_char(&text, multiline).is_none(),
                    "U+{:04X} (multiline: {multiline})",
                    c as u32
                );
            }
        }
    }

    #[test]
    fn the_name_pattern_refuses_exactly_what_names_refuse() {
        let pattern =
            regex::Regex::new(crate::domain::text::name_pattern()).expect("a valid pattern");
        // Exactly, over the Basic Multilingual Plane; beyond it the pattern lets everything
        // pass (an ECMA class cannot name those characters) and the server alone refuses.
        for c in (0..=0xFFFF).filter_map(char::from_u32) {
            let text = format!("a{c}b");
            assert_eq!(
                pattern.is_match(&text),
                crate::domain::text::forbidden_name_char(&text).is_none(),
                "U+{:04X}",
                c as u32
            );
        }
        assert!(
            !pattern.as_str().contains("\\U"),
            "ECMA-262 has no \\U escape"
        );
        assert!(
            pattern.is_match("a\u{1F600}b"),
            "an emoji passes the pattern"
        );
    }

    #[test]
    fn the_date_pattern_takes_exactly_the_dates_the_domain_takes() {
        let pattern = regex::Regex::new(DATE_PATTERN).expect("a valid pattern");
        let mut day = chrono::NaiveDate::from_ymd_opt(1990, 1, 1).unwrap();
        let last = chrono::NaiveDate::from_ymd_opt(2110, 12, 31).unwrap();
        while day <= last {
            let text = day.format("%Y-%m-%d").to_string();
            assert_eq!(
                pattern.is_match(&text),
                crate::domain::dates::check_in_range("date", day).is_ok(),
                "{text}"
            );
            day = day.succ_opt().unwrap();
        }
        for not_a_date in [
            "",
            "2026-02-29",
            "2100-02-29",
            "2026-13-01",
            "2026-1-01",
            "soon",
        ] {
            assert!(!pattern.is_match(not_a_date), "{not_a_date}");
        }
        assert!(pattern.is_match("2000-02-29") && pattern.is_match("2096-02-29"));
    }

    #[test]
    fn optional_request_properties_are_nullable_and_text_has_the_pattern() {
        let mut spec = json!({
            "paths": {"/things": {"post": {
                "operationId": "create_thing",
                "requestBody": {"content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/CreateThing"}}}},
                "responses": {"201": {}},
            }}},
            "components": {"schemas": {
                "CreateThing": {"type": "object", "required": ["name"], "properties": {
                    "name": {"type": "string"},
                    "description": {"type": "string"},
                    "kind": {"$ref": "#/components/schemas/Kind"},
                    "day": {"type": "string", "format": "date"},
                }},
                "Kind": {"type": "string", "enum": ["a", "b"]},
            }},
        });
        refine(&mut spec);
        let props = &spec["components"]["schemas"]["CreateThing"]["properties"];
        assert_eq!(
            props["name"]["pattern"],
            crate::domain::text::name_pattern()
        );
        assert!(props["name"].get("nullable").is_none(), "required");
        assert_eq!(
            props["description"]["pattern"],
            crate::domain::text::text_pattern(true)
        );
        assert_eq!(props["description"]["nullable"], true);
        assert_eq!(
            props["kind"],
            json!({"allOf": [{"$ref": "#/components/schemas/Kind"}], "nullable": true})
        );
        assert_eq!(props["day"]["pattern"], DATE_PATTERN);
    }

    #[test]
    fn path_parameters_are_described_by_what_they_name() {
        assert_eq!(
            describe_path_param("/api/v1/workshops/{id}/enrolments/{enrolment_id}", "id"),
            "The workshop's id"
        );
        assert_eq!(
            describe_path_param(
                "/api/v1/workshops/{id}/enrolments/{enrolment_id}",
                "enrolment_id"
            ),
            "The enrolment's id"
        );
        assert_eq!(
            describe_path_param("/api/v1/api-keys/{id}", "id"),
            "The api key's id"
        );
        assert_eq!(
            describe_path_param("/api/v1/verify/{code}", "code"),
            "The verify code printed on the certificate"
        );
    }

    #[test]
    fn a_public_read_documents_no_credential_or_conflict_errors() {
        let mut op = json!({
            "operationId": "get_health",
            "responses": {"200": {}, "400": {}, "401": {}, "403": {}, "404": {}, "409": {},
                          "422": {}, "500": {}},
        });
        refine_operation("/health", "get", &mut op);
        let statuses: Vec<&String> = op["responses"].as_object().unwrap().keys().collect();
        assert_eq!(statuses, ["200", "500", "503"]);
    }

    #[test]
    fn a_secured_write_with_a_body_documents_its_limits() {
        let mut op = json!({
            "operationId": "login",
            "security": [{"BearerAuth": []}],
            "requestBody": {},
            "parameters": [{"name": "id", "in": "path"}],
            "responses": {"200": {}, "400": {}, "401": {}, "403": {}, "404": {}, "409": {},
                          "422": {}, "500": {}},
        });
        refine_operation("/api/v1/things/{id}", "post", &mut op);
        let statuses: Vec<&String> = op["responses"].as_object().unwrap().keys().collect();
        assert_eq!(
            statuses,
            [
                "200", "400", "401", "403", "404", "413", "415", "422", "429", "500", "503"
            ]
        );
        assert_eq!(op["parameters"][0]["description"], "The thing's id");
    }
}
