//! Workshops: five-day offerings of a course, their schedules, calendars and status.

use crate::api::timestamp::Timestamp;
use chrono::NaiveDate;
use entity::workshop::{Level as DbLevel, Status as DbStatus};
use poem::web::Data;
use poem_openapi::{
    ApiResponse, Object, OpenApi,
    param::{Header, Path, Query},
    payload::{Json, PlainText},
};

use super::{JsonBody, Tag, page};
use crate::{
    auth::{CanManageCatalogue, CanReadCatalogue},
    domain::workshop::Transition,
    error::ApiError,
    services::workshops::{
        self as service, NewWorkshop, WorkshopChanges, WorkshopFilter, WorkshopView,
    },
    state::AppState,
};

mirror_enum! {
    /// Where a workshop sits in the Training-of-Trainers cascade.
    Level <=> DbLevel {
        /// Training of Trainers: IWSD trains council supervisors and community champions.
        Tot,
        /// Newly certified trainers train community representatives.
        Cascade,
        /// Community representatives carry the training to their constituencies.
        Community,
    }
}

mirror_enum! {
    /// Where a workshop is in its life: `scheduled → in_progress → completed`, or `cancelled`.
    WorkshopStatus <=> DbStatus {
        Scheduled,
        InProgress,
        Completed,
        Cancelled,
    }
}

/// A new workshop.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct CreateWorkshop {
    /// The course taught.
    pub course_id: i64,
    /// `tot`, `cascade` or `community`.
    pub level: Level,
    /// For `cascade`: the completed ToT workshop it follows; for `community`: the completed
    /// cascade workshop. None for `tot`.
    pub parent_workshop_id: Option<i64>,
    /// Where it is held.
    #[oai(validator(min_length = 1, max_length = 200))]
    pub venue: String,
    /// The local authority or association it is held for.
    pub organisation_id: Option<i64>,
    /// The ward it serves.
    #[oai(validator(max_length = 64))]
    pub ward: Option<String>,
    /// The first day: a working day (Monday to Friday). Past dates record workshops that
    /// already ran.
    pub start_date: NaiveDate,
    /// Seats, 1–35 (default 35).
    #[oai(validator(minimum(value = "1"), maximum(value = "35")))]
    pub capacity: Option<i32>,
    /// The users (role `trainer`) who run it.
    #[oai(default, validator(max_items = 20))]
    pub trainer_ids: Vec<i64>,
    /// Listed in the public catalogue, where people can apply for a place (default false).
    #[oai(default)]
    pub public: bool,
}

/// Changes to a workshop that has not finished; fields left out keep their value.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct UpdateWorkshop {
    #[oai(validator(min_length = 1, max_length = 200))]
    pub venue: Option<String>,
    pub organisation_id: Option<i64>,
    #[oai(validator(max_length = 64))]
    pub ward: Option<String>,
    /// A new first day (only while `scheduled`).
    pub start_date: Option<NaiveDate>,
    /// New number of seats (1–35, not below the participants already enrolled). Extra seats go
    /// to the waitlist at once, in order.
    #[oai(validator(minimum(value = "1"), maximum(value = "35")))]
    pub capacity: Option<i32>,
    /// The new list of trainers, replacing the old one.
    #[oai(validator(max_items = 20))]
    pub trainer_ids: Option<Vec<i64>>,
    /// List the workshop in the public catalogue (`true`) or take it out (`false`).
    pub public: Option<bool>,
}

/// One day of a workshop.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct WorkshopDay {
    /// 1 for the first day.
    pub day: i32,
    pub date: NaiveDate,
    /// The course topics taught that day, in order.
    pub topics: Vec<String>,
}

/// A workshop.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct Workshop {
    pub id: i64,
    pub course_id: i64,
    /// The course's code, e.g. `CSSD`.
    pub course_code: String,
    pub course_title: String,
    pub level: Level,
    pub parent_workshop_id: Option<i64>,
    pub venue: String,
    pub organisation_id: Option<i64>,
    pub ward: Option<String>,
    pub start_date: NaiveDate,
    /// The last day.
    pub end_date: NaiveDate,
    pub capacity: i32,
    /// Enrolled participants.
    pub seats_taken: i32,
    pub seats_left: i32,
    /// Participants waiting for a seat.
    pub waitlist_count: i32,
    pub status: WorkshopStatus,
    /// Listed in the public catalogue (`GET /api/v1/public/workshops`), where people apply.
    pub public: bool,
    /// The users who run it.
    pub trainer_ids: Vec<i64>,
    /// One entry per course day, on consecutive working days.
    pub days: Vec<WorkshopDay>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

fn wire_days(days: Vec<service::WorkshopDay>) -> Vec<WorkshopDay> {
    days.into_iter()
        .map(|d| WorkshopDay {
            day: d.day,
            date: d.date,
            topics: d.topics,
        })
        .collect()
}

