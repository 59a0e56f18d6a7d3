//! Accessibility, checked by axe-core (vendored in `tests/browser/axe/`, see its README) on
//! every page, as a phone (360 px) and a laptop (1280 px) show it, on the demo data: the test
//! fails on any violation of impact serious or critical and prints every other one it found.

use serde_json::Value;

use super::{helpers::spawn_app, link_from_outbox, start_browser};
use crate::helpers::{ADMIN_EMAIL, ADMIN_PASSWORD, TestApp};
use crate::webdriver::Browser;

const AXE: &str = include_str!("axe/axe.min.js");

/// The serious and critical violations on the page at `url`, at both widths; prints the rest.
pub(crate) async fn check(browser: &Browser, base: &str, path: &str, failures: &mut Vec<String>) {
    for width in [360, 1280] {
        browser.set_width(width).await;
        browser.goto(&format!("{base}{path}")).await;
        browser.wait_for("main").await;
        if browser.run("return typeof window.axe === 'object';").await != Value::Bool(true) {
            browser.run(&format!("{AXE}\nreturn true;")).await;
        }
        if width == 360 {
            let size = browser
                .run("return performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource')).filter((e) => e.transferSize > 0).map((e) => e.name.replace(location.origin, '') + ' ' + e.transferSize + ' bytes (' + e.decodedBodySize + ' unpacked)').join('; ');")
                .await;
            eprintln!("page {path}: {}", size.as_str().unwrap_or_default());
        }
        let found = browser
            .run(
                "const r = await axe.run(document, { resultTypes: ['violations'] });\
                 if (r.passes.length < 10) return 'axe checked almost nothing';\
                 return r.violations.map((v) => ({ id: v.id, impact: v.impact, \
                   nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ') }));",
            )
            .await;
        let Some(found) = found.as_array() else {
            panic!("axe did not run on {path}: {found}");
        };
        for v in found {
            let line = format!(
                "{path} at {width} px: {} ({}) on {}",
                v["id"].as_str().unwrap_or_default(),
                v["impact"].as_str().unwrap_or_default(),
                v["nodes"].as_str().unwrap_or_default()
            );
            eprintln!("axe: {line}");
            if matches!(v["impact"].as_str(), Some("serious" | "critical")) {
                failures.push(line);
            }
        }
    }
}

async fn first_id(app: &TestApp, path: &str) -> String {
    let found = app.get(path).await;
    found.body["items"][0]["id"].to_string()
}

#[tokio::test]
async fn every_page_passes_axe_core_at_360_and_1280_px() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let workshop = first_id(&app, "/api/v1/workshops?status=completed&limit=1").await;
    let tot = first_id(&app, "/api/v1/workshops?level=tot&status=completed&limit=1").await;
    let participant = first_id(&app, "/api/v1/participants?limit=1").await;
    let certificates = app.get("/api/v1/certificates?limit=1").await.body;
    let certificate = certificates["items"][0]["id"].to_string();
    let code = certificates["items"][0]["verification_code"]
        .as_str()
        .expect("a certificate")
        .to_owned();
    let holder = certificates["items"][0]["participant_id"].to_string();
    let patched = app
        .patch(
            &format!("/api/v1/participants/{holder}"),
            serde_json::json!({"email": "holder@example.org"}),
        )
        .await;
    assert_eq!(patched.status, 200, "{}", patched.text);

    let (_driver, browser, _) = start_browser("a11y").await;
    let base = app.base.as_str();
    let mut failures = Vec::new();
    // Anyone.
    for path in [
        "/portal".to_owned(),
        "/register".to_owned(),
        "/admin/sign-in".to_owned(),
        format!("/verify/{code}"),
    ] {
        check(&browser, base, &path, &mut failures).await;
    }
    // A participant, signed in by the emailed link.
    browser.goto(&format!("{base}/portal")).await;
    browser.type_into("#email", "holder@example.org").await;
    browser.click("form.stack button[type=submit]").await;
    browser.wait_for("p[role=status]").await;
    let link = link_from_outbox(&app.state.config.outbox_dir, "holder@example.org").await;
    let link_path = &link[link.find("/portal/").expect("a portal link")..];
    browser.goto(&format!("{base}{link_path}")).await;
    check(&browser, base, "/portal", &mut failures).await;
    browser.click("form.signout button").await;
    browser.wait_for("#email").await;
    // The administrator's console, and the register as an administrator opens it.
    browser.goto(&format!("{base}/admin/sign-in")).await;
    browser.type_into("#email", ADMIN_EMAIL).await;
    browser.type_into("#password", ADMIN_PASSWORD).await;
    browser.click("form.stack button[type=submit]").await;
    browser.wait_for("nav.admin-nav").await;
    for path in [
        "/admin".to_owned(),
        "/admin/workshops".to_owned(),
        "/admin/workshops/new".to_owned(),
        format!("/admin/workshops/{workshop}"),
        format!("/admin/workshops/{tot}/cascade"),
        "/admin/participants".to_owned(),
        "/admin/participants/new".to_owned(),
        format!("/admin/participants/{participant}"),
        "/admin/certificates".to_owned(),
        format!("/admin/certificates/{certificate}"),
        "/admin/reports".to_owned(),
        "/admin/outbox".to_owned(),
        "/admin/audit".to_owned(),
        "/admin/users".to_owned(),
        format!("/register/workshops/{workshop}"),
    ] {
        check(&browser, base, &path, &mut failures).await;
    }
    browser.close().await;
    assert!(
        failures.is_empty(),
        "axe-core found serious or critical violations:\n{}",
        failures.join("\n")
    );
}
