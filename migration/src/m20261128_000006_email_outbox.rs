//! The durable outbox of emails: queued in the same transaction as what they announce, sent
//! by a background worker with retries.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Certificate {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum EmailOutbox {
    Table,
    Id,
    MessageId,
    Recipient,
    RecipientName,
    Subject,
    BodyText,
    BodyHtml,
    CertificateId,
    Status,
    Attempts,
    NextAttemptAt,
    LastError,
    ClaimedUntil,
    SentAt,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(EmailOutbox::Table)
                    .col(big_pk_auto(EmailOutbox::Id))
                    .col(string_len_uniq(EmailOutbox::MessageId, 200))
                    .col(string_len(EmailOutbox::Recipient, 254))
                    .col(string_len(EmailOutbox::RecipientName, 120))
                    .col(string_len(EmailOutbox::Subject, 300))
                    .col(text(EmailOutbox::BodyText))
                    .col(text(EmailOutbox::BodyHtml))
                    .col(big_integer_null(EmailOutbox::CertificateId))
                    .col(string_len(EmailOutbox::Status, 16))
                    .col(integer(EmailOutbox::Attempts).default(0))
                    .col(timestamp_with_time_zone(EmailOutbox::NextAttemptAt))
                    .col(text_null(EmailOutbox::LastError))
                    .col(timestamp_with_time_zone_null(EmailOutbox::ClaimedUntil))
                    .col(timestamp_with_time_zone_null(EmailOutbox::SentAt))
                    .col(timestamp_with_time_zone(EmailOutbox::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(EmailOutbox::Table, EmailOutbox::CertificateId)
                            .to(Certificate::Table, Certificate::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_email_outbox_due")
                    .table(EmailOutbox::Table)
                    .col(EmailOutbox::Status)
                    .col(EmailOutbox::NextAttemptAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(EmailOutbox::Table).to_owned())
            .await
    }
}
