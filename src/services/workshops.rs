//! Workshops: scheduling, the cascade's parent rules, trainers, capacity and status.

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use entity::{
    app_user::{self, Role},
    course, enrolment,
    enrolment::EnrolmentStatus,
    organisation,
    workshop::{self, Level, Status},
    workshop_trainer,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, FromQueryResult, IdenStatic, IntoActiveModel, Iterable, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Statement,
};

use super::{Page, PageRequest, audit, participant_mail, tallies};
use crate::{
    db::begin_write,
    domain::{
        Error, FieldError, Result,
        access::Actor,
        clean_text,
        schedule::{local_today, spread_topics},
        workshop::{MAX_CAPACITY, Transition, level_name, parent_level, transition},
    },
};

/// One day of a workshop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkshopDay {
    /// 1-based.
    pub day: i32,
    pub date: NaiveDate,
    pub topics: Vec<String>,
}

/// A workshop with what it is read with: its course, trainers and days.
#[derive(Debug, Clone)]
pub struct WorkshopView {
    pub workshop: workshop::Model,
    pub course: course::Model,
    pub trainer_ids: Vec<i64>,
    pub days: Vec<WorkshopDay>,
}

/// The days of a workshop as fixed when it was scheduled, with the course's topics spread over
/// them.
pub fn days_of(workshop: &workshop::Model, course: &course::Model) -> Vec<WorkshopDay> {
    let dates = workshop.dates();
    let topics = spread_topics(&course.topic_list(), dates.len());
    dates
        .into_iter()
        .zip(topics)
        .enumerate()
        .map(|(i, (date, topics))| WorkshopDay {
            day: i as i32 + 1,
            date,
            topics,
        })
        .collect()
}

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
}

