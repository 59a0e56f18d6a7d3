//! Backups: `cssd backup` takes a consistent copy while the server writes, `cssd restore` puts
//! it into an empty database (and refuses one holding data without `--force`).

use std::{cell::RefCell, path::PathBuf};

use cssd::services::backup::{self, BackupError};
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use serde_json::json;

use crate::helpers::{eventually, future_monday, spawn_app};

fn scratch_file(what: &str) -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    std::env::temp_dir().join(format!("cssd-{what}-{}-{nanos}.db", std::process::id()))
}

async fn single(db: &impl ConnectionTrait, sql: &str) -> i64 {
    db.query_one_raw(Statement::from_string(DbBackend::Sqlite, sql))
        .await
        .unwrap()
        .unwrap()
        .try_get_by_index::<i64>(0)
        .unwrap()
}

#[tokio::test]
#[cfg_attr(
    test_db_postgres,
    ignore = "SQLite's online backup; PostgreSQL uses pg_dump"
)]
async fn a_backup_taken_during_a_burst_of_enrolments_restores_sound_with_every_committed_row() {
    let app = spawn_app().await;
    let course = app.course("WQ", 5).await;
    let mut workshops = Vec::new();
    for _ in 0..3 {
        let w = app.workshop(course, &future_monday(), 20).await;
        workshops.push(w["id"].as_i64().unwrap());
    }
    let mut people = Vec::new();
    for i in 0..60 {
        people.push(app.participant(&format!("Person {i}")).await);
    }
    let acknowledged = RefCell::new(Vec::new());
    let file = scratch_file("backup");

    let burst = async {
        for (i, &p) in people.iter().enumerate() {
            let workshop = workshops[i % 3];
            let resp = app
                .post(
                    &format!("/api/v1/workshops/{workshop}/enrolments"),
                    json!({"participant_id": p}),
                )
                .await;
            assert_eq!(resp.status, 201, "{}", resp.text);
            acknowledged.borrow_mut().push(p);
        }
    };
    let take_backup = async {
        eventually("a third of the enrolments acknowledged", || async {
            acknowledged.borrow().len() >= 20
        })
        .await;
        let committed_before = acknowledged.borrow().clone();
        let report = backup::backup(&app.state.db, &file).await.unwrap();
        assert!(report.bytes > 0);
        committed_before
    };
    let ((), committed_before) = tokio::join!(burst, take_backup);
    assert_eq!(
        acknowledged.borrow().len(),
        60,
        "the burst went on during the backup"
    );

    // A backup never overwrites a file.
    assert!(matches!(
        backup::backup(&app.state.db, &file).await,
        Err(BackupError::Exists(_))
    ));

    // Restored into a fresh database: sound, with every row committed before the backup began,
    // and the tallies agreeing with the rows (one instant, not a mixture).
    let target = scratch_file("restored");
    let url = format!("sqlite://{}?mode=rwc", target.display());
    backup::restore(&url, &file, false).await.unwrap();
    let restored = cssd::db::connect(&url, 2).await.unwrap();
    assert_eq!(backup::integrity_check(&restored).await.unwrap(), "ok");
    for p in &committed_before {
        let n = single(
            &restored,
            &format!(
                "SELECT COUNT(*) FROM enrolment WHERE participant_id = {p} \
                 AND status = 'enrolled'"
            ),
        )
        .await;
        assert_eq!(
            n, 1,
            "participant {p}'s enrolment was committed before the backup"
        );
    }
    let rows = single(
        &restored,
        "SELECT COUNT(*) FROM enrolment WHERE status = 'enrolled'",
    )
    .await;
    assert!(rows >= committed_before.len() as i64 && rows <= 60);
    let tallied = single(
        &restored,
        "SELECT CAST(SUM(enrolled) AS INTEGER) FROM workshop_stats",
    )
    .await;
    assert_eq!(
        tallied, rows,
        "the copy is one instant: the tallies match its rows"
    );
    assert_eq!(
        single(&restored, "SELECT COUNT(*) FROM participant").await,
        60
    );
    restored.close().await.unwrap();

    // Now the database holds data: a second restore is refused without --force, and changes
    // nothing; with it, it replaces the database.
    let refused = backup::restore(&url, &file, false).await;
    assert!(
        matches!(refused, Err(BackupError::NotEmpty(_))),
        "{refused:?}"
    );
    let message = refused.unwrap_err().to_string();
    assert!(message.contains("--force"), "{message}");
    backup::restore(&url, &file, true).await.unwrap();
    let restored = cssd::db::connect(&url, 2).await.unwrap();
    assert_eq!(backup::integrity_check(&restored).await.unwrap(), "ok");
    restored.close().await.unwrap();

    // Something that is not a backup is refused before anything is touched.
    let junk = scratch_file("junk");
    std::fs::write(&junk, b"not a database").unwrap();
    assert!(matches!(
        backup::restore(&url, &junk, true).await,
        Err(BackupError::Unusable(..))
    ));
    for f in [&file, &target, &junk] {
        std::fs::remove_file(f).ok();
    }
}

#[tokio::test]
#[cfg_attr(not(test_db_postgres), ignore = "needs PostgreSQL")]
async fn on_postgresql_backup_and_restore_explain_pg_dump_instead() {
    let app = spawn_app().await;
    let refused = backup::backup(&app.state.db, &scratch_file("pg")).await;
    let message = refused.unwrap_err().to_string();
    assert!(
        message.contains("pg_dump") && message.contains("pg_restore"),
        "{message}"
    );
    let refused = backup::restore("postgres://x@localhost/y", &scratch_file("pg"), false).await;
    assert!(matches!(refused, Err(BackupError::Postgres)));
}
