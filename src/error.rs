//! The one error type at the HTTP edge, and its rendering as `application/problem+json`
//! (RFC 9457).
//!
//! When to use which variant:
//!
//! | variant | status | use it when |
//! |---|---|---|
//! | [`ApiError::BadRequest`] | 400 | the request cannot be read at all: malformed JSON, a path id that is not a number |
//! | [`ApiError::Unauthorized`] | 401 | no credentials, or credentials that are unknown, expired or revoked |
//! | [`ApiError::Forbidden`] | 403 | the caller is known but may not do this |
//! | [`ApiError::NotFound`] | 404 | the id in the path names nothing |
//! | [`ApiError::Conflict`] | 409 | the request is valid but clashes with what exists: a duplicate, a full or wrongly-stated resource |
//! | [`ApiError::PayloadTooLarge`] | 413 | the body is over the limit for its media type (refused before it is read) |
//! | [`ApiError::UriTooLong`] | 414 | the path and query are longer than the server reads |
//! | [`ApiError::UnsupportedMediaType`] | 415 | the body is not in a format the operation takes |
//! | [`ApiError::Invalid`] | 422 | the request is well formed but its values break a rule; always lists the fields |
//! | [`ApiError::TooManyRequests`] | 429 | the caller must slow down; carries `Retry-After` |
//! | [`ApiError::Internal`] | 500 | anything unexpected: the cause chain goes to the log, the client gets an opaque message |
//! | [`ApiError::Unavailable`] | 503 | the service cannot work right now (its database file went away); retrying later may help |
//!
//! Domain code never sees this type: it returns [`crate::domain::Error`], converted here in one
//! place (including unique-constraint violations, which become 409 here and nowhere else).

use poem::{
    Endpoint, Response,
    error::{MethodNotAllowedError, NotFoundError, ResponseError},
    http::{StatusCode, header},
};
use poem_openapi::{
    ApiResponse, Object,
    error::{
        AuthorizationError, ContentTypeError, ParseParamError, ParsePathError,
        ParseRequestPayloadError,
    },
    registry::{MetaMediaType, MetaResponse, MetaResponses, Registry},
    types::{ToJSON, Type},
};
use sea_orm::{DbErr, SqlErr};

use crate::domain;

/// The media type of every error body.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// A problem detail (RFC 9457): the body of every error response.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct Problem {
    /// A URI reference naming the kind of problem, such as `/problems/conflict`.
    #[oai(rename = "type")]
    pub kind: String,
    /// A short summary of the kind of problem; the same for every occurrence of it.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong this time, in words meant for the person calling the API.
    pub detail: String,
    /// For invalid input: one entry per offending field.
    pub errors: Option<Vec<FieldError>>,
    /// The request's id (its `X-Request-Id`): quote it when reporting the problem, it finds the
    /// request's log lines.
    pub instance: Option<String>,
}

/// One field of the request and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct FieldError {
    /// The field's name as it appears in the request (`topics[2]` for an element of a list).
    pub field: String,
    /// What is wrong with it.
    pub message: String,
}

impl From<domain::FieldError> for FieldError {
    fn from(e: domain::FieldError) -> Self {
        Self {
            field: e.field,
            message: e.message,
        }
    }
}

/// Every way a request can fail, as the client sees it.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    PayloadTooLarge(String),
    #[error("{0}")]
    UriTooLong(String),
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("{0}")]
    Unavailable(String),
    /// Too busy right now (every password-checking slot taken): 503 with `Retry-After`.
    #[error("the server is busy; try again in {retry_after_secs} s")]
    Busy { retry_after_secs: u64 },
    #[error("{detail}")]
    Invalid {
        detail: String,
        errors: Vec<FieldError>,
    },
    #[error("too many requests; try again in {retry_after_secs} s")]
    TooManyRequests { retry_after_secs: u64 },
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

impl ApiError {
    /// A 422 listing the given fields.
    pub fn invalid(errors: Vec<FieldError>) -> Self {
        let detail = match errors.as_slice() {
            [one] => format!("{}: {}", one.field, one.message),
            _ => format!("{} fields are invalid", errors.len()),
        };
        Self::Invalid { detail, errors }
    }

    /// A 422 for a single field.
    pub fn invalid_field(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::invalid(vec![FieldError {
            field: field.into(),
            message: message.into(),
        }])
    }

    fn slug_and_title(&self) -> (&'static str, &'static str) {
        match self {
            Self::BadRequest(_) => ("bad-request", "Malformed request"),
            Self::Unauthorized(_) => ("unauthorized", "Authentication required"),
            Self::Forbidden(_) => ("forbidden", "Not allowed"),
            Self::NotFound(_) => ("not-found", "Not found"),
            Self::Conflict(_) => ("conflict", "Conflict"),
            Self::PayloadTooLarge(_) => ("payload-too-large", "Request body too large"),
            Self::UriTooLong(_) => ("uri-too-long", "Request URI too long"),
            Self::UnsupportedMediaType(_) => ("unsupported-media-type", "Unsupported media type"),
            Self::Unavailable(_) | Self::Busy { .. } => ("unavailable", "Service unavailable"),
            Self::Invalid { .. } => ("validation", "Invalid input"),
            Self::TooManyRequests { .. } => ("too-many-requests", "Too many requests"),
            Self::Internal(_) => ("internal", "Internal error"),
        }
    }

