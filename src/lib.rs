//! CSSD Training API: the library behind the `cssd` binary.
//!
//! This file only declares the modules (the layers are drawn in `docs/ARCHITECTURE.md`).
//! [`startup::Application::build`] connects to the database (migrating it), and
//! [`startup::Application::run`] serves on the listener it was given until the shutdown future
//! resolves, so the tests start exactly the app that production runs.

pub mod allowed_methods;
pub mod api;
pub mod auth;
pub mod auth_cache;
pub mod calendar;
pub mod certificate;
pub mod compression;
pub mod config;
pub mod credential;
pub mod db;
pub mod demo;
pub mod dhis2;
pub mod domain;
pub mod error;
pub mod forwarded;
pub mod idempotency;
pub mod l10n;
pub mod limits;
pub mod mail;
pub mod outbox;
pub mod request_context;
pub mod revocation;
pub mod security_headers;
pub mod seed;
pub mod serve;
pub mod services;
pub mod sms;
pub mod startup;
pub mod state;
pub mod subject_access;
pub mod telemetry;
pub mod testing;
pub mod timestamp;
pub mod web;
pub mod webhook;

pub use config::Config;
pub use startup::{Application, certificate_renderer, certificate_renderer_with, endpoint};
pub use state::AppState;
