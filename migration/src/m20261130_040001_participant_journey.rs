//! The participant's journey and the cascade's last mile.
//!
//! - The mail outbox learns what each message is (`kind`), which enrolment it concerns, an
//!   optional attachment kept with the message (a workshop's `.ics`), and a `dedupe_key` that
//!   is unique: a message that must go at most once (one kind per enrolment, one certificate
//!   mail per certificate) carries one, so a repeated trigger — a retried request, a
//!   re-enrolment, two instances running the reminder job — inserts nothing.
//! - `evaluation`: one per participant and workshop (unique), ratings 1..=5 checked by the
//!   database too.
//! - `outreach`: meetings certified participants held with their constituencies, headcounts
//!   only; `workshop_outreach_stats` keeps each workshop's outreach figures, recounted in the
//!   transaction that records a meeting, so the summary report and the cascade tree read one
//!   row per workshop.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Workshop {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Participant {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Enrolment {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum EmailOutbox {
    Table,
    Kind,
    EnrolmentId,
    DedupeKey,
    AttachmentName,
    AttachmentType,
    AttachmentData,
}

#[derive(DeriveIden)]
enum Evaluation {
    Table,
    Id,
    WorkshopId,
    ParticipantId,
    EnrolmentId,
    Overall,
    Trainers,
    Venue,
    Materials,
    TopicRatings,
    MostUseful,
    Suggestions,
    EnteredBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Outreach {
    Table,
    Id,
    ParticipantId,
    WorkshopId,
    HeldOn,
    Venue,
    Ward,
    Topics,
    Female,
    Male,
    Other,
    Undisclosed,
    #[sea_orm(iden = "under_18")]
    Under18,
    #[sea_orm(iden = "age_18_35")]
    Age1835,
    #[sea_orm(iden = "age_36_59")]
    Age3659,
    #[sea_orm(iden = "age_60_plus")]
    Age60Plus,
    PeopleReached,
    RecordedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum WorkshopOutreachStats {
    Table,
    WorkshopId,
    Sessions,
    PeopleReached,
    Female,
    Male,
    Other,
    Undisclosed,
}

fn rating(column: Evaluation) -> ColumnDef {
    let name = column.to_string();
    integer(column)
        .check(Expr::cust(format!("{name} BETWEEN 1 AND 5")))
        .to_owned()
}

fn headcount(column: Outreach) -> ColumnDef {
    let name = column.to_string();
    integer(column)
        .default(0)
        .check(Expr::cust(format!("{name} >= 0")))
        .to_owned()
}

fn age_band(column: Outreach) -> ColumnDef {
    let name = column.to_string();
    integer_null(column)
        .check(Expr::cust(format!("{name} IS NULL OR {name} >= 0")))
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        let columns = [
            string_len(EmailOutbox::Kind, 32)
                .default("certificate")
                .to_owned(),
            big_integer_null(EmailOutbox::EnrolmentId),
            string_len_null(EmailOutbox::DedupeKey, 100),
            string_len_null(EmailOutbox::AttachmentName, 200),
            string_len_null(EmailOutbox::AttachmentType, 100),
            blob_null(EmailOutbox::AttachmentData),
        ];
        for mut column in columns {
            manager
                .alter_table(
                    Table::alter()
                        .table(EmailOutbox::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("uq_email_outbox_dedupe_key")
                    .table(EmailOutbox::Table)
                    .col(EmailOutbox::DedupeKey)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_email_outbox_kind")
                    .table(EmailOutbox::Table)
                    .col(EmailOutbox::Kind)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Evaluation::Table)
                    .col(big_pk_auto(Evaluation::Id))
                    .col(big_integer(Evaluation::WorkshopId))
                    .col(big_integer(Evaluation::ParticipantId))
                    .col(big_integer(Evaluation::EnrolmentId))
                    .col(rating(Evaluation::Overall))
                    .col(rating(Evaluation::Trainers))
                    .col(rating(Evaluation::Venue))
                    .col(rating(Evaluation::Materials))
                    .col(text(Evaluation::TopicRatings))
                    .col(text_null(Evaluation::MostUseful))
                    .col(text_null(Evaluation::Suggestions))
                    .col(string_len(Evaluation::EnteredBy, 254))
                    .col(timestamp_with_time_zone(Evaluation::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Evaluation::Table, Evaluation::WorkshopId)
                            .to(Workshop::Table, Workshop::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Evaluation::Table, Evaluation::ParticipantId)
                            .to(Participant::Table, Participant::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Evaluation::Table, Evaluation::EnrolmentId)
                            .to(Enrolment::Table, Enrolment::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_evaluation_workshop_participant")
                    .table(Evaluation::Table)
                    .col(Evaluation::WorkshopId)
                    .col(Evaluation::ParticipantId)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Outreach::Table)
                    .col(big_pk_auto(Outreach::Id))
                    .col(big_integer(Outreach::ParticipantId))
                    .col(big_integer(Outreach::WorkshopId))
                    .col(date(Outreach::HeldOn))
                    .col(string_len(Outreach::Venue, 200))
                    .col(string_len_null(Outreach::Ward, 64))
                    .col(text(Outreach::Topics))
                    .col(headcount(Outreach::Female))
                    .col(headcount(Outreach::Male))
                    .col(headcount(Outreach::Other))
                    .col(headcount(Outreach::Undisclosed))
                    .col(age_band(Outreach::Under18))
                    .col(age_band(Outreach::Age1835))
                    .col(age_band(Outreach::Age3659))
                    .col(age_band(Outreach::Age60Plus))
                    .col(integer(Outreach::PeopleReached).check(Expr::cust("people_reached > 0")))
                    .col(string_len(Outreach::RecordedBy, 254))
                    .col(timestamp_with_time_zone(Outreach::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Outreach::Table, Outreach::WorkshopId)
                            .to(Workshop::Table, Workshop::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Outreach::Table, Outreach::ParticipantId)
                            .to(Participant::Table, Participant::Id),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("idx_outreach_workshop", Outreach::WorkshopId),
            ("idx_outreach_participant", Outreach::ParticipantId),
            ("idx_outreach_held_on", Outreach::HeldOn),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Outreach::Table)
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(WorkshopOutreachStats::Table)
                    .col(
                        big_integer(WorkshopOutreachStats::WorkshopId)
                            .primary_key()
                            .to_owned(),
                    )
                    .col(big_integer(WorkshopOutreachStats::Sessions).default(0))
                    .col(big_integer(WorkshopOutreachStats::PeopleReached).default(0))
                    .col(big_integer(WorkshopOutreachStats::Female).default(0))
                    .col(big_integer(WorkshopOutreachStats::Male).default(0))
                    .col(big_integer(WorkshopOutreachStats::Other).default(0))
                    .col(big_integer(WorkshopOutreachStats::Undisclosed).default(0))
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                WorkshopOutreachStats::Table,
                                WorkshopOutreachStats::WorkshopId,
                            )
                            .to(Workshop::Table, Workshop::Id),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            WorkshopOutreachStats::Table.into_iden(),
            Outreach::Table.into_iden(),
            Evaluation::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        for index in ["idx_email_outbox_kind", "uq_email_outbox_dedupe_key"] {
            manager
                .drop_index(
                    Index::drop()
                        .name(index)
                        .table(EmailOutbox::Table)
                        .to_owned(),
                )
                .await?;
        }
        for column in [
            EmailOutbox::AttachmentData,
            EmailOutbox::AttachmentType,
            EmailOutbox::AttachmentName,
            EmailOutbox::DedupeKey,
            EmailOutbox::EnrolmentId,
            EmailOutbox::Kind,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(EmailOutbox::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
