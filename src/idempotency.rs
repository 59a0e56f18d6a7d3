//! The `Idempotency-Key` middleware: a creating `POST` retried with the same key and body gets
//! the first response again and creates nothing new.
//!
//! - It runs only for a caller whose credentials are valid, and checks them before it reads the
//!   body: a request without valid credentials goes straight to the operation (which answers 401
//!   without reading the body) and leaves no record. A replay is for the same caller only (keys
//!   are scoped by the user or API key, not by the token string), and happens after the
//!   credentials were checked again, so a revoked key or an ended session gets 401, not the
//!   stored answer.
//! - Only successful responses are kept; a failed request changed nothing and may be retried. The
//!   same key with a different request is 422; a retry while the first is still running is 409.
//!   Records are forgotten after [`RECORD_LIFETIME_HOURS`].
//! - Only the API's operations (`/api/…`) take part: a page (the console) is never recorded,
//!   whatever headers its form post carries — the console's "new API key" page holds the key.
//! - No secret is stored: logging in is never recorded (it creates nothing a retry could
//!   duplicate), and for a new API key, whose secret is shown once, the stored answer is a 409
//!   naming the key that the first request created.

use poem::{Body, Endpoint, IntoResponse, Request, Response, http::Method};
use sha2::{Digest, Sha256};

use crate::{
    domain::access::Principal,
    error::{ApiError, PROBLEM_JSON},
    services::idempotency::{self, Claim},
    state::AppState,
};

pub use crate::services::idempotency::RECORD_LIFETIME_HOURS;

/// The header that carries the key.
pub const HEADER: &str = "idempotency-key";

/// Operations whose response carries a secret (a session token): never recorded.
const NEVER_RECORDED: &[&str] = &["/api/v1/auth/login"];

/// The operation whose response carries a new API key, shown once: its replay is a 409.
const API_KEY_CREATION: &str = "/api/v1/api-keys";

/// Runs `ep` for `req`, honouring an `Idempotency-Key` on `POST` requests.
pub async fn handle<E: Endpoint>(ep: &E, mut req: Request) -> poem::Result<Response> {
    let key = match req.headers().get(HEADER) {
        Some(value)
            if req.method() == Method::POST
                && req.uri().path().starts_with("/api/")
                && !NEVER_RECORDED.contains(&req.uri().path()) =>
        {
            value.to_str().unwrap_or("").trim().to_owned()
        }
        _ => return ep.call(req).await.map(IntoResponse::into_response),
    };
    let Some(state) = req.data::<AppState>().cloned() else {
        return ep.call(req).await.map(IntoResponse::into_response);
    };
    // The caller first: without valid credentials the operation answers 401 itself.
    let Some(scope) = caller_scope(&state, &req).await? else {
        return ep.call(req).await.map(IntoResponse::into_response);
    };
    if key.is_empty() || key.len() > 200 || !key.chars().all(|c| c.is_ascii_graphic()) {
        return Err(ApiError::invalid_field(
            "Idempotency-Key",
            "must be 1–200 visible ASCII characters",
        )
        .into());
    }
    let body = req.take_body().into_bytes().await?;
    let mut hasher = Sha256::new();
    hasher.update(req.uri().to_string().as_bytes());
    hasher.update([0]);
    hasher.update(&body);
    let request_hash = hex::encode(hasher.finalize());

    match idempotency::claim(&state.db, &scope, &key, &request_hash)
        .await
        .map_err(ApiError::from)?
    {
        Claim::Mismatch => Err(ApiError::invalid_field(
            "Idempotency-Key",
            "this key was already used with a different request; use a new key for a new request",
        )
        .into()),
        Claim::InProgress => Err(ApiError::Conflict(
            "a request with this Idempotency-Key is still being processed".into(),
        )
        .into()),
        Claim::Replay {
            status,
            content_type,
            body,
        } => {
            let mut builder = Response::builder()
                .status(
                    poem::http::StatusCode::from_u16(status).unwrap_or(poem::http::StatusCode::OK),
                )
                .header("Idempotent-Replayed", "true");
            if let Some(ct) = content_type {
                builder = builder.content_type(ct);
            }
            Ok(builder.body(body))
        }
        Claim::Run(id) => {
            let path = req.uri().path().to_owned();
            req.set_body(Body::from(body));
            match ep.call(req).await.map(IntoResponse::into_response) {
                Ok(resp) if resp.status().is_success() => {
                    let (parts, body) = resp.into_parts();
                    let bytes = body.into_bytes().await?;
                    let (status, content_type, stored) = if path == API_KEY_CREATION {
                        let stored = secret_free_replay(&bytes);
                        (409, Some(PROBLEM_JSON.to_owned()), stored)
                    } else {
                        let content_type = parts
                            .headers
                            .get("content-type")
                            .and_then(|v| v.to_str().ok())
                            .map(str::to_owned);
                        (parts.status.as_u16(), content_type, bytes.to_vec())
                    };
                    idempotency::complete(&state.db, id, status, content_type, stored)
                        .await
                        .map_err(ApiError::from)?;
                    Ok(Response::from_parts(parts, Body::from(bytes)))
                }
                other => {
                    idempotency::release(&state.db, id)
                        .await
                        .map_err(ApiError::from)?;
                    other
                }
            }
        }
    }
}

/// Who is calling, as a record scope (`user:3`, `api_key:7`), when the credentials are valid.
async fn caller_scope(state: &AppState, req: &Request) -> poem::Result<Option<String>> {
    let Some(token) = req
        .header("authorization")
        .and_then(|h| h.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim())
    else {
        return Ok(None);
    };
    let principal = state
        .auth_cache
        .authenticate(&state.db, token)
        .await
        .map_err(ApiError::from)?;
    Ok(principal.map(|p| match p {
        Principal::User { id, .. } => format!("user:{id}"),
        Principal::ApiKey { id, .. } => format!("api_key:{id}"),
    }))
}

/// What a retry of an API-key creation gets instead of the key: a 409 naming the key created.
fn secret_free_replay(created: &[u8]) -> Vec<u8> {
    let id = serde_json::from_slice::<serde_json::Value>(created)
        .ok()
        .and_then(|v| v.get("id").and_then(serde_json::Value::as_i64));
    let detail = match id {
        Some(id) => format!(
            "this Idempotency-Key already created API key {id}; its secret is shown only once and \
             is not kept: if it was lost, revoke key {id} and create a new one"
        ),
        None => "this Idempotency-Key already created an API key; its secret is shown only once"
            .to_owned(),
    };
    let problem = ApiError::Conflict(detail).problem();
    poem_openapi::types::ToJSON::to_json(&problem)
        .map(|v| v.to_string().into_bytes())
        .unwrap_or_default()
}
