use std::{
    sync::{
        Arc,
        atomic::{AtomicI64, Ordering},
    },
    time::Duration,
};

use serde_json::json;

use crate::helpers::{ADMIN_EMAIL, ADMIN_PASSWORD, spawn_app, spawn_app_with};

#[tokio::test]
async fn login_returns_a_token_that_identifies_the_user() {
    let app = spawn_app().await;
    let resp = app
        .anonymous()
        .post(
            "/api/v1/auth/login",
            json!({"email": "ADMIN@Example.org", "password": ADMIN_PASSWORD}),
        )
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    assert_eq!(resp.body["user"]["email"], ADMIN_EMAIL);
    assert_eq!(resp.body["user"]["role"], "admin");
    assert!(resp.body["expires_at"].is_string());
    let token = resp.body["token"].as_str().unwrap();
    assert!(
        token.len() >= 40,
        "a token carries at least 128 random bits"
    );

    let me = app.with_token(token).get("/api/v1/me").await;
    assert_eq!(me.status, 200);
    assert_eq!(me.body["kind"], "user");
    assert_eq!(me.body["role"], "admin");
    assert!(!me.text.contains("password"), "{}", me.text);
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_email_get_the_same_401() {
    let app = spawn_app().await;
    let wrong = app
        .anonymous()
        .post(
            "/api/v1/auth/login",
            json!({"email": ADMIN_EMAIL, "password": "wrong-password"}),
        )
        .await;
    let unknown = app
        .anonymous()
        .post(
            "/api/v1/auth/login",
            json!({"email": "nobody@example.org", "password": "wrong-password"}),
        )
        .await;
    wrong.assert_problem(401);
    unknown.assert_problem(401);
    // Alike but for the request id each names.
    let without_instance = |body: &serde_json::Value| {
        let mut body = body.clone();
        body.as_object_mut().unwrap().remove("instance");
        body
    };
    assert_ne!(wrong.body["instance"], unknown.body["instance"]);
    assert_eq!(
        without_instance(&wrong.body),
        without_instance(&unknown.body)
    );
}

#[tokio::test]
async fn repeated_failures_are_answered_429_with_retry_after_even_for_the_right_password() {
    let app = spawn_app().await;
    for _ in 0..5 {
        let resp = app
            .anonymous()
            .post(
                "/api/v1/auth/login",
                json!({"email": ADMIN_EMAIL, "password": "guess-guess"}),
            )
            .await;
        resp.assert_problem(401);
    }
    let resp = app
        .anonymous()
        .post(
            "/api/v1/auth/login",
            json!({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}),
        )
        .await;
    resp.assert_problem(429);
    let retry_after: u64 = resp.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry_after >= 1);
}

#[tokio::test]
async fn no_unknown_or_malformed_token_is_401_problem() {
    let app = spawn_app().await;
    app.anonymous().get("/api/v1/me").await.assert_problem(401);
    app.with_token("cssd_s_not-a-real-token")
        .get("/api/v1/me")
        .await
        .assert_problem(401);
    app.with_token("garbage")
        .get("/api/v1/courses")
        .await
        .assert_problem(401);
}

#[tokio::test]
async fn a_logged_out_token_stops_working_at_once() {
    let app = spawn_app().await;
    let token = app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    assert_eq!(app.with_token(&token).get("/api/v1/me").await.status, 200);
    assert_eq!(
        app.with_token(&token)
            .post("/api/v1/auth/logout", json!({}))
            .await
            .status,
        204
    );
    app.with_token(&token)
        .get("/api/v1/me")
        .await
        .assert_problem(401);
    // The admin's other session is unaffected.
    assert_eq!(app.get("/api/v1/me").await.status, 200);
}

#[tokio::test]
async fn an_expired_session_is_401() {
    use sea_orm::ConnectionTrait;
    let app = spawn_app().await;
    let token = app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let hash = cssd::services::accounts::secret_hash(&token);
    app.state
        .db
        .execute_unprepared(&format!("UPDATE session SET expires_at = '2020-01-01T00:00:00+00:00' WHERE token_hash = '{hash}'"))
        .await
        .unwrap();
    app.with_token(&token)
        .get("/api/v1/me")
        .await
        .assert_problem(401);
}

