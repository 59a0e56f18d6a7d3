//! Request limits at the edge, before anything else runs: the length of the URI (414) and the
//! size of the body (413), both answered as problem+json.
//!
//! The body limit depends on the body's media type (`text/csv` imports may be larger than JSON).
//! A declared `Content-Length` over the limit is refused at once, without reading a byte of the
//! body; a body without one (chunked) is counted while it streams in and refused as soon as it
//! passes the limit, so no request makes the server hold more than the limit in memory.
//!
//! A refused body is not read, but it is not ignored either: a client that sends its whole
//! body before reading the answer (most HTTP libraries) would have the connection reset under
//! it when the server closed with unread data, and lose the 413. So, as nginx's lingering close
//! does, up to [`LINGER_BYTES`] of a declared body are read and thrown away (for at most
//! [`LINGER_TIME`]) before the 413 goes out — never kept, so memory does not grow. A client
//! that waits for `100 Continue` has sent nothing and is answered at once.

use std::{
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
    time::Duration,
};

use futures_util::StreamExt;
use poem::{
    Body, Endpoint, IntoResponse, Request, Response,
    error::ResponseError,
    http::{HeaderValue, header},
};

use crate::{error::ApiError, state::AppState};

/// The longest request URI (path and query) served; longer is 414.
pub const MAX_URI_BYTES: usize = 8 * 1024;

/// The most of a refused body that is read (and thrown away) before the 413 goes out.
pub const LINGER_BYTES: u64 = 16 * 1024 * 1024;
/// The longest time spent reading a refused body before the 413 goes out.
pub const LINGER_TIME: Duration = Duration::from_secs(5);

/// The body limit for a request with this `Content-Type`.
pub fn body_limit(content_type: Option<&str>, max_json: u64, max_csv: u64) -> u64 {
    let is_csv = content_type
        .and_then(|ct| ct.parse::<mime::Mime>().ok())
        .is_some_and(|m| m.type_() == mime::TEXT && m.subtype() == mime::CSV);
    if is_csv { max_csv } else { max_json }
}

/// Runs `ep` for `req` unless the URI or the body is too large.
pub async fn handle<E: Endpoint>(ep: &E, mut req: Request) -> poem::Result<Response> {
    let uri_len = req.uri().path_and_query().map_or(0, |pq| pq.as_str().len());
    if uri_len > MAX_URI_BYTES {
        return Err(ApiError::UriTooLong(format!(
            "the request URI is {uri_len} bytes long; at most {MAX_URI_BYTES} are accepted"
        ))
        .into());
    }
    let has_body = req.headers().contains_key(header::CONTENT_LENGTH)
        || req.headers().contains_key(header::TRANSFER_ENCODING);
    let Some(state) = req.data::<AppState>().cloned().filter(|_| has_body) else {
        return ep.call(req).await.map(IntoResponse::into_response);
    };
    let limit = body_limit(
        req.headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok()),
        state.config.max_json_bytes,
        state.config.max_csv_bytes,
    );
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if let Some(len) = declared.filter(|len| *len > limit) {
        let waits_for_continue = req
            .headers()
            .get(header::EXPECT)
            .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"100-continue"));
        if !waits_for_continue && len <= LINGER_BYTES {
            linger(req.take_body()).await;
        }
        return Ok(too_large(limit));
    }
    let exceeded = Arc::new(AtomicBool::new(false));
    let seen = AtomicU64::new(0);
    let flag = exceeded.clone();
    let counted = req.take_body().into_bytes_stream().map(move |chunk| {
        let chunk = chunk?;
        let total = seen.fetch_add(chunk.len() as u64, Ordering::Relaxed) + chunk.len() as u64;
        if total > limit {
            flag.store(true, Ordering::Relaxed);
            return Err(std::io::Error::other("request body over the limit"));
        }
        Ok(chunk)
    });
    req.set_body(Body::from_bytes_stream(counted));
    let result = ep.call(req).await.map(IntoResponse::into_response);
    if exceeded.load(Ordering::Relaxed) {
        return Ok(too_large(limit));
    }
    result
}

/// Reads and throws away a refused body, up to [`LINGER_BYTES`] and [`LINGER_TIME`].
async fn linger(body: Body) {
    let mut stream = body.into_bytes_stream();
    let mut seen = 0u64;
    let _ = tokio::time::timeout(LINGER_TIME, async {
        while let Some(Ok(chunk)) = stream.next().await {
            seen += chunk.len() as u64;
            if seen >= LINGER_BYTES {
                break;
            }
        }
    })
    .await;
}

fn too_large(limit: u64) -> Response {
    let mut response = ApiError::PayloadTooLarge(format!(
        "the request body is larger than the {limit} bytes accepted for its media type"
    ))
    .as_response();
    // The rest of the body may be unread, so the connection cannot carry another request.
    response
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_bodies_get_the_csv_limit_and_everything_else_the_json_limit() {
        assert_eq!(body_limit(Some("text/csv"), 1, 10), 10);
        assert_eq!(body_limit(Some("text/csv; charset=utf-8"), 1, 10), 10);
        assert_eq!(body_limit(Some("application/json"), 1, 10), 1);
        assert_eq!(body_limit(Some("application/octet-stream"), 1, 10), 1);
        assert_eq!(body_limit(None, 1, 10), 1);
    }
}
