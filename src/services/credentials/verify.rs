//! Verifying a presented VC-JWT the way a third party would.

use chrono::{DateTime, Utc};
use entity::{certificate, certificate::CertificateStatus, certificate_credential, status_list};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::Value;

use crate::{
    credential::{jwt, openbadges::Issuer},
    domain::{
        Result,
        status_list::{Bitstring, PURPOSE_REVOCATION},
    },
};

use super::Keyring;

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
            let row = certificate_credential::Entity::find()
                .filter(certificate_credential::Column::StatusListId.eq(list_id))
                .filter(certificate_credential::Column::StatusListIndex.eq(index as i32))
                .one(db)
                .await?;
            let holder = match row {
                Some(row) => {
                    certificate::Entity::find_by_id(row.certificate_id)
                        .one(db)
                        .await?
                }
                None => None,
            };
            if let Some(c) = holder
                .as_ref()
                .filter(|c| c.status == CertificateStatus::Superseded)
            {
                let successor = match c.superseded_by_id {
                    Some(id) => certificate::Entity::find_by_id(id).one(db).await?,
                    None => None,
                };
                return Ok((
                    false,
                    format!(
                        "replaced by certificate {} (status list {list_id}, index {index})",
                        successor.map_or_else(|| "reissued later".into(), |s| s.number)
                    ),
                ));
            }
            let when = holder
                .and_then(|c| c.revoked_at)
                .map(|t| format!(" on {}", t.date_naive()))
                .unwrap_or_default();
            Ok((
                false,
                format!("revoked{when} (status list {list_id}, index {index})"),
            ))
        }
    }
}
