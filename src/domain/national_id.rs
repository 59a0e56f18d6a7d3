//! Zimbabwe national identity numbers, such as `63-123456A78`: the registration district (two
//! digits), a serial number (six or seven digits), a check letter and the district of origin
//! (two digits). People write them with or without hyphens and spaces, in either case; they are
//! stored in one form so that the same number always compares equal.

use super::FieldError;

/// An example of the stored form, for messages.
pub const EXAMPLE: &str = "63-123456A78";

/// The normalised form of `raw` (`63-123456A78`), or why it is not a national ID number.
///
/// Spaces, hyphens and slashes are ignored and letters upper-cased, so `63 123456 a 78`,
/// `63-123456-A-78` and `63123456A78` are all `63-123456A78`.
pub fn normalise(raw: &str) -> Result<String, String> {
    let compact: String = raw
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '/'))
        .flat_map(char::to_uppercase)
        .collect();
    let chars: Vec<char> = compact.chars().collect();
    let well_formed = matches!(chars.len(), 11 | 12)
        && chars[..chars.len() - 3].iter().all(char::is_ascii_digit)
        && chars[chars.len() - 3].is_ascii_uppercase()
        && chars[chars.len() - 2..].iter().all(char::is_ascii_digit);
    if !well_formed {
        return Err(format!(
            "must be a Zimbabwe national ID number such as {EXAMPLE}: two digits, six or seven \
             digits, a letter and two digits"
        ));
    }
    let (district, rest) = compact.split_at(2);
    Ok(format!("{district}-{rest}"))
}

/// [`normalise`] for an optional field: blank means none; a malformed number is a field error.
pub fn clean(field: &str, raw: Option<&str>, errors: &mut Vec<FieldError>) -> Option<String> {
    let raw = raw.map(str::trim).filter(|r| !r.is_empty())?;
    match normalise(raw) {
        Ok(id) => Some(id),
        Err(message) => {
            errors.push(FieldError::new(field, message));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ways_people_write_one_number_normalise_alike() {
        for raw in [
            "63-123456A78",
            "63-123456 A 78",
            "63 123456 a 78",
            "63123456A78",
            "63-123456-A-78",
            " 63/123456A78 ",
        ] {
            assert_eq!(normalise(raw).as_deref(), Ok("63-123456A78"), "{raw}");
        }
    }

    #[test]
    fn seven_digit_serials_are_accepted() {
        assert_eq!(normalise("08-2047823Q42").as_deref(), Ok("08-2047823Q42"));
    }

    #[test]
    fn malformed_numbers_are_refused() {
        for raw in [
            "",
            "63-12345A78",
            "63-12345678A78",
            "63-123456778",
            "63-123456AB8",
            "6X-123456A78",
            "63-123456A7",
            "63-123456É78",
        ] {
            assert!(normalise(raw).is_err(), "{raw:?}");
        }
    }

    #[test]
    fn a_blank_optional_number_is_none_and_a_bad_one_names_the_field() {
        let mut errors = vec![];
        assert_eq!(clean("national_id", Some("  "), &mut errors), None);
        assert_eq!(clean("national_id", None, &mut errors), None);
        assert!(errors.is_empty());
        assert_eq!(clean("national_id", Some("nope"), &mut errors), None);
        assert_eq!(errors[0].field, "national_id");
    }
}
