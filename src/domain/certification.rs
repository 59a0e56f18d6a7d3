//! How long a ToT certificate entitles its holder to train others: the course's
//! `trainer_certificate_valid_months`, counted from the last day of the ToT workshop.

use chrono::{Months, NaiveDate};

/// The last day a ToT certificate completed on `completed_on` entitles its holder to train,
/// for a course whose certificates are valid `valid_months` months (`None`: for good, and then
/// the answer is `None`). A certificate completed on 31 August and valid six months runs to
/// the end of February.
pub fn valid_until(completed_on: NaiveDate, valid_months: Option<i32>) -> Option<NaiveDate> {
    let months = u32::try_from(valid_months?).unwrap_or(0);
    Some(
        completed_on
            .checked_add_months(Months::new(months))
            .unwrap_or(NaiveDate::MAX),
    )
}

/// Whether a certificate valid until `valid_until` (`None`: for good) is valid on `date`.
pub fn is_valid_on(valid_until: Option<NaiveDate>, date: NaiveDate) -> bool {
    valid_until.is_none_or(|until| date <= until)
}

/// Whether a certificate valid until `valid_until` runs out within `days` days of `today`
/// (still valid today, no longer valid `days` days later).
pub fn expires_within(valid_until: Option<NaiveDate>, today: NaiveDate, days: u32) -> bool {
    match valid_until {
        None => false,
        Some(until) => {
            let horizon = today
                .checked_add_days(chrono::Days::new(u64::from(days)))
                .unwrap_or(NaiveDate::MAX);
            today <= until && until < horizon
        }
    }
}

/// The range of `trainer_certificate_valid_months` a course may set (up to fifty years).
pub const MAX_VALID_MONTHS: i32 = 600;

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_certificate_without_a_validity_never_expires() {
        assert_eq!(valid_until(d(2020, 3, 6), None), None);
        assert!(is_valid_on(None, d(2099, 1, 1)));
        assert!(!expires_within(None, d(2026, 1, 1), 10_000));
    }

    #[test]
    fn a_24_month_certificate_is_valid_through_the_same_day_two_years_on() {
        let until = valid_until(d(2024, 3, 6), Some(24));
        assert_eq!(until, Some(d(2026, 3, 6)));
        assert!(is_valid_on(until, d(2026, 3, 6)));
        assert!(!is_valid_on(until, d(2026, 3, 7)));
    }

    #[test]
    fn months_that_are_shorter_end_on_their_last_day() {
        assert_eq!(valid_until(d(2026, 8, 31), Some(6)), Some(d(2027, 2, 28)));
    }

    #[test]
    fn expiring_within_counts_from_today() {
        let until = Some(d(2026, 12, 10));
        assert!(expires_within(until, d(2026, 11, 30), 30));
        assert!(expires_within(until, d(2026, 12, 10), 1));
        assert!(!expires_within(until, d(2026, 11, 30), 10));
        assert!(
            !expires_within(until, d(2026, 12, 11), 30),
            "already expired"
        );
    }
}
