//! Outgoing email: the transport (SMTP, or `.eml` files in an outbox folder), the durable
//! outbox table, and the background worker that drains it.
//!
//! Nothing here imports poem. Mail is never sent from a request: requests queue messages in
//! the same transaction as what they announce, and the worker delivers them with retries.

pub mod applications;
pub mod compose;
pub mod journey;
pub mod letter;
pub mod outbox;
pub mod sign_in;
pub mod worker;

use std::{path::Path, time::Duration};

use lettre::{
    AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::Mailbox,
};

/// Where mail goes.
#[derive(Clone)]
pub enum Mailer {
    /// An SMTP server (`CSSD_SMTP_URL`).
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    /// `.eml` files in a folder (the default when no SMTP server is configured).
    Folder(AsyncFileTransport<Tokio1Executor>),
}

/// Why a message could not be handed over.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// Worth trying again later: the server is down, busy, or answered 4xx.
    #[error("{0}")]
    Transient(String),
    /// The server refused the message for good (5xx).
    #[error("{0}")]
    Permanent(String),
}

impl Mailer {
    /// SMTP when `smtp_url` is given (`smtp://host:port`, `smtps://…`, `…?tls=required`,
    /// credentials in the URL), otherwise the outbox folder, which is created if missing.
    pub fn from_config(smtp_url: Option<&str>, outbox_dir: &Path) -> anyhow::Result<Self> {
        match smtp_url {
            Some(url) => {
                let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| anyhow::anyhow!("CSSD_SMTP_URL is not a usable SMTP URL: {e}"))?
                    .timeout(Some(Duration::from_secs(30)))
                    .build();
                Ok(Self::Smtp(transport))
            }
            None => {
                std::fs::create_dir_all(outbox_dir)?;
                Ok(Self::Folder(AsyncFileTransport::new(outbox_dir)))
            }
        }
    }

    /// Hands one message over.
    pub async fn send(&self, message: Message) -> Result<(), SendError> {
        match self {
            Self::Smtp(smtp) => smtp.send(message).await.map(|_| ()).map_err(|e| {
                if e.is_permanent() {
                    SendError::Permanent(e.to_string())
                } else {
                    SendError::Transient(e.to_string())
                }
            }),
            Self::Folder(folder) => folder
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| SendError::Transient(e.to_string())),
        }
    }
}

/// Parses the configured Reply-To address (`CSSD_MAIL_REPLY_TO`), if any.
pub fn reply_to(address: Option<&str>) -> anyhow::Result<Option<Mailbox>> {
    address
        .map(|a| {
            a.parse()
                .map_err(|e| anyhow::anyhow!("CSSD_MAIL_REPLY_TO is not an address: {e}"))
        })
        .transpose()
}

/// Parses the configured sender (`CSSD_MAIL_FROM`).
pub fn sender(from: &str) -> anyhow::Result<Mailbox> {
    from.parse()
        .map_err(|e| anyhow::anyhow!("CSSD_MAIL_FROM is not an address: {e}"))
}
