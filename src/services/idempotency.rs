//! Stored first responses of creating requests sent with an `Idempotency-Key`.

use chrono::{Duration, Utc};
use entity::idempotency_record;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter,
};

use crate::domain::Result;

/// How long a `pending` record blocks retries before it is taken to be abandoned (the first
/// request crashed).
pub const PENDING_TIMEOUT_SECONDS: i64 = 60;

/// How long a finished record is kept (and replayed); older ones are purged.
pub const RECORD_LIFETIME_HOURS: i64 = 24;

/// Deletes records older than [`RECORD_LIFETIME_HOURS`]; returns how many.
pub async fn purge_expired(db: &DatabaseConnection) -> Result<u64> {
    let cutoff = Utc::now() - Duration::hours(RECORD_LIFETIME_HOURS);
    let deleted = idempotency_record::Entity::delete_many()
        .filter(idempotency_record::Column::CreatedAt.lt(cutoff))
        .exec(db)
        .await?;
    Ok(deleted.rows_affected)
}

/// What a request with a key should do.
#[derive(Debug)]
pub enum Claim {
    /// First time: run it (the record is now `pending`, with this id).
    Run(i64),
    /// Already answered: send this response again.
    Replay {
        status: u16,
        content_type: Option<String>,
        body: Vec<u8>,
    },
    /// The same key is being used right now by a request that has not finished.
    InProgress,
    /// The key was used before with a different request.
    Mismatch,
}

/// Claims `key` for this request, or says what happened to it before.
pub async fn claim(
    db: &DatabaseConnection,
    scope: &str,
    key: &str,
    request_hash: &str,
) -> Result<Claim> {
    for _ in 0..3 {
        let existing = idempotency_record::Entity::find()
            .filter(idempotency_record::Column::Scope.eq(scope))
            .filter(idempotency_record::Column::Key.eq(key))
            .one(db)
            .await?;
        match existing {
            Some(expired)
                if expired.created_at < Utc::now() - Duration::hours(RECORD_LIFETIME_HOURS) =>
            {
                idempotency_record::Entity::delete_by_id(expired.id)
                    .exec(db)
                    .await?;
            }
            Some(r) if r.request_hash != request_hash => return Ok(Claim::Mismatch),
            Some(r) if r.status == "done" => {
                return Ok(Claim::Replay {
                    status: r.response_status.unwrap_or(200) as u16,
                    content_type: r.response_content_type,
                    body: r.response_body.unwrap_or_default(),
                });
            }
            Some(r) if r.created_at > Utc::now() - Duration::seconds(PENDING_TIMEOUT_SECONDS) => {
                return Ok(Claim::InProgress);
            }
            Some(abandoned) => {
                idempotency_record::Entity::delete_by_id(abandoned.id)
                    .exec(db)
                    .await?;
            }
            None => {}
        }
        let row = idempotency_record::ActiveModel {
            scope: Set(scope.to_owned()),
            key: Set(key.to_owned()),
            request_hash: Set(request_hash.to_owned()),
            status: Set("pending".into()),
            response_status: Set(None),
            response_content_type: Set(None),
            response_body: Set(None),
            created_at: Set(Utc::now()),
            ..Default::default()
        };
        match idempotency_record::Entity::insert(row).exec(db).await {
            Ok(inserted) => return Ok(Claim::Run(inserted.last_insert_id)),
            // Another request with the same key won the insert: look again.
            Err(err)
                if matches!(
                    err.sql_err(),
                    Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
                ) =>
            {
                continue;
            }
            Err(err) => return Err(err.into()),
        }
    }
    Ok(Claim::InProgress)
}

/// Stores the response of a claimed request.
pub async fn complete(
    db: &DatabaseConnection,
    id: i64,
    status: u16,
    content_type: Option<String>,
    body: Vec<u8>,
) -> Result<()> {
    if let Some(record) = idempotency_record::Entity::find_by_id(id).one(db).await? {
        let mut model = record.into_active_model();
        model.status = Set("done".into());
        model.response_status = Set(Some(i32::from(status)));
        model.response_content_type = Set(content_type);
        model.response_body = Set(Some(body));
        model.update(db).await?;
    }
    Ok(())
}

/// Releases a claim whose request failed, so that a corrected retry can run.
pub async fn release(db: &DatabaseConnection, id: i64) -> Result<()> {
    idempotency_record::Entity::delete_by_id(id)
        .exec(db)
        .await?;
    Ok(())
}
