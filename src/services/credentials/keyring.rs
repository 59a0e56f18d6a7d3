//! The issuer's signing keys: kept in the database (sealed with `CSSD_KEY_PASSPHRASE` when set)
//! or read from `CSSD_SIGNING_KEY_FILE`, rotated by `cssd keys rotate`, published as the JWKS.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use anyhow::Context;
use chrono::Utc;
use entity::signing_key;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, sea_query::Expr,
};
use serde_json::{Value, json};

use crate::{
    credential::keys::{self, PublicJwk, SigningKey},
    db::begin_write,
    domain::Result,
};

use super::internal;

/// The issuer's keys as this process knows them: the private keys it has opened (by `kid`)
/// and the public keys it has looked up. The database is the truth: the newest key not
/// retired signs, so a `cssd keys rotate` run elsewhere takes effect without a restart.
pub struct Keyring {
    passphrase: Option<String>,
    file_key: Option<Arc<SigningKey>>,
    signers: Mutex<HashMap<String, Arc<SigningKey>>>,
    public: Mutex<HashMap<String, PublicJwk>>,
}

impl std::fmt::Debug for Keyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keyring")
            .field("file_key", &self.file_key.as_ref().map(|k| &k.kid))
            .finish_non_exhaustive()
    }
}

fn new_key_row(key: &SigningKey, passphrase: Option<&str>) -> Result<signing_key::ActiveModel> {
    let (private_key, protection, kdf_salt, nonce) = match passphrase {
        Some(p) => {
            let sealed = keys::seal(key.pkcs8_der(), p).map_err(internal)?;
            (
                Some(sealed.ciphertext),
                keys::PROTECTION_SEALED,
                Some(sealed.salt),
                Some(sealed.nonce),
            )
        }
        None => (
            Some(key.pkcs8_der().to_vec()),
            keys::PROTECTION_NONE,
            None,
            None,
        ),
    };
    Ok(signing_key::ActiveModel {
        kid: Set(key.kid.clone()),
        algorithm: Set("RS256".into()),
        public_jwk: Set(key.public.to_json(&key.kid).to_string()),
        private_key: Set(private_key),
        protection: Set(protection.into()),
        kdf_salt: Set(kdf_salt),
        nonce: Set(nonce),
        created_at: Set(Utc::now()),
        retired_at: Set(None),
        ..Default::default()
    })
}

async fn retire_active(db: &impl ConnectionTrait, except: Option<i64>) -> Result<()> {
    let mut update = signing_key::Entity::update_many()
        .col_expr(signing_key::Column::RetiredAt, Expr::value(Utc::now()))
        .filter(signing_key::Column::RetiredAt.is_null());
    if let Some(id) = except {
        update = update.filter(signing_key::Column::Id.ne(id));
    }
    update.exec(db).await?;
    Ok(())
}

async fn active_key_row(db: &impl ConnectionTrait) -> Result<Option<signing_key::Model>> {
    Ok(signing_key::Entity::find()
        .filter(signing_key::Column::RetiredAt.is_null())
        .order_by_desc(signing_key::Column::Id)
        .one(db)
        .await?)
}

async fn generate_key() -> Result<SigningKey> {
    tokio::task::spawn_blocking(SigningKey::generate)
        .await
        .map_err(internal)?
        .map_err(internal)
}

/// Where the signing key comes from (`CSSD_SIGNING_KEY_FILE`) and what seals the keys kept in
/// the database (`CSSD_KEY_PASSPHRASE`); the configuration gives them (`From<&Config>`).
#[derive(Clone, Default)]
pub struct KeySettings {
    pub signing_key_file: Option<std::path::PathBuf>,
    pub key_passphrase: Option<String>,
}

