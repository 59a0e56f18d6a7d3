//! The headers every response carries, set in one place.
//!
//! - every response: `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer`
//!   (verification codes and sign-in links live in URLs) and `X-Frame-Options: DENY`;
//! - everything under `/api/` (tokens, personal data): `Cache-Control: no-store`, unless the
//!   operation chose a cache policy of its own (a public, unchanging document may);
//! - HTML: a `Content-Security-Policy` that allows no inline script, no third-party origin and no
//!   framing. Swagger UI at `/docs` is one page with its script and style inline; it gets a policy
//!   that allows exactly those inline blocks by their SHA-256 ([`inline_hashes_policy`]) and
//!   nothing else;
//! - a 405: the `Allow` header, with the methods the path takes ([`AllowedMethods`]);
//! - when the public URL is `https://`: `Strict-Transport-Security` for a year ([`HSTS`]), so a
//!   browser that has been here once never tries plain http (and its cookies) again.

use base64::{Engine, engine::general_purpose::STANDARD};
use poem::{
    Endpoint, IntoResponse, Request, Response,
    http::{HeaderName, HeaderValue, StatusCode, header},
};

use crate::allowed_methods::AllowedMethods;
use sha2::{Digest, Sha256};

/// The one policy for the HTML pages this server renders (and the register's service worker):
/// scripts, styles and everything else only from this server, no inline script, no framing.
pub const PAGE_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; font-src 'self'; connect-src 'self'; worker-src 'self'; \
     manifest-src 'self'; object-src 'none'; form-action 'self'; frame-ancestors 'none'; \
     base-uri 'none'";

/// `Strict-Transport-Security` under https: a year, this host only (what else lives under the
/// organisation's domain is not this server's to decide).
pub const HSTS: &str = "max-age=31536000";

/// Runs `ep` and adds the security headers to whatever it answers (errors included); `https`:
/// the server is reached over https (its public URL says so).
pub async fn handle<E: Endpoint>(
    ep: &E,
    req: Request,
    docs_policy: &str,
    allowed: &AllowedMethods,
    https: bool,
) -> Response {
    let path = req.uri().path().to_owned();
    let mut response = match ep.call(req).await {
        Ok(response) => response.into_response(),
        Err(err) => err.into_response(),
    };
    let status = response.status();
    let headers = response.headers_mut();
    let mut set_default = |name: HeaderName, value: &str| {
        if !headers.contains_key(&name)
            && let Ok(value) = HeaderValue::from_str(value)
        {
            headers.insert(name, value);
        }
    };
    set_default(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set_default(header::REFERRER_POLICY, "no-referrer");
    set_default(header::X_FRAME_OPTIONS, "DENY");
    if https {
        set_default(header::STRICT_TRANSPORT_SECURITY, HSTS);
    }
    if status == StatusCode::METHOD_NOT_ALLOWED
        && let Some(methods) = allowed.for_path(&path)
    {
        set_default(header::ALLOW, methods);
    }
    if path.starts_with("/api/") {
        set_default(header::CACHE_CONTROL, "no-store");
    }
    let is_html = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("text/html"));
    if is_html {
        let policy = if path == "/docs" || path.starts_with("/docs/") {
            docs_policy
        } else {
            PAGE_POLICY
        };
        let headers = response.headers_mut();
        if !headers.contains_key(header::CONTENT_SECURITY_POLICY)
            && let Ok(value) = HeaderValue::from_str(policy)
        {
            headers.insert(header::CONTENT_SECURITY_POLICY, value);
        }
    }
    response
}

/// A policy for a page whose only inline code is its own `<script>` and `<style>` blocks:
/// each is allowed by its hash, any other inline code (an injected one) is not.
pub fn inline_hashes_policy(html: &str) -> String {
    let hashes = |tag: &str| -> String {
        let open = format!("<{tag}");
        let close = format!("</{tag}>");
        let mut out = String::new();
        let mut rest = html;
        while let Some(start) = rest.find(&open) {
            let after_tag = &rest[start..];
            let Some(body_start) = after_tag.find('>') else {
                break;
            };
            let body = &after_tag[body_start + 1..];
            let Some(end) = body.find(&close) else { break };
            let digest = Sha256::digest(&body.as_bytes()[..end]);
            out.push_str(&format!(" 'sha256-{}'", STANDARD.encode(digest)));
            rest = &body[end + close.len()..];
        }
        out
    };
    format!(
        "default-src 'self'; script-src 'self'{}; style-src 'self'{}; img-src 'self' data:; \
         connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; \
         form-action 'self'",
        hashes("script"),
        hashes("style")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_blocks_are_allowed_by_their_hash_and_nothing_else() {
        let policy = inline_hashes_policy(
            "<html><style charset=\"UTF-8\">a{}</style><script>run()</script></html>",
        );
        let hash = |s: &str| STANDARD.encode(Sha256::digest(s.as_bytes()));
        assert!(policy.contains(&format!("script-src 'self' 'sha256-{}';", hash("run()"))));
        assert!(policy.contains(&format!("style-src 'self' 'sha256-{}';", hash("a{}"))));
        assert!(!policy.contains("unsafe-inline"));
    }
}
