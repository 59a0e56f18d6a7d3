//! The order a trainer sees their workshops in, and which day a register opens on.

use std::cmp::Ordering;

use chrono::NaiveDate;

/// Where a workshop stands on a given day, for a trainer's list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum When {
    /// Running today: today lies between its first and last day.
    Today,
    /// Still to start.
    Upcoming,
    /// Over.
    Past,
}

/// Where a workshop from `start` to `end` stands on `today`.
pub fn when(today: NaiveDate, start: NaiveDate, end: NaiveDate) -> When {
    if today < start {
        When::Upcoming
    } else if today > end {
        When::Past
    } else {
        When::Today
    }
}

/// Today's workshops first, then those coming up (soonest first), then those over (most
/// recent first).
pub fn compare(today: NaiveDate, a: (NaiveDate, NaiveDate), b: (NaiveDate, NaiveDate)) -> Ordering {
    let (wa, wb) = (when(today, a.0, a.1), when(today, b.0, b.1));
    wa.cmp(&wb).then_with(|| match wa {
        When::Past => b.1.cmp(&a.1),
        _ => a.0.cmp(&b.0),
    })
}

/// The day (1-based) a register opens on: today's day while the workshop runs, the last day
/// once it is over, the first before it starts.
pub fn opening_day(dates: &[NaiveDate], today: NaiveDate) -> i32 {
    match dates.iter().position(|d| *d == today) {
        Some(i) => i as i32 + 1,
        None if dates.last().is_some_and(|last| *last < today) => dates.len() as i32,
        None => {
            // Between two days (a weekend inside the workshop): the last day that has come.
            let come = dates.iter().filter(|d| **d <= today).count() as i32;
            come.max(1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn todays_workshops_come_first_then_the_soonest_then_the_latest_finished() {
        let today = d("2026-11-30");
        let mut list = [
            ("past-old", (d("2026-01-05"), d("2026-01-09"))),
            ("next-month", (d("2026-12-14"), d("2026-12-18"))),
            ("today", (d("2026-11-26"), d("2026-12-02"))),
            ("next-week", (d("2026-12-07"), d("2026-12-11"))),
            ("past-recent", (d("2026-11-16"), d("2026-11-20"))),
        ];
        list.sort_by(|a, b| compare(today, a.1, b.1));
        let names: Vec<_> = list.iter().map(|(n, _)| *n).collect();
        assert_eq!(
            names,
            [
                "today",
                "next-week",
                "next-month",
                "past-recent",
                "past-old"
            ]
        );
    }

    #[test]
    fn a_register_opens_on_todays_day_or_the_nearest_that_has_come() {
        let dates = [
            d("2026-11-26"),
            d("2026-11-27"),
            d("2026-11-30"),
            d("2026-12-01"),
        ];
        assert_eq!(opening_day(&dates, d("2026-11-30")), 3);
        assert_eq!(opening_day(&dates, d("2026-11-28")), 2);
        assert_eq!(opening_day(&dates, d("2026-11-01")), 1);
        assert_eq!(opening_day(&dates, d("2026-12-25")), 4);
    }
}
