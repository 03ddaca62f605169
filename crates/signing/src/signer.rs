//! [`CertificateSigner`]: the [`AnswerSigner`] that signs answers with the signatory's key
//! from the keystore, after checking that its certificate lets it sign now.
//!
//! It refuses ([`SigningError::NoValidCertificate`]) a certificate that is expired or not yet
//! valid, revoked, without the non-repudiation key usage, not issued by the trusted authority,
//! or for someone else, exactly as [`verify_answer`](crate::verify::verify_answer) would,
//! so that it never produces a signature verifiers reject. "Now" is the injected
//! [`Clock`]'s, so tests and replays control it.
//!
//! The keystore is read on every signature, so a new revocation list or a renewed
//! certificate takes effect at once without a restart. The files are a few hundred bytes,
//! read with blocking calls: cheaper than handing them to a blocking thread pool.

use std::sync::Arc;

use async_trait::async_trait;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use citizen_file::{AnswerDocument, AnswerSignature, AnswerSigner, SigningError};
use ed25519_dalek::Signer as _;
use ed25519_dalek::pkcs8::DecodePrivateKey as _;
use kernel::{Actor, Clock};
use sha2::{Digest, Sha256};

use crate::canonical::canonical_document;
use crate::certificate::{SignatoryKey, check_signatory_certificate, pem_blocks};
use crate::keystore::{Keystore, KeystoreError};

/// Signs answers with certificates from a [`Keystore`].
#[derive(Debug, Clone)]
pub struct CertificateSigner {
    keystore: Keystore,
    clock: Arc<dyn Clock>,
}

impl CertificateSigner {
    /// A signer over `keystore`, checking validity at `clock`'s now.
    pub fn new(keystore: Keystore, clock: Arc<dyn Clock>) -> Self {
        Self { keystore, clock }
    }

    fn sign_now(
        &self,
        document: &AnswerDocument,
        signatory: &Actor,
    ) -> Result<AnswerSignature, SigningError> {
        if document.signatory != signatory.id {
            return Err(SigningError::Refused {
                reason: "the document names another signatory".into(),
            });
        }
        let now = self.clock.now();
        let trust = self.keystore.trust_anchors().map_err(unavailable)?;
        let revocations = self.keystore.revocation_list().map_err(unavailable)?;
        // A list past its announced next update may miss recent revocations: refuse rather
        // than sign with a certificate revoked since.
        let stale = revocations
            .next_update()
            .map_err(|e| unavailable(e.into()))?
            .is_some_and(|next| next < now);
        if stale {
            return Err(SigningError::Unavailable {
                reason: "the certificate revocation list is out of date".into(),
            });
        }
        let credentials = match self.keystore.signatory(signatory.id) {
            Ok(credentials) => credentials,
            Err(KeystoreError::Missing { .. }) => return Err(SigningError::NoValidCertificate),
            Err(e) => return Err(unavailable(e)),
        };
        let certificate = pem_blocks(&credentials.certificate_pem, "CERTIFICATE")
            .ok()
            .and_then(|blocks| blocks.into_iter().next())
            .ok_or(SigningError::NoValidCertificate)?;
        // Valid now, and at the date the document states, which is what verifiers check.
        let check = |at| {
            check_signatory_certificate(&certificate, &trust, Some(&revocations), signatory.id, at)
                .map_err(|_| SigningError::NoValidCertificate)
        };
        let certified = check(now)?;
        if document.signed_at != now {
            check(document.signed_at)?;
        }
        let canonical = canonical_document(document).map_err(|e| SigningError::Refused {
            reason: e.to_string(),
        })?;
        let signature = sign_with(&certified.public_key, &credentials.key_pem, &canonical)?;
        Ok(AnswerSignature {
            algorithm: certified.public_key.algorithm().to_owned(),
            signature: BASE64.encode(signature),
            certificate: BASE64.encode(&certificate),
            document_hash: hex::encode(Sha256::digest(&canonical)),
        })
    }
}

/// Signs `message` with the PKCS#8 key `key_pem`, which must be the private half of the
/// certified `public_key`: a mismatched pair would produce signatures no one can verify.
fn sign_with(
    public_key: &SignatoryKey,
    key_pem: &str,
    message: &[u8],
) -> Result<Vec<u8>, SigningError> {
    let unreadable = |_| SigningError::Refused {
        reason: "the signatory's private key cannot be read".into(),
    };
    let mismatched = || SigningError::Refused {
        reason: "the signatory's private key does not match its certificate".into(),
    };
    match public_key {
        SignatoryKey::Ed25519(certified) => {
            let key = ed25519_dalek::SigningKey::from_pkcs8_pem(key_pem).map_err(unreadable)?;
            if key.verifying_key() != *certified {
                return Err(mismatched());
            }
            Ok(key.sign(message).to_bytes().to_vec())
        }
        SignatoryKey::EcdsaP256(certified) => {
            let key = p256::ecdsa::SigningKey::from_pkcs8_pem(key_pem).map_err(unreadable)?;
            if key.verifying_key() != certified {
                return Err(mismatched());
            }
            let signature: p256::ecdsa::Signature = key.sign(message);
            Ok(signature.to_der().as_bytes().to_vec())
        }
    }
}

#[async_trait]
impl AnswerSigner for CertificateSigner {
    async fn sign(
        &self,
        document: &AnswerDocument,
        signatory: &Actor,
    ) -> Result<AnswerSignature, SigningError> {
        self.sign_now(document, signatory)
    }
}

fn unavailable(error: KeystoreError) -> SigningError {
    SigningError::Unavailable {
        reason: error.to_string(),
    }
}
