//! The unit of work of every write that moves what the reports count: seats and waitlist
//! places, attendance marks, assessment scores, certificates, outreach meetings, and the
//! participants they are counted by.
//!
//! [`Write`] begins the write ([`begin_write`]), collects the change's audit records and notes
//! which tallies of which workshops the change moved; [`Write::commit`] recounts exactly those,
//! writes the audit records and commits, all in the one transaction. [`WorkshopWrite`] is a
//! `Write` that also holds one workshop locked and owns its row: its seat and waitlist counts
//! change only through its methods, and each method notes what it moved. A write path cannot
//! forget to lock, recount or audit, because there is no other way to the seats, marks, scores
//! and certificates. Dropped without `commit`, either rolls back and records nothing.
//!
//! CPU work (hashing, rendering) belongs before [`Write::begin`]: on SQLite the write holds the
//! process's one turn at the file until it ends.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use entity::{
    assessment, attendance,
    certificate::{self, CertificateStatus},
    enrolment::{self, EnrolmentStatus},
    outreach, participant, workshop,
};
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::{Set, Unchanged},
    ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
    sea_query::{Alias, Expr, ExprTrait, OnConflict},
};
use serde_json::Value;

use super::{audit, tallies, workshop_lock, workshop_queries};
use crate::{
    db::{WriteTxn, begin_write},
    domain::{Result, access::Actor, consent::Consent, workshop::seat_available},
    webhook::{self, EventType},
};

/// Which tallies of one workshop a unit of work moved.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Touched {
    /// Seats, certificates, the people they are counted by, repeat seats: a whole refresh.
    pub everything: bool,
    /// Days attended only.
    pub attendance: bool,
    /// Knowledge gain only.
    pub assessments: bool,
    /// Outreach figures.
    pub outreach: bool,
}

/// A write in progress: its transaction, its audit records and the tallies it moved.
pub struct Write {
    txn: WriteTxn,
    actor: Actor,
    audit: Vec<(DateTime<Utc>, audit::Change)>,
    touched: BTreeMap<i64, Touched>,
    events: Vec<Noted>,
}

/// An event as a write notes it: its `data` ready, or a workshop's, rendered at commit (when
/// its trainers, days and status are final), with the status it left when that changed.
enum Noted {
    Ready(webhook::Event),
    Workshop {
        event: webhook::Event,
        previous_status: Option<Value>,
    },
}

impl Write {
    /// Begins a write on behalf of `actor` (see [`begin_write`]).
    pub async fn begin(db: &DatabaseConnection, actor: &Actor) -> Result<Self> {
        Ok(Self {
            txn: begin_write(db).await?,
            actor: actor.clone(),
            audit: Vec::new(),
            touched: BTreeMap::new(),
            events: Vec::new(),
        })
    }

    /// The transaction, for reads and for writes that move no tally.
    pub fn txn(&self) -> &WriteTxn {
        &self.txn
    }

    /// Who makes the change.
    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    /// Notes one change for the audit log (written at commit, in order, with this time).
    pub fn audit(
        &mut self,
        entity: &'static str,
        entity_id: i64,
        action: &'static str,
        before: Option<Value>,
        after: Option<Value>,
    ) {
        self.audit.push((
            Utc::now(),
            audit::Change {
                entity,
                entity_id,
                action,
                before,
                after,
            },
        ));
    }

    /// Notes many changes for the audit log.
    pub fn audit_all(&mut self, changes: Vec<audit::Change>) {
        let now = Utc::now();
        self.audit.extend(changes.into_iter().map(|c| (now, c)));
    }

    /// Announces an event to the webhooks subscribed to it: queued at commit, in the same
    /// transaction as the change, and delivered after it (nothing when the write rolls back).
    pub fn emit(&mut self, kind: EventType, data: Option<Value>) {
        self.events.push(Noted::Ready(webhook::Event::new(
            kind,
            data.unwrap_or(Value::Null),
        )));
    }

