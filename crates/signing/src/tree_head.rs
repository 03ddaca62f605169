//! Signed tree heads: the log's Merkle root at a size and an instant, signed with the log's
//! Ed25519 key, so that an auditor who kept one can later demand a consistency proof and
//! detect any rewriting of the history it covers.
//!
//! The signed bytes are a fixed binary layout (not JSON), so a verifier in any language
//! rebuilds them without a canonicalization library:
//!
//! ```text
//! "e-moatinet/tree-head/v1" 0x00 | tree_size: u64 BE | seconds: i64 BE | nanos: u32 BE | root: 32 bytes
//! ```
//!
//! The tag separates these signatures from any other use of the key. The key id is the
//! SHA-256 of the key's SubjectPublicKeyInfo DER, as RFC 6962 names logs.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use chrono::{DateTime, Utc};
use ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
use ed25519_dalek::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey};
use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use rand::RngCore as _;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::merkle::{ConsistencyProof, MerkleError, NodeHash};

/// Domain-separation tag of tree-head signatures.
const TREE_HEAD_TAG: &[u8] = b"e-moatinet/tree-head/v1\0";

/// Why a log key could not be read or a tree head not verified.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TreeHeadError {
    /// The key is not a PEM Ed25519 key of the expected kind.
    #[error("the log key cannot be read: {0}")]
    MalformedKey(String),
    /// The head was signed by another key than the one given.
    #[error("the tree head was signed by key {found}, not by {expected}")]
    UnknownKey {
        /// The id of the key given.
        expected: String,
        /// The id the head names.
        found: String,
    },
    /// The signature is not base64 of 64 bytes.
    #[error("the tree head signature is malformed")]
    MalformedSignature,
    /// The signature does not match the head: it was altered or forged.
    #[error("the tree head signature does not verify")]
    BadSignature,
    /// The consistency proof is for other sizes than the two heads'.
    #[error(
        "the consistency proof is from {proof_first} to {proof_second} leaves, the heads have {first} and {second}"
    )]
    ProofForOtherSizes {
        /// The older head's size.
        first: u64,
        /// The newer head's size.
        second: u64,
        /// The proof's first size.
        proof_first: u64,
        /// The proof's second size.
        proof_second: u64,
    },
    /// The newer head does not extend the older one: history was rewritten.
    #[error("the newer tree head does not extend the older one: {0}")]
    Inconsistent(MerkleError),
}

/// The private key the log signs its heads with.
#[derive(Clone)]
pub struct LogSigningKey {
    key: SigningKey,
}

impl fmt::Debug for LogSigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never the secret: the public half identifies the key well enough.
        f.debug_struct("LogSigningKey")
            .field("key_id", &self.public_key().key_id())
            .finish_non_exhaustive()
    }
}

impl LogSigningKey {
    /// A new random key, from the operating system's generator.
    pub fn generate() -> Self {
        let mut secret = Zeroizing::new([0_u8; 32]);
        rand::rngs::OsRng.fill_bytes(secret.as_mut());
        Self {
            key: SigningKey::from_bytes(&secret),
        }
    }

    /// Reads a PKCS#8 PEM Ed25519 private key.
    pub fn from_pkcs8_pem(pem: &str) -> Result<Self, TreeHeadError> {
        SigningKey::from_pkcs8_pem(pem)
            .map(|key| Self { key })
            .map_err(|e| TreeHeadError::MalformedKey(e.to_string()))
    }

    /// The key as PKCS#8 PEM, wiped from memory when dropped.
    pub fn to_pkcs8_pem(&self) -> Result<Zeroizing<String>, TreeHeadError> {
        self.key
            .to_pkcs8_pem(LineEnding::LF)
            .map_err(|e| TreeHeadError::MalformedKey(e.to_string()))
    }

    /// The public half, which verifiers hold.
    pub fn public_key(&self) -> LogPublicKey {
        LogPublicKey {
            key: self.key.verifying_key(),
        }
    }

    /// Signs the head of the tree of `tree_size` leaves whose root is `root_hash`.
    pub fn sign_tree_head(
        &self,
        tree_size: u64,
        root_hash: NodeHash,
        timestamp: DateTime<Utc>,
    ) -> SignedTreeHead {
        let signature = self
            .key
            .sign(&signed_bytes(tree_size, &root_hash, &timestamp));
        SignedTreeHead {
            tree_size,
            root_hash,
            timestamp,
            key_id: self.public_key().key_id(),
            signature: BASE64.encode(signature.to_bytes()),
        }
    }
}

