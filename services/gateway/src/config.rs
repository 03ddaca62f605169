//! Typed, layered configuration.
//!
//! Values come, each overriding the previous: the built-in defaults; the TOML file named by
//! `APP_CONFIG_FILE` (else `config/gateway.toml` when it exists); `DATABASE_URL` for the
//! store's URL; and `APP__<SECTION>__<KEY>` environment variables (`APP__SERVER__PORT=9000`,
//! `APP__STORE__URL=postgres://...`). Secrets (`vault.master_key`) are `SecretString`s:
//! never printed, not even in `Debug`.

use std::path::{Path, PathBuf};

use config::{Config, Environment, File, FileFormat};
use std::collections::HashMap;

use event_store::StoreConfig;
use projections::delivery::{FeedSettings, SmtpSettings, WebhookSubscriber};
use projections::{ReminderSettings, RetryPolicy};
use secrecy::SecretString;
use serde::Deserialize;

/// Everything the gateway reads at start.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// The HTTP listener.
    pub server: ServerSettings,
    /// The event store.
    pub store: StoreConfig,
    /// The personal-data key vault.
    pub vault: VaultSettings,
    /// Logs.
    pub log: LogSettings,
    /// Projections run by this process.
    pub projections: ProjectionSettings,
    /// Where notifications go.
    pub notifications: NotificationSettings,
    /// Retries of the outbox.
    pub outbox: RetryPolicy,
    /// Deadline reminders and escalations.
    pub reminders: ReminderSettings,
    /// The outbound event feed (NATS JetStream), off by default.
    pub feed: FeedSettings,
    /// Accounts, sessions and passwords.
    pub auth: AuthSettings,
    /// Organisations the platform's rules name.
    pub organisations: PlatformOrganisations,
    /// Every domain's rule values (`[domains.citizen_files]`, `[domains.opinions]`...).
    pub domains: crate::domains::DomainSettings,
    /// Rate limits.
    pub limits: crate::api::limits::LimitSettings,
    /// Attachment storage.
    pub attachments: crate::api::attachments::AttachmentSettings,
    /// Signed answers and signed tree heads of the log.
    pub signing: SigningSettings,
}

/// Signatures (ADR 0008): the signatories' keystore, and the log's key with how often a
/// signed tree head is published.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SigningSettings {
    /// The keystore folder (`ca.pem`, `crl.pem`, `<actor>.key.pem`, `<actor>.cert.pem`),
    /// written by `gateway signing ...`. Without it answers cannot be signed (503) nor
    /// verified.
    pub keystore: Option<PathBuf>,
    /// The log's Ed25519 key (PKCS#8 PEM), generated there on first start when missing.
    /// Without it no tree head is signed.
    pub log_key_file: Option<PathBuf>,
    /// Time between two signed tree heads.
    pub tree_head_interval_ms: u64,
}

impl Default for SigningSettings {
    fn default() -> Self {
        Self {
            keystore: None,
            log_key_file: None,
            tree_head_interval_ms: 3_600_000,
        }
    }
}

/// The organisations the rules name: escalations go to the Central Bureau, corrective
/// actions escalate within the Watcher department. When absent, they are looked up in the
/// organisation directory by kind.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PlatformOrganisations {
    /// The Central Citizen Relations Bureau.
    pub central_bureau: Option<kernel::OrganisationId>,
    /// The Public Service Quality Department.
    pub watcher_department: Option<kernel::OrganisationId>,
}

/// Accounts, sessions and passwords (ADR 0007).
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AuthSettings {
    /// A session unused this long expires.
    pub session_idle_minutes: u32,
    /// A session expires this long after login, used or not.
    pub session_absolute_hours: u32,
    /// Lifetime of an e-mail confirmation link.
    pub confirmation_hours: u32,
    /// Lifetime of a password reset link.
    pub reset_minutes: u32,
    /// Lifetime of an agent's invitation.
    pub invitation_hours: u32,
    /// Failed logins in a row that lock an account...
    pub max_failed_logins: u32,
    /// ...for this long.
    pub lock_minutes: u32,
    /// Argon2id costs and the shortest password.
    pub password: crate::auth::password::PasswordSettings,
    /// Mark the session cookie `Secure` (off only for plain-HTTP development).
    pub secure_cookie: bool,
}

