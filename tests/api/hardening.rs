//! What an outside security review broke, each finding as a test that failed before its fix:
//! body limits, idempotency after authentication and without secrets, CSV formula injection,
//! parallel login guessing, hostile text and dates, huge offsets, security headers, a database
//! file that went away, and clients that stop sending.

use std::time::Duration;

use futures_util::stream;
use reqwest::{Method, StatusCode};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::helpers::{ADMIN_EMAIL, spawn_app, spawn_app_with};

/// A body of `len` bytes sent without a `Content-Length` (chunked), so the server only learns
/// its size by reading it.
fn chunked(len: usize) -> reqwest::Body {
    let chunk = bytes::Bytes::from(vec![b' '; 16 * 1024]);
    let chunks = len / chunk.len() + 1;
    reqwest::Body::wrap_stream(stream::iter(
        (0..chunks).map(move |_| Ok::<_, std::io::Error>(chunk.clone())),
    ))
}

async fn problem(resp: reqwest::Response) -> (StatusCode, Value) {
    let status = resp.status();
    let ct = resp
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let body: Value = resp.json().await.unwrap_or(Value::Null);
    assert!(
        ct.starts_with("application/problem+json"),
        "expected problem+json, got {ct:?}: {body}"
    );
    (status, body)
}

#[tokio::test]
async fn an_oversized_body_is_413_with_or_without_credentials_and_without_reading_it() {
    let app = spawn_app_with(|c| {
        c.max_json_bytes = 2048;
        c.max_csv_bytes = 8192;
    })
    .await;
    let url = |path: &str| format!("{}{path}", app.base);
    let big_json = format!("[{}]", "1,".repeat(4000) + "1");

    // Declared length over the limit: refused at once, credentials or not.
    for token in [None, Some(app.admin_token.clone())] {
        let mut req = app
            .client
            .post(url("/api/v1/organisations"))
            .header("content-type", "application/json")
            .body(big_json.clone());
        if let Some(t) = &token {
            req = req.bearer_auth(t);
        }
        let (status, body) = problem(req.send().await.unwrap()).await;
        assert_eq!(status, 413, "{body}");
        assert!(body["detail"].as_str().unwrap().contains("2048"), "{body}");
    }
    // The public login, streamed without a length: refused once the limit is passed.
    let resp = app
        .client
        .post(url("/api/v1/auth/login"))
        .header("content-type", "application/json")
        .body(chunked(64 * 1024))
        .send()
        .await
        .unwrap();
    assert_eq!(problem(resp).await.0, 413);
    // Without credentials a streamed body is never read: 401 first.
    let resp = app
        .client
        .post(url("/api/v1/organisations"))
        .header("content-type", "application/json")
        .header("Idempotency-Key", "no-token")
        .body(chunked(64 * 1024))
        .send()
        .await
        .unwrap();
    assert_eq!(problem(resp).await.0, 401);
    // CSV imports have their own, larger limit.
    let csv = format!(
        "full_name,target_group\n{}",
        "Tendai Moyo,ratepayer\n".repeat(200)
    );
    assert!(csv.len() > 2048 && csv.len() < 8192);
    let ok = app
        .request_raw(
            Method::POST,
            "/api/v1/participants/import",
            "text/csv",
            &csv,
        )
        .await;
    assert_eq!(ok.status, 200, "{}", ok.text);
    let too_big = app
        .request_raw(
            Method::POST,
            "/api/v1/participants/import",
            "text/csv",
            &csv.repeat(3),
        )
        .await;
    too_big.assert_problem(413);
    assert_eq!(
        app.get("/api/v1/organisations").await.body["total"],
        0,
        "nothing was created"
    );
}

async fn idempotency_rows(app: &crate::helpers::TestApp) -> Vec<(String, Option<Vec<u8>>)> {
    let db = &app.state.db;
    db.query_all_raw(Statement::from_string(
        db.get_database_backend(),
        "SELECT scope, response_body FROM idempotency_record",
    ))
    .await
    .unwrap()
    .into_iter()
    .map(|row| {
        (
            row.try_get::<String>("", "scope").unwrap(),
            row.try_get::<Option<Vec<u8>>>("", "response_body").unwrap(),
        )
    })
    .collect()
}

