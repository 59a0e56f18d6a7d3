//! Slows down password guessing: after repeated failed logins for one account or from one
//! address, further attempts are refused for a while (429 with `Retry-After` at the edge).
//!
//! Kept in memory: it protects one server process, and a restart forgetting it is harmless.
//!
//! Written here rather than taken from a rate-limiting crate (`governor` and the like), because
//! what it counts is not a rate: an attempt is reserved *before* its password is checked and
//! counts while the check runs, a success clears the account's failures, and locks double with
//! each further failure. A token bucket expresses none of these. What a crate would give for
//! free is done by hand and kept small: every key is a fixed-size SHA-256 digest (an attacker's
//! megabyte-long email costs 32 bytes), the table holds at most [`MAX_KEYS`] keys, and keys
//! whose failures are forgotten are swept out every [`SWEEP_EVERY`].

use std::{
    collections::HashMap,
    sync::Mutex,
    time::{Duration, Instant},
};

use sha2::{Digest, Sha256};

/// Failures for one account before it is locked.
pub const ACCOUNT_FAILURES_ALLOWED: u32 = 5;
/// Failures from one address before it is locked (higher: offices share one address).
pub const ADDRESS_FAILURES_ALLOWED: u32 = 20;
/// The most keys remembered; past it the keys seen longest ago are forgotten first.
pub const MAX_KEYS: usize = 100_000;
/// How often forgotten keys are swept out of the table.
pub const SWEEP_EVERY: Duration = Duration::from_secs(60);
pub use crate::domain::throttle::{FIRST_LOCK, WINDOW};
use crate::domain::throttle::{KeyState, forgotten, lock_after, refusal};

/// What an attempt is for. Each purpose counts apart, so that asking for sign-in links from a
/// shared office address never locks that address's password logins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// A password login or a password check.
    Password,
    /// A request for a sign-in link by email.
    EmailLink,
    /// A request for a sign-in code by SMS (keyed by the phone number).
    SmsCode,
    /// Entering a sign-in code (keyed by the phone number).
    SmsCodeEntry,
    /// An application for a place in a public workshop (per contact and per address).
    Application,
}

/// A throttle key: the SHA-256 of what it stands for (purpose, kind, value).
type Key = [u8; 32];

#[derive(Debug)]
struct Failures {
    count: u32,
    /// Attempts whose password is being checked right now.
    pending: u32,
    last: Instant,
    locked_until: Option<Instant>,
}

#[derive(Debug)]
struct Table {
    entries: HashMap<Key, Failures>,
    swept: Option<Instant>,
}

/// Failed-login bookkeeping, keyed by account (lower-cased email) and by client address.
///
/// An attempt is reserved *before* its password is checked ([`LoginThrottle::begin`]) and
/// counted against the allowance while the check runs, so parallel guesses cannot all slip in
/// before the first failure is recorded: of 40 simultaneous wrong passwords for one account,
/// at most [`ACCOUNT_FAILURES_ALLOWED`] are checked and the rest are refused.
#[derive(Debug)]
pub struct LoginThrottle {
    table: Mutex<Table>,
    max_keys: usize,
}

impl Default for LoginThrottle {
    fn default() -> Self {
        Self::with_capacity(MAX_KEYS)
    }
}

/// One key an attempt counts against, with its allowance.
#[derive(Debug, Clone, Copy)]
struct Counted {
    key: Key,
    allowed: u32,
    /// The account's key (cleared by a success), not the address's.
    account: bool,
}

/// A reserved login attempt. Say how it ended with [`Attempt::succeeded`] or
/// [`Attempt::failed`]; dropped without either (the request was cancelled), it counts as a
/// failure.
#[must_use = "an attempt must be ended with succeeded() or failed()"]
pub struct Attempt<'a> {
    throttle: &'a LoginThrottle,
    keys: Vec<Counted>,
    ended: bool,
}

impl Attempt<'_> {
    /// The password was right: the account's failures are forgotten.
    pub fn succeeded(mut self) {
        self.ended = true;
        self.throttle.end(&self.keys, true, Instant::now());
    }

    /// The password was wrong (or the account unknown).
    pub fn failed(mut self) {
        self.ended = true;
        self.throttle.end(&self.keys, false, Instant::now());
    }

    /// The attempt ended before its password was judged either way (the request was refused
    /// for another reason): it counts neither as a failure nor as a success.
    pub fn released(mut self) {
        self.ended = true;
        self.throttle.release(&self.keys);
    }
}

impl Drop for Attempt<'_> {
    fn drop(&mut self) {
        if !self.ended {
            self.throttle.end(&self.keys, false, Instant::now());
        }
    }
}

impl LoginThrottle {
    /// A throttle remembering at most `max_keys` keys.
    pub fn with_capacity(max_keys: usize) -> Self {
        Self {
            table: Mutex::new(Table {
                entries: HashMap::new(),
                swept: None,
            }),
            max_keys: max_keys.max(2),
        }
    }

    /// How many keys are remembered right now (bounded by the capacity).
    pub fn len(&self) -> usize {
        self.lock().entries.len()
    }

