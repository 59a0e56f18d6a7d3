//! Erasure of a participant's personal data (the data subject's right under Zimbabwe's Cyber
//! and Data Protection Act), in one transaction through the unit of work:
//!
//! - the record keeps its id, organisation, target group and ward; the name becomes
//!   `Erased participant #<id>`; email, phone, national ID, gender, birth year and the
//!   Washington Group answers are removed;
//! - what the reports count them as is frozen first (`counted_gender`, `counted_disability` on
//!   the record, `counted_age_band` on each enrolment), so every report reads the same after
//!   erasure, to the last figure (`services::tallies` reads the frozen values);
//! - sign-in links are deleted; a linked account is deactivated, renamed and its sessions end;
//! - certificates are withdrawn (`status: withdrawn`, counted as certified still), no longer
//!   name them, their PDFs are deleted and their credentials' status bits set;
//! - mail held for them is blanked (bodies, attachments, address) and never sent;
//! - audit entries about them are scrubbed of the erased values (who, when, what and why stay);
//! - the `participant.erased` webhook is queued.

use chrono::{DateTime, Datelike, Utc};
use entity::{
    app_user, audit_log, certificate, certificate::CertificateStatus, certificate_credential,
    email_outbox, email_outbox::EmailStatus, enrolment, outreach, participant, session,
    sign_in_link, sms_outbox, sms_outbox::SmsStatus, sms_sign_in_code, workshop,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, sea_query::Expr,
};
use serde_json::{Value, json};

use super::{credentials, personal_data, workshop_lock, workshop_write::Write};
use crate::{
    db::WriteTxn,
    domain::{
        Error, Result,
        access::Actor,
        demographics::{self, WashingtonGroup},
    },
    revocation::{self, Revocation},
    webhook::EventType,
};

/// The name an erased participant's record carries.
pub fn erased_name(id: i64) -> String {
    format!("Erased participant #{id}")
}

/// The fields of audit snapshots that held erased values.
const ERASED_FIELDS: [&str; 15] = [
    "full_name",
    "email",
    "phone",
    "national_id",
    "birth_year",
    "gender",
    "wg_seeing",
    "wg_hearing",
    "wg_walking",
    "wg_cognition",
    "wg_self_care",
    "wg_communication",
    "disability",
    "holder_name",
    "name",
];

/// What an erasure did.
#[derive(Debug, Clone)]
pub struct Erased {
    pub participant: participant::Model,
    pub certificates_withdrawn: u64,
    pub mail_blanked: u64,
    pub audit_entries_scrubbed: u64,
    /// The accounts that were linked to the record (deactivated; their tokens must be
    /// forgotten by this process's cache).
    pub accounts_ended: Vec<i64>,
}

/// Erases participant `id`'s personal data, recording `reason`. 404 when unknown, 409 when
/// already erased, 422 without a reason (nothing changes then).
pub async fn erase(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    reason: &str,
) -> Result<Erased> {
    let mut errors = Vec::new();
    let reason = crate::domain::clean_text("reason", reason, 1000, &mut errors);
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let mut write = Write::begin(db, actor).await?;
    let before = lock_and_read(&write, id).await?;
    let now = Utc::now();
    let name = erased_name(id);
    let seats = freeze_age_bands(&write, &before).await?;
    let erased = erase_record(&mut write, &before, &name, now).await?;
    let accounts = end_accounts(write.txn(), id, &name, now).await?;
    let (certificate_ids, certificates_withdrawn) =
        withdraw_certificates(write.txn(), id, &name, now).await?;
    let enrolment_ids: Vec<i64> = seats.iter().map(|e| e.id).collect();
    let mail_blanked = blank_mail(write.txn(), &before, &enrolment_ids, &certificate_ids).await?;
    blank_sms(write.txn(), &before, &enrolment_ids).await?;
    let theirs = Theirs {
        enrolments: enrolment_ids,
        certificates: certificate_ids,
        accounts: accounts.iter().map(|u| u.id).collect(),
        account_emails: accounts.into_iter().map(|u| u.email).collect(),
    };
    let audit_entries_scrubbed = scrub_audit(write.txn(), &before, &theirs, &name).await?;

    let record = json!({
        "id": id,
        "erased_at": now,
        "reason": reason,
        "certificates_withdrawn": certificates_withdrawn,
    });
    write.audit("participant", id, "erase", None, Some(record.clone()));
    write.emit_resource(EventType::ParticipantErased, &erased);
    write.commit().await?;
    Ok(Erased {
        participant: erased,
        certificates_withdrawn,
        mail_blanked,
        audit_entries_scrubbed,
        accounts_ended: theirs.accounts,
    })
}

