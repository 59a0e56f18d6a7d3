//! Digital credentials of certificates: the issuer's keys (kept in the database, or read from
//! a key file), each certificate's entry in a revocation status list, building and signing
//! its Open Badges 3.0 credential, the status list credential, and verifying a VC-JWT.
//!
//! A certificate's credential row is written in the transaction that issues it
//! ([`record_issue`]) and its revocation bit in the transaction that revokes it
//! ([`mark_revoked`]); certificates issued before credentials existed get theirs at start-up
//! ([`backfill`]).

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use anyhow::Context;
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, Utc};
use entity::{
    app_user, certificate, certificate::CertificateStatus, certificate_credential, course,
    participant, signing_key, status_list, workshop::Level, workshop_trainer,
};
use rand::RngCore;
use sea_orm::{
    ActiveEnum, ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect,
    sea_query::{Expr, ExprTrait, Query},
};
use serde_json::{Value, json};

use crate::{
    credential::{
        jwt,
        keys::{self, PublicJwk, SigningKey},
        openbadges::{self, CertificateFacts, Issuer, StatusEntry},
    },
    db::{begin_write, lock_for_update},
    domain::{
        Error, Result,
        status_list::{Bitstring, LIST_SIZE, PURPOSE_REVOCATION},
    },
};

/// The issuer's name in its profile and in every credential.
pub const ISSUER_NAME: &str = "Institute of Water and Sanitation Development (IWSD)";

fn internal(message: impl std::fmt::Display) -> Error {
    Error::internal_message(message.to_string())
}

/// The issuer of this deployment.
pub fn issuer(public_url: &str) -> Issuer {
    Issuer::at(public_url.trim_end_matches('/'), ISSUER_NAME)
}

/// URL of a status list credential.
pub fn status_list_url(issuer: &Issuer, list_id: i64) -> String {
    format!("{}/api/v1/status-lists/{list_id}", issuer.url)
}

/// URL (and `id`) of a certificate's credential.
pub fn credential_url(issuer: &Issuer, certificate_id: i64) -> String {
    format!(
        "{}/api/v1/certificates/{certificate_id}/credential",
        issuer.url
    )
}

// ---- keys ---------------------------------------------------------------------------------

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

// ---- status lists and credential rows -----------------------------------------------------

/// Hands out `count` entries of the open status list (opening a new list when it is full).
async fn allocate_entries(db: &impl ConnectionTrait, count: usize) -> Result<Vec<(i64, i32)>> {
    let mut entries = Vec::with_capacity(count);
    while entries.len() < count {
        let query = status_list::Entity::find()
            .filter(
                Expr::col(status_list::Column::NextIndex).lt(Expr::col(status_list::Column::Size)),
            )
            .order_by_desc(status_list::Column::Id);
        let open = lock_for_update(query, db.get_database_backend())
            .one(db)
            .await?;
        let list = match open {
            Some(list) => list,
            None => {
                status_list::ActiveModel {
                    purpose: Set(PURPOSE_REVOCATION.into()),
                    size: Set(LIST_SIZE as i32),
                    next_index: Set(0),
                    bits: Set(Bitstring::new(LIST_SIZE).as_bytes().to_vec()),
                    updated_at: Set(Utc::now()),
                    ..Default::default()
                }
                .insert(db)
                .await?
            }
        };
        let take = (count - entries.len()).min((list.size - list.next_index) as usize) as i32;
        entries.extend((list.next_index..list.next_index + take).map(|i| (list.id, i)));
        let next = list.next_index + take;
        let mut active = list.into_active_model();
        active.next_index = Set(next);
        active.update(db).await?;
    }
    Ok(entries)
}

