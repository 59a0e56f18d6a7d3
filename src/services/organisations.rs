//! Organisations: local authorities, residents' associations, civic society.

use chrono::Utc;
use entity::organisation::{self, OrganisationKind};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::{Page, PageRequest, audit};
use crate::domain::{Error, Result, access::Actor, organisation::clean_name};

/// Creates an organisation; a name already taken is a conflict.
pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    name: &str,
    kind: OrganisationKind,
) -> Result<organisation::Model> {
    let name = clean_name(name)?;
    let txn = crate::db::begin_write(db).await?;
    if find_by_name(&txn, &name).await?.is_some() {
        return Err(Error::Conflict(format!(
            "an organisation named {name:?} already exists"
        )));
    }
    let model = organisation::ActiveModel {
        name: Set(name),
        kind: Set(kind),
        created_at: Set(Utc::now()),
        ..Default::default()
    };
    let created = organisation::Entity::insert(model)
        .exec_with_returning(&txn)
        .await?;
    let after = audit::snapshot(&created);
    audit::record(
        &txn,
        actor,
        "organisation",
        created.id,
        "create",
        None,
        after,
    )
    .await?;
    txn.commit().await?;
    Ok(created)
}

/// The organisation with exactly this name, if any.
pub async fn find_by_name(
    db: &impl ConnectionTrait,
    name: &str,
) -> Result<Option<organisation::Model>> {
    Ok(organisation::Entity::find()
        .filter(organisation::Column::Name.eq(name))
        .one(db)
        .await?)
}

/// One organisation by id.
pub async fn get(db: &impl ConnectionTrait, id: i64) -> Result<organisation::Model> {
    organisation::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(Error::NotFound {
            entity: "organisation",
            id,
        })
}

/// Organisations in alphabetical order.
pub async fn list(
    db: &impl ConnectionTrait,
    page: PageRequest,
) -> Result<Page<organisation::Model>> {
    let query = organisation::Entity::find().order_by_asc(organisation::Column::Name);
    let total = query.clone().count(db).await?;
    let items = query.limit(page.limit).offset(page.offset).all(db).await?;
    Ok(Page { items, total })
}
