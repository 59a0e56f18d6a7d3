//! The mail a participant receives along the way, queued in the outbox in the same transaction
//! as the change it announces: enrolment confirmation (with the workshop's `.ics`), waitlist
//! notice, promotion (with the `.ics`), reminder, cancellation and evaluation request.
//!
//! Each goes at most once per enrolment and kind: the outbox's unique `dedupe_key` decides, so
//! a re-enrolment after withdrawal, a retried request or two instances running the reminder job
//! insert nothing the second time. Participants without an email address get no mail.

use std::collections::{HashMap, HashSet};

use chrono::{Days, NaiveDate};
use entity::{
    attendance, email_outbox::EmailKind, enrolment, enrolment::EnrolmentStatus, participant,
    workshop,
};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use super::{
    participant_sms,
    scheduled::Schedule,
    workshop_queries::{self, WorkshopView},
};
use crate::{
    calendar,
    db::{WriteTxn, begin_write},
    domain::{Result, eligibility::counts_as_attended, language::Lang, schedule::local_today},
    mail::{
        journey::{self, Day, Facts},
        outbox::{self, NewMessage},
    },
};

/// The language a participant asked to read, when recorded (their pages, mail and SMS use it
/// before `?lang=` and the browser's).
pub fn preferred_language(participant: &participant::Model) -> Option<Lang> {
    Some(super::participant_sms::lang_of(participant))
}

/// The language of everything sent to a participant: their own, else English.
pub fn language_of(participant: &participant::Model) -> Lang {
    preferred_language(participant).unwrap_or_default()
}

/// The language of everything sent to each of the participants `ids` ([`language_of`]).
pub async fn languages_of(
    db: &impl sea_orm::ConnectionTrait,
    ids: impl IntoIterator<Item = i64>,
) -> Result<HashMap<i64, Lang>> {
    let ids: HashSet<i64> = ids.into_iter().collect();
    Ok(participant::Entity::find()
        .filter(participant::Column::Id.is_in(ids))
        .all(db)
        .await?
        .iter()
        .map(|p| (p.id, language_of(p)))
        .collect())
}

fn facts(
    view: &WorkshopView,
    participant: &participant::Model,
    position: Option<u64>,
    public_url: &str,
) -> Facts {
    let w = &view.workshop;
    Facts {
        participant_name: participant.full_name.clone(),
        course_title: view.course.title.clone(),
        course_code: view.course.code.clone(),
        level: journey::level_in(language_of(participant), w.level),
        venue: w.venue.clone(),
        start_date: w.start_date,
        end_date: w.end_date,
        days: view
            .days
            .iter()
            .map(|d| Day {
                day: d.day,
                date: d.date,
                topics: d.topics.clone(),
            })
            .collect(),
        waitlist_position: position,
        evaluation_url: evaluation_page_url(public_url, w.id),
    }
}

/// The portal's evaluation page of a workshop (where the evaluation request links).
pub fn evaluation_page_url(public_url: &str, workshop_id: i64) -> String {
    format!(
        "{}/portal/workshops/{workshop_id}/evaluation",
        public_url.trim_end_matches('/')
    )
}

/// Queues the message of `kind` about `enrolment` to its participant, unless they have no
/// address or already got this kind for this enrolment. Returns whether it was queued. (The
/// workshop is read only for a participant with an address.)
pub async fn notify(
    db: &WriteTxn,
    kind: EmailKind,
    enrolment: &enrolment::Model,
    position: Option<u64>,
    public_url: &str,
) -> Result<bool> {
    let Some(participant) = participant::Entity::find_by_id(enrolment.participant_id)
        .one(db)
        .await?
        .filter(|p| {
            p.email.as_deref().is_some_and(|a| !a.trim().is_empty())
                || participant_sms::sms_number(p).is_some()
        })
    else {
        return Ok(false);
    };
    let view = workshop_queries::get(db, enrolment.workshop_id).await?;
    notify_participant(
        db,
        kind,
        enrolment,
        &participant,
        &view,
        position,
        public_url,
    )
    .await
}

async fn notify_participant(
    db: &WriteTxn,
    kind: EmailKind,
    enrolment: &enrolment::Model,
    participant: &participant::Model,
    view: &WorkshopView,
    position: Option<u64>,
    public_url: &str,
) -> Result<bool> {
    if !journey::worth_sending(kind, view.workshop.start_date, local_today()) {
        return Ok(false);
    }
    // The SMS of the same event, for participants reached by SMS (`contact_by`).
    let texted =
        participant_sms::journey(db, kind, enrolment, participant, view, position, public_url)
            .await?;
    let Some(address) = participant
        .email
        .clone()
        .filter(|a| !a.trim().is_empty() && participant_sms::wants_email(participant))
    else {
        return Ok(texted);
    };
    let Some(composed) = journey::compose_in(
        kind,
        &facts(view, participant, position, public_url),
        language_of(participant),
    ) else {
        return Ok(false);
    };
    let attachment = matches!(
        kind,
        EmailKind::EnrolmentConfirmation | EmailKind::Promotion
    )
    .then(|| {
        (
            format!("workshop-{}.ics", view.workshop.id),
            "text/calendar; charset=utf-8".to_owned(),
            calendar::workshop_calendar(view, public_url).into_bytes(),
        )
    });
    let queued = outbox::queue(
        db,
        NewMessage {
            kind,
            recipient: address,
            recipient_name: participant.full_name.clone(),
            subject: composed.subject,
            body_text: composed.text,
            body_html: composed.html,
            certificate_id: None,
            enrolment_id: Some(enrolment.id),
            dedupe_key: Some(outbox::once_per_enrolment(kind, enrolment.id)),
            attachment,
        },
    )
    .await?;
    Ok(queued)
}

