//! The SMS outbox, for administrators: what was sent to which number, what waits, what failed
//! and why.

use super::timestamp::Timestamp;
use entity::sms_outbox::{self, SmsKind as DbKind, SmsStatus as DbStatus};
use poem::web::Data;
use poem_openapi::{Object, OpenApi, param::Query, payload::Json};

use super::{Tag, page};
use crate::{auth::CanAdminister, error::ApiError, sms::outbox, state::AppState};

mirror_enum! {
    /// Where an SMS stands.
    SmsStatus <=> DbStatus {
        /// Waiting to be sent, or to be retried.
        Queued,
        /// Accepted by the gateway (or written to the outbox folder).
        Sent,
        /// Refused for good, or out of attempts; `last_error` says why.
        Failed,
    }
}

mirror_enum! {
    /// What an SMS is about. Each kind goes at most once per enrolment, except sign-in codes.
    SmsKind <=> DbKind {
        /// A one-time sign-in code (the code is removed from `body` once sent).
        SignInCode,
        /// A seat is confirmed: date, first day's start time and venue.
        EnrolmentConfirmation,
        /// On the waitlist, with the place.
        Waitlist,
        /// A seat came free and is now the participant's.
        Promotion,
        /// The workshop starts soon.
        Reminder,
        /// The workshop was cancelled.
        Cancellation,
        /// The workshop is over: a link to the evaluation page in the portal.
        EvaluationRequest,
        /// A certificate is ready: its verification link and the portal link.
        Certificate,
        /// An application for a public workshop was accepted: a seat, or a waitlist place.
        ApplicationAccepted,
        /// An application for a public workshop was declined (with the reason when it fits).
        ApplicationDeclined,
    }
}

/// An SMS in the outbox.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct Sms {
    pub id: i64,
    /// The number, in E.164.
    pub to: String,
    pub kind: SmsKind,
    /// The text, in the participant's language.
    pub body: String,
    /// SMS segments the text takes (GSM-7: 160, then 153 each; otherwise UCS-2: 70, then 67
    /// each); at most 2.
    pub segments: i32,
    pub status: SmsStatus,
    /// Attempts made so far.
    pub attempts: i32,
    /// What went wrong on the last failed attempt.
    pub last_error: Option<String>,
    pub created_at: Timestamp,
    pub sent_at: Option<Timestamp>,
    /// The participant it went to.
    pub participant_id: Option<i64>,
    /// The enrolment it concerns.
    pub enrolment_id: Option<i64>,
}

impl From<sms_outbox::Model> for Sms {
    fn from(m: sms_outbox::Model) -> Self {
        Self {
            id: m.id,
            to: m.recipient,
            kind: m.kind.into(),
            body: m.body,
            segments: m.segments,
            status: m.status.into(),
            attempts: m.attempts,
            last_error: m.last_error,
            created_at: m.created_at.into(),
            sent_at: m.sent_at.map(Timestamp::from),
            participant_id: m.participant_id,
            enrolment_id: m.enrolment_id,
        }
    }
}

wire_page! {
    /// A page of SMS.
    SmsPage of Sms
}

pub struct SmsApi;

#[OpenApi(prefix_path = "/api/v1/sms", tag = "Tag::Emails")]
impl SmsApi {
    /// List the SMS outbox
    ///
    /// Newest first, with attempts and the last error of each message; filter by `status` or
    /// `kind`. SMS go to participants whose `contact_by` is `sms` or `both`, in their
    /// `language`.
    #[oai(path = "/", method = "get", operation_id = "list_sms")]
    async fn list(
        &self,
        state: Data<&AppState>,
        _auth: CanAdminister,
        status: Query<Option<SmsStatus>>,
        kind: Query<Option<SmsKind>>,
        /// How many to return (1–200, default 50).
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))]
        limit: Query<Option<u64>>,
        /// How many to skip (0–1,000,000,000).
        #[oai(validator(minimum(value = "0"), maximum(value = "1000000000")))]
        offset: Query<Option<u64>>,
    ) -> Result<Json<SmsPage>, ApiError> {
        let p = page(limit.0, offset.0);
        let (items, total) = outbox::list(
            &state.db,
            status.0.map(Into::into),
            kind.0.map(Into::into),
            p.limit,
            p.offset,
        )
        .await?;
        Ok(Json(SmsPage {
            items: items.into_iter().map(Into::into).collect(),
            total,
        }))
    }
}
