//! Organisations: local authorities, residents' associations, civic society.

use chrono::Utc;
use entity::organisation::{self, OrganisationKind, Province};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::{Page, PageRequest, audit};
use crate::domain::{
    Error, Result,
    access::Actor,
    dhis2::clean_org_unit,
    organisation::{clean_district, clean_name},
};

/// A new organisation.
#[derive(Debug, Clone)]
pub struct NewOrganisation {
    pub name: String,
    pub kind: OrganisationKind,
    pub province: Option<Province>,
    pub district: Option<String>,
    /// Its DHIS2 organisation unit (a UID).
    pub dhis2_org_unit: Option<String>,
}

/// Changes to an organisation; `None` leaves a field as it is (a blank district or DHIS2
/// organisation unit clears it).
#[derive(Debug, Clone, Default)]
pub struct OrganisationChanges {
    pub name: Option<String>,
    pub kind: Option<OrganisationKind>,
    pub province: Option<Province>,
    pub district: Option<String>,
    pub dhis2_org_unit: Option<String>,
}

/// Creates an organisation; a name already taken is a conflict.
pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    new: NewOrganisation,
) -> Result<organisation::Model> {
    let name = clean_name(&new.name)?;
    let district = clean_district(new.district.as_deref())?;
    let dhis2_org_unit = clean_org_unit(new.dhis2_org_unit.as_deref())?;
    let kind = new.kind;
    let txn = crate::db::begin_write(db).await?;
    if find_by_name(&txn, &name).await?.is_some() {
        return Err(Error::Conflict(format!(
            "an organisation named {name:?} already exists"
        )));
    }
    let model = organisation::ActiveModel {
        name: Set(name),
        kind: Set(kind),
        province: Set(new.province),
        district: Set(district),
        dhis2_org_unit: Set(dhis2_org_unit),
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

/// Changes an organisation. A new province moves the organisation's people in the reports'
/// split by province at once (the split is read through the organisation).
pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    changes: OrganisationChanges,
) -> Result<organisation::Model> {
    let name = changes.name.as_deref().map(clean_name).transpose()?;
    let district = changes
        .district
        .as_deref()
        .map(|d| clean_district(Some(d)))
        .transpose()?;
    let dhis2_org_unit = changes
        .dhis2_org_unit
        .as_deref()
        .map(|unit| clean_org_unit(Some(unit)))
        .transpose()?;
    let txn = crate::db::begin_write(db).await?;
    let current = get(&txn, id).await?;
    if let Some(name) = &name
        && let Some(other) = find_by_name(&txn, name).await?
        && other.id != id
    {
        return Err(Error::Conflict(format!(
            "an organisation named {name:?} already exists"
        )));
    }
    let before = audit::snapshot(&current);
    let mut model = current.into_active_model();
    if let Some(name) = name {
        model.name = Set(name);
    }
    if let Some(kind) = changes.kind {
        model.kind = Set(kind);
    }
    if let Some(province) = changes.province {
        model.province = Set(Some(province));
    }
    if let Some(district) = district {
        model.district = Set(district);
    }
    if let Some(unit) = dhis2_org_unit {
        model.dhis2_org_unit = Set(unit);
    }
    let updated = organisation::Entity::update(model).exec(&txn).await?;
    let after = audit::snapshot(&updated);
    audit::record(&txn, actor, "organisation", id, "update", before, after).await?;
    txn.commit().await?;
    Ok(updated)
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