#[tokio::test]
async fn idempotency_is_per_caller_and_a_replay_checks_the_credentials_again() {
    let app = spawn_app().await;
    let post = |token: Option<String>, key: &'static str, name: &'static str| {
        let mut req = app
            .client
            .post(format!("{}/api/v1/organisations", app.base))
            .header("Idempotency-Key", key)
            .json(&json!({"name": name, "kind": "other"}));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        req.send()
    };
    // No credentials: 401, and no record is kept.
    assert_eq!(post(None, "k1", "Epworth").await.unwrap().status(), 401);
    assert_eq!(
        post(Some("cssd_s_bogus".into()), "k1", "Epworth")
            .await
            .unwrap()
            .status(),
        401
    );
    assert!(idempotency_rows(&app).await.is_empty());

    // A key's first request, replayed while the key is live; 401 once it is revoked.
    let created = app
        .post(
            "/api/v1/api-keys",
            json!({"name": "partner", "scopes": ["admin"]}),
        )
        .await;
    let key = created.body["key"].as_str().unwrap().to_owned();
    let key_id = created.body["id"].as_i64().unwrap();
    let first = post(Some(key.clone()), "k1", "Epworth").await.unwrap();
    assert_eq!(first.status(), 201);
    let replay = post(Some(key.clone()), "k1", "Epworth").await.unwrap();
    assert_eq!(replay.status(), 201);
    assert_eq!(replay.headers()["idempotent-replayed"], "true");
    // Another caller with the same key is another request altogether.
    let other = post(Some(app.admin_token.clone()), "k1", "Epworth")
        .await
        .unwrap();
    assert_eq!(other.status(), 409, "the name is taken, not replayed");
    assert!(other.headers().get("idempotent-replayed").is_none());

    assert_eq!(
        app.delete(&format!("/api/v1/api-keys/{key_id}"))
            .await
            .status,
        204
    );
    let after_revoke = post(Some(key), "k1", "Epworth").await.unwrap();
    assert_eq!(problem(after_revoke).await.0, 401);
}

