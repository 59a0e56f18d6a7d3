//! Schema migrations of the CSSD Training API.
//!
//! Migrations are frozen history: once landed, a migration is never edited; a change to the
//! schema is a new migration. They use sea-query builders so the same history applies to SQLite
//! and PostgreSQL, and each declares its own `Iden`s (this crate never imports `entity`).

pub use sea_orm_migration::prelude::*;

mod m20261128_000001_organisations_and_courses;
mod m20261128_000002_people_and_access;
mod m20261128_000003_workshops_and_enrolment;
mod m20261128_000004_attendance_and_assessments;
mod m20261128_000005_certificates;
mod m20261128_000006_email_outbox;
mod m20261128_000007_report_tallies;
mod m20261130_010001_user_deactivation;
mod m20261130_020001_public_holidays;
mod m20261130_020002_workshop_day_dates;
mod m20261130_020003_organisation_province;
mod m20261130_020004_trainer_certificate_validity;
mod m20261130_020005_participant_national_id;
mod m20261130_030000_credentials;
mod m20261130_040001_participant_journey;
mod m20261130_050001_sign_in_links;
mod m20261130_060001_participant_name_index;
mod m20261203_100001_sign_in_mail_kind;
mod m20261203_130001_certificate_reissue;
mod m20261203_140001_outbox_request_id;
mod m20261203_140001_participant_age_and_disability;
mod m20261203_140002_enrolment_consent;
mod m20261203_141501_webhooks;
mod m20261204_160000_participant_phone;
mod m20261204_160100_sms_outbox;
mod m20261204_162000_participant_erasure;
mod m20261204_164000_open_workshops;
mod m20261204_190000_organisation_dhis2_org_unit;

/// The ordered list of all migrations.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261128_000001_organisations_and_courses::Migration),
            Box::new(m20261128_000002_people_and_access::Migration),
            Box::new(m20261128_000003_workshops_and_enrolment::Migration),
            Box::new(m20261128_000004_attendance_and_assessments::Migration),
            Box::new(m20261128_000005_certificates::Migration),
            Box::new(m20261128_000006_email_outbox::Migration),
            Box::new(m20261128_000007_report_tallies::Migration),
            Box::new(m20261130_020001_public_holidays::Migration),
            Box::new(m20261130_020002_workshop_day_dates::Migration),
            Box::new(m20261130_020003_organisation_province::Migration),
            Box::new(m20261130_020004_trainer_certificate_validity::Migration),
            Box::new(m20261130_020005_participant_national_id::Migration),
            Box::new(m20261130_050001_sign_in_links::Migration),
            Box::new(m20261130_040001_participant_journey::Migration),
            Box::new(m20261130_030000_credentials::Migration),
            Box::new(m20261130_010001_user_deactivation::Migration),
            Box::new(m20261130_060001_participant_name_index::Migration),
            Box::new(m20261203_100001_sign_in_mail_kind::Migration),
            Box::new(m20261203_130001_certificate_reissue::Migration),
            Box::new(m20261203_140001_outbox_request_id::Migration),
            Box::new(m20261203_140001_participant_age_and_disability::Migration),
            Box::new(m20261203_140002_enrolment_consent::Migration),
            Box::new(m20261203_141501_webhooks::Migration),
            Box::new(m20261204_160000_participant_phone::Migration),
            Box::new(m20261204_160100_sms_outbox::Migration),
            Box::new(m20261204_162000_participant_erasure::Migration),
            Box::new(m20261204_164000_open_workshops::Migration),
            Box::new(m20261204_190000_organisation_dhis2_org_unit::Migration),
        ]
    }
}
