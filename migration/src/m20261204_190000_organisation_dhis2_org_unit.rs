//! Organisations carry the DHIS2 organisation unit (an 11-character UID) their figures are
//! reported under in a DHIS2 `dataValueSets` document. Optional: organisations without one are
//! listed as conflicts of the DHIS2 report until an administrator sets theirs.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Organisation {
    Table,
    Dhis2OrgUnit,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Organisation::Table)
                    .add_column(string_len_null(Organisation::Dhis2OrgUnit, 11))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Organisation::Table)
                    .drop_column(Organisation::Dhis2OrgUnit)
                    .to_owned(),
            )
            .await
    }
}
