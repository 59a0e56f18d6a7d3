//! Several server processes on one database, as behind a load balancer: two `Application`s in
//! one test, each with its own connection pool, token cache, login throttle and mail worker.
//!
//! Seats, mail and idempotency keys hold across instances on both databases (two apps on one
//! SQLite file, or on one PostgreSQL database). Revocations reaching the other instance at once
//! is a PostgreSQL feature (`LISTEN/NOTIFY`); on SQLite those tests are reported as ignored.

use std::{
    collections::BTreeSet,
    sync::Arc,
    time::{Duration, Instant},
};

use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio::task::JoinSet;

use crate::{
    helpers::{TestApp, future_monday, spawn_app, spawn_app_with, within},
    smtp::SmtpServer,
};

/// Two instances on one fresh database.
async fn two_instances() -> (TestApp, TestApp) {
    let a = spawn_app().await;
    let b = a.another_instance(|_| {}).await;
    (a, b)
}

/// How long a revocation notice may take to reach the other instance before a test fails:
/// generous, because B's cache clock is stopped and only the notice can end the token there.
const NOTICE_DEADLINE: Duration = Duration::from_secs(10);

/// Stops the token cache's clock of `app`: a remembered token then never expires from its
/// cache, so only a revocation notice can make the instance refuse it.
fn freeze_cache_clock(app: &TestApp) {
    let now = chrono::Utc::now();
    app.state.auth_cache.set_clock(Arc::new(move || now));
}

/// Waits until both instances listen for revocations (they start listening just after start-up).
async fn listening(a: &TestApp, b: &TestApp) {
    within(
        Duration::from_secs(10),
        "both instances listening",
        || async { a.state.auth_cache.is_trusted() && b.state.auth_cache.is_trusted() },
    )
    .await;
}

