//! `cargo bench --bench reports` — the reporting paths on the large generated dataset.
//!
//! Seeds (once, into `BENCH_REPORTS_DB`, default a file in the temp dir) 10,000 workshops —
//! 350,000 seats held by about 330,000 people, 1.75 M attendance rows — with `cssd seed`'s
//! generator (delete the file to make it again), starts the real
//! app on it, and times over HTTP: the summary report, a filtered workshop list and a cascade
//! tree. Target on our 2-core machines: p95 < 50 ms each. The load generator runs in the same
//! process, one request at a time.

use std::{
    net::TcpListener,
    time::{Duration, Instant},
};

use cssd::{Application, Config};

const ADMIN: (&str, &str) = ("bench@example.org", "bench-password-1");

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

async fn time(
    client: &reqwest::Client,
    url: &str,
    token: &str,
    runs: usize,
) -> (Duration, Duration, usize) {
    let mut times = Vec::with_capacity(runs);
    let mut bytes = 0;
    for _ in 0..runs {
        let started = Instant::now();
        let resp = client
            .get(url)
            .bearer_auth(token)
            .send()
            .await
            .expect("request");
        assert!(resp.status().is_success(), "{url}: {}", resp.status());
        bytes = resp.bytes().await.expect("body").len();
        times.push(started.elapsed());
    }
    times.sort();
    (percentile(&times, 0.5), percentile(&times, 0.95), bytes)
}

fn main() {
    let workshops: u64 = std::env::var("BENCH_WORKSHOPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let path = std::env::var("BENCH_REPORTS_DB").unwrap_or_else(|_| {
        std::env::temp_dir()
            .join(format!("cssd-bench-{workshops}.db"))
            .display()
            .to_string()
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let url = format!("sqlite://{path}?mode=rwc");
        let db = cssd::db::connect(&url, 8).await.expect("database");
        let existing = cssd::services::reports::summary(&db, &Default::default())
            .await
            .expect("summary")
            .workshops_total;
        if existing < workshops as i64 {
            let started = Instant::now();
            let made = cssd::seed::generate(&db, workshops - existing as u64, 2026)
                .await
                .expect("seed");
            println!(
                "seeded {made:?} in {:.1} s into {path}",
                started.elapsed().as_secs_f64()
            );
        } else {
            println!("using {path} ({existing} workshops)");
        }
        if cssd::services::accounts::find_user_by_email(&db, ADMIN.0)
            .await
            .expect("users")
            .is_none()
        {
            let admin = cssd::services::accounts::NewUser {
                name: "Benchmark".into(),
                email: ADMIN.0.into(),
                role: entity::app_user::Role::Admin,
                password: ADMIN.1.into(),
                participant_id: None,
            };
            let actor = cssd::domain::access::Actor::system("bench");
            cssd::services::accounts::create_user(&db, &actor, admin)
                .await
                .expect("bench admin");
        }
        db.close().await.ok();

        let mut config = Config::with_defaults();
        config.database_url = url;
        config.admin_email = Some(ADMIN.0.into());
        config.admin_password = Some(ADMIN.1.into());
        config.mail_worker = false;
        config.outbox_dir = std::env::temp_dir().join("cssd-bench-outbox");
        let app = Application::build(config, TcpListener::bind("127.0.0.1:0").expect("bind"))
            .await
            .expect("app");
        let base = format!("http://{}", app.local_addr());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(app.run(async {
            let _ = stopped.await;
        }));
        let client = reqwest::Client::new();
        let login: serde_json::Value = client
            .post(format!("{base}/api/v1/auth/login"))
            .json(&serde_json::json!({"email": ADMIN.0, "password": ADMIN.1}))
            .send()
            .await
            .expect("login")
            .json()
            .await
            .expect("login body");
        let token = login["token"].as_str().expect("token").to_owned();
        let tot: serde_json::Value = client
            .get(format!(
                "{base}/api/v1/workshops?level=tot&limit=1&from=2024-01-01"
            ))
            .bearer_auth(&token)
            .send()
            .await
            .expect("list")
            .json()
            .await
            .expect("list body");
        let tot_id = tot["items"][0]["id"].as_i64().expect("a ToT workshop");

        println!(
            "\n{:<58} {:>9} {:>9} {:>9}",
            "request (50 runs after 3 warm-up)", "p50 ms", "p95 ms", "bytes"
        );
        for (label, path) in [
            (
                "summary report, all time",
                "/api/v1/reports/summary".to_owned(),
            ),
            (
                "summary report, one year",
                "/api/v1/reports/summary?from=2024-01-01&to=2024-12-31".to_owned(),
            ),
            (
                "summary report, one year, one organisation",
                "/api/v1/reports/summary?from=2024-01-01&to=2024-12-31&organisation_id=5"
                    .to_owned(),
            ),
            (
                "workshops: cascade level, CSSD, 2025, page of 50",
                "/api/v1/workshops?level=cascade&course_id=1&from=2025-01-01&to=2025-12-31"
                    .to_owned(),
            ),
            (
                "cascade tree of a ToT workshop",
                format!("/api/v1/workshops/{tot_id}/cascade"),
            ),
        ] {
            let url = format!("{base}{path}");
            time(&client, &url, &token, 3).await;
            let (p50, p95, bytes) = time(&client, &url, &token, 50).await;
            println!(
                "{label:<58} {:>9.2} {:>9.2} {bytes:>9}",
                p50.as_secs_f64() * 1e3,
                p95.as_secs_f64() * 1e3
            );
        }
        let _ = stop.send(());
        let _ = server.await;
    });
}
