//! One-time sign-in links mailed to participants: only the SHA-256 of each link's secret is
//! kept, with when it stops working and when it was used.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Participant {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum SignInLink {
    Table,
    Id,
    ParticipantId,
    TokenHash,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SignInLink::Table)
                    .col(big_pk_auto(SignInLink::Id))
                    .col(big_integer(SignInLink::ParticipantId))
                    .col(string_len_uniq(SignInLink::TokenHash, 64))
                    .col(timestamp_with_time_zone(SignInLink::CreatedAt))
                    .col(timestamp_with_time_zone(SignInLink::ExpiresAt))
                    .col(timestamp_with_time_zone_null(SignInLink::UsedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(SignInLink::Table, SignInLink::ParticipantId)
                            .to(Participant::Table, Participant::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_sign_in_link_participant")
                    .table(SignInLink::Table)
                    .col(SignInLink::ParticipantId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SignInLink::Table).to_owned())
            .await
    }
}
