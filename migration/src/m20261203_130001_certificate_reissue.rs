//! A reissued certificate points at the one it replaces (`supersedes_id`) and the replaced one
//! at its successor (`superseded_by_id`); the replaced one keeps everything it printed.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Certificate {
    Table,
    SupersedesId,
    SupersededById,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one column at a time.
        for column in [Certificate::SupersedesId, Certificate::SupersededById] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Certificate::Table)
                        .add_column(big_integer_null(column))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Certificate::SupersededById, Certificate::SupersedesId] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Certificate::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
