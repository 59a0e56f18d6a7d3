//! Test harness: every test gets its own app on port 0 and its own fresh database.
//!
//! SQLite (a temporary file) by default; PostgreSQL when `TEST_DATABASE_URL=postgres://…` is
//! set, in which case each test creates its own database on that server and drops it after.

use std::{net::TcpListener, sync::Arc};

use cssd::{
    AppState, Application, Config,
    testing::{ScratchDatabase, random_suffix},
};
use reqwest::{Method, StatusCode};
use serde_json::Value;
use tokio::sync::oneshot;

/// The administrator every test app starts with.
pub const ADMIN_EMAIL: &str = "admin@example.org";
pub const ADMIN_PASSWORD: &str = "admin-password-1";

/// A running app and a client to talk to it. Requests made through it carry the
/// administrator's token; use [`TestApp::anonymous`] or [`TestApp::with_token`] for others.
pub struct TestApp {
    pub base: String,
    /// The metrics address (`http://…`), when the app was configured with one.
    pub metrics: Option<String>,
    pub client: reqwest::Client,
    pub state: AppState,
    pub admin_token: String,
    shutdown: Option<oneshot::Sender<()>>,
    /// Shared by the instances of [`TestApp::another_instance`]; dropped with the last.
    database: Arc<ScratchDatabase>,
}

/// A response, read whole.
#[derive(Debug)]
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
    pub text: String,
}

impl TestResponse {
    /// The `Content-Type` header, or "".
    pub fn content_type(&self) -> &str {
        self.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// Asserts this is a problem+json error with the given status, and returns it.
    #[track_caller]
    pub fn assert_problem(&self, status: u16) -> &Value {
        assert_eq!(
            self.status.as_u16(),
            status,
            "unexpected status; body: {}",
            self.text
        );
        assert!(
            self.content_type().starts_with("application/problem+json"),
            "an error must be problem+json, got {:?}: {}",
            self.content_type(),
            self.text
        );
        for key in ["type", "title", "status", "detail"] {
            assert!(
                self.body.get(key).is_some(),
                "problem lacks {key}: {}",
                self.text
            );
        }
        assert_eq!(self.body["status"], status);
        &self.body
    }

    /// The message the problem gives for `field`, if any.
    pub fn field_error(&self, field: &str) -> Option<String> {
        self.body["errors"]
            .as_array()?
            .iter()
            .find(|e| e["field"] == field)
            .and_then(|e| e["message"].as_str().map(str::to_owned))
    }
}

async fn fresh_database() -> (String, ScratchDatabase) {
    let admin_url = std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|u| u.starts_with("postgres"));
    // `build.rs` marks the tests for one database when they are built; cargo rebuilds them when
    // TEST_DATABASE_URL changes, so the two agree unless a test binary is run by hand.
    assert_eq!(
        admin_url.is_some(),
        cfg!(test_db_postgres),
        "the tests were built for another database than TEST_DATABASE_URL names: rebuild them"
    );
    let (database, url) = ScratchDatabase::create(admin_url, "cssd_test").await;
    (url, database)
}

/// The Monday at least `days_ago` days before today whose week has no public holiday (a date
/// for workshops that have ended).
pub fn past_monday(days_ago: u64) -> String {
    use chrono::{Datelike, Days, Utc};
    let mut date = Utc::now().date_naive() - Days::new(days_ago);
    loop {
        let holidays = cssd::domain::holidays::public_holidays(date.year());
        let week_is_free = !holidays
            .iter()
            .any(|(d, _)| *d >= date && *d < date + Days::new(5));
        if date.weekday() == chrono::Weekday::Mon && week_is_free {
            return date.to_string();
        }
        date = date - Days::new(1);
    }
}

/// The Monday at least a week from today whose week has no public holiday (a date for
/// workshops that have not started, running Monday to Friday).
pub fn future_monday() -> String {
    use chrono::{Datelike, Days, Utc};
    let mut date = Utc::now().date_naive() + Days::new(7);
    loop {
        let holidays = cssd::domain::holidays::public_holidays(date.year());
        let next_year = cssd::domain::holidays::public_holidays(date.year() + 1);
        let week_is_free = !holidays
            .iter()
            .chain(&next_year)
            .any(|(d, _)| *d >= date && *d < date + Days::new(5));
        if date.weekday() == chrono::Weekday::Mon && week_is_free {
            return date.to_string();
        }
        date = date + Days::new(1);
    }
}

