//! Real-browser tests: headless Debian Chromium driven through chromedriver (WebDriver, plus
//! DevTools commands for the phone-sized screen and for cutting the network).
//!
//! Run with `cargo test --features browser-tests --test browser`. They need `chromium` and
//! `chromium-driver` (`apt-get install -y chromium chromium-driver`) and fail, saying so,
//! without them. They also take the README's screenshots (360×740): into the target directory
//! (`target/tmp/screenshots/`), and into `docs/screenshots/` with `UPDATE_SCREENSHOTS=1`.

mod a11y;
mod admin;
mod catalogue;
mod evaluation;
#[allow(dead_code)]
#[path = "../api/helpers.rs"]
mod helpers;
mod phone;
mod signal;
mod webdriver;

use std::{
    path::{Path, PathBuf},
    time::{Duration, Instant},
};

use chrono::{Datelike, Days, Utc};
use cssd::testing::random_suffix;
use helpers::{TestApp, spawn_app};
use serde_json::{Value, json};
use signal::Signal;
use webdriver::{Browser, Driver};

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cssd-browser-{name}-{}", random_suffix()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Where a screenshot goes: the target directory on every run (look at them there), the
/// README's `docs/screenshots/` only when asked for with `UPDATE_SCREENSHOTS=1`, so that a test
/// run never changes the committed pictures by itself.
fn screenshot_path(name: &str) -> PathBuf {
    let dir = if std::env::var_os("UPDATE_SCREENSHOTS").is_some_and(|v| v == "1") {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/screenshots")
    } else {
        Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots")
    };
    dir.join(format!("{name}.png"))
}

async fn start_browser(name: &str) -> (Driver, Browser, PathBuf) {
    let driver = Driver::start().await;
    let downloads = scratch(&format!("{name}-downloads"));
    let browser = driver
        .browser(&scratch(&format!("{name}-profile")), &downloads)
        .await;
    (driver, browser, downloads)
}

/// A completed workshop whose participants hold certificates; returns the issued ones.
async fn certificates(app: &TestApp, people: &[(&str, Option<f64>)]) -> Vec<Value> {
    let course = app
        .post(
            "/api/v1/courses",
            json!({"code": "CSSD", "title": "Community Support to Service Delivery", "duration_days": 5,
                   "topics": ["Roles of council and residents", "Service charters", "Complaints handling",
                              "Participatory budgeting", "Cascading the training"]}),
        )
        .await;
    assert_eq!(course.status, 201, "{}", course.text);
    let (w, _) = app
        .completed_workshop(
            course.body["id"].as_i64().unwrap(),
            "tot",
            None,
            &[],
            people,
        )
        .await;
    let issued = app
        .post(&format!("/api/v1/workshops/{w}/certificates"), json!({}))
        .await;
    assert_eq!(issued.status, 200, "{}", issued.text);
    issued.body["issued"].as_array().unwrap().clone()
}

#[tokio::test]
async fn a_verification_link_reads_valid_and_the_holders_name() {
    let app = spawn_app().await;
    let certs = certificates(&app, &[("Tendai Moyo", Some(85.0))]).await;
    let code = certs[0]["verification_code"].as_str().unwrap();
    let (_driver, browser, _) = start_browser("verify").await;
    // What a QR code scanned before the page existed opens: the JSON endpoint sends a browser on.
    browser
        .goto(&format!("{}/api/v1/verify/{code}", app.base))
        .await;
    assert_eq!(browser.url().await, format!("{}/verify/{code}", app.base));
    assert_eq!(browser.wait_for(".verdict .big").await, "VALID");
    assert_eq!(browser.text(".holder").await, "Tendai Moyo");
    browser.screenshot(&screenshot_path("verify")).await;
    browser.close().await;
}

