//! Who may read one workshop's people, or one participant: the rule is
//! [`Principal::may_read_workshop`]; this module looks up the assignment it depends on.

use entity::{enrolment, workshop_trainer};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect,
    sea_query::Query,
};

use crate::domain::{
    Error, Result,
    access::{Principal, WorkshopReading},
};

/// Refuses (403) a caller who may not read `what` of workshop `workshop_id`.
pub async fn ensure_may_read_workshop(
    db: &impl ConnectionTrait,
    who: &Principal,
    workshop_id: i64,
    what: WorkshopReading,
) -> Result<()> {
    let assigned = match who {
        Principal::User { id, .. } if who.is_trainer() => {
            workshop_trainer::Entity::find_by_id((workshop_id, *id))
                .one(db)
                .await?
                .is_some()
        }
        _ => false,
    };
    if who.may_read_workshop(what, assigned) {
        return Ok(());
    }
    Err(Error::Forbidden(if who.is_trainer() {
        format!("you are not a trainer of workshop {workshop_id}")
    } else {
        match what {
            WorkshopReading::Register => "this account may not read workshop registers".into(),
            WorkshopReading::ContactDetails => {
                "this account may not read participants' contact details".into()
            }
        }
    }))
}

/// Refuses (403) a caller who may not read participant `participant_id`'s record: those who
/// read participants in general, and trainers of a workshop the participant is enrolled in.
pub async fn ensure_may_read_participant(
    db: &impl ConnectionTrait,
    who: &Principal,
    participant_id: i64,
) -> Result<()> {
    let assigned = match who {
        Principal::User { id, .. } if who.is_trainer() => {
            let trainer_workshops = Query::select()
                .column(workshop_trainer::Column::WorkshopId)
                .from(workshop_trainer::Entity)
                .and_where(workshop_trainer::Column::UserId.eq(*id))
                .to_owned();
            enrolment::Entity::find()
                .select_only()
                .column(enrolment::Column::Id)
                .filter(enrolment::Column::ParticipantId.eq(participant_id))
                .filter(enrolment::Column::WorkshopId.in_subquery(trainer_workshops))
                .count(db)
                .await?
                > 0
        }
        _ => false,
    };
    if who.may_read_workshop(WorkshopReading::ContactDetails, assigned) {
        return Ok(());
    }
    Err(Error::Forbidden(if who.is_trainer() {
        format!("participant {participant_id} is not enrolled in a workshop you train")
    } else {
        "this account may not read participant records".into()
    }))
}
