//! Participants by name: an index on `full_name`, so that a page of the list in name order
//! (the console's participant list, the API's `GET /participants`) reads 50 entries of the
//! index instead of sorting every participant.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Participant {
    Table,
    FullName,
}

const INDEX: &str = "idx_participant_full_name";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name(INDEX)
                    .table(Participant::Table)
                    .col(Participant::FullName)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name(INDEX)
                    .table(Participant::Table)
                    .to_owned(),
            )
            .await
    }
}
