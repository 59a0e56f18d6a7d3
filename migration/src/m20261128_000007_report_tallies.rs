//! Per-workshop tallies behind the summary report.
//!
//! The summary must answer in milliseconds over tens of thousands of workshops, so the figures
//! of each workshop (seats, certificates, days attended, knowledge gain, and their splits by
//! target group, gender and organisation) are kept in these tables, refreshed in the same
//! transaction as every change that moves them (`src/services/tallies.rs`). The report then sums
//! one row per workshop instead of scanning every enrolment and attendance mark.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Workshop {
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

/// The seats of people holding seats in more than one workshop, with the workshop's start date
/// and organisation: the few the report's count of distinct people must look at one by one
/// (everyone else is one seat, one person).
#[derive(DeriveIden)]
enum RepeatSeat {
    Table,
    Id,
    ParticipantId,
    WorkshopId,
    StartDate,
    OrganisationId,
}

#[derive(DeriveIden)]
enum Enrolment {
    Table,
    WorkshopId,
    ParticipantId,
    Status,
}

#[derive(DeriveIden)]
enum WorkshopStats {
    Table,
    WorkshopId,
    Enrolled,
    Certified,
    DaysAttended,
    GainSum,
    GainCount,
}

#[derive(DeriveIden)]
enum WorkshopOrganisationStats {
    Table,
    Id,
    WorkshopId,
    OrganisationId,
    Enrolled,
    Certified,
}

/// The target groups and genders as the participant table spells them on this date, plus
/// `unrecorded` for a participant without a gender. A later value gets its own migration.
const TARGET_GROUPS: [&str; 11] = [
    "water_supply",
    "wastewater",
    "solid_waste",
    "social_services",
    "revenue",
    "management",
    "community_champion",
    "councillor",
    "ratepayer",
    "civic_society",
    "other",
];
const GENDERS: [&str; 5] = ["female", "male", "other", "undisclosed", "unrecorded"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut stats = Table::create();
        stats
            .table(WorkshopStats::Table)
            .col(big_integer(WorkshopStats::WorkshopId).primary_key())
            .col(integer(WorkshopStats::Enrolled).default(0))
            .col(integer(WorkshopStats::Certified).default(0))
            .col(integer(WorkshopStats::DaysAttended).default(0))
            .col(double(WorkshopStats::GainSum).default(0.0))
            .col(integer(WorkshopStats::GainCount).default(0));
        for population in ["enrolled", "certified"] {
            for group in TARGET_GROUPS {
                stats.col(integer(Alias::new(format!("{population}_tg_{group}"))).default(0));
            }
            for gender in GENDERS {
                stats.col(integer(Alias::new(format!("{population}_gender_{gender}"))).default(0));
            }
        }
        stats.foreign_key(
            ForeignKey::create()
                .from(WorkshopStats::Table, WorkshopStats::WorkshopId)
                .to(Workshop::Table, Workshop::Id),
        );
        manager.create_table(stats.to_owned()).await?;

        manager
            .create_table(
                Table::create()
                    .table(WorkshopOrganisationStats::Table)
                    .col(big_pk_auto(WorkshopOrganisationStats::Id))
                    .col(big_integer(WorkshopOrganisationStats::WorkshopId))
                    .col(big_integer_null(WorkshopOrganisationStats::OrganisationId))
                    .col(integer(WorkshopOrganisationStats::Enrolled).default(0))
                    .col(integer(WorkshopOrganisationStats::Certified).default(0))
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                WorkshopOrganisationStats::Table,
                                WorkshopOrganisationStats::WorkshopId,
                            )
                            .to(Workshop::Table, Workshop::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                WorkshopOrganisationStats::Table,
                                WorkshopOrganisationStats::OrganisationId,
                            )
                            .to(Organisation::Table, Organisation::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_workshop_organisation_stats_workshop")
                    .table(WorkshopOrganisationStats::Table)
                    .col(WorkshopOrganisationStats::WorkshopId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(RepeatSeat::Table)
                    .col(big_pk_auto(RepeatSeat::Id))
                    .col(big_integer(RepeatSeat::ParticipantId))
                    .col(big_integer(RepeatSeat::WorkshopId))
                    .col(date(RepeatSeat::StartDate))
                    .col(big_integer_null(RepeatSeat::OrganisationId))
                    .foreign_key(
                        ForeignKey::create()
                            .from(RepeatSeat::Table, RepeatSeat::ParticipantId)
                            .to(Participant::Table, Participant::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(RepeatSeat::Table, RepeatSeat::WorkshopId)
                            .to(Workshop::Table, Workshop::Id),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("idx_repeat_seat_participant", RepeatSeat::ParticipantId),
            ("idx_repeat_seat_start", RepeatSeat::StartDate),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(RepeatSeat::Table)
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }
        // The summary's count of distinct people reads these alone: over all workshops in
        // participant order (no sort), and per selected workshop without touching the rows.
        manager
            .create_index(
                Index::create()
                    .name("idx_enrolment_status_participant")
                    .table(Enrolment::Table)
                    .col(Enrolment::Status)
                    .col(Enrolment::ParticipantId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_enrolment_workshop_status_participant")
                    .table(Enrolment::Table)
                    .col(Enrolment::WorkshopId)
                    .col(Enrolment::Status)
                    .col(Enrolment::ParticipantId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for index in [
            "idx_enrolment_workshop_status_participant",
            "idx_enrolment_status_participant",
        ] {
            manager
                .drop_index(Index::drop().name(index).table(Enrolment::Table).to_owned())
                .await?;
        }
        manager
            .drop_table(Table::drop().table(RepeatSeat::Table).to_owned())
            .await?;
        manager
            .drop_table(
                Table::drop()
                    .table(WorkshopOrganisationStats::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(WorkshopStats::Table).to_owned())
            .await
    }
}
