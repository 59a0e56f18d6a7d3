//! A one-time sign-in link mailed to a participant: the SHA-256 of its secret, never the secret.

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "sign_in_link")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub participant_id: i64,
    /// Hex SHA-256 of the link's secret.
    #[sea_orm(unique)]
    #[serde(skip)]
    pub token_hash: String,
    pub created_at: DateTimeUtc,
    /// The link stops working then.
    pub expires_at: DateTimeUtc,
    /// When it was opened; a used link never works again.
    pub used_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
