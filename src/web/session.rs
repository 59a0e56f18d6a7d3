//! Who is signed in to the pages: the session token in the [`cookies::SESSION`] cookie, looked
//! up exactly as a bearer token is (`accounts::authenticate`), so a page session and an API
//! session are one thing with one expiry and one logout.

use poem::{Request, Response, http::StatusCode};
use serde::Deserialize;

use super::{cookies, csrf, errors, page};
use crate::{
    domain::{Error, Result, access::Principal},
    services::accounts,
    state::AppState,
};

/// A signed-in person and their session token.
pub struct SignedIn {
    pub principal: Principal,
    pub token: String,
}

impl SignedIn {
    /// The person's name.
    pub fn name(&self) -> String {
        match &self.principal {
            Principal::User { name, .. } => name.clone(),
            Principal::ApiKey { name, .. } => name.clone(),
        }
    }
}

/// The person signed in with this request's session cookie, if any (an expired, revoked or
/// unknown token is nobody).
pub async fn signed_in(req: &Request, state: &AppState) -> Result<Option<SignedIn>> {
    let Some(token) = cookies::read(req, cookies::SESSION) else {
        return Ok(None);
    };
    Ok(accounts::authenticate(&state.db, &token)
        .await?
        .filter(|found| matches!(found.principal, Principal::User { .. }))
        .map(|found| SignedIn {
            principal: found.principal,
            token,
        }))
}

/// The `Set-Cookie` value that stores a new session for its lifetime.
pub fn cookie_for(token: &str, secure: bool) -> String {
    cookies::set(
        cookies::SESSION,
        token,
        accounts::SESSION_LIFETIME_HOURS * 3600,
        secure,
    )
}

/// The password sign-in form's fields (the console's and the register's).
#[derive(Debug, Deserialize)]
pub struct PasswordForm {
    csrf: Option<String>,
    email: String,
    password: String,
}

/// A password sign-in posted from a page, through the sign-in flow and its throttle exactly like
/// `POST /api/v1/auth/login`: a new session cookie and a redirect to `next`, or the form again
/// from `form_again(status, email)` with the address as typed (401 for a wrong password, 422 for
/// one that cannot be an address).
pub async fn password_sign_in(
    req: &Request,
    state: &AppState,
    form: PasswordForm,
    next: &str,
    form_again: impl FnOnce(StatusCode, String) -> Response,
) -> Response {
    if !csrf::verify(req, form.csrf.as_deref(), &state.config.public_url) {
        return errors::form_expired(req);
    }
    let address = crate::forwarded::client_ip(req);
    let outcome = state
        .sign_in
        .with_password(&state.db, &form.email, address.as_deref(), &form.password)
        .await;
    // Shown back in the form: never more than an address can be.
    let email: String = form.email.trim().chars().take(254).collect();
    match outcome {
        Ok(Some(login)) => page::see_other(
            next,
            &[cookie_for(&login.token, cookies::secure(&state.config))],
        ),
        Ok(None) => form_again(StatusCode::UNAUTHORIZED, email),
        Err(Error::Invalid(_)) => form_again(StatusCode::UNPROCESSABLE_ENTITY, email),
        Err(err) => errors::from_domain(req, err),
    }
}
