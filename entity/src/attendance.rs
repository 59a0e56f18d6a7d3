//! Whether an enrolled participant attended one day of a workshop.

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize)]
#[serde(rename_all = "snake_case")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum AttendanceStatus {
    #[sea_orm(string_value = "present")]
    Present,
    #[sea_orm(string_value = "absent")]
    Absent,
    /// Came late: counts as attended.
    #[sea_orm(string_value = "late")]
    Late,
    /// Absent with a reason: does not count as attended.
    #[sea_orm(string_value = "excused")]
    Excused,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "attendance")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub enrolment_id: i64,
    /// 1-based day of the workshop.
    #[sea_orm(primary_key, auto_increment = false)]
    pub day: i32,
    pub status: AttendanceStatus,
    /// When the trainer marked it (on their device): the newer mark wins.
    pub marked_at: DateTimeUtc,
    /// Who sent the mark (user email or key name).
    pub recorded_by: String,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
