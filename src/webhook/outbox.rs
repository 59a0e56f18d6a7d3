//! The delivery outbox: queueing an event for every endpoint subscribed to it (in the
//! transaction of the change), claiming due deliveries with a lease, and recording what
//! happened; a delivery out of attempts turns its webhook off and tells the administrators.

use chrono::{SecondsFormat, Utc};
use entity::{
    app_user,
    email_outbox::EmailKind,
    webhook,
    webhook_delivery::{self, DeliveryStatus},
};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::json;

use super::{Event, EventType, new_message_id};
use crate::{mail, outbox::RetryPolicy};

/// The event types a subscription lists (unknown names, from a newer version, are skipped).
pub fn subscribed(w: &webhook::Model) -> Vec<EventType> {
    serde_json::from_str::<Vec<String>>(&w.events)
        .unwrap_or_default()
        .iter()
        .filter_map(|name| EventType::parse(name))
        .collect()
}

/// The body of a delivery: `{type, timestamp, data}`, the timestamp in UTC ending in `Z`.
pub fn body(event: &Event) -> String {
    json!({
        "type": event.kind.as_str(),
        "timestamp": event.at.to_rfc3339_opts(SecondsFormat::Millis, true),
        "data": event.data,
    })
    .to_string()
}

/// Queues `events` for every active webhook subscribed to them; call it in the transaction of
/// the change, so the two commit or roll back together. Returns how many deliveries it queued.
pub async fn queue(db: &crate::db::WriteTxn, events: &[Event]) -> Result<usize, DbErr> {
    if events.is_empty() {
        return Ok(0);
    }
    let hooks = webhook::Entity::find()
        .filter(webhook::Column::Active.eq(true))
        .all(db)
        .await?;
    if hooks.is_empty() {
        return Ok(0);
    }
    let subscriptions: Vec<(i64, Vec<EventType>)> =
        hooks.iter().map(|w| (w.id, subscribed(w))).collect();
    let now = Utc::now();
    let mut rows = Vec::new();
    for event in events {
        let payload = body(event);
        for (id, kinds) in &subscriptions {
            if kinds.contains(&event.kind) {
                rows.push(webhook_delivery::ActiveModel {
                    webhook_id: Set(*id),
                    message_id: Set(new_message_id()),
                    event_type: Set(event.kind.as_str().to_owned()),
                    payload: Set(payload.clone()),
                    status: Set(DeliveryStatus::Queued),
                    attempts: Set(0),
                    next_attempt_at: Set(now),
                    claimed_until: Set(None),
                    last_status_code: Set(None),
                    last_error: Set(None),
                    last_attempt_at: Set(None),
                    delivered_at: Set(None),
                    created_at: Set(now),
                    ..Default::default()
                });
            }
        }
    }
    let queued = rows.len();
    let mut pending = rows.into_iter().peekable();
    while pending.peek().is_some() {
        let chunk: Vec<_> = pending.by_ref().take(100).collect();
        webhook_delivery::Entity::insert_many(chunk)
            .exec_without_returning(db)
            .await?;
    }
    if queued > 0 {
        db.queued(crate::db::Outbox::Webhook);
    }
    Ok(queued)
}

/// The delivery outbox as the shared claim sees it ([`crate::outbox::claim`]): deliveries of
/// a webhook that is turned off wait until it is turned on again.
pub const QUEUE: crate::outbox::Queue<webhook_delivery::Model> = crate::outbox::Queue {
    table: "webhook_delivery",
    only: Some((
        "AND webhook_id IN (SELECT id FROM webhook WHERE active = $4)",
        || true.into(),
    )),
    id: |d| d.id,
};

/// Records a delivery the receiver accepted: it is never sent again (unless retried by hand).
pub async fn mark_delivered(
    db: &impl ConnectionTrait,
    d: &webhook_delivery::Model,
    status_code: u16,
) -> Result<(), DbErr> {
    let now = Utc::now();
    let row = webhook_delivery::ActiveModel {
        id: Set(d.id),
        status: Set(DeliveryStatus::Delivered),
        attempts: Set(d.attempts + 1),
        last_status_code: Set(Some(i32::from(status_code))),
        last_error: Set(None),
        last_attempt_at: Set(Some(now)),
        delivered_at: Set(Some(now)),
        claimed_until: Set(None),
        ..Default::default()
    };
    webhook_delivery::Entity::update(row)
        .exec(db)
        .await
        .map(|_| ())
}

