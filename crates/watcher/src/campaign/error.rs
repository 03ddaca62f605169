//! Why a campaign command was refused.

use kernel::{ActorId, OrganisationId};

use crate::campaign::CampaignStatus;
use crate::error::InvalidText;
use crate::ids::{ServicePointId, VisitId};
use crate::period::PeriodError;

/// Business rules of a campaign.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CampaignError {
    /// Only a supervisor or the head of the department does this.
    #[error("only a supervisor or the head of the Public Service Quality Department may do this")]
    NotDepartmentSupervisor,
    /// A conflict is declared by the member themself or by a supervisor.
    #[error("a conflict of interest is declared by the member or by a supervisor")]
    NotAllowedToDeclare,
    /// The campaign exists already.
    #[error("this campaign is already planned")]
    AlreadyPlanned,
    /// The campaign does not exist.
    #[error("this campaign is not planned")]
    NotPlanned,
    /// The campaign's state does not allow this.
    #[error("not possible while the campaign is {status:?}")]
    WrongStatus {
        /// The state it is in.
        status: CampaignStatus,
    },
    /// A text field was refused.
    #[error(transparent)]
    InvalidText(#[from] InvalidText),
    /// The period was refused.
    #[error(transparent)]
    Period(#[from] PeriodError),
    /// No service point given.
    #[error("no service point given")]
    NoServicePoints,
    /// A point is already in the campaign (or given twice).
    #[error("service point {0} is already included")]
    ServicePointAlreadyIncluded(ServicePointId),
    /// The point is not in the campaign.
    #[error("service point {0} is not included in this campaign")]
    ServicePointNotIncluded(ServicePointId),
    /// The member is already in the team.
    #[error("this member is already in the campaign's team")]
    AlreadyInTeam(ActorId),
    /// The member is not in the team.
    #[error("this member is not in the campaign's team")]
    NotATeamMember(ActorId),
    /// The directory does not know the organisation.
    #[error("organisation {0} is not in the directory")]
    UnknownOrganisation(OrganisationId),
    /// The same conflict was declared before.
    #[error("this conflict of interest is already declared")]
    ConflictAlreadyDeclared,
    /// The visit identifier was assigned before.
    #[error("visit {0} is already assigned")]
    VisitAlreadyAssigned(VisitId),
    /// The member declared a conflict with the point's body (or a body it sits within).
    #[error("the member declared a conflict of interest with organisation {organisation}")]
    ConflictOfInterest {
        /// The member.
        member: ActorId,
        /// The body of the declaration.
        organisation: OrganisationId,
    },
}
