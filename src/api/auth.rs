//! Logging in and out, and the caller's own account (`/auth/*`, `/me`).

use crate::api::timestamp::Timestamp;

use poem::{Request, web::Data};
use poem_openapi::{ApiResponse, Object, OpenApi, payload::Json};

use super::{JsonBody, NoContent, Tag, api_keys::Scope, users::Role};
use crate::{
    auth::{Caller, SignedInUser},
    domain::access::Principal,
    error::ApiError,
    services::accounts,
    state::AppState,
};

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
    pub expires_at: Timestamp,
    /// Who logged in.
    pub user: UserSummary,
}

impl From<accounts::Login> for LoginResponse {
    fn from(login: accounts::Login) -> Self {
        Self {
            token: login.token,
            expires_at: login.expires_at.into(),
            user: UserSummary {
                id: login.user.id,
                name: login.user.name,
                email: login.user.email,
                role: login.user.role.into(),
            },
        }
    }
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
#[derive(ApiResponse)]
enum LoginResult {
    /// Logged in.
    #[oai(status = 200)]
    Ok(Json<LoginResponse>),
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
        let address = crate::forwarded::client_ip(req);
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
            Some(login) => Ok(LoginResult::Ok(Json(login.into()))),
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
        let address = crate::forwarded::client_ip(req);
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
