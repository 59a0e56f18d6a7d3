//! A participant's place in a workshop, or in its waitlist.

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize)]
#[serde(rename_all = "snake_case")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum EnrolmentStatus {
    /// Holds a seat.
    #[sea_orm(string_value = "enrolled")]
    Enrolled,
    /// Waiting for a seat, in `queue_number` order.
    #[sea_orm(string_value = "waitlisted")]
    Waitlisted,
    /// Gave up the seat or the place in the waitlist.
    #[sea_orm(string_value = "withdrawn")]
    Withdrawn,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "enrolment")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub workshop_id: i64,
    pub participant_id: i64,
    pub status: EnrolmentStatus,
    /// Order of arrival within the workshop; the waitlist is served in this order.
    pub queue_number: i64,
    /// When the participant consented to the processing of their data (`None`: not recorded).
    pub consent_given_at: Option<DateTimeUtc>,
    /// The version of the privacy notice they were shown (`domain::consent::NOTICE_VERSION`).
    pub consent_text_version: Option<String>,
    /// For an erased participant: the age band the reports count this seat under.
    pub counted_age_band: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::participant::Entity",
        from = "Column::ParticipantId",
        to = "super::participant::Column::Id"
    )]
    Participant,
}

impl Related<super::participant::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Participant.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
