//! The administrators' sign-in: email and password, throttled exactly like
//! `POST /api/v1/auth/login`, giving the same page session as the register's sign-in.

use std::time::Instant;

use askama::Template;
use poem::{
    Request, Response, handler,
    http::StatusCode,
    web::{Data, Form},
};
use serde::Deserialize;

use super::words;
use crate::{
    services::accounts,
    state::AppState,
    web::{
        cookies, csrf, errors,
        i18n::{self, AdminStrings},
        page, session,
    },
};

#[derive(Template)]
#[template(path = "admin_sign_in.html")]
struct SignInPage {
    layout: page::Layout,
    a: &'static AdminStrings,
    wrong: bool,
    email: String,
}

fn sign_in_page(
    req: &Request,
    state: &AppState,
    status: StatusCode,
    wrong: bool,
    email: String,
) -> Response {
    let t = i18n::strings();
    let token = csrf::token(req, cookies::secure(&state.config));
    let cookies: Vec<String> = token.set_cookie.into_iter().collect();
    let mut layout = page::Layout::new(t, words().sign_in_title, &token.value);
    layout.home = "/admin";
    page::html(
        status,
        &SignInPage {
            layout,
            a: words(),
            wrong,
            email,
        },
        &cookies,
    )
}

/// `GET /admin/sign-in`: the form (an administrator already signed in goes to the dashboard).
#[handler]
pub async fn show(req: &Request, state: Data<&AppState>) -> Response {
    match session::signed_in(req, &state).await {
        Ok(Some(who)) if who.principal.is_admin() => page::see_other("/admin", &[]),
        Ok(_) => sign_in_page(req, &state, StatusCode::OK, false, String::new()),
        Err(err) => errors::from_domain(req, err),
    }
}

/// The sign-in form's fields.
#[derive(Debug, Deserialize)]
pub struct SignInForm {
    csrf: Option<String>,
    email: String,
    password: String,
}

/// `POST /admin/sign-in`: a password sign-in; then the dashboard (which tells anyone but an
/// administrator that it is not theirs).
#[handler]
pub async fn submit(
    req: &Request,
    state: Data<&AppState>,
    Form(form): Form<SignInForm>,
) -> Response {
    if !csrf::verify(req, form.csrf.as_deref(), &state.config.public_url) {
        return errors::form_expired(req);
    }
    let email = form.email.trim().to_lowercase();
    let address = req
        .remote_addr()
        .as_socket_addr()
        .map(|a| a.ip().to_string());
    let attempt = match state
        .login_throttle
        .begin(&email, address.as_deref(), Instant::now())
    {
        Ok(attempt) => attempt,
        Err(wait) => return errors::too_many(req, wait.as_secs().max(1)),
    };
    match accounts::login(&state.db, &email, &form.password).await {
        Ok(Some(login)) => {
            attempt.succeeded();
            page::see_other(
                "/admin",
                &[session::cookie_for(
                    &login.token,
                    cookies::secure(&state.config),
                )],
            )
        }
        Ok(None) => {
            attempt.failed();
            sign_in_page(req, &state, StatusCode::UNAUTHORIZED, true, email)
        }
        Err(err) => errors::from_domain(req, err),
    }
}
