//! Turning a rendered template into a response with the headers a page adds to those every
//! response carries ([`crate::security_headers`]): the one Content-Security-Policy
//! ([`PAGE_POLICY`]), also on downloads, and `Cache-Control: no-store` (pages show personal
//! data).

use askama::Template;
use poem::{
    Response,
    http::{HeaderValue, StatusCode, header},
};

use super::{assets, i18n::Strings, words::Words};
use crate::security_headers::PAGE_POLICY;

/// What the layout (`base.html`) needs besides a page's own content.
pub struct Layout {
    pub t: &'static Strings,
    /// The page's `<title>` and heading.
    pub title: String,
    /// This browser's CSRF token, for forms on the page (and the sign-out form).
    pub csrf: String,
    /// The signed-in person's name, when someone is signed in.
    pub signed_in: Option<String>,
    /// Where "sign out" returns to.
    pub home: &'static str,
    pub css: &'static str,
    /// The page's language and its switch ([`Words`]): English without a switch unless a
    /// participant-facing page sets it with [`Layout::with_words`].
    pub w: Words,
}

impl Layout {
    pub fn new(t: &'static Strings, title: impl Into<String>, csrf: &str) -> Self {
        Self {
            t,
            title: title.into(),
            csrf: csrf.to_owned(),
            signed_in: None,
            home: "/portal",
            css: assets::css_url(),
            w: Words::english(),
        }
    }

    /// The same layout in the language of `w`, with its language switch.
    pub fn with_words(mut self, w: Words) -> Self {
        self.w = w;
        self
    }
}

/// Adds the page headers to any response the pages send (HTML or a download).
pub fn protect(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(PAGE_POLICY),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// A rendered page with its status and any cookies to set.
pub fn html(status: StatusCode, page: &impl Template, set_cookies: &[String]) -> Response {
    let body = match page.render() {
        Ok(body) => body,
        Err(err) => {
            tracing::error!(error = %err, "a page failed to render");
            return protect(
                Response::builder()
                    .status(StatusCode::INTERNAL_SERVER_ERROR)
                    .content_type("text/plain; charset=utf-8")
                    .body("The page could not be shown."),
            );
        }
    };
    let mut builder = Response::builder()
        .status(status)
        .content_type("text/html; charset=utf-8");
    for cookie in set_cookies {
        builder = builder.header(header::SET_COOKIE, cookie.as_str());
    }
    protect(builder.body(body))
}

/// A 303 to `location`, setting `set_cookies`.
pub fn see_other(location: &str, set_cookies: &[String]) -> Response {
    let mut builder = Response::builder()
        .status(StatusCode::SEE_OTHER)
        .header(header::LOCATION, location);
    for cookie in set_cookies {
        builder = builder.header(header::SET_COOKIE, cookie.as_str());
    }
    protect(builder.finish())
}
