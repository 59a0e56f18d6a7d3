//! Applying for a place in a public workshop: what an application must hold (a name, a way to
//! reach the person, their consent), how phone numbers are written (E.164, Zimbabwe by
//! default), and how long an application waits for its confirmation before it lapses.

use chrono::{DateTime, Duration, Utc};

use super::{FieldError, account::clean_email, account::clean_person_name, clean_name, clean_text};

/// How long an applicant has to confirm by link or code before the application lapses.
pub const CONFIRM_WITHIN: Duration = Duration::hours(24);
/// Wrong SMS codes allowed before the code stops working (the link, if any, still does).
pub const CODE_TRIES: i32 = 5;
/// The longest reason a decline may give.
pub const MAX_REASON_CHARS: usize = 1000;

/// An application's text as the applicant typed it.
#[derive(Debug, Clone, Default)]
pub struct ApplicationText {
    pub full_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub organisation_name: Option<String>,
    /// The `consent` field: must be `true`.
    pub consent: Option<bool>,
}

/// The application's text once checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CleanApplication {
    pub full_name: String,
    /// Lower-cased.
    pub email: Option<String>,
    /// E.164.
    pub phone: Option<String>,
    pub organisation_name: Option<String>,
}

/// Checks an application: a name, at least one of email or phone (each valid), an organisation
/// name if given, and consent to the privacy notice. Every problem is reported against its field.
pub fn clean(text: ApplicationText) -> Result<CleanApplication, Vec<FieldError>> {
    let mut errors = Vec::new();
    let full_name = clean_person_name("full_name", &text.full_name, &mut errors);
    let given = |v: Option<String>| v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    let email = given(text.email).map(|e| {
        let before = errors.len();
        let cleaned = clean_text("email", &e, 254, &mut errors);
        if errors.len() == before {
            clean_email("email", &cleaned, &mut errors)
        } else {
            cleaned
        }
    });
    let phone = given(text.phone).and_then(|p| match normalise_phone(&p) {
        Ok(p) => Some(p),
        Err(message) => {
            errors.push(FieldError::new("phone", message));
            None
        }
    });
    let organisation_name = given(text.organisation_name)
        .map(|o| clean_name("organisation_name", &o, 200, &mut errors));
    if email.is_none() && phone.is_none() && !errors.iter().any(|e| e.field == "phone") {
        errors.push(FieldError::new(
            "email",
            "give an email address or a phone number (or both), so that you can confirm the application",
        ));
    }
    if text.consent != Some(true) {
        errors.push(FieldError::new(
            "consent",
            "must be true: applying needs your consent to the privacy notice",
        ));
    }
    if errors.is_empty() {
        Ok(CleanApplication {
            full_name,
            email,
            phone,
            organisation_name,
        })
    } else {
        Err(errors)
    }
}

/// A phone number in E.164 (`+263771234567`): numbers without a country code are read as
/// Zimbabwean. Refuses what is not a valid number.
pub fn normalise_phone(phone: &str) -> Result<String, &'static str> {
    const MESSAGE: &str = "must be a valid phone number, such as 077 123 4567 or +263 77 123 4567";
    if super::text::forbidden_char(phone, false).is_some() || phone.chars().count() > 32 {
        return Err(MESSAGE);
    }
    let parsed =
        phonenumber::parse(Some(phonenumber::country::Id::ZW), phone).map_err(|_| MESSAGE)?;
    if !phonenumber::is_valid(&parsed) {
        return Err(MESSAGE);
    }
    Ok(parsed.format().mode(phonenumber::Mode::E164).to_string())
}

/// Whether an unconfirmed application made to be confirmed by `confirm_by` has lapsed at `now`.
pub fn lapsed(confirm_by: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now >= confirm_by
}

/// Checks a decline's reason: a paragraph of at most [`MAX_REASON_CHARS`] characters.
pub fn clean_reason(reason: &str) -> Result<String, FieldError> {
    let trimmed = reason.trim();
    if trimmed.is_empty() {
        return Err(FieldError::new(
            "reason",
            "must say why: the applicant is told",
        ));
    }
    if trimmed.chars().count() > MAX_REASON_CHARS {
        return Err(FieldError::new(
            "reason",
            format!("must be at most {MAX_REASON_CHARS} characters long"),
        ));
    }
    super::text::check_chars("reason", trimmed, true)?;
    Ok(trimmed.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(name: &str, email: Option<&str>, phone: Option<&str>) -> ApplicationText {
        ApplicationText {
            full_name: name.into(),
            email: email.map(Into::into),
            phone: phone.map(Into::into),
            organisation_name: None,
            consent: Some(true),
        }
    }

    fn fields(errors: Vec<FieldError>) -> Vec<String> {
        errors.into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn zimbabwean_numbers_are_written_in_e164_however_typed() {
        for typed in [
            "077 123 4567",
            "0771234567",
            "+263 77 123 4567",
            "+263-77-123-4567",
        ] {
            assert_eq!(
                normalise_phone(typed).as_deref(),
                Ok("+263771234567"),
                "{typed}"
            );
        }
        assert_eq!(
            normalise_phone("+27 82 123 4567").as_deref(),
            Ok("+27821234567")
        );
    }

    #[test]
    fn what_is_not_a_phone_number_is_refused() {
        for typed in ["12", "call me", "077 123 4567\u{7}", "+263 1"] {
            assert!(normalise_phone(typed).is_err(), "{typed}");
        }
    }

    #[test]
    fn an_application_needs_a_way_to_reach_the_person() {
        assert_eq!(
            fields(clean(text("Chipo", None, None)).unwrap_err()),
            ["email"]
        );
        assert!(clean(text("Chipo", Some("c@example.org"), None)).is_ok());
        assert!(clean(text("Chipo", None, Some("0771234567"))).is_ok());
    }

    #[test]
    fn a_bad_phone_is_reported_against_the_phone_alone() {
        assert_eq!(
            fields(clean(text("Chipo", None, Some("abc"))).unwrap_err()),
            ["phone"]
        );
    }

    #[test]
    fn consent_must_be_given() {
        let mut t = text("Chipo", Some("c@example.org"), None);
        t.consent = Some(false);
        assert_eq!(fields(clean(t.clone()).unwrap_err()), ["consent"]);
        t.consent = None;
        assert_eq!(fields(clean(t).unwrap_err()), ["consent"]);
    }

    #[test]
    fn control_characters_are_refused_in_every_field() {
        assert_eq!(
            fields(clean(text("Chi\u{0}po", Some("c@example.org"), None)).unwrap_err()),
            ["full_name"]
        );
        let mut t = text("Chipo", Some("c@example.org"), None);
        t.organisation_name = Some("Harare\u{1b}City".into());
        assert_eq!(fields(clean(t).unwrap_err()), ["organisation_name"]);
    }

    #[test]
    fn an_application_lapses_at_its_time_not_before() {
        let made = Utc::now();
        let by = made + CONFIRM_WITHIN;
        assert!(!lapsed(by, made + Duration::hours(23)));
        assert!(lapsed(by, by));
    }

    #[test]
    fn a_decline_needs_a_reason() {
        assert!(clean_reason("  ").is_err());
        assert_eq!(clean_reason(" Full. ").unwrap(), "Full.");
        assert!(clean_reason("a\u{0}b").is_err());
    }
}
