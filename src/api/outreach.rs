//! Outreach: the meetings certified community representatives hold with their constituencies —
//! the last step of the cascade. Headcounts only, no names.

use crate::api::timestamp::Timestamp;
use chrono::NaiveDate;
use poem::web::Data;
use poem_openapi::{
    ApiResponse, Object, OpenApi,
    param::{Header, Query},
    payload::Json,
};

use super::{JsonBody, Tag, page};
use crate::{
    auth::{Caller, CanRecordOutreach},
    domain::outreach::{AgeBands as DomainAgeBands, Attendees as DomainAttendees},
    error::ApiError,
    services::outreach::{self as service, NewOutreach, OutreachFilter, OutreachView},
    state::AppState,
};

/// The people at a meeting, by gender.
#[derive(Debug, Clone, Copy, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct Attendees {
    #[oai(validator(minimum(value = "0"), maximum(value = "100000")))]
    pub female: i32,
    #[oai(validator(minimum(value = "0"), maximum(value = "100000")))]
    pub male: i32,
    #[oai(validator(minimum(value = "0"), maximum(value = "100000")))]
    pub other: i32,
    #[oai(validator(minimum(value = "0"), maximum(value = "100000")))]
    pub undisclosed: i32,
}

/// The people at a meeting, by age; they add up to the same total as `attendees`.
#[derive(Debug, Clone, Copy, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct AgeBands {
    #[oai(validator(minimum(value = "0"), maximum(value = "100000")))]
    pub under_18: i32,
    #[oai(validator(minimum(value = "0"), maximum(value = "100000")))]
    pub age_18_35: i32,
    #[oai(validator(minimum(value = "0"), maximum(value = "100000")))]
    pub age_36_59: i32,
    #[oai(validator(minimum(value = "0"), maximum(value = "100000")))]
    pub age_60_plus: i32,
}

impl From<Attendees> for DomainAttendees {
    fn from(a: Attendees) -> Self {
        Self {
            female: a.female,
            male: a.male,
            other: a.other,
            undisclosed: a.undisclosed,
        }
    }
}

impl From<DomainAttendees> for Attendees {
    fn from(a: DomainAttendees) -> Self {
        Self {
            female: a.female,
            male: a.male,
            other: a.other,
            undisclosed: a.undisclosed,
        }
    }
}

impl From<AgeBands> for DomainAgeBands {
    fn from(b: AgeBands) -> Self {
        Self {
            under_18: b.under_18,
            age_18_35: b.age_18_35,
            age_36_59: b.age_36_59,
            age_60_plus: b.age_60_plus,
        }
    }
}

impl From<DomainAgeBands> for AgeBands {
    fn from(b: DomainAgeBands) -> Self {
        Self {
            under_18: b.under_18,
            age_18_35: b.age_18_35,
            age_36_59: b.age_36_59,
            age_60_plus: b.age_60_plus,
        }
    }
}

/// A meeting to record.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct CreateOutreach {
    /// Who held the meeting: a holder of a valid certificate from `workshop_id`.
    pub participant_id: i64,
    /// The workshop whose course the meeting passed on.
    pub workshop_id: i64,
    /// The day it was held: not in the future, within 2000-01-01..=2100-12-31.
    pub held_on: NaiveDate,
    #[oai(validator(max_length = 200))]
    pub venue: String,
    #[oai(validator(max_length = 64))]
    pub ward: Option<String>,
    /// Topics of the workshop's course that the meeting covered (at least one).
    #[oai(validator(min_items = 1, max_items = 50))]
    pub topics: Vec<String>,
    pub attendees: Attendees,
    pub age_bands: Option<AgeBands>,
}

/// A recorded meeting.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct Outreach {
    pub id: i64,
    pub participant_id: i64,
    pub workshop_id: i64,
    pub held_on: NaiveDate,
    pub venue: String,
    pub ward: Option<String>,
    pub topics: Vec<String>,
    pub attendees: Attendees,
    pub age_bands: Option<AgeBands>,
    /// Everyone at the meeting (the attendees' sum).
    pub people_reached: i32,
    pub created_at: Timestamp,
}

