//! The audit log (administrators).

use crate::api::timestamp::Timestamp;

use entity::audit_log;
use poem::web::Data;
use poem_openapi::{Object, OpenApi, param::Query, payload::Json};

use super::{Tag, page};
use crate::{auth::CanAdminister, error::ApiError, services::audit, state::AppState};

/// One change in the audit log.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct AuditEntry {
    pub id: i64,
    /// When the change was made.
    pub at: Timestamp,
    /// `user`, `api_key` or `system`.
    pub actor_kind: String,
    /// The user's or key's id.
    pub actor_id: Option<i64>,
    /// The user's email or the key's name at the time.
    pub actor_label: String,
    /// What kind of record changed, e.g. `course`, `enrolment`.
    pub entity: String,
    /// Which record changed.
    pub entity_id: i64,
    /// What was done, e.g. `create`, `update`, `revoke`.
    pub action: String,
    /// The record before the change.
    pub before: Option<serde_json::Value>,
    /// The record after the change.
    pub after: Option<serde_json::Value>,
}

impl From<audit_log::Model> for AuditEntry {
    fn from(a: audit_log::Model) -> Self {
        Self {
            id: a.id,
            at: a.at.into(),
            actor_kind: a.actor_kind,
            actor_id: a.actor_id,
            actor_label: a.actor_label,
            entity: a.entity,
            entity_id: a.entity_id,
            action: a.action,
            before: a.before.map(audit::without_nulls),
            after: a.after.map(audit::without_nulls),
        }
    }
}

wire_page! {
    /// A page of audit entries.
    AuditPage of AuditEntry
}

pub struct AuditApi;

#[OpenApi(prefix_path = "/api/v1", tag = "Tag::Administration")]
impl AuditApi {
    /// Read the audit log
    ///
    /// Who changed what and when, newest first, with the record before and after the change.
    #[oai(path = "/audit", method = "get", operation_id = "list_audit_entries")]
    async fn audit(
        &self,
        state: Data<&AppState>,
        _auth: CanAdminister,
        /// Only changes to this kind of record, e.g. `course`, `enrolment`, `certificate`.
        entity: Query<Option<String>>,
        /// Only changes to the record with this id.
        entity_id: Query<Option<i64>>,
        /// How many to return (1–200, default 50).
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))]
        limit: Query<Option<u64>>,
        /// How many to skip (0–1,000,000,000).
        #[oai(validator(minimum(value = "0"), maximum(value = "1000000000")))]
        offset: Query<Option<u64>>,
    ) -> Result<Json<AuditPage>, ApiError> {
        super::check_query_text("entity", entity.0.as_deref())?;
        let filter = audit::AuditFilter {
            entity: entity.0,
            entity_id: entity_id.0,
        };
        let found = audit::list(&state.db, filter, page(limit.0, offset.0)).await?;
        Ok(Json(AuditPage::from(found)))
    }
}
