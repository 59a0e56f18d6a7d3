//! Digital credentials (Open Badges 3.0): the issuer's signing keys, the revocation status
//! lists, and per certificate what its credential states beyond the printed snapshot (status
//! list entry, salted recipient hash, topics, length, criteria, lead trainer).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Certificate {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum SigningKey {
    Table,
    Id,
    Kid,
    Algorithm,
    PublicJwk,
    PrivateKey,
    Protection,
    KdfSalt,
    Nonce,
    CreatedAt,
    RetiredAt,
}

#[derive(DeriveIden)]
enum StatusList {
    Table,
    Id,
    Purpose,
    Size,
    NextIndex,
    Bits,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CertificateCredential {
    Table,
    CertificateId,
    StatusListId,
    StatusListIndex,
    RecipientSalt,
    RecipientEmailHash,
    Topics,
    DurationDays,
    Criteria,
    LeadTrainerName,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SigningKey::Table)
                    .col(big_pk_auto(SigningKey::Id))
                    .col(string_len_uniq(SigningKey::Kid, 100))
                    .col(string_len(SigningKey::Algorithm, 16))
                    .col(text(SigningKey::PublicJwk))
                    .col(blob_null(SigningKey::PrivateKey))
                    .col(string_len(SigningKey::Protection, 40))
                    .col(blob_null(SigningKey::KdfSalt))
                    .col(blob_null(SigningKey::Nonce))
                    .col(timestamp_with_time_zone(SigningKey::CreatedAt))
                    .col(timestamp_with_time_zone_null(SigningKey::RetiredAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(StatusList::Table)
                    .col(big_pk_auto(StatusList::Id))
                    .col(string_len(StatusList::Purpose, 16))
                    .col(integer(StatusList::Size))
                    .col(integer(StatusList::NextIndex))
                    .col(blob(StatusList::Bits))
                    .col(timestamp_with_time_zone(StatusList::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CertificateCredential::Table)
                    .col(
                        big_integer(CertificateCredential::CertificateId)
                            .primary_key()
                            .to_owned(),
                    )
                    .col(big_integer(CertificateCredential::StatusListId))
                    .col(integer(CertificateCredential::StatusListIndex))
                    .col(string_len(CertificateCredential::RecipientSalt, 64))
                    .col(string_len_null(
                        CertificateCredential::RecipientEmailHash,
                        100,
                    ))
                    .col(text(CertificateCredential::Topics))
                    .col(integer(CertificateCredential::DurationDays))
                    .col(text(CertificateCredential::Criteria))
                    .col(string_len_null(CertificateCredential::LeadTrainerName, 200))
                    .col(timestamp_with_time_zone(CertificateCredential::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                CertificateCredential::Table,
                                CertificateCredential::CertificateId,
                            )
                            .to(Certificate::Table, Certificate::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                CertificateCredential::Table,
                                CertificateCredential::StatusListId,
                            )
                            .to(StatusList::Table, StatusList::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_certificate_credential_status_entry")
                    .table(CertificateCredential::Table)
                    .col(CertificateCredential::StatusListId)
                    .col(CertificateCredential::StatusListIndex)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            CertificateCredential::Table.into_iden(),
            StatusList::Table.into_iden(),
            SigningKey::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
