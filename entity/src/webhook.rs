//! A webhook subscription: where to deliver which events, and the secret they are signed with.

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "webhook")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub url: String,
    pub description: Option<String>,
    /// The event types subscribed to, as a JSON array of their names (`enrolment.created`, …).
    #[sea_orm(column_type = "Text")]
    pub events: String,
    /// `whsec_` + base64 of the signing key's bytes.
    #[serde(skip)]
    pub secret: String,
    pub active: bool,
    /// Why it was turned off by the server (deliveries failing for good), if it was.
    #[sea_orm(column_type = "Text", nullable)]
    pub disabled_reason: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
