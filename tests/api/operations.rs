//! Operations (contract: "Operations: metrics, request ids, deployment"): the metrics address,
//! request ids in responses, problems, logs and queued mail, the detailed health, the
//! forwarded address from trusted proxies only, and logs free of secrets.

use std::collections::HashMap;

use cssd::testing::LogCapture;
use entity::email_outbox;
use reqwest::{StatusCode, header};
use sea_orm::EntityTrait;
use serde_json::{Value, json};

use crate::helpers::{ADMIN_EMAIL, ADMIN_PASSWORD, TestApp, eventually, spawn_app, spawn_app_with};

async fn with_metrics() -> TestApp {
    spawn_app_with(|c| c.metrics_bind = Some("127.0.0.1:0".parse().unwrap())).await
}

async fn scrape(app: &TestApp) -> String {
    let url = format!(
        "{}/metrics",
        app.metrics.as_deref().expect("a metrics address")
    );
    let resp = reqwest::get(url).await.unwrap();
    assert_eq!(resp.status(), 200);
    let kind = resp.headers()[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(kind.starts_with("text/plain"), "{kind}");
    resp.text().await.unwrap()
}

/// The sample lines of `name` (with labels, if any).
fn samples<'a>(text: &'a str, name: &str) -> Vec<&'a str> {
    text.lines()
        .filter(|l| {
            l.strip_prefix(name)
                .is_some_and(|rest| rest.starts_with('{') || rest.starts_with(' '))
        })
        .collect()
}

