//! `cargo bench --bench webhooks` — webhook delivery throughput and what webhooks add to an
//! enrolment, over real HTTP, no harness.
//!
//! Starts the application in-process on 127.0.0.1:0 (fresh SQLite file, or PostgreSQL with
//! `BENCH_DATABASE_URL=postgres://…`) with its background workers off, and a local receiver
//! (poem, answering 204) on another port:
//!
//! 1. the enrolment request without and with webhooks subscribed (sequential `POST
//!    …/enrolments`, median and p95): the difference is the cost of queueing the event in the
//!    enrolment's transaction (one read of the subscriptions, one insert per endpoint);
//! 2. delivery throughput: the deliveries queued meanwhile (each enrolment fanned out to
//!    `ENDPOINTS` subscriptions) are drained by one delivery worker, started only then; events
//!    per second delivered (signed, posted, recorded) until the outbox is empty.
//!
//! The receiver, the load and the server share the process and its cores: a lower bound.

use std::{
    net::TcpListener,
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use cssd::{
    Application, Config,
    testing::{ScratchDatabase, random_suffix},
};
use poem::{
    EndpointExt, Route, Server, handler, http::StatusCode, listener::TcpAcceptor, web::Data,
};
use reqwest::Client;
use serde_json::{Value, json};

const ADMIN_EMAIL: &str = "bench-admin@example.org";
const ADMIN_PASSWORD: &str = "bench-admin-password";
const ENROLMENTS: usize = 200;
const ENDPOINTS: usize = 10;

#[handler]
fn receive(count: Data<&Arc<AtomicUsize>>) -> StatusCode {
    count.fetch_add(1, Ordering::Relaxed);
    StatusCode::NO_CONTENT
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

struct Api {
    base: String,
    client: Client,
    token: String,
}

impl Api {
    async fn post(&self, path: &str, body: Value) -> Value {
        let resp = self
            .client
            .post(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .json(&body)
            .send()
            .await
            .expect("request");
        let status = resp.status();
        let body: Value = resp.json().await.unwrap_or(Value::Null);
        assert!(status.is_success(), "{path}: {status} {body}");
        body
    }

    async fn get(&self, path: &str) -> Value {
        self.client
            .get(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .send()
            .await
            .expect("request")
            .json()
            .await
            .expect("json")
    }

    /// Enrols `ENROLMENTS` new participants one after another in a new workshop; the latency
    /// of each enrolment request, sorted.
    async fn enrol_many(&self, course: i64, start: &str) -> Vec<Duration> {
        let workshop = self
            .post(
                "/api/v1/workshops",
                json!({"course_id": course, "level": "tot", "venue": "Harare",
                       "start_date": start, "capacity": 35}),
            )
            .await["id"]
            .as_i64()
            .unwrap();
        let mut people = Vec::new();
        for i in 0..ENROLMENTS {
            let p = self
                .post(
                    "/api/v1/participants",
                    json!({"full_name": format!("Bench Person {i}"), "target_group": "community_champion"}),
                )
                .await;
            people.push(p["id"].as_i64().unwrap());
        }
        let path = format!("/api/v1/workshops/{workshop}/enrolments");
        let mut latencies = Vec::new();
        for p in people {
            let started = Instant::now();
            self.post(&path, json!({"participant_id": p})).await;
            latencies.push(started.elapsed());
        }
        latencies.sort();
        latencies
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
    let admin_url = std::env::var("BENCH_DATABASE_URL")
        .ok()
        .filter(|u| !u.trim().is_empty());
    let (database, url) = ScratchDatabase::create(admin_url, "cssd_bench_webhooks").await;
    let mut config = Config::with_defaults();
    config.database_url = url;
    config.outbox_dir = std::env::temp_dir().join(format!("cssd-bench-outbox-{}", random_suffix()));
    config.admin_email = Some(ADMIN_EMAIL.into());
    config.admin_password = Some(ADMIN_PASSWORD.into());
    config.webhook_allow_http = true;
    config.webhook_allow_private = true;
    // No background workers: deliveries wait in the outbox until phase 2 starts one.
    config.mail_worker = false;
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let app = Application::build(config, listener).await.expect("build");
    let state = app.state().clone();
    let base = format!("http://{}", app.local_addr());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.run(async {
        let _ = stopped.await;
    }));

    let received = Arc::new(AtomicUsize::new(0));
    let receiver = TcpListener::bind("127.0.0.1:0").expect("bind");
    receiver.set_nonblocking(true).expect("nonblocking");
    let receiver_url = format!("http://{}/hook", receiver.local_addr().expect("addr"));
    let acceptor = TcpAcceptor::from_std(receiver).expect("acceptor");
    tokio::spawn(
        Server::new_with_acceptor(acceptor).run(
            Route::new()
                .at("/hook", poem::post(receive))
                .data(received.clone()),
        ),
    );

    let client = Client::builder().no_proxy().build().expect("client");
    let login: Value = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}))
        .send()
        .await
        .expect("login")
        .json()
        .await
        .expect("json");
    let api = Api {
        base,
        client,
        token: login["token"].as_str().expect("token").to_owned(),
    };
    let course = api
        .post(
            "/api/v1/courses",
            json!({"code": "WHB", "title": "Webhook bench", "duration_days": 5,
                   "topics": ["Roles", "Processes", "Engagement", "Trust", "Champions"]}),
        )
        .await["id"]
        .as_i64()
        .unwrap();

    println!("cssd webhook bench");
    println!("  database: {}", database.describe());
    println!();
    let without = api.enrol_many(course, "2030-06-03").await;
    for _ in 0..ENDPOINTS {
        api.post(
            "/api/v1/webhooks",
            json!({"url": receiver_url, "events": ["enrolment.created", "workshop.scheduled"]}),
        )
        .await;
    }
    let with = api.enrol_many(course, "2030-06-10").await;
    println!(
        "enrolment, {ENROLMENTS} sequential requests: median {:.2} ms, p95 {:.2} ms without webhooks; \
         median {:.2} ms, p95 {:.2} ms with {ENDPOINTS} endpoints subscribed (added: {:+.2} ms median)",
        percentile(&without, 0.5),
        percentile(&without, 0.95),
        percentile(&with, 0.5),
        percentile(&with, 0.95),
        percentile(&with, 0.5) - percentile(&without, 0.5),
    );

    let expected = (ENROLMENTS + 1) * ENDPOINTS;
    let worker = state.webhook_worker().expect("worker");
    let (stop_worker, worker_stopped) = tokio::sync::watch::channel(false);
    let started = Instant::now();
    let drain = tokio::spawn(worker.run(worker_stopped));
    while received.load(Ordering::Relaxed) < expected {
        assert!(
            started.elapsed() < Duration::from_secs(300),
            "deliveries did not finish: {} of {expected}",
            received.load(Ordering::Relaxed)
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let elapsed = started.elapsed();
    let _ = stop_worker.send(true);
    let _ = drain.await;
    let hooks = api.get("/api/v1/webhooks").await;
    let first = hooks["items"][0]["id"].as_i64().unwrap();
    let delivered = api
        .get(&format!(
            "/api/v1/webhooks/{first}/deliveries?status=delivered&limit=1"
        ))
        .await["total"]
        .as_u64()
        .unwrap();
    assert_eq!(
        delivered as usize,
        ENROLMENTS + 1,
        "every delivery recorded"
    );
    println!(
        "delivery: {expected} events ({} per endpoint) signed, posted and recorded in {:.2} s by one worker: {:.0} events/s",
        ENROLMENTS + 1,
        elapsed.as_secs_f64(),
        expected as f64 / elapsed.as_secs_f64()
    );
    let _ = stop.send(());
    let _ = server.await;
}
