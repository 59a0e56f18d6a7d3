//! Reports and CSV exports for IWSD: who was trained, where, in which roles, how many certified.

use chrono::NaiveDate;
use poem::web::Data;
use poem_openapi::{
    Object, OpenApi,
    param::{Path, Query},
    payload::Json,
};

use super::{Tag, csv_export::CsvFile};
use crate::{
    auth::{CanManageCertificates, CanReadParticipants, CanReadRegister},
    domain::{access::WorkshopReading, figures},
    error::ApiError,
    services::csv_export,
    services::{
        reading,
        reports::{self, Breakdown, Count, CourseFigure, ReportFilter, Summary},
    },
    state::AppState,
};

/// One group of a breakdown.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct GroupCount {
    /// The group: a course code, level, target group, gender, or organisation id (`none`).
    pub key: String,
    /// A readable name for the group.
    pub label: String,
    pub count: i64,
}

/// A population broken down every way IWSD reports it.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct PeopleBreakdown {
    pub total: i64,
    pub by_course: Vec<GroupCount>,
    pub by_level: Vec<GroupCount>,
    pub by_target_group: Vec<GroupCount>,
    pub by_gender: Vec<GroupCount>,
    /// By the participant's organisation.
    pub by_organisation: Vec<GroupCount>,
    /// By the province of the participant's organisation (`bulawayo`, `harare`, …;
    /// `unrecorded` for an organisation without a province, `none` without an organisation).
    /// The counts add up to `total`.
    pub by_province: Vec<GroupCount>,
    /// By age on the workshop's start date: `15-24`, `25-34`, `35-49`, `50-64`, `65+`
    /// (the age reached that year; the youngest band also takes anyone younger), `unrecorded`
    /// without a birth year. Youngest first; the counts add up to `total`.
    pub by_age_band: Vec<GroupCount>,
    /// By the Washington Group Short Set's cut-off: `with_disability` (at least one domain
    /// `a_lot_of_difficulty` or `cannot_do_at_all`), `without_disability`, `unrecorded` (not
    /// asked, or every question declined). The counts add up to `total`.
    pub by_disability: Vec<GroupCount>,
}

/// A per-course figure and the number of observations behind it.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct CourseValue {
    pub course_code: String,
    pub value: f64,
    pub basis: i64,
}

/// Workshop counts.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct WorkshopCounts {
    pub total: i64,
    pub by_course: Vec<GroupCount>,
    pub by_level: Vec<GroupCount>,
    pub by_status: Vec<GroupCount>,
}

/// Outreach: meetings held by people certified in the selected workshops, and the people they
/// reached, by gender.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct OutreachFigures {
    pub sessions: i64,
    pub people_reached: i64,
    pub female: i64,
    pub male: i64,
    pub other: i64,
    pub undisclosed: i64,
}

/// The summary report.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct SummaryReport {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub organisation_id: Option<i64>,
    pub workshops: WorkshopCounts,
    /// Distinct people holding a seat.
    pub distinct_participants: i64,
    /// Enrolments holding a seat.
    pub enrolled: PeopleBreakdown,
    /// Valid certificates.
    pub certified: PeopleBreakdown,
    /// Share (0–1) of possible participant-days attended (present or late), completed workshops.
    pub attendance_rate_by_course: Vec<CourseValue>,
    /// Mean post-test minus pre-test, in percentage points.
    pub knowledge_gain_by_course: Vec<CourseValue>,
    /// The cascade's last mile: outreach meetings and people reached.
    pub outreach: OutreachFigures,
}

fn groups(counts: Vec<Count>) -> Vec<GroupCount> {
    counts
        .into_iter()
        .map(|c| GroupCount {
            key: c.key,
            label: c.label,
            count: c.count,
        })
        .collect()
}

fn people(b: Breakdown) -> PeopleBreakdown {
    PeopleBreakdown {
        total: b.total,
        by_course: groups(b.by_course),
        by_level: groups(b.by_level),
        by_target_group: groups(b.by_target_group),
        by_gender: groups(b.by_gender),
        by_organisation: groups(b.by_organisation),
        by_province: groups(b.by_province),
        by_age_band: groups(b.by_age_band),
        by_disability: groups(b.by_disability),
    }
}

/// Per-course figures, rounded as people read them (`round`: [`figures::share`] for a rate,
/// [`figures::percent`] for percentage points).
fn figures(f: Vec<CourseFigure>, round: fn(f64) -> f64) -> Vec<CourseValue> {
    f.into_iter()
        .map(|f| CourseValue {
            course_code: f.course_code,
            value: round(f.value),
            basis: f.basis,
        })
        .collect()
}