/// What a failed attempt led to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterFailure {
    /// Back in the queue for a later attempt.
    Retrying,
    /// Out of attempts: the delivery failed and its webhook was turned off.
    GaveUp,
}

/// Records a failed attempt: back to the queue with backoff and jitter, or, out of attempts,
/// `failed` — then the webhook is turned off and every administrator is mailed, in one
/// transaction.
pub async fn mark_failed(
    db: &DatabaseConnection,
    d: &webhook_delivery::Model,
    status_code: Option<u16>,
    error: &str,
    policy: &RetryPolicy,
) -> Result<AfterFailure, DbErr> {
    let attempts = d.attempts + 1;
    let now = Utc::now();
    let gave_up = policy.gives_up(attempts, false);
    let row = webhook_delivery::ActiveModel {
        id: Set(d.id),
        status: Set(if gave_up {
            DeliveryStatus::Failed
        } else {
            DeliveryStatus::Queued
        }),
        attempts: Set(attempts),
        next_attempt_at: Set(policy.next_attempt(attempts)),
        last_status_code: Set(status_code.map(i32::from)),
        last_error: Set(Some(error.chars().take(2000).collect())),
        last_attempt_at: Set(Some(now)),
        claimed_until: Set(None),
        ..Default::default()
    };
    if !gave_up {
        webhook_delivery::Entity::update(row).exec(db).await?;
        return Ok(AfterFailure::Retrying);
    }
    let txn = crate::db::begin_write(db).await?;
    webhook_delivery::Entity::update(row).exec(&txn).await?;
    if let Some(hook) = webhook::Entity::find_by_id(d.webhook_id).one(&txn).await?
        && hook.active
    {
        let reason = format!("delivery {} failed {attempts} times: {error}", d.message_id);
        webhook::Entity::update(webhook::ActiveModel {
            id: Set(hook.id),
            active: Set(false),
            disabled_reason: Set(Some(reason.chars().take(2000).collect())),
            updated_at: Set(now),
            ..Default::default()
        })
        .exec(&txn)
        .await?;
        let admins = app_user::Entity::find()
            .filter(app_user::Column::Role.eq(app_user::Role::Admin))
            .filter(app_user::Column::DeactivatedAt.is_null())
            .all(&txn)
            .await?;
        let (subject, text, html) =
            mail::compose::webhook_disabled_email(hook.id, &hook.url, attempts, error);
        for admin in admins {
            mail::outbox::queue(
                &txn,
                mail::outbox::NewMessage {
                    kind: EmailKind::WebhookDisabled,
                    recipient: admin.email.clone(),
                    recipient_name: admin.name.clone(),
                    subject: subject.clone(),
                    body_text: text.clone(),
                    body_html: html.clone(),
                    certificate_id: None,
                    enrolment_id: None,
                    dedupe_key: Some(format!("webhook_disabled:{}:{}", d.id, admin.id)),
                    attachment: None,
                },
            )
            .await?;
        }
    }
    txn.commit().await?;
    Ok(AfterFailure::GaveUp)
}

/// Deliveries of one webhook, newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    webhook_id: i64,
    status: Option<DeliveryStatus>,
    limit: u64,
    offset: u64,
) -> Result<(Vec<webhook_delivery::Model>, u64), DbErr> {
    let mut query =
        webhook_delivery::Entity::find().filter(webhook_delivery::Column::WebhookId.eq(webhook_id));
    if let Some(status) = status {
        query = query.filter(webhook_delivery::Column::Status.eq(status));
    }
    let total = query.clone().count(db).await?;
    let items = query
        .order_by_desc(webhook_delivery::Column::Id)
        .limit(limit)
        .offset(offset)
        .all(db)
        .await?;
    Ok((items, total))
}

/// Puts a delivery back in the queue, due now, with the same `webhook-id` and body (a manual
/// retry: one more attempt, whatever it had).
pub async fn requeue(
    db: &impl ConnectionTrait,
    d: &webhook_delivery::Model,
    max_attempts: i32,
) -> Result<webhook_delivery::Model, DbErr> {
    let row = webhook_delivery::ActiveModel {
        id: Set(d.id),
        status: Set(DeliveryStatus::Queued),
        // One more attempt before it gives up again.
        attempts: Set(d.attempts.min(max_attempts - 1).max(0)),
        next_attempt_at: Set(Utc::now()),
        claimed_until: Set(None),
        ..Default::default()
    };
    webhook_delivery::Entity::update(row).exec(db).await
}
