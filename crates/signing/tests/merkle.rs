//! The Merkle tree against the RFC 6962 reference vectors (the leaves, roots and proofs the
//! Certificate Transparency implementations test with), against a naive implementation
//! written straight from the RFC's definitions, and against rewritten histories.
// Helpers outside #[test] functions unwrap too: a failure there is a failed test.
#![allow(clippy::unwrap_used)]

use proptest::prelude::*;
use sha2::{Digest, Sha256};
use signing::merkle::{
    self, MerkleError, MerkleTree, NodeHash, consistency_path, inclusion_path, leaf_hash,
    verify_consistency, verify_inclusion,
};

const REFERENCE_LEAVES: [&str; 8] = [
    "",
    "00",
    "10",
    "2021",
    "3031",
    "40414243",
    "5051525354555657",
    "606162636465666768696a6b6c6d6e6f",
];

/// Root of the tree of the first `i` reference leaves, for `i` in 0..=8.
const REFERENCE_ROOTS: [&str; 9] = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];

fn h(text: &str) -> NodeHash {
    NodeHash::from_hex(text).unwrap()
}

fn reference_tree() -> MerkleTree {
    let mut tree = MerkleTree::new();
    for leaf in REFERENCE_LEAVES {
        tree.push(&hex::decode(leaf).unwrap());
    }
    tree
}

/// A tree of `n` distinct leaves.
fn tree_of(n: u64) -> MerkleTree {
    let mut tree = MerkleTree::new();
    for i in 0..n {
        tree.push(format!("event {i}").as_bytes());
    }
    tree
}

/// MTH straight from RFC 9162 §2.1.1, over the leaves' data, with SHA-256 spelled out, to
/// check the library against something that shares none of its code.
fn naive_root(leaves: &[Vec<u8>]) -> [u8; 32] {
    match leaves.len() {
        0 => Sha256::digest([]).into(),
        1 => Sha256::digest([&[0_u8][..], &leaves[0]].concat()).into(),
        n => {
            let mut k = 1;
            while k * 2 < n {
                k *= 2;
            }
            let left = naive_root(&leaves[..k]);
            let right = naive_root(&leaves[k..]);
            Sha256::digest([&[1_u8][..], &left, &right].concat()).into()
        }
    }
}

#[test]
fn roots_match_the_rfc_6962_reference_vectors() {
    let tree = reference_tree();
    for (size, expected) in REFERENCE_ROOTS.iter().enumerate() {
        assert_eq!(
            tree.root_at(size as u64).unwrap().to_hex(),
            *expected,
            "size {size}"
        );
    }
    assert_eq!(tree.root().to_hex(), REFERENCE_ROOTS[8]);
}

#[test]
fn inclusion_proofs_match_the_reference_vectors() {
    let tree = reference_tree();
    let cases: [(u64, u64, &[&str]); 4] = [
        (0, 1, &[]),
        (
            0,
            8,
            &[
                "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
            ],
        ),
        (
            5,
            8,
            &[
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            ],
        ),
        (
            2,
            3,
            &["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"],
        ),
    ];
    for (index, size, expected) in cases {
        let proof = tree.inclusion_proof(index, size).unwrap();
        let expected: Vec<NodeHash> = expected.iter().map(|e| h(e)).collect();
        assert_eq!(proof.path, expected, "leaf {index} of {size}");
        let leaf = leaf_hash(&hex::decode(REFERENCE_LEAVES[index as usize]).unwrap());
        proof
            .verify(&leaf, &h(REFERENCE_ROOTS[size as usize]))
            .unwrap();
    }
}

