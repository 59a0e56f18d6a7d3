//! Attendance registers, assessment scores and results, recorded by a workshop's trainers.

use crate::api::timestamp::Timestamp;
use chrono::NaiveDate;
use entity::{assessment::AssessmentKind as DbKind, attendance::AttendanceStatus as DbStatus};
use poem::web::Data;
use poem_openapi::{Object, OpenApi, param::Path, payload::Json};

use super::{JsonBody, Tag, csv_export::CsvFile};
use crate::{
    auth::{CanReadRegister, CanRecordAttendance},
    domain::{access::WorkshopReading, figures},
    error::ApiError,
    services::csv_export,
    services::{
        attendance::{self as service, MarkInput, ScoreInput},
        reading,
    },
    state::AppState,
};

mirror_enum! {
    /// A day's attendance mark.
    AttendanceStatus <=> DbStatus {
        /// Attended.
        Present,
        /// Did not attend.
        Absent,
        /// Attended, arriving late: counts as attended.
        Late,
        /// Did not attend, with a reason: does not count as attended.
        Excused,
    }
}

mirror_enum! {
    /// What an assessment measures.
    AssessmentKind <=> DbKind {
        /// Before the course: the baseline for knowledge gain.
        PreTest,
        /// After the course: decides the certificate.
        PostTest,
        /// A practical exercise.
        Practical,
    }
}

/// One attendance mark.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct AttendanceRecord {
    /// An enrolled (not waitlisted or withdrawn) enrolment of this workshop.
    pub enrolment_id: i64,
    /// The workshop day, from 1; not a day still to come.
    #[oai(validator(minimum(value = "1"), maximum(value = "10")))]
    pub day: i32,
    pub status: AttendanceStatus,
    /// When the trainer marked it, on their device (default: now). A mark older than the one
    /// stored for the same enrolment and day is left out, so a late offline sync never undoes a
    /// newer correction.
    pub marked_at: Option<Timestamp>,
}

/// A batch of attendance marks, applied all or nothing.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct AttendanceBatch {
    #[oai(validator(min_items = 1, max_items = 500))]
    pub records: Vec<AttendanceRecord>,
}

/// A mark left out because a newer one is stored.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct StaleRecord {
    pub enrolment_id: i64,
    pub day: i32,
    /// The stored (newer) status, which was kept.
    pub kept_status: AttendanceStatus,
    pub kept_marked_at: Timestamp,
}

/// What a batch did.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct AttendanceOutcome {
    /// Marks written (new or changed).
    pub applied: u32,
    /// Marks with the status already stored; a later `marked_at` (a re-confirmation) is still
    /// stored with it, so an older mark synced afterwards cannot replace it.
    pub unchanged: u32,
    /// Marks older than what was stored, left out.
    pub stale: Vec<StaleRecord>,
}

/// One assessment score.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct AssessmentRecord {
    pub enrolment_id: i64,
    pub kind: AssessmentKind,
    /// 0 ≤ score ≤ max_score.
    pub score: f64,
    /// Greater than 0.
    pub max_score: f64,
}

/// A batch of assessment scores, applied all or nothing.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct AssessmentBatch {
    #[oai(validator(min_items = 1, max_items = 500))]
    pub records: Vec<AssessmentRecord>,
}

/// What an assessment batch did.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct AssessmentOutcome {
    /// Scores written (new or changed).
    pub applied: u32,
    /// Scores identical to what was stored.
    pub unchanged: u32,
}

/// A participant's mark for one day.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct RegisterDay {
    pub day: i32,
    pub date: NaiveDate,
    /// None until marked.
    pub status: Option<AttendanceStatus>,
    pub marked_at: Option<Timestamp>,
}

/// One row of the register.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct RegisterRow {
    pub enrolment_id: i64,
    pub participant_id: i64,
    pub full_name: String,
    pub days: Vec<RegisterDay>,
    /// Days marked present or late.
    pub days_attended: i32,
}

