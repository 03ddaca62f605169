//! The hash chain: tamper evidence for every stream.
//!
//! Each event records the hash of its stream's previous event (`prev_hash`, zeros for the
//! first) and its own `hash`, SHA-256 over a domain-separation tag, `prev_hash`, and every
//! stored field, each length-prefixed so no two field lists hash alike. The payload and
//! metadata are hashed as the exact JSON text stored, so any edit of a stored byte shows.
//! [`verify`] walks every stream and reports the first broken link: a changed event breaks
//! its own hash, a removed or reordered one breaks the sequence or the next `prev_hash`.
//! (Removing a stream's last events leaves no broken link; the signed digests of the global
//! log, a later piece, cover that.)

use futures::TryStreamExt;
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::error::StoreError;
use crate::store::{Store, with_pool};

/// The `prev_hash` of a stream's first event.
pub const GENESIS: [u8; 32] = [0; 32];

const DOMAIN_TAG: &[u8] = b"e-moatinet/event/v1\0";

/// The stored fields of one event, as hashed.
#[derive(Clone, Copy, Debug)]
pub struct ChainFields<'a> {
    /// `Aggregate::TYPE`.
    pub aggregate_type: &'a str,
    /// The stream.
    pub aggregate_id: &'a str,
    /// Position in the stream, from 1.
    pub sequence: i64,
    /// Event name.
    pub event_type: &'a str,
    /// Event schema version.
    pub event_version: &'a str,
    /// The payload's JSON text, as stored.
    pub payload: &'a str,
    /// The metadata's JSON text, as stored.
    pub metadata: &'a str,
}

/// The hash of an event whose stream's previous event hashed to `prev_hash`.
pub fn event_hash(prev_hash: &[u8; 32], fields: &ChainFields<'_>) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(DOMAIN_TAG);
    hasher.update(prev_hash);
    for part in [
        fields.aggregate_type.as_bytes(),
        fields.aggregate_id.as_bytes(),
        &fields.sequence.to_be_bytes(),
        fields.event_type.as_bytes(),
        fields.event_version.as_bytes(),
        fields.payload.as_bytes(),
        fields.metadata.as_bytes(),
    ] {
        hasher.update((part.len() as u64).to_be_bytes());
        hasher.update(part);
    }
    hasher.finalize().into()
}

/// What is wrong at a broken link.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LinkFault {
    /// The event's content no longer matches its hash: it was changed.
    ContentChanged,
    /// The event does not point at the hash of the stream's previous event: an event before
    /// it was changed, removed or inserted.
    PreviousHashMismatch,
    /// The stream's sequence jumps: events were removed or renumbered.
    SequenceGap {
        /// The sequence the chain expected.
        expected: i64,
    },
    /// A stored hash is not 32 bytes.
    MalformedHash,
}

/// The first broken link found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BrokenLink {
    /// The stream's aggregate type.
    pub aggregate_type: String,
    /// The stream.
    pub aggregate_id: String,
    /// The event's sequence in its stream.
    pub sequence: i64,
    /// The event's global position.
    pub position: i64,
    /// What is wrong.
    pub fault: LinkFault,
}

/// The outcome of a verification.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ChainReport {
    /// Streams checked.
    pub streams: u64,
    /// Events checked (up to the first break).
    pub events: u64,
    /// The first broken link, if any.
    pub first_break: Option<BrokenLink>,
}

impl ChainReport {
    /// Whether every link held.
    pub fn is_intact(&self) -> bool {
        self.first_break.is_none()
    }
}

/// One stored row as the verifier reads it.
struct StoredLink {
    aggregate_type: String,
    aggregate_id: String,
    sequence: i64,
    position: i64,
    event_type: String,
    event_version: String,
    payload: String,
    metadata: String,
    prev_hash: Vec<u8>,
    hash: Vec<u8>,
}

fn link_from_row<R: Row>(row: &R) -> Result<StoredLink, sqlx::Error>
where
    for<'r> &'r str: sqlx::ColumnIndex<R>,
    for<'r> String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> i64: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> Vec<u8>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    Ok(StoredLink {
        aggregate_type: row.try_get("aggregate_type")?,
        aggregate_id: row.try_get("aggregate_id")?,
        sequence: row.try_get("sequence")?,
        position: row.try_get("global_position")?,
        event_type: row.try_get("event_type")?,
        event_version: row.try_get("event_version")?,
        payload: row.try_get("payload")?,
        metadata: row.try_get("metadata")?,
        prev_hash: row.try_get("prev_hash")?,
        hash: row.try_get("hash")?,
    })
}

