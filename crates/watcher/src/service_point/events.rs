//! Events of a service point, and the value types readers use to refer to one.

use chrono::{DateTime, Utc};
use cqrs_es::DomainEvent;
use serde::{Deserialize, Serialize};

use kernel::organisation::Governorate;
use kernel::{ActorId, OrganisationId, Text};

use crate::ids::ServicePointId;

/// How a citizen reaches a service point, and so how a visit of it is carried out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// A physical counter or office, visited in person.
    Counter,
    /// A phone line, called.
    Phone,
    /// A website or online service, used.
    Website,
    /// An e-mail address, written to (circular 3 of 2020: every body publishes one).
    Email,
}

/// What other aggregates need to know of a service point: whose it is, where, and how it is
/// reached. Copied into campaigns and visits when they are planned, so that their rules
/// (conflicts of interest, coverage) never read another aggregate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServicePointRef {
    /// The point.
    pub id: ServicePointId,
    /// The public body it belongs to.
    pub organisation: OrganisationId,
    /// Where it is.
    pub governorate: Governorate,
    /// How it is reached.
    pub channel: Channel,
}

/// What happened to a service point.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ServicePointEvent {
    /// The point was registered and can be inspected.
    ServicePointRegistered {
        /// The point.
        point: ServicePointRef,
        /// Its public name ("Municipalité de Sfax, bureau d'ordre").
        name: Text,
        /// Its street address, phone number, URL or e-mail address.
        locator: Text,
        /// Who registered it.
        by: ActorId,
        /// When.
        registered_at: DateTime<Utc>,
    },
    /// The point was retired (closed, merged): no longer inspected nor counted for coverage.
    ServicePointRetired {
        /// Why.
        reason: Text,
        /// Who retired it.
        by: ActorId,
        /// When.
        retired_at: DateTime<Utc>,
    },
}

impl DomainEvent for ServicePointEvent {
    fn event_type(&self) -> String {
        match self {
            Self::ServicePointRegistered { .. } => "ServicePointRegistered",
            Self::ServicePointRetired { .. } => "ServicePointRetired",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        "1".to_owned()
    }
}