#[test]
fn consistency_proofs_match_the_reference_vectors() {
    let tree = reference_tree();
    let cases: [(u64, u64, &[&str]); 4] = [
        (1, 1, &[]),
        (
            2,
            8,
            &[
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
            ],
        ),
        (
            6,
            8,
            &[
                "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            ],
        ),
        (
            2,
            5,
            &[
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            ],
        ),
    ];
    for (first, second, expected) in cases {
        let proof = tree.consistency_proof(first, second).unwrap();
        let expected: Vec<NodeHash> = expected.iter().map(|e| h(e)).collect();
        assert_eq!(proof.path, expected, "{first} -> {second}");
        proof
            .verify(
                &h(REFERENCE_ROOTS[first as usize]),
                &h(REFERENCE_ROOTS[second as usize]),
            )
            .unwrap();
    }
}

#[test]
fn roots_agree_with_a_naive_implementation_of_the_rfc() {
    let mut data = Vec::new();
    let mut tree = MerkleTree::new();
    for i in 0..=40_u32 {
        assert_eq!(tree.root().0, naive_root(&data), "size {i}");
        let leaf = i.to_be_bytes().repeat(i as usize % 3 + 1);
        tree.push(&leaf);
        data.push(leaf);
    }
}

#[test]
fn every_inclusion_proof_up_to_20_leaves_verifies_and_only_for_its_leaf() {
    let tree = tree_of(20);
    for size in 1..=20 {
        let root = tree.root_at(size).unwrap();
        for index in 0..size {
            let leaf = tree.leaf_hashes()[index as usize];
            let proof = tree.inclusion_proof(index, size).unwrap();
            proof.verify(&leaf, &root).unwrap();
            // Another leaf, another position, a tampered path: all refused.
            let other = tree.leaf_hashes()[((index + 1) % size) as usize];
            if size > 1 {
                assert!(proof.verify(&other, &root).is_err(), "{index}/{size}");
                assert!(
                    verify_inclusion((index + 1) % size, size, &leaf, &proof.path, &root).is_err()
                );
                let mut tampered = proof.path.clone();
                tampered[0].0[0] ^= 1;
                assert_eq!(
                    verify_inclusion(index, size, &leaf, &tampered, &root),
                    Err(MerkleError::RootMismatch)
                );
            }
            let mut longer = proof.path.clone();
            longer.push(leaf);
            assert!(verify_inclusion(index, size, &leaf, &longer, &root).is_err());
        }
    }
}

#[test]
fn every_consistency_proof_up_to_20_leaves_verifies() {
    let tree = tree_of(20);
    for second in 0..=20 {
        let second_root = tree.root_at(second).unwrap();
        for first in 0..=second {
            let first_root = tree.root_at(first).unwrap();
            let proof = tree.consistency_proof(first, second).unwrap();
            proof.verify(&first_root, &second_root).unwrap();
            if first > 0 && first < second {
                let mut tampered = proof.path.clone();
                let last = tampered.len() - 1;
                tampered[last].0[31] ^= 0x80;
                assert!(
                    verify_consistency(first, second, &first_root, &second_root, &tampered)
                        .is_err(),
                    "{first} -> {second}"
                );
                assert!(
                    verify_consistency(
                        first,
                        second,
                        &first_root,
                        &second_root,
                        &proof.path[..last]
                    )
                    .is_err()
                );
                // The roots swapped, or the proof offered for the next size: refused.
                assert!(proof.verify(&second_root, &first_root).is_err());
                if first + 1 < second {
                    let next_root = tree.root_at(first + 1).unwrap();
                    assert!(proof.verify(&next_root, &second_root).is_err());
                }
            }
        }
    }
}

#[test]
fn a_rewritten_history_fails_the_consistency_proof_against_an_old_head() {
    let honest = tree_of(13);
    let old_size = 7;
    let old_root = honest.root_at(old_size).unwrap();

    // The log rewrites event 3 and grows to 13: whatever proof it builds from its leaves,
    // it cannot link the auditor's old head to its new root.
    let mut leaves = honest.leaf_hashes().to_vec();
    leaves[3] = leaf_hash(b"event 3, as rewritten");
    let rewritten = MerkleTree::from_leaf_hashes(leaves);
    let proof = rewritten.consistency_proof(old_size, 13).unwrap();
    assert_eq!(
        proof.verify(&old_root, &rewritten.root()),
        Err(MerkleError::RootMismatch)
    );
    // Honest growth passes.
    honest
        .consistency_proof(old_size, 13)
        .unwrap()
        .verify(&old_root, &honest.root())
        .unwrap();
    // And the rewritten event no longer proves included under the old head.
    let proof = rewritten.inclusion_proof(3, old_size).unwrap();
    assert_eq!(
        proof.verify(&rewritten.leaf_hashes()[3], &old_root),
        Err(MerkleError::RootMismatch)
    );
}

#[test]
fn out_of_range_requests_are_errors_not_panics() {
    let tree = tree_of(5);
    assert_eq!(
        tree.inclusion_proof(5, 5),
        Err(MerkleError::LeafOutOfRange {
            index: 5,
            tree_size: 5
        })
    );
    assert_eq!(
        tree.root_at(6),
        Err(MerkleError::SizeOutOfRange {
            tree_size: 6,
            known: 5
        })
    );
    assert_eq!(
        tree.consistency_proof(4, 6),
        Err(MerkleError::SizeOutOfRange {
            tree_size: 6,
            known: 5
        })
    );
    assert_eq!(
        tree.consistency_proof(5, 3),
        Err(MerkleError::SizesOutOfOrder {
            first: 5,
            second: 3
        })
    );
    assert_eq!(
        inclusion_path(&[], 0),
        Err(MerkleError::LeafOutOfRange {
            index: 0,
            tree_size: 0
        })
    );
    assert!(consistency_path(tree.leaf_hashes(), 9).is_err());
    let root = tree.root();
    assert!(verify_inclusion(u64::MAX, u64::MAX, &root, &[], &root).is_err());
    assert!(verify_consistency(3, 2, &root, &root, &[]).is_err());
    assert!(verify_consistency(0, 5, &merkle::empty_root(), &root, &[root]).is_err());
    assert!(NodeHash::from_hex("abc").is_err());
}

#[test]
fn the_cached_tree_agrees_with_the_slice_functions_for_every_size_and_proof() {
    let tree = tree_of(40);
    for size in 0..=40_u64 {
        let leaves = &tree.leaf_hashes()[..size as usize];
        assert_eq!(
            tree.root_at(size).unwrap(),
            merkle::root(leaves),
            "size {size}"
        );
        for index in 0..size {
            assert_eq!(
                tree.inclusion_proof(index, size).unwrap().path,
                inclusion_path(leaves, index).unwrap(),
                "leaf {index} of {size}"
            );
        }
        for first in 0..=size {
            assert_eq!(
                tree.consistency_proof(first, size).unwrap().path,
                consistency_path(leaves, first).unwrap(),
                "{first} -> {size}"
            );
        }
    }
    // Built at once from leaf hashes or leaf by leaf: the same tree.
    assert_eq!(
        MerkleTree::from_leaf_hashes(tree.leaf_hashes().to_vec()),
        tree
    );
}

#[test]
fn a_large_log_gets_roots_and_proofs_for_any_prefix() {
    // 2^17 + 5 leaves: the slice functions would hash the whole log for each of the proofs
    // below; the tree answers from its cached subtrees.
    let size = (1_u64 << 17) + 5;
    let tree =
        MerkleTree::from_leaf_hashes((0..size).map(|i| leaf_hash(&i.to_be_bytes())).collect());
    assert_eq!(tree.root(), merkle::root(tree.leaf_hashes()));
    for (index, tree_size) in [(0, size), (size - 1, size), (70_000, 100_001), (3, 4)] {
        let root = tree.root_at(tree_size).unwrap();
        tree.inclusion_proof(index, tree_size)
            .unwrap()
            .verify(&tree.leaf_hashes()[index as usize], &root)
            .unwrap();
    }
    for (first, second) in [
        (1, size),
        (99_999, size),
        (65_536, 131_072),
        (12_345, 67_890),
    ] {
        tree.consistency_proof(first, second)
            .unwrap()
            .verify(
                &tree.root_at(first).unwrap(),
                &tree.root_at(second).unwrap(),
            )
            .unwrap();
    }
}

#[test]
fn proofs_survive_json() {
    let tree = tree_of(11);
    let proof = tree.consistency_proof(6, 11).unwrap();
    let json = serde_json::to_string(&proof).unwrap();
    assert!(json.contains(&proof.path[0].to_hex()));
    let back: merkle::ConsistencyProof = serde_json::from_str(&json).unwrap();
    assert_eq!(back, proof);
}

proptest! {
    #[test]
    fn proofs_verify_for_random_sizes(
        second in 1_u64..300,
        first_ratio in 0.0_f64..=1.0,
        index_ratio in 0.0_f64..1.0,
    ) {
        let tree = tree_of(second);
        let first = ((second as f64) * first_ratio) as u64;
        let index = ((second as f64) * index_ratio) as u64;
        let root = tree.root();
        prop_assert_eq!(root.0, naive_root(
            &(0..second).map(|i| format!("event {i}").into_bytes()).collect::<Vec<_>>()
        ));
        let inclusion = tree.inclusion_proof(index, second).unwrap();
        prop_assert!(inclusion.verify(&tree.leaf_hashes()[index as usize], &root).is_ok());
        let first_root = tree.root_at(first).unwrap();
        let consistency = tree.consistency_proof(first, second).unwrap();
        prop_assert!(consistency.verify(&first_root, &root).is_ok());
        // The audit path is logarithmic, as the RFC promises.
        prop_assert!(inclusion.path.len() <= 64 - second.leading_zeros() as usize);
    }
}
