//! A public holiday (or a one-off day off, such as a national day of mourning): no workshop
//! day falls on one.

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "public_holiday")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// One holiday per date.
    #[sea_orm(unique)]
    pub date: Date,
    pub name: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
