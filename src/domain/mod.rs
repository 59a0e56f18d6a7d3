//! The rules of the training programme, free of HTTP: what makes a course valid, how a
//! workshop's days are laid out, who may enrol, who has earned a certificate.
//!
//! Nothing here imports poem. Failures are [`Error`], converted to HTTP once, at the edge.

pub mod access;
pub mod account;
pub mod agenda;
pub mod application;
pub mod cascade;
pub mod certification;
pub mod consent;
pub mod course;
pub mod dates;
pub mod demographics;
pub mod dhis2;
pub mod duplicates;
pub mod eligibility;
pub mod evaluation;
pub mod figures;
pub mod holidays;
pub mod labels;
pub mod language;
pub mod national_id;
pub mod organisation;
pub mod outreach;
pub mod participant;
pub mod phone;
pub mod schedule;
pub mod sharing;
pub mod status_list;
pub mod text;
pub mod throttle;
pub mod workshop;

use sea_orm::DbErr;

/// One field of a request and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// A failure of a domain operation.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The named record does not exist.
    #[error("{entity} {id} does not exist")]
    NotFound { entity: &'static str, id: i64 },
    /// The operation clashes with the current state (a duplicate, a full workshop, a wrong status).
    #[error("{0}")]
    Conflict(String),
    /// The caller may not do this to this record.
    #[error("{0}")]
    Forbidden(String),
    /// Values break a rule; one entry per field.
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    /// Too many failed attempts (logins, password checks): try again after `retry_after`.
    #[error("too many failed attempts; try again in {} s", retry_after.as_secs().max(1))]
    TooManyAttempts { retry_after: std::time::Duration },
    /// The server is too busy to do this now (every slot for the work is taken); try again
    /// after `retry_after`.
    #[error("the server is busy; try again in {} s", retry_after.as_secs().max(1))]
    Busy { retry_after: std::time::Duration },
    /// The database failed (unique violations are turned into conflicts at the edge).
    #[error(transparent)]
    Database(#[from] DbErr),
    /// Something else failed that should not have (a rendering, a ZIP, a task that stopped):
    /// a 500 at the edge, with the cause chain in the log only.
    #[error("{context}")]
    Internal {
        context: String,
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
}

impl Error {
    /// An unexpected failure, with what was being done and its cause.
    pub fn internal(
        context: impl Into<String>,
        cause: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        Self::Internal {
            context: context.into(),
            source: Some(cause.into()),
        }
    }

    /// An unexpected failure that says it all in its message.
    pub fn internal_message(message: impl Into<String>) -> Self {
        Self::Internal {
            context: message.into(),
            source: None,
        }
    }
}

impl From<Vec<FieldError>> for Error {
    fn from(errors: Vec<FieldError>) -> Self {
        Self::Invalid(errors)
    }
}

/// Result of a domain operation.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Trims `value` and checks it is a non-empty single line without control characters of at most
/// `max` characters; pushes a field error otherwise.
pub fn clean_text(field: &str, value: &str, max: usize, errors: &mut Vec<FieldError>) -> String {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        errors.push(FieldError::new(field, "must not be empty"));
    } else if trimmed.chars().count() > max {
        errors.push(FieldError::new(
            field,
            format!("must be at most {max} characters long"),
        ));
    } else if let Err(e) = text::check_chars(field, trimmed, false) {
        errors.push(e);
    }
    trimmed.to_owned()
}

/// [`clean_text`] for a name (of a person, an organisation, a holiday, a key): besides, no
/// invisible, format or unassigned character ([`text::check_name_chars`]).
pub fn clean_name(field: &str, value: &str, max: usize, errors: &mut Vec<FieldError>) -> String {
    let before = errors.len();
    let cleaned = clean_text(field, value, max, errors);
    if errors.len() == before
        && let Err(e) = text::check_name_chars(field, &cleaned)
    {
        errors.push(e);
    }
    cleaned
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_text_trims_and_accepts_unicode() {
        let mut errors = vec![];
        assert_eq!(
            clean_text("name", "  Zoë Müller-Øberg ", 120, &mut errors),
            "Zoë Müller-Øberg"
        );
        assert!(errors.is_empty());
    }

    #[test]
    fn clean_text_refuses_blank_long_and_control_characters() {
        let mut errors = vec![];
        clean_text("a", "   ", 10, &mut errors);
        clean_text("b", "abcdefghijk", 10, &mut errors);
        clean_text("c", "tab\there", 10, &mut errors);
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["a", "b", "c"]);
    }
}
