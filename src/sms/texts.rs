//! The words of each SMS, in the participant's language (`assets/i18n/<lang>/sms.ftl`).
//!
//! Every message must fit [`segments::MAX_SEGMENTS`]. Nothing is cut at run time: when the full
//! message would not fit (a long name and a long venue), the optional part goes, in a fixed
//! order: its `-short` form leaves out the venue (news of a seat, a reminder, a cancellation) or
//! the name (the waitlist, evaluation and certificate messages, whose link or place must stay);
//! a declined application's `-bare` form leaves out the reason too (it may be a paragraph).
//! A message that does not fit even then is not sent (an error, which a unit test over every
//! kind and language at the longest realistic values rules out).

use chrono::NaiveDate;
use entity::sms_outbox::SmsKind;

use super::segments;
use crate::l10n::{FluentValue, Lang, text_with};

/// What a journey SMS may mention.
#[derive(Debug, Clone)]
pub struct Facts {
    pub name: String,
    /// The course's code (`CSSD-CC`): titles are too long for an SMS.
    pub course: String,
    pub date: NaiveDate,
    /// When the first day starts (`08:00`).
    pub time: String,
    pub venue: String,
    /// The place on the waitlist.
    pub position: Option<u64>,
    /// The evaluation page.
    pub evaluation_url: String,
    /// The certificate's verification page.
    pub verify_url: String,
    /// The portal, where the certificate is downloaded.
    pub portal_url: String,
    /// An application's reference (`A-…`).
    pub reference: String,
    /// Why an application was declined.
    pub reason: String,
}

/// The Fluent message of a journey kind (the sign-in code has its own function).
fn key(kind: SmsKind) -> &'static str {
    match kind {
        SmsKind::SignInCode => "sms-sign-in-code",
        SmsKind::EnrolmentConfirmation => "sms-enrolment-confirmation",
        SmsKind::Waitlist => "sms-waitlist",
        SmsKind::Promotion => "sms-promotion",
        SmsKind::Reminder => "sms-reminder",
        SmsKind::Cancellation => "sms-cancellation",
        SmsKind::EvaluationRequest => "sms-evaluation-request",
        SmsKind::Certificate => "sms-certificate",
        SmsKind::ApplicationAccepted => "sms-application-accepted",
        SmsKind::ApplicationDeclined => "sms-application-declined",
    }
}

/// The Fluent message of `kind` with these facts: an accepted application with a waitlist
/// place has its own.
fn key_of(kind: SmsKind, f: &Facts) -> &'static str {
    match (kind, f.position) {
        (SmsKind::ApplicationAccepted, Some(_)) => "sms-application-waitlisted",
        _ => key(kind),
    }
}

/// The forms of a message, tried in turn until one fits: the full one, the `-short` one, and
/// for a decline a `-bare` one without the reason (which may be a paragraph).
fn forms(kind: SmsKind) -> &'static [&'static str] {
    match kind {
        SmsKind::ApplicationDeclined => &["", "-short", "-bare"],
        _ => &["", "-short"],
    }
}

