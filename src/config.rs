//! Configuration: defaults in code, overridden by environment variables, checked at start-up.
//!
//! Every variable is listed in `docs/OPERATIONS.md`. Secrets are never printed: `Debug` on [`Config`]
//! redacts them.

use std::{fmt, net::SocketAddr, path::PathBuf, time::Duration};

/// Everything the application needs to start.
#[derive(Clone)]
pub struct Config {
    /// `DATABASE_URL`: `sqlite://file.db?mode=rwc` (default) or `postgres://…`.
    pub database_url: String,
    /// `CSSD_BIND`: the address the server listens on.
    pub bind: SocketAddr,
    /// `CSSD_PUBLIC_URL`: the URL clients reach the server at, used in verification links.
    pub public_url: String,
    /// `CSSD_ADMIN_EMAIL` / `CSSD_ADMIN_PASSWORD`: the first administrator, created at start-up
    /// when no administrator exists.
    pub admin_email: Option<String>,
    pub admin_password: Option<String>,
    /// `CSSD_OUTBOX_DIR`: where `.eml` files go when no SMTP server is configured.
    pub outbox_dir: PathBuf,
    /// `CSSD_SMTP_URL`: an SMTP server (`smtp://`, `smtps://`), if mail should really be sent.
    pub smtp_url: Option<String>,
    /// `CSSD_SMS_URL`: an SMS gateway speaking Twilio's Messages API
    /// (`twilio://SID:TOKEN@host[:port]?from=+263…[&insecure=true]`); unset, SMS are written as
    /// files under `CSSD_OUTBOX_DIR/sms/`.
    pub sms_url: Option<String>,
    /// `CSSD_MAIL_FROM`: the sender of outgoing mail.
    pub mail_from: String,
    /// `CSSD_DB_MAX_CONNECTIONS`: the size of the database pool.
    pub db_max_connections: u32,
    /// `CSSD_SIGNATORY_NAME` / `CSSD_SIGNATORY_TITLE`: who signs certificates.
    pub signatory_name: String,
    pub signatory_title: String,
    /// `CSSD_MAIL_WORKER`: whether this process sends queued mail (default true).
    pub mail_worker: bool,
    /// `CSSD_MAIL_MAX_ATTEMPTS`: attempts before a message is given up (default 8).
    pub mail_max_attempts: i32,
    /// `CSSD_MAIL_RETRY_BASE_SECONDS`: the first retry's delay; each later one is 3× longer.
    pub mail_retry_base: Duration,
    /// `CSSD_MAIL_POLL_SECONDS`: how often the worker looks for due mail.
    pub mail_poll_interval: Duration,
    /// `CSSD_AUTH_CACHE_SECONDS`: how long a looked-up bearer token is remembered (default 5;
    /// 0 looks every token up on every request). Logout and key revocation take effect at once
    /// in this process; other processes sharing a PostgreSQL database notice within this time.
    pub auth_cache_ttl: Duration,
    /// `CSSD_MAX_JSON_BYTES`: the largest JSON request body accepted (default 1 MiB); larger is 413.
    pub max_json_bytes: u64,
    /// `CSSD_MAX_CSV_BYTES`: the largest `text/csv` import accepted (default 10 MiB); larger is 413.
    pub max_csv_bytes: u64,
    /// `CSSD_HEADER_READ_SECONDS`: a client that has not sent a request's headers within this
    /// time is disconnected (default 30).
    pub header_read_timeout: Duration,
    /// `CSSD_IDLE_SECONDS`: a connection with no request in progress and nothing being sent
    /// for this long is closed, whatever it is doing: silent after connecting, half an HTTP/2
    /// preface, a request's headers never finished, an idle keep-alive (default 20).
    pub idle_timeout: Duration,
    /// `CSSD_MAX_CONNECTIONS`: the most connections served at once (default 1024, or the
    /// process's open-file limit less 64 when that is lower). Near the limit idle connections
    /// are closed first, so `/health` still answers; past it new ones wait in the kernel's
    /// queue. Keep it below `ulimit -n` less the database pool.
    pub max_connections: usize,
    /// `CSSD_HASH_WAIT_SECONDS`: how long a login waits for a password-hashing slot (one per
    /// core) before getting 503 with `Retry-After` (default 10).
    pub hashing_wait: Duration,
    /// `CSSD_MAIL_REPLY_TO`: the `Reply-To` of outgoing mail, where participants' answers go.
    pub mail_reply_to: Option<String>,
    /// `CSSD_REMINDER_DAYS`: how many days before a workshop starts its reminder goes (default 2).
    pub reminder_days: u32,
    /// `CSSD_REMINDER_INTERVAL_SECONDS`: how often the reminder job looks for workshops starting
    /// soon (default 3600).
    pub reminder_interval: Duration,
    /// `CSSD_RENEWAL_REMINDER_DAYS`: how many days before a trainer's ToT certificate lapses
    /// they are reminded to renew it (default 60).
    pub renewal_reminder_days: u32,
    /// `CSSD_RETENTION_YEARS`: the contact details (email, phone, national ID) of people whose
    /// last workshop ended more than this many years ago are removed by a daily job; unset:
    /// kept.
    pub retention_years: Option<u32>,
    /// `CSSD_SIGNING_KEY_FILE`: a PEM RSA private key (PKCS#8 or PKCS#1, ≥ 2048 bits) that signs
    /// credentials instead of the key kept in the database.
    pub signing_key_file: Option<PathBuf>,
    /// `CSSD_KEY_PASSPHRASE`: when set, signing keys kept in the database are encrypted at rest
    /// with a key derived from it (Argon2id, XChaCha20-Poly1305). Never printed.
    pub key_passphrase: Option<String>,
    /// `CSSD_SIGNATURE_IMAGE`: a PNG of the signatory's signature, printed above the signature
    /// line of certificates issued from now on.
    pub signature_image: Option<PathBuf>,
    /// `CSSD_LOGO`: the issuer's logo (SVG or PNG) for certificates issued from now on; the
    /// built-in IWSD mark when unset.
    pub logo: Option<PathBuf>,
    /// `CSSD_METRICS_BIND`: where Prometheus metrics (`GET /metrics`) and the detailed health
    /// (`GET /health`) are served; unset: not served at all. Never the public address.
    pub metrics_bind: Option<SocketAddr>,
    /// `CSSD_LOG_FORMAT`: `text` (default) or `json` (one JSON object per line).
    pub log_format: LogFormat,
    /// `CSSD_TRUSTED_PROXIES`: comma-separated addresses or networks (`10.0.0.0/8`) of the
    /// reverse proxies whose `X-Forwarded-For` is believed; from anyone else it is ignored.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// `CSSD_HEALTH_TOKEN`: a bearer token that makes the public `GET /health` answer with its
    /// details (migrations, signing key, outbox backlogs). Never printed.
    pub health_token: Option<String>,
    /// `CSSD_WEBHOOK_ALLOW_HTTP`: webhook endpoints may be `http://` (default false: `https://`
    /// only).
    pub webhook_allow_http: bool,
    /// `CSSD_WEBHOOK_ALLOW_PRIVATE`: webhook endpoints may resolve to loopback, private or
    /// link-local addresses (default false).
    pub webhook_allow_private: bool,
    /// `CSSD_WEBHOOK_MAX_ATTEMPTS`: attempts before a delivery fails for good and its webhook
    /// is turned off (default 8: about 9 hours with the default base).
    pub webhook_max_attempts: i32,
    /// `CSSD_WEBHOOK_RETRY_BASE_SECONDS`: the first retry's delay (default 30, with ±20 %
    /// jitter); each later one is 3× longer.
    pub webhook_retry_base: Duration,
    /// `CSSD_DHIS2_MAPPING`: the JSON file mapping the DHIS2 report's figures and groups to
    /// data elements and category option combos (see `docs/DHIS2.md`); read and checked at
    /// start-up. Unset: the DHIS2 report answers 409.
    pub dhis2_mapping: Option<PathBuf>,
    /// `CSSD_DHIS2_URL`: the DHIS2 server the report is pushed to,
    /// `https://user:password@dhis2.example.org` (the credentials are never printed).
    pub dhis2_url: Option<String>,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum LogFormat {
    /// Human-readable lines.
    #[default]
    Text,
    /// One JSON object per line, for a log collector.
    Json,
}

impl std::str::FromStr for LogFormat {
    type Err = ConfigError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "text" => Ok(Self::Text),
            "json" => Ok(Self::Json),
            other => Err(ConfigError {
                name: "CSSD_LOG_FORMAT",
                message: format!("{other:?} is neither text nor json"),
            }),
        }
    }
}

