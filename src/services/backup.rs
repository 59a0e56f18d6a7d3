//! Backups of the SQLite database: an online, consistent copy taken while the server writes
//! (`cssd backup FILE`), and its restore into an empty database (`cssd restore FILE`).
//!
//! The copy is SQLite's `VACUUM INTO`: it reads the database inside one read transaction, so it
//! is a snapshot of one instant (WAL mode lets the server's writers go on meanwhile), and writes
//! a compact, self-contained file (no `-wal` beside it) that is checked with `PRAGMA
//! integrity_check` before the command reports success. PostgreSQL has its own tools for this
//! (`pg_dump`, `pg_restore`); on a PostgreSQL `DATABASE_URL` both commands explain them
//! ([`POSTGRES_ADVICE`]) and fail, so that a scheduled job never believes a backup was made.

use std::path::{Path, PathBuf};

use sea_orm::{ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr, Statement};

/// What to do on PostgreSQL instead.
pub const POSTGRES_ADVICE: &str = "DATABASE_URL names a PostgreSQL database: back it up with \
PostgreSQL's own tool, which takes a consistent snapshot while the server runs:\n\
  pg_dump --format=custom --file=cssd-$(date +%F).dump \"$DATABASE_URL\"\n\
and restore it into an empty database (the server stopped) with:\n\
  pg_restore --clean --if-exists --no-owner --dbname=\"$DATABASE_URL\" cssd-2026-12-03.dump\n\
Then start the server: it brings the schema up to date.";

/// The tables whose rows make a database "not empty" for [`restore`] (a new server creates its
/// first administrator by itself, so accounts do not count).
const HELD_DATA: [&str; 4] = ["course", "organisation", "participant", "workshop"];

/// Why a backup or a restore was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{POSTGRES_ADVICE}")]
    Postgres,
    #[error("{0} already exists; choose a new file name (a backup never overwrites one)")]
    Exists(PathBuf),
    #[error(
        "the database {0} already holds data (courses, organisations, participants or \
         workshops); restoring would replace it. Stop the server and run again with --force \
         to replace it"
    )]
    NotEmpty(PathBuf),
    #[error("{0} is not a usable backup: {1}")]
    Unusable(PathBuf, String),
    #[error("{0} is not an SQLite database URL")]
    NotSqlite(String),
    #[error(transparent)]
    Database(#[from] DbErr),
    #[error("{0}: {1}")]
    File(PathBuf, std::io::Error),
}

/// What a backup wrote.
#[derive(Debug, Clone)]
pub struct BackupReport {
    pub file: PathBuf,
    pub bytes: u64,
}

/// SQLite's answer to `PRAGMA integrity_check`: `ok`, or the first problems found.
pub async fn integrity_check(db: &impl ConnectionTrait) -> Result<String, DbErr> {
    let rows = db
        .query_all_raw(Statement::from_string(
            DbBackend::Sqlite,
            "PRAGMA integrity_check",
        ))
        .await?;
    let lines: Vec<String> = rows
        .iter()
        .map(|r| r.try_get_by_index::<String>(0))
        .collect::<Result<_, _>>()?;
    Ok(lines.join("; "))
}

/// Writes a consistent copy of the (SQLite) database `db` to `file`, which must not exist, while
/// other connections go on writing; the copy is checked before this returns.
pub async fn backup(db: &DatabaseConnection, file: &Path) -> Result<BackupReport, BackupError> {
    if db.get_database_backend() != DbBackend::Sqlite {
        return Err(BackupError::Postgres);
    }
    if file.exists() {
        return Err(BackupError::Exists(file.to_owned()));
    }
    let target = file.to_string_lossy().replace('\'', "''");
    db.execute_unprepared(&format!("VACUUM INTO '{target}'"))
        .await?;
    let problems = check_file(file).await?;
    if let Some(problems) = problems {
        return Err(BackupError::Unusable(file.to_owned(), problems));
    }
    let bytes = std::fs::metadata(file)
        .map_err(|e| BackupError::File(file.to_owned(), e))?
        .len();
    Ok(BackupReport {
        file: file.to_owned(),
        bytes,
    })
}