    /// The problem document for this error.
    pub fn problem(&self) -> Problem {
        let (slug, title) = self.slug_and_title();
        Problem {
            kind: format!("/problems/{slug}"),
            title: title.into(),
            status: self.status().as_u16(),
            detail: match self {
                Self::Internal(_) => "the server could not complete the request".into(),
                other => other.to_string(),
            },
            errors: match self {
                Self::Invalid { errors, .. } => Some(errors.clone()),
                _ => None,
            },
            instance: None,
        }
    }
}

impl ResponseError for ApiError {
    fn status(&self) -> StatusCode {
        match self {
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UriTooLong(_) => StatusCode::URI_TOO_LONG,
            Self::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::Unavailable(_) | Self::Busy { .. } => StatusCode::SERVICE_UNAVAILABLE,
            Self::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Self::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn as_response(&self) -> Response {
        if let Self::Internal(cause) = self {
            tracing::error!(error = format!("{cause:#}"), "request failed");
        }
        let mut response = problem_response(&self.problem());
        if let Self::TooManyRequests { retry_after_secs } | Self::Busy { retry_after_secs } = self {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, (*retry_after_secs).into());
        }
        response
    }
}

/// Renders a problem document with its media type and status; `instance` is the id of the
/// request being answered, unless the problem names one already.
pub fn problem_response(problem: &Problem) -> Response {
    let mut problem = problem.clone();
    if problem.instance.is_none() {
        problem.instance = crate::request_context::current().map(|id| id.to_string());
    }
    let body = problem.to_json().map(|v| v.to_string()).unwrap_or_default();
    Response::builder()
        .status(StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR))
        .content_type(PROBLEM_JSON)
        .body(body)
}

impl ApiResponse for ApiError {
    fn meta() -> MetaResponses {
        const STATUSES: [(u16, &str); 7] = [
            (400, "Malformed request"),
            (401, "Missing, unknown, expired or revoked credentials"),
            (403, "The caller may not do this"),
            (404, "No such resource"),
            (
                409,
                "Conflicts with the current state: duplicate, full, or wrong status",
            ),
            (
                422,
                "Well-formed, but values break a rule; `errors` lists the fields",
            ),
            (
                500,
                "Unexpected failure; details are in the server log only",
            ),
        ];
        MetaResponses {
            responses: STATUSES
                .iter()
                .map(|(status, description)| MetaResponse {
                    description,
                    status: Some(*status),
                    status_range: None,
                    content: vec![MetaMediaType {
                        content_type: PROBLEM_JSON,
                        schema: Problem::schema_ref(),
                    }],
                    headers: vec![],
                })
                .collect(),
        }
    }

    fn register(registry: &mut Registry) {
        Problem::register(registry);
    }
}

impl From<domain::Error> for ApiError {
    fn from(err: domain::Error) -> Self {
        match err {
            domain::Error::NotFound { entity, id } => {
                Self::NotFound(format!("{entity} {id} does not exist"))
            }
            domain::Error::Conflict(msg) => Self::Conflict(msg),
            domain::Error::Forbidden(msg) => Self::Forbidden(msg),
            domain::Error::Invalid(errors) => {
                Self::invalid(errors.into_iter().map(Into::into).collect())
            }
            domain::Error::TooManyAttempts { retry_after } => Self::TooManyRequests {
                retry_after_secs: retry_after.as_secs().max(1),
            },
            domain::Error::Busy { retry_after } => Self::Busy {
                retry_after_secs: retry_after.as_secs().max(1),
            },
            domain::Error::Database(db) => db.into(),
            internal @ domain::Error::Internal { .. } => Self::Internal(internal.into()),
        }
    }
}

impl From<DbErr> for ApiError {
    fn from(err: DbErr) -> Self {
        match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(msg)) => Self::Conflict(format!(
                "a record with the same unique value already exists ({})",
                constraint_name(&msg)
            )),
            _ if matches!(err, DbErr::ConnectionAcquire(_)) => {
                tracing::error!(error = %err, "database unavailable");
                Self::Unavailable("the database is unavailable; try again later".into())
            }
            _ => Self::Internal(err.into()),
        }
    }
}

/// The table.column (SQLite) or constraint name (PostgreSQL) of a unique-violation message.
fn constraint_name(message: &str) -> &str {
    if let Some(rest) = message.strip_prefix("UNIQUE constraint failed: ") {
        return rest;
    }
    message.split('"').nth(1).unwrap_or("unique constraint")
}

/// Middleware body: turns every error that reaches the top of the app (ours, poem's routing
/// errors, poem-openapi's parse errors, panics) into a problem+json response.
pub fn error_to_problem(err: poem::Error) -> Response {
    // The route it happened on stays known to the access log and the metrics.
    let pattern = err.data::<poem::PathPattern>().cloned();
    let mut response = problem_for(err);
    if let Some(pattern) = pattern
        && response.data::<poem::PathPattern>().is_none()
    {
        response.set_data(pattern);
    }
    response
}

