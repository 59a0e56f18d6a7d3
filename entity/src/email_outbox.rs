//! One email in the outbox: what to send, and what happened when it was tried.

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize)]
#[serde(rename_all = "snake_case")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum EmailStatus {
    /// Waiting to be sent (again).
    #[sea_orm(string_value = "queued")]
    Queued,
    /// Handed to the mail server (or written to the outbox folder).
    #[sea_orm(string_value = "sent")]
    Sent,
    /// Refused for good, or out of attempts.
    #[sea_orm(string_value = "failed")]
    Failed,
}

/// What a message is about: each step of a participant's journey has its own kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize)]
#[serde(rename_all = "snake_case")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum EmailKind {
    /// A certificate, with its PDF attached.
    #[sea_orm(string_value = "certificate")]
    Certificate,
    /// A seat is confirmed; the workshop's `.ics` is attached.
    #[sea_orm(string_value = "enrolment_confirmation")]
    EnrolmentConfirmation,
    /// On the waitlist, at a position.
    #[sea_orm(string_value = "waitlist_notice")]
    WaitlistNotice,
    /// A seat came free and is now theirs; the `.ics` is attached.
    #[sea_orm(string_value = "promotion")]
    Promotion,
    /// The workshop starts soon.
    #[sea_orm(string_value = "reminder")]
    Reminder,
    /// The workshop was cancelled.
    #[sea_orm(string_value = "cancellation")]
    Cancellation,
    /// The workshop is over: please evaluate it.
    #[sea_orm(string_value = "evaluation_request")]
    EvaluationRequest,
    /// A one-time sign-in link for the participant pages.
    #[sea_orm(string_value = "sign_in_link")]
    SignInLink,
    /// A trainer's ToT certificate lapses soon: what to do (once per certificate).
    #[sea_orm(string_value = "renewal_reminder")]
    RenewalReminder,
    /// To administrators: a webhook was turned off because its deliveries kept failing.
    #[sea_orm(string_value = "webhook_disabled")]
    WebhookDisabled,
    /// To an applicant for a public workshop: the link that confirms the application.
    #[sea_orm(string_value = "application_confirmation")]
    ApplicationConfirmation,
    /// To an applicant: accepted, with a seat or a waitlist place.
    #[sea_orm(string_value = "application_accepted")]
    ApplicationAccepted,
    /// To an applicant: declined, with the reason.
    #[sea_orm(string_value = "application_declined")]
    ApplicationDeclined,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "email_outbox")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The `Message-ID` header, fixed when queued, so a receiver can recognise a duplicate.
    #[sea_orm(unique)]
    pub message_id: String,
    pub recipient: String,
    pub recipient_name: String,
    pub subject: String,
    #[sea_orm(column_type = "Text")]
    pub body_text: String,
    #[sea_orm(column_type = "Text")]
    pub body_html: String,
    /// The certificate whose PDF is attached.
    pub certificate_id: Option<i64>,
    pub status: EmailStatus,
    pub attempts: i32,
    pub next_attempt_at: DateTimeUtc,
    #[sea_orm(column_type = "Text", nullable)]
    pub last_error: Option<String>,
    /// A worker holds the message until then; after it, another may take it over.
    pub claimed_until: Option<DateTimeUtc>,
    pub sent_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub kind: EmailKind,
    /// The enrolment the message concerns (journey mail).
    pub enrolment_id: Option<i64>,
    /// Unique when set: a message that must go at most once carries one (`<kind>:enrolment:<id>`,
    /// `certificate:<id>`), so a repeated trigger inserts nothing. Explicit re-sends carry none.
    #[sea_orm(unique)]
    pub dedupe_key: Option<String>,
    /// An attachment kept with the message (a workshop's `.ics`).
    pub attachment_name: Option<String>,
    pub attachment_type: Option<String>,
    #[serde(skip)]
    pub attachment_data: Option<Vec<u8>>,
    /// The `X-Request-Id` of the request that queued the message (none for scheduled mail).
    pub request_id: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
