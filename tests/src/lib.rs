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
    /// The running gateway's state (to seed accounts, read the outbox).
    pub state: gateway::AppState,
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

    /// `POST <path>` with a JSON body and an optional bearer token.
    pub async fn post(
        &self,
        path: &str,
        token: Option<&str>,
        body: &serde_json::Value,
    ) -> reqwest::Response {
        let mut request = self
            .client
            .post(format!("{}{path}", self.address))
            .json(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request
            .send()
            .await
            .unwrap_or_else(|e| panic!("POST {path}: {e}"))
    }

    /// `GET <path>` with a bearer token.
    pub async fn get_as(&self, path: &str, token: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.address))
            .bearer_auth(token)
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {path}: {e}"))
    }

    /// `POST <path>` with a JSON body, as `token` (anonymously when empty): the status and
    /// the JSON answer (`null` when there is none).
    pub async fn post_json(
        &self,
        path: &str,
        token: &str,
        body: &serde_json::Value,
    ) -> (u16, serde_json::Value) {
        let token = (!token.is_empty()).then_some(token);
        let response = self.post(path, token, body).await;
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or_default())
    }

    /// `GET <path>` as `token` (anonymously when empty): the status and the JSON answer.
    pub async fn get_json(&self, path: &str, token: &str) -> (u16, serde_json::Value) {
        let response = if token.is_empty() {
            self.get(path).await
        } else {
            self.get_as(path, token).await
        };
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or_default())
    }

    /// An agent account of `organisation` holding `role`: its session token.
    pub async fn agent(
        &self,
        email: &str,
        role: kernel::Role,
        organisation: kernel::OrganisationId,
    ) -> String {
        self.account_with(
            kernel::ActorKind::Agent,
            email,
            &[kernel::RoleGrant { role, organisation }],
        )
        .await
    }

    /// Uploads [`PNG`] as `token`: the stored attachment (`hash`, `media_type`, `size`).
    pub async fn upload_png(&self, token: &str) -> serde_json::Value {
        let response = self
            .client
            .post(format!("{}/api/v1/attachments", self.address))
            .bearer_auth(token)
            .header("content-type", "image/png")
            .body(PNG)
            .send()
            .await
            .unwrap_or_else(|e| panic!("upload: {e}"));
        assert_eq!(response.status(), 201, "upload");
        response
            .json()
            .await
            .unwrap_or_else(|e| panic!("upload answer: {e}"))
    }

    /// The e-mails queued for `address`: (subject, text), oldest first.
    pub async fn emails_to(&self, address: &str) -> Vec<(String, String)> {
        let rows: Vec<(String,)> = sqlx::query_as(
            "SELECT message FROM outbox WHERE destination = $1 AND channel = 'email' ORDER BY created_at, id",
        )
        .bind(address)
        .fetch_all(self.state.store.any_pool())
        .await
        .unwrap_or_else(|e| panic!("outbox: {e}"));
        rows.into_iter()
            .map(|(message,)| {
                let message: serde_json::Value = serde_json::from_str(&message).unwrap_or_default();
                (
                    message["subject"].as_str().unwrap_or_default().to_owned(),
                    message["text"].as_str().unwrap_or_default().to_owned(),
                )
            })
            .collect()
    }

    /// The token of the last link e-mailed to `address`.
    pub async fn token_sent_to(&self, address: &str) -> String {
        let emails = self.emails_to(address).await;
        let (_, text) = emails
            .last()
            .unwrap_or_else(|| panic!("no e-mail to {address}"));
        let start = text
            .find("token=")
            .unwrap_or_else(|| panic!("no token in: {text}"))
            + 6;
        text[start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect()
    }

    /// An active account with `grants`, created directly in the identity tables; returns
    /// its session token.
    pub async fn account_with(
        &self,
        kind: kernel::ActorKind,
        email: &str,
        grants: &[kernel::RoleGrant],
    ) -> String {
        let identity = &self.state.identity;
        let account = identity
            .create_account(kind, email, "fr", gateway::auth::AccountStatus::Active, 0)
            .await
            .unwrap_or_else(|e| panic!("account: {e}"));
        let hash =
            gateway::auth::password::hash("correct horse battery", &self.state.auth.password)
                .unwrap_or_else(|e| panic!("hash: {e}"));
        identity
            .set_password(account.id, &hash, 0)
            .await
            .unwrap_or_else(|e| panic!("password: {e}"));
        for grant in grants {
            identity
                .grant(account.id, *grant, None, 0)
                .await
                .unwrap_or_else(|e| panic!("grant: {e}"));
        }
        let response = self
            .post(
                "/api/v1/auth/login",
                None,
                &serde_json::json!({"email": email, "password": "correct horse battery"}),
            )
            .await;
        let body: serde_json::Value = response.json().await.unwrap_or_default();
        body["token"]
            .as_str()
            .unwrap_or_else(|| panic!("login of {email} failed: {body}"))
            .to_owned()
    }

    /// Adds an organisation to the directory (tables and the running gateway's copy).
    pub async fn organisation(
        &self,
        kind: kernel::OrganisationKind,
        parent: Option<kernel::OrganisationId>,
    ) -> kernel::OrganisationId {
        let organisation = kernel::Organisation {
            id: kernel::OrganisationId::new_v7(),
            kind,
            name: kernel::organisation::LocalizedName {
                ar: "هيكل".into(),
                fr: "Structure".into(),
            },
            parent,
            governorate: Some(kernel::organisation::Governorate::Tunis),
        };
        self.state
            .identity
            .save_organisation(&organisation)
            .await
            .unwrap_or_else(|e| panic!("organisation: {e}"));
        self.state.directory.insert(organisation.clone());
        organisation.id
    }

    /// Brings every read model up to the end of the log, so that what was just written can
    /// be read back (the projections otherwise follow the log a moment behind).
    pub async fn settle(&self) {
        for status in self.state.runner.statuses() {
            self.state
                .runner
                .catch_up(&status.name)
                .await
                .unwrap_or_else(|e| panic!("projection {}: {e}", status.name));
        }
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
    spawn_app_with(backend, |_| {}).await
}

/// A gateway whose rate limits do not get in the way of a scenario's many calls.
pub async fn spawn_unthrottled(backend: Backend) -> TestApp {
    spawn_unthrottled_with(backend, |_| {}).await
}

/// As [`spawn_unthrottled`], with `adjust` applied to the settings too.
pub async fn spawn_unthrottled_with(
    backend: Backend,
    adjust: impl FnOnce(&mut Settings),
) -> TestApp {
    spawn_app_with(backend, |s| {
        s.limits.per_client_per_second = 100_000;
        s.limits.per_client_burst = 100_000;
        s.limits.per_account_per_second = 100_000;
        s.limits.per_account_burst = 100_000;
        adjust(s);
    })
    .await
}

/// The smallest PNG the type check accepts (its signature and header).
pub const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89";

/// Asserts that a call answered `status` with `key` set to `value` in its problem document.
pub fn assert_problem(result: &(u16, serde_json::Value), status: u16, key: &str, value: &str) {
    assert_eq!(result.0, status, "{}", result.1);
    assert_eq!(result.1[key], value, "{}", result.1);
}

/// As [`spawn_app`], with `adjust` applied to the settings first.
pub async fn spawn_app_with(backend: Backend, adjust: impl FnOnce(&mut Settings)) -> TestApp {
    spawn(backend, adjust, std::sync::Arc::new(kernel::SystemClock)).await
}

/// An unthrottled gateway whose "now" is `clock`: the test moves time. Sessions last long
/// enough for the time a scenario spans.
pub async fn spawn_app_at(
    backend: Backend,
    clock: &kernel::ManualClock,
    adjust: impl FnOnce(&mut Settings),
) -> TestApp {
    let adjust = |s: &mut Settings| {
        s.limits.per_client_per_second = 100_000;
        s.limits.per_client_burst = 100_000;
        s.limits.per_account_per_second = 100_000;
        s.limits.per_account_burst = 100_000;
        s.auth.session_idle_minutes = 525_600;
        s.auth.session_absolute_hours = 8_760;
        adjust(s);
    };
    spawn(backend, adjust, std::sync::Arc::new(clock.clone())).await
}

async fn spawn(
    backend: Backend,
    adjust: impl FnOnce(&mut Settings),
    clock: std::sync::Arc<dyn kernel::Clock>,
) -> TestApp {
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
    // Cheap hashing: the tests are about behaviour, not argon2's cost.
    settings.auth.password.memory_kib = 64;
    settings.auth.password.iterations = 1;
    settings.attachments.directory = data.path().join("attachments");
    adjust(&mut settings);
    gateway::telemetry::init(&settings.log);
    let application = Application::build_with_clock(settings, gateway::Mode::Serve, clock)
        .await
        .unwrap_or_else(|e| panic!("gateway did not build: {e}"));
    let state = application.state().clone();
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
        state,
        shutdown,
        server: Some(server),
        _data: data,
    }
}
