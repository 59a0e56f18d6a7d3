//! The pages for people, over HTTP as a browser sees them: status, content type, what they
//! show, who may see them, their security headers, cookies and CSRF.

use chrono::{Datelike, Days};
use entity::{email_outbox, sign_in_link};
use reqwest::header;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, EntityTrait, IntoActiveModel};
use serde_json::{Value, json};

use crate::{
    browser::{Browser, Page, assert_page_headers},
    helpers::{TestApp, future_monday, spawn_app, spawn_app_with},
};

async fn issue(app: &TestApp, workshop: i64) -> Value {
    let resp = app
        .post(
            &format!("/api/v1/workshops/{workshop}/certificates"),
            json!({}),
        )
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    resp.body["issued"].clone()
}

/// A completed workshop with two certified people, their certificates, and the participant ids.
async fn two_certificates(app: &TestApp) -> (Vec<Value>, Vec<i64>) {
    let course = app.course("WQ", 5).await;
    let (w, people) = app
        .completed_workshop(
            course,
            "tot",
            None,
            &[],
            &[("Tendai Moyo", Some(80.0)), ("Rudo Dube", Some(90.0))],
        )
        .await;
    let issued = issue(app, w).await;
    let certs = issued.as_array().unwrap().clone();
    (certs, people.iter().map(|p| p.0).collect())
}

pub(crate) async fn give_email(app: &TestApp, participant: i64, email: &str) {
    let resp = app
        .patch(
            &format!("/api/v1/participants/{participant}"),
            json!({"email": email}),
        )
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
}

/// The sign-in links delivered to `to` (as `.eml` files in the outbox folder), as paths (the
/// tests' apps do not listen on their configured public URL); waits up to 20 s for `count`.
async fn links_mailed_to(app: &TestApp, to: &str, count: usize) -> Vec<String> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let mut found = vec![];
        for entry in std::fs::read_dir(&app.state.config.outbox_dir)
            .into_iter()
            .flatten()
            .flatten()
        {
            let raw = std::fs::read(entry.path()).unwrap();
            let Some(message) = mail_parser::MessageParser::default().parse(&raw) else {
                continue;
            };
            let to_them = message
                .to()
                .and_then(|a| a.first())
                .and_then(|a| a.address())
                .is_some_and(|a| a == to);
            let text = message
                .body_text(0)
                .map(|t| t.into_owned())
                .unwrap_or_default();
            if let (true, Some(start)) = (to_them, text.find("/portal/link/")) {
                let rest = &text[start..];
                found.push(rest[..rest.find(char::is_whitespace).unwrap_or(rest.len())].to_owned());
            }
        }
        if found.len() >= count || std::time::Instant::now() > deadline {
            return found;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// The one sign-in link delivered to `to`.
async fn link_mailed_to(app: &TestApp, to: &str) -> Option<String> {
    links_mailed_to(app, to, 1).await.pop()
}

async fn ask_for_link(app: &TestApp, email: &str) -> u16 {
    app.anonymous()
        .post("/api/v1/auth/email-link", json!({"email": email}))
        .await
        .status
        .as_u16()
}

/// A participant signed in through their emailed link.
pub(crate) async fn participant_browser<'a>(app: &'a TestApp, email: &str) -> Browser<'a> {
    assert_eq!(ask_for_link(app, email).await, 202);
    let link = link_mailed_to(app, email).await.expect("a link was mailed");
    let mut browser = Browser::new(app);
    let opened = browser.get(&link).await;
    assert_eq!(opened.status, 303, "{}", opened.text);
    assert_eq!(opened.header("location"), "/portal");
    browser
}

// --- Verification -------------------------------------------------------------------------

#[tokio::test]
async fn the_verification_page_shows_valid_and_what_the_certificate_prints_without_script() {
    let app = spawn_app().await;
    let (certs, _) = two_certificates(&app).await;
    let cert = &certs[0];
    let code = cert["verification_code"].as_str().unwrap();
    let mut browser = Browser::new(&app);
    let page = browser.get(&format!("/verify/{code}")).await;
    page.assert_html(200);
    for shown in [
        "VALID",
        cert["holder_name"].as_str().unwrap(),
        "Course WQ",
        "Training of Trainers — certified to train others",
        cert["number"].as_str().unwrap(),
        "Town House, Harare",
        "2 – 6 March 2026",
        "Institute of Water and Sanitation Development",
        &format!("/api/v1/verify/{code}?format=json"),
    ] {
        assert!(
            page.text.contains(shown),
            "{shown:?} missing: {}",
            page.text
        );
    }
    assert!(!page.text.contains("<script"), "needs no script");
    assert!(!page.text.contains("REVOKED"));
    assert!(
        browser.cookies.is_empty(),
        "a public page sets no cookie: {:?}",
        browser.cookies
    );
}