impl From<WorkshopView> for Workshop {
    fn from(v: WorkshopView) -> Self {
        let w = v.workshop;
        Self {
            id: w.id,
            course_id: w.course_id,
            course_code: v.course.code,
            course_title: v.course.title,
            level: w.level.into(),
            parent_workshop_id: w.parent_workshop_id,
            venue: w.venue,
            organisation_id: w.organisation_id,
            ward: w.ward,
            start_date: w.start_date,
            end_date: w.end_date,
            capacity: w.capacity,
            seats_taken: w.seats_taken,
            seats_left: (w.capacity - w.seats_taken).max(0),
            waitlist_count: w.waitlist_count,
            status: w.status.into(),
            public: w.public,
            trainer_ids: v.trainer_ids,
            days: wire_days(v.days),
            created_at: w.created_at.into(),
            updated_at: w.updated_at.into(),
        }
    }
}

wire_page! {
    /// A page of workshops.
    WorkshopPage of Workshop
}

/// A workshop's schedule.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct Schedule {
    pub workshop_id: i64,
    pub course_code: String,
    pub course_title: String,
    pub venue: String,
    pub days: Vec<WorkshopDay>,
}

#[derive(ApiResponse)]
enum Created {
    /// The workshop was scheduled.
    #[oai(status = 201)]
    Created(Json<Workshop>),
}

#[derive(ApiResponse)]
enum Calendar {
    /// An iCalendar file with one all-day event per workshop day.
    #[oai(status = 200, content_type = "text/calendar; charset=utf-8")]
    Ok(
        PlainText<String>,
        #[oai(header = "Content-Disposition")] String,
    ),
}

pub struct WorkshopApi;

