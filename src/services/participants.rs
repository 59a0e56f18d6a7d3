//! Participants: the people who attend workshops.

use chrono::Utc;
use entity::{
    organisation,
    participant::{self, Gender, TargetGroup},
};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};

use super::{Page, PageRequest, audit};
use crate::domain::{
    Error, FieldError, Result,
    access::Actor,
    participant::{ParticipantText, clean},
};

/// Values for a participant; `None` leaves a field unchanged (for a new participant: empty).
#[derive(Debug, Clone, Default)]
pub struct ParticipantChanges {
    pub text: ParticipantText,
    pub gender: Option<Option<Gender>>,
    pub organisation_id: Option<Option<i64>>,
    pub target_group: Option<TargetGroup>,
}

async fn check_references(
    db: &impl ConnectionTrait,
    email: Option<&str>,
    organisation_id: Option<i64>,
    except_id: Option<i64>,
) -> Result<()> {
    if let Some(org) = organisation_id
        && organisation::Entity::find_by_id(org)
            .one(db)
            .await?
            .is_none()
    {
        return Err(Error::Invalid(vec![FieldError::new(
            "organisation_id",
            format!("organisation {org} does not exist"),
        )]));
    }
    if let Some(email) = email {
        let mut query = participant::Entity::find().filter(participant::Column::Email.eq(email));
        if let Some(id) = except_id {
            query = query.filter(participant::Column::Id.ne(id));
        }
        if query.one(db).await?.is_some() {
            return Err(Error::Conflict(format!(
                "a participant with email {email} already exists"
            )));
        }
    }
    Ok(())
}

/// Creates a participant after checking the rules; an email already in use is 409.
pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    changes: ParticipantChanges,
) -> Result<participant::Model> {
    let txn = db.begin().await?;
    let created = create_in(&txn, actor, changes).await?;
    txn.commit().await?;
    Ok(created)
}

/// [`create`] within a transaction the caller owns (used by the CSV import).
pub async fn create_in(
    db: &impl ConnectionTrait,
    actor: &Actor,
    changes: ParticipantChanges,
) -> Result<participant::Model> {
    let mut errors = Vec::new();
    if changes.text.full_name.is_none() {
        errors.push(FieldError::new("full_name", "is required"));
    }
    let Some(target_group) = changes.target_group else {
        errors.push(FieldError::new("target_group", "is required"));
        return Err(Error::Invalid(errors));
    };
    let text = clean(changes.text).map_err(|mut e| {
        errors.append(&mut e);
        Error::Invalid(errors.clone())
    })?;
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let email = text.email.flatten();
    let organisation_id = changes.organisation_id.flatten();
    check_references(db, email.as_deref(), organisation_id, None).await?;
    let now = Utc::now();
    let model = participant::ActiveModel {
        full_name: Set(text.full_name.unwrap_or_default()),
        email: Set(email),
        phone: Set(text.phone.flatten()),
        gender: Set(changes.gender.flatten()),
        organisation_id: Set(organisation_id),
        target_group: Set(target_group),
        ward: Set(text.ward.flatten()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    let created = participant::Entity::insert(model)
        .exec_with_returning(db)
        .await?;
    let after = audit::snapshot(&created);
    audit::record(db, actor, "participant", created.id, "create", None, after).await?;
    Ok(created)
}

/// One participant by id.
pub async fn get(db: &impl ConnectionTrait, id: i64) -> Result<participant::Model> {
    participant::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(Error::NotFound {
            entity: "participant",
            id,
        })
}

/// Changes the given fields of a participant. Certificates already issued keep the name they
/// printed.
pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    changes: ParticipantChanges,
) -> Result<participant::Model> {
    let text = clean(changes.text).map_err(Error::Invalid)?;
    let txn = db.begin().await?;
    let current = get(&txn, id).await?;
    let email = text.email.clone().unwrap_or(current.email.clone());
    let organisation_id = changes.organisation_id.unwrap_or(current.organisation_id);
    check_references(&txn, email.as_deref(), organisation_id, Some(id)).await?;
    let before = audit::snapshot(&current);
    let mut model = current.into_active_model();
    if let Some(name) = text.full_name {
        model.full_name = Set(name);
    }
    model.email = Set(email);
    if let Some(phone) = text.phone {
        model.phone = Set(phone);
    }
    if let Some(ward) = text.ward {
        model.ward = Set(ward);
    }
    if let Some(gender) = changes.gender {
        model.gender = Set(gender);
    }
    model.organisation_id = Set(organisation_id);
    if let Some(group) = changes.target_group {
        model.target_group = Set(group);
    }
    model.updated_at = Set(Utc::now());
    let updated = participant::Entity::update(model).exec(&txn).await?;
    let after = audit::snapshot(&updated);
    audit::record(&txn, actor, "participant", id, "update", before, after).await?;
    txn.commit().await?;
    Ok(updated)
}

/// Filters of the participant list.
#[derive(Debug, Clone, Default)]
pub struct ParticipantFilter {
    pub organisation_id: Option<i64>,
    pub target_group: Option<TargetGroup>,
    /// Case-insensitive part of the name or email.
    pub search: Option<String>,
}

/// Participants ordered by name.
pub async fn list(
    db: &impl ConnectionTrait,
    filter: ParticipantFilter,
    page: PageRequest,
) -> Result<Page<participant::Model>> {
    let mut query = participant::Entity::find();
    if let Some(org) = filter.organisation_id {
        query = query.filter(participant::Column::OrganisationId.eq(org));
    }
    if let Some(group) = filter.target_group {
        query = query.filter(participant::Column::TargetGroup.eq(group));
    }
    if let Some(search) = filter.search.filter(|s| !s.trim().is_empty()) {
        use sea_orm::sea_query::{Expr, ExprTrait, Func};
        let pattern = format!("%{}%", search.trim().to_lowercase());
        query = query.filter(
            Expr::expr(Func::lower(Expr::col(participant::Column::FullName)))
                .like(pattern.clone())
                .or(Expr::col(participant::Column::Email).like(pattern)),
        );
    }
    let total = query.clone().count(db).await?;
    let items = query
        .order_by_asc(participant::Column::FullName)
        .order_by_asc(participant::Column::Id)
        .limit(page.limit)
        .offset(page.offset)
        .all(db)
        .await?;
    Ok(Page { items, total })
}

/// The participant with this (normalised) email, if any.
pub async fn find_by_email(
    db: &impl ConnectionTrait,
    email: &str,
) -> Result<Option<participant::Model>> {
    Ok(participant::Entity::find()
        .filter(participant::Column::Email.eq(email.trim().to_lowercase()))
        .one(db)
        .await?)
}
