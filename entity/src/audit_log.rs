//! Who changed what, when: one row per change, written in the change's own transaction.

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub at: DateTimeUtc,
    /// `user`, `api_key` or `system`.
    pub actor_kind: String,
    pub actor_id: Option<i64>,
    /// The user's email or the key's name, as it was at the time.
    pub actor_label: String,
    /// The table name of what changed, e.g. `course`.
    pub entity: String,
    pub entity_id: i64,
    /// e.g. `create`, `update`, `revoke`.
    pub action: String,
    pub before: Option<Json>,
    pub after: Option<Json>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
