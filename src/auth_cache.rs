//! Bearer tokens recently found valid, remembered for a few seconds so that a read is one
//! database query, not two; and [`follow`], which applies the revocations that other processes
//! announce ([`crate::revocation`]) to the cache. It sits above the services (it asks
//! `services::accounts` to look a token up) and below the HTTP edge that uses it.

use std::{
    sync::{
        Arc, RwLock,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
    time::Duration,
};

use chrono::{DateTime, Utc};
use sea_orm::{
    DatabaseConnection,
    sqlx::postgres::{PgListener, PgPoolOptions},
};
use tokio::sync::watch;

use crate::{
    domain::access::Principal,
    revocation::{CHANNEL, Revocation},
    services::accounts::{self, Authenticated},
};

/// The longest wait between attempts to listen again after the connection was lost.
const MAX_RETRY_DELAY: Duration = Duration::from_secs(5);

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

/// Listens for revocations on PostgreSQL and applies them to `cache` until `shutdown` turns true.
///
/// The cache is trusted only while the listener is subscribed: before the first subscription
/// and whenever the connection is lost it is emptied and bypassed, then emptied again once the
/// listener is back (notifications sent meanwhile are gone). A lost connection is retried with
/// a delay growing from 100 ms to 5 s. The listener has a connection of its own, outside the
/// request pool.
pub async fn follow(
    db: &DatabaseConnection,
    cache: AuthCache,
    mut shutdown: watch::Receiver<bool>,
) {
    let options = (*db.get_postgres_connection_pool().connect_options()).clone();
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .max_lifetime(None)
        .idle_timeout(None)
        .connect_lazy_with(options);
    let mut delay = Duration::from_millis(100);
    while !*shutdown.borrow() {
        let subscribe = async {
            let mut listener = PgListener::connect_with(&pool).await?;
            listener.listen(CHANNEL).await?;
            Ok::<_, sea_orm::sqlx::Error>(listener)
        };
        let outcome = tokio::select! {
            outcome = subscribe => outcome,
            _ = shutdown.wait_for(|stop| *stop) => break,
        };
        match outcome {
            Ok(mut listener) => {
                cache.resume();
                delay = Duration::from_millis(100);
                tracing::info!(channel = CHANNEL, "following credential revocations");
                loop {
                    let received = tokio::select! {
                        received = listener.try_recv() => received,
                        _ = shutdown.wait_for(|stop| *stop) => break,
                    };
                    match received {
                        Ok(Some(notification)) => match Revocation::parse(notification.payload()) {
                            Some(revocation) => cache.apply(&revocation),
                            None => {
                                tracing::warn!(
                                    payload = notification.payload(),
                                    "unknown revocation; forgetting every token"
                                );
                                cache.forget_all();
                            }
                        },
                        // The connection was lost and has been made again (and subscribed):
                        // whatever was announced in between is unknown.
                        Ok(None) => {
                            tracing::warn!("revocation listener reconnected");
                            cache.forget_all();
                        }
                        Err(err) => {
                            cache.suspend();
                            tracing::warn!(error = %err, "revocation listener lost its connection; remembered tokens are not used until it is back");
                            break;
                        }
                    }
                }
            }
            Err(err) => {
                cache.suspend();
                tracing::warn!(error = %err, retry_in = ?delay, "cannot listen for credential revocations");
            }
        }
        if *shutdown.borrow() {
            break;
        }
        tokio::select! {
            () = tokio::time::sleep(delay) => {}
            _ = shutdown.wait_for(|stop| *stop) => break,
        }
        delay = (delay * 2).min(MAX_RETRY_DELAY);
    }
    cache.suspend();
    pool.close().await;
}