#[tokio::test]
async fn no_session_token_or_api_key_is_stored_anywhere_in_clear() {
    let app = spawn_app().await;
    let login = app
        .client
        .post(format!("{}/api/v1/auth/login", app.base))
        .bearer_auth(&app.admin_token)
        .header("Idempotency-Key", "login-1")
        .json(&json!({"email": ADMIN_EMAIL, "password": crate::helpers::ADMIN_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 200);
    assert_eq!(
        login.headers()["cache-control"],
        "no-store",
        "a token is never cached"
    );
    let token = login.json::<Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned();

    let create_key = || {
        app.client
            .post(format!("{}/api/v1/api-keys", app.base))
            .bearer_auth(&app.admin_token)
            .header("Idempotency-Key", "key-1")
            .json(&json!({"name": "partner", "scopes": ["read"]}))
            .send()
    };
    let created: Value = create_key().await.unwrap().json().await.unwrap();
    let key = created["key"].as_str().unwrap().to_owned();
    // A retry creates no second key, and cannot show the secret again.
    let (status, body) = problem(create_key().await.unwrap()).await;
    assert_eq!(status, 409);
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .contains(&format!("API key {}", created["id"])),
        "{body}"
    );
    assert_eq!(app.get("/api/v1/api-keys").await.body["total"], 1);

    for (_, response) in idempotency_rows(&app).await {
        let response =
            String::from_utf8_lossy(response.as_deref().unwrap_or_default()).into_owned();
        assert!(!response.contains(&token) && !response.contains(&key));
    }
    if app.state.db.get_database_backend() == sea_orm::DbBackend::Sqlite {
        let file = app
            .state
            .db
            .get_sqlite_connection_pool()
            .connect_options()
            .get_filename()
            .to_path_buf();
        for suffix in ["", "-wal", "-shm"] {
            let path = format!("{}{suffix}", file.display());
            let Ok(bytes) = std::fs::read(&path) else {
                continue;
            };
            for secret in [&token, &key] {
                assert!(
                    !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                    "a secret is stored in clear in {path}"
                );
            }
        }
    }
}

/// Reads a CSV export and returns its cells (the byte-order mark checked and dropped).
fn cells(text: &str) -> Vec<Vec<String>> {
    let text = text
        .strip_prefix('\u{feff}')
        .expect("CSV exports start with a byte-order mark");
    assert!(text.contains("\r\n") && !text.replace("\r\n", "").contains('\n'));
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

#[tokio::test]
async fn every_csv_export_neutralises_formulas() {
    let app = spawn_app().await;
    let org = app
        .post(
            "/api/v1/organisations",
            json!({"name": "=1+1 Council", "kind": "local_authority"}),
        )
        .await;
    let org = org.body["id"].as_i64().unwrap();
    let course = app.course("INJ", 5).await;
    let w = app
        .post(
            "/api/v1/workshops",
            json!({"course_id": course, "level": "tot", "venue": "=1+1",
                   "start_date": "2026-03-02", "organisation_id": org}),
        )
        .await;
    let w = w.body["id"].as_i64().unwrap();
    let names = [
        "=HYPERLINK(\"http://evil.test\",\"y\")",
        "@SUM(1+1)",
        "+cmd|' /C calc'!A0",
        "-2+3 Moyo",
    ];
    let (mut marks, mut scores) = (vec![], vec![]);
    for name in names {
        let p = app
            .post(
                "/api/v1/participants",
                json!({"full_name": name, "target_group": "ratepayer", "organisation_id": org}),
            )
            .await;
        assert_eq!(p.status, 201, "{}", p.text);
        let e = app
            .post(
                &format!("/api/v1/workshops/{w}/enrolments"),
                json!({"participant_id": p.body["id"]}),
            )
            .await;
        let e = e.body["id"].as_i64().unwrap();
        for day in 1..=5 {
            marks.push(json!({"enrolment_id": e, "day": day, "status": "present"}));
        }
        scores.push(json!({"enrolment_id": e, "kind": "post_test", "score": 90, "max_score": 100}));
    }
    app.put(
        &format!("/api/v1/workshops/{w}/attendance"),
        json!({"records": marks}),
    )
    .await;
    app.put(
        &format!("/api/v1/workshops/{w}/assessments"),
        json!({"records": scores}),
    )
    .await;
    app.post(&format!("/api/v1/workshops/{w}/complete"), json!({}))
        .await;
    let issued = app
        .post(&format!("/api/v1/workshops/{w}/certificates"), json!({}))
        .await;
    assert_eq!(issued.body["issued"].as_array().unwrap().len(), 4);

    for path in [
        format!("/api/v1/workshops/{w}/attendance.csv"),
        format!("/api/v1/workshops/{w}/roster.csv"),
        "/api/v1/certificates.csv".to_owned(),
        "/api/v1/reports/summary.csv".to_owned(),
    ] {
        let resp = app.get(&path).await;
        assert_eq!(resp.status, 200, "{path}");
        let cells = cells(&resp.text);
        for cell in cells.iter().flatten() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{path}: the cell {cell:?} would run as a formula"
            );
        }
        let all: Vec<&String> = cells.iter().flatten().collect();
        let expected: Vec<String> = match path.as_str() {
            "/api/v1/reports/summary.csv" => vec!["'=1+1 Council".into()],
            p if p.ends_with("certificates.csv") => names.iter().map(|n| format!("'{n}")).collect(),
            _ => names.iter().map(|n| format!("'{n}")).collect(),
        };
        for want in expected {
            assert!(all.contains(&&want), "{path}: {want:?} not in {all:?}");
        }
    }
}

#[tokio::test]
async fn forty_parallel_wrong_passwords_get_at_most_five_checks() {
    let app = spawn_app().await;
    let attempts = (0..40).map(|i| {
        let client = app.client.clone();
        let url = format!("{}/api/v1/auth/login", app.base);
        async move {
            client
                .post(url)
                .json(&json!({"email": ADMIN_EMAIL, "password": format!("wrong-password-{i}")}))
                .send()
                .await
                .unwrap()
        }
    });
    let responses = futures_util::future::join_all(attempts).await;
    let unauthorized = responses.iter().filter(|r| r.status() == 401).count();
    let throttled: Vec<_> = responses.iter().filter(|r| r.status() == 429).collect();
    assert!(unauthorized <= 5, "{unauthorized} passwords were checked");
    assert_eq!(unauthorized + throttled.len(), 40);
    assert!(
        throttled
            .iter()
            .all(|r| r.headers().contains_key("retry-after"))
    );
}

