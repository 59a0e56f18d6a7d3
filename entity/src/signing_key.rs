//! A key the issuer signs credentials with. Every key ever used stays (its public half is
//! published in the JWKS so credentials it signed keep verifying); the newest one not retired
//! signs.

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "signing_key")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The JOSE key id: the RFC 7638 thumbprint of the public key.
    #[sea_orm(unique)]
    pub kid: String,
    /// JOSE algorithm, e.g. `RS256`.
    pub algorithm: String,
    /// The public key as a JWK (JSON text).
    #[sea_orm(column_type = "Text")]
    pub public_jwk: String,
    /// PKCS#8 DER of the private key, sealed when `protection` says so; absent for a key read
    /// from `CSSD_SIGNING_KEY_FILE`.
    #[serde(skip)]
    pub private_key: Option<Vec<u8>>,
    /// `none`, `argon2id-xchacha20poly1305` or `file`.
    pub protection: String,
    #[serde(skip)]
    pub kdf_salt: Option<Vec<u8>>,
    #[serde(skip)]
    pub nonce: Option<Vec<u8>>,
    pub created_at: DateTimeUtc,
    /// When a newer key took over signing (the key still verifies what it signed).
    pub retired_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
