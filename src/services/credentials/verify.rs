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

/// The checks made so far.
#[derive(Default)]
struct Checks(Vec<Check>);

impl Checks {
    /// Records a check; returns whether it passed.
    fn pass(&mut self, check: &'static str, ok: bool, detail: String) -> bool {
        self.0.push(Check { check, ok, detail });
        ok
    }

    fn verdict(self, credential_subject: Option<Value>) -> Verdict {
        Verdict {
            valid: self.0.iter().all(|c| c.ok),
            checks: self.0,
            credential_subject,
        }
    }
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
    let mut checks = Checks::default();
    let Some(claims) = signed_claims(db, keyring, issuer, token, &mut checks).await? else {
        return Ok(checks.verdict(None));
    };
    let (ok, detail) = issuer_check(&claims, issuer);
    checks.pass("issuer", ok, detail);
    let (ok, detail) = type_check(&claims);
    checks.pass("type", ok, detail);
    let (ok, detail) = expiry_check(&claims, now);
    checks.pass("expiry", ok, detail);
    let (ok, detail) = match status_entry(&claims) {
        None => (
            false,
            "the credential has no revocation status entry".to_string(),
        ),
        Some(entry) => revocation_status(db, issuer, &entry).await?,
    };
    checks.pass("status", ok, detail);
    Ok(checks.verdict(Some(claims["credentialSubject"].clone())))
}

/// The format, algorithm, key and signature checks: the claims when all four pass.
async fn signed_claims(
    db: &impl ConnectionTrait,
    keyring: &Keyring,
    issuer: &Issuer,
    token: &str,
    checks: &mut Checks,
) -> Result<Option<Value>> {
    let header = match jwt::peek(token) {
        Ok((header, _)) => header,
        Err(e) => {
            checks.pass("format", false, e.to_string());
            return Ok(None);
        }
    };
    let format = "a compact JWS with a JSON header and payload";
    checks.pass("format", true, format.into());
    let alg = header["alg"].as_str().unwrap_or("none");
    if alg != "RS256" {
        let detail = format!("{alg} is not an algorithm this issuer signs with (RS256)");
        checks.pass("algorithm", false, detail);
        return Ok(None);
    }
    checks.pass("algorithm", true, "RS256".into());
    let Some(kid) = header["kid"].as_str() else {
        checks.pass("key", false, "the header names no key (kid)".into());
        return Ok(None);
    };
    let Some(key) = keyring.public_key(db, kid).await? else {
        let detail = format!(
            "key {kid} is not one of this issuer's published keys (see /.well-known/jwks.json)"
        );
        checks.pass("key", false, detail);
        return Ok(None);
    };
    checks.pass(
        "key",
        true,
        format!("key {kid}, published by {}", issuer.name),
    );
    match jwt::verify(token, &key) {
        Ok(claims) => {
            let detail = "the RS256 signature matches the content";
            checks.pass("signature", true, detail.into());
            Ok(Some(claims))
        }
        Err(e) => {
            checks.pass("signature", false, e.to_string());
            Ok(None)
        }
    }
}

/// Whether the credential names this issuer.
fn issuer_check(claims: &Value, issuer: &Issuer) -> (bool, String) {
    let claimed = claims["issuer"]
        .get("id")
        .or(claims.get("issuer"))
        .and_then(Value::as_str)
        .unwrap_or("");
    if claimed == issuer.id {
        (true, format!("issued by {} ({})", issuer.name, issuer.id))
    } else {
        let detail = format!(
            "the credential names {claimed:?} as issuer, not {}",
            issuer.id
        );
        (false, detail)
    }
}

/// Whether the credential is an Open Badges 3.0 credential.
fn type_check(claims: &Value) -> (bool, String) {
    let types: Vec<&str> = match &claims["type"] {
        Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
        Value::String(one) => vec![one.as_str()],
        _ => vec![],
    };
    let badge = types.contains(&"VerifiableCredential")
        && (types.contains(&"OpenBadgeCredential") || types.contains(&"AchievementCredential"));
    if badge {
        (true, "an Open Badges 3.0 OpenBadgeCredential".into())
    } else {
        (false, format!("{types:?} is not an Open Badges credential"))
    }
}

/// Whether `now` lies in the credential's validity period.
fn expiry_check(claims: &Value, now: DateTime<Utc>) -> (bool, String) {
    let valid_from = time_of(&claims["validFrom"]);
    let valid_until = time_of(&claims["validUntil"]);
    match (valid_from, valid_until) {
        (None, _) => (false, "the credential has no validFrom".to_string()),
        (Some(from), _) if from > now => (false, format!("not valid before {from}")),
        (Some(_), Some(until)) if until <= now => (false, format!("expired at {until}")),
        (Some(from), Some(until)) => (true, format!("valid from {from} until {until}")),
        (Some(from), None) => (true, format!("valid from {from}; it does not expire")),
    }
}

/// The credential's revocation status entry (one of a list, or the only one).
fn status_entry(claims: &Value) -> Option<Value> {
    match &claims["credentialStatus"] {
        Value::Array(items) => items
            .iter()
            .find(|e| e["statusPurpose"] == PURPOSE_REVOCATION)
            .cloned(),
        other if other.is_object() => Some(other.clone()),
        _ => None,
    }
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