/// Locks every workshop the participant is counted in, in id order (as any other write of those
/// workshops would: no certificate is issued or seat moved under the erasure), then reads the
/// record under the locks. 404 when unknown, 409 when already erased.
async fn lock_and_read(write: &Write, id: i64) -> Result<participant::Model> {
    let mut workshops = super::tallies::workshops_of_participant(write.txn(), id).await?;
    workshops.sort_unstable();
    workshops.dedup();
    let before = super::participants::get(write.txn(), id).await?;
    for &w in &workshops {
        workshop_lock::lock(write.txn(), w).await?;
    }
    // Read again under the locks: a concurrent erasure has committed or waits.
    let before = participant::Entity::find_by_id(id)
        .one(write.txn())
        .await?
        .unwrap_or(before);
    if before.erased_at.is_some() {
        return Err(Error::Conflict(format!(
            "participant {id} was already erased"
        )));
    }
    Ok(before)
}

/// Freezes the age band every seat is counted in, on its workshop's start date; returns the
/// seats.
async fn freeze_age_bands(
    write: &Write,
    before: &participant::Model,
) -> Result<Vec<enrolment::Model>> {
    let seats = enrolment::Entity::find()
        .filter(enrolment::Column::ParticipantId.eq(before.id))
        .all(write.txn())
        .await?;
    for seat in &seats {
        let start = workshop::Entity::find_by_id(seat.workshop_id)
            .one(write.txn())
            .await?
            .map(|w| w.start_date.year());
        let band = start.map_or(demographics::UNRECORDED, |year| {
            demographics::age_band(before.birth_year, year)
        });
        let mut row = seat.clone().into_active_model();
        row.counted_age_band = Set(Some(band.to_owned()));
        row.update(write.txn()).await?;
    }
    Ok(seats)
}

/// The record without its personal data, with what the reports count it as frozen; through
/// the unit of work, so their workshops are recounted at commit from the frozen values.
async fn erase_record(
    write: &mut Write,
    before: &participant::Model,
    name: &str,
    now: DateTime<Utc>,
) -> Result<participant::Model> {
    let counted_gender = before
        .gender
        .map(|g| sea_orm::ActiveEnum::to_value(&g))
        .unwrap_or_else(|| super::tallies::UNRECORDED.to_owned());
    let counted_disability = WashingtonGroup::of(before)
        .map(|wg| wg.status())
        .map_or(demographics::UNRECORDED, |s| s.key())
        .to_owned();
    let mut row = before.clone().into_active_model();
    row.full_name = Set(name.to_owned());
    row.email = Set(None);
    row.phone = Set(None);
    row.national_id = Set(None);
    row.gender = Set(None);
    row.birth_year = Set(None);
    row.wg_seeing = Set(None);
    row.wg_hearing = Set(None);
    row.wg_walking = Set(None);
    row.wg_cognition = Set(None);
    row.wg_self_care = Set(None);
    row.wg_communication = Set(None);
    row.erased_at = Set(Some(now));
    row.counted_gender = Set(Some(counted_gender));
    row.counted_disability = Set(Some(counted_disability));
    row.updated_at = Set(now);
    let erased = write.update_participant(before, row).await?;
    write.recount_workshops_of(before.id).await?;
    Ok(erased)
}

/// Deletes their sign-in links and ends any account linked to the record: renamed, without
/// address or password, deactivated, its sessions revoked. Returns the accounts as they were.
async fn end_accounts(
    txn: &WriteTxn,
    id: i64,
    name: &str,
    now: DateTime<Utc>,
) -> Result<Vec<app_user::Model>> {
    sign_in_link::Entity::delete_many()
        .filter(sign_in_link::Column::ParticipantId.eq(id))
        .exec(txn)
        .await?;
    let accounts = app_user::Entity::find()
        .filter(app_user::Column::ParticipantId.eq(id))
        .all(txn)
        .await?;
    for user in &accounts {
        let mut row = user.clone().into_active_model();
        row.name = Set(name.to_owned());
        row.email = Set(format!("erased-user-{}@erased.invalid", user.id));
        row.password_hash = Set(String::new());
        row.deactivated_at = Set(Some(now));
        row.update(txn).await?;
        session::Entity::update_many()
            .col_expr(session::Column::RevokedAt, Expr::value(now))
            .filter(session::Column::UserId.eq(user.id))
            .filter(session::Column::RevokedAt.is_null())
            .exec(txn)
            .await?;
        revocation::announce(txn, &Revocation::User(user.id)).await?;
    }
    Ok(accounts)
}

