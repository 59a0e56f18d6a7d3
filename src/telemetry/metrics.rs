//! Prometheus metrics, recorded through the `metrics` crate and rendered by its Prometheus
//! exporter, served at `GET /metrics` on `CSSD_METRICS_BIND` only (never on the public
//! address), beside the detailed `GET /health`.
//!
//! Request series are recorded as requests end ([`record_request`]); the outbox, pool and
//! process series are read when scraped ([`scrape`]): the outboxes through
//! [`crate::services::outboxes::CHANNELS`], index-only, so a scrape costs the same on a large
//! database as on an empty one.

use std::{
    net::SocketAddr,
    sync::{Arc, OnceLock},
    time::Duration,
};

use metrics::{counter, describe_counter, describe_gauge, describe_histogram, gauge, histogram};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use poem::{EndpointExt, IntoResponse, Route, endpoint::make, get, http::StatusCode};
use poem_openapi::types::ToJSON;

use crate::{db, serve, services::outboxes, state::AppState};

const REQUESTS: &str = "cssd_http_requests_total";
const DURATION: &str = "cssd_http_request_duration_seconds";
const BUCKETS: &[f64] = &[
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

static RECORDER: OnceLock<PrometheusHandle> = OnceLock::new();
static PROCESS: OnceLock<metrics_process::Collector> = OnceLock::new();

/// The process's recorder, installed (once) on first use: every app of the process records
/// into it, as its one server does in production.
pub fn recorder() -> &'static PrometheusHandle {
    RECORDER.get_or_init(|| {
        let recorder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Full(DURATION.into()), BUCKETS)
            .expect("the buckets are not empty")
            .build_recorder();
        let handle = recorder.handle();
        if metrics::set_global_recorder(recorder).is_err() {
            tracing::warn!("another metrics recorder is installed: /metrics stays empty");
        }
        describe();
        handle
    })
}

fn describe() {
    describe_counter!(
        REQUESTS,
        "HTTP requests answered, by method, route template and status"
    );
    describe_histogram!(
        DURATION,
        metrics::Unit::Seconds,
        "Time to answer an HTTP request, by method, route template and status class"
    );
    describe_gauge!(
        "cssd_outbox_pending",
        "Messages waiting in an outbox, by channel"
    );
    describe_counter!(
        "cssd_outbox_failed_total",
        "Messages an outbox gave up on (stored; falls when one is re-sent), by channel"
    );
    describe_gauge!(
        "cssd_outbox_oldest_pending_seconds",
        metrics::Unit::Seconds,
        "How long the oldest waiting message of an outbox has waited, by channel"
    );
    describe_gauge!(
        "cssd_db_pool_connections",
        "Database pool connections, by state (idle, in_use, max)"
    );
    describe_gauge!(
        "cssd_database_up",
        "1 when the database answered the last scrape"
    );
    describe_counter!(
        "cssd_certificates_issued_total",
        "Certificates issued (and reissued)"
    );
    describe_counter!(
        "cssd_logins_total",
        "Password sign-ins, by result (success, failure, throttled, busy, error)"
    );
    // Present from the first scrape, before anything happened.
    counter!("cssd_certificates_issued_total").increment(0);
    for result in ["success", "failure", "throttled"] {
        counter!("cssd_logins_total", "result" => result).increment(0);
    }
    process().describe();
}

fn process() -> &'static metrics_process::Collector {
    PROCESS.get_or_init(metrics_process::Collector::default)
}

/// Records one answered request.
pub fn record_request(method: &'static str, route: &str, status: u16, elapsed: Duration) {
    let class = match status {
        100..=199 => "1xx",
        200..=299 => "2xx",
        300..=399 => "3xx",
        400..=499 => "4xx",
        _ => "5xx",
    };
    let route = route.to_owned();
    counter!(REQUESTS, "method" => method, "route" => route.clone(), "status" => status.to_string())
        .increment(1);
    histogram!(DURATION, "method" => method, "route" => route, "status" => class)
        .record(elapsed.as_secs_f64());
}

