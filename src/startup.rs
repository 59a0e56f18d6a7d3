//! Builds the application from its configuration and serves it: the database connected and
//! migrated, the background jobs started, the middleware stack put around the routes
//! (zero2prod's `startup`). `main.rs`, the tests and the benchmarks all start the app here.

use std::{future::Future, net::SocketAddr, sync::Arc, time::Duration};

use poem::{Endpoint, EndpointExt, Route, middleware::CatchPanic};

use crate::{
    allowed_methods, api,
    auth_cache::{self, AuthCache},
    certificate, compression,
    config::Config,
    db, domain, error, idempotency, limits, mail, security_headers, serve, services,
    services::{
        accounts, login_throttle::LoginThrottle, password_hashing::PasswordHashing, sign_in::SignIn,
    },
    state::AppState,
    telemetry, web,
};

/// A built application, bound to its listener, ready to run.
pub struct Application {
    state: AppState,
    listener: tokio::net::TcpListener,
    local_addr: SocketAddr,
    /// `CSSD_METRICS_BIND`'s listener, when set.
    metrics: Option<telemetry::metrics::MetricsServer>,
}

impl Application {
    /// Connects and migrates the database, and takes over `listener`.
    pub async fn build(config: Config, listener: std::net::TcpListener) -> anyhow::Result<Self> {
        let db = db::connect(&config.database_url, config.db_max_connections).await?;
        // One instance at a time, so that instances started together create one administrator,
        // one signing key and one credential per existing certificate.
        let startup = db::startup_lock(&db).await?;
        // Workshops recorded before the report tallies existed get theirs now (a no-op otherwise).
        let txn = db::begin_write(&db).await?;
        services::tallies::refresh(&txn, services::tallies::Covering::Missing).await?;
        txn.commit().await?;
        let sign_in = Arc::new(SignIn::new(
            LoginThrottle::default(),
            PasswordHashing::per_core(config.hashing_wait),
        ));
        if let (Some(email), Some(password)) = (&config.admin_email, &config.admin_password)
            && let Some(admin) =
                accounts::bootstrap_admin(&db, &sign_in.hashing, email, password).await?
        {
            tracing::info!(email = %admin.email, "created the first administrator");
        }
        let keyring = services::credentials::Keyring::open(&db, &config).await?;
        let backfilled = services::credentials::backfill(&db).await?;
        if let Some(startup) = startup {
            startup.commit().await?;
        }
        if backfilled > 0 {
            tracing::info!(
                certificates = backfilled,
                "gave existing certificates their digital credentials"
            );
        }
        tokio::task::spawn_blocking(accounts::warm_up).await?;
        let artwork =
            certificate::Artwork::load(config.signature_image.as_deref(), config.logo.as_deref())?;
        let renderer =
            tokio::task::spawn_blocking(move || certificate_renderer_with(artwork)).await??;
        let mailer = mail::Mailer::from_config(config.smtp_url.as_deref(), &config.outbox_dir)?;
        mail::sender(&config.mail_from)?;
        mail::reply_to(config.mail_reply_to.as_deref())?;
        let sms =
            crate::sms::SmsTransport::from_config(config.sms_url.as_deref(), &config.outbox_dir)?;
        let dhis2 = services::dhis2::Dhis2Settings::from_config(&config)?;
        let state = AppState {
            sms,
            mailer,
            mail_wake: crate::db::outbox_wakes(&db).of(crate::db::Outbox::Mail),
            db,
            auth_cache: AuthCache::new(config.auth_cache_ttl),
            config: Arc::new(config),
            sign_in,
            renderer: Arc::new(renderer),
            keyring: Arc::new(keyring),
            application_clock: Default::default(),
            dhis2,
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
        let listener = tokio::net::TcpListener::from_std(listener)?;
        let metrics = telemetry::metrics::MetricsServer::bind(&state)?;
        Ok(Self {
            state,
            listener,
            local_addr,
            metrics,
        })
    }

    /// The address the server accepts connections on (useful when bound to port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// The metrics address (`CSSD_METRICS_BIND`), when there is one.
    pub fn metrics_addr(&self) -> Option<SocketAddr> {
        self.metrics.as_ref().map(|m| m.local_addr())
    }

    /// The shared state (database pool, configuration).
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves (and, unless configured off, sends queued mail and webhook deliveries and runs
    /// the reminder job; on PostgreSQL, follows credential revocations made by other processes)
    /// until `shutdown` resolves, then lets in-flight requests finish (up to 10 s) and the mail
    /// and webhook workers finish what they have in hand.
    pub async fn run(self, shutdown: impl Future<Output = ()> + Send) -> std::io::Result<()> {
        let endpoint = endpoint(self.state.clone());
        let (stop_worker, stopped) = tokio::sync::watch::channel(false);
        let stopped_purge = stopped.clone();
        let metrics = self
            .metrics
            .map(|m| tokio::spawn(m.serve(self.state.clone(), stopped.clone())));
        let mut webhooks = None;
        let mut texts = None;
        let worker = if self.state.config.mail_worker {
            let worker = self.state.mail_worker().map_err(std::io::Error::other)?;
            let reminders = self
                .state
                .reminder_job(Arc::new(domain::schedule::local_today));
            tokio::spawn(reminders.run(stopped.clone()));
            let renewals = self
                .state
                .renewal_job(Arc::new(domain::schedule::local_today));
            tokio::spawn(renewals.run(stopped.clone()));
            let today = Arc::new(domain::schedule::local_today);
            if let Some(retention) = self.state.retention_job(today) {
                tokio::spawn(retention.run(stopped.clone()));
            }
            let deliveries = self.state.webhook_worker().map_err(std::io::Error::other)?;
            webhooks = Some(tokio::spawn(deliveries.run(stopped.clone())));
            texts = Some(tokio::spawn(self.state.sms_worker().run(stopped.clone())));
            Some(tokio::spawn(worker.run(stopped.clone())))
        } else {
            None
        };
        let purge = tokio::spawn(purge_idempotency_records(
            self.state.db.clone(),
            stopped_purge,
        ));
        // On PostgreSQL other processes may revoke credentials: remembered tokens are used only
        // while this process hears about it.
        let revocations = follows_revocations(&self.state).then(|| {
            let (db, cache) = (self.state.db.clone(), self.state.auth_cache.clone());
            tokio::spawn(async move { auth_cache::follow(&db, cache, stopped).await })
        });
        tracing::info!(addr = %self.local_addr, "serving; Swagger UI at /docs");
        let shutdown = async move {
            shutdown.await;
            let _ = stop_worker.send(true);
        };
        // Every phase of a connection is timed out, and connections are capped (see `serve`).
        let options = serve::ServeOptions {
            header_read_timeout: self.state.config.header_read_timeout,
            idle_timeout: self.state.config.idle_timeout,
            max_connections: self.state.config.max_connections,
            grace: Duration::from_secs(10),
            trusted_proxies: self.state.config.trusted_proxies.clone().into(),
        };
        serve::serve(self.listener, endpoint, options, shutdown).await?;
        purge.abort();
        if let Some(worker) = worker
            && tokio::time::timeout(Duration::from_secs(60), worker)
                .await
                .is_err()
        {
            tracing::warn!("mail worker did not stop within 60 s");
        }
        if let Some(webhooks) = webhooks
            && tokio::time::timeout(Duration::from_secs(30), webhooks)
                .await
                .is_err()
        {
            tracing::warn!("webhook worker did not stop within 30 s");
        }
        if let Some(texts) = texts
            && tokio::time::timeout(Duration::from_secs(30), texts)
                .await
                .is_err()
        {
            tracing::warn!("sms worker did not stop within 30 s");
        }
        if let Some(metrics) = metrics {
            let _ = tokio::time::timeout(Duration::from_secs(10), metrics).await;
        }
        if let Some(listener) = revocations {
            let _ = tokio::time::timeout(Duration::from_secs(10), listener).await;
        }
        self.state.db.clone().close().await.ok();
        Ok(())
    }
}

/// Forgets idempotency records older than a day: at start-up, then every hour until stopped.
async fn purge_idempotency_records(
    db: sea_orm::DatabaseConnection,
    mut stopped: tokio::sync::watch::Receiver<bool>,
) {
    let mut every_hour = tokio::time::interval(Duration::from_secs(3600));
    loop {
        tokio::select! {
            _ = every_hour.tick() => {
                if let Err(err) = services::idempotency::purge_expired(&db).await {
                    tracing::warn!(error = %err, "could not purge old idempotency records");
                }
            }
            _ = stopped.changed() => return,
        }
    }
}

/// The last resort when a handler panics: an opaque problem+json 500 (the panic is logged).
fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> poem::Response {
    poem::error::ResponseError::as_response(&error::ApiError::Internal(anyhow::anyhow!(
        "a request handler panicked"
    )))
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
    certificate_renderer_with(certificate::Artwork::default())
}

/// The certificate renderer with the committed fonts and the given signature image and logo.
pub fn certificate_renderer_with(
    artwork: certificate::Artwork,
) -> Result<certificate::CertificateRenderer, certificate::RenderError> {
    certificate::CertificateRenderer::with_artwork(
        include_bytes!("../assets/fonts/DejaVuSans.ttf").to_vec(),
        include_bytes!("../assets/fonts/DejaVuSerif-Bold.ttf").to_vec(),
        artwork,
    )
}

/// The whole HTTP surface: the API, its spec and Swagger UI, with errors as problem+json.
pub fn endpoint(state: AppState) -> impl Endpoint {
    let api = api::service();
    let spec_text: Arc<str> = api::spec_json().into();
    let allowed = Arc::new(allowed_methods::AllowedMethods::from_spec(
        &serde_json::from_str(&spec_text).expect("the spec is JSON"),
    ));
    let route_names = telemetry::http::RouteNames::new(allowed.clone());
    let spec = poem::endpoint::make_sync(move |_| {
        poem::Response::builder()
            .content_type("application/json; charset=utf-8")
            .body(spec_text.to_string())
    });
    let docs = api.swagger_ui();
    let docs_policy: Arc<str> =
        security_headers::inline_hashes_policy(&api.swagger_ui_html()).into();
    let https = web::cookies::secure(&state.config);

    let routes = Route::new()
        .nest("/", api)
        .at("/openapi.json", spec)
        .nest("/docs", docs);
    // Outermost first: headers on everything; a panic still becomes problem+json; limits before
    // any body is read; a page session becomes a bearer token before idempotency (which reads
    // the body) learns who the caller is.
    let routes = web::mount(routes);
    let routes = routes.around(|ep, req| async move { idempotency::handle(&ep, req).await });
    let routes = routes
        .around(|ep, req| async move { web::api_session::accept_page_session(&ep, req).await });
    let routes = routes.around(|ep, req| async move {
        // A database file deleted or replaced under the server: nothing is served from it.
        if req.uri().path() != "/health"
            && let Some(state) = req.data::<AppState>()
        {
            db::check_file(&state.db).map_err(error::ApiError::from)?;
        }
        ep.call(req).await.map(poem::IntoResponse::into_response)
    });
    let routes = routes.around(|ep, req| async move { limits::handle(&ep, req).await });
    // Boxed: the type of the nested middleware would otherwise outgrow the compiler's limits.
    let routes = routes.map_to_response().boxed();
    error::with_problem_errors(routes.data(state))
        .with(CatchPanic::new().with_handler(panic_response))
        .around(move |ep, req| {
            let policy = docs_policy.clone();
            let allowed = allowed.clone();
            async move { Ok(security_headers::handle(&ep, req, &policy, &allowed, https).await) }
        })
        .boxed()
        // Then text answers go out brotli- or gzip-compressed.
        .with(compression::Compression)
        // Outermost: the request id, its log span and access-log line, and the request metrics.
        .with(telemetry::http::Telemetry::new(route_names))
}
