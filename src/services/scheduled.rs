//! Jobs that run on a clock: at once on start, then every interval, until shutdown. Each run is
//! safe to repeat and to run on several instances at once (the jobs' own writes make it so:
//! the outbox's unique keys), so the runner needs no lock.

use std::{future::Future, sync::Arc, time::Duration};

use chrono::NaiveDate;
use tokio::sync::watch;

use crate::domain::Result;

/// Today's date, as a job sees it (a function, so tests can set the clock).
pub type Clock = Arc<dyn Fn() -> NaiveDate + Send + Sync>;

/// When a job runs and what its log lines call it.
pub struct Schedule {
    /// Named in the job's log lines.
    pub name: &'static str,
    /// How often it runs; it also runs at once on start.
    pub interval: Duration,
    /// Today's date (in Harare, unless a test says otherwise).
    pub today: Clock,
}

impl Schedule {
    /// Runs `once(today)` at once and then every `interval` until `shutdown` turns true. `once`
    /// returns how many things it queued; a failed run is logged and tried again next time.
    pub async fn run<F, Fut>(self, mut shutdown: watch::Receiver<bool>, mut once: F)
    where
        F: FnMut(NaiveDate) -> Fut,
        Fut: Future<Output = Result<u32>>,
    {
        let mut ticks = tokio::time::interval(self.interval);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        while !*shutdown.borrow() {
            tokio::select! {
                _ = ticks.tick() => {}
                _ = shutdown.changed() => continue,
            }
            let today = (self.today)();
            match once(today).await {
                Ok(0) => {}
                Ok(n) => {
                    tracing::info!(job = self.name, queued = n, %today, "scheduled job queued")
                }
                Err(err) => {
                    tracing::warn!(job = self.name, error = %err, "scheduled job failed; it runs again later")
                }
            }
        }
    }
}