impl Keyring {
    /// Opens the keyring at start-up: adopts the key of `CSSD_SIGNING_KEY_FILE`, or creates a
    /// key in the database when there is none, and proves the signing key can be opened (a
    /// wrong or missing `CSSD_KEY_PASSPHRASE` stops the start with the reason).
    pub async fn open(
        db: &DatabaseConnection,
        settings: impl Into<KeySettings>,
    ) -> anyhow::Result<Self> {
        let config: KeySettings = settings.into();
        let file_key = match &config.signing_key_file {
            Some(path) => {
                let pem = std::fs::read_to_string(path)
                    .with_context(|| format!("CSSD_SIGNING_KEY_FILE {}", path.display()))?;
                let key = SigningKey::from_pem(&pem)
                    .with_context(|| format!("CSSD_SIGNING_KEY_FILE {}", path.display()))?;
                Some(Arc::new(key))
            }
            None => None,
        };
        let ring = Self {
            passphrase: config.key_passphrase.clone(),
            file_key,
            signers: Mutex::new(HashMap::new()),
            public: Mutex::new(HashMap::new()),
        };
        match &ring.file_key {
            Some(key) => ring.adopt_file_key(db, key).await?,
            None => {
                if active_key_row(db).await?.is_none() {
                    let key = generate_key().await?;
                    let txn = begin_write(db).await?;
                    // Another process may have created one meanwhile.
                    if active_key_row(&txn).await?.is_none() {
                        new_key_row(&key, ring.passphrase.as_deref())?
                            .insert(&txn)
                            .await?;
                        tracing::info!(kid = %key.kid, "created the credential signing key");
                    }
                    txn.commit().await?;
                }
            }
        }
        if let Some(passphrase) = &ring.passphrase {
            ring.seal_stored_keys(db, passphrase).await?;
        }
        let key = ring.signing_key(db).await?;
        tracing::info!(kid = %key.kid, "credentials are signed with this key");
        Ok(ring)
    }

    /// Encrypts keys stored in the clear before `CSSD_KEY_PASSPHRASE` was set.
    async fn seal_stored_keys(&self, db: &DatabaseConnection, passphrase: &str) -> Result<()> {
        let txn = begin_write(db).await?;
        let clear = signing_key::Entity::find()
            .filter(signing_key::Column::Protection.eq(keys::PROTECTION_NONE))
            .all(&txn)
            .await?;
        for row in clear {
            let Some(der) = row.private_key.clone() else {
                continue;
            };
            let sealed = keys::seal(&der, passphrase).map_err(internal)?;
            let kid = row.kid.clone();
            let mut active = row.into_active_model();
            active.private_key = Set(Some(sealed.ciphertext));
            active.protection = Set(keys::PROTECTION_SEALED.into());
            active.kdf_salt = Set(Some(sealed.salt));
            active.nonce = Set(Some(sealed.nonce));
            active.update(&txn).await?;
            tracing::info!(%kid, "encrypted a stored signing key with CSSD_KEY_PASSPHRASE");
        }
        txn.commit().await?;
        Ok(())
    }

    /// Makes the key file's key the signing key, recording its public half so that it stays in
    /// the JWKS after the file is replaced.
    async fn adopt_file_key(&self, db: &DatabaseConnection, key: &SigningKey) -> Result<()> {
        let txn = begin_write(db).await?;
        let row = signing_key::Entity::find()
            .filter(signing_key::Column::Kid.eq(&key.kid))
            .one(&txn)
            .await?;
        match row {
            None => {
                retire_active(&txn, None).await?;
                let mut row = new_key_row(key, None)?;
                row.private_key = Set(None);
                row.protection = Set(keys::PROTECTION_FILE.into());
                row.insert(&txn).await?;
            }
            Some(row) => {
                retire_active(&txn, Some(row.id)).await?;
                if row.retired_at.is_some() {
                    let mut active = row.into_active_model();
                    active.retired_at = Set(None);
                    active.update(&txn).await?;
                }
            }
        }
        txn.commit().await?;
        Ok(())
    }

