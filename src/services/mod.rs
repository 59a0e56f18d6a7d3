//! Operations on stored records: each function applies the domain's rules and reads or writes
//! through sea-orm, in one transaction with its audit record where it changes something.
//! Nothing here imports poem; failures are [`crate::domain::Error`].

pub mod accounts;
pub mod applications;
pub mod attendance;
pub mod audit;
pub mod backup;
pub mod cascade;
pub mod certificates;
pub mod console;
pub mod courses;
pub mod credentials;
pub mod csv_export;
pub mod csv_import;
pub mod dhis2;
pub mod duplicates;
pub mod enrolments;
pub mod erasure;
pub mod evaluations;
pub mod holidays;
pub mod idempotency;
pub mod login_throttle;
pub mod organisations;
pub mod outboxes;
pub mod outreach;
pub mod paper_evaluation;
pub mod participant_accounts;
pub mod participant_mail;
pub mod participant_sms;
pub mod participants;
pub mod password_hashing;
pub mod personal_data;
pub mod reading;
pub mod reissue;
pub mod renewals;
pub mod reports;
pub mod retention;
pub mod scheduled;
pub mod sharing;
pub mod sign_in;
pub mod sign_in_codes;
pub mod sign_in_links;
pub mod tallies;
pub mod trainers;
pub mod webhooks;
pub mod workshop_commands;
pub mod workshop_lock;
pub mod workshop_queries;
pub mod workshop_write;
pub mod workshops;

/// A page of a list: the items and how many there are in all.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u64,
}

/// Which slice of a list to return.
#[derive(Debug, Clone, Copy)]
pub struct PageRequest {
    pub limit: u64,
    pub offset: u64,
}
