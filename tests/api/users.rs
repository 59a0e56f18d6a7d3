//! Managing user accounts: renaming, changing roles, deactivating and reactivating
//! (`PATCH /api/v1/users/{id}`), and changing one's own password (`POST /api/v1/me/password`).

use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

const PASSWORD: &str = "a-long-password";

/// Creates a user and returns (id, session token).
async fn user(app: &TestApp, role: &str, email: &str) -> (i64, String) {
    let token = app.user_token(role, email, None).await;
    let id = app.with_token(&token).get("/api/v1/me").await.body["id"]
        .as_i64()
        .unwrap();
    (id, token)
}

async fn listed(app: &TestApp, id: i64) -> Value {
    let users = app.get("/api/v1/users?limit=200").await;
    assert_eq!(users.status, 200, "{}", users.text);
    users.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["id"] == id)
        .cloned()
        .expect("the user is listed")
}

#[tokio::test]
async fn an_administrator_renames_a_user_and_a_new_role_applies_to_their_open_session() {
    let app = spawn_app().await;
    let (id, token) = user(&app, "trainer", "tendai@example.org").await;
    let resp = app
        .patch(
            &format!("/api/v1/users/{id}"),
            json!({"name": "Tendai Moyo", "role": "participant"}),
        )
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    assert_eq!(resp.body["name"], "Tendai Moyo");
    assert_eq!(resp.body["role"], "participant");
    assert_eq!(resp.body["active"], true);

    let me = app.with_token(&token).get("/api/v1/me").await;
    assert_eq!(me.status, 200);
    assert_eq!(
        (me.body["name"].as_str(), me.body["role"].as_str()),
        (Some("Tendai Moyo"), Some("participant"))
    );
    // A participant may no longer read the workshop list a trainer could.
    app.with_token(&token)
        .get("/api/v1/workshops")
        .await
        .assert_problem(403);

    let audit = app
        .get(&format!("/api/v1/audit?entity=user&entity_id={id}"))
        .await;
    let entry = &audit.body["items"][0];
    assert_eq!(entry["action"], "update");
    assert_eq!(entry["before"]["role"], "trainer");
    assert_eq!(entry["after"]["role"], "participant");
    assert!(entry["after"].get("password_hash").is_none());
}

#[tokio::test]
async fn a_deactivated_user_is_signed_out_at_once_and_cannot_log_in_until_reactivated() {
    let app = spawn_app().await;
    let (id, token) = user(&app, "trainer", "rudo@example.org").await;
    let second = app.login("rudo@example.org", PASSWORD).await;
    assert_eq!(app.with_token(&token).get("/api/v1/me").await.status, 200);

    let resp = app
        .patch(&format!("/api/v1/users/{id}"), json!({"active": false}))
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    assert_eq!(resp.body["active"], false);
    assert!(resp.body["deactivated_at"].is_string(), "{}", resp.text);
    for t in [&token, &second] {
        app.with_token(t)
            .get("/api/v1/me")
            .await
            .assert_problem(401);
    }
    let login = app
        .anonymous()
        .post(
            "/api/v1/auth/login",
            json!({"email": "rudo@example.org", "password": PASSWORD}),
        )
        .await;
    let problem = login.assert_problem(403);
    assert!(
        problem["detail"].as_str().unwrap().contains("deactivated"),
        "{}",
        login.text
    );
    // A wrong password still gets the ordinary answer: deactivation tells a guesser nothing.
    app.anonymous()
        .post(
            "/api/v1/auth/login",
            json!({"email": "rudo@example.org", "password": "not-the-password"}),
        )
        .await
        .assert_problem(401);
    assert_eq!(listed(&app, id).await["active"], false);
    let audit = app
        .get(&format!("/api/v1/audit?entity=user&entity_id={id}"))
        .await;
    assert_eq!(audit.body["items"][0]["action"], "deactivate");

    let resp = app
        .patch(&format!("/api/v1/users/{id}"), json!({"active": true}))
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    assert_eq!(resp.body["active"], true);
    assert!(resp.body.get("deactivated_at").is_none(), "{}", resp.text);
    // The old sessions stay ended; a new login works.
    app.with_token(&token)
        .get("/api/v1/me")
        .await
        .assert_problem(401);
    let fresh = app.login("rudo@example.org", PASSWORD).await;
    assert_eq!(app.with_token(&fresh).get("/api/v1/me").await.status, 200);
}

#[tokio::test]
async fn the_last_active_administrator_can_neither_be_deactivated_nor_demoted() {
    let app = spawn_app().await;
    let me = app.get("/api/v1/me").await.body;
    let admin_id = me["id"].as_i64().unwrap();
    for change in [json!({"active": false}), json!({"role": "trainer"})] {
        let resp = app
            .patch(&format!("/api/v1/users/{admin_id}"), change)
            .await;
        let problem = resp.assert_problem(409);
        assert!(
            problem["detail"]
                .as_str()
                .unwrap()
                .contains("only active administrator"),
            "{}",
            resp.text
        );
    }
    assert_eq!(app.get("/api/v1/me").await.body["role"], "admin");

    // With a second administrator, the first may step down (and their session ends).
    let (other, other_token) = user(&app, "admin", "second-admin@example.org").await;
    let resp = app
        .with_token(&other_token)
        .patch(
            &format!("/api/v1/users/{admin_id}"),
            json!({"active": false}),
        )
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    app.get("/api/v1/me").await.assert_problem(401);
    // ... and now the second is the last one.
    app.with_token(&other_token)
        .patch(
            &format!("/api/v1/users/{other}"),
            json!({"role": "trainer"}),
        )
        .await
        .assert_problem(409);
}

