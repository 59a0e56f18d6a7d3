//! Public holidays: the stored calendar that workshop schedules step over.

use chrono::{Days, NaiveDate, Utc};
use entity::public_holiday;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::{Page, PageRequest, audit};
use crate::domain::{
    Error, FieldError, Result,
    access::Actor,
    holidays::{LAST_DATE, check_date, check_new},
    schedule::{Holidays, NotAWorkingDay, working_days},
};

/// Holidays from `from` to `to` (inclusive, either open), by date.
pub async fn list(
    db: &impl ConnectionTrait,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    page: PageRequest,
) -> Result<Page<public_holiday::Model>> {
    let mut errors = Vec::new();
    for (field, date) in [("from", from), ("to", to)] {
        if let Some(date) = date {
            check_date(field, date, &mut errors);
        }
    }
    if let (Some(from), Some(to)) = (from, to)
        && from > to
    {
        errors.push(FieldError::new("to", "must not be before `from`"));
    }
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let mut query = public_holiday::Entity::find();
    if let Some(from) = from {
        query = query.filter(public_holiday::Column::Date.gte(from));
    }
    if let Some(to) = to {
        query = query.filter(public_holiday::Column::Date.lte(to));
    }
    let total = query.clone().count(db).await?;
    let items = query
        .order_by_asc(public_holiday::Column::Date)
        .limit(page.limit)
        .offset(page.offset)
        .all(db)
        .await?;
    Ok(Page { items, total })
}

/// Adds a holiday (a one-off day such as a national day of mourning). A date that already has
/// one is a conflict. Workshops already scheduled keep their days.
pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    date: NaiveDate,
    name: &str,
) -> Result<public_holiday::Model> {
    let holiday = check_new(date, name)?;
    let txn = crate::db::begin_write(db).await?;
    if let Some(existing) = public_holiday::Entity::find()
        .filter(public_holiday::Column::Date.eq(holiday.date))
        .one(&txn)
        .await?
    {
        return Err(Error::Conflict(format!(
            "{} is already a holiday ({}, id {})",
            existing.date, existing.name, existing.id
        )));
    }
    let created = public_holiday::Entity::insert(public_holiday::ActiveModel {
        date: Set(holiday.date),
        name: Set(holiday.name),
        created_at: Set(Utc::now()),
        ..Default::default()
    })
    .exec_with_returning(&txn)
    .await?;
    let after = audit::snapshot(&created);
    audit::record(&txn, actor, "holiday", created.id, "create", None, after).await?;
    txn.commit().await?;
    Ok(created)
}

/// Removes a holiday. Workshops already scheduled keep their days.
pub async fn delete(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<()> {
    let txn = crate::db::begin_write(db).await?;
    let existing = public_holiday::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(Error::NotFound {
            entity: "holiday",
            id,
        })?;
    public_holiday::Entity::delete_by_id(id).exec(&txn).await?;
    let before = audit::snapshot(&existing);
    audit::record(&txn, actor, "holiday", id, "delete", before, None).await?;
    txn.commit().await?;
    Ok(())
}

/// The holidays from `from` to `to` inclusive.
pub async fn between(
    db: &impl ConnectionTrait,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Holidays> {
    Ok(public_holiday::Entity::find()
        .filter(public_holiday::Column::Date.between(from, to))
        .all(db)
        .await?
        .into_iter()
        .map(|h| (h.date, h.name))
        .collect())
}

/// Lays out `days` working days from `start` over the stored holidays (see
/// [`working_days`]). Reads the holidays of the weeks the layout can reach, and more in the
/// unlikely case that a long run of holidays pushes it further.
pub async fn layout(
    db: &impl ConnectionTrait,
    start: NaiveDate,
    days: u32,
) -> Result<std::result::Result<Vec<NaiveDate>, NotAWorkingDay>> {
    let mut window = u64::from(days) * 2 + 60;
    loop {
        let end = start
            .checked_add_days(Days::new(window))
            .map_or(LAST_DATE, |end| end.min(LAST_DATE).max(start));
        let holidays = between(db, start, end).await?;
        let laid_out = working_days(start, days, &holidays);
        let reaches_past =
            matches!(&laid_out, Ok(dates) if dates.last().is_some_and(|last| *last > end));
        if !reaches_past || end >= LAST_DATE {
            return Ok(laid_out);
        }
        window *= 4;
    }
}
