//! The personal-data envelope: personal fields travel in events encrypted under a key of
//! their data subject, so that erasing that key erases them everywhere.
//!
//! # Design
//!
//! - Each data subject (a citizen, a watcher, a contact person) has a [`SubjectId`] and a
//!   256-bit [`SubjectKey`] held by a [`KeyVault`], outside the event log.
//! - A personal field is stored in an event as a [`Sealed<T>`]: the subject id, a random
//!   96-bit nonce and the AES-256-GCM ciphertext of the field's JSON, base64-encoded. The
//!   associated data binds the ciphertext to the subject id (and a format label), so a
//!   ciphertext copied under another subject fails authentication.
//! - Erasure (organic law 2004-63, right to erasure) deletes the key and leaves a tombstone.
//!   Every copy of every ciphertext, replays and backups of the log included, becomes
//!   unreadable without rewriting the log, and readers get [`Revealed::Erased`], never an
//!   error. An erased subject cannot get a new key: nothing new is written about them.
//! - A vault that answers [`KeyLookup::Unknown`] for a subject whose data is in the log has
//!   lost a key it should hold: that is [`EnvelopeError::KeyMissing`], an operational fault
//!   to investigate, deliberately distinct from a lawful erasure.
//! - [`seal_bytes`] and [`open_bytes`] are the bare primitives; vault implementations reuse
//!   them to wrap subject keys under a master key.
//!
//! Nothing here prints secrets: keys and the cipher have redacting `Debug`, and error
//! messages never quote decrypted content (JSON errors keep only their category and position).

use std::collections::HashMap;
use std::fmt;
use std::marker::PhantomData;
use std::sync::{Arc, Mutex, PoisonError};

use aes_gcm::aead::{Aead, Payload};
use aes_gcm::{Aes256Gcm, KeyInit};
use async_trait::async_trait;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use chrono::{DateTime, Utc};
use rand::RngCore as _;
use rand::rngs::OsRng;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::clock::{Clock, SystemClock};

crate::define_id!(
    /// A data subject: the person personal data is about, and whose key encrypts it.
    SubjectId
);

/// Prefix of the associated data of a [`Sealed`] value: names the format so that a future
/// format (or another use of the same key) can never be confused with this one.
const SEALED_AAD_LABEL: &[u8] = b"e-moatinet/personal-data/v1\0";

/// The associated data binding a ciphertext to its subject.
fn subject_aad(subject: SubjectId) -> Vec<u8> {
    let mut aad = Vec::with_capacity(SEALED_AAD_LABEL.len() + 16);
    aad.extend_from_slice(SEALED_AAD_LABEL);
    aad.extend_from_slice(subject.0.as_bytes());
    aad
}

/// A data subject's 256-bit key. Zeroized on drop; its `Debug` shows no byte of it.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct SubjectKey([u8; 32]);

impl SubjectKey {
    /// A fresh random key from the operating system's generator.
    pub fn generate() -> Result<Self, EnvelopeError> {
        let mut bytes = Zeroizing::new([0u8; 32]);
        OsRng
            .try_fill_bytes(bytes.as_mut())
            .map_err(|_| EnvelopeError::Randomness)?;
        Ok(Self(*bytes))
    }

    /// A key from its bytes, e.g. as unwrapped by a vault.
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// The key bytes, for vault implementations that store the key wrapped under a master
    /// key. Nothing else should call this.
    pub fn expose_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl fmt::Debug for SubjectKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SubjectKey(..)")
    }
}

/// The output of [`seal_bytes`]: a nonce and the ciphertext with its 16-byte GCM tag.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SealedBytes {
    /// The random 96-bit nonce used for this encryption.
    pub nonce: [u8; 12],
    /// The ciphertext followed by the authentication tag.
    pub ciphertext: Vec<u8>,
}

/// Encrypts `plaintext` under `key` with AES-256-GCM and a fresh random nonce, authenticating
/// `aad` as well. Fails only if the system generator fails or the plaintext exceeds GCM's
/// limit (64 GiB).
pub fn seal_bytes(
    key: &[u8; 32],
    aad: &[u8],
    plaintext: &[u8],
) -> Result<SealedBytes, EnvelopeError> {
    // Random nonces: 2^-32 collision risk only after ~2^32 encryptions under one key, far
    // beyond what one person's data will ever need.
    let mut nonce = [0u8; 12];
    OsRng
        .try_fill_bytes(&mut nonce)
        .map_err(|_| EnvelopeError::Randomness)?;
    seal_with_nonce(key, aad, plaintext, nonce)
}

fn seal_with_nonce(
    key: &[u8; 32],
    aad: &[u8],
    plaintext: &[u8],
    nonce: [u8; 12],
) -> Result<SealedBytes, EnvelopeError> {
    let cipher = Aes256Gcm::new(key.into());
    let ciphertext = cipher
        .encrypt(
            (&nonce).into(),
            Payload {
                msg: plaintext,
                aad,
            },
        )
        .map_err(|_| EnvelopeError::Encryption)?;
    Ok(SealedBytes { nonce, ciphertext })
}