/// Opens `file` read-only and checks it is a sound cssd database: `None` when it is, else why not.
async fn check_file(file: &Path) -> Result<Option<String>, BackupError> {
    if !file.is_file() {
        return Ok(Some("there is no such file".into()));
    }
    let url = format!("sqlite://{}?mode=ro", file.display());
    let copy = match Database::connect(url).await {
        Ok(copy) => copy,
        Err(e) => return Ok(Some(e.to_string())),
    };
    let verdict = match integrity_check(&copy).await {
        Ok(answer) if answer == "ok" => {
            let has_schema = copy
                .query_one_raw(Statement::from_string(
                    DbBackend::Sqlite,
                    "SELECT COUNT(*) FROM seaql_migrations",
                ))
                .await;
            match has_schema {
                Ok(_) => None,
                Err(_) => Some("it is not a cssd database (no migration history)".into()),
            }
        }
        Ok(answer) => Some(format!("PRAGMA integrity_check says: {answer}")),
        Err(e) => Some(e.to_string()),
    };
    copy.close().await.ok();
    Ok(verdict)
}

/// The file an SQLite URL names (`sqlite://path?mode=rwc`, `sqlite:path`).
fn sqlite_path(url: &str) -> Result<PathBuf, BackupError> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .ok_or_else(|| BackupError::NotSqlite(url.to_owned()))?;
    let path = rest.split('?').next().unwrap_or_default();
    if path.is_empty() || path == ":memory:" {
        return Err(BackupError::NotSqlite(url.to_owned()));
    }
    Ok(PathBuf::from(path))
}

/// Whether the database at `path` holds any data (see [`HELD_DATA`]).
async fn holds_data(path: &Path) -> Result<bool, BackupError> {
    if !path.exists() {
        return Ok(false);
    }
    let db = Database::connect(format!("sqlite://{}?mode=ro", path.display())).await?;
    let mut held = false;
    for table in HELD_DATA {
        // A table that does not exist yet holds nothing.
        if let Ok(Some(row)) = db
            .query_one_raw(Statement::from_string(
                DbBackend::Sqlite,
                format!("SELECT COUNT(*) FROM {table}"),
            ))
            .await
            && row.try_get_by_index::<i64>(0)? > 0
        {
            held = true;
            break;
        }
    }
    db.close().await.ok();
    Ok(held)
}

/// Restores the backup `file` into the SQLite database `database_url` (the server stopped):
/// refused when that database already holds data, unless `force`. The backup is checked first;
/// it replaces the database file whole (its `-wal` and `-shm` removed), then the schema is
/// brought up to date (a backup of an older version) and checked again.
pub async fn restore(database_url: &str, file: &Path, force: bool) -> Result<(), BackupError> {
    if database_url.starts_with("postgres") {
        return Err(BackupError::Postgres);
    }
    let target = sqlite_path(database_url)?;
    if let Some(problems) = check_file(file).await? {
        return Err(BackupError::Unusable(file.to_owned(), problems));
    }
    if !force && holds_data(&target).await? {
        return Err(BackupError::NotEmpty(target));
    }
    let io = |path: &Path| {
        let path = path.to_owned();
        move |e| BackupError::File(path, e)
    };
    // Copy beside the target, make it durable, then swap it in: a crash leaves either the old
    // database or the restored one, never half of each.
    let staged = target.with_extension("restoring");
    std::fs::copy(file, &staged).map_err(io(&staged))?;
    std::fs::File::open(&staged)
        .and_then(|f| f.sync_all())
        .map_err(io(&staged))?;
    for suffix in ["-wal", "-shm"] {
        let side = PathBuf::from(format!("{}{suffix}", target.display()));
        match std::fs::remove_file(&side) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(BackupError::File(side, e)),
        }
    }
    std::fs::rename(&staged, &target).map_err(io(&target))?;
    let db = crate::db::connect(database_url, 2).await?;
    let answer = integrity_check(&db).await?;
    db.close().await.ok();
    if answer != "ok" {
        return Err(BackupError::Unusable(file.to_owned(), answer));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_of_an_sqlite_url_is_its_path() {
        assert_eq!(
            sqlite_path("sqlite:///var/lib/cssd/cssd.db?mode=rwc").unwrap(),
            PathBuf::from("/var/lib/cssd/cssd.db")
        );
        assert_eq!(
            sqlite_path("sqlite:cssd.db").unwrap(),
            PathBuf::from("cssd.db")
        );
        assert!(sqlite_path("sqlite::memory:").is_err());
        assert!(sqlite_path("postgres://x/y").is_err());
    }
}