/// Reads `CSSD_TRUSTED_PROXIES`: addresses (`10.0.0.5`, `::1`) or networks (`10.0.0.0/8`),
/// separated by commas or spaces.
pub fn parse_trusted_proxies(value: &str) -> Result<Vec<ipnet::IpNet>, ConfigError> {
    value
        .split([',', ' '])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|item| {
            item.parse::<ipnet::IpNet>()
                .or_else(|_| item.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                .map_err(|_| ConfigError {
                    name: "CSSD_TRUSTED_PROXIES",
                    message: format!("{item:?} is not an address or a network such as 10.0.0.0/8"),
                })
        })
        .collect()
}

/// A configuration value that cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("configuration variable {name}: {message}")]
pub struct ConfigError {
    pub name: &'static str,
    pub message: String,
}

impl Config {
    /// Defaults suitable for a developer machine: SQLite file, loopback, file outbox.
    pub fn with_defaults() -> Self {
        Self {
            database_url: "sqlite://cssd.db?mode=rwc".into(),
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            public_url: "http://127.0.0.1:8080".into(),
            admin_email: None,
            admin_password: None,
            outbox_dir: PathBuf::from("outbox"),
            smtp_url: None,
            sms_url: None,
            mail_from: "IWSD Training <training@iwsd.invalid>".into(),
            db_max_connections: 16,
            signatory_name: "Director of Training".into(),
            signatory_title: "Institute of Water and Sanitation Development".into(),
            mail_worker: true,
            mail_max_attempts: 8,
            mail_retry_base: Duration::from_secs(60),
            mail_poll_interval: Duration::from_secs(5),
            auth_cache_ttl: Duration::from_secs(5),
            max_json_bytes: 1024 * 1024,
            max_csv_bytes: 10 * 1024 * 1024,
            header_read_timeout: Duration::from_secs(30),
            idle_timeout: Duration::from_secs(20),
            max_connections: default_max_connections(),
            hashing_wait: Duration::from_secs(10),
            mail_reply_to: None,
            reminder_days: 2,
            reminder_interval: Duration::from_secs(3600),
            renewal_reminder_days: 60,
            retention_years: None,
            signing_key_file: None,
            key_passphrase: None,
            signature_image: None,
            logo: None,
            metrics_bind: None,
            log_format: LogFormat::Text,
            trusted_proxies: Vec::new(),
            health_token: None,
            webhook_allow_http: false,
            webhook_allow_private: false,
            webhook_max_attempts: 8,
            webhook_retry_base: Duration::from_secs(30),
            dhis2_mapping: None,
            dhis2_url: None,
        }
    }