/// Walks every stream of the store in order and checks each link.
pub async fn verify(store: &Store) -> Result<ChainReport, StoreError> {
    let dialect = store.dialect();
    let sql = format!(
        "SELECT aggregate_type, aggregate_id, sequence, global_position, event_type, \
         event_version, {}, {}, prev_hash, hash \
         FROM events ORDER BY aggregate_type, aggregate_id, sequence",
        dialect.json_text("payload"),
        dialect.json_text("metadata"),
    );
    let mut verifier = Verifier::default();
    with_pool!(store.backend(), pool => {
        let mut rows = sqlx::query(&sql).fetch(pool);
        while let Some(row) = rows.try_next().await? {
            if verifier.check(link_from_row(&row)?) {
                break;
            }
        }
    });
    Ok(verifier.report)
}

#[derive(Default)]
struct Verifier {
    report: ChainReport,
    /// The stream being walked and the hash of its last event.
    current: Option<(String, String, i64, [u8; 32])>,
}

impl Verifier {
    /// Checks one link; true when the chain broke and the walk can stop.
    fn check(&mut self, link: StoredLink) -> bool {
        let (expected_sequence, expected_prev) = match &self.current {
            Some((t, id, last_sequence, last_hash))
                if *t == link.aggregate_type && *id == link.aggregate_id =>
            {
                (last_sequence + 1, *last_hash)
            }
            _ => {
                self.report.streams += 1;
                (1, GENESIS)
            }
        };
        let fault = match (
            <[u8; 32]>::try_from(link.prev_hash.as_slice()),
            <[u8; 32]>::try_from(link.hash.as_slice()),
        ) {
            (Ok(prev_hash), Ok(hash)) => {
                let recomputed = event_hash(
                    &prev_hash,
                    &ChainFields {
                        aggregate_type: &link.aggregate_type,
                        aggregate_id: &link.aggregate_id,
                        sequence: link.sequence,
                        event_type: &link.event_type,
                        event_version: &link.event_version,
                        payload: &link.payload,
                        metadata: &link.metadata,
                    },
                );
                if link.sequence != expected_sequence {
                    Some(LinkFault::SequenceGap {
                        expected: expected_sequence,
                    })
                } else if recomputed != hash {
                    Some(LinkFault::ContentChanged)
                } else if prev_hash != expected_prev {
                    Some(LinkFault::PreviousHashMismatch)
                } else {
                    self.current = Some((
                        link.aggregate_type.clone(),
                        link.aggregate_id.clone(),
                        link.sequence,
                        hash,
                    ));
                    None
                }
            }
            _ => Some(LinkFault::MalformedHash),
        };
        match fault {
            None => {
                self.report.events += 1;
                false
            }
            Some(fault) => {
                self.report.first_break = Some(BrokenLink {
                    aggregate_type: link.aggregate_type,
                    aggregate_id: link.aggregate_id,
                    sequence: link.sequence,
                    position: link.position,
                    fault,
                });
                true
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields<'a>(payload: &'a str) -> ChainFields<'a> {
        ChainFields {
            aggregate_type: "CitizenFile",
            aggregate_id: "f-1",
            sequence: 1,
            event_type: "FileSubmitted",
            event_version: "1",
            payload,
            metadata: "{}",
        }
    }

    #[test]
    fn the_hash_depends_on_every_field_and_on_the_previous_hash() {
        let base = event_hash(&GENESIS, &fields("{\"a\":1}"));
        assert_ne!(base, event_hash(&GENESIS, &fields("{\"a\":2}")));
        assert_ne!(base, event_hash(&[1; 32], &fields("{\"a\":1}")));
        let mut renumbered = fields("{\"a\":1}");
        renumbered.sequence = 2;
        assert_ne!(base, event_hash(&GENESIS, &renumbered));
        assert_eq!(base, event_hash(&GENESIS, &fields("{\"a\":1}")));
    }

    #[test]
    fn length_prefixes_keep_field_boundaries() {
        let mut a = fields("{}");
        a.aggregate_type = "ab";
        a.aggregate_id = "c";
        let mut b = fields("{}");
        b.aggregate_type = "a";
        b.aggregate_id = "bc";
        assert_ne!(event_hash(&GENESIS, &a), event_hash(&GENESIS, &b));
    }
}
