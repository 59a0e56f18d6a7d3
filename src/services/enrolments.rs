//! Enrolment under the seat cap, the waitlist, and withdrawal with promotion.
//!
//! Every change takes the workshop's write lock first (`BEGIN IMMEDIATE` on SQLite, `SELECT …
//! FOR UPDATE` on the workshop row on PostgreSQL), then counts and writes inside it: two
//! requests can never both see the last free seat. The workshop row's `seats_taken` is kept in
//! the same transaction and checked against `capacity` by the database as a second line.

use std::collections::HashMap;

use chrono::Utc;
use entity::{
    email_outbox::EmailKind,
    enrolment::{self, EnrolmentStatus},
    participant,
    workshop::{self, Status},
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use super::{Page, PageRequest, audit, participant_mail, tallies};
use crate::{
    db::begin_write,
    domain::{Error, FieldError, Result, access::Actor, workshop::seat_available},
};

/// An enrolment and, when waitlisted, its place in the queue (1 = next to get a seat).
#[derive(Debug, Clone)]
pub struct EnrolmentView {
    pub enrolment: enrolment::Model,
    pub waitlist_position: Option<u64>,
}

async fn next_queue_number(txn: &DatabaseTransaction, workshop_id: i64) -> Result<i64> {
    let last: Option<enrolment::Model> = enrolment::Entity::find()
        .filter(enrolment::Column::WorkshopId.eq(workshop_id))
        .order_by_desc(enrolment::Column::QueueNumber)
        .one(txn)
        .await?;
    Ok(last.map_or(1, |e| e.queue_number + 1))
}

async fn set_counts(
    txn: &DatabaseTransaction,
    workshop: workshop::Model,
    seats: i32,
    waitlist: i32,
) -> Result<workshop::Model> {
    let mut model = workshop.into_active_model();
    model.seats_taken = Set(seats);
    model.waitlist_count = Set(waitlist);
    model.updated_at = Set(Utc::now());
    Ok(model.update(txn).await?)
}

/// Enrols a participant: a seat while there is one, else the end of the waitlist. Only a
/// `scheduled` workshop takes enrolments; a participant already enrolled or waitlisted is 409.
/// A participant who withdrew may enrol again (at the back of the queue). The confirmation (with
/// the workshop's `.ics`) or the waitlist notice is queued in the same transaction, once per
/// enrolment and kind.
pub async fn enrol(
    db: &DatabaseConnection,
    actor: &Actor,
    workshop_id: i64,
    participant_id: i64,
    public_url: &str,
) -> Result<EnrolmentView> {
    let txn = begin_write(db).await?;
    let workshop = super::workshop_lock::lock(&txn, workshop_id).await?;
    if workshop.status != Status::Scheduled {
        return Err(Error::Conflict(format!(
            "workshop {workshop_id} is not taking enrolments: it is {}",
            serde_json::to_value(workshop.status)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default()
        )));
    }
    if participant::Entity::find_by_id(participant_id)
        .one(&txn)
        .await?
        .is_none()
    {
        return Err(Error::Invalid(vec![FieldError::new(
            "participant_id",
            format!("participant {participant_id} does not exist"),
        )]));
    }
    let existing = enrolment::Entity::find()
        .filter(enrolment::Column::WorkshopId.eq(workshop_id))
        .filter(enrolment::Column::ParticipantId.eq(participant_id))
        .one(&txn)
        .await?;
    if let Some(e) = &existing
        && e.status != EnrolmentStatus::Withdrawn
    {
        return Err(Error::Conflict(format!(
            "participant {participant_id} is already {} in workshop {workshop_id} (enrolment {})",
            if e.status == EnrolmentStatus::Enrolled {
                "enrolled"
            } else {
                "waitlisted"
            },
            e.id
        )));
    }
    let seat = seat_available(workshop.seats_taken, workshop.capacity);
    let status = if seat {
        EnrolmentStatus::Enrolled
    } else {
        EnrolmentStatus::Waitlisted
    };
    let queue_number = next_queue_number(&txn, workshop_id).await?;
    let now = Utc::now();
    let (before, saved) = match existing {
        Some(withdrawn) => {
            let before = audit::snapshot(&withdrawn);
            let mut model = withdrawn.into_active_model();
            model.status = Set(status);
            model.queue_number = Set(queue_number);
            model.updated_at = Set(now);
            (before, model.update(&txn).await?)
        }
        None => {
            let row = enrolment::ActiveModel {
                workshop_id: Set(workshop_id),
                participant_id: Set(participant_id),
                status: Set(status),
                queue_number: Set(queue_number),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            };
            (
                None,
                enrolment::Entity::insert(row)
                    .exec_with_returning(&txn)
                    .await?,
            )
        }
    };
    let (seats, waitlist) = if seat {
        (workshop.seats_taken + 1, workshop.waitlist_count)
    } else {
        (workshop.seats_taken, workshop.waitlist_count + 1)
    };
    let position = (!seat).then_some(waitlist as u64);
    set_counts(&txn, workshop, seats, waitlist).await?;
    if seat {
        tallies::refresh_workshop(&txn, workshop_id).await?;
    }
    audit::record(
        &txn,
        actor,
        "enrolment",
        saved.id,
        "enrol",
        before,
        audit::snapshot(&saved),
    )
    .await?;
    let kind = if seat {
        EmailKind::EnrolmentConfirmation
    } else {
        EmailKind::WaitlistNotice
    };
    participant_mail::notify(&txn, kind, &saved, position, public_url).await?;
    txn.commit().await?;
    Ok(EnrolmentView {
        enrolment: saved,
        waitlist_position: position,
    })
}

/// Gives the next seat to the first waitlisted participant, inside the caller's locked
/// transaction; returns the workshop with its counts updated and the promoted enrolment.
pub async fn promote_next(
    txn: &DatabaseTransaction,
    actor: &Actor,
    workshop: workshop::Model,
) -> Result<(workshop::Model, Option<enrolment::Model>)> {
    let next = enrolment::Entity::find()
        .filter(enrolment::Column::WorkshopId.eq(workshop.id))
        .filter(enrolment::Column::Status.eq(EnrolmentStatus::Waitlisted))
        .order_by_asc(enrolment::Column::QueueNumber)
        .one(txn)
        .await?;
    let Some(next) = next else {
        return Ok((workshop, None));
    };
    let before = audit::snapshot(&next);
    let mut model = next.into_active_model();
    model.status = Set(EnrolmentStatus::Enrolled);
    model.updated_at = Set(Utc::now());
    let promoted = model.update(txn).await?;
    let after = audit::snapshot(&promoted);
    audit::record(
        txn,
        actor,
        "enrolment",
        promoted.id,
        "promote",
        before,
        after,
    )
    .await?;
    let (seats, waitlist) = (workshop.seats_taken + 1, workshop.waitlist_count - 1);
    let workshop = set_counts(txn, workshop, seats, waitlist).await?;
    Ok((workshop, Some(promoted)))
}

/// Withdraws an enrolment. A freed seat goes to the first waitlisted participant in the same
/// transaction, and told so by mail. Returns the withdrawn enrolment and the promoted one, if any.
pub async fn withdraw(
    db: &DatabaseConnection,
    actor: &Actor,
    workshop_id: i64,
    enrolment_id: i64,
    public_url: &str,
) -> Result<(enrolment::Model, Option<enrolment::Model>)> {
    let txn = begin_write(db).await?;
    let workshop = super::workshop_lock::lock(&txn, workshop_id).await?;
    let current = enrolment::Entity::find_by_id(enrolment_id)
        .filter(enrolment::Column::WorkshopId.eq(workshop_id))
        .one(&txn)
        .await?
        .ok_or(Error::NotFound {
            entity: "enrolment",
            id: enrolment_id,
        })?;
    if matches!(workshop.status, Status::Completed | Status::Cancelled) {
        return Err(Error::Conflict(format!(
            "workshop {workshop_id} has finished; its enrolments are final"
        )));
    }
    if current.status == EnrolmentStatus::Withdrawn {
        return Err(Error::Conflict(format!(
            "enrolment {enrolment_id} is already withdrawn"
        )));
    }
    let was_enrolled = current.status == EnrolmentStatus::Enrolled;
    let before = audit::snapshot(&current);
    let mut model = current.into_active_model();
    model.status = Set(EnrolmentStatus::Withdrawn);
    model.updated_at = Set(Utc::now());
    let withdrawn = model.update(&txn).await?;
    audit::record(
        &txn,
        actor,
        "enrolment",
        enrolment_id,
        "withdraw",
        before,
        audit::snapshot(&withdrawn),
    )
    .await?;
    let (seats, waitlist) = if was_enrolled {
        (workshop.seats_taken - 1, workshop.waitlist_count)
    } else {
        (workshop.seats_taken, workshop.waitlist_count - 1)
    };
    let workshop = set_counts(&txn, workshop, seats, waitlist).await?;
    let promoted = if was_enrolled {
        let promoted = promote_next(&txn, actor, workshop).await?.1;
        tallies::refresh_workshop(&txn, workshop_id).await?;
        if let Some(promoted) = &promoted {
            participant_mail::notify(&txn, EmailKind::Promotion, promoted, None, public_url)
                .await?;
        }
        promoted
    } else {
        None
    };
    txn.commit().await?;
    Ok((withdrawn, promoted))
}

/// Waitlist positions of a workshop: enrolment id → position (1-based).
async fn waitlist_positions(
    db: &impl ConnectionTrait,
    workshop_id: i64,
) -> Result<HashMap<i64, u64>> {
    let ids: Vec<i64> = enrolment::Entity::find()
        .select_only()
        .column(enrolment::Column::Id)
        .filter(enrolment::Column::WorkshopId.eq(workshop_id))
        .filter(enrolment::Column::Status.eq(EnrolmentStatus::Waitlisted))
        .order_by_asc(enrolment::Column::QueueNumber)
        .into_tuple()
        .all(db)
        .await?;
    Ok(ids
        .into_iter()
        .enumerate()
        .map(|(i, id)| (id, i as u64 + 1))
        .collect())
}

/// The enrolments of a workshop in order of arrival, optionally of one status.
pub async fn list(
    db: &impl ConnectionTrait,
    workshop_id: i64,
    status: Option<EnrolmentStatus>,
    page: PageRequest,
) -> Result<Page<EnrolmentView>> {
    workshop::Entity::find_by_id(workshop_id)
        .one(db)
        .await?
        .ok_or(Error::NotFound {
            entity: "workshop",
            id: workshop_id,
        })?;
    let mut query = enrolment::Entity::find().filter(enrolment::Column::WorkshopId.eq(workshop_id));
    if let Some(status) = status {
        query = query.filter(enrolment::Column::Status.eq(status));
    }
    let total = query.clone().count(db).await?;
    let items = query
        .order_by_asc(enrolment::Column::QueueNumber)
        .limit(page.limit)
        .offset(page.offset)
        .all(db)
        .await?;
    let positions = waitlist_positions(db, workshop_id).await?;
    let items = items
        .into_iter()
        .map(|e| EnrolmentView {
            waitlist_position: positions.get(&e.id).copied(),
            enrolment: e,
        })
        .collect();
    Ok(Page { items, total })
}

/// One enrolment with its waitlist position.
pub async fn get(
    db: &impl ConnectionTrait,
    workshop_id: i64,
    enrolment_id: i64,
) -> Result<EnrolmentView> {
    let enrolment = enrolment::Entity::find_by_id(enrolment_id)
        .filter(enrolment::Column::WorkshopId.eq(workshop_id))
        .one(db)
        .await?
        .ok_or(Error::NotFound {
            entity: "enrolment",
            id: enrolment_id,
        })?;
    let positions = waitlist_positions(db, workshop_id).await?;
    Ok(EnrolmentView {
        waitlist_position: positions.get(&enrolment.id).copied(),
        enrolment,
    })
}

/// A participant's enrolments, newest first.
pub async fn for_participant(
    db: &impl ConnectionTrait,
    participant_id: i64,
    page: PageRequest,
) -> Result<Page<EnrolmentView>> {
    let query =
        enrolment::Entity::find().filter(enrolment::Column::ParticipantId.eq(participant_id));
    let total = query.clone().count(db).await?;
    let items = query
        .order_by_desc(enrolment::Column::Id)
        .limit(page.limit)
        .offset(page.offset)
        .all(db)
        .await?;
    let mut views = Vec::with_capacity(items.len());
    for e in items {
        let position = if e.status == EnrolmentStatus::Waitlisted {
            waitlist_positions(db, e.workshop_id)
                .await?
                .get(&e.id)
                .copied()
        } else {
            None
        };
        views.push(EnrolmentView {
            enrolment: e,
            waitlist_position: position,
        });
    }
    Ok(Page {
        items: views,
        total,
    })
}
