//! Participant sign-in by a code sent by SMS: asking for a code, and entering it.
//!
//! As with the emailed link (`sign_in_links`), asking always looks the same from outside:
//! The sign-in flow checks the number, throttles the request and answers before [`send`]
//! runs. When the number belongs to exactly one participant who may sign in this way, a
//! random 6-digit code valid for [`CODE_MINUTES`] is stored (only a salted SHA-256 of it) and
//! its SMS queued in the same transaction; an earlier unused code for that number stops
//! working. A code allows [`CODE_TRIES`] wrong entries; after that even the right one is
//! refused. Entering the right code uses it up, creates the participant's account on first
//! use, and opens an ordinary participant session.

use chrono::{DateTime, Utc};
use entity::{participant, sms_outbox::SmsKind, sms_sign_in_code};
use rand::Rng;
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    sea_query::{Expr, ExprTrait},
};
use sha2::{Digest, Sha256};

use super::{accounts, participant_accounts, participant_sms};
use crate::{
    db::begin_write,
    domain::Result,
    sms::{outbox, texts},
};

/// How long a code works.
pub const CODE_MINUTES: i64 = 10;

/// Wrong entries a code allows.
pub const CODE_TRIES: i32 = 5;

fn hash(salt: &str, code: &str) -> String {
    hex::encode(Sha256::digest(format!("{salt}:{code}").as_bytes()))
}

fn stored_hash(code: &str) -> String {
    let salt = hex::encode(rand::random::<[u8; 16]>());
    format!("{salt}${}", hash(&salt, code))
}

fn matches(stored: &str, code: &str) -> bool {
    use subtle::ConstantTimeEq;
    let Some((salt, expected)) = stored.split_once('$') else {
        return false;
    };
    hash(salt, code)
        .as_bytes()
        .ct_eq(expected.as_bytes())
        .into()
}

/// The one participant holding `phone` (E.164), if exactly one does.
async fn holder(db: &impl ConnectionTrait, phone: &str) -> Result<Option<participant::Model>> {
    let mut found = participant::Entity::find()
        .filter(participant::Column::Phone.eq(phone))
        .all(db)
        .await?;
    Ok((found.len() == 1).then(|| found.remove(0)))
}

/// Stores a code for the participant with this (E.164) phone and queues its SMS, when the
/// number belongs to exactly one participant who may sign in; `Ok(true)` when an SMS was
/// queued. Callers go through the sign-in flow, which checks and throttles first.
pub async fn send(db: &DatabaseConnection, phone: &str, now: DateTime<Utc>) -> Result<bool> {
    let txn = begin_write(db).await?;
    let Some(person) = holder(&txn, phone).await? else {
        return Ok(false);
    };
    if !participant_accounts::may_sign_in(&txn, &person).await? {
        return Ok(false);
    }
    // One code at a time: an earlier one stops working.
    sms_sign_in_code::Entity::update_many()
        .col_expr(sms_sign_in_code::Column::UsedAt, Expr::value(now))
        .filter(sms_sign_in_code::Column::Phone.eq(phone))
        .filter(sms_sign_in_code::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    let code = format!("{:06}", rand::rng().random_range(0..1_000_000u32));
    let row = sms_sign_in_code::ActiveModel {
        participant_id: Set(person.id),
        phone: Set(phone.to_owned()),
        code_hash: Set(stored_hash(&code)),
        created_at: Set(now),
        expires_at: Set(now + chrono::Duration::minutes(CODE_MINUTES)),
        tries: Set(0),
        used_at: Set(None),
        ..Default::default()
    };
    sms_sign_in_code::Entity::insert(row).exec(&txn).await?;
    let body = texts::sign_in_code(participant_sms::lang_of(&person), &code, CODE_MINUTES);
    outbox::queue(
        &txn,
        outbox::NewSms {
            kind: SmsKind::SignInCode,
            recipient: phone.to_owned(),
            participant_id: Some(person.id),
            enrolment_id: None,
            body,
            dedupe_key: None,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(true)
}

/// Checks `code` against the latest code sent to `phone` at `now`: the right one, unexpired and
/// with tries left, is used up and signs its participant in (creating their account on first
/// use). `None` for everything else, which the caller answers alike; a wrong code uses a try.
pub async fn verify(
    db: &DatabaseConnection,
    phone: &str,
    code: &str,
    now: DateTime<Utc>,
) -> Result<Option<accounts::Login>> {
    let txn = begin_write(db).await?;
    let Some(sent) = sms_sign_in_code::Entity::find()
        .filter(sms_sign_in_code::Column::Phone.eq(phone))
        .filter(sms_sign_in_code::Column::UsedAt.is_null())
        .order_by_desc(sms_sign_in_code::Column::Id)
        .one(&txn)
        .await?
    else {
        return Ok(None);
    };
    if sent.expires_at <= now || sent.tries >= CODE_TRIES {
        return Ok(None);
    }
    if !matches(&sent.code_hash, code.trim()) {
        sms_sign_in_code::Entity::update_many()
            .col_expr(
                sms_sign_in_code::Column::Tries,
                Expr::col(sms_sign_in_code::Column::Tries).add(1),
            )
            .filter(sms_sign_in_code::Column::Id.eq(sent.id))
            .exec(&txn)
            .await?;
        txn.commit().await?;
        return Ok(None);
    }
    // Used up by a guarded update, so two entries of the same code cannot both sign in.
    let used = sms_sign_in_code::Entity::update_many()
        .col_expr(sms_sign_in_code::Column::UsedAt, Expr::value(now))
        .filter(sms_sign_in_code::Column::Id.eq(sent.id))
        .filter(sms_sign_in_code::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    if used.rows_affected != 1 {
        return Ok(None);
    }
    let Some(person) = participant::Entity::find_by_id(sent.participant_id)
        .one(&txn)
        .await?
        .filter(|p| p.phone.as_deref() == Some(phone))
    else {
        txn.commit().await?;
        return Ok(None);
    };
    let login = participant_accounts::open_session(&*txn, &person, "sign-in code").await?;
    txn.commit().await?;
    Ok(login)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_kept_only_as_a_salted_hash() {
        let stored = stored_hash("123456");
        assert!(!stored.contains("123456"));
        assert!(matches(&stored, "123456"));
        assert!(!matches(&stored, "123457"));
        assert_ne!(stored, stored_hash("123456"), "salted");
    }
}