#[tokio::test]
async fn offsets_beyond_their_range_are_422_on_every_list() {
    let app = spawn_app().await;
    let spec = app.anonymous().get("/openapi.json").await.body;
    let mut checked = 0;
    for (path, item) in spec["paths"].as_object().unwrap() {
        let Some(op) = item.get("get") else { continue };
        let takes_offset = op["parameters"]
            .as_array()
            .is_some_and(|ps| ps.iter().any(|p| p["name"] == "offset"));
        if !takes_offset {
            continue;
        }
        let concrete = path.replace("{id}", "1");
        for offset in ["18446744073709551615", "9223372036854775807", "1000000001"] {
            let resp = app.get(&format!("{concrete}?offset={offset}")).await;
            resp.assert_problem(422);
            assert!(
                resp.field_error("offset").is_some(),
                "{path}: {}",
                resp.text
            );
        }
        checked += 1;
    }
    assert!(checked >= 12, "only {checked} lists take an offset");
}

#[tokio::test]
async fn dates_outside_2000_to_2100_are_422() {
    let app = spawn_app().await;
    let course = app.course("DAT", 5).await;
    for date in ["0000-01-03", "+10000-01-03", "1999-12-31", "2101-01-03"] {
        let resp = app
            .post(
                "/api/v1/workshops",
                json!({"course_id": course, "level": "tot", "venue": "Hall", "start_date": date}),
            )
            .await;
        resp.assert_problem(422);
        assert!(
            resp.field_error("start_date").is_some(),
            "{date}: {}",
            resp.text
        );
        for path in ["/api/v1/workshops", "/api/v1/reports/summary"] {
            let query = date.replace('+', "%2B");
            let resp = app.get(&format!("{path}?from={query}")).await;
            resp.assert_problem(422);
            assert!(
                resp.field_error("from").is_some(),
                "{path} {date}: {}",
                resp.text
            );
        }
    }
    assert_eq!(app.get("/api/v1/workshops").await.body["total"], 0);
}

#[tokio::test]
async fn bidi_and_invisible_characters_are_422_naming_the_character() {
    let app = spawn_app().await;
    let cases = [
        (
            "/api/v1/participants",
            json!({"full_name": "Tendai \u{202E}fdp.exe", "target_group": "ratepayer"}),
            "full_name",
            "U+202E (right-to-left override)",
        ),
        (
            "/api/v1/participants",
            json!({"full_name": "Rudo", "ward": "Ward\u{200B}7", "target_group": "ratepayer"}),
            "ward",
            "U+200B (zero-width space)",
        ),
        (
            "/api/v1/organisations",
            json!({"name": "Harare\u{2066} City", "kind": "other"}),
            "name",
            "U+2066 (left-to-right isolate)",
        ),
        (
            "/api/v1/courses",
            json!({"code": "ZW", "title": "Care\u{FEFF}", "topics": ["a"]}),
            "title",
            "U+FEFF (zero-width no-break space)",
        ),
        (
            "/api/v1/courses",
            json!({"code": "ZW", "title": "Care", "topics": ["one\u{2028}two"]}),
            "topics[0]",
            "U+2028 (line separator)",
        ),
    ];
    for (path, body, field, named) in cases {
        let resp = app.post(path, body).await;
        resp.assert_problem(422);
        let message = resp.field_error(field).unwrap_or_default();
        assert!(message.contains(named), "{path} {field}: {}", resp.text);
    }
    // The same rule in a CSV import (that row refused, by line) and a search filter.
    let report = app
        .request_raw(
            Method::POST,
            "/api/v1/participants/import",
            "text/csv",
            "full_name,target_group\r\nRudo Dube,ratepayer\r\nTendai \u{202E}fdp,ratepayer\r\n",
        )
        .await;
    assert_eq!(report.status, 200, "{}", report.text);
    assert_eq!(report.body["created"], 1);
    assert_eq!(report.body["errors"][0]["line"], 3);
    assert!(
        report.body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("U+202E")
    );
    app.get("/api/v1/participants?q=Ru%E2%80%8Bdo")
        .await
        .assert_problem(422);
    assert_eq!(app.get("/api/v1/organisations").await.body["total"], 0);
    assert_eq!(app.get("/api/v1/courses").await.body["total"], 0);
}

