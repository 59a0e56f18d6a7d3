//! Participants may carry their year of birth and their answers to the Washington Group Short
//! Set (six domains); the per-workshop tallies gain the age-band and disability splits of both
//! populations. Nobody has a birth year or answers yet, so every existing seat and certificate
//! is counted `unrecorded` in both new splits.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Participant {
    Table,
    BirthYear,
}

#[derive(DeriveIden)]
enum WorkshopStats {
    Table,
}

/// The six domains of the Short Set, as column suffixes.
const DOMAINS: [&str; 6] = [
    "seeing",
    "hearing",
    "walking",
    "cognition",
    "self_care",
    "communication",
];

/// The age-band and disability tally columns of one population.
fn tally_columns(population: &str) -> Vec<String> {
    let mut columns: Vec<String> = ["15_24", "25_34", "35_49", "50_64", "65_plus", "unrecorded"]
        .iter()
        .map(|band| format!("{population}_age_{band}"))
        .collect();
    columns.extend(
        ["with", "without", "unrecorded"]
            .iter()
            .map(|d| format!("{population}_dis_{d}")),
    );
    columns
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds one column per ALTER TABLE.
        manager
            .alter_table(
                Table::alter()
                    .table(Participant::Table)
                    .add_column(integer_null(Participant::BirthYear))
                    .to_owned(),
            )
            .await?;
        for domain in DOMAINS {
            manager
                .alter_table(
                    Table::alter()
                        .table(Participant::Table)
                        .add_column(string_len_null(Alias::new(format!("wg_{domain}")), 24))
                        .to_owned(),
                )
                .await?;
        }
        for population in ["enrolled", "certified"] {
            for column in tally_columns(population) {
                manager
                    .alter_table(
                        Table::alter()
                            .table(WorkshopStats::Table)
                            .add_column(integer(Alias::new(column)).default(0))
                            .to_owned(),
                    )
                    .await?;
            }
            manager
                .get_connection()
                .execute_unprepared(&format!(
                    "UPDATE workshop_stats SET {population}_age_unrecorded = {population}, \
                     {population}_dis_unrecorded = {population}"
                ))
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for population in ["enrolled", "certified"] {
            for column in tally_columns(population) {
                manager
                    .alter_table(
                        Table::alter()
                            .table(WorkshopStats::Table)
                            .drop_column(Alias::new(column))
                            .to_owned(),
                    )
                    .await?;
            }
        }
        for domain in DOMAINS {
            manager
                .alter_table(
                    Table::alter()
                        .table(Participant::Table)
                        .drop_column(Alias::new(format!("wg_{domain}")))
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Participant::Table)
                    .drop_column(Participant::BirthYear)
                    .to_owned(),
            )
            .await
    }
}
