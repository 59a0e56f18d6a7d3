//! An issued certificate: a snapshot of everything it printed, and the PDF as issued, so that
//! nothing edited later (participant, course, template) ever changes it.

use sea_orm::entity::prelude::*;
use serde::Serialize;

use super::workshop::Level;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize)]
#[serde(rename_all = "snake_case")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum CertificateStatus {
    #[sea_orm(string_value = "valid")]
    Valid,
    #[sea_orm(string_value = "revoked")]
    Revoked,
    /// Replaced by a reissued certificate (`superseded_by_id`); what it printed stays as it was.
    #[sea_orm(string_value = "superseded")]
    Superseded,
    /// Withdrawn at the holder's request, when their personal data was erased.
    #[sea_orm(string_value = "withdrawn")]
    Withdrawn,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "certificate")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// `IWSD-<COURSE>-<YEAR>-<6-digit sequence>`.
    #[sea_orm(unique)]
    pub number: String,
    /// At least 128 random bits, URL-safe.
    #[sea_orm(unique)]
    #[serde(skip)]
    pub verification_code: String,
    pub enrolment_id: i64,
    pub participant_id: i64,
    pub workshop_id: i64,
    pub course_id: i64,
    pub course_code: String,
    pub course_title: String,
    pub level: Level,
    pub holder_name: String,
    pub start_date: Date,
    pub end_date: Date,
    pub venue: String,
    pub organisation_name: Option<String>,
    pub issued_on: Date,
    pub issued_at: DateTimeUtc,
    pub verification_url: String,
    pub signatory_name: String,
    pub signatory_title: String,
    /// The PDF exactly as issued.
    #[serde(skip)]
    pub pdf: Vec<u8>,
    pub status: CertificateStatus,
    pub revoked_at: Option<DateTimeUtc>,
    pub revoked_reason: Option<String>,
    /// The certificate this one replaces (a reissue).
    pub supersedes_id: Option<i64>,
    /// The certificate that replaced this one.
    pub superseded_by_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
