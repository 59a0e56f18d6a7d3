//! The database connection: SQLite or PostgreSQL, picked by the URL scheme, migrated on connect.

use std::{
    collections::HashMap,
    path::PathBuf,
    sync::{
        Arc, Mutex, OnceLock,
        atomic::{AtomicU8, Ordering},
    },
    time::Duration,
};

use migration::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend,
    DbErr, EntityTrait, ExecResult, QueryResult, QuerySelect, Select, SqliteTransactionMode,
    Statement, TransactionOptions, TransactionTrait,
    prelude::async_trait,
    sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous},
};

/// Opens a pool on `url` and brings the schema up to date.
///
/// SQLite gets WAL journalling (readers never block the writer), `synchronous = FULL` (every
/// commit is on the disk before it is acknowledged: a power cut loses no enrolment a person was
/// told about; see OPERATIONS.md), foreign keys, a busy timeout
/// so concurrent writers wait rather than fail, and a pool of more than one connection
/// (sea-orm's SQLite default is a single connection, which would serialise every request).
pub async fn connect(url: &str, max_connections: u32) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(max_connections)
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(30))
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|opts| {
            opts.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(30))
        });
    let db = Database::connect(options).await?;
    let startup = startup_lock(&db).await?;
    remember_file(&db);
    Migrator::up(&db, None).await?;
    if let Some(startup) = startup {
        startup.commit().await?;
    }
    Ok(db)
}

/// The SQLite files this process opened, with the identity (device, inode) each had then.
fn opened_files() -> &'static Mutex<HashMap<PathBuf, (u64, u64)>> {
    static FILES: OnceLock<Mutex<HashMap<PathBuf, (u64, u64)>>> = OnceLock::new();
    FILES.get_or_init(Default::default)
}

fn sqlite_file(db: &DatabaseConnection) -> Option<PathBuf> {
    (db.get_database_backend() == DbBackend::Sqlite).then(|| {
        db.get_sqlite_connection_pool()
            .connect_options()
            .get_filename()
            .to_path_buf()
    })
}

fn identity(path: &std::path::Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

fn remember_file(db: &DatabaseConnection) {
    if let Some(path) = sqlite_file(db)
        && let Some(id) = identity(&path)
    {
        opened_files()
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .insert(path, id);
    }
}

/// On SQLite, checks that the database file is still the one opened at start-up: a file that
/// was deleted or replaced under the running server must not be written (the writes would be
/// lost, or go to a stranger's file), so every request and every write is refused until the
/// server is restarted. Always fine on PostgreSQL.
pub fn check_file(db: &DatabaseConnection) -> Result<(), DbErr> {
    let Some(path) = sqlite_file(db) else {
        return Ok(());
    };
    let opened = opened_files()
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .get(&path)
        .copied();
    match opened {
        Some(id) if identity(&path) != Some(id) => {
            tracing::error!(file = %path.display(), "the database file was deleted or replaced");
            Err(DbErr::ConnectionAcquire(
                sea_orm::error::ConnAcquireErr::ConnectionClosed,
            ))
        }
        _ => Ok(()),
    }
}

/// An arbitrary key naming the start-up lock among PostgreSQL advisory locks.
const STARTUP_LOCK_KEY: i64 = 0x0c55_d000_0001;

/// Takes the start-up lock on PostgreSQL: several instances started together on one database
/// (behind a load balancer) would otherwise all run the same migrations, or create the first
/// administrator, at once and fail on each other's tables and rows. The lock is a transaction's
/// advisory lock, held until the returned transaction ends (commit it when done); the work
/// itself runs on other connections of the pool. On SQLite there is nothing to take (`None`).
pub async fn startup_lock(db: &DatabaseConnection) -> Result<Option<DatabaseTransaction>, DbErr> {
    if !is_postgres(db) {
        return Ok(None);
    }
    let txn = db.begin().await?;
    txn.execute_unprepared(&format!("SELECT pg_advisory_xact_lock({STARTUP_LOCK_KEY})"))
        .await?;
    Ok(Some(txn))
}

/// Whether the connection is to PostgreSQL (as opposed to SQLite).
pub fn is_postgres(db: &DatabaseConnection) -> bool {
    db.get_database_backend() == DbBackend::Postgres
}

/// Begins a transaction that writes: on SQLite it takes the write lock at once (`BEGIN
/// IMMEDIATE`), so that a read-then-write inside it can never be overtaken by another writer.
/// (A deferred transaction that reads first cannot wait for the lock when it comes to write:
/// SQLite fails it with "database is locked" if another writer — the mail worker, say —
/// committed meanwhile. Every service that writes uses this.) On PostgreSQL it is an ordinary
/// transaction, in which the rows that serialise writers are locked with `SELECT … FOR UPDATE`
/// (see [`lock_for_update`]).
///
/// On SQLite the writers of this process first queue, in order, for their turn at the file
/// ([`WriteTxn`] holds the turn until it ends): left to SQLite, a writer finding the file locked
/// sleeps in its busy handler for up to 100 ms at a time, and under 16 concurrent enrolments
/// that put a 430 ms tail on requests that take 2 ms. Writers of other processes still wait in
/// the busy handler, up to the busy timeout.
pub async fn begin_write(db: &DatabaseConnection) -> Result<WriteTxn, DbErr> {
    check_file(db)?;
    let turn = match db.get_database_backend() {
        DbBackend::Sqlite => Some(write_queue(db).lock_owned().await),
        _ => None,
    };
    let txn = db
        .begin_with_options(TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..Default::default()
        })
        .await?;
    Ok(WriteTxn {
        txn,
        _turn: turn,
        wakes: outbox_wakes(db),
        queued: AtomicU8::new(0),
    })
}

