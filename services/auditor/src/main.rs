//! `auditor`: verify, replay and export the event log, read-only.
//!
//! Exit codes: 0 all checks passed; 1 a check failed or stored data is unreadable; 2 the
//! command line or configuration is wrong; 3 the store or the output failed.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use auditor::error::AuditorError;
use auditor::export::{Selection, export};
use auditor::replay::replay;
use auditor::verify::{Checks, verify};
use clap::{Parser, Subcommand};
use event_store::{Cursor, MasterKey, SqlKeyVault, Store, StoreConfig};
use indicatif::{ProgressBar, ProgressStyle};
use kernel::personal_data::PersonalDataCipher;
use signing::LogPublicKey;

/// Read-only audit of the e-Moatinet event log.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Cli {
    /// The store (`postgres://...` or `sqlite://...`), opened read-only.
    #[arg(long, env = "DATABASE_URL")]
    database_url: String,
    /// What to do.
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check every stream's hash chain (reporting the first broken link), every signed tree
    /// head, and every signed answer.
    Verify {
        /// The log's public key (PEM, from GET /api/v1/log/public-key): heads' signatures
        /// are checked with it.
        #[arg(long)]
        log_key: Option<PathBuf>,
        /// A signed tree head you kept (JSON, as GET /api/v1/log/tree-heads/latest gives
        /// it); repeatable.
        #[arg(long = "head")]
        heads: Vec<PathBuf>,
        /// The signatories' keystore (its authority and revocation list): answers are
        /// checked, with --master-key-file to open their texts.
        #[arg(long)]
        keystore: Option<PathBuf>,
        /// The master key file, to open the answers' texts.
        #[arg(long, env = "AUDITOR_MASTER_KEY_FILE")]
        master_key_file: Option<PathBuf>,
        /// The key vault's database, when not the store's.
        #[arg(long)]
        vault_url: Option<String>,
    },
    /// Rebuild an aggregate's state from its events, with its history.
    Replay {
        /// `Aggregate::TYPE` (`CitizenFile`, `RegisteredOrganisation`, `Visit`...).
        aggregate_type: String,
        /// The aggregate's id.
        aggregate_id: String,
        /// Stop after the event at this global position.
        #[arg(long, conflicts_with = "as_of")]
        as_of_position: Option<i64>,
        /// Stop after the last event recorded at or before this instant (RFC 3339).
        #[arg(long)]
        as_of: Option<chrono::DateTime<chrono::Utc>>,
    },
    /// Rebuild a projection into a scratch store and compare it with the live one.
    Rebuild {
        /// The projection's name (`watcher.coverage`...); `--list` shows them.
        #[arg(required_unless_present = "list")]
        projection: Option<String>,
        /// List the projections that can be rebuilt.
        #[arg(long)]
        list: bool,
    },
    /// Write the log as NDJSON.
    Export {
        /// Only this aggregate type.
        #[arg(long = "type")]
        aggregate_type: Option<String>,
        /// Only this stream (with --type).
        #[arg(long, requires = "aggregate_type")]
        id: Option<String>,
        /// From this global position.
        #[arg(long)]
        from: Option<i64>,
        /// Up to this global position.
        #[arg(long)]
        to: Option<i64>,
        /// The master key file: personal data is shown where its key still exists.
        #[arg(long, env = "AUDITOR_MASTER_KEY_FILE")]
        master_key_file: Option<PathBuf>,
        /// The key vault's database, when not the store's.
        #[arg(long)]
        vault_url: Option<String>,
        /// Output file (`-` for standard output).
        #[arg(long, default_value = "-")]
        out: String,
    },
}

fn progress(total: u64) -> ProgressBar {
    let bar = ProgressBar::new(total);
    if let Ok(style) =
        ProgressStyle::with_template("{bar:40} {pos}/{len} events ({per_sec}, {eta})")
    {
        bar.set_style(style);
    }
    bar
}

fn read(path: &std::path::Path) -> Result<String, AuditorError> {
    std::fs::read_to_string(path)
        .map_err(|e| AuditorError::Usage(format!("{}: {e}", path.display())))
}

