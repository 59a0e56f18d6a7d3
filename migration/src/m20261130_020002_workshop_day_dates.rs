//! A workshop's days are fixed when it is scheduled (or its start date changes): stored, so that
//! a holiday added later never moves a workshop already scheduled.
//!
//! Workshops scheduled before this migration were laid out on consecutive weekdays; their days
//! are stored as they were announced.

use chrono::{Datelike, Days, NaiveDate, Weekday};
use sea_orm_migration::{prelude::*, schema::*, sea_orm::ConnectionTrait};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Workshop {
    Table,
    Id,
    StartDate,
    DurationDays,
    /// The teaching days, as `YYYY-MM-DD` dates joined by commas, in order.
    DayDates,
}

/// `days` consecutive weekdays from `start` (the rule before holidays were known).
fn weekdays(start: NaiveDate, days: i32) -> Vec<NaiveDate> {
    let mut dates = Vec::new();
    let mut date = start;
    while dates.len() < usize::try_from(days).unwrap_or(0) {
        if !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
            dates.push(date);
        }
        date = date + Days::new(1);
    }
    dates
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Workshop::Table)
                    .add_column(text(Workshop::DayDates).default(""))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        let rows = db
            .query_all(
                Query::select()
                    .columns([Workshop::Id, Workshop::StartDate, Workshop::DurationDays])
                    .from(Workshop::Table),
            )
            .await?;
        let mut days = Vec::with_capacity(rows.len());
        for row in rows {
            let id: i64 = row.try_get("", "id")?;
            let start: NaiveDate = row.try_get("", "start_date")?;
            let duration: i32 = row.try_get("", "duration_days")?;
            let dates: Vec<String> = weekdays(start, duration)
                .iter()
                .map(NaiveDate::to_string)
                .collect();
            days.push((id, dates.join(",")));
        }
        // A few hundred workshops per statement.
        for chunk in days.chunks(500) {
            let mut case = CaseStatement::new();
            for (id, dates) in chunk {
                case = case.case(Expr::col(Workshop::Id).eq(*id), dates.clone());
            }
            manager
                .exec_stmt(
                    Query::update()
                        .table(Workshop::Table)
                        .value(Workshop::DayDates, case)
                        .and_where(Expr::col(Workshop::Id).is_in(chunk.iter().map(|(id, _)| *id)))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Workshop::Table)
                    .drop_column(Workshop::DayDates)
                    .to_owned(),
            )
            .await
    }
}
