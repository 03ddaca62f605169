//! Building and running the gateway: store and migrations, key vault, projections, router,
//! listener, graceful shutdown.

use std::future::Future;
use std::io::Write;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, Request, StatusCode};
use axum::routing::get;
use event_store::{
    MasterKey, ProjectionRunner, RunnerError, RunnerSettings, SqlKeyVault, Store, StoreConfig,
    StoreError,
};
use kernel::personal_data::PersonalDataCipher;
use metrics_exporter_prometheus::PrometheusHandle;
use secrecy::ExposeSecret;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tower::ServiceBuilder;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::config::{Settings, VaultSettings};
use crate::error::ApiError;
use crate::routes;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");
const CORRELATION_ID: HeaderName = HeaderName::from_static("x-correlation-id");

/// What every handler can reach.
#[derive(Clone, Debug)]
pub struct AppState {
    /// The event store.
    pub store: Store,
    /// The projections this process runs.
    pub runner: ProjectionRunner,
    /// Seals and opens personal data.
    pub cipher: PersonalDataCipher,
    /// Renders the metrics.
    pub metrics: PrometheusHandle,
}

/// The gateway could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    /// The store (or the vault's database) could not be opened or migrated.
    #[error("cannot open the store: {0}")]
    Store(#[from] StoreError),
    /// The master key is missing, unreadable or malformed.
    #[error("master key: {0}")]
    MasterKey(String),
    /// The projections could not be set up.
    #[error("projections: {0}")]
    Projections(#[from] RunnerError),
    /// The metrics recorder could not be installed.
    #[error("metrics: {0}")]
    Metrics(String),
    /// The listener could not be bound.
    #[error("cannot listen: {0}")]
    Listen(#[from] std::io::Error),
}

/// A built gateway, bound to its port, not yet serving.
#[derive(Debug)]
pub struct Application {
    listener: TcpListener,
    router: Router,
    state: AppState,
    settings: Settings,
}

impl Application {
    /// Opens the store (creating and migrating it as needed), the vault and the
    /// projections, and binds the listener.
    pub async fn build(settings: Settings) -> Result<Self, StartupError> {
        let store = Store::connect(&settings.store).await?;
        let cipher = open_vault(&store, &settings.vault, &settings.store).await?;
        let runner = ProjectionRunner::new(
            store.clone(),
            RunnerSettings {
                batch_size: settings.projections.batch_size,
                idle_poll: Duration::from_millis(settings.projections.idle_poll_ms),
                ..RunnerSettings::default()
            },
            Vec::new(),
        )?;
        let state = AppState {
            store,
            runner,
            cipher,
            metrics: crate::metrics::recorder().map_err(StartupError::Metrics)?,
        };
        let router = router(state.clone(), &settings);
        let listener =
            TcpListener::bind((settings.server.host.as_str(), settings.server.port)).await?;
        Ok(Self {
            listener,
            router,
            state,
            settings,
        })
    }

    /// The address it listens on.
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// The shared state (tests inspect the store through it).
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `shutdown` completes, then lets requests in flight finish (within the
    /// grace period), stops the projections and closes the store.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let address = self.local_addr()?;
        let stop_projections = CancellationToken::new();
        let projection_tasks = if self.settings.projections.enabled {
            self.state.runner.spawn(stop_projections.clone())
        } else {
            Vec::new()
        };
        tracing::info!(%address, backend = ?self.state.store.kind(), "gateway listening");

        let grace = Duration::from_secs(self.settings.server.shutdown_grace_seconds);
        let (signalled_tx, signalled_rx) = tokio::sync::oneshot::channel::<()>();
        let server = axum::serve(self.listener, self.router).with_graceful_shutdown(async move {
            shutdown.await;
            tracing::info!("shutting down: no new connections, finishing requests in flight");
            let _ = signalled_tx.send(());
        });
        let served = async {
            let mut server = std::pin::pin!(server.into_future());
            tokio::select! {
                result = &mut server => result,
                () = async {
                    let _ = signalled_rx.await;
                    tokio::time::sleep(grace).await;
                } => {
                    tracing::warn!("requests still in flight after the grace period: closing");
                    Ok(())
                }
            }
        };
        let result = served.await;
        stop_projections.cancel();
        for task in projection_tasks {
            let _ = task.await;
        }
        self.state.store.close().await;
        tracing::info!("gateway stopped");
        result
    }
}

fn router(state: AppState, settings: &Settings) -> Router {
    let request_timeout = Duration::from_secs(settings.server.request_timeout_seconds);
    Router::new()
        .route("/health", get(routes::health::health))
        .route("/metrics", get(routes::metrics::metrics))
        .fallback(|| async { ApiError::NotFound })
        .with_state(state)
        .layer(axum::middleware::from_fn(crate::metrics::track))
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
                .layer(
                    TraceLayer::new_for_http()
                        .make_span_with(request_span)
                        .on_response(DefaultOnResponse::new().level(Level::INFO)),
                )
                .layer(PropagateRequestIdLayer::new(REQUEST_ID))
                .layer(TimeoutLayer::with_status_code(
                    StatusCode::REQUEST_TIMEOUT,
                    request_timeout,
                ))
                .layer(DefaultBodyLimit::max(settings.server.body_limit_bytes)),
        )
}

/// The span every log line of a request is logged in: method, path, request and
/// correlation ids (the caller's `x-correlation-id` when it is a sane token, else the
/// request id, so that one user action can be followed across services).
fn request_span<B>(request: &Request<B>) -> tracing::Span {
    let header = |name: &HeaderName| {
        request
            .headers()
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
            .filter(|v| !v.is_empty() && v.len() <= 128 && v.bytes().all(|b| b.is_ascii_graphic()))
    };
    let request_id = header(&REQUEST_ID).unwrap_or("-");
    let correlation_id = header(&CORRELATION_ID).unwrap_or(request_id);
    tracing::info_span!(
        "request",
        method = %request.method(),
        path = %request.uri().path(),
        request_id,
        correlation_id,
    )
}

async fn open_vault(
    store: &Store,
    settings: &VaultSettings,
    store_settings: &StoreConfig,
) -> Result<PersonalDataCipher, StartupError> {
    let master = master_key(settings)?;
    let vault_store = match &settings.url {
        Some(url) if *url != store_settings.url => {
            Store::connect(&StoreConfig {
                url: url.clone(),
                ..store_settings.clone()
            })
            .await?
        }
        _ => store.clone(),
    };
    Ok(PersonalDataCipher::new(Arc::new(SqlKeyVault::new(
        vault_store,
        master,
    ))))
}

fn master_key(settings: &VaultSettings) -> Result<MasterKey, StartupError> {
    if let Some(secret) = &settings.master_key {
        return MasterKey::from_base64(secret.expose_secret())
            .map_err(|e| StartupError::MasterKey(format!("vault.master_key: {e}")));
    }
    let path = &settings.master_key_file;
    match std::fs::read_to_string(path) {
        Ok(text) => MasterKey::from_base64(&text)
            .map_err(|e| StartupError::MasterKey(format!("{}: {e}", path.display()))),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            let key = MasterKey::generate().map_err(|e| StartupError::MasterKey(e.to_string()))?;
            write_new_key(path, &key)
                .map_err(|e| StartupError::MasterKey(format!("{}: {e}", path.display())))?;
            tracing::warn!(
                path = %path.display(),
                "no master key configured: generated a new one; set vault.master_key from a \
                 managed secret in production"
            );
            Ok(key)
        }
        Err(error) => Err(StartupError::MasterKey(format!(
            "{}: {error}",
            path.display()
        ))),
    }
}

fn write_new_key(path: &Path, key: &MasterKey) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    if let Some(folder) = path.parent().filter(|f| !f.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder)?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(key.to_base64().as_bytes())
}
