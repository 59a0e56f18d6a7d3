//! Participant sign-in by emailed link: asking for a link, and opening it.
//!
//! Asking always looks the same from outside (the caller learns nothing about whether the
//! address is known, not even from how long the answer takes: `services::sign_in` checks and
//! throttles the request, answers, and only then runs [`send`]). When the address belongs to a
//! participant whose account (if any) is active, a one-time link valid for [`LINK_MINUTES`] is stored (only the SHA-256 of its
//! secret) and its email queued in the same transaction. Opening the link uses it up, creates
//! the participant's account on first use, and opens an ordinary session.
//!
//! Staff accounts (trainers, administrators) never sign in this way, even when linked to a
//! participant record: a link must not be a way around their password.

use chrono::Utc;
use entity::{participant, sign_in_link};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, sea_query::Expr,
};

use super::{accounts, participant_accounts};
use crate::{db::begin_write, domain::Result, mail};

pub use crate::mail::sign_in::LINK_MINUTES;

/// The prefix of a link's secret.
const LINK_PREFIX: &str = "cssd_l_";

/// The path (under the public URL) a link opens.
pub fn link_path(token: &str) -> String {
    format!("/portal/link/{token}")
}

/// Stores a one-time link for the participant with this (normalised) email and queues its
/// mail, when the address belongs to a participant who may sign in by link; `Ok(true)` when
/// mail was queued. Callers go through `services::sign_in`, which checks the address and
/// throttles first, and answers before this runs.
pub async fn send(db: &DatabaseConnection, email: &str, public_url: &str) -> Result<bool> {
    let txn = begin_write(db).await?;
    let Some(person) = super::participants::find_by_email(&txn, email).await? else {
        return Ok(false);
    };
    if !participant_accounts::may_sign_in(&txn, &person).await? {
        return Ok(false);
    }
    let token = accounts::new_token(LINK_PREFIX);
    let created = Utc::now();
    let link = sign_in_link::ActiveModel {
        participant_id: Set(person.id),
        token_hash: Set(accounts::secret_hash(&token)),
        created_at: Set(created),
        expires_at: Set(created + chrono::Duration::minutes(LINK_MINUTES)),
        used_at: Set(None),
        ..Default::default()
    };
    sign_in_link::Entity::insert(link).exec(&txn).await?;
    let url = format!("{}{}", public_url.trim_end_matches('/'), link_path(&token));
    let lang = super::participant_mail::language_of(&person);
    mail::sign_in::queue_sign_in_link(&txn, email, &person.full_name, &url, lang).await?;
    txn.commit().await?;
    Ok(true)
}

/// Opens a link: uses it up and signs its participant in (creating their account on first
/// use). `None` for a link that is unknown, used, expired, or whose person cannot sign in by
/// link — the caller shows them all alike.
pub async fn redeem(db: &DatabaseConnection, token: &str) -> Result<Option<accounts::Login>> {
    if !token.starts_with(LINK_PREFIX) || token.len() > 100 {
        return Ok(None);
    }
    let now = Utc::now();
    let txn = begin_write(db).await?;
    let Some(link) = sign_in_link::Entity::find()
        .filter(sign_in_link::Column::TokenHash.eq(accounts::secret_hash(token)))
        .one(&txn)
        .await?
    else {
        return Ok(None);
    };
    if link.used_at.is_some() || link.expires_at <= now {
        return Ok(None);
    }
    // Used up by a guarded update, so two tabs opening the same link cannot both sign in.
    let used = sign_in_link::Entity::update_many()
        .col_expr(sign_in_link::Column::UsedAt, Expr::value(now))
        .filter(sign_in_link::Column::Id.eq(link.id))
        .filter(sign_in_link::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    if used.rows_affected != 1 {
        return Ok(None);
    }
    let Some(person) = participant::Entity::find_by_id(link.participant_id)
        .one(&txn)
        .await?
    else {
        return Ok(None);
    };
    // A link is mailed: a person whose address is gone since cannot use it.
    if person.email.is_none() {
        txn.commit().await?;
        return Ok(None);
    }
    let login = participant_accounts::open_session(&*txn, &person, "sign-in link").await?;
    txn.commit().await?;
    Ok(login)
}
