//! Digital credentials of certificates: the issuer's keys (kept in the database, or read from
//! a key file), each certificate's entry in a revocation status list, building and signing
//! its Open Badges 3.0 credential, the status list credential, and verifying a VC-JWT.
//!
//! A certificate's credential row is written in the transaction that issues it
//! ([`record_issue`]) and its revocation bit in the transaction that revokes it
//! ([`mark_revoked`]); certificates issued before credentials existed get theirs at start-up
//! ([`backfill`]).
//!
//! One job per module: [`keyring`] (keys and the JWKS), [`status_lists`] (revocation bits),
//! [`issue`] (credential rows and the backfill), [`documents`] (building and signing the
//! credentials) and [`verify`] (checking a presented credential).

mod documents;
mod issue;
mod keyring;
mod status_lists;
mod verify;

pub use documents::{
    certificate_credential, sign, signed_certificate_credential, status_list_credential,
};
pub use issue::{IssueDetails, backfill, criteria_in_words, lead_trainer, record_issue};
pub use keyring::{KeySettings, Keyring, jwks, rotate};
pub use status_lists::{mark_revoked, rebuild_status_list};
pub use verify::{Check, Verdict, verify};

use crate::{credential::openbadges::Issuer, domain::Error};

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

/// URL of an achievement's picture (the credential's achievement `image`): the course's badge
/// for the level, public, the same for every holder. (The holder's baked badge, which carries
/// the credential itself, is `…/certificates/{id}/badge.png`.)
pub fn achievement_image_url(issuer: &Issuer, course_code: &str, level_slug: &str) -> String {
    format!("{}/api/v1/badges/{course_code}/{level_slug}", issuer.url)
}
