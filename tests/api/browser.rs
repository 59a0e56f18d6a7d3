//! A browser for the pages' HTTP tests: keeps cookies, does not follow redirects, reads forms'
//! CSRF tokens and checks the headers every page carries.

use std::collections::HashMap;

use reqwest::{StatusCode, header};
use serde_json::Value;

use crate::helpers::{ADMIN_EMAIL, ADMIN_PASSWORD, TestApp};

/// A browser: keeps cookies, does not follow redirects, reads forms' CSRF tokens.
pub struct Browser<'a> {
    pub app: &'a TestApp,
    pub client: reqwest::Client,
    pub cookies: HashMap<String, String>,
}

/// A page as the browser got it.
pub struct Page {
    pub status: StatusCode,
    pub headers: header::HeaderMap,
    pub text: String,
    pub bytes: Vec<u8>,
}

impl Page {
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// The value of the first hidden `csrf` field (or the csrf meta tag).
    pub fn csrf(&self) -> String {
        for marker in ["name=\"csrf\" value=\"", "name=\"csrf-token\" content=\""] {
            if let Some(start) = self.text.find(marker) {
                let rest = &self.text[start + marker.len()..];
                return rest[..rest.find('"').unwrap()].to_owned();
            }
        }
        panic!("no CSRF token in the page: {}", self.text)
    }

    #[track_caller]
    pub fn assert_html(&self, status: u16) {
        assert_eq!(self.status.as_u16(), status, "{}", self.text);
        assert!(
            self.header("content-type").starts_with("text/html"),
            "{}",
            self.header("content-type")
        );
        assert_page_headers(self);
    }

    /// The text of the element after `marker` up to the next `<`.
    pub fn after(&self, marker: &str) -> &str {
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

/// The headers every page carries (contract: "Limits and hostile input").
#[track_caller]
pub fn assert_page_headers(page: &Page) {
    let csp = page.header("content-security-policy");
    assert!(csp.contains("script-src 'self'"), "CSP: {csp}");
    assert!(csp.contains("default-src 'none'"), "CSP: {csp}");
    assert!(!csp.contains("unsafe-inline"), "CSP: {csp}");
    assert!(!csp.contains("http"), "no third-party origin: {csp}");
    assert_eq!(page.header("referrer-policy"), "no-referrer");
    assert_eq!(page.header("cache-control"), "no-store");
}

impl<'a> Browser<'a> {
    pub fn new(app: &'a TestApp) -> Self {
        Self {
            app,
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            cookies: HashMap::new(),
        }
    }

    pub fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub async fn read(&mut self, resp: reqwest::Response) -> Page {
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

    pub async fn get(&mut self, path: &str) -> Page {
        let url = if path.starts_with("http") {
            path.to_owned()
        } else {
            format!("{}{path}", self.app.base)
        };
        let resp = self
            .client
            .get(url)
            .header(header::ACCEPT, "text/html,application/xhtml+xml,*/*;q=0.8")
            .header(header::COOKIE, self.cookie_header())
            .send()
            .await
            .unwrap();
        self.read(resp).await
    }

    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
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

    /// A JSON request to the API with the page's session cookie and, if given, a CSRF header.
    pub async fn api_put(&mut self, path: &str, body: Value, csrf: Option<&str>) -> Page {
        let mut req = self
            .client
            .put(format!("{}{path}", self.app.base))
            .header(header::COOKIE, self.cookie_header())
            .json(&body);
        if let Some(csrf) = csrf {
            req = req.header("x-csrf-token", csrf);
        }
        let resp = req.send().await.unwrap();
        self.read(resp).await
    }

    /// Signs in on the register's form.
    pub async fn trainer_sign_in(&mut self, email: &str, password: &str) -> Page {
        let form = self.get("/register").await;
        let csrf = form.csrf();
        self.post(
            "/register/sign-in",
            &[("csrf", &csrf), ("email", email), ("password", password)],
        )
        .await
    }

    /// Posts `fields` with the CSRF token of the page at `from`.
    pub async fn submit(&mut self, from: &str, path: &str, fields: &[(&str, &str)]) -> Page {
        let csrf = self.get(from).await.csrf();
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        self.post(path, &all).await
    }

    /// Follows a 303 and returns the page it leads to.
    pub async fn follow(&mut self, page: Page) -> Page {
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.text);
        let location = page.header("location").to_owned();
        self.get(&location).await
    }

    pub async fn sign_in(&mut self, email: &str, password: &str) -> Page {
        self.submit(
            "/admin/sign-in",
            "/admin/sign-in",
            &[("email", email), ("password", password)],
        )
        .await
    }

    pub async fn admin(app: &'a TestApp) -> Browser<'a> {
        let mut browser = Browser::new(app);
        let signed_in = browser.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD).await;
        assert_eq!(
            signed_in.status,
            StatusCode::SEE_OTHER,
            "{}",
            signed_in.text
        );
        assert_eq!(signed_in.header("location"), "/admin");
        browser
    }
}
