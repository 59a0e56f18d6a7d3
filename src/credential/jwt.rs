//! VC-JWT: a credential signed as a compact JWS (W3C VC-JOSE-COSE, `application/vc+jwt`).
//!
//! RS256 (RSASSA-PKCS1-v1_5 with SHA-256) because Open Badges 3.0 requires every conforming
//! verifier to support it; a credential signed with anything else (EdDSA, ES256) may be
//! refused by some verifiers and wallets.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use jsonwebtoken::{Algorithm, Header, Validation};
use serde_json::Value;

use super::keys::{PublicJwk, SigningKey};

/// The only algorithm we sign with and accept.
pub const ALGORITHM: Algorithm = Algorithm::RS256;
/// The JOSE `typ` of a VC-JWT.
pub const TYP: &str = "vc+jwt";
/// The media type of a VC-JWT.
pub const MEDIA_TYPE: &str = "application/vc+jwt";

/// Why a token could not be signed or read.
#[derive(Debug, thiserror::Error)]
pub enum JwtError {
    #[error("{0}")]
    Malformed(String),
    #[error("the signature does not match the content")]
    BadSignature,
    #[error("signing failed: {0}")]
    Signing(String),
}

/// Signs `payload` with `key`; the header carries `alg`, `typ`, `cty` and the `kid`.
pub fn sign(payload: &Value, key: &SigningKey) -> Result<String, JwtError> {
    let mut header = Header::new(ALGORITHM);
    header.typ = Some(TYP.into());
    header.cty = Some("vc".into());
    header.kid = Some(key.kid.clone());
    jsonwebtoken::encode(&header, payload, key.encoding_key())
        .map_err(|e| JwtError::Signing(e.to_string()))
}

/// The header and payload of a compact JWS, read without checking the signature.
pub fn peek(token: &str) -> Result<(Value, Value), JwtError> {
    let parts: Vec<&str> = token.trim().split('.').collect();
    let [header, payload, signature] = parts.as_slice() else {
        return Err(JwtError::Malformed(
            "a JWT has three base64url parts separated by dots".into(),
        ));
    };
    if signature.is_empty() {
        return Err(JwtError::Malformed("the signature part is empty".into()));
    }
    let json = |part: &str, what: &str| -> Result<Value, JwtError> {
        let bytes = URL_SAFE_NO_PAD
            .decode(part)
            .map_err(|_| JwtError::Malformed(format!("the {what} is not base64url")))?;
        let value: Value = serde_json::from_slice(&bytes)
            .map_err(|_| JwtError::Malformed(format!("the {what} is not JSON")))?;
        if value.is_object() {
            Ok(value)
        } else {
            Err(JwtError::Malformed(format!(
                "the {what} is not a JSON object"
            )))
        }
    };
    Ok((json(header, "header")?, json(payload, "payload")?))
}

/// Checks the RS256 signature of `token` against `key` and returns its payload. Claims such
/// as `nbf` are not judged here: the caller reports validity as a check of its own.
pub fn verify(token: &str, key: &PublicJwk) -> Result<Value, JwtError> {
    let decoding = key
        .decoding_key()
        .map_err(|e| JwtError::Malformed(e.to_string()))?;
    let mut validation = Validation::new(ALGORITHM);
    validation.required_spec_claims.clear();
    validation.validate_exp = false;
    validation.validate_nbf = false;
    validation.validate_aud = false;
    jsonwebtoken::decode::<Value>(token.trim(), &decoding, &validation)
        .map(|data| data.claims)
        .map_err(|e| match e.kind() {
            jsonwebtoken::errors::ErrorKind::InvalidSignature => JwtError::BadSignature,
            _ => JwtError::Malformed(e.to_string()),
        })
}
