//! The outbox table: queueing, claiming due messages, and recording what happened.

use chrono::{DateTime, Duration, Utc};
use entity::{
    certificate,
    email_outbox::{self, EmailStatus},
};
use rand::{Rng, RngCore};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Statement,
};

use super::compose;

/// Queues the email that carries `certificate` to `recipient`. Call it in the transaction that
/// issues the certificate, so the two commit or roll back together.
pub async fn queue_certificate(
    db: &impl ConnectionTrait,
    c: &certificate::Model,
    recipient: &str,
) -> Result<email_outbox::Model, DbErr> {
    let (subject, body_text, body_html) = compose::certificate_email(c);
    let mut token = [0u8; 12];
    rand::rng().fill_bytes(&mut token);
    let now = Utc::now();
    let row = email_outbox::ActiveModel {
        message_id: Set(format!(
            "<certificate-{}-{}@cssd.iwsd>",
            c.id,
            hex::encode(token)
        )),
        recipient: Set(recipient.to_owned()),
        recipient_name: Set(c.holder_name.clone()),
        subject: Set(subject),
        body_text: Set(body_text),
        body_html: Set(body_html),
        certificate_id: Set(Some(c.id)),
        status: Set(EmailStatus::Queued),
        attempts: Set(0),
        next_attempt_at: Set(now),
        last_error: Set(None),
        claimed_until: Set(None),
        sent_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    };
    email_outbox::Entity::insert(row)
        .exec_with_returning(db)
        .await
}

/// Takes up to `limit` due messages for one worker until `lease_until`. On PostgreSQL rows
/// locked by another worker are skipped (`FOR UPDATE SKIP LOCKED`), so several server instances
/// never take the same message; SQLite runs the one statement atomically.
pub async fn claim(
    db: &impl ConnectionTrait,
    limit: u64,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
) -> Result<Vec<email_outbox::Model>, DbErr> {
    let backend = db.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => {
            "UPDATE email_outbox SET claimed_until = $1 WHERE id IN (\
               SELECT id FROM email_outbox WHERE status = 'queued' AND next_attempt_at <= $2 \
               AND (claimed_until IS NULL OR claimed_until < $2) ORDER BY id LIMIT $3 \
               FOR UPDATE SKIP LOCKED) RETURNING *"
        }
        _ => {
            "UPDATE email_outbox SET claimed_until = $1 WHERE id IN (\
               SELECT id FROM email_outbox WHERE status = 'queued' AND next_attempt_at <= $2 \
               AND (claimed_until IS NULL OR claimed_until < $2) ORDER BY id LIMIT $3) RETURNING *"
        }
    };
    let statement = Statement::from_sql_and_values(
        backend,
        sql,
        [lease_until.into(), now.into(), (limit as i64).into()],
    );
    let mut claimed = email_outbox::Entity::find()
        .from_raw_sql(statement)
        .all(db)
        .await?;
    claimed.sort_by_key(|m| m.id);
    Ok(claimed)
}

/// Records a successful hand-over: the message is never sent again.
pub async fn mark_sent(
    db: &impl ConnectionTrait,
    message: &email_outbox::Model,
) -> Result<(), DbErr> {
    let now = Utc::now();
    let row = email_outbox::ActiveModel {
        id: Set(message.id),
        status: Set(EmailStatus::Sent),
        attempts: Set(message.attempts + 1),
        sent_at: Set(Some(now)),
        last_error: Set(None),
        claimed_until: Set(None),
        ..Default::default()
    };
    email_outbox::Entity::update(row).exec(db).await.map(|_| ())
}

/// How long to wait before attempt `attempt + 1`: `base · 3^(attempt-1)`, at most 12 h, with
/// ±20 % jitter so that messages failed together do not retry together.
pub fn backoff(base: std::time::Duration, attempt: i32) -> Duration {
    let factor = 3u32.saturating_pow(attempt.clamp(1, 20) as u32 - 1);
    let delay = base
        .saturating_mul(factor)
        .min(std::time::Duration::from_secs(12 * 3600));
    let jitter = rand::rng().random_range(0.8..1.2);
    Duration::from_std(delay.mul_f64(jitter)).unwrap_or(Duration::hours(12))
}

/// Records a failed attempt: back to the queue with a later `next_attempt_at`, or `failed`
/// when the error is permanent or the attempts are used up.
pub async fn mark_failed(
    db: &impl ConnectionTrait,
    message: &email_outbox::Model,
    error: &str,
    permanent: bool,
    max_attempts: i32,
    retry_base: std::time::Duration,
) -> Result<EmailStatus, DbErr> {
    let attempts = message.attempts + 1;
    let status = if permanent || attempts >= max_attempts {
        EmailStatus::Failed
    } else {
        EmailStatus::Queued
    };
    let row = email_outbox::ActiveModel {
        id: Set(message.id),
        status: Set(status),
        attempts: Set(attempts),
        next_attempt_at: Set(Utc::now() + backoff(retry_base, attempts)),
        last_error: Set(Some(error.chars().take(2000).collect())),
        claimed_until: Set(None),
        ..Default::default()
    };
    email_outbox::Entity::update(row).exec(db).await?;
    Ok(status)
}

/// Outbox messages, newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    status: Option<EmailStatus>,
    certificate_id: Option<i64>,
    limit: u64,
    offset: u64,
) -> Result<(Vec<email_outbox::Model>, u64), DbErr> {
    let mut query = email_outbox::Entity::find();
    if let Some(status) = status {
        query = query.filter(email_outbox::Column::Status.eq(status));
    }
    if let Some(id) = certificate_id {
        query = query.filter(email_outbox::Column::CertificateId.eq(id));
    }
    let total = query.clone().count(db).await?;
    let items = query
        .order_by_desc(email_outbox::Column::Id)
        .limit(limit)
        .offset(offset)
        .all(db)
        .await?;
    Ok((items, total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_triples_from_the_base_with_jitter_and_a_cap() {
        let base = std::time::Duration::from_secs(60);
        for (attempt, expected) in [(1, 60.0), (2, 180.0), (3, 540.0)] {
            let d = backoff(base, attempt).num_milliseconds() as f64 / 1000.0;
            assert!(
                d >= expected * 0.8 && d <= expected * 1.2,
                "attempt {attempt}: {d}"
            );
        }
        assert!(backoff(base, 20) <= Duration::hours(12) + Duration::hours(3));
    }
}
