//! The integration suite: the real app over real HTTP, one fresh database per test.
//! Runs on SQLite; set `TEST_DATABASE_URL=postgres://…` to run it on PostgreSQL.

mod access;
mod attendance;
mod auth;
mod certificates;
mod courses;
mod demo_calendar;
mod duplicates;
mod credentials;
mod emails;
mod enrolments;
mod errors;
mod evaluations;
mod hardening;
mod health;
mod helpers;
mod holidays;
mod idempotency;
mod journey;
mod instances;
mod organisations;
mod outreach;
mod participants;
mod provinces;
mod reports;
mod smtp;
mod spec;
mod trainers;
mod web;
mod users;
mod workshops;