/// A workshop's attendance register: one row per enrolled participant.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct Register {
    pub workshop_id: i64,
    pub items: Vec<RegisterRow>,
    pub total: u64,
}

/// One participant's results.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ParticipantResult {
    pub enrolment_id: i64,
    pub participant_id: i64,
    pub full_name: String,
    /// Days marked present or late.
    pub days_attended: i32,
    pub pre_test_percent: Option<f64>,
    /// Decides the certificate together with attendance.
    pub post_test_percent: Option<f64>,
    pub practical_percent: Option<f64>,
    /// Post-test minus pre-test, in percentage points.
    pub knowledge_gain: Option<f64>,
    /// Whether a certificate has been earned.
    pub eligible: bool,
    /// Each unmet condition, in plain words; empty when eligible.
    pub reasons: Vec<String>,
}

/// The workshop as a whole.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ResultsSummary {
    pub enrolled: u64,
    pub eligible: u64,
    /// Required days of attendance for a certificate.
    pub min_attendance_days: i32,
    /// Post-test percentage needed for a certificate.
    pub pass_mark: i32,
    /// Mean knowledge gain (points) of participants with both tests.
    pub average_knowledge_gain: Option<f64>,
}

/// Results of every enrolled participant.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct Results {
    pub workshop_id: i64,
    pub items: Vec<ParticipantResult>,
    pub total: u64,
    pub summary: ResultsSummary,
}

pub struct AttendanceApi;

