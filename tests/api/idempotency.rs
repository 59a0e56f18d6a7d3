use serde_json::json;

use crate::helpers::spawn_app;

#[tokio::test]
async fn a_retry_with_the_same_key_returns_the_first_response_and_creates_nothing() {
    let app = spawn_app().await;
    let send = |key: &'static str, name: &'static str| {
        let client = app.client.clone();
        let url = format!("{}/api/v1/participants", app.base);
        let token = app.admin_token.clone();
        async move {
            client
                .post(url)
                .bearer_auth(token)
                .header("Idempotency-Key", key)
                .json(&json!({"full_name": name, "target_group": "ratepayer"}))
                .send()
                .await
                .unwrap()
        }
    };
    let first = send("abc-123", "Rudo").await;
    assert_eq!(first.status(), 201);
    let first_body: serde_json::Value = first.json().await.unwrap();
    let retry = send("abc-123", "Rudo").await;
    assert_eq!(retry.status(), 201);
    assert_eq!(retry.headers()["idempotent-replayed"], "true");
    assert_eq!(retry.json::<serde_json::Value>().await.unwrap(), first_body);
    assert_eq!(app.get("/api/v1/participants").await.body["total"], 1);

    // The same key for a different request is refused; a new key creates.
    let other = send("abc-123", "Chipo").await;
    assert_eq!(other.status(), 422);
    assert_eq!(send("def-456", "Chipo").await.status(), 201);
    assert_eq!(app.get("/api/v1/participants").await.body["total"], 2);
}

#[tokio::test]
async fn a_failed_request_does_not_use_up_its_key() {
    let app = spawn_app().await;
    let url = format!("{}/api/v1/courses", app.base);
    let post = |body: serde_json::Value| {
        app.client
            .post(&url)
            .bearer_auth(&app.admin_token)
            .header("Idempotency-Key", "k1")
            .json(&body)
            .send()
    };
    assert_eq!(
        post(json!({"code": "X", "title": "T", "pass_mark": 500}))
            .await
            .unwrap()
            .status(),
        422
    );
    // The corrected request is a different request, but the key was released with the failure.
    assert_eq!(
        post(json!({"code": "X", "title": "T"}))
            .await
            .unwrap()
            .status(),
        201
    );
}

#[tokio::test]
async fn keys_are_private_to_each_caller() {
    let app = spawn_app().await;
    let key = app.api_key(&["enrol"]).await;
    let body = json!({"full_name": "Same", "target_group": "ratepayer"});
    let as_admin = app
        .client
        .post(format!("{}/api/v1/participants", app.base))
        .bearer_auth(&app.admin_token)
        .header("Idempotency-Key", "shared")
        .json(&body)
        .send()
        .await
        .unwrap();
    let as_key = app
        .client
        .post(format!("{}/api/v1/participants", app.base))
        .bearer_auth(&key)
        .header("Idempotency-Key", "shared")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(
        (as_admin.status().as_u16(), as_key.status().as_u16()),
        (201, 201)
    );
    assert!(as_key.headers().get("idempotent-replayed").is_none());
    assert_eq!(app.get("/api/v1/participants").await.body["total"], 2);
}
