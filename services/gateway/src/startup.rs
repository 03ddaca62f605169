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

use kernel::calendar::HolidayCalendar;
use projections::delivery::{EmailChannel, FeedChannel, WebhookChannel};
use projections::messages::Catalog;
use projections::{
    AuthorNotifications, Channels, ConfiguredRecipients, FeedProjection, ObligationsProjection,
    OutboxWorker, ReminderWorker,
};

use crate::config::{Settings, VaultSettings};
use crate::error::ApiError;
use crate::routes;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");
const CORRELATION_ID: HeaderName = HeaderName::from_static("x-correlation-id");

/// What a process does.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Mode {
    /// The HTTP API, and the projections and workers unless `projections.enabled` is off.
    #[default]
    Serve,
    /// Only the projections and workers, with `/health` and `/metrics`: the separate
    /// projector process of a deployment with several API processes.
    Projector,
}

/// The background workers of a process.
#[derive(Clone, Debug)]
struct Workers {
    outbox: OutboxWorker,
    reminders: ReminderWorker,
}

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
    /// Accounts, sessions, grants, organisations.
    pub identity: crate::auth::IdentityStore,
    /// "Now" (a manual clock in tests).
    pub clock: Arc<dyn kernel::Clock>,
    /// Session and password rules.
    pub auth: crate::config::AuthSettings,
    /// The organisation directory, loaded from the identity tables.
    pub directory: kernel::InMemoryDirectory,
    /// Messages in Arabic and French.
    pub catalog: Arc<Catalog>,
    /// The portal's public address.
    pub public_url: String,
    /// The aggregates.
    pub domains: Arc<crate::domains::Domains>,
    /// Who may call each route.
    pub routes: Arc<Vec<crate::api::access::RouteAccess>>,
    /// Rate limiters.
    pub limits: Arc<crate::api::limits::RateLimits>,
    /// Largest request body, in bytes.
    pub body_limit: usize,
    /// Attachment storage.
    pub attachments: crate::api::attachments::AttachmentSettings,
    /// The organisations the rules name, when configured.
    pub organisations: crate::config::PlatformOrganisations,
    /// The signatories' keystore, when configured (verifying answers needs its authority).
    pub keystore: Option<signing::Keystore>,
    /// The log's Merkle tree and signed heads.
    pub transparency: Arc<crate::transparency::Transparency>,
    /// The legal calendar (local dates, working days).
    pub calendar: HolidayCalendar,
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
    /// The log's signing key is unreadable or malformed.
    #[error("log key: {0}")]
    LogKey(String),
    /// A notification channel or the message catalogue is misconfigured.
    #[error("notifications: {0}")]
    Notifications(String),
}

/// A built gateway, bound to its port, not yet serving.
#[derive(Debug)]
pub struct Application {
    listener: TcpListener,
    router: Router,
    state: AppState,
    settings: Settings,
    mode: Mode,
    workers: Workers,
}

impl Application {
    /// Opens the store (creating and migrating it as needed), the vault and the
    /// projections, and binds the listener.
    pub async fn build(settings: Settings) -> Result<Self, StartupError> {
        Self::build_as(settings, Mode::Serve).await
    }

    /// As [`build`](Self::build), for `mode`.
    pub async fn build_as(settings: Settings, mode: Mode) -> Result<Self, StartupError> {
        Self::build_with_clock(settings, mode, Arc::new(kernel::SystemClock)).await
    }

