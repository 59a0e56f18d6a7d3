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
//! | 401, 403 | the operation needs credentials (and 401 on logging in) |
//! | 404 | the path names a record |
//! | 409 | the operation changes something (except logging in and out) |
//! | 413, 415 | the operation reads a body |
//! | 422 | the operation reads a body or parameters |
//! | 429 | logging in (and asking for a sign-in link): throttled |
//! | 500, 503 | always (an unexpected failure; the database unavailable) |

use serde_json::{Value, json};

use crate::error::PROBLEM_JSON;

/// Writing operations that never clash with existing records (no 409).
const NEVER_CONFLICT: &[&str] = &["login", "logout", "request_email_link", "verify_credential"];

/// Public operations that still answer 401 (wrong credentials in the body).
const CHECKS_CREDENTIALS: &[&str] = &["login"];

/// Operations that answer 429 when a caller tries too often.
const THROTTLED: &[&str] = &["login", "request_email_link"];

/// Narrows each operation's documented errors and describes path parameters.
pub fn refine(spec: &mut Value) {
    let Some(paths) = spec.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for (method, op) in item.iter_mut() {
            refine_operation(path, method, op);
        }
    }
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
        "409" => writes,
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
    if op_id_in(CHECKS_CREDENTIALS) {
        add("401", "The email or password is wrong");
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
