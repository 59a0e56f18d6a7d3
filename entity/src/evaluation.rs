//! A participant's evaluation of a workshop: one per participant and workshop.

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "evaluation")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub workshop_id: i64,
    pub participant_id: i64,
    pub enrolment_id: i64,
    /// 1..=5 each.
    pub overall: i32,
    pub trainers: i32,
    pub venue: i32,
    pub materials: i32,
    /// A JSON object: course topic → rating 1..=5.
    #[sea_orm(column_type = "Text")]
    pub topic_ratings: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub most_useful: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub suggestions: Option<String>,
    /// Who entered it (the participant's account, or the admin typing in a paper form).
    pub entered_by: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
