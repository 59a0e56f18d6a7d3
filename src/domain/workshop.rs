//! The rules of a workshop's life: its level in the cascade, its seats, its status.

use chrono::NaiveDate;
use entity::workshop::{Level, Status};

/// The most participants a workshop may take (a training room of 35).
pub const MAX_CAPACITY: i32 = 35;

/// A change of status a workshop can be asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition {
    Start,
    Complete,
    Cancel,
}

impl Transition {
    pub fn past_tense(self) -> &'static str {
        match self {
            Transition::Start => "started",
            Transition::Complete => "completed",
            Transition::Cancel => "cancelled",
        }
    }
}

fn status_name(status: Status) -> &'static str {
    match status {
        Status::Scheduled => "scheduled",
        Status::InProgress => "in_progress",
        Status::Completed => "completed",
        Status::Cancelled => "cancelled",
    }
}

/// The status after `transition`, or why it is not possible. `today` is the local date;
/// a workshop can be completed once its last day has begun (also straight from `scheduled`, for
/// workshops recorded after the fact).
pub fn transition(
    status: Status,
    transition: Transition,
    last_day: NaiveDate,
    today: NaiveDate,
) -> Result<Status, String> {
    use Status::*;
    let refuse = || {
        format!(
            "a {} workshop cannot be {}",
            status_name(status),
            transition.past_tense()
        )
    };
    match (transition, status) {
        (Transition::Start, Scheduled) => Ok(InProgress),
        (Transition::Complete, Scheduled | InProgress) if today < last_day => Err(format!(
            "the workshop cannot be completed before its last day ({last_day}) has begun"
        )),
        (Transition::Complete, Scheduled | InProgress) => Ok(Completed),
        (Transition::Cancel, Scheduled | InProgress) => Ok(Cancelled),
        _ => Err(refuse()),
    }
}

/// The level a parent workshop must have for a workshop at `level`, if any.
pub fn parent_level(level: Level) -> Option<Level> {
    match level {
        Level::Tot => None,
        Level::Cascade => Some(Level::Tot),
        Level::Community => Some(Level::Cascade),
    }
}

/// The words for a level.
pub fn level_name(level: Level) -> &'static str {
    match level {
        Level::Tot => "ToT",
        Level::Cascade => "cascade",
        Level::Community => "community",
    }
}

/// Whether a new enrolment gets a seat or a waitlist place.
pub fn seat_available(seats_taken: i32, capacity: i32) -> bool {
    seats_taken < capacity
}

/// A workshop's capacity: 1 to [`MAX_CAPACITY`] seats. Refused in words for the field.
pub fn check_capacity(capacity: i32) -> Result<(), String> {
    if (1..=MAX_CAPACITY).contains(&capacity) {
        Ok(())
    } else {
        Err(format!("must be between 1 and {MAX_CAPACITY}"))
    }
}

/// A capacity may change to anything but fewer seats than are taken (the waitlist fills any
/// seats added). Refused in words, as a conflict with the state.
pub fn check_capacity_change(capacity: i32, seats_taken: i32) -> Result<(), String> {
    if capacity < seats_taken {
        Err(format!(
            "capacity cannot drop to {capacity}: {seats_taken} participants are already enrolled"
        ))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capacity_is_one_to_thirty_five_and_never_below_the_seats_taken() {
        assert_eq!(check_capacity(1), Ok(()));
        assert_eq!(check_capacity(MAX_CAPACITY), Ok(()));
        assert_eq!(check_capacity(0), Err("must be between 1 and 35".into()));
        assert!(check_capacity(36).is_err());
        assert_eq!(check_capacity_change(10, 10), Ok(()));
        assert_eq!(
            check_capacity_change(9, 10),
            Err("capacity cannot drop to 9: 10 participants are already enrolled".into())
        );
        assert!(seat_available(34, 35) && !seat_available(35, 35));
    }

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 8, day).unwrap()
    }

    #[test]
    fn a_scheduled_workshop_starts_and_an_in_progress_one_completes_on_its_last_day() {
        assert_eq!(
            transition(Status::Scheduled, Transition::Start, d(28), d(24)),
            Ok(Status::InProgress)
        );
        assert_eq!(
            transition(Status::InProgress, Transition::Complete, d(28), d(28)),
            Ok(Status::Completed)
        );
    }

    #[test]
    fn completing_before_the_last_day_is_refused() {
        assert!(transition(Status::InProgress, Transition::Complete, d(28), d(27)).is_err());
    }

    #[test]
    fn a_past_workshop_can_be_completed_straight_from_scheduled() {
        assert_eq!(
            transition(Status::Scheduled, Transition::Complete, d(3), d(28)),
            Ok(Status::Completed)
        );
    }

    #[test]
    fn finished_workshops_do_not_move() {
        for status in [Status::Completed, Status::Cancelled] {
            for t in [Transition::Start, Transition::Complete, Transition::Cancel] {
                assert!(
                    transition(status, t, d(3), d(28)).is_err(),
                    "{status:?} {t:?}"
                );
            }
        }
        assert!(transition(Status::InProgress, Transition::Start, d(28), d(24)).is_err());
    }

    #[test]
    fn the_cascade_runs_tot_then_cascade_then_community() {
        assert_eq!(parent_level(Level::Tot), None);
        assert_eq!(parent_level(Level::Cascade), Some(Level::Tot));
        assert_eq!(parent_level(Level::Community), Some(Level::Cascade));
    }

    #[test]
    fn the_last_seat_is_taken_and_then_the_waitlist_begins() {
        assert!(seat_available(34, 35));
        assert!(!seat_available(35, 35));
    }
}
