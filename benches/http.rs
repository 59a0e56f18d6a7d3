//! `cargo bench --bench http` — the real app over real HTTP, no harness.
//!
//! Starts the application in-process on 127.0.0.1:0 exactly as the tests do, on a fresh SQLite
//! file in the temp directory, or on a fresh PostgreSQL database created on the server named by
//! `BENCH_DATABASE_URL=postgres://user@host:5432/db` (dropped again at the end). Logs in as an
//! administrator over HTTP and measures, with a keep-alive reqwest client on loopback:
//!
//! 1. enrolment throughput: 2000 `POST /api/v1/workshops/{id}/enrolments` from 16 concurrent
//!    tasks over 10 workshops of 35 seats, checking every answer is 201 and every workshop ends
//!    with exactly min(35, requests) seats taken and the rest waitlisted;
//! 2. authenticated `GET /api/v1/workshops/{id}` from 16 concurrent tasks for 5 s (after 1 s of
//!    warm-up);
//! 3. one attendance register of 35 participants × 5 days (175 marks) written with
//!    `PUT /api/v1/workshops/{id}/attendance`, 30 times with alternating statuses;
//! 4. certificates for a whole workshop: 10 completed workshops of 35 who all passed, each issued
//!    its 35 certificates with one `POST /api/v1/workshops/{id}/certificates`.
//!
//! Every phase is bounded by a request count and a time limit.
//!
//! The load generator runs in the same process and on the same tokio runtime as the server, so
//! it competes with it for the machine's cores (2 on the development machine): the figures are
//! a lower bound. `scripts/bench-http.sh` is the alternative that drives the release binary with
//! `wrk` from outside.

