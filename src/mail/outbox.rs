//! The outbox table: queueing, claiming due messages, and recording what happened.

use chrono::{DateTime, Duration, Utc};
use entity::{
    certificate,
    email_outbox::{self, EmailKind, EmailStatus},
};
use rand::{Rng, RngCore};
use sea_orm::{
    ActiveEnum, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Statement, TryInsertResult,
};

use super::compose;
use crate::db::{Outbox, WriteTxn};
use crate::l10n::Lang;

/// A message to queue.
#[derive(Debug, Clone)]
pub struct NewMessage {
    pub kind: EmailKind,
    pub recipient: String,
    pub recipient_name: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    pub certificate_id: Option<i64>,
    pub enrolment_id: Option<i64>,
    /// Set for a message that must go at most once: a second message with the same key is not
    /// queued (a unique index decides, so concurrent triggers and several instances agree).
    pub dedupe_key: Option<String>,
    /// (file name, media type, bytes) kept with the message.
    pub attachment: Option<(String, String, Vec<u8>)>,
}

/// The key that lets a journey message go at most once per enrolment and kind.
pub fn once_per_enrolment(kind: EmailKind, enrolment_id: i64) -> String {
    format!("{}:enrolment:{enrolment_id}", kind.to_value())
}

fn row(message: NewMessage) -> email_outbox::ActiveModel {
    let mut token = [0u8; 12];
    rand::rng().fill_bytes(&mut token);
    let now = Utc::now();
    let (attachment_name, attachment_type, attachment_data) = match message.attachment {
        Some((name, kind, data)) => (Some(name), Some(kind), Some(data)),
        None => (None, None, None),
    };
    let label = match (&message.dedupe_key, message.certificate_id) {
        (Some(key), _) => key.replace(':', "-"),
        (None, Some(id)) => format!("certificate-{id}"),
        (None, None) => "message".to_owned(),
    };
    email_outbox::ActiveModel {
        message_id: Set(format!("<{label}-{}@cssd.iwsd>", hex::encode(token))),
        recipient: Set(message.recipient),
        recipient_name: Set(message.recipient_name.chars().take(120).collect()),
        subject: Set(message.subject.chars().take(300).collect()),
        body_text: Set(message.body_text),
        body_html: Set(message.body_html),
        certificate_id: Set(message.certificate_id),
        status: Set(EmailStatus::Queued),
        attempts: Set(0),
        next_attempt_at: Set(now),
        last_error: Set(None),
        claimed_until: Set(None),
        sent_at: Set(None),
        created_at: Set(now),
        kind: Set(message.kind),
        enrolment_id: Set(message.enrolment_id),
        dedupe_key: Set(message.dedupe_key),
        attachment_name: Set(attachment_name),
        attachment_type: Set(attachment_type),
        attachment_data: Set(attachment_data),
        request_id: Set(crate::request_context::current().map(|id| id.to_string())),
        ..Default::default()
    }
}

/// Queues a message; call it in the transaction of what it announces, so the two commit or
/// roll back together. Returns whether it was queued: `false` when a message with the same
/// `dedupe_key` already exists (nothing is written then).
///
/// It takes the writing transaction (not any connection) so that its commit wakes the worker:
/// the message goes out at once whoever queued it.
pub async fn queue(db: &WriteTxn, message: NewMessage) -> Result<bool, DbErr> {
    let inserted = email_outbox::Entity::insert(row(message))
        .on_conflict_do_nothing_on([email_outbox::Column::DedupeKey])
        .exec_without_returning(db)
        .await?;
    let queued = matches!(inserted, TryInsertResult::Inserted(n) if n > 0);
    if queued {
        db.queued(Outbox::Mail);
    }
    Ok(queued)
}

fn certificate_message(c: &certificate::Model, recipient: &str, lang: Lang) -> NewMessage {
    let (subject, body_text, body_html) = compose::certificate_email_in(lang, c);
    NewMessage {
        kind: EmailKind::Certificate,
        recipient: recipient.to_owned(),
        recipient_name: c.holder_name.clone(),
        subject,
        body_text,
        body_html,
        certificate_id: Some(c.id),
        enrolment_id: Some(c.enrolment_id),
        dedupe_key: None,
        attachment: None,
    }
}

/// Queues the email that carries a newly issued `certificate` to `recipient`, once per
/// certificate. Call it in the transaction that issues the certificate.
pub async fn queue_certificate_once(
    db: &WriteTxn,
    c: &certificate::Model,
    recipient: &str,
    lang: Lang,
) -> Result<bool, DbErr> {
    let mut message = certificate_message(c, recipient, lang);
    message.dedupe_key = Some(format!("certificate:{}", c.id));
    queue(db, message).await
}

/// Queues the email that carries a reissued certificate (`new`, replacing `old`) to
/// `recipient`, once per new certificate. Call it in the reissuing transaction.
pub async fn queue_reissued_certificate(
    db: &WriteTxn,
    new: &certificate::Model,
    old: &certificate::Model,
    reason: &str,
    recipient: &str,
    lang: Lang,
) -> Result<bool, DbErr> {
    let (subject, body_text, body_html) =
        compose::reissued_certificate_email_in(lang, new, old, reason);
    let message = NewMessage {
        kind: EmailKind::Certificate,
        recipient: recipient.to_owned(),
        recipient_name: new.holder_name.clone(),
        subject,
        body_text,
        body_html,
        certificate_id: Some(new.id),
        enrolment_id: Some(new.enrolment_id),
        dedupe_key: Some(format!("certificate:{}", new.id)),
        attachment: None,
    };
    queue(db, message).await
}

/// Queues a fresh copy of the email that carries `certificate` to `recipient` (an explicit
/// re-send, which may happen more than once).
pub async fn queue_certificate(
    db: &WriteTxn,
    c: &certificate::Model,
    recipient: &str,
    lang: Lang,
) -> Result<email_outbox::Model, DbErr> {
    let queued = email_outbox::Entity::insert(row(certificate_message(c, recipient, lang)))
        .exec_with_returning(db)
        .await?;
    db.queued(Outbox::Mail);
    Ok(queued)
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
    kind: Option<EmailKind>,
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
    if let Some(kind) = kind {
        query = query.filter(email_outbox::Column::Kind.eq(kind));
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
