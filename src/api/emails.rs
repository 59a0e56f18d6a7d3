//! The mail outbox, for administrators: what was sent, what waits, what failed and why.

use chrono::{DateTime, Utc};
use entity::email_outbox::{self, EmailStatus as DbStatus};
use poem::web::Data;
use poem_openapi::{Object, OpenApi, param::Query, payload::Json};

use super::{Tag, page};
use crate::{AppState, auth::CanAdminister, error::ApiError, mail::outbox};

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

/// An outbox entry.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct Email {
    pub id: i64,
    /// The `Message-ID` header, the same on every attempt.
    pub message_id: String,
    pub recipient: String,
    pub subject: String,
    /// The certificate whose PDF is attached.
    pub certificate_id: Option<i64>,
    pub status: EmailStatus,
    /// Attempts made so far.
    pub attempts: i32,
    /// When the next attempt is due (queued messages).
    pub next_attempt_at: DateTime<Utc>,
    /// What went wrong on the last failed attempt.
    pub last_error: Option<String>,
    pub sent_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl From<email_outbox::Model> for Email {
    fn from(m: email_outbox::Model) -> Self {
        Self {
            id: m.id,
            message_id: m.message_id,
            recipient: m.recipient,
            subject: m.subject,
            certificate_id: m.certificate_id,
            status: m.status.into(),
            attempts: m.attempts,
            next_attempt_at: m.next_attempt_at,
            last_error: m.last_error,
            sent_at: m.sent_at,
            created_at: m.created_at,
        }
    }
}

/// A page of outbox entries.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct EmailPage {
    pub items: Vec<Email>,
    pub total: u64,
}

pub struct EmailApi;

#[OpenApi(prefix_path = "/api/v1/emails", tag = "Tag::Emails")]
impl EmailApi {
    /// List the mail outbox
    ///
    /// Newest first, with attempts and the last error of each message.
    #[oai(path = "/", method = "get", operation_id = "list_emails")]
    async fn list(
        &self,
        state: Data<&AppState>,
        _auth: CanAdminister,
        status: Query<Option<EmailStatus>>,
        certificate_id: Query<Option<i64>>,
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
