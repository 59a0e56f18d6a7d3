//! Compressed responses: text (HTML, CSS, JavaScript, JSON, problem+json, CSV, SVG, iCalendar)
//! goes out brotli- or gzip-compressed when the client accepts it (poem's `Compress`).
//!
//! Only responses are compressed: a compressed request body is not unpacked (the body limits
//! count what arrives, and a small compressed body could unpack to far more). Already
//! compressed formats (PDF, PNG, ZIP) and tiny answers go out as they are, and so do event
//! streams, answers to `HEAD` and answers with no body (204, 304). Every text answer carries
//! `Vary: Accept-Encoding`, so a cache (the register's service worker included) keeps the right
//! copy; the service worker stores what the browser has already unpacked.

use poem::{
    Endpoint, IntoResponse, Middleware, Request, Response,
    http::{HeaderValue, Method, StatusCode, header},
    web::{Compress, CompressionAlgo, CompressionLevel},
};

/// Answers smaller than this (when their length is known) are not worth compressing.
pub const MIN_BYTES: u64 = 512;

/// The middleware (outermost, so every answer passes through it).
pub struct Compression;

impl<E: Endpoint> Middleware<E> for Compression {
    type Output = CompressionEndpoint<E>;

    fn transform(&self, ep: E) -> Self::Output {
        CompressionEndpoint(ep)
    }
}

/// An endpoint whose text answers are compressed.
pub struct CompressionEndpoint<E>(E);

impl<E: Endpoint> Endpoint for CompressionEndpoint<E> {
    type Output = Response;

    async fn call(&self, req: Request) -> poem::Result<Response> {
        handle(&self.0, req).await
    }
}

/// Runs `ep` and compresses its answer when the client accepts brotli or gzip.
pub async fn handle<E: Endpoint>(ep: &E, req: Request) -> poem::Result<Response> {
    let algo = accepted(&req);
    let head = req.method() == Method::HEAD;
    let mut resp = ep.call(req).await?.into_response();
    if !compressible(&resp) {
        return Ok(resp);
    }
    resp.headers_mut()
        .append(header::VARY, HeaderValue::from_static("accept-encoding"));
    let small = resp
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        .is_some_and(|n| n < MIN_BYTES);
    match algo {
        Some(algo) if !head && !small => {
            // A strong validator names the uncompressed bytes; the compressed ones differ.
            if let Some(etag) = resp.headers().get(header::ETAG).cloned()
                && let Ok(tag) = etag.to_str()
                && !tag.starts_with("W/")
                && let Ok(weak) = HeaderValue::from_str(&format!("W/{tag}"))
            {
                resp.headers_mut().insert(header::ETAG, weak);
            }
            let level = match algo {
                // Brotli's default (11) is for files compressed once; 5 is fast and still small.
                CompressionAlgo::BR => CompressionLevel::Precise(5),
                _ => CompressionLevel::Default,
            };
            Ok(Compress::new(resp, algo)
                .with_quality(level)
                .into_response())
        }
        _ => Ok(resp),
    }
}

/// Brotli if the client accepts it, else gzip, else nothing (`q=0` refuses a coding).
fn accepted(req: &Request) -> Option<CompressionAlgo> {
    let mut br = false;
    let mut gzip = false;
    for value in req.headers().get_all(header::ACCEPT_ENCODING) {
        let Ok(value) = value.to_str() else { continue };
        for item in value.split(',') {
            let mut parts = item.split(';').map(str::trim);
            let coding = parts.next().unwrap_or_default();
            let refused = parts.any(|p| {
                p.strip_prefix("q=")
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            if refused {
                continue;
            }
            if coding.eq_ignore_ascii_case("br") {
                br = true;
            } else if coding.eq_ignore_ascii_case("gzip") {
                gzip = true;
            }
        }
    }
    if br {
        Some(CompressionAlgo::BR)
    } else if gzip {
        Some(CompressionAlgo::GZIP)
    } else {
        None
    }
}

/// Whether the answer is text worth compressing and not already encoded.
fn compressible(resp: &Response) -> bool {
    if resp.headers().contains_key(header::CONTENT_ENCODING)
        || matches!(
            resp.status(),
            StatusCode::NO_CONTENT | StatusCode::NOT_MODIFIED | StatusCode::PARTIAL_CONTENT
        )
    {
        return false;
    }
    let Some(kind) = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let kind = kind
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    if kind == "text/event-stream" {
        return false;
    }
    kind.starts_with("text/")
        || kind.ends_with("+json")
        || kind.ends_with("+xml")
        || matches!(
            kind.as_str(),
            "application/json" | "application/javascript" | "application/xml"
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(accept: &str) -> Request {
        Request::builder()
            .header(header::ACCEPT_ENCODING, accept)
            .finish()
    }

    #[test]
    fn brotli_is_preferred_and_refusals_are_heard() {
        assert!(matches!(
            accepted(&req("gzip, deflate, br")),
            Some(CompressionAlgo::BR)
        ));
        assert!(matches!(
            accepted(&req("gzip, br;q=0")),
            Some(CompressionAlgo::GZIP)
        ));
        assert!(accepted(&req("identity")).is_none());
        assert!(accepted(&req("deflate")).is_none());
    }
}
