//! Per-day attendance marks and assessment scores of enrolments.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Enrolment {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Attendance {
    Table,
    EnrolmentId,
    Day,
    Status,
    MarkedAt,
    RecordedBy,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Assessment {
    Table,
    EnrolmentId,
    Kind,
    Score,
    MaxScore,
    RecordedBy,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Attendance::Table)
                    .col(big_integer(Attendance::EnrolmentId))
                    .col(integer(Attendance::Day))
                    .col(string_len(Attendance::Status, 16))
                    .col(timestamp_with_time_zone(Attendance::MarkedAt))
                    .col(string_len(Attendance::RecordedBy, 254))
                    .col(timestamp_with_time_zone(Attendance::UpdatedAt))
                    .primary_key(
                        Index::create()
                            .col(Attendance::EnrolmentId)
                            .col(Attendance::Day),
                    )
                    .check(Expr::col(Attendance::Day).between(1, 10))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Attendance::Table, Attendance::EnrolmentId)
                            .to(Enrolment::Table, Enrolment::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Assessment::Table)
                    .col(big_integer(Assessment::EnrolmentId))
                    .col(string_len(Assessment::Kind, 16))
                    .col(double(Assessment::Score))
                    .col(double(Assessment::MaxScore))
                    .col(string_len(Assessment::RecordedBy, 254))
                    .col(timestamp_with_time_zone(Assessment::UpdatedAt))
                    .primary_key(
                        Index::create()
                            .col(Assessment::EnrolmentId)
                            .col(Assessment::Kind),
                    )
                    .check(Expr::col(Assessment::MaxScore).gt(0))
                    .check(
                        Expr::col(Assessment::Score)
                            .gte(0)
                            .and(Expr::col(Assessment::Score).lte(Expr::col(Assessment::MaxScore))),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Assessment::Table, Assessment::EnrolmentId)
                            .to(Enrolment::Table, Enrolment::Id),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Assessment::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Attendance::Table).to_owned())
            .await
    }
}
