//! Retention (`CSSD_RETENTION_YEARS`): once a day, the contact details (email, phone, national
//! ID) of people whose last workshop ended more than that many years ago are removed. The rest
//! of the record (name, gender, organisation, target group, ward, birth year, the Washington
//! Group answers) stays: it is what the reports count and what a certificate names. Each removal
//! is a conditional update (only while the values are still the ones read), so with several
//! instances one of them removes and audits it, the others find nothing to do. The audit entry
//! says which fields went, never their values; older audit entries about the person lose those
//! values too, and mail and SMS already sent to them lose the address.

use chrono::{Months, NaiveDate, Utc};
use entity::{
    app_user, audit_log, email_outbox, email_outbox::EmailStatus, enrolment, participant,
    participant::ContactBy, sms_outbox, sms_outbox::SmsStatus, workshop, workshop_trainer,
};
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, IntoActiveModel, JoinType,
    QueryFilter, QuerySelect, RelationDef,
    sea_query::{Expr, ExprTrait, Func},
};
use serde_json::json;

use super::{erasure, workshop_write::Write};
use crate::domain::{Result, access::Actor};

/// The contact details retention removes, as audit snapshots name them.
pub const CONTACT_FIELDS: [&str; 3] = ["email", "phone", "national_id"];

/// The last day a workshop may have ended for its people's contact details to go on `today`:
/// more than `years` years ago.
pub fn cutoff(today: NaiveDate, years: u32) -> NaiveDate {
    today
        .checked_sub_months(Months::new(years.saturating_mul(12)))
        .unwrap_or(NaiveDate::MIN)
}

fn enrolment_workshop() -> RelationDef {
    enrolment::Entity::belongs_to(workshop::Entity)
        .from(enrolment::Column::WorkshopId)
        .to(workshop::Column::Id)
        .into()
}

/// People still holding a contact detail whose every workshop (as participant, and as trainer
/// through a linked account) ended before `cutoff`. People never enrolled are not among them:
/// they have no last workshop.
pub async fn due(db: &DatabaseConnection, cutoff: NaiveDate) -> Result<Vec<participant::Model>> {
    let last_end = Expr::expr(Func::max(Expr::col((
        workshop::Entity,
        workshop::Column::EndDate,
    ))));
    let long_ago: Vec<i64> = enrolment::Entity::find()
        .select_only()
        .column(enrolment::Column::ParticipantId)
        .join(JoinType::InnerJoin, enrolment_workshop())
        .group_by(enrolment::Column::ParticipantId)
        .having(last_end.lt(cutoff))
        .into_tuple()
        .all(db)
        .await?;
    if long_ago.is_empty() {
        return Ok(vec![]);
    }
    // Trainers who led a workshop since keep theirs.
    let recent_trainers: Vec<i64> = workshop_trainer::Entity::find()
        .select_only()
        .column(workshop_trainer::Column::UserId)
        .join(
            JoinType::InnerJoin,
            workshop_trainer::Entity::belongs_to(workshop::Entity)
                .from(workshop_trainer::Column::WorkshopId)
                .to(workshop::Column::Id)
                .into(),
        )
        .filter(workshop::Column::EndDate.gte(cutoff))
        .into_tuple()
        .all(db)
        .await?;
    let training: Vec<i64> = app_user::Entity::find()
        .filter(app_user::Column::Id.is_in(recent_trainers))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|u| u.participant_id)
        .collect();
    let mut people = Vec::new();
    for ids in long_ago.chunks(500) {
        people.extend(
            participant::Entity::find()
                .filter(participant::Column::Id.is_in(ids.iter().copied()))
                .filter(participant::Column::Id.is_not_in(training.iter().copied()))
                .filter(participant::Column::ErasedAt.is_null())
                .filter(has_contact())
                .all(db)
                .await?,
        );
    }
    people.sort_by_key(|p| p.id);
    Ok(people)
}

fn has_contact() -> Condition {
    Condition::any()
        .add(participant::Column::Email.is_not_null())
        .add(participant::Column::Phone.is_not_null())
        .add(participant::Column::NationalId.is_not_null())
}

/// Exactly these values, still: a concurrent edit or another instance's removal leaves the row
/// unmatched.
fn unchanged(column: participant::Column, value: &Option<String>) -> Condition {
    match value {
        Some(v) => Condition::all().add(column.eq(v.as_str())),
        None => Condition::all().add(column.is_null()),
    }
}

/// The retention job, once: removes the contact details of everyone [`due`] on `today` with
/// `years` of retention. Returns how many people this run changed (0 on a second run, and on
/// every instance but one).
pub async fn remove_expired_contacts(
    db: &DatabaseConnection,
    today: NaiveDate,
    years: u32,
) -> Result<u32> {
    let cutoff = cutoff(today, years);
    let mut removed = 0;
    for person in due(db, cutoff).await? {
        if remove_contact(db, &person, years).await? {
            removed += 1;
        }
    }
    Ok(removed)
}

