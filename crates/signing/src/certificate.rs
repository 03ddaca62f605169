//! Checking a signatory's certificate: trusted issuer, validity at an instant, revocation,
//! key usage and subject. The signer runs these checks before signing and the verifier
//! after, with the same code, so that what one accepts the other accepts.
//!
//! The chain is one level deep: signatory certificates are issued directly by a trusted
//! certification authority (the national agency, or the development CA of [`crate::ca`]).
//! Issuer signatures on certificates and revocation lists are checked through x509-parser
//! (which supports Ed25519, ECDSA and RSA issuers, as an agency may use any); signatory keys
//! must be Ed25519 or ECDSA P-256, the algorithms answers are signed with.

use chrono::{DateTime, Utc};
use ed25519_dalek::pkcs8::DecodePublicKey as _;
use kernel::ActorId;
use x509_parser::certificate::X509Certificate;
use x509_parser::oid_registry::{OID_USERID, OID_X509_COMMON_NAME};
use x509_parser::pem::Pem;
use x509_parser::revocation_list::CertificateRevocationList;
use x509_parser::time::ASN1Time;

/// Why a certificate (or the revocation list meant to vouch for it) is not acceptable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CertificateError {
    /// The bytes are not an X.509 certificate (or PEM of one).
    #[error("the certificate cannot be read: {0}")]
    Malformed(String),
    /// No trusted authority issued it (unknown issuer or bad issuer signature).
    #[error("the certificate was not issued by a trusted certification authority")]
    UntrustedIssuer,
    /// The authority that issued it was itself not valid at that instant.
    #[error("the issuing authority's certificate was not valid at {at}")]
    IssuerNotValid {
        /// The instant checked.
        at: DateTime<Utc>,
    },
    /// Checked before its validity starts.
    #[error("the certificate is not valid before {not_before}")]
    NotYetValid {
        /// Start of validity.
        not_before: DateTime<Utc>,
    },
    /// Checked after its validity ends.
    #[error("the certificate expired at {not_after}")]
    Expired {
        /// End of validity.
        not_after: DateTime<Utc>,
    },
    /// The authority revoked it before the instant checked.
    #[error("the certificate was revoked at {revoked_at}")]
    Revoked {
        /// When the authority revoked it.
        revoked_at: DateTime<Utc>,
    },
    /// It does not allow signing documents (key usage `digitalSignature` and
    /// `contentCommitment`, a.k.a. non-repudiation, are both required).
    #[error("the certificate lacks the key usage {0}")]
    MissingKeyUsage(&'static str),
    /// It names someone else than the signatory.
    #[error("the certificate is for {found}, not for signatory {expected}")]
    SubjectMismatch {
        /// The signatory expected.
        expected: String,
        /// The identities the certificate names (common name and user id), comma-separated.
        found: String,
    },
    /// It has a critical extension this verifier does not understand, which RFC 5280
    /// §4.2 requires to reject.
    #[error("the certificate has an unknown critical extension {0}")]
    UnknownCriticalExtension(String),
    /// Its key is neither an Ed25519 nor an ECDSA P-256 key.
    #[error("the certificate's key is neither Ed25519 nor ECDSA P-256")]
    UnsupportedKey,
    /// The revocation list cannot be read.
    #[error("the revocation list cannot be read: {0}")]
    MalformedRevocationList(String),
    /// The revocation list was not issued by the certificate's authority.
    #[error("the revocation list was not signed by the certificate's authority")]
    UntrustedRevocationList,
}

/// The certification authorities whose certificates are trusted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustAnchors {
    certificates: Vec<Vec<u8>>,
}

impl TrustAnchors {
    /// Every `CERTIFICATE` block of a PEM text (other blocks are ignored); at least one.
    pub fn from_pem(pem: &str) -> Result<Self, CertificateError> {
        let certificates = pem_blocks(pem, "CERTIFICATE").map_err(CertificateError::Malformed)?;
        Self::from_der(certificates)
    }

