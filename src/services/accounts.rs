//! Accounts and credentials: users, password login, session tokens and API keys.
//!
//! Passwords are hashed with argon2id. Session tokens and API keys are 256-bit random secrets;
//! only their SHA-256 is stored, and a request is authenticated by one indexed lookup of it.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, Duration, Utc};
use entity::{
    api_key,
    app_user::{self, Role},
    participant, session,
};
use rand::RngCore;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::Expr,
};
use sha2::{Digest, Sha256};

use super::{Page, PageRequest, audit, password_hashing::PasswordHashing};
use crate::{
    domain::{
        Error, FieldError, Result,
        access::{Actor, Principal, Scope},
        account::{
            check_an_admin_remains, check_new_password, check_password, clean_email,
            clean_person_name, parse_scopes,
        },
    },
    revocation::{self, Revocation},
};

/// How long a login session lasts.
pub const SESSION_LIFETIME_HOURS: i64 = 12;
const SESSION_PREFIX: &str = "cssd_s_";
const KEY_PREFIX: &str = "cssd_k_";

/// Computes the dummy hash ahead of the first login (it takes as long as a real one).
pub fn warm_up() {
    super::password_hashing::warm_up();
}

/// A fresh secret: the prefix and 256 random bits, URL-safe.
fn new_secret(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    format!("{prefix}{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// Hex SHA-256 of a secret, as stored.
pub fn secret_hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// A user to create.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub name: String,
    pub email: String,
    pub role: Role,
    pub password: String,
    pub participant_id: Option<i64>,
}

/// Creates a user after checking the rules; an email already in use (in any case) is 409.
pub async fn create_user(
    db: &DatabaseConnection,
    hashing: &PasswordHashing,
    actor: &Actor,
    new: NewUser,
) -> Result<app_user::Model> {
    let mut errors = Vec::new();
    let name = clean_person_name("name", &new.name, &mut errors);
    let email = clean_email("email", &new.email, &mut errors);
    check_password(&new.password, &mut errors);
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    // Hashing is CPU work: done before the write turn begins, not while holding it.
    let password_hash = hashing.hash(&new.password).await?;
    let txn = crate::db::begin_write(db).await?;
    if find_user_by_email(&txn, &email).await?.is_some() {
        return Err(Error::Conflict(format!(
            "a user with email {email} already exists"
        )));
    }
    if let Some(pid) = new.participant_id {
        if participant::Entity::find_by_id(pid)
            .one(&txn)
            .await?
            .is_none()
        {
            return Err(Error::Invalid(vec![FieldError::new(
                "participant_id",
                format!("participant {pid} does not exist"),
            )]));
        }
        let taken = app_user::Entity::find()
            .filter(app_user::Column::ParticipantId.eq(pid))
            .one(&txn)
            .await?;
        if taken.is_some() {
            return Err(Error::Conflict(format!(
                "participant {pid} already has a user account"
            )));
        }
    }
    let model = app_user::ActiveModel {
        name: Set(name),
        email: Set(email),
        role: Set(new.role),
        password_hash: Set(password_hash),
        participant_id: Set(new.participant_id),
        created_at: Set(Utc::now()),
        ..Default::default()
    };
    let user = app_user::Entity::insert(model)
        .exec_with_returning(&txn)
        .await?;
    audit::record(
        &txn,
        actor,
        "user",
        user.id,
        "create",
        None,
        audit::snapshot(&user),
    )
    .await?;
    txn.commit().await?;
    Ok(user)
}

/// The user with this (normalised) email, if any.
pub async fn find_user_by_email(
    db: &impl ConnectionTrait,
    email: &str,
) -> Result<Option<app_user::Model>> {
    Ok(app_user::Entity::find()
        .filter(app_user::Column::Email.eq(email.trim().to_lowercase()))
        .one(db)
        .await?)
}

/// One user by id.
pub async fn get_user(db: &impl ConnectionTrait, id: i64) -> Result<app_user::Model> {
    app_user::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(Error::NotFound { entity: "user", id })
}

/// Users, ordered by id.
pub async fn list_users(
    db: &impl ConnectionTrait,
    role: Option<Role>,
    page: PageRequest,
) -> Result<Page<app_user::Model>> {
    let mut query = app_user::Entity::find().order_by_asc(app_user::Column::Id);
    if let Some(role) = role {
        query = query.filter(app_user::Column::Role.eq(role));
    }
    let total = query.clone().count(db).await?;
    let items = query.limit(page.limit).offset(page.offset).all(db).await?;
    Ok(Page { items, total })
}

/// Whether any administrator exists.
pub async fn admin_exists(db: &impl ConnectionTrait) -> Result<bool> {
    Ok(app_user::Entity::find()
        .filter(app_user::Column::Role.eq(Role::Admin))
        .one(db)
        .await?
        .is_some())
}

/// A successful login.
#[derive(Debug)]
pub struct Login {
    pub token: String,
    pub expires_at: DateTime<Utc>,
    pub user: app_user::Model,
}

/// Checks an email and password and opens a session. Unknown email and wrong password fail
/// alike (`None`), after the same amount of hashing work (see [`PasswordHashing::verify`]).
/// Callers go through `services::sign_in`, which validates the email and throttles first.
pub async fn login(
    db: &DatabaseConnection,
    hashing: &PasswordHashing,
    email: &str,
    password: &str,
) -> Result<Option<Login>> {
    let user = find_user_by_email(db, email).await?;
    let hash = user
        .as_ref()
        .map(|u| u.password_hash.as_str())
        .filter(|h| *h != NO_PASSWORD);
    let matches = hashing.verify(hash, password).await?;
    let Some(user) = user.filter(|_| matches) else {
        return Ok(None);
    };
    if user.deactivated_at.is_some() {
        return Err(Error::Forbidden(DEACTIVATED.into()));
    }
    start_session(db, user).await.map(Some)
}

/// Ends the session of this token (no effect on an API key or an unknown token), and tells the
/// other server processes.
pub async fn logout(db: &impl ConnectionTrait, token: &str) -> Result<()> {
    let token_hash = secret_hash(token);
    let found = session::Entity::find()
        .filter(session::Column::TokenHash.eq(token_hash.as_str()))
        .one(db)
        .await?;
    if let Some(found) = found.filter(|s| s.revoked_at.is_none()) {
        let mut active = found.into_active_model();
        active.revoked_at = Set(Some(Utc::now()));
        active.update(db).await?;
        revocation::announce(db, &Revocation::Session { token_hash }).await?;
    }
    Ok(())
}

/// Who holds a bearer token, and until when (sessions expire; keys last until revoked).
#[derive(Debug, Clone)]
pub struct Authenticated {
    pub principal: Principal,
    pub expires_at: Option<DateTime<Utc>>,
}

/// Who holds this bearer token, if it is a live session token or an unrevoked API key.
/// One indexed lookup.
pub async fn authenticate(db: &impl ConnectionTrait, token: &str) -> Result<Option<Authenticated>> {
    authenticate_at(db, token, Utc::now()).await
}

/// [`authenticate`] at the time `now` (a session expired by then is refused).
pub async fn authenticate_at(
    db: &impl ConnectionTrait,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<Authenticated>> {
    if token.starts_with(SESSION_PREFIX) {
        let found = session::Entity::find()
            .filter(session::Column::TokenHash.eq(secret_hash(token)))
            .find_also_related(app_user::Entity)
            .one(db)
            .await?;
        return Ok(match found {
            Some((session, Some(user)))
                if session.revoked_at.is_none()
                    && session.expires_at > now
                    && user.deactivated_at.is_none() =>
            {
                Some(Authenticated {
                    principal: Principal::User {
                        id: user.id,
                        name: user.name,
                        email: user.email,
                        role: user.role,
                        participant_id: user.participant_id,
                    },
                    expires_at: Some(session.expires_at),
                })
            }
            _ => None,
        });
    }
    if token.starts_with(KEY_PREFIX) {
        let found = api_key::Entity::find()
            .filter(api_key::Column::KeyHash.eq(secret_hash(token)))
            .one(db)
            .await?;
        return Ok(found
            .filter(|k| k.revoked_at.is_none())
            .map(|k| Authenticated {
                principal: Principal::ApiKey {
                    id: k.id,
                    scopes: scopes_of(&k),
                    name: k.name,
                },
                expires_at: None,
            }));
    }
    Ok(None)
}

/// The scopes stored on a key.
pub fn scopes_of(key: &api_key::Model) -> Vec<Scope> {
    key.scopes
        .split_whitespace()
        .filter_map(Scope::parse)
        .collect()
}

/// Creates an API key; returns the record and the key itself, which is never stored or shown again.
pub async fn create_api_key(
    db: &DatabaseConnection,
    actor: &Actor,
    name: &str,
    scopes: &[String],
) -> Result<(api_key::Model, String)> {
    let mut errors = Vec::new();
    let name = crate::domain::clean_name("name", name, 120, &mut errors);
    let scopes = match parse_scopes(scopes) {
        Ok(scopes) => scopes,
        Err(mut scope_errors) => {
            errors.append(&mut scope_errors);
            Vec::new()
        }
    };
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let key = new_secret(KEY_PREFIX);
    let txn = crate::db::begin_write(db).await?;
    let row = api_key::ActiveModel {
        name: Set(name),
        scopes: Set(scopes
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(" ")),
        key_hash: Set(secret_hash(&key)),
        key_prefix: Set(key.chars().take(12).collect()),
        created_by: Set(actor.id.filter(|_| actor.kind == "user")),
        created_at: Set(Utc::now()),
        revoked_at: Set(None),
        ..Default::default()
    };
    let model = api_key::Entity::insert(row)
        .exec_with_returning(&txn)
        .await?;
    audit::record(
        &txn,
        actor,
        "api_key",
        model.id,
        "create",
        None,
        audit::snapshot(&model),
    )
    .await?;
    txn.commit().await?;
    Ok((model, key))
}

/// API keys, newest first.
pub async fn list_api_keys(
    db: &impl ConnectionTrait,
    page: PageRequest,
) -> Result<Page<api_key::Model>> {
    let query = api_key::Entity::find().order_by_desc(api_key::Column::Id);
    let total = query.clone().count(db).await?;
    let items = query.limit(page.limit).offset(page.offset).all(db).await?;
    Ok(Page { items, total })
}

/// Revokes a key at once; revoking a revoked key changes nothing.
pub async fn revoke_api_key(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
) -> Result<api_key::Model> {
    let txn = crate::db::begin_write(db).await?;
    let key = api_key::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(Error::NotFound {
            entity: "API key",
            id,
        })?;
    if key.revoked_at.is_some() {
        return Ok(key);
    }
    let before = audit::snapshot(&key);
    let mut active = key.into_active_model();
    active.revoked_at = Set(Some(Utc::now()));
    let key = active.update(&txn).await?;
    audit::record(
        &txn,
        actor,
        "api_key",
        id,
        "revoke",
        before,
        audit::snapshot(&key),
    )
    .await?;
    revocation::announce(&txn, &Revocation::ApiKey(id)).await?;
    txn.commit().await?;
    Ok(key)
}

/// What an administrator may change about a user account; `None` leaves a part as it is.
#[derive(Debug, Clone, Default)]
pub struct UserChanges {
    pub name: Option<String>,
    pub role: Option<Role>,
    /// `false` deactivates the account (ending its sessions); `true` reactivates it.
    pub active: Option<bool>,
}

/// Changes a user's name, role or activity. Deactivating ends every session of theirs at once
/// (in every server process); the last active administrator can neither be deactivated nor
/// lose the role (409).
pub async fn update_user(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    changes: UserChanges,
) -> Result<app_user::Model> {
    let mut errors = Vec::new();
    let name = changes
        .name
        .as_deref()
        .map(|name| clean_person_name("name", name, &mut errors));
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let txn = crate::db::begin_write(db).await?;
    let backend = txn.get_database_backend();
    let user = crate::db::lock_for_update(app_user::Entity::find_by_id(id), backend)
        .one(&txn)
        .await?
        .ok_or(Error::NotFound { entity: "user", id })?;
    let is_active_admin = user.role == Role::Admin && user.deactivated_at.is_none();
    let stays_active_admin = changes.role.unwrap_or(user.role) == Role::Admin
        && changes.active.unwrap_or(user.deactivated_at.is_none());
    if is_active_admin && !stays_active_admin {
        // Locking every active administrator serialises two administrators demoting each other.
        let others = crate::db::lock_for_update(
            app_user::Entity::find()
                .filter(app_user::Column::Role.eq(Role::Admin))
                .filter(app_user::Column::DeactivatedAt.is_null())
                .filter(app_user::Column::Id.ne(id)),
            backend,
        )
        .all(&txn)
        .await?
        .len() as u64;
        check_an_admin_remains(is_active_admin, stays_active_admin, others)
            .map_err(Error::Conflict)?;
    }
    let now = Utc::now();
    let deactivates = changes.active == Some(false) && user.deactivated_at.is_none();
    let reactivates = changes.active == Some(true) && user.deactivated_at.is_some();
    let renames = name.as_ref().is_some_and(|n| *n != user.name);
    let changes_role = changes.role.is_some_and(|r| r != user.role);
    if !(deactivates || reactivates || renames || changes_role) {
        return Ok(user);
    }
    let before = audit::snapshot(&user);
    let mut active = user.into_active_model();
    if let Some(name) = name.filter(|_| renames) {
        active.name = Set(name);
    }
    if let Some(role) = changes.role.filter(|_| changes_role) {
        active.role = Set(role);
    }
    if deactivates {
        active.deactivated_at = Set(Some(now));
    } else if reactivates {
        active.deactivated_at = Set(None);
    }
    let user = active.update(&txn).await?;
    if deactivates {
        end_sessions(&txn, id, None, now).await?;
    }
    let action = match (deactivates, reactivates) {
        (true, _) => "deactivate",
        (_, true) => "reactivate",
        _ => "update",
    };
    audit::record(
        &txn,
        actor,
        "user",
        id,
        action,
        before,
        audit::snapshot(&user),
    )
    .await?;
    revocation::announce(&txn, &Revocation::User(id)).await?;
    txn.commit().await?;
    Ok(user)
}

/// Changes a user's own password after checking the current one, and ends every other session
/// of theirs (in every server process); the session `keep_token` was sent with stays.
/// A wrong current password is `Forbidden`; a new password breaking the rules is `Invalid`.
pub async fn change_password(
    db: &DatabaseConnection,
    hashing: &PasswordHashing,
    actor: &Actor,
    user_id: i64,
    keep_token: &str,
    current: &str,
    new: &str,
) -> Result<()> {
    let mut errors = Vec::new();
    check_new_password(current, new, &mut errors);
    let user = get_user(db, user_id).await?;
    let matches = hashing.verify(Some(&user.password_hash), current).await?;
    if !matches {
        return Err(Error::Forbidden(WRONG_CURRENT_PASSWORD.into()));
    }
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let password_hash = hashing.hash(new).await?;
    let txn = crate::db::begin_write(db).await?;
    let backend = txn.get_database_backend();
    let user = crate::db::lock_for_update(app_user::Entity::find_by_id(user_id), backend)
        .one(&txn)
        .await?
        .ok_or(Error::NotFound {
            entity: "user",
            id: user_id,
        })?;
    let snapshot = audit::snapshot(&user);
    let mut active = user.into_active_model();
    active.password_hash = Set(password_hash);
    active.update(&txn).await?;
    end_sessions(&txn, user_id, Some(&secret_hash(keep_token)), Utc::now()).await?;
    audit::record(
        &txn,
        actor,
        "user",
        user_id,
        "change_password",
        snapshot.clone(),
        snapshot,
    )
    .await?;
    revocation::announce(&txn, &Revocation::User(user_id)).await?;
    txn.commit().await?;
    Ok(())
}

/// Ends every live session of a user, except the one with `keep` as token hash.
async fn end_sessions(
    db: &impl ConnectionTrait,
    user_id: i64,
    keep: Option<&str>,
    now: DateTime<Utc>,
) -> Result<u64> {
    let mut update = session::Entity::update_many()
        .col_expr(session::Column::RevokedAt, Expr::value(now))
        .filter(session::Column::UserId.eq(user_id))
        .filter(session::Column::RevokedAt.is_null());
    if let Some(keep) = keep {
        update = update.filter(session::Column::TokenHash.ne(keep));
    }
    Ok(update.exec(db).await?.rows_affected)
}

/// The refusal a deactivated account meets when logging in.
pub const DEACTIVATED: &str =
    "this account has been deactivated; an administrator can reactivate it";
/// The refusal of a password change whose current password is wrong.
pub const WRONG_CURRENT_PASSWORD: &str = "the current password is wrong";

/// Creates the first administrator from configuration when no administrator exists.
pub async fn bootstrap_admin(
    db: &DatabaseConnection,
    hashing: &PasswordHashing,
    email: &str,
    password: &str,
) -> Result<Option<app_user::Model>> {
    if admin_exists(db).await? {
        return Ok(None);
    }
    let new = NewUser {
        name: "Administrator".into(),
        email: email.into(),
        role: Role::Admin,
        password: password.into(),
        participant_id: None,
    };
    create_user(db, hashing, &Actor::system("bootstrap"), new)
        .await
        .map(Some)
}

/// Opens a session for a user who proved who they are some other way than a password (a
/// one-time sign-in link). The same kind of session as [`login`] opens.
pub async fn start_session(db: &impl ConnectionTrait, user: app_user::Model) -> Result<Login> {
    let token = new_secret(SESSION_PREFIX);
    let now = Utc::now();
    let expires_at = now + Duration::hours(SESSION_LIFETIME_HOURS);
    let row = session::ActiveModel {
        user_id: Set(user.id),
        token_hash: Set(secret_hash(&token)),
        created_at: Set(now),
        expires_at: Set(expires_at),
        revoked_at: Set(None),
        ..Default::default()
    };
    session::Entity::insert(row).exec(db).await?;
    Ok(Login {
        token,
        expires_at,
        user,
    })
}

/// A fresh 256-bit URL-safe secret with `prefix` (for secrets other modules hand out, such as
/// sign-in links); store only its [`secret_hash`].
pub fn new_token(prefix: &str) -> String {
    new_secret(prefix)
}

/// A password hash that no password matches (accounts that sign in by emailed link only).
pub const NO_PASSWORD: &str = "!no-password: signs in by emailed link";
