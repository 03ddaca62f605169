//! The key vault on the store's database: one data key per data subject, wrapped under a
//! master key, outside the event log.
//!
//! A subject's key is generated on first use and stored wrapped (AES-256-GCM under the
//! master key, bound to the subject id), so a copy of the table alone reveals nothing.
//! Erasure deletes the wrapped key and keeps a tombstone with its time; from then on reads
//! say "erased" and no new key is ever made for that subject. The vault can sit in another
//! database than the events (configuration), so that their backups can follow different
//! retention rules: a restored event backup must never bring an erased key back.

use async_trait::async_trait;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use chrono::{DateTime, Utc};
use kernel::personal_data::{
    KeyLookup, KeyVault, SealedBytes, SubjectId, SubjectKey, VaultError, open_bytes, seal_bytes,
};
use zeroize::Zeroizing;

use crate::store::{Store, with_pool};

const WRAP_AAD_LABEL: &[u8] = b"e-moatinet/subject-key/v1\0";

/// The key that wraps every subject key. Never logged: `Debug` prints nothing of it.
#[derive(Clone)]
pub struct MasterKey(SubjectKey);

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MasterKey(..)")
    }
}

/// A master key could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MasterKeyError {
    /// Not base64 of exactly 32 bytes.
    #[error("the master key must be 32 bytes encoded in base64")]
    Malformed,
    /// The system's random source failed.
    #[error("no randomness available to generate a master key")]
    Randomness,
}

impl MasterKey {
    /// Reads a key from its base64 text (surrounding white space ignored).
    pub fn from_base64(text: &str) -> Result<Self, MasterKeyError> {
        let bytes = Zeroizing::new(
            BASE64
                .decode(text.trim())
                .map_err(|_| MasterKeyError::Malformed)?,
        );
        let array: [u8; 32] = bytes
            .as_slice()
            .try_into()
            .map_err(|_| MasterKeyError::Malformed)?;
        Ok(Self(SubjectKey::from_bytes(array)))
    }

    /// A new random key.
    pub fn generate() -> Result<Self, MasterKeyError> {
        SubjectKey::generate()
            .map(Self)
            .map_err(|_| MasterKeyError::Randomness)
    }

    /// The key as base64, to store it where configuration will find it.
    pub fn to_base64(&self) -> Zeroizing<String> {
        Zeroizing::new(BASE64.encode(self.0.expose_bytes()))
    }
}

/// The vault. See the module documentation.
#[derive(Clone, Debug)]
pub struct SqlKeyVault {
    store: Store,
    master: MasterKey,
}

fn wrap_aad(subject: SubjectId) -> Vec<u8> {
    [WRAP_AAD_LABEL, subject.0.as_bytes().as_slice()].concat()
}

fn backend(error: sqlx::Error) -> VaultError {
    VaultError::Backend(error.to_string())
}

/// A stored row: the wrapped key and nonce, absent once erased.
type KeyRow = (Option<Vec<u8>>, Option<Vec<u8>>);

impl SqlKeyVault {
    /// A vault on `store`'s database (its `subject_keys` table).
    pub fn new(store: Store, master: MasterKey) -> Self {
        Self { store, master }
    }

    async fn row(&self, subject: SubjectId) -> Result<Option<KeyRow>, VaultError> {
        let id = subject.to_string();
        with_pool!(self.store.backend(), pool => {
            sqlx::query_as("SELECT wrapped_key, nonce FROM subject_keys WHERE subject_id = $1")
                .bind(id)
                .fetch_optional(pool)
                .await
                .map_err(backend)
        })
    }

    fn unwrap_key(&self, subject: SubjectId, row: KeyRow) -> Result<KeyLookup, VaultError> {
        let (Some(ciphertext), Some(nonce)) = row else {
            return Ok(KeyLookup::Erased);
        };
        let nonce: [u8; 12] = nonce
            .as_slice()
            .try_into()
            .map_err(|_| VaultError::Backend("stored nonce is not 12 bytes".into()))?;
        let bytes = open_bytes(
            self.master.0.expose_bytes(),
            &wrap_aad(subject),
            &SealedBytes { nonce, ciphertext },
        )
        .map_err(|_| {
            VaultError::Backend("a subject key does not open under the master key".into())
        })?;
        let array: [u8; 32] = bytes
            .as_slice()
            .try_into()
            .map_err(|_| VaultError::Backend("stored key is not 32 bytes".into()))?;
        Ok(KeyLookup::Key(SubjectKey::from_bytes(array)))
    }
}

#[async_trait]
impl KeyVault for SqlKeyVault {
    async fn key_for_writing(&self, subject: SubjectId) -> Result<SubjectKey, VaultError> {
        if self.row(subject).await?.is_none() {
            let key = SubjectKey::generate()
                .map_err(|_| VaultError::Backend("no randomness for a new key".into()))?;
            let wrapped = seal_bytes(
                self.master.0.expose_bytes(),
                &wrap_aad(subject),
                key.expose_bytes(),
            )
            .map_err(|_| VaultError::Backend("cannot wrap a new key".into()))?;
            let id = subject.to_string();
            let now = Utc::now();
            // Two writers may create a key for the same subject at once: the first insert
            // wins and both read back the winner below.
            with_pool!(self.store.backend(), pool => {
                sqlx::query(
                    "INSERT INTO subject_keys (subject_id, wrapped_key, nonce, created_at) \
                     VALUES ($1, $2, $3, $4) ON CONFLICT (subject_id) DO NOTHING",
                )
                .bind(&id)
                .bind(wrapped.ciphertext.as_slice())
                .bind(wrapped.nonce.as_slice())
                .bind(now)
                .execute(pool)
                .await
                .map_err(backend)?;
            });
        }
        let row = self
            .row(subject)
            .await?
            .ok_or_else(|| VaultError::Backend("a key just written is gone".into()))?;
        match self.unwrap_key(subject, row)? {
            KeyLookup::Key(key) => Ok(key),
            KeyLookup::Erased | KeyLookup::Unknown => Err(VaultError::SubjectErased),
        }
    }

    async fn key_for_reading(&self, subject: SubjectId) -> Result<KeyLookup, VaultError> {
        match self.row(subject).await? {
            None => Ok(KeyLookup::Unknown),
            Some(row) => self.unwrap_key(subject, row),
        }
    }

    async fn erase(&self, subject: SubjectId) -> Result<(), VaultError> {
        let id = subject.to_string();
        let now: DateTime<Utc> = Utc::now();
        with_pool!(self.store.backend(), pool => {
            sqlx::query(
                "INSERT INTO subject_keys (subject_id, wrapped_key, nonce, created_at, erased_at) \
                 VALUES ($1, NULL, NULL, $2, $2) \
                 ON CONFLICT (subject_id) DO UPDATE SET wrapped_key = NULL, nonce = NULL, \
                 erased_at = COALESCE(subject_keys.erased_at, excluded.erased_at)",
            )
            .bind(&id)
            .bind(now)
            .execute(pool)
            .await
            .map_err(backend)?;
        });
        Ok(())
    }
}