fn check_capacity(capacity: i32, errors: &mut Vec<FieldError>) {
    if !(1..=MAX_CAPACITY).contains(&capacity) {
        errors.push(FieldError::new(
            "capacity",
            format!("must be between 1 and {MAX_CAPACITY}"),
        ));
    }
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

/// The cascade rule for the parent: a cascade workshop follows a completed ToT workshop of the
/// same course, a community workshop a completed cascade one; a ToT workshop has no parent.
pub(crate) async fn check_parent(
    db: &impl ConnectionTrait,
    level: Level,
    course_id: i64,
    parent_id: Option<i64>,
    errors: &mut Vec<FieldError>,
) -> Result<Option<String>> {
    match (parent_level(level), parent_id) {
        (None, None) => Ok(None),
        (None, Some(_)) => {
            errors.push(FieldError::new(
                "parent_workshop_id",
                "a ToT workshop has no parent workshop",
            ));
            Ok(None)
        }
        (Some(needed), None) => {
            errors.push(FieldError::new(
                "parent_workshop_id",
                format!(
                    "a {} workshop needs its parent {} workshop",
                    level_name(level),
                    level_name(needed)
                ),
            ));
            Ok(None)
        }
        (Some(needed), Some(pid)) => {
            let Some(parent) = workshop::Entity::find_by_id(pid).one(db).await? else {
                errors.push(FieldError::new(
                    "parent_workshop_id",
                    format!("workshop {pid} does not exist"),
                ));
                return Ok(None);
            };
            let conflict = if parent.level != needed {
                Some(format!(
                    "a {} workshop's parent must be a {} workshop; workshop {pid} is a {} workshop",
                    level_name(level),
                    level_name(needed),
                    level_name(parent.level)
                ))
            } else if parent.course_id != course_id {
                Some(format!("parent workshop {pid} teaches another course"))
            } else if parent.status != Status::Completed {
                Some(format!("parent workshop {pid} has not been completed"))
            } else {
                None
            };
            Ok(conflict)
        }
    }
}

/// Schedules a workshop: lays out its days, checks the cascade, assigns its trainers.
pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    new: NewWorkshop,
) -> Result<WorkshopView> {
    let mut errors = Vec::new();
    let venue = clean_text("venue", &new.venue, 200, &mut errors);
    let ward = new
        .ward
        .map(|w| w.trim().to_owned())
        .filter(|w| !w.is_empty());
    if let Some(w) = &ward {
        clean_text("ward", w, 64, &mut errors);
    }
    let capacity = new.capacity.unwrap_or(MAX_CAPACITY);
    check_capacity(capacity, &mut errors);
    let txn = begin_write(db).await?;
    let course = course::Entity::find_by_id(new.course_id).one(&txn).await?;
    if course.is_none() {
        errors.push(FieldError::new(
            "course_id",
            format!("course {} does not exist", new.course_id),
        ));
    }
    let duration = course.as_ref().map_or(5, |c| c.duration_days);
    let dates = match super::holidays::layout(&txn, new.start_date, duration as u32).await? {
        Ok(dates) => Some(dates),
        Err(refusal) => {
            errors.push(FieldError::new("start_date", refusal.to_string()));
            None
        }
    };
    check_organisation(&txn, new.organisation_id, &mut errors).await?;
    check_trainers(&txn, &new.trainer_ids, &mut errors).await?;
    let parent_conflict = check_parent(
        &txn,
        new.level,
        new.course_id,
        new.parent_workshop_id,
        &mut errors,
    )
    .await?;
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    if let Some(conflict) = parent_conflict {
        return Err(Error::Conflict(conflict));
    }
    if let Some(course) = &course
        && new.level != Level::Tot
    {
        let problems =
            super::trainers::uncertified(&txn, course, &new.trainer_ids, new.start_date).await?;
        if !problems.is_empty() {
            return Err(Error::Conflict(problems.join("; ")));
        }
    }
    let (Some(course), Some(dates)) = (course, dates) else {
        return Err(Error::Invalid(errors));
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
        seats_taken: Set(0),
        waitlist_count: Set(0),
        status: Set(Status::Scheduled),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    let created = workshop::Entity::insert(row)
        .exec_with_returning(&txn)
        .await?;
    set_trainers(&txn, created.id, &new.trainer_ids).await?;
    let mut after = audit::snapshot(&created);
    if let Some(serde_json::Value::Object(map)) = after.as_mut() {
        map.insert("trainer_ids".into(), serde_json::json!(new.trainer_ids));
    }
    audit::record(&txn, actor, "workshop", created.id, "create", None, after).await?;
    tallies::refresh_workshop(&txn, created.id).await?;
    txn.commit().await?;
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

/// The trainers of a workshop, by user id.
async fn trainer_ids_of(db: &impl ConnectionTrait, workshop_id: i64) -> Result<Vec<i64>> {
    Ok(workshop_trainer::Entity::find()
        .filter(workshop_trainer::Column::WorkshopId.eq(workshop_id))
        .order_by_asc(workshop_trainer::Column::UserId)
        .all(db)
        .await?
        .into_iter()
        .map(|t| t.user_id)
        .collect())
}

/// One workshop by id.
pub async fn get_model(db: &impl ConnectionTrait, id: i64) -> Result<workshop::Model> {
    workshop::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(Error::NotFound {
            entity: "workshop",
            id,
        })
}

/// Whether `user_id` is one of the workshop's trainers.
pub async fn is_trainer_of(
    db: &impl ConnectionTrait,
    workshop_id: i64,
    user_id: i64,
) -> Result<bool> {
    Ok(workshop_trainer::Entity::find_by_id((workshop_id, user_id))
        .one(db)
        .await?
        .is_some())
}

/// `alias."column" AS "prefix column"` for every column of an entity, so that one joined row
/// can be read back as several models with `FromQueryResult` and a prefix.
fn prefixed_columns<E: EntityTrait>(alias: &str, prefix: &str) -> String {
    E::Column::iter()
        .map(|c| {
            let name = c.as_str();
            format!("{alias}.\"{name}\" AS \"{prefix}{name}\"")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// One workshop with its course, trainers and days.
///
/// One statement (the most-read path of the API): the workshop joined with its course, one row
/// per trainer.
pub async fn get(db: &impl ConnectionTrait, id: i64) -> Result<WorkshopView> {
    static SQL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let sql = SQL.get_or_init(|| {
        format!(
            "SELECT {}, {}, t.user_id AS trainer_id FROM workshop w \
             JOIN course c ON c.id = w.course_id \
             LEFT JOIN workshop_trainer t ON t.workshop_id = w.id \
             WHERE w.id = $1 ORDER BY t.user_id",
            prefixed_columns::<workshop::Entity>("w", "w_"),
            prefixed_columns::<course::Entity>("c", "c_"),
        )
    });
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            db.get_database_backend(),
            sql.as_str(),
            [id.into()],
        ))
        .await?;
    let first = rows.first().ok_or(Error::NotFound {
        entity: "workshop",
        id,
    })?;
    let workshop = workshop::Model::from_query_result(first, "w_")?;
    let course = course::Model::from_query_result(first, "c_")?;
    let mut trainer_ids = Vec::with_capacity(rows.len());
    for row in &rows {
        if let Some(trainer) = row.try_get::<Option<i64>>("", "trainer_id")? {
            trainer_ids.push(trainer);
        }
    }
    let days = days_of(&workshop, &course);
    Ok(WorkshopView {
        workshop,
        course,
        trainer_ids,
        days,
    })
}

async fn views_of(
    db: &impl ConnectionTrait,
    workshops: Vec<workshop::Model>,
) -> Result<Vec<WorkshopView>> {
    let course_ids: Vec<i64> = workshops.iter().map(|w| w.course_id).collect();
    let courses: HashMap<i64, course::Model> = course::Entity::find()
        .filter(course::Column::Id.is_in(course_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let mut trainers: HashMap<i64, Vec<i64>> = HashMap::new();
    for t in workshop_trainer::Entity::find()
        .filter(workshop_trainer::Column::WorkshopId.is_in(workshops.iter().map(|w| w.id)))
        .order_by_asc(workshop_trainer::Column::UserId)
        .all(db)
        .await?
    {
        trainers.entry(t.workshop_id).or_default().push(t.user_id);
    }
    workshops
        .into_iter()
        .map(|w| {
            let course = courses.get(&w.course_id).cloned().ok_or(Error::NotFound {
                entity: "course",
                id: w.course_id,
            })?;
            let days = days_of(&w, &course);
            let trainer_ids = trainers.remove(&w.id).unwrap_or_default();
            Ok(WorkshopView {
                workshop: w,
                course,
                trainer_ids,
                days,
            })
        })
        .collect()
}

/// Filters of the workshop list.
#[derive(Debug, Clone, Default)]
pub struct WorkshopFilter {
    pub course_id: Option<i64>,
    pub level: Option<Level>,
    pub status: Option<Status>,
    /// Workshops starting on or after this date.
    pub from: Option<NaiveDate>,
    /// Workshops starting on or before this date.
    pub to: Option<NaiveDate>,
    pub organisation_id: Option<i64>,
    pub trainer_id: Option<i64>,
}

/// Workshops by start date.
pub async fn list(
    db: &impl ConnectionTrait,
    filter: WorkshopFilter,
    page: PageRequest,
) -> Result<Page<WorkshopView>> {
    let mut query = workshop::Entity::find();
    if let Some(id) = filter.course_id {
        query = query.filter(workshop::Column::CourseId.eq(id));
    }
    if let Some(level) = filter.level {
        query = query.filter(workshop::Column::Level.eq(level));
    }
    if let Some(status) = filter.status {
        query = query.filter(workshop::Column::Status.eq(status));
    }
    if let Some(from) = filter.from {
        query = query.filter(workshop::Column::StartDate.gte(from));
    }
    if let Some(to) = filter.to {
        query = query.filter(workshop::Column::StartDate.lte(to));
    }
    if let Some(org) = filter.organisation_id {
        query = query.filter(workshop::Column::OrganisationId.eq(org));
    }
    if let Some(trainer) = filter.trainer_id {
        use sea_orm::sea_query::Query;
        query = query.filter(
            workshop::Column::Id.in_subquery(
                Query::select()
                    .column(workshop_trainer::Column::WorkshopId)
                    .from(workshop_trainer::Entity)
                    .and_where(workshop_trainer::Column::UserId.eq(trainer))
                    .to_owned(),
            ),
        );
    }
    let total = query.clone().count(db).await?;
    let items = query
        .order_by_asc(workshop::Column::StartDate)
        .order_by_asc(workshop::Column::Id)
        .limit(page.limit)
        .offset(page.offset)
        .all(db)
        .await?;
    Ok(Page {
        items: views_of(db, items).await?,
        total,
    })
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
    let txn = begin_write(db).await?;
    let current = super::workshop_lock::lock(&txn, id).await?;
    if matches!(current.status, Status::Completed | Status::Cancelled) {
        return Err(Error::Conflict(format!(
            "workshop {id} has finished and can no longer be changed"
        )));
    }
    let mut errors = Vec::new();
    let venue = changes
        .venue
        .map(|v| clean_text("venue", &v, 200, &mut errors));
    let ward = changes
        .ward
        .map(|w| w.map(|w| w.trim().to_owned()).filter(|w| !w.is_empty()));
    if let Some(capacity) = changes.capacity {
        check_capacity(capacity, &mut errors);
    }
    if let Some(org) = changes.organisation_id {
        check_organisation(&txn, org, &mut errors).await?;
    }
    if let Some(trainers) = &changes.trainer_ids {
        check_trainers(&txn, trainers, &mut errors).await?;
    }
    let course = course::Entity::find_by_id(current.course_id)
        .one(&txn)
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
        match super::holidays::layout(&txn, start, current.duration_days as u32).await? {
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
            None => trainer_ids_of(&txn, id).await?,
        };
        let start = new_dates
            .as_ref()
            .map_or(current.start_date, |(start, _)| *start);
        let problems = super::trainers::uncertified(&txn, &course, &trainers, start).await?;
        if !problems.is_empty() {
            return Err(Error::Conflict(problems.join("; ")));
        }
    }
    if let Some(capacity) = changes.capacity
        && capacity < current.seats_taken
    {
        return Err(Error::Conflict(format!(
            "capacity cannot drop to {capacity}: {} participants are already enrolled",
            current.seats_taken
        )));
    }
    let before = audit::snapshot(&current);
    let mut model = current.clone().into_active_model();
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
    model.updated_at = Set(Utc::now());
    let mut updated = model.update(&txn).await?;
    if let Some(trainers) = &changes.trainer_ids {
        set_trainers(&txn, id, trainers).await?;
    }
    audit::record(
        &txn,
        actor,
        "workshop",
        id,
        "update",
        before,
        audit::snapshot(&updated),
    )
    .await?;
    // New seats go to the waitlist, first come first served.
    let mut promoted = Vec::new();
    while updated.seats_taken < updated.capacity && updated.waitlist_count > 0 {
        let (workshop, next) = super::enrolments::promote_next(&txn, actor, updated).await?;
        updated = workshop;
        promoted.extend(next);
    }
    // Promotions move the seat counts; a new date or organisation moves repeat seats.
    tallies::refresh_workshop(&txn, id).await?;
    for p in &promoted {
        participant_mail::notify(
            &txn,
            entity::email_outbox::EmailKind::Promotion,
            p,
            None,
            public_url,
        )
        .await?;
    }
    txn.commit().await?;
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
    let txn = begin_write(db).await?;
    let current = super::workshop_lock::lock(&txn, id).await?;
    let next = transition(current.status, change, current.end_date, local_today())
        .map_err(Error::Conflict)?;
    let before = audit::snapshot(&current);
    let mut model = current.into_active_model();
    model.status = Set(next);
    model.updated_at = Set(Utc::now());
    let updated = model.update(&txn).await?;
    audit::record(
        &txn,
        actor,
        "workshop",
        id,
        change.past_tense(),
        before,
        audit::snapshot(&updated),
    )
    .await?;
    match next {
        Status::Cancelled => {
            participant_mail::workshop_cancelled(&txn, id, public_url).await?;
        }
        Status::Completed => {
            participant_mail::workshop_completed(&txn, id, public_url).await?;
        }
        _ => {}
    }
    txn.commit().await?;
    get(db, id).await
}

/// Counts of a workshop's enrolments by status (for checks and reports).
pub async fn enrolment_counts(db: &impl ConnectionTrait, workshop_id: i64) -> Result<(u64, u64)> {
    let enrolled = enrolment::Entity::find()
        .filter(enrolment::Column::WorkshopId.eq(workshop_id))
        .filter(enrolment::Column::Status.eq(EnrolmentStatus::Enrolled))
        .count(db)
        .await?;
    let waitlisted = enrolment::Entity::find()
        .filter(enrolment::Column::WorkshopId.eq(workshop_id))
        .filter(enrolment::Column::Status.eq(EnrolmentStatus::Waitlisted))
        .count(db)
        .await?;
    Ok((enrolled, waitlisted))
}
