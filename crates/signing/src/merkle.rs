//! The Merkle tree of the global log, exactly as RFC 9162 §2.1 defines it, so that any
//! Certificate Transparency tool can check our heads and proofs.
//!
//! - leaf hash: `SHA-256(0x00 || leaf)`, node hash: `SHA-256(0x01 || left || right)`; the
//!   prefixes keep a leaf from passing for a node (second-preimage attacks);
//! - `MTH` of `n > 1` leaves splits at the largest power of two smaller than `n` (not at the
//!   midpoint: the split is what makes trees of different sizes share their left subtrees,
//!   which consistency proofs rely on);
//! - inclusion proofs (§2.1.3) and consistency proofs (§2.1.4), generated and verified by the
//!   algorithms of the RFC.
//!
//! Everything works over leaf hashes: the caller hashes each event once ([`leaf_hash`]).
//! The free functions ([`root`], [`inclusion_path`], [`consistency_path`]) recurse over a
//! slice, every node hashed once: O(n) hashes per root or proof, never O(n²). A
//! [`MerkleTree`] also keeps its complete subtrees, so that a log serving many proofs answers
//! each in O(log² n).

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::{Digest, Sha256};

/// A SHA-256 hash of a leaf or of a node of the tree. Serialized as lowercase hex.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeHash(pub [u8; 32]);

impl NodeHash {
    /// The hash, lowercase hex.
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    /// Parses 64 hex digits.
    pub fn from_hex(text: &str) -> Result<Self, MerkleError> {
        let mut bytes = [0_u8; 32];
        hex::decode_to_slice(text, &mut bytes).map_err(|_| MerkleError::MalformedHash)?;
        Ok(Self(bytes))
    }
}

impl fmt::Debug for NodeHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "NodeHash({})", self.to_hex())
    }
}

impl fmt::Display for NodeHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl Serialize for NodeHash {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_hex())
    }
}

impl<'de> Deserialize<'de> for NodeHash {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::from_hex(&text).map_err(serde::de::Error::custom)
    }
}

/// Why a tree operation or a proof failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MerkleError {
    /// A hash is not 64 hex digits.
    #[error("a hash is not 64 hexadecimal digits")]
    MalformedHash,
    /// The leaf index is not below the tree size.
    #[error("leaf {index} is outside a tree of {tree_size} leaves")]
    LeafOutOfRange {
        /// The index asked for.
        index: u64,
        /// The tree size.
        tree_size: u64,
    },
    /// A tree size is larger than the leaves known.
    #[error("a tree of {tree_size} leaves was asked for, only {known} are known")]
    SizeOutOfRange {
        /// The size asked for.
        tree_size: u64,
        /// The leaves known.
        known: u64,
    },
    /// A consistency proof was asked from a larger tree to a smaller one.
    #[error("a tree of {first} leaves cannot be a prefix of a tree of {second}")]
    SizesOutOfOrder {
        /// The first (older) size.
        first: u64,
        /// The second (newer) size.
        second: u64,
    },
    /// The proof does not have the shape the sizes call for.
    #[error("the proof has the wrong number of hashes for these sizes")]
    WrongProofLength,
    /// The proof leads to another root: the leaf is not in the tree, or history was rewritten.
    #[error("the proof does not lead to the expected root hash")]
    RootMismatch,
}

const LEAF_PREFIX: u8 = 0x00;
const NODE_PREFIX: u8 = 0x01;

/// `SHA-256(0x00 || leaf)`.
pub fn leaf_hash(leaf: &[u8]) -> NodeHash {
    let mut hasher = Sha256::new();
    hasher.update([LEAF_PREFIX]);
    hasher.update(leaf);
    NodeHash(hasher.finalize().into())
}

/// `SHA-256(0x01 || left || right)`.
pub fn node_hash(left: &NodeHash, right: &NodeHash) -> NodeHash {
    let mut hasher = Sha256::new();
    hasher.update([NODE_PREFIX]);
    hasher.update(left.0);
    hasher.update(right.0);
    NodeHash(hasher.finalize().into())
}

/// The root of the empty tree: SHA-256 of the empty string.
pub fn empty_root() -> NodeHash {
    NodeHash(Sha256::digest([]).into())
}

/// The largest power of two strictly smaller than `n`, for `n >= 2`.
fn split(n: usize) -> usize {
    let power = n.next_power_of_two();
    if power == n { n / 2 } else { power / 2 }
}