#[OpenApi(prefix_path = "/api/v1/workshops", tag = "Tag::Workshops")]
impl WorkshopApi {
    /// Schedule a workshop
    ///
    /// Lays the course days out on consecutive working days from `start_date` (a weekend start
    /// is 422). A `cascade` workshop must follow a completed `tot` workshop of the same course,
    /// a `community` workshop a completed `cascade` one (409 otherwise). Trainers must be users
    /// with the trainer role (422).
    #[oai(path = "/", method = "post", operation_id = "create_workshop")]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: CanManageCatalogue,
        /// Makes a retry of this request return the first response instead of creating again.
        #[oai(name = "Idempotency-Key", validator(pattern = r"^[!-~]{1,200}$"))]
        _idempotency_key: Header<Option<String>>,
        body: JsonBody<CreateWorkshop>,
    ) -> Result<Created, ApiError> {
        let b = body.0;
        let new = NewWorkshop {
            course_id: b.course_id,
            level: b.level.into(),
            parent_workshop_id: b.parent_workshop_id,
            venue: b.venue,
            organisation_id: b.organisation_id,
            ward: b.ward,
            start_date: b.start_date,
            capacity: b.capacity,
            trainer_ids: b.trainer_ids,
            public: b.public,
        };
        let view = service::create(&state.db, &auth.actor(), new).await?;
        Ok(Created::Created(Json(view.into())))
    }

    /// List workshops
    ///
    /// By start date. `from` and `to` bound the start date (inclusive).
    #[oai(path = "/", method = "get", operation_id = "list_workshops")]
    #[allow(clippy::too_many_arguments)]
    async fn list(
        &self,
        state: Data<&AppState>,
        _auth: CanReadCatalogue,
        course_id: Query<Option<i64>>,
        level: Query<Option<Level>>,
        status: Query<Option<WorkshopStatus>>,
        /// Only workshops starting on or after this date.
        from: Query<Option<NaiveDate>>,
        /// Only workshops starting on or before this date.
        to: Query<Option<NaiveDate>>,
        organisation_id: Query<Option<i64>>,
        /// Only workshops this trainer (user id) runs.
        trainer_id: Query<Option<i64>>,
        /// How many to return (1–200, default 50).
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))]
        limit: Query<Option<u64>>,
        /// How many to skip (0–1,000,000,000).
        #[oai(validator(minimum(value = "0"), maximum(value = "1000000000")))]
        offset: Query<Option<u64>>,
    ) -> Result<Json<WorkshopPage>, ApiError> {
        super::check_date_range(from.0, to.0)?;
        let filter = WorkshopFilter {
            course_id: course_id.0,
            level: level.0.map(Into::into),
            status: status.0.map(Into::into),
            from: from.0,
            to: to.0,
            organisation_id: organisation_id.0,
            trainer_id: trainer_id.0,
        };
        let found = service::list(&state.db, filter, page(limit.0, offset.0)).await?;
        Ok(Json(WorkshopPage::from(found)))
    }

    /// Get one workshop
    ///
    /// With its seats (`capacity`, `seats_taken`, `seats_left`, `waitlist_count`), status,
    /// trainers and days.
    #[oai(path = "/:id", method = "get", operation_id = "get_workshop")]
    async fn get(
        &self,
        state: Data<&AppState>,
        _auth: CanReadCatalogue,
        id: Path<i64>,
    ) -> Result<Json<Workshop>, ApiError> {
        Ok(Json(service::get(&state.db, id.0).await?.into()))
    }

    /// Change a workshop
    ///
    /// Only before it finishes. Capacity may not drop below the participants enrolled (409).
    #[oai(path = "/:id", method = "patch", operation_id = "update_workshop")]
    async fn update(
        &self,
        state: Data<&AppState>,
        auth: CanManageCatalogue,
        id: Path<i64>,
        body: JsonBody<UpdateWorkshop>,
    ) -> Result<Json<Workshop>, ApiError> {
        let b = body.0;
        let changes = WorkshopChanges {
            venue: b.venue,
            organisation_id: b.organisation_id.map(Some),
            ward: b.ward.map(Some),
            start_date: b.start_date,
            capacity: b.capacity,
            trainer_ids: b.trainer_ids,
            public: b.public,
        };
        Ok(Json(
            service::update(
                &state.db,
                &auth.actor(),
                id.0,
                changes,
                state.config.public_url_trimmed(),
            )
            .await?
            .into(),
        ))
    }

    /// The workshop's schedule
    ///
    /// Its days with their dates and the course topics spread over them in order.
    #[oai(
        path = "/:id/schedule",
        method = "get",
        operation_id = "get_workshop_schedule"
    )]
    async fn schedule(
        &self,
        state: Data<&AppState>,
        _auth: CanReadCatalogue,
        id: Path<i64>,
    ) -> Result<Json<Schedule>, ApiError> {
        let view = service::get(&state.db, id.0).await?;
        Ok(Json(Schedule {
            workshop_id: view.workshop.id,
            course_code: view.course.code,
            course_title: view.course.title,
            venue: view.workshop.venue,
            days: wire_days(view.days),
        }))
    }

    /// The workshop as an iCalendar file
    ///
    /// One all-day event per workshop day, with the venue and the day's topics, for importing
    /// into a calendar.
    #[oai(
        path = "/:id/calendar.ics",
        method = "get",
        operation_id = "get_workshop_calendar"
    )]
    async fn calendar(
        &self,
        state: Data<&AppState>,
        _auth: CanReadCatalogue,
        id: Path<i64>,
    ) -> Result<Calendar, ApiError> {
        let view = service::get(&state.db, id.0).await?;
        let ics = crate::calendar::workshop_calendar(&view, state.config.public_url_trimmed());
        Ok(Calendar::Ok(
            PlainText(ics),
            format!("attachment; filename=\"workshop-{}.ics\"", id.0),
        ))
    }

    /// Start a workshop
    ///
    /// `scheduled → in_progress`; any other status is 409.
    #[oai(path = "/:id/start", method = "post", operation_id = "start_workshop")]
    async fn start(
        &self,
        state: Data<&AppState>,
        auth: CanManageCatalogue,
        id: Path<i64>,
    ) -> Result<Json<Workshop>, ApiError> {
        change_status(&state, &auth, id.0, Transition::Start).await
    }

    /// Complete a workshop
    ///
    /// From `in_progress`, or straight from `scheduled` for a workshop recorded after the fact;
    /// 409 before its last day has begun (Harare time) or from any other status.
    #[oai(
        path = "/:id/complete",
        method = "post",
        operation_id = "complete_workshop"
    )]
    async fn complete(
        &self,
        state: Data<&AppState>,
        auth: CanManageCatalogue,
        id: Path<i64>,
    ) -> Result<Json<Workshop>, ApiError> {
        change_status(&state, &auth, id.0, Transition::Complete).await
    }

    /// Cancel a workshop
    ///
    /// Not once completed (409).
    #[oai(
        path = "/:id/cancel",
        method = "post",
        operation_id = "cancel_workshop"
    )]
    async fn cancel(
        &self,
        state: Data<&AppState>,
        auth: CanManageCatalogue,
        id: Path<i64>,
    ) -> Result<Json<Workshop>, ApiError> {
        change_status(&state, &auth, id.0, Transition::Cancel).await
    }
}

/// Moves a workshop along its life (the start, complete and cancel operations).
async fn change_status(
    state: &AppState,
    auth: &CanManageCatalogue,
    id: i64,
    transition: Transition,
) -> Result<Json<Workshop>, ApiError> {
    let workshop = service::change_status(
        &state.db,
        &auth.actor(),
        id,
        transition,
        state.config.public_url_trimmed(),
    )
    .await?;
    Ok(Json(workshop.into()))
}

impl crate::webhook::Resource for WorkshopView {
    fn to_data(&self) -> serde_json::Value {
        super::webhooks::resource_data(Workshop::from(self.clone()))
    }
}