    /// Announces an event about one resource: its `data` is the resource as the API returns it.
    pub fn emit_resource(&mut self, kind: EventType, resource: &impl webhook::Resource) {
        self.emit(kind, Some(resource.to_data()));
    }

    /// Announces an event about workshop `id`: its `data` is the workshop as the API returns it
    /// at commit (with `previous_status` when its status changed).
    fn emit_workshop(&mut self, kind: EventType, id: i64, previous_status: Option<Value>) {
        self.events.push(Noted::Workshop {
            event: webhook::Event::new(kind, Value::from(id)),
            previous_status,
        });
    }

    /// The events of this write with their `data`, the workshops' read in its transaction.
    async fn rendered_events(&mut self) -> Result<Vec<webhook::Event>> {
        let mut events = Vec::with_capacity(self.events.len());
        for noted in std::mem::take(&mut self.events) {
            events.push(match noted {
                Noted::Ready(event) => event,
                Noted::Workshop {
                    mut event,
                    previous_status,
                } => {
                    let id = event.data.as_i64().unwrap_or_default();
                    let view = workshop_queries::get(&self.txn, id).await?;
                    event.data = webhook::Resource::to_data(&view);
                    if let (Value::Object(fields), Some(before)) =
                        (&mut event.data, previous_status)
                    {
                        fields.insert("previous_status".into(), before);
                    }
                    event
                }
            });
        }
        Ok(events)
    }

    fn touch(&mut self, workshop_id: i64, mark: impl FnOnce(&mut Touched)) {
        mark(self.touched.entry(workshop_id).or_default());
    }

    /// What this write has moved so far, by workshop.
    pub fn touched(&self) -> &BTreeMap<i64, Touched> {
        &self.touched
    }

    /// Notes that everything a participant is counted in moves: every workshop they hold a seat,
    /// a waitlist place or a certificate in (a merge moves their records; see also
    /// [`Write::update_participant`]).
    pub async fn recount_workshops_of(&mut self, participant_id: i64) -> Result<()> {
        for id in tallies::workshops_of_participant(&self.txn, participant_id).await? {
            self.touch(id, |t| t.everything = true);
        }
        Ok(())
    }

    /// Saves a changed participant. When what the reports split people by (gender, target group,
    /// organisation) changed, their workshops are recounted.
    pub async fn update_participant(
        &mut self,
        before: &participant::Model,
        model: participant::ActiveModel,
    ) -> Result<participant::Model> {
        let updated = participant::Entity::update(model).exec(&self.txn).await?;
        let counted_by = |p: &participant::Model| {
            (
                p.gender,
                p.target_group,
                p.organisation_id,
                p.birth_year,
                crate::domain::demographics::WashingtonGroup::of(p).map(|wg| wg.status()),
            )
        };
        if counted_by(before) != counted_by(&updated) {
            self.recount_workshops_of(updated.id).await?;
        }
        Ok(updated)
    }

    /// Records an outreach meeting; its workshop's outreach figures are recounted.
    pub async fn record_outreach(&mut self, row: outreach::ActiveModel) -> Result<outreach::Model> {
        let saved = outreach::Entity::insert(row)
            .exec_with_returning(&self.txn)
            .await?;
        self.touch(saved.workshop_id, |t| t.outreach = true);
        Ok(saved)
    }

    /// Locks workshop `id` for the rest of the write and takes over its row.
    pub async fn lock_workshop(self, id: i64) -> Result<WorkshopWrite> {
        let workshop = workshop_lock::lock(&self.txn, id).await?;
        Ok(WorkshopWrite {
            write: self,
            workshop,
        })
    }

