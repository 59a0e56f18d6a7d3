//! Workshop evaluations: submitted by a participant who attended (or typed in from a paper form
//! by an administrator), one per participant and workshop; read back only as an anonymous
//! summary by administrators and the workshop's trainers.

use std::collections::BTreeMap;

use chrono::{NaiveDate, Utc};
use entity::{
    app_user::Role, attendance, enrolment, enrolment::EnrolmentStatus, evaluation, workshop,
    workshop::Status,
};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
};

use super::{workshop_queries, workshop_write::WorkshopWrite};
use crate::domain::{
    Error, FieldError, Result,
    access::{Actor, Principal},
    eligibility::counts_as_attended,
    evaluation::{
        Ratings, Response, Summary, check_ratings, clean_comment, may_evaluate, summarise,
    },
    schedule::local_today,
};

/// An evaluation as submitted.
#[derive(Debug, Clone)]
pub struct NewEvaluation {
    /// Whose evaluation: required when an administrator enters a paper form; a participant may
    /// leave it out (or name themself).
    pub participant_id: Option<i64>,
    pub ratings: Ratings,
    pub most_useful: Option<String>,
    pub suggestions: Option<String>,
}

/// Whose evaluation `who` may submit: an administrator anyone's (naming them), a participant
/// only their own. Everyone else may not submit evaluations.
pub fn evaluator(who: &Principal, requested: Option<i64>) -> Result<i64> {
    if who.is_admin() {
        return requested.ok_or_else(|| {
            Error::Invalid(vec![FieldError::new(
                "participant_id",
                "an administrator entering a paper form names the participant",
            )])
        });
    }
    match who {
        Principal::User {
            role: Role::Participant,
            participant_id: Some(own),
            ..
        } => match requested {
            Some(other) if other != *own => Err(Error::Forbidden(
                "a participant submits only their own evaluation".into(),
            )),
            _ => Ok(*own),
        },
        Principal::User {
            role: Role::Participant,
            participant_id: None,
            ..
        } => Err(Error::Forbidden(
            "this account is not linked to a participant record".into(),
        )),
        _ => Err(Error::Forbidden(
            "evaluations are submitted by the participants themselves, or by an administrator from a paper form".into(),
        )),
    }
}

/// Where a participant stands with evaluating a workshop: the one rule that the API, the
/// portal's evaluation page and the portal's "Evaluate this workshop" link share.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing {
    /// They may evaluate it now.
    Open,
    /// The workshop was cancelled.
    Cancelled,
    /// They held no seat in it (never enrolled, waitlisted or withdrawn).
    NoSeat,
    /// Its last day has not begun: it opens on that day.
    NotYet(NaiveDate),
    /// They attended no day.
    NotAttended,
    /// They already evaluated it (the evaluation's id).
    Submitted(i64),
}

impl Standing {
    /// The API's 409 sentence for anything but [`Standing::Open`].
    fn conflict(&self, participant_id: i64, workshop_id: i64) -> Option<Error> {
        let message = match self {
            Standing::Open => return None,
            Standing::Cancelled => {
                format!("workshop {workshop_id} was cancelled; there is nothing to evaluate")
            }
            Standing::NoSeat => {
                format!("participant {participant_id} held no seat in workshop {workshop_id}")
            }
            Standing::NotYet(last_day) => {
                format!("the workshop can be evaluated from its last day, {last_day}")
            }
            Standing::NotAttended => {
                "only participants who attended at least one day can evaluate it".into()
            }
            Standing::Submitted(id) => format!(
                "participant {participant_id} has already evaluated workshop {workshop_id} (evaluation {id})"
            ),
        };
        Some(Error::Conflict(message))
    }
}

