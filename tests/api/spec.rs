use crate::helpers::spawn_app;

#[test]
fn the_committed_spec_matches_the_code() {
    let committed =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/openapi.json"))
            .expect("openapi/openapi.json is committed");
    let generated = cssd::api::spec_json();
    assert!(
        committed == generated,
        "openapi/openapi.json is stale: run `cargo run -- openapi --out openapi/openapi.json`"
    );
}

#[tokio::test]
async fn the_served_spec_is_openapi_3_and_lists_the_operations() {
    let app = spawn_app().await;
    let resp = app.get("/openapi.json").await;
    assert_eq!(resp.status, 200);
    assert!(resp.body["openapi"].as_str().unwrap().starts_with("3."));
    let served: serde_json::Value = serde_json::from_str(&cssd::api::spec_json()).unwrap();
    assert_eq!(resp.body, served);

    let mut operation_ids = vec![];
    for (_, item) in resp.body["paths"].as_object().unwrap() {
        for (_, op) in item.as_object().unwrap() {
            operation_ids.push(op["operationId"].as_str().unwrap().to_owned());
            assert!(
                op["summary"].is_string(),
                "every operation is documented: {op}"
            );
        }
    }
    for id in [
        "list_courses",
        "create_course",
        "get_course",
        "update_course",
        "create_organisation",
        "list_organisations",
        "get_organisation",
        "get_health",
    ] {
        assert!(operation_ids.iter().any(|o| o == id), "missing {id}");
    }
}

#[tokio::test]
async fn swagger_ui_is_served_at_docs() {
    let app = spawn_app().await;
    let resp = app.get("/docs").await;
    assert_eq!(resp.status, 200);
    assert!(resp.text.to_lowercase().contains("swagger"));
}

/// The spec's rule for absent values: omitted, never `null` (see the spec's description). Every
/// list and record of the demo is read, and no response may carry a `null` anywhere.
#[tokio::test]
async fn no_response_carries_null() {
    fn nulls(value: &serde_json::Value, path: &str, found: &mut Vec<String>) {
        match value {
            serde_json::Value::Null => found.push(path.to_owned()),
            serde_json::Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    nulls(item, &format!("{path}[{i}]"), found);
                }
            }
            serde_json::Value::Object(map) => {
                for (k, v) in map {
                    nulls(v, &format!("{path}.{k}"), found);
                }
            }
            _ => {}
        }
    }
    let app = spawn_app().await;
    app.seed_demo().await;
    let spec = app.anonymous().get("/openapi.json").await.body;
    let mut found = vec![];
    let mut checked = 0;
    for (path, item) in spec["paths"].as_object().unwrap() {
        if item.get("get").is_none() || path.ends_with(".csv") || path.ends_with(".ics") {
            continue;
        }
        // Path ids: the demo's first records (workshop 2 is a completed cascade workshop).
        for id in ["1", "2", "3"] {
            let concrete = path
                .replace("{id}", id)
                .replace("{enrolment_id}", "1")
                .replace("{code}", "x");
            let resp = app.get(&concrete).await;
            if resp.content_type().starts_with("application/json") && resp.status.is_success() {
                nulls(&resp.body, &concrete, &mut found);
                checked += 1;
            }
        }
    }
    assert!(checked > 20, "only {checked} responses read");
    assert!(found.is_empty(), "null in responses: {found:?}");
}

/// The examples in the spec (captured from a real server by `scripts/capture-examples.py`)
/// still fit their schemas: a schema that changes without its example fails here.
#[test]
fn every_example_fits_its_schema() {
    use serde_json::{Value, json};

    /// OpenAPI 3.0's `nullable` as JSON Schema: `null` is one more value allowed.
    fn to_json_schema(value: &mut Value) {
        match value {
            Value::Object(object) => {
                if object.remove("nullable") == Some(Value::Bool(true)) {
                    let inner = Value::Object(std::mem::take(object));
                    object.insert("anyOf".into(), json!([inner, {"type": "null"}]));
                }
                object.values_mut().for_each(to_json_schema);
            }
            Value::Array(items) => items.iter_mut().for_each(to_json_schema),
            _ => {}
        }
    }

    let spec: Value = serde_json::from_str(&cssd::api::spec_json()).unwrap();
    let mut components = spec["components"].clone();
    to_json_schema(&mut components);
    let mut checked = 0;
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let request = op["requestBody"]["content"]
                .as_object()
                .into_iter()
                .flatten();
            let responses = op["responses"]
                .as_object()
                .unwrap()
                .values()
                .flat_map(|r| r["content"].as_object().into_iter().flatten());
            for (media, content) in request.chain(responses) {
                let Some(example) = content.get("example") else {
                    continue;
                };
                let mut schema = content["schema"].clone();
                to_json_schema(&mut schema);
                let root = json!({"components": components, "allOf": [schema]});
                let validator = jsonschema::validator_for(&root).expect("the schema compiles");
                let errors: Vec<String> = validator
                    .iter_errors(example)
                    .map(|e| format!("{} at {}", e, e.instance_path))
                    .collect();
                assert!(errors.is_empty(), "{method} {path} ({media}): {errors:?}");
                checked += 1;
            }
        }
    }
    assert!(checked >= 60, "only {checked} examples");
}

