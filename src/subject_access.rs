//! The data subject's access document: everything held about one participant, as one JSON
//! document with a typed schema (so generated clients get it). Both edges send exactly this
//! shape — the API (`GET /api/v1/participants/{id}/export`, `GET /api/v1/me/export`) and the
//! portal's "Download my data" — so it lives below both (docs/PERSONAL_DATA.md describes it).
//!
//! Values that the API spells as enums elsewhere (gender, statuses, kinds) are given here as
//! the same snake_case words.

use chrono::NaiveDate;

use crate::timestamp::Timestamp;
use poem_openapi::{Object, types::ToJSON};
use sea_orm::ActiveEnum;

use entity::{audit_log, email_outbox, outreach, participant, sms_outbox};

use crate::{
    domain::demographics::WashingtonGroup,
    services::personal_data::{CertificateHeld, EnrolmentHeld, PersonalData},
};

/// Everything held about one participant.
#[derive(Debug, Object)]
pub struct PersonalDataExport {
    /// When this document was made.
    pub exported_at: Timestamp,
    /// Who holds the data and why (the controller and the purpose).
    pub controller: String,
    /// The participant record.
    pub participant: HeldRecord,
    /// Every enrolment (seats, waitlist places, withdrawals), with consent, marks and scores.
    pub enrolments: Vec<HeldEnrolment>,
    /// Every certificate issued to them (the PDF itself at `pdf_url` while it is stored).
    pub certificates: Vec<HeldCertificate>,
    /// Outreach meetings they recorded (the cascade's last step).
    pub outreach: Vec<HeldOutreach>,
    /// Mail sent (or to be sent) to them, with its text.
    pub mail: Vec<HeldMail>,
    /// SMS sent (or to be sent) to them, with its text (sign-in codes show masked).
    pub sms: Vec<HeldSms>,
    /// Audit entries about their record, enrolments, certificates and outreach records.
    pub audit: Vec<HeldAuditEntry>,
}

/// The participant record as held.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct HeldRecord {
    pub id: i64,
    pub full_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// `female`, `male`, `other` or `undisclosed`.
    pub gender: Option<String>,
    pub organisation_id: Option<i64>,
    pub organisation_name: Option<String>,
    /// The target group, as the participants API spells it.
    pub target_group: String,
    pub ward: Option<String>,
    pub national_id: Option<String>,
    pub birth_year: Option<i32>,
    /// The Washington Group Short Set's answers, when recorded.
    pub disability: Option<HeldDisability>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// The Washington Group Short Set's answers (`no_difficulty`, `some_difficulty`,
/// `a_lot_of_difficulty`, `cannot_do_at_all` or `declined`).
#[derive(Debug, Object)]
pub struct HeldDisability {
    pub seeing: String,
    pub hearing: String,
    pub walking: String,
    pub cognition: String,
    pub self_care: String,
    pub communication: String,
}

/// Consent recorded with an enrolment.
#[derive(Debug, Object)]
pub struct HeldConsent {
    pub given_at: Timestamp,
    /// The version of the privacy notice shown.
    pub text_version: String,
}

/// One enrolment and what was recorded for it.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct HeldEnrolment {
    pub id: i64,
    pub workshop_id: i64,
    pub course_code: String,
    pub course_title: String,
    /// `tot`, `cascade` or `community`.
    pub level: String,
    pub venue: String,
    pub start_date: NaiveDate,
    /// `enrolled`, `waitlisted` or `withdrawn`.
    pub status: String,
    pub consent: Option<HeldConsent>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub attendance: Vec<HeldMark>,
    pub assessments: Vec<HeldScore>,
}

/// One day's attendance mark.
#[derive(Debug, Object)]
pub struct HeldMark {
    pub day: i32,
    /// `present`, `absent`, `late` or `excused`.
    pub status: String,
    pub marked_at: Timestamp,
    /// Who recorded it.
    pub recorded_by: String,
}

/// One assessment score.
#[derive(Debug, Object)]
pub struct HeldScore {
    /// `pre_test`, `post_test` or `practical`.
    pub kind: String,
    pub score: f64,
    pub max_score: f64,
}

