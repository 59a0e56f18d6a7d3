//! The Open Badges 3.0 documents: the issuer `Profile`, the `OpenBadgeCredential` of a
//! certificate (W3C Verifiable Credentials Data Model 2.0), and the Bitstring Status List
//! credential. Pure functions from facts to JSON.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// The VC Data Model 2.0 context.
pub const VC_CONTEXT: &str = "https://www.w3.org/ns/credentials/v2";
/// The Open Badges 3.0 context.
pub const OB_CONTEXT: &str = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
/// The 1EdTech JSON Schema the credential conforms to.
pub const OB_SCHEMA: &str =
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json";

/// Contact hours of one workshop day (08:00–16:00 with an hour's lunch), for the credential's
/// statement of hours.
pub const HOURS_PER_DAY: i32 = 7;

/// Who issues: the institute, as its public profile.
#[derive(Debug, Clone)]
pub struct Issuer {
    /// `CSSD_PUBLIC_URL/api/v1/issuer`.
    pub id: String,
    pub name: String,
    /// `CSSD_PUBLIC_URL`.
    pub url: String,
    pub description: String,
}

impl Issuer {
    /// The issuer reachable at `public_url` (no trailing slash).
    pub fn at(public_url: &str, name: &str) -> Self {
        Self {
            id: format!("{public_url}/api/v1/issuer"),
            name: name.to_owned(),
            url: public_url.to_owned(),
            description: "Trains council staff, trainers and community leaders in Community \
                          Support to Service Delivery and Customer Care, as a \
                          Training-of-Trainers cascade."
                .into(),
        }
    }

    /// The profile as embedded in credentials (`issuer`, `achievement.creator`).
    pub fn embedded(&self) -> Value {
        json!({"id": self.id, "type": ["Profile"], "name": self.name, "url": self.url})
    }

    /// The profile document served at its `id`.
    pub fn profile(&self) -> Value {
        json!({
            "@context": [VC_CONTEXT, OB_CONTEXT],
            "id": self.id,
            "type": ["Profile"],
            "name": self.name,
            "url": self.url,
            "description": self.description,
        })
    }
}

/// `sha256$<hex>` of the identity followed by the salt, as the OB 3.0 `IdentityHash` defines.
pub fn identity_hash(identity: &str, salt: &str) -> String {
    let digest = Sha256::digest(format!("{identity}{salt}").as_bytes());
    format!("sha256${}", hex::encode(digest))
}

/// Where a credential's revocation bit lives.
#[derive(Debug, Clone)]
pub struct StatusEntry {
    /// URL of the status list credential.
    pub list_url: String,
    pub index: i32,
}

/// What a certificate's credential states.
#[derive(Debug, Clone)]
pub struct CertificateFacts {
    /// The credential's `id`.
    pub id: String,
    pub number: String,
    pub holder_name: String,
    /// `(identityHash, salt)` of the holder's email, if they have one.
    pub email_identity: Option<(String, String)>,
    pub course_code: String,
    pub course_title: String,
    /// `tot`, `cascade`, `community`.
    pub level_slug: String,
    /// The level in words.
    pub level_words: &'static str,
    pub topics: Vec<String>,
    pub duration_days: i32,
    /// What the holder had to do, in words.
    pub criteria: String,
    pub lead_trainer_name: Option<String>,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub issued_at: DateTime<Utc>,
    pub status: StatusEntry,
    /// The achievement's `image`: the course's badge for the level (public).
    pub image_url: Option<String>,
}

