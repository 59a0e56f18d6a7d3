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

    let enrolment_rows = enrolment::Entity::find()
        .filter(enrolment::Column::ParticipantId.eq(id))
        .order_by_asc(enrolment::Column::Id)
        .all(db)
        .await?;
    let enrolment_ids: Vec<i64> = enrolment_rows.iter().map(|e| e.id).collect();
    let workshop_ids: Vec<i64> = enrolment_rows.iter().map(|e| e.workshop_id).collect();
    let workshops = workshop::Entity::find()
        .filter(workshop::Column::Id.is_in(workshop_ids))
        .all(db)
        .await?;
    let courses = course::Entity::find()
        .filter(course::Column::Id.is_in(workshops.iter().map(|w| w.course_id)))
        .all(db)
        .await?;
    let marks = attendance::Entity::find()
        .filter(attendance::Column::EnrolmentId.is_in(enrolment_ids.clone()))
        .order_by_asc(attendance::Column::EnrolmentId)
        .order_by_asc(attendance::Column::Day)
        .all(db)
        .await?;
    let scores = assessment::Entity::find()
        .filter(assessment::Column::EnrolmentId.is_in(enrolment_ids.clone()))
        .order_by_asc(assessment::Column::EnrolmentId)
        .all(db)
        .await?;
    let mut enrolments = Vec::with_capacity(enrolment_rows.len());
    for e in enrolment_rows {
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

    // Certificates without their PDF bytes: only whether one is stored.
    let certificates: Vec<CertificateHeld> = certificate::Entity::find()
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
        .collect();
    let certificate_ids: Vec<i64> = certificates.iter().map(|c| c.certificate.id).collect();

    let outreach = outreach::Entity::find()
        .filter(outreach::Column::ParticipantId.eq(id))
        .order_by_asc(outreach::Column::Id)
        .all(db)
        .await?;
    let outreach_ids: Vec<i64> = outreach.iter().map(|o| o.id).collect();

    // Mail to their address, or about their enrolments and certificates (sent to an address
    // they had before).
    let mut to_them = Condition::any()
        .add(email_outbox::Column::EnrolmentId.is_in(enrolment_ids.clone()))
        .add(email_outbox::Column::CertificateId.is_in(certificate_ids.clone()));
    if let Some(email) = &participant.email {
        to_them = to_them.add(email_outbox::Column::Recipient.eq(email.as_str()));
    }
    let mail = email_outbox::Entity::find()
        .filter(to_them)
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
    // SMS to their number, their person or about their seats.
    let mut texted_them = Condition::any()
        .add(sms_outbox::Column::ParticipantId.eq(id))
        .add(sms_outbox::Column::EnrolmentId.is_in(enrolment_ids.clone()));
    if let Some(phone) = &participant.phone {
        texted_them = texted_them.add(sms_outbox::Column::Recipient.eq(phone.as_str()));
    }
    let sms = sms_outbox::Entity::find()
        .filter(texted_them)
        .order_by_asc(sms_outbox::Column::Id)
        .all(db)
        .await?;

    let audit = audit_log::Entity::find()
        .filter(
            Condition::any()
                .add(
                    Condition::all()
                        .add(audit_log::Column::Entity.eq("participant"))
                        .add(audit_log::Column::EntityId.eq(id)),
                )
                .add(
                    Condition::all()
                        .add(audit_log::Column::Entity.eq("enrolment"))
                        .add(audit_log::Column::EntityId.is_in(enrolment_ids)),
                )
                .add(
                    Condition::all()
                        .add(audit_log::Column::Entity.eq("certificate"))
                        .add(audit_log::Column::EntityId.is_in(certificate_ids)),
                )
                .add(
                    Condition::all()
                        .add(audit_log::Column::Entity.eq("outreach"))
                        .add(audit_log::Column::EntityId.is_in(outreach_ids)),
                ),
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
