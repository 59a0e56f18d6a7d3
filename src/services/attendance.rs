//! Attendance registers, assessment scores and the results they add up to.
//!
//! Marks arrive in batches, often hours late from trainers who worked offline. A batch is
//! all-or-nothing; within it, each (enrolment, day) mark carries the time it was made on the
//! trainer's device (`marked_at`), and an older mark never replaces a newer one, so a stale
//! batch synced late cannot undo a correction made since.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use entity::{
    assessment::{self, AssessmentKind},
    attendance::{self, AttendanceStatus},
    course,
    enrolment::{self, EnrolmentStatus},
    participant,
    workshop::{self, Status},
};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder,
};

use super::{audit, workshop_queries, workshop_write::WorkshopWrite};
use crate::domain::{
    Error, FieldError, Result,
    access::Principal,
    eligibility::{Requirements, Score, Verdict, counts_as_attended, judge},
    schedule::local_today,
};

/// How far ahead of the server's clock a device's `marked_at` may be (clock drift).
pub const MAX_CLOCK_SKEW_MINUTES: i64 = 5;

/// One attendance mark as sent.
#[derive(Debug, Clone)]
pub struct MarkInput {
    pub enrolment_id: i64,
    pub day: i32,
    pub status: AttendanceStatus,
    pub marked_at: Option<DateTime<Utc>>,
}

/// A mark that was not applied because a newer one is stored.
#[derive(Debug, Clone)]
pub struct StaleMark {
    pub enrolment_id: i64,
    pub day: i32,
    pub kept_status: AttendanceStatus,
    pub kept_marked_at: DateTime<Utc>,
}

/// What a batch did.
#[derive(Debug, Clone, Default)]
pub struct MarkOutcome {
    /// Marks written (new or changed).
    pub applied: u32,
    /// Marks with the status already stored (a later `marked_at` is still stored with it).
    pub unchanged: u32,
    /// Marks older than what was stored, left out.
    pub stale: Vec<StaleMark>,
}

/// Checks who may record for this workshop, and that it is in a state to be recorded for:
/// admins always (even to correct a completed workshop); assigned trainers and `attendance`
/// keys while it is scheduled or in progress.
async fn authorize(
    db: &impl ConnectionTrait,
    who: &Principal,
    workshop: &workshop::Model,
) -> Result<()> {
    if workshop.status == Status::Cancelled {
        return Err(Error::Conflict(format!(
            "workshop {} was cancelled",
            workshop.id
        )));
    }
    if who.is_admin() {
        return Ok(());
    }
    if let Principal::User { id, .. } = who
        && !workshop_queries::is_trainer_of(db, workshop.id, *id).await?
    {
        return Err(Error::Forbidden(format!(
            "you are not a trainer of workshop {}",
            workshop.id
        )));
    }
    if workshop.status == Status::Completed {
        return Err(Error::Forbidden(format!(
            "workshop {} is completed; only an administrator may correct its records",
            workshop.id
        )));
    }
    Ok(())
}

/// The workshop's enrolments by id, for checking that records belong to it.
async fn enrolments_of(
    db: &impl ConnectionTrait,
    workshop_id: i64,
) -> Result<HashMap<i64, enrolment::Model>> {
    Ok(enrolment::Entity::find()
        .filter(enrolment::Column::WorkshopId.eq(workshop_id))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e))
        .collect())
}

fn check_enrolment(
    enrolments: &HashMap<i64, enrolment::Model>,
    index: usize,
    enrolment_id: i64,
    errors: &mut Vec<FieldError>,
) {
    let field = format!("records[{index}].enrolment_id");
    match enrolments.get(&enrolment_id) {
        None => errors.push(FieldError::new(
            field,
            format!("enrolment {enrolment_id} is not in this workshop"),
        )),
        Some(e) if e.status != EnrolmentStatus::Enrolled => errors.push(FieldError::new(
            field,
            format!(
                "enrolment {enrolment_id} is {}, not enrolled",
                if e.status == EnrolmentStatus::Waitlisted {
                    "waitlisted"
                } else {
                    "withdrawn"
                }
            ),
        )),
        Some(_) => {}
    }
}

