//! Reports and CSV exports for IWSD: who was trained, where, in which roles, how many certified.

use chrono::NaiveDate;
use poem::web::Data;
use poem_openapi::{
    Object, OpenApi,
    param::{Path, Query},
    payload::Json,
};
use sea_orm::ActiveEnum;

use super::{
    Tag,
    csv_export::{CsvFile, csv_file},
};
use crate::{
    AppState,
    auth::{CanManageCertificates, CanReadParticipants, CanReadRegister},
    domain::{access::WorkshopReading, figures},
    error::ApiError,
    services::{
        PageRequest,
        certificates::{self, CertificateFilter},
        enrolments, reading,
        reports::{self, Breakdown, Count, CourseFigure, ReportFilter, Summary},
    },
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

const EVERYTHING: PageRequest = PageRequest {
    limit: 1_000_000,
    offset: 0,
};

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
        let s = reports::summary(&state.db, &filter).await?;
        let total = |section: &str, label: &str, n: i64| {
            vec![
                section.to_owned(),
                "total".to_owned(),
                label.to_owned(),
                n.to_string(),
            ]
        };
        // The totals first, as in the JSON: workshops, distinct people, seats, certificates.
        let mut rows = vec![
            total("workshops", "All workshops", s.workshops_total),
            total(
                "participants",
                "Distinct people holding a seat",
                s.distinct_participants,
            ),
            total("enrolled", "Enrolments holding a seat", s.enrolled.total),
            total("certified", "Valid certificates", s.certified.total),
        ];
        let mut add = |section: &str, counts: &[Count]| {
            for c in counts {
                rows.push(vec![
                    section.to_owned(),
                    c.key.clone(),
                    c.label.clone(),
                    c.count.to_string(),
                ]);
            }
        };
        add("workshops by course", &s.workshops_by_course);
        add("workshops by level", &s.workshops_by_level);
        add("workshops by status", &s.workshops_by_status);
        for (name, b) in [("enrolled", &s.enrolled), ("certified", &s.certified)] {
            add(&format!("{name} by course"), &b.by_course);
            add(&format!("{name} by level"), &b.by_level);
            add(&format!("{name} by target group"), &b.by_target_group);
            add(&format!("{name} by gender"), &b.by_gender);
            add(&format!("{name} by organisation"), &b.by_organisation);
            add(&format!("{name} by province"), &b.by_province);
        }
        for f in &s.attendance_rate_by_course {
            rows.push(vec![
                "attendance rate".into(),
                f.course_code.clone(),
                f.course_code.clone(),
                figures::share(f.value).to_string(),
            ]);
        }
        for f in &s.knowledge_gain_by_course {
            rows.push(vec![
                "knowledge gain (points)".into(),
                f.course_code.clone(),
                f.course_code.clone(),
                figures::percent(f.value).to_string(),
            ]);
        }
        let o = &s.outreach;
        for (key, label, value) in [
            ("sessions", "Outreach meetings", o.sessions),
            ("people_reached", "People reached", o.people_reached),
            ("female", "People reached: female", o.female),
            ("male", "People reached: male", o.male),
            ("other", "People reached: other", o.other),
            ("undisclosed", "People reached: undisclosed", o.undisclosed),
        ] {
            rows.push(vec![
                "outreach".into(),
                key.into(),
                label.into(),
                value.to_string(),
            ]);
        }
        csv_file("summary.csv", ["section", "key", "label", "value"], rows)
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
        let roster = enrolments::roster(&state.db, id.0).await?;
        let mut rows = Vec::with_capacity(roster.len());
        for line in roster {
            let (e, p) = (line.enrolment, line.participant);
            rows.push(vec![
                e.id.to_string(),
                p.full_name,
                p.email.unwrap_or_default(),
                p.phone.unwrap_or_default(),
                p.gender.map(|g| g.to_value()).unwrap_or_default(),
                p.target_group.to_value(),
                p.ward.unwrap_or_default(),
                e.status.to_value(),
                line.waitlist_position
                    .map(|n| n.to_string())
                    .unwrap_or_default(),
            ]);
        }
        let header = [
            "enrolment_id",
            "full_name",
            "email",
            "phone",
            "gender",
            "target_group",
            "ward",
            "status",
            "waitlist_position",
        ];
        csv_file(&format!("workshop-{}-roster.csv", id.0), header, rows)
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
        filter(from.0, to.0, None)?;
        let filter = CertificateFilter {
            issued_from: from.0,
            issued_to: to.0,
            ..Default::default()
        };
        let all = certificates::list(&state.db, filter, EVERYTHING).await?;
        let rows: Vec<Vec<String>> = all
            .items
            .into_iter()
            .rev()
            .map(|c| {
                vec![
                    c.number,
                    c.holder_name,
                    c.course_code,
                    c.course_title,
                    serde_json::json!(c.level)
                        .as_str()
                        .unwrap_or_default()
                        .to_owned(),
                    c.workshop_id.to_string(),
                    c.start_date.to_string(),
                    c.end_date.to_string(),
                    c.venue,
                    c.issued_on.to_string(),
                    serde_json::json!(c.status)
                        .as_str()
                        .unwrap_or_default()
                        .to_owned(),
                    c.verification_url,
                ]
            })
            .collect();
        let header = [
            "number",
            "holder_name",
            "course_code",
            "course_title",
            "level",
            "workshop_id",
            "start_date",
            "end_date",
            "venue",
            "issued_on",
            "status",
            "verification_url",
        ];
        csv_file("certificates.csv", header, rows)
    }
}
