//! Participants, user accounts, sessions, API keys and the audit log.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Organisation {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Participant {
    Table,
    Id,
    FullName,
    Email,
    Phone,
    Gender,
    OrganisationId,
    TargetGroup,
    Ward,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum AppUser {
    Table,
    Id,
    Name,
    Email,
    Role,
    PasswordHash,
    ParticipantId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Session {
    Table,
    Id,
    UserId,
    TokenHash,
    CreatedAt,
    ExpiresAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum ApiKey {
    Table,
    Id,
    Name,
    Scopes,
    KeyHash,
    KeyPrefix,
    CreatedBy,
    CreatedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    At,
    ActorKind,
    ActorId,
    ActorLabel,
    Entity,
    EntityId,
    Action,
    Before,
    After,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Participant::Table)
                    .col(big_pk_auto(Participant::Id))
                    .col(string_len(Participant::FullName, 120))
                    .col(string_len_null(Participant::Email, 254).unique_key())
                    .col(string_len_null(Participant::Phone, 32))
                    .col(string_len_null(Participant::Gender, 16))
                    .col(big_integer_null(Participant::OrganisationId))
                    .col(string_len(Participant::TargetGroup, 32))
                    .col(string_len_null(Participant::Ward, 64))
                    .col(timestamp_with_time_zone(Participant::CreatedAt))
                    .col(timestamp_with_time_zone(Participant::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Participant::Table, Participant::OrganisationId)
                            .to(Organisation::Table, Organisation::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_participant_organisation")
                    .table(Participant::Table)
                    .col(Participant::OrganisationId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AppUser::Table)
                    .col(big_pk_auto(AppUser::Id))
                    .col(string_len(AppUser::Name, 120))
                    .col(string_len_uniq(AppUser::Email, 254))
                    .col(string_len(AppUser::Role, 16))
                    .col(string_len(AppUser::PasswordHash, 200))
                    .col(big_integer_null(AppUser::ParticipantId).unique_key())
                    .col(timestamp_with_time_zone(AppUser::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(AppUser::Table, AppUser::ParticipantId)
                            .to(Participant::Table, Participant::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Session::Table)
                    .col(big_pk_auto(Session::Id))
                    .col(big_integer(Session::UserId))
                    .col(string_len_uniq(Session::TokenHash, 64))
                    .col(timestamp_with_time_zone(Session::CreatedAt))
                    .col(timestamp_with_time_zone(Session::ExpiresAt))
                    .col(timestamp_with_time_zone_null(Session::RevokedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Session::Table, Session::UserId)
                            .to(AppUser::Table, AppUser::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ApiKey::Table)
                    .col(big_pk_auto(ApiKey::Id))
                    .col(string_len(ApiKey::Name, 120))
                    .col(string_len(ApiKey::Scopes, 200))
                    .col(string_len_uniq(ApiKey::KeyHash, 64))
                    .col(string_len(ApiKey::KeyPrefix, 16))
                    .col(big_integer_null(ApiKey::CreatedBy))
                    .col(timestamp_with_time_zone(ApiKey::CreatedAt))
                    .col(timestamp_with_time_zone_null(ApiKey::RevokedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ApiKey::Table, ApiKey::CreatedBy)
                            .to(AppUser::Table, AppUser::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .col(big_pk_auto(AuditLog::Id))
                    .col(timestamp_with_time_zone(AuditLog::At))
                    .col(string_len(AuditLog::ActorKind, 16))
                    .col(big_integer_null(AuditLog::ActorId))
                    .col(string_len(AuditLog::ActorLabel, 254))
                    .col(string_len(AuditLog::Entity, 32))
                    .col(big_integer(AuditLog::EntityId))
                    .col(string_len(AuditLog::Action, 32))
                    .col(json_null(AuditLog::Before))
                    .col(json_null(AuditLog::After))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_audit_entity")
                    .table(AuditLog::Table)
                    .col(AuditLog::Entity)
                    .col(AuditLog::EntityId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            AuditLog::Table.into_iden(),
            ApiKey::Table.into_iden(),
            Session::Table.into_iden(),
            AppUser::Table.into_iden(),
            Participant::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