/// Decrypts what [`seal_bytes`] produced. Any change to the nonce, the ciphertext or the
/// associated data, or a wrong key, is [`EnvelopeError::Tampered`]. The result is zeroized
/// when dropped.
pub fn open_bytes(
    key: &[u8; 32],
    aad: &[u8],
    sealed: &SealedBytes,
) -> Result<Zeroizing<Vec<u8>>, EnvelopeError> {
    let cipher = Aes256Gcm::new(key.into());
    cipher
        .decrypt(
            (&sealed.nonce).into(),
            Payload {
                msg: &sealed.ciphertext,
                aad,
            },
        )
        .map(Zeroizing::new)
        .map_err(|_| EnvelopeError::Tampered)
}

/// What a vault knows about a subject's key when data is read.
#[derive(Clone, Debug)]
pub enum KeyLookup {
    /// The subject's key.
    Key(SubjectKey),
    /// The subject's data was erased: the key is gone for good.
    Erased,
    /// The vault has never heard of this subject.
    Unknown,
}

/// Where subject keys live, outside the event log.
#[async_trait]
pub trait KeyVault: Send + Sync {
    /// The subject's key, created on first use. Fails with [`VaultError::SubjectErased`] for
    /// an erased subject, so that nothing new is written about an erased person.
    async fn key_for_writing(&self, subject: SubjectId) -> Result<SubjectKey, VaultError>;

    /// The subject's key if there is one, or whether it was erased; never creates a key.
    async fn key_for_reading(&self, subject: SubjectId) -> Result<KeyLookup, VaultError>;

    /// Destroys the subject's key and leaves a tombstone recording when, so that later reads
    /// say [`KeyLookup::Erased`] and later writes fail. Idempotent (the first erasure time is
    /// kept); erasing a subject without a key still leaves the tombstone.
    async fn erase(&self, subject: SubjectId) -> Result<(), VaultError>;
}

/// A vault entry.
#[derive(Clone)]
enum VaultEntry {
    Active(SubjectKey),
    Erased { at: DateTime<Utc> },
}

/// A [`KeyVault`] in memory: for tests, here and in the domain crates. Keys die with the
/// process. `Debug` shows counts only.
pub struct InMemoryKeyVault {
    entries: Mutex<HashMap<SubjectId, VaultEntry>>,
    clock: Arc<dyn Clock>,
}

impl InMemoryKeyVault {
    /// An empty vault stamping erasures with the system clock.
    pub fn new() -> Self {
        Self::with_clock(Arc::new(SystemClock))
    }

    /// An empty vault stamping erasures with `clock`.
    pub fn with_clock(clock: Arc<dyn Clock>) -> Self {
        Self {
            entries: Mutex::new(HashMap::new()),
            clock,
        }
    }

    /// When the subject was erased, if it was.
    pub fn erased_at(&self, subject: SubjectId) -> Option<DateTime<Utc>> {
        match self.lock().get(&subject) {
            Some(VaultEntry::Erased { at }) => Some(*at),
            _ => None,
        }
    }

    /// Every operation is a single map update, so a panic elsewhere while the lock was held
    /// cannot leave the map half-changed: recovering from poisoning is safe.
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<SubjectId, VaultEntry>> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Default for InMemoryKeyVault {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for InMemoryKeyVault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let entries = self.lock();
        let erased = entries
            .values()
            .filter(|entry| matches!(entry, VaultEntry::Erased { .. }))
            .count();
        f.debug_struct("InMemoryKeyVault")
            .field("active", &(entries.len() - erased))
            .field("erased", &erased)
            .finish_non_exhaustive()
    }
}

#[async_trait]
impl KeyVault for InMemoryKeyVault {
    async fn key_for_writing(&self, subject: SubjectId) -> Result<SubjectKey, VaultError> {
        let mut entries = self.lock();
        match entries.get(&subject) {
            Some(VaultEntry::Active(key)) => Ok(key.clone()),
            Some(VaultEntry::Erased { .. }) => Err(VaultError::SubjectErased),
            None => {
                let key = SubjectKey::generate().map_err(|e| VaultError::Backend(e.to_string()))?;
                entries.insert(subject, VaultEntry::Active(key.clone()));
                Ok(key)
            }
        }
    }

    async fn key_for_reading(&self, subject: SubjectId) -> Result<KeyLookup, VaultError> {
        Ok(match self.lock().get(&subject) {
            Some(VaultEntry::Active(key)) => KeyLookup::Key(key.clone()),
            Some(VaultEntry::Erased { .. }) => KeyLookup::Erased,
            None => KeyLookup::Unknown,
        })
    }

