//! A course IWSD teaches, such as CSSD or Customer Care.

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "course")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub code: String,
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub description: String,
    pub duration_days: i32,
    /// The topics in teaching order, as a JSON array of strings.
    pub topics: Json,
    pub pass_mark: i32,
    pub min_attendance_days: i32,
    /// How long a ToT certificate of this course entitles its holder to train others, counted
    /// from the last day of the ToT workshop; null: for good.
    pub trainer_certificate_valid_months: Option<i32>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

impl Model {
    /// The topics as strings (the column holds a JSON array of strings).
    pub fn topic_list(&self) -> Vec<String> {
        serde_json::from_value(self.topics.clone()).unwrap_or_default()
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
