//! How a workshop's days are laid out: consecutive working days from the start date — Monday
//! to Friday, stepping over public holidays — with the course topics spread over them in order.

use std::collections::BTreeMap;

use chrono::{Datelike, Days, FixedOffset, NaiveDate, Utc, Weekday};

/// Zimbabwe keeps Central Africa Time (UTC+2) all year; "today" for a workshop is today in Harare.
pub const LOCAL_UTC_OFFSET_SECONDS: i32 = 2 * 3600;

/// Today's date where the workshops run.
pub fn local_today() -> NaiveDate {
    let offset = FixedOffset::east_opt(LOCAL_UTC_OFFSET_SECONDS).expect("valid offset");
    Utc::now().with_timezone(&offset).date_naive()
}

/// Public holidays by date, with their names.
pub type Holidays = BTreeMap<NaiveDate, String>;

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Why a date cannot be a workshop's first day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotAWorkingDay {
    /// It is a Saturday or a Sunday.
    Weekend(NaiveDate),
    /// It is the named public holiday.
    Holiday(NaiveDate, String),
}

impl std::fmt::Display for NotAWorkingDay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotAWorkingDay::Weekend(date) => write!(
                f,
                "{date} is a {}; workshops start on a working day (Monday to Friday, not a public holiday)",
                date.format("%A")
            ),
            NotAWorkingDay::Holiday(date, name) => write!(
                f,
                "{date} is a public holiday ({name}); workshops start on a working day"
            ),
        }
    }
}

/// The dates of `days` consecutive working days starting on `start`, stepping over weekends
/// and the given `holidays`; refused when `start` itself is not a working day. A five-day
/// course starting on a Thursday runs Thu, Fri, Mon, Tue, Wed; one starting on Monday
/// 2026-12-21 runs on the 21st, 23rd, 24th, 28th and 29th (Unity Day, Christmas and the
/// weekend in between).
pub fn working_days(
    start: NaiveDate,
    days: u32,
    holidays: &Holidays,
) -> Result<Vec<NaiveDate>, NotAWorkingDay> {
    if is_weekend(start) {
        return Err(NotAWorkingDay::Weekend(start));
    }
    if let Some(name) = holidays.get(&start) {
        return Err(NotAWorkingDay::Holiday(start, name.clone()));
    }
    let mut dates = Vec::with_capacity(days as usize);
    let mut date = start;
    while dates.len() < days as usize {
        if !is_weekend(date) && !holidays.contains_key(&date) {
            dates.push(date);
        }
        match date.checked_add_days(Days::new(1)) {
            Some(next) => date = next,
            None => break,
        }
    }
    Ok(dates)
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

    fn none() -> Holidays {
        Holidays::new()
    }

    #[test]
    fn a_monday_start_runs_monday_to_friday() {
        let days = working_days(d(2026, 8, 24), 5, &none()).unwrap();
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
        let days = working_days(d(2026, 8, 27), 5, &none()).unwrap();
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
        assert_eq!(
            working_days(d(2026, 8, 29), 5, &none()),
            Err(NotAWorkingDay::Weekend(d(2026, 8, 29)))
        );
        assert!(working_days(d(2026, 8, 30), 5, &none()).is_err());
    }

    fn zimbabwe(year: i32) -> Holidays {
        crate::domain::holidays::public_holidays(year)
            .into_iter()
            .collect()
    }

    #[test]
    fn the_days_step_over_unity_day_christmas_and_the_weekend() {
        let days = working_days(d(2026, 12, 21), 5, &zimbabwe(2026)).unwrap();
        assert_eq!(
            days,
            [
                d(2026, 12, 21),
                d(2026, 12, 23),
                d(2026, 12, 24),
                d(2026, 12, 28),
                d(2026, 12, 29)
            ]
        );
    }

    #[test]
    fn a_start_on_a_holiday_is_refused_with_its_name() {
        let refusal = working_days(d(2026, 4, 3), 5, &zimbabwe(2026)).unwrap_err();
        assert_eq!(
            refusal,
            NotAWorkingDay::Holiday(d(2026, 4, 3), "Good Friday".into())
        );
        assert!(refusal.to_string().contains("Good Friday"));
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
