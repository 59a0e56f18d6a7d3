//! Courses: what IWSD teaches, how long it runs, its topics and what it takes to pass.

use crate::api::timestamp::Timestamp;

use entity::course;
use poem::web::Data;
use poem_openapi::{
    ApiResponse, Object, OpenApi, param::Path, param::Query, payload::Json, types::MaybeUndefined,
};

use super::{JsonBody, Tag, page};
use crate::{
    auth::{CanManageCatalogue, CanReadCatalogue},
    domain::course::CourseChanges,
    error::ApiError,
    services::courses as service,
    state::AppState,
};

/// A new course.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct CreateCourse {
    /// Short unique code, letters, digits, `-` and `_`; stored upper-case (it appears in
    /// certificate numbers, e.g. `IWSD-CSSD-2026-000001`).
    #[oai(validator(min_length = 1, max_length = 16))]
    pub code: String,
    /// Full title, e.g. "Community Support to Service Delivery".
    #[oai(validator(min_length = 1, max_length = 200))]
    pub title: String,
    /// What the course is about.
    #[oai(validator(max_length = 4000))]
    pub description: Option<String>,
    /// Number of teaching days (1–10, default 5). Workshops lay these out on working days.
    #[oai(validator(minimum(value = "1"), maximum(value = "10")))]
    pub duration_days: Option<i32>,
    /// Topics in teaching order; they are spread over the workshop days in this order.
    #[oai(validator(max_items = 60, max_length = 200))]
    pub topics: Option<Vec<String>>,
    /// Post-test score, in percent, needed for a certificate (0–100, default 60).
    #[oai(validator(minimum(value = "0"), maximum(value = "100")))]
    pub pass_mark: Option<i32>,
    /// Days a participant must attend (present or late) for a certificate; default: every day.
    #[oai(validator(minimum(value = "1"), maximum(value = "10")))]
    pub min_attendance_days: Option<i32>,
    /// Months a ToT certificate of this course entitles its holder to lead cascade and
    /// community workshops, counted from the ToT workshop's last day (1–600); null or left out:
    /// no expiry.
    #[oai(validator(minimum(value = "1"), maximum(value = "600")))]
    pub trainer_certificate_valid_months: Option<i32>,
}

/// Changes to a course; fields left out keep their value.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct UpdateCourse {
    /// New unique code.
    #[oai(validator(min_length = 1, max_length = 16))]
    pub code: Option<String>,
    /// New title.
    #[oai(validator(min_length = 1, max_length = 200))]
    pub title: Option<String>,
    /// New description.
    #[oai(validator(max_length = 4000))]
    pub description: Option<String>,
    /// New number of days (1–10).
    #[oai(validator(minimum(value = "1"), maximum(value = "10")))]
    pub duration_days: Option<i32>,
    /// The new list of topics, replacing the old one.
    #[oai(validator(max_items = 60, max_length = 200))]
    pub topics: Option<Vec<String>>,
    /// New pass mark in percent (0–100).
    #[oai(validator(minimum(value = "0"), maximum(value = "100")))]
    pub pass_mark: Option<i32>,
    /// New minimum attendance in days (at most `duration_days`).
    #[oai(validator(minimum(value = "1"), maximum(value = "10")))]
    pub min_attendance_days: Option<i32>,
    /// New validity of ToT certificates in months (1–600); `null` removes the expiry.
    #[oai(validator(minimum(value = "1"), maximum(value = "600")))]
    pub trainer_certificate_valid_months: MaybeUndefined<i32>,
}

impl From<CreateCourse> for CourseChanges {
    fn from(c: CreateCourse) -> Self {
        Self {
            code: Some(c.code),
            title: Some(c.title),
            description: c.description,
            duration_days: c.duration_days,
            topics: c.topics,
            pass_mark: c.pass_mark,
            min_attendance_days: c.min_attendance_days,
            trainer_certificate_valid_months: Some(c.trainer_certificate_valid_months),
        }
    }
}

impl From<UpdateCourse> for CourseChanges {
    fn from(c: UpdateCourse) -> Self {
        Self {
            code: c.code,
            title: c.title,
            description: c.description,
            duration_days: c.duration_days,
            topics: c.topics,
            pass_mark: c.pass_mark,
            min_attendance_days: c.min_attendance_days,
            trainer_certificate_valid_months: match c.trainer_certificate_valid_months {
                MaybeUndefined::Undefined => None,
                MaybeUndefined::Null => Some(None),
                MaybeUndefined::Value(months) => Some(Some(months)),
            },
        }
    }
}

