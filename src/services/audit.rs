//! The audit log: every change records who made it, what it changed and how.

use chrono::Utc;
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

/// Records the creation of many records of one kind at once (bulk imports), in chunks.
pub async fn record_created(
    db: &impl ConnectionTrait,
    actor: &Actor,
    entity: &str,
    action: &str,
    created: Vec<(i64, Option<Value>)>,
) -> Result<()> {
    let now = Utc::now();
    let mut rows = created
        .into_iter()
        .map(|(entity_id, after)| audit_log::ActiveModel {
            at: Set(now),
            actor_kind: Set(actor.kind.to_owned()),
            actor_id: Set(actor.id),
            actor_label: Set(actor.label.clone()),
            entity: Set(entity.to_owned()),
            entity_id: Set(entity_id),
            action: Set(action.to_owned()),
            before: Set(None),
            after: Set(after),
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
