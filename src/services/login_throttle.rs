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
/// How long failures are remembered, and the longest lock.
pub const WINDOW: Duration = Duration::from_secs(15 * 60);
/// The first lock; each further failure doubles it, up to [`WINDOW`].
pub const FIRST_LOCK: Duration = Duration::from_secs(30);

#[derive(Debug)]
struct Failures {
    count: u32,
    last: Instant,
    locked_until: Option<Instant>,
}

/// Failed-login bookkeeping, keyed by account (lower-cased email) and by client address.
#[derive(Debug, Default)]
pub struct LoginThrottle {
    entries: Mutex<HashMap<String, Failures>>,
}

impl LoginThrottle {
    /// If the account or address is locked now, how long until it is not.
    pub fn locked_for(&self, email: &str, address: Option<&str>, now: Instant) -> Option<Duration> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        Self::keys(email, address)
            .iter()
            .filter_map(|(key, _)| entries.get(key)?.locked_until)
            .filter(|until| *until > now)
            .map(|until| until - now)
            .max()
    }

    /// Counts a failed attempt, locking the account or address once it has failed too often.
    pub fn record_failure(&self, email: &str, address: Option<&str>, now: Instant) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() > 100_000 {
            entries.retain(|_, f| now.duration_since(f.last) < WINDOW);
        }
        for (key, allowed) in Self::keys(email, address) {
            let entry = entries.entry(key).or_insert(Failures {
                count: 0,
                last: now,
                locked_until: None,
            });
            if now.duration_since(entry.last) >= WINDOW {
                entry.count = 0;
            }
            entry.count += 1;
            entry.last = now;
            if entry.count >= allowed {
                let doublings = (entry.count - allowed).min(16);
                let lock = FIRST_LOCK.saturating_mul(1 << doublings).min(WINDOW);
                entry.locked_until = Some(now + lock);
            }
        }
    }

    /// Forgets the account's failures after a successful login.
    pub fn record_success(&self, email: &str) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.remove(&format!("account:{email}"));
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

    #[test]
    fn an_account_locks_after_five_failures_and_the_lock_grows() {
        let throttle = LoginThrottle::default();
        let t0 = Instant::now();
        for _ in 0..4 {
            throttle.record_failure("a@x.org", None, t0);
        }
        assert_eq!(throttle.locked_for("a@x.org", None, t0), None);
        throttle.record_failure("a@x.org", None, t0);
        assert_eq!(throttle.locked_for("a@x.org", None, t0), Some(FIRST_LOCK));
        throttle.record_failure("a@x.org", None, t0);
        assert_eq!(
            throttle.locked_for("a@x.org", None, t0),
            Some(FIRST_LOCK * 2)
        );
        assert_eq!(throttle.locked_for("other@x.org", None, t0), None);
    }

    #[test]
    fn a_lock_expires() {
        let throttle = LoginThrottle::default();
        let t0 = Instant::now();
        for _ in 0..5 {
            throttle.record_failure("a@x.org", None, t0);
        }
        assert_eq!(throttle.locked_for("a@x.org", None, t0 + FIRST_LOCK), None);
    }

    #[test]
    fn success_clears_the_account_but_not_the_address() {
        let throttle = LoginThrottle::default();
        let t0 = Instant::now();
        for i in 0..ADDRESS_FAILURES_ALLOWED {
            throttle.record_failure(&format!("u{i}@x.org"), Some("10.0.0.1"), t0);
        }
        throttle.record_success("u0@x.org");
        assert!(
            throttle
                .locked_for("new@x.org", Some("10.0.0.1"), t0)
                .is_some()
        );
        assert!(
            throttle
                .locked_for("new@x.org", Some("10.0.0.2"), t0)
                .is_none()
        );
    }
}
