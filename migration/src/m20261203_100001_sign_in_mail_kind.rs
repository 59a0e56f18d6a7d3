//! Sign-in emails get a kind of their own (`sign_in_link`): before, they were stored with the
//! column's default, `certificate`, and listed as such. Sign-in emails are the ones whose
//! `Message-ID` starts `<sign-in-`.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum EmailOutbox {
    Table,
    Kind,
    MessageId,
}

async fn relabel(manager: &SchemaManager<'_>, from: &str, to: &str) -> Result<(), DbErr> {
    manager
        .exec_stmt(
            Query::update()
                .table(EmailOutbox::Table)
                .value(EmailOutbox::Kind, to)
                .and_where(Expr::col(EmailOutbox::Kind).eq(from))
                .and_where(Expr::col(EmailOutbox::MessageId).like("<sign-in-%"))
                .to_owned(),
        )
        .await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        relabel(manager, "certificate", "sign_in_link").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        relabel(manager, "sign_in_link", "certificate").await
    }
}
