//! An enrolment records the participant's consent to the processing of their personal data:
//! when it was given and the version of the privacy notice they were shown.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Enrolment {
    Table,
    ConsentGivenAt,
    ConsentTextVersion,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Enrolment::Table)
                    .add_column(timestamp_with_time_zone_null(Enrolment::ConsentGivenAt))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Enrolment::Table)
                    .add_column(string_len_null(Enrolment::ConsentTextVersion, 16))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Enrolment::ConsentTextVersion, Enrolment::ConsentGivenAt] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Enrolment::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
