//! How the register's script reaches the JSON API: with the page's session cookie and the
//! CSRF token in the `X-CSRF-Token` header.
//!
//! Why not a bearer token in the page? The script would have to keep it where script can read
//! it (and the register keeps working for hours offline), so any injected script could carry it
//! away. The cookie is `HttpOnly`: no script ever sees the session. A cookie alone would let
//! other sites' requests ride on it, so it counts only together with the CSRF header, which
//! another site can neither know nor send (that needs a CORS preflight this server never
//! grants). Such a request is handed to the API as if it carried `Authorization: Bearer
//! <session token>`, so the API's guards, rules and errors apply unchanged. A request that
//! already carries `Authorization` is left alone, and so is one without the header or with a
//! wrong token (it then gets the API's usual 401).

use poem::{Endpoint, IntoResponse, Request, Response, http::HeaderValue};

use super::{cookies, csrf};
use crate::state::AppState;

/// Middleware body over the whole app: for `/api/` requests, turns a page session plus a valid
/// CSRF header into a bearer token.
pub async fn accept_page_session<E: Endpoint>(ep: &E, mut req: Request) -> poem::Result<Response> {
    if req.uri().path().starts_with("/api/")
        && !req
            .headers()
            .contains_key(poem::http::header::AUTHORIZATION)
        && let Some(token) = cookies::read(&req, cookies::SESSION)
    {
        let public_url = req
            .data::<AppState>()
            .map(|s| s.config.public_url.clone())
            .unwrap_or_default();
        let valid = csrf::verify(&req, csrf::from_header(&req), &public_url);
        if valid && let Ok(value) = HeaderValue::from_str(&format!("Bearer {token}")) {
            req.headers_mut()
                .insert(poem::http::header::AUTHORIZATION, value);
        }
    }
    ep.call(req).await.map(IntoResponse::into_response)
}
