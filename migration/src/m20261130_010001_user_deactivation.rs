//! User accounts can be deactivated (and reactivated): `app_user.deactivated_at`, and an index
//! on `session.user_id` so that ending every session of one user is one indexed update.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AppUser {
    Table,
    DeactivatedAt,
}

#[derive(DeriveIden)]
enum Session {
    Table,
    UserId,
}

const SESSION_USER_INDEX: &str = "idx_session_user";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(AppUser::Table)
                    .add_column(timestamp_with_time_zone_null(AppUser::DeactivatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(SESSION_USER_INDEX)
                    .table(Session::Table)
                    .col(Session::UserId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name(SESSION_USER_INDEX)
                    .table(Session::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(AppUser::Table)
                    .drop_column(AppUser::DeactivatedAt)
                    .to_owned(),
            )
            .await
    }
}
