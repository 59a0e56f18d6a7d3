//! Phone numbers: normalised to E.164 on the way in (`0771234567` in Zimbabwe →
//! `+263771234567`; other countries with their `+` prefix), validated against the numbering
//! plans of libphonenumber's metadata (the `phonenumber` crate, not a regex), and shown as
//! people write them: the national format for Zimbabwean numbers, the international one for the
//! rest.

use phonenumber::{Mode, country::Id};

use super::FieldError;

/// The region a number without a `+` prefix is read in.
const HOME: Id = Id::ZW;

/// The E.164 form of `typed` (`+263771234567`), or why it is not a phone number.
pub fn normalise(typed: &str) -> Result<String, String> {
    let typed = typed.trim();
    let number = phonenumber::parse(Some(HOME), typed).map_err(|_| {
        "must be a phone number, such as 0771 234 567 or +27 82 123 4567".to_owned()
    })?;
    if !phonenumber::is_valid(&number) {
        return Err(
            "is not a valid phone number (a Zimbabwean mobile number has 10 digits: 07X XXX XXXX; \
             numbers of other countries start with + and the country code)"
                .to_owned(),
        );
    }
    Ok(number.format().mode(Mode::E164).to_string())
}

/// Normalises `typed` for the field `field`, recording an error if it is not a phone number.
pub fn clean(field: &str, typed: &str, errors: &mut Vec<FieldError>) -> String {
    match normalise(typed) {
        Ok(e164) => e164,
        Err(message) => {
            errors.push(FieldError::new(field, message));
            typed.trim().to_owned()
        }
    }
}

/// A stored (E.164) number as people write it: `077 123 4567` for Zimbabwe, `+27 82 123 4567`
/// for other countries. A value that does not parse is shown as stored.
pub fn display(e164: &str) -> String {
    match phonenumber::parse(None, e164) {
        Ok(number) if number.country().id() == Some(HOME) => {
            number.format().mode(Mode::National).to_string()
        }
        Ok(number) => number.format().mode(Mode::International).to_string(),
        Err(_) => e164.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zimbabwean_numbers_written_nationally_become_e164() {
        for typed in [
            "0771234567",
            "077 123 4567",
            " 0771-234-567 ",
            "+263 77 123 4567",
        ] {
            assert_eq!(normalise(typed).unwrap(), "+263771234567", "{typed}");
        }
        assert_eq!(normalise("0712345678").unwrap(), "+263712345678");
    }

    #[test]
    fn other_countries_keep_their_prefix() {
        assert_eq!(normalise("+27 82 123 4567").unwrap(), "+27821234567");
        assert_eq!(normalise("+44 7911 123456").unwrap(), "+447911123456");
    }

    #[test]
    fn words_and_impossible_numbers_are_refused() {
        for typed in ["call me", "12", "07712345678901", "+263 12"] {
            assert!(normalise(typed).is_err(), "{typed}");
        }
        let mut errors = Vec::new();
        clean("phone", "nope", &mut errors);
        assert_eq!(errors[0].field, "phone");
    }

    #[test]
    fn numbers_are_shown_as_people_write_them() {
        assert_eq!(display("+263771234567"), "077 123 4567");
        assert_eq!(display("+27821234567"), "+27 82 123 4567");
        assert_eq!(display("not a number"), "not a number");
    }
}
