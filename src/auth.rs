//! Authentication and authorisation at the HTTP edge.
//!
//! Every protected operation takes one guard as a parameter: [`Caller`] for "any
//! authenticated caller", or a `Can…` guard naming the [`Permission`] it needs. The guard runs
//! before the request body is read, looks the bearer token up once (session tokens and API keys
//! alike), and refuses with 401 (no or bad token) or 403 (not allowed) — so what a role may do is
//! decided in one place, [`Principal::may`], and declared in the signature of each operation.
//! All guards share one bearer security scheme in the spec.
//!
//! A token found valid is remembered for a few seconds ([`AuthCache`]), so that a read is one
//! database query, not two.

use std::time::Duration;

use chrono::Utc;
use poem::Request;
use poem_openapi::{SecurityScheme, auth::Bearer};

use crate::{
    AppState,
    domain::access::{Actor, Permission, Principal},
    error::ApiError,
    services::accounts::{self, Authenticated},
};

/// Bearer tokens recently found valid, by their SHA-256 (the token itself is not kept).
///
/// Only valid tokens are remembered, each for at most the configured time and never past its
/// session's expiry. Logging out and revoking a key forget at once in this process; another
/// process sharing the same PostgreSQL database notices within the configured time.
#[derive(Clone)]
pub struct AuthCache {
    cache: Option<moka::sync::Cache<String, Authenticated>>,
}

impl AuthCache {
    /// A cache remembering tokens for `ttl`; zero turns it off.
    pub fn new(ttl: Duration) -> Self {
        Self {
            cache: (!ttl.is_zero()).then(|| {
                moka::sync::Cache::builder()
                    .max_capacity(100_000)
                    .time_to_live(ttl)
                    .build()
            }),
        }
    }

    /// Who holds `token`: from the cache, or looked up and remembered.
    pub async fn authenticate(
        &self,
        db: &sea_orm::DatabaseConnection,
        token: &str,
    ) -> crate::domain::Result<Option<Principal>> {
        let Some(cache) = &self.cache else {
            return Ok(accounts::authenticate(db, token)
                .await?
                .map(|found| found.principal));
        };
        let key = accounts::secret_hash(token);
        let live = |found: &Authenticated| found.expires_at.is_none_or(|at| at > Utc::now());
        if let Some(found) = cache.get(&key) {
            if live(&found) {
                return Ok(Some(found.principal));
            }
            cache.invalidate(&key);
        }
        let Some(found) = accounts::authenticate(db, token).await? else {
            return Ok(None);
        };
        let principal = found.principal.clone();
        cache.insert(key, found);
        Ok(Some(principal))
    }

    /// Forgets one token (after logout).
    pub fn forget(&self, token: &str) {
        if let Some(cache) = &self.cache {
            cache.invalidate(&accounts::secret_hash(token));
        }
    }

    /// Forgets every token (after a key is revoked: rare, and keys are not indexed here by id).
    pub fn forget_all(&self) {
        if let Some(cache) = &self.cache {
            cache.invalidate_all();
        }
    }
}

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
