//! A local certification authority for development and tests: in production signatories'
//! certificates come from the national certification agency, and only its certificate and
//! revocation list are configured; everywhere else this module stands in for it.
//!
//! Keys are Ed25519 or ECDSA P-256 (the two algorithms answers are signed with), everything
//! is PEM, generated with rcgen: the authority's self-signed
//! certificate (key usages `keyCertSign` and `cRLSign`, basic constraints CA with no
//! intermediate), signatory certificates (common name and user id = the actor id, key usages
//! `digitalSignature` and `contentCommitment`), and revocation lists.

use std::fmt;

use chrono::{DateTime, Utc};
use kernel::ActorId;
use rand::RngCore as _;
use rcgen::{
    BasicConstraints, CertificateParams, CertificateRevocationListParams, DistinguishedName,
    DnType, IsCa, Issuer, KeyIdMethod, KeyPair, KeyUsagePurpose, PKCS_ECDSA_P256_SHA256,
    PKCS_ED25519, RevokedCertParams, SerialNumber,
};
use time::OffsetDateTime;
use zeroize::Zeroizing;

use crate::certificate::{CertificateError, Revocation, TrustAnchors, pem_blocks};

/// The X.500 `uid` attribute (RFC 4519), which carries the actor id beside the common name.
const USER_ID_OID: [u64; 7] = [0, 9, 2342, 19_200_300, 100, 1, 1];

/// Why the authority could not do something.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CaError {
    /// The authority's certificate or key cannot be read, or they do not belong together.
    #[error("the certification authority cannot be loaded: {0}")]
    Malformed(String),
    /// A date cannot be written in a certificate.
    #[error("the date {0} cannot be written in a certificate")]
    InvalidDate(DateTime<Utc>),
    /// The validity window is empty or reversed.
    #[error("validity must end after it starts")]
    EmptyValidity,
    /// A serial number is not hex of 1 to 20 bytes.
    #[error("the serial number {0} is not 1 to 20 bytes of hexadecimal")]
    InvalidSerial(String),
    /// Generation failed in the certificate library.
    #[error("certificate generation failed: {0}")]
    Generation(String),
}

impl From<rcgen::Error> for CaError {
    fn from(error: rcgen::Error) -> Self {
        Self::Generation(error.to_string())
    }
}

/// The kind of key generated for a certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum KeyAlgorithm {
    /// Ed25519 (RFC 8032): small, fast, deterministic; the default.
    #[default]
    Ed25519,
    /// ECDSA over NIST P-256 with SHA-256, what most identity cards and HSMs support.
    EcdsaP256,
}

impl KeyAlgorithm {
    fn generate(self) -> Result<KeyPair, CaError> {
        let algorithm = match self {
            Self::Ed25519 => &PKCS_ED25519,
            Self::EcdsaP256 => &PKCS_ECDSA_P256_SHA256,
        };
        Ok(KeyPair::generate_for(algorithm)?)
    }
}

/// A key usage a certificate may grant (RFC 5280 §4.2.1.3), as far as this domain needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyUsage {
    /// Signing in general.
    DigitalSignature,
    /// Signing with commitment to the content: non-repudiation.
    ContentCommitment,
    /// Encrypting keys.
    KeyEncipherment,
    /// Signing certificates.
    KeyCertSign,
    /// Signing revocation lists.
    CrlSign,
}

impl From<KeyUsage> for KeyUsagePurpose {
    fn from(usage: KeyUsage) -> Self {
        match usage {
            KeyUsage::DigitalSignature => Self::DigitalSignature,
            KeyUsage::ContentCommitment => Self::ContentCommitment,
            KeyUsage::KeyEncipherment => Self::KeyEncipherment,
            KeyUsage::KeyCertSign => Self::KeyCertSign,
            KeyUsage::CrlSign => Self::CrlSign,
        }
    }
}

/// What to put in a certificate the authority issues.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateRequest {
    /// The actor the certificate is for (common name and user id).
    pub subject: ActorId,
    /// Start of validity.
    pub not_before: DateTime<Utc>,
    /// End of validity.
    pub not_after: DateTime<Utc>,
    /// The key usages granted.
    pub key_usages: Vec<KeyUsage>,
    /// The kind of key generated for the holder.
    pub key_algorithm: KeyAlgorithm,
}

