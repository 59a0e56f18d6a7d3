//! Participants without email: each carries the `language` they read (`en`, `sn`, `nd`) and how
//! they are reached (`contact_by`: `email`, `sms` or `both`). Existing records read English and
//! are reached by email, or by SMS when they have a phone and no email. Phones get an index: a
//! sign-in code is sent to the participant with that number. (Uniqueness among recorded phones
//! is checked by the application, so that records which already shared a number before this
//! migration stay as they were and the duplicate finder offers them for merging.)

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Participant {
    Table,
    Email,
    Phone,
    Language,
    ContactBy,
}

const PHONE_INDEX: &str = "idx_participant_phone";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Participant::Table)
                    .add_column(string_len(Participant::Language, 2).default("en"))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Participant::Table)
                    .add_column(string_len(Participant::ContactBy, 8).default("email"))
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::update()
                    .table(Participant::Table)
                    .value(Participant::ContactBy, "sms")
                    .and_where(Expr::col(Participant::Email).is_null())
                    .and_where(Expr::col(Participant::Phone).is_not_null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(PHONE_INDEX)
                    .table(Participant::Table)
                    .col(Participant::Phone)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name(PHONE_INDEX)
                    .table(Participant::Table)
                    .to_owned(),
            )
            .await?;
        for column in [Participant::ContactBy, Participant::Language] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Participant::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