/// A certificate issued to them, as it printed.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct HeldCertificate {
    pub id: i64,
    pub number: String,
    pub verification_code: String,
    pub workshop_id: i64,
    pub course_code: String,
    pub course_title: String,
    pub level: String,
    /// The name it printed.
    pub holder_name: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub venue: String,
    pub issued_at: Timestamp,
    /// `valid`, `revoked`, `superseded` or `withdrawn`.
    pub status: String,
    pub revoked_at: Option<Timestamp>,
    pub revoked_reason: Option<String>,
    /// Where its PDF can be downloaded, while one is stored.
    pub pdf_url: Option<String>,
}

/// An outreach meeting they recorded.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct HeldOutreach {
    pub id: i64,
    pub workshop_id: i64,
    pub held_on: NaiveDate,
    pub venue: String,
    pub ward: Option<String>,
    /// The course topics the meeting covered.
    pub topics: Vec<String>,
    pub people_reached: i32,
    pub created_at: Timestamp,
}

/// A message of the mail outbox addressed to them.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct HeldMail {
    pub id: i64,
    pub recipient: String,
    pub subject: String,
    /// What it is about (the kinds of `GET /api/v1/emails`).
    pub kind: String,
    /// `queued`, `sent` or `failed`.
    pub status: String,
    pub body_text: String,
    pub body_html: String,
    /// The name of the file attached, if any.
    pub attachment_name: Option<String>,
    pub created_at: Timestamp,
    pub sent_at: Option<Timestamp>,
}

/// A message of the SMS outbox addressed to them.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct HeldSms {
    pub id: i64,
    /// The number it went to (E.164).
    pub recipient: String,
    /// What it is about (the kinds of `GET /api/v1/sms`).
    pub kind: String,
    /// `queued`, `sent` or `failed`.
    pub status: String,
    pub body: String,
    pub created_at: Timestamp,
    pub sent_at: Option<Timestamp>,
}

/// One audit entry about them.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct HeldAuditEntry {
    pub id: i64,
    pub at: Timestamp,
    /// The user's email or the key's name at the time.
    pub actor_label: String,
    /// What kind of record changed: `participant`, `enrolment`, `certificate`, `outreach`.
    pub entity: String,
    pub entity_id: i64,
    pub action: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

/// Who holds the data and why, as the document states it.
pub const CONTROLLER: &str = "The Institute of Water and Sanitation Development (IWSD), \
Harare, Zimbabwe, holds this data to run and report on its CSSD and Customer Care training \
(Cyber and Data Protection Act, 2021).";

fn word<T: ActiveEnum<Value = String>>(value: &T) -> String {
    value.to_value()
}

impl From<PersonalData> for PersonalDataExport {
    fn from(d: PersonalData) -> Self {
        PersonalDataExport {
            exported_at: d.exported_at.into(),
            controller: CONTROLLER.to_owned(),
            participant: HeldRecord::new(d.participant, d.organisation_name),
            enrolments: d.enrolments.into_iter().map(Into::into).collect(),
            certificates: d.certificates.into_iter().map(Into::into).collect(),
            outreach: d.outreach.into_iter().map(Into::into).collect(),
            mail: d.mail.into_iter().map(Into::into).collect(),
            sms: d.sms.into_iter().map(Into::into).collect(),
            audit: d.audit.into_iter().map(Into::into).collect(),
        }
    }
}

impl HeldRecord {
    fn new(p: participant::Model, organisation_name: Option<String>) -> Self {
        let disability = WashingtonGroup::of(&p).map(|wg| {
            let w = |v: participant::Difficulty| v.to_value();
            HeldDisability {
                seeing: w(wg.seeing),
                hearing: w(wg.hearing),
                walking: w(wg.walking),
                cognition: w(wg.cognition),
                self_care: w(wg.self_care),
                communication: w(wg.communication),
            }
        });
        HeldRecord {
            id: p.id,
            full_name: p.full_name,
            email: p.email,
            phone: p.phone,
            gender: p.gender.as_ref().map(word),
            organisation_id: p.organisation_id,
            organisation_name,
            target_group: word(&p.target_group),
            ward: p.ward,
            national_id: p.national_id,
            birth_year: p.birth_year,
            disability,
            created_at: p.created_at.into(),
            updated_at: p.updated_at.into(),
        }
    }
}

