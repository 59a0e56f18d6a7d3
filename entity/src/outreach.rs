//! One meeting a certified participant held with their constituency: headcounts, no names.

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "outreach")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Who held the meeting.
    pub participant_id: i64,
    /// The workshop whose certificate they hold and whose course they passed on.
    pub workshop_id: i64,
    pub held_on: Date,
    pub venue: String,
    pub ward: Option<String>,
    /// A JSON array of the course topics covered.
    #[sea_orm(column_type = "Text")]
    pub topics: String,
    pub female: i32,
    pub male: i32,
    pub other: i32,
    pub undisclosed: i32,
    #[sea_orm(column_name = "under_18")]
    pub under_18: Option<i32>,
    #[sea_orm(column_name = "age_18_35")]
    pub age_18_35: Option<i32>,
    #[sea_orm(column_name = "age_36_59")]
    pub age_36_59: Option<i32>,
    #[sea_orm(column_name = "age_60_plus")]
    pub age_60_plus: Option<i32>,
    /// The attendees' sum.
    pub people_reached: i32,
    /// Who recorded it (user email or key name).
    pub recorded_by: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
