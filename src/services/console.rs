//! What the administrator's console reads and does that the API had no operation for: the
//! dashboard's list of workshops that ended without certificates, the preview of a workshop's
//! days and cascade refusals before it is saved, the certificate search by number or name, and
//! sending a failed message again. The rules stay where they are: the preview calls the same
//! checks `workshops::create` does.

use chrono::Utc;
use entity::{
    certificate, email_outbox,
    email_outbox::EmailStatus,
    workshop::{self, Status},
};
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, ExprTrait, Func, Query},
};

use super::{
    Page, PageRequest, audit,
    workshop_commands::{self, NewWorkshop},
    workshop_queries::WorkshopDay,
};
use crate::{
    db::begin_write,
    domain::{Error, FieldError, Result, access::Actor, schedule::spread_topics},
};

/// Completed workshops none of whose participants holds a certificate yet, most recently
/// ended first (the first `limit`), and how many there are in all.
pub async fn completed_without_certificates(
    db: &impl ConnectionTrait,
    limit: u64,
) -> Result<Page<workshop::Model>> {
    let query = workshop::Entity::find()
        .filter(workshop::Column::Status.eq(Status::Completed))
        .filter(
            workshop::Column::Id.not_in_subquery(
                Query::select()
                    .column(certificate::Column::WorkshopId)
                    .from(certificate::Entity)
                    .to_owned(),
            ),
        );
    let total = query.clone().count(db).await?;
    let items = query
        .order_by_desc(workshop::Column::EndDate)
        .order_by_desc(workshop::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    Ok(Page { items, total })
}

/// What a workshop would look like if scheduled with these values: its days (over the stored
/// holidays, topics spread as they will be) and every refusal `workshops::create` would give,
/// each against its field.
#[derive(Debug, Clone, Default)]
pub struct SchedulePreview {
    pub days: Vec<WorkshopDay>,
    pub problems: Vec<FieldError>,
}

/// Lays out the proposed workshop's days and lists every refusal scheduling it would meet
/// (the same [`workshop_commands::plan`] that `create` runs), without saving anything.
pub async fn preview_schedule(
    db: &impl ConnectionTrait,
    proposed: &NewWorkshop,
) -> Result<SchedulePreview> {
    let plan = workshop_commands::plan(db, proposed).await?;
    let days = match (&plan.course, &plan.dates) {
        (Some(course), Some(dates)) => {
            let topics = spread_topics(&course.topic_list(), dates.len());
            dates
                .iter()
                .zip(topics)
                .enumerate()
                .map(|(i, (date, topics))| WorkshopDay {
                    day: i as i32 + 1,
                    date: *date,
                    topics,
                })
                .collect()
        }
        _ => vec![],
    };
    Ok(SchedulePreview {
        days,
        problems: plan.problems().cloned().collect(),
    })
}

/// Certificates whose number or holder's name contains `search` (case-insensitive), newest
/// first.
pub async fn search_certificates(
    db: &impl ConnectionTrait,
    search: &str,
    page: PageRequest,
) -> Result<Page<certificate::Model>> {
    let mut query = certificate::Entity::find();
    let search = search.trim();
    if !search.is_empty() {
        let pattern = format!("%{}%", search.to_lowercase());
        query = query.filter(
            Expr::expr(Func::lower(Expr::col(certificate::Column::HolderName)))
                .like(pattern.clone())
                .or(Expr::expr(Func::lower(Expr::col(certificate::Column::Number))).like(pattern)),
        );
    }
    let total = query.clone().count(db).await?;
    let items = query
        .order_by_desc(certificate::Column::Id)
        .limit(page.limit)
        .offset(page.offset)
        .all(db)
        .await?;
    Ok(Page { items, total })
}

/// Sends a failed message again: it goes back to the queue, due now, with its attempts
/// counted afresh. Only a `failed` message can be sent again (a queued one is on its way, a
/// sent one arrived).
pub async fn resend_failed(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
) -> Result<email_outbox::Model> {
    let txn = begin_write(db).await?;
    let current = email_outbox::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(Error::NotFound {
            entity: "email",
            id,
        })?;
    if current.status != EmailStatus::Failed {
        return Err(Error::Conflict(format!(
            "message {id} has not failed, so there is nothing to send again"
        )));
    }
    let before = serde_json::json!({"status": "failed", "attempts": current.attempts,
        "last_error": current.last_error});
    let mut model = current.into_active_model();
    model.status = Set(EmailStatus::Queued);
    model.attempts = Set(0);
    model.next_attempt_at = Set(Utc::now());
    model.claimed_until = Set(None);
    let requeued = model.update(&txn).await?;
    txn.queued(crate::db::Outbox::Mail);
    audit::record(
        &txn,
        actor,
        "email",
        id,
        "resend",
        Some(before),
        Some(serde_json::json!({"status": "queued", "attempts": 0})),
    )
    .await?;
    txn.commit().await?;
    Ok(requeued)
}

/// One month of the selected workshops: how many started in it, and their seats and
/// certificates (from the per-workshop tallies).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthFigure {
    /// `YYYY-MM`.
    pub month: String,
    pub workshops: i64,
    pub enrolled: i64,
    pub certified: i64,
}