    /// Reads the environment over the defaults and checks the result.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok().filter(|v| !v.trim().is_empty()))
    }

    /// Like [`Config::from_env`], reading variables through `lookup` (testable without touching
    /// the process environment).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let mut config = Self::with_defaults();
        if let Some(url) = lookup("DATABASE_URL") {
            config.database_url = url;
        }
        if let Some(bind) = lookup("CSSD_BIND") {
            config.bind = bind.parse().map_err(|_| ConfigError {
                name: "CSSD_BIND",
                message: format!("{bind:?} is not an address such as 127.0.0.1:8080"),
            })?;
            config.public_url = format!("http://{}", config.bind);
        }
        if let Some(url) = lookup("CSSD_PUBLIC_URL") {
            config.public_url = url;
        }
        config.admin_email = lookup("CSSD_ADMIN_EMAIL");
        config.admin_password = lookup("CSSD_ADMIN_PASSWORD");
        if let Some(dir) = lookup("CSSD_OUTBOX_DIR") {
            config.outbox_dir = PathBuf::from(dir);
        }
        config.smtp_url = lookup("CSSD_SMTP_URL");
        config.sms_url = lookup("CSSD_SMS_URL");
        if let Some(from) = lookup("CSSD_MAIL_FROM") {
            config.mail_from = from;
        }
        if let Some(n) = lookup("CSSD_DB_MAX_CONNECTIONS") {
            config.db_max_connections = n.parse().ok().filter(|n| *n >= 2).ok_or(ConfigError {
                name: "CSSD_DB_MAX_CONNECTIONS",
                message: format!("{n:?} is not a whole number of at least 2"),
            })?;
        }
        if let Some(name) = lookup("CSSD_SIGNATORY_NAME") {
            config.signatory_name = name;
        }
        if let Some(title) = lookup("CSSD_SIGNATORY_TITLE") {
            config.signatory_title = title;
        }
        if let Some(v) = lookup("CSSD_MAIL_WORKER") {
            config.mail_worker = !matches!(v.to_lowercase().as_str(), "0" | "false" | "no" | "off");
        }
        let flag = |v: String| matches!(v.to_lowercase().as_str(), "1" | "true" | "yes" | "on");
        config.webhook_allow_http = lookup("CSSD_WEBHOOK_ALLOW_HTTP").is_some_and(flag);
        config.webhook_allow_private = lookup("CSSD_WEBHOOK_ALLOW_PRIVATE").is_some_and(flag);
        if let Some(n) = lookup("CSSD_WEBHOOK_MAX_ATTEMPTS") {
            config.webhook_max_attempts =
                n.parse()
                    .ok()
                    .filter(|n| (5..=50).contains(n))
                    .ok_or(ConfigError {
                        name: "CSSD_WEBHOOK_MAX_ATTEMPTS",
                        message: format!("{n:?} is not a whole number from 5 to 50"),
                    })?;
        }
        if let Some(n) = lookup("CSSD_MAIL_MAX_ATTEMPTS") {
            config.mail_max_attempts =
                n.parse()
                    .ok()
                    .filter(|n| (1..=50).contains(n))
                    .ok_or(ConfigError {
                        name: "CSSD_MAIL_MAX_ATTEMPTS",
                        message: format!("{n:?} is not a whole number from 1 to 50"),
                    })?;
        }
        for (name, field) in [
            ("CSSD_MAIL_RETRY_BASE_SECONDS", &mut config.mail_retry_base),
            ("CSSD_MAIL_POLL_SECONDS", &mut config.mail_poll_interval),
            (
                "CSSD_WEBHOOK_RETRY_BASE_SECONDS",
                &mut config.webhook_retry_base,
            ),
            ("CSSD_HEADER_READ_SECONDS", &mut config.header_read_timeout),
            ("CSSD_IDLE_SECONDS", &mut config.idle_timeout),
            ("CSSD_HASH_WAIT_SECONDS", &mut config.hashing_wait),
        ] {
            if let Some(v) = lookup(name) {
                *field = v
                    .parse::<f64>()
                    .ok()
                    .filter(|s| *s > 0.0 && *s <= 86_400.0)
                    .map(Duration::from_secs_f64)
                    .ok_or(ConfigError {
                        name,
                        message: format!("{v:?} is not a number of seconds"),
                    })?;
            }
        }
        if let Some(v) = lookup("CSSD_AUTH_CACHE_SECONDS") {
            config.auth_cache_ttl = v
                .parse::<f64>()
                .ok()
                .filter(|s| (0.0..=3_600.0).contains(s))
                .map(Duration::from_secs_f64)
                .ok_or(ConfigError {
                    name: "CSSD_AUTH_CACHE_SECONDS",
                    message: format!("{v:?} is not a number of seconds from 0 to 3600"),
                })?;
        }
        for (name, field) in [
            ("CSSD_MAX_JSON_BYTES", &mut config.max_json_bytes),
            ("CSSD_MAX_CSV_BYTES", &mut config.max_csv_bytes),
        ] {
            if let Some(v) = lookup(name) {
                *field = v
                    .parse::<u64>()
                    .ok()
                    .filter(|n| (1024..=1024 * 1024 * 1024).contains(n))
                    .ok_or(ConfigError {
                        name,
                        message: format!("{v:?} is not a number of bytes from 1024 to 1 GiB"),
                    })?;
            }
        }
        if let Some(v) = lookup("CSSD_MAX_CONNECTIONS") {
            config.max_connections = v
                .parse()
                .ok()
                .filter(|n| (8..=1_000_000).contains(n))
                .ok_or(ConfigError {
                    name: "CSSD_MAX_CONNECTIONS",
                    message: format!("{v:?} is not a whole number from 8 to 1000000"),
                })?;
        }
        config.mail_reply_to = lookup("CSSD_MAIL_REPLY_TO");
        if let Some(v) = lookup("CSSD_REMINDER_DAYS") {
            config.reminder_days = v.parse().ok().filter(|d| *d <= 60).ok_or(ConfigError {
                name: "CSSD_REMINDER_DAYS",
                message: format!("{v:?} is not a whole number of days from 0 to 60"),
            })?;
        }
        if let Some(v) = lookup("CSSD_RENEWAL_REMINDER_DAYS") {
            config.renewal_reminder_days =
                v.parse().ok().filter(|d| *d <= 366).ok_or(ConfigError {
                    name: "CSSD_RENEWAL_REMINDER_DAYS",
                    message: format!("{v:?} is not a whole number of days from 0 to 366"),
                })?;
        }
        if let Some(v) = lookup("CSSD_RETENTION_YEARS") {
            config.retention_years = Some(v.parse().ok().filter(|y| (1..=100).contains(y)).ok_or(
                ConfigError {
                    name: "CSSD_RETENTION_YEARS",
                    message: format!("{v:?} is not a whole number of years from 1 to 100"),
                },
            )?);
        }
        if let Some(v) = lookup("CSSD_REMINDER_INTERVAL_SECONDS") {
            config.reminder_interval = v
                .parse::<f64>()
                .ok()
                .filter(|s| *s >= 1.0 && *s <= 86_400.0)
                .map(Duration::from_secs_f64)
                .ok_or(ConfigError {
                    name: "CSSD_REMINDER_INTERVAL_SECONDS",
                    message: format!("{v:?} is not a number of seconds from 1 to 86400"),
                })?;
        }
        config.signing_key_file = lookup("CSSD_SIGNING_KEY_FILE").map(PathBuf::from);
        config.key_passphrase = lookup("CSSD_KEY_PASSPHRASE");
        config.signature_image = lookup("CSSD_SIGNATURE_IMAGE").map(PathBuf::from);
        config.logo = lookup("CSSD_LOGO").map(PathBuf::from);
        if let Some(bind) = lookup("CSSD_METRICS_BIND") {
            config.metrics_bind = Some(bind.parse().map_err(|_| ConfigError {
                name: "CSSD_METRICS_BIND",
                message: format!("{bind:?} is not an address such as 127.0.0.1:9090"),
            })?);
        }
        if let Some(format) = lookup("CSSD_LOG_FORMAT") {
            config.log_format = format.parse()?;
        }
        if let Some(proxies) = lookup("CSSD_TRUSTED_PROXIES") {
            config.trusted_proxies = parse_trusted_proxies(&proxies)?;
        }
        config.health_token = lookup("CSSD_HEALTH_TOKEN");
        config.dhis2_mapping = lookup("CSSD_DHIS2_MAPPING").map(PathBuf::from);
        config.dhis2_url = lookup("CSSD_DHIS2_URL");
        config.check()?;
        Ok(config)
    }

    /// Checks values that the defaults cannot get wrong but the environment can.
    pub fn check(&self) -> Result<(), ConfigError> {
        let scheme_ok = self.database_url.starts_with("sqlite:")
            || self.database_url.starts_with("postgres://")
            || self.database_url.starts_with("postgresql://");
        if !scheme_ok {
            return Err(ConfigError {
                name: "DATABASE_URL",
                message: "must start with sqlite: or postgres://".into(),
            });
        }
        if !(self.public_url.starts_with("http://") || self.public_url.starts_with("https://")) {
            return Err(ConfigError {
                name: "CSSD_PUBLIC_URL",
                message: format!("{:?} must start with http:// or https://", self.public_url),
            });
        }
        if self.admin_email.is_some() != self.admin_password.is_some() {
            return Err(ConfigError {
                name: "CSSD_ADMIN_PASSWORD",
                message: "CSSD_ADMIN_EMAIL and CSSD_ADMIN_PASSWORD are set together or not at all"
                    .into(),
            });
        }
        if let Some(url) = &self.dhis2_url {
            crate::dhis2::Dhis2Server::from_url(url).map_err(|message| ConfigError {
                name: "CSSD_DHIS2_URL",
                message,
            })?;
        }
        Ok(())
    }

    /// The public URL without a trailing slash, ready to have paths appended.
    pub fn public_url_trimmed(&self) -> &str {
        self.public_url.trim_end_matches('/')
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("database_url", &redact_url(&self.database_url))
            .field("bind", &self.bind)
            .field("public_url", &self.public_url)
            .field("admin_email", &self.admin_email)
            .field(
                "admin_password",
                &self.admin_password.as_ref().map(|_| "<redacted>"),
            )
            .field("outbox_dir", &self.outbox_dir)
            .field("smtp_url", &self.smtp_url.as_deref().map(redact_url))
            .field("sms_url", &self.sms_url.as_deref().map(redact_url))
            .field("mail_from", &self.mail_from)
            .field("db_max_connections", &self.db_max_connections)
            .field("signatory_name", &self.signatory_name)
            .field("signatory_title", &self.signatory_title)
            .field("mail_worker", &self.mail_worker)
            .field("mail_max_attempts", &self.mail_max_attempts)
            .field("mail_retry_base", &self.mail_retry_base)
            .field("mail_poll_interval", &self.mail_poll_interval)
            .field("webhook_allow_http", &self.webhook_allow_http)
            .field("webhook_allow_private", &self.webhook_allow_private)
            .field("webhook_max_attempts", &self.webhook_max_attempts)
            .field("webhook_retry_base", &self.webhook_retry_base)
            .field("auth_cache_ttl", &self.auth_cache_ttl)
            .field("max_json_bytes", &self.max_json_bytes)
            .field("max_csv_bytes", &self.max_csv_bytes)
            .field("header_read_timeout", &self.header_read_timeout)
            .field("idle_timeout", &self.idle_timeout)
            .field("max_connections", &self.max_connections)
            .field("hashing_wait", &self.hashing_wait)
            .field("mail_reply_to", &self.mail_reply_to)
            .field("reminder_days", &self.reminder_days)
            .field("reminder_interval", &self.reminder_interval)
            .field("renewal_reminder_days", &self.renewal_reminder_days)
            .field("retention_years", &self.retention_years)
            .field("signing_key_file", &self.signing_key_file)
            .field(
                "key_passphrase",
                &self.key_passphrase.as_ref().map(|_| "<redacted>"),
            )
            .field("signature_image", &self.signature_image)
            .field("logo", &self.logo)
            .field("metrics_bind", &self.metrics_bind)
            .field("log_format", &self.log_format)
            .field("trusted_proxies", &self.trusted_proxies)
            .field(
                "health_token",
                &self.health_token.as_ref().map(|_| "<redacted>"),
            )
            .field("dhis2_mapping", &self.dhis2_mapping)
            .field("dhis2_url", &self.dhis2_url.as_deref().map(redact_url))
            .finish()
    }
}

