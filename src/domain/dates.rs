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

/// Checks a `from`/`to` filter: each date within the accepted range, `to` not before `from`
/// (either may be open). Every problem is reported, one per field.
pub fn check_range(from: Option<NaiveDate>, to: Option<NaiveDate>) -> Result<(), Vec<FieldError>> {
    let mut errors: Vec<FieldError> = [("from", from), ("to", to)]
        .into_iter()
        .filter_map(|(name, date)| check_in_range(name, date?).err())
        .collect();
    if errors.is_empty()
        && let (Some(f), Some(t)) = (from, to)
        && f > t
    {
        errors.push(FieldError::new("to", "must not be before `from`"));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_range_must_not_end_before_it_starts() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert!(check_range(Some(d(2026, 1, 1)), Some(d(2026, 1, 1))).is_ok());
        assert!(check_range(None, Some(d(2026, 1, 1))).is_ok());
        let errors = check_range(Some(d(2026, 2, 1)), Some(d(2026, 1, 1))).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "to");
        let errors = check_range(Some(d(1999, 2, 1)), Some(d(3000, 1, 1))).unwrap_err();
        assert_eq!(errors.len(), 2);
    }

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
