//! Downloads from console pages: the certificates ZIP, the register and roster CSVs, the
//! summary CSV and a certificate's PDF, served by the API's own operations.
//!
//! A plain link cannot send the CSRF header that lets a page session into the API (see
//! `api_session`), so the console links to `/admin/download/<API path>`: after the console's
//! own access check, the request is handed to the API operation at `/api/v1/<API path>` as the
//! administrator's session (`Authorization: Bearer`). Only the read-only downloads listed in
//! [`allowed`] pass; the file is exactly what the API sends.

use std::sync::Arc;

use poem::{
    Endpoint, EndpointExt, IntoEndpoint, IntoResponse, Request, Response, http::HeaderValue,
};

use super::require;
use crate::{AppState, web::errors};

/// Whether `path` (after `/admin/download/`) is one of the downloads the console links to.
pub fn allowed(path: &str) -> bool {
    let parts: Vec<&str> = path.split('/').collect();
    let id = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    match parts.as_slice() {
        [
            "workshops",
            w,
            "certificates.zip" | "attendance.csv" | "roster.csv",
        ] => id(w),
        ["certificates", c, "pdf"] => id(c),
        ["reports", "summary.csv"] | ["certificates.csv"] => true,
        _ => false,
    }
}

/// The endpoint behind `/admin/download/*path`.
pub fn endpoint() -> impl Endpoint<Output = Response> {
    let api = Arc::new(
        crate::api::service()
            .into_endpoint()
            .map_to_response()
            .boxed(),
    );
    poem::endpoint::make(move |req: Request| {
        let api = api.clone();
        async move { download(api.as_ref(), req).await }
    })
}

async fn download(api: &impl Endpoint, mut req: Request) -> Response {
    let Some(state) = req.data::<AppState>().cloned() else {
        return errors::internal(&req, "no application state");
    };
    let admin = match require(&req, &state).await {
        Ok(admin) => admin,
        Err(response) => return response,
    };
    let path = req
        .uri()
        .path()
        .strip_prefix("/admin/download/")
        .unwrap_or("")
        .to_owned();
    if !allowed(&path) {
        return errors::not_found(&req);
    }
    let target = match req.uri().query() {
        Some(query) => format!("/api/v1/{path}?{query}"),
        None => format!("/api/v1/{path}"),
    };
    let Ok(uri) = target.parse() else {
        return errors::not_found(&req);
    };
    *req.uri_mut() = uri;
    let Ok(bearer) = HeaderValue::from_str(&format!("Bearer {}", admin.who.token)) else {
        return errors::internal(&req, "a session token that is not a header value");
    };
    req.headers_mut()
        .insert(poem::http::header::AUTHORIZATION, bearer);
    match api.call(req).await {
        Ok(response) => response.into_response(),
        Err(err) => err.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::allowed;

    #[test]
    fn only_the_read_only_downloads_pass() {
        for ok in [
            "workshops/2/certificates.zip",
            "workshops/2/attendance.csv",
            "workshops/12/roster.csv",
            "certificates/7/pdf",
            "reports/summary.csv",
            "certificates.csv",
        ] {
            assert!(allowed(ok), "{ok}");
        }
        for refused in [
            "workshops/2/certificates",
            "workshops/x/roster.csv",
            "workshops//roster.csv",
            "users",
            "workshops/2/../../users",
            "api-keys",
        ] {
            assert!(!allowed(refused), "{refused}");
        }
    }
}
