//! The signed documents: a certificate's `OpenBadgeCredential`, the status list credential,
//! and signing them as VC-JWTs.

use entity::{certificate, certificate_credential, status_list, workshop::Level};
use sea_orm::{ActiveEnum, ConnectionTrait, EntityTrait};
use serde_json::Value;

use crate::{
    credential::{
        jwt,
        openbadges::{self, CertificateFacts, Issuer, StatusEntry},
    },
    domain::{Error, Result, status_list::Bitstring},
};

use super::Keyring;
use super::{achievement_image_url, credential_url, internal, status_list_url};

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
    let image_url = achievement_image_url(issuer, &c.course_code, &level_slug);
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
        image_url: Some(image_url),
    };
    Ok(openbadges::certificate_credential(&facts, issuer))
}

/// The certificate's credential, signed (VC-JWT) with the current signing key.
pub async fn signed_certificate_credential(
    db: &impl ConnectionTrait,
    keyring: &Keyring,
    issuer: &Issuer,
    c: &certificate::Model,
) -> Result<String> {
    let credential = certificate_credential(db, issuer, c).await?;
    sign(db, keyring, &credential).await
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
