//! An organisation participants and workshops belong to.

use sea_orm::entity::prelude::*;
use serde::Serialize;

/// What sort of body an organisation is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize)]
#[serde(rename_all = "snake_case")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum OrganisationKind {
    /// A city or town council.
    #[sea_orm(string_value = "local_authority")]
    LocalAuthority,
    /// A residents' or ratepayers' association.
    #[sea_orm(string_value = "residents_association")]
    ResidentsAssociation,
    /// A civic society organisation.
    #[sea_orm(string_value = "civic_society")]
    CivicSociety,
    /// Anything else.
    #[sea_orm(string_value = "other")]
    Other,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "organisation")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub name: String,
    pub kind: OrganisationKind,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
