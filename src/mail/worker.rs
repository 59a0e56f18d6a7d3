//! The background worker that drains the outbox.
//!
//! It claims due messages with a lease, sends each, and records the outcome at once: a message
//! handed over is marked `sent` and never sent again by a retry or a restart. (Only a crash in
//! the instant between the server accepting a message and the worker recording it could repeat
//! a send; the `Message-ID` stays the same, so the receiving side can recognise it.) On
//! shutdown the worker finishes the message in hand and stops.

use std::sync::Arc;

use chrono::Utc;
use entity::{certificate, email_outbox};
use lettre::{
    Message,
    message::{Attachment, Mailbox, MultiPart, header::ContentType},
};
use sea_orm::{DatabaseConnection, EntityTrait};
use tokio::sync::{Notify, watch};

use super::{Mailer, SendError, compose, outbox};
use crate::outbox::RetryPolicy;

/// Why a message could not be put together.
#[derive(Debug)]
enum BuildError {
    /// The database did not answer while the message's parts were read: it may next time.
    Database(sea_orm::DbErr),
    /// The message itself cannot be built (a malformed address, a certificate deleted since).
    Malformed(String),
}

impl From<String> for BuildError {
    fn from(reason: String) -> Self {
        Self::Malformed(reason)
    }
}

/// Whether a message that could not be built is tried again is decided by the cause: a
/// database that failed is transient, a message that cannot be built is permanent.
impl From<BuildError> for SendError {
    fn from(err: BuildError) -> Self {
        match err {
            BuildError::Database(e) => SendError::Transient(format!(
                "the database failed while building the message: {e}"
            )),
            BuildError::Malformed(reason) => SendError::Permanent(reason),
        }
    }
}

/// Drains the outbox.
pub struct Worker {
    pub db: DatabaseConnection,
    pub mailer: Mailer,
    pub from: Mailbox,
    /// `Reply-To` of every message (`CSSD_MAIL_REPLY_TO`), when set.
    pub reply_to: Option<Mailbox>,
    pub policy: RetryPolicy,
    /// Woken when a request queues mail, so it goes out at once.
    pub wake: Arc<Notify>,
}

impl Worker {
    /// Runs until `shutdown` turns true.
    pub async fn run(self, shutdown: watch::Receiver<bool>) {
        let wake = self.wake.clone();
        let poll = self.policy.poll_interval;
        crate::outbox::run("mail", wake, poll, shutdown, || self.drain_once()).await;
    }

    /// Claims and delivers one batch of due messages; returns how many it tried.
    pub async fn drain_once(&self) -> Result<usize, sea_orm::DbErr> {
        let now = Utc::now();
        let lease_until = crate::outbox::lease_until(now, self.policy.lease);
        let batch = crate::outbox::claim::<email_outbox::Entity>(
            &self.db,
            &outbox::QUEUE,
            10,
            now,
            lease_until,
        )
        .await?;
        for message in &batch {
            self.deliver(message).await?;
        }
        Ok(batch.len())
    }

    async fn deliver(&self, message: &email_outbox::Model) -> Result<(), sea_orm::DbErr> {
        // Every line about this message names the request that queued it.
        let span = tracing::info_span!(
            "mail",
            request_id = message.request_id.as_deref().unwrap_or("-")
        );
        tracing::Instrument::instrument(self.deliver_in_span(message), span).await
    }

    async fn deliver_in_span(&self, message: &email_outbox::Model) -> Result<(), sea_orm::DbErr> {
        let outcome = match self.build(message).await {
            Ok(email) => self.mailer.send(email).await,
            Err(err) => Err(err.into()),
        };
        match outcome {
            Ok(()) => {
                outbox::mark_sent(&self.db, message).await?;
                if super::sign_in::carries_secret(message) {
                    super::sign_in::forget_secret(&self.db, message).await?;
                }
                tracing::info!(id = message.id, to = %message.recipient, "mail sent");
            }
            Err(err) => {
                let permanent = matches!(err, SendError::Permanent(_));
                let status = outbox::mark_failed(
                    &self.db,
                    message,
                    &err.to_string(),
                    permanent,
                    &self.policy,
                )
                .await?;
                tracing::warn!(id = message.id, error = %err, ?status, "mail not sent");
            }
        }
        Ok(())
    }

    /// The message as it goes out: text and HTML, with the certificate PDF exactly as issued, or
    /// the attachment kept with the message (a workshop's `.ics`).
    async fn build(&self, m: &email_outbox::Model) -> Result<Message, BuildError> {
        let to: Mailbox = format!(
            "{} <{}>",
            m.recipient_name.replace(['<', '>', '"'], ""),
            m.recipient
        )
        .parse()
        .or_else(|_| m.recipient.parse())
        .map_err(|e| format!("recipient {}: {e}", m.recipient))?;
        let body = MultiPart::alternative_plain_html(m.body_text.clone(), m.body_html.clone());
        let content = match m.certificate_id {
            Some(id) => {
                let c = certificate::Entity::find_by_id(id)
                    .one(&self.db)
                    .await
                    .map_err(BuildError::Database)?
                    .ok_or_else(|| format!("certificate {id} no longer exists"))?;
                let pdf = Attachment::new(compose::attachment_name(&c)).body(
                    c.pdf,
                    ContentType::parse("application/pdf").map_err(|e| e.to_string())?,
                );
                MultiPart::mixed().multipart(body).singlepart(pdf)
            }
            None => match (&m.attachment_name, &m.attachment_type, &m.attachment_data) {
                (Some(name), Some(kind), Some(data)) => {
                    let file = Attachment::new(name.clone()).body(
                        data.clone(),
                        ContentType::parse(kind).map_err(|e| e.to_string())?,
                    );
                    MultiPart::mixed().multipart(body).singlepart(file)
                }
                _ => body,
            },
        };
        let mut builder = Message::builder().from(self.from.clone());
        if let Some(reply_to) = &self.reply_to {
            builder = builder.reply_to(reply_to.clone());
        }
        builder
            .to(to)
            .subject(m.subject.clone())
            .message_id(Some(m.message_id.clone()))
            .multipart(content)
            .map_err(|e| BuildError::Malformed(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_database_failure_while_building_a_message_is_tried_again() {
        let err = BuildError::Database(sea_orm::DbErr::ConnectionAcquire(
            sea_orm::error::ConnAcquireErr::Timeout,
        ));
        assert!(matches!(SendError::from(err), SendError::Transient(_)));
    }

    #[test]
    fn a_message_that_cannot_be_built_fails_for_good() {
        let err = BuildError::from("certificate 7 no longer exists".to_string());
        assert!(
            matches!(SendError::from(err), SendError::Permanent(reason) if reason.contains("certificate 7"))
        );
    }
}
