//! Verifying a signed answer offline: anyone holding the answer document, its signature and
//! the authority's certificate (and, ideally, its current revocation list) can check it,
//! without the platform (law 2000-83 on electronic exchanges).
//!
//! Checks, in order: the document hashes to the claimed `document_hash`; the algorithm is
//! Ed25519 or ECDSA P-256 with SHA-256, and the certified key's; the certificate chains to a trusted authority, was valid and unrevoked at the
//! document's signing date, allows non-repudiation signatures and names the document's
//! signatory; the signature over the canonical document verifies with the certified key.
//!
//! The signing date is the one in the document. The signer refuses to sign with a certificate
//! not valid at that date and at its own clock's "now", and the `AnswerSigned` event that
//! carries the signature is itself timestamped in the hash-chained log, which is what an
//! auditor compares with when a signatory is suspected of back-dating.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use citizen_file::{AnswerDocument, AnswerSignature};
use p256::ecdsa::signature::Verifier as _;
use sha2::{Digest, Sha256};

use crate::canonical::{CanonicalError, canonical_document};
use crate::certificate::{
    CertificateError, CertifiedSignatory, ECDSA_P256_SHA256, ED25519, RevocationList, SignatoryKey,
    TrustAnchors, check_signatory_certificate,
};

/// Why a signed answer does not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerificationError {
    /// The document has no canonical form.
    #[error(transparent)]
    Canonical(#[from] CanonicalError),
    /// The document is not the one hashed: it was changed, or the hash was.
    #[error("the document's hash is {computed}, the signature claims {claimed}")]
    HashMismatch {
        /// The hash the signature carries.
        claimed: String,
        /// The hash of the document given.
        computed: String,
    },
    /// The signature uses an algorithm this verifier does not know.
    #[error("unsupported signature algorithm {0:?}")]
    UnsupportedAlgorithm(String),
    /// The certificate field is not base64.
    #[error("the signatory's certificate is not base64 DER")]
    MalformedCertificate,
    /// The signature names another algorithm than the certified key's.
    #[error("the signature says {declared} but the certified key is for {certified}")]
    AlgorithmMismatch {
        /// The algorithm the signature names.
        declared: String,
        /// The algorithm of the certified key.
        certified: &'static str,
    },
    /// The signature field is not base64 of a signature of its algorithm.
    #[error("the signature is not base64 of a signature of its algorithm")]
    MalformedSignature,
    /// The signature does not match the document and the certified key.
    #[error("the signature does not verify against the document and the certificate")]
    BadSignature,
    /// The certificate is not acceptable.
    #[error(transparent)]
    Certificate(#[from] CertificateError),
}

/// What a successful verification established.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedAnswer {
    /// SHA-256 of the canonical document, lowercase hex.
    pub document_hash: String,
    /// The certificate the answer was signed under, and who it certifies.
    pub certificate: CertifiedSignatory,
}

/// Verifies `signature` over `document` against the trusted authorities and, when given,
/// their revocation list.
pub fn verify_answer(
    document: &AnswerDocument,
    signature: &AnswerSignature,
    trust: &TrustAnchors,
    revocations: Option<&RevocationList>,
) -> Result<VerifiedAnswer, VerificationError> {
    let canonical = canonical_document(document)?;
    let computed = hex::encode(Sha256::digest(&canonical));
    if signature.document_hash != computed {
        return Err(VerificationError::HashMismatch {
            claimed: signature.document_hash.clone(),
            computed,
        });
    }
    if signature.algorithm != ED25519 && signature.algorithm != ECDSA_P256_SHA256 {
        return Err(VerificationError::UnsupportedAlgorithm(
            signature.algorithm.clone(),
        ));
    }
    let certificate = BASE64
        .decode(&signature.certificate)
        .map_err(|_| VerificationError::MalformedCertificate)?;
    let certified = check_signatory_certificate(
        &certificate,
        trust,
        revocations,
        document.signatory,
        document.signed_at,
    )?;
    let certified_algorithm = certified.public_key.algorithm();
    if signature.algorithm != certified_algorithm {
        return Err(VerificationError::AlgorithmMismatch {
            declared: signature.algorithm.clone(),
            certified: certified_algorithm,
        });
    }
    let signature_bytes = BASE64
        .decode(&signature.signature)
        .map_err(|_| VerificationError::MalformedSignature)?;
    verify_signature(&certified.public_key, &canonical, &signature_bytes)?;
    Ok(VerifiedAnswer {
        document_hash: computed,
        certificate: certified,
    })
}

/// Checks `signature` over `message` with `key`: Ed25519 in its strict form (no small-order
/// keys, canonical encodings), ECDSA P-256 over SHA-256 with a DER signature.
fn verify_signature(
    key: &SignatoryKey,
    message: &[u8],
    signature: &[u8],
) -> Result<(), VerificationError> {
    match key {
        SignatoryKey::Ed25519(key) => {
            let signature = ed25519_dalek::Signature::from_slice(signature)
                .map_err(|_| VerificationError::MalformedSignature)?;
            key.verify_strict(message, &signature)
                .map_err(|_| VerificationError::BadSignature)
        }
        SignatoryKey::EcdsaP256(key) => {
            let signature = p256::ecdsa::Signature::from_der(signature)
                .map_err(|_| VerificationError::MalformedSignature)?;
            key.verify(message, &signature)
                .map_err(|_| VerificationError::BadSignature)
        }
    }
}