    async fn erase(&self, subject: SubjectId) -> Result<(), VaultError> {
        let mut entries = self.lock();
        if !matches!(entries.get(&subject), Some(VaultEntry::Erased { .. })) {
            // Replacing the entry drops the key, which zeroizes it.
            entries.insert(
                subject,
                VaultEntry::Erased {
                    at: self.clock.now(),
                },
            );
        }
        Ok(())
    }
}

/// A personal value of type `T`, encrypted under its subject's key: what events carry.
///
/// Serialized as `{"subject": "<uuid>", "nonce": "<base64>", "ciphertext": "<base64>"}`.
/// `T` is only a marker (no bound on it), so events holding `Sealed<T>` derive serde, `Clone`,
/// `Debug` and `Eq` whatever `T` is.
#[derive(Serialize, Deserialize)]
#[serde(bound = "")]
pub struct Sealed<T> {
    subject: SubjectId,
    nonce: String,
    ciphertext: String,
    // `fn() -> T` keeps `Sealed<T>` Send + Sync whatever `T` is.
    #[serde(skip)]
    value: PhantomData<fn() -> T>,
}

impl<T> Sealed<T> {
    /// The data subject whose key encrypts this value.
    pub fn subject(&self) -> SubjectId {
        self.subject
    }

    fn from_bytes(subject: SubjectId, sealed: &SealedBytes) -> Self {
        Self {
            subject,
            nonce: BASE64.encode(sealed.nonce),
            ciphertext: BASE64.encode(&sealed.ciphertext),
            value: PhantomData,
        }
    }

    fn to_bytes(&self) -> Result<SealedBytes, EnvelopeError> {
        let nonce = BASE64
            .decode(&self.nonce)
            .map_err(|_| EnvelopeError::Malformed("the nonce is not valid base64"))?;
        let nonce = <[u8; 12]>::try_from(nonce.as_slice())
            .map_err(|_| EnvelopeError::Malformed("the nonce is not 12 bytes long"))?;
        let ciphertext = BASE64
            .decode(&self.ciphertext)
            .map_err(|_| EnvelopeError::Malformed("the ciphertext is not valid base64"))?;
        Ok(SealedBytes { nonce, ciphertext })
    }
}

impl<T> Clone for Sealed<T> {
    fn clone(&self) -> Self {
        Self {
            subject: self.subject,
            nonce: self.nonce.clone(),
            ciphertext: self.ciphertext.clone(),
            value: PhantomData,
        }
    }
}

impl<T> PartialEq for Sealed<T> {
    fn eq(&self, other: &Self) -> bool {
        self.subject == other.subject
            && self.nonce == other.nonce
            && self.ciphertext == other.ciphertext
    }
}

impl<T> Eq for Sealed<T> {}

impl<T> fmt::Debug for Sealed<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The ciphertext is not secret, but it is long and useless in logs.
        f.debug_struct("Sealed")
            .field("subject", &self.subject)
            .field("ciphertext_len", &self.ciphertext.len())
            .finish_non_exhaustive()
    }
}

/// A personal value as a reader sees it: in clear, or erased.
///
/// Serialized with a tag: `{"status": "clear", "value": ...}` or `{"status": "erased"}`, so
/// read models and API answers can show "erased at the person's request" explicitly.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", content = "value", rename_all = "snake_case")]
pub enum Revealed<T> {
    /// The value in clear.
    Clear(T),
    /// The subject's key was erased: the value is gone.
    Erased,
}

impl<T> Revealed<T> {
    /// The value, if not erased.
    pub fn clear(&self) -> Option<&T> {
        match self {
            Self::Clear(value) => Some(value),
            Self::Erased => None,
        }
    }

    /// The value, if not erased, by value.
    pub fn into_clear(self) -> Option<T> {
        match self {
            Self::Clear(value) => Some(value),
            Self::Erased => None,
        }
    }

    /// Applies `f` to a value in clear; an erased value stays erased.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Revealed<U> {
        match self {
            Self::Clear(value) => Revealed::Clear(f(value)),
            Self::Erased => Revealed::Erased,
        }
    }

    /// Borrows the value in clear.
    pub fn as_ref(&self) -> Revealed<&T> {
        match self {
            Self::Clear(value) => Revealed::Clear(value),
            Self::Erased => Revealed::Erased,
        }
    }

    /// Whether the value was erased.
    pub fn is_erased(&self) -> bool {
        matches!(self, Self::Erased)
    }
}

/// Seals and opens personal values with the keys of a [`KeyVault`]. Cheap to clone (the
/// vault is shared); its `Debug` shows nothing of the vault.
#[derive(Clone)]
pub struct PersonalDataCipher {
    vault: Arc<dyn KeyVault>,
    nonces: NonceSource,
}

#[derive(Clone, Copy)]
enum NonceSource {
    Random,
    /// Derived from key, subject and plaintext, so that tests can build the exact events
    /// they expect. Equal plaintexts give equal ciphertexts: never in production.
    #[cfg(feature = "test-util")]
    Deterministic,
}

