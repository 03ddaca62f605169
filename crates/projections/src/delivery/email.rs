//! E-mail over SMTP (lettre).
//!
//! Each message carries a `Message-ID` derived from its outbox id, so that a second delivery
//! of the same message (at-least-once) can be recognised by the recipient's mail system, and
//! a `Content-Language`. SMTP replies in the 5xx range are permanent failures (dead letter at
//! once); 4xx replies and connection failures are retried.

use async_trait::async_trait;
use lettre::message::Mailbox;
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

use crate::outbox::{Deliver, DeliveryError, Message};

/// How the SMTP connection is secured.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum SmtpSecurity {
    /// Implicit TLS (port 465).
    Tls,
    /// STARTTLS, required (port 587).
    #[default]
    StartTls,
    /// No encryption: only for a relay on the same host or tests.
    None,
}

/// Where and how to send e-mail.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SmtpSettings {
    /// The relay.
    pub host: String,
    /// Its port.
    pub port: u16,
    /// Connection security.
    pub security: SmtpSecurity,
    /// Login, if the relay wants one.
    pub username: Option<String>,
    /// Password (never logged).
    pub password: Option<SecretString>,
    /// The sender, `Name <address>`.
    pub from: String,
    /// The right-hand side of Message-IDs.
    pub message_id_domain: String,
    /// Seconds before a silent relay counts as a failure.
    pub timeout_seconds: u64,
}

impl Default for SmtpSettings {
    fn default() -> Self {
        Self {
            host: "localhost".into(),
            port: 587,
            security: SmtpSecurity::StartTls,
            username: None,
            password: None,
            from: "e-Moatinet <no-reply@e-moatinet.invalid>".into(),
            message_id_domain: "e-moatinet.invalid".into(),
            timeout_seconds: 30,
        }
    }
}

/// The e-mail channel.
#[derive(Clone, Debug)]
pub struct EmailChannel {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    message_id_domain: String,
}

/// The settings name an impossible relay or sender.
#[derive(Debug, thiserror::Error)]
#[error("invalid e-mail settings: {0}")]
pub struct EmailSettingsError(String);

impl EmailChannel {
    /// A channel with `settings`.
    pub fn new(settings: &SmtpSettings) -> Result<Self, EmailSettingsError> {
        let builder = match settings.security {
            SmtpSecurity::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&settings.host),
            SmtpSecurity::StartTls => {
                AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&settings.host)
            }
            SmtpSecurity::None => Ok(AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(
                &settings.host,
            )),
        }
        .map_err(|e| EmailSettingsError(e.to_string()))?;
        let mut builder =
            builder
                .port(settings.port)
                .timeout(Some(std::time::Duration::from_secs(
                    settings.timeout_seconds,
                )));
        if let (Some(user), Some(password)) = (&settings.username, &settings.password) {
            builder = builder.credentials(Credentials::new(
                user.clone(),
                password.expose_secret().to_owned(),
            ));
        }
        Ok(Self {
            transport: builder.build(),
            from: settings
                .from
                .parse()
                .map_err(|e| EmailSettingsError(format!("from: {e}")))?,
            message_id_domain: settings.message_id_domain.clone(),
        })
    }
}

/// `Content-Language`, which lettre has no typed header for.
#[derive(Clone, Debug)]
struct ContentLanguage(String);

impl lettre::message::header::Header for ContentLanguage {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Content-Language")
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self(s.to_owned()))
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.clone())
    }
}

#[async_trait]
impl Deliver for EmailChannel {
    async fn deliver(
        &self,
        id: &str,
        destination: &str,
        message: &Message,
    ) -> Result<(), DeliveryError> {
        let Message::Email {
            language,
            subject,
            text,
        } = message
        else {
            return Err(DeliveryError::Permanent("not an e-mail".into()));
        };
        let to: Mailbox = destination
            .parse()
            .map_err(|_| DeliveryError::Permanent("invalid recipient address".into()))?;
        let email = lettre::Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .message_id(Some(format!("<{id}@{}>", self.message_id_domain)))
            .header(ContentLanguage(language.clone()))
            .header(ContentType::TEXT_PLAIN)
            .body(text.clone())
            .map_err(|e| DeliveryError::Permanent(format!("cannot build the message: {e}")))?;
        match self.transport.send(email).await {
            Ok(_) => Ok(()),
            Err(e) if e.is_permanent() => Err(DeliveryError::Permanent(e.to_string())),
            Err(e) => Err(DeliveryError::Transient(e.to_string())),
        }
    }
}