/// The public key of the log, which anyone verifying heads holds.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct LogPublicKey {
    key: VerifyingKey,
}

impl fmt::Debug for LogPublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LogPublicKey")
            .field("key_id", &self.key_id())
            .finish()
    }
}

impl LogPublicKey {
    /// Reads a SubjectPublicKeyInfo PEM Ed25519 public key.
    pub fn from_public_key_pem(pem: &str) -> Result<Self, TreeHeadError> {
        VerifyingKey::from_public_key_pem(pem)
            .map(|key| Self { key })
            .map_err(|e| TreeHeadError::MalformedKey(e.to_string()))
    }

    /// The key as SubjectPublicKeyInfo PEM.
    pub fn to_public_key_pem(&self) -> Result<String, TreeHeadError> {
        self.key
            .to_public_key_pem(LineEnding::LF)
            .map_err(|e| TreeHeadError::MalformedKey(e.to_string()))
    }

    /// SHA-256 of the SubjectPublicKeyInfo DER, lowercase hex.
    pub fn key_id(&self) -> String {
        // An Ed25519 SubjectPublicKeyInfo is a fixed 12-byte header and the 32-byte key, so
        // it is built here rather than through an encoder that could fail.
        const ED25519_SPKI_HEADER: [u8; 12] = [
            0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
        ];
        let mut hasher = Sha256::new();
        hasher.update(ED25519_SPKI_HEADER);
        hasher.update(self.key.as_bytes());
        hex::encode(hasher.finalize())
    }
}

/// A tree head signed by the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedTreeHead {
    /// The number of leaves (events) the tree covers.
    pub tree_size: u64,
    /// The tree's root hash.
    pub root_hash: NodeHash,
    /// When the head was signed.
    pub timestamp: DateTime<Utc>,
    /// The id of the signing key ([`LogPublicKey::key_id`]).
    pub key_id: String,
    /// The Ed25519 signature, base64.
    pub signature: String,
}

impl SignedTreeHead {
    /// Checks the head's signature with the log's public key.
    pub fn verify(&self, key: &LogPublicKey) -> Result<(), TreeHeadError> {
        let expected = key.key_id();
        if self.key_id != expected {
            return Err(TreeHeadError::UnknownKey {
                expected,
                found: self.key_id.clone(),
            });
        }
        let bytes = BASE64
            .decode(&self.signature)
            .map_err(|_| TreeHeadError::MalformedSignature)?;
        let signature =
            Signature::from_slice(&bytes).map_err(|_| TreeHeadError::MalformedSignature)?;
        key.key
            .verify_strict(
                &signed_bytes(self.tree_size, &self.root_hash, &self.timestamp),
                &signature,
            )
            .map_err(|_| TreeHeadError::BadSignature)
    }
}

impl SignedTreeHead {
    /// What an auditor who kept `older` checks when shown this head: both heads are signed
    /// by `key`, and `proof` shows this tree extends the older one without changing any of
    /// its leaves.
    pub fn check_extends(
        &self,
        older: &SignedTreeHead,
        proof: &ConsistencyProof,
        key: &LogPublicKey,
    ) -> Result<(), TreeHeadError> {
        older.verify(key)?;
        self.verify(key)?;
        if proof.first_size != older.tree_size || proof.second_size != self.tree_size {
            return Err(TreeHeadError::ProofForOtherSizes {
                first: older.tree_size,
                second: self.tree_size,
                proof_first: proof.first_size,
                proof_second: proof.second_size,
            });
        }
        proof
            .verify(&older.root_hash, &self.root_hash)
            .map_err(TreeHeadError::Inconsistent)
    }
}

