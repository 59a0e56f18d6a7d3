//! The W3C Bitstring Status List: one bit per credential, 1 = revoked.
//!
//! Bit `i` is bit `7 - i % 8` of byte `i / 8` (index 0 is the left-most bit), and the published
//! form (`encodedList`) is the GZIP-compressed bitstring, base64url-encoded without padding and
//! prefixed with `u` (the Multibase code for base64url), as the W3C Recommendation specifies.

use std::io::{Read, Write};

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use flate2::{Compression, read::GzDecoder, write::GzEncoder};

/// Entries in each list: the W3C minimum (16 KiB), so that one revoked credential hides among
/// many ("herd privacy").
pub const LIST_SIZE: usize = 131_072;

/// The status purpose our lists serve.
pub const PURPOSE_REVOCATION: &str = "revocation";

/// A bitstring of a fixed number of entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bitstring {
    bytes: Vec<u8>,
}

/// Why an `encodedList` could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("the encoded list does not start with the multibase prefix 'u'")]
    Prefix,
    #[error("the encoded list is not base64url")]
    Base64,
    #[error("the encoded list is not GZIP")]
    Gzip,
    #[error("the list is shorter than the 131,072 entries the specification requires")]
    TooShort,
}

impl Bitstring {
    /// All zeros (nothing revoked), `entries` long (rounded up to whole bytes).
    pub fn new(entries: usize) -> Self {
        Self {
            bytes: vec![0; entries.div_ceil(8)],
        }
    }

    /// Takes stored bytes as they are.
    pub fn from_bytes(bytes: Vec<u8>) -> Self {
        Self { bytes }
    }

    /// The raw bytes (what the database stores).
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// How many entries the list holds.
    pub fn len(&self) -> usize {
        self.bytes.len() * 8
    }

    /// Whether the list holds no entries.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// The bit at `index`; `None` beyond the end.
    pub fn get(&self, index: usize) -> Option<bool> {
        let byte = self.bytes.get(index / 8)?;
        Some(byte & (0x80 >> (index % 8)) != 0)
    }

    /// Sets the bit at `index` (no-op beyond the end; returns whether it was in range).
    pub fn set(&mut self, index: usize, value: bool) -> bool {
        let Some(byte) = self.bytes.get_mut(index / 8) else {
            return false;
        };
        let mask = 0x80 >> (index % 8);
        if value {
            *byte |= mask;
        } else {
            *byte &= !mask;
        }
        true
    }

    /// The `encodedList` value: `u` + base64url(gzip(bits)).
    pub fn encode(&self) -> String {
        let mut gz = GzEncoder::new(Vec::with_capacity(256), Compression::default());
        gz.write_all(&self.bytes)
            .expect("writing to a Vec cannot fail");
        let compressed = gz.finish().expect("writing to a Vec cannot fail");
        format!("u{}", URL_SAFE_NO_PAD.encode(compressed))
    }

    /// Reads an `encodedList` (as a verifier does).
    pub fn decode(encoded: &str) -> Result<Self, DecodeError> {
        let body = encoded.strip_prefix('u').ok_or(DecodeError::Prefix)?;
        let compressed = URL_SAFE_NO_PAD
            .decode(body.trim_end_matches('='))
            .map_err(|_| DecodeError::Base64)?;
        let mut bytes = Vec::with_capacity(LIST_SIZE / 8);
        // At most 16 MiB uncompressed: a hostile list cannot exhaust memory.
        GzDecoder::new(compressed.as_slice())
            .take(16 << 20)
            .read_to_end(&mut bytes)
            .map_err(|_| DecodeError::Gzip)?;
        if bytes.len() * 8 < LIST_SIZE {
            return Err(DecodeError::TooShort);
        }
        Ok(Self { bytes })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_zero_is_the_left_most_bit() {
        let mut list = Bitstring::new(LIST_SIZE);
        list.set(0, true);
        list.set(9, true);
        assert_eq!(list.as_bytes()[0], 0b1000_0000);
        assert_eq!(list.as_bytes()[1], 0b0100_0000);
        assert_eq!(list.get(9), Some(true));
        assert_eq!(list.get(10), Some(false));
        assert_eq!(list.get(LIST_SIZE), None);
        assert!(!list.set(LIST_SIZE, true));
        list.set(9, false);
        assert_eq!(list.get(9), Some(false));
    }

    #[test]
    fn an_empty_list_encodes_to_a_short_gzip_and_reads_back() {
        let list = Bitstring::new(LIST_SIZE);
        let encoded = list.encode();
        assert!(
            encoded.starts_with("uH4sI"),
            "gzip magic in base64url: {encoded}"
        );
        assert!(encoded.len() < 200, "{} characters", encoded.len());
        assert_eq!(Bitstring::decode(&encoded).unwrap(), list);
        assert_eq!(list.len(), LIST_SIZE);
    }

    #[test]
    fn set_bits_survive_encoding() {
        let mut list = Bitstring::new(LIST_SIZE);
        for i in [1, 94_567, LIST_SIZE - 1] {
            list.set(i, true);
        }
        let back = Bitstring::decode(&list.encode()).unwrap();
        assert_eq!(back.get(94_567), Some(true));
        assert_eq!(back.get(LIST_SIZE - 1), Some(true));
        assert_eq!(back.get(94_566), Some(false));
    }

    #[test]
    fn lists_that_are_not_ours_to_read_are_refused() {
        assert_eq!(Bitstring::decode("H4sI"), Err(DecodeError::Prefix));
        assert_eq!(Bitstring::decode("u!!!"), Err(DecodeError::Base64));
        assert_eq!(Bitstring::decode("uAAAA"), Err(DecodeError::Gzip));
        let short = Bitstring::new(8).encode();
        assert_eq!(Bitstring::decode(&short), Err(DecodeError::TooShort));
    }
}