impl Default for AuthSettings {
    fn default() -> Self {
        Self {
            session_idle_minutes: 30,
            session_absolute_hours: 12,
            confirmation_hours: 48,
            reset_minutes: 30,
            invitation_hours: 72,
            max_failed_logins: 5,
            lock_minutes: 15,
            password: crate::auth::password::PasswordSettings::default(),
            secure_cookie: true,
        }
    }
}

/// The channels of notifications.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NotificationSettings {
    /// The SMTP relay; e-mails wait in the outbox until one is configured.
    pub smtp: Option<SmtpSettings>,
    /// Organisations' systems receiving signed webhooks, by subscriber name.
    pub webhooks: HashMap<String, WebhookSubscriber>,
}

/// The HTTP listener.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServerSettings {
    /// Address to bind.
    pub host: String,
    /// Port to bind; 0 picks a free one (tests).
    pub port: u16,
    /// Longest time a request may take before it is answered 408.
    pub request_timeout_seconds: u64,
    /// Largest request body accepted, in bytes.
    pub body_limit_bytes: usize,
    /// Seconds given to requests in flight when shutting down.
    pub shutdown_grace_seconds: u64,
    /// The public address of the portal, for links in messages (confirmation, reset).
    pub public_url: String,
}

impl Default for ServerSettings {
    fn default() -> Self {
        Self {
            host: "127.0.0.1".into(),
            port: 8080,
            request_timeout_seconds: 30,
            body_limit_bytes: 1024 * 1024,
            shutdown_grace_seconds: 20,
            public_url: "http://127.0.0.1:8080".into(),
        }
    }
}

/// The key vault of the personal-data envelope.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct VaultSettings {
    /// The vault's own database; the store's when absent. In production give it its own
    /// database with its own backup policy: restoring an old vault backup would bring back
    /// keys that were erased.
    pub url: Option<String>,
    /// The master key (32 bytes, base64) that wraps every person's key.
    pub master_key: Option<SecretString>,
    /// Where to read the master key when `master_key` is not set. On first start without
    /// either, a new key is generated there (mode 0600) and a warning logged: convenient on
    /// a developer's machine, to be replaced by a managed secret in production.
    pub master_key_file: PathBuf,
}

impl Default for VaultSettings {
    fn default() -> Self {
        Self {
            url: None,
            master_key: None,
            master_key_file: PathBuf::from("data/master.key"),
        }
    }
}

/// Log output.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LogSettings {
    /// `pretty` for people, `json` for collectors.
    pub format: LogFormat,
    /// A `tracing` filter (`info`, `gateway=debug,sqlx=warn`); `RUST_LOG` overrides it.
    pub filter: String,
}

impl Default for LogSettings {
    fn default() -> Self {
        Self {
            format: LogFormat::Pretty,
            filter: "info,sqlx=warn".into(),
        }
    }
}

/// Log line format.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum LogFormat {
    /// Human-readable lines.
    #[default]
    Pretty,
    /// One JSON object per line.
    Json,
}

/// Projections run by this process.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ProjectionSettings {
    /// Whether this process runs the projections and the outbox and reminder workers (turn
    /// off when a separate `gateway projector` process runs them).
    pub enabled: bool,
    /// Events per projection transaction.
    pub batch_size: u32,
    /// Milliseconds between looks at the log when nothing woke the projection.
    pub idle_poll_ms: u64,
}

impl Default for ProjectionSettings {
    fn default() -> Self {
        Self {
            enabled: true,
            batch_size: 500,
            idle_poll_ms: 500,
        }
    }
}

/// Configuration could not be read.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    /// A source could not be read or a value has the wrong type.
    #[error("invalid configuration: {0}")]
    Invalid(#[from] config::ConfigError),
}

