//! Open workshops: the public catalogue (no credentials), applying for a place and confirming
//! the application, and the administrators' review (accept into a seat or the waitlist, or
//! decline with a reason).

use chrono::NaiveDate;
use entity::{
    participant::{Gender as DbGender, TargetGroup as DbTargetGroup},
    workshop_application::{self, ApplicationStatus as DbStatus},
};
use poem::{Request, web::Data};
use poem_openapi::{
    ApiResponse, Object, OpenApi,
    param::{Header, Path, Query},
    payload::Json,
    types::ToJSON,
};

use super::{
    JsonBody, Tag,
    duplicates::DuplicateReason,
    enrolments::Enrolment,
    organisations::Province,
    page,
    participants::{Gender, TargetGroup},
    timestamp::Timestamp,
    workshops::{Level, WorkshopDay},
};
use crate::{
    auth::CanAdminister,
    domain::{application::ApplicationText, language::Lang, schedule::local_today},
    error::ApiError,
    services::{
        applications::{
            self as service, ApplicationFilter, CatalogueFilter, NewApplication,
            catalogue_cache_control, etag_of, matches_etag,
        },
        enrolments::EnrolmentView,
        workshop_queries::days_of,
    },
    state::AppState,
};

mirror_enum! {
    /// Where an application stands: `unconfirmed` (the applicant has not yet opened the link or
    /// entered the code), `pending` (confirmed, waiting for an administrator), `accepted`,
    /// `declined`, or `lapsed` (not confirmed within 24 hours).
    ApplicationStatus <=> DbStatus {
        Unconfirmed,
        Pending,
        Accepted,
        Declined,
        Lapsed,
    }
}

/// A workshop in the public catalogue: nothing about people but the seats left.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct PublicWorkshop {
    pub id: i64,
    pub course_code: String,
    pub course_title: String,
    pub level: Level,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    /// The days, each with its date and topics.
    pub days: Vec<WorkshopDay>,
    pub venue: String,
    /// The province of the organisation it is held for, when known.
    pub province: Option<Province>,
    pub seats_left: i32,
    /// Full: an applicant who is accepted joins the waitlist.
    pub waitlist_open: bool,
}

impl From<service::PublicWorkshop> for PublicWorkshop {
    fn from(p: service::PublicWorkshop) -> Self {
        let days = days_of(&p.workshop, &p.course)
            .into_iter()
            .map(|d| WorkshopDay {
                day: d.day,
                date: d.date,
                topics: d.topics,
            })
            .collect();
        Self {
            id: p.workshop.id,
            seats_left: p.seats_left(),
            waitlist_open: p.waitlist_open(),
            course_code: p.course.code,
            course_title: p.course.title,
            level: p.workshop.level.into(),
            start_date: p.workshop.start_date,
            end_date: p.workshop.end_date,
            days,
            venue: p.workshop.venue,
            province: p.province.map(Into::into),
        }
    }
}

wire_page! {
    /// The public workshops that take applications, by start date.
    PublicWorkshopPage of PublicWorkshop
}

#[derive(ApiResponse)]
enum CatalogueAnswer {
    /// The workshops.
    #[oai(status = 200)]
    Ok(
        Json<PublicWorkshopPage>,
        #[oai(header = "ETag")] String,
        #[oai(header = "Cache-Control")] String,
    ),
    /// Unchanged since the `ETag` sent in `If-None-Match`.
    #[oai(status = 304)]
    NotModified(
        #[oai(header = "ETag")] String,
        #[oai(header = "Cache-Control")] String,
    ),
}

/// An application for a place.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct NewApplicationBody {
    #[oai(validator(min_length = 1, max_length = 120))]
    pub full_name: String,
    /// At least one of `email` and `phone`: the link to confirm goes to the email, else a code
    /// goes to the phone by SMS.
    #[oai(validator(max_length = 254))]
    pub email: Option<String>,
    /// A mobile number; without a country code it is read as Zimbabwean.
    #[oai(validator(max_length = 32))]
    pub phone: Option<String>,
    /// The council, association or employer the applicant comes from.
    #[oai(validator(max_length = 200))]
    pub organisation_name: Option<String>,
    pub target_group: TargetGroup,
    pub gender: Option<Gender>,
    /// Must be `true`: consent to the privacy notice (its version is recorded).
    pub consent: Option<bool>,
}

/// The application was taken: confirm it within 24 hours.
#[derive(Debug, Object)]
pub struct ApplicationReceipt {
    /// Quote it when asking about the application (and with the SMS code).
    pub reference: String,
    /// The workshop is full: if accepted, the applicant joins the waitlist.
    pub waitlist_open: bool,
    /// Unconfirmed by then, the application lapses.
    pub confirm_by: Timestamp,
}

