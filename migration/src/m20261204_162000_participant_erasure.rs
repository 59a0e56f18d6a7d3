//! Erasure of a participant (the data subject's right): when they were erased, and what the
//! reports count them as once their personal data is gone — the gender and the Washington
//! Group cut-off on the participant, the age band on each enrolment (it depends on the
//! workshop's start date). The tallies read these in place of the erased values, so every
//! report stays the same to the last figure.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Participant {
    Table,
    ErasedAt,
    CountedGender,
    CountedDisability,
}

#[derive(DeriveIden)]
enum Enrolment {
    Table,
    CountedAgeBand,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one at a time.
        for column in [
            timestamp_with_time_zone_null(Participant::ErasedAt),
            string_len_null(Participant::CountedGender, 16),
            string_len_null(Participant::CountedDisability, 24),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Participant::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Enrolment::Table)
                    .add_column(string_len_null(Enrolment::CountedAgeBand, 16))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Enrolment::Table)
                    .drop_column(Enrolment::CountedAgeBand)
                    .to_owned(),
            )
            .await?;
        for column in [
            Participant::CountedDisability,
            Participant::CountedGender,
            Participant::ErasedAt,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Participant::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
