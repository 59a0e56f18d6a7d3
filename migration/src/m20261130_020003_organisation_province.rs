//! Organisations carry the province (one of Zimbabwe's ten) and district they serve, so that
//! reports split by province. Both are optional: organisations recorded before are counted as
//! "province not recorded" until an administrator sets theirs.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Organisation {
    Table,
    /// `bulawayo`, `harare`, `manicaland`, … (snake_case), or null.
    Province,
    District,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column per statement.
        manager
            .alter_table(
                Table::alter()
                    .table(Organisation::Table)
                    .add_column(string_len_null(Organisation::Province, 32))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Organisation::Table)
                    .add_column(string_len_null(Organisation::District, 120))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Organisation::District, Organisation::Province] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Organisation::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
