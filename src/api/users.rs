//! User accounts (administrators).

use crate::api::timestamp::Timestamp;

use entity::{app_user, app_user::Role as DbRole};
use poem::web::Data;
use poem_openapi::{
    ApiResponse, Object, OpenApi,
    param::{Path, Query},
    payload::Json,
};

use super::{JsonBody, Tag, page};
use crate::{auth::CanAdminister, error::ApiError, services::accounts, state::AppState};

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
    pub created_at: Timestamp,
    /// Whether the account may log in; a deactivated account has no live sessions.
    pub active: bool,
    /// When the account was deactivated (absent while it is active).
    #[oai(skip_serializing_if_is_none)]
    pub deactivated_at: Option<Timestamp>,
}

impl From<app_user::Model> for User {
    fn from(u: app_user::Model) -> Self {
        Self {
            id: u.id,
            name: u.name,
            email: u.email,
            role: u.role.into(),
            participant_id: u.participant_id,
            created_at: u.created_at.into(),
            active: u.deactivated_at.is_none(),
            deactivated_at: u.deactivated_at.map(Timestamp::from),
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
wire_page! {
    /// A page of users.
    UserPage of User
}
#[derive(ApiResponse)]
enum UserCreated {
    /// The account was created.
    #[oai(status = 201)]
    Created(Json<User>),
}

pub struct UsersApi;

#[OpenApi(prefix_path = "/api/v1", tag = "Tag::Administration")]
impl UsersApi {
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
}