/// `MTH(D[n])` over the leaf hashes of `D[n]`; O(n).
pub fn root(leaves: &[NodeHash]) -> NodeHash {
    match leaves {
        [] => empty_root(),
        [leaf] => *leaf,
        _ => {
            let k = split(leaves.len());
            node_hash(&root(&leaves[..k]), &root(&leaves[k..]))
        }
    }
}

/// `PATH(m, D[n])` (§2.1.3.1): the audit path of leaf `index` in the tree of all `leaves`,
/// nearest sibling first; O(n).
pub fn inclusion_path(leaves: &[NodeHash], index: u64) -> Result<Vec<NodeHash>, MerkleError> {
    let tree_size = leaves.len() as u64;
    let position = usize::try_from(index)
        .ok()
        .filter(|i| *i < leaves.len())
        .ok_or(MerkleError::LeafOutOfRange { index, tree_size })?;
    let mut path = Vec::new();
    path_into(
        position,
        0,
        leaves.len(),
        &|a, b| root(&leaves[a..b]),
        &mut path,
    );
    Ok(path)
}

/// `PROOF(m, D[n])` (§2.1.4.1): the consistency proof from the tree of the first `first`
/// leaves to the tree of all `leaves`; empty when `first` is 0 or the whole tree; O(n).
pub fn consistency_path(leaves: &[NodeHash], first: u64) -> Result<Vec<NodeHash>, MerkleError> {
    consistency_path_with(leaves.len(), first, &|a, b| root(&leaves[a..b]))
}

/// The roots of ranges `[start, end)` of leaves, from which the recursions below build
/// proofs: over a slice it hashes the range, over a [`MerkleTree`] it reads cached subtrees.
type RangeRoot<'a> = dyn Fn(usize, usize) -> NodeHash + 'a;

fn consistency_path_with(
    size: usize,
    first: u64,
    root_of: &RangeRoot<'_>,
) -> Result<Vec<NodeHash>, MerkleError> {
    let second = size as u64;
    if first > second {
        return Err(MerkleError::SizesOutOfOrder { first, second });
    }
    let mut path = Vec::new();
    // `first <= size` so the conversion cannot fail; zero and the full size need no proof.
    if let Ok(m) = usize::try_from(first)
        && m > 0
        && m < size
    {
        subproof_into(m, 0, size, true, root_of, &mut path);
    }
    Ok(path)
}

/// `PATH(m, D[start:end])`, `m` relative to `start`.
fn path_into(
    m: usize,
    start: usize,
    end: usize,
    root_of: &RangeRoot<'_>,
    path: &mut Vec<NodeHash>,
) {
    let n = end - start;
    if n <= 1 {
        return;
    }
    let k = split(n);
    if m < k {
        path_into(m, start, start + k, root_of, path);
        path.push(root_of(start + k, end));
    } else {
        path_into(m - k, start + k, end, root_of, path);
        path.push(root_of(start, start + k));
    }
}

/// `SUBPROOF(m, D[start:end], b)`, `m` relative to `start`.
fn subproof_into(
    m: usize,
    start: usize,
    end: usize,
    complete: bool,
    root_of: &RangeRoot<'_>,
    path: &mut Vec<NodeHash>,
) {
    let n = end - start;
    if m == n {
        if !complete {
            path.push(root_of(start, end));
        }
        return;
    }
    let k = split(n);
    if m <= k {
        subproof_into(m, start, start + k, complete, root_of, path);
        path.push(root_of(start + k, end));
    } else {
        subproof_into(m - k, start + k, end, false, root_of, path);
        path.push(root_of(start, start + k));
    }
}

/// Verifies an inclusion proof by the algorithm of RFC 9162 §2.1.3.2.
pub fn verify_inclusion(
    index: u64,
    tree_size: u64,
    leaf: &NodeHash,
    path: &[NodeHash],
    expected_root: &NodeHash,
) -> Result<(), MerkleError> {
    if index >= tree_size {
        return Err(MerkleError::LeafOutOfRange { index, tree_size });
    }
    let (mut f_n, mut s_n) = (index, tree_size - 1);
    let mut r = *leaf;
    for p in path {
        if s_n == 0 {
            return Err(MerkleError::WrongProofLength);
        }
        if f_n & 1 == 1 || f_n == s_n {
            r = node_hash(p, &r);
            while f_n & 1 == 0 && f_n != 0 {
                f_n >>= 1;
                s_n >>= 1;
            }
        } else {
            r = node_hash(&r, p);
        }
        f_n >>= 1;
        s_n >>= 1;
    }
    if s_n != 0 {
        return Err(MerkleError::WrongProofLength);
    }
    if r != *expected_root {
        return Err(MerkleError::RootMismatch);
    }
    Ok(())
}