/// The configuration every test app starts from.
pub fn test_config(database_url: String) -> Config {
    let mut config = Config::with_defaults();
    config.database_url = database_url;
    config.db_max_connections = 8;
    config.outbox_dir = std::env::temp_dir().join(format!("cssd-outbox-{}", random_suffix()));
    config.admin_email = Some(ADMIN_EMAIL.into());
    config.admin_password = Some(ADMIN_PASSWORD.into());
    // A committed test key: generating an RSA key per test app would cost every test time.
    config.signing_key_file = Some(signing_key_fixture());
    config
}

/// The committed RSA key the test apps sign credentials with (tests that exercise key
/// generation and rotation unset it).
pub fn signing_key_fixture() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/signing-key.pem")
}

/// Starts an app on a fresh database.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Starts an app on a fresh database, after letting `adjust` change its configuration.
pub async fn spawn_app_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
    let (url, database) = fresh_database().await;
    let mut config = test_config(url);
    adjust(&mut config);
    let mut app = serve(config, Arc::new(database)).await;
    app.admin_token = app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    app
}

/// Builds and runs an app (without logging in).
async fn serve(config: Config, database: Arc<ScratchDatabase>) -> TestApp {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind port 0");
    let app = Application::build(config, listener)
        .await
        .expect("build app");
    let base = format!("http://{}", app.local_addr());
    let metrics = app.metrics_addr().map(|a| format!("http://{a}"));
    let state = app.state().clone();
    let (tx, rx) = oneshot::channel::<()>();
    tokio::spawn(app.run(async {
        let _ = rx.await;
    }));
    TestApp {
        base,
        metrics,
        client: reqwest::Client::new(),
        state,
        admin_token: String::new(),
        shutdown: Some(tx),
        database,
    }
}

impl TestApp {
    /// Starts a second instance on this app's database, as a second server process would run:
    /// its own connection pool, token cache, login throttle and mail worker. Its requests carry
    /// the administrator session opened on this one.
    pub async fn another_instance(&self, adjust: impl FnOnce(&mut Config)) -> TestApp {
        let mut config = test_config(self.state.config.database_url.clone());
        adjust(&mut config);
        let mut app = serve(config, self.database.clone()).await;
        app.admin_token = self.admin_token.clone();
        app
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        let _ = &self.database;
    }
}

/// Requests made with one caller's credentials (or none).
pub struct As<'a> {
    app: &'a TestApp,
    token: Option<String>,
}

