//! The one read every writing service starts with: the workshop row, locked for the rest of the
//! transaction. Kept apart from `workshops` so that the services it calls (enrolments, for
//! promotion) can lock a workshop without importing `workshops` back.

use entity::workshop;
use sea_orm::{ConnectionTrait, EntityTrait};

use crate::{
    db::lock_for_update,
    domain::{Error, Result},
};

/// A workshop read inside a writing transaction, locked against other writers until it ends
/// (`FOR UPDATE` on PostgreSQL; SQLite's write lock is already held, see `db::begin_write`).
pub async fn lock(txn: &impl ConnectionTrait, id: i64) -> Result<workshop::Model> {
    lock_for_update(workshop::Entity::find_by_id(id), txn.get_database_backend())
        .one(txn)
        .await?
        .ok_or(Error::NotFound {
            entity: "workshop",
            id,
        })
}
