//! Authentication and authorisation at the HTTP edge.
//!
//! Every protected operation takes one guard as a parameter: [`Caller`] for "any
//! authenticated caller", or a `Can…` guard naming the [`Permission`] it needs. The guard runs
//! before the request body is read, looks the bearer token up once (session tokens and API keys
//! alike), and refuses with 401 (no or bad token) or 403 (not allowed) — so what a role may do is
//! decided in one place, [`Principal::may`], and declared in the signature of each operation.
//! All guards share one bearer security scheme in the spec.
//!
//! A token found valid is remembered for a few seconds ([`crate::auth_cache::AuthCache`]), so that a read is one
//! database query, not two; revocations reach the cache of every process ([`crate::revocation`]).

use poem::Request;
use poem_openapi::{SecurityScheme, auth::Bearer};

use crate::{
    domain::access::{Actor, Permission, Principal},
    error::ApiError,
    state::AppState,
};

/// Looks up the token and, when a permission is needed, checks it.
async fn authorize(
    req: &Request,
    bearer: Bearer,
    needs: Option<Permission>,
) -> poem::Result<Principal> {
    let state = req
        .data::<AppState>()
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("application state missing")))?;
    let principal = match state
        .auth_cache
        .authenticate(&state.db, &bearer.token)
        .await
    {
        Ok(Some(principal)) => principal,
        Ok(None) => {
            return Err(ApiError::Unauthorized(
                "the bearer token is unknown, expired or revoked".into(),
            )
            .into());
        }
        Err(err) => return Err(ApiError::from(err).into()),
    };
    match needs {
        Some(permission) if !principal.may(permission) => Err(ApiError::Forbidden(format!(
            "this account may not {}",
            permission.describe()
        ))
        .into()),
        _ => Ok(principal),
    }
}

macro_rules! guard {
    ($(#[$meta:meta])* $name:ident, $needs:expr) => {
        /// A session token from `POST /api/v1/auth/login`, or an API key from
        /// `POST /api/v1/api-keys`, sent as `Authorization: Bearer <token>`.
        #[derive(SecurityScheme)]
        #[oai(rename = "BearerAuth", ty = "bearer", bearer_format = "opaque token", checker = "Self::check")]
        $(#[$meta])*
        pub struct $name(pub Principal);

        impl $name {
            async fn check(req: &Request, bearer: Bearer) -> poem::Result<Principal> {
                authorize(req, bearer, $needs).await
            }

            /// The caller as the audit log records them.
            pub fn actor(&self) -> Actor {
                self.0.actor()
            }
        }
    };
}

guard!(Caller, None);
guard!(CanReadCatalogue, Some(Permission::ReadCatalogue));
guard!(CanManageCatalogue, Some(Permission::ManageCatalogue));
guard!(CanReadParticipants, Some(Permission::ReadParticipants));
guard!(CanReadRegister, Some(Permission::ReadRegister));
guard!(CanManageParticipants, Some(Permission::ManageParticipants));
guard!(CanEnrol, Some(Permission::Enrol));
guard!(CanRecordAttendance, Some(Permission::RecordAttendance));
guard!(CanManageCertificates, Some(Permission::ManageCertificates));
guard!(CanAdminister, Some(Permission::Administer));
guard!(CanEvaluate, Some(Permission::Evaluate));
guard!(CanReadEvaluations, Some(Permission::ReadEvaluations));
guard!(CanRecordOutreach, Some(Permission::RecordOutreach));

/// A person signed in with a session token (not an API key), for operations on one's own
/// account such as changing one's password; an API key gets 403.
#[derive(SecurityScheme)]
#[oai(
    rename = "BearerAuth",
    ty = "bearer",
    bearer_format = "opaque token",
    checker = "Self::check"
)]
pub struct SignedInUser(pub Principal);

impl SignedInUser {
    async fn check(req: &Request, bearer: Bearer) -> poem::Result<Principal> {
        let principal = authorize(req, bearer, None).await?;
        if matches!(principal, Principal::ApiKey { .. }) {
            return Err(ApiError::Forbidden(
                "this is for people signed in with a session, not API keys (an API key has no \
                 password: revoke it and create a new one instead)"
                    .into(),
            )
            .into());
        }
        Ok(principal)
    }

    /// The caller as the audit log records them.
    pub fn actor(&self) -> Actor {
        self.0.actor()
    }
}