#[tokio::test]
async fn enrolments_spread_over_two_instances_never_take_more_seats_than_the_workshop_has() {
    let (a, b) = two_instances().await;
    let course = a.course("MULTI", 5).await;
    let workshop = a.workshop(course, &future_monday(), 10).await["id"]
        .as_i64()
        .unwrap();
    let mut csv = String::from("full_name,target_group\n");
    for i in 0..120 {
        csv.push_str(&format!("Person {i:03},ratepayer\n"));
    }
    let imported = b
        .request_raw(
            reqwest::Method::POST,
            "/api/v1/participants/import",
            "text/csv",
            &csv,
        )
        .await;
    assert_eq!(imported.status, 200, "{}", imported.text);
    let people: Vec<i64> = imported.body["participant_ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|id| id.as_i64().unwrap())
        .collect();
    assert_eq!(people.len(), 120);

    let mut requests = JoinSet::new();
    for (i, person) in people.into_iter().enumerate() {
        let (base, token) = if i % 2 == 0 {
            (a.base.clone(), a.admin_token.clone())
        } else {
            (b.base.clone(), b.admin_token.clone())
        };
        let client = a.client.clone();
        requests.spawn(async move {
            let resp = client
                .post(format!("{base}/api/v1/workshops/{workshop}/enrolments"))
                .bearer_auth(token)
                .json(&json!({"participant_id": person}))
                .send()
                .await
                .unwrap();
            (resp.status(), resp.json::<Value>().await.unwrap())
        });
    }
    let mut enrolled = 0;
    let mut positions = BTreeSet::new();
    while let Some(answer) = requests.join_next().await {
        let (status, body) = answer.unwrap();
        assert_eq!(status, StatusCode::CREATED, "{body}");
        match body["status"].as_str() {
            Some("enrolled") => enrolled += 1,
            Some("waitlisted") => {
                positions.insert(body["waitlist_position"].as_i64().unwrap());
            }
            other => panic!("unexpected status {other:?}: {body}"),
        }
    }
    assert_eq!(enrolled, 10, "exactly the 10 seats are taken");
    assert_eq!(
        positions,
        (1..=110).collect::<BTreeSet<_>>(),
        "the other 110 wait, each at a position of their own"
    );
    for app in [&a, &b] {
        let w = app.get(&format!("/api/v1/workshops/{workshop}")).await.body;
        assert_eq!(
            (w["seats_taken"].as_i64(), w["waitlist_count"].as_i64()),
            (Some(10), Some(110)),
            "{w}"
        );
    }
}

#[tokio::test]
async fn certificates_issued_on_one_instance_are_mailed_exactly_once_by_both_mail_workers() {
    let smtp = SmtpServer::start(0, None).await;
    let fast_mail = |c: &mut cssd::Config| {
        c.smtp_url = Some(format!("smtp://{}", smtp.addr));
        c.mail_poll_interval = Duration::from_millis(20);
    };
    let a = spawn_app_with(fast_mail).await;
    let b = a.another_instance(fast_mail).await;

    let course = a.course("MAIL", 5).await;
    let names: Vec<String> = (1..=8).map(|i| format!("Holder {i}")).collect();
    let people: Vec<(&str, Option<f64>)> = names.iter().map(|n| (n.as_str(), Some(90.0))).collect();
    let (workshop, ids) = a
        .completed_workshop(course, "tot", None, &[], &people)
        .await;
    let mut addresses = BTreeSet::new();
    for (i, (participant, _)) in ids.iter().enumerate() {
        let email = format!("holder{}@example.org", i + 1);
        let resp = b
            .patch(
                &format!("/api/v1/participants/{participant}"),
                json!({"email": email}),
            )
            .await;
        assert_eq!(resp.status, 200, "{}", resp.text);
        addresses.insert(email);
    }

    let issued = a
        .post(
            &format!("/api/v1/workshops/{workshop}/certificates"),
            json!({}),
        )
        .await;
    assert_eq!(issued.status, 200, "{}", issued.text);
    assert_eq!(issued.body["emails_queued"], 8, "{}", issued.text);

    // Once every message is recorded as sent, no worker will send it again: a second delivery
    // could only have happened before that, and the receiver would have it.
    within(Duration::from_secs(30), "all 8 messages sent", || async {
        b.get("/api/v1/emails?status=sent").await.body["total"] == 8
    })
    .await;
    let received = smtp.messages();
    let recipients: Vec<String> = received.iter().flat_map(|m| m.to.clone()).collect();
    assert_eq!(
        recipients.len(),
        8,
        "each certificate is mailed once: {recipients:?}"
    );
    assert_eq!(recipients.into_iter().collect::<BTreeSet<_>>(), addresses);
    assert_eq!(b.get("/api/v1/emails?status=queued").await.body["total"], 0);
}

#[tokio::test]
async fn an_idempotency_key_holds_across_instances() {
    let (a, b) = two_instances().await;
    let body = json!({"full_name": "Chipo Banda", "target_group": "ratepayer"});
    let send = |app: &TestApp| {
        app.client
            .post(format!("{}/api/v1/participants", app.base))
            .bearer_auth(&app.admin_token)
            .header("Idempotency-Key", "enrol-chipo-1")
            .json(&body)
            .send()
    };
    // The same request reaches both instances at once (a client retrying through the balancer).
    let (first, second) = tokio::join!(send(&a), send(&b));
    let mut created = Vec::new();
    for resp in [first.unwrap(), second.unwrap()] {
        match resp.status().as_u16() {
            201 => created.push(resp.json::<Value>().await.unwrap()),
            // The other instance is still answering it.
            409 => {}
            other => panic!("unexpected {other}: {}", resp.text().await.unwrap()),
        }
    }
    assert!(!created.is_empty(), "one of them answers 201");
    // A later retry on either instance gets the first answer again.
    for app in [&b, &a] {
        let retry = send(app).await.unwrap();
        assert_eq!(retry.status(), 201);
        assert_eq!(retry.headers()["idempotent-replayed"], "true");
        assert_eq!(retry.json::<Value>().await.unwrap(), created[0]);
    }
    for earlier in &created {
        assert_eq!(earlier, &created[0]);
    }
    assert_eq!(a.get("/api/v1/participants").await.body["total"], 1);
}

#[tokio::test]
async fn a_session_opened_on_one_instance_works_on_the_other() {
    let (a, b) = two_instances().await;
    a.user_token("trainer", "tendai@example.org", None).await;
    let token = b.login("tendai@example.org", "a-long-password").await;
    let me = a.with_token(&token).get("/api/v1/me").await;
    assert_eq!(me.status, 200, "{}", me.text);
    assert_eq!(me.body["email"], "tendai@example.org");
}

#[tokio::test]
#[cfg_attr(
    not(test_db_postgres),
    ignore = "PostgreSQL only: run with TEST_DATABASE_URL=postgres://… (.ci/run does)"
)]
async fn a_logout_on_one_instance_is_refused_by_the_other_before_its_cache_forgets() {
    let (a, b) = two_instances().await;
    assert_eq!(
        b.state.config.auth_cache_ttl,
        Duration::from_secs(5),
        "the cache is left at its default"
    );
    listening(&a, &b).await;
    freeze_cache_clock(&b);
    a.user_token("trainer", "rudo@example.org", None).await;
    let token = a.login("rudo@example.org", "a-long-password").await;
    // Instance B has the token in its cache now.
    assert_eq!(b.with_token(&token).get("/api/v1/me").await.status, 200);
    assert_eq!(b.with_token(&token).get("/api/v1/me").await.status, 200);

    let logout = a
        .with_token(&token)
        .post("/api/v1/auth/logout", json!({}))
        .await;
    assert_eq!(logout.status, 204, "{}", logout.text);
    let started = Instant::now();
    within(NOTICE_DEADLINE, "instance B refuses the token", || async {
        b.with_token(&token).get("/api/v1/me").await.status == 401
    })
    .await;
    eprintln!(
        "instance B refused the logged-out token after {:?}",
        started.elapsed()
    );
    b.with_token(&token)
        .get("/api/v1/me")
        .await
        .assert_problem(401);
}

