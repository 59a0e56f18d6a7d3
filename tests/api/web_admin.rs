//! The administrator's console over HTTP as a browser uses it: who may open it, every page
//! and every action, the refusals shown next to their fields, and CSRF.

use std::collections::HashMap;

use reqwest::{StatusCode, header};
use serde_json::{Value, json};

use crate::helpers::{ADMIN_EMAIL, ADMIN_PASSWORD, TestApp, future_monday, spawn_app};

/// A browser: keeps cookies, does not follow redirects, reads forms' CSRF tokens.
struct Browser<'a> {
    app: &'a TestApp,
    client: reqwest::Client,
    cookies: HashMap<String, String>,
}

/// A page as the browser got it.
struct Page {
    status: StatusCode,
    headers: header::HeaderMap,
    text: String,
    bytes: Vec<u8>,
}

impl Page {
    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    fn csrf(&self) -> String {
        let marker = "name=\"csrf\" value=\"";
        let start = self
            .text
            .find(marker)
            .unwrap_or_else(|| panic!("no CSRF token in the page: {}", self.text));
        let rest = &self.text[start + marker.len()..];
        rest[..rest.find('"').unwrap()].to_owned()
    }

    #[track_caller]
    fn assert_html(&self, status: u16) {
        assert_eq!(self.status.as_u16(), status, "{}", self.text);
        assert!(self.header("content-type").starts_with("text/html"));
        let csp = self.header("content-security-policy");
        assert!(
            csp.contains("default-src 'none'") && !csp.contains("unsafe-inline"),
            "{csp}"
        );
        assert_eq!(self.header("cache-control"), "no-store");
    }

    /// The text of the element after `marker` up to the next `<`.
    fn after(&self, marker: &str) -> &str {
        let start = self
            .text
            .find(marker)
            .unwrap_or_else(|| panic!("no {marker} in {}", self.text))
            + marker.len();
        let rest = &self.text[start..];
        let rest = &rest[rest.find('>').map_or(0, |i| i + 1)..];
        &rest[..rest.find('<').unwrap_or(rest.len())]
    }
}

impl<'a> Browser<'a> {
    fn new(app: &'a TestApp) -> Self {
        Self {
            app,
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            cookies: HashMap::new(),
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    async fn read(&mut self, resp: reqwest::Response) -> Page {
        for value in resp.headers().get_all(header::SET_COOKIE) {
            let value = value.to_str().unwrap();
            let (pair, _) = value.split_once(';').unwrap_or((value, ""));
            let (name, v) = pair.split_once('=').unwrap();
            if value.contains("Max-Age=0") {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_owned(), v.to_owned());
            }
        }
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = resp.bytes().await.unwrap().to_vec();
        Page {
            status,
            headers,
            text: String::from_utf8_lossy(&bytes).into_owned(),
            bytes,
        }
    }

    async fn get(&mut self, path: &str) -> Page {
        let resp = self
            .client
            .get(format!("{}{path}", self.app.base))
            .header(header::COOKIE, self.cookie_header())
            .send()
            .await
            .unwrap();
        self.read(resp).await
    }

    async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let resp = self
            .client
            .post(format!("{}{path}", self.app.base))
            .header(header::COOKIE, self.cookie_header())
            .form(fields)
            .send()
            .await
            .unwrap();
        self.read(resp).await
    }

    /// Posts `fields` with the CSRF token of the page at `from`.
    async fn submit(&mut self, from: &str, path: &str, fields: &[(&str, &str)]) -> Page {
        let csrf = self.get(from).await.csrf();
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        self.post(path, &all).await
    }

    /// Follows a 303 and returns the page it leads to.
    async fn follow(&mut self, page: Page) -> Page {
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.text);
        let location = page.header("location").to_owned();
        self.get(&location).await
    }

    async fn sign_in(&mut self, email: &str, password: &str) -> Page {
        self.submit(
            "/admin/sign-in",
            "/admin/sign-in",
            &[("email", email), ("password", password)],
        )
        .await
    }

    async fn admin(app: &'a TestApp) -> Browser<'a> {
        let mut browser = Browser::new(app);
        let signed_in = browser.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD).await;
        assert_eq!(signed_in.status, StatusCode::SEE_OTHER, "{}", signed_in.text);
        assert_eq!(signed_in.header("location"), "/admin");
        browser
    }
}

/// Every console page that a GET opens, ids included.
async fn every_page(app: &TestApp) -> Vec<String> {
    let course = app.course("WQ", 5).await;
    let (w, people) = app
        .completed_workshop(course, "tot", None, &[], &[("Tendai Moyo", Some(80.0))])
        .await;
    let issued = app
        .post(&format!("/api/v1/workshops/{w}/certificates"), json!({}))
        .await;
    let certificate = issued.body["issued"][0]["id"].as_i64().unwrap();
    let mut pages: Vec<String> = cssd::web::admin::PAGES
        .iter()
        .map(|p| p.to_string())
        .collect();
    pages.extend([
        format!("/admin/workshops/{w}"),
        format!("/admin/workshops/{w}/cascade"),
        format!("/admin/participants/{}", people[0].0),
        format!("/admin/certificates/{certificate}"),
        format!("/admin/download/workshops/{w}/roster.csv"),
    ]);
    pages
}

