//! Logging in and out, the caller's own account, user accounts, API keys and the audit log.

use chrono::{DateTime, Utc};
use entity::{api_key, app_user, app_user::Role as DbRole, audit_log};
use poem::{Request, web::Data};
use poem_openapi::{
    ApiResponse, Object, OpenApi,
    param::{Path, Query},
    payload::Json,
};

use super::{JsonBody, Tag, page};
use crate::{
    auth::{Caller, CanAdminister, SignedInUser},
    domain::access::{Principal, Scope as DomainScope},
    error::ApiError,
    services::{accounts, audit},
    state::AppState,
};

mirror_enum! {
    /// What a user account may do.
    Role <=> DbRole {
        /// IWSD administrator: everything.
        Admin,
        /// Reads courses and workshops; marks attendance and records assessments for the workshops
        /// they are assigned to.
        Trainer,
        /// Reads their own enrolments and certificates.
        Participant,
    }
}

mirror_enum! {
    /// What an API key may do.
    Scope <=> DomainScope {
        /// Read courses, organisations, workshops, participants and rosters.
        Read,
        /// Create participants; enrol and withdraw them.
        Enrol,
        /// Record attendance and assessments.
        Attendance,
        /// Issue, read, send and revoke certificates.
        Certificates,
        /// Everything an administrator may do.
        Admin,
    }
}

/// Credentials to log in with.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct LoginRequest {
    /// The account's email address (any case).
    #[oai(validator(max_length = 254))]
    pub email: String,
    /// The account's password.
    #[oai(validator(max_length = 512))]
    pub password: String,
}

/// A user account as others see it.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct UserSummary {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub role: Role,
}

/// A successful login.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct LoginResponse {
    /// The session token: send it as `Authorization: Bearer <token>`.
    pub token: String,
    /// When the token stops working.
    pub expires_at: DateTime<Utc>,
    /// Who logged in.
    pub user: UserSummary,
}

/// The caller: a user, or an API key.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct Me {
    /// `user` or `api_key`.
    pub kind: String,
    /// The user's or the key's id.
    pub id: i64,
    /// The user's or the key's name.
    pub name: String,
    /// The user's email (users only).
    #[oai(skip_serializing_if_is_none)]
    pub email: Option<String>,
    /// The user's role (users only).
    #[oai(skip_serializing_if_is_none)]
    pub role: Option<Role>,
    /// The participant record the user is linked to, if any.
    #[oai(skip_serializing_if_is_none)]
    pub participant_id: Option<i64>,
    /// The key's scopes (API keys only).
    #[oai(skip_serializing_if_is_none)]
    pub scopes: Option<Vec<Scope>>,
}

impl From<&Principal> for Me {
    fn from(p: &Principal) -> Self {
        match p {
            Principal::User {
                id,
                name,
                email,
                role,
                participant_id,
            } => Me {
                kind: "user".into(),
                id: *id,
                name: name.clone(),
                email: Some(email.clone()),
                role: Some((*role).into()),
                participant_id: *participant_id,
                scopes: None,
            },
            Principal::ApiKey { id, name, scopes } => Me {
                kind: "api_key".into(),
                id: *id,
                name: name.clone(),
                email: None,
                role: None,
                participant_id: None,
                scopes: Some(scopes.iter().map(|s| Scope::from(*s)).collect()),
            },
        }
    }
}

/// A new user account.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct CreateUser {
    /// Full name.
    #[oai(validator(min_length = 1, max_length = 120))]
    pub name: String,
    /// Email address, unique regardless of case.
    #[oai(validator(max_length = 254))]
    pub email: String,
    /// What the account may do.
    pub role: Role,
    /// At least 10 characters.
    #[oai(validator(max_length = 512))]
    pub password: String,
    /// The participant record this account belongs to: how a participant's own certificates are
    /// found, and how a trainer's ToT certificate is found.
    pub participant_id: Option<i64>,
}