#[tokio::test]
#[cfg_attr(
    not(test_db_postgres),
    ignore = "PostgreSQL only: run with TEST_DATABASE_URL=postgres://… (.ci/run does)"
)]
async fn key_revocation_deactivation_and_a_password_change_reach_the_other_instance_at_once() {
    let (a, b) = two_instances().await;
    listening(&a, &b).await;
    freeze_cache_clock(&b);

    // An API key revoked on A.
    let created = a
        .post(
            "/api/v1/api-keys",
            json!({"name": "ward office", "scopes": ["read"]}),
        )
        .await;
    let (key_id, key) = (
        created.body["id"].as_i64().unwrap(),
        created.body["key"].as_str().unwrap().to_owned(),
    );
    assert_eq!(b.with_token(&key).get("/api/v1/courses").await.status, 200);
    let revoked = a.delete(&format!("/api/v1/api-keys/{key_id}")).await;
    assert_eq!(revoked.status, 204, "{}", revoked.text);
    within(NOTICE_DEADLINE, "B refuses the revoked key", || async {
        b.with_token(&key).get("/api/v1/courses").await.status == 401
    })
    .await;

    // A user deactivated on A.
    let token = a.user_token("trainer", "farai@example.org", None).await;
    let me = b.with_token(&token).get("/api/v1/me").await;
    assert_eq!(me.status, 200);
    let id = me.body["id"].as_i64().unwrap();
    let patched = a
        .patch(&format!("/api/v1/users/{id}"), json!({"active": false}))
        .await;
    assert_eq!(patched.status, 200, "{}", patched.text);
    within(
        NOTICE_DEADLINE,
        "B refuses the deactivated user",
        || async { b.with_token(&token).get("/api/v1/me").await.status == 401 },
    )
    .await;

    // A role change on A applies to the open session on B.
    let token = a.user_token("trainer", "nyasha@example.org", None).await;
    let me = b.with_token(&token).get("/api/v1/me").await;
    let id = me.body["id"].as_i64().unwrap();
    let patched = a
        .patch(
            &format!("/api/v1/users/{id}"),
            json!({"role": "participant"}),
        )
        .await;
    assert_eq!(patched.status, 200, "{}", patched.text);
    within(NOTICE_DEADLINE, "B sees the new role", || async {
        b.with_token(&token).get("/api/v1/me").await.body["role"] == "participant"
    })
    .await;

    // A password changed on A ends the user's other session, which B was using.
    let kept = a.login("nyasha@example.org", "a-long-password").await;
    assert_eq!(b.with_token(&token).get("/api/v1/me").await.status, 200);
    let changed = a
        .with_token(&kept)
        .post(
            "/api/v1/me/password",
            json!({"current_password": "a-long-password", "new_password": "another-long-password"}),
        )
        .await;
    assert_eq!(changed.status, 204, "{}", changed.text);
    within(NOTICE_DEADLINE, "B refuses the other session", || async {
        b.with_token(&token).get("/api/v1/me").await.status == 401
    })
    .await;
    assert_eq!(b.with_token(&kept).get("/api/v1/me").await.status, 200);
}

