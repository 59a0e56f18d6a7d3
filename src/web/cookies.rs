//! The cookies the pages use: reading them from a request and writing `Set-Cookie` values.
//!
//! Every cookie is `HttpOnly` (no script reads it), `SameSite=Lax` (a sign-in link opened from
//! a mail program still works; other sites' forms never carry it), `Path=/`, and `Secure` when
//! `CSSD_PUBLIC_URL` is https.

use cookie::{Cookie, SameSite, time::Duration};
use poem::Request;

/// The page session: the same kind of session token `POST /api/v1/auth/login` hands out.
pub const SESSION: &str = "cssd_session";
/// The browser's CSRF secret (see `csrf`).
pub const CSRF: &str = "cssd_csrf";

/// The value of cookie `name`, if the request carries it.
pub fn read(req: &Request, name: &str) -> Option<String> {
    req.headers()
        .get_all(poem::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .map(|c| c.value_trimmed().to_owned())
        .filter(|v| !v.is_empty())
}

/// A `Set-Cookie` value that stores `value` for `max_age_secs`.
pub fn set(name: &str, value: &str, max_age_secs: i64, secure: bool) -> String {
    Cookie::build((name, value))
        .path("/")
        .max_age(Duration::seconds(max_age_secs))
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .build()
        .to_string()
}

/// A `Set-Cookie` value that removes cookie `name`.
pub fn clear(name: &str, secure: bool) -> String {
    set(name, "", 0, secure)
}

/// Whether cookies must be `Secure`: the public URL is https.
pub fn secure(config: &crate::Config) -> bool {
    config.public_url.starts_with("https://")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cookie_is_read_among_others() {
        let req = Request::builder()
            .header("cookie", "a=1; cssd_session=cssd_s_x; b=2")
            .finish();
        assert_eq!(read(&req, SESSION).as_deref(), Some("cssd_s_x"));
        assert_eq!(read(&req, "c"), None);
    }

    #[test]
    fn cookies_are_http_only_lax_and_secure_only_over_https() {
        let plain = set(SESSION, "v", 60, false);
        assert!(plain.contains("HttpOnly") && plain.contains("SameSite=Lax"));
        assert!(!plain.contains("Secure"));
        assert!(set(SESSION, "v", 60, true).contains("; Secure"));
        assert!(clear(SESSION, false).contains("Max-Age=0"));
    }
}
