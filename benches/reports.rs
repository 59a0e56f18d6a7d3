//! `cargo bench --bench reports` — the reporting paths on the large generated dataset.
//!
//! Seeds (once, into `BENCH_REPORTS_DB`, default a file in the temp dir) 10,000 workshops —
//! 350,000 seats held by about 330,000 people, 1.75 M attendance rows — with `cssd seed`'s
//! generator (delete the file to make it again), starts the real
//! app on it, and times over HTTP: the summary report, a filtered workshop list and a cascade
//! tree. Target on our 2-core machines: p95 < 50 ms each. The load generator runs in the same
//! process, one request at a time.

#[path = "support/large_dataset.rs"]
mod large_dataset;

use large_dataset::{ADMIN, time};

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let large_dataset::Running { base, stop, server } = large_dataset::start().await;
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
        let bearer = format!("Bearer {token}");
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
            time(&client, &url, ("authorization", &bearer), 3).await;
            let (p50, p95, bytes) = time(&client, &url, ("authorization", &bearer), 50).await;
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
