//! Slows down password guessing: after repeated failed logins for one account or from one
//! address, further attempts are refused for a while (429 with `Retry-After` at the edge).
//!
//! Kept in memory: it protects one server process, and a restart forgetting it is harmless.

use std::{
    collections::HashMap,
    sync::Mutex,
    time::{Duration, Instant},
};

/// Failures for one account before it is locked.
pub const ACCOUNT_FAILURES_ALLOWED: u32 = 5;
/// Failures from one address before it is locked (higher: offices share one address).
pub const ADDRESS_FAILURES_ALLOWED: u32 = 20;
pub use crate::domain::throttle::{FIRST_LOCK, WINDOW};
use crate::domain::throttle::{KeyState, forgotten, lock_after, refusal};

#[derive(Debug)]
struct Failures {
    count: u32,
    /// Attempts whose password is being checked right now.
    pending: u32,
    last: Instant,
    locked_until: Option<Instant>,
}

/// Failed-login bookkeeping, keyed by account (lower-cased email) and by client address.
///
/// An attempt is reserved *before* its password is checked ([`LoginThrottle::begin`]) and
/// counted against the allowance while the check runs, so parallel guesses cannot all slip in
/// before the first failure is recorded: of 40 simultaneous wrong passwords for one account,
/// at most [`ACCOUNT_FAILURES_ALLOWED`] are checked and the rest are refused.
#[derive(Debug, Default)]
pub struct LoginThrottle {
    entries: Mutex<HashMap<String, Failures>>,
}

/// A reserved login attempt. Say how it ended with [`Attempt::succeeded`] or
/// [`Attempt::failed`]; dropped without either (the request was cancelled), it counts as a
/// failure.
#[must_use = "an attempt must be ended with succeeded() or failed()"]
pub struct Attempt<'a> {
    throttle: &'a LoginThrottle,
    email: String,
    address: Option<String>,
    ended: bool,
}

impl Attempt<'_> {
    /// The password was right: the account's failures are forgotten.
    pub fn succeeded(mut self) {
        self.ended = true;
        self.throttle
            .end(&self.email, self.address.as_deref(), true, Instant::now());
    }

    /// The password was wrong (or the account unknown).
    pub fn failed(mut self) {
        self.ended = true;
        self.throttle
            .end(&self.email, self.address.as_deref(), false, Instant::now());
    }
}

impl Attempt<'_> {
    /// The attempt ended before its password was judged either way (the request was refused
    /// for another reason): it counts neither as a failure nor as a success.
    pub fn released(mut self) {
        self.ended = true;
        self.throttle.release(&self.email, self.address.as_deref());
    }
}

impl Drop for Attempt<'_> {
    fn drop(&mut self) {
        if !self.ended {
            self.throttle
                .end(&self.email, self.address.as_deref(), false, Instant::now());
        }
    }
}

impl LoginThrottle {
    /// Reserves a login attempt for `email` from `address`, or says how long to wait: when the
    /// account or address is locked, or its failures plus the attempts in flight already reach
    /// its allowance.
    pub fn begin(
        &self,
        email: &str,
        address: Option<&str>,
        now: Instant,
    ) -> Result<Attempt<'_>, Duration> {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() > 100_000 {
            entries.retain(|_, f| f.pending > 0 || !forgotten(f.last, now));
        }
        let keys = Self::keys(email, address);
        let mut wait: Option<Duration> = None;
        for (key, allowed) in &keys {
            let Some(entry) = entries.get_mut(key) else {
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
            wait = wait.max(refusal(state, *allowed, now));
        }
        if let Some(wait) = wait {
            return Err(wait);
        }
        for (key, _) in keys {
            entries
                .entry(key)
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
            email: email.to_owned(),
            address: address.map(str::to_owned),
            ended: false,
        })
    }

    /// Ends a reserved attempt: a failure counts (and may lock), a success clears the account.
    fn end(&self, email: &str, address: Option<&str>, success: bool, now: Instant) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        for (key, allowed) in Self::keys(email, address) {
            let Some(entry) = entries.get_mut(&key) else {
                continue;
            };
            entry.pending = entry.pending.saturating_sub(1);
            if success {
                if key.starts_with("account:") {
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
            if let Some(lock) = lock_after(entry.count, allowed) {
                entry.locked_until = Some(now + lock);
            }
        }
    }

    /// Gives back a reserved attempt without counting it.
    fn release(&self, email: &str, address: Option<&str>) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        for (key, _) in Self::keys(email, address) {
            if let Some(entry) = entries.get_mut(&key) {
                entry.pending = entry.pending.saturating_sub(1);
            }
        }
    }

    fn keys(email: &str, address: Option<&str>) -> Vec<(String, u32)> {
        let mut keys = vec![(format!("account:{email}"), ACCOUNT_FAILURES_ALLOWED)];
        if let Some(address) = address {
            keys.push((format!("address:{address}"), ADDRESS_FAILURES_ALLOWED));
        }
        keys
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fail(throttle: &LoginThrottle, email: &str, address: Option<&str>, now: Instant) {
        let attempt = throttle.begin(email, address, now).expect("not locked");
        throttle.end(email, address, false, now);
        std::mem::forget(attempt);
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
}
