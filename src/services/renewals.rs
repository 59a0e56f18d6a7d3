//! Renewal reminders: a trainer whose ToT certificate lapses within
//! `CSSD_RENEWAL_REMINDER_DAYS` (default 60) is mailed what to do (mail kind
//! `renewal_reminder`), once per certification — the outbox's unique key decides
//! (`renewal_reminder:enrolment:<id>`, so a reissued certificate is not reminded again), and a
//! trainer who already holds a later certificate of the course is not reminded at all.
//! Modelled on the workshop reminder job (`participant_mail`), with the same controllable clock.

use std::collections::HashMap;

use chrono::NaiveDate;
use entity::{
    app_user,
    certificate::{self, CertificateStatus},
    course,
    email_outbox::EmailKind,
    participant,
    workshop::Level,
};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use crate::{
    db::begin_write,
    domain::{
        Result,
        certification::{expires_within, valid_until},
    },
    mail::{
        compose,
        outbox::{self, NewMessage},
    },
};

/// A ToT certificate that lapses soon, with its last valid day.
#[derive(Debug, Clone)]
pub struct Lapsing {
    pub certificate: certificate::Model,
    pub valid_until: NaiveDate,
}

/// The valid ToT certificates that lapse within `days` of `today` (still valid today), one per
/// holder and course: the latest one, and only when no later certificate of the course keeps
/// the holder entitled beyond the window.
pub async fn lapsing(db: &DatabaseConnection, today: NaiveDate, days: u32) -> Result<Vec<Lapsing>> {
    let months: HashMap<i64, i32> = course::Entity::find()
        .filter(course::Column::TrainerCertificateValidMonths.is_not_null())
        .all(db)
        .await?
        .into_iter()
        .filter_map(|c| c.trainer_certificate_valid_months.map(|m| (c.id, m)))
        .collect();
    if months.is_empty() {
        return Ok(vec![]);
    }
    let held = certificate::Entity::find()
        .filter(certificate::Column::Level.eq(Level::Tot))
        .filter(certificate::Column::Status.eq(CertificateStatus::Valid))
        .filter(certificate::Column::CourseId.is_in(months.keys().copied()))
        .all(db)
        .await?;
    // The latest-lapsing certificate per (holder, course).
    let mut latest: HashMap<(i64, i64), Lapsing> = HashMap::new();
    for c in held {
        let Some(until) = valid_until(c.end_date, months.get(&c.course_id).copied()) else {
            continue;
        };
        let key = (c.participant_id, c.course_id);
        if latest.get(&key).is_none_or(|l| l.valid_until < until) {
            latest.insert(
                key,
                Lapsing {
                    certificate: c,
                    valid_until: until,
                },
            );
        }
    }
    let mut found: Vec<Lapsing> = latest
        .into_values()
        .filter(|l| expires_within(Some(l.valid_until), today, days.saturating_add(1)))
        .collect();
    found.sort_by_key(|l| (l.valid_until, l.certificate.id));
    Ok(found)
}

/// The renewal job, once: queues a reminder to the holder of every ToT certificate that lapses
/// within `days` of `today` (at the holder's address, else their trainer account's). Safe to run
/// as often as one likes and from several instances: a second run inserts nothing. Returns how
/// many this run queued.
pub async fn queue_renewal_reminders(
    db: &DatabaseConnection,
    today: NaiveDate,
    days: u32,
    public_url: &str,
) -> Result<u32> {
    let lapsing = lapsing(db, today, days).await?;
    if lapsing.is_empty() {
        return Ok(0);
    }
    let holders = lapsing.iter().map(|l| l.certificate.participant_id);
    let addresses: HashMap<i64, String> = participant::Entity::find()
        .filter(participant::Column::Id.is_in(holders.clone()))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|p| p.email.filter(|e| !e.trim().is_empty()).map(|e| (p.id, e)))
        .collect();
    let accounts: HashMap<i64, String> = app_user::Entity::find()
        .filter(app_user::Column::ParticipantId.is_in(holders))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|u| u.participant_id.map(|p| (p, u.email)))
        .collect();
    let mut queued = 0;
    let txn = begin_write(db).await?;
    for l in &lapsing {
        let c = &l.certificate;
        let Some(address) = addresses
            .get(&c.participant_id)
            .or_else(|| accounts.get(&c.participant_id))
        else {
            continue;
        };
        let (subject, body_text, body_html) =
            compose::renewal_reminder_email(c, l.valid_until, public_url);
        let message = NewMessage {
            kind: EmailKind::RenewalReminder,
            recipient: address.clone(),
            recipient_name: c.holder_name.clone(),
            subject,
            body_text,
            body_html,
            certificate_id: None,
            enrolment_id: Some(c.enrolment_id),
            dedupe_key: Some(outbox::once_per_enrolment(
                EmailKind::RenewalReminder,
                c.enrolment_id,
            )),
            attachment: None,
        };
        if outbox::queue(&txn, message).await? {
            queued += 1;
        }
    }
    txn.commit().await?;
    Ok(queued)
}

/// The scheduled job that queues renewal reminders.
pub struct RenewalJob {
    pub db: DatabaseConnection,
    /// `CSSD_RENEWAL_REMINDER_DAYS`.
    pub days_ahead: u32,
    pub public_url: String,
    /// When it runs (`CSSD_REMINDER_INTERVAL_SECONDS`, and at once on start).
    pub schedule: super::scheduled::Schedule,
}

impl RenewalJob {
    /// Runs [`queue_renewal_reminders`] on its schedule until `shutdown` turns true.
    pub async fn run(self, shutdown: tokio::sync::watch::Receiver<bool>) {
        let (db, days_ahead, public_url) = (self.db, self.days_ahead, self.public_url);
        self.schedule
            .run(shutdown, |today| {
                queue_renewal_reminders(&db, today, days_ahead, &public_url)
            })
            .await;
    }
}