/// Their certificates: withdrawn, nameless, without PDF; their credentials' status bits set and
/// their personal part (the hash of the email they were issued to) removed. Returns the
/// certificates' ids and how many were withdrawn (valid until now).
async fn withdraw_certificates(
    txn: &WriteTxn,
    id: i64,
    name: &str,
    now: DateTime<Utc>,
) -> Result<(Vec<i64>, u64)> {
    let certificates = certificate::Entity::find()
        .filter(certificate::Column::ParticipantId.eq(id))
        .all(txn)
        .await?;
    let ids: Vec<i64> = certificates.iter().map(|c| c.id).collect();
    let mut withdrawn = 0;
    for c in certificates {
        let certificate_id = c.id;
        let mut row = c.clone().into_active_model();
        if c.status == CertificateStatus::Valid {
            row.status = Set(CertificateStatus::Withdrawn);
            row.revoked_at = Set(Some(now));
            withdrawn += 1;
        }
        row.holder_name = Set(name.to_owned());
        row.pdf = Set(Vec::new());
        row.update(txn).await?;
        credentials::mark_revoked(txn, certificate_id).await?;
    }
    certificate_credential::Entity::update_many()
        .col_expr(
            certificate_credential::Column::RecipientEmailHash,
            Expr::value(Option::<String>::None),
        )
        .filter(certificate_credential::Column::CertificateId.is_in(ids.clone()))
        .exec(txn)
        .await?;
    Ok((ids, withdrawn))
}

/// Why a message held for an erased person was never sent.
const NOT_SENT: &str = "not sent: the recipient's personal data was erased";

/// Mail held for them (to their address, their seats or their certificates): blanked (bodies,
/// attachments, address), and the queued messages never sent. Returns how many were blanked.
async fn blank_mail(
    txn: &WriteTxn,
    before: &participant::Model,
    enrolment_ids: &[i64],
    certificate_ids: &[i64],
) -> Result<u64> {
    let to_them = personal_data::mail_to(before, enrolment_ids, certificate_ids);
    let queued: Vec<i64> = email_outbox::Entity::find()
        .filter(to_them.clone())
        .filter(email_outbox::Column::Status.eq(EmailStatus::Queued))
        .all(txn)
        .await?
        .into_iter()
        .map(|m| m.id)
        .collect();
    let blanked = email_outbox::Entity::update_many()
        .col_expr(email_outbox::Column::Recipient, Expr::value(""))
        .col_expr(email_outbox::Column::RecipientName, Expr::value(""))
        .col_expr(email_outbox::Column::BodyText, Expr::value(""))
        .col_expr(email_outbox::Column::BodyHtml, Expr::value(""))
        .col_expr(
            email_outbox::Column::AttachmentData,
            Expr::value(Option::<Vec<u8>>::None),
        )
        .filter(to_them)
        .exec(txn)
        .await?
        .rows_affected;
    email_outbox::Entity::update_many()
        .col_expr(
            email_outbox::Column::Status,
            Expr::value(sea_orm::ActiveEnum::to_value(&EmailStatus::Failed)),
        )
        .col_expr(email_outbox::Column::LastError, Expr::value(NOT_SENT))
        .filter(email_outbox::Column::Id.is_in(queued))
        .exec(txn)
        .await?;
    Ok(blanked)
}

