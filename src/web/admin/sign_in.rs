//! The administrators' sign-in: email and password through the one sign-in flow
//! (`services::sign_in`, as `POST /api/v1/auth/login`), giving the same page session as the
//! register's sign-in.

use askama::Template;
use poem::{
    Request, Response, handler,
    http::StatusCode,
    web::{Data, Form},
};

use super::words;
use crate::{
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

/// `POST /admin/sign-in`: a password sign-in; then the dashboard (which tells anyone but an
/// administrator that it is not theirs).
#[handler]
pub async fn submit(
    req: &Request,
    state: Data<&AppState>,
    Form(form): Form<session::PasswordForm>,
) -> Response {
    session::password_sign_in(req, &state, form, "/admin", |status, email| {
        sign_in_page(req, &state, status, true, email)
    })
    .await
}