/// A date as Zimbabweans write it: `14/12/2026` (the same in every language).
fn date(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// Why a message could not be written.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("the {kind:?} SMS takes {segments} segments even in its short form")]
pub struct TooLong {
    pub kind: SmsKind,
    pub segments: u32,
}

/// The text of a journey SMS of `kind` in `lang`: the full message when it fits two segments,
/// else its short form.
pub fn journey(kind: SmsKind, lang: Lang, f: &Facts) -> Result<String, TooLong> {
    let position = f.position.unwrap_or(0);
    let args: Vec<(&'static str, FluentValue<'_>)> = vec![
        ("name", f.name.as_str().into()),
        ("course", f.course.as_str().into()),
        ("date", date(f.date).into()),
        ("time", f.time.as_str().into()),
        ("venue", f.venue.as_str().into()),
        // A string, so that no locale inserts digit grouping.
        ("position", position.to_string().into()),
        ("link", f.evaluation_url.as_str().into()),
        ("verify", f.verify_url.as_str().into()),
        ("portal", f.portal_url.as_str().into()),
        ("reference", f.reference.as_str().into()),
        ("reason", f.reason.as_str().into()),
    ];
    let key = key_of(kind, f);
    let mut segments_taken = 0;
    for form in forms(kind) {
        let text = text_with(lang, &format!("{key}{form}"), &args);
        if segments::fits(&text) {
            return Ok(text);
        }
        segments_taken = segments::count(&text).segments;
    }
    Err(TooLong {
        kind,
        segments: segments_taken,
    })
}

/// The text that carries a sign-in code.
pub fn sign_in_code(lang: Lang, code: &str, minutes: i64) -> String {
    text_with(
        lang,
        key(SmsKind::SignInCode),
        &[
            ("code", code.into()),
            ("minutes", minutes.to_string().into()),
        ],
    )
}

#[cfg(test)]
mod tests {
    use sea_orm::Iterable;

    use super::*;

    fn longest() -> Facts {
        let public = "https://training.iwsd.ac.zw";
        Facts {
            name: "Nokuthula Sibongile Chiwenga-Mpofu Ndlovu-Dube Moyo Sibandze".into(),
            course: "CSSD-TOT-2".into(),
            date: NaiveDate::from_ymd_opt(2026, 12, 14).unwrap(),
            time: "08:00".into(),
            venue:
                "Mkoba Community Hall, Stand 44710, Mkoba Ward 12, Gweru, Midlands Province, ZWE."
                    .into(),
            position: Some(123),
            evaluation_url: format!("{public}/portal/workshops/123456/evaluation"),
            verify_url: format!("{public}/verify/ABCD-EFGH-JKLM"),
            portal_url: format!("{public}/portal"),
            reference: "A-23456789AB".into(),
            reason: "The workshop is for council staff; ".repeat(28),
        }
    }

    #[test]
    fn every_kind_fits_two_segments_in_every_language_at_the_longest_names_and_venues() {
        let facts = longest();
        assert_eq!(facts.name.chars().count(), 60);
        assert_eq!(facts.venue.chars().count(), 80);
        // An accepted application with a seat has its own words (no waitlist place).
        let seated = Facts {
            position: None,
            ..longest()
        };
        for lang in Lang::ALL {
            let kinds = SmsKind::iter()
                .filter(|k| *k != SmsKind::SignInCode)
                .map(|k| (k, &facts))
                .chain([(SmsKind::ApplicationAccepted, &seated)]);
            for (kind, facts) in kinds {
                let text =
                    journey(kind, lang, facts).unwrap_or_else(|e| panic!("{lang:?} {kind:?}: {e}"));
                let count = segments::count(&text);
                assert_eq!(
                    count.encoding,
                    segments::Encoding::Gsm7,
                    "{lang:?} {kind:?}: {text}"
                );
                assert!(count.segments <= 2, "{lang:?} {kind:?}: {text}");
                assert!(!text.contains('{'), "{lang:?} {kind:?}: {text}");
            }
            let code = sign_in_code(lang, "123456", 10);
            assert!(code.contains("123456") && segments::count(&code).segments == 1);
        }
    }

    #[test]
    fn short_names_and_venues_get_the_full_message() {
        let facts = Facts {
            name: "Tendai Moyo".into(),
            venue: "Harare Town House".into(),
            ..longest()
        };
        let text = journey(SmsKind::EnrolmentConfirmation, Lang::En, &facts).unwrap();
        assert_eq!(
            text,
            "Tendai Moyo, your seat at CSSD-TOT-2 is confirmed: 14/12/2026 from 08:00 at \
             Harare Town House. IWSD"
        );
    }

    #[test]
    fn when_the_full_message_does_not_fit_the_venue_goes_first() {
        let facts = Facts {
            venue: "V".repeat(200),
            ..longest()
        };
        let text = journey(SmsKind::Reminder, Lang::En, &facts).unwrap();
        assert!(
            !text.contains("VVV") && text.contains(&facts.name),
            "{text}"
        );
        let facts = Facts {
            name: "N".repeat(300),
            ..longest()
        };
        assert!(journey(SmsKind::Reminder, Lang::En, &facts).is_err());
    }

    #[test]
    fn a_decline_says_a_short_reason_and_leaves_a_long_one_to_the_reference() {
        let short = Facts {
            reason: "The workshop is for council staff.".into(),
            ..longest()
        };
        for lang in Lang::ALL {
            let text = journey(SmsKind::ApplicationDeclined, lang, &short).unwrap();
            assert!(text.contains("for council staff"), "{lang:?}: {text}");
            let text = journey(SmsKind::ApplicationDeclined, lang, &longest()).unwrap();
            assert!(
                !text.contains("council staff") && text.matches("A-23456789AB").count() == 2,
                "{lang:?}: {text}"
            );
        }
        let seat = Facts {
            name: "Farai Ncube".into(),
            venue: "Mutare Civic Centre".into(),
            position: None,
            ..longest()
        };
        assert_eq!(
            journey(SmsKind::ApplicationAccepted, Lang::En, &seat).unwrap(),
            "Farai Ncube, your application A-23456789AB is accepted: you have a seat at \
             CSSD-TOT-2, 14/12/2026 from 08:00 at Mutare Civic Centre. IWSD"
        );
    }
}