    /// Schedules a new workshop (its seat counts start at zero) and takes over its row; its
    /// tallies row is made at commit.
    pub async fn create_workshop(self, mut row: workshop::ActiveModel) -> Result<WorkshopWrite> {
        row.seats_taken = Set(0);
        row.waitlist_count = Set(0);
        let workshop = workshop::Entity::insert(row)
            .exec_with_returning(&self.txn)
            .await?;
        let mut write = WorkshopWrite {
            write: self,
            workshop,
        };
        let id = write.workshop.id;
        write.touch(id, |t| t.everything = true);
        write.emit_workshop(EventType::WorkshopScheduled, id, None);
        Ok(write)
    }

    /// Recounts what the write moved, writes its audit records and commits.
    pub async fn commit(mut self) -> Result<()> {
        let everything: Vec<i64> = self
            .touched
            .iter()
            .filter(|(_, t)| t.everything)
            .map(|(id, _)| *id)
            .collect();
        tallies::refresh(&self.txn, tallies::Covering::Workshops(&everything)).await?;
        for (&id, touched) in &self.touched {
            if !touched.everything && touched.attendance {
                tallies::refresh_marks(&self.txn, id, tallies::Marks::Attendance).await?;
            }
            if !touched.everything && touched.assessments {
                tallies::refresh_marks(&self.txn, id, tallies::Marks::Assessments).await?;
            }
            if touched.outreach {
                tallies::refresh_outreach(&self.txn, id).await?;
            }
        }
        let events = self.rendered_events().await?;
        audit::record_made(&self.txn, &self.actor, self.audit).await?;
        webhook::outbox::queue(&self.txn, &events).await?;
        self.txn.commit().await?;
        Ok(())
    }
}

/// What [`WorkshopWrite::enrol`] gave: the enrolment and, when waitlisted, its place.
#[derive(Debug, Clone)]
pub struct Enrolled {
    pub enrolment: enrolment::Model,
    /// Whether it took a seat (else it joined the waitlist).
    pub seated: bool,
    /// The waitlist position (1 = next to get a seat), when waitlisted.
    pub waitlist_position: Option<u64>,
}

/// A [`Write`] holding one workshop locked, and its row: seats, waitlist, marks, scores and
/// certificates of the workshop change through its methods.
pub struct WorkshopWrite {
    write: Write,
    workshop: workshop::Model,
}

impl std::ops::Deref for WorkshopWrite {
    type Target = Write;

    fn deref(&self) -> &Write {
        &self.write
    }
}

impl std::ops::DerefMut for WorkshopWrite {
    fn deref_mut(&mut self) -> &mut Write {
        &mut self.write
    }
}

