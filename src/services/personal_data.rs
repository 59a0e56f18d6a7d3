//! Everything held about one person, gathered for the data subject's right of access
//! (Zimbabwe's Cyber and Data Protection Act): their record, their enrolments with the consent
//! recorded, attendance marks, assessment scores, certificates, the outreach meetings they
//! recorded, the mail sent to them (bodies included) and the audit entries about them.
//!
//! Read in one snapshot (a read transaction), so the document is consistent with itself.

use chrono::{DateTime, Utc};
use entity::{
    assessment, attendance, audit_log, certificate, course, email_outbox, enrolment, organisation,
    outreach, participant, sms_outbox, workshop,
};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, TransactionTrait,
};

use crate::domain::Result;

/// One enrolment, with the workshop it is in and the marks and scores recorded for it.
#[derive(Debug, Clone)]
pub struct EnrolmentHeld {
    pub enrolment: enrolment::Model,
    pub course_code: String,
    pub course_title: String,
    pub level: workshop::Level,
    pub venue: String,
    pub start_date: chrono::NaiveDate,
    pub attendance: Vec<attendance::Model>,
    pub assessments: Vec<assessment::Model>,
}

/// A certificate as held (without its PDF bytes, which the document links to instead).
#[derive(Debug, Clone)]
pub struct CertificateHeld {
    pub certificate: certificate::Model,
    /// Whether a PDF is still stored.
    pub pdf_stored: bool,
}

/// Everything held about one participant.
#[derive(Debug, Clone)]
pub struct PersonalData {
    pub exported_at: DateTime<Utc>,
    pub participant: participant::Model,
    pub organisation_name: Option<String>,
    pub enrolments: Vec<EnrolmentHeld>,
    pub certificates: Vec<CertificateHeld>,
    pub outreach: Vec<outreach::Model>,
    pub mail: Vec<email_outbox::Model>,
    pub sms: Vec<sms_outbox::Model>,
    pub audit: Vec<audit_log::Model>,
}

/// Gathers everything held about participant `id` (404 when unknown).
pub async fn export(db: &sea_orm::DatabaseConnection, id: i64) -> Result<PersonalData> {
    let txn = db.begin().await?;
    let data = gather(&txn, id).await?;
    txn.commit().await?;
    Ok(data)
}

async fn gather(db: &impl ConnectionTrait, id: i64) -> Result<PersonalData> {
    let participant = super::participants::get(db, id).await?;
    let organisation_name = match participant.organisation_id {
        Some(org) => organisation::Entity::find_by_id(org)
            .one(db)
            .await?
            .map(|o| o.name),
        None => None,
    };
    let enrolments = enrolments_held(db, id).await?;
    let enrolment_ids: Vec<i64> = enrolments.iter().map(|e| e.enrolment.id).collect();
    let certificates = certificates_held(db, id).await?;
    let certificate_ids: Vec<i64> = certificates.iter().map(|c| c.certificate.id).collect();
    let outreach = outreach::Entity::find()
        .filter(outreach::Column::ParticipantId.eq(id))
        .order_by_asc(outreach::Column::Id)
        .all(db)
        .await?;
    let outreach_ids: Vec<i64> = outreach.iter().map(|o| o.id).collect();
    let mail = email_outbox::Entity::find()
        .filter(mail_to(&participant, &enrolment_ids, &certificate_ids))
        .order_by_asc(email_outbox::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|mut m| {
            // The attachment is the certificate PDF, listed under certificates.
            m.attachment_data = None;
            m
        })
        .collect();
    let sms = sms_outbox::Entity::find()
        .filter(sms_to(&participant, &enrolment_ids))
        .order_by_asc(sms_outbox::Column::Id)
        .all(db)
        .await?;
    let audit = audit_log::Entity::find()
        .filter(
            Condition::any()
                .add(audit_about("participant", &[id]))
                .add(audit_about("enrolment", &enrolment_ids))
                .add(audit_about("certificate", &certificate_ids))
                .add(audit_about("outreach", &outreach_ids)),
        )
        .order_by_asc(audit_log::Column::Id)
        .all(db)
        .await?;
    Ok(PersonalData {
        exported_at: Utc::now(),
        participant,
        organisation_name,
        enrolments,
        certificates,
        outreach,
        mail,
        sms,
        audit,
    })
}

