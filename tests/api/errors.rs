use reqwest::Method;

use crate::helpers::spawn_app;

#[tokio::test]
async fn an_unknown_path_is_a_404_problem() {
    let app = spawn_app().await;
    app.get("/api/v1/nothing-here").await.assert_problem(404);
}

#[tokio::test]
async fn a_wrong_method_is_a_405_problem() {
    let app = spawn_app().await;
    let resp = app.request(Method::DELETE, "/api/v1/courses", None).await;
    assert_eq!(
        resp.headers["allow"], "GET, HEAD, POST",
        "RFC 9110: a 405 says what is allowed"
    );
    resp.assert_problem(405);
    // A path with an id: the methods of its template; a literal segment wins over `{id}`.
    let resp = app.request(Method::PUT, "/api/v1/courses/1", None).await;
    assert_eq!(resp.headers["allow"], "GET, HEAD, PATCH");
    resp.assert_problem(405);
}

#[tokio::test]
async fn a_non_numeric_id_is_a_400_problem() {
    let app = spawn_app().await;
    app.get("/api/v1/courses/abc").await.assert_problem(400);
}

#[tokio::test]
async fn an_empty_body_is_a_400_problem() {
    let app = spawn_app().await;
    app.request_raw(Method::POST, "/api/v1/courses", "application/json", "")
        .await
        .assert_problem(400);
}

#[tokio::test]
async fn a_body_that_is_not_json_is_a_415_problem() {
    let app = spawn_app().await;
    app.request_raw(Method::POST, "/api/v1/courses", "text/xml", "<course/>")
        .await
        .assert_problem(415);
}

#[tokio::test]
async fn a_json_array_where_an_object_belongs_is_422() {
    let app = spawn_app().await;
    let resp = app
        .request_raw(
            Method::POST,
            "/api/v1/courses",
            "application/json",
            "[1, 2]",
        )
        .await;
    resp.assert_problem(422);
    assert_eq!(
        resp.field_error("body").as_deref(),
        Some("must be a JSON object")
    );
}