/// 1024 connections, or fewer when the process may not open that many files: its soft
/// open-file limit (read from `/proc/self/limits` where there is one) less 64 for the
/// database, the listener, logs and mail.
fn default_max_connections() -> usize {
    let soft_limit = std::fs::read_to_string("/proc/self/limits")
        .ok()
        .and_then(|limits| {
            limits
                .lines()
                .find(|l| l.starts_with("Max open files"))
                .and_then(|l| l.split_whitespace().nth(3))
                .and_then(|n| n.parse::<usize>().ok())
        });
    match soft_limit {
        Some(limit) => limit.saturating_sub(64).clamp(8, 1024),
        None => 1024,
    }
}

/// Hides the password of a `scheme://user:password@host` URL.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => {
                    format!("{}{user}:<redacted>{}", &url[..scheme_end + 3], &url[at..])
                }
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

// What the services take from the configuration, built here so that no service imports it.

impl crate::services::certificates::IssueSettings {
    /// The settings the configuration gives.
    pub fn from_config(config: &Config) -> Self {
        Self {
            public_url: config.public_url_trimmed().to_owned(),
            signatory_name: config.signatory_name.clone(),
            signatory_title: config.signatory_title.clone(),
        }
    }
}

impl From<&std::sync::Arc<Config>> for crate::services::credentials::KeySettings {
    fn from(config: &std::sync::Arc<Config>) -> Self {
        config.as_ref().into()
    }
}

