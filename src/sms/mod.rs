//! Outgoing SMS: the transport (`.txt` files in the outbox folder, or Twilio's Messages REST
//! API, the shape most SMS gateways accept), the durable outbox table, the background worker
//! that drains it, segment counting and the words of each message.
//!
//! Nothing here imports poem. As with mail, a request never sends an SMS: it queues one in the
//! transaction of what it announces, and the worker delivers it with retries.

pub mod outbox;
pub mod segments;
pub mod texts;
pub mod worker;

use std::{path::PathBuf, time::Duration};

pub use crate::mail::SendError;

/// Where SMS go.
#[derive(Clone)]
pub enum SmsTransport {
    /// One `.txt` file per message in a folder (the default: `CSSD_OUTBOX_DIR/sms/`).
    Folder(PathBuf),
    /// Twilio's Messages API, or a gateway that speaks it.
    Twilio(Twilio),
}

/// A Twilio-shaped gateway: `POST {base}/2010-04-01/Accounts/{sid}/Messages.json`.
#[derive(Clone)]
pub struct Twilio {
    client: reqwest::Client,
    base: String,
    sid: String,
    token: String,
    from: String,
}

impl std::fmt::Debug for Twilio {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the token.
        f.debug_struct("Twilio")
            .field("base", &self.base)
            .field("sid", &self.sid)
            .field("from", &self.from)
            .finish_non_exhaustive()
    }
}

/// Reads `twilio://SID:TOKEN@host[:port]?from=+263…[&insecure=true]`.
fn twilio(url: &str) -> anyhow::Result<Twilio> {
    let parsed = url::Url::parse(url).map_err(|e| anyhow::anyhow!("CSSD_SMS_URL: {e}"))?;
    if parsed.scheme() != "twilio" {
        anyhow::bail!("CSSD_SMS_URL must start with twilio:// (or be unset for the outbox folder)");
    }
    let host = parsed
        .host_str()
        .ok_or_else(|| anyhow::anyhow!("CSSD_SMS_URL names no host"))?;
    let sid = parsed.username();
    let token = parsed.password().unwrap_or_default();
    if sid.is_empty() || token.is_empty() {
        anyhow::bail!("CSSD_SMS_URL needs the account SID and auth token: twilio://SID:TOKEN@host");
    }
    let mut from = None;
    let mut insecure = false;
    // By hand: form decoding would read the `+` of `from=+263…` as a space.
    for pair in parsed.query().unwrap_or_default().split('&') {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let value = url::form_urlencoded::parse(value.replace('+', "%2B").as_bytes())
            .map(|(k, v)| format!("{k}{v}"))
            .collect::<String>();
        match name {
            "from" => from = Some(value),
            "insecure" => insecure = value == "true",
            "" => {}
            other => anyhow::bail!("CSSD_SMS_URL: unknown parameter {other:?}"),
        }
    }
    let from = from
        .filter(|f| !f.is_empty())
        .ok_or_else(|| anyhow::anyhow!("CSSD_SMS_URL needs ?from=<the sending number>"))?;
    let base = format!(
        "{}://{}{}",
        if insecure { "http" } else { "https" },
        host,
        parsed.port().map(|p| format!(":{p}")).unwrap_or_default()
    );
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()?;
    Ok(Twilio {
        client,
        base,
        sid: percent_decoded(sid),
        token: percent_decoded(token),
        from,
    })
}

fn percent_decoded(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={}", s.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

impl SmsTransport {
    /// Twilio when `sms_url` is given, otherwise the `sms/` folder under `outbox_dir`.
    pub fn from_config(
        sms_url: Option<&str>,
        outbox_dir: &std::path::Path,
    ) -> anyhow::Result<Self> {
        match sms_url {
            Some(url) => Ok(Self::Twilio(twilio(url)?)),
            // Created with the first SMS, so that the mail folder holds only `.eml` files until
            // someone is texted.
            None => Ok(Self::Folder(outbox_dir.join("sms"))),
        }
    }

    /// Hands one message over; `id` names its file in the folder.
    pub async fn send(&self, id: i64, to: &str, body: &str) -> Result<(), SendError> {
        match self {
            Self::Folder(dir) => {
                let path = dir.join(format!("{id:08}-{}.txt", to.trim_start_matches('+')));
                let text = format!("To: {to}\n\n{body}\n");
                let failed =
                    |e: std::io::Error| SendError::Transient(format!("{}: {e}", path.display()));
                tokio::fs::create_dir_all(dir).await.map_err(failed)?;
                tokio::fs::write(&path, text).await.map_err(failed)
            }
            Self::Twilio(t) => {
                let url = format!("{}/2010-04-01/Accounts/{}/Messages.json", t.base, t.sid);
                let response = t
                    .client
                    .post(url)
                    .basic_auth(&t.sid, Some(&t.token))
                    .form(&[("To", to), ("From", t.from.as_str()), ("Body", body)])
                    .send()
                    .await
                    .map_err(|e| SendError::Transient(format!("the SMS gateway: {e}")))?;
                let status = response.status();
                if status.is_success() {
                    return Ok(());
                }
                let detail: String = response
                    .text()
                    .await
                    .unwrap_or_default()
                    .chars()
                    .take(300)
                    .collect();
                let message = format!("the SMS gateway answered {status}: {detail}");
                // 4xx other than 408/429 is about the message (a bad number): permanent.
                if status.is_client_error() && status.as_u16() != 408 && status.as_u16() != 429 {
                    Err(SendError::Permanent(message))
                } else {
                    Err(SendError::Transient(message))
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_twilio_url_names_account_token_host_and_sender() {
        let t = twilio("twilio://AC123:s3cret@127.0.0.1:8088?from=+263771000000&insecure=true")
            .unwrap();
        assert_eq!(t.base, "http://127.0.0.1:8088");
        assert_eq!((t.sid.as_str(), t.token.as_str()), ("AC123", "s3cret"));
        assert_eq!(t.from, "+263771000000");
        let t = twilio("twilio://AC1:tok@api.twilio.com?from=IWSD").unwrap();
        assert_eq!(t.base, "https://api.twilio.com");
        assert!(!format!("{t:?}").contains("tok"));
    }

    #[test]
    fn a_twilio_url_without_credentials_or_sender_is_refused() {
        assert!(twilio("twilio://api.twilio.com?from=IWSD").is_err());
        assert!(twilio("twilio://AC1:tok@api.twilio.com").is_err());
        assert!(twilio("http://AC1:tok@api.twilio.com?from=IWSD").is_err());
    }
}