    /// Whether nothing is remembered.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Table> {
        self.table.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Reserves a password attempt for `email` from `address` (see [`LoginThrottle::begin_for`]).
    pub fn begin(
        &self,
        email: &str,
        address: Option<&str>,
        now: Instant,
    ) -> Result<Attempt<'_>, Duration> {
        self.begin_for(Purpose::Password, email, address, now)
    }

    /// Reserves an attempt for `purpose` for `email` from `address`, or says how long to wait:
    /// when the account or address is locked, or its failures plus the attempts in flight
    /// already reach its allowance.
    pub fn begin_for(
        &self,
        purpose: Purpose,
        email: &str,
        address: Option<&str>,
        now: Instant,
    ) -> Result<Attempt<'_>, Duration> {
        let keys = Self::keys(purpose, email, address);
        let mut table = self.lock();
        self.sweep(&mut table, now);
        let mut wait: Option<Duration> = None;
        for counted in &keys {
            let Some(entry) = table.entries.get_mut(&counted.key) else {
                continue;
            };
            if entry.pending == 0 && forgotten(entry.last, now) {
                entry.count = 0;
                entry.locked_until = None;
            }
            let state = KeyState {
                failures: entry.count,
                pending: entry.pending,
                locked_until: entry.locked_until,
            };
            wait = wait.max(refusal(state, counted.allowed, now));
        }
        if let Some(wait) = wait {
            return Err(wait);
        }
        for counted in &keys {
            if !table.entries.contains_key(&counted.key) {
                self.make_room(&mut table);
            }
            table
                .entries
                .entry(counted.key)
                .or_insert(Failures {
                    count: 0,
                    pending: 0,
                    last: now,
                    locked_until: None,
                })
                .pending += 1;
        }
        Ok(Attempt {
            throttle: self,
            keys,
            ended: false,
        })
    }

    /// Forgets keys whose failures are forgotten, at most once every [`SWEEP_EVERY`].
    fn sweep(&self, table: &mut Table, now: Instant) {
        if table
            .swept
            .is_some_and(|at| now.saturating_duration_since(at) < SWEEP_EVERY)
        {
            return;
        }
        table.swept = Some(now);
        table
            .entries
            .retain(|_, f| f.pending > 0 || !forgotten(f.last, now));
    }

    /// With the table full, forgets the tenth of its keys seen longest ago (keys with attempts
    /// in flight are kept), so that filling it costs one sort per tenth of the table.
    fn make_room(&self, table: &mut Table) {
        if table.entries.len() < self.max_keys {
            return;
        }
        let mut idle: Vec<(Instant, Key)> = table
            .entries
            .iter()
            .filter(|(_, f)| f.pending == 0)
            .map(|(k, f)| (f.last, *k))
            .collect();
        idle.sort_unstable_by_key(|(last, _)| *last);
        let drop = (self.max_keys / 10).max(1);
        for (_, key) in idle.into_iter().take(drop) {
            table.entries.remove(&key);
        }
    }

    /// Ends a reserved attempt: a failure counts (and may lock), a success clears the account.
    fn end(&self, keys: &[Counted], success: bool, now: Instant) {
        let mut table = self.lock();
        for counted in keys {
            let Some(entry) = table.entries.get_mut(&counted.key) else {
                continue;
            };
            entry.pending = entry.pending.saturating_sub(1);
            if success {
                if counted.account {
                    entry.count = 0;
                    entry.locked_until = None;
                }
                continue;
            }
            if forgotten(entry.last, now) {
                entry.count = 0;
            }
            entry.count += 1;
            entry.last = now;
            if let Some(lock) = lock_after(entry.count, counted.allowed) {
                entry.locked_until = Some(now + lock);
            }
        }
    }

    /// Gives back a reserved attempt without counting it.
    fn release(&self, keys: &[Counted]) {
        let mut table = self.lock();
        for counted in keys {
            if let Some(entry) = table.entries.get_mut(&counted.key) {
                entry.pending = entry.pending.saturating_sub(1);
            }
        }
    }

    fn keys(purpose: Purpose, email: &str, address: Option<&str>) -> Vec<Counted> {
        let digest = |kind: &str, value: &str| -> Key {
            let mut hasher = Sha256::new();
            hasher.update(format!("{purpose:?}/{kind}/").as_bytes());
            hasher.update(value.as_bytes());
            hasher.finalize().into()
        };
        let mut keys = vec![Counted {
            key: digest("account", email),
            allowed: ACCOUNT_FAILURES_ALLOWED,
            account: true,
        }];
        if let Some(address) = address {
            keys.push(Counted {
                key: digest("address", address),
                allowed: ADDRESS_FAILURES_ALLOWED,
                account: false,
            });
        }
        keys
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fail(throttle: &LoginThrottle, email: &str, address: Option<&str>, now: Instant) {
        let mut attempt = throttle.begin(email, address, now).expect("not locked");
        throttle.end(&attempt.keys, false, now);
        attempt.ended = true;
    }

    #[test]
    fn an_account_locks_after_five_failures_and_the_lock_grows() {
        let throttle = LoginThrottle::default();
        let t0 = Instant::now();
        for _ in 0..5 {
            fail(&throttle, "a@x.org", None, t0);
        }
        assert_eq!(throttle.begin("a@x.org", None, t0).err(), Some(FIRST_LOCK));
        fail(&throttle, "a@x.org", None, t0 + FIRST_LOCK);
        assert_eq!(
            throttle.begin("a@x.org", None, t0 + FIRST_LOCK).err(),
            Some(FIRST_LOCK * 2)
        );
        assert!(throttle.begin("other@x.org", None, t0).is_ok());
    }

    #[test]
    fn four_failures_leave_the_fifth_attempt_open() {
        let throttle = LoginThrottle::default();
        let t0 = Instant::now();
        for _ in 0..4 {
            fail(&throttle, "a@x.org", None, t0);
        }
        throttle.begin("a@x.org", None, t0).unwrap().succeeded();
    }

    #[test]
    fn a_lock_expires() {
        let throttle = LoginThrottle::default();
        let t0 = Instant::now();
        for _ in 0..5 {
            fail(&throttle, "a@x.org", None, t0);
        }
        assert!(throttle.begin("a@x.org", None, t0 + FIRST_LOCK).is_ok());
    }

    #[test]
    fn attempts_in_flight_count_against_the_allowance() {
        let throttle = LoginThrottle::default();
        let t0 = Instant::now();
        let in_flight: Vec<_> = (0..40)
            .filter_map(|_| throttle.begin("a@x.org", None, t0).ok())
            .collect();
        assert_eq!(in_flight.len(), ACCOUNT_FAILURES_ALLOWED as usize);
        for attempt in in_flight {
            attempt.failed();
        }
        assert!(throttle.begin("a@x.org", None, Instant::now()).is_err());
    }

    #[test]
    fn an_abandoned_attempt_counts_as_a_failure() {
        let throttle = LoginThrottle::default();
        let t0 = Instant::now();
        for _ in 0..ACCOUNT_FAILURES_ALLOWED {
            drop(throttle.begin("a@x.org", None, t0).unwrap());
        }
        assert!(throttle.begin("a@x.org", None, Instant::now()).is_err());
    }

    #[test]
    fn success_clears_the_account_but_not_the_address() {
        let throttle = LoginThrottle::default();
        let t0 = Instant::now();
        for i in 0..ADDRESS_FAILURES_ALLOWED {
            fail(&throttle, &format!("u{i}@x.org"), Some("10.0.0.1"), t0);
        }
        assert!(throttle.begin("new@x.org", Some("10.0.0.1"), t0).is_err());
        let ok = throttle.begin("new@x.org", Some("10.0.0.2"), t0).unwrap();
        ok.succeeded();
        for _ in 0..4 {
            fail(&throttle, "z@x.org", None, t0);
        }
        throttle.begin("z@x.org", None, t0).unwrap().succeeded();
        for _ in 0..4 {
            fail(&throttle, "z@x.org", None, t0);
        }
        assert!(throttle.begin("z@x.org", None, t0).is_ok());
    }

    #[test]
    fn link_requests_and_password_logins_count_apart_for_one_address() {
        let throttle = LoginThrottle::default();
        let t0 = Instant::now();
        for i in 0..ADDRESS_FAILURES_ALLOWED {
            throttle
                .begin_for(
                    Purpose::EmailLink,
                    &format!("u{i}@x.org"),
                    Some("10.0.0.1"),
                    t0,
                )
                .unwrap()
                .failed();
        }
        assert!(
            throttle
                .begin_for(Purpose::EmailLink, "new@x.org", Some("10.0.0.1"), t0)
                .is_err()
        );
        throttle
            .begin("trainer@x.org", Some("10.0.0.1"), t0)
            .unwrap()
            .succeeded();
    }

    #[test]
    fn keys_take_the_same_room_however_long_the_email() {
        let throttle = LoginThrottle::default();
        let t0 = Instant::now();
        let huge = "a".repeat(1 << 20);
        let attempt = throttle.begin(&huge, Some("10.0.0.1"), t0).unwrap();
        assert!(attempt.keys.iter().all(|k| k.key.len() == 32));
        attempt.failed();
    }

    #[test]
    fn the_table_never_holds_more_than_its_capacity() {
        let throttle = LoginThrottle::with_capacity(100);
        let t0 = Instant::now();
        for _ in 0..ACCOUNT_FAILURES_ALLOWED {
            fail(&throttle, "target@x.org", None, t0);
        }
        for i in 0..1_000u64 {
            let at = t0 + Duration::from_millis(i);
            fail(&throttle, &format!("u{i}@x.org"), None, at);
            assert!(throttle.len() <= 100);
        }
        assert!(throttle.len() <= 100);
    }

    #[test]
    fn forgotten_keys_are_swept_out() {
        let throttle = LoginThrottle::default();
        let t0 = Instant::now();
        for i in 0..50 {
            fail(&throttle, &format!("u{i}@x.org"), None, t0);
        }
        assert_eq!(throttle.len(), 50);
        let later = t0 + WINDOW + SWEEP_EVERY;
        throttle.begin("x@x.org", None, later).unwrap().succeeded();
        assert_eq!(throttle.len(), 1);
    }
}
