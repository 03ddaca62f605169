//! The keystore directory: the trusted authority's certificate, its revocation list, and each
//! signatory's key and certificate, as PEM files an operator can inspect with openssl.
//!
//! ```text
//! ca.pem                 the authority's certificate (trusted)
//! ca.key.pem             the authority's key: development only, absent in production where
//!                        the national agency keeps it
//! crl.pem                the authority's current revocation list
//! <actor-id>.key.pem     a signatory's private key (mode 0600)
//! <actor-id>.cert.pem    a signatory's certificate
//! ```
//!
//! Files are replaced atomically (written beside, then renamed), so a signer reading the
//! revocation list while it is renewed sees the old list or the new one, never half of one.
//! The `init_development_authority`, `issue_signatory` and `revoke` functions are what the
//! gateway's `signing` commands call.

use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, Utc};
use kernel::ActorId;
use zeroize::Zeroizing;

use crate::ca::{CaError, CertificateAuthority, IssuedCertificate, KeyAlgorithm};
use crate::certificate::{CertificateError, Revocation, RevocationList, TrustAnchors};

const CA_CERTIFICATE: &str = "ca.pem";
const CA_KEY: &str = "ca.key.pem";
const REVOCATION_LIST: &str = "crl.pem";

/// How long a development revocation list is announced valid; `revoke` issues a new one.
const REVOCATION_LIST_LIFETIME_DAYS: i64 = 365;

/// Why the keystore could not be read or written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeystoreError {
    /// A file the operation needs does not exist.
    #[error("{file} is missing from the keystore")]
    Missing {
        /// The file's name within the keystore.
        file: String,
    },
    /// A file could not be read or written.
    #[error("cannot access {file} in the keystore: {reason}")]
    Io {
        /// The file's name within the keystore.
        file: String,
        /// The system's words.
        reason: String,
    },
    /// A certificate or revocation list in the keystore is unreadable.
    #[error(transparent)]
    Certificate(#[from] CertificateError),
    /// The authority could not do what was asked.
    #[error(transparent)]
    Authority(#[from] CaError),
}

/// A signatory's key and certificate, PEM, as the keystore holds them.
#[derive(Clone)]
pub struct SignatoryCredentials {
    /// The certificate.
    pub certificate_pem: String,
    /// The PKCS#8 private key; wiped from memory when dropped.
    pub key_pem: Zeroizing<String>,
}

impl std::fmt::Debug for SignatoryCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignatoryCredentials")
            .finish_non_exhaustive()
    }
}

/// A keystore directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keystore {
    dir: PathBuf,
}

impl Keystore {
    /// The keystore in `dir` (nothing is read or created yet).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    /// Its directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes the authority's certificate and key.
    pub fn save_authority(&self, authority: &CertificateAuthority) -> Result<(), KeystoreError> {
        self.write(CA_CERTIFICATE, authority.certificate_pem(), false)?;
        self.write(CA_KEY, &authority.key_pem(), true)
    }

    /// Reads the authority's certificate and key (development keystores only).
    pub fn load_authority(&self) -> Result<CertificateAuthority, KeystoreError> {
        let certificate = self.read(CA_CERTIFICATE)?;
        let key = Zeroizing::new(self.read(CA_KEY)?);
        Ok(CertificateAuthority::from_pem(&certificate, &key)?)
    }

    /// The trusted authority's certificate.
    pub fn trust_anchors(&self) -> Result<TrustAnchors, KeystoreError> {
        Ok(TrustAnchors::from_pem(&self.read(CA_CERTIFICATE)?)?)
    }

    /// Replaces the revocation list.
    pub fn save_revocation_list(&self, pem: &str) -> Result<(), KeystoreError> {
        RevocationList::from_pem(pem)?;
        self.write(REVOCATION_LIST, pem, false)
    }

    /// The current revocation list.
    pub fn revocation_list(&self) -> Result<RevocationList, KeystoreError> {
        Ok(RevocationList::from_pem(&self.read(REVOCATION_LIST)?)?)
    }

