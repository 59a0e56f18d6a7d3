//! The outbox table: queueing, claiming due messages, and recording what happened.

use chrono::Utc;
use entity::{
    certificate,
    email_outbox::{self, EmailKind, EmailStatus},
};
use rand::RngCore;
use sea_orm::{
    ActiveEnum, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, TryInsertResult,
};

use super::compose;
use crate::{
    db::{Outbox, WriteTxn},
    l10n::Lang,
    outbox::RetryPolicy,
};

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

/// The mail outbox as the shared claim sees it ([`crate::outbox::claim`]).
pub const QUEUE: crate::outbox::Queue<email_outbox::Model> = crate::outbox::Queue {
    table: "email_outbox",
    only: None,
    id: |m| m.id,
};

/// Records a successful hand-over: the message is never sent again.
pub async fn mark_sent(
    db: &impl ConnectionTrait,
    message: &email_outbox::Model,
) -> Result<(), DbErr> {
    crate::outbox::record_sent::<email_outbox::Entity>(db, message.id, message.attempts).await
}

/// Records a failed attempt: back to the queue with a later `next_attempt_at`, or `failed`
/// when the error is permanent or the attempts are used up.
pub async fn mark_failed(
    db: &impl ConnectionTrait,
    message: &email_outbox::Model,
    error: &str,
    permanent: bool,
    policy: &RetryPolicy,
) -> Result<EmailStatus, DbErr> {
    let gave_up = crate::outbox::record_failure::<email_outbox::Entity>(
        db,
        message.id,
        message.attempts,
        error,
        permanent,
        policy,
    )
    .await?;
    Ok(if gave_up {
        EmailStatus::Failed
    } else {
        EmailStatus::Queued
    })
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
