//! `cargo bench --bench admin_pages` — every page of the administrator's console over HTTP on
//! the large generated dataset of `benches/reports.rs` (10,000 workshops, 350,000 seats held by
//! about 330,000 people, 1.75 M attendance marks; made once into `BENCH_REPORTS_DB`, default a
//! file in the temp dir, and reused). Signs in through the console's own form, then times each
//! page 50 times after 3 warm-up runs, one request at a time. Target on our 2-core machines:
//! p95 < 50 ms per page.

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
    cookie: &str,
    runs: usize,
) -> (Duration, Duration, usize) {
    let mut times = Vec::with_capacity(runs);
    let mut bytes = 0;
    for _ in 0..runs {
        let started = Instant::now();
        let resp = client
            .get(url)
            .header("cookie", cookie)
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
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        // Sign in through the console's form, as a browser does.
        let form = client
            .get(format!("{base}/admin/sign-in"))
            .send()
            .await
            .expect("sign-in form");
        let csrf_cookie = form
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("cssd_csrf="))
            .and_then(|v| v.split(';').next())
            .expect("csrf cookie")
            .to_owned();
        let csrf = csrf_cookie.trim_start_matches("cssd_csrf=").to_owned();
        let signed_in = client
            .post(format!("{base}/admin/sign-in"))
            .header("cookie", &csrf_cookie)
            .form(&[
                ("csrf", csrf.as_str()),
                ("email", ADMIN.0),
                ("password", ADMIN.1),
            ])
            .send()
            .await
            .expect("sign in");
        let session = signed_in
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("cssd_session="))
            .and_then(|v| v.split(';').next())
            .expect("session cookie")
            .to_owned();
        let cookie = format!("{session}; {csrf_cookie}");
        let token = session.trim_start_matches("cssd_session=");
        let json = |path: String| {
            let client = client.clone();
            let token = token.to_owned();
            async move {
                client
                    .get(path)
                    .bearer_auth(token)
                    .send()
                    .await
                    .expect("api")
                    .json::<serde_json::Value>()
                    .await
                    .expect("json")
            }
        };
        let tot = json(format!(
            "{base}/api/v1/workshops?level=tot&limit=1&from=2024-01-01"
        ))
        .await["items"][0]["id"]
            .as_i64()
            .expect("a ToT workshop");
        let community = json(format!(
            "{base}/api/v1/workshops?level=community&status=completed&limit=1&from=2024-01-01"
        ))
        .await["items"][0]["id"]
            .as_i64()
            .expect("a completed community workshop");
        let participant =
            json(format!("{base}/api/v1/participants?limit=1")).await["items"][0]["id"]
                .as_i64()
                .expect("a participant");

        let mut pages: Vec<(String, String)> = cssd::web::admin::PAGES
            .iter()
            .map(|p| (p.to_string(), p.to_string()))
            .collect();
        pages.extend([
            (
                "workshops: cascade, CSSD, 2025".to_owned(),
                "/admin/workshops?level=cascade&course_id=1&from=2025-01-01&to=2025-12-31"
                    .to_owned(),
            ),
            (
                "a completed workshop (35 people)".to_owned(),
                format!("/admin/workshops/{community}"),
            ),
            (
                "a workshop, searching people to enrol".to_owned(),
                format!("/admin/workshops/{tot}?q=moyo"),
            ),
            (
                "cascade tree of a ToT workshop".to_owned(),
                format!("/admin/workshops/{tot}/cascade"),
            ),
            (
                "participants: search by name".to_owned(),
                "/admin/participants?q=moyo".to_owned(),
            ),
            (
                "participants: search matching nobody".to_owned(),
                "/admin/participants?q=zzqx".to_owned(),
            ),
            (
                "participants: search by email".to_owned(),
                "/admin/participants?q=zzqx%40example.org".to_owned(),
            ),
            (
                "participants: page 100".to_owned(),
                "/admin/participants?page=100".to_owned(),
            ),
            (
                "a participant".to_owned(),
                format!("/admin/participants/{participant}"),
            ),
            (
                "certificates: search".to_owned(),
                "/admin/certificates?q=IWSD-CSSD".to_owned(),
            ),
            (
                "reports, one year".to_owned(),
                "/admin/reports?from=2024-01-01&to=2024-12-31".to_owned(),
            ),
            (
                "reports, one organisation".to_owned(),
                "/admin/reports?organisation_id=5".to_owned(),
            ),
        ]);
        println!(
            "\n{:<48} {:>9} {:>9} {:>9}",
            "page (50 runs after 3 warm-up)", "p50 ms", "p95 ms", "bytes"
        );
        for (label, path) in pages {
            let url = format!("{base}{path}");
            time(&client, &url, &cookie, 3).await;
            let (p50, p95, bytes) = time(&client, &url, &cookie, 50).await;
            println!(
                "{label:<48} {:>9.2} {:>9.2} {bytes:>9}",
                p50.as_secs_f64() * 1e3,
                p95.as_secs_f64() * 1e3
            );
        }
        let _ = stop.send(());
        let _ = server.await;
    });
}
