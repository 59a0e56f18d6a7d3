//! The words of the mail a participant receives along the way: enrolment confirmation,
//! waitlist notice, promotion, reminder, cancellation and evaluation request. Short, in plain
//! text and HTML, with the workshop's dates and venue, and the day-by-day schedule where it
//! helps (confirmation, promotion, reminder).

use chrono::NaiveDate;
use entity::email_outbox::EmailKind;

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
    date.format("%A %-d %B %Y").to_string()
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The subject line and the lead paragraph of each kind; `None` for certificates (composed
/// with the certificate, see `compose`).
fn words(kind: EmailKind, f: &Facts) -> Option<(String, String, bool)> {
    let course = format!("{} ({})", f.course_title, f.course_code);
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
            format!("Your place is confirmed: {course}"),
            format!(
                "Your place in the {course} {level} workshop is confirmed. The dates are in the \
                 attached calendar file.",
                level = f.level
            ),
            true,
        ),
        EmailKind::WaitlistNotice => (
            format!("You are on the waitlist: {course}"),
            format!(
                "The {course} {level} workshop is full, so you are on its waitlist at position \
                 {position}. If a place comes free you get it in turn, and we will write to you.",
                level = f.level,
                position = f.waitlist_position.unwrap_or(0)
            ),
            false,
        ),
        EmailKind::Promotion => (
            format!("A place came free for you: {course}"),
            format!(
                "Good news: a place came free in the {course} {level} workshop and it is now \
                 yours. The dates are in the attached calendar file.",
                level = f.level
            ),
            true,
        ),
        EmailKind::Reminder => (
            format!("Reminder: {course} starts {}", long_date(f.start_date)),
            format!(
                "A reminder that the {course} {level} workshop starts soon. We look forward to \
                 seeing you.",
                level = f.level
            ),
            true,
        ),
        EmailKind::Cancellation => (
            format!("Cancelled: {course} from {}", long_date(f.start_date)),
            format!(
                "We are sorry: the {course} {level} workshop has been cancelled. Your place \
                 lapses; we will let you know of the next workshop.",
                level = f.level
            ),
            false,
        ),
        EmailKind::EvaluationRequest => (
            format!("How was {course}? Please tell us"),
            format!(
                "Thank you for taking part in the {course} {level} workshop. Please rate the \
                 workshop, its trainers, venue, materials and each topic — it takes two minutes \
                 and helps us improve the training. Submit your evaluation at {url} (or hand a \
                 paper form to your trainer).",
                level = f.level,
                url = f.evaluation_url
            ),
            false,
        ),
    };
    Some((subject, lead, schedule))
}

/// Composes the message of `kind` (not for certificates: `None`).
pub fn compose(kind: EmailKind, f: &Facts) -> Option<Composed> {
    let (subject, lead, schedule) = words(kind, f)?;
    let when = format!(
        "When: {} to {}\nWhere: {}",
        long_date(f.start_date),
        long_date(f.end_date),
        f.venue
    );
    let mut text = format!("Dear {},\n\n{lead}\n\n{when}\n", f.participant_name);
    let mut html = format!(
        "<!doctype html><html><body style=\"font-family: sans-serif\">\
         <p>Dear {},</p><p>{}</p>\
         <p><strong>When:</strong> {} to {}<br><strong>Where:</strong> {}</p>",
        escape(&f.participant_name),
        escape(&lead),
        escape(&long_date(f.start_date)),
        escape(&long_date(f.end_date)),
        escape(&f.venue),
    );
    if schedule && !f.days.is_empty() {
        text.push_str("\nDay by day:\n");
        html.push_str("<p><strong>Day by day</strong></p><ul>");
        for d in &f.days {
            let topics = if d.topics.is_empty() {
                "practice and review".to_owned()
            } else {
                d.topics.join("; ")
            };
            text.push_str(&format!(
                "  Day {}, {}: {topics}\n",
                d.day,
                long_date(d.date)
            ));
            html.push_str(&format!(
                "<li>Day {}, {}: {}</li>",
                d.day,
                escape(&long_date(d.date)),
                escape(&topics)
            ));
        }
        html.push_str("</ul>");
    }
    text.push_str("\nWith best wishes,\nIWSD Training\n");
    html.push_str("<p>With best wishes,<br>IWSD Training</p></body></html>");
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
            evaluation_url: "POST /api/v1/workshops/3/evaluations".into(),
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
}