use std::{
    net::TcpListener,
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use chrono::{Datelike, Days, NaiveDate, Utc, Weekday};
use cssd::{
    Application, Config,
    testing::{ScratchDatabase, random_suffix},
};
use reqwest::{Client, StatusCode, header};
use serde_json::{Value, json};
use tokio::sync::oneshot;

const ADMIN_EMAIL: &str = "bench-admin@example.org";
const ADMIN_PASSWORD: &str = "bench-admin-password";
const CONCURRENCY: usize = 16;
const WORKSHOPS: usize = 10;
const CAPACITY: i64 = 35;
const ENROLMENTS: usize = 2000;
const ENROLMENT_TIME_LIMIT: Duration = Duration::from_secs(120);
const GET_WARM_UP: Duration = Duration::from_secs(1);
const GET_DURATION: Duration = Duration::from_secs(5);
const GET_MAX_REQUESTS: usize = 5_000_000;
const ATTENDANCE_RUNS: usize = 30;
const ATTENDANCE_TIME_LIMIT: Duration = Duration::from_secs(60);
const CERTIFICATE_RUNS: usize = 10;

/// A fresh database: on the PostgreSQL server of `BENCH_DATABASE_URL` when set, else SQLite.
async fn fresh_database() -> (String, ScratchDatabase) {
    let admin_url = std::env::var("BENCH_DATABASE_URL")
        .ok()
        .filter(|u| !u.trim().is_empty());
    let (database, url) = ScratchDatabase::create(admin_url, "cssd_bench").await;
    (url, database)
}

/// Latency summary of one phase.
struct Summary {
    requests: usize,
    elapsed: Duration,
    p50_ms: f64,
    p95_ms: f64,
    p99_ms: f64,
}

impl Summary {
    fn new(mut latencies: Vec<Duration>, elapsed: Duration) -> Self {
        assert!(!latencies.is_empty(), "no request was measured");
        latencies.sort();
        Self {
            requests: latencies.len(),
            elapsed,
            p50_ms: ms(percentile(&latencies, 50)),
            p95_ms: ms(percentile(&latencies, 95)),
            p99_ms: ms(percentile(&latencies, 99)),
        }
    }

    fn per_second(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64()
    }
}

/// Nearest-rank percentile of sorted values.
fn percentile(sorted: &[Duration], p: usize) -> Duration {
    let rank = (sorted.len() * p).div_ceil(100).max(1);
    sorted[rank - 1]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// The Monday at least a week from today (a workshop that has not started).
fn future_monday() -> NaiveDate {
    let mut date = Utc::now().date_naive() + Days::new(7);
    while date.weekday() != Weekday::Mon {
        date = date + Days::new(1);
    }
    date
}

/// Monday 2 March 2026 (a workshop whose five days are all past), or, should the clock be
/// earlier than its last day, the Monday of three weeks ago.
fn past_monday() -> NaiveDate {
    let fixed = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    let today = Utc::now().date_naive();
    if today >= fixed + Days::new(4) {
        return fixed;
    }
    let mut date = today - Days::new(21);
    while date.weekday() != Weekday::Mon {
        date = date - Days::new(1);
    }
    date
}

/// A request's status and JSON body.
async fn send(req: reqwest::RequestBuilder) -> (StatusCode, Value, String) {
    let resp = req.send().await.expect("request sent");
    let status = resp.status();
    let text = resp.text().await.expect("body read");
    let body = serde_json::from_str(&text).unwrap_or(Value::Null);
    (status, body, text)
}

struct Bench {
    base: String,
    client: Client,
}

impl Bench {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    async fn post_created(&self, path: &str, body: Value) -> Value {
        let (status, body, text) = send(self.client.post(self.url(path)).json(&body)).await;
        assert_eq!(status, StatusCode::CREATED, "POST {path}: {text}");
        body
    }

    async fn get_ok(&self, path: &str) -> Value {
        let (status, body, text) = send(self.client.get(self.url(path))).await;
        assert_eq!(status, StatusCode::OK, "GET {path}: {text}");
        body
    }

    async fn workshop(&self, course_id: i64, start: NaiveDate, venue: &str) -> i64 {
        let body = json!({
            "course_id": course_id, "level": "tot", "venue": venue,
            "start_date": start.to_string(), "capacity": CAPACITY,
        });
        self.post_created("/api/v1/workshops", body).await["id"]
            .as_i64()
            .expect("workshop id")
    }

    /// Imports `count` participants in one CSV request and returns their ids.
    async fn import_participants(&self, prefix: &str, count: usize) -> Vec<i64> {
        let mut csv = String::from("full_name,target_group\n");
        for i in 0..count {
            csv.push_str(&format!("{prefix} {i:05},community_champion\n"));
        }
        let req = self
            .client
            .post(self.url("/api/v1/participants/import"))
            .header(header::CONTENT_TYPE, "text/csv")
            .body(csv);
        let (status, body, text) = send(req).await;
        assert_eq!(status, StatusCode::OK, "import: {text}");
        let ids: Vec<i64> = body["participant_ids"]
            .as_array()
            .expect("participant_ids")
            .iter()
            .map(|v| v.as_i64().expect("participant id"))
            .collect();
        assert_eq!(ids.len(), count, "import refused rows: {}", body["errors"]);
        ids
    }
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(run());
}

async fn run() {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let (database_url, database) = fresh_database().await;

    let mut config = Config::with_defaults();
    config.database_url = database_url;
    config.outbox_dir = std::env::temp_dir().join(format!("cssd-bench-outbox-{}", random_suffix()));
    config.admin_email = Some(ADMIN_EMAIL.into());
    config.admin_password = Some(ADMIN_PASSWORD.into());
    let pool = config.db_max_connections;
    let outbox = config.outbox_dir.clone();
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    let app = Application::build(config, listener)
        .await
        .expect("build the app");
    let base = format!("http://{}", app.local_addr());
    let (stop, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(app.run(async {
        let _ = stopped.await;
    }));

    println!("cssd HTTP bench");
    println!("  machine:  {cores} cores (nproc), load generator in the same process");
    println!("  database: {}", database.describe());
    println!("  pool:     {pool} connections; server at {base}");
    println!("  clients:  {CONCURRENCY} concurrent tasks, one keep-alive reqwest client");
    println!();

    // Log in over HTTP; every later request carries the admin's bearer token.
    let anonymous = Client::builder().no_proxy().build().expect("client");
    let (status, body, text) = send(
        anonymous
            .post(format!("{base}/api/v1/auth/login"))
            .json(&json!({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "login: {text}");
    let token = body["token"].as_str().expect("token").to_owned();
    let mut headers = header::HeaderMap::new();
    let mut auth = header::HeaderValue::from_str(&format!("Bearer {token}")).expect("header");
    auth.set_sensitive(true);
    headers.insert(header::AUTHORIZATION, auth);
    let client = Client::builder()
        .no_proxy()
        .default_headers(headers)
        .pool_max_idle_per_host(CONCURRENCY * 2)
        .build()
        .expect("client");
    let bench = Arc::new(Bench { base, client });

    let course_id = bench
        .post_created(
            "/api/v1/courses",
            json!({
                "code": "BENCH", "title": "Benchmark course", "duration_days": 5,
                "topics": ["Roles", "Processes", "Engagement", "Trust", "Champions"],
            }),
        )
        .await["id"]
        .as_i64()
        .expect("course id");

    // Refused logins: an unknown email must cost what a wrong password costs (one argon2
    // verification each). Four of each: the throttle allows 5 failures per account, 20 per address.
    let mut refused = [Vec::new(), Vec::new()];
    for i in 0..4 {
        for (kind, email) in [ADMIN_EMAIL.to_owned(), format!("nobody{i}@example.org")]
            .into_iter()
            .enumerate()
        {
            let started = Instant::now();
            let (status, _, text) = send(
                anonymous
                    .post(format!("{}/api/v1/auth/login", bench.base))
                    .json(&json!({"email": email, "password": "wrong-password"})),
            )
            .await;
            refused[kind].push(started.elapsed());
            assert_eq!(status, StatusCode::UNAUTHORIZED, "refused login: {text}");
        }
    }
    let [wrong_password, unknown_email] = refused.map(|mut times| {
        times.sort();
        ms(times[times.len() / 2])
    });

    let enrol = enrolment_phase(&bench, course_id).await;
    let get = get_phase(&bench, enrol.workshop_id).await;
    let attendance = attendance_phase(&bench, course_id).await;
    let certificates = certificate_phase(&bench, course_id).await;

    println!();
    println!(
        "{:<44} {:>9} {:>9} {:>9} {:>9} {:>9}",
        "phase", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms"
    );
    let row = |name: &str, s: &Summary| {
        println!(
            "{name:<44} {:>9} {:>9.0} {:>9.2} {:>9.2} {:>9.2}",
            s.requests,
            s.per_second(),
            s.p50_ms,
            s.p95_ms,
            s.p99_ms
        );
    };
    row("POST enrolments (16 tasks, 10 workshops)", &enrol.summary);
    row("GET /workshops/{id} (16 tasks, 5 s)", &get);
    row(
        "PUT attendance, 175 marks (sequential)",
        &attendance.updates,
    );
    println!(
        "{:<44} {:>9} {:>9} {:>9.2} {:>9}",
        "  first PUT (175 inserts)", 1, "", attendance.first_ms, ""
    );
    row("POST certificates, 35 per workshop", &certificates);
    println!();
    println!(
        "enrolment: {} enrolled + {} waitlisted, seats checked in every workshop",
        enrol.enrolled, enrol.waitlisted
    );
    println!(
        "attendance register: median {:.2} ms, p95 {:.2} ms (target: well under 100 ms)",
        attendance.updates.p50_ms, attendance.updates.p95_ms
    );
    println!(
        "certificates: 35 issued in one request, median {:.2} ms, p95 {:.2} ms",
        certificates.p50_ms, certificates.p95_ms
    );

    println!(
        "refused login: median {wrong_password:.1} ms for a wrong password, {unknown_email:.1} ms for an unknown email"
    );

    let _ = stop.send(());
    let _ = tokio::time::timeout(Duration::from_secs(15), server).await;
    let _ = std::fs::remove_dir_all(outbox);
    drop(database);
}

struct EnrolmentResult {
    summary: Summary,
    workshop_id: i64,
    enrolled: usize,
    waitlisted: usize,
}

/// 10 workshops of 35 seats, 2000 participants, and one enrolment request each, spread round
/// robin over the workshops, sent from 16 tasks.
async fn enrolment_phase(bench: &Arc<Bench>, course_id: i64) -> EnrolmentResult {
    let start = future_monday();
    let mut workshops = Vec::with_capacity(WORKSHOPS);
    for i in 0..WORKSHOPS {
        workshops.push(
            bench
                .workshop(course_id, start, &format!("Bench hall {i}"))
                .await,
        );
    }
    let participants = bench
        .import_participants("Enrolment Bench", ENROLMENTS)
        .await;
    let jobs: Arc<Vec<(i64, i64)>> = Arc::new(
        participants
            .iter()
            .enumerate()
            .map(|(i, p)| (workshops[i % WORKSHOPS], *p))
            .collect(),
    );
    println!(
        "1. enrolment: {} requests over {WORKSHOPS} workshops of {CAPACITY} seats ...",
        jobs.len()
    );

    let next = Arc::new(AtomicUsize::new(0));
    let began = Instant::now();
    let deadline = began + ENROLMENT_TIME_LIMIT;
    let mut tasks = Vec::new();
    for _ in 0..CONCURRENCY {
        let (bench, jobs, next) = (bench.clone(), jobs.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            // (job index, latency, status, enrolment status or error text)
            let mut done: Vec<(usize, Duration, StatusCode, String)> = Vec::new();
            loop {
                if Instant::now() >= deadline {
                    break;
                }
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(&(workshop, participant)) = jobs.get(i) else {
                    break;
                };
                let path = format!("/api/v1/workshops/{workshop}/enrolments");
                let t = Instant::now();
                let (status, body, text) = send(
                    bench
                        .client
                        .post(bench.url(&path))
                        .json(&json!({"participant_id": participant})),
                )
                .await;
                let latency = t.elapsed();
                let outcome = body["status"].as_str().map_or(text, str::to_owned);
                done.push((i, latency, status, outcome));
            }
            done
        }));
    }
    let mut results = Vec::with_capacity(jobs.len());
    for task in tasks {
        results.extend(task.await.expect("enrolment task"));
    }
    let elapsed = began.elapsed();

    let failures: Vec<_> = results
        .iter()
        .filter(|r| r.2 != StatusCode::CREATED)
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} enrolments were not 201; first: {} {}",
        failures.len(),
        results.len(),
        failures[0].2,
        failures[0].3
    );
    if results.len() < jobs.len() {
        println!(
            "   time limit of {ENROLMENT_TIME_LIMIT:?} reached after {} requests",
            results.len()
        );
    }
    let enrolled = results.iter().filter(|r| r.3 == "enrolled").count();
    let waitlisted = results.iter().filter(|r| r.3 == "waitlisted").count();
    assert_eq!(enrolled + waitlisted, results.len(), "unexpected statuses");

    for &workshop in &workshops {
        let requests = results.iter().filter(|r| jobs[r.0].0 == workshop).count() as i64;
        let w = bench.get_ok(&format!("/api/v1/workshops/{workshop}")).await;
        let seats = CAPACITY.min(requests);
        assert_eq!(
            w["seats_taken"], seats,
            "workshop {workshop}: {requests} enrolment requests: {w}"
        );
        assert_eq!(
            w["waitlist_count"],
            requests - seats,
            "workshop {workshop}: {requests} enrolment requests: {w}"
        );
    }
    assert_eq!(
        enrolled as i64,
        workshops
            .iter()
            .map(|w| CAPACITY.min(results.iter().filter(|r| jobs[r.0].0 == *w).count() as i64))
            .sum::<i64>(),
        "enrolled answers do not match the seats taken"
    );

    EnrolmentResult {
        summary: Summary::new(results.iter().map(|r| r.1).collect(), elapsed),
        workshop_id: workshops[0],
        enrolled,
        waitlisted,
    }
}

/// 16 tasks reading one workshop in a loop until `until`; the latencies of successful reads.
async fn get_loop(bench: &Arc<Bench>, path: &str, until: Instant) -> Vec<Duration> {
    let sent = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for _ in 0..CONCURRENCY {
        let (bench, sent) = (bench.clone(), sent.clone());
        let url = bench.url(path);
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::with_capacity(1 << 14);
            while Instant::now() < until && sent.fetch_add(1, Ordering::Relaxed) < GET_MAX_REQUESTS
            {
                let t = Instant::now();
                let resp = bench.client.get(&url).send().await.expect("request sent");
                let status = resp.status();
                let body = resp.bytes().await.expect("body read");
                assert_eq!(
                    status,
                    StatusCode::OK,
                    "GET {url}: {}",
                    String::from_utf8_lossy(&body)
                );
                latencies.push(t.elapsed());
            }
            latencies
        }));
    }
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await.expect("GET task"));
    }
    all
}

