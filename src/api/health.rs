//! `GET /health`: is the service up, and can it reach its database? With the health token (or
//! on the metrics address) also what an operator needs at a glance: migrations, the signing
//! key, and each outbox's backlog.

use migration::{Migrator, MigratorTrait};
use poem::{Request, web::Data};
use poem_openapi::{ApiResponse, Object, OpenApi, payload::Json};
use subtle::ConstantTimeEq;

use super::Tag;
use crate::{services::outboxes, state::AppState};

/// Health of the service.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct Health {
    /// `ok` when the service can serve requests, `degraded` when its database does not answer.
    pub status: String,
    /// `ok`, or `unreachable` when a round trip to the database failed.
    pub database: String,
    /// Details only: `current`, or `pending` when the database lacks migrations this build
    /// knows (another instance, newer, is expected to apply them at its start).
    pub migrations: Option<String>,
    /// Details only: `present`, or `missing` when no key can sign credentials.
    pub signing_key: Option<String>,
    /// Details only: each outbox's backlog (`mail`, `sms`, `webhook`).
    pub outbox: Option<Vec<OutboxBacklog>>,
}

/// How far behind one outbox is.
#[derive(Debug, Object)]
pub struct OutboxBacklog {
    /// `mail`, `sms` or `webhook`.
    pub channel: String,
    /// Messages waiting to go.
    pub pending: u64,
    /// Messages given up (until re-sent).
    pub failed: u64,
    /// How long the oldest waiting message has waited (0 when none waits).
    pub oldest_pending_seconds: u64,
}

#[derive(ApiResponse)]
enum HealthResponse {
    /// The service and its database are up.
    #[oai(status = 200)]
    Ok(Json<Health>),
    /// The database does not answer.
    #[oai(status = 503)]
    Unavailable(Json<Health>),
}

pub struct HealthApi;

#[OpenApi(tag = "Tag::Health")]
impl HealthApi {
    /// Check the service's health
    ///
    /// Makes one round trip to the database (and, on SQLite, checks that its file is still the
    /// one the server opened: 503 once it was deleted or replaced). Needs no authentication; suitable for load-balancer
    /// and container health checks. With `Authorization: Bearer <CSSD_HEALTH_TOKEN>` (and always
    /// on the metrics address) it adds `migrations`, `signing_key` and `outbox`; anonymous
    /// callers never see those numbers.
    #[oai(path = "/health", method = "get", operation_id = "get_health")]
    async fn health(&self, state: Data<&AppState>, req: &Request) -> HealthResponse {
        let detailed = state
            .config
            .health_token
            .as_deref()
            .zip(bearer(req))
            .is_some_and(|(token, given)| bool::from(token.as_bytes().ct_eq(given.as_bytes())));
        let (up, health) = check(&state, detailed).await;
        if up {
            HealthResponse::Ok(Json(health))
        } else {
            HealthResponse::Unavailable(Json(health))
        }
    }
}

fn bearer(req: &Request) -> Option<&str> {
    req.headers()
        .get(http::header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

/// The health report, with the details when `detailed`; `true` when the database answers.
pub async fn check(state: &AppState, detailed: bool) -> (bool, Health) {
    let ping = match crate::db::check_file(&state.db) {
        Ok(()) => state.db.ping().await,
        Err(gone) => Err(gone),
    };
    let up = match ping {
        Ok(()) => true,
        Err(err) => {
            tracing::warn!(error = %err, "health check: database unreachable");
            false
        }
    };
    let mut health = Health {
        status: if up { "ok" } else { "degraded" }.into(),
        database: if up { "ok" } else { "unreachable" }.into(),
        migrations: None,
        signing_key: None,
        outbox: None,
    };
    if detailed && up {
        health.migrations = Some(
            match Migrator::get_pending_migrations(&state.db).await {
                Ok(pending) if pending.is_empty() => "current",
                Ok(_) => "pending",
                Err(_) => "unknown",
            }
            .into(),
        );
        health.signing_key = Some(
            if state.keyring.signing_key(&state.db).await.is_ok() {
                "present"
            } else {
                "missing"
            }
            .into(),
        );
        let now = chrono::Utc::now();
        health.outbox = outboxes::backlogs(&state.db).await.ok().map(|all| {
            all.into_iter()
                .map(|(channel, backlog)| OutboxBacklog {
                    channel: channel.into(),
                    pending: backlog.pending,
                    failed: backlog.failed,
                    oldest_pending_seconds: backlog.oldest_pending_seconds(now),
                })
                .collect()
        });
    }
    (up, health)
}
