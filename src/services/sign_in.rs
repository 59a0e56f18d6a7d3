//! The one way in: every sign-in (the API's `POST /auth/login` and `POST /auth/email-link`,
//! and the three sign-in pages `/portal/sign-in`, `/register/sign-in`, `/admin/sign-in`) goes
//! through [`SignIn`], in the same order:
//!
//! 1. the email is checked first (length and form), before it is used for anything;
//! 2. the attempt is reserved with the login throttle (a bounded table of hashed keys; see
//!    `services::login_throttle`), so a refusal costs no database query and no hashing;
//! 3. the work: a password check in one of the bounded hashing slots (`services::password_hashing`),
//!    or, for an emailed link, a job queued to run after the answer, so that the answer takes
//!    the same time whether or not the address belongs to someone.

use std::{
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::Instant,
};

use sea_orm::DatabaseConnection;
use tokio::sync::Semaphore;
use validator::ValidateEmail;

use super::{
    accounts::{self, Login},
    login_throttle::{LoginThrottle, Purpose},
    password_hashing::PasswordHashing,
    sign_in_links,
};
use crate::domain::{Error, FieldError, Result, access::Actor, account::clean_email};

/// The longest email address (RFC 5321's path limit).
pub const MAX_EMAIL_CHARS: usize = 254;

/// How many link requests may be in hand (looked up, stored, queued for mail) at once; more
/// wait their turn before being answered.
const LINK_JOBS: usize = 32;

/// What now is, for sign-in codes (a test moves it).
pub type Now = Arc<dyn Fn() -> chrono::DateTime<chrono::Utc> + Send + Sync>;

/// What asking for a sign-in link came to, as the caller may learn it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkRequest {
    /// Accepted: a link will be mailed if the address belongs to a participant (the caller is
    /// not told which).
    Accepted,
}

/// The sign-in machinery of one server: the login throttle, the password-hashing slots, and
/// the queue of link requests.
pub struct SignIn {
    pub throttle: LoginThrottle,
    pub hashing: PasswordHashing,
    link_jobs: Arc<Semaphore>,
    links_handled: Arc<AtomicU64>,
    codes_handled: Arc<AtomicU64>,
    /// The clock sign-in codes are issued and checked by.
    now: std::sync::RwLock<Now>,
}

impl std::fmt::Debug for SignIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignIn")
            .field("throttle", &self.throttle)
            .field("hashing", &self.hashing)
            .finish_non_exhaustive()
    }
}

impl SignIn {
    pub fn new(throttle: LoginThrottle, hashing: PasswordHashing) -> Self {
        Self {
            throttle,
            hashing,
            link_jobs: Arc::new(Semaphore::new(LINK_JOBS)),
            links_handled: Arc::new(AtomicU64::new(0)),
            codes_handled: Arc::new(AtomicU64::new(0)),
            now: std::sync::RwLock::new(Arc::new(chrono::Utc::now)),
        }
    }

    /// Replaces the clock of sign-in codes (tests move it instead of waiting ten minutes).
    pub fn set_clock(&self, now: Now) {
        *self.now.write().unwrap_or_else(|e| e.into_inner()) = now;
    }

    fn now(&self) -> chrono::DateTime<chrono::Utc> {
        (self.now.read().unwrap_or_else(|e| e.into_inner()))()
    }

    /// How many code requests have been handled to the end (SMS queued, or nothing to do).
    pub fn codes_handled(&self) -> u64 {
        self.codes_handled.load(Ordering::Acquire)
    }

