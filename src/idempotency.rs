//! The `Idempotency-Key` middleware: a creating `POST` retried with the same key and body gets
//! the first response again and creates nothing new.
//!
//! Keys are private to the caller (scoped by a hash of the `Authorization` header). Only
//! successful responses are kept; a failed request changed nothing and may be retried. The same
//! key with a different request is 422; a retry while the first is still running is 409.

use poem::{Body, Endpoint, IntoResponse, Request, Response, http::Method};
use sha2::{Digest, Sha256};

use crate::{
    AppState,
    error::ApiError,
    services::idempotency::{self, Claim},
};

/// The header that carries the key.
pub const HEADER: &str = "idempotency-key";

/// Runs `ep` for `req`, honouring an `Idempotency-Key` on `POST` requests.
pub async fn handle<E: Endpoint>(ep: &E, mut req: Request) -> poem::Result<Response> {
    let key = match req.headers().get(HEADER) {
        Some(value) if req.method() == Method::POST => {
            value.to_str().unwrap_or("").trim().to_owned()
        }
        _ => return ep.call(req).await.map(IntoResponse::into_response),
    };
    if key.is_empty() || key.len() > 200 || !key.chars().all(|c| c.is_ascii_graphic()) {
        return Err(ApiError::BadRequest(
            "Idempotency-Key must be 1–200 visible ASCII characters".into(),
        )
        .into());
    }
    let Some(state) = req.data::<AppState>().cloned() else {
        return ep.call(req).await.map(IntoResponse::into_response);
    };
    let body = req.take_body().into_bytes().await?;
    let auth = req
        .headers()
        .get("authorization")
        .map(|v| v.as_bytes().to_vec())
        .unwrap_or_default();
    let scope = hex::encode(Sha256::digest(&auth));
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
            req.set_body(Body::from(body));
            match ep.call(req).await.map(IntoResponse::into_response) {
                Ok(resp) if resp.status().is_success() => {
                    let (parts, body) = resp.into_parts();
                    let bytes = body.into_bytes().await?;
                    let content_type = parts
                        .headers
                        .get("content-type")
                        .and_then(|v| v.to_str().ok())
                        .map(str::to_owned);
                    idempotency::complete(
                        &state.db,
                        id,
                        parts.status.as_u16(),
                        content_type,
                        bytes.to_vec(),
                    )
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