#[derive(ApiResponse)]
enum Applied {
    /// Taken; a link (by email) or code (by SMS) to confirm it is on its way.
    #[oai(status = 202)]
    Accepted(Json<ApplicationReceipt>),
}

/// The token of an emailed confirmation link.
#[derive(Debug, Object)]
pub struct ConfirmByLink {
    #[oai(validator(max_length = 128))]
    pub token: String,
}

/// A code sent by SMS.
#[derive(Debug, Object)]
pub struct ConfirmByCode {
    #[oai(validator(max_length = 32))]
    pub reference: String,
    #[oai(validator(max_length = 16))]
    pub code: String,
}

/// A confirmed application.
#[derive(Debug, Object)]
pub struct ConfirmedApplication {
    pub reference: String,
    pub status: ApplicationStatus,
}

/// A participant on record who may be the applicant.
#[derive(Debug, Object)]
pub struct DuplicateCandidate {
    pub participant_id: i64,
    pub full_name: String,
    /// Why (the duplicate finder's rules).
    pub reasons: Vec<DuplicateReason>,
}

/// An application, as administrators see it.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct Application {
    pub id: i64,
    pub reference: String,
    pub workshop_id: i64,
    pub full_name: String,
    pub email: Option<String>,
    /// E.164.
    pub phone: Option<String>,
    pub organisation_name: Option<String>,
    pub target_group: TargetGroup,
    pub gender: Option<Gender>,
    /// The language the applicant applied in (`en`, `sn`, `nd`); their mails use it.
    pub language: String,
    pub status: ApplicationStatus,
    pub consent_given_at: Timestamp,
    pub consent_text_version: String,
    pub confirm_by: Timestamp,
    pub confirmed_at: Option<Timestamp>,
    pub decided_at: Option<Timestamp>,
    pub decline_reason: Option<String>,
    /// Once accepted: the participant, and their enrolment.
    pub participant_id: Option<i64>,
    pub enrolment_id: Option<i64>,
    pub created_at: Timestamp,
    /// Participants on record who may be the applicant (link one when accepting).
    pub candidates: Vec<DuplicateCandidate>,
}

fn wire(
    a: workshop_application::Model,
    candidates: Vec<service::DuplicateCandidate>,
) -> Application {
    Application {
        id: a.id,
        reference: a.reference,
        workshop_id: a.workshop_id,
        full_name: a.full_name,
        email: a.email,
        phone: a.phone,
        organisation_name: a.organisation_name,
        target_group: a.target_group.into(),
        gender: a.gender.map(Into::into),
        language: a.language,
        status: a.status.into(),
        consent_given_at: a.consent_given_at.into(),
        consent_text_version: a.consent_text_version,
        confirm_by: a.confirm_by.into(),
        confirmed_at: a.confirmed_at.map(Timestamp::from),
        decided_at: a.decided_at.map(Timestamp::from),
        decline_reason: a.decline_reason,
        participant_id: a.participant_id,
        enrolment_id: a.enrolment_id,
        created_at: a.created_at.into(),
        candidates: candidates
            .into_iter()
            .map(|c| DuplicateCandidate {
                participant_id: c.participant_id,
                full_name: c.full_name,
                reasons: c.reasons.into_iter().map(Into::into).collect(),
            })
            .collect(),
    }
}

impl From<service::ApplicationView> for Application {
    fn from(v: service::ApplicationView) -> Self {
        wire(v.application, v.candidates)
    }
}

wire_page! {
    /// A page of applications.
    ApplicationPage of Application
}

/// Accepting an application.
#[derive(Debug, Object, Default)]
#[oai(skip_serializing_if_is_none)]
pub struct AcceptApplication {
    /// An existing participant who is the applicant (one of the candidates); without it a
    /// participant is created from the application.
    pub participant_id: Option<i64>,
}

/// Declining an application.
#[derive(Debug, Object)]
pub struct DeclineApplication {
    /// Why; the applicant is told (a paragraph, at most 1000 characters).
    #[oai(validator(min_length = 1, max_length = 1000))]
    pub reason: String,
}

/// The public catalogue and applications (no credentials).
pub struct PublicApi;

