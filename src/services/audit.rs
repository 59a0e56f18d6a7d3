//! The audit log: every change records who made it, what it changed and how.

use chrono::{DateTime, Utc};
use entity::audit_log;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use serde::Serialize;
use serde_json::Value;

use super::{Page, PageRequest};
use crate::domain::{Result, access::Actor};

/// Records one change. Call it with the same connection (transaction) as the change itself,
/// so a change is never without its record and a rolled-back change leaves none.
pub async fn record(
    db: &impl ConnectionTrait,
    actor: &Actor,
    entity: &str,
    entity_id: i64,
    action: &str,
    before: Option<Value>,
    after: Option<Value>,
) -> Result<()> {
    let row = audit_log::ActiveModel {
        at: Set(Utc::now()),
        actor_kind: Set(actor.kind.to_owned()),
        actor_id: Set(actor.id),
        actor_label: Set(actor.label.clone()),
        entity: Set(entity.to_owned()),
        entity_id: Set(entity_id),
        action: Set(action.to_owned()),
        before: Set(before),
        after: Set(after),
        ..Default::default()
    };
    audit_log::Entity::insert(row).exec(db).await?;
    Ok(())
}

/// One change, for [`record_many`].
#[derive(Debug, Clone)]
pub struct Change {
    pub entity: &'static str,
    pub entity_id: i64,
    pub action: &'static str,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

/// Records many changes at once (bulk imports, attendance registers), in a few statements.
pub async fn record_many(
    db: &impl ConnectionTrait,
    actor: &Actor,
    changes: Vec<Change>,
) -> Result<()> {
    let now = Utc::now();
    record_made(db, actor, changes.into_iter().map(|c| (now, c)).collect()).await
}

/// Records changes made at the given times (a unit of work's, written when it commits), in a
/// few statements and in order.
pub async fn record_made(
    db: &impl ConnectionTrait,
    actor: &Actor,
    changes: Vec<(DateTime<Utc>, Change)>,
) -> Result<()> {
    let mut rows = changes.into_iter().map(|(at, c)| audit_log::ActiveModel {
        at: Set(at),
        actor_kind: Set(actor.kind.to_owned()),
        actor_id: Set(actor.id),
        actor_label: Set(actor.label.clone()),
        entity: Set(c.entity.to_owned()),
        entity_id: Set(c.entity_id),
        action: Set(c.action.to_owned()),
        before: Set(c.before),
        after: Set(c.after),
        ..Default::default()
    });
    loop {
        let chunk: Vec<_> = rows.by_ref().take(100).collect();
        if chunk.is_empty() {
            return Ok(());
        }
        audit_log::Entity::insert_many(chunk).exec(db).await?;
    }
}

/// A compact JSON snapshot of a record for the log.
pub fn snapshot(value: &impl Serialize) -> Option<Value> {
    serde_json::to_value(value).ok()
}

/// Filters of the audit log.
#[derive(Debug, Default, Clone)]
pub struct AuditFilter {
    pub entity: Option<String>,
    pub entity_id: Option<i64>,
}

/// Entries, newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    filter: AuditFilter,
    page: PageRequest,
) -> Result<Page<audit_log::Model>> {
    let mut query = audit_log::Entity::find();
    if let Some(entity) = filter.entity {
        query = query.filter(audit_log::Column::Entity.eq(entity));
    }
    if let Some(id) = filter.entity_id {
        query = query.filter(audit_log::Column::EntityId.eq(id));
    }
    let total = query.clone().count(db).await?;
    let items = query
        .order_by_desc(audit_log::Column::Id)
        .limit(page.limit)
        .offset(page.offset)
        .all(db)
        .await?;
    Ok(Page { items, total })
}

/// A record snapshot as the API shows it: fields without a value are left out, as everywhere.
pub fn without_nulls(value: serde_json::Value) -> serde_json::Value {
    match value {
        serde_json::Value::Object(map) => map
            .into_iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| (k, without_nulls(v)))
            .collect(),
        serde_json::Value::Array(items) => items.into_iter().map(without_nulls).collect(),
        other => other,
    }
}
