//! The words of the mail a participant receives along the way: enrolment confirmation,
//! waitlist notice, promotion, reminder, cancellation and evaluation request. Short, in plain
//! text and HTML, with the workshop's dates and venue, and the day-by-day schedule where it
//! helps (confirmation, promotion, reminder).

use chrono::{Datelike, NaiveDate};
use entity::email_outbox::EmailKind;

use crate::l10n::{self, FluentValue, Lang};

/// One day of the workshop as the mail shows it.
#[derive(Debug, Clone)]
pub struct Day {
    pub day: i32,
    pub date: NaiveDate,
    pub topics: Vec<String>,
}

/// What the mail says about the workshop and the person.
#[derive(Debug, Clone)]
pub struct Facts {
    pub participant_name: String,
    pub course_title: String,
    pub course_code: String,
    /// The level in words ("Training of Trainers", ...).
    pub level: String,
    pub venue: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub days: Vec<Day>,
    /// The place in the waitlist (waitlist notice).
    pub waitlist_position: Option<u64>,
    /// How to submit an evaluation (evaluation request).
    pub evaluation_url: String,
}

/// A composed message: subject, plain text and HTML.
#[derive(Debug, Clone)]
pub struct Composed {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Whether a message of `kind` is worth sending about a workshop starting on `start_date`,
/// `today`: news about a workshop yet to start (confirmation, waitlist, promotion, reminder,
/// cancellation) is not sent for one recorded after the fact; the evaluation request is.
pub fn worth_sending(kind: EmailKind, start_date: NaiveDate, today: NaiveDate) -> bool {
    match kind {
        EmailKind::EvaluationRequest
        | EmailKind::Certificate
        | EmailKind::SignInLink
        | EmailKind::RenewalReminder
        | EmailKind::WebhookDisabled
        | EmailKind::ApplicationConfirmation
        | EmailKind::ApplicationAccepted
        | EmailKind::ApplicationDeclined => true,
        EmailKind::EnrolmentConfirmation
        | EmailKind::WaitlistNotice
        | EmailKind::Promotion
        | EmailKind::Reminder
        | EmailKind::Cancellation => start_date >= today,
    }
}

/// "Monday 7 December 2026".
pub fn long_date(date: NaiveDate) -> String {
    long_date_in(Lang::En, date)
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A date in a mail in `lang`: "Monday 7 December 2026", "Muvhuro 7 Zvita 2026".
pub fn long_date_in(lang: Lang, date: NaiveDate) -> String {
    let plain = l10n::text_with(
        lang,
        "date-long",
        &[
            ("day", date.day().to_string().into()),
            ("month", i64::from(date.month()).into()),
            ("year", date.year().to_string().into()),
        ],
    );
    l10n::text_with(
        lang,
        "mail-date",
        &[
            (
                "weekday",
                i64::from(date.weekday().number_from_monday()).into(),
            ),
            ("date", plain.into()),
        ],
    )
}

/// The level of a workshop in words for a mail in `lang`.
pub fn level_in(lang: Lang, level: entity::workshop::Level) -> String {
    match level {
        entity::workshop::Level::Tot => l10n::text(lang, "mail-level-tot"),
        entity::workshop::Level::Cascade => l10n::text(lang, "mail-level-cascade"),
        entity::workshop::Level::Community => l10n::text(lang, "mail-level-community"),
    }
}

/// The subject line and the lead paragraph of each kind in `lang`, and whether the day-by-day
/// schedule follows; `None` for the kinds composed elsewhere.
fn words(kind: EmailKind, f: &Facts, lang: Lang) -> Option<(String, String, bool)> {
    let course = format!("{} ({})", f.course_title, f.course_code);
    let text = |key: &str, args: &[(&'static str, FluentValue<'_>)]| {
        let mut all: Vec<(&'static str, FluentValue<'_>)> = vec![
            ("course", course.clone().into()),
            ("level", f.level.clone().into()),
        ];
        all.extend(args.iter().cloned());
        l10n::text_with(lang, key, &all)
    };
    let start = long_date_in(lang, f.start_date);
    let (subject, lead, schedule) = match kind {
        // Composed elsewhere: certificates and renewal reminders with the certificate
        // (`compose`), sign-in links by `mail::sign_in`.
        EmailKind::Certificate
        | EmailKind::SignInLink
        | EmailKind::RenewalReminder
        | EmailKind::WebhookDisabled
        | EmailKind::ApplicationConfirmation
        | EmailKind::ApplicationAccepted
        | EmailKind::ApplicationDeclined => {
            return None;
        }
        EmailKind::EnrolmentConfirmation => (
            text("mail-confirmation-subject", &[]),
            text("mail-confirmation-body", &[]),
            true,
        ),
        EmailKind::WaitlistNotice => (
            text("mail-waitlist-subject", &[]),
            text(
                "mail-waitlist-body",
                &[(
                    "position",
                    i64::try_from(f.waitlist_position.unwrap_or(0))
                        .unwrap_or(i64::MAX)
                        .into(),
                )],
            ),
            false,
        ),
        EmailKind::Promotion => (
            text("mail-promotion-subject", &[]),
            text("mail-promotion-body", &[]),
            true,
        ),
        EmailKind::Reminder => (
            text("mail-reminder-subject", &[("date", start.clone().into())]),
            text("mail-reminder-body", &[]),
            true,
        ),
        EmailKind::Cancellation => (
            text(
                "mail-cancellation-subject",
                &[("date", start.clone().into())],
            ),
            text("mail-cancellation-body", &[]),
            false,
        ),
        EmailKind::EvaluationRequest => (
            text("mail-evaluation-subject", &[]),
            text(
                "mail-evaluation-body",
                &[("url", f.evaluation_url.clone().into())],
            ),
            false,
        ),
    };
    Some((subject, lead, schedule))
}

/// Composes the message of `kind` in English (not for certificates: `None`).
pub fn compose(kind: EmailKind, f: &Facts) -> Option<Composed> {
    compose_in(kind, f, Lang::En)
}

/// Composes the message of `kind` in `lang` (the participant's,
/// `services::participant_mail::language_of`); `None` for certificates.
pub fn compose_in(kind: EmailKind, f: &Facts, lang: Lang) -> Option<Composed> {
    let (subject, lead, schedule) = words(kind, f, lang)?;
    let say =
        |key: &str, args: &[(&'static str, FluentValue<'_>)]| l10n::text_with(lang, key, args);
    let (start, end) = (
        long_date_in(lang, f.start_date),
        long_date_in(lang, f.end_date),
    );
    let when = say(
        "mail-when",
        &[("start", start.clone().into()), ("end", end.clone().into())],
    );
    let place = say("mail-where", &[("venue", f.venue.clone().into())]);
    let greeting = say(
        "mail-greeting",
        &[("name", f.participant_name.clone().into())],
    );
    let mut text = format!("{greeting}\n\n{lead}\n\n{when}\n{place}\n");
    let mut html = format!(
        "<!doctype html><html lang=\"{}\"><body style=\"font-family: sans-serif\">\
         <p>{}</p><p>{}</p><p>{}<br>{}</p>",
        lang.code(),
        escape(&greeting),
        escape(&lead),
        escape(&when),
        escape(&place),
    );
    if schedule && !f.days.is_empty() {
        let heading = say("mail-day-by-day", &[]);
        text.push_str(&format!("\n{heading}:\n"));
        html.push_str(&format!("<p><strong>{}</strong></p><ul>", escape(&heading)));
        for d in &f.days {
            let date = long_date_in(lang, d.date);
            let line = if d.topics.is_empty() {
                say(
                    "mail-day-practice",
                    &[("day", d.day.into()), ("date", date.into())],
                )
            } else {
                say(
                    "mail-day",
                    &[
                        ("day", d.day.into()),
                        ("date", date.into()),
                        ("topics", d.topics.join("; ").into()),
                    ],
                )
            };
            text.push_str(&format!("  {line}\n"));
            html.push_str(&format!("<li>{}</li>", escape(&line)));
        }
        html.push_str("</ul>");
    }
    let (sign_off, team) = (say("mail-sign-off", &[]), say("mail-team", &[]));
    text.push_str(&format!("\n{sign_off}\n{team}\n"));
    html.push_str(&format!(
        "<p>{}<br>{}</p></body></html>",
        escape(&sign_off),
        escape(&team)
    ));
    Some(Composed {
        subject,
        text,
        html,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> Facts {
        let date = |s: &str| s.parse::<NaiveDate>().unwrap();
        Facts {
            participant_name: "Zoë <Moyo>".into(),
            course_title: "Customer Care".into(),
            course_code: "CC".into(),
            level: "Training of Trainers".into(),
            venue: "Town House, Harare".into(),
            start_date: date("2026-12-07"),
            end_date: date("2026-12-11"),
            days: vec![Day {
                day: 1,
                date: date("2026-12-07"),
                topics: vec!["Knowing your customers".into()],
            }],
            waitlist_position: Some(4),
            evaluation_url: "https://training.iwsd.example/portal/workshops/3/evaluation".into(),
        }
    }

    #[test]
    fn a_confirmation_gives_dates_venue_and_the_day_by_day_schedule() {
        let m = compose(EmailKind::EnrolmentConfirmation, &facts()).unwrap();
        assert!(m.subject.contains("Customer Care (CC)"));
        assert!(
            m.text
                .contains("Monday 7 December 2026 to Friday 11 December 2026")
        );
        assert!(m.text.contains("Town House, Harare"));
        assert!(
            m.text
                .contains("Day 1, Monday 7 December 2026: Knowing your customers")
        );
        assert!(
            m.html.contains("Zoë &lt;Moyo&gt;"),
            "names are escaped in HTML"
        );
    }

    #[test]
    fn news_of_a_workshop_recorded_after_the_fact_is_not_sent_but_the_evaluation_request_is() {
        let start = "2026-03-02".parse().unwrap();
        let today = "2026-11-30".parse().unwrap();
        assert!(!worth_sending(
            EmailKind::EnrolmentConfirmation,
            start,
            today
        ));
        assert!(!worth_sending(EmailKind::Cancellation, start, today));
        assert!(worth_sending(EmailKind::EvaluationRequest, start, today));
        assert!(worth_sending(EmailKind::Reminder, today, today));
    }

    #[test]
    fn a_waitlist_notice_gives_the_position_and_no_schedule() {
        let m = compose(EmailKind::WaitlistNotice, &facts()).unwrap();
        assert!(m.text.contains("position 4"));
        assert!(!m.text.contains("Day by day"));
    }

    #[test]
    fn every_journey_kind_has_its_own_subject_and_certificates_are_composed_elsewhere() {
        let kinds = [
            EmailKind::EnrolmentConfirmation,
            EmailKind::WaitlistNotice,
            EmailKind::Promotion,
            EmailKind::Reminder,
            EmailKind::Cancellation,
            EmailKind::EvaluationRequest,
        ];
        let subjects: std::collections::HashSet<String> = kinds
            .iter()
            .map(|k| compose(*k, &facts()).unwrap().subject)
            .collect();
        assert_eq!(subjects.len(), kinds.len());
        assert!(compose(EmailKind::Certificate, &facts()).is_none());
    }

    const KINDS: [EmailKind; 6] = [
        EmailKind::EnrolmentConfirmation,
        EmailKind::WaitlistNotice,
        EmailKind::Promotion,
        EmailKind::Reminder,
        EmailKind::Cancellation,
        EmailKind::EvaluationRequest,
    ];

    #[test]
    fn every_kind_comes_in_shona_and_ndebele_with_the_facts_filled_in() {
        for (lang, greeting, month, weekday) in [
            (
                Lang::Sn,
                "Mhoro Zoë <Moyo>,",
                "Zvita",
                "Muvhuro 7 Zvita 2026",
            ),
            (
                Lang::Nd,
                "Sawubona Zoë <Moyo>,",
                "uMpalakazi",
                "uMvulo 7 uMpalakazi 2026",
            ),
        ] {
            let mut subjects = std::collections::HashSet::new();
            for kind in KINDS {
                let english = compose(kind, &facts()).unwrap();
                let m = compose_in(kind, &facts(), lang).unwrap();
                assert_ne!(m.subject, english.subject, "{kind:?} in {lang:?}");
                assert!(m.subject.contains("Customer Care (CC)"), "{}", m.subject);
                assert!(m.text.starts_with(greeting), "{}", m.text);
                assert!(m.text.contains(weekday), "{kind:?}: {}", m.text);
                assert!(m.text.contains("Town House, Harare"));
                assert!(
                    !m.text.contains("Dear ") && !m.text.contains("When:"),
                    "{}",
                    m.text
                );
                assert!(
                    !m.text.contains('{') && !m.text.contains('\u{2068}'),
                    "{}",
                    m.text
                );
                assert!(m.html.contains(&format!("<html lang=\"{}\">", lang.code())));
                assert!(m.html.contains("Zoë &lt;Moyo&gt;"), "{}", m.html);
                assert!(m.html.contains(month));
                subjects.insert(m.subject);
            }
            assert_eq!(subjects.len(), KINDS.len(), "{lang:?}");
        }
        let sn = compose_in(EmailKind::WaitlistNotice, &facts(), Lang::Sn).unwrap();
        assert!(sn.text.contains("panhamba 4"), "{}", sn.text);
        let nd = compose_in(EmailKind::EvaluationRequest, &facts(), Lang::Nd).unwrap();
        assert!(
            nd.text
                .contains("ku-https://training.iwsd.example/portal/workshops/3/evaluation"),
            "{}",
            nd.text
        );
        let sn = compose_in(EmailKind::EnrolmentConfirmation, &facts(), Lang::Sn).unwrap();
        assert!(
            sn.text
                .contains("Zuva 1, Muvhuro 7 Zvita 2026: Knowing your customers"),
            "{}",
            sn.text
        );
    }

    #[test]
    fn english_mail_reads_as_before() {
        let m = compose(EmailKind::Reminder, &facts()).unwrap();
        assert_eq!(
            m.subject,
            "Reminder: Customer Care (CC) starts Monday 7 December 2026"
        );
        assert!(m.text.starts_with("Dear Zoë <Moyo>,\n\n"), "{}", m.text);
        assert!(m.text.contains(
            "When: Monday 7 December 2026 to Friday 11 December 2026\nWhere: Town House, Harare"
        ));
        assert!(m.text.ends_with("With best wishes,\nIWSD Training\n"));
        assert_eq!(
            level_in(Lang::En, entity::workshop::Level::Tot),
            "Training of Trainers"
        );
        assert_eq!(
            level_in(Lang::Sn, entity::workshop::Level::Community),
            "nharaunda"
        );
    }
}