impl Settings {
    /// Reads the layers described in the module documentation from the process environment.
    pub fn load() -> Result<Self, SettingsError> {
        let file = std::env::var_os("APP_CONFIG_FILE").map(PathBuf::from);
        let database_url = std::env::var("DATABASE_URL").ok();
        Self::load_from(
            file.as_deref(),
            database_url,
            Environment::with_prefix("APP"),
        )
    }

    fn load_from(
        file: Option<&Path>,
        database_url: Option<String>,
        environment: Environment,
    ) -> Result<Self, SettingsError> {
        let mut builder = Config::builder();
        builder = match file {
            Some(path) => builder.add_source(File::from(path).format(FileFormat::Toml)),
            None => builder.add_source(
                File::with_name("config/gateway")
                    .format(FileFormat::Toml)
                    .required(false),
            ),
        };
        if let Some(url) = database_url.filter(|u| !u.is_empty()) {
            // A layer of its own, between the file and the APP__ variables.
            builder =
                builder.add_source(Config::builder().set_override("store.url", url)?.build()?);
        }
        let settings = builder
            .add_source(
                environment
                    .prefix_separator("__")
                    .separator("__")
                    .try_parsing(true),
            )
            .build()?
            .try_deserialize()?;
        Ok(settings)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::io::Write;

    use secrecy::ExposeSecret;

    use super::*;

    fn env(vars: &[(&str, &str)]) -> Environment {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Environment::with_prefix("APP").source(Some(map))
    }

    #[test]
    fn defaults_run_on_an_embedded_sqlite_file_on_localhost() {
        let settings = Settings::load_from(None, None, env(&[])).unwrap();
        assert_eq!(settings.server.host, "127.0.0.1");
        assert_eq!(settings.server.port, 8080);
        assert!(settings.store.url.starts_with("sqlite://"));
        assert!(settings.projections.enabled);
    }

    #[test]
    fn the_file_then_database_url_then_app_variables_override_in_that_order() {
        let mut file = tempfile::NamedTempFile::new().unwrap();
        writeln!(
            file,
            "[server]\nport = 9000\nhost = \"0.0.0.0\"\n[store]\nurl = \"sqlite://from-file.db\""
        )
        .unwrap();
        let settings = Settings::load_from(
            Some(file.path()),
            Some("postgres://db/from-env".into()),
            env(&[("APP__SERVER__PORT", "9100"), ("APP__LOG__FORMAT", "json")]),
        )
        .unwrap();
        assert_eq!(settings.server.port, 9100);
        assert_eq!(settings.server.host, "0.0.0.0");
        assert_eq!(settings.store.url, "postgres://db/from-env");
        assert_eq!(settings.log.format, LogFormat::Json);

        let settings = Settings::load_from(
            Some(file.path()),
            Some("postgres://db/from-env".into()),
            env(&[("APP__STORE__URL", "postgres://db/from-app")]),
        )
        .unwrap();
        assert_eq!(settings.store.url, "postgres://db/from-app");
    }

    #[test]
    fn secrets_are_read_but_never_printed() {
        let settings = Settings::load_from(
            None,
            None,
            env(&[("APP__VAULT__MASTER_KEY", "c2VjcmV0LWtleS12YWx1ZQ==")]),
        )
        .unwrap();
        let key = settings.vault.master_key.as_ref().unwrap();
        assert_eq!(key.expose_secret(), "c2VjcmV0LWtleS12YWx1ZQ==");
        assert!(!format!("{settings:?}").contains("c2VjcmV0"));
    }

    #[test]
    fn unknown_keys_and_wrong_types_are_refused() {
        assert!(Settings::load_from(None, None, env(&[("APP__SERVER__PORT", "eighty")])).is_err());
        let mut file = tempfile::NamedTempFile::new().unwrap();
        writeln!(file, "[server]\nprot = 9000").unwrap();
        assert!(Settings::load_from(Some(file.path()), None, env(&[])).is_err());
    }
}
