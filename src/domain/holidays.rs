//! Zimbabwe's public holidays: which dates they fall on, and what a holiday record must hold.
//!
//! The stored calendar (table `public_holiday`) was seeded for 2020–2040 by a migration that
//! carries its own frozen copy of these rules; this module is the living copy, used to check
//! that seed and to name holidays in tests and the demo. Administrators add one-off days (a
//! national day of mourning, an election day) through the API.

use chrono::{Datelike, Days, NaiveDate, Weekday};

use super::{FieldError, clean_name};

/// The earliest date the API accepts.
pub const FIRST_DATE: NaiveDate = NaiveDate::from_ymd_opt(2000, 1, 1).expect("a real date");
/// The latest date the API accepts.
pub const LAST_DATE: NaiveDate = NaiveDate::from_ymd_opt(2100, 12, 31).expect("a real date");

/// Easter Sunday of `year` in the Gregorian calendar (the anonymous algorithm of Meeus, Jones
/// and Butcher), for any year from 1583.
pub fn easter(year: i32) -> NaiveDate {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32).expect("Easter is a real date")
}

fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("a real date")
}

/// The `n`th Monday of August of `year`.
fn monday_of_august(year: i32, n: u32) -> NaiveDate {
    let first = ymd(year, 8, 1);
    let to_monday = (7 - first.weekday().num_days_from_monday()) % 7;
    ymd(year, 8, 1 + to_monday + 7 * (n - 1))
}

/// Zimbabwe's public holidays of `year`, in date order: New Year's Day, Robert Gabriel Mugabe
/// National Youth Day (21 Feb), Good Friday, Holy Saturday, Easter Monday, Independence Day
/// (18 Apr), Workers' Day (1 May), Africa Day (25 May), Heroes' Day and Defence Forces Day (the
/// second Monday and Tuesday of August), Unity Day (22 Dec), Christmas Day and Boxing Day. Two
/// that fall on one day are one day off, named after both. A holiday on a Sunday is also observed on the next day that is not already a holiday (the
/// Monday, or the Tuesday when Christmas falls on a Sunday).
pub fn public_holidays(year: i32) -> Vec<(NaiveDate, String)> {
    let easter = easter(year);
    let heroes = monday_of_august(year, 2);
    let day = Days::new(1);
    let mut holidays: Vec<(NaiveDate, String)> = [
        (ymd(year, 1, 1), "New Year's Day"),
        (ymd(year, 2, 21), "Robert Gabriel Mugabe National Youth Day"),
        (easter - Days::new(2), "Good Friday"),
        (easter - day, "Holy Saturday"),
        (easter + day, "Easter Monday"),
        (ymd(year, 4, 18), "Independence Day"),
        (ymd(year, 5, 1), "Workers' Day"),
        (ymd(year, 5, 25), "Africa Day"),
        (heroes, "Heroes' Day"),
        (heroes + day, "Defence Forces Day"),
        (ymd(year, 12, 22), "Unity Day"),
        (ymd(year, 12, 25), "Christmas Day"),
        (ymd(year, 12, 26), "Boxing Day"),
    ]
    .into_iter()
    .map(|(date, name)| (date, name.to_owned()))
    .collect();
    holidays.sort();
    // Two holidays on one day (Good Friday on Independence Day, as in 2025) are one day off.
    holidays.dedup_by(|later, earlier| {
        let same_day = later.0 == earlier.0;
        if same_day {
            earlier.1 = format!("{} and {}", earlier.1, later.1);
        }
        same_day
    });
    let on_sundays: Vec<(NaiveDate, String)> = holidays
        .iter()
        .filter(|(date, _)| date.weekday() == Weekday::Sun)
        .cloned()
        .collect();
    for (sunday, name) in on_sundays {
        let mut observed = sunday + day;
        while holidays.iter().any(|(date, _)| *date == observed) {
            observed = observed + day;
        }
        holidays.push((observed, format!("{name} (observed)")));
    }
    holidays.sort();
    holidays
}

/// Checks that `date` lies in the range the API accepts (2000-01-01 to 2100-12-31).
pub fn check_date(field: &str, date: NaiveDate, errors: &mut Vec<FieldError>) {
    if !(FIRST_DATE..=LAST_DATE).contains(&date) {
        errors.push(FieldError::new(
            field,
            format!(
                "{date} is outside the dates the service accepts ({FIRST_DATE} to {LAST_DATE})"
            ),
        ));
    }
}

/// A holiday as it will be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewHoliday {
    pub date: NaiveDate,
    pub name: String,
}

