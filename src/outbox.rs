//! What the three outboxes have in common: mail (`email_outbox`), SMS (`sms_outbox`) and webhook
//! deliveries (`webhook_delivery`). Each is a table of rows `queued` in the transaction of a
//! change, and a worker that claims due rows with a lease, hands each over, and records the
//! outcome at once. This module holds the parts that are the same for all three: the claim, the
//! backoff after a failure, and the worker's loop. What differs (how a row is sent, what a
//! failure means for a webhook) stays with each channel.

use std::{future::Future, str::FromStr, sync::Arc, time::Duration};

use chrono::{DateTime, Utc};
use rand::Rng;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, QueryFilter, Statement, Value,
    sea_query::Expr,
};
use tokio::sync::{Notify, watch};

/// How a worker retries and paces itself.
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    /// Attempts before a row is given up as `failed`.
    pub max_attempts: i32,
    /// The first retry waits this long; each later one three times longer (at most 12 h).
    pub retry_base: Duration,
    /// How often to look for due rows when no commit says there is new work.
    pub poll_interval: Duration,
    /// How long a claimed row stays with this worker.
    pub lease: Duration,
}

impl RetryPolicy {
    /// Whether the attempt numbered `attempts` (counting from 1) is the last: the error is
    /// permanent, or the attempts are used up.
    pub fn gives_up(&self, attempts: i32, permanent: bool) -> bool {
        permanent || attempts >= self.max_attempts
    }

    /// When a row that has failed `attempts` times is tried next.
    pub fn next_attempt(&self, attempts: i32) -> DateTime<Utc> {
        Utc::now() + backoff(self.retry_base, attempts)
    }
}

