//! Organisations (local authorities, residents' associations, civic society) and courses.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Organisation {
    Table,
    Id,
    Name,
    Kind,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Course {
    Table,
    Id,
    Code,
    Title,
    Description,
    DurationDays,
    Topics,
    PassMark,
    MinAttendanceDays,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Organisation::Table)
                    .col(big_pk_auto(Organisation::Id))
                    .col(string_len_uniq(Organisation::Name, 200))
                    .col(string_len(Organisation::Kind, 32))
                    .col(timestamp_with_time_zone(Organisation::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Course::Table)
                    .col(big_pk_auto(Course::Id))
                    .col(string_len_uniq(Course::Code, 16))
                    .col(string_len(Course::Title, 200))
                    .col(text(Course::Description))
                    .col(integer(Course::DurationDays))
                    .col(json(Course::Topics))
                    .col(integer(Course::PassMark))
                    .col(integer(Course::MinAttendanceDays))
                    .col(timestamp_with_time_zone(Course::CreatedAt))
                    .col(timestamp_with_time_zone(Course::UpdatedAt))
                    .check(Expr::col(Course::PassMark).between(0, 100))
                    .check(Expr::col(Course::DurationDays).between(1, 10))
                    .check(Expr::col(Course::MinAttendanceDays).gte(0).and(
                        Expr::col(Course::MinAttendanceDays).lte(Expr::col(Course::DurationDays)),
                    ))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Course::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Organisation::Table).to_owned())
            .await
    }
}