#[OpenApi(prefix_path = "/api/v1/public", tag = "Tag::Applications")]
impl PublicApi {
    /// The public catalogue
    ///
    /// Public workshops that have not started and are not cancelled, by start date: course,
    /// dates, days, venue, province, seats left and whether the waitlist is open — nothing
    /// about people. No credentials. Cacheable for a minute; send the `ETag` back in
    /// `If-None-Match` for a 304 when nothing changed.
    #[oai(
        path = "/workshops",
        method = "get",
        operation_id = "list_public_workshops"
    )]
    async fn catalogue(
        &self,
        state: Data<&AppState>,
        /// A course code, such as `CSSD` (any case).
        #[oai(validator(max_length = 32))]
        course: Query<Option<String>>,
        province: Query<Option<Province>>,
        /// Only workshops starting on or after this date.
        from: Query<Option<NaiveDate>>,
        #[oai(name = "If-None-Match", validator(max_length = 1000))] if_none_match: Header<
            Option<String>,
        >,
    ) -> Result<CatalogueAnswer, ApiError> {
        super::check_query_text("course", course.0.as_deref())?;
        super::check_date_range(from.0, None)?;
        let filter = CatalogueFilter {
            course: course.0.filter(|c| !c.trim().is_empty()),
            province: province.0.map(Into::into),
            from: from.0,
        };
        let found = service::catalogue(&state.db, &filter, local_today()).await?;
        let items: Vec<PublicWorkshop> = found.into_iter().map(Into::into).collect();
        let body = PublicWorkshopPage {
            total: items.len() as u64,
            items,
        };
        let etag = etag_of(
            body.to_json()
                .map(|v| v.to_string())
                .unwrap_or_default()
                .as_bytes(),
        );
        if matches_etag(if_none_match.0.as_deref(), &etag) {
            return Ok(CatalogueAnswer::NotModified(
                etag,
                catalogue_cache_control(),
            ));
        }
        Ok(CatalogueAnswer::Ok(
            Json(body),
            etag,
            catalogue_cache_control(),
        ))
    }

    /// Apply for a place
    ///
    /// No credentials. At least one of `email` or `phone`, and `consent: true` (422 per field
    /// otherwise). The applicant confirms within 24 hours by the link mailed to them, or the
    /// code sent by SMS when they gave only a phone; else the application lapses and no
    /// administrator sees it. A full workshop takes applications (`waitlist_open`: accepted
    /// applicants join the waitlist). 409 for a workshop that is not public, has started or was
    /// cancelled. Throttled per contact and per client address (429 with `Retry-After`). Mails
    /// are in `lang`, else the `Accept-Language`'s language, else English.
    #[oai(
        path = "/workshops/:id/applications",
        method = "post",
        operation_id = "apply_for_workshop"
    )]
    async fn apply(
        &self,
        state: Data<&AppState>,
        req: &Request,
        id: Path<i64>,
        /// `en`, `sn` or `nd`.
        #[oai(validator(max_length = 16))]
        lang: Query<Option<String>>,
        #[oai(name = "Accept-Language", validator(max_length = 1000))] accept_language: Header<
            Option<String>,
        >,
        body: JsonBody<NewApplicationBody>,
    ) -> Result<Applied, ApiError> {
        let b = body.0;
        let lang = Lang::negotiate(None, lang.0.as_deref(), accept_language.0.as_deref());
        let new = NewApplication {
            text: ApplicationText {
                full_name: b.full_name,
                email: b.email,
                phone: b.phone,
                organisation_name: b.organisation_name,
                consent: b.consent,
            },
            target_group: DbTargetGroup::from(b.target_group),
            gender: b.gender.map(DbGender::from),
            lang,
        };
        let address = crate::forwarded::client_ip(req);
        let applied = service::apply(
            &state.db,
            &state.sign_in.throttle,
            id.0,
            new,
            address.as_deref(),
            state.application_clock.now(),
            local_today(),
            state.config.public_url_trimmed(),
        )
        .await?;
        Ok(Applied::Accepted(Json(ApplicationReceipt {
            reference: applied.application.reference,
            waitlist_open: applied.waitlist_open,
            confirm_by: applied.application.confirm_by.into(),
        })))
    }

    /// Confirm an application by its emailed link
    ///
    /// The token from the link (`/catalogue/confirm/{token}`, which does the same as a page).
    /// 404 for a link that is unknown, used or lapsed.
    #[oai(
        path = "/applications/confirm",
        method = "post",
        operation_id = "confirm_application_by_link"
    )]
    async fn confirm_link(
        &self,
        state: Data<&AppState>,
        body: JsonBody<ConfirmByLink>,
    ) -> Result<Json<ConfirmedApplication>, ApiError> {
        let confirmed =
            service::confirm_by_link(&state.db, &body.0.token, state.application_clock.now())
                .await?;
        answer_confirmation(confirmed, "token")
    }

    /// Confirm an application by its SMS code
    ///
    /// The reference and the 6-digit code. 422 against `code` for a wrong or expired code (a few
    /// wrong codes and it stops working), an unknown reference or a lapsed application.
    #[oai(
        path = "/applications/confirm-code",
        method = "post",
        operation_id = "confirm_application_by_code"
    )]
    async fn confirm_code(
        &self,
        state: Data<&AppState>,
        body: JsonBody<ConfirmByCode>,
    ) -> Result<Json<ConfirmedApplication>, ApiError> {
        let b = body.0;
        let confirmed = service::confirm_by_code(
            &state.db,
            &b.reference,
            &b.code,
            state.application_clock.now(),
        )
        .await?;
        answer_confirmation(confirmed, "code")
    }
}

