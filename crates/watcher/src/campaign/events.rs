//! Events of a campaign. All are department-only (they name members).

use chrono::{DateTime, Utc};
use cqrs_es::DomainEvent;
use serde::{Deserialize, Serialize};

use kernel::{ActorId, OrganisationId, Text};

use crate::ids::{CampaignId, ServicePointId, VisitId};
use crate::period::Period;
use crate::service_point::ServicePointRef;

/// A visit assigned in a campaign: what a visit is planned with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    /// The campaign.
    pub campaign: CampaignId,
    /// The visit.
    pub visit: VisitId,
    /// The point to visit, with its body and governorate.
    pub service_point: ServicePointRef,
    /// The member who visits. Never shown to the inspected body.
    pub member: ActorId,
}

/// What happened to a campaign.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum CampaignEvent {
    /// The campaign was planned.
    CampaignPlanned {
        /// The campaign.
        campaign: CampaignId,
        /// Its title.
        title: Text,
        /// Its period.
        period: Period,
        /// Who planned it.
        by: ActorId,
        /// When.
        planned_at: DateTime<Utc>,
    },
    /// Service points were added to the campaign.
    ServicePointsIncluded {
        /// The points added.
        points: Vec<ServicePointRef>,
        /// Who added them.
        by: ActorId,
    },
    /// A member joined the campaign's team.
    TeamMemberAdded {
        /// The member.
        member: ActorId,
        /// Who added them.
        by: ActorId,
    },
    /// A member's conflict of interest with a body was recorded.
    ConflictOfInterestDeclared {
        /// The member.
        member: ActorId,
        /// The body (and what sits within it).
        organisation: OrganisationId,
        /// Visits already assigned to the member that the conflict touches: to reassign.
        affected_visits: Vec<VisitId>,
        /// Who recorded it (the member, or a supervisor).
        by: ActorId,
        /// When.
        declared_at: DateTime<Utc>,
    },
    /// A visit was assigned to a member.
    VisitAssigned {
        /// The assignment.
        assignment: Assignment,
        /// Who assigned it.
        by: ActorId,
        /// When.
        assigned_at: DateTime<Utc>,
    },
    /// The campaign was closed.
    CampaignClosed {
        /// Included points no visit was assigned to (not covered by this campaign).
        unassigned_points: Vec<ServicePointId>,
        /// Who closed it.
        by: ActorId,
        /// When.
        closed_at: DateTime<Utc>,
    },
}

impl DomainEvent for CampaignEvent {
    fn event_type(&self) -> String {
        match self {
            Self::CampaignPlanned { .. } => "CampaignPlanned",
            Self::ServicePointsIncluded { .. } => "ServicePointsIncluded",
            Self::TeamMemberAdded { .. } => "TeamMemberAdded",
            Self::ConflictOfInterestDeclared { .. } => "ConflictOfInterestDeclared",
            Self::VisitAssigned { .. } => "VisitAssigned",
            Self::CampaignClosed { .. } => "CampaignClosed",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        "1".to_owned()
    }
}