impl WorkshopWrite {
    /// Begins a write and locks workshop `id` (404 when there is none).
    pub async fn begin(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<Self> {
        Write::begin(db, actor).await?.lock_workshop(id).await
    }

    /// The workshop as it stands in this write.
    pub fn workshop(&self) -> &workshop::Model {
        &self.workshop
    }

    fn id(&self) -> i64 {
        self.workshop.id
    }

    /// Changes the workshop's own fields (`edit` gets the row; its seat counts are not its to
    /// change). A new start date or organisation moves the repeat seats: everything is recounted.
    pub async fn update(
        &mut self,
        edit: impl FnOnce(&mut workshop::ActiveModel),
    ) -> Result<&workshop::Model> {
        let mut model = self.workshop.clone().into_active_model();
        edit(&mut model);
        model.seats_taken = Unchanged(self.workshop.seats_taken);
        model.waitlist_count = Unchanged(self.workshop.waitlist_count);
        model.updated_at = Set(Utc::now());
        let updated = model.update(&self.write.txn).await?;
        let moved = |w: &workshop::Model| (w.start_date, w.organisation_id, w.day_dates.clone());
        if moved(&updated) != moved(&self.workshop) {
            let id = self.id();
            self.touch(id, |t| t.everything = true);
        }
        if updated.status != self.workshop.status {
            let (id, before) = (self.id(), audit::snapshot(&self.workshop.status));
            self.emit_workshop(EventType::WorkshopStatusChanged, id, before);
        }
        self.workshop = updated;
        Ok(&self.workshop)
    }

    /// Saves new seat and waitlist counts (the database checks them against the capacity).
    async fn set_counts(&mut self, seats: i32, waitlist: i32) -> Result<()> {
        let seated = seats != self.workshop.seats_taken;
        let mut model = self.workshop.clone().into_active_model();
        model.seats_taken = Set(seats);
        model.waitlist_count = Set(waitlist);
        model.updated_at = Set(Utc::now());
        self.workshop = model.update(&self.write.txn).await?;
        if seated {
            let id = self.id();
            self.touch(id, |t| t.everything = true);
        }
        Ok(())
    }

    /// The next number in the workshop's queue of arrivals.
    async fn next_queue_number(&self) -> Result<i64> {
        let last: Option<enrolment::Model> = enrolment::Entity::find()
            .filter(enrolment::Column::WorkshopId.eq(self.id()))
            .order_by_desc(enrolment::Column::QueueNumber)
            .one(&self.write.txn)
            .await?;
        Ok(last.map_or(1, |e| e.queue_number + 1))
    }

    /// Gives `participant_id` a seat while there is one, else the end of the waitlist; `again`
    /// is their earlier, withdrawn enrolment in this workshop, if any (it is reused). Audited as
    /// `enrol`. The caller has checked that the participant may enrol.
    pub async fn enrol(
        &mut self,
        participant_id: i64,
        again: Option<enrolment::Model>,
    ) -> Result<Enrolled> {
        self.enrol_consenting(participant_id, again, None).await
    }

    /// [`WorkshopWrite::enrol`], recording the participant's consent to the privacy notice with
    /// the enrolment when it was given (a re-enrolment without it keeps the earlier one).
    pub async fn enrol_consenting(
        &mut self,
        participant_id: i64,
        again: Option<enrolment::Model>,
        consent: Option<Consent>,
    ) -> Result<Enrolled> {
        let given_at = consent.as_ref().map(|c| c.given_at);
        let text_version = consent.map(|c| c.text_version);
        let seated = seat_available(self.workshop.seats_taken, self.workshop.capacity);
        let status = if seated {
            EnrolmentStatus::Enrolled
        } else {
            EnrolmentStatus::Waitlisted
        };
        let queue_number = self.next_queue_number().await?;
        let now = Utc::now();
        let (before, saved) = match again {
            Some(withdrawn) => {
                let before = audit::snapshot(&withdrawn);
                let mut model = withdrawn.into_active_model();
                model.status = Set(status);
                model.queue_number = Set(queue_number);
                model.updated_at = Set(now);
                if given_at.is_some() {
                    model.consent_given_at = Set(given_at);
                    model.consent_text_version = Set(text_version);
                }
                (before, model.update(&self.write.txn).await?)
            }
            None => {
                let row = enrolment::ActiveModel {
                    workshop_id: Set(self.id()),
                    participant_id: Set(participant_id),
                    status: Set(status),
                    queue_number: Set(queue_number),
                    consent_given_at: Set(given_at),
                    consent_text_version: Set(text_version),
                    created_at: Set(now),
                    updated_at: Set(now),
                    ..Default::default()
                };
                (
                    None,
                    enrolment::Entity::insert(row)
                        .exec_with_returning(&self.write.txn)
                        .await?,
                )
            }
        };
        let (seats, waitlist) = if seated {
            (self.workshop.seats_taken + 1, self.workshop.waitlist_count)
        } else {
            (self.workshop.seats_taken, self.workshop.waitlist_count + 1)
        };
        self.set_counts(seats, waitlist).await?;
        self.audit(
            "enrolment",
            saved.id,
            "enrol",
            before,
            audit::snapshot(&saved),
        );
        let enrolled = Enrolled {
            enrolment: saved,
            seated,
            waitlist_position: (!seated).then_some(waitlist as u64),
        };
        self.emit_resource(EventType::EnrolmentCreated, &enrolled);
        Ok(enrolled)
    }

    /// Withdraws an enrolment of this workshop (enrolled or waitlisted); a freed seat goes to the
    /// first waitlisted participant. Returns the withdrawn enrolment and the promoted one.
    pub async fn withdraw(
        &mut self,
        current: enrolment::Model,
    ) -> Result<(enrolment::Model, Option<enrolment::Model>)> {
        let was_enrolled = current.status == EnrolmentStatus::Enrolled;
        let before = audit::snapshot(&current);
        let mut model = current.into_active_model();
        model.status = Set(EnrolmentStatus::Withdrawn);
        model.updated_at = Set(Utc::now());
        let withdrawn = model.update(&self.write.txn).await?;
        self.audit(
            "enrolment",
            withdrawn.id,
            "withdraw",
            before,
            audit::snapshot(&withdrawn),
        );
        self.emit_resource(EventType::EnrolmentWithdrawn, &withdrawn);
        let (seats, waitlist) = if was_enrolled {
            (self.workshop.seats_taken - 1, self.workshop.waitlist_count)
        } else {
            (self.workshop.seats_taken, self.workshop.waitlist_count - 1)
        };
        self.set_counts(seats, waitlist).await?;
        let promoted = if was_enrolled {
            self.promote_next().await?
        } else {
            None
        };
        Ok((withdrawn, promoted))
    }

    /// Gives the next seat to the first waitlisted participant, if any (audited as `promote`).
    pub async fn promote_next(&mut self) -> Result<Option<enrolment::Model>> {
        let next = enrolment::Entity::find()
            .filter(enrolment::Column::WorkshopId.eq(self.id()))
            .filter(enrolment::Column::Status.eq(EnrolmentStatus::Waitlisted))
            .order_by_asc(enrolment::Column::QueueNumber)
            .one(&self.write.txn)
            .await?;
        let Some(next) = next else {
            return Ok(None);
        };
        let before = audit::snapshot(&next);
        let mut model = next.into_active_model();
        model.status = Set(EnrolmentStatus::Enrolled);
        model.updated_at = Set(Utc::now());
        let promoted = model.update(&self.write.txn).await?;
        self.audit(
            "enrolment",
            promoted.id,
            "promote",
            before,
            audit::snapshot(&promoted),
        );
        self.emit_resource(EventType::EnrolmentPromoted, &promoted);
        let (seats, waitlist) = (
            self.workshop.seats_taken + 1,
            self.workshop.waitlist_count - 1,
        );
        self.set_counts(seats, waitlist).await?;
        Ok(Some(promoted))
    }

    /// Gives free seats to the waitlist, first come first served; returns those promoted.
    pub async fn fill_from_waitlist(&mut self) -> Result<Vec<enrolment::Model>> {
        let mut promoted = Vec::new();
        while seat_available(self.workshop.seats_taken, self.workshop.capacity)
            && self.workshop.waitlist_count > 0
        {
            match self.promote_next().await? {
                Some(p) => promoted.push(p),
                None => break,
            }
        }
        Ok(promoted)
    }

    /// Upserts attendance marks of this workshop's enrolments, one statement per 100 rows; a
    /// stored mark is only replaced by one made at the same time or later (`marked_at`), so a
    /// batch racing another can never put an older mark over a newer one.
    pub async fn upsert_attendance(&mut self, rows: Vec<attendance::ActiveModel>) -> Result<()> {
        let marks: Vec<Value> = rows
            .iter()
            .map(|r| {
                serde_json::json!({
                    "enrolment_id": r.enrolment_id.try_as_ref(),
                    "day": r.day.try_as_ref(),
                    "status": r.status.try_as_ref(),
                    "marked_at": r.marked_at.try_as_ref(),
                })
            })
            .collect();
        let data = serde_json::json!({"workshop_id": self.id(), "marks": marks});
        self.emit(EventType::AttendanceMarked, Some(data));
        let mut pending = rows.into_iter().peekable();
        while pending.peek().is_some() {
            let chunk: Vec<_> = pending.by_ref().take(100).collect();
            let on_conflict =
                OnConflict::columns([attendance::Column::EnrolmentId, attendance::Column::Day])
                    .update_columns([
                        attendance::Column::Status,
                        attendance::Column::MarkedAt,
                        attendance::Column::RecordedBy,
                        attendance::Column::UpdatedAt,
                    ])
                    .action_and_where(
                        Expr::col((attendance::Entity, attendance::Column::MarkedAt)).lte(
                            Expr::col((Alias::new("excluded"), attendance::Column::MarkedAt)),
                        ),
                    )
                    .to_owned();
            attendance::Entity::insert_many(chunk)
                .on_conflict(on_conflict)
                .exec_without_returning(&self.write.txn)
                .await?;
        }
        let id = self.id();
        self.touch(id, |t| t.attendance = true);
        Ok(())
    }

    /// Saves one assessment score of this workshop's enrolments (`stored`: whether one of its
    /// kind exists and is replaced).
    pub async fn save_assessment(
        &mut self,
        row: assessment::ActiveModel,
        stored: bool,
    ) -> Result<()> {
        let data = serde_json::json!({
            "workshop_id": self.id(),
            "enrolment_id": row.enrolment_id.try_as_ref(),
            "kind": row.kind.try_as_ref(),
            "score": row.score.try_as_ref(),
            "max_score": row.max_score.try_as_ref(),
        });
        self.emit(EventType::AssessmentRecorded, Some(data));
        if stored {
            row.update(&self.write.txn).await?;
        } else {
            assessment::Entity::insert(row)
                .exec(&self.write.txn)
                .await?;
        }
        let id = self.id();
        self.touch(id, |t| t.assessments = true);
        Ok(())
    }

    /// Issues one certificate of this workshop (audited as `issue`).
    pub async fn issue_certificate(
        &mut self,
        row: certificate::ActiveModel,
    ) -> Result<certificate::Model> {
        let saved = certificate::Entity::insert(row)
            .exec_with_returning(&self.write.txn)
            .await?;
        self.audit(
            "certificate",
            saved.id,
            "issue",
            None,
            audit::snapshot(&saved),
        );
        self.emit_resource(EventType::CertificateIssued, &saved);
        let id = self.id();
        self.touch(id, |t| t.everything = true);
        Ok(saved)
    }

    /// Revokes one valid certificate of this workshop (audited as `revoke`).
    pub async fn revoke_certificate(
        &mut self,
        current: certificate::Model,
        reason: String,
    ) -> Result<certificate::Model> {
        let before = audit::snapshot(&current);
        let mut model = current.into_active_model();
        model.status = Set(CertificateStatus::Revoked);
        model.revoked_at = Set(Some(Utc::now()));
        model.revoked_reason = Set(Some(reason));
        let revoked = model.update(&self.write.txn).await?;
        self.audit(
            "certificate",
            revoked.id,
            "revoke",
            before,
            audit::snapshot(&revoked),
        );
        self.emit_resource(EventType::CertificateRevoked, &revoked);
        let id = self.id();
        self.touch(id, |t| t.everything = true);
        Ok(revoked)
    }

    /// Marks one valid certificate of this workshop as replaced by `successor` (a reissue,
    /// audited as `reissue` with the reason). Nothing it printed changes.
    pub async fn supersede_certificate(
        &mut self,
        current: certificate::Model,
        successor: &certificate::Model,
        reason: &str,
    ) -> Result<certificate::Model> {
        let before = audit::snapshot(&current);
        let mut model = current.into_active_model();
        model.status = Set(CertificateStatus::Superseded);
        model.superseded_by_id = Set(Some(successor.id));
        let superseded = model.update(&self.write.txn).await?;
        let mut after = audit::snapshot(&superseded);
        if let Some(Value::Object(fields)) = &mut after {
            fields.insert("reissue_reason".into(), reason.into());
            fields.insert(
                "superseded_by_number".into(),
                successor.number.clone().into(),
            );
        }
        self.audit("certificate", superseded.id, "reissue", before, after);
        let mut data = webhook::Resource::to_data(successor);
        if let Value::Object(fields) = &mut data {
            fields.insert("reason".into(), reason.into());
        }
        self.emit(EventType::CertificateReissued, Some(data));
        let id = self.id();
        self.touch(id, |t| t.everything = true);
        Ok(superseded)
    }

    /// Recounts what the write moved, writes its audit records and commits; returns the
    /// workshop as committed.
    pub async fn commit(self) -> Result<workshop::Model> {
        self.write.commit().await?;
        Ok(self.workshop)
    }
}

#[cfg(test)]
mod tests {
    use sea_orm::{ConnectionTrait, Statement};

