use crate::helpers::spawn_app;

#[tokio::test]
async fn health_reports_the_service_and_database_ok() {
    let app = spawn_app().await;
    let resp = app.get("/health").await;
    assert_eq!(resp.status, 200);
    assert_eq!(resp.body["status"], "ok");
    assert_eq!(resp.body["database"], "ok");
}

#[tokio::test]
async fn health_reports_a_closed_database_as_unavailable() {
    let app = spawn_app().await;
    app.state.db.clone().close().await.unwrap();
    let resp = app.get("/health").await;
    assert_eq!(resp.status, 503, "{}", resp.text);
    assert_eq!(resp.body["database"], "unreachable");
}
