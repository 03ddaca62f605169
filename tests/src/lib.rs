//! End-to-end test harness: [`spawn_app`] starts a gateway on a free port with a fresh
//! database (SQLite file or PostgreSQL database) and returns a client for it.

use gateway::config::LogSettings;
use gateway::{Application, Settings};
use tokio_util::sync::CancellationToken;

/// The backend a test runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// A fresh SQLite file in a temporary folder.
    Sqlite,
    /// A fresh PostgreSQL database (see `test-support`).
    Postgres,
}

/// A running gateway.
#[derive(Debug)]
pub struct TestApp {
    /// `http://127.0.0.1:<port>`.
    pub address: String,
    /// A client without cookies or redirects.
    pub client: reqwest::Client,
    /// The store URL the gateway uses.
    pub store_url: String,
    shutdown: CancellationToken,
    server: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
    _data: tempfile::TempDir,
}

impl TestApp {
    /// `GET <path>`.
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.address))
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {path}: {e}"))
    }

    /// Stops the gateway gracefully and waits for it.
    pub async fn stop(mut self) {
        self.shutdown.cancel();
        if let Some(server) = self.server.take() {
            let result = server.await.unwrap_or_else(|e| panic!("server task: {e}"));
            result.unwrap_or_else(|e| panic!("server: {e}"));
        }
    }
}

/// Starts a gateway on `backend` with a fresh database and returns once it listens.
pub async fn spawn_app(backend: Backend) -> TestApp {
    let data = tempfile::tempdir().unwrap_or_else(|e| panic!("temporary folder: {e}"));
    let store_url = match backend {
        Backend::Sqlite => format!("sqlite://{}/store.db", data.path().display()),
        Backend::Postgres => test_support::fresh_postgres_database().await,
    };
    let mut settings = Settings::default();
    settings.server.port = 0;
    settings.store.url = store_url.clone();
    let master_key = event_store::MasterKey::generate()
        .unwrap_or_else(|e| panic!("master key: {e}"))
        .to_base64();
    settings.vault.master_key = Some(master_key.as_str().into());
    settings.projections.idle_poll_ms = 50;
    settings.log = LogSettings {
        filter: "warn".into(),
        ..LogSettings::default()
    };
    gateway::telemetry::init(&settings.log);
    let application = Application::build(settings)
        .await
        .unwrap_or_else(|e| panic!("gateway did not build: {e}"));
    let port = application
        .local_addr()
        .unwrap_or_else(|e| panic!("no address: {e}"))
        .port();
    let shutdown = CancellationToken::new();
    let server = tokio::spawn(application.run_until(shutdown.clone().cancelled_owned()));
    TestApp {
        address: format!("http://127.0.0.1:{port}"),
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap_or_else(|e| panic!("client: {e}")),
        store_url,
        shutdown,
        server: Some(server),
        _data: data,
    }
}
