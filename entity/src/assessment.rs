//! A participant's score in one assessment of a workshop.

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize)]
#[serde(rename_all = "snake_case")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum AssessmentKind {
    #[sea_orm(string_value = "pre_test")]
    PreTest,
    #[sea_orm(string_value = "post_test")]
    PostTest,
    #[sea_orm(string_value = "practical")]
    Practical,
}

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "assessment")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub enrolment_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub kind: AssessmentKind,
    pub score: f64,
    pub max_score: f64,
    pub recorded_by: String,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
