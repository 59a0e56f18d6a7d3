//! Who is signed in to the pages: the session token in the [`cookies::SESSION`] cookie, looked
//! up exactly as a bearer token is (`accounts::authenticate`), so a page session and an API
//! session are one thing with one expiry and one logout.

use poem::Request;

use super::cookies;
use crate::{
    domain::{Result, access::Principal},
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
