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

/// Declares a list's wire type: the items of one page and how many there are in all (every list
/// of the API has this one shape), with the one mapping from a service's
/// [`crate::services::Page`] (`XPage::from(page)`, each item converted with `From`).
macro_rules! wire_page {
    ($(#[$meta:meta])* $page:ident of $item:ty) => {
        wire_page! { $(#[$meta])* $page { items: Vec<$item>, total } }
    };
    ($(#[$meta:meta])* $page:ident {
        $(#[$imeta:meta])* items: Vec<$item:ty>,
        $(#[$tmeta:meta])* total $(,)?
    }) => {
        $(#[$meta])*
        #[derive(Debug, ::poem_openapi::Object)]
        #[oai(skip_serializing_if_is_none)]
        pub struct $page {
            $(#[$imeta])*
            pub items: Vec<$item>,
            $(#[$tmeta])*
            pub total: u64,
        }

        impl<M> From<crate::services::Page<M>> for $page
        where
            $item: From<M>,
        {
            fn from(page: crate::services::Page<M>) -> Self {
                Self {
                    items: page.items.into_iter().map(Into::into).collect(),
                    total: page.total,
                }
            }
        }
    };
}

pub mod api_keys;
pub mod applications;
pub mod attendance;
pub mod audit;
pub mod auth;
pub mod certificates;
pub mod courses;
pub mod credentials;
pub mod csv_export;
pub mod dhis2;
pub mod duplicates;
pub mod emails;
pub mod enrolments;
pub mod evaluations;
pub mod health;
pub mod holidays;
pub mod json_body;
pub mod organisations;
pub mod outreach;
pub mod participants;
pub mod personal_data;
pub mod reports;
pub mod sign_in_code;
pub mod sign_in_link;
pub mod sms;
pub mod spec;
pub use crate::timestamp;
pub mod trainers;
pub mod users;
pub mod webhooks;
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
    /// The mail and SMS outboxes.
    Emails,
    /// Summary figures and CSV exports for councils and funders.
    Reports,
    /// Public holidays, which workshop schedules step over.
    Holidays,
    /// Trainer accounts, their ToT certificates and until when those are valid.
    Trainers,
    /// Participants' evaluations of workshops, and their anonymous summaries.
    Evaluations,
    /// Meetings certified participants hold with their constituencies: the cascade's last step.
    Outreach,
    /// Open Badges 3.0 credentials of certificates: signed VC-JWTs, the issuer profile, its
    /// keys, revocation status lists and verification.
    Credentials,
    /// Subscriptions that deliver events to other systems (Standard Webhooks), and their
    /// deliveries.
    Webhooks,
    /// Open workshops: the public catalogue, applications for a place and their review.
    Applications,
}

/// Declares a group of APIs once, as a type and as the value of that type.
macro_rules! api_group {
    ($(#[$meta:meta])* $ty:ident = $value:ident: ($($api:ident::$name:ident),* $(,)?)) => {
        $(#[$meta])*
        pub type $ty = ($($api::$name,)*);
        const $value: $ty = ($($api::$name,)*);
    };
}

/// Every operation of the API.
pub type Api = (CoreApi, ProgrammeApi);

api_group!(
    /// Accounts, the catalogue, enrolment, attendance, certificates, mail and reports.
    /// (poem-openapi takes tuples of at most 16 APIs, so they come in two.)
    CoreApi = CORE_API: (
        health::HealthApi,
        auth::AuthApi,
        users::UsersApi,
        api_keys::ApiKeysApi,
        audit::AuditApi,
        organisations::OrganisationApi,
        courses::CourseApi,
        participants::ParticipantApi,
        workshops::WorkshopApi,
        enrolments::EnrolmentApi,
        attendance::AttendanceApi,
        certificates::CertificateApi,
        emails::EmailApi,
        reports::ReportApi,
    )
);

api_group!(
    /// The programme around the workshops: calendar, trainers, people, sign-in links,
    /// evaluations, outreach and digital credentials.
    ProgrammeApi = PROGRAMME_API: (
        holidays::HolidayApi,
        trainers::TrainerApi,
        duplicates::DuplicateApi,
        sign_in_link::SignInLinkApi,
        evaluations::EvaluationApi,
        outreach::OutreachApi,
        credentials::CredentialApi,
        webhooks::WebhookApi,
        sms::SmsApi,
        sign_in_code::SignInCodeApi,
        personal_data::PersonalDataApi,
        applications::PublicApi,
        applications::ApplicationApi,
        dhis2::Dhis2Api,
    )
);

/// An operation's answer when there is nothing to say: 204.
#[derive(poem_openapi::ApiResponse)]
pub enum NoContent {
    /// Done.
    #[oai(status = 204)]
    Done,
}

/// The title the spec carries.
pub const TITLE: &str = "CSSD Training API";

/// The OpenAPI service: routes plus the spec they describe.
pub fn service() -> OpenApiService<Api, ()> {
    OpenApiService::new(
        (CORE_API, PROGRAMME_API),
        TITLE,
        env!("CARGO_PKG_VERSION"),
    )
    .description(
        "Courses, five-day workshops, enrolment under a hard 35-seat cap, attendance, assessments \
         and verifiable PDF certificates for IWSD's Community Support to Service Delivery (CSSD) \
         and Customer Care training, run as a Training-of-Trainers cascade.\n\n\
         Errors are `application/problem+json` (RFC 9457); each operation lists the statuses it \
         can answer. Lists take `limit` (1–200, default 50) and `offset` (0–1,000,000,000) and \
         return `{items, total}`.\n\n\
         **Absent values are omitted, never `null`.** An optional field of a response (one not in \
         its schema's `required` list) is left out when it has no value; no response carries \
         `null`. (Generated clients in strict languages then see a missing optional, which every \
         generator maps to its own \"no value\".) In a request, an optional field may be sent \
         as `null` or left out, which mean the same (except where its description says `null` \
         clears it).\n\n\
         **Text** (names, venues, reasons, search terms) may hold any character except control \
         characters, bidirectional overrides and isolates, zero-width and other invisible \
         characters, and line or paragraph separators (line breaks and tabs only in fields that \
         hold paragraphs): the request schemas state it as a `pattern`. **Dates** are \
         `YYYY-MM-DD` from 2000-01-01 to 2100-12-31, also stated as a `pattern`.",
    )
    .server("/")
}

/// The spec as pretty-printed JSON, exactly as committed in `openapi/openapi.json` and served
/// at `/openapi.json`: generated from the code, then refined ([`spec::refine`]).
pub fn spec_json() -> String {
    let mut spec: serde_json::Value =
        serde_json::from_str(&service().spec()).expect("poem-openapi writes valid JSON");
    spec::refine(&mut spec);
    let mut text =
        serde_json::to_string_pretty(&spec::Ordered(&spec)).expect("a JSON value serialises");
    text.push('\n');
    text
}

/// Checks a `from`/`to` filter ([`crate::domain::dates::check_range`]).
pub fn check_date_range(
    from: Option<chrono::NaiveDate>,
    to: Option<chrono::NaiveDate>,
) -> Result<(), crate::error::ApiError> {
    crate::domain::dates::check_range(from, to)
        .map_err(|errors| crate::domain::Error::Invalid(errors).into())
}

/// Checks a free-text query filter for characters no text may hold.
pub fn check_query_text(name: &str, value: Option<&str>) -> Result<(), crate::error::ApiError> {
    match value.map(|v| crate::domain::text::check_chars(name, v, false)) {
        Some(Err(e)) => Err(crate::error::ApiError::invalid(vec![e.into()])),
        _ => Ok(()),
    }
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

#[cfg(test)]
mod spelling {
    //! An enum has one spelling as text: the value stored in the database (the entity's
    //! `string_value`). Its JSON (serde, in audit snapshots) and its wire form (the mirrored
    //! OpenAPI enum) must say the same, for every variant: a variant spelled otherwise fails here.

    use poem_openapi::types::ToJSON;
    use sea_orm::{ActiveEnum, Iterable};

    fn spelled_alike<D, W>()
    where
        D: ActiveEnum<Value = String> + Iterable + Copy + serde::Serialize + std::fmt::Debug,
        W: From<D> + ToJSON,
    {
        for variant in D::iter() {
            let stored = serde_json::Value::String(variant.to_value());
            assert_eq!(
                serde_json::to_value(variant).ok(),
                Some(stored.clone()),
                "{variant:?}"
            );
            assert_eq!(W::from(variant).to_json(), Some(stored), "{variant:?}");
        }
    }

    #[test]
    fn stored_json_and_wire_spellings_of_every_enum_agree() {
        use entity::*;
        spelled_alike::<app_user::Role, super::users::Role>();
        spelled_alike::<attendance::AttendanceStatus, super::attendance::AttendanceStatus>();
        spelled_alike::<assessment::AssessmentKind, super::attendance::AssessmentKind>();
        spelled_alike::<certificate::CertificateStatus, super::certificates::CertificateStatus>();
        spelled_alike::<email_outbox::EmailStatus, super::emails::EmailStatus>();
        spelled_alike::<email_outbox::EmailKind, super::emails::EmailKind>();
        spelled_alike::<enrolment::EnrolmentStatus, super::enrolments::EnrolmentStatus>();
        spelled_alike::<organisation::OrganisationKind, super::organisations::OrganisationKind>();
        spelled_alike::<organisation::Province, super::organisations::Province>();
        spelled_alike::<participant::Gender, super::participants::Gender>();
        spelled_alike::<participant::TargetGroup, super::participants::TargetGroup>();
        spelled_alike::<workshop::Level, super::workshops::Level>();
        spelled_alike::<workshop::Status, super::workshops::WorkshopStatus>();
        spelled_alike::<
            workshop_application::ApplicationStatus,
            super::applications::ApplicationStatus,
        >();
    }
}