impl From<&Config> for crate::services::credentials::KeySettings {
    fn from(config: &Config) -> Self {
        Self {
            signing_key_file: config.signing_key_file.clone(),
            key_passphrase: config.key_passphrase.clone(),
        }
    }
}

impl crate::services::dhis2::Dhis2Settings {
    /// Reads and checks `CSSD_DHIS2_MAPPING`'s file, and `CSSD_DHIS2_URL`: an error names the
    /// variable, the file and the key at fault.
    pub fn from_config(config: &Config) -> Result<Self, ConfigError> {
        let mapping = match &config.dhis2_mapping {
            None => None,
            Some(path) => {
                let failed = |message: String| ConfigError {
                    name: "CSSD_DHIS2_MAPPING",
                    message: format!("{}: {message}", path.display()),
                };
                let text = std::fs::read_to_string(path).map_err(|e| failed(e.to_string()))?;
                let mapping = crate::domain::dhis2::Mapping::from_json(&text)
                    .map_err(|e| failed(e.to_string()))?;
                Some(std::sync::Arc::new(mapping))
            }
        };
        let server = config
            .dhis2_url
            .as_deref()
            .map(crate::dhis2::Dhis2Server::from_url)
            .transpose()
            .map_err(|message| ConfigError {
                name: "CSSD_DHIS2_URL",
                message,
            })?;
        Ok(Self { mapping, server })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config_from(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|name| vars.get(name).cloned())
    }

