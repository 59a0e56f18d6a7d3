//! The words of the certificate email.

use entity::certificate;

use super::letter::{Letter, letter};
use crate::l10n::{self, FluentValue, Lang};

/// Subject, plain text and HTML of the email that carries a certificate.
pub fn certificate_email(c: &certificate::Model) -> (String, String, String) {
    let subject = format!("Your certificate: {} ({})", c.course_title, c.course_code);
    let text = format!(
        "Dear {name},\n\n\
         Congratulations on completing {title}. Your certificate {number} is attached.\n\n\
         Anyone can check that it is genuine at:\n{url}\n\n\
         With best wishes,\n\
         IWSD Training\n",
        name = c.holder_name,
        title = c.course_title,
        number = c.number,
        url = c.verification_url,
    );
    let html = format!(
        "<!doctype html><html><body style=\"font-family: sans-serif\">\
         <p>Dear {name},</p>\
         <p>Congratulations on completing <strong>{title}</strong>. Your certificate <strong>{number}</strong> is attached.</p>\
         <p>Anyone can check that it is genuine at <a href=\"{url}\">{url}</a>.</p>\
         <p>With best wishes,<br>IWSD Training</p></body></html>",
        name = escape(&c.holder_name),
        title = escape(&c.course_title),
        number = escape(&c.number),
        url = escape(&c.verification_url),
    );
    (subject, text, html)
}

/// Subject, plain text and HTML of the email that carries a reissued certificate.
pub fn reissued_certificate_email(
    new: &certificate::Model,
    old: &certificate::Model,
    reason: &str,
) -> (String, String, String) {
    let subject = format!(
        "Your corrected certificate: {} ({})",
        new.course_title, new.course_code
    );
    let text = format!(
        "Dear {name},\n\n\
         Your certificate {old} for {title} has been reissued as certificate {number}, which \
         is attached. The reason: {reason}\n\n\
         Please use the new certificate from now on; the old one now shows as replaced when \
         it is checked. Anyone can check the new one at:\n{url}\n\n\
         With best wishes,\n\
         IWSD Training\n",
        name = new.holder_name,
        old = old.number,
        title = new.course_title,
        number = new.number,
        url = new.verification_url,
    );
    let html = format!(
        "<!doctype html><html><body style=\"font-family: sans-serif\">\
         <p>Dear {name},</p>\
         <p>Your certificate {old} for <strong>{title}</strong> has been reissued as certificate \
         <strong>{number}</strong>, which is attached. The reason: {reason}</p>\
         <p>Please use the new certificate from now on; the old one now shows as replaced when \
         it is checked. Anyone can check the new one at <a href=\"{url}\">{url}</a>.</p>\
         <p>With best wishes,<br>IWSD Training</p></body></html>",
        name = escape(&new.holder_name),
        old = escape(&old.number),
        title = escape(&new.course_title),
        number = escape(&new.number),
        reason = escape(reason),
        url = escape(&new.verification_url),
    );
    (subject, text, html)
}

