//! Duplicate participants: finding records that are likely one person, and merging two of them.
//!
//! A merge moves everything that belongs to the removed record onto the one kept — every table
//! listed in [`MOVED_WITH_MERGE`] — and deletes the removed record, in one transaction with its
//! audit records and the recount of the tallies of every workshop concerned. Issued
//! certificates move with their holder but keep what they printed.

use std::collections::{BTreeSet, HashMap};

use chrono::Utc;
use entity::{
    app_user, certificate,
    enrolment::{self, EnrolmentStatus},
    participant, workshop,
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter,
    QuerySelect, Set, Statement,
};

use super::{Page, PageRequest, audit, workshop_write::Write};
use crate::{
    db::{WriteTxn, lock_for_update},
    domain::{
        Error, FieldError, Result,
        access::Actor,
        duplicates::{Candidate, Group, Reason, groups},
        workshop::level_name,
    },
};

/// Every table whose rows belong to a participant and move to the record kept by a merge, with
/// the column naming the participant. Attendance marks and assessments belong to enrolments
/// and move with them. A new table that refers to participants is one more line here.
pub const MOVED_WITH_MERGE: &[(&str, &str)] = &[
    ("enrolment", "participant_id"),
    ("certificate", "participant_id"),
    ("evaluation", "participant_id"),
    ("outreach", "participant_id"),
    ("workshop_application", "participant_id"),
];

/// Tables whose rows hang off the enrolments and so move with them (counted, not updated).
const CARRIED_BY_ENROLMENTS: &[&str] = &["attendance", "assessment"];

/// A group of likely duplicates with the records themselves.
#[derive(Debug, Clone)]
pub struct DuplicateGroup {
    pub group: Group,
    pub participants: Vec<participant::Model>,
}

/// Groups of likely duplicates (same national ID, email or phone, or the same name in the same
/// organisation), ordered by their lowest participant id.
pub async fn list(db: &impl ConnectionTrait, page: PageRequest) -> Result<Page<DuplicateGroup>> {
    type Row = (
        i64,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<i64>,
    );
    let rows: Vec<Row> = participant::Entity::find()
        .select_only()
        .columns([
            participant::Column::Id,
            participant::Column::FullName,
            participant::Column::Email,
            participant::Column::Phone,
            participant::Column::NationalId,
            participant::Column::OrganisationId,
        ])
        // Erased people have no name left to compare ("Erased participant #<id>" each).
        .filter(participant::Column::ErasedAt.is_null())
        .into_tuple()
        .all(db)
        .await?;
    let candidates: Vec<Candidate> = rows
        .into_iter()
        .map(
            |(id, full_name, email, phone, national_id, organisation_id)| Candidate {
                id,
                full_name,
                email,
                phone,
                national_id,
                organisation_id,
            },
        )
        .collect();
    let found = groups(&candidates);
    let total = found.len() as u64;
    let on_page: Vec<Group> = found
        .into_iter()
        .skip(usize::try_from(page.offset).unwrap_or(usize::MAX))
        .take(usize::try_from(page.limit).unwrap_or(usize::MAX))
        .collect();
    let mut people =
        super::participants::get_many(db, on_page.iter().flat_map(|g| g.participant_ids.clone()))
            .await?;
    let items = on_page
        .into_iter()
        .map(|group| DuplicateGroup {
            participants: group
                .participant_ids
                .iter()
                .filter_map(|id| people.remove(id))
                .collect(),
            group,
        })
        .collect();
    Ok(Page { items, total })
}

/// What a merge did.
#[derive(Debug, Clone)]
pub struct MergeOutcome {
    /// The record kept, with any details it lacked taken from the removed one.
    pub participant: participant::Model,
    pub removed_id: i64,
    /// Records moved, by kind (`enrolment`, `certificate`, and the attendance marks and
    /// assessments that came with the enrolments).
    pub moved: Vec<(&'static str, u64)>,
    /// Withdrawn enrolments of the removed record in workshops where the kept one holds a
    /// place, deleted rather than moved (one person holds one place per workshop).
    pub dropped_enrolment_ids: Vec<i64>,
}

fn describe(w: &workshop::Model, course_code: &str) -> String {
    format!(
        "workshop {} ({} {}, {}, from {})",
        w.id,
        course_code,
        level_name(w.level),
        w.venue,
        w.start_date
    )
}

async fn execute(
    db: &impl ConnectionTrait,
    sql: String,
    values: Vec<sea_orm::Value>,
) -> Result<u64> {
    Ok(db
        .execute_raw(Statement::from_sql_and_values(
            db.get_database_backend(),
            sql,
            values,
        ))
        .await?
        .rows_affected())
}

async fn count(db: &impl ConnectionTrait, sql: String, values: Vec<sea_orm::Value>) -> Result<u64> {
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            db.get_database_backend(),
            sql,
            values,
        ))
        .await?;
    Ok(row
        .map(|r| r.try_get_by_index::<i64>(0))
        .transpose()?
        .unwrap_or(0) as u64)
}