    #[test]
    fn defaults_use_an_sqlite_file_on_loopback() {
        let config = config_from(&[]).unwrap();
        assert_eq!(config.database_url, "sqlite://cssd.db?mode=rwc");
        assert_eq!(config.bind.to_string(), "127.0.0.1:8080");
    }

    #[test]
    fn a_dhis2_url_without_credentials_is_refused_and_its_password_never_printed() {
        let err = config_from(&[("CSSD_DHIS2_URL", "https://dhis2.example.org")]).unwrap_err();
        assert_eq!(err.name, "CSSD_DHIS2_URL");
        let config =
            config_from(&[("CSSD_DHIS2_URL", "https://admin:s3cret@dhis2.example.org")]).unwrap();
        assert!(!format!("{config:?}").contains("s3cret"));
    }

    #[test]
    fn a_bad_bind_address_is_refused_with_its_name() {
        let err = config_from(&[("CSSD_BIND", "eight-oh-eight-oh")]).unwrap_err();
        assert_eq!(err.name, "CSSD_BIND");
    }

    #[test]
    fn an_unknown_database_scheme_is_refused() {
        let err = config_from(&[("DATABASE_URL", "mysql://x")]).unwrap_err();
        assert_eq!(err.name, "DATABASE_URL");
    }

    #[test]
    fn the_auth_cache_time_is_seconds_from_zero_to_an_hour() {
        assert_eq!(
            config_from(&[]).unwrap().auth_cache_ttl,
            Duration::from_secs(5)
        );
        let off = config_from(&[("CSSD_AUTH_CACHE_SECONDS", "0")]).unwrap();
        assert!(off.auth_cache_ttl.is_zero());
        for bad in ["-1", "3601", "soon"] {
            let err = config_from(&[("CSSD_AUTH_CACHE_SECONDS", bad)]).unwrap_err();
            assert_eq!(err.name, "CSSD_AUTH_CACHE_SECONDS");
        }
    }

