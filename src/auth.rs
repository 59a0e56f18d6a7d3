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
//! database query, not two; revocations reach the cache of every process ([`crate::revocation`]).

use std::{
    sync::{
        Arc, RwLock,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
    time::Duration,
};

use chrono::{DateTime, Utc};
use poem::Request;
use poem_openapi::{SecurityScheme, auth::Bearer};

use crate::{
    AppState,
    domain::access::{Actor, Permission, Principal},
    error::ApiError,
    revocation::Revocation,
    services::accounts::{self, Authenticated},
};

/// Bearer tokens recently found valid, by their SHA-256 (the token itself is not kept).
///
/// Only valid tokens are remembered, each for at most the configured time and never past its
/// session's expiry. Logging out, revoking a key and changing a user forget the affected tokens
/// at once in this process; on PostgreSQL every other process sharing the database forgets them
/// too as soon as the change commits ([`crate::revocation`]), and a process that is not
/// listening for such announcements does not use what it remembered.
#[derive(Clone)]
pub struct AuthCache {
    /// What was found, and when (by [`AuthCache`]'s clock).
    cache: Option<moka::sync::Cache<String, (Authenticated, DateTime<Utc>)>>,
    ttl: Duration,
    state: Arc<CacheState>,
}

/// The time as the cache sees it: when a remembered token is too old, when a session has
/// expired. A function, so that tests can move it instead of waiting.
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

struct CacheState {
    /// Bumped by every forgetting: an answer looked up while something was forgotten is not
    /// remembered, since it may predate the revocation.
    generation: AtomicU64,
    /// Whether remembered answers may be used (off while revocations cannot be heard).
    trusted: AtomicBool,
    clock: RwLock<Clock>,
}

impl AuthCache {
    /// A cache remembering tokens for `ttl`; zero turns it off.
    pub fn new(ttl: Duration) -> Self {
        Self {
            cache: (!ttl.is_zero()).then(|| {
                moka::sync::Cache::builder()
                    .max_capacity(100_000)
                    .time_to_live(ttl)
                    .support_invalidation_closures()
                    .build()
            }),
            ttl,
            state: Arc::new(CacheState {
                generation: AtomicU64::new(0),
                trusted: AtomicBool::new(true),
                clock: RwLock::new(Arc::new(Utc::now)),
            }),
        }
    }

    /// Replaces the clock (tests move time with it rather than sleep).
    pub fn set_clock(&self, clock: Clock) {
        *self
            .state
            .clock
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = clock;
    }

    fn now(&self) -> DateTime<Utc> {
        let clock = self
            .state
            .clock
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone();
        clock()
    }

    /// Whether tokens are remembered at all (a time above zero).
    pub fn is_enabled(&self) -> bool {
        self.cache.is_some()
    }

    /// Whether remembered tokens are used right now.
    pub fn is_trusted(&self) -> bool {
        self.cache.is_some() && self.state.trusted.load(Ordering::SeqCst)
    }

    /// Stops using remembered tokens (and forgets them) until [`AuthCache::resume`]: revocations
    /// made elsewhere cannot be heard.
    pub fn suspend(&self) {
        self.state.trusted.store(false, Ordering::SeqCst);
        self.forget_all();
    }

    /// Uses remembered tokens again, starting from none: revocations are heard from now on.
    pub fn resume(&self) {
        self.forget_all();
        self.state.trusted.store(true, Ordering::SeqCst);
    }

    /// Who holds `token`: from the cache, or looked up and remembered.
    pub async fn authenticate(
        &self,
        db: &sea_orm::DatabaseConnection,
        token: &str,
    ) -> crate::domain::Result<Option<Principal>> {
        let now = self.now();
        let Some(cache) = self.cache.as_ref().filter(|_| self.is_trusted()) else {
            return Ok(accounts::authenticate_at(db, token, now)
                .await?
                .map(|found| found.principal));
        };
        let key = accounts::secret_hash(token);
        // Remembered for at most the configured time, and never past the session's expiry.
        let fresh = |(found, at): &(Authenticated, DateTime<Utc>)| {
            now.signed_duration_since(*at)
                .to_std()
                .is_ok_and(|age| age < self.ttl)
                && found.expires_at.is_none_or(|expiry| expiry > now)
        };
        if let Some(remembered) = cache.get(&key) {
            if fresh(&remembered) {
                return Ok(Some(remembered.0.principal));
            }
            cache.invalidate(&key);
        }
        let generation = self.state.generation.load(Ordering::SeqCst);
        let Some(found) = accounts::authenticate_at(db, token, now).await? else {
            return Ok(None);
        };
        let principal = found.principal.clone();
        cache.insert(key.clone(), (found, now));
        // A forgetting that began after the lookup started may have missed this entry (or the
        // lookup may have read what it revoked): take it out again.
        if self.state.generation.load(Ordering::SeqCst) != generation || !self.is_trusted() {
            cache.invalidate(&key);
        }
        Ok(Some(principal))
    }

    fn forget_where(
        &self,
        matches: impl Fn(&String, &(Authenticated, DateTime<Utc>)) -> bool + Send + Sync + 'static,
    ) {
        self.state.generation.fetch_add(1, Ordering::SeqCst);
        if let Some(cache) = &self.cache
            && cache.invalidate_entries_if(matches).is_err()
        {
            cache.invalidate_all();
        }
    }

    /// Forgets one token (after logout).
    pub fn forget(&self, token: &str) {
        self.forget_session(accounts::secret_hash(token));
    }

    fn forget_session(&self, token_hash: String) {
        self.state.generation.fetch_add(1, Ordering::SeqCst);
        if let Some(cache) = &self.cache {
            cache.invalidate(&token_hash);
        }
    }

    /// Forgets every session token of one user (after they were deactivated or changed).
    pub fn forget_user(&self, user_id: i64) {
        self.forget_where(
            move |_, (found, _)| matches!(found.principal, Principal::User { id, .. } if id == user_id),
        );
    }

    /// Forgets one API key (after it was revoked).
    pub fn forget_api_key(&self, key_id: i64) {
        self.forget_where(
            move |_, (found, _)| matches!(found.principal, Principal::ApiKey { id, .. } if id == key_id),
        );
    }

    /// Forgets every token.
    pub fn forget_all(&self) {
        self.state.generation.fetch_add(1, Ordering::SeqCst);
        if let Some(cache) = &self.cache {
            cache.invalidate_all();
        }
    }

    /// Forgets what `revocation` affects.
    pub fn apply(&self, revocation: &Revocation) {
        match revocation {
            Revocation::Session { token_hash } => self.forget_session(token_hash.clone()),
            Revocation::User(id) => self.forget_user(*id),
            Revocation::ApiKey(id) => self.forget_api_key(*id),
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