#[tokio::test]
async fn undeliverable_emails_and_weak_passwords_are_refused_with_the_reason() {
    let app = spawn_app().await;
    let resp = app
        .post(
            "/api/v1/participants",
            json!({"full_name": "Rudo", "email": "a@[127.0.0.1]", "target_group": "ratepayer"}),
        )
        .await;
    resp.assert_problem(422);
    assert!(resp.field_error("email").unwrap().contains("domain"));
    for (password, reason) in [
        ("          ", "white space"),
        ("password12", "common"),
        ("short", "at least 10"),
    ] {
        let resp = app
            .post(
                "/api/v1/users",
                json!({"name": "T", "email": "t@example.org", "role": "trainer", "password": password}),
            )
            .await;
        resp.assert_problem(422);
        assert!(
            resp.field_error("password").unwrap().contains(reason),
            "{password:?}: {}",
            resp.text
        );
    }
    assert_eq!(app.get("/api/v1/users").await.body["total"], 1);
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = spawn_app().await;
    let get = |path: &'static str, token: bool| {
        let mut req = app.client.get(format!("{}{path}", app.base));
        if token {
            req = req.bearer_auth(&app.admin_token);
        }
        req.send()
    };
    for (path, token) in [
        ("/health", false),
        ("/api/v1/courses", true),
        ("/api/v1/courses", false),
        ("/api/v1/nothing-here", true),
        ("/docs", false),
    ] {
        let resp = get(path, token).await.unwrap();
        let h = resp.headers();
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["referrer-policy"], "no-referrer", "{path}");
        if path.starts_with("/api/") {
            assert_eq!(h["cache-control"], "no-store", "{path}");
        }
    }
    let docs = get("/docs", false).await.unwrap();
    let csp = docs.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.contains("script-src 'self' 'sha256-"), "{csp}");
    assert!(
        !csp.contains("unsafe-inline") && !csp.contains("http"),
        "{csp}"
    );
}

#[tokio::test]
async fn overlong_uris_and_bad_verification_codes_answer_with_problem_bodies() {
    let app = spawn_app().await;
    let long = format!("/api/v1/courses?x={}", "a".repeat(9000));
    app.get(&long).await.assert_problem(414);
    for code in ["bad", "%00", &"z".repeat(300), "..%2F..%2Fetc"] {
        let resp = app.anonymous().get(&format!("/api/v1/verify/{code}")).await;
        assert!(
            [400, 404, 422].contains(&resp.status.as_u16()),
            "{code}: {}",
            resp.status
        );
        resp.assert_problem(resp.status.as_u16());
    }
}

#[tokio::test]
#[cfg_attr(
    test_db_postgres,
    ignore = "SQLite only: PostgreSQL has no database file to delete"
)]
async fn a_deleted_database_file_is_noticed_by_health_and_writes() {
    let app = spawn_app().await;
    let file = app
        .state
        .db
        .get_sqlite_connection_pool()
        .connect_options()
        .get_filename()
        .to_path_buf();
    std::fs::remove_file(&file).unwrap();
    let health = app.get("/health").await;
    assert_eq!(health.status, 503, "{}", health.text);
    assert_eq!(health.body["database"], "unreachable");
    for _ in 0..5 {
        let resp = app
            .post(
                "/api/v1/organisations",
                json!({"name": "Epworth Local Board", "kind": "local_authority"}),
            )
            .await;
        resp.assert_problem(503);
    }
    app.get("/api/v1/courses").await.assert_problem(503);
    assert!(!file.exists(), "no new database file was created");
}

