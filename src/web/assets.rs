//! The pages' CSS and JavaScript, compiled into the binary (no CDN, no build step). Each file is
//! served under a URL that carries a hash of its content, so a browser may keep it for a year
//! and still never use a stale copy; the service worker lives at a fixed URL, as browsers want.

use std::sync::OnceLock;

use poem::{
    Response, handler,
    http::{HeaderValue, StatusCode, header},
    web::Path,
};
use sha2::{Digest, Sha256};

/// One embedded file.
struct Asset {
    name: &'static str,
    content_type: &'static str,
    bytes: &'static [u8],
}

const CSS: Asset = Asset {
    name: "site.css",
    content_type: "text/css; charset=utf-8",
    bytes: include_bytes!("../../assets/web/static/site.css"),
};

const REGISTER_JS: Asset = Asset {
    name: "register.js",
    content_type: "text/javascript; charset=utf-8",
    bytes: include_bytes!("../../assets/web/static/register.js"),
};

/// The service worker (served at `/register/sw.js` so that it may control `/register/`).
const SERVICE_WORKER: &[u8] = include_bytes!("../../assets/web/static/sw.js");

const ALL: [Asset; 2] = [CSS, REGISTER_JS];

fn versioned(asset: &Asset) -> String {
    let hash = hex::encode(Sha256::digest(asset.bytes));
    format!("/static/{}/{}", &hash[..12], asset.name)
}

fn urls() -> &'static [String; 2] {
    static URLS: OnceLock<[String; 2]> = OnceLock::new();
    URLS.get_or_init(|| [versioned(&CSS), versioned(&REGISTER_JS)])
}

/// The URL of the stylesheet.
pub fn css_url() -> &'static str {
    &urls()[0]
}

/// The URL of the register's script.
pub fn register_js_url() -> &'static str {
    &urls()[1]
}

/// `GET /static/{version}/{name}`: an embedded file (404 for any other version or name).
#[handler]
pub fn static_file(Path((version, name)): Path<(String, String)>) -> Response {
    let found = ALL.iter().zip(urls().iter()).find(|(asset, url)| {
        asset.name == name && url.as_str() == format!("/static/{version}/{name}")
    });
    match found {
        Some((asset, _)) => Response::builder()
            .content_type(asset.content_type)
            .header(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=31536000, immutable"),
            )
            .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff")
            .body(asset.bytes),
        None => Response::builder()
            .status(StatusCode::NOT_FOUND)
            .content_type("text/plain; charset=utf-8")
            .body("not found"),
    }
}

/// The site's icon (a water drop), 32 px.
const FAVICON: &[u8] = include_bytes!("../../assets/web/static/favicon.ico");

/// `GET /favicon.ico`: the icon browsers ask for on every site.
#[handler]
pub fn favicon() -> Response {
    Response::builder()
        .content_type("image/x-icon")
        .header(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=86400"),
        )
        .body(FAVICON)
}

/// `GET /register/sw.js`: the register's service worker, told which files to keep offline.
#[handler]
pub fn service_worker() -> Response {
    let script = String::from_utf8_lossy(SERVICE_WORKER)
        .replace("__CSS_URL__", css_url())
        .replace("__JS_URL__", register_js_url());
    let mut response = Response::builder()
        .content_type("text/javascript; charset=utf-8")
        // Registered from `/register/…` with the scope `/register`, so the list of workshops
        // opens offline too (a worker's scope may not be wider than its folder without this).
        .header("service-worker-allowed", "/register")
        .body(script);
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    // The worker obeys the same policy as the pages it serves.
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(crate::security_headers::PAGE_POLICY),
    );
    response
}