impl From<EnrolmentHeld> for HeldEnrolment {
    fn from(e: EnrolmentHeld) -> Self {
        let seat = e.enrolment;
        HeldEnrolment {
            id: seat.id,
            workshop_id: seat.workshop_id,
            course_code: e.course_code,
            course_title: e.course_title,
            level: word(&e.level),
            venue: e.venue,
            start_date: e.start_date,
            status: word(&seat.status),
            consent: seat.consent_given_at.zip(seat.consent_text_version).map(
                |(given_at, text_version)| HeldConsent {
                    given_at: given_at.into(),
                    text_version,
                },
            ),
            created_at: seat.created_at.into(),
            updated_at: seat.updated_at.into(),
            attendance: e
                .attendance
                .into_iter()
                .map(|m| HeldMark {
                    day: m.day,
                    status: word(&m.status),
                    marked_at: m.marked_at.into(),
                    recorded_by: m.recorded_by,
                })
                .collect(),
            assessments: e
                .assessments
                .into_iter()
                .map(|s| HeldScore {
                    kind: word(&s.kind),
                    score: s.score,
                    max_score: s.max_score,
                })
                .collect(),
        }
    }
}

impl From<CertificateHeld> for HeldCertificate {
    fn from(h: CertificateHeld) -> Self {
        let c = h.certificate;
        HeldCertificate {
            pdf_url: h
                .pdf_stored
                .then(|| format!("/api/v1/certificates/{}/pdf", c.id)),
            id: c.id,
            number: c.number,
            verification_code: c.verification_code,
            workshop_id: c.workshop_id,
            course_code: c.course_code,
            course_title: c.course_title,
            level: word(&c.level),
            holder_name: c.holder_name,
            start_date: c.start_date,
            end_date: c.end_date,
            venue: c.venue,
            issued_at: c.issued_at.into(),
            status: word(&c.status),
            revoked_at: c.revoked_at.map(Timestamp::from),
            revoked_reason: c.revoked_reason,
        }
    }
}

impl From<outreach::Model> for HeldOutreach {
    fn from(o: outreach::Model) -> Self {
        HeldOutreach {
            id: o.id,
            workshop_id: o.workshop_id,
            held_on: o.held_on,
            venue: o.venue,
            ward: o.ward,
            topics: serde_json::from_str(&o.topics).unwrap_or_default(),
            people_reached: o.people_reached,
            created_at: o.created_at.into(),
        }
    }
}

impl From<email_outbox::Model> for HeldMail {
    fn from(m: email_outbox::Model) -> Self {
        HeldMail {
            id: m.id,
            recipient: m.recipient,
            subject: m.subject,
            kind: word(&m.kind),
            status: word(&m.status),
            body_text: m.body_text,
            body_html: m.body_html,
            attachment_name: m.attachment_name,
            created_at: m.created_at.into(),
            sent_at: m.sent_at.map(Timestamp::from),
        }
    }
}

impl From<sms_outbox::Model> for HeldSms {
    fn from(m: sms_outbox::Model) -> Self {
        HeldSms {
            id: m.id,
            recipient: m.recipient,
            kind: word(&m.kind),
            status: word(&m.status),
            body: m.body,
            created_at: m.created_at.into(),
            sent_at: m.sent_at.map(Timestamp::from),
        }
    }
}

impl From<audit_log::Model> for HeldAuditEntry {
    fn from(a: audit_log::Model) -> Self {
        HeldAuditEntry {
            id: a.id,
            at: a.at.into(),
            actor_label: a.actor_label,
            entity: a.entity,
            entity_id: a.entity_id,
            action: a.action,
            before: a.before.map(crate::services::audit::without_nulls),
            after: a.after.map(crate::services::audit::without_nulls),
        }
    }
}

impl PersonalDataExport {
    /// The document as JSON text (what the portal's download sends).
    pub fn to_json_text(&self) -> String {
        self.to_json_string()
    }

    /// The file name a download suggests.
    pub fn file_name(&self) -> String {
        format!("my-data-participant-{}.json", self.participant.id)
    }
}