/// The marks' own checks, all reported at once: each names an enrolment of the workshop, a day
/// that has happened, a time not in the future, and no (enrolment, day) twice.
fn check_marks(
    enrolments: &HashMap<i64, enrolment::Model>,
    marks: &[MarkInput],
    dates: &[NaiveDate],
    today: NaiveDate,
    now: chrono::DateTime<Utc>,
) -> Result<()> {
    let mut errors = Vec::new();
    let mut seen: HashMap<(i64, i32), usize> = HashMap::new();
    for (i, m) in marks.iter().enumerate() {
        check_enrolment(enrolments, i, m.enrolment_id, &mut errors);
        let day_field = format!("records[{i}].day");
        match usize::try_from(m.day - 1).ok().and_then(|d| dates.get(d)) {
            None => errors.push(FieldError::new(
                day_field,
                format!("must be between 1 and {}", dates.len()),
            )),
            Some(date) if *date > today => errors.push(FieldError::new(
                day_field,
                format!("day {} ({date}) has not happened yet", m.day),
            )),
            Some(_) => {}
        }
        if let Some(at) = m.marked_at
            && at > now + Duration::minutes(MAX_CLOCK_SKEW_MINUTES)
        {
            errors.push(FieldError::new(
                format!("records[{i}].marked_at"),
                "is in the future",
            ));
        }
        if let Some(first) = seen.insert((m.enrolment_id, m.day), i) {
            errors.push(FieldError::new(
                format!("records[{i}]"),
                format!("repeats records[{first}] (same enrolment and day)"),
            ));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(errors))
    }
}

/// Upserts a batch of attendance marks, all or nothing.
pub async fn mark(
    db: &DatabaseConnection,
    who: &Principal,
    workshop_id: i64,
    marks: Vec<MarkInput>,
) -> Result<MarkOutcome> {
    let mut write = WorkshopWrite::begin(db, &who.actor(), workshop_id).await?;
    let workshop = write.workshop().clone();
    authorize(write.txn(), who, &workshop).await?;
    let enrolments = enrolments_of(write.txn(), workshop_id).await?;
    let now = Utc::now();
    check_marks(&enrolments, &marks, &workshop.dates(), local_today(), now)?;

    let ids: HashSet<i64> = marks.iter().map(|m| m.enrolment_id).collect();
    let stored: HashMap<(i64, i32), attendance::Model> = attendance::Entity::find()
        .filter(attendance::Column::EnrolmentId.is_in(ids))
        .all(write.txn())
        .await?
        .into_iter()
        .map(|a| ((a.enrolment_id, a.day), a))
        .collect();
    let recorder = who.actor().label;
    let mut outcome = MarkOutcome::default();
    let mut inserts = Vec::new();
    let mut changes = Vec::new();
    for m in marks {
        let marked_at = m.marked_at.unwrap_or(now);
        let old = stored.get(&(m.enrolment_id, m.day));
        if let Some(old) = old.filter(|old| old.marked_at > marked_at) {
            outcome.stale.push(StaleMark {
                enrolment_id: m.enrolment_id,
                day: m.day,
                kept_status: old.status,
                kept_marked_at: old.marked_at,
            });
            continue;
        }
        let same_status = old.is_some_and(|old| old.status == m.status);
        // The same status again: a re-confirmation made later still stores its time, so that
        // the newest `marked_at` wins whether or not the status changed, and a mark made in
        // between and synced late cannot replace it. Only a change is audited and counted.
        if !same_status || old.is_some_and(|old| old.marked_at < marked_at) {
            inserts.push(attendance::ActiveModel {
                enrolment_id: Set(m.enrolment_id),
                day: Set(m.day),
                status: Set(m.status),
                marked_at: Set(marked_at),
                recorded_by: Set(recorder.clone()),
                updated_at: Set(now),
            });
        }
        if same_status {
            outcome.unchanged += 1;
            continue;
        }
        changes.push(audit::Change {
            entity: "enrolment",
            entity_id: m.enrolment_id,
            action: "attendance",
            before: old.map(|old| serde_json::json!({"day": old.day, "status": old.status, "marked_at": old.marked_at})),
            after: Some(serde_json::json!({"day": m.day, "status": m.status, "marked_at": marked_at})),
        });
        outcome.applied += 1;
    }
    // New and changed marks go in as one upsert per 100 rows (a round trip per mark made a
    // register of 175 marks slow on PostgreSQL).
    write.upsert_attendance(inserts).await?;
    write.audit_all(changes);
    write.commit().await?;
    Ok(outcome)
}