/// An outbox drained by a worker: a commit that queued into it wakes that worker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outbox {
    Mail,
    Webhook,
    Sms,
}

impl Outbox {
    const ALL: [Outbox; 3] = [Outbox::Mail, Outbox::Webhook, Outbox::Sms];

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// The wake-ups of one database's outbox workers, shared by every writer of this process to
/// that database, so that a commit wakes the worker whoever committed (an API handler, a page,
/// a daily job) and never waits for the worker's next poll.
#[derive(Debug, Default)]
pub struct OutboxWakes {
    wakes: [Arc<tokio::sync::Notify>; Outbox::ALL.len()],
}

impl OutboxWakes {
    /// The worker of `outbox` waits on this.
    pub fn of(&self, outbox: Outbox) -> Arc<tokio::sync::Notify> {
        self.wakes[outbox as usize].clone()
    }
}

/// The wake-ups of `db`'s outbox workers (one set per database this process writes to).
pub fn outbox_wakes(db: &DatabaseConnection) -> Arc<OutboxWakes> {
    static WAKES: OnceLock<Mutex<HashMap<String, Arc<OutboxWakes>>>> = OnceLock::new();
    let mut wakes = WAKES
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    wakes.entry(database_key(db)).or_default().clone()
}

/// Names the database a connection writes to: the SQLite file, or PostgreSQL's host, port
/// and database.
fn database_key(db: &DatabaseConnection) -> String {
    match db.get_database_backend() {
        DbBackend::Sqlite => {
            let options = db.get_sqlite_connection_pool().connect_options();
            format!("sqlite:{}", options.get_filename().display())
        }
        DbBackend::Postgres => {
            let options = db.get_postgres_connection_pool().connect_options();
            format!(
                "postgres://{}:{}/{}",
                options.get_host(),
                options.get_port(),
                options.get_database().unwrap_or_default()
            )
        }
        other => format!("{other:?}"),
    }
}

/// The queue of this process's writers to one SQLite file.
fn write_queue(db: &DatabaseConnection) -> Arc<tokio::sync::Mutex<()>> {
    static QUEUES: OnceLock<Mutex<HashMap<PathBuf, Arc<tokio::sync::Mutex<()>>>>> = OnceLock::new();
    let file = db
        .get_sqlite_connection_pool()
        .connect_options()
        .get_filename()
        .to_path_buf();
    let mut queues = QUEUES
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    queues.entry(file).or_default().clone()
}

/// A writing transaction (see [`begin_write`]); on SQLite it holds this process's turn at the
/// file until it commits, rolls back or is dropped.
pub struct WriteTxn {
    // Declared first so that it ends before the turn is handed on.
    txn: DatabaseTransaction,
    _turn: Option<tokio::sync::OwnedMutexGuard<()>>,
    wakes: Arc<OutboxWakes>,
    /// The outboxes this transaction queued into, one bit each.
    queued: AtomicU8,
}

impl WriteTxn {
    /// Notes that this transaction queued into `outbox`: its worker is woken after the commit.
    /// (The outboxes' `queue` functions call this; they take a `WriteTxn` for that reason.)
    pub fn queued(&self, outbox: Outbox) {
        self.queued.fetch_or(outbox.bit(), Ordering::Relaxed);
    }

    /// Commits, hands the turn on, then wakes the worker of every outbox it queued into.
    /// (Dropped without a commit, it rolls back and wakes nobody.)
    pub async fn commit(self) -> Result<(), DbErr> {
        let WriteTxn {
            txn,
            _turn,
            wakes,
            queued,
        } = self;
        txn.commit().await?;
        drop(_turn);
        let queued = queued.into_inner();
        for outbox in Outbox::ALL {
            if queued & outbox.bit() != 0 {
                wakes.of(outbox).notify_one();
            }
        }
        Ok(())
    }
}

impl std::ops::Deref for WriteTxn {
    type Target = DatabaseTransaction;

    fn deref(&self) -> &DatabaseTransaction {
        &self.txn
    }
}

#[async_trait::async_trait]
impl ConnectionTrait for WriteTxn {
    fn get_database_backend(&self) -> DbBackend {
        self.txn.get_database_backend()
    }

    async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        self.txn.execute_raw(stmt).await
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        self.txn.execute_unprepared(sql).await
    }

    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        self.txn.query_one_raw(stmt).await
    }

    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        self.txn.query_all_raw(stmt).await
    }

    fn support_returning(&self) -> bool {
        self.txn.support_returning()
    }

    fn is_mock_connection(&self) -> bool {
        self.txn.is_mock_connection()
    }
}

/// Adds `FOR UPDATE` on PostgreSQL (SQLite is already serialised by [`begin_write`]).
pub fn lock_for_update<E: EntityTrait>(query: Select<E>, backend: DbBackend) -> Select<E> {
    if backend == DbBackend::Postgres {
        query.lock_exclusive()
    } else {
        query
    }
}

/// The pool's connections: how many are open, and how many of those are idle.
pub fn pool_connections(db: &DatabaseConnection) -> (u32, usize) {
    if is_postgres(db) {
        let pool = db.get_postgres_connection_pool();
        (pool.size(), pool.num_idle())
    } else {
        let pool = db.get_sqlite_connection_pool();
        (pool.size(), pool.num_idle())
    }
}
