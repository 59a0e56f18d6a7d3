//! Support for the integration tests and the benchmarks (the server never uses it): a throwaway
//! database, made empty and removed again when dropped.

use std::path::PathBuf;

use rand::Rng;
use sea_orm::{ConnectionTrait, Database};

/// A database that exists for as long as this value: an SQLite file in the temp directory, or a
/// database created on a PostgreSQL server and dropped (`WITH (FORCE)`) afterwards.
pub enum ScratchDatabase {
    Sqlite(PathBuf),
    Postgres { admin_url: String, name: String },
}

/// 64 random bits in hex, for names that do not collide between parallel runs.
pub fn random_suffix() -> String {
    let n: u64 = rand::rng().random();
    format!("{n:016x}")
}

impl ScratchDatabase {
    /// A new empty database named `<prefix>_<random>`: on the PostgreSQL server of `admin_url`
    /// (a `postgres://…/database` URL to connect to while creating it), or an SQLite file when
    /// there is none. Returns it with the URL to connect to it. Panics when it cannot be made:
    /// this is for tests and benchmarks.
    pub async fn create(admin_url: Option<String>, prefix: &str) -> (Self, String) {
        let name = format!("{prefix}_{}", random_suffix());
        match admin_url {
            Some(admin_url) => {
                assert!(
                    admin_url.starts_with("postgres://") || admin_url.starts_with("postgresql://"),
                    "{admin_url:?} is not a postgres:// URL"
                );
                let admin = Database::connect(admin_url.clone())
                    .await
                    .expect("connect to the PostgreSQL server");
                admin
                    .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                    .await
                    .expect("create a scratch database");
                admin.close().await.ok();
                let (base, _) = admin_url
                    .rsplit_once('/')
                    .expect("the PostgreSQL URL ends in /database");
                let url = format!("{base}/{name}");
                (ScratchDatabase::Postgres { admin_url, name }, url)
            }
            None => {
                let path = std::env::temp_dir().join(format!("{name}.db"));
                let url = format!("sqlite://{}?mode=rwc", path.display());
                (ScratchDatabase::Sqlite(path), url)
            }
        }
    }

    /// What and where it is, with any password hidden.
    pub fn describe(&self) -> String {
        match self {
            ScratchDatabase::Sqlite(path) => format!("SQLite (WAL), file {}", path.display()),
            ScratchDatabase::Postgres { admin_url, name } => {
                let server = admin_url
                    .rsplit_once('/')
                    .map_or(admin_url.as_str(), |p| p.0);
                format!(
                    "PostgreSQL, database {name} on {}",
                    crate::config::redact_url(server)
                )
            }
        }
    }
}

impl Drop for ScratchDatabase {
    fn drop(&mut self) {
        match self {
            ScratchDatabase::Sqlite(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let mut p = path.clone().into_os_string();
                    p.push(suffix);
                    let _ = std::fs::remove_file(p);
                }
            }
            ScratchDatabase::Postgres { admin_url, name } => {
                let (admin_url, db_name) = (admin_url.clone(), name.clone());
                // Dropping needs async I/O; do it on a runtime of its own so Drop can block
                // (also when a failed assertion unwinds through the caller's runtime).
                let dropped = std::thread::spawn(move || {
                    let rt = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .ok()?;
                    rt.block_on(async {
                        let db = Database::connect(admin_url).await.ok()?;
                        let done = db
                            .execute_unprepared(&format!(
                                "DROP DATABASE IF EXISTS \"{db_name}\" WITH (FORCE)"
                            ))
                            .await
                            .ok();
                        db.close().await.ok();
                        done
                    })
                })
                .join();
                if !matches!(dropped, Ok(Some(_))) {
                    eprintln!("warning: could not drop the scratch database {name}");
                }
            }
        }
    }
}

/// The log lines written on this thread while it lives, as JSON (`CSSD_LOG_FORMAT=json`), at
/// every level (less the HTTP plumbing's own tracing): for tests that read what the server
/// logs. A `#[tokio::test]` runs the app's tasks on its one thread, so their lines are caught.
///
/// One process-wide subscriber (installed by the first capture) writes to the buffer of the
/// thread an event happens on, and records nothing on a thread that does not capture: scoped
/// subscribers on parallel test threads would share tracing's per-callsite caches and miss
/// lines.
pub struct LogCapture {
    lines: std::sync::Arc<std::sync::Mutex<Vec<u8>>>,
}

type Buffer = std::sync::Arc<std::sync::Mutex<Vec<u8>>>;

thread_local! {
    static CAPTURING: std::cell::RefCell<Option<Buffer>> = const { std::cell::RefCell::new(None) };
}

fn capturing() -> Option<Buffer> {
    CAPTURING.with(|c| c.borrow().clone())
}

impl LogCapture {
    /// Starts capturing this thread's log lines.
    pub fn start() -> Self {
        static INSTALLED: std::sync::OnceLock<()> = std::sync::OnceLock::new();
        INSTALLED.get_or_init(|| {
            use tracing_subscriber::{Layer, filter::FilterExt, layer::SubscriberExt};
            let filter =
                tracing_subscriber::filter::dynamic_filter_fn(|_, _| capturing().is_some()).and(
                    tracing_subscriber::EnvFilter::new(
                        "trace,hyper=info,hyper_util=info,h2=info,reqwest=info,rustls=info",
                    ),
                );
            let layer = crate::telemetry::logging::layer(
                crate::config::LogFormat::Json,
                CaptureWriter,
                false,
            )
            .with_filter(filter);
            let _ =
                tracing::subscriber::set_global_default(tracing_subscriber::registry().with(layer));
        });
        let lines = Buffer::default();
        CAPTURING.with(|c| *c.borrow_mut() = Some(lines.clone()));
        Self { lines }
    }

    /// Everything captured so far.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.lines.lock().unwrap_or_else(|e| e.into_inner())).into_owned()
    }
}

impl Drop for LogCapture {
    fn drop(&mut self) {
        CAPTURING.with(|c| *c.borrow_mut() = None);
    }
}

/// Writes to the buffer of the thread it is made on (nothing when that thread does not capture).
struct CaptureWriter;

struct ThreadBuffer(Option<Buffer>);

impl std::io::Write for ThreadBuffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if let Some(lines) = &self.0 {
            lines
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .extend_from_slice(buf);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for CaptureWriter {
    type Writer = ThreadBuffer;

    fn make_writer(&'a self) -> Self::Writer {
        ThreadBuffer(capturing())
    }
}