    /// Asks for a sign-in code for `phone` from `from`: the number is checked and normalised,
    /// the request counted on the phone and the address (as link requests are), then the
    /// lookup and the SMS run after the answer, which is the same for unknown numbers.
    pub async fn sms_code(
        &self,
        db: &DatabaseConnection,
        phone: &str,
        from: Option<&str>,
    ) -> Result<LinkRequest> {
        let phone = sign_in_phone(phone)?;
        self.throttle
            .begin_for(Purpose::SmsCode, &phone, from, Instant::now())
            .map_err(|retry_after| Error::TooManyAttempts { retry_after })?
            .failed();
        let permit = self
            .link_jobs
            .clone()
            .acquire_owned()
            .await
            .map_err(|e| Error::internal("the sign-in queue is closed", e))?;
        let (db, handled, now) = (db.clone(), self.codes_handled.clone(), self.now());
        tokio::spawn(crate::request_context::carry(async move {
            if let Err(err) = super::sign_in_codes::send(&db, &phone, now).await {
                tracing::error!(error = %err, "could not send a sign-in code");
            }
            handled.fetch_add(1, Ordering::Release);
            drop(permit);
        }));
        Ok(LinkRequest::Accepted)
    }

    /// Enters a sign-in code for `phone` from `from`: throttled per number and address like a
    /// password (a wrong code counts as a failure), then checked ([`super::sign_in_codes::verify`]).
    /// `Ok(None)`: wrong, used, expired or out of tries, or an unknown number.
    pub async fn verify_sms_code(
        &self,
        db: &DatabaseConnection,
        phone: &str,
        code: &str,
        from: Option<&str>,
    ) -> Result<Option<Login>> {
        let Ok(phone) = sign_in_phone(phone) else {
            return Ok(None);
        };
        let attempt = self
            .throttle
            .begin_for(Purpose::SmsCodeEntry, &phone, from, Instant::now())
            .map_err(|retry_after| Error::TooManyAttempts { retry_after })?;
        let checked = super::sign_in_codes::verify(db, &phone, code, self.now()).await;
        match &checked {
            Ok(Some(_)) => attempt.succeeded(),
            Ok(None) => attempt.failed(),
            Err(_) => attempt.released(),
        }
        checked
    }

    /// How many link requests have been handled to the end (mail queued, or nothing to do).
    pub fn links_handled(&self) -> u64 {
        self.links_handled.load(Ordering::Acquire)
    }

    /// A password sign-in: the email checked, the attempt throttled (refused with
    /// [`Error::TooManyAttempts`] while the account or the address `from` is locked), the
    /// password checked (an unknown account costs the same), and on success a new session.
    /// `Ok(None)`: wrong email or password.
    pub async fn with_password(
        &self,
        db: &DatabaseConnection,
        email: &str,
        from: Option<&str>,
        password: &str,
    ) -> Result<Option<Login>> {
        let email = sign_in_email(email)?;
        let attempt = self
            .throttle
            .begin(&email, from, Instant::now())
            .map_err(|retry_after| {
                metrics::counter!("cssd_logins_total", "result" => "throttled").increment(1);
                Error::TooManyAttempts { retry_after }
            })?;
        let checked = accounts::login(db, &self.hashing, &email, password).await;
        let result = match &checked {
            Ok(Some(_)) => "success",
            Ok(None) => "failure",
            Err(Error::Busy { .. }) => "busy",
            Err(_) => "error",
        };
        metrics::counter!("cssd_logins_total", "result" => result).increment(1);
        match checked {
            Ok(Some(login)) => {
                attempt.succeeded();
                Ok(Some(login))
            }
            Ok(None) => {
                attempt.failed();
                Ok(None)
            }
            // Not judged: the password was never checked.
            Err(busy @ Error::Busy { .. }) => {
                attempt.released();
                Err(busy)
            }
            Err(other) => {
                attempt.failed();
                Err(other)
            }
        }
    }

