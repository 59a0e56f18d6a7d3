//! Reading workshops: one with its course, trainers and days, the list, and who trains them.
//! (The commands that change them read through this module, never the other way round; both
//! are re-exported by `workshops`.)

use std::collections::HashMap;

use chrono::NaiveDate;
use entity::{
    course, enrolment,
    enrolment::EnrolmentStatus,
    workshop::{self, Level, Status},
    workshop_trainer,
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, IdenStatic, Iterable,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Statement,
};

use super::{Page, PageRequest};
use crate::domain::{Error, Result, schedule::spread_topics};

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

/// The trainers of a workshop, by user id.
pub async fn trainer_ids_of(db: &impl ConnectionTrait, workshop_id: i64) -> Result<Vec<i64>> {
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

/// How many of a workshop's enrolments hold a seat and how many wait (a recount of
/// `seats_taken` and `waitlist_count`, which the tests compare them with).
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