    #[test]
    fn contact_details_are_kept_unless_a_retention_in_years_is_configured() {
        assert_eq!(config_from(&[]).unwrap().retention_years, None);
        let config = config_from(&[("CSSD_RETENTION_YEARS", "5")]).unwrap();
        assert_eq!(config.retention_years, Some(5));
        for bad in ["0", "-1", "101", "five"] {
            let err = config_from(&[("CSSD_RETENTION_YEARS", bad)]).unwrap_err();
            assert_eq!(err.name, "CSSD_RETENTION_YEARS");
        }
    }

    #[test]
    fn renewal_reminders_go_sixty_days_ahead_unless_configured() {
        assert_eq!(config_from(&[]).unwrap().renewal_reminder_days, 60);
        let config = config_from(&[("CSSD_RENEWAL_REMINDER_DAYS", "30")]).unwrap();
        assert_eq!(config.renewal_reminder_days, 30);
        assert!(config_from(&[("CSSD_RENEWAL_REMINDER_DAYS", "soon")]).is_err());
    }

    #[test]
    fn reminders_go_two_days_ahead_unless_configured() {
        assert_eq!(config_from(&[]).unwrap().reminder_days, 2);
        let config = config_from(&[("CSSD_REMINDER_DAYS", "5")]).unwrap();
        assert_eq!(config.reminder_days, 5);
        for bad in ["-1", "61", "two"] {
            let err = config_from(&[("CSSD_REMINDER_DAYS", bad)]).unwrap_err();
            assert_eq!(err.name, "CSSD_REMINDER_DAYS");
        }
    }

