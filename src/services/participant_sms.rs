//! The SMS a participant receives along the way, queued beside the mail of the same event
//! (`participant_mail`, certificate issue): for participants whose `contact_by` is `sms` or
//! `both` and who have a phone, in their own language. Each kind goes at most once per
//! enrolment (the SMS outbox's unique key).

use entity::{
    certificate,
    email_outbox::EmailKind,
    enrolment,
    participant::{self, ContactBy},
    sms_outbox::SmsKind,
};

use super::workshop_queries::WorkshopView;
use crate::{
    db::WriteTxn,
    domain::{Result, language::Lang},
    sms::{
        outbox::{self, NewSms},
        texts::{self, Facts},
    },
};

/// When a workshop's first day starts, as the SMS say it (IWSD's timetable starts every
/// training day at 08:00; the workshop record keeps dates, not times).
pub const FIRST_DAY_STARTS: &str = "08:00";

/// The participant's phone when they are to be reached by SMS.
pub fn sms_number(p: &participant::Model) -> Option<&str> {
    matches!(p.contact_by, ContactBy::Sms | ContactBy::Both)
        .then_some(p.phone.as_deref())
        .flatten()
        .filter(|phone| !phone.trim().is_empty())
}

/// Whether the participant is to be reached by email (mail goes unless they chose SMS only).
pub fn wants_email(p: &participant::Model) -> bool {
    p.contact_by != ContactBy::Sms
}

/// The language of a participant's SMS.
pub fn lang_of(p: &participant::Model) -> Lang {
    match p.language {
        participant::Language::En => Lang::En,
        participant::Language::Sn => Lang::Sn,
        participant::Language::Nd => Lang::Nd,
    }
}

/// The SMS kind of a journey mail kind (none for mail that has no SMS).
pub fn kind_of(kind: EmailKind) -> Option<SmsKind> {
    Some(match kind {
        EmailKind::EnrolmentConfirmation => SmsKind::EnrolmentConfirmation,
        EmailKind::WaitlistNotice => SmsKind::Waitlist,
        EmailKind::Promotion => SmsKind::Promotion,
        EmailKind::Reminder => SmsKind::Reminder,
        EmailKind::Cancellation => SmsKind::Cancellation,
        EmailKind::EvaluationRequest => SmsKind::EvaluationRequest,
        _ => return None,
    })
}

fn base(public_url: &str) -> &str {
    public_url.trim_end_matches('/')
}

/// Queues the journey SMS of mail `kind` about `enrolment`, when the participant is reached by
/// SMS; `Ok(true)` when queued (`false`: not for SMS, or already sent for this enrolment).
pub async fn journey(
    db: &WriteTxn,
    kind: EmailKind,
    enrolment: &enrolment::Model,
    participant: &participant::Model,
    view: &WorkshopView,
    position: Option<u64>,
    public_url: &str,
) -> Result<bool> {
    let (Some(kind), Some(phone)) = (kind_of(kind), sms_number(participant)) else {
        return Ok(false);
    };
    let w = &view.workshop;
    let facts = Facts {
        name: participant.full_name.clone(),
        course: view.course.code.clone(),
        date: w.start_date,
        time: FIRST_DAY_STARTS.to_owned(),
        venue: w.venue.clone(),
        position,
        evaluation_url: format!("{}/portal/workshops/{}/evaluation", base(public_url), w.id),
        verify_url: String::new(),
        portal_url: format!("{}/portal", base(public_url)),
        reference: String::new(),
        reason: String::new(),
    };
    queue(db, kind, participant, phone, Some(enrolment.id), &facts).await
}

/// Queues the "certificate ready" SMS for a newly issued certificate, once per enrolment.
pub async fn certificate_ready(
    db: &WriteTxn,
    c: &certificate::Model,
    participant: &participant::Model,
    public_url: &str,
) -> Result<bool> {
    let Some(phone) = sms_number(participant) else {
        return Ok(false);
    };
    let facts = Facts {
        name: participant.full_name.clone(),
        course: c.course_code.clone(),
        date: c.issued_on,
        time: FIRST_DAY_STARTS.to_owned(),
        venue: String::new(),
        position: None,
        evaluation_url: String::new(),
        verify_url: c.verification_url.clone(),
        portal_url: format!("{}/portal", base(public_url)),
        reference: String::new(),
        reason: String::new(),
    };
    queue(
        db,
        SmsKind::Certificate,
        participant,
        phone,
        Some(c.enrolment_id),
        &facts,
    )
    .await
}

async fn queue(
    db: &WriteTxn,
    kind: SmsKind,
    participant: &participant::Model,
    phone: &str,
    enrolment_id: Option<i64>,
    facts: &Facts,
) -> Result<bool> {
    let body = match texts::journey(kind, lang_of(participant), facts) {
        Ok(body) => body,
        Err(err) => {
            // Never cut short: a message that cannot fit is not sent, and the log says why.
            tracing::error!(participant = participant.id, error = %err, "sms not queued");
            return Ok(false);
        }
    };
    Ok(outbox::queue(
        db,
        NewSms {
            kind,
            recipient: phone.to_owned(),
            participant_id: Some(participant.id),
            enrolment_id,
            body,
            dedupe_key: enrolment_id.map(|id| outbox::once_per_enrolment(kind, id)),
        },
    )
    .await?)
}