/// Removes one person's contact details, when they are still `person`'s; true when this call did.
async fn remove_contact(
    db: &DatabaseConnection,
    person: &participant::Model,
    years: u32,
) -> Result<bool> {
    let mut write = Write::begin(db, &Actor::system("retention")).await?;
    let now = Utc::now();
    let changed = participant::Entity::update_many()
        .col_expr(
            participant::Column::Email,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            participant::Column::Phone,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            participant::Column::NationalId,
            Expr::value(Option::<String>::None),
        )
        // What a record without contact details is given (see `domain::participant::contact_by`).
        .col_expr(
            participant::Column::ContactBy,
            Expr::value(sea_orm::ActiveEnum::to_value(&ContactBy::Email)),
        )
        .col_expr(participant::Column::UpdatedAt, Expr::value(now))
        .filter(participant::Column::Id.eq(person.id))
        .filter(participant::Column::ErasedAt.is_null())
        .filter(unchanged(participant::Column::Email, &person.email))
        .filter(unchanged(participant::Column::Phone, &person.phone))
        .filter(unchanged(
            participant::Column::NationalId,
            &person.national_id,
        ))
        .exec(write.txn())
        .await?
        .rows_affected;
    if changed == 0 {
        return Ok(false);
    }
    let fields: Vec<&str> = [&person.email, &person.phone, &person.national_id]
        .into_iter()
        .zip(CONTACT_FIELDS)
        .filter(|(value, _)| value.is_some())
        .map(|(_, name)| name)
        .collect();
    forget_addresses(&write, person).await?;
    scrub_audit(&write, person.id).await?;
    write.audit(
        "participant",
        person.id,
        "retention",
        None,
        Some(json!({"removed": fields, "retention_years": years})),
    );
    write.commit().await?;
    Ok(true)
}

/// Mail and SMS already sent (or given up on) to the removed address and number lose it; what
/// is still queued goes out first.
async fn forget_addresses(write: &Write, person: &participant::Model) -> Result<()> {
    if let Some(email) = &person.email {
        email_outbox::Entity::update_many()
            .col_expr(email_outbox::Column::Recipient, Expr::value(""))
            .filter(email_outbox::Column::Recipient.eq(email.as_str()))
            .filter(email_outbox::Column::Status.ne(EmailStatus::Queued))
            .exec(write.txn())
            .await?;
    }
    if let Some(phone) = &person.phone {
        sms_outbox::Entity::update_many()
            .col_expr(sms_outbox::Column::Recipient, Expr::value(""))
            .filter(sms_outbox::Column::Recipient.eq(phone.as_str()))
            .filter(sms_outbox::Column::Status.ne(SmsStatus::Queued))
            .exec(write.txn())
            .await?;
    }
    Ok(())
}

/// The person's own audit entries lose the removed values (the keys stay, `[erased]`).
async fn scrub_audit(write: &Write, id: i64) -> Result<()> {
    let entries = audit_log::Entity::find()
        .filter(audit_log::Column::Entity.eq("participant"))
        .filter(audit_log::Column::EntityId.eq(id))
        .all(write.txn())
        .await?;
    for entry in entries {
        let before = entry
            .before
            .clone()
            .map(|v| erasure::scrub_fields(v, &CONTACT_FIELDS));
        let after = entry
            .after
            .clone()
            .map(|v| erasure::scrub_fields(v, &CONTACT_FIELDS));
        if before == entry.before && after == entry.after {
            continue;
        }
        let mut row = entry.into_active_model();
        row.before = Set(before);
        row.after = Set(after);
        row.update(write.txn()).await?;
    }
    Ok(())
}

/// The scheduled retention job (daily, and at once on start).
pub struct RetentionJob {
    pub db: DatabaseConnection,
    /// `CSSD_RETENTION_YEARS`.
    pub years: u32,
    pub schedule: super::scheduled::Schedule,
}

impl RetentionJob {
    /// Runs [`remove_expired_contacts`] on its schedule until `shutdown` turns true.
    pub async fn run(self, shutdown: tokio::sync::watch::Receiver<bool>) {
        let (db, years) = (self.db, self.years);
        self.schedule
            .run(shutdown, |today| remove_expired_contacts(&db, today, years))
            .await;
    }
}

#[cfg(test)]
mod tests {
    use super::cutoff;
    use chrono::NaiveDate;

    #[test]
    fn the_cutoff_is_whole_years_before_today() {
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(cutoff(day("2026-12-04"), 2), day("2024-12-04"));
        assert_eq!(cutoff(day("2028-02-29"), 1), day("2027-02-28"));
        assert_eq!(cutoff(day("2026-12-04"), 0), day("2026-12-04"));
    }
}
