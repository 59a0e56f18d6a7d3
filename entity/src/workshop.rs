//! One offering of a course: a five-day workshop at a venue, with trainers and seats.

use sea_orm::entity::prelude::*;
use serde::Serialize;

/// Where a workshop sits in the Training-of-Trainers cascade.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize)]
#[serde(rename_all = "snake_case")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum Level {
    /// Training of Trainers, run by IWSD for council supervisors and community champions.
    #[sea_orm(string_value = "tot")]
    Tot,
    /// Run by newly certified trainers for community representatives.
    #[sea_orm(string_value = "cascade")]
    Cascade,
    /// Run by community representatives for their constituencies.
    #[sea_orm(string_value = "community")]
    Community,
}

/// Where a workshop is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize)]
#[serde(rename_all = "snake_case")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum Status {
    #[sea_orm(string_value = "scheduled")]
    Scheduled,
    #[sea_orm(string_value = "in_progress")]
    InProgress,
    #[sea_orm(string_value = "completed")]
    Completed,
    #[sea_orm(string_value = "cancelled")]
    Cancelled,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "workshop")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub course_id: i64,
    pub level: Level,
    pub parent_workshop_id: Option<i64>,
    pub venue: String,
    pub organisation_id: Option<i64>,
    pub ward: Option<String>,
    pub start_date: Date,
    /// The last teaching day (working days from `start_date`).
    pub end_date: Date,
    /// The course's length when the workshop was scheduled.
    pub duration_days: i32,
    /// The teaching days, fixed when the workshop was scheduled or its start date last changed:
    /// `YYYY-MM-DD` dates joined by commas, in order (see `Model::dates`).
    #[sea_orm(column_type = "Text")]
    pub day_dates: String,
    pub capacity: i32,
    /// Enrolled participants; kept in step with the enrolments in the same transaction, and
    /// checked against `capacity` by the database.
    pub seats_taken: i32,
    pub waitlist_count: i32,
    pub status: Status,
    /// Listed in the public catalogue, where people can apply for a place.
    pub public: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

impl Model {
    /// The stored teaching days, in order.
    pub fn dates(&self) -> Vec<Date> {
        self.day_dates
            .split(',')
            .filter_map(|d| d.parse().ok())
            .collect()
    }

    /// The form `day_dates` stores `dates` in.
    pub fn encode_dates(dates: &[Date]) -> String {
        dates
            .iter()
            .map(Date::to_string)
            .collect::<Vec<_>>()
            .join(",")
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
