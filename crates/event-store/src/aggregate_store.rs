//! The cqrs-es `EventStore` aggregates run on: loads a stream (snapshot first, then the
//! events after it) and commits a command's events with, now and then, a snapshot.
//!
//! cqrs-es 0.5's own `PersistedEventStore` cannot be used with snapshots: with 0.5's
//! `EventSink`, a command's events are already applied to the loaded aggregate while it
//! handles the command, and `PersistedEventStore::commit` applies them a second time before
//! serializing the snapshot, so every snapshot over-counts. This store serializes the state
//! the handler left, which already includes every new event.
//!
//! Loading a stream for a command reads its events with their hashes, so the context
//! carries the chain's tip and the append links to it without reading it again: three
//! round trips a command (snapshot, events, insert), one fewer than reading the tip apart.

use std::collections::HashMap;
use std::marker::PhantomData;

use cqrs_es::persist::{
    EventUpcaster, PersistedEventRepository, PersistenceError, SerializedEvent,
};
use cqrs_es::{Aggregate, AggregateContext, AggregateError, EventEnvelope, EventStore};

use crate::repository::ChainedRepository;

/// A loaded aggregate and what committing after it needs.
#[derive(Debug)]
pub struct ChainedContext<A> {
    aggregate_id: String,
    aggregate: A,
    /// The last committed event's sequence.
    current_sequence: usize,
    /// The last snapshot's number.
    current_snapshot: Option<usize>,
    /// The last committed event's hash (the chain's tip) when loading read it: appending
    /// links to it without reading it again.
    tip: Option<[u8; 32]>,
}

impl<A: Aggregate> AggregateContext<A> for ChainedContext<A> {
    fn aggregate(&mut self) -> &mut A {
        &mut self.aggregate
    }
}

/// The event store of aggregate `A`. See the module documentation.
pub struct ChainedEventStore<A> {
    repository: ChainedRepository,
    /// Events between snapshots; 0 disables snapshots.
    snapshot_every: usize,
    upcasters: Vec<Box<dyn EventUpcaster>>,
    aggregate: PhantomData<fn() -> A>,
}

impl<A> std::fmt::Debug for ChainedEventStore<A> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChainedEventStore")
            .field("repository", &self.repository)
            .field("snapshot_every", &self.snapshot_every)
            .field("upcasters", &self.upcasters.len())
            .finish()
    }
}

impl<A: Aggregate> ChainedEventStore<A> {
    pub(crate) fn new(repository: ChainedRepository, snapshot_every: usize) -> Self {
        Self {
            repository,
            snapshot_every,
            upcasters: Vec::new(),
            aggregate: PhantomData,
        }
    }

    /// Adds upcasters, applied in order to every stored event read back.
    pub fn with_upcasters(mut self, upcasters: Vec<Box<dyn EventUpcaster>>) -> Self {
        self.upcasters = upcasters;
        self
    }

    fn deserialize(
        &self,
        events: Vec<SerializedEvent>,
    ) -> Result<Vec<EventEnvelope<A>>, PersistenceError> {
        events
            .into_iter()
            .map(|mut event| {
                for upcaster in &self.upcasters {
                    if upcaster.can_upcast(&event.event_type, &event.event_version) {
                        event = upcaster.upcast(event);
                    }
                }
                EventEnvelope::try_from(event)
            })
            .collect()
    }
}

/// Whether appending `added` events after `sequence` crosses a multiple of `every`.
fn crosses_snapshot_boundary(every: usize, sequence: usize, added: usize) -> bool {
    every > 0 && added > 0 && (sequence + added) / every > sequence / every
}

impl<A> EventStore<A> for ChainedEventStore<A>
where
    A: Aggregate + Send + Sync,
{
    type AC = ChainedContext<A>;

    async fn load_events(
        &self,
        aggregate_id: &str,
    ) -> Result<Vec<EventEnvelope<A>>, AggregateError<A::Error>> {
        let events = self.repository.get_events::<A>(aggregate_id).await?;
        Ok(self.deserialize(events)?)
    }

    async fn load_aggregate(
        &self,
        aggregate_id: &str,
    ) -> Result<Self::AC, AggregateError<A::Error>> {
        let mut context = ChainedContext {
            aggregate_id: aggregate_id.to_owned(),
            aggregate: A::default(),
            current_sequence: 0,
            current_snapshot: None,
            tip: None,
        };
        let snapshot = if self.snapshot_every > 0 {
            self.repository.get_snapshot::<A>(aggregate_id).await?
        } else {
            None
        };
        if let Some(snapshot) = snapshot {
            context.current_snapshot = Some(snapshot.current_snapshot);
            // A snapshot of an older shape of the aggregate is ignored: the stream is
            // replayed from its first event and the next snapshot replaces it.
            if let Ok(aggregate) = serde_json::from_value(snapshot.aggregate) {
                context.aggregate = aggregate;
                context.current_sequence = snapshot.current_sequence;
            }
        }
        let (events, tip) = self
            .repository
            .events_after(A::TYPE, aggregate_id, context.current_sequence)
            .await?;
        if tip.is_some() {
            context.tip = tip;
        }
        for envelope in self.deserialize(events)? {
            context.current_sequence = envelope.sequence;
            context.aggregate.apply(envelope.payload);
        }
        Ok(context)
    }

    async fn commit(
        &self,
        events: Vec<A::Event>,
        context: Self::AC,
        metadata: HashMap<String, String>,
    ) -> Result<Vec<EventEnvelope<A>>, AggregateError<A::Error>> {
        let first_sequence = context.current_sequence + 1;
        let snapshot = if crosses_snapshot_boundary(
            self.snapshot_every,
            context.current_sequence,
            events.len(),
        ) {
            // The handler applied the new events to `context.aggregate` already.
            let state = serde_json::to_value(&context.aggregate).map_err(PersistenceError::from)?;
            let number = context.current_snapshot.map_or(1, |n| n + 1);
            Some((context.aggregate_id.clone(), state, number))
        } else {
            None
        };
        let envelopes: Vec<EventEnvelope<A>> = events
            .into_iter()
            .zip(first_sequence..)
            .map(|(payload, sequence)| EventEnvelope {
                aggregate_id: context.aggregate_id.clone(),
                sequence,
                payload,
                metadata: metadata.clone(),
            })
            .collect();
        let serialized = envelopes
            .iter()
            .map(SerializedEvent::try_from)
            .collect::<Result<Vec<_>, _>>()?;
        let tip = context.tip.map(|hash| (context.current_sequence, hash));
        self.repository
            .append(A::TYPE, &serialized, snapshot, tip)
            .await?;
        Ok(envelopes)
    }
}

#[cfg(test)]
mod tests {
    use super::crosses_snapshot_boundary as crosses;

    #[test]
    fn a_snapshot_is_due_when_a_commit_crosses_a_multiple_of_the_interval() {
        assert!(crosses(3, 2, 1));
        assert!(!crosses(3, 3, 2));
        assert!(crosses(3, 3, 3));
        assert!(crosses(3, 1, 6));
        assert!(!crosses(0, 1, 100));
        assert!(!crosses(3, 2, 0));
    }
}
