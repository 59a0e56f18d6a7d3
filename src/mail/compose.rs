//! The words of the certificate email.

use entity::certificate;

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