/// A further condition on the rows a claim takes: SQL over the parameter `$4`, and its value.
pub type Only = (&'static str, fn() -> Value);

/// One outbox table, as the claim sees it.
pub struct Queue<M> {
    /// The table's name.
    pub table: &'static str,
    /// A further condition on the rows claimed (SQL over the parameter `$4`) and its value, when
    /// some queued rows must wait (webhook deliveries of a webhook that is turned off).
    pub only: Option<Only>,
    /// A row's id (the claim hands rows out in the order they were queued).
    pub id: fn(&M) -> i64,
}

/// Takes up to `limit` due rows of `queue` for one worker until `lease_until`: rows `queued`,
/// due by `now` and not leased to another worker. On PostgreSQL rows locked by another worker
/// are skipped (`FOR UPDATE SKIP LOCKED`), so several server instances never take the same row;
/// SQLite runs the one statement atomically.
pub async fn claim<E: EntityTrait>(
    db: &impl ConnectionTrait,
    queue: &Queue<E::Model>,
    limit: u64,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
) -> Result<Vec<E::Model>, DbErr> {
    let backend = db.get_database_backend();
    let lock = match backend {
        DbBackend::Postgres => " FOR UPDATE SKIP LOCKED",
        _ => "",
    };
    let table = queue.table;
    let only = queue.only.map(|(sql, _)| sql).unwrap_or_default();
    let sql = format!(
        "UPDATE {table} SET claimed_until = $1 WHERE id IN (\
           SELECT id FROM {table} WHERE status = 'queued' AND next_attempt_at <= $2 \
           AND (claimed_until IS NULL OR claimed_until < $2) {only} \
           ORDER BY id LIMIT $3{lock}) RETURNING *"
    );
    let mut values: Vec<Value> = vec![lease_until.into(), now.into(), (limit as i64).into()];
    values.extend(queue.only.map(|(_, value)| value()));
    let statement = Statement::from_sql_and_values(backend, sql, values);
    let mut claimed = E::find().from_raw_sql(statement).all(db).await?;
    claimed.sort_by_key(queue.id);
    Ok(claimed)
}

/// A column every outbox table has, by name.
fn column<E: EntityTrait>(name: &str) -> Result<E::Column, DbErr> {
    E::Column::from_str(name).map_err(|_| DbErr::Custom(format!("an outbox without {name}")))
}

/// Records a hand-over the other side accepted: `sent`, never sent again.
pub async fn record_sent<E: EntityTrait>(
    db: &impl ConnectionTrait,
    id: i64,
    attempts_before: i32,
) -> Result<(), DbErr> {
    E::update_many()
        .col_expr(column::<E>("status")?, Expr::value("sent"))
        .col_expr(column::<E>("attempts")?, Expr::value(attempts_before + 1))
        .col_expr(column::<E>("sent_at")?, Expr::value(Utc::now()))
        .col_expr(
            column::<E>("last_error")?,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            column::<E>("claimed_until")?,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(column::<E>("id")?.eq(id))
        .exec(db)
        .await
        .map(|_| ())
}

/// Records a failed attempt: back to the queue with a later `next_attempt_at`, or `failed`
/// when the error is permanent or the attempts are used up. Returns whether it gave up.
pub async fn record_failure<E: EntityTrait>(
    db: &impl ConnectionTrait,
    id: i64,
    attempts_before: i32,
    error: &str,
    permanent: bool,
    policy: &RetryPolicy,
) -> Result<bool, DbErr> {
    let attempts = attempts_before + 1;
    let gave_up = policy.gives_up(attempts, permanent);
    let status = if gave_up { "failed" } else { "queued" };
    let error: String = error.chars().take(2000).collect();
    E::update_many()
        .col_expr(column::<E>("status")?, Expr::value(status))
        .col_expr(column::<E>("attempts")?, Expr::value(attempts))
        .col_expr(
            column::<E>("next_attempt_at")?,
            Expr::value(policy.next_attempt(attempts)),
        )
        .col_expr(column::<E>("last_error")?, Expr::value(error))
        .col_expr(
            column::<E>("claimed_until")?,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(column::<E>("id")?.eq(id))
        .exec(db)
        .await?;
    Ok(gave_up)
}

/// The end of a lease taken `now`.
pub fn lease_until(now: DateTime<Utc>, lease: Duration) -> DateTime<Utc> {
    now + chrono::Duration::from_std(lease).unwrap_or(chrono::Duration::minutes(5))
}

/// How long to wait before attempt `attempt + 1`: `base · 3^(attempt-1)`, at most 12 h, with
/// ±20 % jitter so that rows failed together do not retry together.
pub fn backoff(base: Duration, attempt: i32) -> chrono::Duration {
    let factor = 3u32.saturating_pow(attempt.clamp(1, 20) as u32 - 1);
    let delay = base
        .saturating_mul(factor)
        .min(Duration::from_secs(12 * 3600));
    let jitter = rand::rng().random_range(0.8..1.2);
    chrono::Duration::from_std(delay.mul_f64(jitter)).unwrap_or(chrono::Duration::hours(12))
}

/// A worker's loop, until `shutdown` turns true: drain a batch; when there was none, wait for a
/// commit's wake-up, the poll interval or the shutdown. A database that does not answer is
/// logged and tried again at the next poll.
pub async fn run<F, Fut>(
    channel: &str,
    wake: Arc<Notify>,
    poll_interval: Duration,
    mut shutdown: watch::Receiver<bool>,
    mut drain: F,
) where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<usize, DbErr>>,
{
    tracing::info!(channel, "outbox worker started");
    while !*shutdown.borrow() {
        let tried_any = match drain().await {
            Ok(n) => n > 0,
            Err(err) => {
                tracing::warn!(channel, error = %err, "outbox unavailable");
                false
            }
        };
        if tried_any {
            continue;
        }
        tokio::select! {
            () = wake.notified() => {}
            () = tokio::time::sleep(poll_interval) => {}
            _ = shutdown.changed() => {}
        }
    }
    tracing::info!(channel, "outbox worker stopped");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_triples_from_the_base_with_jitter_and_a_cap() {
        let base = Duration::from_secs(30);
        for (attempt, expected) in [(1, 30.0), (2, 90.0), (3, 270.0)] {
            let secs = backoff(base, attempt).num_milliseconds() as f64 / 1000.0;
            assert!(
                (expected * 0.8..=expected * 1.2).contains(&secs),
                "attempt {attempt}: {secs}s"
            );
        }
        let capped = backoff(base, 20).num_seconds();
        assert!((12 * 3600 * 8 / 10..=12 * 3600 * 12 / 10).contains(&capped));
    }

    #[test]
    fn the_last_attempt_is_the_permanent_error_or_the_last_allowed() {
        let policy = RetryPolicy {
            max_attempts: 3,
            retry_base: Duration::from_secs(1),
            poll_interval: Duration::from_secs(1),
            lease: Duration::from_secs(1),
        };
        assert!(!policy.gives_up(1, false));
        assert!(!policy.gives_up(2, false));
        assert!(policy.gives_up(3, false));
        assert!(policy.gives_up(1, true));
    }
}
