//! What makes a participant record valid.

use super::{FieldError, account::clean_email, account::clean_person_name, clean_text};

/// Proposed values of a participant's text fields; `None` leaves a field as it is (or empty).
#[derive(Debug, Clone, Default)]
pub struct ParticipantText {
    pub full_name: Option<String>,
    pub email: Option<Option<String>>,
    pub phone: Option<Option<String>>,
    pub ward: Option<Option<String>>,
}

/// The cleaned text fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CleanParticipantText {
    pub full_name: Option<String>,
    pub email: Option<Option<String>>,
    pub phone: Option<Option<String>>,
    pub ward: Option<Option<String>>,
}

/// Trims and checks a participant's text fields. Names are full Unicode (diacritics, any
/// script) and kept exactly as typed apart from surrounding white space; an empty email, phone
/// or ward means "none".
pub fn clean(text: ParticipantText) -> Result<CleanParticipantText, Vec<FieldError>> {
    let mut errors = Vec::new();
    let full_name = text
        .full_name
        .map(|n| clean_person_name("full_name", &n, &mut errors));
    let optional = |v: Option<String>| v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    let email = text
        .email
        .map(|e| optional(e).map(|e| clean_email("email", &e, &mut errors)));
    let phone = text.phone.map(|p| {
        optional(p).inspect(|p| {
            let ok = p.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c))
                && (6..=32).contains(&p.chars().count())
                && p.chars().any(|c| c.is_ascii_digit());
            if !ok {
                errors.push(FieldError::new(
                    "phone",
                    "must be a phone number of 6–32 digits, spaces, '+', '-' or brackets",
                ));
            }
        })
    });
    let ward = text
        .ward
        .map(|w| optional(w).map(|w| clean_text("ward", &w, 64, &mut errors)));
    if errors.is_empty() {
        Ok(CleanParticipantText {
            full_name,
            email,
            phone,
            ward,
        })
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(name: &str) -> ParticipantText {
        ParticipantText {
            full_name: Some(name.into()),
            ..Default::default()
        }
    }

    #[test]
    fn names_in_any_script_are_kept_exactly() {
        for name in [
            "Zoë Müller-Øberg",
            "Ngozi Okonkwo-Adébáyọ̀",
            "Тендаи",
            "王小明",
        ] {
            assert_eq!(clean(named(name)).unwrap().full_name.as_deref(), Some(name));
        }
    }

    #[test]
    fn names_are_trimmed_and_must_not_be_blank_or_too_long() {
        assert_eq!(
            clean(named("  Nomvula Ndlovu "))
                .unwrap()
                .full_name
                .as_deref(),
            Some("Nomvula Ndlovu")
        );
        assert!(clean(named("   ")).is_err());
        assert!(clean(named(&"a".repeat(121))).is_err());
        assert!(clean(named(&"é".repeat(120))).is_ok());
    }

    #[test]
    fn an_empty_email_means_none_and_a_bad_one_is_refused() {
        let text = ParticipantText {
            email: Some(Some(" ".into())),
            ..named("A")
        };
        assert_eq!(clean(text).unwrap().email, Some(None));
        let text = ParticipantText {
            email: Some(Some("nope".into())),
            ..named("A")
        };
        assert_eq!(clean(text).unwrap_err()[0].field, "email");
    }

    #[test]
    fn phones_take_digits_and_punctuation_only() {
        let ok = ParticipantText {
            phone: Some(Some("+263 77 123 4567".into())),
            ..named("A")
        };
        assert!(clean(ok).is_ok());
        let bad = ParticipantText {
            phone: Some(Some("call me".into())),
            ..named("A")
        };
        assert_eq!(clean(bad).unwrap_err()[0].field, "phone");
    }
}
