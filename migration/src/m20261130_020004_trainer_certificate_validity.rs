//! A ToT certificate entitles its holder to train others for a number of months set per course
//! (null: for good).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Course {
    Table,
    TrainerCertificateValidMonths,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Course::Table)
                    .add_column(integer_null(Course::TrainerCertificateValidMonths))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Course::Table)
                    .drop_column(Course::TrainerCertificateValidMonths)
                    .to_owned(),
            )
            .await
    }
}
