//! The outboxes messages wait in before they go out, one per channel, and how far behind each
//! is: what the metrics (`cssd_outbox_*{channel}`) and the detailed `/health` report.
//!
//! Each channel is one entry of [`CHANNELS`]: a name and a query of its backlog. The queries
//! read indexes only (`status`, `created_at`), never the messages already sent, so a scrape
//! stays cheap however much mail has gone out.

use chrono::{DateTime, Utc};
use entity::{
    email_outbox::{self, EmailStatus},
    sms_outbox::{self, SmsStatus},
    webhook_delivery::{self, DeliveryStatus},
};
use futures_util::future::BoxFuture;
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::Expr,
};

/// How far behind one outbox is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Backlog {
    /// Messages waiting to go (again).
    pub pending: u64,
    /// Messages given up for good (until someone re-sends them).
    pub failed: u64,
    /// When the oldest waiting message was queued.
    pub oldest_pending: Option<DateTime<Utc>>,
}

impl Backlog {
    /// How long the oldest waiting message has waited, in whole seconds (0 when none waits).
    pub fn oldest_pending_seconds(&self, now: DateTime<Utc>) -> u64 {
        self.oldest_pending
            .map(|at| (now - at).num_seconds().max(0) as u64)
            .unwrap_or(0)
    }
}

/// The query of one channel's backlog.
pub type BacklogQuery = for<'a> fn(&'a DatabaseConnection) -> BoxFuture<'a, Result<Backlog, DbErr>>;

/// One outbox.
pub struct Channel {
    /// The `channel` label: `mail`, `sms`, `webhook`.
    pub name: &'static str,
    /// How to read its backlog.
    pub backlog: BacklogQuery,
}

/// Every outbox. A new channel (an SMS or webhook outbox) is one line here, with a query of its
/// backlog like [`mail_backlog`]; the metrics and `/health` pick it up.
pub const CHANNELS: &[Channel] = &[
    Channel {
        name: "mail",
        backlog: mail_backlog,
    },
    Channel {
        name: "sms",
        backlog: sms_backlog,
    },
    Channel {
        name: "webhook",
        backlog: webhook_backlog,
    },
];

/// The backlog of every channel, in the order of [`CHANNELS`].
pub async fn backlogs(db: &DatabaseConnection) -> Result<Vec<(&'static str, Backlog)>, DbErr> {
    let mut all = Vec::with_capacity(CHANNELS.len());
    for channel in CHANNELS {
        all.push((channel.name, (channel.backlog)(db).await?));
    }
    Ok(all)
}

/// The mail outbox's backlog: two index-only reads of `email_outbox` by status.
pub fn mail_backlog(db: &DatabaseConnection) -> BoxFuture<'_, Result<Backlog, DbErr>> {
    Box::pin(backlog_of::<email_outbox::Entity, _>(
        db,
        email_outbox::Column::Status,
        email_outbox::Column::CreatedAt,
        EmailStatus::Queued,
        EmailStatus::Failed,
    ))
}

/// The SMS outbox's backlog: the same reads of `sms_outbox`.
pub fn sms_backlog(db: &DatabaseConnection) -> BoxFuture<'_, Result<Backlog, DbErr>> {
    Box::pin(backlog_of::<sms_outbox::Entity, _>(
        db,
        sms_outbox::Column::Status,
        sms_outbox::Column::CreatedAt,
        SmsStatus::Queued,
        SmsStatus::Failed,
    ))
}

/// The webhook outbox's backlog: the same reads of `webhook_delivery`.
pub fn webhook_backlog(db: &DatabaseConnection) -> BoxFuture<'_, Result<Backlog, DbErr>> {
    Box::pin(backlog_of::<webhook_delivery::Entity, _>(
        db,
        webhook_delivery::Column::Status,
        webhook_delivery::Column::CreatedAt,
        DeliveryStatus::Queued,
        DeliveryStatus::Failed,
    ))
}

/// How many rows of an outbox table are `queued` and `failed` (counted by status, on its
/// index), and when the oldest queued one was created.
async fn backlog_of<E, S>(
    db: &DatabaseConnection,
    status: E::Column,
    created_at: E::Column,
    queued: S,
    failed: S,
) -> Result<Backlog, DbErr>
where
    E: EntityTrait,
    S: sea_orm::TryGetable + Into<sea_orm::Value> + PartialEq + Copy + Send + Sync + 'static,
{
    let counts: Vec<(S, i64)> = E::find()
        .select_only()
        .column(status)
        .column_as(Expr::cust("COUNT(*)"), "n")
        .filter(status.is_in([queued, failed]))
        .group_by(status)
        .into_tuple()
        .all(db)
        .await?;
    let count = |wanted: S| {
        counts
            .iter()
            .find(|(s, _)| *s == wanted)
            .map_or(0, |(_, n)| (*n).max(0) as u64)
    };
    let oldest_pending: Option<DateTime<Utc>> = E::find()
        .select_only()
        .column(created_at)
        .filter(status.eq(queued))
        .order_by_asc(created_at)
        .limit(1)
        .into_tuple()
        .one(db)
        .await?;
    Ok(Backlog {
        pending: count(queued),
        failed: count(failed),
        oldest_pending,
    })
}