#[tokio::test]
async fn a_client_that_stops_sending_its_headers_is_disconnected() {
    let app = spawn_app_with(|c| c.header_read_timeout = Duration::from_secs(1)).await;
    let addr = app.base.trim_start_matches("http://").to_owned();
    let mut socket = tokio::net::TcpStream::connect(&addr).await.unwrap();
    socket
        .write_all(b"GET /api/v1/courses HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        .await
        .unwrap();
    // The server must close the connection; wait for it with a generous deadline.
    let mut buf = [0u8; 1024];
    let closed = tokio::time::timeout(Duration::from_secs(20), async {
        loop {
            match socket.read(&mut buf).await {
                Ok(0) | Err(_) => return true,
                Ok(_) => continue,
            }
        }
    })
    .await;
    assert_eq!(closed, Ok(true), "the half-sent request was never closed");
}

// --- Second review (issue 24) ------------------------------------------------------------

/// Reads from `socket` until the server closes it (or `deadline` passes): whether it closed.
async fn closed_by_server(socket: &mut tokio::net::TcpStream, deadline: Duration) -> bool {
    let mut buf = [0u8; 1024];
    tokio::time::timeout(deadline, async {
        loop {
            match socket.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(_) => continue,
            }
        }
    })
    .await
    .is_ok()
}

#[tokio::test]
async fn connections_that_never_finish_a_request_are_closed_in_every_phase() {
    let app = spawn_app_with(|c| c.idle_timeout = Duration::from_secs(1)).await;
    let addr = app.base.trim_start_matches("http://").to_owned();
    // An HTTP/2 (h2c) preface, then SETTINGS, then a HEADERS frame without END_HEADERS: the
    // request's headers never finish.
    let mut unfinished_h2 = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".to_vec();
    unfinished_h2.extend_from_slice(&[0, 0, 0, 0x4, 0, 0, 0, 0, 0]);
    unfinished_h2.extend_from_slice(&[0, 0, 1, 0x1, 0, 0, 0, 0, 1, 0x82]);
    let phases: [(&str, &[u8]); 4] = [
        ("silent after connecting", b""),
        ("half an HTTP/2 preface", b"PRI * HTTP/2.0\r\n"),
        ("an unfinished HTTP/2 request", &unfinished_h2),
        (
            "an idle keep-alive",
            b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n",
        ),
    ];
    for (phase, sent) in phases {
        let mut socket = tokio::net::TcpStream::connect(&addr).await.unwrap();
        socket.write_all(sent).await.unwrap();
        assert!(
            closed_by_server(&mut socket, Duration::from_secs(20)).await,
            "{phase}: still open"
        );
    }
}

#[tokio::test]
async fn health_answers_while_idle_connections_fill_every_slot() {
    let app = spawn_app_with(|c| {
        c.max_connections = 8;
        c.idle_timeout = Duration::from_secs(300);
    })
    .await;
    let addr = app.base.trim_start_matches("http://").to_owned();
    let mut idle = Vec::new();
    for _ in 0..24 {
        idle.push(tokio::net::TcpStream::connect(&addr).await.unwrap());
    }
    let health = tokio::time::timeout(
        Duration::from_secs(20),
        reqwest::Client::new()
            .get(format!("{}/health", app.base))
            .send(),
    )
    .await
    .expect("/health answered")
    .unwrap();
    assert_eq!(health.status(), 200);
    // Room was made by closing idle connections: at most 8 are served at once.
    let mut closed = 0;
    for socket in &mut idle {
        if closed_by_server(socket, Duration::from_millis(200)).await {
            closed += 1;
        }
    }
    assert!(
        closed >= 24 - 8,
        "only {closed} of 24 idle connections were closed"
    );
}

#[tokio::test]
async fn a_client_that_sends_its_whole_body_before_reading_still_gets_the_413() {
    let app = spawn_app().await;
    let addr = app.base.trim_start_matches("http://").to_owned();
    let body = vec![b' '; 4 * 1024 * 1024];
    for _ in 0..5 {
        let mut socket = tokio::net::TcpStream::connect(&addr).await.unwrap();
        let head = format!(
            "POST /api/v1/organisations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\n\r\n",
            body.len()
        );
        socket.write_all(head.as_bytes()).await.unwrap();
        // As Python's http.client does: the whole body, then the answer.
        socket.write_all(&body).await.expect("the body was taken");
        let mut answer = Vec::new();
        let _ = tokio::time::timeout(Duration::from_secs(20), socket.read_to_end(&mut answer))
            .await
            .expect("answered");
        let answer = String::from_utf8_lossy(&answer);
        assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    }
}

