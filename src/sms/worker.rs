//! The background worker that drains the SMS outbox: it claims due messages with a lease,
//! sends each, and records the outcome at once (a message accepted by the gateway is `sent`
//! and never sent again). Woken by the commit of a transaction that queued an SMS.

use std::sync::Arc;

use chrono::Utc;
use entity::sms_outbox;
use sea_orm::DatabaseConnection;
use tokio::sync::{Notify, watch};

use super::{SendError, SmsTransport, outbox};
use crate::outbox::RetryPolicy;

/// Drains the SMS outbox.
pub struct Worker {
    pub db: DatabaseConnection,
    pub transport: SmsTransport,
    pub policy: RetryPolicy,
    /// Woken when a commit queued an SMS.
    pub wake: Arc<Notify>,
}

impl Worker {
    /// Runs until `shutdown` turns true.
    pub async fn run(self, shutdown: watch::Receiver<bool>) {
        let wake = self.wake.clone();
        let poll = self.policy.poll_interval;
        crate::outbox::run("sms", wake, poll, shutdown, || self.drain_once()).await;
    }

    /// Claims and delivers one batch of due messages; returns how many it tried.
    pub async fn drain_once(&self) -> Result<usize, sea_orm::DbErr> {
        let now = Utc::now();
        let lease_until = crate::outbox::lease_until(now, self.policy.lease);
        let batch = crate::outbox::claim::<sms_outbox::Entity>(
            &self.db,
            &outbox::QUEUE,
            10,
            now,
            lease_until,
        )
        .await?;
        for sms in &batch {
            let span =
                tracing::info_span!("sms", request_id = sms.request_id.as_deref().unwrap_or("-"));
            tracing::Instrument::instrument(self.deliver(sms), span).await?;
        }
        Ok(batch.len())
    }

    async fn deliver(&self, sms: &sms_outbox::Model) -> Result<(), sea_orm::DbErr> {
        match self.transport.send(sms.id, &sms.recipient, &sms.body).await {
            Ok(()) => {
                outbox::mark_sent(&self.db, sms).await?;
                tracing::info!(id = sms.id, kind = ?sms.kind, "sms sent");
            }
            Err(err) => {
                let permanent = matches!(err, SendError::Permanent(_));
                let status =
                    outbox::mark_failed(&self.db, sms, &err.to_string(), permanent, &self.policy)
                        .await?;
                tracing::warn!(id = sms.id, error = %err, ?status, "sms not sent");
            }
        }
        Ok(())
    }
}
