//! A person's application for a place in a public workshop: who they are, how to reach them,
//! their consent, and where the application stands (confirmed, accepted, declined, lapsed).

use sea_orm::entity::prelude::*;
use serde::Serialize;

use crate::participant::{Gender, TargetGroup};

/// Where an application stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize)]
#[serde(rename_all = "snake_case")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum ApplicationStatus {
    /// Sent, but the applicant has not yet confirmed their address or number.
    #[sea_orm(string_value = "unconfirmed")]
    Unconfirmed,
    /// Confirmed: waiting for an administrator.
    #[sea_orm(string_value = "pending")]
    Pending,
    /// Accepted: the applicant holds a seat or a waitlist place.
    #[sea_orm(string_value = "accepted")]
    Accepted,
    /// Declined, with a reason.
    #[sea_orm(string_value = "declined")]
    Declined,
    /// Never confirmed within its time.
    #[sea_orm(string_value = "lapsed")]
    Lapsed,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "workshop_application")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// What the applicant is told to quote (`A-` and ten characters).
    #[sea_orm(unique)]
    pub reference: String,
    pub workshop_id: i64,
    pub full_name: String,
    /// Lower-cased.
    pub email: Option<String>,
    /// E.164 (`+263771234567`).
    pub phone: Option<String>,
    pub organisation_name: Option<String>,
    pub target_group: TargetGroup,
    pub gender: Option<Gender>,
    /// The language the applicant applied in (`en`, `sn`, `nd`): their mails use it.
    pub language: String,
    pub consent_given_at: DateTimeUtc,
    pub consent_text_version: String,
    pub status: ApplicationStatus,
    /// SHA-256 (hex) of the emailed confirmation link's token.
    #[serde(skip)]
    #[sea_orm(unique)]
    pub confirm_token_hash: Option<String>,
    /// SHA-256 (hex) of the SMS code, salted with the reference.
    #[serde(skip)]
    pub code_hash: Option<String>,
    /// Wrong codes tried so far.
    pub code_tries: i32,
    /// Unconfirmed by then, the application lapses.
    pub confirm_by: DateTimeUtc,
    pub confirmed_at: Option<DateTimeUtc>,
    pub decided_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text", nullable)]
    pub decline_reason: Option<String>,
    /// The participant an accepted application was linked to or created as.
    pub participant_id: Option<i64>,
    pub enrolment_id: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
