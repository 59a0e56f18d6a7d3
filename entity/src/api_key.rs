//! An API key for a third-party client: the SHA-256 of the key, never the key itself.

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "api_key")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    /// Space-separated scopes: `read`, `enrol`, `attendance`, `certificates`, `admin`.
    pub scopes: String,
    /// Hex SHA-256 of the key.
    #[sea_orm(unique)]
    #[serde(skip)]
    pub key_hash: String,
    /// The first characters of the key, to tell keys apart in lists.
    pub key_prefix: String,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub revoked_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