/// A user account.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct User {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub role: Role,
    /// The linked participant record, if any.
    pub participant_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    /// Whether the account may log in; a deactivated account has no live sessions.
    pub active: bool,
    /// When the account was deactivated (absent while it is active).
    #[oai(skip_serializing_if_is_none)]
    pub deactivated_at: Option<DateTime<Utc>>,
}

impl From<app_user::Model> for User {
    fn from(u: app_user::Model) -> Self {
        Self {
            id: u.id,
            name: u.name,
            email: u.email,
            role: u.role.into(),
            participant_id: u.participant_id,
            created_at: u.created_at,
            active: u.deactivated_at.is_none(),
            deactivated_at: u.deactivated_at,
        }
    }
}

/// Changes to a user account; fields left out stay as they are.
#[derive(Debug, Object)]
pub struct UpdateUser {
    /// New full name.
    #[oai(validator(min_length = 1, max_length = 120))]
    pub name: Option<String>,
    /// New role; it applies to the user's open sessions at once.
    pub role: Option<Role>,
    /// `false` deactivates the account: its sessions end at once and it cannot log in.
    /// `true` reactivates it (the user logs in again with their password).
    pub active: Option<bool>,
}

/// A change of one's own password.
#[derive(Debug, Object)]
pub struct ChangePassword {
    /// The password in use now.
    #[oai(validator(max_length = 512))]
    pub current_password: String,
    /// The new password: at least 10 characters, different from the current one.
    #[oai(validator(max_length = 512))]
    pub new_password: String,
}

wire_page! {
    /// A page of users.
    UserPage of User
}

/// A new API key.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct CreateApiKey {
    /// What the key is for, e.g. "Harare ward office sync".
    #[oai(validator(min_length = 1, max_length = 120))]
    pub name: String,
    /// What it may do; at least one.
    #[oai(validator(min_items = 1, max_items = 5))]
    pub scopes: Vec<Scope>,
}

/// A record snapshot as the API shows it: fields without a value are left out, as everywhere.
fn without_nulls(value: serde_json::Value) -> serde_json::Value {
    match value {
        serde_json::Value::Object(map) => map
            .into_iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| (k, without_nulls(v)))
            .collect(),
        serde_json::Value::Array(items) => items.into_iter().map(without_nulls).collect(),
        other => other,
    }
}

/// An API key as listed (the key itself is never shown again after creation).
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ApiKey {
    pub id: i64,
    pub name: String,
    pub scopes: Vec<Scope>,
    /// The first characters of the key, to tell keys apart.
    pub key_prefix: String,
    pub created_at: DateTime<Utc>,
    /// When it was revoked; a revoked key no longer authenticates.
    pub revoked_at: Option<DateTime<Utc>>,
}

impl From<api_key::Model> for ApiKey {
    fn from(k: api_key::Model) -> Self {
        Self {
            id: k.id,
            scopes: accounts::scopes_of(&k)
                .into_iter()
                .map(Scope::from)
                .collect(),
            name: k.name,
            key_prefix: k.key_prefix,
            created_at: k.created_at,
            revoked_at: k.revoked_at,
        }
    }
}

/// A freshly created API key, with the key itself: store it now, it is shown only once.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct CreatedApiKey {
    pub id: i64,
    pub name: String,
    pub scopes: Vec<Scope>,
    /// The key: send it as `Authorization: Bearer <key>`. Shown once; only its hash is kept.
    pub key: String,
    pub key_prefix: String,
    pub created_at: DateTime<Utc>,
}

wire_page! {
    /// A page of API keys.
    ApiKeyPage of ApiKey
}

/// One change in the audit log.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct AuditEntry {
    pub id: i64,
    /// When the change was made.
    pub at: DateTime<Utc>,
    /// `user`, `api_key` or `system`.
    pub actor_kind: String,
    /// The user's or key's id.
    pub actor_id: Option<i64>,
    /// The user's email or the key's name at the time.
    pub actor_label: String,
    /// What kind of record changed, e.g. `course`, `enrolment`.
    pub entity: String,
    /// Which record changed.
    pub entity_id: i64,
    /// What was done, e.g. `create`, `update`, `revoke`.
    pub action: String,
    /// The record before the change.
    pub before: Option<serde_json::Value>,
    /// The record after the change.
    pub after: Option<serde_json::Value>,
}