/// The selected workshops by the month they start in, oldest first (the same selection as
/// `reports::summary`: start date between `from` and `to`, held for an organisation).
pub async fn by_month(
    db: &impl ConnectionTrait,
    filter: &super::reports::ReportFilter,
) -> Result<Vec<MonthFigure>> {
    let mut conditions = vec!["1 = 1".to_owned()];
    let mut values: Vec<sea_orm::Value> = vec![];
    if let Some(from) = filter.from {
        values.push(from.into());
        conditions.push(format!("w.start_date >= ${}", values.len()));
    }
    if let Some(to) = filter.to {
        values.push(to.into());
        conditions.push(format!("w.start_date <= ${}", values.len()));
    }
    if let Some(org) = filter.organisation_id {
        values.push(org.into());
        conditions.push(format!("w.organisation_id = ${}", values.len()));
    }
    // Dates are `YYYY-MM-DD` as text on both databases.
    let sql = format!(
        "SELECT SUBSTR(CAST(w.start_date AS TEXT), 1, 7) AS month, CAST(COUNT(*) AS BIGINT), \
         CAST(COALESCE(SUM(s.enrolled), 0) AS BIGINT), CAST(COALESCE(SUM(s.certified), 0) AS BIGINT) \
         FROM workshop w LEFT JOIN workshop_stats s ON s.workshop_id = w.id \
         WHERE {} GROUP BY SUBSTR(CAST(w.start_date AS TEXT), 1, 7) ORDER BY 1",
        conditions.join(" AND ")
    );
    let rows = db
        .query_all_raw(sea_orm::Statement::from_sql_and_values(
            db.get_database_backend(),
            sql,
            values,
        ))
        .await?;
    rows.iter()
        .map(|r| {
            Ok(MonthFigure {
                month: r.try_get_by_index(0)?,
                workshops: r.try_get_by_index(1)?,
                enrolled: r.try_get_by_index(2)?,
                certified: r.try_get_by_index(3)?,
            })
        })
        .collect::<std::result::Result<_, sea_orm::DbErr>>()
        .map_err(Error::from)
}

/// Participants matching what an administrator typed, at most `page.limit`, and whether there
/// are more. Text with an `@` is part of an email address (newest records first); anything
/// else is part of a name, case-insensitive, in name order — read along the name index, so a
/// common name is found without reading every record. (No total is counted: counting the
/// matches would read every record each time.)
pub async fn search_participants(
    db: &impl ConnectionTrait,
    text: &str,
    page: PageRequest,
) -> Result<(Vec<entity::participant::Model>, bool)> {
    use entity::participant;
    let text = text.trim().to_lowercase();
    let escaped: String = text
        .chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    let pattern = sea_orm::sea_query::LikeExpr::new(format!("%{escaped}%")).escape('\\');
    let (column, query) = if text.contains('@') {
        (
            participant::Column::Email,
            participant::Entity::find().order_by_desc(participant::Column::Id),
        )
    } else {
        (
            participant::Column::FullName,
            participant::Entity::find()
                .order_by_asc(participant::Column::FullName)
                .order_by_asc(participant::Column::Id),
        )
    };
    // SQLite's LIKE ignores ASCII case, as its lower() lowers only ASCII: the column is
    // compared as stored, so the name index can be read in order. PostgreSQL's LIKE does not.
    let condition = match db.get_database_backend() {
        sea_orm::DbBackend::Postgres => Expr::expr(Func::lower(Expr::col(column))).like(pattern),
        _ => Expr::col(column).like(pattern),
    };
    let mut items = query
        .filter(condition)
        .limit(page.limit + 1)
        .offset(page.offset)
        .all(db)
        .await?;
    let more = items.len() as u64 > page.limit;
    items.truncate(page.limit as usize);
    Ok((items, more))
}
