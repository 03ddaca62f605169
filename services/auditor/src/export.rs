//! `export`: the log (or one stream, or a range) as NDJSON, one event a line.
//!
//! Personal data travels sealed in events. An auditor given the master key (and the vault)
//! sees it in clear where the person's key still exists; without the key, or where the key
//! was erased, the value is replaced by `{"status":"erased"}`: an export never leaks what the
//! auditor may not read, and never fails on it.

use std::io::Write;

use event_store::{Cursor, Store};
use indicatif::ProgressBar;
use kernel::personal_data::{PersonalDataCipher, RevealScope, reveal_json};
use serde_json::json;

use crate::error::AuditorError;

/// What to export.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    /// Only this aggregate type.
    pub aggregate_type: Option<String>,
    /// Only this stream (with the type).
    pub aggregate_id: Option<String>,
    /// From this global position on (inclusive).
    pub from: Option<i64>,
    /// Up to this global position (inclusive).
    pub to: Option<i64>,
}

impl Selection {
    fn keeps(&self, event: &event_store::RecordedEvent) -> bool {
        self.aggregate_type
            .as_ref()
            .is_none_or(|t| *t == event.aggregate_type)
            && self
                .aggregate_id
                .as_ref()
                .is_none_or(|id| *id == event.aggregate_id)
            && self.from.is_none_or(|p| event.position >= p)
            && self.to.is_none_or(|p| event.position <= p)
    }
}

/// Writes the selected events to `out`; returns how many.
pub async fn export(
    store: &Store,
    selection: &Selection,
    cipher: Option<&PersonalDataCipher>,
    out: &mut dyn Write,
    progress: &ProgressBar,
) -> Result<u64, AuditorError> {
    let log = store.log();
    let mut cursor = Cursor::START;
    let mut written = 0;
    loop {
        let batch = log.read(cursor, None, 1_000).await?;
        let Some(last) = batch.last() else {
            return Ok(written);
        };
        cursor = last.cursor();
        progress.inc(batch.len() as u64);
        for event in batch.into_iter().filter(|e| selection.keeps(e)) {
            let line = json!({
                "position": event.position,
                "transaction": event.transaction,
                "aggregate_type": event.aggregate_type,
                "aggregate_id": event.aggregate_id,
                "sequence": event.sequence,
                "event_type": event.event_type,
                "event_version": event.event_version,
                "recorded_at": event.recorded_at,
                "metadata": event.metadata,
                "payload": reveal_json(event.payload, cipher, RevealScope::Everyone).await,
            });
            serde_json::to_writer(&mut *out, &line)?;
            out.write_all(b"\n")?;
            written += 1;
        }
    }
}
