//! DHIS2's Web API: sending a data value set to `CSSD_DHIS2_URL` + `/api/dataValueSets` and
//! reading the import summary it answers with. Nothing here imports poem.
//!
//! The URL's `user:password` become HTTP Basic credentials; they are never logged nor shown
//! (messages name the server by its URL without them).

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// A DHIS2 server to push to.
#[derive(Clone)]
pub struct Dhis2Server {
    client: reqwest::Client,
    /// `…/api/dataValueSets`, without credentials.
    endpoint: String,
    username: String,
    password: String,
}

impl std::fmt::Debug for Dhis2Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the password.
        f.debug_struct("Dhis2Server")
            .field("endpoint", &self.endpoint)
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

/// What DHIS2 counted of a data value set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ImportCount {
    pub imported: i64,
    pub updated: i64,
    pub ignored: i64,
    pub deleted: i64,
}

/// One value DHIS2 would not take, and why.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ImportConflict {
    /// What it is about (a UID, or a field name).
    pub object: String,
    /// Why.
    pub value: String,
}

/// DHIS2's import summary (`responseType: ImportSummary`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportSummary {
    /// `SUCCESS`, `WARNING` or `ERROR`.
    pub status: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub import_count: ImportCount,
    #[serde(default)]
    pub conflicts: Vec<ImportConflict>,
}

/// Why a push did not go through.
#[derive(Debug, Clone, thiserror::Error)]
pub enum PushError {
    /// No answer: the server could not be reached, or did not answer in time.
    #[error("DHIS2 at {endpoint} could not be reached: {reason}")]
    Unreachable { endpoint: String, reason: String },
    /// An answer other than an import: a refused import, wrong credentials, a server error.
    #[error("{detail}")]
    Refused {
        /// DHIS2's HTTP status.
        status: u16,
        /// Its import summary, when it sent one.
        summary: Option<ImportSummary>,
        /// What it said, for a person.
        detail: String,
    },
}

/// Hands `url`'s percent-encoded user or password back in plain text.
fn decoded(part: &str) -> String {
    url::form_urlencoded::parse(format!("x={}", part.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

impl Dhis2Server {
    /// Reads `CSSD_DHIS2_URL`: `https://user:password@dhis2.example.org[/path]`.
    pub fn from_url(url: &str) -> Result<Self, String> {
        let mut parsed = url::Url::parse(url.trim()).map_err(|e| format!("not a URL: {e}"))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err("must start with https:// (or http://)".into());
        }
        let username = decoded(parsed.username());
        let password = parsed.password().map(decoded).unwrap_or_default();
        if username.is_empty() || password.is_empty() {
            return Err(
                "needs the DHIS2 user and password: https://user:password@dhis2.example.org".into(),
            );
        }
        // Cannot fail on an http(s) URL.
        let _ = parsed.set_username("");
        let _ = parsed.set_password(None);
        parsed.set_query(None);
        parsed.set_fragment(None);
        let endpoint = format!(
            "{}/api/dataValueSets",
            parsed.as_str().trim_end_matches('/')
        );
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(120))
            .build()
            .map_err(|e| format!("no HTTP client: {e}"))?;
        Ok(Self {
            client,
            endpoint,
            username,
            password,
        })
    }

    /// Where documents go, without credentials.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// Sends one `dataValueSets` document and reads DHIS2's import summary. An answer that is
    /// not a 2xx, or a summary with status `ERROR`, is [`PushError::Refused`].
    pub async fn send(&self, document: &serde_json::Value) -> Result<ImportSummary, PushError> {
        let response = self
            .client
            .post(&self.endpoint)
            .basic_auth(&self.username, Some(&self.password))
            .header(reqwest::header::ACCEPT, "application/json")
            .json(document)
            .send()
            .await
            .map_err(|e| PushError::Unreachable {
                endpoint: self.endpoint.clone(),
                reason: e.without_url().to_string(),
            })?;
        let status = response.status();
        let body = response.text().await.unwrap_or_default();
        let summary = import_summary(&body);
        match &summary {
            Some(summary) if status.is_success() && summary.status != "ERROR" => {
                Ok(summary.clone())
            }
            _ => Err(PushError::Refused {
                status: status.as_u16(),
                detail: refusal(status.as_u16(), summary.as_ref(), &body),
                summary,
            }),
        }
    }
}

/// The import summary in DHIS2's answer: the whole body (before 2.38) or its `response`
/// (the `WebMessage` wrapper of later versions).
fn import_summary(body: &str) -> Option<ImportSummary> {
    let value: serde_json::Value = serde_json::from_str(body).ok()?;
    let summary = match value.get("response") {
        Some(inner) if inner.get("importCount").is_some() => inner.clone(),
        _ => value,
    };
    summary.get("importCount")?;
    serde_json::from_value(summary).ok()
}

/// What a refusal says, for a person: the status, DHIS2's counts and first conflicts.
fn refusal(status: u16, summary: Option<&ImportSummary>, body: &str) -> String {
    let mut detail = match status {
        401 | 403 => format!(
            "DHIS2 refused the credentials of CSSD_DHIS2_URL (HTTP {status}): check its user and password"
        ),
        _ => format!("DHIS2 refused the data (HTTP {status})"),
    };
    match summary {
        Some(summary) => {
            let count = &summary.import_count;
            detail.push_str(&format!(
                ", import status {}: {} imported, {} updated, {} ignored",
                summary.status, count.imported, count.updated, count.ignored
            ));
            if let Some(description) = summary.description.as_deref().filter(|d| !d.is_empty()) {
                detail.push_str(&format!("; {description}"));
            }
            for conflict in summary.conflicts.iter().take(5) {
                detail.push_str(&format!("; {}: {}", conflict.object, conflict.value));
            }
            if summary.conflicts.len() > 5 {
                detail.push_str(&format!(
                    "; and {} more conflicts",
                    summary.conflicts.len() - 5
                ));
            }
        }
        None if !body.trim().is_empty() => {
            let said: String = body.trim().chars().take(300).collect();
            detail.push_str(&format!(": {said}"));
        }
        None => {}
    }
    detail
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_gives_the_endpoint_and_credentials_apart() {
        let server = Dhis2Server::from_url("https://admin:dist%40rict@play.dhis2.org/40/").unwrap();
        assert_eq!(
            server.endpoint(),
            "https://play.dhis2.org/40/api/dataValueSets"
        );
        assert_eq!(
            (server.username.as_str(), server.password.as_str()),
            ("admin", "dist@rict")
        );
        assert!(!format!("{server:?}").contains("dist"));
        assert!(Dhis2Server::from_url("https://play.dhis2.org").is_err());
        assert!(Dhis2Server::from_url("ftp://a:b@play.dhis2.org").is_err());
    }

    #[test]
    fn the_summary_is_read_with_or_without_the_web_message_wrapper() {
        let bare = r#"{"responseType":"ImportSummary","status":"SUCCESS",
            "importCount":{"imported":2,"updated":1,"ignored":0,"deleted":0},"conflicts":[]}"#;
        let wrapped = format!(
            r#"{{"httpStatus":"OK","httpStatusCode":200,"status":"OK","response":{bare}}}"#
        );
        let summary = import_summary(bare).unwrap();
        assert_eq!(summary.import_count.imported, 2);
        assert_eq!(import_summary(&wrapped), Some(summary));
        assert_eq!(import_summary("<html>Bad gateway</html>"), None);
    }
}
