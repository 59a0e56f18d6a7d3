//! A W3C Bitstring Status List: one bit per credential, set when the credential is revoked.

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "status_list")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// `revocation`.
    pub purpose: String,
    /// Entries in the list (bits).
    pub size: i32,
    /// The next index to hand out; the list is full when it reaches `size`.
    pub next_index: i32,
    /// The bitstring, uncompressed; bit 0 is the most significant bit of the first byte.
    #[serde(skip)]
    pub bits: Vec<u8>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
