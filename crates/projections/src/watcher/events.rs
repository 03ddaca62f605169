//! The watcher events this module reads, decoded from the global log.
//!
//! `Aggregate::TYPE` is a stored contract (ADR 0004), spelled here because this crate uses
//! cqrs-es only in its tests; a unit test checks each spelling against the aggregate's.
//! Campaign and checklist events are not read: a visit's plan carries its assignment and
//! checklist version, which is all the read models and the report need.

use event_store::{ProjectionError, RecordedEvent};
use watcher::{ReferralEvent, ServicePointEvent, SurveyEvent, VisitEvent};

/// `watcher::ServicePoint::TYPE`.
const SERVICE_POINT: &str = "ServicePoint";
/// `watcher::Visit::TYPE`.
const VISIT: &str = "Visit";
/// `watcher::CorruptionReferral::TYPE`.
const REFERRAL: &str = "CorruptionReferral";
/// `watcher::SatisfactionSurvey::TYPE`.
const SURVEY: &str = "SatisfactionSurvey";

/// The aggregate types whose events the watcher read models and report fold.
pub(crate) const AGGREGATE_TYPES: [&str; 4] = [SERVICE_POINT, VISIT, REFERRAL, SURVEY];

/// The only event schema version so far; another one must come with an upcaster, so an
/// unknown version stops the projection instead of being misread.
const VERSION: &str = "1";

/// A decoded watcher event.
#[derive(Debug)]
pub(crate) enum WatcherEvent {
    ServicePoint(ServicePointEvent),
    Visit(VisitEvent),
    Referral(ReferralEvent),
    Survey(SurveyEvent),
}

impl WatcherEvent {
    /// `event` decoded, or `None` when it belongs to another domain.
    pub(crate) fn decode(event: &RecordedEvent) -> Result<Option<Self>, ProjectionError> {
        let decoded = match event.aggregate_type.as_str() {
            SERVICE_POINT => Self::ServicePoint(check_version(event)?.decode()?),
            VISIT => Self::Visit(check_version(event)?.decode()?),
            REFERRAL => Self::Referral(check_version(event)?.decode()?),
            SURVEY => Self::Survey(check_version(event)?.decode()?),
            _ => return Ok(None),
        };
        Ok(Some(decoded))
    }
}

fn check_version(event: &RecordedEvent) -> Result<&RecordedEvent, ProjectionError> {
    if event.event_version == VERSION {
        Ok(event)
    } else {
        Err(ProjectionError::Invalid(format!(
            "{} {} has version {}, which no upcaster reads",
            event.aggregate_type, event.event_type, event.event_version
        )))
    }
}

/// The stream id of `event` as the aggregate's typed id (the events that follow a stream's
/// first one do not repeat it).
pub(crate) fn stream_id<T: std::str::FromStr>(event: &RecordedEvent) -> Result<T, ProjectionError> {
    event.aggregate_id.parse().map_err(|_| {
        ProjectionError::Invalid(format!(
            "{} stream id `{}` is not an identifier",
            event.aggregate_type, event.aggregate_id
        ))
    })
}

#[cfg(test)]
mod tests {
    use cqrs_es::Aggregate;

    use super::*;

    #[test]
    fn the_spelled_types_are_the_aggregates_stored_types() {
        assert_eq!(SERVICE_POINT, watcher::ServicePoint::TYPE);
        assert_eq!(VISIT, watcher::Visit::TYPE);
        assert_eq!(REFERRAL, watcher::CorruptionReferral::TYPE);
        assert_eq!(SURVEY, watcher::SatisfactionSurvey::TYPE);
    }
}
