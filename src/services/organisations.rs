//! Organisations: local authorities, residents' associations, civic society.

use chrono::Utc;
use entity::organisation::{self, OrganisationKind};
use sea_orm::{
    ActiveValue::Set, ConnectionTrait, EntityTrait, PaginatorTrait, QueryOrder, QuerySelect,
};

use super::{Page, PageRequest};
use crate::domain::{Error, Result, organisation::clean_name};

/// Creates an organisation; a name already taken is a conflict.
pub async fn create(
    db: &impl ConnectionTrait,
    name: &str,
    kind: OrganisationKind,
) -> Result<organisation::Model> {
    let name = clean_name(name)?;
    if find_by_name(db, &name).await?.is_some() {
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
    Ok(organisation::Entity::insert(model)
        .exec_with_returning(db)
        .await?)
}

/// The organisation with exactly this name, if any.
pub async fn find_by_name(
    db: &impl ConnectionTrait,
    name: &str,
) -> Result<Option<organisation::Model>> {
    use sea_orm::{ColumnTrait, QueryFilter};
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
