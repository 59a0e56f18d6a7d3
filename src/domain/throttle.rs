//! The login throttle's decisions: when a key (an account, an address) refuses an attempt,
//! and how long a lock lasts. The bookkeeping that feeds them is `services::login_throttle`.

use std::time::{Duration, Instant};

/// How long failures are remembered, and the longest lock.
pub const WINDOW: Duration = Duration::from_secs(15 * 60);
/// The first lock; each further failure doubles it, up to [`WINDOW`].
pub const FIRST_LOCK: Duration = Duration::from_secs(30);

/// What the throttle knows of one key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyState {
    /// Failures remembered.
    pub failures: u32,
    /// Attempts whose password is being checked right now.
    pub pending: u32,
    pub locked_until: Option<Instant>,
}

/// How long an attempt must wait, if it is refused: while the key is locked, or when the
/// failures plus the checks already running reach the allowance (were they all to fail, the
/// key would be locked).
pub fn refusal(key: KeyState, allowed: u32, now: Instant) -> Option<Duration> {
    match key.locked_until {
        Some(until) if until > now => Some(until - now),
        _ if key.pending > 0 && key.failures + key.pending >= allowed => {
            Some(Duration::from_secs(1))
        }
        _ => None,
    }
}

/// The lock after `failures` failures of a key allowed `allowed`: none before the allowance is
/// reached, then [`FIRST_LOCK`], doubling with each further failure, at most [`WINDOW`].
pub fn lock_after(failures: u32, allowed: u32) -> Option<Duration> {
    (failures >= allowed).then(|| {
        let doublings = (failures - allowed).min(16);
        FIRST_LOCK.saturating_mul(1 << doublings).min(WINDOW)
    })
}

/// Whether failures last seen at `last` are forgotten by `now`.
pub fn forgotten(last: Instant, now: Instant) -> bool {
    now.duration_since(last) >= WINDOW
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locks_start_at_the_allowance_and_double_up_to_the_window() {
        assert_eq!(lock_after(4, 5), None);
        assert_eq!(lock_after(5, 5), Some(Duration::from_secs(30)));
        assert_eq!(lock_after(6, 5), Some(Duration::from_secs(60)));
        assert_eq!(lock_after(9, 5), Some(Duration::from_secs(480)));
        assert_eq!(lock_after(10, 5), Some(WINDOW));
        assert_eq!(lock_after(u32::MAX, 5), Some(WINDOW));
    }

    #[test]
    fn an_attempt_waits_while_locked_or_while_running_checks_could_use_up_the_allowance() {
        let now = Instant::now();
        let key = |failures, pending, locked_until| KeyState {
            failures,
            pending,
            locked_until,
        };
        assert_eq!(refusal(key(0, 0, None), 5, now), None);
        let until = now + Duration::from_secs(30);
        assert_eq!(
            refusal(key(5, 0, Some(until)), 5, now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            refusal(key(5, 0, Some(now)), 5, now),
            None,
            "the lock ended"
        );
        assert_eq!(
            refusal(key(3, 2, None), 5, now),
            Some(Duration::from_secs(1)),
            "two checks running could make five failures"
        );
        assert_eq!(refusal(key(3, 1, None), 5, now), None);
        assert!(forgotten(now, now + WINDOW) && !forgotten(now, now + FIRST_LOCK));
    }
}