/// The process ids of the connections listening for revocations.
async fn listener_pids(app: &TestApp) -> BTreeSet<i32> {
    use sea_orm::{ConnectionTrait, Statement};
    let rows = app
        .state
        .db
        .query_all_raw(Statement::from_string(
            app.state.db.get_database_backend(),
            "SELECT pid FROM pg_stat_activity \
             WHERE datname = current_database() AND query LIKE 'LISTEN%'",
        ))
        .await
        .unwrap();
    rows.iter()
        .map(|row| row.try_get::<i32>("", "pid").unwrap())
        .collect()
}

#[tokio::test]
#[cfg_attr(
    not(test_db_postgres),
    ignore = "PostgreSQL only: run with TEST_DATABASE_URL=postgres://… (.ci/run does)"
)]
async fn the_revocation_listener_reconnects_when_its_connection_drops() {
    use sea_orm::{ConnectionTrait, Statement};
    let (a, b) = two_instances().await;
    listening(&a, &b).await;
    freeze_cache_clock(&b);
    let before = listener_pids(&a).await;
    assert_eq!(before.len(), 2, "one listener per instance: {before:?}");
    let backend = a.state.db.get_database_backend();
    for pid in &before {
        a.state
            .db
            .execute_raw(Statement::from_string(
                backend,
                format!("SELECT pg_terminate_backend({pid})"),
            ))
            .await
            .unwrap();
    }
    within(Duration::from_secs(15), "both listeners back", || async {
        let now = listener_pids(&a).await;
        now.len() == 2
            && now.is_disjoint(&before)
            && a.state.auth_cache.is_trusted()
            && b.state.auth_cache.is_trusted()
    })
    .await;

    a.user_token("trainer", "tatenda@example.org", None).await;
    let token = a.login("tatenda@example.org", "a-long-password").await;
    assert_eq!(b.with_token(&token).get("/api/v1/me").await.status, 200);
    let logout = a
        .with_token(&token)
        .post("/api/v1/auth/logout", json!({}))
        .await;
    assert_eq!(logout.status, 204);
    within(
        NOTICE_DEADLINE,
        "B refuses the token after reconnecting",
        || async { b.with_token(&token).get("/api/v1/me").await.status == 401 },
    )
    .await;
}

#[tokio::test]
#[cfg_attr(
    not(test_db_postgres),
    ignore = "PostgreSQL only: run with TEST_DATABASE_URL=postgres://… (.ci/run does)"
)]
async fn instances_started_together_on_a_new_database_migrate_it_once() {
    use cssd::{Application, testing::ScratchDatabase};
    let server = std::env::var("TEST_DATABASE_URL").expect("built for PostgreSQL");
    let (_database, url) = ScratchDatabase::create(Some(server), "cssd_test").await;
    let build = || {
        let config = crate::helpers::test_config(url.clone());
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        Application::build(config, listener)
    };
    let (first, second, third) = tokio::join!(build(), build(), build());
    let apps: Vec<Application> = [first, second, third]
        .into_iter()
        .map(|built| built.expect("every instance starts"))
        .collect();
    use sea_orm::{ConnectionTrait, Statement};
    let db = &apps[0].state().db;
    let admins = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT COUNT(*) AS n FROM app_user WHERE role = 'admin'",
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get::<i64>("", "n")
        .unwrap();
    assert_eq!(admins, 1, "one first administrator, not one per instance");
}
