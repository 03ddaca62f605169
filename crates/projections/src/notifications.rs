//! Notifications to the authors of citizen files: the receipt with its tracking code, the
//! steps that change what they can expect (admitted, declared inadmissible, information
//! asked, answered and signed, closed, merged), by e-mail through the outbox.
//!
//! The author's contact travels sealed in the receipt; this projection keeps that sealed
//! value per file and opens it only when a message is due. An author whose data was erased
//! gets nothing (their address is gone), and nothing fails. Message ids are derived from the
//! event's position: a replay queues nothing twice.
//!
//! Messages go in the author's language when known; the receipt does not record one yet,
//! so they go in Arabic, the first language (the accounts of the gateway will carry a
//! preference).

use async_trait::async_trait;
use citizen_file::{AuthorDetails, CitizenFileEvent};
use event_store::{Projection, ProjectionError, RecordedEvent};
use kernel::personal_data::{EnvelopeError, PersonalDataCipher, Revealed, Sealed, VaultError};
use sqlx::AnyConnection;

use crate::messages::Catalog;
use crate::outbox::{ChannelKind, Message, OutgoingMessage, enqueue};

/// The projection's name.
pub const AUTHOR_NOTIFICATIONS: &str = "notifications.authors";

/// See the module documentation.
pub struct AuthorNotifications {
    cipher: PersonalDataCipher,
    catalog: std::sync::Arc<Catalog>,
}

impl std::fmt::Debug for AuthorNotifications {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthorNotifications")
            .finish_non_exhaustive()
    }
}

impl AuthorNotifications {
    /// A projection opening contacts with `cipher`.
    pub fn new(cipher: PersonalDataCipher, catalog: std::sync::Arc<Catalog>) -> Self {
        Self { cipher, catalog }
    }

    /// The author's e-mail address, when there is one and it is not erased.
    async fn address(
        &self,
        details: &Sealed<AuthorDetails>,
    ) -> Result<Option<String>, ProjectionError> {
        match self.cipher.open(details).await {
            Ok(Revealed::Clear(details)) => Ok(details.email),
            Ok(Revealed::Erased) => Ok(None),
            Err(EnvelopeError::Vault(VaultError::Backend(error))) => {
                Err(ProjectionError::Unavailable(format!("key vault: {error}")))
            }
            // A lost key or a damaged value must not stop everyone's notifications.
            Err(error) => {
                tracing::warn!(%error, "cannot open an author's contact: no notification");
                Ok(None)
            }
        }
    }
}

/// The message a step sends the author, if it sends one.
fn step(event: &CitizenFileEvent) -> Option<&'static str> {
    use CitizenFileEvent as E;
    Some(match event {
        E::FileSubmitted { .. } | E::FileRegistered { .. } => "file-received",
        E::FileAdmitted { .. } => "file-admitted",
        E::FileDeclaredInadmissible { .. } => "file-inadmissible",
        E::InformationRequested { .. } => "file-information-requested",
        E::AnswerSigned { .. } => "file-answered",
        E::FileClosed { .. } => "file-closed",
        E::FileMerged { .. } => "file-merged",
        _ => return None,
    })
}

#[async_trait]
impl Projection for AuthorNotifications {
    fn name(&self) -> &str {
        AUTHOR_NOTIFICATIONS
    }

    async fn apply(
        &self,
        tx: &mut AnyConnection,
        event: &RecordedEvent,
    ) -> Result<(), ProjectionError> {
        if event.aggregate_type != "CitizenFile" {
            return Ok(());
        }
        let decoded: CitizenFileEvent = event.decode()?;
        let Some(key) = step(&decoded) else {
            return Ok(());
        };
        if let CitizenFileEvent::FileSubmitted { receipt }
        | CitizenFileEvent::FileRegistered { receipt, .. } = &decoded
        {
            sqlx::query(
                "INSERT INTO author_contacts (file_id, tracking_code, details) VALUES ($1, $2, $3) \
                 ON CONFLICT (file_id) DO UPDATE SET tracking_code = excluded.tracking_code, \
                 details = excluded.details",
            )
            .bind(receipt.file.to_string())
            .bind(receipt.tracking_code.to_string())
            .bind(serde_json::to_string(&receipt.author_details)?)
            .execute(&mut *tx)
            .await?;
        }
        let contact: Option<(String, String)> =
            sqlx::query_as("SELECT tracking_code, details FROM author_contacts WHERE file_id = $1")
                .bind(&event.aggregate_id)
                .fetch_optional(&mut *tx)
                .await?;
        let Some((tracking_code, details)) = contact else {
            return Ok(());
        };
        let details: Sealed<AuthorDetails> = serde_json::from_str(&details)?;
        let Some(address) = self.address(&details).await? else {
            return Ok(());
        };
        let language = Catalog::language("ar");
        let args = [("reference", tracking_code)];
        let message = OutgoingMessage {
            id: format!("author/{}/{}", event.aggregate_id, event.position),
            channel: ChannelKind::Email,
            destination: address,
            message: Message::Email {
                language: language.to_owned(),
                subject: self
                    .catalog
                    .render(language, &format!("{key}-subject"), &args),
                text: self.catalog.render(language, &format!("{key}-body"), &args),
            },
        };
        enqueue(tx, &message, event.recorded_at.timestamp_millis()).await?;
        Ok(())
    }

    /// Only the contacts: the outbox keeps what was queued, so a rebuild sends nothing again.
    fn tables(&self) -> &[&'static str] {
        &["author_contacts"]
    }
}
