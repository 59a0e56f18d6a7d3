//! The SMS outbox table: queueing, claiming due messages, and recording what happened. The same
//! design as the mail outbox ([`crate::mail::outbox`]): leased claims (`FOR UPDATE SKIP LOCKED`
//! on PostgreSQL, so several instances never take the same message), backoff with jitter, and
//! a unique `dedupe_key` that lets a journey message go at most once per enrolment and kind.

use chrono::Utc;
use entity::sms_outbox::{self, SmsKind, SmsStatus};
use sea_orm::{
    ActiveEnum, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, TryInsertResult,
};

use super::segments;
use crate::{
    db::{Outbox, WriteTxn},
    outbox::RetryPolicy,
};

/// An SMS to queue.
#[derive(Debug, Clone)]
pub struct NewSms {
    pub kind: SmsKind,
    /// E.164.
    pub recipient: String,
    pub participant_id: Option<i64>,
    pub enrolment_id: Option<i64>,
    pub body: String,
    /// At most one message per key; `None` for messages that may repeat (sign-in codes).
    pub dedupe_key: Option<String>,
}

/// The key that lets a journey SMS go at most once per enrolment and kind.
pub fn once_per_enrolment(kind: SmsKind, enrolment_id: i64) -> String {
    format!("{}:enrolment:{enrolment_id}", kind.to_value())
}

/// Queues an SMS in the transaction of what it announces; `false` when one with the same
/// `dedupe_key` exists (nothing is written then). The commit wakes the SMS worker.
pub async fn queue(db: &WriteTxn, sms: NewSms) -> Result<bool, DbErr> {
    let now = Utc::now();
    let row = sms_outbox::ActiveModel {
        kind: Set(sms.kind),
        recipient: Set(sms.recipient),
        participant_id: Set(sms.participant_id),
        enrolment_id: Set(sms.enrolment_id),
        segments: Set(segments::count(&sms.body).segments as i32),
        body: Set(sms.body),
        status: Set(SmsStatus::Queued),
        attempts: Set(0),
        next_attempt_at: Set(now),
        last_error: Set(None),
        claimed_until: Set(None),
        sent_at: Set(None),
        created_at: Set(now),
        dedupe_key: Set(sms.dedupe_key),
        request_id: Set(crate::request_context::current().map(|id| id.to_string())),
        ..Default::default()
    };
    let inserted = sms_outbox::Entity::insert(row)
        .on_conflict_do_nothing_on([sms_outbox::Column::DedupeKey])
        .exec_without_returning(db)
        .await?;
    let queued = matches!(inserted, TryInsertResult::Inserted(n) if n > 0);
    if queued {
        db.queued(Outbox::Sms);
    }
    Ok(queued)
}

/// The SMS outbox as the shared claim sees it ([`crate::outbox::claim`]).
pub const QUEUE: crate::outbox::Queue<sms_outbox::Model> = crate::outbox::Queue {
    table: "sms_outbox",
    only: None,
    id: |m| m.id,
};

/// What a sign-in code's message keeps once it is sent: the code itself is forgotten.
pub fn without_code(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut digits = String::new();
    for c in body.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        if digits.len() == 6 {
            out.push_str("******");
        } else {
            out.push_str(&digits);
        }
        digits.clear();
        out.push(c);
    }
    out.pop();
    out
}

/// Records a successful hand-over: the message is never sent again (a sign-in code's body
/// forgets the code).
pub async fn mark_sent(db: &impl ConnectionTrait, sms: &sms_outbox::Model) -> Result<(), DbErr> {
    crate::outbox::record_sent::<sms_outbox::Entity>(db, sms.id, sms.attempts).await?;
    if sms.kind == SmsKind::SignInCode {
        let row = sms_outbox::ActiveModel {
            id: Set(sms.id),
            body: Set(without_code(&sms.body)),
            ..Default::default()
        };
        sms_outbox::Entity::update(row).exec(db).await?;
    }
    Ok(())
}

/// Records a failed attempt: back to the queue with a later `next_attempt_at`, or `failed`
/// when the error is permanent or the attempts are used up.
pub async fn mark_failed(
    db: &impl ConnectionTrait,
    sms: &sms_outbox::Model,
    error: &str,
    permanent: bool,
    policy: &RetryPolicy,
) -> Result<SmsStatus, DbErr> {
    let gave_up = crate::outbox::record_failure::<sms_outbox::Entity>(
        db,
        sms.id,
        sms.attempts,
        error,
        permanent,
        policy,
    )
    .await?;
    Ok(if gave_up {
        SmsStatus::Failed
    } else {
        SmsStatus::Queued
    })
}

/// Outbox messages, newest first, with the total.
pub async fn list(
    db: &impl ConnectionTrait,
    status: Option<SmsStatus>,
    kind: Option<SmsKind>,
    limit: u64,
    offset: u64,
) -> Result<(Vec<sms_outbox::Model>, u64), DbErr> {
    let mut query = sms_outbox::Entity::find();
    if let Some(status) = status {
        query = query.filter(sms_outbox::Column::Status.eq(status));
    }
    if let Some(kind) = kind {
        query = query.filter(sms_outbox::Column::Kind.eq(kind));
    }
    let total = query.clone().count(db).await?;
    let items = query
        .order_by_desc(sms_outbox::Column::Id)
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
    fn a_sent_code_is_forgotten_but_other_numbers_stay() {
        assert_eq!(
            without_code("Your CSSD sign-in code is 123456. It expires in 10 minutes."),
            "Your CSSD sign-in code is ******. It expires in 10 minutes."
        );
    }
}
