//! Enrolment: taking a seat in a workshop under its cap, the waitlist, and withdrawal.

use crate::api::timestamp::Timestamp;

use entity::enrolment::EnrolmentStatus as DbStatus;
use poem::web::Data;
use poem_openapi::{
    ApiResponse, Object, OpenApi,
    param::{Header, Path, Query},
    payload::Json,
};

use super::{JsonBody, Tag, page};
use crate::{
    auth::{Caller, CanEnrol, CanReadRegister},
    domain::{access::WorkshopReading, consent},
    error::ApiError,
    services::{
        PageRequest,
        enrolments::{self as service, EnrolmentView},
        reading,
    },
    state::AppState,
};

mirror_enum! {
    /// Where an enrolment stands.
    EnrolmentStatus <=> DbStatus {
        /// Holds a seat.
        Enrolled,
        /// Waiting for a seat; `waitlist_position` says where in the queue.
        Waitlisted,
        /// Gave the seat or the place up.
        Withdrawn,
    }
}

/// A request for a seat.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct CreateEnrolment {
    /// The participant to enrol.
    pub participant_id: i64,
    /// The participant consents to the privacy notice (`GET /api/v1/privacy-notice`; its
    /// version is recorded). Required (`true`) when people enrol themselves; staff entering a
    /// signed paper form send `true` to record it, and leave it out when it was not given.
    pub consent: Option<bool>,
}

/// The participant's recorded consent to the processing of their data.
#[derive(Debug, Object)]
pub struct ConsentRecord {
    /// When it was given (recorded).
    pub given_at: Timestamp,
    /// The version of the privacy notice the participant was shown.
    pub text_version: String,
}

/// A participant's place in a workshop.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct Enrolment {
    pub id: i64,
    pub workshop_id: i64,
    pub participant_id: i64,
    pub status: EnrolmentStatus,
    /// For a waitlisted enrolment: 1 is the next to get a seat.
    #[oai(skip_serializing_if_is_none)]
    pub waitlist_position: Option<u64>,
    /// The consent recorded with the enrolment; absent when none was.
    pub consent: Option<ConsentRecord>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl From<EnrolmentView> for Enrolment {
    fn from(v: EnrolmentView) -> Self {
        let e = v.enrolment;
        Self {
            id: e.id,
            workshop_id: e.workshop_id,
            participant_id: e.participant_id,
            status: e.status.into(),
            waitlist_position: v.waitlist_position,
            consent: e.consent_given_at.zip(e.consent_text_version).map(
                |(given_at, text_version)| ConsentRecord {
                    given_at: given_at.into(),
                    text_version,
                },
            ),
            created_at: e.created_at.into(),
            updated_at: e.updated_at.into(),
        }
    }
}

fn plain(e: entity::enrolment::Model) -> Enrolment {
    EnrolmentView {
        enrolment: e,
        waitlist_position: None,
    }
    .into()
}

wire_page! {
    /// A page of enrolments.
    EnrolmentPage of Enrolment
}

/// The result of a withdrawal.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct Withdrawal {
    /// The enrolment, now `withdrawn`.
    pub withdrawn: Enrolment,
    /// The waitlisted participant who got the freed seat, if any.
    pub promoted: Option<Enrolment>,
}

#[derive(ApiResponse)]
enum Created {
    /// A seat was taken (`enrolled`) or a waitlist place given (`waitlisted`).
    #[oai(status = 201)]
    Created(Json<Enrolment>),
}

/// The privacy notice people consent to when they enrol.
#[derive(Debug, Object)]
pub struct PrivacyNotice {
    /// Its version, recorded with each consent.
    pub version: String,
    /// The text shown to the person.
    pub text: String,
}

pub struct EnrolmentApi;