/// Where `participant_id` stands with evaluating `workshop`, with their seat when they hold one.
async fn standing_in(
    db: &impl ConnectionTrait,
    workshop: &workshop::Model,
    participant_id: i64,
) -> Result<(Standing, Option<enrolment::Model>)> {
    if workshop.status == Status::Cancelled {
        return Ok((Standing::Cancelled, None));
    }
    let Some(seat) = enrolment::Entity::find()
        .filter(enrolment::Column::WorkshopId.eq(workshop.id))
        .filter(enrolment::Column::ParticipantId.eq(participant_id))
        .filter(enrolment::Column::Status.eq(EnrolmentStatus::Enrolled))
        .one(db)
        .await?
    else {
        return Ok((Standing::NoSeat, None));
    };
    let days_attended = attendance::Entity::find()
        .filter(attendance::Column::EnrolmentId.eq(seat.id))
        .all(db)
        .await?
        .into_iter()
        .filter(|a| counts_as_attended(a.status))
        .count() as u32;
    let today = local_today();
    let standing = match may_evaluate(days_attended, workshop.end_date, today) {
        Err(_) if today < workshop.end_date => Standing::NotYet(workshop.end_date),
        Err(_) => Standing::NotAttended,
        Ok(()) => match evaluation::Entity::find()
            .filter(evaluation::Column::WorkshopId.eq(workshop.id))
            .filter(evaluation::Column::ParticipantId.eq(participant_id))
            .one(db)
            .await?
        {
            Some(existing) => Standing::Submitted(existing.id),
            None => Standing::Open,
        },
    };
    Ok((standing, Some(seat)))
}

/// Where `participant_id` stands with evaluating workshop `workshop_id` (404 for a workshop
/// that does not exist).
pub async fn standing(
    db: &impl ConnectionTrait,
    participant_id: i64,
    workshop_id: i64,
) -> Result<Standing> {
    let workshop = workshop_queries::get_model(db, workshop_id).await?;
    Ok(standing_in(db, &workshop, participant_id).await?.0)
}

/// Submits an evaluation of a workshop: the participant held a seat and attended at least one
/// day, the workshop's last day has begun and every rating given is 1..=5 (topics may be left
/// unrated, as a blank on a paper form); a second evaluation by the same participant is 409.
pub async fn submit(
    db: &DatabaseConnection,
    who: &Principal,
    workshop_id: i64,
    new: NewEvaluation,
) -> Result<evaluation::Model> {
    let participant_id = evaluator(who, new.participant_id)?;
    let view = workshop_queries::get(db, workshop_id).await?;
    let mut errors = check_ratings(&new.ratings, &view.course.topic_list());
    let most_useful = clean_comment("most_useful", new.most_useful.as_deref(), &mut errors);
    let suggestions = clean_comment("suggestions", new.suggestions.as_deref(), &mut errors);
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    // Who evaluated is not audited: a participant's own evaluation is written by the evaluation
    // form (an entry naming them, read beside the summary before and after, would tie their
    // comments to them); a paper form entered by staff names the staff member only.
    let actor = match who {
        Principal::User {
            role: Role::Participant,
            ..
        } => Actor::system("evaluation form"),
        staff => staff.actor(),
    };
    let mut write = WorkshopWrite::begin(db, &actor, workshop_id).await?;
    let workshop = write.workshop().clone();
    let txn = write.txn();
    let (standing, seat) = standing_in(txn, &workshop, participant_id).await?;
    if let Some(refused) = standing.conflict(participant_id, workshop_id) {
        return Err(refused);
    }
    let Some(seat) = seat else {
        return Err(Error::Conflict(format!(
            "participant {participant_id} held no seat in workshop {workshop_id}"
        )));
    };
    let row = evaluation::ActiveModel {
        workshop_id: Set(workshop_id),
        participant_id: Set(participant_id),
        enrolment_id: Set(seat.id),
        overall: Set(new.ratings.overall),
        trainers: Set(new.ratings.trainers),
        venue: Set(new.ratings.venue),
        materials: Set(new.ratings.materials),
        topic_ratings: Set(
            serde_json::to_string(&new.ratings.topics).unwrap_or_else(|_| "{}".into())
        ),
        most_useful: Set(most_useful),
        suggestions: Set(suggestions),
        entered_by: Set(actor.label.clone()),
        created_at: Set(Utc::now()),
        ..Default::default()
    };
    let saved = evaluation::Entity::insert(row)
        .exec_with_returning(txn)
        .await?;
    // The audit log records that the workshop got one more evaluation: not whose, not what it
    // says, not even its id (the evaluation's row names its participant, to refuse a second).
    let after = serde_json::json!({ "workshop_id": workshop_id });
    write.audit(
        "workshop",
        workshop_id,
        "evaluation_submitted",
        None,
        Some(after),
    );
    write.commit().await?;
    Ok(saved)
}

