//! Changing workshops: scheduling, the cascade's parent rules, trainers, capacity and status,
//! each through the workshop's unit of work. (Reading them is [`super::workshop_queries`].)

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use entity::{
    app_user::{self, Role},
    course, organisation,
    workshop::{self, Level, Status},
    workshop_trainer,
};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
};

use super::{
    audit, participant_mail,
    workshop_queries::{WorkshopView, days_of, get, trainer_ids_of},
    workshop_write::{WorkshopWrite, Write},
};
use crate::domain::{
    Error, FieldError, Result,
    access::Actor,
    cascade::{self, ParentRefusal},
    clean_text,
    schedule::local_today,
    workshop::{
        MAX_CAPACITY, Transition, check_capacity, check_capacity_change, parent_level, transition,
    },
};

/// What a new workshop needs.
#[derive(Debug, Clone)]
pub struct NewWorkshop {
    pub course_id: i64,
    pub level: Level,
    pub parent_workshop_id: Option<i64>,
    pub venue: String,
    pub organisation_id: Option<i64>,
    pub ward: Option<String>,
    pub start_date: NaiveDate,
    pub capacity: Option<i32>,
    pub trainer_ids: Vec<i64>,
    /// Listed in the public catalogue (people can apply).
    pub public: bool,
}

/// Changes to a workshop; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct WorkshopChanges {
    pub venue: Option<String>,
    pub organisation_id: Option<Option<i64>>,
    pub ward: Option<Option<String>>,
    pub start_date: Option<NaiveDate>,
    pub capacity: Option<i32>,
    pub trainer_ids: Option<Vec<i64>>,
    /// Listed in the public catalogue, or no longer.
    pub public: Option<bool>,
}

async fn check_organisation(
    db: &impl ConnectionTrait,
    id: Option<i64>,
    errors: &mut Vec<FieldError>,
) -> Result<()> {
    if let Some(id) = id
        && organisation::Entity::find_by_id(id)
            .one(db)
            .await?
            .is_none()
    {
        errors.push(FieldError::new(
            "organisation_id",
            format!("organisation {id} does not exist"),
        ));
    }
    Ok(())
}

/// Every id must name a user with the trainer role.
async fn check_trainers(
    db: &impl ConnectionTrait,
    ids: &[i64],
    errors: &mut Vec<FieldError>,
) -> Result<()> {
    let users: HashMap<i64, app_user::Model> = app_user::Entity::find()
        .filter(app_user::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    for (i, id) in ids.iter().enumerate() {
        let field = format!("trainer_ids[{i}]");
        match users.get(id) {
            None => errors.push(FieldError::new(field, format!("user {id} does not exist"))),
            Some(u) if u.role != Role::Trainer => errors.push(FieldError::new(
                field,
                format!("user {id} ({}) is not a trainer", u.name),
            )),
            Some(_) if ids[..i].contains(id) => {
                errors.push(FieldError::new(field, "is listed twice"))
            }
            Some(_) => {}
        }
    }
    Ok(())
}

/// The parent part of the cascade rule ([`cascade::check_parent`]), with the parent read:
/// a request error is added to `errors`, a conflict returned.
pub(crate) async fn check_parent(
    db: &impl ConnectionTrait,
    level: Level,
    course_id: i64,
    parent_id: Option<i64>,
    errors: &mut Vec<FieldError>,
) -> Result<Option<String>> {
    let parent = match parent_id {
        Some(pid) if parent_level(level).is_some() => workshop::Entity::find_by_id(pid)
            .one(db)
            .await?
            .map(|p| cascade::Parent {
                id: p.id,
                level: p.level,
                course_id: p.course_id,
                status: p.status,
            }),
        _ => None,
    };
    match cascade::check_parent(level, course_id, parent_id, parent) {
        Ok(()) => Ok(None),
        Err(ParentRefusal::Invalid(message)) => {
            errors.push(FieldError::new("parent_workshop_id", message));
            Ok(None)
        }
        Err(ParentRefusal::Conflict(message)) => Ok(Some(message)),
    }
}

/// A proposed workshop checked against every rule scheduling applies, nothing saved. What
/// [`create`] saves and what the console's preview shows both come from [`plan`], so the
/// preview cannot say yes where the create says no.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The course, when it exists.
    pub course: Option<course::Model>,
    /// The working days, when the course exists and the start date allows them.
    pub dates: Option<Vec<NaiveDate>>,
    /// The venue and ward as they will be stored (trimmed).
    pub venue: String,
    pub ward: Option<String>,
    pub capacity: i32,
    /// Values that break a rule (a 422), one entry per problem.
    pub invalid: Vec<FieldError>,
    /// The cascade's rules the proposal meets (a 409), against the field they concern.
    pub conflicts: Vec<FieldError>,
}

impl Plan {
    /// Every problem, each against its field.
    pub fn problems(&self) -> impl Iterator<Item = &FieldError> {
        self.invalid.iter().chain(&self.conflicts)
    }
}