fn day_start(d: NaiveDate) -> String {
    d.and_hms_opt(0, 0, 0)
        .expect("midnight exists")
        .and_utc()
        .to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The course length in words: "five-day course (35 hours)".
pub fn length_in_words(days: i32) -> String {
    const WORDS: [&str; 10] = [
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    ];
    let days_word = match days {
        1..=10 => WORDS[days as usize - 1].to_string(),
        n => n.to_string(),
    };
    format!(
        "{days_word}-day course ({} hours)",
        days.max(0) * HOURS_PER_DAY
    )
}

/// The unsigned `OpenBadgeCredential` of a certificate.
pub fn certificate_credential(f: &CertificateFacts, issuer: &Issuer) -> Value {
    let issued = f.issued_at.to_rfc3339_opts(SecondsFormat::Secs, true);
    let mut identifiers = vec![json!({
        "type": "IdentityObject",
        "identityType": "name",
        "hashed": false,
        "identityHash": f.holder_name,
    })];
    if let Some((hash, salt)) = &f.email_identity {
        identifiers.push(json!({
            "type": "IdentityObject",
            "identityType": "emailAddress",
            "hashed": true,
            "identityHash": hash,
            "salt": salt,
        }));
    }
    let length = length_in_words(f.duration_days);
    let mut description = format!(
        "{} ({}), {}: a {length} on {}.",
        f.course_title,
        f.course_code,
        f.level_words,
        if f.topics.is_empty() {
            "the course topics".to_string()
        } else {
            f.topics.join("; ")
        }
    );
    if let Some(lead) = &f.lead_trainer_name {
        description.push_str(&format!(" Lead trainer: {lead}."));
    }
    let mut achievement = json!({
        "id": format!("{}#achievement-{}-{}", issuer.id, f.course_code, f.level_slug),
        "type": ["Achievement"],
        "achievementType": "CertificateOfCompletion",
        "name": format!("{} \u{2014} {}", f.course_title, f.level_words),
        "humanCode": f.course_code,
        "description": description,
        "criteria": {"narrative": f.criteria},
        "tag": f.topics,
        "creator": issuer.embedded(),
        "inLanguage": "en",
    });
    if let Some(url) = &f.image_url {
        achievement["image"] = json!({
            "id": url,
            "type": "Image",
            "caption": format!("{} badge \u{2014} {}", f.course_code, f.level_words),
        });
    }
    json!({
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": f.id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": format!("{} \u{2014} {}", f.course_title, f.level_words),
        "description": format!(
            "Certificate {} awarded to {} for the {length} held {} to {}.",
            f.number, f.holder_name, f.start_date, f.end_date
        ),
        "issuer": issuer.embedded(),
        "validFrom": issued,
        // The 1EdTech schema of OB 3.0 as first published (VCDM 1.1) requires these two; VCDM
        // 2.0 verifiers read `validFrom`. Same instant.
        "issuanceDate": issued,
        "awardedDate": issued,
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": identifiers,
            "activityStartDate": day_start(f.start_date),
            "activityEndDate": day_start(f.end_date),
            "achievement": achievement,
        },
        "credentialStatus": {
            "id": format!("{}#{}", f.status.list_url, f.status.index),
            "type": "BitstringStatusListEntry",
            "statusPurpose": crate::domain::status_list::PURPOSE_REVOCATION,
            "statusListIndex": f.status.index.to_string(),
            "statusListCredential": f.status.list_url,
        },
        "credentialSchema": [{"id": OB_SCHEMA, "type": "1EdTechJsonSchemaValidator2019"}],
    })
}

/// The unsigned Bitstring Status List credential.
pub fn status_list_credential(
    list_url: &str,
    issuer: &Issuer,
    valid_from: DateTime<Utc>,
    encoded_list: &str,
) -> Value {
    json!({
        "@context": [VC_CONTEXT],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer.id,
        "validFrom": valid_from.to_rfc3339_opts(SecondsFormat::Secs, true),
        "credentialSubject": {
            "id": format!("{list_url}#list"),
            "type": "BitstringStatusList",
            "statusPurpose": crate::domain::status_list::PURPOSE_REVOCATION,
            "encodedList": encoded_list,
        },
    })
}

/// The JWT claims set of a credential: the credential itself (VC-JOSE-COSE) with the
/// registered claims generic JWT libraries look for (`iss`, `jti`, `iat`, `nbf`).
pub fn jwt_claims(credential: &Value) -> Value {
    let mut claims = credential.clone();
    let issuer = credential["issuer"]
        .get("id")
        .or(credential.get("issuer"))
        .cloned()
        .unwrap_or(Value::Null);
    let valid_from = credential["validFrom"]
        .as_str()
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .map(|t| t.timestamp());
    if let Some(object) = claims.as_object_mut() {
        object.insert("iss".into(), issuer);
        object.insert("jti".into(), credential["id"].clone());
        if let Some(t) = valid_from {
            object.insert("nbf".into(), t.into());
            object.insert("iat".into(), t.into());
        }
    }
    claims
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_identity_hash_matches_the_open_badges_example() {
        // The example of the OB 3.0 IdentityHash definition: 'a@example.com' salted with 'Kosher'.
        assert_eq!(
            identity_hash("a@example.com", "Kosher"),
            "sha256$b5809d8a92f8858436d7e6b87c12ebc0ae1eac4baecc2c0b913aee2c922ef399"
        );
    }

    #[test]
    fn length_is_said_in_words_with_hours() {
        assert_eq!(length_in_words(5), "five-day course (35 hours)");
        assert_eq!(length_in_words(12), "12-day course (84 hours)");
    }
}
