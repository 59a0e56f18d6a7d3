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
