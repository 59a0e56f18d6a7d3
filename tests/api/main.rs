//! The integration suite: the real app over real HTTP, one fresh database per test.
//! Runs on SQLite; set `TEST_DATABASE_URL=postgres://…` to run it on PostgreSQL.

mod access;
mod attendance;
mod auth;
mod certificates;
mod corrections;
mod courses;
mod credentials;
mod demo_calendar;
mod duplicates;
mod emails;
mod enrolments;
mod errors;
mod evaluations;
mod hardening;
mod health;
mod helpers;
mod holidays;
mod idempotency;
mod instances;
mod journey;
mod organisations;
mod outreach;
mod paper;
mod participants;
mod provinces;
mod renewals;
mod reports;
mod smtp;
mod spec;
mod trainers;
mod users;
mod web;
mod web_admin;
mod webhooks;
mod workshops;