#[tokio::test]
async fn bad_user_changes_are_refused_and_change_nothing() {
    let app = spawn_app().await;
    let (id, token) = user(&app, "trainer", "chipo@example.org").await;
    let before = listed(&app, id).await;

    app.patch("/api/v1/users/999999", json!({"active": false}))
        .await
        .assert_problem(404);
    let empty = app
        .patch(&format!("/api/v1/users/{id}"), json!({"name": ""}))
        .await;
    empty.assert_problem(422);
    assert!(empty.field_error("name").is_some(), "{}", empty.text);
    let control = app
        .patch(
            &format!("/api/v1/users/{id}"),
            json!({"name": "Chipo\u{0007}"}),
        )
        .await;
    control.assert_problem(422);
    assert!(control.field_error("name").is_some(), "{}", control.text);
    let role = app
        .patch(&format!("/api/v1/users/{id}"), json!({"role": "boss"}))
        .await;
    assert!(
        matches!(role.status.as_u16(), 400 | 422),
        "an unknown role is refused: {}",
        role.text
    );
    role.assert_problem(role.status.as_u16());
    app.patch(&format!("/api/v1/users/{id}"), json!({"active": "no"}))
        .await
        .assert_problem(422);
    // Only administrators change accounts, not even a user their own.
    app.with_token(&token)
        .patch(&format!("/api/v1/users/{id}"), json!({"role": "admin"}))
        .await
        .assert_problem(403);

    assert_eq!(listed(&app, id).await, before);
    assert_eq!(app.with_token(&token).get("/api/v1/me").await.status, 200);
}

#[tokio::test]
async fn changing_ones_password_needs_the_current_one_and_ends_the_other_sessions() {
    let app = spawn_app().await;
    let (_, token) = user(&app, "participant", "farai@example.org").await;
    let other = app.login("farai@example.org", PASSWORD).await;
    let change =
        |current: &str, new: &str| json!({"current_password": current, "new_password": new});

    let wrong = app
        .with_token(&token)
        .post(
            "/api/v1/me/password",
            change("not-my-password", "a-new-password-1"),
        )
        .await;
    let problem = wrong.assert_problem(403);
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("current password")
    );
    let short = app
        .with_token(&token)
        .post("/api/v1/me/password", change(PASSWORD, "short"))
        .await;
    short.assert_problem(422);
    assert!(
        short.field_error("new_password").is_some(),
        "{}",
        short.text
    );
    let same = app
        .with_token(&token)
        .post("/api/v1/me/password", change(PASSWORD, PASSWORD))
        .await;
    same.assert_problem(422);
    assert!(
        same.field_error("new_password").unwrap().contains("differ"),
        "{}",
        same.text
    );
    // Nothing changed so far: both sessions work and the old password logs in.
    assert_eq!(app.with_token(&other).get("/api/v1/me").await.status, 200);
    app.login("farai@example.org", PASSWORD).await;

    let done = app
        .with_token(&token)
        .post("/api/v1/me/password", change(PASSWORD, "a-new-password-1"))
        .await;
    assert_eq!(done.status, 204, "{}", done.text);
    assert_eq!(app.with_token(&token).get("/api/v1/me").await.status, 200);
    app.with_token(&other)
        .get("/api/v1/me")
        .await
        .assert_problem(401);
    app.anonymous()
        .post(
            "/api/v1/auth/login",
            json!({"email": "farai@example.org", "password": PASSWORD}),
        )
        .await
        .assert_problem(401);
    app.login("farai@example.org", "a-new-password-1").await;
}

#[tokio::test]
async fn an_api_key_has_no_password_to_change() {
    let app = spawn_app().await;
    let key = app.api_key(&["admin"]).await;
    let resp = app
        .with_token(&key)
        .post(
            "/api/v1/me/password",
            json!({"current_password": "anything-at-all", "new_password": "a-new-password-1"}),
        )
        .await;
    resp.assert_problem(403);
    app.anonymous()
        .post(
            "/api/v1/me/password",
            json!({"current_password": "anything-at-all", "new_password": "a-new-password-1"}),
        )
        .await
        .assert_problem(401);
}

#[tokio::test]
async fn guessing_the_current_password_is_throttled_like_a_login() {
    let app = spawn_app().await;
    let (_, token) = user(&app, "trainer", "guess@example.org").await;
    let mut statuses = vec![];
    for i in 0..12 {
        let resp = app
            .with_token(&token)
            .post(
                "/api/v1/me/password",
                json!({"current_password": format!("guess-number-{i}"), "new_password": "a-new-password-1"}),
            )
            .await;
        statuses.push(resp.status.as_u16());
        if resp.status == 429 {
            resp.assert_problem(429);
            assert!(resp.headers.get("retry-after").is_some());
            break;
        }
    }
    assert_eq!(statuses.last(), Some(&429), "{statuses:?}");
    assert!(
        statuses[..statuses.len() - 1].iter().all(|s| *s == 403),
        "{statuses:?}"
    );
}

#[tokio::test]
async fn spaces_do_not_make_a_short_password_long() {
    let app = spawn_app().await;
    for password in ["         a", "  a b c d e f  "] {
        let resp = app
            .post(
                "/api/v1/users",
                json!({"name": "Rudo Dube", "email": "rudo@example.org", "role": "trainer",
                       "password": password}),
            )
            .await;
        resp.assert_problem(422);
        let message = resp.field_error("password").expect("the password is named");
        assert!(message.contains("other than spaces"), "{message}");
    }
    let ok = app
        .post(
            "/api/v1/users",
            json!({"name": "Rudo Dube", "email": "rudo@example.org", "role": "trainer",
                   "password": "a long pass phrase"}),
        )
        .await;
    assert_eq!(ok.status, 201, "{}", ok.text);
}
