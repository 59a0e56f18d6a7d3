//! Public holidays: the calendar workshop schedules step over.

use crate::api::timestamp::Timestamp;
use chrono::NaiveDate;
use entity::public_holiday;
use poem::web::Data;
use poem_openapi::{
    ApiResponse, Object, OpenApi,
    param::{Header, Path, Query},
    payload::Json,
};

use super::{JsonBody, Tag, page};
use crate::{
    auth::{Caller, CanManageCatalogue},
    error::ApiError,
    services::holidays as service,
    state::AppState,
};

/// A new holiday, such as a national day of mourning or an election day.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct CreateHoliday {
    /// The day (2000-01-01 to 2100-12-31); one holiday per date.
    pub date: NaiveDate,
    /// What it is, e.g. "National day of mourning".
    #[oai(validator(min_length = 1, max_length = 120))]
    pub name: String,
}

/// A public holiday: no workshop day falls on it.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct Holiday {
    pub id: i64,
    pub date: NaiveDate,
    pub name: String,
    /// When it was recorded (for the seeded calendar: when the database was created).
    pub created_at: Timestamp,
}

impl From<public_holiday::Model> for Holiday {
    fn from(m: public_holiday::Model) -> Self {
        Self {
            id: m.id,
            date: m.date,
            name: m.name,
            created_at: m.created_at.into(),
        }
    }
}

wire_page! {
    /// A page of holidays.
    HolidayPage {
        /// The holidays on this page, by date.
        items: Vec<Holiday>,
        /// How many holidays the range holds in all.
        total,
    }
}

#[derive(ApiResponse)]
enum Created {
    /// The holiday was added.
    #[oai(status = 201)]
    Created(Json<Holiday>),
}

#[derive(ApiResponse)]
enum Deleted {
    /// The holiday was removed.
    #[oai(status = 204)]
    Deleted,
}

pub struct HolidayApi;

#[OpenApi(prefix_path = "/api/v1/holidays", tag = "Tag::Holidays")]
impl HolidayApi {
    /// List public holidays
    ///
    /// By date, from `from` to `to` inclusive (either may be left out). Zimbabwe's public
    /// holidays of 2020–2040 are there from the start, with a Sunday holiday also observed on
    /// the next working day; administrators add one-off days.
    #[oai(path = "/", method = "get", operation_id = "list_holidays")]
    async fn list(
        &self,
        state: Data<&AppState>,
        _auth: Caller,
        /// The first date (2000-01-01 to 2100-12-31).
        from: Query<Option<NaiveDate>>,
        /// The last date (2000-01-01 to 2100-12-31, not before `from`).
        to: Query<Option<NaiveDate>>,
        /// How many to return (1–200, default 50).
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))]
        limit: Query<Option<u64>>,
        /// How many to skip (0–1,000,000,000).
        #[oai(validator(minimum(value = "0"), maximum(value = "1000000000")))]
        offset: Query<Option<u64>>,
    ) -> Result<Json<HolidayPage>, ApiError> {
        let found = service::list(&state.db, from.0, to.0, page(limit.0, offset.0)).await?;
        Ok(Json(HolidayPage::from(found)))
    }

    /// Add a holiday
    ///
    /// Administrators only. A date that already has a holiday is 409. Workshops scheduled
    /// before keep their days: a workshop's days are fixed when it is scheduled or its start
    /// date changes.
    #[oai(path = "/", method = "post", operation_id = "create_holiday")]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: CanManageCatalogue,
        /// Makes a retry of this request return the first response instead of creating again.
        #[oai(name = "Idempotency-Key")]
        _idempotency_key: Header<Option<String>>,
        body: JsonBody<CreateHoliday>,
    ) -> Result<Created, ApiError> {
        let body = body.0;
        let created = service::create(&state.db, &auth.actor(), body.date, &body.name).await?;
        Ok(Created::Created(Json(created.into())))
    }

    /// Remove a holiday
    ///
    /// Administrators only. Workshops scheduled before keep their days.
    #[oai(path = "/:id", method = "delete", operation_id = "delete_holiday")]
    async fn delete(
        &self,
        state: Data<&AppState>,
        auth: CanManageCatalogue,
        id: Path<i64>,
    ) -> Result<Deleted, ApiError> {
        service::delete(&state.db, &auth.actor(), id.0).await?;
        Ok(Deleted::Deleted)
    }
}
