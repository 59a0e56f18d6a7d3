//! Certificates (with the snapshot of everything they print, and the PDF as issued) and the
//! per-course, per-year numbering sequence.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Enrolment {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Participant {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Workshop {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Course {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Certificate {
    Table,
    Id,
    Number,
    VerificationCode,
    EnrolmentId,
    ParticipantId,
    WorkshopId,
    CourseId,
    CourseCode,
    CourseTitle,
    Level,
    HolderName,
    StartDate,
    EndDate,
    Venue,
    OrganisationName,
    IssuedOn,
    IssuedAt,
    VerificationUrl,
    SignatoryName,
    SignatoryTitle,
    Pdf,
    Status,
    RevokedAt,
    RevokedReason,
}

#[derive(DeriveIden)]
enum CertificateSequence {
    Table,
    CourseCode,
    Year,
    LastNumber,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Certificate::Table)
                    .col(big_pk_auto(Certificate::Id))
                    .col(string_len_uniq(Certificate::Number, 40))
                    .col(string_len_uniq(Certificate::VerificationCode, 64))
                    .col(big_integer(Certificate::EnrolmentId))
                    .col(big_integer(Certificate::ParticipantId))
                    .col(big_integer(Certificate::WorkshopId))
                    .col(big_integer(Certificate::CourseId))
                    .col(string_len(Certificate::CourseCode, 16))
                    .col(string_len(Certificate::CourseTitle, 200))
                    .col(string_len(Certificate::Level, 16))
                    .col(string_len(Certificate::HolderName, 120))
                    .col(date(Certificate::StartDate))
                    .col(date(Certificate::EndDate))
                    .col(string_len(Certificate::Venue, 200))
                    .col(string_len_null(Certificate::OrganisationName, 200))
                    .col(date(Certificate::IssuedOn))
                    .col(timestamp_with_time_zone(Certificate::IssuedAt))
                    .col(string_len(Certificate::VerificationUrl, 400))
                    .col(string_len(Certificate::SignatoryName, 120))
                    .col(string_len(Certificate::SignatoryTitle, 200))
                    .col(blob(Certificate::Pdf))
                    .col(string_len(Certificate::Status, 16))
                    .col(timestamp_with_time_zone_null(Certificate::RevokedAt))
                    .col(text_null(Certificate::RevokedReason))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Certificate::Table, Certificate::EnrolmentId)
                            .to(Enrolment::Table, Enrolment::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Certificate::Table, Certificate::ParticipantId)
                            .to(Participant::Table, Participant::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Certificate::Table, Certificate::WorkshopId)
                            .to(Workshop::Table, Workshop::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Certificate::Table, Certificate::CourseId)
                            .to(Course::Table, Course::Id),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("idx_certificate_enrolment", Certificate::EnrolmentId),
            ("idx_certificate_participant", Certificate::ParticipantId),
            ("idx_certificate_workshop", Certificate::WorkshopId),
            ("idx_certificate_issued_at", Certificate::IssuedAt),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Certificate::Table)
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(CertificateSequence::Table)
                    .col(string_len(CertificateSequence::CourseCode, 16))
                    .col(integer(CertificateSequence::Year))
                    .col(big_integer(CertificateSequence::LastNumber))
                    .primary_key(
                        Index::create()
                            .col(CertificateSequence::CourseCode)
                            .col(CertificateSequence::Year),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CertificateSequence::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Certificate::Table).to_owned())
            .await
    }
}