#[tokio::test]
async fn the_metrics_address_serves_the_named_series_by_route_template() {
    let app = with_metrics().await;
    let missing = app.get("/api/v1/workshops/987654").await;
    assert_eq!(missing.status, 404);
    assert_eq!(app.get("/api/v1/courses").await.status, 200);

    let text = scrape(&app).await;
    let requests = samples(&text, "cssd_http_requests_total");
    assert!(
        requests
            .iter()
            .any(|l| l.contains(r#"route="/api/v1/workshops/{id}""#)
                && l.contains(r#"status="404""#)
                && l.contains(r#"method="GET""#)),
        "{text}"
    );
    assert!(
        !text.contains("987654"),
        "a raw path never becomes a label: {text}"
    );
    assert!(
        samples(&text, "cssd_http_request_duration_seconds_bucket")
            .iter()
            .any(|l| l.contains(r#"route="/api/v1/courses""#) && l.contains(r#"status="2xx""#)),
        "{text}"
    );
    for series in [
        r#"cssd_outbox_pending{channel="mail"}"#,
        r#"cssd_outbox_failed_total{channel="mail"}"#,
        r#"cssd_outbox_oldest_pending_seconds{channel="mail"}"#,
        r#"cssd_outbox_pending{channel="webhook"}"#,
        r#"cssd_outbox_pending{channel="sms"}"#,
        r#"cssd_outbox_failed_total{channel="sms"}"#,
        r#"cssd_outbox_failed_total{channel="webhook"}"#,
        r#"cssd_db_pool_connections{state="idle"}"#,
        r#"cssd_db_pool_connections{state="in_use"}"#,
        "cssd_certificates_issued_total",
        r#"cssd_logins_total{result="success"}"#,
        "cssd_database_up",
        "process_resident_memory_bytes",
    ] {
        assert!(
            text.lines().any(|l| l.starts_with(series)),
            "{series} missing from: {text}"
        );
    }
}

#[tokio::test]
async fn the_public_address_does_not_serve_metrics() {
    let app = with_metrics().await;
    let resp = app.anonymous().get("/metrics").await;
    assert_eq!(resp.status, 404, "{}", resp.text);
    assert!(!resp.text.contains("cssd_http_requests_total"));
}

#[tokio::test]
async fn queued_mail_shows_as_the_mail_backlog() {
    let app = spawn_app_with(|c| {
        c.metrics_bind = Some("127.0.0.1:0".parse().unwrap());
        c.mail_worker = false;
    })
    .await;
    let p = app.participant("Tendai Moyo").await;
    let resp = app
        .patch(
            &format!("/api/v1/participants/{p}"),
            json!({"email": "tendai@example.org"}),
        )
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    let asked = app
        .anonymous()
        .post(
            "/api/v1/auth/email-link",
            json!({"email": "tendai@example.org"}),
        )
        .await;
    assert_eq!(asked.status, 202);
    eventually("the link is queued", || async {
        scrape(&app)
            .await
            .contains("cssd_outbox_pending{channel=\"mail\"} 1")
    })
    .await;

    let health = reqwest::get(format!("{}/health", app.metrics.as_deref().unwrap()))
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    let health: Value = health.json().await.unwrap();
    assert_eq!(health["migrations"], "current", "{health}");
    assert_eq!(health["signing_key"], "present", "{health}");
    assert_eq!(health["outbox"][0]["channel"], "mail", "{health}");
    assert_eq!(health["outbox"][0]["pending"], 1, "{health}");
    assert_eq!(health["outbox"][0]["failed"], 0, "{health}");
}

#[tokio::test]
async fn the_public_health_shows_details_only_with_the_health_token() {
    let app =
        spawn_app_with(|c| c.health_token = Some("health-token-for-the-monitor".into())).await;
    let anonymous = app.anonymous().get("/health").await;
    assert_eq!(anonymous.status, 200);
    assert_eq!(anonymous.body, json!({"status": "ok", "database": "ok"}));
    let wrong = app
        .with_token("health-token-for-someone")
        .get("/health")
        .await;
    assert_eq!(wrong.body, json!({"status": "ok", "database": "ok"}));
    // An administrator's own token is not the health token either.
    let admin = app.get("/health").await;
    assert!(admin.body.get("outbox").is_none(), "{}", admin.text);

    let monitor = app
        .with_token("health-token-for-the-monitor")
        .get("/health")
        .await;
    assert_eq!(monitor.status, 200);
    assert_eq!(monitor.body["migrations"], "current", "{}", monitor.text);
    assert_eq!(monitor.body["signing_key"], "present");
    assert_eq!(monitor.body["outbox"][0]["channel"], "mail");
    assert_eq!(monitor.body["outbox"][0]["pending"], 0);
}

async fn get_with_id(app: &TestApp, path: &str, id: &str) -> reqwest::Response {
    app.client
        .get(format!("{}{path}", app.base))
        .bearer_auth(&app.admin_token)
        .header("x-request-id", id)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_callers_request_id_comes_back_in_the_response_and_its_problem() {
    let app = spawn_app().await;
    let resp = get_with_id(&app, "/api/v1/workshops/987654", "ticket-4711.a_b").await;
    assert_eq!(resp.status(), 404);
    assert_eq!(resp.headers()["x-request-id"], "ticket-4711.a_b");
    let problem: Value = resp.json().await.unwrap();
    assert_eq!(problem["instance"], "ticket-4711.a_b", "{problem}");

    let ok = get_with_id(&app, "/api/v1/courses", "ticket-4712").await;
    assert_eq!(ok.status(), 200);
    assert_eq!(ok.headers()["x-request-id"], "ticket-4712");
}

#[tokio::test]
async fn an_unsafe_or_missing_request_id_is_replaced_by_a_new_one() {
    let app = spawn_app().await;
    for bad in ["a".repeat(65), "semi;colon".to_owned(), "<b>".to_owned()] {
        let resp = get_with_id(&app, "/api/v1/workshops/987654", &bad).await;
        let id = resp.headers()["x-request-id"].to_str().unwrap().to_owned();
        assert_ne!(id, bad);
        assert_eq!(id.len(), 32, "{id}");
        assert!(id.bytes().all(|b| b.is_ascii_hexdigit()), "{id}");
        let problem: Value = resp.json().await.unwrap();
        assert_eq!(problem["instance"], id.as_str());
    }
    let plain = app.anonymous().get("/health").await;
    let first = header_of(&plain, "x-request-id").to_owned();
    let again = app.anonymous().get("/health").await;
    assert_eq!(first.len(), 32);
    assert_ne!(
        first,
        header_of(&again, "x-request-id"),
        "each request gets its own"
    );
    // Pages carry one too.
    let page = app.anonymous().get("/verify/no-such-code").await;
    assert_eq!(header_of(&page, "x-request-id").len(), 32);
}

/// The captured JSON log lines.
fn json_lines(text: &str) -> Vec<Value> {
    text.lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

fn header_of<'a>(resp: &'a crate::helpers::TestResponse, name: &str) -> &'a str {
    resp.headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

fn request_id_of(line: &Value) -> Option<&str> {
    line["span"]["request_id"].as_str()
}

#[tokio::test]
async fn a_requests_log_lines_carry_its_id_with_one_access_line() {
    let logs = LogCapture::start();
    let app = spawn_app().await;
    let resp = get_with_id(&app, "/api/v1/workshops/987654", "trace-me-42").await;
    assert_eq!(resp.status(), 404);
    let lines = json_lines(&logs.text());
    let mine: Vec<&Value> = lines
        .iter()
        .filter(|l| request_id_of(l) == Some("trace-me-42"))
        .collect();
    assert!(
        mine.iter().any(|l| l["message"] == "request started"),
        "lines logged while the request runs carry its id: {mine:?}"
    );
    let access: Vec<&&Value> = mine
        .iter()
        .filter(|l| l["message"] == "request" && l["level"] == "INFO")
        .collect();
    assert_eq!(access.len(), 1, "one access line: {access:?}");
    let access = access[0];
    assert_eq!(access["method"], "GET");
    assert_eq!(access["route"], "/api/v1/workshops/{id}");
    assert_eq!(access["status"], 404);
    assert!(access["seconds"].as_f64().is_some(), "{access}");
}

#[tokio::test]
async fn mail_queued_by_a_request_remembers_its_id_into_the_workers_log() {
    let logs = LogCapture::start();
    let app = spawn_app().await;
    let p = app.participant("Rudo Dube").await;
    let resp = app
        .patch(
            &format!("/api/v1/participants/{p}"),
            json!({"email": "rudo@example.org"}),
        )
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    let asked = app
        .client
        .post(format!("{}/api/v1/auth/email-link", app.base))
        .header("x-request-id", "link-request-7")
        .json(&json!({"email": "rudo@example.org"}))
        .send()
        .await
        .unwrap();
    assert_eq!(asked.status(), 202);
    eventually("the link is sent", || async {
        json_lines(&logs.text())
            .iter()
            .any(|l| l["message"] == "mail sent" && request_id_of(l) == Some("link-request-7"))
    })
    .await;
    let rows = email_outbox::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].request_id.as_deref(), Some("link-request-7"));
}

/// A browser's cookies, kept by hand.
#[derive(Default)]
struct Jar(HashMap<String, String>);

impl Jar {
    fn header(&self) -> String {
        self.0
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn keep(&mut self, resp: &reqwest::Response) {
        for value in resp.headers().get_all(header::SET_COOKIE) {
            let value = value.to_str().unwrap();
            let (pair, _) = value.split_once(';').unwrap_or((value, ""));
            if let Some((name, v)) = pair.split_once('=') {
                self.0.insert(name.to_owned(), v.to_owned());
            }
        }
    }
}

fn csrf_of(page: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = page.find(marker).expect("a CSRF field") + marker.len();
    page[start..start + page[start..].find('"').unwrap()].to_owned()
}

/// The sign-in link mailed to `to` (from the outbox folder), as a path.
async fn mailed_link(app: &TestApp, to: &str) -> String {
    let mut link = None;
    eventually("the link is mailed", || {
        let found = std::fs::read_dir(&app.state.config.outbox_dir)
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| std::fs::read(e.path()).ok())
            .filter_map(|raw| {
                let message = mail_parser::MessageParser::default().parse(&raw)?;
                let to_them = message
                    .to()
                    .and_then(|a| a.first())
                    .and_then(|a| a.address())
                    .is_some_and(|a| a == to);
                let text = message.body_text(0)?.into_owned();
                let start = text.find("/portal/link/")?;
                let rest = &text[start..];
                to_them.then(|| {
                    rest[..rest.find(char::is_whitespace).unwrap_or(rest.len())].to_owned()
                })
            })
            .next();
        let got = found.is_some();
        if got {
            link = found;
        }
        async move { got }
    })
    .await;
    link.unwrap()
}

#[tokio::test]
async fn no_password_token_or_link_secret_reaches_the_log_at_any_level() {
    let logs = LogCapture::start();
    let app = spawn_app().await;
    let mut secrets = vec![ADMIN_PASSWORD.to_owned(), app.admin_token.clone()];

    // The API's password login, right and wrong.
    let wrong = "wrong-password-secret-9";
    secrets.push(wrong.into());
    let refused = app
        .anonymous()
        .post(
            "/api/v1/auth/login",
            json!({"email": ADMIN_EMAIL, "password": wrong}),
        )
        .await;
    assert_eq!(refused.status, 401);
    let trainer_password = "trainer-password-secret-3";
    secrets.push(trainer_password.into());
    let created = app
        .post(
            "/api/v1/users",
            json!({"name": "Farai Trainer", "email": "farai@example.org", "role": "trainer",
                   "password": trainer_password}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    let token = app.login("farai@example.org", trainer_password).await;
    secrets.push(token);

    // The console's password form.
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut jar = Jar::default();
    let form = client
        .get(format!("{}/admin/sign-in", app.base))
        .send()
        .await
        .unwrap();
    jar.keep(&form);
    let csrf = csrf_of(&form.text().await.unwrap());
    let signed_in = client
        .post(format!("{}/admin/sign-in", app.base))
        .header(header::COOKIE, jar.header())
        .form(&[
            ("csrf", csrf.as_str()),
            ("email", ADMIN_EMAIL),
            ("password", ADMIN_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    jar.keep(&signed_in);
    secrets.extend(jar.0.values().filter(|v| v.len() >= 16).cloned());

    // The emailed link, asked for and opened.
    let p = app.participant("Tendai Moyo").await;
    let resp = app
        .patch(
            &format!("/api/v1/participants/{p}"),
            json!({"email": "tendai@example.org"}),
        )
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    let asked = app
        .anonymous()
        .post(
            "/api/v1/auth/email-link",
            json!({"email": "tendai@example.org"}),
        )
        .await;
    assert_eq!(asked.status, 202);
    let link = mailed_link(&app, "tendai@example.org").await;
    secrets.push(link.trim_start_matches("/portal/link/").to_owned());
    let opened = client
        .get(format!("{}{link}", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(opened.status(), StatusCode::SEE_OTHER);
    let mut portal = Jar::default();
    portal.keep(&opened);
    secrets.extend(portal.0.values().filter(|v| v.len() >= 16).cloned());

    let text = logs.text();
    assert!(
        text.lines().count() > 50,
        "the log was captured at every level: {text}"
    );
    for secret in &secrets {
        assert!(secret.len() >= 16, "{secret:?} is too short to search for");
        if let Some(line) = text.lines().find(|l| l.contains(secret.as_str())) {
            panic!("a secret reached the log: {line}");
        }
    }
}

async fn failed_login_from(app: &TestApp, forwarded_for: &str, n: usize) -> StatusCode {
    app.client
        .post(format!("{}/api/v1/auth/login", app.base))
        .header("x-forwarded-for", forwarded_for)
        .json(&json!({"email": format!("nobody{n}@example.org"), "password": "not-the-password"}))
        .send()
        .await
        .unwrap()
        .status()
}

/// Fails logins (each for another account) from `forwarded_for` until the address is locked;
/// returns how many were judged.
async fn lock_out(app: &TestApp, forwarded_for: &str) -> usize {
    for n in 0..40 {
        match failed_login_from(app, forwarded_for, n).await {
            StatusCode::UNAUTHORIZED => continue,
            StatusCode::TOO_MANY_REQUESTS => return n,
            other => panic!("unexpected {other}"),
        }
    }
    panic!("the address was never locked")
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_login_throttle_counts_the_forwarded_client() {
    let app = spawn_app_with(|c| c.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()]).await;
    let judged = lock_out(&app, "203.0.113.7").await;
    assert!(judged >= 5, "{judged}");
    // Another client behind the same proxy is not locked out with the first.
    assert_eq!(
        failed_login_from(&app, "198.51.100.20", 99).await,
        StatusCode::UNAUTHORIZED
    );
    // A client cannot escape by prepending an address: the proxy appends the one it saw.
    assert_eq!(
        failed_login_from(&app, "192.0.2.1, 203.0.113.7", 100).await,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn from_anyone_else_a_forwarded_address_is_ignored() {
    let app = spawn_app().await;
    lock_out(&app, "203.0.113.7").await;
    // Every request came from 127.0.0.1 (not a trusted proxy here): naming another client
    // changes nothing.
    assert_eq!(
        failed_login_from(&app, "198.51.100.20", 99).await,
        StatusCode::TOO_MANY_REQUESTS
    );
}