#[tokio::test]
async fn a_revoked_certificate_page_says_revoked_with_the_date() {
    let app = spawn_app().await;
    let (certs, _) = two_certificates(&app).await;
    let cert = &certs[0];
    let revoked = app
        .post(
            &format!("/api/v1/certificates/{}/revoke", cert["id"]),
            json!({"reason": "issued in error"}),
        )
        .await;
    assert_eq!(revoked.status, 200, "{}", revoked.text);
    let page = Browser::new(&app)
        .get(&format!(
            "/verify/{}",
            cert["verification_code"].as_str().unwrap()
        ))
        .await;
    page.assert_html(200);
    assert!(page.text.contains("REVOKED"));
    let today = chrono::Utc::now()
        .date_naive()
        .format("%-d %B %Y")
        .to_string();
    assert!(
        page.text.contains(&format!("Revoked on {today}")),
        "{}",
        page.text
    );
    assert!(!page.text.contains(">VALID<"));
}

#[tokio::test]
async fn an_unknown_code_gets_an_html_404_page_that_says_so() {
    let app = spawn_app().await;
    let page = Browser::new(&app).get("/verify/not-a-real-code").await;
    page.assert_html(404);
    assert!(
        page.text
            .contains("No certificate has this verification code")
    );
}

#[tokio::test]
async fn the_json_endpoint_sends_browsers_to_the_page_and_machines_get_json() {
    let app = spawn_app().await;
    let (certs, _) = two_certificates(&app).await;
    let code = certs[0]["verification_code"].as_str().unwrap();
    let mut browser = Browser::new(&app);
    let redirected = browser.get(&format!("/api/v1/verify/{code}")).await;
    assert_eq!(redirected.status, 303);
    assert_eq!(redirected.header("location"), format!("/verify/{code}"));
    let machine = app.anonymous().get(&format!("/api/v1/verify/{code}")).await;
    assert_eq!(machine.status, 200);
    assert_eq!(machine.body["valid"], true);
    let asked = browser
        .get(&format!("/api/v1/verify/{code}?format=json"))
        .await;
    assert_eq!(asked.status, 200);
    assert!(asked.header("content-type").starts_with("application/json"));
    assert!(
        certs[0]["verification_url"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/verify/{code}"))
    );
}

// --- Participant sign-in by email link ---------------------------------------------------

#[tokio::test]
async fn asking_for_a_link_is_202_either_way_and_only_a_participant_gets_mail() {
    let app = spawn_app().await;
    let p = app.participant("Tendai Moyo").await;
    give_email(&app, p, "tendai@example.org").await;
    assert_eq!(ask_for_link(&app, "Tendai@Example.org").await, 202);
    assert_eq!(ask_for_link(&app, "nobody@example.org").await, 202);
    let link = link_mailed_to(&app, "tendai@example.org").await.unwrap();
    assert!(link.contains("/portal/link/cssd_l_"), "{link}");
    assert!(
        links_mailed_to(&app, "nobody@example.org", 0)
            .await
            .is_empty()
    );
    let stored = sign_in_link::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(stored.len(), 1);
    let secret = link.rsplit('/').next().unwrap();
    assert_ne!(stored[0].token_hash, secret, "only the hash is kept");
    let emails = app.get("/api/v1/emails").await;
    assert_eq!(emails.body["total"], 1, "{}", emails.text);
    // Once handed over, the stored copy keeps the words but not the secret.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let stored = loop {
        let stored = email_outbox::Entity::find()
            .one(&app.state.db)
            .await
            .unwrap()
            .unwrap();
        if !stored.body_text.contains(secret) {
            break stored;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the sent email's stored copy still holds the secret"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    assert!(!stored.body_html.contains(secret));
    assert_eq!(stored.status, email_outbox::EmailStatus::Sent);
    assert!(
        stored
            .body_text
            .contains("/portal/link/[removed once sent]")
    );
}

#[tokio::test]
async fn a_bad_email_link_request_is_a_problem_and_mails_nothing() {
    let app = spawn_app().await;
    let resp = app
        .anonymous()
        .post("/api/v1/auth/email-link", json!({"mail": "x@example.org"}))
        .await;
    resp.assert_problem(422);
    assert!(resp.field_error("email").is_some(), "{}", resp.text);
    let resp = app
        .anonymous()
        .request_raw(
            reqwest::Method::POST,
            "/api/v1/auth/email-link",
            "application/json",
            "{",
        )
        .await;
    resp.assert_problem(400);
    for malformed in ["", "not an address", "someone@localhost"] {
        let resp = app
            .anonymous()
            .post("/api/v1/auth/email-link", json!({"email": malformed}))
            .await;
        resp.assert_problem(422);
        assert!(resp.field_error("email").is_some(), "{}", resp.text);
    }
    let long = format!("{}@example.org", "a".repeat(300));
    let resp = app
        .anonymous()
        .post("/api/v1/auth/email-link", json!({"email": long}))
        .await;
    resp.assert_problem(422);
    assert_eq!(app.get("/api/v1/emails").await.body["total"], 0);
}

#[tokio::test]
async fn asking_again_and_again_for_links_is_throttled_like_login() {
    let app = spawn_app().await;
    let mut statuses = vec![];
    for _ in 0..6 {
        statuses.push(ask_for_link(&app, "someone@example.org").await);
    }
    assert_eq!(statuses[..5], [202; 5]);
    let resp = app
        .anonymous()
        .post(
            "/api/v1/auth/email-link",
            json!({"email": "someone@example.org"}),
        )
        .await;
    resp.assert_problem(429);
    assert!(resp.headers.get("retry-after").is_some());
}

#[tokio::test]
async fn a_link_signs_in_once_and_creates_the_participant_account_on_first_use() {
    let app = spawn_app().await;
    let p = app.participant("Tendai Moyo").await;
    give_email(&app, p, "tendai@example.org").await;
    assert_eq!(ask_for_link(&app, "tendai@example.org").await, 202);
    let link = link_mailed_to(&app, "tendai@example.org").await.unwrap();
    let mut browser = Browser::new(&app);
    let opened = browser.get(&link).await;
    assert_eq!(opened.status, 303);
    assert_page_headers(&opened);
    let cookie = opened
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("cssd_session="))
        .expect("a session cookie");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(!cookie.contains("Secure"), "plain http in tests: {cookie}");
    let token = browser.cookies["cssd_session"].clone();
    let me = app.with_token(&token).get("/api/v1/me").await;
    assert_eq!(me.body["role"], "participant");
    assert_eq!(me.body["participant_id"], p);
    let home = browser.get("/portal").await;
    home.assert_html(200);
    assert!(home.text.contains("Tendai Moyo"));

    let again = Browser::new(&app).get(&link).await;
    again.assert_html(410);
    assert!(again.text.contains("already used, has expired"));
    // A second link for the same person finds the account made by the first.
    assert_eq!(ask_for_link(&app, "tendai@example.org").await, 202);
    let links = links_mailed_to(&app, "tendai@example.org", 2).await;
    assert_eq!(links.len(), 2);
    let second = links.into_iter().find(|l| *l != link).unwrap();
    assert_eq!(Browser::new(&app).get(&second).await.status, 303);
    let users = app.get("/api/v1/users?role=participant").await;
    assert_eq!(users.body["total"], 1, "{}", users.text);
}

#[tokio::test]
async fn an_expired_or_made_up_link_does_not_sign_in() {
    let app = spawn_app().await;
    let p = app.participant("Tendai Moyo").await;
    give_email(&app, p, "tendai@example.org").await;
    assert_eq!(ask_for_link(&app, "tendai@example.org").await, 202);
    let link = link_mailed_to(&app, "tendai@example.org").await.unwrap();
    let stored = sign_in_link::Entity::find()
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let mut expired = stored.into_active_model();
    expired.expires_at = Set(chrono::Utc::now() - chrono::Duration::minutes(1));
    expired.update(&app.state.db).await.unwrap();
    let mut browser = Browser::new(&app);
    browser.get(&link).await.assert_html(410);
    assert!(!browser.cookies.contains_key("cssd_session"));
    browser
        .get("/portal/link/cssd_l_made-up")
        .await
        .assert_html(410);
}

#[tokio::test]
async fn staff_linked_to_a_participant_record_get_no_link() {
    let app = spawn_app().await;
    let p = app.participant("Tendai Moyo").await;
    give_email(&app, p, "tendai@example.org").await;
    app.user_token("trainer", "tendai.trainer@example.org", Some(p))
        .await;
    assert_eq!(ask_for_link(&app, "tendai@example.org").await, 202);
    // The request is handled after the answer: wait for it, then nothing was mailed.
    links_handled(&app, 1).await;
    assert_eq!(app.get("/api/v1/emails").await.body["total"], 0);
}

/// Waits (up to 20 s) until `count` link requests have been handled to the end.
async fn links_handled(app: &TestApp, count: u64) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while app.state.sign_in.links_handled() < count {
        assert!(
            std::time::Instant::now() < deadline,
            "link requests were never handled"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn the_email_link_is_answered_before_the_address_is_looked_up() {
    let app = spawn_app().await;
    let p = app.participant("Tendai Moyo").await;
    give_email(&app, p, "tendai@example.org").await;
    // Hold the database so that no lookup can finish: the answer must not wait for one.
    let db = &app.state.db;
    let held = cssd::db::begin_write(db).await.unwrap();
    if db.get_database_backend() == sea_orm::DbBackend::Postgres {
        held.execute_unprepared("LOCK TABLE participant IN ACCESS EXCLUSIVE MODE")
            .await
            .unwrap();
    }
    for email in ["tendai@example.org", "nobody@example.org"] {
        let answer = tokio::time::timeout(
            std::time::Duration::from_secs(20),
            app.anonymous()
                .post("/api/v1/auth/email-link", json!({"email": email})),
        )
        .await
        .expect("answered while the lookup could not run");
        assert_eq!(answer.status, 202, "{}", answer.text);
    }
    assert_eq!(app.state.sign_in.links_handled(), 0);
    drop(held);
    links_handled(&app, 2).await;
    assert!(link_mailed_to(&app, "tendai@example.org").await.is_some());
    let emails = app.get("/api/v1/emails").await;
    assert_eq!(emails.body["total"], 1, "{}", emails.text);
    assert_eq!(emails.body["items"][0]["kind"], "sign_in_link");
}

#[tokio::test]
async fn a_deactivated_participant_gets_no_link_and_no_session() {
    let app = spawn_app().await;
    let p = app.participant("Tendai Moyo").await;
    give_email(&app, p, "tendai@example.org").await;
    // Their account exists (made by a first link); a second link is mailed and kept unopened.
    participant_browser(&app, "tendai@example.org").await;
    assert_eq!(ask_for_link(&app, "tendai@example.org").await, 202);
    let kept = links_mailed_to(&app, "tendai@example.org", 2).await;
    assert_eq!(kept.len(), 2);
    let users = app.get("/api/v1/users?role=participant").await;
    let user = users.body["items"][0]["id"].as_i64().unwrap();
    let off = app
        .patch(&format!("/api/v1/users/{user}"), json!({"active": false}))
        .await;
    assert_eq!(off.status, 200, "{}", off.text);
    // Deactivated: asking mails nothing, and the kept link opens nothing.
    assert_eq!(ask_for_link(&app, "tendai@example.org").await, 202);
    links_handled(&app, 3).await;
    assert_eq!(
        links_mailed_to(&app, "tendai@example.org", 2).await.len(),
        2
    );
    let unopened = kept.iter().find(|l| !l.is_empty()).cloned().unwrap();
    let mut browser = Browser::new(&app);
    let links: Vec<Page> = {
        let mut pages = vec![];
        for link in &kept {
            pages.push(browser.get(link).await);
        }
        pages
    };
    assert!(links.iter().all(|page| page.status == 410), "{unopened}");
    assert!(!browser.cookies.contains_key("cssd_session"));
    // Reactivated, nothing opened while they were deactivated comes to life.
    app.patch(&format!("/api/v1/users/{user}"), json!({"active": true}))
        .await;
    let home = browser.get("/portal").await;
    home.assert_html(200);
    assert!(home.text.contains("<label for=\"email\">"), "not signed in");
}

#[tokio::test]
async fn asking_for_links_never_locks_password_logins_from_the_same_address() {
    let app = spawn_app().await;
    app.user_token("trainer", "trainer@example.org", None).await;
    for i in 0..25 {
        ask_for_link(&app, &format!("visitor{i}@example.org")).await;
    }
    assert_eq!(
        ask_for_link(&app, "one.more@example.org").await,
        429,
        "the address's link requests are throttled"
    );
    let login = app
        .anonymous()
        .post(
            "/api/v1/auth/login",
            json!({"email": "trainer@example.org", "password": "a-long-password"}),
        )
        .await;
    assert_eq!(login.status, 200, "{}", login.text);
}

#[tokio::test]
async fn a_megabyte_email_on_any_sign_in_form_is_refused_before_it_is_remembered() {
    let app = spawn_app().await;
    let huge = format!("{}@example.org", "a".repeat(900_000));
    let remembered = app.state.sign_in.throttle.len();
    for (page, path) in [
        ("/portal", "/portal/sign-in"),
        ("/register", "/register/sign-in"),
        ("/admin/sign-in", "/admin/sign-in"),
    ] {
        let mut browser = Browser::new(&app);
        let csrf = browser.get(page).await.csrf();
        for _ in 0..5 {
            let refused = browser
                .post(
                    path,
                    &[
                        ("csrf", &csrf),
                        ("email", &huge),
                        ("password", "whatever-it-is"),
                    ],
                )
                .await;
            refused.assert_html(422);
            assert!(
                refused.text.len() < 100_000,
                "the address is not echoed back"
            );
        }
    }
    assert_eq!(
        app.state.sign_in.throttle.len(),
        remembered,
        "nothing was remembered for refused addresses"
    );
    // The forms still work for a real address.
    let mut browser = Browser::new(&app);
    let csrf = browser.get("/portal").await.csrf();
    browser
        .post(
            "/portal/sign-in",
            &[("csrf", &csrf), ("email", "nobody@example.org")],
        )
        .await
        .assert_html(200);
}

// --- Participant portal -------------------------------------------------------------------

#[tokio::test]
async fn the_portal_asks_for_an_email_address_when_nobody_is_signed_in() {
    let app = spawn_app().await;
    let mut browser = Browser::new(&app);
    let page = browser.get("/portal").await;
    page.assert_html(200);
    assert!(page.text.contains("<label for=\"email\">"));
    assert!(browser.cookies.contains_key("cssd_csrf"));
    let csrf = page.csrf();
    let sent = browser
        .post(
            "/portal/sign-in",
            &[("csrf", &csrf), ("email", "nobody@example.org")],
        )
        .await;
    sent.assert_html(200);
    assert!(sent.text.contains("Check your email"));
    let forged = Browser::new(&app)
        .post(
            "/portal/sign-in",
            &[("csrf", &csrf), ("email", "nobody@example.org")],
        )
        .await;
    forged.assert_html(403);
}

#[tokio::test]
async fn a_participant_downloads_their_own_certificate_and_never_anothers() {
    let app = spawn_app().await;
    let (certs, people) = two_certificates(&app).await;
    give_email(&app, people[0], "tendai@example.org").await;
    let mut browser = participant_browser(&app, "tendai@example.org").await;
    let home = browser.get("/portal").await;
    home.assert_html(200);
    let own = certs
        .iter()
        .find(|c| c["participant_id"] == people[0])
        .unwrap();
    let other = certs
        .iter()
        .find(|c| c["participant_id"] != people[0])
        .unwrap();
    assert!(home.text.contains(own["number"].as_str().unwrap()));
    assert!(!home.text.contains(other["number"].as_str().unwrap()));
    assert!(!home.text.contains("Rudo Dube"));

    let pdf = browser
        .get(&format!("/portal/certificates/{}/pdf", own["id"]))
        .await;
    assert_eq!(pdf.status, 200);
    assert_eq!(pdf.header("content-type"), "application/pdf");
    assert!(pdf.bytes.starts_with(b"%PDF"));
    assert_page_headers(&pdf);
    let (_, _, issued) = app
        .bytes(&format!("/api/v1/certificates/{}/pdf", own["id"]))
        .await;
    assert_eq!(pdf.bytes, issued, "the PDF exactly as issued");

    let theirs = browser
        .get(&format!("/portal/certificates/{}/pdf", other["id"]))
        .await;
    theirs.assert_html(404);
    assert!(!theirs.bytes.starts_with(b"%PDF"));
    let anonymous = Browser::new(&app)
        .get(&format!("/portal/certificates/{}/pdf", own["id"]))
        .await;
    assert_eq!(anonymous.status, 303);
    assert_eq!(anonymous.header("location"), "/portal");
}

#[tokio::test]
async fn the_portal_shows_dates_venue_schedule_waitlist_place_and_a_calendar() {
    let app = spawn_app().await;
    let course = app.course("CC", 5).await;
    let w = app.workshop(course, &future_monday(), 1).await;
    let w = w["id"].as_i64().unwrap();
    let first = app.participant("Rudo Dube").await;
    let p = app.participant("Tendai Moyo").await;
    give_email(&app, p, "tendai@example.org").await;
    for who in [first, p] {
        let e = app
            .post(
                &format!("/api/v1/workshops/{w}/enrolments"),
                json!({"participant_id": who}),
            )
            .await;
        assert_eq!(e.status, 201, "{}", e.text);
    }
    let mut browser = participant_browser(&app, "tendai@example.org").await;
    let home = browser.get("/portal").await;
    home.assert_html(200);
    for shown in [
        "Course CC",
        "On the waitlist",
        "Number 1 on the waitlist",
        "Town House, Harare",
        "Day 1",
        "Day 5",
        "Roles",
        "Champions",
    ] {
        assert!(
            home.text.contains(shown),
            "{shown:?} missing: {}",
            home.text
        );
    }
    assert!(!home.text.contains("Rudo Dube"));
    let ics = browser
        .get(&format!("/portal/workshops/{w}/calendar.ics"))
        .await;
    assert_eq!(ics.status, 200);
    assert!(ics.header("content-type").starts_with("text/calendar"));
    assert_eq!(ics.text.matches("BEGIN:VEVENT").count(), 5);
    let other = app.workshop(course, &future_monday(), 10).await;
    let not_mine = browser
        .get(&format!("/portal/workshops/{}/calendar.ics", other["id"]))
        .await;
    not_mine.assert_html(404);
}

#[tokio::test]
async fn signing_out_ends_the_session_for_the_pages_and_the_api() {
    let app = spawn_app().await;
    let p = app.participant("Tendai Moyo").await;
    give_email(&app, p, "tendai@example.org").await;
    let mut browser = participant_browser(&app, "tendai@example.org").await;
    let token = browser.cookies["cssd_session"].clone();
    let home = browser.get("/portal").await;
    let csrf = home.csrf();
    let out = browser
        .post("/sign-out", &[("csrf", &csrf), ("next", "/portal")])
        .await;
    assert_eq!(out.status, 303);
    assert!(!browser.cookies.contains_key("cssd_session"));
    app.with_token(&token)
        .get("/api/v1/me")
        .await
        .assert_problem(401);
    let again = browser.get("/portal").await;
    assert!(again.text.contains("Email me a sign-in link"));
}

// --- Trainer's register -------------------------------------------------------------------

/// The Monday of this week in Harare (a workshop from then has begun).
fn this_weeks_monday() -> String {
    let today = cssd::domain::schedule::local_today();
    let back = today.weekday().num_days_from_monday() as u64;
    (today - Days::new(back)).to_string()
}

/// Two workshops with a trainer each; the first has two people enrolled.
struct Registers {
    app: TestApp,
    mine: i64,
    theirs: i64,
    enrolments: Vec<i64>,
}

async fn registers() -> Registers {
    let app = spawn_app().await;
    let course = app.course("WQ", 5).await;
    let mut trainer_ids = vec![];
    for email in ["trainer@example.org", "other.trainer@example.org"] {
        let token = app.user_token("trainer", email, None).await;
        trainer_ids.push(
            app.with_token(&token).get("/api/v1/me").await.body["id"]
                .as_i64()
                .unwrap(),
        );
    }
    let mut ids = vec![];
    for (start, trainer) in [
        (this_weeks_monday(), trainer_ids[0]),
        (future_monday(), trainer_ids[1]),
    ] {
        let body = json!({"course_id": course, "level": "tot", "venue": "Ward 5 hall",
            "start_date": start, "trainer_ids": [trainer]});
        let w = app.post("/api/v1/workshops", body).await;
        assert_eq!(w.status, 201, "{}", w.text);
        ids.push(w.body["id"].as_i64().unwrap());
    }
    let mut enrolments = vec![];
    for name in ["Tendai Moyo", "Rudo Dube"] {
        let p = app.participant(name).await;
        let e = app
            .post(
                &format!("/api/v1/workshops/{}/enrolments", ids[0]),
                json!({"participant_id": p}),
            )
            .await;
        enrolments.push(e.body["id"].as_i64().unwrap());
    }
    Registers {
        app,
        mine: ids[0],
        theirs: ids[1],
        enrolments,
    }
}

#[tokio::test]
async fn a_trainer_signs_in_with_a_password_and_sees_their_workshops_only() {
    let r = registers().await;
    let mut browser = Browser::new(&r.app);
    let form = browser.get("/register").await;
    form.assert_html(200);
    assert!(form.text.contains("type=\"password\""));
    let wrong = browser
        .trainer_sign_in("trainer@example.org", "not-the-password")
        .await;
    wrong.assert_html(401);
    assert!(
        wrong
            .text
            .contains("The email address or password is wrong")
    );
    assert!(!browser.cookies.contains_key("cssd_session"));
    let signed_in = browser
        .trainer_sign_in("trainer@example.org", "a-long-password")
        .await;
    assert_eq!(signed_in.status, 303, "{}", signed_in.text);
    assert_eq!(signed_in.header("location"), "/register");
    let list = browser.get("/register").await;
    list.assert_html(200);
    assert!(
        list.text
            .contains(&format!("/register/workshops/{}", r.mine))
    );
    assert!(
        !list
            .text
            .contains(&format!("/register/workshops/{}", r.theirs))
    );
    let weekday = cssd::domain::schedule::local_today()
        .weekday()
        .num_days_from_monday();
    if weekday < 5 {
        assert!(list.text.contains("Running today"), "{}", list.text);
    }
}

#[tokio::test]
async fn the_register_shows_the_days_and_the_enrolled_people_ready_for_offline_use() {
    let r = registers().await;
    let mut browser = Browser::new(&r.app);
    browser
        .trainer_sign_in("trainer@example.org", "a-long-password")
        .await;
    let page = browser
        .get(&format!("/register/workshops/{}", r.mine))
        .await;
    page.assert_html(200);
    assert_eq!(page.header("x-cssd-offline"), "keep");
    for shown in [
        "Tendai Moyo",
        "Rudo Dube",
        "Day 1",
        "Day 5",
        "Present",
        "Late",
        "Absent",
        "Excused",
        "Pre-test",
        "data-roster=",
    ] {
        assert!(page.text.contains(shown), "{shown:?} missing");
    }
    for enrolment in &r.enrolments {
        assert!(page.text.contains(&format!("name=\"m{enrolment}\"")));
    }
    assert!(!page.text.contains("<script>"), "no inline script");
    let roster_start = page.text.find("data-roster=\"").unwrap() + 13;
    let raw = &page.text[roster_start..];
    let raw = raw[..raw.find('"').unwrap()]
        .replace("&#34;", "\"")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    let roster: Value = serde_json::from_str(&raw).expect("the roster is JSON");
    assert_eq!(roster["workshop_id"], r.mine);
    assert_eq!(roster["dates"].as_array().unwrap().len(), 5);
    assert_eq!(roster["people"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn a_trainer_never_sees_another_workshops_register() {
    let r = registers().await;
    let mut browser = Browser::new(&r.app);
    browser
        .trainer_sign_in("trainer@example.org", "a-long-password")
        .await;
    let page = browser
        .get(&format!("/register/workshops/{}", r.theirs))
        .await;
    page.assert_html(403);
    assert!(
        page.text.contains("belongs to another workshop"),
        "{}",
        page.text
    );
    assert!(!page.text.contains("data-roster"));
    browser
        .get("/register/workshops/999999")
        .await
        .assert_html(404);
    let anonymous = Browser::new(&r.app)
        .get(&format!("/register/workshops/{}", r.mine))
        .await;
    assert_eq!(anonymous.status, 303);
    assert_eq!(anonymous.header("location"), "/register");
}

#[tokio::test]
async fn the_api_takes_the_page_session_only_together_with_the_csrf_header() {
    let r = registers().await;
    let mut browser = Browser::new(&r.app);
    browser
        .trainer_sign_in("trainer@example.org", "a-long-password")
        .await;
    let page = browser
        .get(&format!("/register/workshops/{}", r.mine))
        .await;
    let csrf = page.csrf();
    let path = format!("/api/v1/workshops/{}/attendance", r.mine);
    let marked_at = chrono::Utc::now().to_rfc3339();
    let batch = json!({"records": [{"enrolment_id": r.enrolments[0], "day": 1, "status": "late", "marked_at": marked_at}]});
    let without = browser.api_put(&path, batch.clone(), None).await;
    assert_eq!(without.status, 401, "{}", without.text);
    let forged = browser.api_put(&path, batch.clone(), Some("forged")).await;
    assert_eq!(forged.status, 401, "{}", forged.text);
    let register = r
        .app
        .get(&format!("/api/v1/workshops/{}/attendance", r.mine))
        .await;
    assert!(register.text.contains("\"days\""));
    assert!(!register.text.contains("\"late\""), "nothing written yet");
    let with = browser.api_put(&path, batch.clone(), Some(&csrf)).await;
    assert_eq!(with.status, 200, "{}", with.text);
    // The same batch again (a phone that died before hearing the answer) changes nothing.
    let again = browser.api_put(&path, batch, Some(&csrf)).await;
    assert_eq!(again.status, 200);
    let again: Value = serde_json::from_str(&again.text).unwrap();
    assert_eq!(again["applied"], 0);
    assert_eq!(again["unchanged"], 1);
    let theirs = browser
        .api_put(
            &format!("/api/v1/workshops/{}/attendance", r.theirs),
            json!({"records": [{"enrolment_id": r.enrolments[0], "day": 1, "status": "late"}]}),
            Some(&csrf),
        )
        .await;
    assert_eq!(theirs.status, 403, "{}", theirs.text);
}

#[tokio::test]
async fn forms_without_this_browsers_csrf_token_are_refused() {
    let r = registers().await;
    let mut browser = Browser::new(&r.app);
    browser.get("/register").await;
    let refused = browser
        .post(
            "/register/sign-in",
            &[
                ("email", "trainer@example.org"),
                ("password", "a-long-password"),
            ],
        )
        .await;
    refused.assert_html(403);
    assert!(!browser.cookies.contains_key("cssd_session"));
    let form = browser.get("/register").await;
    let csrf = form.csrf();
    let foreign = browser
        .client
        .post(format!("{}/register/sign-in", r.app.base))
        .header(header::COOKIE, browser.cookie_header())
        .header(header::ORIGIN, "https://evil.example")
        .form(&[
            ("csrf", csrf.as_str()),
            ("email", "trainer@example.org"),
            ("password", "a-long-password"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(foreign.status(), 403);
}

#[tokio::test]
async fn the_registers_first_load_weighs_less_than_150_kb() {
    let r = registers().await;
    let mut browser = Browser::new(&r.app);
    browser
        .trainer_sign_in("trainer@example.org", "a-long-password")
        .await;
    let page = browser
        .get(&format!("/register/workshops/{}", r.mine))
        .await;
    let mut total = page.bytes.len();
    let mut assets = vec!["/register/sw.js".to_owned()];
    for marker in ["href=\"/static/", "src=\"/static/"] {
        let start = page.text.find(marker).expect("an asset") + marker.len() - 8;
        let rest = &page.text[start..];
        assets.push(rest[..rest.find('"').unwrap()].to_owned());
    }
    for asset in &assets {
        let got = browser.get(asset).await;
        assert_eq!(got.status, 200, "{asset}");
        assert!(
            got.header("content-type").contains("css")
                || got.header("content-type").contains("javascript")
        );
        total += got.bytes.len();
    }
    assert!(
        total < 150 * 1024,
        "the register's first load is {total} bytes"
    );
    let stale = browser.get("/static/000000000000/site.css").await;
    assert_eq!(stale.status, 404);
}

#[tokio::test]
async fn cookies_are_secure_when_the_public_url_is_https() {
    let app = spawn_app_with(|c| c.public_url = "https://training.iwsd.example".into()).await;
    let mut browser = Browser::new(&app);
    let page = browser.get("/portal").await;
    page.assert_html(200);
    let cookie = page.header("set-cookie");
    assert!(
        cookie.starts_with("cssd_csrf=") && cookie.split("; ").any(|a| a == "Secure"),
        "{cookie}"
    );
    // A form from this server still goes through (its origin is the host it was sent to).
    let csrf = page.csrf();
    let sent = browser
        .post(
            "/portal/sign-in",
            &[("csrf", &csrf), ("email", "x@example.org")],
        )
        .await;
    sent.assert_html(200);
}

#[tokio::test]
async fn text_answers_are_compressed_with_brotli_or_gzip_when_the_client_accepts_them() {
    let app = spawn_app().await;
    let portal = app.anonymous().get("/portal").await.text;
    let start = portal.find("href=\"/static/").expect("the stylesheet") + 6;
    let css = portal[start..start + portal[start..].find('"').unwrap()].to_owned();
    let plain = app
        .client
        .get(format!("{}{css}", app.base))
        .send()
        .await
        .unwrap();
    assert!(plain.headers().get("content-encoding").is_none());
    let plain_len = plain.bytes().await.unwrap().len();
    for (accept, coding) in [
        ("gzip, deflate, br", "br"),
        ("gzip", "gzip"),
        ("br;q=0, gzip", "gzip"),
    ] {
        for path in [css.as_str(), "/openapi.json", "/portal"] {
            let resp = app
                .client
                .get(format!("{}{path}", app.base))
                .header("accept-encoding", accept)
                .send()
                .await
                .unwrap();
            assert_eq!(resp.status(), 200, "{path}");
            assert_eq!(
                resp.headers().get("content-encoding").unwrap(),
                coding,
                "{path} for {accept}"
            );
            assert!(
                resp.headers()
                    .get_all("vary")
                    .iter()
                    .any(|v| v.to_str().unwrap().contains("accept-encoding")),
                "{path}"
            );
            if path == css {
                let len = resp.bytes().await.unwrap().len();
                assert!(len * 3 < plain_len, "{len} of {plain_len} bytes");
            }
        }
    }
    // Not asked for, or a coding the server does not speak: as it is.
    let resp = app
        .client
        .get(format!("{}/openapi.json", app.base))
        .header("accept-encoding", "identity")
        .send()
        .await
        .unwrap();
    assert!(resp.headers().get("content-encoding").is_none());
}

#[tokio::test]
async fn the_pages_have_an_icon_and_a_description() {
    let app = spawn_app().await;
    let (status, content_type, bytes) = app.bytes("/favicon.ico").await;
    assert_eq!(status, 200);
    assert_eq!(content_type, "image/x-icon");
    assert_eq!(&bytes[..4], &[0, 0, 1, 0], "an ICO file");
    let portal = app.anonymous().get("/portal").await.text;
    assert!(portal.contains("<meta name=\"description\" content=\""));
    assert!(portal.contains("<link rel=\"icon\" href=\"/favicon.ico\""));
}

#[tokio::test]
async fn a_finished_workshop_says_completed_and_whether_a_certificate_was_earned() {
    let app = spawn_app().await;
    let course = app.course("CC", 5).await;
    let (_, people) = app
        .completed_workshop(
            course,
            "tot",
            None,
            &[],
            &[("Tendai Moyo", Some(80.0)), ("Rudo Dube", Some(20.0))],
        )
        .await;
    give_email(&app, people[0].0, "tendai@example.org").await;
    give_email(&app, people[1].0, "rudo@example.org").await;
    let mut tendai = participant_browser(&app, "tendai@example.org").await;
    let page = tendai.get("/portal").await;
    assert!(
        page.text.contains("status-completed\">Completed")
            && page.text.contains("Certificate earned."),
        "{}",
        page.text
    );
    assert!(!page.text.contains("status-enrolled"), "{}", page.text);
    let mut rudo = participant_browser(&app, "rudo@example.org").await;
    let page = rudo.get("/portal").await;
    assert!(
        page.text.contains("status-completed\">Completed") && page.text.contains("No certificate:"),
        "{}",
        page.text
    );
}