impl From<audit_log::Model> for AuditEntry {
    fn from(a: audit_log::Model) -> Self {
        Self {
            id: a.id,
            at: a.at,
            actor_kind: a.actor_kind,
            actor_id: a.actor_id,
            actor_label: a.actor_label,
            entity: a.entity,
            entity_id: a.entity_id,
            action: a.action,
            before: a.before.map(without_nulls),
            after: a.after.map(without_nulls),
        }
    }
}

wire_page! {
    /// A page of audit entries.
    AuditPage of AuditEntry
}

#[derive(ApiResponse)]
enum LoginResult {
    /// Logged in.
    #[oai(status = 200)]
    Ok(Json<LoginResponse>),
}

#[derive(ApiResponse)]
enum NoContent {
    /// Done.
    #[oai(status = 204)]
    Done,
}

#[derive(ApiResponse)]
enum UserCreated {
    /// The account was created.
    #[oai(status = 201)]
    Created(Json<User>),
}

#[derive(ApiResponse)]
enum ApiKeyCreated {
    /// The key was created; `key` is shown only now.
    #[oai(status = 201)]
    Created(Json<CreatedApiKey>),
}

pub struct AuthApi;

#[OpenApi(prefix_path = "/api/v1", tag = "Tag::Auth")]
impl AuthApi {
    /// Log in
    ///
    /// Exchanges an email and password for a session token valid for 12 hours. A wrong email
    /// and a wrong password get the same 401. After 5 failures for one account (or 20 from one
    /// address) further attempts get 429 with `Retry-After` for a while.
    #[oai(path = "/auth/login", method = "post", operation_id = "login")]
    async fn login(
        &self,
        state: Data<&AppState>,
        req: &Request,
        body: JsonBody<LoginRequest>,
    ) -> Result<LoginResult, ApiError> {
        let address = req
            .remote_addr()
            .as_socket_addr()
            .map(|a| a.ip().to_string());
        let login = state
            .sign_in
            .with_password(
                &state.db,
                &body.0.email,
                address.as_deref(),
                &body.0.password,
            )
            .await?;
        match login {
            Some(login) => Ok(LoginResult::Ok(Json(LoginResponse {
                token: login.token,
                expires_at: login.expires_at,
                user: UserSummary {
                    id: login.user.id,
                    name: login.user.name,
                    email: login.user.email,
                    role: login.user.role.into(),
                },
            }))),
            None => Err(ApiError::Unauthorized(
                "the email or password is wrong".into(),
            )),
        }
    }

    /// Log out
    ///
    /// Ends the session whose token is presented; the token stops working at once (on
    /// PostgreSQL, in every server process sharing the database; on SQLite, other processes
    /// notice within `CSSD_AUTH_CACHE_SECONDS`). (API keys are revoked with
    /// `DELETE /api/v1/api-keys/{id}` instead.)
    #[oai(path = "/auth/logout", method = "post", operation_id = "logout")]
    async fn logout(
        &self,
        state: Data<&AppState>,
        req: &Request,
        _auth: Caller,
    ) -> Result<NoContent, ApiError> {
        let token = req
            .header("authorization")
            .and_then(|h| h.split_once(' ').map(|(_, t)| t.trim().to_owned()))
            .unwrap_or_default();
        accounts::logout(&state.db, &token).await?;
        state.auth_cache.forget(&token);
        Ok(NoContent::Done)
    }

    /// Who am I?
    ///
    /// The caller: a user (with role and linked participant) or an API key (with scopes).
    #[oai(path = "/me", method = "get", operation_id = "get_me")]
    async fn me(&self, auth: Caller) -> Json<Me> {
        Json(Me::from(&auth.0))
    }