/// A course.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct Course {
    pub id: i64,
    /// Unique upper-case code, e.g. `CSSD`.
    pub code: String,
    /// Full title.
    pub title: String,
    /// What the course is about.
    pub description: String,
    /// Number of teaching days.
    pub duration_days: i32,
    /// Topics in teaching order.
    pub topics: Vec<String>,
    /// Post-test percentage needed for a certificate.
    pub pass_mark: i32,
    /// Days a participant must attend (present or late) for a certificate.
    pub min_attendance_days: i32,
    /// Months a ToT certificate of this course entitles its holder to train others, from the
    /// ToT workshop's last day; left out when it never expires.
    pub trainer_certificate_valid_months: Option<i32>,
    /// When the course was created.
    pub created_at: Timestamp,
    /// When it last changed.
    pub updated_at: Timestamp,
}

impl From<course::Model> for Course {
    fn from(m: course::Model) -> Self {
        let topics = m.topic_list();
        Self {
            id: m.id,
            code: m.code,
            title: m.title,
            description: m.description,
            duration_days: m.duration_days,
            topics,
            pass_mark: m.pass_mark,
            min_attendance_days: m.min_attendance_days,
            trainer_certificate_valid_months: m.trainer_certificate_valid_months,
            created_at: m.created_at.into(),
            updated_at: m.updated_at.into(),
        }
    }
}

wire_page! {
    /// A page of courses.
    CoursePage {
        /// The courses on this page.
        items: Vec<Course>,
        /// How many courses there are in all.
        total,
    }
}

#[derive(ApiResponse)]
enum Created {
    /// The course was created.
    #[oai(status = 201)]
    Created(Json<Course>),
}

pub struct CourseApi;

#[OpenApi(prefix_path = "/api/v1/courses", tag = "Tag::Courses")]
impl CourseApi {
    /// Create a course
    ///
    /// Administrators only. A code already in use is 409. `min_attendance_days` may not exceed
    /// `duration_days` (422).
    #[oai(path = "/", method = "post", operation_id = "create_course")]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: CanManageCatalogue,
        body: JsonBody<CreateCourse>,
    ) -> Result<Created, ApiError> {
        let model = service::create(&state.db, &auth.actor(), body.0.into()).await?;
        Ok(Created::Created(Json(model.into())))
    }

    /// List courses
    ///
    /// Ordered by code.
    #[oai(path = "/", method = "get", operation_id = "list_courses")]
    async fn list(
        &self,
        state: Data<&AppState>,
        _auth: CanReadCatalogue,
        /// How many to return (1–200, default 50).
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))]
        limit: Query<Option<u64>>,
        /// How many to skip (0–1,000,000,000).
        #[oai(validator(minimum(value = "0"), maximum(value = "1000000000")))]
        offset: Query<Option<u64>>,
    ) -> Result<Json<CoursePage>, ApiError> {
        let found = service::list(&state.db, page(limit.0, offset.0)).await?;
        Ok(Json(CoursePage::from(found)))
    }

    /// Get one course
    #[oai(path = "/:id", method = "get", operation_id = "get_course")]
    async fn get(
        &self,
        state: Data<&AppState>,
        _auth: CanReadCatalogue,
        id: Path<i64>,
    ) -> Result<Json<Course>, ApiError> {
        Ok(Json(service::get(&state.db, id.0).await?.into()))
    }

    /// Change a course
    ///
    /// Administrators only. Only the fields given change; the result must satisfy every rule a
    /// new course does. Certificates already issued keep the title they printed.
    #[oai(path = "/:id", method = "patch", operation_id = "update_course")]
    async fn update(
        &self,
        state: Data<&AppState>,
        auth: CanManageCatalogue,
        id: Path<i64>,
        body: JsonBody<UpdateCourse>,
    ) -> Result<Json<Course>, ApiError> {
        let updated = service::update(&state.db, &auth.actor(), id.0, body.0.into()).await?;
        Ok(Json(updated.into()))
    }
}