/// The first link in the first `.eml` file for `to` in the outbox folder (waits up to 20 s for
/// the mail worker to write it).
pub(crate) async fn link_from_outbox(outbox: &Path, to: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        for entry in std::fs::read_dir(outbox).into_iter().flatten().flatten() {
            // Mail only: the SMS transport keeps its files in a folder of its own there.
            if !entry.path().is_file() {
                continue;
            }
            let raw = std::fs::read(entry.path()).unwrap();
            let Some(message) = mail_parser::MessageParser::default().parse(&raw) else {
                continue;
            };
            let to_us = message
                .to()
                .and_then(|a| a.first())
                .and_then(|a| a.address())
                .is_some_and(|a| a == to);
            if !to_us {
                continue;
            }
            let text = message.body_text(0).unwrap().into_owned();
            if let Some(start) = text.find("http") {
                let rest = &text[start..];
                return rest[..rest.find(char::is_whitespace).unwrap_or(rest.len())].to_owned();
            }
        }
        assert!(
            Instant::now() < deadline,
            "no sign-in email reached the outbox"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test]
async fn a_participant_signs_in_through_the_emailed_link_and_downloads_their_certificate() {
    let app = spawn_app().await;
    let certs = certificates(
        &app,
        &[("Tendai Moyo", Some(85.0)), ("Rudo Dube", Some(90.0))],
    )
    .await;
    let mine = certs
        .iter()
        .find(|c| c["holder_name"] == "Tendai Moyo")
        .unwrap();
    let theirs = certs
        .iter()
        .find(|c| c["holder_name"] != "Tendai Moyo")
        .unwrap();
    let patched = app
        .patch(
            &format!("/api/v1/participants/{}", mine["participant_id"]),
            json!({"email": "tendai@example.org"}),
        )
        .await;
    assert_eq!(patched.status, 200, "{}", patched.text);
    let (_driver, browser, downloads) = start_browser("portal").await;
    browser.goto(&format!("{}/portal", app.base)).await;
    browser.type_into("#email", "tendai@example.org").await;
    browser.click("form.stack button[type=submit]").await;
    browser.wait_for("p[role=status]").await;

    let link = link_from_outbox(&app.state.config.outbox_dir, "tendai@example.org").await;
    // The test app does not listen on its configured public URL: keep the link's path.
    let path = &link[link.find("/portal/").expect("a portal link")..];
    browser.goto(&format!("{}{path}", app.base)).await;
    assert_eq!(browser.url().await, format!("{}/portal", app.base));
    let page = browser.wait_for("main").await;
    assert!(page.contains(mine["number"].as_str().unwrap()), "{page}");
    assert!(!page.contains(theirs["number"].as_str().unwrap()));
    browser.screenshot(&screenshot_path("portal")).await;

    browser
        .click(&format!(
            "a[href=\"/portal/certificates/{}/pdf\"]",
            mine["id"]
        ))
        .await;
    let deadline = Instant::now() + Duration::from_secs(20);
    let pdf = loop {
        let done = std::fs::read_dir(&downloads)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|x| x == "pdf"));
        if let Some(path) = done {
            break std::fs::read(path).unwrap();
        }
        assert!(Instant::now() < deadline, "the PDF did not download");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let (_, _, issued) = app
        .bytes(&format!("/api/v1/certificates/{}/pdf", mine["id"]))
        .await;
    assert_eq!(
        pdf, issued,
        "the downloaded PDF is the certificate as issued"
    );
    browser.close().await;
}

/// The Monday of this week where the workshops run (a workshop from then has begun).
fn this_weeks_monday() -> chrono::NaiveDate {
    let today = cssd::domain::schedule::local_today();
    today - Days::new(today.weekday().num_days_from_monday() as u64)
}