fn answer_confirmation(
    confirmed: Option<service::Confirmed>,
    field: &str,
) -> Result<Json<ConfirmedApplication>, ApiError> {
    match confirmed {
        Some(c) => Ok(Json(ConfirmedApplication {
            reference: c.application.reference,
            status: c.application.status.into(),
        })),
        None => Err(
            crate::domain::Error::Invalid(vec![crate::domain::FieldError::new(
                field,
                "is not right, was already used, or has expired (an application lapses 24 hours \
             after it is made)",
            )])
            .into(),
        ),
    }
}

/// The administrators' review of applications.
pub struct ApplicationApi;

#[OpenApi(prefix_path = "/api/v1/applications", tag = "Tag::Applications")]
impl ApplicationApi {
    /// List applications
    ///
    /// Newest first, each with the participants on record who may be the applicant (same
    /// email, same phone however written, or the same name in an organisation of the name the
    /// applicant gave). An application not confirmed within 24 hours is `lapsed`, never
    /// `pending`.
    #[oai(path = "/", method = "get", operation_id = "list_applications")]
    async fn list(
        &self,
        state: Data<&AppState>,
        _auth: CanAdminister,
        workshop_id: Query<Option<i64>>,
        status: Query<Option<ApplicationStatus>>,
        /// How many to return (1–200, default 50).
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))]
        limit: Query<Option<u64>>,
        /// How many to skip (0–1,000,000,000).
        #[oai(validator(minimum(value = "0"), maximum(value = "1000000000")))]
        offset: Query<Option<u64>>,
    ) -> Result<Json<ApplicationPage>, ApiError> {
        let filter = ApplicationFilter {
            workshop_id: workshop_id.0,
            status: status.0.map(Into::into),
        };
        let found = service::list(
            &state.db,
            filter,
            page(limit.0, offset.0),
            state.application_clock.now(),
        )
        .await?;
        Ok(Json(found.into()))
    }

    /// Accept an application
    ///
    /// Only a `pending` one (409 otherwise). Enrols `participant_id` (an existing participant
    /// who is the applicant) or a participant created from the application (409 when a
    /// participant already has its email: link them instead): a seat while there is one, else
    /// the waitlist, under the same cap as every enrolment. The applicant is told by mail in
    /// the language they applied in. Answers with the enrolment.
    #[oai(
        path = "/:id/accept",
        method = "post",
        operation_id = "accept_application"
    )]
    async fn accept(
        &self,
        state: Data<&AppState>,
        auth: CanAdminister,
        id: Path<i64>,
        body: JsonBody<AcceptApplication>,
    ) -> Result<Json<Enrolment>, ApiError> {
        let accepted = service::accept(
            &state.db,
            &auth.actor(),
            id.0,
            body.0.participant_id,
            state.application_clock.now(),
        )
        .await?;
        Ok(Json(
            EnrolmentView {
                enrolment: accepted.enrolment,
                waitlist_position: accepted.waitlist_position,
            }
            .into(),
        ))
    }

    /// Decline an application
    ///
    /// Only a `pending` one (409 otherwise). The applicant is told the reason by mail, in the
    /// language they applied in.
    #[oai(
        path = "/:id/decline",
        method = "post",
        operation_id = "decline_application"
    )]
    async fn decline(
        &self,
        state: Data<&AppState>,
        auth: CanAdminister,
        id: Path<i64>,
        body: JsonBody<DeclineApplication>,
    ) -> Result<Json<Application>, ApiError> {
        let declined = service::decline(
            &state.db,
            &auth.actor(),
            id.0,
            &body.0.reason,
            state.application_clock.now(),
        )
        .await?;
        Ok(Json(wire(declined, vec![])))
    }
}
