//! Commands of a campaign.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use kernel::{Actor, ActorId, OrganisationId};

use crate::ids::{CampaignId, ServicePointId, VisitId};
use crate::service_point::ServicePointRef;

/// What can be asked of a campaign. By a supervisor or the head of the department, except a
/// declaration of conflict, which a member may also make for themselves.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CampaignCommand {
    /// Plans a campaign over a period.
    PlanCampaign {
        /// Who acts.
        actor: Actor,
        /// The new campaign's identifier.
        campaign: CampaignId,
        /// Its title ("Accueil dans les municipalités du Sud, 1er semestre").
        title: String,
        /// First day (local date).
        starts_on: NaiveDate,
        /// Last day (local date), not already past.
        ends_on: NaiveDate,
    },
    /// Adds service points to the campaign, as the service point aggregates describe them.
    IncludeServicePoints {
        /// Who acts.
        actor: Actor,
        /// The points, none already included.
        points: Vec<ServicePointRef>,
    },
    /// Adds a member of the team to the campaign.
    AddTeamMember {
        /// Who acts.
        actor: Actor,
        /// The member.
        member: ActorId,
    },
    /// Records that `member` has a conflict of interest with `organisation` (and what sits
    /// within it).
    DeclareConflictOfInterest {
        /// The member themself, or a supervisor on their behalf.
        actor: Actor,
        /// The member.
        member: ActorId,
        /// The body.
        organisation: OrganisationId,
    },
    /// Assigns a visit of an included point to a member of the team.
    AssignVisit {
        /// Who acts.
        actor: Actor,
        /// The visit's identifier, used to plan it.
        visit: VisitId,
        /// The point to visit.
        service_point: ServicePointId,
        /// Who visits.
        member: ActorId,
    },
    /// Closes the campaign: nothing more is planned in it.
    CloseCampaign {
        /// Who acts.
        actor: Actor,
    },
}