    /// Change my password
    ///
    /// For users (an API key has no password: 403). The current password must be given (a
    /// wrong one is 403, and counts towards the login throttle like a failed login: 429 with
    /// `Retry-After` after too many); the new one follows the rules for passwords and differs
    /// from the current one (422). Every other session of the user ends at once, in every server
    /// process; the session that made the change stays open.
    #[oai(
        path = "/me/password",
        method = "post",
        operation_id = "change_my_password"
    )]
    async fn change_my_password(
        &self,
        state: Data<&AppState>,
        req: &Request,
        auth: SignedInUser,
        body: JsonBody<ChangePassword>,
    ) -> Result<NoContent, ApiError> {
        // (SignedInUser has already refused API keys.)
        let Principal::User { id, email, .. } = &auth.0 else {
            return Err(ApiError::Forbidden("an API key has no password".into()));
        };
        let address = req
            .remote_addr()
            .as_socket_addr()
            .map(|a| a.ip().to_string());
        let token = bearer_token(req);
        let b = body.0;
        state
            .sign_in
            .change_password(
                &state.db,
                address.as_deref(),
                &auth.actor(),
                (*id, email),
                &token,
                &b.current_password,
                &b.new_password,
            )
            .await?;
        state.auth_cache.forget_user(*id);
        Ok(NoContent::Done)
    }
}

/// The bearer token of a request (empty when there is none).
fn bearer_token(req: &Request) -> String {
    req.header("authorization")
        .and_then(|h| h.split_once(' ').map(|(_, t)| t.trim().to_owned()))
        .unwrap_or_default()
}

pub struct AdminApi;

#[OpenApi(prefix_path = "/api/v1", tag = "Tag::Administration")]
impl AdminApi {
    /// Create a user account
    ///
    /// Administrators only. Emails are unique regardless of case (409); passwords need at least
    /// 10 characters (422). A participant account should be linked to its participant record.
    #[oai(path = "/users", method = "post", operation_id = "create_user")]
    async fn create_user(
        &self,
        state: Data<&AppState>,
        auth: CanAdminister,
        body: JsonBody<CreateUser>,
    ) -> Result<UserCreated, ApiError> {
        let b = body.0;
        let new = accounts::NewUser {
            name: b.name,
            email: b.email,
            role: b.role.into(),
            password: b.password,
            participant_id: b.participant_id,
        };
        let user =
            accounts::create_user(&state.db, &state.sign_in.hashing, &auth.actor(), new).await?;
        Ok(UserCreated::Created(Json(user.into())))
    }

