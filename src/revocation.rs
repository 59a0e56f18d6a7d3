//! Revoked credentials, announced to every server process that shares the database.
//!
//! Each process remembers valid bearer tokens for a few seconds ([`crate::auth_cache::AuthCache`]).
//! When a session ends, a key is revoked or a user is changed, the service that did it
//! [`announce`]s a [`Revocation`] in the same transaction. On PostgreSQL that is a `NOTIFY` on
//! [`CHANNEL`], delivered when the transaction commits to every process that [`crate::auth_cache::follow`]s it, and
//! each forgets the affected tokens at once. While a process is not listening (starting, or its
//! listening connection lost) it trusts no remembered token, so nothing it missed can be used.
//! On SQLite (one process per file) announcing does nothing: the process that made the change
//! forgets the tokens itself.

use sea_orm::{ConnectionTrait, DbBackend, DbErr, Statement};

/// The PostgreSQL notification channel.
pub const CHANNEL: &str = "cssd_auth";

/// Credentials that stopped being valid, or whose holder changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Revocation {
    /// One session ended (logout); identified by the SHA-256 of its token, as stored.
    Session { token_hash: String },
    /// A user was deactivated, changed role or name, or changed password: every token of theirs.
    User(i64),
    /// An API key was revoked.
    ApiKey(i64),
}

impl Revocation {
    /// The notification payload: `session:<hash>`, `user:<id>` or `api_key:<id>`.
    pub fn payload(&self) -> String {
        match self {
            Revocation::Session { token_hash } => format!("session:{token_hash}"),
            Revocation::User(id) => format!("user:{id}"),
            Revocation::ApiKey(id) => format!("api_key:{id}"),
        }
    }

    /// Reads a payload written by [`Revocation::payload`].
    pub fn parse(payload: &str) -> Option<Self> {
        let (kind, value) = payload.split_once(':')?;
        match kind {
            "session" if !value.is_empty() && value.chars().all(|c| c.is_ascii_hexdigit()) => {
                Some(Revocation::Session {
                    token_hash: value.to_owned(),
                })
            }
            "user" => value.parse().ok().map(Revocation::User),
            "api_key" => value.parse().ok().map(Revocation::ApiKey),
            _ => None,
        }
    }
}

/// Tells every process sharing this PostgreSQL database about `revocation` (inside a
/// transaction: when it commits). Does nothing on SQLite.
pub async fn announce(db: &impl ConnectionTrait, revocation: &Revocation) -> Result<(), DbErr> {
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    db.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT pg_notify($1, $2)",
        [CHANNEL.into(), revocation.payload().into()],
    ))
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payloads_read_back_as_what_was_announced() {
        for revocation in [
            Revocation::Session {
                token_hash: "ab12".repeat(16),
            },
            Revocation::User(42),
            Revocation::ApiKey(7),
        ] {
            assert_eq!(Revocation::parse(&revocation.payload()), Some(revocation));
        }
    }

    #[test]
    fn unknown_or_malformed_payloads_are_not_revocations() {
        for payload in [
            "",
            "user",
            "user:",
            "user:x",
            "session:",
            "session:not hex",
            "key:1",
        ] {
            assert_eq!(Revocation::parse(payload), None, "{payload:?}");
        }
    }
}