    /// DER certificates; at least one, each must parse.
    pub fn from_der(certificates: Vec<Vec<u8>>) -> Result<Self, CertificateError> {
        if certificates.is_empty() {
            return Err(CertificateError::Malformed(
                "no trusted certificate given".into(),
            ));
        }
        for der in &certificates {
            parse_certificate(der)?;
        }
        Ok(Self { certificates })
    }

    /// The trusted certificates, DER.
    pub fn certificates(&self) -> &[Vec<u8>] {
        &self.certificates
    }
}

/// One revoked certificate in a revocation list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revocation {
    /// The revoked certificate's serial number, lowercase hex of its big-endian bytes.
    pub serial: String,
    /// When it was revoked.
    pub revoked_at: DateTime<Utc>,
}

/// A certificate revocation list (X.509 CRL) as published by an authority.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevocationList {
    der: Vec<u8>,
}

impl RevocationList {
    /// The first `X509 CRL` block of a PEM text.
    pub fn from_pem(pem: &str) -> Result<Self, CertificateError> {
        let der = pem_blocks(pem, "X509 CRL")
            .map_err(CertificateError::MalformedRevocationList)?
            .into_iter()
            .next()
            .ok_or_else(|| CertificateError::MalformedRevocationList("no X509 CRL block".into()))?;
        Self::from_der(der)
    }

    /// A DER revocation list.
    pub fn from_der(der: Vec<u8>) -> Result<Self, CertificateError> {
        parse_crl(&der)?;
        Ok(Self { der })
    }

    /// The list, DER.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// When the list was issued.
    pub fn this_update(&self) -> Result<DateTime<Utc>, CertificateError> {
        let crl = parse_crl(&self.der)?;
        to_chrono(crl.last_update()).map_err(CertificateError::MalformedRevocationList)
    }

    /// When the next list is due, if the authority said.
    pub fn next_update(&self) -> Result<Option<DateTime<Utc>>, CertificateError> {
        let crl = parse_crl(&self.der)?;
        crl.next_update()
            .map(to_chrono)
            .transpose()
            .map_err(CertificateError::MalformedRevocationList)
    }

    /// The list's sequence number (RFC 5280 §5.2.3), if it has one that fits 64 bits.
    pub fn number(&self) -> Result<Option<u64>, CertificateError> {
        let crl = parse_crl(&self.der)?;
        Ok(crl.crl_number().and_then(|n| {
            let digits = n.to_u64_digits();
            match digits.as_slice() {
                [] => Some(0),
                [n] => Some(*n),
                _ => None,
            }
        }))
    }

    /// Every revocation the list holds.
    pub fn revocations(&self) -> Result<Vec<Revocation>, CertificateError> {
        let crl = parse_crl(&self.der)?;
        crl.iter_revoked_certificates()
            .map(|revoked| {
                Ok(Revocation {
                    serial: hex::encode(revoked.raw_serial()),
                    revoked_at: to_chrono(revoked.revocation_date)
                        .map_err(CertificateError::MalformedRevocationList)?,
                })
            })
            .collect()
    }
}

/// The name of the Ed25519 signature algorithm (RFC 8032), as signatures carry it.
pub const ED25519: &str = "Ed25519";

/// The name of ECDSA over P-256 with SHA-256 (FIPS 186-5), as signatures carry it; the
/// signature is the ASN.1 DER `Ecdsa-Sig-Value`, as in X.509 and OpenSSL.
pub const ECDSA_P256_SHA256: &str = "ECDSA-P256-SHA256";

/// A signatory's certified public key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignatoryKey {
    /// Ed25519.
    Ed25519(ed25519_dalek::VerifyingKey),
    /// ECDSA over P-256.
    EcdsaP256(p256::ecdsa::VerifyingKey),
}

