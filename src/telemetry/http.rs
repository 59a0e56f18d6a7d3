//! Around every request: its id (`X-Request-Id`, the caller's if sane, else a new one) set on
//! the response, in scope for problem+json's `instance` and for what the request queues, and
//! as the `request_id` field of a span that every log line of the request carries; then one
//! access-log line (`info`; `/health` at `debug`) and the request's metrics.

use std::{borrow::Cow, sync::Arc, time::Instant};

use poem::{Endpoint, PathPattern, Request, Response, http::HeaderValue};
use tracing::Instrument;

use super::metrics as series;
use crate::{
    allowed_methods::AllowedMethods,
    request_context::{self, RequestId},
};

/// The header a request id travels in, both ways.
pub const REQUEST_ID: &str = "x-request-id";

/// What a request's route is called in logs and metrics: the spec's path template for the API
/// (`/api/v1/workshops/{id}`), the router's pattern for the pages (`/admin/workshops/{id}`),
/// `other` for a path nothing serves. Never the raw path, so the labels stay few.
#[derive(Clone)]
pub struct RouteNames {
    spec: Arc<AllowedMethods>,
}

impl RouteNames {
    /// Names taken from the spec's paths (and from the router for everything else).
    pub fn new(spec: Arc<AllowedMethods>) -> Self {
        Self { spec }
    }

    /// The name of the route `path` was served by.
    pub fn name<'a>(&'a self, path: &str, pattern: Option<&PathPattern>) -> Cow<'a, str> {
        if let Some(template) = self.spec.template_for(path) {
            return Cow::Borrowed(template);
        }
        match pattern {
            Some(PathPattern(pattern)) => Cow::Owned(as_template(pattern)),
            None => Cow::Borrowed("other"),
        }
    }
}

/// `/admin/workshops/:id` → `/admin/workshops/{id}` (the spec's way of writing parameters).
fn as_template(pattern: &str) -> String {
    pattern
        .split('/')
        .map(|segment| match segment.strip_prefix([':', '*']) {
            Some(name) if !name.is_empty() => format!("{{{name}}}"),
            _ => segment.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// The method as a label: the standard ones by name, anything else `OTHER`.
fn method_name(method: &poem::http::Method) -> &'static str {
    use poem::http::Method;
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "OTHER",
    }
}

/// The middleware: puts [`RequestTelemetry`] around an endpoint.
#[derive(Clone)]
pub struct Telemetry {
    routes: RouteNames,
}

impl Telemetry {
    /// Names routes with `routes`.
    pub fn new(routes: RouteNames) -> Self {
        Self { routes }
    }
}

impl<E: Endpoint> poem::Middleware<E> for Telemetry {
    type Output = RequestTelemetry<E>;

    fn transform(&self, inner: E) -> Self::Output {
        RequestTelemetry {
            inner,
            routes: self.routes.clone(),
        }
    }
}

/// An endpoint with its requests identified, logged and measured.
pub struct RequestTelemetry<E> {
    inner: E,
    routes: RouteNames,
}

impl<E: Endpoint> Endpoint for RequestTelemetry<E> {
    type Output = Response;

    async fn call(&self, req: Request) -> poem::Result<Response> {
        Ok(handle(&self.inner, req, &self.routes).await)
    }
}

/// Serves `req` through `ep` as described in the module documentation.
async fn handle<E: Endpoint>(ep: &E, req: Request, routes: &RouteNames) -> Response {
    let id = req
        .headers()
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .and_then(RequestId::from_caller)
        .unwrap_or_else(RequestId::generate);
    let method = method_name(req.method());
    let path = req.uri().path().to_owned();
    let span = tracing::info_span!("request", request_id = %id);
    let started = Instant::now();
    span.in_scope(|| tracing::trace!(method, "request started"));
    let mut response = request_context::scope(Some(id.clone()), ep.get_response(req))
        .instrument(span.clone())
        .await;
    let elapsed = started.elapsed();
    let route = routes.name(&path, response.data::<PathPattern>());
    let status = response.status().as_u16();
    series::record_request(method, &route, status, elapsed);
    span.in_scope(|| {
        let seconds = elapsed.as_secs_f64();
        if path == "/health" {
            tracing::debug!(method, route = %route, status, seconds, "request");
        } else {
            tracing::info!(method, route = %route, status, seconds, "request");
        }
    });
    if let Ok(value) = HeaderValue::from_str(id.as_str()) {
        response.headers_mut().insert(REQUEST_ID, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn router_patterns_read_as_spec_templates() {
        assert_eq!(as_template("/admin/workshops/:id"), "/admin/workshops/{id}");
        assert_eq!(
            as_template("/admin/download/*path"),
            "/admin/download/{path}"
        );
        assert_eq!(as_template("/portal"), "/portal");
    }

    #[test]
    fn api_paths_are_named_by_the_spec_and_unknown_ones_are_other() {
        let spec = serde_json::json!({"paths": {"/api/v1/workshops/{id}": {"get": {}}}});
        let names = RouteNames::new(Arc::new(AllowedMethods::from_spec(&spec)));
        assert_eq!(
            names.name("/api/v1/workshops/12", None),
            "/api/v1/workshops/{id}"
        );
        assert_eq!(names.name("/wp-login.php", None), "other");
        let page = PathPattern("/verify/:code".into());
        assert_eq!(names.name("/verify/abc", Some(&page)), "/verify/{code}");
    }
}
