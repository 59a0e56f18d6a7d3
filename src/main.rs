//! `cssd`: serve the CSSD Training API, or write its OpenAPI spec.

use std::{net::TcpListener, path::PathBuf};

use anyhow::Context;
use clap::{Parser, Subcommand};
use cssd::{Application, Config};

/// CSSD Training API server.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    /// Seed demo data (the CSSD and CC courses, organisations, ...) before serving.
    #[arg(long, global = true)]
    demo: bool,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API (the default).
    Serve,
    /// Fill the database (`DATABASE_URL`) with a large generated dataset for benchmarks.
    Seed {
        /// How many workshops (rounded up to whole cascades of 13).
        #[arg(long, default_value_t = 10_000)]
        workshops: u64,
        /// Seed of the random generator (the same seed gives the same data).
        #[arg(long, default_value_t = 2026)]
        seed: u64,
    },
    /// Manage the keys digital credentials are signed with.
    Keys {
        #[command(subcommand)]
        action: KeysAction,
    },
    /// Write a consistent copy of the database to FILE while the server runs (SQLite; on
    /// PostgreSQL it explains pg_dump).
    Backup {
        /// The new file to write (never overwritten).
        file: PathBuf,
    },
    /// Restore a backup made by `cssd backup` into DATABASE_URL (stop the server first).
    Restore {
        /// The backup file.
        file: PathBuf,
        /// Replace a database that already holds data.
        #[arg(long)]
        force: bool,
    },
    /// Write the OpenAPI spec (to stdout, or to the given file).
    Openapi {
        /// Where to write it, e.g. openapi/openapi.json.
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum KeysAction {
    /// Start signing with a new key; the old ones stay published, so credentials already issued
    /// keep verifying. Running servers pick the new key up at their next signature.
    Rotate,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    if let Some(Command::Openapi { out }) = &cli.command {
        let spec = cssd::api::spec_json();
        match out {
            Some(path) => {
                std::fs::write(path, spec).with_context(|| format!("writing {}", path.display()))?
            }
            None => print!("{spec}"),
        }
        return Ok(());
    }

    let config = Config::from_env()?;
    cssd::telemetry::logging::init(config.log_format);
    if let Some(Command::Seed { workshops, seed }) = cli.command {
        let db = cssd::db::connect(&config.database_url, config.db_max_connections).await?;
        let started = std::time::Instant::now();
        let made = cssd::seed::generate(&db, workshops, seed).await?;
        tracing::info!(?made, seconds = started.elapsed().as_secs_f64(), "seeded");
        return Ok(());
    }
    if let Some(Command::Backup { file }) = &cli.command {
        if config.database_url.starts_with("postgres") {
            anyhow::bail!("{}", cssd::services::backup::POSTGRES_ADVICE);
        }
        let db = cssd::db::connect(&config.database_url, 2).await?;
        let report = cssd::services::backup::backup(&db, file).await?;
        println!("{} ({} bytes)", report.file.display(), report.bytes);
        tracing::info!(file = %report.file.display(), bytes = report.bytes, "backup written and checked");
        return Ok(());
    }
    if let Some(Command::Restore { file, force }) = &cli.command {
        cssd::services::backup::restore(&config.database_url, file, *force).await?;
        tracing::info!(file = %file.display(), "backup restored and checked");
        return Ok(());
    }
    if let Some(Command::Keys {
        action: KeysAction::Rotate,
    }) = cli.command
    {
        let db = cssd::db::connect(&config.database_url, config.db_max_connections).await?;
        let kid = cssd::services::credentials::rotate(&db, &config).await?;
        println!("{kid}");
        tracing::info!(%kid, "credentials are signed with a new key from now on");
        return Ok(());
    }
    tracing::info!(?config, "starting");
    let listener =
        TcpListener::bind(config.bind).with_context(|| format!("binding {}", config.bind))?;
    let app = Application::build(config, listener).await?;
    if cli.demo {
        cssd::demo::seed(app.state()).await?;
    }
    app.run(shutdown_signal()).await?;
    tracing::info!("stopped");
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        tokio::signal::ctrl_c().await.ok();
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