/// Queues the message of `kind` to each of `enrolments` (all of one workshop); returns how
/// many were queued.
async fn notify_many(
    db: &WriteTxn,
    kind: EmailKind,
    enrolments: &[enrolment::Model],
    view: &WorkshopView,
    public_url: &str,
) -> Result<u32> {
    let people: HashMap<i64, participant::Model> = participant::Entity::find()
        .filter(participant::Column::Id.is_in(enrolments.iter().map(|e| e.participant_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let mut queued = 0;
    for e in enrolments {
        if let Some(p) = people.get(&e.participant_id)
            && notify_participant(db, kind, e, p, view, None, public_url).await?
        {
            queued += 1;
        }
    }
    Ok(queued)
}

/// A workshop was cancelled: everyone enrolled or waitlisted hears it.
pub async fn workshop_cancelled(db: &WriteTxn, workshop_id: i64, public_url: &str) -> Result<u32> {
    let view = workshop_queries::get(db, workshop_id).await?;
    let enrolments = enrolment::Entity::find()
        .filter(enrolment::Column::WorkshopId.eq(workshop_id))
        .filter(
            enrolment::Column::Status
                .is_in([EnrolmentStatus::Enrolled, EnrolmentStatus::Waitlisted]),
        )
        .all(db)
        .await?;
    notify_many(db, EmailKind::Cancellation, &enrolments, &view, public_url).await
}

/// A workshop was completed: everyone who attended at least one day is asked to evaluate it.
pub async fn workshop_completed(db: &WriteTxn, workshop_id: i64, public_url: &str) -> Result<u32> {
    let view = workshop_queries::get(db, workshop_id).await?;
    let enrolments = enrolment::Entity::find()
        .filter(enrolment::Column::WorkshopId.eq(workshop_id))
        .filter(enrolment::Column::Status.eq(EnrolmentStatus::Enrolled))
        .all(db)
        .await?;
    let attended: HashSet<i64> = attendance::Entity::find()
        .filter(attendance::Column::EnrolmentId.is_in(enrolments.iter().map(|e| e.id)))
        .all(db)
        .await?
        .into_iter()
        .filter(|a| counts_as_attended(a.status))
        .map(|a| a.enrolment_id)
        .collect();
    let attendees: Vec<enrolment::Model> = enrolments
        .into_iter()
        .filter(|e| attended.contains(&e.id))
        .collect();
    notify_many(
        db,
        EmailKind::EvaluationRequest,
        &attendees,
        &view,
        public_url,
    )
    .await
}

/// The reminder job, once: queues a reminder to every participant holding a seat in a
/// scheduled workshop that starts between `today` and `today + days_ahead` (inclusive).
/// Safe to run as often as one likes and from several instances at once: each enrolment gets
/// at most one reminder (the outbox's unique key), so a second run inserts nothing. Returns
/// how many reminders this run queued.
pub async fn queue_reminders(
    db: &DatabaseConnection,
    today: NaiveDate,
    days_ahead: u32,
    public_url: &str,
) -> Result<u32> {
    let until = today
        .checked_add_days(Days::new(u64::from(days_ahead)))
        .unwrap_or(today);
    let soon = workshop::Entity::find()
        .filter(workshop::Column::Status.eq(workshop::Status::Scheduled))
        .filter(workshop::Column::StartDate.gte(today))
        .filter(workshop::Column::StartDate.lte(until))
        .all(db)
        .await?;
    let mut queued = 0;
    for w in soon {
        let txn = begin_write(db).await?;
        let view = workshop_queries::get(&txn, w.id).await?;
        if view.workshop.status != workshop::Status::Scheduled {
            continue;
        }
        let seated = enrolment::Entity::find()
            .filter(enrolment::Column::WorkshopId.eq(w.id))
            .filter(enrolment::Column::Status.eq(EnrolmentStatus::Enrolled))
            .all(&txn)
            .await?;
        queued += notify_many(&txn, EmailKind::Reminder, &seated, &view, public_url).await?;
        txn.commit().await?;
    }
    Ok(queued)
}

pub use super::scheduled::Clock;

/// The scheduled job that queues reminders.
pub struct ReminderJob {
    pub db: DatabaseConnection,
    /// `CSSD_REMINDER_DAYS`.
    pub days_ahead: u32,
    pub public_url: String,
    /// When it runs (`CSSD_REMINDER_INTERVAL_SECONDS`, and at once on start).
    pub schedule: Schedule,
}

impl ReminderJob {
    /// Runs [`queue_reminders`] on its schedule until `shutdown` turns true.
    pub async fn run(self, shutdown: tokio::sync::watch::Receiver<bool>) {
        let (db, days_ahead, public_url) = (self.db, self.days_ahead, self.public_url);
        self.schedule
            .run(shutdown, |today| {
                queue_reminders(&db, today, days_ahead, &public_url)
            })
            .await;
    }
}
