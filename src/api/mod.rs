//! The HTTP API: one module per OpenAPI tag, each with its operations and wire types.
//!
//! Handlers are thin: they take wire types, call `services`, and convert the result into wire
//! types. Entities never go over the wire.

/// Declares a wire enum (snake_case in the spec) that mirrors an entity enum variant for
/// variant, with `From` both ways: adding a variant on one side without the other fails to
/// compile. (Declared before the modules so that they all can use it.)
macro_rules! mirror_enum {
    ($(#[$meta:meta])* $wire:ident <=> $db:ident { $($(#[$vmeta:meta])* $variant:ident),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, ::poem_openapi::Enum)]
        #[oai(rename_all = "snake_case")]
        pub enum $wire { $($(#[$vmeta])* $variant),+ }

        impl From<$wire> for $db {
            fn from(v: $wire) -> Self {
                match v { $($wire::$variant => $db::$variant),+ }
            }
        }

        impl From<$db> for $wire {
            fn from(v: $db) -> Self {
                match v { $($db::$variant => $wire::$variant),+ }
            }
        }
    };
}

pub mod accounts;
pub mod attendance;
pub mod certificates;
pub mod courses;
pub mod credentials;
pub mod emails;
pub mod enrolments;
pub mod health;
pub mod json_body;
pub mod organisations;
pub mod participants;
pub mod reports;
pub mod workshops;

use poem_openapi::{OpenApiService, Tags};

pub use json_body::JsonBody;

use crate::services::PageRequest;

/// The groups the operations are listed under in the spec and Swagger UI.
#[derive(Tags)]
pub enum Tag {
    /// Liveness and readiness of the service.
    Health,
    /// Logging in and out; the caller's own account.
    Auth,
    /// User accounts, API keys and the audit log (administrators).
    Administration,
    /// Local authorities, residents' associations and civic society organisations.
    Organisations,
    /// The courses IWSD teaches (CSSD, Customer Care, ...).
    Courses,
    /// The people who attend workshops.
    Participants,
    /// Five-day offerings of a course: schedules, calendars and status.
    Workshops,
    /// Seats under the 35-seat cap, the waitlist and withdrawals.
    Enrolments,
    /// Attendance registers, assessment scores and certificate eligibility.
    Attendance,
    /// Issuing, downloading, verifying and revoking certificates; the training cascade.
    Certificates,
    /// The mail outbox.
    Emails,
    /// Summary figures and CSV exports for councils and funders.
    Reports,
    /// Open Badges 3.0 credentials of certificates: signed VC-JWTs, the issuer profile, its
    /// keys, revocation status lists and verification.
    Credentials,
}

/// Every operation of the API.
pub type Api = (
    health::HealthApi,
    accounts::AuthApi,
    accounts::AdminApi,
    organisations::OrganisationApi,
    courses::CourseApi,
    participants::ParticipantApi,
    workshops::WorkshopApi,
    enrolments::EnrolmentApi,
    attendance::AttendanceApi,
    certificates::CertificateApi,
    emails::EmailApi,
    reports::ReportApi,
    credentials::CredentialApi,
);

/// The title the spec carries.
pub const TITLE: &str = "CSSD Training API";

/// The OpenAPI service: routes plus the spec they describe.
pub fn service() -> OpenApiService<Api, ()> {
    OpenApiService::new(
        (
            health::HealthApi,
            accounts::AuthApi,
            accounts::AdminApi,
            organisations::OrganisationApi,
            courses::CourseApi,
            participants::ParticipantApi,
            workshops::WorkshopApi,
            enrolments::EnrolmentApi,
            attendance::AttendanceApi,
            certificates::CertificateApi,
            emails::EmailApi,
            reports::ReportApi,
            credentials::CredentialApi,
        ),
        TITLE,
        env!("CARGO_PKG_VERSION"),
    )
    .description(
        "Courses, five-day workshops, enrolment under a hard 35-seat cap, attendance, assessments \
         and verifiable PDF certificates for IWSD's Community Support to Service Delivery (CSSD) \
         and Customer Care training, run as a Training-of-Trainers cascade.\n\n\
         Errors are `application/problem+json` (RFC 9457). Lists take `limit` (default 50, max 200) \
         and `offset` and return `{items, total}`.",
    )
    .server("/")
}

/// The spec as pretty-printed JSON, exactly as committed in `openapi/openapi.json`.
pub fn spec_json() -> String {
    let mut spec = service().spec();
    spec.push('\n');
    spec
}

/// Default page size of every list.
pub const DEFAULT_LIMIT: u64 = 50;

/// Turns the `limit` and `offset` query parameters into a page request.
pub fn page(limit: Option<u64>, offset: Option<u64>) -> PageRequest {
    PageRequest {
        limit: limit.unwrap_or(DEFAULT_LIMIT),
        offset: offset.unwrap_or(0),
    }
}