impl From<OutreachView> for Outreach {
    fn from(v: OutreachView) -> Self {
        let r = v.record;
        Self {
            id: r.id,
            participant_id: r.participant_id,
            workshop_id: r.workshop_id,
            held_on: r.held_on,
            venue: r.venue,
            ward: r.ward,
            topics: v.topics,
            attendees: v.attendees.into(),
            age_bands: v.age_bands.map(Into::into),
            people_reached: r.people_reached,
            created_at: r.created_at.into(),
        }
    }
}

wire_page! {
    /// A page of outreach records.
    OutreachPage of Outreach
}

#[derive(ApiResponse)]
enum Created {
    /// The meeting is recorded and counts in the cascade and the summary report.
    #[oai(status = 201)]
    Created(Json<Outreach>),
}

fn check_dates(from: Option<NaiveDate>, to: Option<NaiveDate>) -> Result<(), ApiError> {
    super::check_date_range(from, to)
}

pub struct OutreachApi;

#[OpenApi(prefix_path = "/api/v1/outreach", tag = "Tag::Outreach")]
impl OutreachApi {
    /// Record an outreach meeting
    ///
    /// By an administrator, a trainer of `workshop_id`, or the participant who held it. The
    /// participant holds a valid certificate from `workshop_id`, the topics come from its
    /// course, the age bands (when given) add up to the attendees, and `held_on` is not in the
    /// future (422 otherwise, naming the field).
    #[oai(path = "/", method = "post", operation_id = "create_outreach")]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: CanRecordOutreach,
        /// Makes a retry of this request return the first response instead of recording again.
        #[oai(name = "Idempotency-Key")]
        _idempotency_key: Header<Option<String>>,
        body: JsonBody<CreateOutreach>,
    ) -> Result<Created, ApiError> {
        let b = body.0;
        let new = NewOutreach {
            participant_id: b.participant_id,
            workshop_id: b.workshop_id,
            held_on: b.held_on,
            venue: b.venue,
            ward: b.ward,
            topics: b.topics,
            attendees: b.attendees.into(),
            age_bands: b.age_bands.map(Into::into),
        };
        let saved = service::record(&state.db, &auth.0, new).await?;
        Ok(Created::Created(Json(saved.into())))
    }

    /// List outreach meetings
    ///
    /// The most recent first, filtered by workshop, participant and the dates held (`from`,
    /// `to`, inclusive). Administrators, trainers and `read` keys see every record; a
    /// participant sees their own.
    #[oai(path = "/", method = "get", operation_id = "list_outreach")]
    #[allow(clippy::too_many_arguments)]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: Caller,
        workshop_id: Query<Option<i64>>,
        participant_id: Query<Option<i64>>,
        /// Held on or after this date.
        from: Query<Option<NaiveDate>>,
        /// Held on or before this date.
        to: Query<Option<NaiveDate>>,
        /// How many to return (1–200, default 50).
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))]
        limit: Query<Option<u64>>,
        /// How many to skip (0–1,000,000,000).
        #[oai(validator(minimum(value = "0"), maximum(value = "1000000000")))]
        offset: Query<Option<u64>>,
    ) -> Result<Json<OutreachPage>, ApiError> {
        check_dates(from.0, to.0)?;
        let filter = OutreachFilter {
            workshop_id: workshop_id.0,
            participant_id: participant_id.0,
            from: from.0,
            to: to.0,
        };
        let page_request = page(limit.0, offset.0);
        let Some(filter) = service::visible_to(&auth.0, filter)? else {
            return Ok(Json(OutreachPage {
                items: vec![],
                total: 0,
            }));
        };
        let found = service::list(&state.db, filter, page_request).await?;
        Ok(Json(found.into()))
    }
}