/// SMS held for them (to their number, their person or their seats): blanked, and the queued
/// ones never sent; their sign-in codes end.
async fn blank_sms(
    txn: &WriteTxn,
    before: &participant::Model,
    enrolment_ids: &[i64],
) -> Result<()> {
    let texted_them = personal_data::sms_to(before, enrolment_ids);
    let queued: Vec<i64> = sms_outbox::Entity::find()
        .filter(texted_them.clone())
        .filter(sms_outbox::Column::Status.eq(SmsStatus::Queued))
        .all(txn)
        .await?
        .into_iter()
        .map(|m| m.id)
        .collect();
    sms_outbox::Entity::update_many()
        .col_expr(
            sms_outbox::Column::Status,
            Expr::value(sea_orm::ActiveEnum::to_value(&SmsStatus::Failed)),
        )
        .col_expr(sms_outbox::Column::LastError, Expr::value(NOT_SENT))
        .filter(sms_outbox::Column::Id.is_in(queued))
        .exec(txn)
        .await?;
    sms_outbox::Entity::update_many()
        .col_expr(sms_outbox::Column::Recipient, Expr::value(""))
        .col_expr(sms_outbox::Column::Body, Expr::value(""))
        .filter(texted_them)
        .exec(txn)
        .await?;
    sms_sign_in_code::Entity::delete_many()
        .filter(sms_sign_in_code::Column::ParticipantId.eq(before.id))
        .exec(txn)
        .await?;
    Ok(())
}

/// The rows tied to an erased person that audit entries may be about.
struct Theirs {
    enrolments: Vec<i64>,
    certificates: Vec<i64>,
    accounts: Vec<i64>,
    account_emails: Vec<String>,
}

/// Audit entries about them, and those their own account made: scrubbed of erased values (who,
/// when, what and why stay). Returns how many entries changed.
async fn scrub_audit(
    txn: &WriteTxn,
    before: &participant::Model,
    theirs: &Theirs,
    name: &str,
) -> Result<u64> {
    let outreach_ids: Vec<i64> = outreach::Entity::find()
        .filter(outreach::Column::ParticipantId.eq(before.id))
        .all(txn)
        .await?
        .into_iter()
        .map(|o| o.id)
        .collect();
    let about = personal_data::audit_about;
    let entries = audit_log::Entity::find()
        .filter(
            Condition::any()
                .add(about("participant", &[before.id]))
                .add(about("enrolment", &theirs.enrolments))
                .add(about("certificate", &theirs.certificates))
                .add(about("outreach", &outreach_ids))
                .add(about("user", &theirs.accounts))
                .add(
                    Condition::all()
                        .add(audit_log::Column::ActorKind.eq("user"))
                        .add(audit_log::Column::ActorId.is_in(theirs.accounts.iter().copied())),
                ),
        )
        .all(txn)
        .await?;
    let mut scrubbed = 0;
    for entry in entries {
        let before_json = entry.before.clone().map(scrub);
        let after_json = entry.after.clone().map(scrub);
        let label_is_theirs = theirs.account_emails.contains(&entry.actor_label)
            || before.email.as_deref() == Some(entry.actor_label.as_str());
        if before_json == entry.before && after_json == entry.after && !label_is_theirs {
            continue;
        }
        let mut row = entry.into_active_model();
        row.before = Set(before_json);
        row.after = Set(after_json);
        if label_is_theirs {
            row.actor_label = Set(name.to_owned());
        }
        row.update(txn).await?;
        scrubbed += 1;
    }
    Ok(scrubbed)
}

/// A snapshot without the erased values (the keys stay, their values become `[erased]`).
fn scrub(value: Value) -> Value {
    scrub_fields(value, &ERASED_FIELDS)
}

/// A snapshot without the values of `fields`, at any depth (the keys stay, their values become
/// `[erased]`).
pub fn scrub_fields(value: Value, fields: &[&str]) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(key, v)| {
                    if fields.contains(&key.as_str()) && !v.is_null() {
                        (key, Value::String("[erased]".into()))
                    } else {
                        (key, scrub_fields(v, fields))
                    }
                })
                .collect(),
        ),
        Value::Array(items) => {
            Value::Array(items.into_iter().map(|v| scrub_fields(v, fields)).collect())
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrubbing_replaces_erased_values_and_keeps_the_rest() {
        let scrubbed = scrub(json!({
            "id": 7, "full_name": "Tendai Moyo", "email": null, "target_group": "councillor",
            "nested": [{"holder_name": "Tendai Moyo", "number": "IWSD-1"}],
        }));
        assert_eq!(
            scrubbed,
            json!({
                "id": 7, "full_name": "[erased]", "email": null, "target_group": "councillor",
                "nested": [{"holder_name": "[erased]", "number": "IWSD-1"}],
            })
        );
    }
}