#[tokio::test]
async fn an_api_key_is_shown_once_works_as_a_bearer_token_and_stops_when_revoked() {
    let app = spawn_app().await;
    let resp = app
        .post(
            "/api/v1/api-keys",
            json!({"name": "Ward office sync", "scopes": ["read", "enrol"]}),
        )
        .await;
    assert_eq!(resp.status, 201, "{}", resp.text);
    let key = resp.body["key"].as_str().unwrap().to_owned();
    let id = resp.body["id"].as_i64().unwrap();
    assert_eq!(resp.body["scopes"], json!(["read", "enrol"]));

    let listed = app.get("/api/v1/api-keys").await;
    assert_eq!(listed.body["total"], 1);
    assert!(!listed.text.contains(&key), "the key is never listed");
    assert!(listed.body["items"][0].get("key").is_none());

    let me = app.with_token(&key).get("/api/v1/me").await;
    assert_eq!(me.status, 200);
    assert_eq!(me.body["kind"], "api_key");
    assert_eq!(me.body["scopes"], json!(["read", "enrol"]));
    assert_eq!(
        app.with_token(&key).get("/api/v1/courses").await.status,
        200
    );
    app.with_token(&key)
        .post("/api/v1/courses", json!({"code": "X", "title": "X"}))
        .await
        .assert_problem(403);

    assert_eq!(
        app.delete(&format!("/api/v1/api-keys/{id}")).await.status,
        204
    );
    app.with_token(&key)
        .get("/api/v1/me")
        .await
        .assert_problem(401);
    assert!(app.get("/api/v1/api-keys").await.body["items"][0]["revoked_at"].is_string());
    app.delete("/api/v1/api-keys/999").await.assert_problem(404);
}

#[tokio::test]
async fn an_api_key_needs_known_scopes() {
    let app = spawn_app().await;
    let resp = app
        .post(
            "/api/v1/api-keys",
            json!({"name": "x", "scopes": ["write"]}),
        )
        .await;
    resp.assert_problem(422);
    let resp = app
        .post("/api/v1/api-keys", json!({"name": "x", "scopes": []}))
        .await;
    resp.assert_problem(422);
    assert_eq!(app.get("/api/v1/api-keys").await.body["total"], 0);
}

#[tokio::test]
async fn users_have_unique_emails_whatever_the_case_and_long_passwords() {
    let app = spawn_app().await;
    let body = json!({"name": "Rudo Moyo", "email": "rudo@example.org", "role": "trainer", "password": "long-enough-pw"});
    let resp = app.post("/api/v1/users", body).await;
    assert_eq!(resp.status, 201, "{}", resp.text);
    assert!(resp.body.get("password").is_none() && resp.body.get("password_hash").is_none());

    let dup = json!({"name": "Rudo", "email": "RUDO@example.org", "role": "trainer", "password": "long-enough-pw"});
    app.post("/api/v1/users", dup).await.assert_problem(409);

    let short = json!({"name": "Chipo", "email": "chipo@example.org", "role": "trainer", "password": "short"});
    let resp = app.post("/api/v1/users", short).await;
    resp.assert_problem(422);
    assert!(resp.field_error("password").is_some());

    let bad_link = json!({"name": "Chipo", "email": "chipo@example.org", "role": "participant", "password": "long-enough-pw", "participant_id": 4242});
    let resp = app.post("/api/v1/users", bad_link).await;
    resp.assert_problem(422);
    assert!(resp.field_error("participant_id").is_some());

    let users = app.get("/api/v1/users?role=trainer").await;
    assert_eq!(users.body["total"], 1);
    assert!(!users.text.contains("argon2"), "no hash is ever shown");
}

