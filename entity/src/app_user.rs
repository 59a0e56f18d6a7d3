//! A user account: an administrator, a trainer or a participant who logs in.

use sea_orm::entity::prelude::*;
use serde::Serialize;

/// What a user may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize)]
#[serde(rename_all = "snake_case")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum Role {
    #[sea_orm(string_value = "admin")]
    Admin,
    #[sea_orm(string_value = "trainer")]
    Trainer,
    #[sea_orm(string_value = "participant")]
    Participant,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "app_user")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    /// Lower-cased, unique.
    #[sea_orm(unique)]
    pub email: String,
    pub role: Role,
    /// argon2id PHC string.
    #[serde(skip)]
    pub password_hash: String,
    /// The participant record this account belongs to (for participants, and trainers who
    /// were trained in a ToT workshop).
    #[sea_orm(unique)]
    pub participant_id: Option<i64>,
    pub created_at: DateTimeUtc,
    /// When the account was deactivated; a deactivated account cannot log in and has no live
    /// sessions. `None` for an active account.
    pub deactivated_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::session::Entity")]
    Session,
}

impl Related<super::session::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Session.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
