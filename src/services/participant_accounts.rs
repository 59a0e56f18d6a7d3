//! The account a participant signs in with, by an emailed link ([`super::sign_in_links`]) or an
//! SMS code ([`super::sign_in_codes`]): made on their first sign-in, linked to their record,
//! and refused when the record is tied to an account that is not theirs to use.

use chrono::Utc;
use entity::{
    app_user::{self, Role},
    participant,
};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::{accounts, audit};
use crate::domain::{Result, access::Actor};

/// The participant's own account, if they have one (`Ok(None)`: none yet), or `Err(())` when
/// this person cannot sign in without a password: their linked account is staff or
/// deactivated, or their email already belongs to another account.
async fn account_for(
    db: &impl ConnectionTrait,
    person: &participant::Model,
) -> Result<std::result::Result<Option<app_user::Model>, ()>> {
    let linked = app_user::Entity::find()
        .filter(app_user::Column::ParticipantId.eq(person.id))
        .one(db)
        .await?;
    if let Some(user) = linked {
        return Ok(
            if user.role == Role::Participant && user.deactivated_at.is_none() {
                Ok(Some(user))
            } else {
                Err(())
            },
        );
    }
    Ok(match &person.email {
        Some(email) if accounts::find_user_by_email(db, email).await?.is_some() => Err(()),
        _ => Ok(None),
    })
}

/// Whether this person may sign in by link or code (checked before one is sent).
pub async fn may_sign_in(db: &impl ConnectionTrait, person: &participant::Model) -> Result<bool> {
    Ok(account_for(db, person).await?.is_ok())
}

/// The sign-in address of an account made for a participant without email: unique per
/// participant and never deliverable (`.invalid`), so no mail is ever sent to it.
fn placeholder_email(person: &participant::Model) -> String {
    format!("participant-{}@sms.cssd.invalid", person.id)
}

/// Signs the participant in: a new session on their account, which is created (and audited as
/// made by `via`, "sign-in link" or "sign-in code") on first use. `None` when they may not
/// sign in this way.
pub async fn open_session(
    db: &impl ConnectionTrait,
    person: &participant::Model,
    via: &'static str,
) -> Result<Option<accounts::Login>> {
    let user = match account_for(db, person).await? {
        Err(()) => return Ok(None),
        Ok(Some(user)) => user,
        Ok(None) => {
            let row = app_user::ActiveModel {
                name: Set(person.full_name.chars().take(120).collect()),
                email: Set(person
                    .email
                    .clone()
                    .unwrap_or_else(|| placeholder_email(person))),
                role: Set(Role::Participant),
                password_hash: Set(accounts::NO_PASSWORD.to_owned()),
                participant_id: Set(Some(person.id)),
                created_at: Set(Utc::now()),
                ..Default::default()
            };
            let user = app_user::Entity::insert(row)
                .exec_with_returning(db)
                .await?;
            let after = audit::snapshot(&user);
            audit::record(
                db,
                &Actor::system(via),
                "user",
                user.id,
                "create",
                None,
                after,
            )
            .await?;
            user
        }
    };
    Ok(Some(accounts::start_session(db, user).await?))
}
