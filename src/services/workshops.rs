//! Workshops: scheduling, the cascade's parent rules, trainers, capacity and status. Reads are
//! [`super::workshop_queries`], changes [`super::workshop_commands`] (through the unit of work,
//! [`super::workshop_write`]); both are re-exported here. Services import the one they need,
//! never this module, so that no import runs in a circle (`participant_mail` reads workshops,
//! and the commands send mail).

pub use super::workshop_commands::*;
pub use super::workshop_queries::*;