/// Merges participant `id` into `into_id`: moves its enrolments (with their attendance marks
/// and assessments), certificates and sign-in account to `into_id`, fills in details `into_id`
/// lacks (email, phone, national ID, gender, organisation, ward), deletes `id`, and recounts
/// the tallies of every workshop concerned — in one transaction with its audit records.
///
/// Refused (409) when both hold a place (a seat or a waitlist place) in the same workshop,
/// naming it, or when both have sign-in accounts.
pub async fn merge(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    into_id: i64,
) -> Result<MergeOutcome> {
    if id == into_id {
        return Err(Error::Invalid(vec![FieldError::new(
            "into_id",
            "must name another participant than the one merged",
        )]));
    }
    let mut write = Write::begin(db, actor).await?;
    let (removed, kept) = lock_pair(write.txn(), id, into_id).await?;
    let dropped = places_to_drop(write.txn(), id, into_id).await?;
    refuse_two_accounts(write.txn(), id, into_id).await?;
    // The workshops whose tallies move: every one either record is counted in.
    write.recount_workshops_of(id).await?;
    write.recount_workshops_of(into_id).await?;
    let moved = move_rows(write.txn(), id, into_id, &dropped).await?;
    // Delete first: email and national ID are unique, and may pass to the kept record.
    participant::Entity::delete_by_id(id)
        .exec(write.txn())
        .await?;
    let before = audit::snapshot(&kept);
    let updated = participant::Entity::update(merged_record(&kept, &removed))
        .exec(write.txn())
        .await?;

    let moved_json: serde_json::Map<String, serde_json::Value> = moved
        .iter()
        .map(|(table, n)| ((*table).to_owned(), serde_json::json!(n)))
        .collect();
    write.audit(
        "participant",
        id,
        "merge",
        audit::snapshot(&removed),
        Some(serde_json::json!({
            "merged_into": into_id,
            "moved": moved_json,
            "dropped_enrolment_ids": dropped,
        })),
    );
    let mut after = audit::snapshot(&updated);
    if let Some(serde_json::Value::Object(map)) = after.as_mut() {
        map.insert("merged_from".into(), serde_json::json!(id));
    }
    write.audit("participant", into_id, "merge", before, after);
    write.commit().await?;
    Ok(MergeOutcome {
        participant: updated,
        removed_id: id,
        moved,
        dropped_enrolment_ids: dropped,
    })
}

/// Locks both records (the removed one, then the kept one): 404 for an unknown `id`, 422 for an
/// unknown `into_id`, 409 when either was erased (nothing is left to merge, and nothing may be
/// merged into it).
async fn lock_pair(
    txn: &WriteTxn,
    id: i64,
    into_id: i64,
) -> Result<(participant::Model, participant::Model)> {
    let backend = txn.get_database_backend();
    let removed = lock_for_update(participant::Entity::find_by_id(id), backend)
        .one(txn)
        .await?
        .ok_or(Error::NotFound {
            entity: "participant",
            id,
        })?;
    let Some(kept) = lock_for_update(participant::Entity::find_by_id(into_id), backend)
        .one(txn)
        .await?
    else {
        return Err(Error::Invalid(vec![FieldError::new(
            "into_id",
            format!("participant {into_id} does not exist"),
        )]));
    };
    for p in [&removed, &kept] {
        if p.erased_at.is_some() {
            return Err(Error::Conflict(format!(
                "participant {} was erased and cannot be merged",
                p.id
            )));
        }
    }
    Ok((removed, kept))
}

