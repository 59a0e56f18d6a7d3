//! CSSD Training API: the library behind the `cssd` binary.
//!
//! [`Application::build`] connects to the database (migrating it), and [`Application::run`]
//! serves on the listener it was given until the shutdown future resolves, so the tests start
//! exactly the app that production runs.

pub mod api;
pub mod auth;
pub mod calendar;
pub mod certificate;
pub mod config;
pub mod db;
pub mod demo;
pub mod domain;
pub mod error;
pub mod idempotency;
pub mod mail;
pub mod revocation;
pub mod seed;
pub mod services;
pub mod testing;

use std::{future::Future, net::SocketAddr, sync::Arc, time::Duration};

use poem::{
    Endpoint, EndpointExt, Route, Server,
    listener::TcpAcceptor,
    middleware::{CatchPanic, Tracing},
};
use sea_orm::DatabaseConnection;

pub use config::Config;
use services::{accounts, login_throttle::LoginThrottle};

/// What every request handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub config: Arc<Config>,
    pub login_throttle: Arc<LoginThrottle>,
    /// Bearer tokens recently found valid.
    pub auth_cache: auth::AuthCache,
    /// Fonts parsed and static page parts prepared once, shared by every rendering.
    pub renderer: Arc<certificate::CertificateRenderer>,
    /// Where mail goes (SMTP or the outbox folder).
    pub mailer: mail::Mailer,
    /// Wakes the mail worker when a request has queued mail.
    pub mail_wake: Arc<tokio::sync::Notify>,
}

impl AppState {
    /// A mail worker over this state's database and transport.
    pub fn mail_worker(&self) -> anyhow::Result<mail::worker::Worker> {
        Ok(mail::worker::Worker {
            db: self.db.clone(),
            mailer: self.mailer.clone(),
            from: mail::sender(&self.config.mail_from)?,
            policy: mail::worker::RetryPolicy {
                max_attempts: self.config.mail_max_attempts,
                retry_base: self.config.mail_retry_base,
                poll_interval: self.config.mail_poll_interval,
                lease: Duration::from_secs(300),
            },
            wake: self.mail_wake.clone(),
        })
    }
}

/// A built application, bound to its listener, ready to run.
pub struct Application {
    state: AppState,
    acceptor: TcpAcceptor,
    local_addr: SocketAddr,
}

impl Application {
    /// Connects and migrates the database, and takes over `listener`.
    pub async fn build(config: Config, listener: std::net::TcpListener) -> anyhow::Result<Self> {
        let db = db::connect(&config.database_url, config.db_max_connections).await?;
        if let (Some(email), Some(password)) = (&config.admin_email, &config.admin_password) {
            // One instance at a time, so that instances started together create one administrator.
            let startup = db::startup_lock(&db).await?;
            if let Some(admin) = accounts::bootstrap_admin(&db, email, password).await? {
                tracing::info!(email = %admin.email, "created the first administrator");
            }
            if let Some(startup) = startup {
                startup.commit().await?;
            }
        }
        tokio::task::spawn_blocking(accounts::warm_up).await?;
        let renderer = tokio::task::spawn_blocking(certificate_renderer).await??;
        let mailer = mail::Mailer::from_config(config.smtp_url.as_deref(), &config.outbox_dir)?;
        mail::sender(&config.mail_from)?;
        let state = AppState {
            mailer,
            mail_wake: Arc::new(tokio::sync::Notify::new()),
            db,
            auth_cache: auth::AuthCache::new(config.auth_cache_ttl),
            config: Arc::new(config),
            login_throttle: Arc::new(LoginThrottle::default()),
            renderer: Arc::new(renderer),
        };
        Self::with_state(state, listener)
    }

    /// Builds on an already connected state (used when several apps share one database).
    pub fn with_state(state: AppState, listener: std::net::TcpListener) -> anyhow::Result<Self> {
        if follows_revocations(&state) {
            // Not until `run` listens for revocations made by other processes.
            state.auth_cache.suspend();
        }
        listener.set_nonblocking(true)?;
        let local_addr = listener.local_addr()?;
        let acceptor = TcpAcceptor::from_std(listener)?;
        Ok(Self {
            state,
            acceptor,
            local_addr,
        })
    }

    /// The address the server accepts connections on (useful when bound to port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// The shared state (database pool, configuration).
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves (and, unless configured off, sends queued mail; on PostgreSQL, follows credential
    /// revocations made by other processes) until `shutdown` resolves, then lets in-flight
    /// requests finish (up to 10 s) and the mail worker finish the message in hand.
    pub async fn run(self, shutdown: impl Future<Output = ()> + Send) -> std::io::Result<()> {
        let endpoint = endpoint(self.state.clone());
        let (stop_worker, stopped) = tokio::sync::watch::channel(false);
        let worker = if self.state.config.mail_worker {
            let worker = self.state.mail_worker().map_err(std::io::Error::other)?;
            Some(tokio::spawn(worker.run(stopped.clone())))
        } else {
            None
        };
        // On PostgreSQL other processes may revoke credentials: remembered tokens are used only
        // while this process hears about it.
        let revocations = follows_revocations(&self.state).then(|| {
            let (db, cache) = (self.state.db.clone(), self.state.auth_cache.clone());
            tokio::spawn(async move { revocation::follow(&db, cache, stopped).await })
        });
        tracing::info!(addr = %self.local_addr, "serving; Swagger UI at /docs");
        let shutdown = async move {
            shutdown.await;
            let _ = stop_worker.send(true);
        };
        Server::new_with_acceptor(self.acceptor)
            .run_with_graceful_shutdown(endpoint, shutdown, Some(Duration::from_secs(10)))
            .await?;
        if let Some(worker) = worker
            && tokio::time::timeout(Duration::from_secs(60), worker)
                .await
                .is_err()
        {
            tracing::warn!("mail worker did not stop within 60 s");
        }
        if let Some(listener) = revocations {
            let _ = tokio::time::timeout(Duration::from_secs(10), listener).await;
        }
        self.state.db.clone().close().await.ok();
        Ok(())
    }
}

/// Whether this process must listen for credential revocations before it may use remembered
/// tokens: on PostgreSQL, where other processes may share the database, when tokens are
/// remembered at all.
fn follows_revocations(state: &AppState) -> bool {
    db::is_postgres(&state.db) && state.auth_cache.is_enabled()
}

/// The certificate renderer with the fonts committed in `assets/fonts/`, compiled into the
/// binary so it runs from any directory.
pub fn certificate_renderer() -> Result<certificate::CertificateRenderer, certificate::RenderError>
{
    certificate::CertificateRenderer::from_font_bytes(
        include_bytes!("../assets/fonts/DejaVuSans.ttf").to_vec(),
        include_bytes!("../assets/fonts/DejaVuSerif-Bold.ttf").to_vec(),
    )
}

/// The whole HTTP surface: the API, its spec and Swagger UI, with errors as problem+json.
pub fn endpoint(state: AppState) -> impl Endpoint {
    let api = api::service();
    let spec = api.spec_endpoint();
    let docs = api.swagger_ui();
    let routes = Route::new()
        .nest("/", api)
        .at("/openapi.json", spec)
        .nest("/docs", docs);
    let routes = routes.around(|ep, req| async move { idempotency::handle(&ep, req).await });
    error::with_problem_errors(routes.data(state))
        .with(Tracing)
        .with(CatchPanic::new())
}