fn problem_for(err: poem::Error) -> Response {
    // An ApiError renders itself; so does a page guard's refusal (a redirect to the sign-in
    // page, a 403 page), which is a whole response already.
    if err.is::<ApiError>() || err.is_from_response() {
        return err.into_response();
    }
    let api_error = if let Some(e) = err.downcast_ref::<ParseParamError>() {
        match e.reason.split_once("verification failed. ") {
            Some((_, rule)) => ApiError::invalid_field(e.name, describe_rule(rule)),
            None => ApiError::BadRequest(format!("parameter `{}`: {}", e.name, e.reason)),
        }
    } else if err.is::<ParsePathError>() {
        ApiError::BadRequest("an id in the path is not a whole number".into())
    } else if let Some(e) = err.downcast_ref::<ParseRequestPayloadError>() {
        ApiError::BadRequest(e.reason.clone())
    } else if let Some(e) = err.downcast_ref::<ContentTypeError>() {
        ApiError::UnsupportedMediaType(e.to_string())
    } else if err.is::<AuthorizationError>() {
        ApiError::Unauthorized("a bearer token is required (Authorization: Bearer <token>)".into())
    } else if err.is::<NotFoundError>() {
        ApiError::NotFound("no such path; the API lives under /api/v1 (see /docs)".into())
    } else if err.is::<MethodNotAllowedError>() {
        let problem = Problem {
            kind: "/problems/method-not-allowed".into(),
            title: "Method not allowed".into(),
            status: 405,
            detail: "this path does not take that method".into(),
            errors: None,
            instance: None,
        };
        return problem_response(&problem);
    } else {
        let status = err.status();
        if status.is_server_error() {
            ApiError::Internal(anyhow::anyhow!("{err}"))
        } else {
            let problem = Problem {
                kind: "about:blank".into(),
                title: status.canonical_reason().unwrap_or("Error").into(),
                status: status.as_u16(),
                detail: err.to_string(),
                errors: None,
                instance: None,
            };
            return problem_response(&problem);
        }
    };
    api_error.as_response()
}

/// Turns poem-openapi's validator descriptions (`maximum(100, exclusive: false)`) into words.
pub fn describe_rule(rule: &str) -> String {
    let rule = rule.trim();
    let arg = |name: &str| -> Option<String> {
        rule.strip_prefix(name)?
            .strip_prefix('(')?
            .strip_suffix(')')
            .map(str::to_owned)
    };
    let number = |args: String| args.split(',').next().unwrap_or_default().trim().to_owned();
    if let Some(a) = arg("maximum") {
        let exclusive = a.contains("exclusive: true");
        format!(
            "must be {} {}",
            if exclusive { "less than" } else { "at most" },
            number(a)
        )
    } else if let Some(a) = arg("minimum") {
        let exclusive = a.contains("exclusive: true");
        format!(
            "must be {} {}",
            if exclusive {
                "greater than"
            } else {
                "at least"
            },
            number(a)
        )
    } else if let Some(a) = arg("maxLength") {
        format!("must be at most {a} characters long")
    } else if let Some(a) = arg("minLength") {
        format!("must be at least {a} characters long")
    } else if let Some(a) = arg("maxItems") {
        format!("must have at most {a} items")
    } else if let Some(a) = arg("minItems") {
        format!("must have at least {a} items")
    } else if let Some(a) = arg("pattern") {
        format!("must match the pattern {a}")
    } else if rule == "uniqueItems()" {
        "must not repeat an item".into()
    } else {
        format!("breaks the rule {rule}")
    }
}

/// Wraps an endpoint so every error it returns becomes problem+json.
pub fn with_problem_errors<E: Endpoint>(ep: E) -> impl Endpoint {
    poem::EndpointExt::catch_all_error(ep, |err| async move { error_to_problem(err) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validator_rules_read_as_words() {
        assert_eq!(
            describe_rule("maximum(100, exclusive: false)"),
            "must be at most 100"
        );
        assert_eq!(
            describe_rule("minimum(0, exclusive: true)"),
            "must be greater than 0"
        );
        assert_eq!(
            describe_rule("maxLength(120)"),
            "must be at most 120 characters long"
        );
        assert_eq!(describe_rule("minItems(1)"), "must have at least 1 items");
    }

    #[test]
    fn unique_violation_messages_name_the_constraint() {
        assert_eq!(
            constraint_name("UNIQUE constraint failed: course.code"),
            "course.code"
        );
        assert_eq!(
            constraint_name(r#"duplicate key value violates unique constraint "course_code_key""#),
            "course_code_key"
        );
    }

    #[test]
    fn internal_errors_do_not_leak_their_cause() {
        let err = ApiError::Internal(anyhow::anyhow!("password=hunter2 at db"));
        let problem = err.problem();
        assert_eq!(problem.status, 500);
        assert!(!problem.detail.contains("hunter2"));
    }
}