/// Verifies a consistency proof by the algorithm of RFC 9162 §2.1.4.2, extended with its two
/// trivial cases: equal sizes (empty proof, equal roots) and an empty first tree (empty proof,
/// the empty root).
pub fn verify_consistency(
    first: u64,
    second: u64,
    first_root: &NodeHash,
    second_root: &NodeHash,
    path: &[NodeHash],
) -> Result<(), MerkleError> {
    if first > second {
        return Err(MerkleError::SizesOutOfOrder { first, second });
    }
    if first == 0 || first == second {
        if !path.is_empty() {
            return Err(MerkleError::WrongProofLength);
        }
        let expected_first = if first == 0 {
            empty_root()
        } else {
            *second_root
        };
        return if *first_root == expected_first {
            Ok(())
        } else {
            Err(MerkleError::RootMismatch)
        };
    }
    // Steps 1-2: a power-of-two first tree is a complete subtree of the second, so the proof
    // leaves it out and the verifier starts from the first root.
    let Some((head, rest)) = path.split_first() else {
        return Err(MerkleError::WrongProofLength);
    };
    let (start, rest) = if first.is_power_of_two() {
        (*first_root, path)
    } else {
        (*head, rest)
    };
    let (mut f_n, mut s_n) = (first - 1, second - 1);
    while f_n & 1 == 1 {
        f_n >>= 1;
        s_n >>= 1;
    }
    let (mut fr, mut sr) = (start, start);
    for c in rest {
        if s_n == 0 {
            return Err(MerkleError::WrongProofLength);
        }
        if f_n & 1 == 1 || f_n == s_n {
            fr = node_hash(c, &fr);
            sr = node_hash(c, &sr);
            while f_n & 1 == 0 && f_n != 0 {
                f_n >>= 1;
                s_n >>= 1;
            }
        } else {
            sr = node_hash(&sr, c);
        }
        f_n >>= 1;
        s_n >>= 1;
    }
    if s_n != 0 {
        return Err(MerkleError::WrongProofLength);
    }
    if fr != *first_root || sr != *second_root {
        return Err(MerkleError::RootMismatch);
    }
    Ok(())
}

/// The proof that a leaf is in a tree of a given size.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InclusionProof {
    /// The leaf's index (its position in the log, from 0).
    pub leaf_index: u64,
    /// The size of the tree the proof is for.
    pub tree_size: u64,
    /// The audit path, nearest sibling first.
    pub path: Vec<NodeHash>,
}

impl InclusionProof {
    /// Checks that `leaf` is at `leaf_index` in the tree whose root is `root`.
    pub fn verify(&self, leaf: &NodeHash, root: &NodeHash) -> Result<(), MerkleError> {
        verify_inclusion(self.leaf_index, self.tree_size, leaf, &self.path, root)
    }
}

/// The proof that a tree is a prefix of a larger one: nothing before was rewritten.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsistencyProof {
    /// The size of the older tree.
    pub first_size: u64,
    /// The size of the newer tree.
    pub second_size: u64,
    /// The proof's hashes.
    pub path: Vec<NodeHash>,
}

impl ConsistencyProof {
    /// Checks that the tree of root `first_root` is a prefix of the one of root `second_root`.
    pub fn verify(&self, first_root: &NodeHash, second_root: &NodeHash) -> Result<(), MerkleError> {
        verify_consistency(
            self.first_size,
            self.second_size,
            first_root,
            second_root,
            &self.path,
        )
    }
}

/// The leaf hashes of a log, in order, with the roots and proofs of any of its prefixes.
///
/// It also keeps the root of every complete, aligned subtree of 2^h leaves (about one more
/// hash per leaf, maintained in amortized O(1) per appended leaf). Every left subtree in the
/// RFC's recursion is such a subtree, so a root costs O(log n) and a proof O(log² n) hashes
/// instead of the O(n) of the slice functions above, whatever the size asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MerkleTree {
    /// `levels[h][i]` is the root of leaves `[i * 2^h, (i + 1) * 2^h)`; `levels[0]` the leaves.
    levels: Vec<Vec<NodeHash>>,
}