/// Checks `new` against every rule of scheduling and lays out its days.
pub async fn plan(db: &impl ConnectionTrait, new: &NewWorkshop) -> Result<Plan> {
    let mut invalid = Vec::new();
    let venue = clean_text("venue", &new.venue, 200, &mut invalid);
    let ward = new
        .ward
        .as_ref()
        .map(|w| w.trim().to_owned())
        .filter(|w| !w.is_empty());
    if let Some(w) = &ward {
        clean_text("ward", w, 64, &mut invalid);
    }
    let capacity = new.capacity.unwrap_or(MAX_CAPACITY);
    if let Err(message) = check_capacity(capacity) {
        invalid.push(FieldError::new("capacity", message));
    }
    let course = course::Entity::find_by_id(new.course_id).one(db).await?;
    if course.is_none() {
        invalid.push(FieldError::new(
            "course_id",
            format!("course {} does not exist", new.course_id),
        ));
    }
    // Without a course the start date is still checked, over a five-day course.
    let duration = course.as_ref().map_or(5, |c| c.duration_days);
    let dates = match super::holidays::layout(db, new.start_date, duration as u32).await? {
        Ok(dates) => course.is_some().then_some(dates),
        Err(refusal) => {
            invalid.push(FieldError::new("start_date", refusal.to_string()));
            None
        }
    };
    check_organisation(db, new.organisation_id, &mut invalid).await?;
    check_trainers(db, &new.trainer_ids, &mut invalid).await?;
    let mut conflicts = Vec::new();
    if let Some(conflict) = check_parent(
        db,
        new.level,
        new.course_id,
        new.parent_workshop_id,
        &mut invalid,
    )
    .await?
    {
        conflicts.push(FieldError::new("parent_workshop_id", conflict));
    }
    if let Some(course) = &course
        && new.level != Level::Tot
    {
        for problem in
            super::trainers::uncertified(db, course, &new.trainer_ids, new.start_date).await?
        {
            conflicts.push(FieldError::new("trainer_ids", problem));
        }
    }
    Ok(Plan {
        course,
        dates,
        venue,
        ward,
        capacity,
        invalid,
        conflicts,
    })
}