/// Every schema object in the spec, with where it is.
fn schemas_in(value: &serde_json::Value, at: &str, found: &mut Vec<(String, serde_json::Value)>) {
    match value {
        serde_json::Value::Object(object) => {
            found.push((at.to_owned(), value.clone()));
            for (key, inner) in object {
                schemas_in(inner, &format!("{at}/{key}"), found);
            }
        }
        serde_json::Value::Array(items) => {
            for (i, inner) in items.iter().enumerate() {
                schemas_in(inner, &format!("{at}/{i}"), found);
            }
        }
        _ => {}
    }
}

fn committed_spec() -> serde_json::Value {
    serde_json::from_str(&cssd::api::spec_json()).unwrap()
}

/// openapi-python-client refuses `allOf: [{$ref}, {description}]` ("Cannot take allOf a
/// non-object") and drops every operation that names such a schema; a single `$ref` member
/// with the description beside it is what every generator takes.
#[test]
fn no_all_of_has_a_member_that_only_describes() {
    let mut objects = vec![];
    schemas_in(&committed_spec(), "", &mut objects);
    let wrappers: Vec<String> = objects
        .iter()
        .filter(|(_, o)| {
            o["allOf"].as_array().is_some_and(|members| {
                members.iter().any(|m| {
                    m.as_object()
                        .is_some_and(|m| m.keys().all(|k| k == "description"))
                })
            })
        })
        .map(|(at, _)| at.clone())
        .collect();
    assert!(
        wrappers.is_empty(),
        "description-only allOf members: {wrappers:?}"
    );
    let single_refs = objects
        .iter()
        .filter(|(_, o)| o["allOf"].as_array().is_some_and(|m| m.len() == 1))
        .count();
    assert!(
        single_refs > 15,
        "the documented references are still there"
    );
}

/// JSON has no charset parameter (RFC 8259); generators match `application/json` exactly.
#[test]
fn json_media_types_carry_no_charset() {
    let mut objects = vec![];
    schemas_in(&committed_spec(), "", &mut objects);
    let with_charset: Vec<String> = objects
        .iter()
        .filter_map(|(at, o)| {
            o.get("content")
                .and_then(|c| c.as_object())
                .map(|c| (at, c))
        })
        .flat_map(|(at, content)| {
            content
                .keys()
                .filter(|k| k.contains("json") && k.contains(';'))
                .map(move |k| format!("{at}: {k}"))
        })
        .collect();
    assert!(with_charset.is_empty(), "{with_charset:?}");
}

/// `Accept` (like `Content-Type` and `Authorization`) is not a parameter in OpenAPI 3.0, which
/// tells tools to ignore it: the response's media types say what a client may ask for.
#[test]
fn no_operation_declares_a_negotiation_header_as_a_parameter() {
    let spec = committed_spec();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            for param in op["parameters"].as_array().into_iter().flatten() {
                let name = param["name"].as_str().unwrap().to_ascii_lowercase();
                assert!(
                    !(param["in"] == "header"
                        && ["accept", "content-type", "authorization"].contains(&name.as_str())),
                    "{method} {path} declares {name}"
                );
            }
        }
    }
}

/// A response's first media type is the one the server sends when the request states no
/// preference: the signed VC-JWT for a credential and a status list.
#[tokio::test]
async fn the_first_media_type_listed_is_what_the_server_sends_by_default() {
    let text = cssd::api::spec_json();
    let spec: serde_json::Value = serde_json::from_str(&text).unwrap();
    for (path, op_id) in [
        (
            "/api/v1/certificates/{id}/credential",
            "get_certificate_credential",
        ),
        ("/api/v1/status-lists/{list_id}", "get_status_list"),
    ] {
        let op = &spec["paths"][path]["get"];
        assert_eq!(op["operationId"], op_id);
        // The order as written (a parsed map forgets it): the JWT comes before the JSON.
        let content_at = text.find(&format!("\"operationId\": \"{op_id}\"")).unwrap();
        let section = &text[..content_at];
        let op_start = section.rfind(&format!("\"{path}\"")).unwrap();
        let written = &text[op_start..];
        let jwt = written.find("\"application/vc+jwt\"").unwrap();
        let json = written.find("\"application/json\"").unwrap();
        assert!(jwt < json, "{path}: application/vc+jwt is not listed first");
    }
    let app = spawn_app().await;
    app.seed_demo().await;
    let resp = app.anonymous().get("/api/v1/status-lists/1").await;
    assert_eq!(resp.status, 200);
    assert_eq!(resp.content_type(), "application/vc+jwt");
}