/// Subject, plain text and HTML of the reminder that a trainer's ToT certificate lapses soon.
pub fn renewal_reminder_email(
    c: &certificate::Model,
    valid_until: chrono::NaiveDate,
    public_url: &str,
) -> (String, String, String) {
    let until = valid_until.format("%-d %B %Y").to_string();
    let subject = format!(
        "Your {} trainer certification lapses on {until}",
        c.course_code
    );
    let text = format!(
        "Dear {name},\n\n\
         Your Training of Trainers certificate {number} ({title}) entitles you to lead cascade \
         and community workshops until {until}. After that date you can no longer be named as \
         a trainer of a {code} workshop.\n\n\
         To renew, enrol in a Training of Trainers workshop of {title} before then (ask IWSD \
         Training for the next dates), or write to IWSD Training if you believe the date is \
         wrong. Workshops you lead before {until} are not affected.\n\n\
         Your certificate: {url}\n\n\
         With best wishes,\n\
         IWSD Training\n",
        name = c.holder_name,
        number = c.number,
        title = c.course_title,
        code = c.course_code,
        url = c.verification_url,
    );
    let html = format!(
        "<!doctype html><html><body style=\"font-family: sans-serif\">\
         <p>Dear {name},</p>\
         <p>Your Training of Trainers certificate <strong>{number}</strong> ({title}) entitles \
         you to lead cascade and community workshops until <strong>{until}</strong>. After that \
         date you can no longer be named as a trainer of a {code} workshop.</p>\
         <p>To renew, enrol in a Training of Trainers workshop of {title} before then (ask IWSD \
         Training for the next dates, <a href=\"{public}\">{public}</a>), or write to IWSD \
         Training if you believe the date is wrong. Workshops you lead before {until} are not \
         affected.</p>\
         <p>Your certificate: <a href=\"{url}\">{url}</a></p>\
         <p>With best wishes,<br>IWSD Training</p></body></html>",
        name = escape(&c.holder_name),
        number = escape(&c.number),
        title = escape(&c.course_title),
        code = escape(&c.course_code),
        url = escape(&c.verification_url),
        public = escape(public_url),
    );
    (subject, text, html)
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The file name of the attached PDF.
pub fn attachment_name(c: &certificate::Model) -> String {
    format!("certificate-{}.pdf", c.number)
}

/// Subject, plain text and HTML of the notice to administrators that a webhook was turned off
/// because its deliveries kept failing.
pub fn webhook_disabled_email(
    webhook_id: i64,
    url: &str,
    attempts: i32,
    last_error: &str,
) -> (String, String, String) {
    let subject = format!("Webhook {webhook_id} turned off: deliveries keep failing");
    let text = format!(
        "Webhook {webhook_id} ({url}) was turned off: a delivery failed {attempts} times over \
         more than an hour.\n\nThe last error: {last_error}\n\n\
         Events are no longer queued for it. When the receiver works again, turn it back on \
         (PATCH /api/v1/webhooks/{webhook_id} {{\"active\": true}}, or on the webhooks page) and \
         retry the failed deliveries.\n\nIWSD Training\n"
    );
    let html = format!(
        "<!doctype html><html><body style=\"font-family: sans-serif\">\
         <p>Webhook {webhook_id} (<code>{url}</code>) was turned off: a delivery failed \
         {attempts} times over more than an hour.</p>\
         <p>The last error: {error}</p>\
         <p>Events are no longer queued for it. When the receiver works again, turn it back on \
         and retry the failed deliveries.</p><p>IWSD Training</p></body></html>",
        url = escape(url),
        error = escape(last_error),
    );
    (subject, text, html)
}

/// The certificate email ([`certificate_email`]) in the holder's language `lang`.
pub fn certificate_email_in(lang: Lang, c: &certificate::Model) -> Letter {
    let args = certificate_words(c);
    let paragraphs = [
        l10n::text_with(lang, "mail-certificate-body", &args),
        l10n::text_with(lang, "mail-certificate-check", &args),
    ];
    let subject = l10n::text_with(lang, "mail-certificate-subject", &args);
    letter(
        lang,
        subject,
        &c.holder_name,
        &paragraphs,
        &[&c.verification_url],
    )
}

/// The reissued certificate's email ([`reissued_certificate_email`]) in the holder's language.
pub fn reissued_certificate_email_in(
    lang: Lang,
    new: &certificate::Model,
    old: &certificate::Model,
    reason: &str,
) -> Letter {
    let mut args = certificate_words(new);
    args.push(("old", old.number.clone().into()));
    args.push(("reason", reason.to_owned().into()));
    let paragraphs = [
        l10n::text_with(lang, "mail-reissued-body", &args),
        l10n::text_with(lang, "mail-reissued-use-new", &args),
    ];
    let subject = l10n::text_with(lang, "mail-reissued-subject", &args);
    letter(
        lang,
        subject,
        &new.holder_name,
        &paragraphs,
        &[&new.verification_url],
    )
}

/// What a certificate's mail names: `$course` ("Title (CODE)"), `$title`, `$number`, `$url`.
fn certificate_words(c: &certificate::Model) -> Vec<(&'static str, FluentValue<'static>)> {
    vec![
        (
            "course",
            format!("{} ({})", c.course_title, c.course_code).into(),
        ),
        ("title", c.course_title.clone().into()),
        ("number", c.number.clone().into()),
        ("url", c.verification_url.clone().into()),
    ]
}