    /// As [`build_as`](Self::build_as), with `clock` for "now" everywhere (the domains, the
    /// workers, sessions): tests move time with a manual clock.
    pub async fn build_with_clock(
        settings: Settings,
        mode: Mode,
        clock: Arc<dyn kernel::Clock>,
    ) -> Result<Self, StartupError> {
        let store = Store::connect(&settings.store).await?;
        let cipher = open_vault(&store, &settings.vault, &settings.store).await?;
        let catalog =
            Arc::new(Catalog::load().map_err(|e| StartupError::Notifications(e.to_string()))?);
        let calendar = HolidayCalendar::tunisia()
            .map_err(|e| StartupError::Notifications(format!("calendar: {e}")))?;
        let identity = crate::auth::IdentityStore::new(store.any_pool().clone());
        let directory =
            kernel::InMemoryDirectory::with(identity.organisations().await.map_err(|e| {
                StartupError::Store(event_store::StoreError::Corrupt(e.to_string()))
            })?);
        let rules: Vec<Arc<dyn projections::ObligationRules>> = vec![
            Arc::new(projections::citizen_file::CitizenFileObligations::new(
                platform_organisation(
                    settings.organisations.central_bureau,
                    &directory,
                    kernel::OrganisationKind::CentralBureau,
                ),
            )),
            Arc::new(projections::local_democracy::LocalDemocracyObligations),
            Arc::new(projections::watcher::WatcherObligations::new(
                platform_organisation(
                    settings.organisations.watcher_department,
                    &directory,
                    kernel::OrganisationKind::WatcherDepartment,
                ),
                calendar.clone(),
            )),
        ];
        let mut projections: Vec<Arc<dyn event_store::Projection>> = vec![
            Arc::new(ObligationsProjection::new(
                rules,
                settings.reminders.clone(),
            )),
            Arc::new(AuthorNotifications::new(cipher.clone(), catalog.clone())),
            Arc::new(projections::SubjectStreams),
        ];
        projections.extend(projections::citizen_file::projections());
        projections.extend(projections::local_democracy::projections());
        projections.extend(projections::watcher::projections(&calendar));
        if settings.feed.enabled {
            projections.push(Arc::new(FeedProjection::new(
                settings.feed.subject_prefix.clone(),
            )));
        }
        let runner = ProjectionRunner::new(
            store.clone(),
            RunnerSettings {
                batch_size: settings.projections.batch_size,
                idle_poll: Duration::from_millis(settings.projections.idle_poll_ms),
                ..RunnerSettings::default()
            },
            projections,
        )?;
        let workers = workers(&store, &settings, catalog.clone(), &calendar, clock.clone())?;
        // A new calendar version (a holiday announced) moves the open due dates.
        match workers.reminders.recompute(&calendar).await {
            Ok(0) => {}
            Ok(moved) => {
                tracing::info!(moved, version = calendar.version(), "due dates recomputed")
            }
            Err(error) => tracing::warn!(%error, "cannot recompute due dates"),
        }
        let keystore = settings
            .signing
            .keystore
            .clone()
            .map(signing::Keystore::new);
        let transparency = Arc::new(crate::transparency::Transparency::new(
            store.clone(),
            clock.clone(),
            settings
                .signing
                .log_key_file
                .as_deref()
                .map(open_log_key)
                .transpose()?,
            Duration::from_millis(settings.signing.tree_head_interval_ms.max(1)),
        ));
        let domains = Arc::new(crate::domains::Domains::new(
            &store,
            &crate::domains::SharedServices {
                clock: clock.clone(),
                calendar: calendar.clone(),
                cipher: cipher.clone(),
                directory: Arc::new(directory.clone()),
                signer: match &keystore {
                    Some(keystore) => Arc::new(signing::CertificateSigner::new(
                        keystore.clone(),
                        clock.clone(),
                    )),
                    None => {
                        tracing::warn!("no signing keystore configured: answers cannot be signed");
                        Arc::new(crate::domains::UnavailableSigner)
                    }
                },
            },
            &settings.domains,
        ));
        let state = AppState {
            store,
            runner,
            cipher,
            metrics: crate::metrics::recorder().map_err(StartupError::Metrics)?,
            identity,
            clock,
            auth: settings.auth.clone(),
            directory,
            catalog,
            public_url: settings.server.public_url.clone(),
            domains,
            routes: crate::api::routes_table(),
            limits: crate::api::limits::RateLimits::new(&settings.limits),
            body_limit: settings.server.body_limit_bytes,
            attachments: settings.attachments.clone(),
            organisations: settings.organisations.clone(),
            keystore,
            transparency,
            calendar: calendar.clone(),
        };
        let router = router(state.clone(), &settings);
        let listener =
            TcpListener::bind((settings.server.host.as_str(), settings.server.port)).await?;
        Ok(Self {
            listener,
            router,
            state,
            settings,
            mode,
            workers,
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
        let projection_tasks = if self.settings.projections.enabled || self.mode == Mode::Projector
        {
            let mut tasks = self.state.runner.spawn(stop_projections.clone());
            tasks.push(tokio::spawn(
                self.workers.outbox.clone().run(stop_projections.clone()),
            ));
            tasks.push(tokio::spawn(
                self.workers.reminders.clone().run(stop_projections.clone()),
            ));
            tasks.push(tokio::spawn(
                self.state
                    .transparency
                    .clone()
                    .run(stop_projections.clone()),
            ));
            tasks
        } else {
            Vec::new()
        };
        tracing::info!(%address, mode = ?self.mode, backend = ?self.state.store.kind(), "gateway listening");

        let grace = Duration::from_secs(self.settings.server.shutdown_grace_seconds);
        let (signalled_tx, signalled_rx) = tokio::sync::oneshot::channel::<()>();
        let server = axum::serve(
            self.listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async move {
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

/// An organisation the rules name: configured, else the directory's only one of `kind`.
/// Without either (a fresh installation) escalations to it reach nobody until it is set.
fn platform_organisation(
    configured: Option<kernel::OrganisationId>,
    directory: &kernel::InMemoryDirectory,
    kind: kernel::OrganisationKind,
) -> kernel::OrganisationId {
    configured
        .or_else(|| directory.only_of_kind(kind))
        .unwrap_or_else(|| {
            tracing::warn!(?kind, "no such organisation configured or in the directory");
            kernel::OrganisationId(uuid::Uuid::nil())
        })
}

/// The outbox worker with the configured channels, and the reminder worker.
fn workers(
    store: &Store,
    settings: &Settings,
    catalog: Arc<Catalog>,
    calendar: &HolidayCalendar,
    clock: Arc<dyn kernel::Clock>,
) -> Result<Workers, StartupError> {
    let notifications = &settings.notifications;
    let email: Option<Arc<dyn projections::Deliver>> = match &notifications.smtp {
        Some(smtp) => Some(Arc::new(
            EmailChannel::new(smtp).map_err(|e| StartupError::Notifications(e.to_string()))?,
        )),
        None => {
            tracing::warn!("no SMTP relay configured: e-mails wait in the outbox");
            None
        }
    };
    let webhook: Option<Arc<dyn projections::Deliver>> = if notifications.webhooks.is_empty() {
        None
    } else {
        Some(Arc::new(
            WebhookChannel::new(notifications.webhooks.clone(), Duration::from_secs(10))
                .map_err(|e| StartupError::Notifications(e.to_string()))?,
        ))
    };
    let feed: Option<Arc<dyn projections::Deliver>> = settings
        .feed
        .enabled
        .then(|| Arc::new(FeedChannel::new(settings.feed.clone())) as _);
    let outbox = OutboxWorker::new(
        store.clone(),
        Channels {
            email,
            webhook,
            feed,
        },
        settings.outbox,
        clock.clone(),
    );
    let reminders = ReminderWorker::new(
        store.clone(),
        clock,
        settings.reminders.clone(),
        Arc::new(ConfiguredRecipients::new(
            settings.reminders.functional_addresses.clone(),
        )),
        catalog,
        calendar.time_zone(),
    );
    Ok(Workers { outbox, reminders })
}

fn router(state: AppState, settings: &Settings) -> Router {
    let request_timeout = Duration::from_secs(settings.server.request_timeout_seconds);
    let (api, _) = crate::api::router(settings);
    Router::new()
        .route("/health", get(routes::health::health))
        .route("/metrics", get(routes::metrics::metrics))
        .merge(api)
        // Layers run bottom-up: authorize first, then the limits (accounts known), then
        // idempotency (scoped to the account).
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::api::idempotency::idempotent,
        ))
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::api::limits::limit,
        ))
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::api::access::authorize,
        ))
        .fallback(|| async { ApiError::NotFound })
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
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

/// The log's signing key from `path`, generated there when the file does not exist.
fn open_log_key(path: &Path) -> Result<signing::LogSigningKey, StartupError> {
    let failed =
        |e: &dyn std::fmt::Display| StartupError::LogKey(format!("{}: {e}", path.display()));
    match std::fs::read_to_string(path) {
        Ok(pem) => signing::LogSigningKey::from_pkcs8_pem(&pem).map_err(|e| failed(&e)),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            let key = signing::LogSigningKey::generate();
            let pem = key.to_pkcs8_pem().map_err(|e| failed(&e))?;
            write_secret_file(path, pem.as_bytes()).map_err(|e| failed(&e))?;
            tracing::warn!(path = %path.display(), "no log key: generated a new one; publish its public key");
            Ok(key)
        }
        Err(error) => Err(failed(&error)),
    }
}

fn write_new_key(path: &Path, key: &MasterKey) -> std::io::Result<()> {
    write_secret_file(path, key.to_base64().as_bytes())
}

/// Writes `contents` to the new file `path` (never over an existing one), readable by its
/// owner only.
fn write_secret_file(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    if let Some(folder) = path.parent().filter(|f| !f.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder)?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(contents)
}
