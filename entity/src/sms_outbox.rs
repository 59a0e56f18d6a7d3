//! One SMS in the outbox: what to send to which number, and what happened when it was tried.

use sea_orm::entity::prelude::*;
use serde::Serialize;

/// Where an SMS stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize)]
#[serde(rename_all = "snake_case")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum SmsStatus {
    /// Waiting to be sent (again).
    #[sea_orm(string_value = "queued")]
    Queued,
    /// Accepted by the gateway (or written to the outbox folder).
    #[sea_orm(string_value = "sent")]
    Sent,
    /// Refused for good, or out of attempts.
    #[sea_orm(string_value = "failed")]
    Failed,
}

/// What an SMS is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize)]
#[serde(rename_all = "snake_case")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum SmsKind {
    /// A one-time sign-in code (the only kind that may go more than once per person).
    #[sea_orm(string_value = "sign_in_code")]
    SignInCode,
    #[sea_orm(string_value = "enrolment_confirmation")]
    EnrolmentConfirmation,
    #[sea_orm(string_value = "waitlist")]
    Waitlist,
    #[sea_orm(string_value = "promotion")]
    Promotion,
    #[sea_orm(string_value = "reminder")]
    Reminder,
    #[sea_orm(string_value = "cancellation")]
    Cancellation,
    #[sea_orm(string_value = "evaluation_request")]
    EvaluationRequest,
    /// A certificate is ready: where to check it and where to download it.
    #[sea_orm(string_value = "certificate")]
    Certificate,
    /// An application for a public workshop was accepted (a seat or a waitlist place).
    #[sea_orm(string_value = "application_accepted")]
    ApplicationAccepted,
    /// An application for a public workshop was declined, with the reason when it fits.
    #[sea_orm(string_value = "application_declined")]
    ApplicationDeclined,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sms_outbox")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub kind: SmsKind,
    /// The number, in E.164.
    pub recipient: String,
    pub participant_id: Option<i64>,
    pub enrolment_id: Option<i64>,
    pub body: String,
    /// Segments the body takes (at most two).
    pub segments: i32,
    pub status: SmsStatus,
    pub attempts: i32,
    pub next_attempt_at: DateTimeUtc,
    pub last_error: Option<String>,
    /// While set and in the future, one worker holds the message.
    pub claimed_until: Option<DateTimeUtc>,
    pub sent_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    /// At most one message per key (`<kind>:enrolment:<id>`); none for sign-in codes.
    #[sea_orm(unique)]
    pub dedupe_key: Option<String>,
    /// The request that queued it, for the log lines of its delivery.
    pub request_id: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