    /// The key that signs now: the newest key not retired.
    pub async fn signing_key(&self, db: &impl ConnectionTrait) -> Result<Arc<SigningKey>> {
        let row = active_key_row(db)
            .await?
            .ok_or_else(|| internal("no credential signing key exists"))?;
        if let Some(key) = self.signers.lock().expect("keyring lock").get(&row.kid) {
            return Ok(key.clone());
        }
        let key = self.open_row(&row)?;
        self.signers
            .lock()
            .expect("keyring lock")
            .insert(row.kid.clone(), key.clone());
        Ok(key)
    }

    fn open_row(&self, row: &signing_key::Model) -> Result<Arc<SigningKey>> {
        if row.protection == keys::PROTECTION_FILE {
            return match &self.file_key {
                Some(key) if key.kid == row.kid => Ok(key.clone()),
                _ => Err(internal(format!(
                    "the signing key {} is read from CSSD_SIGNING_KEY_FILE, which this process was not given",
                    row.kid
                ))),
            };
        }
        let stored = row
            .private_key
            .as_deref()
            .ok_or_else(|| internal("the signing key has no private half"))?;
        let der = if row.protection == keys::PROTECTION_SEALED {
            let passphrase = self
                .passphrase
                .as_deref()
                .ok_or_else(|| internal(keys::KeyError::PassphraseMissing))?;
            keys::unseal(
                &keys::Sealed {
                    salt: row.kdf_salt.clone().unwrap_or_default(),
                    nonce: row.nonce.clone().unwrap_or_default(),
                    ciphertext: stored.to_vec(),
                },
                passphrase,
            )
            .map_err(internal)?
        } else {
            stored.to_vec()
        };
        let key = SigningKey::from_pkcs8_der(&der).map_err(internal)?;
        if key.kid != row.kid {
            return Err(internal("the stored signing key does not match its key id"));
        }
        Ok(Arc::new(key))
    }

    /// The public key with this `kid`, if the issuer ever used it.
    pub async fn public_key(
        &self,
        db: &impl ConnectionTrait,
        kid: &str,
    ) -> Result<Option<PublicJwk>> {
        if let Some(key) = self.public.lock().expect("keyring lock").get(kid) {
            return Ok(Some(key.clone()));
        }
        let Some(row) = signing_key::Entity::find()
            .filter(signing_key::Column::Kid.eq(kid))
            .one(db)
            .await?
        else {
            return Ok(None);
        };
        let jwk: Value = serde_json::from_str(&row.public_jwk).map_err(internal)?;
        let key = PublicJwk::from_json(&jwk).map_err(internal)?;
        self.public
            .lock()
            .expect("keyring lock")
            .insert(kid.to_owned(), key.clone());
        Ok(Some(key))
    }
}

/// The JWKS: every key the issuer ever signed with, oldest first.
pub async fn jwks(db: &impl ConnectionTrait) -> Result<Value> {
    let rows = signing_key::Entity::find()
        .order_by_asc(signing_key::Column::Id)
        .all(db)
        .await?;
    let mut keys = Vec::with_capacity(rows.len());
    for row in rows {
        keys.push(serde_json::from_str::<Value>(&row.public_jwk).map_err(internal)?);
    }
    Ok(json!({ "keys": keys }))
}

/// `cssd keys rotate`: a new key signs from now on; the old ones stay published so that
/// credentials they signed keep verifying. Returns the new `kid`.
pub async fn rotate(
    db: &DatabaseConnection,
    settings: impl Into<KeySettings>,
) -> anyhow::Result<String> {
    let config: KeySettings = settings.into();
    if config.signing_key_file.is_some() {
        anyhow::bail!(
            "the signing key comes from CSSD_SIGNING_KEY_FILE: to rotate, point it at a new key file and restart"
        );
    }
    let key = generate_key().await?;
    let txn = begin_write(db).await?;
    retire_active(&txn, None).await?;
    new_key_row(&key, config.key_passphrase.as_deref())?
        .insert(&txn)
        .await?;
    txn.commit().await?;
    Ok(key.kid.clone())
}
