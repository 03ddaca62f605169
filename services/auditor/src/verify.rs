//! `verify`: checks every stream's hash chain (reporting the first broken link with its
//! position and stream), every published signed tree head against the log as it is now, and
//! every signed answer's signature.
//!
//! - **Heads**: the log is read once into its Merkle tree (ADR 0008); each head must cover
//!   no more events than the log holds, its root must be the tree's root at its size (a
//!   changed, removed, inserted or reordered event before it changes that root), and, given
//!   the log's public key, its signature must hold. An auditor who kept an old head checks it
//!   the same way: `--head` adds it to the heads checked.
//! - **Answers**: each `AnswerSigned` event's document is rebuilt from the file's events
//!   (its text opened with the master key) and verified against the certification
//!   authority of the keystore, as anyone holding the answer would. An answer whose author's
//!   key was erased cannot be rebuilt: it is counted, not failed.

use std::collections::HashMap;

use citizen_file::{CitizenFile, CitizenFileEvent};
use cqrs_es::Aggregate;
use event_store::{ChainReport, Cursor, Store};
use kernel::personal_data::{PersonalDataCipher, Revealed};
use projections::citizen_file::FileDetail;
use serde::Serialize;
use signing::transparency::all_heads;
use signing::{LogPublicKey, LogTree, SignedTreeHead};

use crate::error::AuditorError;

/// What `verify` checks beyond the hash chains.
#[derive(Debug, Default)]
pub struct Checks {
    /// The log's public key: heads' signatures are checked with it.
    pub log_key: Option<LogPublicKey>,
    /// Heads the auditor kept, checked beside the published ones.
    pub kept_heads: Vec<SignedTreeHead>,
    /// The signatories' keystore (its authority and revocation list): answers are checked
    /// against it.
    pub keystore: Option<signing::Keystore>,
    /// Opens the answers' texts.
    pub cipher: Option<PersonalDataCipher>,
}

/// A head that does not match the log.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct HeadFault {
    /// The head's size.
    pub tree_size: u64,
    /// What is wrong.
    pub fault: String,
}

/// The heads checked.
#[derive(Debug, Serialize, Default)]
pub struct HeadReport {
    /// Events in the log.
    pub log_size: u64,
    /// Heads checked.
    pub checked: u64,
    /// Whether their signatures were checked (a log key was given).
    pub signatures_checked: bool,
    /// Heads that do not match, smallest first.
    pub faults: Vec<HeadFault>,
}

/// A signed answer that does not verify.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct AnswerFault {
    /// The `AnswerSigned` event's global position.
    pub position: i64,
    /// The file.
    pub file: String,
    /// Why.
    pub fault: String,
}

/// The answers checked.
#[derive(Debug, Serialize, Default)]
pub struct AnswerReport {
    /// Whether answers were checked (a keystore and a master key were given).
    pub checked: bool,
    /// Answers whose signature holds.
    pub valid: u64,
    /// Answers whose author's data was erased: their text is gone.
    pub erased: u64,
    /// Answers that do not verify.
    pub faults: Vec<AnswerFault>,
}

/// The outcome of every check.
#[derive(Debug, Serialize)]
pub struct Verification {
    /// The hash chains.
    pub chains: ChainReport,
    /// The signed tree heads.
    pub heads: HeadReport,
    /// The signed answers.
    pub answers: AnswerReport,
}

impl Verification {
    /// Whether every check passed.
    pub fn passed(&self) -> bool {
        self.chains.is_intact() && self.heads.faults.is_empty() && self.answers.faults.is_empty()
    }
}

/// Runs the checks.
pub async fn verify(store: &Store, checks: &Checks) -> Result<Verification, AuditorError> {
    Ok(Verification {
        chains: event_store::verify(store).await?,
        heads: verify_heads(store, checks).await?,
        answers: verify_answers(store, checks).await?,
    })
}

fn corrupt(error: impl std::fmt::Display) -> AuditorError {
    AuditorError::Corrupt(error.to_string())
}

async fn verify_heads(store: &Store, checks: &Checks) -> Result<HeadReport, AuditorError> {
    let mut tree = LogTree::new();
    let log_size = tree.catch_up(&store.log()).await.map_err(corrupt)?;
    let mut heads = all_heads(store.any_pool()).await.map_err(corrupt)?;
    heads.extend(checks.kept_heads.iter().cloned());
    let mut report = HeadReport {
        log_size,
        signatures_checked: checks.log_key.is_some(),
        ..HeadReport::default()
    };
    for head in &heads {
        report.checked += 1;
        let fault = if head.tree_size > log_size {
            Some(format!(
                "covers {} events; the log holds {log_size}: events were removed",
                head.tree_size
            ))
        } else if tree.root_at(head.tree_size).map_err(corrupt)? != head.root_hash {
            Some("its root is not the log's: history before it was rewritten".to_owned())
        } else {
            checks
                .log_key
                .as_ref()
                .and_then(|key| head.verify(key).err())
                .map(|e| format!("signature: {e}"))
        };
        if let Some(fault) = fault {
            report.faults.push(HeadFault {
                tree_size: head.tree_size,
                fault,
            });
        }
    }
    report.faults.sort_by_key(|f| f.tree_size);
    Ok(report)
}

async fn verify_answers(store: &Store, checks: &Checks) -> Result<AnswerReport, AuditorError> {
    let (Some(keystore), Some(cipher)) = (&checks.keystore, &checks.cipher) else {
        return Ok(AnswerReport::default());
    };
    let trust = keystore.trust_anchors().map_err(corrupt)?;
    let revocations = keystore.revocation_list().map_err(corrupt)?;
    let mut report = AnswerReport {
        checked: true,
        ..AnswerReport::default()
    };
    let mut files: HashMap<String, FileDetail> = HashMap::new();
    let mut cursor = Cursor::START;
    loop {
        let events = store
            .log()
            .read_types(cursor, None, &[CitizenFile::TYPE], 5_000)
            .await?;
        let Some(last) = events.last() else {
            break;
        };
        cursor = last.cursor();
        for recorded in &events {
            let event: CitizenFileEvent = recorded.decode()?;
            let before = files.remove(&recorded.aggregate_id);
            let detail = FileDetail::fold(before, &event).map_err(corrupt)?;
            if matches!(event, CitizenFileEvent::AnswerSigned { .. })
                && let Some(answer) = detail.answers.last()
            {
                match cipher.open(&answer.text).await {
                    Ok(Revealed::Clear(text)) => {
                        let document = detail.answer_document(answer, text);
                        match signing::verify_answer(
                            &document,
                            &answer.signature,
                            &trust,
                            Some(&revocations),
                        ) {
                            Ok(_) => report.valid += 1,
                            Err(error) => report.faults.push(AnswerFault {
                                position: recorded.position,
                                file: recorded.aggregate_id.clone(),
                                fault: error.to_string(),
                            }),
                        }
                    }
                    Ok(Revealed::Erased) => report.erased += 1,
                    Err(error) => report.faults.push(AnswerFault {
                        position: recorded.position,
                        file: recorded.aggregate_id.clone(),
                        fault: format!("the answer cannot be opened: {error}"),
                    }),
                }
            }
            files.insert(recorded.aggregate_id.clone(), detail);
        }
    }
    Ok(report)
}
