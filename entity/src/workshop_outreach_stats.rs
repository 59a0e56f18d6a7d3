//! A workshop's outreach figures: the meetings its certified participants held and the people
//! they reached, recounted in the transaction that records a meeting.

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "workshop_outreach_stats")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub workshop_id: i64,
    pub sessions: i64,
    pub people_reached: i64,
    pub female: i64,
    pub male: i64,
    pub other: i64,
    pub undisclosed: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
