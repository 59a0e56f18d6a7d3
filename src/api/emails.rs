//! The mail outbox, for administrators: what was sent, what waits, what failed and why.

use crate::api::timestamp::Timestamp;

use entity::email_outbox::{self, EmailKind as DbKind, EmailStatus as DbStatus};
use poem::web::Data;
use poem_openapi::{Object, OpenApi, param::Query, payload::Json};

use super::{Tag, page};
use crate::{auth::CanAdminister, error::ApiError, mail::outbox, state::AppState};

mirror_enum! {
    /// Where an email stands.
    EmailStatus <=> DbStatus {
        /// Waiting to be sent, or to be retried at `next_attempt_at`.
        Queued,
        /// Handed to the mail server (or written to the outbox folder).
        Sent,
        /// Refused for good, or out of attempts; `last_error` says why.
        Failed,
    }
}

mirror_enum! {
    /// What a message is about.
    EmailKind <=> DbKind {
        /// A certificate, with its PDF attached.
        Certificate,
        /// A seat is confirmed; the workshop's `.ics` is attached.
        EnrolmentConfirmation,
        /// On the waitlist, with the position.
        WaitlistNotice,
        /// A seat came free and is now the participant's; the `.ics` is attached.
        Promotion,
        /// The workshop starts in `CSSD_REMINDER_DAYS` days.
        Reminder,
        /// The workshop was cancelled.
        Cancellation,
        /// The workshop is over: please evaluate it (only to those who attended).
        EvaluationRequest,
        /// A one-time sign-in link for the participant pages, as asked for.
        SignInLink,
        /// A trainer's ToT certificate lapses in `CSSD_RENEWAL_REMINDER_DAYS` days: what to do.
        RenewalReminder,
        /// To administrators: a webhook was turned off because its deliveries kept failing.
        WebhookDisabled,
        /// To an applicant for a public workshop: the link that confirms the application.
        ApplicationConfirmation,
        /// To an applicant: accepted, with a seat or a waitlist place.
        ApplicationAccepted,
        /// To an applicant: declined, with the reason.
        ApplicationDeclined,
    }
}

/// An outbox entry.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct Email {
    pub id: i64,
    /// The `Message-ID` header, the same on every attempt.
    pub message_id: String,
    pub recipient: String,
    pub subject: String,
    pub kind: EmailKind,
    /// The enrolment the message concerns.
    pub enrolment_id: Option<i64>,
    /// The name of the file attached besides a certificate (a workshop's `.ics`).
    pub attachment_name: Option<String>,
    /// The certificate whose PDF is attached.
    pub certificate_id: Option<i64>,
    pub status: EmailStatus,
    /// Attempts made so far.
    pub attempts: i32,
    /// When the next attempt is due (queued messages).
    pub next_attempt_at: Timestamp,
    /// What went wrong on the last failed attempt.
    pub last_error: Option<String>,
    pub sent_at: Option<Timestamp>,
    pub created_at: Timestamp,
}

impl From<email_outbox::Model> for Email {
    fn from(m: email_outbox::Model) -> Self {
        Self {
            id: m.id,
            message_id: m.message_id,
            recipient: m.recipient,
            subject: m.subject,
            kind: m.kind.into(),
            enrolment_id: m.enrolment_id,
            attachment_name: m.attachment_name,
            certificate_id: m.certificate_id,
            status: m.status.into(),
            attempts: m.attempts,
            next_attempt_at: m.next_attempt_at.into(),
            last_error: m.last_error,
            sent_at: m.sent_at.map(Timestamp::from),
            created_at: m.created_at.into(),
        }
    }
}

wire_page! {
    /// A page of outbox entries.
    EmailPage of Email
}

pub struct EmailApi;

#[OpenApi(prefix_path = "/api/v1/emails", tag = "Tag::Emails")]
impl EmailApi {
    /// List the mail outbox
    ///
    /// Newest first, with attempts and the last error of each message; filter by `status`,
    /// `kind` or `certificate_id`. Each journey message (confirmation, waitlist notice,
    /// promotion, reminder, cancellation, evaluation request) exists at most once per enrolment.
    #[oai(path = "/", method = "get", operation_id = "list_emails")]
    #[allow(clippy::too_many_arguments)]
    async fn list(
        &self,
        state: Data<&AppState>,
        _auth: CanAdminister,
        status: Query<Option<EmailStatus>>,
        certificate_id: Query<Option<i64>>,
        kind: Query<Option<EmailKind>>,
        /// How many to return (1–200, default 50).
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))]
        limit: Query<Option<u64>>,
        /// How many to skip (0–1,000,000,000).
        #[oai(validator(minimum(value = "0"), maximum(value = "1000000000")))]
        offset: Query<Option<u64>>,
    ) -> Result<Json<EmailPage>, ApiError> {
        let p = page(limit.0, offset.0);
        let (items, total) = outbox::list(
            &state.db,
            status.0.map(Into::into),
            certificate_id.0,
            kind.0.map(Into::into),
            p.limit,
            p.offset,
        )
        .await?;
        Ok(Json(EmailPage {
            items: items.into_iter().map(Into::into).collect(),
            total,
        }))
    }
}