/// One person holds one place per workshop: where both records hold one, the withdrawn of the
/// two goes (its ids are returned), unless a certificate was issued on it or neither is
/// withdrawn (409, naming the workshop).
async fn places_to_drop(txn: &WriteTxn, id: i64, into_id: i64) -> Result<Vec<i64>> {
    let enrolments = enrolment::Entity::find()
        .filter(enrolment::Column::ParticipantId.is_in([id, into_id]))
        .all(txn)
        .await?;
    let kept_places: HashMap<i64, &enrolment::Model> = enrolments
        .iter()
        .filter(|e| e.participant_id == into_id)
        .map(|e| (e.workshop_id, e))
        .collect();
    let certified: BTreeSet<i64> = certificate::Entity::find()
        .filter(certificate::Column::EnrolmentId.is_in(enrolments.iter().map(|e| e.id)))
        .all(txn)
        .await?
        .into_iter()
        .map(|c| c.enrolment_id)
        .collect();
    let mut dropped = Vec::new();
    for moved in enrolments.iter().filter(|e| e.participant_id == id) {
        let Some(kept_place) = kept_places.get(&moved.workshop_id) else {
            continue;
        };
        let both_active = moved.status != EnrolmentStatus::Withdrawn
            && kept_place.status != EnrolmentStatus::Withdrawn;
        let drop = if moved.status == EnrolmentStatus::Withdrawn {
            moved
        } else {
            *kept_place
        };
        if both_active || certified.contains(&drop.id) {
            let w = super::workshop_queries::get(txn, moved.workshop_id).await?;
            return Err(Error::Conflict(format!(
                "participants {id} and {into_id} both hold a place in {}; withdraw one of them \
                 from it before merging",
                describe(&w.workshop, &w.course.code)
            )));
        }
        dropped.push(drop.id);
    }
    Ok(dropped)
}

