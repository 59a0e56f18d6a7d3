//! `AppState`: what every request handler and background job can reach (the database pool,
//! the configuration, the caches and the transports), built once by [`crate::startup`].

use std::{sync::Arc, time::Duration};

use sea_orm::DatabaseConnection;

use crate::{
    auth_cache::AuthCache, certificate, config::Config, mail, services, services::sign_in::SignIn,
};

/// What every request handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub config: Arc<Config>,
    /// The one sign-in flow: login throttle, password-hashing slots, link requests.
    pub sign_in: Arc<SignIn>,
    /// Bearer tokens recently found valid.
    pub auth_cache: AuthCache,
    /// Fonts parsed and static page parts prepared once, shared by every rendering.
    pub renderer: Arc<certificate::CertificateRenderer>,
    /// Where mail goes (SMTP or the outbox folder).
    pub mailer: mail::Mailer,
    /// Wakes the mail worker when a request has queued mail.
    pub mail_wake: Arc<tokio::sync::Notify>,
    /// Where SMS go (the outbox folder, or a Twilio-shaped gateway).
    pub sms: crate::sms::SmsTransport,
    /// The keys credentials are signed and verified with.
    pub keyring: Arc<services::credentials::Keyring>,
    /// The time applications for public workshops see (lapsing after 24 h); tests move it.
    pub application_clock: services::applications::ApplicationClock,
    /// The DHIS2 mapping and server, when configured.
    pub dhis2: services::dhis2::Dhis2Settings,
}

impl AppState {
    /// The renewal-reminder job over this state's database, with `today` as its clock.
    pub fn renewal_job(
        &self,
        today: services::participant_mail::Clock,
    ) -> services::renewals::RenewalJob {
        services::renewals::RenewalJob {
            db: self.db.clone(),
            days_ahead: self.config.renewal_reminder_days,
            public_url: self.config.public_url_trimmed().to_owned(),
            schedule: services::scheduled::Schedule {
                name: "renewal reminders",
                interval: self.config.reminder_interval,
                today,
            },
        }
    }

    /// The reminder job over this state's database, with `today` as its clock.
    pub fn reminder_job(
        &self,
        today: services::participant_mail::Clock,
    ) -> services::participant_mail::ReminderJob {
        services::participant_mail::ReminderJob {
            db: self.db.clone(),
            days_ahead: self.config.reminder_days,
            public_url: self.config.public_url_trimmed().to_owned(),
            schedule: services::scheduled::Schedule {
                name: "workshop reminders",
                interval: self.config.reminder_interval,
                today,
            },
        }
    }

    /// The retention job over this state's database (daily), with `today` as its clock; `None`
    /// unless `CSSD_RETENTION_YEARS` is set.
    pub fn retention_job(
        &self,
        today: services::participant_mail::Clock,
    ) -> Option<services::retention::RetentionJob> {
        Some(services::retention::RetentionJob {
            db: self.db.clone(),
            years: self.config.retention_years?,
            schedule: services::scheduled::Schedule {
                name: "retention",
                interval: Duration::from_secs(24 * 60 * 60),
                today,
            },
        })
    }

    /// What webhook endpoints may be.
    pub fn webhook_rules(&self) -> crate::webhook::address::AddressRules {
        crate::webhook::address::AddressRules {
            allow_http: self.config.webhook_allow_http,
            allow_private: self.config.webhook_allow_private,
        }
    }

    /// A webhook delivery worker over this state's database.
    pub fn webhook_worker(&self) -> anyhow::Result<crate::webhook::worker::Worker> {
        crate::webhook::worker::Worker::new(
            self.db.clone(),
            self.webhook_rules(),
            crate::webhook::worker::DeliveryPolicy {
                retry: crate::outbox::RetryPolicy {
                    max_attempts: self.config.webhook_max_attempts,
                    retry_base: self.config.webhook_retry_base,
                    poll_interval: self.config.mail_poll_interval,
                    lease: Duration::from_secs(120),
                },
                timeout: Duration::from_secs(15),
                batch: 32,
            },
        )
    }

    /// An SMS worker over this state's database and transport (the mail worker's pacing).
    pub fn sms_worker(&self) -> crate::sms::worker::Worker {
        crate::sms::worker::Worker {
            db: self.db.clone(),
            transport: self.sms.clone(),
            policy: crate::outbox::RetryPolicy {
                max_attempts: self.config.mail_max_attempts,
                retry_base: self.config.mail_retry_base,
                poll_interval: self.config.mail_poll_interval,
                lease: Duration::from_secs(120),
            },
            wake: crate::db::outbox_wakes(&self.db).of(crate::db::Outbox::Sms),
        }
    }

    /// A mail worker over this state's database and transport.
    pub fn mail_worker(&self) -> anyhow::Result<mail::worker::Worker> {
        Ok(mail::worker::Worker {
            db: self.db.clone(),
            mailer: self.mailer.clone(),
            from: mail::sender(&self.config.mail_from)?,
            reply_to: mail::reply_to(self.config.mail_reply_to.as_deref())?,
            policy: crate::outbox::RetryPolicy {
                max_attempts: self.config.mail_max_attempts,
                retry_base: self.config.mail_retry_base,
                poll_interval: self.config.mail_poll_interval,
                lease: Duration::from_secs(300),
            },
            wake: self.mail_wake.clone(),
        })
    }
}