#[tokio::test]
async fn without_a_session_every_console_page_redirects_to_the_sign_in() {
    let app = spawn_app().await;
    let mut browser = Browser::new(&app);
    for path in every_page(&app).await {
        let page = browser.get(&path).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{path}: {}", page.text);
        assert_eq!(page.header("location"), "/admin/sign-in", "{path}");
    }
    browser.get("/admin/sign-in").await.assert_html(200);
}

#[tokio::test]
async fn trainers_and_participants_get_403_on_every_console_page() {
    let app = spawn_app().await;
    let pages = every_page(&app).await;
    let p = app.participant("Rudo Dube").await;
    for (role, email, participant) in [
        ("trainer", "trainer@example.org", None),
        ("participant", "rudo@example.org", Some(p)),
    ] {
        app.user_token(role, email, participant).await;
        let mut browser = Browser::new(&app);
        let signed_in = browser.sign_in(email, "a-long-password").await;
        assert_eq!(signed_in.status, StatusCode::SEE_OTHER);
        for path in &pages {
            let page = browser.get(path).await;
            page.assert_html(403);
            assert!(
                page.text.contains("for IWSD administrators only"),
                "{role} {path}: {}",
                page.text
            );
        }
        // Nor can they act.
        let refused = browser
            .submit(
                "/admin/sign-in",
                &format!("{}/status", pages[10]),
                &[("change", "cancel")],
            )
            .await;
        refused.assert_html(403);
    }
}

#[tokio::test]
async fn a_wrong_password_is_refused_and_the_form_keeps_the_email() {
    let app = spawn_app().await;
    let mut browser = Browser::new(&app);
    let page = browser.sign_in(ADMIN_EMAIL, "not-the-password").await;
    page.assert_html(401);
    assert!(page.text.contains("The email address or password is wrong."));
    assert!(page.text.contains(&format!("value=\"{ADMIN_EMAIL}\"")));
    assert!(!browser.cookies.contains_key("cssd_session"));
}

#[tokio::test]
async fn a_form_without_the_csrf_token_changes_nothing() {
    let app = spawn_app().await;
    let course = app.course("WQ", 5).await;
    let w = app.workshop(course, &future_monday(), 35).await["id"]
        .as_i64()
        .unwrap();
    let mut browser = Browser::admin(&app).await;
    for csrf in [None, Some("wrong-token-wrong-token-wrong-token-wrong-t")] {
        let mut fields = vec![("change", "cancel")];
        if let Some(csrf) = csrf {
            fields.push(("csrf", csrf));
        }
        let page = browser
            .post(&format!("/admin/workshops/{w}/status"), &fields)
            .await;
        page.assert_html(403);
    }
    let workshop = app.get(&format!("/api/v1/workshops/{w}")).await;
    assert_eq!(workshop.body["status"], "scheduled");
}

#[tokio::test]
async fn the_dashboard_shows_this_months_workshops_ended_ones_failed_mail_and_signing_out_ends_it()
{
    let app = spawn_app().await;
    let course = app.course("WQ", 5).await;
    // A workshop starting within this month or the next, with a waitlist.
    let start = future_monday();
    let w = app.workshop(course, &start, 1).await["id"].as_i64().unwrap();
    for name in ["Tendai Moyo", "Rudo Dube"] {
        let p = app.participant(name).await;
        app.post(
            &format!("/api/v1/workshops/{w}/enrolments"),
            json!({"participant_id": p}),
        )
        .await;
    }
    let (ended, _) = app
        .completed_workshop(course, "tot", None, &[], &[("Farai Banda", Some(70.0))])
        .await;
    let mut browser = Browser::admin(&app).await;
    let page = browser.get("/admin").await;
    page.assert_html(200);
    assert!(page.text.contains(&format!("/admin/workshops/{w}\">{start}")), "{}", page.text);
    assert!(page.text.contains("1/1"), "seats taken of capacity");
    assert!(page.text.contains("Completed workshops without certificates"));
    assert!(page.text.contains(&format!("/admin/workshops/{ended}\"")));
    assert!(page.text.contains("No mail has failed."));

    // Issuing the certificates takes the ended workshop off the list.
    app.post(&format!("/api/v1/workshops/{ended}/certificates"), json!({}))
        .await;
    let page = browser.get("/admin").await;
    assert!(!page.text.contains(&format!("/admin/workshops/{ended}\"")));

    // Signing out ends the session: the console asks to sign in again.
    let out = browser
        .submit("/admin", "/sign-out", &[("next", "/admin")])
        .await;
    assert_eq!(out.header("location"), "/admin/sign-in");
    assert_eq!(browser.get("/admin").await.header("location"), "/admin/sign-in");
}