/// Opens personal data with the master key in `master_key_file`, the vault being in the
/// store's database or at `vault_url`.
async fn cipher(
    store: &Store,
    master_key_file: Option<PathBuf>,
    vault_url: Option<String>,
) -> Result<Option<PersonalDataCipher>, AuditorError> {
    let Some(path) = master_key_file else {
        return Ok(None);
    };
    let master = MasterKey::from_base64(&read(&path)?)
        .map_err(|e| AuditorError::Usage(format!("{}: {e}", path.display())))?;
    let vault_store = match vault_url {
        Some(url) => {
            Store::open_read_only(&StoreConfig {
                url,
                ..StoreConfig::default()
            })
            .await?
        }
        None => store.clone(),
    };
    Ok(Some(PersonalDataCipher::new(Arc::new(SqlKeyVault::new(
        vault_store,
        master,
    )))))
}

async fn run(cli: Cli) -> Result<bool, AuditorError> {
    let store = Store::open_read_only(&StoreConfig {
        url: cli.database_url.clone(),
        ..StoreConfig::default()
    })
    .await?;
    match cli.command {
        Command::Verify {
            log_key,
            heads,
            keystore,
            master_key_file,
            vault_url,
        } => {
            let checks = Checks {
                log_key: log_key
                    .map(|path| {
                        LogPublicKey::from_public_key_pem(&read(&path)?)
                            .map_err(|e| AuditorError::Usage(format!("{}: {e}", path.display())))
                    })
                    .transpose()?,
                kept_heads: heads
                    .iter()
                    .map(|path| {
                        serde_json::from_str(&read(path)?)
                            .map_err(|e| AuditorError::Usage(format!("{}: {e}", path.display())))
                    })
                    .collect::<Result<_, _>>()?,
                keystore: keystore.map(signing::Keystore::new),
                cipher: cipher(&store, master_key_file, vault_url).await?,
            };
            let report = verify(&store, &checks).await?;
            println!("{}", serde_json::to_string_pretty(&report)?);
            Ok(report.passed())
        }
        Command::Replay {
            aggregate_type,
            aggregate_id,
            as_of_position,
            as_of,
        } => {
            let until = match (as_of_position, as_of) {
                (Some(position), _) => Some(store.log().cursor_at(position).await?),
                (None, Some(at)) => Some(store.log().cursor_as_of(at).await?),
                (None, None) => None::<Cursor>,
            };
            let replayed = replay(&store, &aggregate_type, &aggregate_id, until).await?;
            println!("{}", serde_json::to_string_pretty(&replayed)?);
            Ok(true)
        }
        Command::Rebuild { projection, list } => {
            let all = auditor::rebuild::projections()?;
            if list {
                for projection in &all {
                    println!("{}", projection.name());
                }
                return Ok(true);
            }
            let name = projection.unwrap_or_default();
            let projection = all.iter().find(|p| p.name() == name).ok_or_else(|| {
                AuditorError::Usage(format!("no projection `{name}` (see --list)"))
            })?;
            let comparison = auditor::rebuild::rebuild(&store, projection.as_ref()).await?;
            println!("{}", serde_json::to_string_pretty(&comparison)?);
            Ok(comparison.identical())
        }
        Command::Export {
            aggregate_type,
            id,
            from,
            to,
            master_key_file,
            vault_url,
            out,
        } => {
            let cipher = cipher(&store, master_key_file, vault_url).await?;
            let selection = Selection {
                aggregate_type,
                aggregate_id: id,
                from,
                to,
            };
            let bar = progress(store.log().count().await?);
            let mut writer: Box<dyn Write> = if out == "-" {
                Box::new(std::io::stdout().lock())
            } else {
                Box::new(std::io::BufWriter::new(std::fs::File::create(&out)?))
            };
            let written = export(&store, &selection, cipher.as_ref(), &mut writer, &bar).await?;
            writer.flush()?;
            bar.finish_and_clear();
            eprintln!("{written} events exported");
            Ok(true)
        }
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli).await {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(error) => {
            eprintln!("auditor: {error}");
            ExitCode::from(error.exit_code())
        }
    }
}
