//! A person who takes part in workshops.

use sea_orm::entity::prelude::*;
use serde::Serialize;

/// Gender as the participant chose to record it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize)]
#[serde(rename_all = "snake_case")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum Gender {
    #[sea_orm(string_value = "female")]
    Female,
    #[sea_orm(string_value = "male")]
    Male,
    #[sea_orm(string_value = "other")]
    Other,
    #[sea_orm(string_value = "undisclosed")]
    Undisclosed,
}

/// The group a participant represents in the programme.
#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize)]
#[serde(rename_all = "snake_case")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum TargetGroup {
    #[sea_orm(string_value = "water_supply")]
    WaterSupply,
    #[sea_orm(string_value = "wastewater")]
    Wastewater,
    #[sea_orm(string_value = "solid_waste")]
    SolidWaste,
    #[sea_orm(string_value = "social_services")]
    SocialServices,
    #[sea_orm(string_value = "revenue")]
    Revenue,
    #[sea_orm(string_value = "management")]
    Management,
    #[sea_orm(string_value = "community_champion")]
    CommunityChampion,
    #[sea_orm(string_value = "councillor")]
    Councillor,
    #[sea_orm(string_value = "ratepayer")]
    Ratepayer,
    #[sea_orm(string_value = "civic_society")]
    CivicSociety,
    #[sea_orm(string_value = "other")]
    Other,
}

/// An answer to one question of the Washington Group Short Set on functioning.
#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize)]
#[serde(rename_all = "snake_case")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(24))")]
pub enum Difficulty {
    #[sea_orm(string_value = "no_difficulty")]
    NoDifficulty,
    #[sea_orm(string_value = "some_difficulty")]
    SomeDifficulty,
    #[sea_orm(string_value = "a_lot_of_difficulty")]
    ALotOfDifficulty,
    #[sea_orm(string_value = "cannot_do_at_all")]
    CannotDoAtAll,
    #[sea_orm(string_value = "declined")]
    Declined,
}

/// The language a participant reads their mail, SMS and pages in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize)]
#[serde(rename_all = "snake_case")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(2))")]
pub enum Language {
    #[default]
    #[sea_orm(string_value = "en")]
    En,
    #[sea_orm(string_value = "sn")]
    Sn,
    #[sea_orm(string_value = "nd")]
    Nd,
}

/// How a participant is told about their enrolments and certificates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize)]
#[serde(rename_all = "snake_case")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(8))")]
pub enum ContactBy {
    #[sea_orm(string_value = "email")]
    Email,
    #[sea_orm(string_value = "sms")]
    Sms,
    #[sea_orm(string_value = "both")]
    Both,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "participant")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub full_name: String,
    /// Lower-cased; unique when present.
    #[sea_orm(unique)]
    pub email: Option<String>,
    /// E.164 (`+263771234567`); unique among participants when present.
    pub phone: Option<String>,
    pub gender: Option<Gender>,
    pub organisation_id: Option<i64>,
    pub target_group: TargetGroup,
    pub ward: Option<String>,
    /// National identity number, normalised (`63-123456A78`); unique when present.
    #[sea_orm(unique)]
    pub national_id: Option<String>,
    /// Year of birth (the age band is counted on a workshop's start date).
    pub birth_year: Option<i32>,
    /// The Washington Group Short Set: all six answers, or none (not asked).
    pub wg_seeing: Option<Difficulty>,
    pub wg_hearing: Option<Difficulty>,
    pub wg_walking: Option<Difficulty>,
    pub wg_cognition: Option<Difficulty>,
    pub wg_self_care: Option<Difficulty>,
    pub wg_communication: Option<Difficulty>,
    pub language: Language,
    pub contact_by: ContactBy,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// When the participant's personal data was erased (`None`: not erased).
    pub erased_at: Option<DateTimeUtc>,
    /// For an erased participant: the gender key the reports count them under.
    pub counted_gender: Option<String>,
    /// For an erased participant: the disability key the reports count them under.
    pub counted_disability: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
