//! The background worker that delivers queued webhook events.
//!
//! It claims due deliveries with a lease, posts each (signed, with the Standard Webhooks
//! headers) and records the outcome at once: a delivery a receiver accepted is marked
//! `delivered` and never sent again by a retry or a restart. A retry carries the same
//! `webhook-id`, so a receiver recognises the rare repeat (a crash between its 2xx and the
//! worker recording it).

use std::{sync::Arc, time::Duration};

use chrono::Utc;
use entity::{webhook, webhook_delivery};
use futures_util::future::join_all;
use sea_orm::{DatabaseConnection, DbErr, EntityTrait};
use tokio::sync::{Notify, watch};

use super::{
    address::{self, AddressRules},
    outbox::{self, AfterFailure},
    sign,
};
use crate::outbox::RetryPolicy;

/// How the worker retries and paces itself.
#[derive(Debug, Clone)]
pub struct DeliveryPolicy {
    /// Attempts (default 8: after the last the webhook is turned off), backoff, poll and lease.
    pub retry: RetryPolicy,
    /// How long a receiver has to answer.
    pub timeout: Duration,
    /// Deliveries claimed (and posted concurrently) at a time.
    pub batch: u64,
}

/// Delivers queued events.
pub struct Worker {
    pub db: DatabaseConnection,
    pub client: reqwest::Client,
    pub rules: AddressRules,
    pub policy: DeliveryPolicy,
    /// Woken after a commit that queued deliveries (a permit is kept while it works, so no
    /// wake-up is lost).
    pub wake: Arc<Notify>,
}

/// The outcome of one attempt.
enum Attempt {
    Accepted(u16),
    Refused(Option<u16>, String),
}

impl Worker {
    /// A worker whose client follows no redirects, resolves names only to allowed addresses
    /// and gives each receiver `policy.timeout` to answer.
    pub fn new(
        db: DatabaseConnection,
        rules: AddressRules,
        policy: DeliveryPolicy,
    ) -> anyhow::Result<Self> {
        let wake = crate::db::outbox_wakes(&db).of(crate::db::Outbox::Webhook);
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(policy.timeout)
            .dns_resolver(address::resolver(rules))
            .user_agent(concat!("cssd-webhooks/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Self {
            db,
            client,
            rules,
            policy,
            wake,
        })
    }

    /// Runs until `shutdown` turns true.
    pub async fn run(self, shutdown: watch::Receiver<bool>) {
        let wake = self.wake.clone();
        let poll = self.policy.retry.poll_interval;
        crate::outbox::run("webhook", wake, poll, shutdown, || self.drain_once()).await;
    }

    /// Claims and delivers one batch of due deliveries; returns how many it tried.
    pub async fn drain_once(&self) -> Result<usize, DbErr> {
        let now = Utc::now();
        let lease_until = crate::outbox::lease_until(now, self.policy.retry.lease);
        let batch = crate::outbox::claim::<webhook_delivery::Entity>(
            &self.db,
            &outbox::QUEUE,
            self.policy.batch,
            now,
            lease_until,
        )
        .await?;
        let results = join_all(batch.iter().map(|d| self.deliver(d))).await;
        for result in results {
            result?;
        }
        Ok(batch.len())
    }

    async fn deliver(&self, d: &webhook_delivery::Model) -> Result<(), DbErr> {
        let outcome = match webhook::Entity::find_by_id(d.webhook_id)
            .one(&self.db)
            .await?
        {
            Some(hook) => self.attempt(&hook, d).await,
            None => Attempt::Refused(None, "the webhook no longer exists".into()),
        };
        match outcome {
            Attempt::Accepted(code) => {
                outbox::mark_delivered(&self.db, d, code).await?;
                tracing::debug!(id = d.id, webhook = d.webhook_id, "webhook delivered");
            }
            Attempt::Refused(code, error) => {
                let after =
                    outbox::mark_failed(&self.db, d, code, &error, &self.policy.retry).await?;
                if after == AfterFailure::GaveUp {
                    tracing::warn!(webhook = d.webhook_id, %error, "webhook turned off");
                } else {
                    tracing::info!(id = d.id, webhook = d.webhook_id, %error, "webhook delivery failed; will retry");
                }
            }
        }
        Ok(())
    }

    async fn attempt(&self, hook: &webhook::Model, d: &webhook_delivery::Model) -> Attempt {
        if let Err(refused) = address::literal_allowed(&hook.url, self.rules) {
            return Attempt::Refused(None, format!("the URL is refused: {refused}"));
        }
        let timestamp = Utc::now().timestamp();
        let signature = match sign(&hook.secret, &d.message_id, timestamp, &d.payload) {
            Ok(s) => s,
            Err(e) => return Attempt::Refused(None, e.to_string()),
        };
        let sent = self
            .client
            .post(&hook.url)
            .header("content-type", "application/json")
            .header("webhook-id", &d.message_id)
            .header("webhook-timestamp", timestamp.to_string())
            .header("webhook-signature", signature)
            .body(d.payload.clone())
            .send()
            .await;
        match sent {
            Ok(response) if response.status().is_success() => {
                Attempt::Accepted(response.status().as_u16())
            }
            Ok(response) => {
                let code = response.status().as_u16();
                let text = response.text().await.unwrap_or_default();
                let excerpt: String = text.chars().take(200).collect();
                Attempt::Refused(
                    Some(code),
                    format!("the receiver answered {code}: {excerpt}"),
                )
            }
            Err(e) => Attempt::Refused(None, error_chain(&e)),
        }
    }
}

/// An error with its causes, as one line.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
