//! Digital credentials: Open Badges 3.0 documents, VC-JWT signing and verification, and the
//! issuer's keys. No database and no HTTP here: `services::credentials` stores and loads,
//! `api::credentials` serves.

pub mod badge;
pub mod jwt;
pub mod keys;
pub mod openbadges;