fn report(filter: &ReportFilter, s: Summary) -> SummaryReport {
    SummaryReport {
        from: filter.from,
        to: filter.to,
        organisation_id: filter.organisation_id,
        workshops: WorkshopCounts {
            total: s.workshops_total,
            by_course: groups(s.workshops_by_course),
            by_level: groups(s.workshops_by_level),
            by_status: groups(s.workshops_by_status),
        },
        distinct_participants: s.distinct_participants,
        enrolled: people(s.enrolled),
        certified: people(s.certified),
        attendance_rate_by_course: figures(s.attendance_rate_by_course, figures::share),
        knowledge_gain_by_course: figures(s.knowledge_gain_by_course, figures::percent),
        outreach: OutreachFigures {
            sessions: s.outreach.sessions,
            people_reached: s.outreach.people_reached,
            female: s.outreach.female,
            male: s.outreach.male,
            other: s.outreach.other,
            undisclosed: s.outreach.undisclosed,
        },
    }
}

fn filter(
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    organisation_id: Option<i64>,
) -> Result<ReportFilter, ApiError> {
    super::check_date_range(from, to)?;
    Ok(ReportFilter {
        from,
        to,
        organisation_id,
    })
}

pub struct ReportApi;

#[OpenApi(prefix_path = "/api/v1", tag = "Tag::Reports")]
impl ReportApi {
    /// Summary report
    ///
    /// Workshops by course, level and status; participants enrolled and certified by course,
    /// level, target group, gender, organisation and province; attendance rate and knowledge gain by
    /// course — over workshops starting between `from` and `to` (inclusive), optionally for one
    /// organisation. Computed in the database.
    #[oai(
        path = "/reports/summary",
        method = "get",
        operation_id = "get_summary_report"
    )]
    async fn summary(
        &self,
        state: Data<&AppState>,
        _auth: CanReadParticipants,
        from: Query<Option<NaiveDate>>,
        to: Query<Option<NaiveDate>>,
        organisation_id: Query<Option<i64>>,
    ) -> Result<Json<SummaryReport>, ApiError> {
        let filter = filter(from.0, to.0, organisation_id.0)?;
        let summary = reports::summary(&state.db, &filter).await?;
        Ok(Json(report(&filter, summary)))
    }

    /// Summary report as CSV
    ///
    /// The same figures as `GET /api/v1/reports/summary`, one row per group:
    /// `section, key, label, value`.
    #[oai(
        path = "/reports/summary.csv",
        method = "get",
        operation_id = "get_summary_report_csv"
    )]
    async fn summary_csv(
        &self,
        state: Data<&AppState>,
        _auth: CanReadParticipants,
        from: Query<Option<NaiveDate>>,
        to: Query<Option<NaiveDate>>,
        organisation_id: Query<Option<i64>>,
    ) -> Result<CsvFile, ApiError> {
        let filter = filter(from.0, to.0, organisation_id.0)?;
        Ok(csv_export::summary(&state.db, &filter).await?.into())
    }

    /// A workshop's roster as CSV
    ///
    /// Every enrolment in queue order with the participant's details and status.
    #[oai(
        path = "/workshops/:id/roster.csv",
        method = "get",
        operation_id = "get_workshop_roster_csv"
    )]
    async fn roster(
        &self,
        state: Data<&AppState>,
        auth: CanReadRegister,
        id: Path<i64>,
    ) -> Result<CsvFile, ApiError> {
        reading::ensure_may_read_workshop(
            &state.db,
            &auth.0,
            id.0,
            WorkshopReading::ContactDetails,
        )
        .await?;
        Ok(csv_export::roster(&state.db, id.0).await?.into())
    }

    /// Certificates as CSV
    ///
    /// Every certificate issued between `from` and `to` (inclusive issue dates).
    #[oai(
        path = "/certificates.csv",
        method = "get",
        operation_id = "get_certificates_csv"
    )]
    async fn certificates(
        &self,
        state: Data<&AppState>,
        _auth: CanManageCertificates,
        from: Query<Option<NaiveDate>>,
        to: Query<Option<NaiveDate>>,
    ) -> Result<CsvFile, ApiError> {
        Ok(csv_export::certificates(&state.db, from.0, to.0)
            .await?
            .into())
    }
}
