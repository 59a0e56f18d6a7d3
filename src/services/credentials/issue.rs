//! The credential row written with each certificate (status list entry, recipient hash,
//! the achievement as of issue), and the start-up backfill for certificates issued before
//! credentials existed.

use std::collections::HashMap;

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::Utc;
use entity::{
    app_user, certificate, certificate::CertificateStatus, certificate_credential, course,
    participant, workshop_trainer,
};
use rand::RngCore;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, sea_query::Query,
};

use crate::{
    credential::openbadges::{self},
    db::begin_write,
    domain::Result,
};

use super::status_lists::{allocate_entries, set_bits};

/// The first trainer (lowest account id) of each workshop, by name: the lead trainer.
async fn lead_trainers(
    db: &impl ConnectionTrait,
    workshop_ids: impl IntoIterator<Item = i64>,
) -> Result<HashMap<i64, String>> {
    let links = workshop_trainer::Entity::find()
        .filter(workshop_trainer::Column::WorkshopId.is_in(workshop_ids))
        .order_by_asc(workshop_trainer::Column::UserId)
        .all(db)
        .await?;
    let mut lead: HashMap<i64, i64> = HashMap::new();
    for link in &links {
        lead.entry(link.workshop_id).or_insert(link.user_id);
    }
    let names: HashMap<i64, String> = app_user::Entity::find()
        .filter(app_user::Column::Id.is_in(lead.values().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    Ok(lead
        .into_iter()
        .filter_map(|(w, u)| names.get(&u).map(|n| (w, n.clone())))
        .collect())
}

/// The lead trainer of one workshop, by name.
pub async fn lead_trainer(db: &impl ConnectionTrait, workshop_id: i64) -> Result<Option<String>> {
    Ok(lead_trainers(db, [workshop_id]).await?.remove(&workshop_id))
}

/// What a holder had to do, in words.
pub fn criteria_in_words(course: &course::Model) -> String {
    format!(
        "Attended at least {} of the {} days of the workshop (present or late) and scored at \
         least {}% in the post-test.",
        course.min_attendance_days, course.duration_days, course.pass_mark
    )
}

fn fresh_salt() -> String {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// What the credential of a certificate being issued states beyond the certificate itself.
#[derive(Debug, Clone)]
pub struct IssueDetails {
    pub email: Option<String>,
    pub topics: Vec<String>,
    pub duration_days: i32,
    pub criteria: String,
    pub lead_trainer_name: Option<String>,
}

fn credential_row(
    certificate_id: i64,
    (list_id, index): (i64, i32),
    details: &IssueDetails,
) -> certificate_credential::ActiveModel {
    let salt = fresh_salt();
    let hash = details
        .email
        .as_deref()
        .map(|e| openbadges::identity_hash(&e.trim().to_lowercase(), &salt));
    certificate_credential::ActiveModel {
        certificate_id: Set(certificate_id),
        status_list_id: Set(list_id),
        status_list_index: Set(index),
        recipient_salt: Set(salt),
        recipient_email_hash: Set(hash),
        topics: Set(serde_json::to_string(&details.topics).unwrap_or_else(|_| "[]".into())),
        duration_days: Set(details.duration_days),
        criteria: Set(details.criteria.clone()),
        lead_trainer_name: Set(details.lead_trainer_name.clone()),
        created_at: Set(Utc::now()),
    }
}

/// Records the credential of certificates being issued, in the issuing transaction: each gets
/// the next entry of the open status list and a fresh salt for its recipient hash.
pub async fn record_issue(db: &impl ConnectionTrait, issued: &[(i64, IssueDetails)]) -> Result<()> {
    if issued.is_empty() {
        return Ok(());
    }
    let entries = allocate_entries(db, issued.len()).await?;
    let rows: Vec<_> = issued
        .iter()
        .zip(entries)
        .map(|((id, details), entry)| credential_row(*id, entry, details))
        .collect();
    certificate_credential::Entity::insert_many(rows)
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// Gives every certificate issued before credentials existed its credential row (status list
/// entry, recipient hash from the holder's current address, the course as it is now), and sets
/// the bits of those already revoked or replaced. Returns how many it gave one.
pub async fn backfill(db: &DatabaseConnection) -> Result<u64> {
    let mut done = 0u64;
    loop {
        let txn = begin_write(db).await?;
        let batch = certificate::Entity::find()
            .filter(
                certificate::Column::Id.not_in_subquery(
                    Query::select()
                        .column(certificate_credential::Column::CertificateId)
                        .from(certificate_credential::Entity)
                        .to_owned(),
                ),
            )
            .order_by_asc(certificate::Column::Id)
            .limit(1000)
            .all(&txn)
            .await?;
        if batch.is_empty() {
            txn.commit().await?;
            return Ok(done);
        }
        let courses: HashMap<i64, course::Model> = course::Entity::find()
            .filter(course::Column::Id.is_in(batch.iter().map(|c| c.course_id)))
            .all(&txn)
            .await?
            .into_iter()
            .map(|c| (c.id, c))
            .collect();
        let emails: HashMap<i64, Option<String>> = participant::Entity::find()
            .filter(participant::Column::Id.is_in(batch.iter().map(|c| c.participant_id)))
            .all(&txn)
            .await?
            .into_iter()
            .map(|p| (p.id, p.email))
            .collect();
        let leads = lead_trainers(&txn, batch.iter().map(|c| c.workshop_id)).await?;
        let issued: Vec<(i64, IssueDetails)> = batch
            .iter()
            .map(|c| {
                let course = courses.get(&c.course_id);
                (
                    c.id,
                    IssueDetails {
                        email: emails.get(&c.participant_id).cloned().flatten(),
                        topics: course.map(|c| c.topic_list()).unwrap_or_default(),
                        duration_days: course
                            .map(|c| c.duration_days)
                            .unwrap_or((c.end_date - c.start_date).num_days() as i32 + 1),
                        criteria: course.map(criteria_in_words).unwrap_or_default(),
                        lead_trainer_name: leads.get(&c.workshop_id).cloned(),
                    },
                )
            })
            .collect();
        record_issue(&txn, &issued).await?;
        let revoked: Vec<i64> = batch
            .iter()
            .filter(|c| c.status != CertificateStatus::Valid)
            .map(|c| c.id)
            .collect();
        let rows = certificate_credential::Entity::find()
            .filter(certificate_credential::Column::CertificateId.is_in(revoked))
            .all(&txn)
            .await?;
        let mut by_list: HashMap<i64, Vec<i32>> = HashMap::new();
        for row in rows {
            by_list
                .entry(row.status_list_id)
                .or_default()
                .push(row.status_list_index);
        }
        for (list, indices) in by_list {
            set_bits(&txn, list, &indices).await?;
        }
        txn.commit().await?;
        done += batch.len() as u64;
    }
}
