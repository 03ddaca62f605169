//! The global log as a Merkle tree (ADR 0008): which leaf each event is, the tree kept up
//! with the log, and the published signed heads (`tree_heads`).
//!
//! Leaf `i` is the `i`-th event in log order (the order [`GlobalLog::read`] returns, which
//! is commit order), and its bytes are the event's global position (8 bytes, big-endian)
//! followed by its hash in its stream's chain (32 bytes). The chain hash already covers the
//! event's content, its stream and its predecessor, so the tree commits to the whole log and
//! to its order: rewriting, removing, inserting or reordering an event before a published
//! head changes that head's root.

use std::collections::HashMap;

use chrono::{DateTime, SecondsFormat, Utc};
use event_store::{Cursor, GlobalLog, StoreError};
use sqlx::AnyPool;

use crate::merkle::{
    ConsistencyProof, InclusionProof, MerkleError, MerkleTree, NodeHash, leaf_hash,
};
use crate::tree_head::SignedTreeHead;

/// How many events one read of the log takes while catching up.
const BATCH: u32 = 5_000;

/// Why the log tree or its heads could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum TransparencyError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The heads table failed.
    #[error("tree heads: {0}")]
    Database(#[from] sqlx::Error),
    /// An event's chain hash is not 32 bytes.
    #[error("the event at position {position} has a chain hash of {length} bytes")]
    BadEventHash {
        /// The event.
        position: i64,
        /// Its hash's length.
        length: usize,
    },
    /// A stored head cannot be read.
    #[error("stored tree head of size {tree_size}: {reason}")]
    CorruptHead {
        /// The head.
        tree_size: i64,
        /// What is wrong.
        reason: String,
    },
    /// A proof was asked that the tree cannot give.
    #[error(transparent)]
    Proof(#[from] MerkleError),
    /// No event has this position.
    #[error("no event has position {0}")]
    UnknownPosition(i64),
}

/// The leaf bytes of the event at `position` whose chain hash is `hash`.
pub fn log_leaf(position: i64, hash: &[u8; 32]) -> [u8; 40] {
    let mut leaf = [0u8; 40];
    leaf[..8].copy_from_slice(&position.to_be_bytes());
    leaf[8..].copy_from_slice(hash);
    leaf
}

/// The Merkle tree of the log as far as it was read, and where each event is in it.
#[derive(Debug, Default)]
pub struct LogTree {
    cursor: Cursor,
    tree: MerkleTree,
    leaf_of: HashMap<i64, u64>,
}

impl LogTree {
    /// An empty tree, before the first event.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads the events written since the last call and adds them as leaves; returns the
    /// tree's size.
    pub async fn catch_up(&mut self, log: &GlobalLog) -> Result<u64, TransparencyError> {
        loop {
            let events = log.read(self.cursor, None, BATCH).await?;
            let Some(last) = events.last() else {
                return Ok(self.tree.size());
            };
            let cursor = last.cursor();
            for event in &events {
                self.push(event.position, &event.hash)?;
            }
            self.cursor = cursor;
        }
    }

    /// Adds the event at `position` with chain hash `hash` as the next leaf.
    pub fn push(&mut self, position: i64, hash: &[u8]) -> Result<u64, TransparencyError> {
        let hash: &[u8; 32] = hash
            .try_into()
            .map_err(|_| TransparencyError::BadEventHash {
                position,
                length: hash.len(),
            })?;
        let index = self.tree.push(&log_leaf(position, hash));
        self.leaf_of.insert(position, index);
        Ok(index)
    }

    /// The number of leaves (events) read.
    pub fn size(&self) -> u64 {
        self.tree.size()
    }

    /// The root of the first `tree_size` leaves.
    pub fn root_at(&self, tree_size: u64) -> Result<NodeHash, TransparencyError> {
        Ok(self.tree.root_at(tree_size)?)
    }

    /// The leaf index and leaf hash of the event at `position`.
    pub fn leaf(&self, position: i64) -> Result<(u64, NodeHash), TransparencyError> {
        let index = *self
            .leaf_of
            .get(&position)
            .ok_or(TransparencyError::UnknownPosition(position))?;
        let hash = usize::try_from(index)
            .ok()
            .and_then(|i| self.tree.leaf_hashes().get(i))
            .copied()
            .ok_or(TransparencyError::UnknownPosition(position))?;
        Ok((index, hash))
    }

    /// The proof that the event at `position` is in the tree of `tree_size` leaves.
    pub fn inclusion_proof(
        &self,
        position: i64,
        tree_size: u64,
    ) -> Result<(NodeHash, InclusionProof), TransparencyError> {
        let (index, leaf) = self.leaf(position)?;
        Ok((leaf, self.tree.inclusion_proof(index, tree_size)?))
    }

    /// The proof that the tree of `first` leaves is a prefix of the tree of `second`.
    pub fn consistency_proof(
        &self,
        first: u64,
        second: u64,
    ) -> Result<ConsistencyProof, TransparencyError> {
        Ok(self.tree.consistency_proof(first, second)?)
    }
}

/// The hash of the leaf of the event at `position` with chain hash `hash`, as a verifier
/// computes it.
pub fn log_leaf_hash(position: i64, hash: &[u8; 32]) -> NodeHash {
    leaf_hash(&log_leaf(position, hash))
}

/// Publishes `head` (a head of the same size published before is kept: heads never change).
pub async fn save_head(pool: &AnyPool, head: &SignedTreeHead) -> Result<(), TransparencyError> {
    sqlx::query(
        "INSERT INTO tree_heads (tree_size, root_hash, signed_at, key_id, signature) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (tree_size) DO NOTHING",
    )
    .bind(i64::try_from(head.tree_size).unwrap_or(i64::MAX))
    .bind(head.root_hash.to_hex())
    .bind(head.timestamp.to_rfc3339_opts(SecondsFormat::Nanos, true))
    .bind(&head.key_id)
    .bind(&head.signature)
    .execute(pool)
    .await?;
    Ok(())
}

type HeadRow = (i64, String, String, String, String);

fn decode_head(
    (tree_size, root, signed_at, key_id, signature): HeadRow,
) -> Result<SignedTreeHead, TransparencyError> {
    let corrupt = |reason: String| TransparencyError::CorruptHead { tree_size, reason };
    Ok(SignedTreeHead {
        tree_size: u64::try_from(tree_size).map_err(|e| corrupt(e.to_string()))?,
        root_hash: NodeHash::from_hex(&root).map_err(|e| corrupt(e.to_string()))?,
        timestamp: DateTime::parse_from_rfc3339(&signed_at)
            .map_err(|e| corrupt(e.to_string()))?
            .with_timezone(&Utc),
        key_id,
        signature,
    })
}

const HEAD_COLUMNS: &str = "tree_size, root_hash, signed_at, key_id, signature";

/// The published heads, the largest first, `limit` from `offset`.
pub async fn heads(
    pool: &AnyPool,
    limit: u32,
    offset: u32,
) -> Result<Vec<SignedTreeHead>, TransparencyError> {
    let rows: Vec<HeadRow> = sqlx::query_as(&format!(
        "SELECT {HEAD_COLUMNS} FROM tree_heads ORDER BY tree_size DESC LIMIT $1 OFFSET $2"
    ))
    .bind(i64::from(limit))
    .bind(i64::from(offset))
    .fetch_all(pool)
    .await?;
    rows.into_iter().map(decode_head).collect()
}

/// Every published head, the smallest first (for verification).
pub async fn all_heads(pool: &AnyPool) -> Result<Vec<SignedTreeHead>, TransparencyError> {
    let rows: Vec<HeadRow> = sqlx::query_as(&format!(
        "SELECT {HEAD_COLUMNS} FROM tree_heads ORDER BY tree_size"
    ))
    .fetch_all(pool)
    .await?;
    rows.into_iter().map(decode_head).collect()
}

/// The largest published head.
pub async fn latest_head(pool: &AnyPool) -> Result<Option<SignedTreeHead>, TransparencyError> {
    Ok(heads(pool, 1, 0).await?.into_iter().next())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_leaf_is_the_position_then_the_chain_hash() {
        let leaf = log_leaf(258, &[7u8; 32]);
        assert_eq!(&leaf[..8], &[0, 0, 0, 0, 0, 0, 1, 2]);
        assert_eq!(&leaf[8..], &[7u8; 32]);
    }

    #[test]
    fn proofs_name_events_by_position_and_refuse_unknown_ones() {
        let mut tree = LogTree::new();
        for position in [3_i64, 5, 9] {
            tree.push(position, &[u8::try_from(position).unwrap_or(0); 32])
                .unwrap_or_else(|e| panic!("{e}"));
        }
        let (leaf, proof) = tree.inclusion_proof(5, 3).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(proof.leaf_index, 1);
        assert_eq!(leaf, log_leaf_hash(5, &[5u8; 32]));
        let root = tree.root_at(3).unwrap_or_else(|e| panic!("{e}"));
        assert!(proof.verify(&leaf, &root).is_ok());
        assert!(matches!(
            tree.inclusion_proof(4, 3),
            Err(TransparencyError::UnknownPosition(4))
        ));
        assert!(matches!(
            tree.push(10, &[1u8; 31]),
            Err(TransparencyError::BadEventHash { length: 31, .. })
        ));
    }
}