fn mark_of(register: &Value, enrolment: i64, day: usize) -> Value {
    register["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["enrolment_id"] == enrolment)
        .map(|r| r["days"][day - 1].clone())
        .unwrap_or(Value::Null)
}

#[tokio::test]
async fn offline_marks_sync_with_their_time_and_never_overwrite_a_newer_correction() {
    let app = spawn_app().await;
    let course = app.course("CC", 5).await;
    let trainer = app
        .post(
            "/api/v1/users",
            json!({"name": "Chipo Ncube", "email": "trainer@example.org", "role": "trainer",
                   "password": "a-long-password"}),
        )
        .await;
    assert_eq!(trainer.status, 201, "{}", trainer.text);
    let trainer_id = trainer.body["id"].clone();
    let w = app
        .post(
            "/api/v1/workshops",
            json!({"course_id": course, "level": "tot", "venue": "Ward 5 community hall",
                   "start_date": this_weeks_monday(), "trainer_ids": [trainer_id]}),
        )
        .await;
    assert_eq!(w.status, 201, "{}", w.text);
    // The days as the server laid them out (over any holiday).
    let days: Vec<chrono::NaiveDate> = w.body["days"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["date"].as_str().unwrap().parse().unwrap())
        .collect();
    let w = w.body["id"].as_i64().unwrap();
    let mut enrolments = vec![];
    for name in ["Tendai Moyo", "Rudo Dube", "Farai Banda"] {
        let p = app.participant(name).await;
        let e = app
            .post(
                &format!("/api/v1/workshops/{w}/enrolments"),
                json!({"participant_id": p}),
            )
            .await;
        enrolments.push(e.body["id"].as_i64().unwrap());
    }
    let (tendai, rudo) = (enrolments[0], enrolments[1]);
    let register_path = format!("/api/v1/workshops/{w}/attendance");

    let signal = Signal::relay_to(app.base.trim_start_matches("http://").parse().unwrap()).await;
    let (_driver, browser, _) = start_browser("register").await;
    browser.goto(&format!("{}/register", signal.base)).await;
    browser.type_into("#email", "trainer@example.org").await;
    browser.type_into("#password", "a-long-password").await;
    browser.click("form.stack button[type=submit]").await;
    browser.wait_for("ul.cards").await;
    browser
        .click(&format!("a[href=\"/register/workshops/{w}\"]"))
        .await;
    browser
        .wait_until("the register is ready and kept offline", "return document.getElementById('main').dataset.ready === 'true' && document.getElementById('main').dataset.kept === 'true' && !!(await caches.match(location.pathname));")
        .await;
    // The first load's weight, as the browser counted it.
    let weight = browser
        .run("return performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource')).reduce((sum, e) => sum + e.transferSize, 0);")
        .await;
    assert!(
        weight.as_f64().unwrap() < 150.0 * 1024.0,
        "first load {weight} bytes"
    );
    eprintln!("the register's first load: {weight} bytes transferred");
    let parts = browser
        .run("return performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource')).map((e) => e.name.replace(location.origin, '') + ' ' + e.transferSize + ' (' + e.decodedBodySize + ' unpacked)').join('; ');")
        .await;
    eprintln!("the register's first load, by file: {parts}");

    // No signal: the trainer marks day 1.
    signal.set(false);
    browser.set_offline(true).await;
    browser
        .wait_until(
            "the page knows it is offline",
            "return navigator.onLine === false;",
        )
        .await;
    let day =
        cssd::domain::agenda::opening_day(&days, cssd::domain::schedule::local_today()) as usize;
    browser
        .click(&format!(
            "li[data-enrolment=\"{tendai}\"] label.mark-present span"
        ))
        .await;
    browser
        .click(&format!(
            "li[data-enrolment=\"{rudo}\"] label.mark-absent span"
        ))
        .await;
    browser
        .wait_until(
            "both marks wait on the phone",
            "return document.getElementById('waiting-count').textContent === '2';",
        )
        .await;
    assert!(browser.text("#net").await.starts_with("Offline"));
    let before = app.get(&register_path).await.body;
    assert_eq!(
        mark_of(&before, rudo, day)["status"],
        Value::Null,
        "nothing reached the server while offline"
    );

    // Still offline, the page is opened again: it comes from the phone (a person enrolled on
    // the server since is not on it), with the two marks still waiting.
    let late = app.participant("Nyasha Sibanda").await;
    let enrolled = app
        .post(
            &format!("/api/v1/workshops/{w}/enrolments"),
            json!({"participant_id": late}),
        )
        .await;
    assert_eq!(enrolled.status, 201, "{}", enrolled.text);
    browser
        .goto(&format!("{}/register/workshops/{w}", signal.base))
        .await;
    browser
        .wait_until(
            "the register opens from the phone with the marks still waiting",
            "return document.getElementById('main').dataset.ready === 'true' && document.getElementById('waiting-count').textContent === '2';",
        )
        .await;
    let page = browser.text("main").await;
    assert!(
        page.contains("Tendai Moyo") && !page.contains("Nyasha Sibanda"),
        "{page}"
    );
    assert!(
        browser
            .run(&format!("return document.querySelector('li[data-enrolment=\"{rudo}\"] input[value=absent]').checked;"))
            .await
            == Value::Bool(true)
    );

    // Meanwhile an administrator corrects Tendai's mark on the server.
    let corrected_at = Utc::now();
    let correction = app
        .put(
            &register_path,
            json!({"records": [{"enrolment_id": tendai, "day": day, "status": "excused", "marked_at": corrected_at}]}),
        )
        .await;
    assert_eq!(correction.status, 200, "{}", correction.text);

    // The signal returns: the waiting marks go, carrying the time they were made.
    let back_online_at = Utc::now();
    signal.set(true);
    browser.set_offline(false).await;
    browser
        .wait_until("the queue is empty", "return document.getElementById('waiting-count').textContent === '0' && document.querySelectorAll('#log-kept li').length === 1;")
        .await;
    let after = app.get(&register_path).await.body;
    let rudo_mark = mark_of(&after, rudo, day);
    assert_eq!(rudo_mark["status"], "absent", "{after}");
    let marked_at: chrono::DateTime<Utc> =
        rudo_mark["marked_at"].as_str().unwrap().parse().unwrap();
    assert!(
        marked_at < corrected_at,
        "the mark kept the time it was made offline: {marked_at}"
    );
    assert!(marked_at < back_online_at);
    assert_eq!(
        mark_of(&after, tendai, day)["status"],
        "excused",
        "the newer correction stands"
    );
    let kept = browser.text("#log-kept").await;
    assert!(
        kept.contains("Tendai Moyo") && kept.contains("Excused"),
        "{kept}"
    );
    let state = browser
        .text(&format!("li[data-enrolment=\"{tendai}\"] .state"))
        .await;
    assert!(state.contains("Kept by the server"), "{state}");
    assert!(browser.run(&format!("return document.querySelector('li[data-enrolment=\"{tendai}\"] input[value=excused]').checked;")).await == Value::Bool(true));
    let note = browser.text("#sync-kept").await;
    assert!(
        note.contains("Tendai Moyo"),
        "the status box names the kept mark: {note}"
    );
    // The box can be put away (it stays in the log below).
    browser.click("#sync-kept-dismiss").await;
    browser
        .wait_until(
            "the conflict box is dismissed",
            "return document.getElementById('sync-kept-box').hidden === true && document.querySelectorAll('#log-kept li').length === 1;",
        )
        .await;

    // Scores go the same way: typed, saved, and in the results.
    browser
        .type_into(
            &format!("#scores tr[data-enrolment=\"{rudo}\"] input[name=post_test]"),
            "72.5",
        )
        .await;
    browser.click("#scores button[type=submit]").await;
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let results = app
            .get(&format!("/api/v1/workshops/{w}/results"))
            .await
            .body;
        let rudo_result = results["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["enrolment_id"] == rudo)
            .cloned()
            .unwrap();
        if rudo_result["post_test_percent"] == json!(72.5) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the score did not arrive: {results}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    browser.run("window.scrollTo(0, 0); return true;").await;
    browser.screenshot(&screenshot_path("register")).await;

    // Signing out (a shared phone) forgets the kept copy of the register.
    browser.click("form.signout button").await;
    browser.wait_for("#password").await;
    let forgotten = browser
        .run(&format!(
            "return !(await caches.match('/register/workshops/{w}'));"
        ))
        .await;
    assert_eq!(
        forgotten,
        Value::Bool(true),
        "the register copy was not forgotten"
    );
    browser.close().await;
}

/// What the register keeps in IndexedDB: (rosters other than the owner record, log entries,
/// marks waiting).
const KEPT: &str = "const open = indexedDB.open('cssd-register', 1); \
    const d = await new Promise((ok, no) => { open.onsuccess = () => ok(open.result); open.onerror = () => no(open.error); }); \
    const count = (s) => new Promise((ok) => { const r = d.transaction(s).objectStore(s).getAll(); r.onsuccess = () => ok(r.result); }); \
    const rosters = (await count('rosters')).filter((r) => r.key !== 'owner').length; \
    const log = (await count('log')).length; const pending = (await count('pending')).length; d.close(); \
    return [rosters, log, pending];";

#[tokio::test]
async fn the_list_opens_offline_mark_all_and_signing_out_or_a_401_leaves_nothing_behind() {
    let app = spawn_app().await;
    let course = app.course("CC", 5).await;
    let mut trainers = vec![];
    for (name, email) in [
        ("Chipo Ncube", "trainer@example.org"),
        ("Farai Zulu", "second@example.org"),
    ] {
        let t = app
            .post(
                "/api/v1/users",
                json!({"name": name, "email": email, "role": "trainer", "password": "a-long-password"}),
            )
            .await;
        assert_eq!(t.status, 201, "{}", t.text);
        trainers.push(t.body["id"].as_i64().unwrap());
    }
    let w = app
        .post(
            "/api/v1/workshops",
            json!({"course_id": course, "level": "tot", "venue": "Ward 5 community hall",
                   "start_date": this_weeks_monday(), "trainer_ids": [trainers[0]]}),
        )
        .await;
    assert_eq!(w.status, 201, "{}", w.text);
    let days: Vec<chrono::NaiveDate> = w.body["days"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["date"].as_str().unwrap().parse().unwrap())
        .collect();
    let w = w.body["id"].as_i64().unwrap();
    let mut enrolments = vec![];
    for name in ["Tendai Moyo", "Rudo Dube", "Farai Banda"] {
        let p = app.participant(name).await;
        let e = app
            .post(
                &format!("/api/v1/workshops/{w}/enrolments"),
                json!({"participant_id": p}),
            )
            .await;
        enrolments.push(e.body["id"].as_i64().unwrap());
    }
    let day =
        cssd::domain::agenda::opening_day(&days, cssd::domain::schedule::local_today()) as usize;
    let register_path = format!("/api/v1/workshops/{w}/attendance");
    let signal = Signal::relay_to(app.base.trim_start_matches("http://").parse().unwrap()).await;
    let (_driver, browser, _) = start_browser("register-list").await;
    let sign_in = |email: &'static str| {
        let browser = &browser;
        let base = signal.base.clone();
        async move {
            browser.goto(&format!("{base}/register")).await;
            browser.type_into("#email", email).await;
            browser.type_into("#password", "a-long-password").await;
            browser.click("form.stack button[type=submit]").await;
            browser.wait_for("ul.cards").await;
        }
    };
    sign_in("trainer@example.org").await;
    browser
        .wait_until(
            "the list is kept offline",
            "return document.getElementById('main').dataset.kept === 'true';",
        )
        .await;
    browser
        .click(&format!("a[href=\"/register/workshops/{w}\"]"))
        .await;
    browser
        .wait_until("the register is ready", "return document.getElementById('main').dataset.ready === 'true' && document.getElementById('main').dataset.kept === 'true';")
        .await;

    // Everyone present in one tap, then the one who was not changed.
    browser.click("#mark-all").await;
    browser
        .wait_until("three marks sent", "return document.getElementById('waiting-count').textContent === '0' && document.querySelectorAll('#log-synced li').length === 3;")
        .await;
    let after = app.get(&register_path).await.body;
    for e in &enrolments {
        assert_eq!(mark_of(&after, *e, day)["status"], "present", "{after}");
    }
    browser
        .click(&format!(
            "li[data-enrolment=\"{}\"] label.mark-absent span",
            enrolments[1]
        ))
        .await;
    browser
        .wait_until("the change is sent", "return document.getElementById('waiting-count').textContent === '0' && document.querySelectorAll('#log-synced li').length === 4;")
        .await;
    assert_eq!(
        mark_of(&app.get(&register_path).await.body, enrolments[1], day)["status"],
        "absent"
    );

    // No signal: the list of workshops opens from the phone too.
    signal.set(false);
    browser.set_offline(true).await;
    browser.goto(&format!("{}/register", signal.base)).await;
    let list = browser.wait_for("ul.cards").await;
    assert!(list.contains("Ward 5 community hall"), "{list}");

    // A mark made offline, then the account is deactivated: the next sync gets 401, and the
    // phone forgets the register but keeps the mark, saying so, until it is discarded.
    browser
        .goto(&format!("{}/register/workshops/{w}", signal.base))
        .await;
    browser
        .wait_until(
            "the register opens offline",
            "return document.getElementById('main').dataset.ready === 'true';",
        )
        .await;
    browser
        .click(&format!(
            "li[data-enrolment=\"{}\"] label.mark-late span",
            enrolments[2]
        ))
        .await;
    browser
        .wait_until(
            "the mark waits",
            "return document.getElementById('waiting-count').textContent === '1';",
        )
        .await;
    let off = app
        .patch(
            &format!("/api/v1/users/{}", trainers[0]),
            json!({"active": false}),
        )
        .await;
    assert_eq!(off.status, 200, "{}", off.text);
    signal.set(true);
    browser.set_offline(false).await;
    browser.click("#send-now").await;
    browser
        .wait_until(
            "the page says the session ended",
            "return !document.getElementById('session-note').hidden;",
        )
        .await;
    let note = browser.text("#session-note").await;
    assert!(
        note.contains("removed from this phone") && note.contains("1 marks"),
        "{note}"
    );
    let kept = browser.run(KEPT).await;
    assert_eq!(
        kept,
        json!([0, 0, 1]),
        "rosters and log gone, the unsent mark kept"
    );
    assert_eq!(
        browser.run(&format!("return !(await caches.match('/register/workshops/{w}')) && !(await caches.match('/register'));")).await,
        Value::Bool(true),
        "the kept pages are gone"
    );
    browser.click("#session-note button").await;
    browser
        .wait_until(
            "the mark is discarded",
            "return document.querySelector('#session-note button').hidden === true;",
        )
        .await;
    assert_eq!(browser.run(KEPT).await, json!([0, 0, 0]));

    // Another trainer on the same phone finds nothing of the first one's.
    let on = app
        .patch(
            &format!("/api/v1/users/{}", trainers[0]),
            json!({"active": true}),
        )
        .await;
    assert_eq!(on.status, 200, "{}", on.text);
    sign_in("trainer@example.org").await;
    browser
        .click(&format!("a[href=\"/register/workshops/{w}\"]"))
        .await;
    browser
        .wait_until(
            "the register is kept again",
            "return document.getElementById('main').dataset.kept === 'true';",
        )
        .await;
    assert_eq!(browser.run(KEPT).await.get(0), Some(&json!(1)));
    // Signing out from the list page (with nothing waiting) forgets it all.
    browser.goto(&format!("{}/register", signal.base)).await;
    browser
        .wait_until(
            "the list is ready",
            "return document.getElementById('main').dataset.ready === 'true';",
        )
        .await;
    browser.click("form.signout button").await;
    browser.wait_for("#password").await;
    assert_eq!(browser.run(KEPT).await, json!([0, 0, 0]));
    assert_eq!(
        browser
            .run(&format!(
                "return !(await caches.match('/register/workshops/{w}'));"
            ))
            .await,
        Value::Bool(true)
    );
    sign_in("second@example.org").await;
    let page = browser.text("main").await;
    assert!(!page.contains("Ward 5 community hall"), "{page}");
    assert_eq!(browser.run(KEPT).await, json!([0, 0, 0]));
    // Offline, the first trainer's register is not on the phone.
    signal.set(false);
    browser.set_offline(true).await;
    browser
        .goto(&format!("{}/register/workshops/{w}", signal.base))
        .await;
    let shown = browser
        .run("return document.body ? document.body.innerText : '';")
        .await;
    assert!(
        !shown.as_str().unwrap_or_default().contains("Tendai Moyo"),
        "{shown}"
    );
    browser.close().await;
}
