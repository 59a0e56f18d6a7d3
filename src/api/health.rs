//! `GET /health`: is the service up, and can it reach its database?

use poem::web::Data;
use poem_openapi::{ApiResponse, Object, OpenApi, payload::Json};

use super::Tag;
use crate::state::AppState;

/// Health of the service.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct Health {
    /// `ok` when the service can serve requests, `degraded` when its database does not answer.
    pub status: String,
    /// `ok`, or `unreachable` when a round trip to the database failed.
    pub database: String,
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
    /// and container health checks.
    #[oai(path = "/health", method = "get", operation_id = "get_health")]
    async fn health(&self, state: Data<&AppState>) -> HealthResponse {
        let ping = match crate::db::check_file(&state.db) {
            Ok(()) => state.db.ping().await,
            Err(gone) => Err(gone),
        };
        match ping {
            Ok(()) => HealthResponse::Ok(Json(Health {
                status: "ok".into(),
                database: "ok".into(),
            })),
            Err(err) => {
                tracing::warn!(error = %err, "health check: database unreachable");
                HealthResponse::Unavailable(Json(Health {
                    status: "degraded".into(),
                    database: "unreachable".into(),
                }))
            }
        }
    }
}
