//! Reissuing certificates: correcting a misspelt name, a date or venue corrected on the
//! workshop, a changed signatory — without editing what was issued.
//!
//! A reissue prints a new certificate (new number, new verification code) from the
//! participant, workshop, course and signatory as they are now; the old certificate becomes
//! `superseded`, keeps every byte it printed, points at its successor (`superseded_by_id`) and
//! has its credential's status bit set; the new one points back (`supersedes_id`). All in the
//! workshop's unit of work, audited (`reissue` on the old one, with the reason; `issue` on the
//! new one); the holder is mailed the new certificate.

use std::{collections::HashMap, sync::Arc};

use chrono::{Datelike, Utc};
use entity::{
    certificate::{self, CertificateStatus},
    organisation, participant,
};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use super::{
    certificates::{
        self, IssueSettings, certificate_number, ensure_standing, new_row, render_all,
        render_failure, reserve_numbers, seal, unprintable, verification_code, verification_url,
    },
    credentials::{self, Keyring},
    participants::{self, ParticipantChanges},
    workshop_write::Write,
};
use crate::{
    certificate::{CertificateData, CertificateRenderer},
    domain::{Error, FieldError, Result, access::Actor, participant::ParticipantText},
    mail,
};

/// What the reissue needs besides the database: the renderer, the keys and what every
/// certificate prints.
pub struct Reissuer<'a> {
    pub renderer: Arc<CertificateRenderer>,
    pub keyring: &'a Keyring,
    pub settings: &'a IssueSettings,
}

/// What a reissue did.
#[derive(Debug, Clone)]
pub struct Reissued {
    /// The new certificates, in the order of the ones they replace.
    pub certificates: Vec<certificate::Model>,
    /// Emails queued to their holders.
    pub emails_queued: u32,
}

fn clean_reason(reason: &str) -> Result<String> {
    let mut errors = Vec::new();
    let reason = crate::domain::clean_text("reason", reason, 1000, &mut errors);
    if errors.is_empty() {
        Ok(reason)
    } else {
        Err(Error::Invalid(errors))
    }
}

/// Reissues one certificate, correcting the participant's name first when `full_name` is
/// given. 409 unless the certificate is valid; 422 for an empty reason or a name that is
/// invalid or cannot be printed (then nothing changes).
pub async fn reissue(
    db: &DatabaseConnection,
    actor: &Actor,
    with: &Reissuer<'_>,
    id: i64,
    reason: &str,
    full_name: Option<&str>,
) -> Result<Reissued> {
    let reason = clean_reason(reason)?;
    let current = certificates::get(db, id).await?;
    ensure_standing(db, &current).await?;
    if let Some(name) = full_name {
        with.renderer.check_holder_name(name.trim()).map_err(|e| {
            Error::Invalid(vec![FieldError::new(
                "full_name",
                unprintable(&e).unwrap_or_else(|| e.to_string()),
            )])
        })?;
        let changes = ParticipantChanges {
            text: ParticipantText {
                full_name: Some(name.to_owned()),
                ..Default::default()
            },
            ..Default::default()
        };
        participants::update(db, actor, current.participant_id, changes).await?;
    }
    reissue_in_workshop(db, actor, with, current.workshop_id, Some(id), &reason).await
}

/// Reissues every valid certificate of a workshop (its date, venue or signatory was
/// corrected). 422 for an empty reason; a workshop without valid certificates reissues none.
pub async fn reissue_workshop(
    db: &DatabaseConnection,
    actor: &Actor,
    with: &Reissuer<'_>,
    workshop_id: i64,
    reason: &str,
) -> Result<Reissued> {
    let reason = clean_reason(reason)?;
    reissue_in_workshop(db, actor, with, workshop_id, None, &reason).await
}

/// What a reissue prints besides the number and code: the workshop as it is now, its course,
/// organisation and lead trainer, and each holder's current name.
struct Printed {
    workshop: entity::workshop::Model,
    course: entity::course::Model,
    organisation_name: Option<String>,
    lead_trainer: Option<String>,
    holders: HashMap<i64, participant::Model>,
}

impl Printed {
    async fn read(
        txn: &sea_orm::DatabaseTransaction,
        workshop: entity::workshop::Model,
        olds: &[certificate::Model],
    ) -> Result<Self> {
        let course = entity::course::Entity::find_by_id(workshop.course_id)
            .one(txn)
            .await?
            .ok_or_else(|| Error::internal_message("the workshop's course is missing"))?;
        let organisation_name = match workshop.organisation_id {
            Some(id) => organisation::Entity::find_by_id(id)
                .one(txn)
                .await?
                .map(|o| o.name),
            None => None,
        };
        let lead_trainer = credentials::lead_trainer(txn, workshop.id).await?;
        let holders = participant::Entity::find()
            .filter(participant::Column::Id.is_in(olds.iter().map(|c| c.participant_id)))
            .all(txn)
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect();
        Ok(Self {
            workshop,
            course,
            organisation_name,
            lead_trainer,
            holders,
        })
    }