fn signed_bytes(tree_size: u64, root_hash: &NodeHash, timestamp: &DateTime<Utc>) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(TREE_HEAD_TAG.len() + 8 + 8 + 4 + 32);
    bytes.extend_from_slice(TREE_HEAD_TAG);
    bytes.extend_from_slice(&tree_size.to_be_bytes());
    bytes.extend_from_slice(&timestamp.timestamp().to_be_bytes());
    bytes.extend_from_slice(&timestamp.timestamp_subsec_nanos().to_be_bytes());
    bytes.extend_from_slice(&root_hash.0);
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::merkle::{MerkleTree, leaf_hash};
    use chrono::TimeZone;

    fn head(key: &LogSigningKey) -> SignedTreeHead {
        let mut tree = MerkleTree::new();
        for i in 0..5_u8 {
            tree.push(&[i]);
        }
        let at = Utc.with_ymd_and_hms(2026, 11, 22, 10, 0, 0).unwrap();
        key.sign_tree_head(tree.size(), tree.root(), at)
    }

    #[test]
    fn a_signed_head_verifies_and_survives_json() {
        let key = LogSigningKey::generate();
        let head = head(&key);
        head.verify(&key.public_key()).unwrap();
        let json = serde_json::to_string(&head).unwrap();
        let back: SignedTreeHead = serde_json::from_str(&json).unwrap();
        assert_eq!(back, head);
        back.verify(&key.public_key()).unwrap();
    }

    #[test]
    fn any_changed_field_breaks_the_signature() {
        let key = LogSigningKey::generate();
        let public = key.public_key();
        let head = head(&key);

        let mut bigger = head.clone();
        bigger.tree_size += 1;
        assert_eq!(bigger.verify(&public), Err(TreeHeadError::BadSignature));

        let mut other_root = head.clone();
        other_root.root_hash = leaf_hash(b"rewritten");
        assert_eq!(other_root.verify(&public), Err(TreeHeadError::BadSignature));

        let mut later = head.clone();
        later.timestamp += chrono::Duration::nanoseconds(1);
        assert_eq!(later.verify(&public), Err(TreeHeadError::BadSignature));

        let mut garbled = head.clone();
        garbled.signature = "not base64!".into();
        assert_eq!(
            garbled.verify(&public),
            Err(TreeHeadError::MalformedSignature)
        );
    }

    #[test]
    fn another_key_is_refused_by_id_and_by_signature() {
        let key = LogSigningKey::generate();
        let other = LogSigningKey::generate();
        let head = head(&key);
        assert!(matches!(
            head.verify(&other.public_key()),
            Err(TreeHeadError::UnknownKey { .. })
        ));
        let mut relabelled = head.clone();
        relabelled.key_id = other.public_key().key_id();
        assert_eq!(
            relabelled.verify(&other.public_key()),
            Err(TreeHeadError::BadSignature)
        );
    }

    #[test]
    fn a_newer_head_extends_an_older_one_unless_history_was_rewritten() {
        let key = LogSigningKey::generate();
        let at = Utc.with_ymd_and_hms(2026, 11, 22, 10, 0, 0).unwrap();
        let mut tree = MerkleTree::new();
        for i in 0..6_u8 {
            tree.push(&[i]);
        }
        let older = key.sign_tree_head(tree.size(), tree.root(), at);
        for i in 6..11_u8 {
            tree.push(&[i]);
        }
        let newer = key.sign_tree_head(tree.size(), tree.root(), at + chrono::Duration::hours(1));
        let proof = tree.consistency_proof(6, 11).unwrap();
        newer
            .check_extends(&older, &proof, &key.public_key())
            .unwrap();

        let wrong_sizes = tree.consistency_proof(5, 11).unwrap();
        assert!(matches!(
            newer.check_extends(&older, &wrong_sizes, &key.public_key()),
            Err(TreeHeadError::ProofForOtherSizes { .. })
        ));

        let mut leaves = tree.leaf_hashes().to_vec();
        leaves[2] = leaf_hash(b"rewritten");
        let rewritten = MerkleTree::from_leaf_hashes(leaves);
        let forged = key.sign_tree_head(rewritten.size(), rewritten.root(), at);
        let proof = rewritten.consistency_proof(6, 11).unwrap();
        assert_eq!(
            forged.check_extends(&older, &proof, &key.public_key()),
            Err(TreeHeadError::Inconsistent(MerkleError::RootMismatch))
        );

        let stranger = LogSigningKey::generate();
        let foreign = stranger.sign_tree_head(tree.size(), tree.root(), at);
        let proof = tree.consistency_proof(6, 11).unwrap();
        assert!(matches!(
            foreign.check_extends(&older, &proof, &key.public_key()),
            Err(TreeHeadError::UnknownKey { .. })
        ));
    }

    #[test]
    fn keys_round_trip_through_pem_and_the_key_id_hashes_the_spki() {
        let key = LogSigningKey::generate();
        let reread = LogSigningKey::from_pkcs8_pem(&key.to_pkcs8_pem().unwrap()).unwrap();
        assert_eq!(reread.public_key(), key.public_key());
        let public_pem = key.public_key().to_public_key_pem().unwrap();
        let public = LogPublicKey::from_public_key_pem(&public_pem).unwrap();
        assert_eq!(public, key.public_key());
        let der = key.public_key().key.to_public_key_der().unwrap();
        assert_eq!(public.key_id(), hex::encode(Sha256::digest(der.as_bytes())));
        assert!(LogSigningKey::from_pkcs8_pem("garbage").is_err());
    }
}
