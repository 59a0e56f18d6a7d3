//! SMS: a durable outbox like mail's (queued in the transaction of what it announces, sent by a
//! background worker with leased claims and retries; at most one message per kind and
//! enrolment by a unique key), and the one-time sign-in codes sent by it (hashed).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum SmsOutbox {
    Table,
    Id,
    Kind,
    Recipient,
    ParticipantId,
    EnrolmentId,
    Body,
    Segments,
    Status,
    Attempts,
    NextAttemptAt,
    LastError,
    ClaimedUntil,
    SentAt,
    CreatedAt,
    DedupeKey,
    RequestId,
}

#[derive(DeriveIden)]
enum SmsSignInCode {
    Table,
    Id,
    ParticipantId,
    Phone,
    CodeHash,
    CreatedAt,
    ExpiresAt,
    Tries,
    UsedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SmsOutbox::Table)
                    .col(big_pk_auto(SmsOutbox::Id))
                    .col(string_len(SmsOutbox::Kind, 32))
                    .col(string_len(SmsOutbox::Recipient, 20))
                    .col(big_integer_null(SmsOutbox::ParticipantId))
                    .col(big_integer_null(SmsOutbox::EnrolmentId))
                    .col(text(SmsOutbox::Body))
                    .col(integer(SmsOutbox::Segments))
                    .col(string_len(SmsOutbox::Status, 16))
                    .col(integer(SmsOutbox::Attempts).default(0))
                    .col(timestamp_with_time_zone(SmsOutbox::NextAttemptAt))
                    .col(text_null(SmsOutbox::LastError))
                    .col(timestamp_with_time_zone_null(SmsOutbox::ClaimedUntil))
                    .col(timestamp_with_time_zone_null(SmsOutbox::SentAt))
                    .col(timestamp_with_time_zone(SmsOutbox::CreatedAt))
                    .col(string_len_null(SmsOutbox::DedupeKey, 120).unique_key())
                    .col(string_len_null(SmsOutbox::RequestId, 64))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_sms_outbox_due")
                    .table(SmsOutbox::Table)
                    .col(SmsOutbox::Status)
                    .col(SmsOutbox::NextAttemptAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_sms_outbox_created")
                    .table(SmsOutbox::Table)
                    .col(SmsOutbox::Status)
                    .col(SmsOutbox::CreatedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SmsSignInCode::Table)
                    .col(big_pk_auto(SmsSignInCode::Id))
                    .col(big_integer(SmsSignInCode::ParticipantId))
                    .col(string_len(SmsSignInCode::Phone, 20))
                    .col(string_len(SmsSignInCode::CodeHash, 120))
                    .col(timestamp_with_time_zone(SmsSignInCode::CreatedAt))
                    .col(timestamp_with_time_zone(SmsSignInCode::ExpiresAt))
                    .col(integer(SmsSignInCode::Tries).default(0))
                    .col(timestamp_with_time_zone_null(SmsSignInCode::UsedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_sms_sign_in_code_phone")
                    .table(SmsSignInCode::Table)
                    .col(SmsSignInCode::Phone)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SmsSignInCode::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(SmsOutbox::Table).to_owned())
            .await
    }
}
