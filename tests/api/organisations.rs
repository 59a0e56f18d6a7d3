use serde_json::json;

use crate::helpers::spawn_app;

#[tokio::test]
async fn an_organisation_is_created_and_read_back() {
    let app = spawn_app().await;
    let resp = app
        .post(
            "/api/v1/organisations",
            json!({"name": "Chitungwiza Municipality", "kind": "local_authority"}),
        )
        .await;
    assert_eq!(resp.status, 201, "{}", resp.text);
    assert_eq!(resp.body["kind"], "local_authority");
    let id = resp.body["id"].as_i64().unwrap();
    let fetched = app.get(&format!("/api/v1/organisations/{id}")).await;
    assert_eq!(fetched.status, 200);
    assert_eq!(fetched.body["name"], "Chitungwiza Municipality");
}

#[tokio::test]
async fn organisations_are_listed_alphabetically() {
    let app = spawn_app().await;
    for (name, kind) in [
        ("Zvimba RDC", "local_authority"),
        ("Avondale Residents", "residents_association"),
    ] {
        app.post("/api/v1/organisations", json!({"name": name, "kind": kind}))
            .await;
    }
    let resp = app.get("/api/v1/organisations").await;
    assert_eq!(resp.body["total"], 2);
    assert_eq!(resp.body["items"][0]["name"], "Avondale Residents");
}

#[tokio::test]
async fn a_duplicate_organisation_name_is_409_and_writes_nothing() {
    let app = spawn_app().await;
    let body = json!({"name": "City of Harare", "kind": "local_authority"});
    assert_eq!(
        app.post("/api/v1/organisations", body.clone()).await.status,
        201
    );
    app.post("/api/v1/organisations", body)
        .await
        .assert_problem(409);
    assert_eq!(app.get("/api/v1/organisations").await.body["total"], 1);
}

#[tokio::test]
async fn an_unknown_kind_or_blank_name_is_422_and_writes_nothing() {
    let app = spawn_app().await;
    let resp = app
        .post("/api/v1/organisations", json!({"name": "X", "kind": "ngo"}))
        .await;
    resp.assert_problem(422);
    assert!(resp.field_error("kind").unwrap().contains("civic_society"));
    let resp = app
        .post(
            "/api/v1/organisations",
            json!({"name": "   ", "kind": "other"}),
        )
        .await;
    resp.assert_problem(422);
    assert_eq!(
        resp.field_error("name").as_deref(),
        Some("must not be empty")
    );
    assert_eq!(app.get("/api/v1/organisations").await.body["total"], 0);
}

#[tokio::test]
async fn an_unknown_organisation_is_404() {
    let app = spawn_app().await;
    app.get("/api/v1/organisations/42")
        .await
        .assert_problem(404);
}