impl PersonalDataCipher {
    /// A cipher using the keys of `vault`.
    pub fn new(vault: Arc<dyn KeyVault>) -> Self {
        Self {
            vault,
            nonces: NonceSource::Random,
        }
    }

    /// A cipher whose ciphertexts are a function of key, subject and value, so that tests
    /// can compare whole events. Only with the `test-util` feature, for tests.
    #[cfg(feature = "test-util")]
    pub fn deterministic_for_tests(vault: Arc<dyn KeyVault>) -> Self {
        Self {
            vault,
            nonces: NonceSource::Deterministic,
        }
    }

    /// The vault, e.g. to erase a subject.
    pub fn vault(&self) -> &Arc<dyn KeyVault> {
        &self.vault
    }

    /// Encrypts `value` (as JSON) under `subject`'s key, creating the key on first use.
    /// Fails with [`EnvelopeError::SubjectErased`] if the subject was erased.
    pub async fn seal<T: Serialize>(
        &self,
        subject: SubjectId,
        value: &T,
    ) -> Result<Sealed<T>, EnvelopeError> {
        let key = self
            .vault
            .key_for_writing(subject)
            .await
            .map_err(|error| match error {
                VaultError::SubjectErased => EnvelopeError::SubjectErased(subject),
                other => EnvelopeError::Vault(other),
            })?;
        let plaintext = Zeroizing::new(
            serde_json::to_vec(value).map_err(|e| EnvelopeError::Serialization(json_error(&e)))?,
        );
        let aad = subject_aad(subject);
        let sealed = match self.nonces {
            NonceSource::Random => seal_bytes(key.expose_bytes(), &aad, &plaintext)?,
            #[cfg(feature = "test-util")]
            NonceSource::Deterministic => {
                // GMAC of subject and plaintext under the key, as a nonce.
                let tag = seal_with_nonce(
                    key.expose_bytes(),
                    &[aad.as_slice(), plaintext.as_slice()].concat(),
                    &[],
                    [0; 12],
                )?;
                let mut nonce = [0u8; 12];
                nonce.copy_from_slice(&tag.ciphertext[..12]);
                seal_with_nonce(key.expose_bytes(), &aad, &plaintext, nonce)?
            }
        };
        Ok(Sealed::from_bytes(subject, &sealed))
    }

    /// Decrypts `sealed`. An erased subject gives [`Revealed::Erased`], not an error; a
    /// subject the vault does not know is [`EnvelopeError::KeyMissing`]; a ciphertext that
    /// fails authentication (changed, or moved to another subject) is
    /// [`EnvelopeError::Tampered`].
    pub async fn open<T: DeserializeOwned>(
        &self,
        sealed: &Sealed<T>,
    ) -> Result<Revealed<T>, EnvelopeError> {
        let key = match self.vault.key_for_reading(sealed.subject).await? {
            KeyLookup::Key(key) => key,
            KeyLookup::Erased => return Ok(Revealed::Erased),
            KeyLookup::Unknown => return Err(EnvelopeError::KeyMissing(sealed.subject)),
        };
        let bytes = sealed.to_bytes()?;
        let plaintext = open_bytes(key.expose_bytes(), &subject_aad(sealed.subject), &bytes)?;
        serde_json::from_slice(&plaintext)
            .map(Revealed::Clear)
            .map_err(|e| EnvelopeError::Deserialization(json_error(&e)))
    }
}

impl fmt::Debug for PersonalDataCipher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PersonalDataCipher").finish_non_exhaustive()
    }
}

/// A JSON error described without its message, which may quote the (secret) value.
fn json_error(error: &serde_json::Error) -> String {
    let category = match error.classify() {
        serde_json::error::Category::Io => "i/o error",
        serde_json::error::Category::Syntax => "syntax error",
        serde_json::error::Category::Data => "unexpected shape",
        serde_json::error::Category::Eof => "unexpected end",
    };
    format!(
        "{category} at line {} column {}",
        error.line(),
        error.column()
    )
}

/// Why a personal value could not be sealed or opened. Messages never contain key bytes or
/// personal data.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EnvelopeError {
    /// The subject was erased: nothing new may be written about them.
    #[error("the personal data of subject {0} was erased; nothing new may be recorded about them")]
    SubjectErased(SubjectId),
    /// The vault does not know a subject whose data is in the log: a lost key, not an erasure.
    #[error("no key for subject {0}: the key vault lost a key it should hold")]
    KeyMissing(SubjectId),
    /// Authentication failed: the ciphertext, nonce or subject was changed, or the key is wrong.
    #[error("personal data failed authentication: it was altered or moved to another subject")]
    Tampered,
    /// The sealed value's encoding is broken (not base64, wrong nonce length).
    #[error("malformed sealed personal data: {0}")]
    Malformed(&'static str),
    /// The value could not be serialized to JSON.
    #[error("personal data could not be serialized ({0})")]
    Serialization(String),
    /// The decrypted JSON does not fit the expected type.
    #[error("decrypted personal data does not have the expected type ({0})")]
    Deserialization(String),
    /// The plaintext is too large for AES-GCM.
    #[error("personal data too large to encrypt")]
    Encryption,
    /// The operating system's random generator failed.
    #[error("the system random number generator failed")]
    Randomness,
    /// The key vault failed.
    #[error(transparent)]
    Vault(#[from] VaultError),
}

/// Why a key vault could not answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VaultError {
    /// The subject was erased; no key will be issued for writing.
    #[error("the subject's personal data was erased")]
    SubjectErased,
    /// The vault's storage failed.
    #[error("key vault failure: {0}")]
    Backend(String),
}

