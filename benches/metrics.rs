//! `cargo bench --bench metrics` — a Prometheus scrape (`GET /metrics` on `CSSD_METRICS_BIND`)
//! on the large generated dataset (10,000 workshops, see `support/large_dataset.rs`), with
//! `BENCH_OUTBOX_ROWS` (default 100,000) messages in the mail outbox, nearly all sent, a few
//! queued and failed: the outbox series read the (`status`, `created_at`) index only, so the
//! scrape must not grow with the mail already sent. Target: p95 < 20 ms.

#[path = "support/large_dataset.rs"]
mod large_dataset;

use large_dataset::time;
use sea_orm::{ConnectionTrait, Statement};

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let (running, metrics) = large_dataset::start_with(|config| {
            config.metrics_bind = Some("127.0.0.1:0".parse().expect("address"));
        })
        .await;
        let large_dataset::Running { base, stop, server } = running;
        println!(
            "app at {base}, metrics at {metrics_address}",
            metrics_address = metrics.as_deref().unwrap_or("-")
        );
        let metrics = metrics.expect("a metrics address");
        let rows: i64 = std::env::var("BENCH_OUTBOX_ROWS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(100_000);
        fill_outbox(rows).await;

        let client = reqwest::Client::new();
        let url = format!("{metrics}/metrics");
        time(&client, &url, ("accept", "text/plain"), 3).await;
        let (p50, p95, bytes) = time(&client, &url, ("accept", "text/plain"), 100).await;
        println!(
            "\n{:<58} {:>9} {:>9} {:>9}",
            "request (100 runs after 3 warm-up)", "p50 ms", "p95 ms", "bytes"
        );
        println!(
            "{:<58} {:>9.2} {:>9.2} {bytes:>9}",
            format!("GET /metrics, {rows} outbox rows"),
            p50.as_secs_f64() * 1e3,
            p95.as_secs_f64() * 1e3
        );
        let _ = stop.send(());
        let _ = server.await;
    });
}

/// Puts `rows` bench messages into the dataset's outbox (once): one in a thousand queued, one
/// in 997 failed, the rest sent.
async fn fill_outbox(rows: i64) {
    let path = std::env::var("BENCH_REPORTS_DB").unwrap_or_else(|_| {
        let workshops = std::env::var("BENCH_WORKSHOPS").unwrap_or_else(|_| "10000".into());
        std::env::temp_dir()
            .join(format!("cssd-bench-{workshops}.db"))
            .display()
            .to_string()
    });
    let db = cssd::db::connect(&format!("sqlite://{path}?mode=rwc"), 2)
        .await
        .expect("database");
    let backend = db.get_database_backend();
    let have = db
        .query_one_raw(Statement::from_string(
            backend,
            "SELECT COUNT(*) AS n FROM email_outbox WHERE message_id LIKE '<bench-%'",
        ))
        .await
        .expect("count")
        .and_then(|row| row.try_get::<i64>("", "n").ok())
        .unwrap_or(0);
    if have >= rows {
        return;
    }
    db.execute_raw(Statement::from_string(
        backend,
        format!(
            "INSERT INTO email_outbox (message_id, recipient, recipient_name, subject, body_text, \
             body_html, status, attempts, next_attempt_at, created_at, kind) \
             WITH RECURSIVE n(i) AS (SELECT {first} UNION ALL SELECT i + 1 FROM n WHERE i < {rows}) \
             SELECT '<bench-' || i || '@cssd.iwsd>', 'p' || i || '@example.org', 'P', 'S', 'body', \
             '<p>body</p>', CASE WHEN i % 1000 = 0 THEN 'queued' WHEN i % 997 = 0 THEN 'failed' \
             ELSE 'sent' END, 1, '2026-01-01 00:00:00+00:00', \
             strftime('%Y-%m-%d %H:%M:%S+00:00', '2025-01-01', '+' || (i % 600) || ' days'), \
             'certificate' FROM n",
            first = have + 1
        ),
    ))
    .await
    .expect("outbox rows");
    db.close().await.ok();
}