    /// List user accounts
    #[oai(path = "/users", method = "get", operation_id = "list_users")]
    async fn list_users(
        &self,
        state: Data<&AppState>,
        _auth: CanAdminister,
        /// Only accounts with this role.
        role: Query<Option<Role>>,
        /// How many to return (1–200, default 50).
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))]
        limit: Query<Option<u64>>,
        /// How many to skip (0–1,000,000,000).
        #[oai(validator(minimum(value = "0"), maximum(value = "1000000000")))]
        offset: Query<Option<u64>>,
    ) -> Result<Json<UserPage>, ApiError> {
        let found =
            accounts::list_users(&state.db, role.0.map(Into::into), page(limit.0, offset.0))
                .await?;
        Ok(Json(UserPage::from(found)))
    }

    /// Change a user account
    ///
    /// Administrators only. Renames, changes the role, or deactivates (`active: false`) or
    /// reactivates (`active: true`) an account. A deactivated user's sessions end at once, in
    /// every server process, and they cannot log in (403) until reactivated. A new role applies
    /// to their open sessions at once. The last active administrator can neither be deactivated
    /// nor lose the role (409).
    #[oai(path = "/users/:id", method = "patch", operation_id = "update_user")]
    async fn update_user(
        &self,
        state: Data<&AppState>,
        auth: CanAdminister,
        id: Path<i64>,
        body: JsonBody<UpdateUser>,
    ) -> Result<Json<User>, ApiError> {
        let b = body.0;
        let changes = accounts::UserChanges {
            name: b.name,
            role: b.role.map(Into::into),
            active: b.active,
        };
        let user = accounts::update_user(&state.db, &auth.actor(), id.0, changes).await?;
        state.auth_cache.forget_user(user.id);
        Ok(Json(user.into()))
    }

    /// Create an API key
    ///
    /// Administrators only. The response carries the key itself, once; only its SHA-256 is stored.
    #[oai(path = "/api-keys", method = "post", operation_id = "create_api_key")]
    async fn create_api_key(
        &self,
        state: Data<&AppState>,
        auth: CanAdminister,
        body: JsonBody<CreateApiKey>,
    ) -> Result<ApiKeyCreated, ApiError> {
        let scopes: Vec<String> = body
            .0
            .scopes
            .iter()
            .map(|s| DomainScope::from(*s).as_str().to_owned())
            .collect();
        let (model, key) =
            accounts::create_api_key(&state.db, &auth.actor(), &body.0.name, &scopes).await?;
        let listed = ApiKey::from(model);
        Ok(ApiKeyCreated::Created(Json(CreatedApiKey {
            id: listed.id,
            name: listed.name,
            scopes: listed.scopes,
            key,
            key_prefix: listed.key_prefix,
            created_at: listed.created_at,
        })))
    }

    /// List API keys
    ///
    /// Newest first; the keys themselves are never shown, only their first characters.
    #[oai(path = "/api-keys", method = "get", operation_id = "list_api_keys")]
    async fn list_api_keys(
        &self,
        state: Data<&AppState>,
        _auth: CanAdminister,
        /// How many to return (1–200, default 50).
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))]
        limit: Query<Option<u64>>,
        /// How many to skip (0–1,000,000,000).
        #[oai(validator(minimum(value = "0"), maximum(value = "1000000000")))]
        offset: Query<Option<u64>>,
    ) -> Result<Json<ApiKeyPage>, ApiError> {
        let found = accounts::list_api_keys(&state.db, page(limit.0, offset.0)).await?;
        Ok(Json(ApiKeyPage::from(found)))
    }

    /// Revoke an API key
    ///
    /// The key stops working at once (on PostgreSQL, in every server process sharing the
    /// database; on SQLite, other processes notice within `CSSD_AUTH_CACHE_SECONDS`). Revoking a
    /// revoked key is harmless.
    #[oai(
        path = "/api-keys/:id",
        method = "delete",
        operation_id = "revoke_api_key"
    )]
    async fn revoke_api_key(
        &self,
        state: Data<&AppState>,
        auth: CanAdminister,
        id: Path<i64>,
    ) -> Result<NoContent, ApiError> {
        accounts::revoke_api_key(&state.db, &auth.actor(), id.0).await?;
        state.auth_cache.forget_api_key(id.0);
        Ok(NoContent::Done)
    }

    /// Read the audit log
    ///
    /// Who changed what and when, newest first, with the record before and after the change.
    #[oai(path = "/audit", method = "get", operation_id = "list_audit_entries")]
    async fn audit(
        &self,
        state: Data<&AppState>,
        _auth: CanAdminister,
        /// Only changes to this kind of record, e.g. `course`, `enrolment`, `certificate`.
        entity: Query<Option<String>>,
        /// Only changes to the record with this id.
        entity_id: Query<Option<i64>>,
        /// How many to return (1–200, default 50).
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))]
        limit: Query<Option<u64>>,
        /// How many to skip (0–1,000,000,000).
        #[oai(validator(minimum(value = "0"), maximum(value = "1000000000")))]
        offset: Query<Option<u64>>,
    ) -> Result<Json<AuditPage>, ApiError> {
        super::check_query_text("entity", entity.0.as_deref())?;
        let filter = audit::AuditFilter {
            entity: entity.0,
            entity_id: entity_id.0,
        };
        let found = audit::list(&state.db, filter, page(limit.0, offset.0)).await?;
        Ok(Json(AuditPage::from(found)))
    }
}
