//! Webhooks (Standard Webhooks): the events third-party systems subscribe to, how a delivery is
//! signed, which endpoint addresses are allowed, the durable delivery outbox and the worker
//! that drains it.
//!
//! Nothing here imports poem. Events are never sent from a request: the unit of work
//! (`services::workshop_write`) queues them in the transaction of the change they announce,
//! and [`worker::Worker`] delivers them with retries, as mail is.

pub mod address;
pub mod outbox;
pub mod worker;

use base64::{Engine, engine::general_purpose::STANDARD as BASE64};
use hmac::{Hmac, KeyInit, Mac};
use rand::RngCore;
use serde_json::Value;

/// Declares the event types: each line is the variant and its name on the wire. Adding an
/// event is one line here, one in the API's mirror, and the `emit` where it happens.
macro_rules! event_types {
    ($($(#[$meta:meta])* $variant:ident = $name:literal,)+) => {
        /// What happened, as subscribers name it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum EventType {
            $($(#[$meta])* $variant,)+
        }

        impl EventType {
            /// Every event type, in the order of the contract.
            pub const ALL: &'static [EventType] = &[$(EventType::$variant,)+];

            /// The name on the wire (`enrolment.created`).
            pub fn as_str(self) -> &'static str {
                match self {
                    $(EventType::$variant => $name,)+
                }
            }

            /// The event type of a wire name.
            pub fn parse(name: &str) -> Option<Self> {
                match name {
                    $($name => Some(EventType::$variant),)+
                    _ => None,
                }
            }
        }
    };
}

event_types! {
    /// A participant took a seat or a waitlist place.
    EnrolmentCreated = "enrolment.created",
    /// An enrolment was withdrawn.
    EnrolmentWithdrawn = "enrolment.withdrawn",
    /// A waitlisted participant got a seat.
    EnrolmentPromoted = "enrolment.promoted",
    /// Attendance marks of a workshop were recorded.
    AttendanceMarked = "attendance.marked",
    /// An assessment score was recorded.
    AssessmentRecorded = "assessment.recorded",
    /// A workshop was scheduled.
    WorkshopScheduled = "workshop.scheduled",
    /// A workshop's status changed (started, completed, cancelled).
    WorkshopStatusChanged = "workshop.status_changed",
    /// A certificate was issued.
    CertificateIssued = "certificate.issued",
    /// A certificate was revoked.
    CertificateRevoked = "certificate.revoked",
    /// A certificate was replaced by a new one.
    CertificateReissued = "certificate.reissued",
    /// A participant's personal data was erased (at their request).
    ParticipantErased = "participant.erased",
    /// A confirmed application for a public workshop arrived (it waits for an administrator).
    ApplicationReceived = "application.received",
    /// An application was accepted (a seat or a waitlist place).
    ApplicationAccepted = "application.accepted",
    /// An application was declined.
    ApplicationDeclined = "application.declined",
}

/// The resource an event concerns, as the API returns it (`GET` of that resource): an event's
/// `data`. The API layer implements it for the services' views (`EnrolmentView`, a certificate,
/// a participant, `WorkshopView`) with its own response types, so what a subscriber receives
/// is what a client reads, and this layer never names the API.
pub trait Resource {
    /// The resource's JSON as the API writes it.
    fn to_data(&self) -> Value;
}

/// One event to announce: its type and the resource it concerns.
#[derive(Debug, Clone)]
pub struct Event {
    pub kind: EventType,
    pub data: Value,
    pub at: chrono::DateTime<chrono::Utc>,
}

impl Event {
    pub fn new(kind: EventType, data: Value) -> Self {
        Self {
            kind,
            data,
            at: chrono::Utc::now(),
        }
    }
}

/// The prefix of a webhook secret (as Standard Webhooks' libraries expect it).
pub const SECRET_PREFIX: &str = "whsec_";

/// A new signing secret: `whsec_` + base64 of 32 random bytes.
pub fn new_secret() -> String {
    let mut key = [0u8; 32];
    rand::rng().fill_bytes(&mut key);
    format!("{SECRET_PREFIX}{}", BASE64.encode(key))
}

/// A new `webhook-id`: `msg_` + 32 hex digits.
pub fn new_message_id() -> String {
    let mut id = [0u8; 16];
    rand::rng().fill_bytes(&mut id);
    format!("msg_{}", hex::encode(id))
}

/// Why a secret cannot sign.
#[derive(Debug, thiserror::Error)]
#[error("the webhook secret is not `whsec_` and base64")]
pub struct BadSecret;

/// The `webhook-signature` header of a delivery: `v1,` + base64 of the HMAC-SHA256 of
/// `{id}.{timestamp}.{body}`, keyed with the secret's bytes (the base64 after `whsec_`).
pub fn sign(
    secret: &str,
    message_id: &str,
    timestamp: i64,
    body: &str,
) -> Result<String, BadSecret> {
    let key = BASE64
        .decode(secret.strip_prefix(SECRET_PREFIX).unwrap_or(secret))
        .map_err(|_| BadSecret)?;
    let mut mac =
        <Hmac<sha2_hmac::Sha256> as KeyInit>::new_from_slice(&key).map_err(|_| BadSecret)?;
    mac.update(message_id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    Ok(format!("v1,{}", BASE64.encode(mac.finalize().into_bytes())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_type_round_trips_through_its_name() {
        for kind in EventType::ALL {
            assert_eq!(EventType::parse(kind.as_str()), Some(*kind));
        }
        assert_eq!(EventType::parse("enrolment.deleted"), None);
    }

    #[test]
    fn the_signature_matches_the_standard_webhooks_example() {
        // The example of the Standard Webhooks specification's reference libraries.
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let body = r#"{"test": 2432232314}"#;
        let signature = sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body).unwrap();
        assert_eq!(signature, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    #[test]
    fn secrets_are_long_and_distinct() {
        let (a, b) = (new_secret(), new_secret());
        assert_ne!(a, b);
        let key = BASE64
            .decode(a.strip_prefix(SECRET_PREFIX).unwrap())
            .unwrap();
        assert!(key.len() >= 24);
    }
}