/// Schedules a workshop: checks it ([`plan`]), lays its days out and saves it with its
/// trainers, audited.
pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    new: NewWorkshop,
) -> Result<WorkshopView> {
    let write = Write::begin(db, actor).await?;
    let plan = plan(write.txn(), &new).await?;
    if !plan.invalid.is_empty() {
        return Err(Error::Invalid(plan.invalid));
    }
    if !plan.conflicts.is_empty() {
        let sentences: Vec<String> = plan.conflicts.into_iter().map(|c| c.message).collect();
        return Err(Error::Conflict(sentences.join("; ")));
    }
    let Plan {
        course: Some(course),
        dates: Some(dates),
        venue,
        ward,
        capacity,
        ..
    } = plan
    else {
        return Err(Error::internal_message(
            "a plan without problems has a course and its days",
        ));
    };
    let now = Utc::now();
    let row = workshop::ActiveModel {
        course_id: Set(course.id),
        level: Set(new.level),
        parent_workshop_id: Set(new.parent_workshop_id),
        venue: Set(venue),
        organisation_id: Set(new.organisation_id),
        ward: Set(ward),
        start_date: Set(new.start_date),
        end_date: Set(*dates.last().unwrap_or(&new.start_date)),
        duration_days: Set(course.duration_days),
        day_dates: Set(workshop::Model::encode_dates(&dates)),
        capacity: Set(capacity),
        status: Set(Status::Scheduled),
        public: Set(new.public),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    let mut write = write.create_workshop(row).await?;
    let created = write.workshop().clone();
    set_trainers(write.txn(), created.id, &new.trainer_ids).await?;
    let mut after = audit::snapshot(&created);
    if let Some(serde_json::Value::Object(map)) = after.as_mut() {
        map.insert("trainer_ids".into(), serde_json::json!(new.trainer_ids));
    }
    write.audit("workshop", created.id, "create", None, after);
    write.commit().await?;
    let days = days_of(&created, &course);
    Ok(WorkshopView {
        workshop: created,
        course,
        trainer_ids: new.trainer_ids,
        days,
    })
}

async fn set_trainers(
    db: &impl ConnectionTrait,
    workshop_id: i64,
    trainer_ids: &[i64],
) -> Result<()> {
    workshop_trainer::Entity::delete_many()
        .filter(workshop_trainer::Column::WorkshopId.eq(workshop_id))
        .exec(db)
        .await?;
    if !trainer_ids.is_empty() {
        let rows = trainer_ids
            .iter()
            .map(|&user_id| workshop_trainer::ActiveModel {
                workshop_id: Set(workshop_id),
                user_id: Set(user_id),
            });
        workshop_trainer::Entity::insert_many(rows).exec(db).await?;
    }
    Ok(())
}

/// Changes a workshop that has not finished. Capacity may not drop below the seats taken; more
/// capacity gives seats to the waitlist at once, in order (each promoted participant is told by
/// mail).
pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    changes: WorkshopChanges,
    public_url: &str,
) -> Result<WorkshopView> {
    let mut write = WorkshopWrite::begin(db, actor, id).await?;
    let current = write.workshop().clone();
    if matches!(current.status, Status::Completed | Status::Cancelled) {
        return Err(Error::Conflict(format!(
            "workshop {id} has finished and can no longer be changed"
        )));
    }
    let txn = write.txn();
    let mut errors = Vec::new();
    let venue = changes
        .venue
        .map(|v| clean_text("venue", &v, 200, &mut errors));
    let ward = changes
        .ward
        .map(|w| w.map(|w| w.trim().to_owned()).filter(|w| !w.is_empty()));
    if let Some(Err(message)) = changes.capacity.map(check_capacity) {
        errors.push(FieldError::new("capacity", message));
    }
    if let Some(org) = changes.organisation_id {
        check_organisation(txn, org, &mut errors).await?;
    }
    if let Some(trainers) = &changes.trainer_ids {
        check_trainers(txn, trainers, &mut errors).await?;
    }
    let course = course::Entity::find_by_id(current.course_id)
        .one(txn)
        .await?
        .ok_or(Error::NotFound {
            entity: "course",
            id: current.course_id,
        })?;
    let mut new_dates = None;
    if let Some(start) = changes.start_date.filter(|s| *s != current.start_date) {
        if current.status != Status::Scheduled {
            return Err(Error::Conflict(
                "the dates of a workshop that has started cannot change".into(),
            ));
        }
        match super::holidays::layout(txn, start, current.duration_days as u32).await? {
            Ok(dates) => new_dates = Some((start, dates)),
            Err(refusal) => errors.push(FieldError::new("start_date", refusal.to_string())),
        }
    }
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    // The trainers must be certified on the (new) first day: recheck when either changes.
    if current.level != Level::Tot && (changes.trainer_ids.is_some() || new_dates.is_some()) {
        let trainers = match &changes.trainer_ids {
            Some(trainers) => trainers.clone(),
            None => trainer_ids_of(txn, id).await?,
        };
        let start = new_dates
            .as_ref()
            .map_or(current.start_date, |(start, _)| *start);
        let problems = super::trainers::uncertified(txn, &course, &trainers, start).await?;
        if !problems.is_empty() {
            return Err(Error::Conflict(problems.join("; ")));
        }
    }
    if let Some(capacity) = changes.capacity {
        check_capacity_change(capacity, current.seats_taken).map_err(Error::Conflict)?;
    }
    let before = audit::snapshot(&current);
    let updated = write
        .update(|model| {
            if let Some(v) = venue {
                model.venue = Set(v);
            }
            if let Some(w) = ward {
                model.ward = Set(w);
            }
            if let Some(org) = changes.organisation_id {
                model.organisation_id = Set(org);
            }
            if let Some((start, dates)) = &new_dates {
                model.start_date = Set(*start);
                model.end_date = Set(*dates.last().unwrap_or(start));
                model.day_dates = Set(workshop::Model::encode_dates(dates));
            }
            if let Some(capacity) = changes.capacity {
                model.capacity = Set(capacity);
            }
            if let Some(public) = changes.public {
                model.public = Set(public);
            }
        })
        .await?;
    let after = audit::snapshot(updated);
    if let Some(trainers) = &changes.trainer_ids {
        set_trainers(write.txn(), id, trainers).await?;
    }
    write.audit("workshop", id, "update", before, after);
    // New seats go to the waitlist, first come first served.
    let promoted = write.fill_from_waitlist().await?;
    for p in &promoted {
        participant_mail::notify(
            write.txn(),
            entity::email_outbox::EmailKind::Promotion,
            p,
            None,
            public_url,
        )
        .await?;
    }
    write.commit().await?;
    get(db, id).await
}

/// Moves a workshop through its life: start, complete or cancel. Cancelling tells everyone
/// enrolled or waitlisted by mail; completing asks everyone who attended to evaluate it.
pub async fn change_status(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    change: Transition,
    public_url: &str,
) -> Result<WorkshopView> {
    let mut write = WorkshopWrite::begin(db, actor, id).await?;
    let current = write.workshop().clone();
    let next = transition(current.status, change, current.end_date, local_today())
        .map_err(Error::Conflict)?;
    let before = audit::snapshot(&current);
    let updated = write.update(|model| model.status = Set(next)).await?;
    let after = audit::snapshot(updated);
    write.audit("workshop", id, change.past_tense(), before, after);
    match next {
        Status::Cancelled => {
            participant_mail::workshop_cancelled(write.txn(), id, public_url).await?;
        }
        Status::Completed => {
            participant_mail::workshop_completed(write.txn(), id, public_url).await?;
        }
        _ => {}
    }
    write.commit().await?;
    get(db, id).await
}