#[tokio::test]
async fn changes_are_written_to_the_audit_log_with_who_made_them() {
    let app = spawn_app().await;
    let created = app
        .post(
            "/api/v1/courses",
            json!({"code": "WQ", "title": "Water Quality"}),
        )
        .await;
    let id = created.body["id"].as_i64().unwrap();
    app.patch(&format!("/api/v1/courses/{id}"), json!({"pass_mark": 75}))
        .await;
    // A refused change leaves no trace.
    app.patch(&format!("/api/v1/courses/{id}"), json!({"pass_mark": 175}))
        .await
        .assert_problem(422);

    let log = app
        .get(&format!("/api/v1/audit?entity=course&entity_id={id}"))
        .await;
    assert_eq!(log.status, 200);
    assert_eq!(log.body["total"], 2);
    let newest = &log.body["items"][0];
    assert_eq!(newest["action"], "update");
    assert_eq!(newest["actor_kind"], "user");
    assert_eq!(newest["actor_label"], ADMIN_EMAIL);
    assert_eq!(newest["before"]["pass_mark"], 60);
    assert_eq!(newest["after"]["pass_mark"], 75);
    assert_eq!(log.body["items"][1]["action"], "create");
}

#[tokio::test]
async fn the_first_admin_is_not_created_twice() {
    let app = spawn_app().await;
    let again = cssd::services::accounts::bootstrap_admin(
        &app.state.db,
        &app.state.sign_in.hashing,
        "other@example.org",
        "another-password",
    )
    .await
    .unwrap();
    assert!(again.is_none());
    assert_eq!(app.get("/api/v1/users?role=admin").await.body["total"], 1);
}

/// Tokens found valid are remembered for `CSSD_AUTH_CACHE_SECONDS`; a session revoked by
/// another process sharing the database stops working within that time, or at once with 0.
#[tokio::test]
async fn a_session_revoked_elsewhere_stops_within_the_auth_cache_time() {
    use sea_orm::ConnectionTrait;
    for ttl in [Duration::ZERO, Duration::from_millis(300)] {
        let app = spawn_app_with(|c| c.auth_cache_ttl = ttl).await;
        let (_, clock) = movable_clock(&app);
        let token = app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
        assert_eq!(app.with_token(&token).get("/api/v1/me").await.status, 200);
        let hash = cssd::services::accounts::secret_hash(&token);
        app.state
            .db
            .execute_unprepared(&format!(
                "UPDATE session SET revoked_at = '2026-01-01T00:00:00+00:00' WHERE token_hash = '{hash}'"
            ))
            .await
            .unwrap();
        // The cache's clock moves past the time a token is remembered (no waiting).
        clock.fetch_add(ttl.as_millis() as i64 + 1, Ordering::SeqCst);
        app.with_token(&token)
            .get("/api/v1/me")
            .await
            .assert_problem(401);
    }
}

/// Sets the app's token cache on a clock the test moves: it stands at the returned time plus
/// the milliseconds the test adds.
fn movable_clock(app: &crate::helpers::TestApp) -> (chrono::DateTime<chrono::Utc>, Arc<AtomicI64>) {
    let start = chrono::Utc::now();
    let offset = Arc::new(AtomicI64::new(0));
    let moved = offset.clone();
    app.state.auth_cache.set_clock(Arc::new(move || {
        start + chrono::Duration::milliseconds(moved.load(Ordering::SeqCst))
    }));
    (start, offset)
}

/// A remembered token is still refused once its session expires, before the cache forgets it.
#[tokio::test]
async fn a_remembered_session_still_ends_at_its_expiry() {
    use sea_orm::ConnectionTrait;
    let app = spawn_app_with(|c| c.auth_cache_ttl = Duration::from_secs(60)).await;
    let (start, clock) = movable_clock(&app);
    let token = app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let hash = cssd::services::accounts::secret_hash(&token);
    let soon = (start + chrono::Duration::milliseconds(800)).to_rfc3339();
    app.state
        .db
        .execute_unprepared(&format!(
            "UPDATE session SET expires_at = '{soon}' WHERE token_hash = '{hash}'"
        ))
        .await
        .unwrap();
    assert_eq!(app.with_token(&token).get("/api/v1/me").await.status, 200);
    // A second later by the cache's clock: well within its 60 s, past the session's end.
    clock.fetch_add(1000, Ordering::SeqCst);
    app.with_token(&token)
        .get("/api/v1/me")
        .await
        .assert_problem(401);
}
