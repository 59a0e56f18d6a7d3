//! Enrolment under the seat cap, the waitlist, and withdrawal with promotion.
//!
//! Every change goes through the workshop's unit of work ([`WorkshopWrite`]): it takes the
//! workshop's write lock first (`BEGIN IMMEDIATE` on SQLite, `SELECT … FOR UPDATE` on the
//! workshop row on PostgreSQL), then counts and writes inside it: two requests can never both
//! see the last free seat. The workshop row's `seats_taken` is kept in the same transaction and
//! checked against `capacity` by the database as a second line.

use std::collections::HashMap;

use entity::{
    email_outbox::EmailKind,
    enrolment::{self, EnrolmentStatus},
    participant,
    workshop::{self, Status},
};
use sea_orm::{
    ActiveEnum, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};

use super::{Page, PageRequest, participant_mail, workshop_write::WorkshopWrite};
use crate::domain::{Error, FieldError, Result, access::Actor, consent::Consent};

/// An enrolment and, when waitlisted, its place in the queue (1 = next to get a seat).
#[derive(Debug, Clone)]
pub struct EnrolmentView {
    pub enrolment: enrolment::Model,
    pub waitlist_position: Option<u64>,
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
    enrol_consenting(db, actor, workshop_id, participant_id, None, public_url).await
}

/// [`enrol`], recording the participant's consent to the privacy notice with the enrolment
/// (see `domain::consent::record`).
pub async fn enrol_consenting(
    db: &DatabaseConnection,
    actor: &Actor,
    workshop_id: i64,
    participant_id: i64,
    consent: Option<Consent>,
    public_url: &str,
) -> Result<EnrolmentView> {
    let mut write = WorkshopWrite::begin(db, actor, workshop_id).await?;
    let status = write.workshop().status;
    if status != Status::Scheduled {
        return Err(Error::Conflict(format!(
            "workshop {workshop_id} is not taking enrolments: it is {}",
            status.to_value()
        )));
    }
    if participant::Entity::find_by_id(participant_id)
        .one(write.txn())
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
        .one(write.txn())
        .await?;
    if let Some(e) = &existing
        && e.status != EnrolmentStatus::Withdrawn
    {
        return Err(Error::Conflict(format!(
            "participant {participant_id} is already {} in workshop {workshop_id} (enrolment {})",
            e.status.to_value(),
            e.id
        )));
    }
    let enrolled = write
        .enrol_consenting(participant_id, existing, consent)
        .await?;
    let kind = if enrolled.seated {
        EmailKind::EnrolmentConfirmation
    } else {
        EmailKind::WaitlistNotice
    };
    participant_mail::notify(
        write.txn(),
        kind,
        &enrolled.enrolment,
        enrolled.waitlist_position,
        public_url,
    )
    .await?;
    write.commit().await?;
    Ok(EnrolmentView {
        enrolment: enrolled.enrolment,
        waitlist_position: enrolled.waitlist_position,
    })
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
    let mut write = WorkshopWrite::begin(db, actor, workshop_id).await?;
    let current = enrolment::Entity::find_by_id(enrolment_id)
        .filter(enrolment::Column::WorkshopId.eq(workshop_id))
        .one(write.txn())
        .await?
        .ok_or(Error::NotFound {
            entity: "enrolment",
            id: enrolment_id,
        })?;
    if matches!(
        write.workshop().status,
        Status::Completed | Status::Cancelled
    ) {
        return Err(Error::Conflict(format!(
            "workshop {workshop_id} has finished; its enrolments are final"
        )));
    }
    if current.status == EnrolmentStatus::Withdrawn {
        return Err(Error::Conflict(format!(
            "enrolment {enrolment_id} is already withdrawn"
        )));
    }
    let (withdrawn, promoted) = write.withdraw(current).await?;
    if let Some(promoted) = &promoted {
        participant_mail::notify(
            write.txn(),
            EmailKind::Promotion,
            promoted,
            None,
            public_url,
        )
        .await?;
    }
    write.commit().await?;
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

/// One line of a workshop's roster.
#[derive(Debug, Clone)]
pub struct RosterLine {
    pub enrolment: enrolment::Model,
    pub participant: participant::Model,
    /// The waitlist position (1 = next to get a seat), when waitlisted.
    pub waitlist_position: Option<u64>,
}

/// A workshop's roster: every enrolment in queue order with its participant, in one query.
pub async fn roster(db: &impl ConnectionTrait, workshop_id: i64) -> Result<Vec<RosterLine>> {
    workshop::Entity::find_by_id(workshop_id)
        .one(db)
        .await?
        .ok_or(Error::NotFound {
            entity: "workshop",
            id: workshop_id,
        })?;
    let rows = enrolment::Entity::find()
        .filter(enrolment::Column::WorkshopId.eq(workshop_id))
        .order_by_asc(enrolment::Column::QueueNumber)
        .find_also_related(participant::Entity)
        .all(db)
        .await?;
    let mut waiting = 0;
    Ok(rows
        .into_iter()
        .filter_map(|(enrolment, participant)| {
            let waitlist_position = (enrolment.status == EnrolmentStatus::Waitlisted).then(|| {
                waiting += 1;
                waiting
            });
            Some(RosterLine {
                participant: participant?,
                enrolment,
                waitlist_position,
            })
        })
        .collect())
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
