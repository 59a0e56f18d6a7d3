//! Workshops with their trainers, enrolments with the waitlist, and idempotency records.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Course {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Organisation {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Participant {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum AppUser {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Workshop {
    Table,
    Id,
    CourseId,
    Level,
    ParentWorkshopId,
    Venue,
    OrganisationId,
    Ward,
    StartDate,
    EndDate,
    DurationDays,
    Capacity,
    SeatsTaken,
    WaitlistCount,
    Status,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum WorkshopTrainer {
    Table,
    WorkshopId,
    UserId,
}

#[derive(DeriveIden)]
enum Enrolment {
    Table,
    Id,
    WorkshopId,
    ParticipantId,
    Status,
    QueueNumber,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum IdempotencyRecord {
    Table,
    Id,
    Scope,
    Key,
    RequestHash,
    Status,
    ResponseStatus,
    ResponseContentType,
    ResponseBody,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Workshop::Table)
                    .col(big_pk_auto(Workshop::Id))
                    .col(big_integer(Workshop::CourseId))
                    .col(string_len(Workshop::Level, 16))
                    .col(big_integer_null(Workshop::ParentWorkshopId))
                    .col(string_len(Workshop::Venue, 200))
                    .col(big_integer_null(Workshop::OrganisationId))
                    .col(string_len_null(Workshop::Ward, 64))
                    .col(date(Workshop::StartDate))
                    .col(date(Workshop::EndDate))
                    .col(integer(Workshop::DurationDays))
                    .col(integer(Workshop::Capacity))
                    .col(integer(Workshop::SeatsTaken).default(0))
                    .col(integer(Workshop::WaitlistCount).default(0))
                    .col(string_len(Workshop::Status, 16))
                    .col(timestamp_with_time_zone(Workshop::CreatedAt))
                    .col(timestamp_with_time_zone(Workshop::UpdatedAt))
                    // The second line of defence of the seat cap: whatever the code does, the
                    // database refuses a workshop with more seats taken than it has.
                    .check(Expr::col(Workshop::Capacity).between(1, 35))
                    .check(
                        Expr::col(Workshop::SeatsTaken).gte(0).and(
                            Expr::col(Workshop::SeatsTaken).lte(Expr::col(Workshop::Capacity)),
                        ),
                    )
                    .check(Expr::col(Workshop::WaitlistCount).gte(0))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Workshop::Table, Workshop::CourseId)
                            .to(Course::Table, Course::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Workshop::Table, Workshop::ParentWorkshopId)
                            .to(Workshop::Table, Workshop::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Workshop::Table, Workshop::OrganisationId)
                            .to(Organisation::Table, Organisation::Id),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("idx_workshop_course", Workshop::CourseId),
            ("idx_workshop_start", Workshop::StartDate),
            ("idx_workshop_parent", Workshop::ParentWorkshopId),
            ("idx_workshop_organisation", Workshop::OrganisationId),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Workshop::Table)
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(WorkshopTrainer::Table)
                    .col(big_integer(WorkshopTrainer::WorkshopId))
                    .col(big_integer(WorkshopTrainer::UserId))
                    .primary_key(
                        Index::create()
                            .col(WorkshopTrainer::WorkshopId)
                            .col(WorkshopTrainer::UserId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(WorkshopTrainer::Table, WorkshopTrainer::WorkshopId)
                            .to(Workshop::Table, Workshop::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(WorkshopTrainer::Table, WorkshopTrainer::UserId)
                            .to(AppUser::Table, AppUser::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_workshop_trainer_user")
                    .table(WorkshopTrainer::Table)
                    .col(WorkshopTrainer::UserId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Enrolment::Table)
                    .col(big_pk_auto(Enrolment::Id))
                    .col(big_integer(Enrolment::WorkshopId))
                    .col(big_integer(Enrolment::ParticipantId))
                    .col(string_len(Enrolment::Status, 16))
                    .col(big_integer(Enrolment::QueueNumber))
                    .col(timestamp_with_time_zone(Enrolment::CreatedAt))
                    .col(timestamp_with_time_zone(Enrolment::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Enrolment::Table, Enrolment::WorkshopId)
                            .to(Workshop::Table, Workshop::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Enrolment::Table, Enrolment::ParticipantId)
                            .to(Participant::Table, Participant::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_enrolment_workshop_participant")
                    .table(Enrolment::Table)
                    .col(Enrolment::WorkshopId)
                    .col(Enrolment::ParticipantId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_enrolment_queue")
                    .table(Enrolment::Table)
                    .col(Enrolment::WorkshopId)
                    .col(Enrolment::QueueNumber)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_enrolment_participant")
                    .table(Enrolment::Table)
                    .col(Enrolment::ParticipantId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(IdempotencyRecord::Table)
                    .col(big_pk_auto(IdempotencyRecord::Id))
                    .col(string_len(IdempotencyRecord::Scope, 64))
                    .col(string_len(IdempotencyRecord::Key, 200))
                    .col(string_len(IdempotencyRecord::RequestHash, 64))
                    .col(string_len(IdempotencyRecord::Status, 16))
                    .col(integer_null(IdempotencyRecord::ResponseStatus))
                    .col(string_len_null(IdempotencyRecord::ResponseContentType, 200))
                    .col(blob_null(IdempotencyRecord::ResponseBody))
                    .col(timestamp_with_time_zone(IdempotencyRecord::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_idempotency_scope_key")
                    .table(IdempotencyRecord::Table)
                    .col(IdempotencyRecord::Scope)
                    .col(IdempotencyRecord::Key)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            IdempotencyRecord::Table.into_iden(),
            Enrolment::Table.into_iden(),
            WorkshopTrainer::Table.into_iden(),
            Workshop::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
