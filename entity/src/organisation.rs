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

/// The ten provinces of Zimbabwe (Bulawayo and Harare are metropolitan provinces).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize)]
#[serde(rename_all = "snake_case")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum Province {
    #[sea_orm(string_value = "bulawayo")]
    Bulawayo,
    #[sea_orm(string_value = "harare")]
    Harare,
    #[sea_orm(string_value = "manicaland")]
    Manicaland,
    #[sea_orm(string_value = "mashonaland_central")]
    MashonalandCentral,
    #[sea_orm(string_value = "mashonaland_east")]
    MashonalandEast,
    #[sea_orm(string_value = "mashonaland_west")]
    MashonalandWest,
    #[sea_orm(string_value = "masvingo")]
    Masvingo,
    #[sea_orm(string_value = "matabeleland_north")]
    MatabelelandNorth,
    #[sea_orm(string_value = "matabeleland_south")]
    MatabelelandSouth,
    #[sea_orm(string_value = "midlands")]
    Midlands,
}

impl Province {
    /// The province's name as people write it.
    pub fn name(self) -> &'static str {
        match self {
            Province::Bulawayo => "Bulawayo",
            Province::Harare => "Harare",
            Province::Manicaland => "Manicaland",
            Province::MashonalandCentral => "Mashonaland Central",
            Province::MashonalandEast => "Mashonaland East",
            Province::MashonalandWest => "Mashonaland West",
            Province::Masvingo => "Masvingo",
            Province::MatabelelandNorth => "Matabeleland North",
            Province::MatabelelandSouth => "Matabeleland South",
            Province::Midlands => "Midlands",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "organisation")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub name: String,
    pub kind: OrganisationKind,
    /// Null for organisations recorded before provinces were.
    pub province: Option<Province>,
    pub district: Option<String>,
    /// The DHIS2 organisation unit (an 11-character UID) its figures are reported under.
    pub dhis2_org_unit: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