impl CertificateRequest {
    /// A signatory's certificate: `digitalSignature` and `contentCommitment`.
    pub fn signatory(
        subject: ActorId,
        not_before: DateTime<Utc>,
        not_after: DateTime<Utc>,
    ) -> Self {
        Self {
            subject,
            not_before,
            not_after,
            key_usages: vec![KeyUsage::DigitalSignature, KeyUsage::ContentCommitment],
            key_algorithm: KeyAlgorithm::default(),
        }
    }
}

/// A certificate just issued, with the private key generated for it.
#[derive(Clone)]
pub struct IssuedCertificate {
    /// The serial number, lowercase hex.
    pub serial: String,
    /// The certificate, PEM.
    pub certificate_pem: String,
    /// The holder's PKCS#8 private key, PEM; wiped from memory when dropped.
    pub key_pem: Zeroizing<String>,
}

impl fmt::Debug for IssuedCertificate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IssuedCertificate")
            .field("serial", &self.serial)
            .finish_non_exhaustive()
    }
}

/// A certification authority: its certificate and its signing key.
pub struct CertificateAuthority {
    certificate_pem: String,
    key: KeyPair,
}

impl fmt::Debug for CertificateAuthority {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CertificateAuthority")
            .finish_non_exhaustive()
    }
}

impl CertificateAuthority {
    /// A new self-signed authority named `name` with a key of `algorithm`, valid from
    /// `not_before` to `not_after`.
    pub fn generate(
        name: &str,
        algorithm: KeyAlgorithm,
        not_before: DateTime<Utc>,
        not_after: DateTime<Utc>,
    ) -> Result<Self, CaError> {
        let key = algorithm.generate()?;
        let mut params = CertificateParams::default();
        let mut distinguished_name = DistinguishedName::new();
        distinguished_name.push(DnType::CommonName, name);
        params.distinguished_name = distinguished_name;
        params.not_before = to_time(not_before)?;
        params.not_after = to_time(not_after)?;
        if not_after <= not_before {
            return Err(CaError::EmptyValidity);
        }
        params.serial_number = Some(SerialNumber::from_slice(&random_serial()));
        params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        params.key_identifier_method = KeyIdMethod::Sha256;
        let certificate = params.self_signed(&key)?;
        Ok(Self {
            certificate_pem: certificate.pem(),
            key,
        })
    }

    /// An authority from its certificate and PKCS#8 key, both PEM; the key must be the
    /// certificate's.
    pub fn from_pem(certificate_pem: &str, key_pem: &str) -> Result<Self, CaError> {
        let key = KeyPair::from_pem(key_pem).map_err(|e| CaError::Malformed(e.to_string()))?;
        let der = pem_blocks(certificate_pem, "CERTIFICATE")
            .map_err(CaError::Malformed)?
            .into_iter()
            .next()
            .ok_or_else(|| CaError::Malformed("no certificate".into()))?;
        let certificate = crate::certificate::parse_certificate(&der)
            .map_err(|e| CaError::Malformed(e.to_string()))?;
        if certificate.public_key().subject_public_key.data.as_ref() != key.public_key_raw() {
            return Err(CaError::Malformed(
                "the key does not belong to the certificate".into(),
            ));
        }
        Ok(Self {
            certificate_pem: certificate_pem.to_owned(),
            key,
        })
    }

    /// The authority's certificate, PEM: what verifiers trust.
    pub fn certificate_pem(&self) -> &str {
        &self.certificate_pem
    }

    /// The authority's private key, PKCS#8 PEM; wiped from memory when dropped.
    pub fn key_pem(&self) -> Zeroizing<String> {
        Zeroizing::new(self.key.serialize_pem())
    }

    /// The authority as the only trust anchor.
    pub fn trust_anchors(&self) -> Result<TrustAnchors, CertificateError> {
        TrustAnchors::from_pem(&self.certificate_pem)
    }

