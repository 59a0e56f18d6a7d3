//! Participants may carry their national identity number (normalised, e.g. `63-123456A78`),
//! unique when present: the surest sign that two records are one person.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Participant {
    Table,
    NationalId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Participant::Table)
                    .add_column(string_len_null(Participant::NationalId, 16))
                    .to_owned(),
            )
            .await?;
        // Unique when present: both databases let any number of rows hold null.
        manager
            .create_index(
                Index::create()
                    .name("uq_participant_national_id")
                    .table(Participant::Table)
                    .col(Participant::NationalId)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("uq_participant_national_id")
                    .table(Participant::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Participant::Table)
                    .drop_column(Participant::NationalId)
                    .to_owned(),
            )
            .await
    }
}