impl MerkleTree {
    /// An empty tree.
    pub fn new() -> Self {
        Self::default()
    }

    /// A tree over leaf hashes already computed (e.g. kept beside the log); O(n).
    pub fn from_leaf_hashes(leaves: Vec<NodeHash>) -> Self {
        let mut tree = Self {
            levels: Vec::with_capacity(64),
        };
        for leaf in leaves {
            tree.push_hash(leaf);
        }
        tree
    }

    /// Appends a leaf, hashing it; returns its index.
    pub fn push(&mut self, leaf: &[u8]) -> u64 {
        self.push_hash(leaf_hash(leaf))
    }

    /// Appends a leaf hash; returns its index.
    pub fn push_hash(&mut self, hash: NodeHash) -> u64 {
        let mut carry = hash;
        let mut height = 0;
        loop {
            if self.levels.len() == height {
                self.levels.push(Vec::new());
            }
            let level = &mut self.levels[height];
            level.push(carry);
            // A level of even length just completed a pair: their parent is complete too.
            match level.as_slice() {
                [.., left, right] if level.len().is_multiple_of(2) => {
                    carry = node_hash(left, right);
                    height += 1;
                }
                _ => break,
            }
        }
        self.size() - 1
    }

    /// The number of leaves.
    pub fn size(&self) -> u64 {
        self.leaf_hashes().len() as u64
    }

    /// The leaf hashes.
    pub fn leaf_hashes(&self) -> &[NodeHash] {
        self.levels.first().map_or(&[], Vec::as_slice)
    }

    /// The root of the whole tree.
    pub fn root(&self) -> NodeHash {
        self.range_root(0, self.leaf_hashes().len())
    }

    /// The root of the tree of the first `tree_size` leaves.
    pub fn root_at(&self, tree_size: u64) -> Result<NodeHash, MerkleError> {
        Ok(self.range_root(0, self.prefix(tree_size)?))
    }

    /// The inclusion proof of leaf `leaf_index` in the tree of the first `tree_size` leaves.
    pub fn inclusion_proof(
        &self,
        leaf_index: u64,
        tree_size: u64,
    ) -> Result<InclusionProof, MerkleError> {
        let size = self.prefix(tree_size)?;
        let position = usize::try_from(leaf_index)
            .ok()
            .filter(|i| *i < size)
            .ok_or(MerkleError::LeafOutOfRange {
                index: leaf_index,
                tree_size,
            })?;
        let mut path = Vec::new();
        path_into(position, 0, size, &|a, b| self.range_root(a, b), &mut path);
        Ok(InclusionProof {
            leaf_index,
            tree_size,
            path,
        })
    }

    /// The consistency proof from the tree of `first_size` leaves to that of `second_size`.
    pub fn consistency_proof(
        &self,
        first_size: u64,
        second_size: u64,
    ) -> Result<ConsistencyProof, MerkleError> {
        let size = self.prefix(second_size)?;
        let path = consistency_path_with(size, first_size, &|a, b| self.range_root(a, b))?;
        Ok(ConsistencyProof {
            first_size,
            second_size,
            path,
        })
    }

    /// `MTH(D[start:end])`, from the cached complete subtrees where the range is one.
    fn range_root(&self, start: usize, end: usize) -> NodeHash {
        let size = end - start;
        match size {
            0 => return empty_root(),
            _ if size.is_power_of_two() && start.is_multiple_of(size) => {
                let cached = self
                    .levels
                    .get(size.trailing_zeros() as usize)
                    .and_then(|level| level.get(start / size));
                if let Some(hash) = cached {
                    return *hash;
                }
            }
            _ => {}
        }
        if size == 1 {
            // Only reached for a leaf outside the tree, which callers never ask for.
            return self
                .leaf_hashes()
                .get(start)
                .copied()
                .unwrap_or_else(empty_root);
        }
        let k = split(size);
        node_hash(
            &self.range_root(start, start + k),
            &self.range_root(start + k, end),
        )
    }

    /// Checks that the tree has at least `tree_size` leaves, as a `usize`.
    fn prefix(&self, tree_size: u64) -> Result<usize, MerkleError> {
        usize::try_from(tree_size)
            .ok()
            .filter(|size| *size <= self.leaf_hashes().len())
            .ok_or(MerkleError::SizeOutOfRange {
                tree_size,
                known: self.size(),
            })
    }
}
