//! `replay`: an aggregate's state rebuilt from its events, as of a date or a position, with
//! its history (each event with its actor, time and metadata).

use cqrs_es::Aggregate;
use event_store::{Cursor, RecordedEvent, Store};
use serde::Serialize;
use serde_json::Value;

use crate::error::AuditorError;

/// The state of one aggregate and how it got there.
#[derive(Debug, Serialize)]
pub struct Replay {
    /// `Aggregate::TYPE`.
    pub aggregate_type: String,
    /// The stream.
    pub aggregate_id: String,
    /// The last event applied (the replay's "as of").
    pub as_of: Option<Cursor>,
    /// The state after the last event applied.
    pub state: Value,
    /// Every event applied, in order.
    pub history: Vec<HistoryEntry>,
}

/// One event of the history.
#[derive(Debug, Serialize)]
pub struct HistoryEntry {
    /// Position in the stream.
    pub sequence: i64,
    /// Global position.
    pub position: i64,
    /// Event name.
    pub event_type: String,
    /// When the platform recorded it.
    pub recorded_at: chrono::DateTime<chrono::Utc>,
    /// Who acted (`actor_id`, `role`, `organisation`, `channel`, `request_id`...).
    pub metadata: std::collections::HashMap<String, String>,
    /// The event (personal data sealed, as stored).
    pub payload: Value,
}

fn fold<A: Aggregate>(events: &[RecordedEvent]) -> Result<Value, AuditorError> {
    let mut aggregate = A::default();
    for event in events {
        let decoded: A::Event = event.decode().map_err(|e| {
            AuditorError::Corrupt(format!(
                "{} {} event {}: {e}",
                event.aggregate_type, event.aggregate_id, event.sequence
            ))
        })?;
        aggregate.apply(decoded);
    }
    Ok(serde_json::to_value(&aggregate)?)
}

/// The state of `aggregate_type` folded from `events`.
fn state_of(aggregate_type: &str, events: &[RecordedEvent]) -> Result<Value, AuditorError> {
    macro_rules! known {
        ($($aggregate:ty),* $(,)?) => {
            $(
                if aggregate_type == <$aggregate as Aggregate>::TYPE {
                    return fold::<$aggregate>(events);
                }
            )*
        };
    }
    known!(
        citizen_file::CitizenFile,
        citizen_file::ForumTopic,
        civil_society::CivilSocietyRegister,
        civil_society::RegisteredOrganisation,
        opinions::OpinionEntry,
        opinions::CouncilReporting,
        watcher::ServicePoint,
        watcher::Checklist,
        watcher::Campaign,
        watcher::Visit,
        watcher::CorruptionReferral,
        watcher::SatisfactionSurvey,
    );
    Err(AuditorError::Usage(format!(
        "unknown aggregate type `{aggregate_type}`"
    )))
}

/// Replays `aggregate_type`/`aggregate_id` up to `until`.
pub async fn replay(
    store: &Store,
    aggregate_type: &str,
    aggregate_id: &str,
    until: Option<Cursor>,
) -> Result<Replay, AuditorError> {
    let events = store
        .log()
        .stream(aggregate_type, aggregate_id, until)
        .await?;
    if events.is_empty() {
        return Err(AuditorError::Usage(format!(
            "no events for {aggregate_type} {aggregate_id} (at that point)"
        )));
    }
    let state = state_of(aggregate_type, &events)?;
    Ok(Replay {
        aggregate_type: aggregate_type.to_owned(),
        aggregate_id: aggregate_id.to_owned(),
        as_of: events.last().map(RecordedEvent::cursor),
        state,
        history: events
            .into_iter()
            .map(|e| HistoryEntry {
                sequence: e.sequence,
                position: e.position,
                event_type: e.event_type,
                recorded_at: e.recorded_at,
                metadata: e.metadata,
                payload: e.payload,
            })
            .collect(),
    })
}
