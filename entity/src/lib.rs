//! sea-orm models, one module per table. This crate knows nothing of the application: no HTTP,
//! no business rules. Models never go over the wire; the API converts them into its own types.

pub mod api_key;
pub mod app_user;
pub mod assessment;
pub mod attendance;
pub mod audit_log;
pub mod certificate;
pub mod certificate_credential;
pub mod certificate_sequence;
pub mod course;
pub mod email_outbox;
pub mod enrolment;
pub mod evaluation;
pub mod idempotency_record;
pub mod organisation;
pub mod outreach;
pub mod participant;
pub mod public_holiday;
pub mod session;
pub mod sign_in_link;
pub mod signing_key;
pub mod sms_outbox;
pub mod sms_sign_in_code;
pub mod status_list;
pub mod webhook;
pub mod webhook_delivery;
pub mod workshop;
pub mod workshop_application;
pub mod workshop_outreach_stats;
pub mod workshop_trainer;
