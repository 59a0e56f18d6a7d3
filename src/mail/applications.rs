//! The mails an applicant for a public workshop receives, in the language they applied in:
//! the confirmation link, and the answer (accepted: a seat or a waitlist place; declined: why).

use crate::l10n::{FluentValue, Lang, text, text_with};

/// The prefix of a confirmation link's secret (the worker removes it from the stored copy once
/// the mail is sent: see `mail::sign_in::without_secrets`).
pub const LINK_PREFIX: &str = "cssd_a_";

/// What every application mail names about the workshop.
#[derive(Debug, Clone)]
pub struct AboutWorkshop {
    pub course: String,
    /// `YYYY-MM-DD to YYYY-MM-DD` in the applicant's language.
    pub dates: String,
    pub venue: String,
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A mail of whole paragraphs: (subject, text, HTML).
fn compose(
    lang: Lang,
    subject: String,
    name: &str,
    paragraphs: &[String],
) -> (String, String, String) {
    let greeting = text_with(lang, "greeting", &[("name", name.to_owned().into())]);
    let sign_off = text(lang, "catalogue-mail-sign-off");
    let mut body = format!("{greeting}\n\n");
    let mut html = format!(
        "<!doctype html><html lang=\"{}\"><body style=\"font-family: sans-serif\"><p>{}</p>",
        lang.code(),
        escape(&greeting)
    );
    for p in paragraphs {
        body.push_str(p);
        body.push_str("\n\n");
        html.push_str(&format!("<p>{}</p>", escape(p)));
    }
    body.push_str(&sign_off);
    body.push('\n');
    html.push_str(&format!("<p>{}</p></body></html>", escape(&sign_off)));
    (subject, body, html)
}

fn args<'a>(w: &AboutWorkshop, reference: &str) -> Vec<(&'static str, FluentValue<'a>)> {
    vec![
        ("course", w.course.clone().into()),
        ("dates", w.dates.clone().into()),
        ("venue", w.venue.clone().into()),
        ("reference", reference.to_owned().into()),
    ]
}

/// The mail with the link that confirms an application.
pub fn confirm_email(
    lang: Lang,
    name: &str,
    workshop: &AboutWorkshop,
    reference: &str,
    url: &str,
) -> (String, String, String) {
    let mut a = args(workshop, reference);
    let subject = text_with(lang, "mail-confirm-subject", &a);
    a.push(("url", url.to_owned().into()));
    let paragraphs = [
        text_with(lang, "mail-confirm-body", &a),
        text_with(lang, "mail-reference", &a),
        text(lang, "mail-ignore"),
    ];
    compose(lang, subject, name, &paragraphs)
}

/// The mail saying an application was accepted: a seat, or a place on the waitlist.
pub fn accepted_email(
    lang: Lang,
    name: &str,
    workshop: &AboutWorkshop,
    reference: &str,
    waitlist_position: Option<u64>,
) -> (String, String, String) {
    let mut a = args(workshop, reference);
    let subject = text_with(lang, "mail-accepted-subject", &a);
    let paragraph = match waitlist_position {
        None => text_with(lang, "mail-accepted-seat", &a),
        Some(position) => {
            a.push(("position", position.into()));
            text_with(lang, "mail-accepted-waitlist", &a)
        }
    };
    compose(lang, subject, name, &[paragraph])
}

/// The mail saying an application was declined, with the reason the administrator gave.
pub fn declined_email(
    lang: Lang,
    name: &str,
    workshop: &AboutWorkshop,
    reference: &str,
    reason: &str,
) -> (String, String, String) {
    let mut a = args(workshop, reference);
    let subject = text_with(lang, "mail-declined-subject", &a);
    a.push(("reason", reason.to_owned().into()));
    compose(
        lang,
        subject,
        name,
        &[text_with(lang, "mail-declined-body", &a)],
    )
}

/// The SMS that carries a confirmation code.
pub fn code_sms(lang: Lang, reference: &str, code: &str) -> String {
    text_with(
        lang,
        "sms-code",
        &[
            ("reference", reference.to_owned().into()),
            ("code", code.to_owned().into()),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn about() -> AboutWorkshop {
        AboutWorkshop {
            course: "Customer Care".into(),
            dates: "2027-01-04 to 2027-01-08".into(),
            venue: "Mutare <Civic> Centre".into(),
        }
    }

    #[test]
    fn the_confirmation_mail_carries_the_link_and_the_reference_in_the_applicants_language() {
        let (subject, body, html) =
            confirm_email(Lang::Sn, "Chipo", &about(), "A-ABC", "https://x.org/c/t");
        assert!(subject.contains("Customer Care"), "{subject}");
        assert!(
            body.contains("https://x.org/c/t") && body.contains("A-ABC"),
            "{body}"
        );
        assert!(body.starts_with("Mhoro Chipo"), "{body}");
        assert!(html.contains("Mutare &lt;Civic&gt; Centre"), "{html}");
    }

    #[test]
    fn the_decline_mail_gives_the_reason() {
        let (_, body, _) =
            declined_email(Lang::En, "Chipo", &about(), "A-ABC", "Only council staff.");
        assert!(body.contains("Only council staff."), "{body}");
    }
}