async fn get_phase(bench: &Arc<Bench>, workshop: i64) -> Summary {
    let path = format!("/api/v1/workshops/{workshop}");
    println!("2. GET {path}: {GET_WARM_UP:?} warm-up, then {GET_DURATION:?} ...");
    get_loop(bench, &path, Instant::now() + GET_WARM_UP).await;
    let began = Instant::now();
    let latencies = get_loop(bench, &path, began + GET_DURATION).await;
    Summary::new(latencies, began.elapsed())
}

struct AttendanceResult {
    first_ms: f64,
    updates: Summary,
}

/// A past workshop with 35 participants; its whole register (35 × 5 marks) in one PUT, 30
/// times, alternating present and late so that every run changes every mark.
async fn attendance_phase(bench: &Arc<Bench>, course_id: i64) -> AttendanceResult {
    let start = past_monday();
    let workshop = bench.workshop(course_id, start, "Bench register").await;
    let participants = bench
        .import_participants("Register Bench", CAPACITY as usize)
        .await;
    let mut enrolments = Vec::new();
    for p in participants {
        let e = bench
            .post_created(
                &format!("/api/v1/workshops/{workshop}/enrolments"),
                json!({"participant_id": p}),
            )
            .await;
        assert_eq!(e["status"], "enrolled", "{e}");
        enrolments.push(e["id"].as_i64().expect("enrolment id"));
    }
    let path = format!("/api/v1/workshops/{workshop}/attendance");
    println!(
        "3. PUT {path}: {} marks (workshop of {start}), 1 + {ATTENDANCE_RUNS} times ...",
        enrolments.len() * 5
    );
    let put = |status: &'static str| {
        let records: Vec<Value> = enrolments
            .iter()
            .flat_map(|e| {
                (1..=5).map(move |day| json!({"enrolment_id": e, "day": day, "status": status}))
            })
            .collect();
        let req = bench
            .client
            .put(bench.url(&path))
            .json(&json!({"records": records}));
        let expected = records.len();
        async move {
            let t = Instant::now();
            let (code, body, text) = send(req).await;
            let latency = t.elapsed();
            assert_eq!(code, StatusCode::OK, "PUT attendance: {text}");
            assert_eq!(
                body["applied"], expected,
                "not every mark was written: {text}"
            );
            latency
        }
    };

    let first = put("present").await;
    let deadline = Instant::now() + ATTENDANCE_TIME_LIMIT;
    let began = Instant::now();
    let mut latencies = Vec::with_capacity(ATTENDANCE_RUNS);
    for run in 0..ATTENDANCE_RUNS {
        if Instant::now() >= deadline {
            println!("   time limit reached after {run} runs");
            break;
        }
        let status = if run % 2 == 0 { "late" } else { "present" };
        latencies.push(put(status).await);
    }
    AttendanceResult {
        first_ms: ms(first),
        updates: Summary::new(latencies, began.elapsed()),
    }
}

