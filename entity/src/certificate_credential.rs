//! What a certificate's digital credential states beyond the printed snapshot: its entry in a
//! status list, the salted hash of the holder's email, and the achievement details as of issue.

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "certificate_credential")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub certificate_id: i64,
    pub status_list_id: i64,
    pub status_list_index: i32,
    /// The salt of `recipient_email_hash` (published in the credential, as OB 3.0 requires).
    pub recipient_salt: String,
    /// `sha256$<hex>` of the email address followed by the salt; none without an address.
    pub recipient_email_hash: Option<String>,
    /// The course topics as of issue, a JSON array of strings.
    #[sea_orm(column_type = "Text")]
    pub topics: String,
    /// The course length as of issue.
    pub duration_days: i32,
    /// What the holder had to do, in words.
    #[sea_orm(column_type = "Text")]
    pub criteria: String,
    pub lead_trainer_name: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
