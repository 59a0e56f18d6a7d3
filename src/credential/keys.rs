//! The issuer's RSA signing keys: generation, PEM/PKCS#8 loading, the public JWK with its
//! RFC 7638 thumbprint as key id, and sealing the private key at rest with a passphrase
//! (Argon2id → XChaCha20-Poly1305). All cryptography is done by maintained crates (`rsa`,
//! `jsonwebtoken`/`ring`, `argon2`, `chacha20poly1305`); nothing here is hand-written crypto.

use argon2::Argon2;
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chacha20poly1305::{
    XChaCha20Poly1305, XNonce,
    aead::{Aead, KeyInit},
};
use jsonwebtoken::{DecodingKey, EncodingKey};
use rand::RngCore;
use rsa::{
    RsaPrivateKey,
    pkcs1::{DecodeRsaPrivateKey, EncodeRsaPrivateKey},
    pkcs8::{DecodePrivateKey, EncodePrivateKey},
    traits::PublicKeyParts,
};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// RSA modulus size of generated keys. 2048 bits is what RS256 verifiers universally accept.
pub const RSA_BITS: usize = 2048;

/// How a stored private key is protected.
pub const PROTECTION_NONE: &str = "none";
/// Sealed with a key derived from `CSSD_KEY_PASSPHRASE`.
pub const PROTECTION_SEALED: &str = "argon2id-xchacha20poly1305";
/// Not stored: read from `CSSD_SIGNING_KEY_FILE` at start-up.
pub const PROTECTION_FILE: &str = "file";

/// A key problem, in words for the operator.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("the key is not an RSA private key in PKCS#8 or PKCS#1 PEM/DER form: {0}")]
    Format(String),
    #[error(
        "the private key could not be decrypted: wrong CSSD_KEY_PASSPHRASE, or the stored key is damaged"
    )]
    Unseal,
    #[error(
        "the signing key is encrypted at rest; set CSSD_KEY_PASSPHRASE to the passphrase it was sealed with"
    )]
    PassphraseMissing,
    #[error("key error: {0}")]
    Other(String),
}

/// The public half of a key, as a JWK would carry it (base64url big-endian integers).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicJwk {
    pub n: String,
    pub e: String,
}

impl PublicJwk {
    /// RFC 7638 thumbprint: SHA-256 over the required members in lexicographic order, base64url.
    pub fn thumbprint(&self) -> String {
        let canonical = format!(r#"{{"e":"{}","kty":"RSA","n":"{}"}}"#, self.e, self.n);
        URL_SAFE_NO_PAD.encode(Sha256::digest(canonical.as_bytes()))
    }

    /// The JWK as published in the JWKS.
    pub fn to_json(&self, kid: &str) -> Value {
        json!({"kty": "RSA", "use": "sig", "alg": "RS256", "kid": kid, "n": self.n, "e": self.e})
    }

    /// Reads the `n` and `e` members of a stored JWK.
    pub fn from_json(jwk: &Value) -> Result<Self, KeyError> {
        let member = |name: &str| {
            jwk.get(name)
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or_else(|| KeyError::Format(format!("the JWK has no {name}")))
        };
        Ok(Self {
            n: member("n")?,
            e: member("e")?,
        })
    }

    /// The key that checks signatures.
    pub fn decoding_key(&self) -> Result<DecodingKey, KeyError> {
        DecodingKey::from_rsa_components(&self.n, &self.e)
            .map_err(|e| KeyError::Other(e.to_string()))
    }
}

/// A private key ready to sign.
pub struct SigningKey {
    /// RFC 7638 thumbprint of the public key; the JOSE `kid`.
    pub kid: String,
    pub public: PublicJwk,
    /// PKCS#8 DER (what the database stores, sealed or not).
    pkcs8_der: Vec<u8>,
    encoding: EncodingKey,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

impl SigningKey {
    /// A fresh RSA key (slow: hundreds of milliseconds; run it off the async runtime).
    pub fn generate() -> Result<Self, KeyError> {
        let mut rng = rsa::rand_core::OsRng;
        let key =
            RsaPrivateKey::new(&mut rng, RSA_BITS).map_err(|e| KeyError::Other(e.to_string()))?;
        Self::from_rsa(key)
    }

    /// From PKCS#8 DER, as stored.
    pub fn from_pkcs8_der(der: &[u8]) -> Result<Self, KeyError> {
        let key =
            RsaPrivateKey::from_pkcs8_der(der).map_err(|e| KeyError::Format(e.to_string()))?;
        Self::from_rsa(key)
    }

    /// From a PEM file: `PRIVATE KEY` (PKCS#8) or `RSA PRIVATE KEY` (PKCS#1).
    pub fn from_pem(pem: &str) -> Result<Self, KeyError> {
        let key = RsaPrivateKey::from_pkcs8_pem(pem)
            .or_else(|_| RsaPrivateKey::from_pkcs1_pem(pem))
            .map_err(|e| KeyError::Format(e.to_string()))?;
        Self::from_rsa(key)
    }

