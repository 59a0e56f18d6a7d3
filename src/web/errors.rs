//! Error pages: what a person sees when a page cannot be shown, as HTML (never problem+json).

use askama::Template;
use poem::{Request, Response, http::StatusCode};

use super::{csrf, i18n, page};

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    layout: page::Layout,
    message: &'a str,
}

/// An error page with `status`, a title and a sentence.
pub fn page(req: &Request, status: StatusCode, title: &str, message: &str) -> Response {
    let t = i18n::strings();
    // `Secure` under https, as on every other page.
    let secure = req
        .data::<crate::state::AppState>()
        .is_some_and(|state| super::cookies::secure(&state.config));
    let token = csrf::token(req, secure);
    let mut layout = page::Layout::new(t, title, &token.value);
    layout.home = home_of(req);
    let cookies: Vec<String> = token.set_cookie.into_iter().collect();
    page::html(status, &ErrorPage { layout, message }, &cookies)
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
    let t = i18n::strings();
    page(
        req,
        StatusCode::NOT_FOUND,
        t.not_found_title,
        t.not_found_text,
    )
}

/// 403 with a sentence saying why.
pub fn forbidden(req: &Request, message: &str) -> Response {
    let t = i18n::strings();
    page(req, StatusCode::FORBIDDEN, t.forbidden_title, message)
}

/// 403: a form without a valid CSRF token.
pub fn form_expired(req: &Request) -> Response {
    let t = i18n::strings();
    page(
        req,
        StatusCode::FORBIDDEN,
        t.form_expired_title,
        t.form_expired_text,
    )
}

/// 429 with `Retry-After`.
pub fn too_many(req: &Request, retry_after_secs: u64) -> Response {
    let t = i18n::strings();
    let mut response = page(
        req,
        StatusCode::TOO_MANY_REQUESTS,
        t.too_many_title,
        &t.too_many_text(retry_after_secs),
    );
    response
        .headers_mut()
        .insert(poem::http::header::RETRY_AFTER, retry_after_secs.into());
    response
}

/// 500: the cause goes to the log, the person gets a plain sentence.
pub fn internal(req: &Request, err: impl std::fmt::Display) -> Response {
    tracing::error!(error = %err, path = %req.uri().path(), "a page failed");
    let t = i18n::strings();
    page(
        req,
        StatusCode::INTERNAL_SERVER_ERROR,
        t.server_error_title,
        t.server_error_text,
    )
}

/// 422: what was sent breaks a rule; each problem as a sentence.
pub fn invalid(req: &Request, problems: &[crate::domain::FieldError]) -> Response {
    let t = i18n::strings();
    let message = problems
        .iter()
        .map(|p| format!("{}: {}", p.field, p.message))
        .collect::<Vec<_>>()
        .join("; ");
    page(
        req,
        StatusCode::UNPROCESSABLE_ENTITY,
        t.invalid_title,
        &message,
    )
}

/// 503 with `Retry-After`: too busy right now.
pub fn busy(req: &Request, retry_after_secs: u64) -> Response {
    let t = i18n::strings();
    let mut response = page(
        req,
        StatusCode::SERVICE_UNAVAILABLE,
        t.busy_title,
        &t.too_many_text(retry_after_secs),
    );
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
