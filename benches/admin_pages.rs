//! `cargo bench --bench admin_pages` — every page of the administrator's console over HTTP on
//! the large generated dataset of `benches/reports.rs` (10,000 workshops, 350,000 seats held by
//! about 330,000 people, 1.75 M attendance marks; made once into `BENCH_REPORTS_DB`, default a
//! file in the temp dir, and reused). Signs in through the console's own form, then times each
//! page 50 times after 3 warm-up runs, one request at a time. Target on our 2-core machines:
//! p95 < 50 ms per page.

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
            time(&client, &url, ("cookie", &cookie), 3).await;
            let (p50, p95, bytes) = time(&client, &url, ("cookie", &cookie), 50).await;
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
