//! Starts the gateway: reads the configuration, installs logging, serves until SIGTERM or
//! Ctrl-C, then shuts down gracefully.

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
}

#[tokio::main]
async fn main() -> ExitCode {
    let mode = match Cli::parse().command {
        None | Some(Command::Serve) => Mode::Serve,
        Some(Command::Projector) => Mode::Projector,
    };
    let settings = match Settings::load() {
        Ok(settings) => settings,
        Err(error) => {
            eprintln!("gateway: {error}");
            return ExitCode::from(2);
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
