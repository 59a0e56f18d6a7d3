//! Error pages: what a person sees when a page cannot be shown, as HTML (never problem+json).

use askama::Template;
use poem::{Request, Response, http::StatusCode};

use super::{csrf, i18n, page, words::Words};

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    layout: page::Layout,
    message: &'a str,
}

/// The language of an error page: the participant's pages negotiate it (`?lang=`,
/// `Accept-Language`), the trainer's register and the console are English.
fn words_for(req: &Request) -> Words {
    let path = req.uri().path();
    if path.starts_with("/register") || path.starts_with("/admin") {
        Words::english()
    } else {
        Words::for_request(req, None, "/portal")
    }
}

/// An error page with `status`, a title and a sentence.
pub fn page(req: &Request, status: StatusCode, title: &str, message: &str) -> Response {
    page_in(req, words_for(req), status, title, message)
}

/// An error page in the language of `w`.
pub fn page_in(
    req: &Request,
    w: Words,
    status: StatusCode,
    title: &str,
    message: &str,
) -> Response {
    let t = i18n::strings();
    // `Secure` under https, as on every other page.
    let secure = req
        .data::<crate::state::AppState>()
        .is_some_and(|state| super::cookies::secure(&state.config));
    let token = csrf::token(req, secure);
    let mut layout = page::Layout::new(t, title, &token.value).with_words(w.clone());
    layout.home = home_of(req);
    let cookies: Vec<String> = token.set_cookie.into_iter().collect();
    let response = page::html(status, &ErrorPage { layout, message }, &cookies);
    if w.switch.is_empty() {
        response
    } else {
        w.mark(response)
    }
}

/// Where the pages under this request's path start.
fn home_of(req: &Request) -> &'static str {
    if req.uri().path().starts_with("/register") {
        "/register"
    } else if req.uri().path().starts_with("/admin") {
        "/admin"
    } else {
        "/portal"
    }
}

/// 404: nothing here, or not the caller's to see (the two look alike on purpose).
pub fn not_found(req: &Request) -> Response {
    let w = words_for(req);
    let (title, text) = (w.t("error-not-found-title"), w.t("error-not-found-text"));
    page_in(req, w, StatusCode::NOT_FOUND, &title, &text)
}

/// 403 with a sentence saying why.
pub fn forbidden(req: &Request, message: &str) -> Response {
    let w = words_for(req);
    let title = w.t("error-forbidden-title");
    page_in(req, w, StatusCode::FORBIDDEN, &title, message)
}

/// 403: a form without a valid CSRF token.
pub fn form_expired(req: &Request) -> Response {
    let w = words_for(req);
    let (title, text) = (
        w.t("error-form-expired-title"),
        w.t("error-form-expired-text"),
    );
    page_in(req, w, StatusCode::FORBIDDEN, &title, &text)
}

/// "Please wait … seconds and try again" in `w`'s language.
fn wait_text(w: &Words, seconds: u64) -> String {
    w.t_with(
        "error-too-many-text",
        &[("seconds", i64::try_from(seconds).unwrap_or(i64::MAX).into())],
    )
}

/// 429 with `Retry-After`.
pub fn too_many(req: &Request, retry_after_secs: u64) -> Response {
    let w = words_for(req);
    let (title, text) = (w.t("error-too-many-title"), wait_text(&w, retry_after_secs));
    let mut response = page_in(req, w, StatusCode::TOO_MANY_REQUESTS, &title, &text);
    response
        .headers_mut()
        .insert(poem::http::header::RETRY_AFTER, retry_after_secs.into());
    response
}

/// 500: the cause goes to the log, the person gets a plain sentence.
pub fn internal(req: &Request, err: impl std::fmt::Display) -> Response {
    tracing::error!(error = %err, path = %req.uri().path(), "a page failed");
    let w = words_for(req);
    let (title, text) = (w.t("error-server-title"), w.t("error-server-text"));
    page_in(req, w, StatusCode::INTERNAL_SERVER_ERROR, &title, &text)
}

/// 422: what was sent breaks a rule; each problem as a sentence.
pub fn invalid(req: &Request, problems: &[crate::domain::FieldError]) -> Response {
    let w = words_for(req);
    let title = w.t("error-invalid-title");
    let message = problems
        .iter()
        .map(|p| format!("{}: {}", p.field, p.message))
        .collect::<Vec<_>>()
        .join("; ");
    page_in(req, w, StatusCode::UNPROCESSABLE_ENTITY, &title, &message)
}

/// 503 with `Retry-After`: too busy right now.
pub fn busy(req: &Request, retry_after_secs: u64) -> Response {
    let w = words_for(req);
    let (title, text) = (w.t("error-busy-title"), wait_text(&w, retry_after_secs));
    let mut response = page_in(req, w, StatusCode::SERVICE_UNAVAILABLE, &title, &text);
    response
        .headers_mut()
        .insert(poem::http::header::RETRY_AFTER, retry_after_secs.into());
    response
}

/// The page for a failure of a service call.
pub fn from_domain(req: &Request, err: crate::domain::Error) -> Response {
    match err {
        crate::domain::Error::NotFound { .. } => not_found(req),
        crate::domain::Error::Forbidden(message) => forbidden(req, &message),
        crate::domain::Error::Invalid(problems) => invalid(req, &problems),
        crate::domain::Error::TooManyAttempts { retry_after } => {
            too_many(req, retry_after.as_secs().max(1))
        }
        crate::domain::Error::Busy { retry_after } => busy(req, retry_after.as_secs().max(1)),
        other => internal(req, other),
    }
}
