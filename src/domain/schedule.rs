//! How a workshop's days are laid out: consecutive working days (Monday to Friday) from the
//! start date, with the course topics spread over them in order.

use chrono::{Datelike, Days, FixedOffset, NaiveDate, Utc, Weekday};

/// Zimbabwe keeps Central Africa Time (UTC+2) all year; "today" for a workshop is today in Harare.
pub const LOCAL_UTC_OFFSET_SECONDS: i32 = 2 * 3600;

/// Today's date where the workshops run.
pub fn local_today() -> NaiveDate {
    let offset = FixedOffset::east_opt(LOCAL_UTC_OFFSET_SECONDS).expect("valid offset");
    Utc::now().with_timezone(&offset).date_naive()
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The dates of `days` consecutive working days starting on `start`, or `None` when `start`
/// falls on a weekend. A five-day course starting on a Thursday runs Thu, Fri, Mon, Tue, Wed.
pub fn working_days(start: NaiveDate, days: u32) -> Option<Vec<NaiveDate>> {
    if is_weekend(start) {
        return None;
    }
    let mut dates = Vec::with_capacity(days as usize);
    let mut date = start;
    while dates.len() < days as usize {
        if !is_weekend(date) {
            dates.push(date);
        }
        date = date.checked_add_days(Days::new(1))?;
    }
    Some(dates)
}

/// Spreads `topics` over `days` in order, as evenly as they go: with 7 topics over 5 days the
/// days get 1, 1, 2, 1 and 2 topics. Every topic appears exactly once.
pub fn spread_topics(topics: &[String], days: usize) -> Vec<Vec<String>> {
    if days == 0 {
        return Vec::new();
    }
    (0..days)
        .map(|day| {
            let from = day * topics.len() / days;
            let to = (day + 1) * topics.len() / days;
            topics[from..to].to_vec()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_monday_start_runs_monday_to_friday() {
        let days = working_days(d(2026, 8, 24), 5).unwrap();
        assert_eq!(
            days,
            [
                d(2026, 8, 24),
                d(2026, 8, 25),
                d(2026, 8, 26),
                d(2026, 8, 27),
                d(2026, 8, 28)
            ]
        );
    }

    #[test]
    fn a_thursday_start_skips_the_weekend() {
        let days = working_days(d(2026, 8, 27), 5).unwrap();
        let weekdays: Vec<_> = days.iter().map(|d| d.weekday()).collect();
        assert_eq!(
            weekdays,
            [
                Weekday::Thu,
                Weekday::Fri,
                Weekday::Mon,
                Weekday::Tue,
                Weekday::Wed
            ]
        );
        assert_eq!(days[4], d(2026, 9, 2));
    }

    #[test]
    fn a_weekend_start_has_no_schedule() {
        assert_eq!(working_days(d(2026, 8, 29), 5), None);
        assert_eq!(working_days(d(2026, 8, 30), 5), None);
    }

    #[test]
    fn seven_topics_spread_over_five_days_in_order() {
        let topics: Vec<String> = (1..=7).map(|i| format!("T{i}")).collect();
        let spread = spread_topics(&topics, 5);
        let counts: Vec<_> = spread.iter().map(Vec::len).collect();
        assert_eq!(counts, [1, 1, 2, 1, 2]);
        assert_eq!(spread.concat(), topics);
    }

    #[test]
    fn fewer_topics_than_days_leaves_some_days_without_a_new_topic() {
        let topics: Vec<String> = vec!["A".into(), "B".into()];
        let spread = spread_topics(&topics, 5);
        assert_eq!(spread.concat(), topics);
        assert_eq!(spread.len(), 5);
    }
}
