//! What makes a participant record valid.

use entity::participant::ContactBy;

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
    let phone = text
        .phone
        .map(|p| optional(p).map(|p| super::phone::clean("phone", &p, &mut errors)));
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

/// How a participant is reached: the value asked for, checked against the contact details the
/// record will have (`sms` needs a phone, `email` an email, `both` both); when none is asked
/// for, the current value while the details still allow it, else the default: `email` when an
/// email is recorded, else `sms` when a phone is, else `email`.
pub fn contact_by(
    asked: Option<ContactBy>,
    current: Option<ContactBy>,
    has_email: bool,
    has_phone: bool,
    errors: &mut Vec<FieldError>,
) -> ContactBy {
    let possible = |c: ContactBy| match c {
        ContactBy::Email => has_email,
        ContactBy::Sms => has_phone,
        ContactBy::Both => has_email && has_phone,
    };
    if let Some(asked) = asked {
        if !possible(asked) {
            errors.push(FieldError::new(
                "contact_by",
                match asked {
                    ContactBy::Email => "is email, but the participant has no email address",
                    ContactBy::Sms => "is sms, but the participant has no phone number",
                    ContactBy::Both => "is both, which needs an email address and a phone number",
                },
            ));
        }
        return asked;
    }
    match current {
        Some(current) if possible(current) => current,
        _ if has_email => ContactBy::Email,
        _ if has_phone => ContactBy::Sms,
        _ => ContactBy::Email,
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
    fn phones_are_normalised_and_words_refused() {
        let ok = ParticipantText {
            phone: Some(Some("077 123 4567".into())),
            ..named("A")
        };
        assert_eq!(
            clean(ok).unwrap().phone,
            Some(Some("+263771234567".to_owned()))
        );
        let bad = ParticipantText {
            phone: Some(Some("call me".into())),
            ..named("A")
        };
        assert_eq!(clean(bad).unwrap_err()[0].field, "phone");
    }

    #[test]
    fn contact_by_defaults_to_what_the_record_allows() {
        let mut errors = Vec::new();
        assert_eq!(
            contact_by(None, None, true, true, &mut errors),
            ContactBy::Email
        );
        assert_eq!(
            contact_by(None, None, false, true, &mut errors),
            ContactBy::Sms
        );
        assert_eq!(
            contact_by(None, None, false, false, &mut errors),
            ContactBy::Email
        );
        // The email removed: an SMS participant from now on.
        assert_eq!(
            contact_by(None, Some(ContactBy::Both), false, true, &mut errors),
            ContactBy::Sms
        );
        assert!(errors.is_empty());
    }

    #[test]
    fn contact_by_sms_needs_a_phone() {
        let mut errors = Vec::new();
        contact_by(Some(ContactBy::Sms), None, true, false, &mut errors);
        assert_eq!(errors[0].field, "contact_by");
    }
}
