//! The email that carries a participant's one-time sign-in link.

use chrono::Utc;
use entity::email_outbox::{self, EmailKind, EmailStatus};
use rand::RngCore;
use sea_orm::{ActiveValue::Set, ConnectionTrait, DbErr, EntityTrait};

use super::letter::letter;
use crate::l10n::{self, Lang};

/// What a sent sign-in email's stored copy says in place of the link's secret.
pub const SECRET_REMOVED: &str = "[removed once sent]";
const SECRET_PREFIX: &str = "cssd_l_";
const MESSAGE_ID_PREFIX: &str = "<sign-in-";

/// Minutes a sign-in link works for (said in the email).
pub const LINK_MINUTES: i64 = 30;

/// Subject, plain text and HTML of the sign-in email in `lang`.
pub fn sign_in_email(lang: Lang, name: &str, url: &str) -> (String, String, String) {
    let paragraphs = [
        l10n::text(lang, "mail-sign-in-open"),
        url.to_owned(),
        l10n::text_with(
            lang,
            "mail-sign-in-once",
            &[("minutes", LINK_MINUTES.into())],
        ),
    ];
    letter(
        lang,
        l10n::text(lang, "mail-sign-in-subject"),
        name,
        &paragraphs,
        &[url],
    )
}

/// Queues the sign-in email in the participant's language `lang`; call it in the transaction
/// that stores the link.
pub async fn queue_sign_in_link(
    db: &crate::db::WriteTxn,
    recipient: &str,
    recipient_name: &str,
    url: &str,
    lang: Lang,
) -> Result<email_outbox::Model, DbErr> {
    let (subject, body_text, body_html) = sign_in_email(lang, recipient_name, url);
    let mut token = [0u8; 12];
    rand::rng().fill_bytes(&mut token);
    let now = Utc::now();
    let row = email_outbox::ActiveModel {
        message_id: Set(format!(
            "{MESSAGE_ID_PREFIX}{}@cssd.iwsd>",
            hex::encode(token)
        )),
        recipient: Set(recipient.to_owned()),
        recipient_name: Set(recipient_name.chars().take(120).collect()),
        subject: Set(subject),
        body_text: Set(body_text),
        body_html: Set(body_html),
        certificate_id: Set(None),
        kind: Set(EmailKind::SignInLink),
        status: Set(EmailStatus::Queued),
        attempts: Set(0),
        next_attempt_at: Set(now),
        last_error: Set(None),
        claimed_until: Set(None),
        sent_at: Set(None),
        created_at: Set(now),
        request_id: Set(crate::request_context::current().map(|id| id.to_string())),
        ..Default::default()
    };
    let queued = email_outbox::Entity::insert(row)
        .exec_with_returning(db)
        .await?;
    db.queued(crate::db::Outbox::Mail);
    Ok(queued)
}

/// Whether an outbox message is a sign-in email.
pub fn is_sign_in(message: &email_outbox::Model) -> bool {
    message.message_id.starts_with(MESSAGE_ID_PREFIX)
}

/// The secrets links in mails carry, by their prefixes: sign-in links and the links that
/// confirm an application for a public workshop.
const SECRET_PREFIXES: [&str; 2] = [SECRET_PREFIX, super::applications::LINK_PREFIX];

/// Whether an outbox message carries a link's secret, which its stored copy forgets once sent.
pub fn carries_secret(message: &email_outbox::Model) -> bool {
    is_sign_in(message) || message.kind == EmailKind::ApplicationConfirmation
}

/// Where the first secret in `text` starts.
fn next_secret(text: &str) -> Option<usize> {
    SECRET_PREFIXES.iter().filter_map(|p| text.find(p)).min()
}

/// `body` with every link's secret replaced by [`SECRET_REMOVED`].
pub fn without_secrets(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(start) = next_secret(rest) {
        out.push_str(&rest[..start]);
        out.push_str(SECRET_REMOVED);
        let secret = &rest[start..];
        let end = secret
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(secret.len());
        rest = &secret[end..];
    }
    out.push_str(rest);
    out
}

/// Once a sign-in email (or an application's confirmation) is handed over, its stored copy
/// forgets the link's secret: from then on the secret exists only in the recipient's mailbox
/// (the database keeps its hash).
pub async fn forget_secret(
    db: &impl ConnectionTrait,
    message: &email_outbox::Model,
) -> Result<(), DbErr> {
    let row = email_outbox::ActiveModel {
        id: Set(message.id),
        body_text: Set(without_secrets(&message.body_text)),
        body_html: Set(without_secrets(&message.body_html)),
        ..Default::default()
    };
    email_outbox::Entity::update(row).exec(db).await.map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sent_emails_copy_keeps_the_words_but_not_the_secret() {
        let (_, text, html) = sign_in_email(
            Lang::En,
            "Tendai",
            "http://x.test/portal/link/cssd_l_Ab-9_z",
        );
        let text = without_secrets(&text);
        assert!(
            text.contains("http://x.test/portal/link/[removed once sent]\n"),
            "{text}"
        );
        assert!(!without_secrets(&html).contains("cssd_l_"));
        assert_eq!(without_secrets("no link"), "no link");
        assert_eq!(
            without_secrets("a /catalogue/confirm/cssd_a_x-Y_9 b /portal/link/cssd_l_z c"),
            "a /catalogue/confirm/[removed once sent] b /portal/link/[removed once sent] c"
        );
    }

    #[test]
    fn the_email_carries_the_link_and_escapes_the_name() {
        let (subject, text, html) = sign_in_email(
            Lang::En,
            "Tendai <b>",
            "http://x.test/portal/link/cssd_l_abc",
        );
        assert!(subject.contains("sign-in link"));
        assert!(text.contains("http://x.test/portal/link/cssd_l_abc"));
        assert!(text.contains("30 minutes"));
        assert!(html.contains("Tendai &lt;b&gt;"));
        assert!(!html.contains("<b>"));
    }

    #[test]
    fn the_email_is_in_the_participants_language() {
        let url = "http://x.test/portal/link/cssd_l_abc";
        let (english, _, _) = sign_in_email(Lang::En, "Rudo", url);
        for lang in [Lang::Sn, Lang::Nd] {
            let (subject, text, html) = sign_in_email(lang, "Rudo", url);
            assert_ne!(subject, english);
            assert!(text.contains(url) && text.contains("30"), "{text}");
            assert!(
                !text.contains("Dear") && !text.contains("minutes"),
                "{text}"
            );
            assert!(html.contains(&format!("lang=\"{}\"", lang.code())));
        }
    }
}
