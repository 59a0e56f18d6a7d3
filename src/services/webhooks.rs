//! Webhook subscriptions (administrators): creating one (its secret shown once), changing,
//! removing, its deliveries and retrying one. The events themselves are queued by the unit of
//! work (`workshop_write`) and delivered by `webhook::worker`.

use chrono::Utc;
use entity::{
    webhook as subscription,
    webhook_delivery::{self, DeliveryStatus},
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::{Page, PageRequest, audit};
use crate::{
    db::Outbox,
    domain::{Error, FieldError, Result, access::Actor},
    webhook::{
        self, EventType,
        address::{self, AddressRules},
        outbox,
    },
};

/// A new subscription.
#[derive(Debug, Clone)]
pub struct NewWebhook {
    pub url: String,
    pub events: Vec<EventType>,
    pub description: Option<String>,
}

/// Changes to a subscription (`None`: unchanged).
#[derive(Debug, Clone, Default)]
pub struct WebhookChanges {
    pub url: Option<String>,
    pub events: Option<Vec<EventType>>,
    pub active: Option<bool>,
}

async fn check_url(url: &str, rules: AddressRules, errors: &mut Vec<FieldError>) -> String {
    let url = url.trim().to_owned();
    if url.chars().count() > 2048 {
        errors.push(FieldError::new(
            "url",
            "must be at most 2048 characters long",
        ));
    } else if let Err(refused) = address::check(&url, rules).await {
        errors.push(FieldError::new("url", refused.0));
    }
    url
}

fn check_events(events: &[EventType], errors: &mut Vec<FieldError>) -> String {
    if events.is_empty() {
        errors.push(FieldError::new("events", "must name at least one event"));
    }
    // In the contract's order, each once.
    let names: Vec<&str> = EventType::ALL
        .iter()
        .filter(|e| events.contains(e))
        .map(|e| e.as_str())
        .collect();
    serde_json::to_string(&names).unwrap_or_else(|_| "[]".into())
}

/// Subscribes `new.url` to `new.events`; the URL must pass the address rules (resolved here,
/// before the write). Returns the subscription with its secret (shown once).
pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    rules: AddressRules,
    new: NewWebhook,
) -> Result<subscription::Model> {
    let mut errors = Vec::new();
    let url = check_url(&new.url, rules, &mut errors).await;
    let events = check_events(&new.events, &mut errors);
    let description = new
        .description
        .map(|d| crate::domain::clean_text("description", &d, 200, &mut errors));
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let now = Utc::now();
    let txn = crate::db::begin_write(db).await?;
    let created = subscription::Entity::insert(subscription::ActiveModel {
        url: Set(url),
        description: Set(description),
        events: Set(events),
        secret: Set(webhook::new_secret()),
        active: Set(true),
        disabled_reason: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    })
    .exec_with_returning(&txn)
    .await?;
    audit::record(
        &txn,
        actor,
        "webhook",
        created.id,
        "create",
        None,
        audit::snapshot(&created),
    )
    .await?;
    txn.commit().await?;
    Ok(created)
}

/// Subscriptions, oldest first.
pub async fn list(
    db: &impl ConnectionTrait,
    page: PageRequest,
) -> Result<Page<subscription::Model>> {
    let query = subscription::Entity::find();
    let total = query.clone().count(db).await?;
    let items = query
        .order_by_asc(subscription::Column::Id)
        .limit(page.limit)
        .offset(page.offset)
        .all(db)
        .await?;
    Ok(Page { items, total })
}

/// One subscription (404 when there is none).
pub async fn get(db: &impl ConnectionTrait, id: i64) -> Result<subscription::Model> {
    subscription::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(Error::NotFound {
            entity: "webhook",
            id,
        })
}

/// Changes a subscription. Turning it back on clears why it was turned off; deliveries
/// waiting for it go out again.
pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    rules: AddressRules,
    id: i64,
    changes: WebhookChanges,
) -> Result<subscription::Model> {
    let mut errors = Vec::new();
    let url = match &changes.url {
        Some(url) => Some(check_url(url, rules, &mut errors).await),
        None => None,
    };
    let events = changes
        .events
        .as_deref()
        .map(|e| check_events(e, &mut errors));
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let txn = crate::db::begin_write(db).await?;
    let current = get(&txn, id).await?;
    let before = audit::snapshot(&current);
    let mut model = current.into_active_model();
    if let Some(url) = url {
        model.url = Set(url);
    }
    if let Some(events) = events {
        model.events = Set(events);
    }
    if let Some(active) = changes.active {
        model.active = Set(active);
        if active {
            model.disabled_reason = Set(None);
        }
    }
    model.updated_at = Set(Utc::now());
    let updated = model.update(&txn).await?;
    audit::record(
        &txn,
        actor,
        "webhook",
        id,
        "update",
        before,
        audit::snapshot(&updated),
    )
    .await?;
    if updated.active {
        txn.queued(Outbox::Webhook);
    }
    txn.commit().await?;
    Ok(updated)
}

/// Removes a subscription and its deliveries.
pub async fn delete(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<()> {
    let txn = crate::db::begin_write(db).await?;
    let current = get(&txn, id).await?;
    webhook_delivery::Entity::delete_many()
        .filter(webhook_delivery::Column::WebhookId.eq(id))
        .exec(&txn)
        .await?;
    subscription::Entity::delete_by_id(id).exec(&txn).await?;
    audit::record(
        &txn,
        actor,
        "webhook",
        id,
        "delete",
        audit::snapshot(&current),
        None,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The deliveries of a subscription, newest first (404 when there is no such subscription).
pub async fn deliveries(
    db: &impl ConnectionTrait,
    id: i64,
    status: Option<DeliveryStatus>,
    page: PageRequest,
) -> Result<Page<webhook_delivery::Model>> {
    get(db, id).await?;
    let (items, total) = outbox::list(db, id, status, page.limit, page.offset).await?;
    Ok(Page { items, total })
}

/// Puts a delivery of subscription `id` back in the queue, due now, with the same
/// `webhook-id` and body. A delivery being delivered right now, or one of a subscription that
/// is turned off, is a conflict.
pub async fn retry(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    delivery_id: i64,
    max_attempts: i32,
) -> Result<webhook_delivery::Model> {
    let txn = crate::db::begin_write(db).await?;
    let hook = get(&txn, id).await?;
    let delivery = webhook_delivery::Entity::find_by_id(delivery_id)
        .one(&txn)
        .await?
        .filter(|d| d.webhook_id == id)
        .ok_or(Error::NotFound {
            entity: "delivery",
            id: delivery_id,
        })?;
    if !hook.active {
        return Err(Error::Conflict(format!(
            "webhook {id} is turned off; turn it on (PATCH {{\"active\": true}}) before retrying"
        )));
    }
    if delivery.status == DeliveryStatus::Queued
        && delivery
            .claimed_until
            .is_some_and(|until| until > Utc::now())
    {
        return Err(Error::Conflict(format!(
            "delivery {delivery_id} is being attempted right now"
        )));
    }
    let requeued = outbox::requeue(&txn, &delivery, max_attempts).await?;
    audit::record(
        &txn,
        actor,
        "webhook_delivery",
        delivery_id,
        "retry",
        audit::snapshot(&delivery),
        audit::snapshot(&requeued),
    )
    .await?;
    txn.queued(Outbox::Webhook);
    txn.commit().await?;
    Ok(requeued)
}