impl SignatoryKey {
    /// The key of a DER SubjectPublicKeyInfo.
    pub fn from_public_key_der(spki: &[u8]) -> Result<Self, CertificateError> {
        if let Ok(key) = ed25519_dalek::VerifyingKey::from_public_key_der(spki) {
            return Ok(Self::Ed25519(key));
        }
        p256::ecdsa::VerifyingKey::from_public_key_der(spki)
            .map(Self::EcdsaP256)
            .map_err(|_| CertificateError::UnsupportedKey)
    }

    /// The name of the signature algorithm this key signs with.
    pub fn algorithm(&self) -> &'static str {
        match self {
            Self::Ed25519(_) => ED25519,
            Self::EcdsaP256(_) => ECDSA_P256_SHA256,
        }
    }
}

/// What a certificate that passed every check says about its holder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertifiedSignatory {
    /// The signatory the certificate is for.
    pub signatory: ActorId,
    /// The certificate's serial number, lowercase hex.
    pub serial: String,
    /// The issuing authority's distinguished name.
    pub issuer: String,
    /// Start of validity.
    pub not_before: DateTime<Utc>,
    /// End of validity.
    pub not_after: DateTime<Utc>,
    /// The certified public key.
    pub public_key: SignatoryKey,
}

/// Checks that `certificate` (DER) lets `signatory` sign at instant `at`: issued by one of
/// `trust`, within its validity (and its issuer's), not revoked by `at` according to
/// `revocations` when given, with key usages `digitalSignature` and `contentCommitment`,
/// naming `signatory` as common name and user id, holding an Ed25519 or P-256 key.
pub fn check_signatory_certificate(
    certificate: &[u8],
    trust: &TrustAnchors,
    revocations: Option<&RevocationList>,
    signatory: ActorId,
    at: DateTime<Utc>,
) -> Result<CertifiedSignatory, CertificateError> {
    let certificate = parse_certificate(certificate)?;
    let issuer = find_issuer(&certificate, trust)?;
    let at_asn1 = ASN1Time::from_timestamp(at.timestamp())
        .map_err(|e| CertificateError::Malformed(e.to_string()))?;
    if !issuer.validity().is_valid_at(at_asn1) {
        return Err(CertificateError::IssuerNotValid { at });
    }

    let not_before =
        to_chrono(certificate.validity().not_before).map_err(CertificateError::Malformed)?;
    let not_after =
        to_chrono(certificate.validity().not_after).map_err(CertificateError::Malformed)?;
    if at < not_before {
        return Err(CertificateError::NotYetValid { not_before });
    }
    if at > not_after {
        return Err(CertificateError::Expired { not_after });
    }

    if let Some(list) = revocations {
        check_not_revoked(&certificate, &issuer, list, at)?;
    }

    let usage = certificate
        .key_usage()
        .map_err(|e| CertificateError::Malformed(e.to_string()))?;
    let usage = usage.map(|extension| extension.value);
    if !usage.is_some_and(|u| u.digital_signature()) {
        return Err(CertificateError::MissingKeyUsage("digitalSignature"));
    }
    if !usage.is_some_and(|u| u.non_repudiation()) {
        return Err(CertificateError::MissingKeyUsage("contentCommitment"));
    }

    check_subject(&certificate, signatory)?;

    if let Some(extension) = certificate
        .extensions()
        .iter()
        .find(|extension| extension.critical && extension.parsed_extension().unsupported())
    {
        return Err(CertificateError::UnknownCriticalExtension(
            extension.oid.to_id_string(),
        ));
    }

    let public_key = SignatoryKey::from_public_key_der(certificate.public_key().raw)?;

    Ok(CertifiedSignatory {
        signatory,
        serial: hex::encode(certificate.raw_serial()),
        issuer: certificate.issuer().to_string(),
        not_before,
        not_after,
        public_key,
    })
}