/// A completed past workshop of 35 who attended every day and passed the post-test.
async fn passed_workshop(bench: &Arc<Bench>, course_id: i64, run: usize) -> i64 {
    let workshop = bench
        .workshop(course_id, past_monday(), &format!("Bench graduation {run}"))
        .await;
    let participants = bench
        .import_participants(&format!("Graduate {run}"), CAPACITY as usize)
        .await;
    let mut marks = Vec::new();
    let mut scores = Vec::new();
    for p in participants {
        let e = bench
            .post_created(
                &format!("/api/v1/workshops/{workshop}/enrolments"),
                json!({"participant_id": p}),
            )
            .await["id"]
            .as_i64()
            .expect("enrolment id");
        marks
            .extend((1..=5).map(|day| json!({"enrolment_id": e, "day": day, "status": "present"})));
        scores.push(json!({"enrolment_id": e, "kind": "post_test", "score": 80, "max_score": 100}));
    }
    for (path, records) in [("attendance", marks), ("assessments", scores)] {
        let req = bench
            .client
            .put(bench.url(&format!("/api/v1/workshops/{workshop}/{path}")))
            .json(&json!({"records": records}));
        let (status, _, text) = send(req).await;
        assert_eq!(status, StatusCode::OK, "PUT {path}: {text}");
    }
    let req = bench
        .client
        .post(bench.url(&format!("/api/v1/workshops/{workshop}/complete")))
        .json(&json!({}));
    let (status, _, text) = send(req).await;
    assert_eq!(status, StatusCode::OK, "complete: {text}");
    workshop
}

/// Issues the 35 certificates of each of 5 completed workshops, one request per workshop.
async fn certificate_phase(bench: &Arc<Bench>, course_id: i64) -> Summary {
    println!(
        "4. POST /api/v1/workshops/{{id}}/certificates: 35 certificates, {CERTIFICATE_RUNS} workshops ..."
    );
    let mut workshops = Vec::with_capacity(CERTIFICATE_RUNS);
    for run in 0..CERTIFICATE_RUNS {
        workshops.push(passed_workshop(bench, course_id, run).await);
    }
    let began = Instant::now();
    let mut latencies = Vec::with_capacity(CERTIFICATE_RUNS);
    for workshop in workshops {
        let path = format!("/api/v1/workshops/{workshop}/certificates");
        let t = Instant::now();
        let (status, body, text) = send(bench.client.post(bench.url(&path)).json(&json!({}))).await;
        latencies.push(t.elapsed());
        assert_eq!(status, StatusCode::OK, "POST {path}: {text}");
        assert_eq!(
            body["issued"].as_array().map(Vec::len),
            Some(CAPACITY as usize),
            "not every certificate was issued: {text}"
        );
    }
    Summary::new(latencies, began.elapsed())
}