/// Refuses anyone but an administrator or a trainer assigned to the workshop.
pub(crate) async fn ensure_may_read(
    db: &impl ConnectionTrait,
    who: &Principal,
    workshop_id: i64,
) -> Result<()> {
    workshop_queries::get_model(db, workshop_id).await?;
    if who.is_admin() {
        return Ok(());
    }
    if let Principal::User {
        role: Role::Trainer,
        id,
        ..
    } = who
        && workshop_queries::is_trainer_of(db, workshop_id, *id).await?
    {
        return Ok(());
    }
    Err(Error::Forbidden(
        "evaluation summaries are for administrators and the workshop's own trainers".into(),
    ))
}

fn ratings_of(e: &evaluation::Model) -> Ratings {
    Ratings {
        overall: e.overall,
        trainers: e.trainers,
        venue: e.venue,
        materials: e.materials,
        topics: serde_json::from_str::<BTreeMap<String, i32>>(&e.topic_ratings).unwrap_or_default(),
    }
}

/// The anonymous summary of a workshop's evaluations (only the count below three responses).
pub async fn summary(
    db: &impl ConnectionTrait,
    who: &Principal,
    workshop_id: i64,
) -> Result<Summary> {
    ensure_may_read(db, who, workshop_id).await?;
    let view = workshop_queries::get(db, workshop_id).await?;
    let responses: Vec<Response> = evaluation::Entity::find()
        .filter(evaluation::Column::WorkshopId.eq(workshop_id))
        .all(db)
        .await?
        .iter()
        .map(|e| Response {
            ratings: ratings_of(e),
            most_useful: e.most_useful.clone(),
            suggestions: e.suggestions.clone(),
        })
        .collect();
    Ok(summarise(&responses, &view.course.topic_list()))
}

/// The responses one by one for a spreadsheet, without names or ids, in an order that says
/// nothing of who answered when (by the ratings); none below three responses. Returns the
/// course topics (the columns) and the responses.
pub async fn responses(
    db: &impl ConnectionTrait,
    who: &Principal,
    workshop_id: i64,
) -> Result<(Vec<String>, Vec<Response>)> {
    ensure_may_read(db, who, workshop_id).await?;
    let view = workshop_queries::get(db, workshop_id).await?;
    let rows = evaluation::Entity::find()
        .filter(evaluation::Column::WorkshopId.eq(workshop_id))
        .all(db)
        .await?;
    if rows.len() < crate::domain::evaluation::MIN_RESPONSES_SHOWN {
        return Ok((view.course.topic_list(), vec![]));
    }
    let mut responses: Vec<Response> = rows
        .iter()
        .map(|e| Response {
            ratings: ratings_of(e),
            most_useful: e.most_useful.clone(),
            suggestions: e.suggestions.clone(),
        })
        .collect();
    responses.sort_by(|a, b| {
        (
            a.ratings.overall,
            a.ratings.trainers,
            a.ratings.venue,
            a.ratings.materials,
            &a.ratings.topics,
            &a.most_useful,
            &a.suggestions,
        )
            .cmp(&(
                b.ratings.overall,
                b.ratings.trainers,
                b.ratings.venue,
                b.ratings.materials,
                &b.ratings.topics,
                &b.most_useful,
                &b.suggestions,
            ))
    });
    Ok((view.course.topic_list(), responses))
}