#[tokio::test]
async fn with_every_hashing_slot_taken_a_login_gets_503_with_retry_after() {
    let app = spawn_app_with(|c| c.hashing_wait = Duration::ZERO).await;
    let held = app.state.sign_in.hashing.occupy_all().await;
    let login = json!({"email": ADMIN_EMAIL, "password": crate::helpers::ADMIN_PASSWORD});
    let busy = app
        .anonymous()
        .post("/api/v1/auth/login", login.clone())
        .await;
    busy.assert_problem(503);
    assert!(busy.headers.get("retry-after").is_some());
    drop(held);
    // A refusal for lack of a slot is not a failed guess: the account is not locked.
    for _ in 0..5 {
        let held = app.state.sign_in.hashing.occupy_all().await;
        app.anonymous()
            .post("/api/v1/auth/login", login.clone())
            .await
            .assert_problem(503);
        drop(held);
    }
    let ok = app.anonymous().post("/api/v1/auth/login", login).await;
    assert_eq!(ok.status, 200, "{}", ok.text);
}

#[tokio::test]
async fn a_wrong_password_costs_one_argon2_run_whatever_the_account() {
    use sea_orm::{ActiveValue::Set, EntityTrait};
    let app = spawn_app().await;
    app.user_token("trainer", "trainer@example.org", None).await;
    // An account made by an email link has no password at all.
    let link_account = entity::app_user::ActiveModel {
        name: Set("Rudo Dube".into()),
        email: Set("rudo@example.org".into()),
        role: Set(entity::app_user::Role::Participant),
        password_hash: Set(cssd::services::accounts::NO_PASSWORD.into()),
        created_at: Set(chrono::Utc::now()),
        ..Default::default()
    };
    entity::app_user::Entity::insert(link_account)
        .exec(&app.state.db)
        .await
        .unwrap();
    for email in [
        "rudo@example.org",
        "trainer@example.org",
        "nobody@example.org",
    ] {
        let before = app.state.sign_in.hashing.runs();
        let resp = app
            .anonymous()
            .post(
                "/api/v1/auth/login",
                json!({"email": email, "password": "not-the-password"}),
            )
            .await;
        resp.assert_problem(401);
        assert_eq!(
            app.state.sign_in.hashing.runs(),
            before + 1,
            "{email}: a wrong password must cost one argon2 run"
        );
    }
}

#[tokio::test]
async fn under_https_every_page_and_error_carries_hsts_and_secure_cookies() {
    let app = spawn_app_with(|c| c.public_url = "https://training.example.org".into()).await;
    let client = reqwest::Client::new();
    for path in ["/health", "/api/v1/courses", "/portal"] {
        let resp = client
            .get(format!("{}{path}", app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(
            resp.headers()
                .get("strict-transport-security")
                .and_then(|v| v.to_str().ok()),
            Some("max-age=31536000"),
            "{path}"
        );
    }
    // The 403 page of a form without a valid CSRF token sets a fresh token: `Secure` too.
    let forbidden = client
        .post(format!("{}/portal/sign-in", app.base))
        .header("origin", "https://training.example.org")
        .form(&[("email", "a@example.org")])
        .send()
        .await
        .unwrap();
    assert_eq!(forbidden.status(), 403);
    let cookies: Vec<&str> = forbidden
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    assert!(!cookies.is_empty());
    assert!(
        cookies.iter().all(|c| c.contains("; Secure")),
        "{cookies:?}"
    );
    // Plain http: no HSTS.
    let plain = spawn_app().await;
    let resp = client
        .get(format!("{}/health", plain.base))
        .send()
        .await
        .unwrap();
    assert!(resp.headers().get("strict-transport-security").is_none());
}
