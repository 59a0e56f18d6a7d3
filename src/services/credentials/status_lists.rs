//! Bitstring status lists: handing out entries, setting a revoked (or superseded)
//! certificate's bit, and rebuilding a list from the certificates themselves.

use chrono::Utc;
use entity::{certificate, certificate::CertificateStatus, certificate_credential, status_list};
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
    QuerySelect,
    sea_query::{Expr, ExprTrait},
};

use crate::{
    db::lock_for_update,
    domain::{
        Error, Result,
        status_list::{Bitstring, LIST_SIZE, PURPOSE_REVOCATION},
    },
};

use super::internal;

/// Hands out `count` entries of the open status list (opening a new list when it is full).
pub(super) async fn allocate_entries(
    db: &impl ConnectionTrait,
    count: usize,
) -> Result<Vec<(i64, i32)>> {
    let mut entries = Vec::with_capacity(count);
    while entries.len() < count {
        let query = status_list::Entity::find()
            .filter(
                Expr::col(status_list::Column::NextIndex).lt(Expr::col(status_list::Column::Size)),
            )
            .order_by_desc(status_list::Column::Id);
        let open = lock_for_update(query, db.get_database_backend())
            .one(db)
            .await?;
        let list = match open {
            Some(list) => list,
            None => {
                status_list::ActiveModel {
                    purpose: Set(PURPOSE_REVOCATION.into()),
                    size: Set(LIST_SIZE as i32),
                    next_index: Set(0),
                    bits: Set(Bitstring::new(LIST_SIZE).as_bytes().to_vec()),
                    updated_at: Set(Utc::now()),
                    ..Default::default()
                }
                .insert(db)
                .await?
            }
        };
        let take = (count - entries.len()).min((list.size - list.next_index) as usize) as i32;
        entries.extend((list.next_index..list.next_index + take).map(|i| (list.id, i)));
        let next = list.next_index + take;
        let mut active = list.into_active_model();
        active.next_index = Set(next);
        active.update(db).await?;
    }
    Ok(entries)
}

pub(super) async fn set_bits(
    db: &impl ConnectionTrait,
    list_id: i64,
    indices: &[i32],
) -> Result<()> {
    let query = status_list::Entity::find_by_id(list_id);
    let Some(list) = lock_for_update(query, db.get_database_backend())
        .one(db)
        .await?
    else {
        return Err(internal(format!("status list {list_id} is missing")));
    };
    let mut bits = Bitstring::from_bytes(list.bits.clone());
    for &i in indices {
        bits.set(i as usize, true);
    }
    let mut active = list.into_active_model();
    active.bits = Set(bits.as_bytes().to_vec());
    active.updated_at = Set(Utc::now());
    active.update(db).await?;
    Ok(())
}

/// Sets a revoked (or superseded) certificate's bit in its status list, in the revoking transaction.
pub async fn mark_revoked(db: &impl ConnectionTrait, certificate_id: i64) -> Result<()> {
    let Some(row) = certificate_credential::Entity::find_by_id(certificate_id)
        .one(db)
        .await?
    else {
        // Only possible between a migration and the start-up backfill; the backfill sets it.
        return Ok(());
    };
    set_bits(db, row.status_list_id, &[row.status_list_index]).await
}

/// Recomputes a status list from the certificates themselves (every revoked one's bit set,
/// every other bit clear) and stores it. Returns how many bits are set.
pub async fn rebuild_status_list(db: &impl ConnectionTrait, list_id: i64) -> Result<usize> {
    let revoked: Vec<i32> = certificate_credential::Entity::find()
        .select_only()
        .column(certificate_credential::Column::StatusListIndex)
        .inner_join_certificate()
        .filter(certificate_credential::Column::StatusListId.eq(list_id))
        .filter(certificate::Column::Status.ne(CertificateStatus::Valid))
        .into_tuple()
        .all(db)
        .await?;
    let list = status_list::Entity::find_by_id(list_id)
        .one(db)
        .await?
        .ok_or(Error::NotFound {
            entity: "status list",
            id: list_id,
        })?;
    let mut bits = Bitstring::new(list.size as usize);
    for &i in &revoked {
        bits.set(i as usize, true);
    }
    let mut active = list.into_active_model();
    active.bits = Set(bits.as_bytes().to_vec());
    active.updated_at = Set(Utc::now());
    active.update(db).await?;
    Ok(revoked.len())
}

trait JoinCertificate {
    fn inner_join_certificate(self) -> Self;
}

impl<S: QuerySelect> JoinCertificate for S {
    fn inner_join_certificate(self) -> Self {
        self.join(
            sea_orm::JoinType::InnerJoin,
            certificate_credential::Entity::belongs_to(certificate::Entity)
                .from(certificate_credential::Column::CertificateId)
                .to(certificate::Column::Id)
                .into(),
        )
    }
}
