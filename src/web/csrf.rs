//! Protection against cross-site request forgery for every state-changing request a page makes.
//!
//! Each browser gets a random secret in an `HttpOnly` cookie ([`cookies::CSRF`]); every page
//! that has a form embeds the same value (a hidden `csrf` field, and a `<meta name="csrf-token">`
//! for the register's script, which sends it as the [`HEADER`] header). A state-changing request
//! is accepted only when the value it carries equals the cookie's, and, when the browser says
//! where the request comes from (`Origin`), only from this server. Another site can neither
//! read the cookie nor the page, so it cannot forge the value; nor can it send the header
//! without a CORS preflight, which this server never grants.
//!
//! Written here rather than taken from a crate on purpose: it is the double-submit pattern in a
//! few dozen lines that are read whole, shared by forms and the register's script, and poem's
//! own CSRF middleware ties the token to its session type, which the pages do not use. The
//! comparison and the randomness come from maintained crates (`subtle`, `rand`).

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use poem::Request;
use rand::RngCore;

use super::cookies;

/// The header the register's script sends the token in.
pub const HEADER: &str = "x-csrf-token";
/// The form field forms send the token in.
pub const FIELD: &str = "csrf";

/// The browser's token, and the `Set-Cookie` value to send when it is new.
pub struct Token {
    pub value: String,
    pub set_cookie: Option<String>,
}

fn well_formed(value: &str) -> bool {
    value.len() == 43
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The token of this browser, creating one when it has none yet.
pub fn token(req: &Request, secure: bool) -> Token {
    if let Some(value) = cookies::read(req, cookies::CSRF).filter(|v| well_formed(v)) {
        return Token {
            value,
            set_cookie: None,
        };
    }
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let value = URL_SAFE_NO_PAD.encode(bytes);
    Token {
        set_cookie: Some(cookies::set(
            cookies::CSRF,
            &value,
            60 * 60 * 24 * 30,
            secure,
        )),
        value,
    }
}

/// Whether `sent` (from a form field or the header) matches this browser's cookie, and the
/// request does not come from another origin.
pub fn verify(req: &Request, sent: Option<&str>, public_url: &str) -> bool {
    let Some(expected) = cookies::read(req, cookies::CSRF).filter(|v| well_formed(v)) else {
        return false;
    };
    let Some(sent) = sent else {
        return false;
    };
    same_origin(req, public_url) && constant_time_eq(expected.as_bytes(), sent.as_bytes())
}

/// The token a request carries in the [`HEADER`] header.
pub fn from_header(req: &Request) -> Option<&str> {
    req.headers().get(HEADER).and_then(|v| v.to_str().ok())
}

/// Whether the browser's own account of where the request comes from (when it gives one)
/// says this server: `Sec-Fetch-Site` must be `same-origin` (or `none`: typed by the person),
/// and an `Origin` must be this server's public URL or the host the request was sent to.
/// (`Origin: null` is what a browser sends for a form on a `no-referrer` page — every page
/// here — so it proves nothing either way; the token still has to match.)
fn same_origin(req: &Request, public_url: &str) -> bool {
    let fetch_site = req
        .headers()
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok());
    if fetch_site.is_some_and(|site| site != "same-origin" && site != "none") {
        return false;
    }
    let Some(origin) = req
        .headers()
        .get(poem::http::header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .filter(|origin| *origin != "null")
    else {
        return true;
    };
    let public = public_url.trim_end_matches('/');
    let public_origin = match public.find("://").map(|i| i + 3) {
        Some(start) => match public[start..].find('/') {
            Some(slash) => &public[..start + slash],
            None => public,
        },
        None => public,
    };
    if origin.eq_ignore_ascii_case(public_origin) {
        return true;
    }
    let host = req
        .headers()
        .get(poem::http::header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    origin
        .split_once("://")
        .is_some_and(|(_, rest)| !host.is_empty() && rest.eq_ignore_ascii_case(host))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    subtle::ConstantTimeEq::ct_eq(a, b).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ";

    fn request(origin: Option<&str>) -> Request {
        let mut builder = Request::builder()
            .header("cookie", format!("cssd_csrf={TOKEN}"))
            .header("host", "127.0.0.1:8080");
        if let Some(origin) = origin {
            builder = builder.header("origin", origin);
        }
        builder.finish()
    }

    #[test]
    fn the_matching_token_from_this_origin_is_accepted() {
        let url = "http://127.0.0.1:8080";
        assert!(verify(&request(None), Some(TOKEN), url));
        assert!(verify(
            &request(Some("http://127.0.0.1:8080")),
            Some(TOKEN),
            url
        ));
        assert!(verify(
            &request(Some("https://training.iwsd.example")),
            Some(TOKEN),
            "https://training.iwsd.example/"
        ));
    }

    #[test]
    fn a_missing_or_wrong_token_or_a_foreign_origin_is_refused() {
        let url = "http://127.0.0.1:8080";
        assert!(!verify(&request(None), None, url));
        assert!(!verify(&request(None), Some("x"), url));
        assert!(!verify(
            &request(Some("https://evil.example")),
            Some(TOKEN),
            url
        ));
        let cross_site = Request::builder()
            .header("cookie", format!("cssd_csrf={TOKEN}"))
            .header("sec-fetch-site", "cross-site")
            .finish();
        assert!(!verify(&cross_site, Some(TOKEN), url));
        let without_cookie = Request::builder().finish();
        assert!(!verify(&without_cookie, Some(TOKEN), url));
    }

    #[test]
    fn a_browser_without_a_token_gets_a_new_one_in_a_cookie() {
        let fresh = token(&Request::builder().finish(), false);
        assert!(well_formed(&fresh.value));
        assert!(fresh.set_cookie.unwrap().starts_with("cssd_csrf="));
        let kept = token(&request(None), false);
        assert_eq!(kept.value, TOKEN);
        assert!(kept.set_cookie.is_none());
    }
}