/// Whether a JSON object is a sealed value as events store it: exactly `subject`, `nonce`
/// and `ciphertext`.
fn is_sealed_json(object: &serde_json::Map<String, serde_json::Value>) -> bool {
    object.len() == 3
        && object.contains_key("subject")
        && object.contains_key("nonce")
        && object.contains_key("ciphertext")
}

/// The data subjects whose sealed values appear anywhere in `value` (an event's payload),
/// added to `subjects`.
pub fn sealed_subjects(value: &serde_json::Value, subjects: &mut Vec<SubjectId>) {
    match value {
        serde_json::Value::Object(object) if is_sealed_json(object) => {
            if let Some(subject) = object
                .get("subject")
                .and_then(|s| serde_json::from_value::<SubjectId>(s.clone()).ok())
                && !subjects.contains(&subject)
            {
                subjects.push(subject);
            }
        }
        serde_json::Value::Object(object) => {
            for inner in object.values() {
                sealed_subjects(inner, subjects);
            }
        }
        serde_json::Value::Array(items) => {
            for inner in items {
                sealed_subjects(inner, subjects);
            }
        }
        _ => {}
    }
}

/// Which sealed values [`reveal_json`] opens.
#[derive(Clone, Copy, Debug)]
pub enum RevealScope {
    /// Every one the cipher can open (an auditor holding the master key).
    Everyone,
    /// Only this subject's (a person's access request); the others are `withheld`.
    Subject(SubjectId),
}