/// Checks a holiday an administrator adds: a date in range and a one-line name.
pub fn check_new(date: NaiveDate, name: &str) -> Result<NewHoliday, Vec<FieldError>> {
    let mut errors = Vec::new();
    check_date("date", date, &mut errors);
    let name = clean_name("name", name, 120, &mut errors);
    if errors.is_empty() {
        Ok(NewHoliday { date, name })
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn easter_2024_to_2030_falls_on_the_published_sundays() {
        let published = [
            (2024, 3, 31),
            (2025, 4, 20),
            (2026, 4, 5),
            (2027, 3, 28),
            (2028, 4, 16),
            (2029, 4, 1),
            (2030, 4, 21),
        ];
        for (year, month, day) in published {
            let sunday = easter(year);
            assert_eq!(sunday, ymd(year, month, day), "{year}");
            assert_eq!(sunday.weekday(), Weekday::Sun);
        }
    }

    fn named(year: i32, name: &str) -> NaiveDate {
        public_holidays(year)
            .into_iter()
            .find(|(_, n)| n == name)
            .unwrap_or_else(|| panic!("{name} {year}"))
            .0
    }

    #[test]
    fn good_friday_holy_saturday_and_easter_monday_surround_easter() {
        assert_eq!(named(2026, "Good Friday"), ymd(2026, 4, 3));
        assert_eq!(named(2027, "Good Friday"), ymd(2027, 3, 26));
        assert_eq!(named(2026, "Holy Saturday"), ymd(2026, 4, 4));
        assert_eq!(named(2026, "Easter Monday"), ymd(2026, 4, 6));
    }

    #[test]
    fn heroes_and_defence_forces_days_are_the_second_monday_and_tuesday_of_august() {
        assert_eq!(named(2026, "Heroes' Day"), ymd(2026, 8, 10));
        assert_eq!(named(2026, "Defence Forces Day"), ymd(2026, 8, 11));
        // August 2027 begins on a Sunday.
        assert_eq!(named(2027, "Heroes' Day"), ymd(2027, 8, 9));
        // August 2022 begins on a Monday: the second Monday is the 8th.
        assert_eq!(named(2022, "Heroes' Day"), ymd(2022, 8, 8));
    }

    #[test]
    fn a_sunday_holiday_is_also_observed_on_the_monday() {
        // 18 April 2027 is a Sunday.
        assert_eq!(ymd(2027, 4, 18).weekday(), Weekday::Sun);
        assert_eq!(named(2027, "Independence Day (observed)"), ymd(2027, 4, 19));
        // 22 December 2024 is a Sunday.
        assert_eq!(named(2024, "Unity Day (observed)"), ymd(2024, 12, 23));
    }

    #[test]
    fn good_friday_on_independence_day_is_one_day_off() {
        let april: Vec<_> = public_holidays(2025)
            .into_iter()
            .filter(|(d, _)| d.month() == 4)
            .collect();
        assert_eq!(
            april,
            [
                (
                    ymd(2025, 4, 18),
                    "Good Friday and Independence Day".to_owned()
                ),
                (ymd(2025, 4, 19), "Holy Saturday".to_owned()),
                (ymd(2025, 4, 21), "Easter Monday".to_owned()),
            ]
        );
        for year in 2000..=2100 {
            let dates: Vec<_> = public_holidays(year).iter().map(|(d, _)| *d).collect();
            let mut unique = dates.clone();
            unique.dedup();
            assert_eq!(unique, dates, "{year}: one entry per date, in order");
        }
    }

    #[test]
    fn christmas_on_a_sunday_is_observed_on_the_tuesday_after_boxing_day() {
        // 25 December 2022 is a Sunday and Boxing Day is already the Monday.
        assert_eq!(named(2022, "Christmas Day (observed)"), ymd(2022, 12, 27));
        assert_eq!(named(2022, "Boxing Day"), ymd(2022, 12, 26));
    }

    #[test]
    fn a_year_has_thirteen_holidays_and_one_more_per_sunday() {
        let holidays = public_holidays(2026);
        assert_eq!(holidays.len(), 13, "none of 2026's holidays is on a Sunday");
        let holidays = public_holidays(2027);
        let sundays = holidays
            .iter()
            .filter(|(d, _)| d.weekday() == Weekday::Sun)
            .count();
        assert_eq!(holidays.len(), 13 + sundays);
        let mut dates: Vec<_> = holidays.iter().map(|(d, _)| *d).collect();
        dates.dedup();
        assert_eq!(dates.len(), holidays.len(), "one holiday per date");
    }

    #[test]
    fn unity_day_christmas_and_boxing_day_2026() {
        let december: Vec<_> = public_holidays(2026)
            .into_iter()
            .filter(|(d, _)| d.month() == 12)
            .collect();
        assert_eq!(
            december,
            [
                (ymd(2026, 12, 22), "Unity Day".to_owned()),
                (ymd(2026, 12, 25), "Christmas Day".to_owned()),
                (ymd(2026, 12, 26), "Boxing Day".to_owned()),
            ]
        );
    }

    #[test]
    fn a_new_holiday_needs_a_date_in_range_and_a_name() {
        assert!(check_new(ymd(2027, 3, 1), " Day of mourning ").is_ok());
        assert_eq!(
            check_new(ymd(2027, 3, 1), " Day of mourning ")
                .unwrap()
                .name,
            "Day of mourning"
        );
        let errors = check_new(ymd(1999, 12, 31), "  ").unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["date", "name"]);
        assert!(check_new(ymd(2101, 1, 1), "Later").is_err());
        assert!(check_new(LAST_DATE, "Last").is_ok());
    }
}
