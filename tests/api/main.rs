//! The integration suite: the real app over real HTTP, one fresh database per test.
//! Runs on SQLite; set `TEST_DATABASE_URL=postgres://…` to run it on PostgreSQL.

mod access;
mod attendance;
mod auth;
mod certificates;
mod courses;
mod emails;
mod enrolments;
mod errors;
mod health;
mod helpers;
mod idempotency;
mod instances;
mod organisations;
mod participants;
mod reports;
mod smtp;
mod spec;
mod users;
mod workshops;