    use super::*;
    use crate::{
        domain::{course::CourseChanges, participant::ParticipantText},
        services::{courses, participants, workshops},
        testing::ScratchDatabase,
    };

    /// The tally row of a workshop as stored, as text (every column).
    async fn stats(db: &impl ConnectionTrait, id: i64) -> String {
        let row = db
            .query_one_raw(Statement::from_sql_and_values(
                db.get_database_backend(),
                "SELECT enrolled, certified, days_attended, gain_count, enrolled_tg_revenue \
                 FROM workshop_stats WHERE workshop_id = $1",
                [id.into()],
            ))
            .await
            .unwrap()
            .expect("every workshop has its tallies row");
        (0..5)
            .map(|i| row.try_get_by_index::<i64>(i).unwrap().to_string())
            .collect::<Vec<_>>()
            .join(",")
    }

    /// What a full recount gives, computed in a transaction that is rolled back.
    async fn recounted(db: &DatabaseConnection, id: i64) -> String {
        let txn = begin_write(db).await.unwrap();
        tallies::refresh_workshop(&txn, id).await.unwrap();
        stats(&txn, id).await
    }

    /// A ToT workshop of a new five-day course `code`, starting on `start`.
    async fn tot_workshop(
        db: &DatabaseConnection,
        actor: &Actor,
        code: &str,
        start: &str,
        capacity: Option<i32>,
    ) -> i64 {
        let course = courses::create(
            db,
            actor,
            CourseChanges {
                code: Some(code.into()),
                title: Some(format!("Course {code}")),
                duration_days: Some(5),
                topics: Some(vec!["One".into()]),
                pass_mark: Some(50),
                min_attendance_days: Some(4),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        workshops::create(
            db,
            actor,
            workshops::NewWorkshop {
                course_id: course.id,
                level: entity::workshop::Level::Tot,
                parent_workshop_id: None,
                venue: "Harare".into(),
                organisation_id: None,
                ward: None,
                start_date: start.parse().unwrap(),
                capacity,
                trainer_ids: vec![],
                public: false,
            },
        )
        .await
        .unwrap()
        .workshop
        .id
    }

    async fn person(db: &DatabaseConnection, actor: &Actor, name: &str) -> i64 {
        participants::create(
            db,
            actor,
            participants::ParticipantChanges {
                text: ParticipantText {
                    full_name: Some(name.into()),
                    ..Default::default()
                },
                target_group: Some(entity::participant::TargetGroup::Revenue),
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .id
    }

    #[tokio::test]
    async fn commit_recounts_exactly_what_the_write_moved() {
        let (_scratch, url) = ScratchDatabase::create(None, "unit_of_work").await;
        let db = crate::db::connect(&url, 4).await.unwrap();
        let actor = Actor::system("test");
        let workshop = tot_workshop(&db, &actor, "UOW", "2030-06-03", Some(1)).await;
        assert_eq!(
            stats(&db, workshop).await,
            "0,0,0,0,0",
            "created with its row"
        );
        let (first, second) = (
            person(&db, &actor, "Tendai Moyo").await,
            person(&db, &actor, "Rudo Banda").await,
        );

        // A seat moves the tallies: the write notes it and its commit recounts.
        let mut write = WorkshopWrite::begin(&db, &actor, workshop).await.unwrap();
        let seat = write.enrol(first, None).await.unwrap();
        assert!(seat.seated);
        assert!(write.touched()[&workshop].everything);
        write.commit().await.unwrap();
        assert_eq!(stats(&db, workshop).await, "1,0,0,0,1");
        assert_eq!(stats(&db, workshop).await, recounted(&db, workshop).await);

        // A waitlist place moves nothing the reports count: nothing is noted.
        let mut write = WorkshopWrite::begin(&db, &actor, workshop).await.unwrap();
        let place = write.enrol(second, None).await.unwrap();
        assert_eq!(place.waitlist_position, Some(1));
        assert!(write.touched().is_empty());
        let committed = write.commit().await.unwrap();
        assert_eq!((committed.seats_taken, committed.waitlist_count), (1, 1));

        // Withdrawing the seat promotes the waitlist; the counts and the tallies follow.
        let mut write = WorkshopWrite::begin(&db, &actor, workshop).await.unwrap();
        let (_, promoted) = write.withdraw(seat.enrolment).await.unwrap();
        assert_eq!(promoted.map(|p| p.participant_id), Some(second));
        let committed = write.commit().await.unwrap();
        assert_eq!((committed.seats_taken, committed.waitlist_count), (1, 0));
        assert_eq!(stats(&db, workshop).await, recounted(&db, workshop).await);

        // Dropped without a commit, a write changes nothing (and records nothing).
        let audit_rows = || async {
            crate::services::audit::list(
                &db,
                Default::default(),
                crate::services::PageRequest {
                    limit: 1,
                    offset: 0,
                },
            )
            .await
            .unwrap()
            .total
        };
        let before = audit_rows().await;
        let mut write = WorkshopWrite::begin(&db, &actor, workshop).await.unwrap();
        write.update(|w| w.capacity = Set(2)).await.unwrap();
        write.audit("workshop", workshop, "update", None, None);
        drop(write);
        assert_eq!(audit_rows().await, before);
        let write = WorkshopWrite::begin(&db, &actor, workshop).await.unwrap();
        assert_eq!(write.workshop().capacity, 1);
    }

    #[tokio::test]
    async fn marks_recount_only_their_own_figures() {
        let (_scratch, url) = ScratchDatabase::create(None, "unit_of_work").await;
        let db = crate::db::connect(&url, 4).await.unwrap();
        let actor = Actor::system("test");
        let workshop = tot_workshop(&db, &actor, "MRK", "2020-06-01", None).await;
        let someone = person(&db, &actor, "Chipo Dube").await;
        let mut write = WorkshopWrite::begin(&db, &actor, workshop).await.unwrap();
        let seat = write.enrol(someone, None).await.unwrap().enrolment;
        write.commit().await.unwrap();

        let mut write = WorkshopWrite::begin(&db, &actor, workshop).await.unwrap();
        let now = Utc::now();
        write
            .upsert_attendance(vec![attendance::ActiveModel {
                enrolment_id: Set(seat.id),
                day: Set(1),
                status: Set(entity::attendance::AttendanceStatus::Present),
                marked_at: Set(now),
                recorded_by: Set("test".into()),
                updated_at: Set(now),
            }])
            .await
            .unwrap();
        assert_eq!(
            write.touched()[&workshop],
            Touched {
                attendance: true,
                ..Default::default()
            }
        );
        write.commit().await.unwrap();
        assert_eq!(stats(&db, workshop).await, "1,0,1,0,1");
        assert_eq!(stats(&db, workshop).await, recounted(&db, workshop).await);
    }
}