/// The first trainer (lowest account id) of each workshop, by name: the lead trainer.
async fn lead_trainers(
    db: &impl ConnectionTrait,
    workshop_ids: impl IntoIterator<Item = i64>,
) -> Result<HashMap<i64, String>> {
    let links = workshop_trainer::Entity::find()
        .filter(workshop_trainer::Column::WorkshopId.is_in(workshop_ids))
        .order_by_asc(workshop_trainer::Column::UserId)
        .all(db)
        .await?;
    let mut lead: HashMap<i64, i64> = HashMap::new();
    for link in &links {
        lead.entry(link.workshop_id).or_insert(link.user_id);
    }
    let names: HashMap<i64, String> = app_user::Entity::find()
        .filter(app_user::Column::Id.is_in(lead.values().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    Ok(lead
        .into_iter()
        .filter_map(|(w, u)| names.get(&u).map(|n| (w, n.clone())))
        .collect())
}

/// The lead trainer of one workshop, by name.
pub async fn lead_trainer(db: &impl ConnectionTrait, workshop_id: i64) -> Result<Option<String>> {
    Ok(lead_trainers(db, [workshop_id]).await?.remove(&workshop_id))
}

/// What a holder had to do, in words.
pub fn criteria_in_words(course: &course::Model) -> String {
    format!(
        "Attended at least {} of the {} days of the workshop (present or late) and scored at \
         least {}% in the post-test.",
        course.min_attendance_days, course.duration_days, course.pass_mark
    )
}

fn fresh_salt() -> String {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// What the credential of a certificate being issued states beyond the certificate itself.
#[derive(Debug, Clone)]
pub struct IssueDetails {
    pub email: Option<String>,
    pub topics: Vec<String>,
    pub duration_days: i32,
    pub criteria: String,
    pub lead_trainer_name: Option<String>,
}

fn credential_row(
    certificate_id: i64,
    (list_id, index): (i64, i32),
    details: &IssueDetails,
) -> certificate_credential::ActiveModel {
    let salt = fresh_salt();
    let hash = details
        .email
        .as_deref()
        .map(|e| openbadges::identity_hash(&e.trim().to_lowercase(), &salt));
    certificate_credential::ActiveModel {
        certificate_id: Set(certificate_id),
        status_list_id: Set(list_id),
        status_list_index: Set(index),
        recipient_salt: Set(salt),
        recipient_email_hash: Set(hash),
        topics: Set(serde_json::to_string(&details.topics).unwrap_or_else(|_| "[]".into())),
        duration_days: Set(details.duration_days),
        criteria: Set(details.criteria.clone()),
        lead_trainer_name: Set(details.lead_trainer_name.clone()),
        created_at: Set(Utc::now()),
    }
}

/// Records the credential of certificates being issued, in the issuing transaction: each gets
/// the next entry of the open status list and a fresh salt for its recipient hash.
pub async fn record_issue(db: &impl ConnectionTrait, issued: &[(i64, IssueDetails)]) -> Result<()> {
    if issued.is_empty() {
        return Ok(());
    }
    let entries = allocate_entries(db, issued.len()).await?;
    let rows: Vec<_> = issued
        .iter()
        .zip(entries)
        .map(|((id, details), entry)| credential_row(*id, entry, details))
        .collect();
    certificate_credential::Entity::insert_many(rows)
        .exec_without_returning(db)
        .await?;
    Ok(())
}

async fn set_bits(db: &impl ConnectionTrait, list_id: i64, indices: &[i32]) -> Result<()> {
    let query = status_list::Entity::find_by_id(list_id);
    let Some(list) = lock_for_update(query, db.get_database_backend())
        .one(db)
        .await?
    else {
        return Err(internal(format!("status list {list_id} is missing")));
    };
    let mut bits = Bitstring::from_bytes(list.bits.clone());
    for &i in indices {
        bits.set(i as usize, true);
    }
    let mut active = list.into_active_model();
    active.bits = Set(bits.as_bytes().to_vec());
    active.updated_at = Set(Utc::now());
    active.update(db).await?;
    Ok(())
}

/// Sets a revoked certificate's bit in its status list, in the revoking transaction.
pub async fn mark_revoked(db: &impl ConnectionTrait, certificate_id: i64) -> Result<()> {
    let Some(row) = certificate_credential::Entity::find_by_id(certificate_id)
        .one(db)
        .await?
    else {
        // Only possible between a migration and the start-up backfill; the backfill sets it.
        return Ok(());
    };
    set_bits(db, row.status_list_id, &[row.status_list_index]).await
}

/// Recomputes a status list from the certificates themselves (every revoked one's bit set,
/// every other bit clear) and stores it. Returns how many bits are set.
pub async fn rebuild_status_list(db: &impl ConnectionTrait, list_id: i64) -> Result<usize> {
    let revoked: Vec<i32> = certificate_credential::Entity::find()
        .select_only()
        .column(certificate_credential::Column::StatusListIndex)
        .inner_join_certificate()
        .filter(certificate_credential::Column::StatusListId.eq(list_id))
        .filter(certificate::Column::Status.eq(CertificateStatus::Revoked))
        .into_tuple()
        .all(db)
        .await?;
    let list = status_list::Entity::find_by_id(list_id)
        .one(db)
        .await?
        .ok_or(Error::NotFound {
            entity: "status list",
            id: list_id,
        })?;
    let mut bits = Bitstring::new(list.size as usize);
    for &i in &revoked {
        bits.set(i as usize, true);
    }
    let mut active = list.into_active_model();
    active.bits = Set(bits.as_bytes().to_vec());
    active.updated_at = Set(Utc::now());
    active.update(db).await?;
    Ok(revoked.len())
}

trait JoinCertificate {
    fn inner_join_certificate(self) -> Self;
}

impl<S: QuerySelect> JoinCertificate for S {
    fn inner_join_certificate(self) -> Self {
        self.join(
            sea_orm::JoinType::InnerJoin,
            certificate_credential::Entity::belongs_to(certificate::Entity)
                .from(certificate_credential::Column::CertificateId)
                .to(certificate::Column::Id)
                .into(),
        )
    }
}

/// Gives every certificate issued before credentials existed its credential row (status list
/// entry, recipient hash from the holder's current address, the course as it is now), and sets
/// the bits of those already revoked. Returns how many it gave one.
pub async fn backfill(db: &DatabaseConnection) -> Result<u64> {
    let mut done = 0u64;
    loop {
        let txn = begin_write(db).await?;
        let batch = certificate::Entity::find()
            .filter(
                certificate::Column::Id.not_in_subquery(
                    Query::select()
                        .column(certificate_credential::Column::CertificateId)
                        .from(certificate_credential::Entity)
                        .to_owned(),
                ),
            )
            .order_by_asc(certificate::Column::Id)
            .limit(1000)
            .all(&txn)
            .await?;
        if batch.is_empty() {
            txn.commit().await?;
            return Ok(done);
        }
        let courses: HashMap<i64, course::Model> = course::Entity::find()
            .filter(course::Column::Id.is_in(batch.iter().map(|c| c.course_id)))
            .all(&txn)
            .await?
            .into_iter()
            .map(|c| (c.id, c))
            .collect();
        let emails: HashMap<i64, Option<String>> = participant::Entity::find()
            .filter(participant::Column::Id.is_in(batch.iter().map(|c| c.participant_id)))
            .all(&txn)
            .await?
            .into_iter()
            .map(|p| (p.id, p.email))
            .collect();
        let leads = lead_trainers(&txn, batch.iter().map(|c| c.workshop_id)).await?;
        let issued: Vec<(i64, IssueDetails)> = batch
            .iter()
            .map(|c| {
                let course = courses.get(&c.course_id);
                (
                    c.id,
                    IssueDetails {
                        email: emails.get(&c.participant_id).cloned().flatten(),
                        topics: course.map(|c| c.topic_list()).unwrap_or_default(),
                        duration_days: course
                            .map(|c| c.duration_days)
                            .unwrap_or((c.end_date - c.start_date).num_days() as i32 + 1),
                        criteria: course.map(criteria_in_words).unwrap_or_default(),
                        lead_trainer_name: leads.get(&c.workshop_id).cloned(),
                    },
                )
            })
            .collect();
        record_issue(&txn, &issued).await?;
        let revoked: Vec<i64> = batch
            .iter()
            .filter(|c| c.status == CertificateStatus::Revoked)
            .map(|c| c.id)
            .collect();
        let rows = certificate_credential::Entity::find()
            .filter(certificate_credential::Column::CertificateId.is_in(revoked))
            .all(&txn)
            .await?;
        let mut by_list: HashMap<i64, Vec<i32>> = HashMap::new();
        for row in rows {
            by_list
                .entry(row.status_list_id)
                .or_default()
                .push(row.status_list_index);
        }
        for (list, indices) in by_list {
            set_bits(&txn, list, &indices).await?;
        }
        txn.commit().await?;
        done += batch.len() as u64;
    }
}

// ---- documents ----------------------------------------------------------------------------

/// The level's slug and its words, as the certificate prints them.
fn level_parts(level: Level) -> (String, &'static str) {
    (level.to_value(), crate::certificate::level_words(level))
}

/// The unsigned credential of a certificate.
pub async fn certificate_credential(
    db: &impl ConnectionTrait,
    issuer: &Issuer,
    c: &certificate::Model,
) -> Result<Value> {
    let row = certificate_credential::Entity::find_by_id(c.id)
        .one(db)
        .await?
        .ok_or_else(|| internal(format!("certificate {} has no credential yet", c.id)))?;
    let (level_slug, level_words) = level_parts(c.level);
    let facts = CertificateFacts {
        id: credential_url(issuer, c.id),
        number: c.number.clone(),
        holder_name: c.holder_name.clone(),
        email_identity: row
            .recipient_email_hash
            .clone()
            .map(|h| (h, row.recipient_salt.clone())),
        course_code: c.course_code.clone(),
        course_title: c.course_title.clone(),
        level_slug,
        level_words,
        topics: serde_json::from_str(&row.topics).unwrap_or_default(),
        duration_days: row.duration_days,
        criteria: row.criteria.clone(),
        lead_trainer_name: row.lead_trainer_name.clone(),
        start_date: c.start_date,
        end_date: c.end_date,
        issued_at: c.issued_at,
        status: StatusEntry {
            list_url: status_list_url(issuer, row.status_list_id),
            index: row.status_list_index,
        },
    };
    Ok(openbadges::certificate_credential(&facts, issuer))
}

/// Signs a credential (or any VC) as a VC-JWT with the current signing key.
pub async fn sign(
    db: &impl ConnectionTrait,
    keyring: &Keyring,
    credential: &Value,
) -> Result<String> {
    let key = keyring.signing_key(db).await?;
    jwt::sign(&openbadges::jwt_claims(credential), &key).map_err(internal)
}

/// The unsigned status list credential.
pub async fn status_list_credential(
    db: &impl ConnectionTrait,
    issuer: &Issuer,
    list_id: i64,
) -> Result<Value> {
    let list = status_list::Entity::find_by_id(list_id)
        .one(db)
        .await?
        .ok_or(Error::NotFound {
            entity: "status list",
            id: list_id,
        })?;
    let encoded = Bitstring::from_bytes(list.bits).encode();
    Ok(openbadges::status_list_credential(
        &status_list_url(issuer, list_id),
        issuer,
        list.updated_at,
        &encoded,
    ))
}

// ---- verification -------------------------------------------------------------------------

/// One check of a verification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    /// `format`, `algorithm`, `key`, `signature`, `issuer`, `type`, `expiry` or `status`.
    pub check: &'static str,
    pub ok: bool,
    pub detail: String,
}

/// The verdict on a presented credential.
#[derive(Debug, Clone)]
pub struct Verdict {
    pub valid: bool,
    pub checks: Vec<Check>,
    /// The credential subject, once the signature has been checked.
    pub credential_subject: Option<Value>,
}

fn time_of(value: &Value) -> Option<DateTime<Utc>> {
    value
        .as_str()
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .map(|t| t.with_timezone(&Utc))
}

/// Verifies a VC-JWT the way a third party would, against this issuer's published keys and
/// status lists: format, algorithm, key (by `kid`), signature, issuer, type, validity period
/// and revocation status. Stops at the first check that makes the rest meaningless.
pub async fn verify(
    db: &impl ConnectionTrait,
    keyring: &Keyring,
    issuer: &Issuer,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Verdict> {
    let mut checks = Vec::new();
    let mut pass = |check, ok, detail: String| {
        checks.push(Check { check, ok, detail });
        ok
    };
    let verdict = |checks: Vec<Check>, subject| Verdict {
        valid: checks.iter().all(|c| c.ok),
        checks,
        credential_subject: subject,
    };

    let header = match jwt::peek(token) {
        Ok((header, _)) => {
            pass(
                "format",
                true,
                "a compact JWS with a JSON header and payload".into(),
            );
            header
        }
        Err(e) => {
            pass("format", false, e.to_string());
            return Ok(verdict(checks, None));
        }
    };
    let alg = header["alg"].as_str().unwrap_or("none");
    if !pass(
        "algorithm",
        alg == "RS256",
        if alg == "RS256" {
            "RS256".into()
        } else {
            format!("{alg} is not an algorithm this issuer signs with (RS256)")
        },
    ) {
        return Ok(verdict(checks, None));
    }
    let Some(kid) = header["kid"].as_str() else {
        pass("key", false, "the header names no key (kid)".into());
        return Ok(verdict(checks, None));
    };
    let Some(key) = keyring.public_key(db, kid).await? else {
        pass(
            "key",
            false,
            format!(
                "key {kid} is not one of this issuer's published keys (see /.well-known/jwks.json)"
            ),
        );
        return Ok(verdict(checks, None));
    };
    pass(
        "key",
        true,
        format!("key {kid}, published by {}", issuer.name),
    );
    let claims = match jwt::verify(token, &key) {
        Ok(claims) => {
            pass(
                "signature",
                true,
                "the RS256 signature matches the content".into(),
            );
            claims
        }
        Err(e) => {
            pass("signature", false, e.to_string());
            return Ok(verdict(checks, None));
        }
    };
    let claimed_issuer = claims["issuer"]
        .get("id")
        .or(claims.get("issuer"))
        .and_then(Value::as_str)
        .unwrap_or("");
    pass(
        "issuer",
        claimed_issuer == issuer.id,
        if claimed_issuer == issuer.id {
            format!("issued by {} ({})", issuer.name, issuer.id)
        } else {
            format!(
                "the credential names {claimed_issuer:?} as issuer, not {}",
                issuer.id
            )
        },
    );
    let types: Vec<&str> = match &claims["type"] {
        Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
        Value::String(one) => vec![one.as_str()],
        _ => vec![],
    };
    let badge = types.contains(&"VerifiableCredential")
        && (types.contains(&"OpenBadgeCredential") || types.contains(&"AchievementCredential"));
    pass(
        "type",
        badge,
        if badge {
            "an Open Badges 3.0 OpenBadgeCredential".into()
        } else {
            format!("{types:?} is not an Open Badges credential")
        },
    );
    let valid_from = time_of(&claims["validFrom"]);
    let valid_until = time_of(&claims["validUntil"]);
    let (ok, detail) = match (valid_from, valid_until) {
        (None, _) => (false, "the credential has no validFrom".to_string()),
        (Some(from), _) if from > now => (false, format!("not valid before {from}")),
        (Some(_), Some(until)) if until <= now => (false, format!("expired at {until}")),
        (Some(from), Some(until)) => (true, format!("valid from {from} until {until}")),
        (Some(from), None) => (true, format!("valid from {from}; it does not expire")),
    };
    pass("expiry", ok, detail);

    let entry = match &claims["credentialStatus"] {
        Value::Array(items) => items
            .iter()
            .find(|e| e["statusPurpose"] == PURPOSE_REVOCATION)
            .cloned(),
        other if other.is_object() => Some(other.clone()),
        _ => None,
    };
    let (ok, detail) = match entry {
        None => (
            false,
            "the credential has no revocation status entry".to_string(),
        ),
        Some(entry) => revocation_status(db, issuer, &entry).await?,
    };
    pass("status", ok, detail);
    Ok(verdict(checks, Some(claims["credentialSubject"].clone())))
}

async fn revocation_status(
    db: &impl ConnectionTrait,
    issuer: &Issuer,
    entry: &Value,
) -> Result<(bool, String)> {
    let prefix = format!("{}/api/v1/status-lists/", issuer.url);
    let list_id = entry["statusListCredential"]
        .as_str()
        .and_then(|u| u.strip_prefix(&prefix))
        .and_then(|id| id.parse::<i64>().ok());
    let index = entry["statusListIndex"]
        .as_str()
        .and_then(|i| i.parse::<usize>().ok());
    let (Some(list_id), Some(index)) = (list_id, index) else {
        return Ok((
            false,
            "the status entry does not point into one of this issuer's status lists".into(),
        ));
    };
    let Some(list) = status_list::Entity::find_by_id(list_id).one(db).await? else {
        return Ok((false, format!("status list {list_id} does not exist")));
    };
    match Bitstring::from_bytes(list.bits).get(index) {
        None => Ok((
            false,
            format!("index {index} is beyond status list {list_id}"),
        )),
        Some(false) => Ok((
            true,
            format!("not revoked (status list {list_id}, index {index})"),
        )),
        Some(true) => {
            let revoked_at = certificate_credential::Entity::find()
                .filter(certificate_credential::Column::StatusListId.eq(list_id))
                .filter(certificate_credential::Column::StatusListIndex.eq(index as i32))
                .one(db)
                .await?;
            let when = match revoked_at {
                Some(row) => certificate::Entity::find_by_id(row.certificate_id)
                    .one(db)
                    .await?
                    .and_then(|c| c.revoked_at)
                    .map(|t| format!(" on {}", t.date_naive()))
                    .unwrap_or_default(),
                None => String::new(),
            };
            Ok((
                false,
                format!("revoked{when} (status list {list_id}, index {index})"),
            ))
        }
    }
}