/// Reads the series that are read when scraped (database, outboxes, pool, process) and renders
/// everything in Prometheus's text format.
pub async fn scrape(state: &AppState) -> String {
    let handle = recorder();
    let up = db::check_file(&state.db).is_ok() && state.db.ping().await.is_ok();
    gauge!("cssd_database_up").set(if up { 1.0 } else { 0.0 });
    if up {
        match outboxes::backlogs(&state.db).await {
            Ok(all) => {
                let now = chrono::Utc::now();
                for (channel, backlog) in all {
                    gauge!("cssd_outbox_pending", "channel" => channel).set(backlog.pending as f64);
                    counter!("cssd_outbox_failed_total", "channel" => channel)
                        .absolute(backlog.failed);
                    gauge!("cssd_outbox_oldest_pending_seconds", "channel" => channel)
                        .set(backlog.oldest_pending_seconds(now) as f64);
                }
            }
            Err(err) => tracing::warn!(error = %err, "metrics: could not read the outboxes"),
        }
    }
    let (open, idle) = db::pool_connections(&state.db);
    gauge!("cssd_db_pool_connections", "state" => "idle").set(idle as f64);
    gauge!("cssd_db_pool_connections", "state" => "in_use").set(f64::from(open) - idle as f64);
    gauge!("cssd_db_pool_connections", "state" => "max")
        .set(f64::from(state.config.db_max_connections));
    process().collect();
    handle.run_upkeep();
    handle.render()
}

/// The metrics address's routes: `GET /metrics` and the detailed `GET /health`.
pub fn endpoint(state: AppState) -> impl poem::Endpoint {
    let metrics_state = state.clone();
    let metrics = make(move |_| {
        let state = metrics_state.clone();
        async move {
            scrape(&state)
                .await
                .with_content_type("text/plain; version=0.0.4; charset=utf-8")
        }
    });
    let health = make(move |_| {
        let state = state.clone();
        async move {
            let (up, health) = crate::api::health::check(&state, true).await;
            let body = health.to_json().map(|v| v.to_string()).unwrap_or_default();
            body.with_content_type("application/json; charset=utf-8")
                .with_status(if up {
                    StatusCode::OK
                } else {
                    StatusCode::SERVICE_UNAVAILABLE
                })
        }
    });
    Route::new()
        .at("/metrics", get(metrics))
        .at("/health", get(health))
        .map_to_response()
}

/// The metrics address, bound at start-up when `CSSD_METRICS_BIND` is set.
pub struct MetricsServer {
    listener: tokio::net::TcpListener,
    local_addr: SocketAddr,
}

impl MetricsServer {
    /// Binds the configured metrics address (`None` when there is none) and installs the
    /// recorder.
    pub fn bind(state: &AppState) -> std::io::Result<Option<Self>> {
        recorder();
        let Some(addr) = state.config.metrics_bind else {
            return Ok(None);
        };
        let listener = std::net::TcpListener::bind(addr)?;
        listener.set_nonblocking(true)?;
        let local_addr = listener.local_addr()?;
        Ok(Some(Self {
            listener: tokio::net::TcpListener::from_std(listener)?,
            local_addr,
        }))
    }

    /// The address it listens on (useful when bound to port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// Serves until `stopped` turns true.
    pub async fn serve(self, state: AppState, mut stopped: tokio::sync::watch::Receiver<bool>) {
        let options = serve::ServeOptions {
            header_read_timeout: state.config.header_read_timeout,
            idle_timeout: state.config.idle_timeout,
            max_connections: 64,
            grace: Duration::from_secs(5),
            trusted_proxies: Arc::from(Vec::new()),
        };
        tracing::info!(addr = %self.local_addr, "serving metrics at /metrics");
        let shutdown = async move {
            let _ = stopped.wait_for(|stopped| *stopped).await;
        };
        if let Err(err) = serve::serve(self.listener, endpoint(state), options, shutdown).await {
            tracing::error!(error = %err, "the metrics server stopped");
        }
    }
}