/// One assessment score as sent.
#[derive(Debug, Clone)]
pub struct ScoreInput {
    pub enrolment_id: i64,
    pub kind: AssessmentKind,
    pub score: f64,
    pub max_score: f64,
}

/// Upserts a batch of assessment scores, all or nothing. Returns (applied, unchanged).
pub async fn record_scores(
    db: &DatabaseConnection,
    who: &Principal,
    workshop_id: i64,
    scores: Vec<ScoreInput>,
) -> Result<(u32, u32)> {
    let mut write = WorkshopWrite::begin(db, &who.actor(), workshop_id).await?;
    let workshop = write.workshop().clone();
    authorize(write.txn(), who, &workshop).await?;
    let enrolments = enrolments_of(write.txn(), workshop_id).await?;
    let mut errors = Vec::new();
    let mut seen = HashMap::new();
    for (i, s) in scores.iter().enumerate() {
        check_enrolment(&enrolments, i, s.enrolment_id, &mut errors);
        if !(s.max_score.is_finite() && s.max_score > 0.0) {
            errors.push(FieldError::new(
                format!("records[{i}].max_score"),
                "must be greater than 0",
            ));
        } else if !(s.score.is_finite() && (0.0..=s.max_score).contains(&s.score)) {
            errors.push(FieldError::new(
                format!("records[{i}].score"),
                format!("must be between 0 and max_score ({})", s.max_score),
            ));
        }
        if let Some(first) = seen.insert((s.enrolment_id, s.kind), i) {
            errors.push(FieldError::new(
                format!("records[{i}]"),
                format!("repeats records[{first}] (same enrolment and kind)"),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let ids: HashSet<i64> = scores.iter().map(|s| s.enrolment_id).collect();
    let stored: HashMap<(i64, AssessmentKind), assessment::Model> = assessment::Entity::find()
        .filter(assessment::Column::EnrolmentId.is_in(ids))
        .all(write.txn())
        .await?
        .into_iter()
        .map(|a| ((a.enrolment_id, a.kind), a))
        .collect();
    let recorder = who.actor().label;
    let now = Utc::now();
    let (mut applied, mut unchanged) = (0, 0);
    let mut changes = Vec::new();
    for s in scores {
        let before = stored.get(&(s.enrolment_id, s.kind));
        if before.is_some_and(|b| b.score == s.score && b.max_score == s.max_score) {
            unchanged += 1;
            continue;
        }
        let row = assessment::ActiveModel {
            enrolment_id: Set(s.enrolment_id),
            kind: Set(s.kind),
            score: Set(s.score),
            max_score: Set(s.max_score),
            recorded_by: Set(recorder.clone()),
            updated_at: Set(now),
        };
        write.save_assessment(row, before.is_some()).await?;
        changes.push(audit::Change {
            entity: "enrolment",
            entity_id: s.enrolment_id,
            action: "assessment",
            before: before.map(
                |b| serde_json::json!({"kind": b.kind, "score": b.score, "max_score": b.max_score}),
            ),
            after: Some(
                serde_json::json!({"kind": s.kind, "score": s.score, "max_score": s.max_score}),
            ),
        });
        applied += 1;
    }
    write.audit_all(changes);
    write.commit().await?;
    Ok((applied, unchanged))
}

/// One row of a register: an enrolled participant and their mark for each day.
#[derive(Debug, Clone)]
pub struct RegisterRow {
    pub enrolment_id: i64,
    pub participant_id: i64,
    pub full_name: String,
    /// One entry per workshop day (index 0 = day 1).
    pub days: Vec<Option<attendance::Model>>,
}

impl RegisterRow {
    /// Days marked present or late.
    pub fn days_attended(&self) -> i32 {
        self.days
            .iter()
            .flatten()
            .filter(|a| counts_as_attended(a.status))
            .count() as i32
    }
}

/// The register of a workshop: its dates and one row per enrolled participant, by name.
pub async fn register(
    db: &impl ConnectionTrait,
    workshop_id: i64,
) -> Result<(workshop::Model, Vec<NaiveDate>, Vec<RegisterRow>)> {
    let workshop = workshop_queries::get_model(db, workshop_id).await?;
    let dates = workshop.dates();
    let enrolled = enrolment::Entity::find()
        .filter(enrolment::Column::WorkshopId.eq(workshop_id))
        .filter(enrolment::Column::Status.eq(EnrolmentStatus::Enrolled))
        .find_also_related(participant::Entity)
        .all(db)
        .await?;
    let ids: Vec<i64> = enrolled.iter().map(|(e, _)| e.id).collect();
    let mut marks: HashMap<(i64, i32), attendance::Model> = attendance::Entity::find()
        .filter(attendance::Column::EnrolmentId.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|a| ((a.enrolment_id, a.day), a))
        .collect();
    let mut rows: Vec<RegisterRow> = enrolled
        .into_iter()
        .map(|(e, p)| RegisterRow {
            enrolment_id: e.id,
            participant_id: e.participant_id,
            full_name: p.map(|p| p.full_name).unwrap_or_default(),
            days: (1..=dates.len() as i32)
                .map(|d| marks.remove(&(e.id, d)))
                .collect(),
        })
        .collect();
    rows.sort_by(|a, b| {
        a.full_name
            .to_lowercase()
            .cmp(&b.full_name.to_lowercase())
            .then(a.enrolment_id.cmp(&b.enrolment_id))
    });
    Ok((workshop, dates, rows))
}

/// One participant's results.
#[derive(Debug, Clone)]
pub struct ResultRow {
    pub enrolment_id: i64,
    pub participant_id: i64,
    pub full_name: String,
    pub verdict: Verdict,
    pub pre_test_percent: Option<f64>,
    pub practical_percent: Option<f64>,
    /// Post-test minus pre-test, in percentage points.
    pub knowledge_gain: Option<f64>,
}

/// The results of every enrolled participant of a workshop.
pub async fn results(
    db: &impl ConnectionTrait,
    workshop_id: i64,
) -> Result<(course::Model, Vec<ResultRow>)> {
    let (workshop, _, register) = register(db, workshop_id).await?;
    let course = course::Entity::find_by_id(workshop.course_id)
        .one(db)
        .await?
        .ok_or(Error::NotFound {
            entity: "course",
            id: workshop.course_id,
        })?;
    let ids: Vec<i64> = register.iter().map(|r| r.enrolment_id).collect();
    let mut scores: HashMap<(i64, AssessmentKind), Score> = HashMap::new();
    for a in assessment::Entity::find()
        .filter(assessment::Column::EnrolmentId.is_in(ids))
        .order_by_asc(assessment::Column::EnrolmentId)
        .all(db)
        .await?
    {
        scores.insert(
            (a.enrolment_id, a.kind),
            Score {
                score: a.score,
                max_score: a.max_score,
            },
        );
    }
    let requirements = Requirements {
        min_attendance_days: course.min_attendance_days,
        pass_mark: course.pass_mark,
    };
    let rows = register
        .into_iter()
        .map(|r| {
            let marks: Vec<AttendanceStatus> = r.days.iter().flatten().map(|a| a.status).collect();
            let post = scores
                .get(&(r.enrolment_id, AssessmentKind::PostTest))
                .copied();
            let pre = scores
                .get(&(r.enrolment_id, AssessmentKind::PreTest))
                .map(|s| s.percent());
            let practical = scores
                .get(&(r.enrolment_id, AssessmentKind::Practical))
                .map(|s| s.percent());
            let verdict = judge(requirements, &marks, post);
            let knowledge_gain = verdict
                .post_test_percent
                .zip(pre)
                .map(|(post, pre)| post - pre);
            ResultRow {
                enrolment_id: r.enrolment_id,
                participant_id: r.participant_id,
                full_name: r.full_name,
                verdict,
                pre_test_percent: pre,
                practical_percent: practical,
                knowledge_gain,
            }
        })
        .collect();
    Ok((course, rows))
}