/// Instants are UTC with a `Z` (what RFC 3339 clients such as zod's `z.iso.datetime()`
/// expect), written by `api::timestamp::Timestamp`: every response of the demo is read and
/// every date-time string in it checked.
#[tokio::test]
async fn every_instant_in_a_response_ends_in_z() {
    fn instants(value: &serde_json::Value, path: &str, found: &mut Vec<(String, String)>) {
        match value {
            serde_json::Value::String(text)
                if chrono::DateTime::parse_from_rfc3339(text).is_ok() =>
            {
                found.push((path.to_owned(), text.clone()));
            }
            serde_json::Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    instants(item, &format!("{path}[{i}]"), found);
                }
            }
            serde_json::Value::Object(map) => {
                for (k, v) in map {
                    instants(v, &format!("{path}.{k}"), found);
                }
            }
            _ => {}
        }
    }
    let app = spawn_app().await;
    app.seed_demo().await;
    let spec = app.anonymous().get("/openapi.json").await.body;
    let mut found = vec![];
    for (path, item) in spec["paths"].as_object().unwrap() {
        if item.get("get").is_none() {
            continue;
        }
        for id in ["1", "2", "3"] {
            let concrete = path
                .replace("{id}", id)
                .replace("{enrolment_id}", "1")
                .replace("{list_id}", "1")
                .replace("{code}", "x");
            let resp = app.get(&concrete).await;
            if resp.content_type().starts_with("application/json") && resp.status.is_success() {
                instants(&resp.body, &concrete, &mut found);
            }
        }
    }
    assert!(found.len() > 50, "only {} instants read", found.len());
    let offsets: Vec<_> = found.iter().filter(|(_, t)| !t.ends_with('Z')).collect();
    assert!(
        offsets.is_empty(),
        "instants not in UTC with Z: {offsets:?}"
    );
}

/// Response fields are omitted when they have no value, never `null` (the spec's
/// description); a response schema's description saying "null" would tell a client otherwise.
#[test]
fn response_schemas_never_describe_a_field_as_null() {
    let spec = committed_spec();
    let mut in_requests = std::collections::BTreeSet::new();
    let mut in_responses = std::collections::BTreeSet::new();
    for item in spec["paths"].as_object().unwrap().values() {
        for op in item.as_object().unwrap().values() {
            let mut request = vec![];
            schemas_in(&op["requestBody"], "", &mut request);
            in_requests.extend(
                request
                    .iter()
                    .filter_map(|(_, o)| o["$ref"].as_str().map(str::to_owned)),
            );
            let mut response = vec![];
            schemas_in(&op["responses"], "", &mut response);
            in_responses.extend(
                response
                    .iter()
                    .filter_map(|(_, o)| o["$ref"].as_str().map(str::to_owned)),
            );
        }
    }
    // The schemas responses name, and those they name in turn.
    let mut pending: Vec<String> = in_responses.iter().cloned().collect();
    let mut seen = std::collections::BTreeSet::new();
    let mut offenders = vec![];
    while let Some(reference) = pending.pop() {
        if !seen.insert(reference.clone()) || in_requests.contains(&reference) {
            continue;
        }
        let name = reference.trim_start_matches("#/components/schemas/");
        let schema = &spec["components"]["schemas"][name];
        let mut inner = vec![];
        schemas_in(schema, name, &mut inner);
        for (at, object) in &inner {
            if let Some(r) = object["$ref"].as_str() {
                pending.push(r.to_owned());
            }
            if object["description"]
                .as_str()
                .is_some_and(|d| d.split(|c: char| !c.is_alphanumeric()).any(|w| w == "null"))
            {
                offenders.push(at.clone());
            }
        }
    }
    assert!(seen.len() > 40, "only {} response schemas read", seen.len());
    assert!(
        offenders.is_empty(),
        "say `left out`, not `null`: {offenders:?}"
    );
}
