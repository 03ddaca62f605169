//! Starts the gateway: reads the configuration, installs logging, serves until SIGTERM or
//! Ctrl-C, then shuts down gracefully.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use gateway::{Application, Mode, Settings, telemetry};

/// The e-Moatinet gateway. Configuration: config/gateway.toml (or APP_CONFIG_FILE), then
/// DATABASE_URL, then APP__<SECTION>__<KEY> variables.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the HTTP API (the default), with the projections and workers unless
    /// projections.enabled is false.
    Serve,
    /// Run only the projections, the outbox and the reminders (with /health and /metrics).
    Projector,
    /// Manage the signatories' keystore (signing.keystore, or --keystore).
    Signing {
        /// The keystore folder; signing.keystore when absent.
        #[arg(long, global = true)]
        keystore: Option<PathBuf>,
        #[command(subcommand)]
        action: SigningAction,
    },
}

#[derive(Debug, Subcommand)]
enum SigningAction {
    /// Create a local certification authority (development and tests only: production
    /// uses the national agency's certificates).
    InitCa {
        /// The authority's common name.
        #[arg(long, default_value = "e-Moatinet development CA")]
        name: String,
        /// Validity in days.
        #[arg(long, default_value_t = 3650)]
        days: i64,
    },
    /// Issue a signatory certificate to an agent's account; prints its serial number.
    Issue {
        /// The agent's account id.
        #[arg(long)]
        actor: kernel::ActorId,
        /// Validity in days.
        #[arg(long, default_value_t = 365)]
        days: i64,
    },
    /// Revoke a certificate from now on (a new revocation list is written).
    Revoke {
        /// The certificate's serial number (hexadecimal).
        #[arg(long)]
        serial: String,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    let command = Cli::parse().command;
    let settings = match Settings::load() {
        Ok(settings) => settings,
        Err(error) => {
            eprintln!("gateway: {error}");
            return ExitCode::from(2);
        }
    };
    let mode = match command {
        None | Some(Command::Serve) => Mode::Serve,
        Some(Command::Projector) => Mode::Projector,
        Some(Command::Signing { keystore, action }) => {
            return signing_command(keystore.or(settings.signing.keystore), action);
        }
    };
    telemetry::init(&settings.log);
    let application = match Application::build_as(settings, mode).await {
        Ok(application) => application,
        Err(error) => {
            tracing::error!(%error, "gateway could not start");
            return ExitCode::FAILURE;
        }
    };
    match application.run_until(shutdown_signal()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(%error, "gateway stopped on an error");
            ExitCode::FAILURE
        }
    }
}

/// Runs a keystore command; prints what it made.
fn signing_command(keystore: Option<PathBuf>, action: SigningAction) -> ExitCode {
    let Some(folder) = keystore else {
        eprintln!("gateway signing: set signing.keystore or pass --keystore");
        return ExitCode::from(2);
    };
    let keystore = signing::Keystore::new(folder);
    let now = chrono::Utc::now();
    let result = match action {
        SigningAction::InitCa { name, days } => {
            signing::init_development_authority(&keystore, &name, now, chrono::Duration::days(days))
                .map(|_| format!("authority {name:?} created in {}", keystore.dir().display()))
        }
        SigningAction::Issue { actor, days } => {
            signing::issue_signatory(&keystore, actor, now, chrono::Duration::days(days))
        }
        SigningAction::Revoke { serial } => signing::revoke(&keystore, &serial, now)
            .map(|()| format!("{serial} revoked from {now}")),
    };
    match result {
        Ok(message) => {
            use std::io::Write;
            // The serial number or the result is the command's output, for scripts.
            match writeln!(std::io::stdout(), "{message}") {
                Ok(()) => ExitCode::SUCCESS,
                Err(_) => ExitCode::FAILURE,
            }
        }
        Err(error) => {
            eprintln!("gateway signing: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Completes on SIGTERM (what service managers send) or Ctrl-C.
async fn shutdown_signal() {
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    tokio::select! {
        () = terminate => {}
        _ = tokio::signal::ctrl_c() => {}
    }
}
