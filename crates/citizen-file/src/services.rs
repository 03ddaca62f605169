//! What the aggregates receive from the outside world: the clock, the legal calendar, the
//! personal-data cipher, the organisation directory, the answer signer, and their rules.
//!
//! Signing is a service (circular of the Head of Government, 001: answers are signed with the
//! signatory's digital identity card) so that the crate stays pure: the `signing` crate
//! implements [`AnswerSigner`] with real certificates, tests with a fake.

use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use kernel::calendar::HolidayCalendar;
use kernel::personal_data::{PersonalDataCipher, SubjectId};
use kernel::tracking::TrackingCode;
use kernel::{Actor, ActorId, Clock, Directory, OrganisationId, Text};
use serde::{Deserialize, Serialize};

use crate::config::{CitizenFileConfig, ForumConfig};
use crate::file::FileKind;
use crate::ids::FileId;

/// The services of the [`CitizenFile`](crate::CitizenFile) aggregate.
#[derive(Debug, Clone)]
pub struct CitizenFileServices {
    /// "Now".
    pub clock: Arc<dyn Clock>,
    /// Working days and holidays for every due date.
    pub calendar: Arc<HolidayCalendar>,
    /// Seals personal data under its subject's key (and opens the draft answer to sign it).
    pub cipher: PersonalDataCipher,
    /// What kind of organisation an identifier denotes.
    pub directory: Arc<dyn Directory>,
    /// Signs final answers.
    pub signer: Arc<dyn AnswerSigner>,
    /// Deadlines and limits.
    pub config: CitizenFileConfig,
}

/// The services of the [`ForumTopic`](crate::ForumTopic) aggregate.
#[derive(Debug, Clone)]
pub struct ForumServices {
    /// "Now".
    pub clock: Arc<dyn Clock>,
    /// Seals messages under their author's key.
    pub cipher: PersonalDataCipher,
    /// Limits.
    pub config: ForumConfig,
}

/// The canonical content of a final answer: what the signatory signs. Fields are in their
/// canonical order; the signer serializes them (e.g. as canonical JSON) and hashes that.
/// The author appears by data subject only, never by name.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerDocument {
    /// The file answered.
    pub file: FileId,
    /// Its tracking code, as printed on the receipt.
    pub tracking_code: TrackingCode,
    /// Its kind.
    pub kind: FileKind,
    /// The author, as a data subject.
    pub author: SubjectId,
    /// The answer.
    pub answer: Text,
    /// The organisation that answers (the one that drafted the answer).
    pub organisation: OrganisationId,
    /// Who signs.
    pub signatory: ActorId,
    /// When.
    pub signed_at: DateTime<Utc>,
}

impl fmt::Debug for AnswerDocument {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The answer may hold personal data: logs get its length only.
        f.debug_struct("AnswerDocument")
            .field("file", &self.file)
            .field("kind", &self.kind)
            .field("author", &self.author)
            .field("answer_chars", &self.answer.as_str().chars().count())
            .field("organisation", &self.organisation)
            .field("signatory", &self.signatory)
            .field("signed_at", &self.signed_at)
            .finish_non_exhaustive()
    }
}

/// A signature over an [`AnswerDocument`], as the signer returns it and the
/// `AnswerSigned` event keeps it, so that anyone holding the answer can verify it
/// (law 2000-83).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerSignature {
    /// Signature algorithm (`"Ed25519"`, `"RSA-PKCS1-SHA256"`...).
    pub algorithm: String,
    /// The signature, base64.
    pub signature: String,
    /// The signatory's certificate (DER, base64) or its reference at the certification agency.
    pub certificate: String,
    /// SHA-256 of the canonical document, lowercase hex.
    pub document_hash: String,
}

/// Signs answers with the signatory's certificate.
#[async_trait]
pub trait AnswerSigner: Send + Sync + fmt::Debug {
    /// Signs `document` as `signatory`.
    async fn sign(
        &self,
        document: &AnswerDocument,
        signatory: &Actor,
    ) -> Result<AnswerSignature, SigningError>;
}

/// Why an answer could not be signed. Messages never quote the document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SigningError {
    /// The signatory has no valid certificate (none, expired or revoked).
    #[error("the signatory has no valid signing certificate")]
    NoValidCertificate,
    /// The signing device or service refused.
    #[error("signing was refused: {reason}")]
    Refused {
        /// Why, in words.
        reason: String,
    },
    /// The signing service could not be reached.
    #[error("the signing service is unavailable: {reason}")]
    Unavailable {
        /// Why, in words.
        reason: String,
    },
}
