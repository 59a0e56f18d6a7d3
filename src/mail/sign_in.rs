//! The email that carries a participant's one-time sign-in link.

use chrono::Utc;
use entity::email_outbox::{self, EmailStatus};
use rand::RngCore;
use sea_orm::{ActiveValue::Set, ConnectionTrait, DbErr, EntityTrait};

/// Minutes a sign-in link works for (said in the email).
pub const LINK_MINUTES: i64 = 30;

/// Subject, plain text and HTML of the sign-in email.
pub fn sign_in_email(name: &str, url: &str) -> (String, String, String) {
    let subject = "Your sign-in link for IWSD Training".to_owned();
    let text = format!(
        "Dear {name},\n\n\
         Open this link to see your workshops and certificates:\n{url}\n\n\
         It works once, for {LINK_MINUTES} minutes. If you did not ask for it, ignore this email.\n\n\
         IWSD Training\n"
    );
    let html = format!(
        "<!doctype html><html><body style=\"font-family: sans-serif\">\
         <p>Dear {name},</p>\
         <p><a href=\"{url}\">Open your workshops and certificates</a></p>\
         <p>The link works once, for {LINK_MINUTES} minutes. If you did not ask for it, ignore this email.</p>\
         <p>IWSD Training</p></body></html>",
        name = escape(name),
        url = escape(url),
    );
    (subject, text, html)
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Queues the sign-in email; call it in the transaction that stores the link.
pub async fn queue_sign_in_link(
    db: &impl ConnectionTrait,
    recipient: &str,
    recipient_name: &str,
    url: &str,
) -> Result<email_outbox::Model, DbErr> {
    let (subject, body_text, body_html) = sign_in_email(recipient_name, url);
    let mut token = [0u8; 12];
    rand::rng().fill_bytes(&mut token);
    let now = Utc::now();
    let row = email_outbox::ActiveModel {
        message_id: Set(format!("<sign-in-{}@cssd.iwsd>", hex::encode(token))),
        recipient: Set(recipient.to_owned()),
        recipient_name: Set(recipient_name.chars().take(120).collect()),
        subject: Set(subject),
        body_text: Set(body_text),
        body_html: Set(body_html),
        certificate_id: Set(None),
        status: Set(EmailStatus::Queued),
        attempts: Set(0),
        next_attempt_at: Set(now),
        last_error: Set(None),
        claimed_until: Set(None),
        sent_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    };
    email_outbox::Entity::insert(row)
        .exec_with_returning(db)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_email_carries_the_link_and_escapes_the_name() {
        let (subject, text, html) =
            sign_in_email("Tendai <b>", "http://x.test/portal/link/cssd_l_abc");
        assert!(subject.contains("sign-in link"));
        assert!(text.contains("http://x.test/portal/link/cssd_l_abc"));
        assert!(text.contains("30 minutes"));
        assert!(html.contains("Tendai &lt;b&gt;"));
        assert!(!html.contains("<b>"));
    }
}