/// The sign-in account, if any, follows the person: two accounts cannot become one (409).
async fn refuse_two_accounts(txn: &WriteTxn, id: i64, into_id: i64) -> Result<()> {
    let accounts = app_user::Entity::find()
        .filter(app_user::Column::ParticipantId.is_in([id, into_id]))
        .all(txn)
        .await?;
    if accounts.len() > 1 {
        return Err(Error::Conflict(format!(
            "participants {id} and {into_id} both have sign-in accounts ({}); they cannot be \
             merged into one",
            accounts
                .iter()
                .map(|a| a.email.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    Ok(())
}

/// Deletes the dropped places (with what hangs on them), then moves every row of `id` to
/// `into_id`, the sign-in account included. Returns how many rows of each table moved.
async fn move_rows(
    txn: &WriteTxn,
    id: i64,
    into_id: i64,
    dropped: &[i64],
) -> Result<Vec<(&'static str, u64)>> {
    if !dropped.is_empty() {
        let ids: Vec<String> = dropped.iter().map(i64::to_string).collect();
        let ids = ids.join(", ");
        for table in CARRIED_BY_ENROLMENTS {
            let sql = format!("DELETE FROM {table} WHERE enrolment_id IN ({ids})");
            execute(txn, sql, vec![]).await?;
        }
        let sql = format!("DELETE FROM enrolment WHERE id IN ({ids})");
        execute(txn, sql, vec![]).await?;
    }
    let mut carried = Vec::new();
    for table in CARRIED_BY_ENROLMENTS {
        let sql = format!(
            "SELECT COUNT(*) FROM {table} WHERE enrolment_id IN \
             (SELECT id FROM enrolment WHERE participant_id = $1)"
        );
        carried.push((*table, count(txn, sql, vec![id.into()]).await?));
    }
    // Derived rows of the removed record; the refresh at commit recounts the kept one's.
    let sql = "DELETE FROM repeat_seat WHERE participant_id = $1".into();
    execute(txn, sql, vec![id.into()]).await?;
    let mut moved = Vec::new();
    for (table, column) in MOVED_WITH_MERGE {
        let sql = format!("UPDATE {table} SET {column} = $1 WHERE {column} = $2");
        moved.push((
            *table,
            execute(txn, sql, vec![into_id.into(), id.into()]).await?,
        ));
    }
    moved.extend(carried);
    app_user::Entity::update_many()
        .col_expr(
            app_user::Column::ParticipantId,
            sea_orm::sea_query::Expr::value(into_id),
        )
        .filter(app_user::Column::ParticipantId.eq(id))
        .exec(txn)
        .await?;
    Ok(moved)
}

/// The kept record with the details it lacks taken from the removed one.
fn merged_record(
    kept: &participant::Model,
    removed: &participant::Model,
) -> participant::ActiveModel {
    let mut model = kept.clone().into_active_model();
    model.email = Set(kept.email.clone().or(removed.email.clone()));
    let phone = kept.phone.clone().or(removed.phone.clone());
    let email_kept = kept.email.is_some() || removed.email.is_some();
    // How to reach them: the kept record's choice while it still works, else the default for
    // the contact details the merged record has. The language is the kept record's.
    model.contact_by = Set(crate::domain::participant::contact_by(
        None,
        Some(kept.contact_by),
        email_kept,
        phone.is_some(),
        &mut Vec::new(),
    ));
    model.phone = Set(phone);
    model.national_id = Set(kept.national_id.clone().or(removed.national_id.clone()));
    model.gender = Set(kept.gender.or(removed.gender));
    model.organisation_id = Set(kept.organisation_id.or(removed.organisation_id));
    model.ward = Set(kept.ward.clone().or(removed.ward.clone()));
    model.birth_year = Set(kept.birth_year.or(removed.birth_year));
    // The answers travel as one set: the kept record's, or else the removed one's.
    if crate::domain::demographics::WashingtonGroup::of(kept).is_none() {
        model.wg_seeing = Set(removed.wg_seeing);
        model.wg_hearing = Set(removed.wg_hearing);
        model.wg_walking = Set(removed.wg_walking);
        model.wg_cognition = Set(removed.wg_cognition);
        model.wg_self_care = Set(removed.wg_self_care);
        model.wg_communication = Set(removed.wg_communication);
    }
    model.updated_at = Set(Utc::now());
    model
}

/// The rows of an import that would duplicate a participant already on record by the
/// duplicate finder's other rules — the same phone number however written, or the same name in
/// the same organisation (the import itself refuses a known email or national ID): each row's
/// line with the participant it matches. Also a row that repeats an earlier row of the same file
/// by those rules.
pub async fn import_clashes(
    db: &impl ConnectionTrait,
    rows: &[super::participants::ImportRow],
) -> Result<Vec<(u64, ImportClash)>> {
    use crate::domain::duplicates::{name_key, phone_key};
    let wanted_orgs: Vec<i64> = rows
        .iter()
        .filter_map(|r| r.organisation_id.as_deref()?.trim().parse().ok())
        .collect();
    let any_phone = rows
        .iter()
        .any(|r| r.phone.as_deref().and_then(phone_key).is_some());
    let mut query = participant::Entity::find();
    query = if any_phone {
        query.filter(
            sea_orm::Condition::any()
                .add(participant::Column::Phone.is_not_null())
                .add(participant::Column::OrganisationId.is_in(wanted_orgs)),
        )
    } else {
        query.filter(participant::Column::OrganisationId.is_in(wanted_orgs))
    };
    let existing = query.all(db).await?;
    let mut by_phone: HashMap<String, (i64, String)> = HashMap::new();
    let mut by_name: HashMap<(String, i64), (i64, String)> = HashMap::new();
    for p in existing {
        if let Some(key) = p.phone.as_deref().and_then(phone_key) {
            by_phone.entry(key).or_insert((p.id, p.full_name.clone()));
        }
        if let Some(org) = p.organisation_id {
            by_name
                .entry((name_key(&p.full_name), org))
                .or_insert((p.id, p.full_name.clone()));
        }
    }
    let mut seen_phone: HashMap<String, u64> = HashMap::new();
    let mut seen_name: HashMap<(String, i64), u64> = HashMap::new();
    let mut clashes = Vec::new();
    for r in rows {
        let phone = r.phone.as_deref().and_then(phone_key);
        let name = r
            .full_name
            .as_deref()
            .map(name_key)
            .filter(|n| !n.is_empty());
        let org: Option<i64> = r
            .organisation_id
            .as_deref()
            .and_then(|o| o.trim().parse().ok());
        let named = name.zip(org);
        let clash =
            phone
                .as_ref()
                .and_then(|k| by_phone.get(k))
                .map(|(id, n)| ImportClash::OnRecord {
                    participant_id: *id,
                    name: n.clone(),
                    reason: Reason::Phone,
                })
                .or_else(|| {
                    named.as_ref().and_then(|k| by_name.get(k)).map(|(id, n)| {
                        ImportClash::OnRecord {
                            participant_id: *id,
                            name: n.clone(),
                            reason: Reason::NameAndOrganisation,
                        }
                    })
                })
                .or_else(|| {
                    phone.as_ref().and_then(|k| seen_phone.get(k)).map(|line| {
                        ImportClash::EarlierLine {
                            line: *line,
                            reason: Reason::Phone,
                        }
                    })
                })
                .or_else(|| {
                    named.as_ref().and_then(|k| seen_name.get(k)).map(|line| {
                        ImportClash::EarlierLine {
                            line: *line,
                            reason: Reason::NameAndOrganisation,
                        }
                    })
                });
        if let Some(k) = phone {
            seen_phone.entry(k).or_insert(r.line);
        }
        if let Some(k) = named {
            seen_name.entry(k).or_insert(r.line);
        }
        if let Some(clash) = clash {
            clashes.push((r.line, clash));
        }
    }
    Ok(clashes)
}

/// Why an import row looks like someone already there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportClash {
    /// A participant on record.
    OnRecord {
        participant_id: i64,
        name: String,
        reason: Reason,
    },
    /// An earlier row of the same file.
    EarlierLine { line: u64, reason: Reason },
}
