//! Zimbabwe's public holidays, so that workshop schedules step over them.
//!
//! The table is seeded with the holidays of 2020–2040 under the Public Holidays and Prohibition
//! of Business Act as it stands on this date: the fixed days, the Easter days (computed, not
//! typed) and Heroes' and Defence Forces Days (the second Monday and Tuesday of August); two
//! falling on one day are one row named after both; a holiday falling on a Sunday is also observed on the next day that is not already one.
//!
//! The rules are copied here on purpose rather than imported: a migration is frozen history and
//! must insert the same rows forever, whatever later happens to the application's own copy in
//! `src/domain/holidays.rs` (a test checks the two agree).

use chrono::{Datelike, Days, NaiveDate, Weekday};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum PublicHoliday {
    Table,
    Id,
    Date,
    Name,
    CreatedAt,
}

const FIRST_YEAR: i32 = 2020;
const LAST_YEAR: i32 = 2040;

fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("a real date")
}

/// Easter Sunday (Gregorian), by the anonymous algorithm (Meeus/Jones/Butcher).
fn easter(year: i32) -> NaiveDate {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    ymd(year, month as u32, day as u32)
}

/// The `n`th Monday of August.
fn monday_of_august(year: i32, n: u32) -> NaiveDate {
    let first = ymd(year, 8, 1);
    let to_monday = (7 - first.weekday().num_days_from_monday()) % 7;
    ymd(year, 8, 1 + to_monday + 7 * (n - 1))
}

fn holidays(year: i32) -> Vec<(NaiveDate, String)> {
    let easter = easter(year);
    let heroes = monday_of_august(year, 2);
    let mut days: Vec<(NaiveDate, String)> = [
        (ymd(year, 1, 1), "New Year's Day"),
        (ymd(year, 2, 21), "Robert Gabriel Mugabe National Youth Day"),
        (easter - chrono_days(2), "Good Friday"),
        (easter - chrono_days(1), "Holy Saturday"),
        (easter + chrono_days(1), "Easter Monday"),
        (ymd(year, 4, 18), "Independence Day"),
        (ymd(year, 5, 1), "Workers' Day"),
        (ymd(year, 5, 25), "Africa Day"),
        (heroes, "Heroes' Day"),
        (heroes + chrono_days(1), "Defence Forces Day"),
        (ymd(year, 12, 22), "Unity Day"),
        (ymd(year, 12, 25), "Christmas Day"),
        (ymd(year, 12, 26), "Boxing Day"),
    ]
    .into_iter()
    .map(|(d, n)| (d, n.to_owned()))
    .collect();
    days.sort();
    // Two holidays on one day (Good Friday on Independence Day) are one day off.
    days.dedup_by(|later, earlier| {
        let same_day = later.0 == earlier.0;
        if same_day {
            earlier.1 = format!("{} and {}", earlier.1, later.1);
        }
        same_day
    });
    let sundays: Vec<(NaiveDate, String)> = days
        .iter()
        .filter(|(d, _)| d.weekday() == Weekday::Sun)
        .cloned()
        .collect();
    for (sunday, name) in sundays {
        let mut observed = sunday + chrono_days(1);
        while days.iter().any(|(d, _)| *d == observed) {
            observed = observed + chrono_days(1);
        }
        days.push((observed, format!("{name} (observed)")));
    }
    days.sort();
    days
}

fn chrono_days(n: u64) -> Days {
    Days::new(n)
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PublicHoliday::Table)
                    .col(big_pk_auto(PublicHoliday::Id))
                    .col(date(PublicHoliday::Date).unique_key())
                    .col(string_len(PublicHoliday::Name, 120))
                    .col(
                        timestamp_with_time_zone(PublicHoliday::CreatedAt)
                            .default(Expr::current_timestamp()),
                    )
                    .to_owned(),
            )
            .await?;
        let mut insert = Query::insert();
        insert
            .into_table(PublicHoliday::Table)
            .columns([PublicHoliday::Date, PublicHoliday::Name]);
        for year in FIRST_YEAR..=LAST_YEAR {
            for (date, name) in holidays(year) {
                insert.values_panic([date.into(), name.into()]);
            }
        }
        manager.exec_stmt(insert).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PublicHoliday::Table).to_owned())
            .await
    }
}
