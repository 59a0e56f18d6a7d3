//! The dates the service accepts: 2000-01-01 ..= 2100-12-31, for start dates, outreach days,
//! holidays and report ranges alike (a year such as 0000 or +10000 is a typing mistake, and
//! outside four-digit years dates would stop comparing correctly as text).

use chrono::NaiveDate;

use super::FieldError;

/// The first date accepted.
pub const FIRST: NaiveDate = NaiveDate::from_ymd_opt(2000, 1, 1).expect("a valid date");
/// The last date accepted.
pub const LAST: NaiveDate = NaiveDate::from_ymd_opt(2100, 12, 31).expect("a valid date");

/// Checks that `date` lies in the accepted range.
pub fn check_in_range(field: &str, date: NaiveDate) -> Result<(), FieldError> {
    if (FIRST..=LAST).contains(&date) {
        Ok(())
    } else {
        Err(FieldError::new(
            field,
            format!("must be a date from {FIRST} to {LAST}"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_outside_2000_to_2100_are_refused() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert!(check_in_range("start_date", d(2000, 1, 1)).is_ok());
        assert!(check_in_range("start_date", d(2100, 12, 31)).is_ok());
        assert!(check_in_range("start_date", d(1999, 12, 31)).is_err());
        assert!(check_in_range("start_date", d(0, 1, 3)).is_err());
        assert!(check_in_range("start_date", d(10000, 1, 3)).is_err());
    }
}