/// Mail held for a person: to their address, or about their enrolments and certificates (sent
/// to an address they had before).
pub fn mail_to(
    person: &participant::Model,
    enrolment_ids: &[i64],
    certificate_ids: &[i64],
) -> Condition {
    let mut to_them = Condition::any()
        .add(email_outbox::Column::EnrolmentId.is_in(enrolment_ids.iter().copied()))
        .add(email_outbox::Column::CertificateId.is_in(certificate_ids.iter().copied()));
    if let Some(email) = &person.email {
        to_them = to_them.add(email_outbox::Column::Recipient.eq(email.as_str()));
    }
    to_them
}

/// SMS held for a person: to their number, to their person, or about their seats.
pub fn sms_to(person: &participant::Model, enrolment_ids: &[i64]) -> Condition {
    let mut texted_them = Condition::any()
        .add(sms_outbox::Column::ParticipantId.eq(person.id))
        .add(sms_outbox::Column::EnrolmentId.is_in(enrolment_ids.iter().copied()));
    if let Some(phone) = &person.phone {
        texted_them = texted_them.add(sms_outbox::Column::Recipient.eq(phone.as_str()));
    }
    texted_them
}

/// Audit entries about rows `ids` of `entity`.
pub fn audit_about(entity: &str, ids: &[i64]) -> Condition {
    Condition::all()
        .add(audit_log::Column::Entity.eq(entity))
        .add(audit_log::Column::EntityId.is_in(ids.iter().copied()))
}

/// Their enrolments in id order, each with its workshop's course, level, venue and start, and
/// the marks and scores recorded for it.
async fn enrolments_held(db: &impl ConnectionTrait, id: i64) -> Result<Vec<EnrolmentHeld>> {
    let rows = enrolment::Entity::find()
        .filter(enrolment::Column::ParticipantId.eq(id))
        .order_by_asc(enrolment::Column::Id)
        .all(db)
        .await?;
    let ids: Vec<i64> = rows.iter().map(|e| e.id).collect();
    let workshops = workshop::Entity::find()
        .filter(workshop::Column::Id.is_in(rows.iter().map(|e| e.workshop_id)))
        .all(db)
        .await?;
    let courses = course::Entity::find()
        .filter(course::Column::Id.is_in(workshops.iter().map(|w| w.course_id)))
        .all(db)
        .await?;
    let marks = attendance::Entity::find()
        .filter(attendance::Column::EnrolmentId.is_in(ids.clone()))
        .order_by_asc(attendance::Column::EnrolmentId)
        .order_by_asc(attendance::Column::Day)
        .all(db)
        .await?;
    let scores = assessment::Entity::find()
        .filter(assessment::Column::EnrolmentId.is_in(ids))
        .order_by_asc(assessment::Column::EnrolmentId)
        .all(db)
        .await?;
    let mut enrolments = Vec::with_capacity(rows.len());
    for e in rows {
        let Some(w) = workshops.iter().find(|w| w.id == e.workshop_id) else {
            continue;
        };
        let c = courses.iter().find(|c| c.id == w.course_id);
        enrolments.push(EnrolmentHeld {
            course_code: c.map(|c| c.code.clone()).unwrap_or_default(),
            course_title: c.map(|c| c.title.clone()).unwrap_or_default(),
            level: w.level,
            venue: w.venue.clone(),
            start_date: w.start_date,
            attendance: marks
                .iter()
                .filter(|m| m.enrolment_id == e.id)
                .cloned()
                .collect(),
            assessments: scores
                .iter()
                .filter(|s| s.enrolment_id == e.id)
                .cloned()
                .collect(),
            enrolment: e,
        });
    }
    Ok(enrolments)
}

/// Their certificates without the PDF bytes: only whether one is stored.
async fn certificates_held(db: &impl ConnectionTrait, id: i64) -> Result<Vec<CertificateHeld>> {
    Ok(certificate::Entity::find()
        .filter(certificate::Column::ParticipantId.eq(id))
        .order_by_asc(certificate::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|mut c| {
            let pdf_stored = !c.pdf.is_empty();
            c.pdf = Vec::new();
            CertificateHeld {
                certificate: c,
                pdf_stored,
            }
        })
        .collect())
}