#[OpenApi(prefix_path = "/api/v1", tag = "Tag::Enrolments")]
impl EnrolmentApi {
    /// Enrol a participant
    ///
    /// `enrolled` while seats remain, else `waitlisted` with a position. The cap holds under any
    /// number of concurrent requests. 409 when the participant is already enrolled or waitlisted,
    /// or the workshop is not `scheduled`.
    #[oai(
        path = "/workshops/:id/enrolments",
        method = "post",
        operation_id = "create_enrolment"
    )]
    async fn enrol(
        &self,
        state: Data<&AppState>,
        auth: CanEnrol,
        id: Path<i64>,
        /// Makes a retry of this request return the first response instead of enrolling again.
        #[oai(name = "Idempotency-Key", validator(pattern = r"^[!-~]{1,200}$"))]
        _idempotency_key: Header<Option<String>>,
        body: JsonBody<CreateEnrolment>,
    ) -> Result<Created, ApiError> {
        // Only staff and integrations enrol today (a participant's session has no enrol
        // permission): consent is recorded when given. Self-service paths pass `true` for the
        // second argument.
        let consent = consent::record(body.0.consent, false)?;
        let view = service::enrol_consenting(
            &state.db,
            &auth.actor(),
            id.0,
            body.0.participant_id,
            consent,
            state.config.public_url_trimmed(),
        )
        .await?;
        Ok(Created::Created(Json(view.into())))
    }

    /// The privacy notice
    ///
    /// The notice shown to people when they enrol, and its version (recorded with each
    /// consent). Public: anyone may read it before giving their data.
    #[oai(
        path = "/privacy-notice",
        method = "get",
        operation_id = "get_privacy_notice"
    )]
    async fn privacy_notice(&self) -> Json<PrivacyNotice> {
        Json(PrivacyNotice {
            version: consent::NOTICE_VERSION.to_owned(),
            text: consent::NOTICE_EN.to_owned(),
        })
    }

    /// List a workshop's enrolments
    ///
    /// In order of arrival; waitlisted ones carry their position.
    #[oai(
        path = "/workshops/:id/enrolments",
        method = "get",
        operation_id = "list_enrolments"
    )]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: CanReadRegister,
        id: Path<i64>,
        status: Query<Option<EnrolmentStatus>>,
        /// How many to return (1–200, default 50).
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))]
        limit: Query<Option<u64>>,
        /// How many to skip (0–1,000,000,000).
        #[oai(validator(minimum(value = "0"), maximum(value = "1000000000")))]
        offset: Query<Option<u64>>,
    ) -> Result<Json<EnrolmentPage>, ApiError> {
        reading::ensure_may_read_workshop(&state.db, &auth.0, id.0, WorkshopReading::Register)
            .await?;
        let found = service::list(
            &state.db,
            id.0,
            status.0.map(Into::into),
            page(limit.0, offset.0),
        )
        .await?;
        Ok(Json(EnrolmentPage::from(found)))
    }

    /// Get one enrolment
    #[oai(
        path = "/workshops/:id/enrolments/:enrolment_id",
        method = "get",
        operation_id = "get_enrolment"
    )]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: CanReadRegister,
        id: Path<i64>,
        enrolment_id: Path<i64>,
    ) -> Result<Json<Enrolment>, ApiError> {
        reading::ensure_may_read_workshop(&state.db, &auth.0, id.0, WorkshopReading::Register)
            .await?;
        Ok(Json(
            service::get(&state.db, id.0, enrolment_id.0).await?.into(),
        ))
    }

    /// Withdraw an enrolment
    ///
    /// The freed seat goes to the first waitlisted participant in the same transaction.
    #[oai(
        path = "/workshops/:id/enrolments/:enrolment_id",
        method = "delete",
        operation_id = "withdraw_enrolment"
    )]
    async fn withdraw(
        &self,
        state: Data<&AppState>,
        auth: CanEnrol,
        id: Path<i64>,
        enrolment_id: Path<i64>,
    ) -> Result<Json<Withdrawal>, ApiError> {
        let (withdrawn, promoted) = service::withdraw(
            &state.db,
            &auth.actor(),
            id.0,
            enrolment_id.0,
            state.config.public_url_trimmed(),
        )
        .await?;
        Ok(Json(Withdrawal {
            withdrawn: plain(withdrawn),
            promoted: promoted.map(plain),
        }))
    }

    /// My enrolments
    ///
    /// The enrolments of the participant record linked to the caller's account, newest first
    /// (empty for accounts without one).
    #[oai(
        path = "/me/enrolments",
        method = "get",
        operation_id = "list_my_enrolments"
    )]
    async fn mine(
        &self,
        state: Data<&AppState>,
        auth: Caller,
        /// How many to return (1–200, default 50).
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))]
        limit: Query<Option<u64>>,
        /// How many to skip (0–1,000,000,000).
        #[oai(validator(minimum(value = "0"), maximum(value = "1000000000")))]
        offset: Query<Option<u64>>,
    ) -> Result<Json<EnrolmentPage>, ApiError> {
        let Some(participant_id) = auth.0.participant_id() else {
            return Ok(Json(EnrolmentPage {
                items: vec![],
                total: 0,
            }));
        };
        let request: PageRequest = page(limit.0, offset.0);
        let found = service::for_participant(&state.db, participant_id, request).await?;
        Ok(Json(EnrolmentPage::from(found)))
    }
}

impl crate::webhook::Resource for entity::enrolment::Model {
    fn to_data(&self) -> serde_json::Value {
        super::webhooks::resource_data(plain(self.clone()))
    }
}

impl crate::webhook::Resource for crate::services::workshop_write::Enrolled {
    fn to_data(&self) -> serde_json::Value {
        super::webhooks::resource_data(Enrolment::from(EnrolmentView {
            enrolment: self.enrolment.clone(),
            waitlist_position: self.waitlist_position,
        }))
    }
}