/// `value` (an event's payload) with every sealed value replaced by
/// `{"status": "clear", "value": ...}` where `cipher` opens it within `scope`,
/// `{"status": "withheld"}` where it is another person's, and `{"status": "erased"}` where
/// there is no cipher or the key was erased. Never fails: what cannot be opened is not shown.
pub async fn reveal_json(
    value: serde_json::Value,
    cipher: Option<&PersonalDataCipher>,
    scope: RevealScope,
) -> serde_json::Value {
    use serde_json::{Value, json};
    match value {
        Value::Object(object) if is_sealed_json(&object) => {
            let Ok(sealed) = serde_json::from_value::<Sealed<Value>>(Value::Object(object)) else {
                return json!({"status": "erased"});
            };
            if let RevealScope::Subject(subject) = scope
                && sealed.subject() != subject
            {
                return json!({"status": "withheld"});
            }
            let Some(cipher) = cipher else {
                return json!({"status": "erased"});
            };
            match cipher.open(&sealed).await {
                Ok(Revealed::Clear(clear)) => json!({"status": "clear", "value": clear}),
                _ => json!({"status": "erased"}),
            }
        }
        Value::Object(object) => {
            let mut revealed = serde_json::Map::with_capacity(object.len());
            for (key, inner) in object {
                revealed.insert(key, Box::pin(reveal_json(inner, cipher, scope)).await);
            }
            Value::Object(revealed)
        }
        Value::Array(items) => {
            let mut revealed = Vec::with_capacity(items.len());
            for inner in items {
                revealed.push(Box::pin(reveal_json(inner, cipher, scope)).await);
            }
            Value::Array(revealed)
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;
    use chrono::TimeZone;

    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    struct Contact {
        name: String,
        national_id: String,
        phone: Option<String>,
    }

    fn contact() -> Contact {
        Contact {
            name: "Amira Ben Salah".to_owned(),
            national_id: "08123456".to_owned(),
            phone: Some("+216 71 000 000".to_owned()),
        }
    }

    fn setup() -> (Arc<InMemoryKeyVault>, PersonalDataCipher) {
        let vault = Arc::new(InMemoryKeyVault::new());
        let cipher = PersonalDataCipher::new(vault.clone());
        (vault, cipher)
    }

    #[tokio::test]
    async fn an_access_request_opens_only_its_subjects_values_and_erased_ones_stay_shut() {
        let (vault, cipher) = setup();
        let (amira, sami) = (SubjectId::new_v7(), SubjectId::new_v7());
        let payload = serde_json::json!({
            "Submitted": {
                "author": cipher.seal(amira, &contact()).await.unwrap(),
                "witnesses": [cipher.seal(sami, &"Sami").await.unwrap()],
                "title": "public",
            }
        });
        let mut subjects = Vec::new();
        sealed_subjects(&payload, &mut subjects);
        assert_eq!(subjects, [amira, sami]);

        let own = reveal_json(payload.clone(), Some(&cipher), RevealScope::Subject(amira)).await;
        assert_eq!(own["Submitted"]["author"]["status"], "clear");
        assert_eq!(
            own["Submitted"]["author"]["value"]["name"],
            "Amira Ben Salah"
        );
        assert_eq!(
            own["Submitted"]["witnesses"][0],
            serde_json::json!({"status": "withheld"})
        );
        assert_eq!(own["Submitted"]["title"], "public");
        let all = reveal_json(payload.clone(), Some(&cipher), RevealScope::Everyone).await;
        assert_eq!(all["Submitted"]["witnesses"][0]["value"], "Sami");
        let keyless = reveal_json(payload.clone(), None, RevealScope::Everyone).await;
        assert_eq!(keyless["Submitted"]["author"]["status"], "erased");

        vault.erase(amira).await.unwrap();
        let erased = reveal_json(payload, Some(&cipher), RevealScope::Everyone).await;
        assert_eq!(
            erased["Submitted"]["author"],
            serde_json::json!({"status": "erased"})
        );
        assert_eq!(erased["Submitted"]["witnesses"][0]["status"], "clear");
    }

    /// An event as a domain crate would declare it: no bound needed on `Contact`'s traits.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    struct FileSubmitted {
        citizen: Sealed<Contact>,
        summary: String,
    }

    #[tokio::test]
    async fn round_trip_of_a_struct() {
        let (_, cipher) = setup();
        let subject = SubjectId::new_v7();
        let sealed = cipher.seal(subject, &contact()).await.unwrap();
        assert_eq!(sealed.subject(), subject);
        assert_eq!(
            cipher.open(&sealed).await.unwrap(),
            Revealed::Clear(contact())
        );
        let json = serde_json::to_value(&sealed).unwrap();
        assert!(!json.to_string().contains("Amira"));
        let keys: Vec<&str> = json
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys.len(), 3);
        assert!(
            keys.contains(&"subject") && keys.contains(&"nonce") && keys.contains(&"ciphertext")
        );
        assert_eq!(json["subject"], serde_json::json!(subject.to_string()));
    }

    #[tokio::test]
    async fn same_value_twice_gives_different_ciphertexts() {
        let (_, cipher) = setup();
        let subject = SubjectId::new_v7();
        let first = cipher.seal(subject, &contact()).await.unwrap();
        let second = cipher.seal(subject, &contact()).await.unwrap();
        assert_ne!(first, second);
        assert_ne!(first.nonce, second.nonce);
        assert_ne!(first.ciphertext, second.ciphertext);
        assert_eq!(
            cipher.open(&first).await.unwrap(),
            cipher.open(&second).await.unwrap()
        );
    }

    #[tokio::test]
    async fn erasure_makes_every_copy_read_as_erased() {
        let at = Utc.with_ymd_and_hms(2025, 3, 20, 9, 0, 0).unwrap();
        let vault = Arc::new(InMemoryKeyVault::with_clock(Arc::new(ManualClock::at(at))));
        let cipher = PersonalDataCipher::new(vault.clone());
        let subject = SubjectId::new_v7();
        let other = SubjectId::new_v7();
        let event = FileSubmitted {
            citizen: cipher.seal(subject, &contact()).await.unwrap(),
            summary: "street lighting".to_owned(),
        };
        let name = cipher.seal(subject, &"Amira".to_owned()).await.unwrap();
        let bystander = cipher.seal(other, &contact()).await.unwrap();
        // A replay: the event as stored in the log, read back later.
        let stored = serde_json::to_string(&event).unwrap();
        let copy = event.citizen.clone();

        vault.erase(subject).await.unwrap();
        vault.erase(subject).await.unwrap(); // idempotent

        let replayed: FileSubmitted = serde_json::from_str(&stored).unwrap();
        assert_eq!(replayed, event);
        for sealed in [&event.citizen, &copy, &replayed.citizen] {
            let revealed = cipher.open(sealed).await.unwrap();
            assert!(revealed.is_erased());
            assert_eq!(revealed.clear(), None);
        }
        assert_eq!(cipher.open(&name).await.unwrap(), Revealed::Erased);
        // Another subject's data is untouched.
        assert_eq!(
            cipher.open(&bystander).await.unwrap(),
            Revealed::Clear(contact())
        );
        assert_eq!(vault.erased_at(subject), Some(at));
        assert_eq!(vault.erased_at(other), None);
        assert!(matches!(
            vault.key_for_reading(subject).await.unwrap(),
            KeyLookup::Erased
        ));
    }

    #[tokio::test]
    async fn erasure_of_an_unknown_subject_still_leaves_a_tombstone() {
        let (vault, cipher) = setup();
        let subject = SubjectId::new_v7();
        vault.erase(subject).await.unwrap();
        assert!(vault.erased_at(subject).is_some());
        assert_eq!(
            cipher.seal(subject, &contact()).await,
            Err(EnvelopeError::SubjectErased(subject))
        );
    }

    #[tokio::test]
    async fn sealing_for_an_erased_subject_fails() {
        let (vault, cipher) = setup();
        let subject = SubjectId::new_v7();
        cipher.seal(subject, &contact()).await.unwrap();
        vault.erase(subject).await.unwrap();
        assert_eq!(
            cipher.seal(subject, &contact()).await,
            Err(EnvelopeError::SubjectErased(subject))
        );
        assert!(matches!(
            vault.key_for_writing(subject).await,
            Err(VaultError::SubjectErased)
        ));
    }

    #[tokio::test]
    async fn tampered_ciphertext_is_detected() {
        let (_, cipher) = setup();
        let subject = SubjectId::new_v7();
        let sealed = cipher.seal(subject, &contact()).await.unwrap();
        let mut bytes = sealed.to_bytes().unwrap();
        for i in [0, bytes.ciphertext.len() / 2, bytes.ciphertext.len() - 1] {
            let mut changed = bytes.clone();
            changed.ciphertext[i] ^= 0x01;
            let tampered = Sealed::<Contact>::from_bytes(subject, &changed);
            assert_eq!(cipher.open(&tampered).await, Err(EnvelopeError::Tampered));
        }
        bytes.nonce[0] ^= 0x80;
        let tampered = Sealed::<Contact>::from_bytes(subject, &bytes);
        assert_eq!(cipher.open(&tampered).await, Err(EnvelopeError::Tampered));
        let mut truncated = sealed.to_bytes().unwrap();
        truncated.ciphertext.truncate(4);
        let tampered = Sealed::<Contact>::from_bytes(subject, &truncated);
        assert_eq!(cipher.open(&tampered).await, Err(EnvelopeError::Tampered));
    }

    #[tokio::test]
    async fn ciphertext_moved_to_another_subject_is_detected() {
        let (vault, cipher) = setup();
        let subject = SubjectId::new_v7();
        let other = SubjectId::new_v7();
        let sealed = cipher.seal(subject, &contact()).await.unwrap();
        // Other has a key, but not this one.
        cipher.seal(other, &contact()).await.unwrap();
        let mut moved = sealed.clone();
        moved.subject = other;
        assert_eq!(cipher.open(&moved).await, Err(EnvelopeError::Tampered));

        // Even under the right key, the associated data pins the subject.
        let key = vault.key_for_writing(subject).await.unwrap();
        let bytes = sealed.to_bytes().unwrap();
        assert!(open_bytes(key.expose_bytes(), &subject_aad(subject), &bytes).is_ok());
        assert_eq!(
            open_bytes(key.expose_bytes(), &subject_aad(other), &bytes),
            Err(EnvelopeError::Tampered)
        );
    }

    #[tokio::test]
    async fn malformed_encoding_is_reported() {
        let (_, cipher) = setup();
        let subject = SubjectId::new_v7();
        let sealed = cipher.seal(subject, &contact()).await.unwrap();
        let mut broken = sealed.clone();
        broken.ciphertext = "not base64!".to_owned();
        assert!(matches!(
            cipher.open(&broken).await,
            Err(EnvelopeError::Malformed(_))
        ));
        let mut short_nonce = sealed.clone();
        short_nonce.nonce = BASE64.encode([0u8; 8]);
        assert!(matches!(
            cipher.open(&short_nonce).await,
            Err(EnvelopeError::Malformed(_))
        ));
    }

    #[tokio::test]
    async fn unknown_key_is_key_missing_not_erased() {
        let (_, cipher) = setup();
        let subject = SubjectId::new_v7();
        let sealed = cipher.seal(subject, &contact()).await.unwrap();
        // A vault that lost its keys (e.g. restored from the wrong backup).
        let (_, empty) = setup();
        assert_eq!(
            empty.open(&sealed).await,
            Err(EnvelopeError::KeyMissing(subject))
        );
    }

    #[tokio::test]
    async fn wrong_type_is_reported_without_quoting_the_value() {
        let (_, cipher) = setup();
        let subject = SubjectId::new_v7();
        let sealed = cipher
            .seal(subject, &"Amira Ben Salah".to_owned())
            .await
            .unwrap();
        let as_number: Sealed<u32> = Sealed {
            subject: sealed.subject,
            nonce: sealed.nonce.clone(),
            ciphertext: sealed.ciphertext.clone(),
            value: PhantomData,
        };
        let error = cipher.open(&as_number).await.unwrap_err();
        assert!(matches!(error, EnvelopeError::Deserialization(_)));
        assert!(!error.to_string().contains("Amira"), "{error}");
        assert!(!format!("{error:?}").contains("Amira"), "{error:?}");
    }

    #[tokio::test]
    async fn debug_output_holds_no_secret() {
        let (vault, cipher) = setup();
        let subject = SubjectId::new_v7();
        let sealed = cipher.seal(subject, &contact()).await.unwrap();
        let key = vault.key_for_writing(subject).await.unwrap();
        let lookup = vault.key_for_reading(subject).await.unwrap();
        let outputs = [
            format!("{key:?}"),
            format!("{key:#?}"),
            format!("{lookup:?}"),
            format!("{vault:?}"),
            format!("{cipher:?}"),
            format!("{sealed:?}"),
            format!("{sealed:#?}"),
        ];
        assert_eq!(outputs[0], "SubjectKey(..)");
        let bytes = key.expose_bytes();
        let secrets = [
            format!("{bytes:?}"),
            format!("{:?}", &bytes[..4]),
            bytes.iter().map(|b| format!("{b:02x}")).collect::<String>(),
            BASE64.encode(bytes),
            "Amira".to_owned(),
            "08123456".to_owned(),
        ];
        for output in &outputs {
            for secret in &secrets {
                assert!(
                    !output.contains(secret.as_str()),
                    "{output} contains {secret}"
                );
            }
        }
    }

    #[test]
    fn primitives_round_trip_and_use_fresh_nonces() {
        let key = SubjectKey::generate().unwrap();
        let first = seal_bytes(key.expose_bytes(), b"aad", b"secret").unwrap();
        let second = seal_bytes(key.expose_bytes(), b"aad", b"secret").unwrap();
        assert_ne!(first.nonce, second.nonce);
        assert_eq!(first.ciphertext.len(), b"secret".len() + 16);
        assert_eq!(
            open_bytes(key.expose_bytes(), b"aad", &first)
                .unwrap()
                .as_slice(),
            b"secret"
        );
        let other = SubjectKey::generate().unwrap();
        assert_ne!(key.expose_bytes(), other.expose_bytes());
        assert_eq!(
            open_bytes(other.expose_bytes(), b"aad", &first),
            Err(EnvelopeError::Tampered)
        );
        assert_eq!(
            open_bytes(key.expose_bytes(), b"other", &first),
            Err(EnvelopeError::Tampered)
        );
        let restored = SubjectKey::from_bytes(*key.expose_bytes());
        assert_eq!(
            open_bytes(restored.expose_bytes(), b"aad", &first)
                .unwrap()
                .as_slice(),
            b"secret"
        );
    }

    #[test]
    fn revealed_serializes_with_a_status_tag() {
        let clear = Revealed::Clear("Amira".to_owned());
        assert_eq!(
            serde_json::to_value(&clear).unwrap(),
            serde_json::json!({"status": "clear", "value": "Amira"})
        );
        let erased: Revealed<String> = Revealed::Erased;
        assert_eq!(
            serde_json::to_value(&erased).unwrap(),
            serde_json::json!({"status": "erased"})
        );
        assert_eq!(
            serde_json::from_str::<Revealed<String>>(r#"{"status":"erased"}"#).unwrap(),
            Revealed::Erased
        );
        assert_eq!(clear.clear().map(String::as_str), Some("Amira"));
        assert_eq!(clear.as_ref().map(String::len), Revealed::Clear(5));
        assert_eq!(clear.clone().map(|s| s.len()), Revealed::Clear(5));
        assert_eq!(erased.clone().map(|s| s.len()), Revealed::Erased);
        assert_eq!(clear.into_clear(), Some("Amira".to_owned()));
        assert!(erased.is_erased());
    }

    #[test]
    fn subject_ids_round_trip() {
        let id = SubjectId::new_v7();
        assert_eq!(id.to_string().parse::<SubjectId>().unwrap(), id);
        assert_eq!(serde_json::to_string(&id).unwrap(), format!("\"{id}\""));
    }

    #[test]
    fn sealed_is_send_and_sync_whatever_t() {
        fn assert_send_sync<X: Send + Sync>() {}
        assert_send_sync::<Sealed<std::rc::Rc<String>>>();
        assert_send_sync::<PersonalDataCipher>();
        assert_send_sync::<InMemoryKeyVault>();
    }
}

#[cfg(all(test, feature = "test-util"))]
mod deterministic_tests {
    use super::*;

    #[tokio::test]
    async fn the_test_cipher_is_reproducible_and_still_opens() {
        let cipher = PersonalDataCipher::deterministic_for_tests(Arc::new(InMemoryKeyVault::new()));
        let subject = SubjectId::new_v7();
        let a = cipher.seal(subject, &"Amira".to_owned()).await.unwrap();
        let b = cipher.seal(subject, &"Amira".to_owned()).await.unwrap();
        let c = cipher.seal(subject, &"Sami".to_owned()).await.unwrap();
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_eq!(
            cipher.open(&a).await.unwrap(),
            Revealed::Clear("Amira".to_owned())
        );
    }
}