/// The trusted authority whose name is the certificate's issuer and whose key signed it;
/// only certificates that are CAs (basic constraints) allowed to sign certificates count.
fn find_issuer<'a>(
    certificate: &X509Certificate<'_>,
    trust: &'a TrustAnchors,
) -> Result<X509Certificate<'a>, CertificateError> {
    trust
        .certificates
        .iter()
        .filter_map(|der| parse_certificate(der).ok())
        .find(|anchor| {
            anchor.subject().as_raw() == certificate.issuer().as_raw()
                && anchor.is_ca()
                && anchor
                    .key_usage()
                    .ok()
                    .flatten()
                    .is_none_or(|usage| usage.value.key_cert_sign())
                && certificate
                    .verify_signature(Some(anchor.public_key()))
                    .is_ok()
        })
        .ok_or(CertificateError::UntrustedIssuer)
}

fn check_not_revoked(
    certificate: &X509Certificate<'_>,
    issuer: &X509Certificate<'_>,
    list: &RevocationList,
    at: DateTime<Utc>,
) -> Result<(), CertificateError> {
    let crl = parse_crl(&list.der)?;
    let may_sign_crls = issuer
        .key_usage()
        .ok()
        .flatten()
        .is_none_or(|usage| usage.value.crl_sign());
    if crl.issuer().as_raw() != issuer.subject().as_raw()
        || !may_sign_crls
        || crl.verify_signature(issuer.public_key()).is_err()
    {
        return Err(CertificateError::UntrustedRevocationList);
    }
    for revoked in crl.iter_revoked_certificates() {
        if revoked.serial() == &certificate.tbs_certificate.serial {
            let revoked_at = to_chrono(revoked.revocation_date)
                .map_err(CertificateError::MalformedRevocationList)?;
            // A revocation takes effect from its date: what was signed before stays valid
            // (law 2000-83 keeps signatures made while the certificate was good).
            if revoked_at <= at {
                return Err(CertificateError::Revoked { revoked_at });
            }
        }
    }
    Ok(())
}

fn check_subject(
    certificate: &X509Certificate<'_>,
    signatory: ActorId,
) -> Result<(), CertificateError> {
    let expected = signatory.to_string();
    let names: Vec<&str> = certificate
        .subject()
        .iter_attributes()
        .filter(|attribute| {
            attribute.attr_type() == &OID_X509_COMMON_NAME || attribute.attr_type() == &OID_USERID
        })
        .map(|attribute| attribute.as_str().unwrap_or("<unreadable>"))
        .collect();
    if names.is_empty() || names.iter().any(|name| *name != expected) {
        return Err(CertificateError::SubjectMismatch {
            expected,
            found: names.join(","),
        });
    }
    Ok(())
}

/// Parses a DER certificate, refusing trailing bytes.
pub(crate) fn parse_certificate(der: &[u8]) -> Result<X509Certificate<'_>, CertificateError> {
    match x509_parser::parse_x509_certificate(der) {
        Ok(([], certificate)) => Ok(certificate),
        Ok(_) => Err(CertificateError::Malformed(
            "trailing bytes after the certificate".into(),
        )),
        Err(e) => Err(CertificateError::Malformed(e.to_string())),
    }
}

fn parse_crl(der: &[u8]) -> Result<CertificateRevocationList<'_>, CertificateError> {
    match x509_parser::parse_x509_crl(der) {
        Ok(([], crl)) => Ok(crl),
        Ok(_) => Err(CertificateError::MalformedRevocationList(
            "trailing bytes after the list".into(),
        )),
        Err(e) => Err(CertificateError::MalformedRevocationList(e.to_string())),
    }
}

/// The contents of every PEM block labelled `label`.
pub(crate) fn pem_blocks(pem: &str, label: &str) -> Result<Vec<Vec<u8>>, String> {
    let mut blocks = Vec::new();
    for block in Pem::iter_from_buffer(pem.as_bytes()) {
        let block = block.map_err(|e| e.to_string())?;
        if block.label == label {
            blocks.push(block.contents);
        }
    }
    if blocks.is_empty() {
        return Err(format!("no {label} block"));
    }
    Ok(blocks)
}

fn to_chrono(time: ASN1Time) -> Result<DateTime<Utc>, String> {
    DateTime::from_timestamp(time.timestamp(), 0).ok_or_else(|| "date out of range".to_owned())
}
