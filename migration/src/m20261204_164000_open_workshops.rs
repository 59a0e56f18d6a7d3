//! Open workshops: a workshop may be `public` (listed in the catalogue), and people apply for a
//! place in one (`workshop_application`), confirm by an emailed link or an SMS code, and an
//! administrator accepts or declines them.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Workshop {
    Table,
    Id,
    Public,
}

#[derive(DeriveIden)]
enum WorkshopApplication {
    Table,
    Id,
    Reference,
    WorkshopId,
    FullName,
    Email,
    Phone,
    OrganisationName,
    TargetGroup,
    Gender,
    Language,
    ConsentGivenAt,
    ConsentTextVersion,
    Status,
    ConfirmTokenHash,
    CodeHash,
    CodeTries,
    ConfirmBy,
    ConfirmedAt,
    DecidedAt,
    DeclineReason,
    ParticipantId,
    EnrolmentId,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Workshop::Table)
                    .add_column(boolean(Workshop::Public).default(false))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(WorkshopApplication::Table)
                    .col(big_pk_auto(WorkshopApplication::Id))
                    .col(string_len_uniq(WorkshopApplication::Reference, 16))
                    .col(big_integer(WorkshopApplication::WorkshopId))
                    .col(string_len(WorkshopApplication::FullName, 120))
                    .col(string_len_null(WorkshopApplication::Email, 254))
                    .col(string_len_null(WorkshopApplication::Phone, 32))
                    .col(string_len_null(WorkshopApplication::OrganisationName, 200))
                    .col(string_len(WorkshopApplication::TargetGroup, 32))
                    .col(string_len_null(WorkshopApplication::Gender, 16))
                    .col(string_len(WorkshopApplication::Language, 8))
                    .col(timestamp_with_time_zone(
                        WorkshopApplication::ConsentGivenAt,
                    ))
                    .col(string_len(WorkshopApplication::ConsentTextVersion, 16))
                    .col(string_len(WorkshopApplication::Status, 16))
                    .col(string_len_null(WorkshopApplication::ConfirmTokenHash, 64).unique_key())
                    .col(string_len_null(WorkshopApplication::CodeHash, 64))
                    .col(integer(WorkshopApplication::CodeTries).default(0))
                    .col(timestamp_with_time_zone(WorkshopApplication::ConfirmBy))
                    .col(timestamp_with_time_zone_null(
                        WorkshopApplication::ConfirmedAt,
                    ))
                    .col(timestamp_with_time_zone_null(
                        WorkshopApplication::DecidedAt,
                    ))
                    .col(text_null(WorkshopApplication::DeclineReason))
                    .col(big_integer_null(WorkshopApplication::ParticipantId))
                    .col(big_integer_null(WorkshopApplication::EnrolmentId))
                    .col(timestamp_with_time_zone(WorkshopApplication::CreatedAt))
                    .col(timestamp_with_time_zone(WorkshopApplication::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_workshop_application_workshop")
                            .from(WorkshopApplication::Table, WorkshopApplication::WorkshopId)
                            .to(Workshop::Table, Workshop::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_workshop_application_workshop_status")
                    .table(WorkshopApplication::Table)
                    .col(WorkshopApplication::WorkshopId)
                    .col(WorkshopApplication::Status)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(WorkshopApplication::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Workshop::Table)
                    .drop_column(Workshop::Public)
                    .to_owned(),
            )
            .await
    }
}
