//! Consent to the processing of personal data (Zimbabwe's Cyber and Data Protection Act): the
//! privacy notice a person is shown when enrolling, in one place, and what an enrolment records.
//!
//! The notice's text changes only with a new [`NOTICE_VERSION`], so that each recorded consent
//! names the words the person agreed to. Translations go beside [`NOTICE_EN`] under the same
//! version.

use chrono::{DateTime, Utc};

use super::{Error, FieldError, Result};

/// The version of the privacy notice in force; recorded with every consent.
pub const NOTICE_VERSION: &str = "2026-12-03";

/// The privacy notice, in English.
pub const NOTICE_EN: &str = "The Institute of Water and Sanitation Development (IWSD), the \
controller of this data, records your name, contact details, organisation, gender, year of birth \
and answers to the Washington Group questions on functioning, your attendance, test scores and \
certificates, to run the workshop, to issue and verify your certificate, and to report anonymous \
totals to the programme's funders. It is kept while you take part and, for contact details, for \
the retention period IWSD has set after your last workshop. You may ask to see all of it, to \
have it corrected, or to have it erased (totals already reported stay as they are). Contact \
IWSD's data protection officer at the address on the portal.";

/// A consent as an enrolment records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consent {
    pub given_at: DateTime<Utc>,
    pub text_version: String,
}

impl Consent {
    /// Consent given now to the notice in force.
    pub fn now() -> Self {
        Self {
            given_at: Utc::now(),
            text_version: NOTICE_VERSION.to_owned(),
        }
    }
}

/// What an enrolment request says about consent (`given`: the `consent` field), and whether the
/// person is enrolling themselves (`self_service`), to what is recorded: self-service requires
/// `consent: true`; staff entering a paper form record it when the form was signed.
pub fn record(given: Option<bool>, self_service: bool) -> Result<Option<Consent>> {
    match (given, self_service) {
        (Some(true), _) => Ok(Some(Consent::now())),
        (_, true) => Err(Error::Invalid(vec![FieldError::new(
            "consent",
            "must be true: enrolling yourself needs your consent to the privacy notice",
        )])),
        _ => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn self_service_needs_consent_and_staff_record_it_when_given() {
        assert!(record(None, true).is_err());
        assert!(record(Some(false), true).is_err());
        let given = record(Some(true), true).unwrap().unwrap();
        assert_eq!(given.text_version, NOTICE_VERSION);
        assert_eq!(record(None, false).unwrap(), None);
        assert_eq!(record(Some(false), false).unwrap(), None);
        assert!(record(Some(true), false).unwrap().is_some());
    }
}