#[OpenApi(prefix_path = "/api/v1", tag = "Tag::Attendance")]
impl AttendanceApi {
    /// Mark attendance
    ///
    /// An idempotent upsert per (enrolment, day), all or nothing: one bad record rejects the
    /// batch with every bad record listed, and nothing is written. The workshop's trainers, an
    /// admin or an `attendance` key; trainers of other workshops get 403. After the workshop is
    /// completed only an admin may correct it.
    #[oai(
        path = "/workshops/:id/attendance",
        method = "put",
        operation_id = "mark_attendance"
    )]
    async fn mark(
        &self,
        state: Data<&AppState>,
        auth: CanRecordAttendance,
        id: Path<i64>,
        body: JsonBody<AttendanceBatch>,
    ) -> Result<Json<AttendanceOutcome>, ApiError> {
        let marks = body
            .0
            .records
            .into_iter()
            .map(|r| MarkInput {
                enrolment_id: r.enrolment_id,
                day: r.day,
                status: r.status.into(),
                marked_at: r.marked_at.map(Into::into),
            })
            .collect();
        let outcome = service::mark(&state.db, &auth.0, id.0, marks).await?;
        Ok(Json(AttendanceOutcome {
            applied: outcome.applied,
            unchanged: outcome.unchanged,
            stale: outcome
                .stale
                .into_iter()
                .map(|s| StaleRecord {
                    enrolment_id: s.enrolment_id,
                    day: s.day,
                    kept_status: s.kept_status.into(),
                    kept_marked_at: s.kept_marked_at.into(),
                })
                .collect(),
        }))
    }

    /// The attendance register
    ///
    /// One row per enrolled participant (by name) with the mark of each day.
    #[oai(
        path = "/workshops/:id/attendance",
        method = "get",
        operation_id = "get_attendance"
    )]
    async fn register(
        &self,
        state: Data<&AppState>,
        auth: CanReadRegister,
        id: Path<i64>,
    ) -> Result<Json<Register>, ApiError> {
        reading::ensure_may_read_workshop(&state.db, &auth.0, id.0, WorkshopReading::Register)
            .await?;
        let (workshop, dates, rows) = service::register(&state.db, id.0).await?;
        let items: Vec<RegisterRow> = rows
            .into_iter()
            .map(|r| {
                let days_attended = r.days_attended();
                RegisterRow {
                    enrolment_id: r.enrolment_id,
                    participant_id: r.participant_id,
                    full_name: r.full_name,
                    days: r
                        .days
                        .into_iter()
                        .zip(&dates)
                        .enumerate()
                        .map(|(i, (mark, date))| RegisterDay {
                            day: i as i32 + 1,
                            date: *date,
                            status: mark.as_ref().map(|m| m.status.into()),
                            marked_at: mark.map(|m| m.marked_at.into()),
                        })
                        .collect(),
                    days_attended,
                }
            })
            .collect();
        Ok(Json(Register {
            workshop_id: workshop.id,
            total: items.len() as u64,
            items,
        }))
    }

    /// The attendance register as CSV
    ///
    /// A printable register for the venue wall: one row per participant, one column per day
    /// (headed with its date), and the days attended.
    #[oai(
        path = "/workshops/:id/attendance.csv",
        method = "get",
        operation_id = "get_attendance_csv"
    )]
    async fn register_csv(
        &self,
        state: Data<&AppState>,
        auth: CanReadRegister,
        id: Path<i64>,
    ) -> Result<CsvFile, ApiError> {
        reading::ensure_may_read_workshop(&state.db, &auth.0, id.0, WorkshopReading::Register)
            .await?;
        Ok(csv_export::register(&state.db, id.0).await?.into())
    }

    /// Record assessment scores
    ///
    /// An idempotent upsert per (enrolment, kind), all or nothing, with the same rules of who
    /// may record as attendance. 0 ≤ score ≤ max_score, max_score > 0.
    #[oai(
        path = "/workshops/:id/assessments",
        method = "put",
        operation_id = "record_assessments"
    )]
    async fn assessments(
        &self,
        state: Data<&AppState>,
        auth: CanRecordAttendance,
        id: Path<i64>,
        body: JsonBody<AssessmentBatch>,
    ) -> Result<Json<AssessmentOutcome>, ApiError> {
        let scores = body
            .0
            .records
            .into_iter()
            .map(|r| ScoreInput {
                enrolment_id: r.enrolment_id,
                kind: r.kind.into(),
                score: r.score,
                max_score: r.max_score,
            })
            .collect();
        let (applied, unchanged) = service::record_scores(&state.db, &auth.0, id.0, scores).await?;
        Ok(Json(AssessmentOutcome { applied, unchanged }))
    }

    /// Results and certificate eligibility
    ///
    /// Per enrolled participant: days attended, test percentages, knowledge gain, whether a
    /// certificate is earned and, if not, why.
    #[oai(
        path = "/workshops/:id/results",
        method = "get",
        operation_id = "get_results"
    )]
    async fn results(
        &self,
        state: Data<&AppState>,
        auth: CanReadRegister,
        id: Path<i64>,
    ) -> Result<Json<Results>, ApiError> {
        reading::ensure_may_read_workshop(&state.db, &auth.0, id.0, WorkshopReading::Register)
            .await?;
        let (course, rows) = service::results(&state.db, id.0).await?;
        let gains: Vec<f64> = rows.iter().filter_map(|r| r.knowledge_gain).collect();
        let summary = ResultsSummary {
            enrolled: rows.len() as u64,
            eligible: rows.iter().filter(|r| r.verdict.eligible).count() as u64,
            min_attendance_days: course.min_attendance_days,
            pass_mark: course.pass_mark,
            average_knowledge_gain: (!gains.is_empty())
                .then(|| figures::percent(gains.iter().sum::<f64>() / gains.len() as f64)),
        };
        let items: Vec<ParticipantResult> = rows
            .into_iter()
            .map(|r| ParticipantResult {
                enrolment_id: r.enrolment_id,
                participant_id: r.participant_id,
                full_name: r.full_name,
                days_attended: r.verdict.days_attended,
                pre_test_percent: r.pre_test_percent.map(figures::percent),
                post_test_percent: r.verdict.post_test_percent.map(figures::percent),
                practical_percent: r.practical_percent.map(figures::percent),
                knowledge_gain: r.knowledge_gain.map(figures::percent),
                eligible: r.verdict.eligible,
                reasons: r.verdict.reasons,
            })
            .collect();
        Ok(Json(Results {
            workshop_id: id.0,
            total: items.len() as u64,
            items,
            summary,
        }))
    }
}