impl As<'_> {
    /// Downloads bytes with this caller's credentials: (status, body).
    pub async fn client_get_bytes(&self, path: &str) -> (u16, Vec<u8>) {
        let mut req = self.app.client.get(format!("{}{path}", self.app.base));
        if let Some(token) = &self.token {
            req = req.bearer_auth(token);
        }
        let resp = req.send().await.expect("request sent");
        (resp.status().as_u16(), resp.bytes().await.unwrap().to_vec())
    }

    /// Sends a request with an optional JSON body.
    pub async fn request(&self, method: Method, path: &str, body: Option<Value>) -> TestResponse {
        let mut req = self
            .app
            .client
            .request(method, format!("{}{path}", self.app.base));
        if let Some(token) = &self.token {
            req = req.bearer_auth(token);
        }
        if let Some(body) = body {
            req = req.json(&body);
        }
        read(req.send().await.expect("request sent")).await
    }

    /// Sends a raw body with the given content type.
    pub async fn request_raw(
        &self,
        method: Method,
        path: &str,
        content_type: &str,
        body: &str,
    ) -> TestResponse {
        let mut req = self
            .app
            .client
            .request(method, format!("{}{path}", self.app.base))
            .header("content-type", content_type)
            .body(body.to_owned());
        if let Some(token) = &self.token {
            req = req.bearer_auth(token);
        }
        read(req.send().await.expect("request sent")).await
    }

    pub async fn get(&self, path: &str) -> TestResponse {
        self.request(Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> TestResponse {
        self.request(Method::POST, path, Some(body)).await
    }

    pub async fn patch(&self, path: &str, body: Value) -> TestResponse {
        self.request(Method::PATCH, path, Some(body)).await
    }

    pub async fn put(&self, path: &str, body: Value) -> TestResponse {
        self.request(Method::PUT, path, Some(body)).await
    }

    pub async fn delete(&self, path: &str) -> TestResponse {
        self.request(Method::DELETE, path, None).await
    }
}

impl TestApp {
    /// Requests as the administrator.
    pub fn admin(&self) -> As<'_> {
        As {
            app: self,
            token: Some(self.admin_token.clone()),
        }
    }

    /// Requests without credentials.
    pub fn anonymous(&self) -> As<'_> {
        As {
            app: self,
            token: None,
        }
    }

    /// Requests with this bearer token.
    pub fn with_token(&self, token: &str) -> As<'_> {
        As {
            app: self,
            token: Some(token.to_owned()),
        }
    }

    /// Logs in and returns the session token (panics if the login fails).
    pub async fn login(&self, email: &str, password: &str) -> String {
        let body = serde_json::json!({"email": email, "password": password});
        let resp = self.anonymous().post("/api/v1/auth/login", body).await;
        assert_eq!(resp.status, 200, "login of {email} failed: {}", resp.text);
        resp.body["token"].as_str().unwrap().to_owned()
    }

    /// Creates a user with this role (and optional participant record) and returns a session
    /// token for them.
    pub async fn user_token(&self, role: &str, email: &str, participant_id: Option<i64>) -> String {
        let password = "a-long-password";
        let body = serde_json::json!({
            "name": email, "email": email, "role": role,
            "password": password, "participant_id": participant_id,
        });
        let resp = self.post("/api/v1/users", body).await;
        assert_eq!(resp.status, 201, "creating {email}: {}", resp.text);
        self.login(email, password).await
    }

    /// Creates an API key with these scopes and returns the key.
    pub async fn api_key(&self, scopes: &[&str]) -> String {
        let body = serde_json::json!({"name": scopes.join("+"), "scopes": scopes});
        let resp = self.post("/api/v1/api-keys", body).await;
        assert_eq!(resp.status, 201, "creating key: {}", resp.text);
        resp.body["key"].as_str().unwrap().to_owned()
    }

    pub async fn request(&self, method: Method, path: &str, body: Option<Value>) -> TestResponse {
        self.admin().request(method, path, body).await
    }

    pub async fn request_raw(
        &self,
        method: Method,
        path: &str,
        content_type: &str,
        body: &str,
    ) -> TestResponse {
        self.admin()
            .request_raw(method, path, content_type, body)
            .await
    }

    pub async fn get(&self, path: &str) -> TestResponse {
        self.admin().get(path).await
    }

    pub async fn post(&self, path: &str, body: Value) -> TestResponse {
        self.admin().post(path, body).await
    }

    pub async fn patch(&self, path: &str, body: Value) -> TestResponse {
        self.admin().patch(path, body).await
    }

    pub async fn put(&self, path: &str, body: Value) -> TestResponse {
        self.admin().put(path, body).await
    }

    pub async fn delete(&self, path: &str) -> TestResponse {
        self.admin().delete(path).await
    }

    /// Creates a participant and returns its id.
    pub async fn participant(&self, full_name: &str) -> i64 {
        let body =
            serde_json::json!({"full_name": full_name, "target_group": "community_champion"});
        let resp = self.post("/api/v1/participants", body).await;
        assert_eq!(resp.status, 201, "creating participant: {}", resp.text);
        resp.body["id"].as_i64().unwrap()
    }

    /// Creates a course with `days` days and returns its id.
    pub async fn course(&self, code: &str, days: i32) -> i64 {
        let body = serde_json::json!({
            "code": code, "title": format!("Course {code}"), "duration_days": days,
            "topics": ["Roles", "Processes", "Engagement", "Trust", "Champions"],
        });
        let resp = self.post("/api/v1/courses", body).await;
        assert_eq!(resp.status, 201, "creating course: {}", resp.text);
        resp.body["id"].as_i64().unwrap()
    }

    /// Schedules a ToT workshop of `course_id` starting on `start` and returns it.
    pub async fn workshop(&self, course_id: i64, start: &str, capacity: i32) -> Value {
        let body = serde_json::json!({
            "course_id": course_id, "level": "tot", "venue": "Town House, Harare",
            "start_date": start, "capacity": capacity,
        });
        let resp = self.post("/api/v1/workshops", body).await;
        assert_eq!(resp.status, 201, "creating workshop: {}", resp.text);
        resp.body
    }

    /// A completed past workshop of course `course_id` (level, parent and trainers as given)
    /// where each named participant attended every day and scored `post_test` out of 100 (None:
    /// attended only one day and sat no test). Returns the workshop id and, per name, the
    /// (participant id, enrolment id).
    pub async fn completed_workshop(
        &self,
        course_id: i64,
        level: &str,
        parent: Option<i64>,
        trainer_ids: &[i64],
        people: &[(&str, Option<f64>)],
    ) -> (i64, Vec<(i64, i64)>) {
        self.completed_workshop_from("2026-03-02", course_id, level, parent, trainer_ids, people)
            .await
    }

    /// [`TestApp::completed_workshop`] starting on `start` (a past working day).
    pub async fn completed_workshop_from(
        &self,
        start: &str,
        course_id: i64,
        level: &str,
        parent: Option<i64>,
        trainer_ids: &[i64],
        people: &[(&str, Option<f64>)],
    ) -> (i64, Vec<(i64, i64)>) {
        let body = serde_json::json!({
            "course_id": course_id, "level": level, "parent_workshop_id": parent,
            "venue": "Town House, Harare", "start_date": start, "trainer_ids": trainer_ids,
        });
        let w = self.post("/api/v1/workshops", body).await;
        assert_eq!(w.status, 201, "creating workshop: {}", w.text);
        let id = w.body["id"].as_i64().unwrap();
        let mut ids = vec![];
        let (mut marks, mut scores) = (vec![], vec![]);
        for (name, post_test) in people {
            let p = self.participant(name).await;
            let e = self
                .post(
                    &format!("/api/v1/workshops/{id}/enrolments"),
                    serde_json::json!({"participant_id": p}),
                )
                .await;
            let e = e.body["id"].as_i64().unwrap();
            let days = if post_test.is_some() { 5 } else { 1 };
            for day in 1..=days {
                marks.push(serde_json::json!({"enrolment_id": e, "day": day, "status": "present"}));
            }
            if let Some(score) = post_test {
                scores.push(serde_json::json!({"enrolment_id": e, "kind": "post_test", "score": score, "max_score": 100}));
            }
            ids.push((p, e));
        }
        let resp = self
            .put(
                &format!("/api/v1/workshops/{id}/attendance"),
                serde_json::json!({"records": marks}),
            )
            .await;
        assert_eq!(resp.status, 200, "{}", resp.text);
        if !scores.is_empty() {
            let resp = self
                .put(
                    &format!("/api/v1/workshops/{id}/assessments"),
                    serde_json::json!({"records": scores}),
                )
                .await;
            assert_eq!(resp.status, 200, "{}", resp.text);
        }
        let resp = self
            .post(
                &format!("/api/v1/workshops/{id}/complete"),
                serde_json::json!({}),
            )
            .await;
        assert_eq!(resp.status, 200, "{}", resp.text);
        (id, ids)
    }

    /// Downloads bytes (e.g. a PDF) as the administrator.
    pub async fn bytes(&self, path: &str) -> (StatusCode, String, Vec<u8>) {
        let resp = self
            .client
            .get(format!("{}{path}", self.base))
            .bearer_auth(&self.admin_token)
            .send()
            .await
            .unwrap();
        let status = resp.status();
        let ct = resp
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        (status, ct, resp.bytes().await.unwrap().to_vec())
    }

    /// Seeds the demo data into this app's database.
    pub async fn seed_demo(&self) {
        cssd::demo::seed(&self.state).await.expect("demo seed");
    }
}

async fn read(resp: reqwest::Response) -> TestResponse {
    let status = resp.status();
    let headers = resp.headers().clone();
    let text = resp.text().await.expect("body read");
    let body = serde_json::from_str(&text).unwrap_or(Value::Null);
    TestResponse {
        status,
        headers,
        body,
        text,
    }
}

/// Polls `check` every 20 ms until it holds, failing once `limit` has passed: a deadline for
/// something that must happen, never a speed target.
pub async fn within<F, Fut>(limit: std::time::Duration, what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let started = std::time::Instant::now();
    loop {
        if check().await {
            return;
        }
        assert!(started.elapsed() < limit, "{what}: not within {limit:?}");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

/// [`within`] with a generous 30 s deadline, for background work (mail, jobs) that must
/// happen soon.
pub async fn eventually<F, Fut>(what: &str, check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    within(std::time::Duration::from_secs(30), what, check).await;
}