    /// Writes a signatory's key and certificate.
    pub fn save_signatory(
        &self,
        actor: ActorId,
        issued: &IssuedCertificate,
    ) -> Result<(), KeystoreError> {
        self.write(&key_file(actor), &issued.key_pem, true)?;
        self.write(&certificate_file(actor), &issued.certificate_pem, false)
    }

    /// Reads a signatory's key and certificate.
    pub fn signatory(&self, actor: ActorId) -> Result<SignatoryCredentials, KeystoreError> {
        Ok(SignatoryCredentials {
            certificate_pem: self.read(&certificate_file(actor))?,
            key_pem: Zeroizing::new(self.read(&key_file(actor))?),
        })
    }

    fn read(&self, file: &str) -> Result<String, KeystoreError> {
        fs::read_to_string(self.dir.join(file)).map_err(|e| io_error(file, &e))
    }

    fn write(&self, file: &str, contents: &str, secret: bool) -> Result<(), KeystoreError> {
        fs::create_dir_all(&self.dir).map_err(|e| io_error(file, &e))?;
        let temporary = self.dir.join(format!(".{file}.tmp"));
        let mut options = fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        if secret {
            use std::os::unix::fs::OpenOptionsExt as _;
            options.mode(0o600);
        }
        #[cfg(not(unix))]
        let _ = secret;
        let mut handle = options.open(&temporary).map_err(|e| io_error(file, &e))?;
        handle
            .write_all(contents.as_bytes())
            .and_then(|()| handle.sync_all())
            .map_err(|e| io_error(file, &e))?;
        fs::rename(&temporary, self.dir.join(file)).map_err(|e| io_error(file, &e))
    }
}

fn key_file(actor: ActorId) -> String {
    format!("{actor}.key.pem")
}

fn certificate_file(actor: ActorId) -> String {
    format!("{actor}.cert.pem")
}

fn io_error(file: &str, error: &io::Error) -> KeystoreError {
    if error.kind() == io::ErrorKind::NotFound {
        KeystoreError::Missing {
            file: file.to_owned(),
        }
    } else {
        KeystoreError::Io {
            file: file.to_owned(),
            reason: error.to_string(),
        }
    }
}

/// Creates a development authority named `name` with an Ed25519 key, valid from `now` for
/// `validity`, with an empty revocation list, and saves both in `keystore`.
pub fn init_development_authority(
    keystore: &Keystore,
    name: &str,
    now: DateTime<Utc>,
    validity: Duration,
) -> Result<CertificateAuthority, KeystoreError> {
    let authority =
        CertificateAuthority::generate(name, KeyAlgorithm::Ed25519, now, now + validity)?;
    let list = authority.revocation_list(
        &[],
        now,
        now + Duration::days(REVOCATION_LIST_LIFETIME_DAYS),
        1,
    )?;
    keystore.save_authority(&authority)?;
    keystore.save_revocation_list(&list)?;
    Ok(authority)
}

/// Issues `actor` a signatory certificate valid from `now` for `validity` with the keystore's
/// authority, and saves it; returns its serial number.
pub fn issue_signatory(
    keystore: &Keystore,
    actor: ActorId,
    now: DateTime<Utc>,
    validity: Duration,
) -> Result<String, KeystoreError> {
    let authority = keystore.load_authority()?;
    let issued = authority.issue_signatory(actor, now, now + validity)?;
    keystore.save_signatory(actor, &issued)?;
    Ok(issued.serial)
}

/// Revokes the certificate of serial `serial` as of `now`: issues and saves a new revocation
/// list with every earlier revocation and this one, numbered one more than the current list.
pub fn revoke(keystore: &Keystore, serial: &str, now: DateTime<Utc>) -> Result<(), KeystoreError> {
    let authority = keystore.load_authority()?;
    let current = keystore.revocation_list()?;
    let mut revoked = current.revocations()?;
    let serial = serial.to_ascii_lowercase();
    if !revoked.iter().any(|r| r.serial == serial) {
        revoked.push(Revocation {
            serial,
            revoked_at: now,
        });
    }
    let number = current.number()?.unwrap_or(0).saturating_add(1);
    let list = authority.revocation_list(
        &revoked,
        now,
        now + Duration::days(REVOCATION_LIST_LIFETIME_DAYS),
        number,
    )?;
    keystore.save_revocation_list(&list)
}