    /// The new certificate replacing `old`: a fresh verification code and what it prints.
    fn draft(
        &self,
        old: &certificate::Model,
        number: String,
        issued_on: chrono::NaiveDate,
        settings: &IssueSettings,
    ) -> (String, CertificateData) {
        let (workshop, course) = (&self.workshop, &self.course);
        let code = verification_code();
        let holder_name = self
            .holders
            .get(&old.participant_id)
            .map_or_else(|| old.holder_name.clone(), |p| p.full_name.clone());
        let data = CertificateData {
            holder_name,
            course_code: course.code.clone(),
            course_title: course.title.clone(),
            level: workshop.level,
            start_date: workshop.start_date,
            end_date: workshop.end_date,
            venue: workshop.venue.clone(),
            organisation: self.organisation_name.clone(),
            number,
            issued_on,
            verification_url: verification_url(&settings.public_url, &code),
            signatory_name: settings.signatory_name.clone(),
            signatory_title: settings.signatory_title.clone(),
            duration_days: course.duration_days.max(1) as u32,
            topics: course.topic_list(),
            lead_trainer: self.lead_trainer.clone(),
        };
        (code, data)
    }
}

/// Reissues certificate `only` of the workshop, or all its valid ones, in one unit of work.
async fn reissue_in_workshop(
    db: &DatabaseConnection,
    actor: &Actor,
    with: &Reissuer<'_>,
    workshop_id: i64,
    only: Option<i64>,
    reason: &str,
) -> Result<Reissued> {
    let write = Write::begin(db, actor).await?;
    let mut write = write.lock_workshop(workshop_id).await?;
    let mut query = certificate::Entity::find()
        .filter(certificate::Column::WorkshopId.eq(workshop_id))
        .order_by_asc(certificate::Column::Id);
    query = match only {
        Some(id) => query.filter(certificate::Column::Id.eq(id)),
        None => query.filter(certificate::Column::Status.eq(CertificateStatus::Valid)),
    };
    let olds = query.all(write.txn()).await?;
    for old in &olds {
        // Re-read under the workshop lock: a concurrent reissue or revocation is a 409.
        ensure_standing(write.txn(), old).await?;
    }
    if olds.is_empty() {
        write.commit().await?;
        return Ok(Reissued {
            certificates: vec![],
            emails_queued: 0,
        });
    }

    let printed = Printed::read(write.txn(), write.workshop().clone(), &olds).await?;
    let Printed {
        ref course,
        ref holders,
        ref lead_trainer,
        ..
    } = printed;
    let issued_on = crate::domain::schedule::local_today();
    let year = issued_on.year();
    let first = reserve_numbers(write.txn(), &course.code, year, olds.len() as i64).await?;
    let drafts: Vec<(String, CertificateData)> = olds
        .iter()
        .enumerate()
        .map(|(i, old)| {
            let number = certificate_number(&course.code, year, first + i as i64);
            printed.draft(old, number, issued_on, with.settings)
        })
        .collect();
    let pdfs = render_all(
        with.renderer.clone(),
        drafts.iter().map(|(_, d)| d.clone()).collect(),
    )
    .await?;

    let now = Utc::now();
    let mut fresh = Vec::with_capacity(olds.len());
    let mut details = Vec::with_capacity(olds.len());
    for ((old, (code, data)), pdf) in olds.iter().zip(drafts).zip(pdfs) {
        let pdf = pdf.map_err(render_failure)?;
        let owner = (old.enrolment_id, old.participant_id, workshop_id, course.id);
        let row = new_row(&data, code, pdf, now, owner, Some(old.id));
        let saved = write.issue_certificate(row).await?;
        write
            .supersede_certificate(old.clone(), &saved, reason)
            .await?;
        // The old credential no longer stands: its status bit is set, as for a revocation.
        credentials::mark_revoked(write.txn(), old.id).await?;
        details.push((
            saved.id,
            credentials::IssueDetails {
                email: holders
                    .get(&old.participant_id)
                    .and_then(|p| p.email.clone()),
                topics: course.topic_list(),
                duration_days: course.duration_days,
                criteria: credentials::criteria_in_words(course),
                lead_trainer_name: lead_trainer.clone(),
            },
        ));
        fresh.push(saved);
    }
    credentials::record_issue(write.txn(), &details).await?;
    let issuer = credentials::issuer(&with.settings.public_url);
    let fresh = seal(write.txn(), with.keyring, &issuer, fresh).await?;

    let mut emails_queued = 0;
    for (old, new) in olds.iter().zip(&fresh) {
        let holder = holders.get(&new.participant_id);
        let lang = holder
            .map(super::participant_mail::language_of)
            .unwrap_or_default();
        if let Some(address) = holder.and_then(|p| p.email.clone())
            && mail::outbox::queue_reissued_certificate(
                write.txn(),
                new,
                old,
                reason,
                &address,
                lang,
            )
            .await?
        {
            emails_queued += 1;
        }
    }
    write.commit().await?;
    metrics::counter!("cssd_certificates_issued_total").increment(fresh.len() as u64);
    Ok(Reissued {
        certificates: fresh,
        emails_queued,
    })
}