    /// Issues a certificate as `request` says, for a new key.
    pub fn issue(&self, request: &CertificateRequest) -> Result<IssuedCertificate, CaError> {
        if request.not_after <= request.not_before {
            return Err(CaError::EmptyValidity);
        }
        let key = request.key_algorithm.generate()?;
        let subject = request.subject.to_string();
        let mut params = CertificateParams::default();
        let mut distinguished_name = DistinguishedName::new();
        distinguished_name.push(DnType::CommonName, subject.as_str());
        distinguished_name.push(DnType::CustomDnType(USER_ID_OID.to_vec()), subject.as_str());
        params.distinguished_name = distinguished_name;
        params.not_before = to_time(request.not_before)?;
        params.not_after = to_time(request.not_after)?;
        let serial = random_serial();
        params.serial_number = Some(SerialNumber::from_slice(&serial));
        params.is_ca = IsCa::ExplicitNoCa;
        params.key_usages = request.key_usages.iter().map(|u| (*u).into()).collect();
        params.use_authority_key_identifier_extension = true;
        let certificate = params.signed_by(&key, &self.issuer()?)?;
        Ok(IssuedCertificate {
            serial: hex::encode(serial),
            certificate_pem: certificate.pem(),
            key_pem: Zeroizing::new(key.serialize_pem()),
        })
    }

    /// Issues a signatory's certificate for `actor`, with an Ed25519 key.
    pub fn issue_signatory(
        &self,
        actor: ActorId,
        not_before: DateTime<Utc>,
        not_after: DateTime<Utc>,
    ) -> Result<IssuedCertificate, CaError> {
        self.issue(&CertificateRequest::signatory(actor, not_before, not_after))
    }

    /// A revocation list, PEM, revoking `revoked`, issued at `this_update`, due again at
    /// `next_update`, numbered `number` (numbers must grow from one list to the next).
    pub fn revocation_list(
        &self,
        revoked: &[Revocation],
        this_update: DateTime<Utc>,
        next_update: DateTime<Utc>,
        number: u64,
    ) -> Result<String, CaError> {
        if next_update <= this_update {
            return Err(CaError::EmptyValidity);
        }
        let revoked_certs = revoked
            .iter()
            .map(|revocation| {
                Ok(RevokedCertParams {
                    serial_number: SerialNumber::from_slice(&serial_bytes(&revocation.serial)?),
                    revocation_time: to_time(revocation.revoked_at)?,
                    reason_code: None,
                    invalidity_date: None,
                })
            })
            .collect::<Result<Vec<_>, CaError>>()?;
        let params = CertificateRevocationListParams {
            this_update: to_time(this_update)?,
            next_update: to_time(next_update)?,
            crl_number: SerialNumber::from_slice(&number.to_be_bytes()),
            issuing_distribution_point: None,
            revoked_certs,
            key_identifier_method: KeyIdMethod::Sha256,
        };
        Ok(params.signed_by(&self.issuer()?)?.pem()?)
    }

    fn issuer(&self) -> Result<Issuer<'static, &KeyPair>, CaError> {
        Issuer::from_ca_cert_pem(&self.certificate_pem, &self.key)
            .map_err(|e| CaError::Malformed(e.to_string()))
    }
}

/// 16 random bytes, positive and without a leading zero byte, so that the DER integer keeps
/// exactly these bytes and its hex form is stable (RFC 5280 allows up to 20).
fn random_serial() -> [u8; 16] {
    let mut serial = [0_u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut serial);
    serial[0] = (serial[0] & 0x7f) | 0x40;
    serial
}

fn serial_bytes(serial: &str) -> Result<Vec<u8>, CaError> {
    hex::decode(serial)
        .ok()
        .filter(|bytes| !bytes.is_empty() && bytes.len() <= 20)
        .ok_or_else(|| CaError::InvalidSerial(serial.to_owned()))
}

fn to_time(at: DateTime<Utc>) -> Result<OffsetDateTime, CaError> {
    OffsetDateTime::from_unix_timestamp(at.timestamp()).map_err(|_| CaError::InvalidDate(at))
}