    #[test]
    fn trusted_proxies_are_addresses_or_networks() {
        let config = config_from(&[("CSSD_TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/8 ::1")]).unwrap();
        assert_eq!(config.trusted_proxies.len(), 3);
        assert!(
            config.trusted_proxies[1].contains(&"10.1.2.3".parse::<std::net::IpAddr>().unwrap())
        );
        let err = config_from(&[("CSSD_TRUSTED_PROXIES", "the-proxy")]).unwrap_err();
        assert_eq!(err.name, "CSSD_TRUSTED_PROXIES");
    }

    #[test]
    fn the_log_format_is_text_or_json() {
        assert_eq!(config_from(&[]).unwrap().log_format, LogFormat::Text);
        let json = config_from(&[("CSSD_LOG_FORMAT", "JSON")]).unwrap();
        assert_eq!(json.log_format, LogFormat::Json);
        assert_eq!(
            config_from(&[("CSSD_LOG_FORMAT", "xml")]).unwrap_err().name,
            "CSSD_LOG_FORMAT"
        );
        let bad = config_from(&[("CSSD_METRICS_BIND", "nine-oh-nine-oh")]).unwrap_err();
        assert_eq!(bad.name, "CSSD_METRICS_BIND");
    }

    #[test]
    fn admin_email_without_password_is_refused() {
        assert!(config_from(&[("CSSD_ADMIN_EMAIL", "a@b.c")]).is_err());
    }

    #[test]
    fn debug_output_hides_passwords() {
        let config = config_from(&[
            ("DATABASE_URL", "postgres://app:hunter2secret@db/cssd"),
            ("CSSD_ADMIN_EMAIL", "a@b.c"),
            ("CSSD_ADMIN_PASSWORD", "hunter2secret"),
            ("CSSD_KEY_PASSPHRASE", "hunter2secret"),
            ("CSSD_HEALTH_TOKEN", "hunter2secret"),
        ])
        .unwrap();
        let shown = format!("{config:?}");
        assert!(!shown.contains("hunter2secret"), "{shown}");
        assert!(shown.contains("postgres://app:<redacted>@db/cssd"));
    }
}
