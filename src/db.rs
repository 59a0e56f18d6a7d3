//! The database connection: SQLite or PostgreSQL, picked by the URL scheme, migrated on connect.

use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectOptions, Database, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr,
    EntityTrait, QuerySelect, Select, SqliteTransactionMode, TransactionOptions, TransactionTrait,
    sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous},
};

/// Opens a pool on `url` and brings the schema up to date.
///
/// SQLite gets WAL journalling (readers never block the writer), foreign keys, a busy timeout
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
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(30))
        });
    let db = Database::connect(options).await?;
    Migrator::up(&db, None).await?;
    // Workshops recorded before the report tallies existed get theirs now (a no-op otherwise).
    let txn = begin_write(&db).await?;
    crate::services::tallies::refresh(&txn, crate::services::tallies::Scope::Missing).await?;
    txn.commit().await?;
    Ok(db)
}

/// Whether the connection is to PostgreSQL (as opposed to SQLite).
pub fn is_postgres(db: &DatabaseConnection) -> bool {
    db.get_database_backend() == DbBackend::Postgres
}

/// Begins a transaction that writes: on SQLite it takes the write lock at once (`BEGIN
/// IMMEDIATE`, waiting up to the busy timeout), so that a read-then-write inside it can never be
/// overtaken by another writer. (A deferred transaction that reads first cannot wait for the
/// lock when it comes to write: SQLite fails it with "database is locked" if another writer —
/// the mail worker, say — committed meanwhile. Every service that writes uses this.) On PostgreSQL it is an ordinary transaction, in which the rows
/// that serialise writers are locked with `SELECT … FOR UPDATE` (see [`lock_for_update`]).
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
}

/// Adds `FOR UPDATE` on PostgreSQL (SQLite is already serialised by [`begin_write`]).
pub fn lock_for_update<E: EntityTrait>(query: Select<E>, backend: DbBackend) -> Select<E> {
    if backend == DbBackend::Postgres {
        query.lock_exclusive()
    } else {
        query
    }
}