    /// Asks for a sign-in link for `email` from `from`. The address is checked and the request
    /// counted (every request counts, like a failed login, on keys of its own: link requests
    /// never lock password logins); then the work is queued and the answer given at once.
    /// (The link's commit wakes the mail worker.)
    pub async fn email_link(
        &self,
        db: &DatabaseConnection,
        email: &str,
        from: Option<&str>,
        public_url: &str,
    ) -> Result<LinkRequest> {
        let email = link_email(email)?;
        self.throttle
            .begin_for(Purpose::EmailLink, &email, from, Instant::now())
            .map_err(|retry_after| Error::TooManyAttempts { retry_after })?
            .failed();
        let permit = self
            .link_jobs
            .clone()
            .acquire_owned()
            .await
            .map_err(|e| Error::internal("the sign-in link queue is closed", e))?;
        let (db, public_url, handled) = (
            db.clone(),
            public_url.to_owned(),
            self.links_handled.clone(),
        );
        tokio::spawn(crate::request_context::carry(async move {
            match sign_in_links::send(&db, &email, &public_url).await {
                Ok(_) => {}
                Err(err) => tracing::error!(error = %err, "could not send a sign-in link"),
            }
            handled.fetch_add(1, Ordering::Release);
            drop(permit);
        }));
        Ok(LinkRequest::Accepted)
    }

    /// [`accounts::change_password`] under the login throttle (a wrong current password counts
    /// as a failed login of `email`; another refusal counts neither way).
    #[allow(clippy::too_many_arguments)]
    pub async fn change_password(
        &self,
        db: &DatabaseConnection,
        from: Option<&str>,
        actor: &Actor,
        (user_id, email): (i64, &str),
        keep_token: &str,
        current: &str,
        new: &str,
    ) -> Result<()> {
        let attempt = self
            .throttle
            .begin(email, from, Instant::now())
            .map_err(|retry_after| Error::TooManyAttempts { retry_after })?;
        let changed =
            accounts::change_password(db, &self.hashing, actor, user_id, keep_token, current, new)
                .await;
        match &changed {
            Err(Error::Forbidden(_)) => attempt.failed(),
            Err(_) => attempt.released(),
            Ok(()) => attempt.succeeded(),
        }
        changed
    }
}

/// The email of a password sign-in, normalised, or why it cannot be one. Checked before it is
/// copied or used as a key: a megabyte-long "email" is refused on its length alone.
pub fn sign_in_email(raw: &str) -> Result<String> {
    let refused = || {
        Error::Invalid(vec![FieldError::new(
            "email",
            "must be a valid email address",
        )])
    };
    // Four bytes per character at most, and surrounding spaces: anything longer cannot be it.
    if raw.len() > MAX_EMAIL_CHARS * 4 + 64 {
        return Err(refused());
    }
    let email = raw.trim().to_lowercase();
    if email.chars().count() > MAX_EMAIL_CHARS || !email.validate_email() {
        return Err(refused());
    }
    Ok(email)
}

/// The phone number of a code request, in E.164, or why it is not one (checked by length
/// first, before it is parsed).
pub fn sign_in_phone(raw: &str) -> Result<String> {
    let refused = |message: String| Error::Invalid(vec![FieldError::new("phone", message)]);
    if raw.len() > 64 {
        return Err(refused("must be a phone number".into()));
    }
    crate::domain::phone::normalise(raw).map_err(refused)
}

/// The email of a link request: as [`sign_in_email`], and deliverable (links are mailed).
fn link_email(raw: &str) -> Result<String> {
    let email = sign_in_email(raw)?;
    let mut problems = Vec::new();
    let email = clean_email("email", &email, &mut problems);
    if problems.is_empty() {
        Ok(email)
    } else {
        Err(Error::Invalid(problems))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_email_is_checked_before_anything_else() {
        assert_eq!(
            sign_in_email("  Tendai@Example.ORG ").unwrap(),
            "tendai@example.org"
        );
        let huge = format!("{}@example.org", "a".repeat(1 << 20));
        assert!(matches!(sign_in_email(&huge), Err(Error::Invalid(_))));
        assert!(matches!(
            sign_in_email("not an email"),
            Err(Error::Invalid(_))
        ));
        assert!(matches!(sign_in_email(""), Err(Error::Invalid(_))));
    }

    #[test]
    fn a_link_needs_a_deliverable_address() {
        assert!(link_email("tendai@example.org").is_ok());
        assert!(link_email("tendai@localhost").is_err());
    }
}
