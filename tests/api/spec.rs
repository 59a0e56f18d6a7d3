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
