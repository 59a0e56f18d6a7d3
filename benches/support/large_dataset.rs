//! What the benchmarks over the large generated dataset share (`reports`, `admin_pages`): the
//! dataset made once into `BENCH_REPORTS_DB` (default a file in the temp dir; `BENCH_WORKSHOPS`
//! workshops, default 10,000) with `cssd seed`'s generator, a bench administrator, the real app
//! started on it, and the timing of one page.

use std::{
    net::TcpListener,
    time::{Duration, Instant},
};

use cssd::{Application, Config};

/// The administrator the benchmarks sign in as.
pub const ADMIN: (&str, &str) = ("bench@example.org", "bench-password-1");

/// The value at `p` (0–1) of sorted durations.
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// Times `runs` GETs of `url` sent with the header `credentials` (name, value): p50, p95 and
/// the body's size.
pub async fn time(
    client: &reqwest::Client,
    url: &str,
    credentials: (&str, &str),
    runs: usize,
) -> (Duration, Duration, usize) {
    let mut times = Vec::with_capacity(runs);
    let mut bytes = 0;
    for _ in 0..runs {
        let started = Instant::now();
        let resp = client
            .get(url)
            .header(credentials.0, credentials.1)
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

/// The running app on the large dataset: its base URL, and how to stop it.
pub struct Running {
    pub base: String,
    pub stop: tokio::sync::oneshot::Sender<()>,
    pub server: tokio::task::JoinHandle<std::io::Result<()>>,
}

/// Makes the dataset (once) and the bench administrator, then starts the app on it.
#[allow(dead_code)]
pub async fn start() -> Running {
    start_with(|_| {}).await.0
}

/// [`start`], with the app's configuration adjusted by `adjust`; also returns the metrics
/// address (`http://…`) when the adjusted configuration asks for one.
pub async fn start_with(adjust: impl FnOnce(&mut Config)) -> (Running, Option<String>) {
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
        let hashing = cssd::services::password_hashing::PasswordHashing::per_core(
            std::time::Duration::from_secs(60),
        );
        cssd::services::accounts::create_user(&db, &hashing, &actor, admin)
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
    adjust(&mut config);
    let app = Application::build(config, TcpListener::bind("127.0.0.1:0").expect("bind"))
        .await
        .expect("app");
    let base = format!("http://{}", app.local_addr());
    let metrics = app.metrics_addr().map(|a| format!("http://{a}"));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.run(async {
        let _ = stopped.await;
    }));
    (Running { base, stop, server }, metrics)
}