    fn from_rsa(key: RsaPrivateKey) -> Result<Self, KeyError> {
        if key.size() * 8 < RSA_BITS {
            return Err(KeyError::Format(format!(
                "the RSA key has {} bits; at least {RSA_BITS} are required",
                key.size() * 8
            )));
        }
        let public = PublicJwk {
            n: URL_SAFE_NO_PAD.encode(key.n().to_bytes_be()),
            e: URL_SAFE_NO_PAD.encode(key.e().to_bytes_be()),
        };
        let pkcs1 = key
            .to_pkcs1_der()
            .map_err(|e| KeyError::Other(e.to_string()))?;
        let pkcs8 = key
            .to_pkcs8_der()
            .map_err(|e| KeyError::Other(e.to_string()))?;
        Ok(Self {
            kid: public.thumbprint(),
            encoding: EncodingKey::from_rsa_der(pkcs1.as_bytes()),
            pkcs8_der: pkcs8.as_bytes().to_vec(),
            public,
        })
    }

    /// The key that signs.
    pub fn encoding_key(&self) -> &EncodingKey {
        &self.encoding
    }

    /// PKCS#8 DER of the private key.
    pub fn pkcs8_der(&self) -> &[u8] {
        &self.pkcs8_der
    }
}

/// A private key sealed with a passphrase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sealed {
    pub salt: Vec<u8>,
    pub nonce: Vec<u8>,
    pub ciphertext: Vec<u8>,
}

fn derive(passphrase: &str, salt: &[u8]) -> Result<[u8; 32], KeyError> {
    let mut key = [0u8; 32];
    Argon2::default()
        .hash_password_into(passphrase.as_bytes(), salt, &mut key)
        .map_err(|e| KeyError::Other(format!("argon2: {e}")))?;
    Ok(key)
}

/// Encrypts `plaintext` under a key derived from `passphrase` with a fresh salt and nonce.
pub fn seal(plaintext: &[u8], passphrase: &str) -> Result<Sealed, KeyError> {
    let mut salt = vec![0u8; 16];
    let mut nonce = vec![0u8; 24];
    rand::rng().fill_bytes(&mut salt);
    rand::rng().fill_bytes(&mut nonce);
    let key = derive(passphrase, &salt)?;
    let cipher = XChaCha20Poly1305::new((&key).into());
    let ciphertext = cipher
        .encrypt(XNonce::from_slice(&nonce), plaintext)
        .map_err(|_| KeyError::Other("encryption failed".into()))?;
    Ok(Sealed {
        salt,
        nonce,
        ciphertext,
    })
}

/// Decrypts what [`seal`] produced; a wrong passphrase or a changed byte is [`KeyError::Unseal`].
pub fn unseal(sealed: &Sealed, passphrase: &str) -> Result<Vec<u8>, KeyError> {
    if sealed.nonce.len() != 24 {
        return Err(KeyError::Unseal);
    }
    let key = derive(passphrase, &sealed.salt)?;
    XChaCha20Poly1305::new((&key).into())
        .decrypt(
            XNonce::from_slice(&sealed.nonce),
            sealed.ciphertext.as_slice(),
        )
        .map_err(|_| KeyError::Unseal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_key_opens_only_with_its_passphrase() {
        let secret = b"PKCS#8 bytes stand-in";
        let sealed = seal(secret, "correct horse battery staple").unwrap();
        assert_ne!(sealed.ciphertext.as_slice(), secret.as_slice());
        assert_eq!(
            unseal(&sealed, "correct horse battery staple").unwrap(),
            secret
        );
        assert!(matches!(
            unseal(&sealed, "wrong passphrase"),
            Err(KeyError::Unseal)
        ));
        let mut damaged = sealed.clone();
        damaged.ciphertext[0] ^= 1;
        assert!(matches!(
            unseal(&damaged, "correct horse battery staple"),
            Err(KeyError::Unseal)
        ));
    }

    #[test]
    fn the_thumbprint_follows_rfc_7638() {
        // The example key of RFC 7638 §3.1 and its thumbprint.
        let jwk = PublicJwk {
            n: "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw".into(),
            e: "AQAB".into(),
        };
        assert_eq!(
            jwk.thumbprint(),
            "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
        );
    }

    #[test]
    fn a_pem_key_loads_with_its_thumbprint_as_kid() {
        let pem = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/signing-key.pem"),
        )
        .unwrap();
        let key = SigningKey::from_pem(&pem).unwrap();
        assert_eq!(key.kid, key.public.thumbprint());
        let again = SigningKey::from_pkcs8_der(key.pkcs8_der()).unwrap();
        assert_eq!(again.kid, key.kid);
        assert!(matches!(
            SigningKey::from_pem("not a key"),
            Err(KeyError::Format(_))
        ));
    }
}
