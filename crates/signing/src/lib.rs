//! Signing and verifying: answers signed with the signatory's certificate that anyone can
//! verify offline, and signed Merkle tree heads over the global log.
//!
//! - [`canonical`]: the RFC 8785 canonical form of an answer document and its SHA-256;
//! - [`ca`]: a local certification authority for development and tests;
//! - [`keystore`]: the directory of PEM files the signer reads and the `signing` commands
//!   write;
//! - [`certificate`]: the checks a signatory's certificate must pass;
//! - [`signer`]: [`CertificateSigner`], the real [`citizen_file::AnswerSigner`];
//! - [`verify`]: [`verify_answer`], offline verification of a signed answer;
//! - [`merkle`]: the RFC 9162 Merkle tree, inclusion and consistency proofs;
//! - [`tree_head`]: tree heads signed with the log's Ed25519 key;
//! - [`transparency`]: the global log as a Merkle tree, and the published heads.
#![forbid(unsafe_code)]

pub mod ca;
pub mod canonical;
pub mod certificate;
pub mod keystore;
pub mod merkle;
pub mod signer;
pub mod transparency;
pub mod tree_head;
pub mod verify;

pub use ca::{
    CaError, CertificateAuthority, CertificateRequest, IssuedCertificate, KeyAlgorithm, KeyUsage,
};
pub use canonical::{CanonicalError, canonical_document, document_hash};
pub use certificate::{
    CertificateError, CertifiedSignatory, ECDSA_P256_SHA256, ED25519, Revocation, RevocationList,
    SignatoryKey, TrustAnchors, check_signatory_certificate,
};
pub use keystore::{
    Keystore, KeystoreError, SignatoryCredentials, init_development_authority, issue_signatory,
    revoke,
};
pub use merkle::{ConsistencyProof, InclusionProof, MerkleError, MerkleTree, NodeHash};
pub use signer::CertificateSigner;
pub use transparency::{LogTree, TransparencyError, log_leaf, log_leaf_hash};
pub use tree_head::{LogPublicKey, LogSigningKey, SignedTreeHead, TreeHeadError};
pub use verify::{VerificationError, VerifiedAnswer, verify_answer};
