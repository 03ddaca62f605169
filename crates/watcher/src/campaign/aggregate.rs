//! The `Campaign` aggregate: period, points, team, conflicts of interest, assignments.

use std::collections::{BTreeMap, BTreeSet};

use cqrs_es::Aggregate;
use cqrs_es::event_sink::EventSink;
use serde::{Deserialize, Serialize};

use kernel::{ActorId, OrganisationId};

use crate::campaign::{Assignment, CampaignCommand, CampaignError, CampaignEvent};
use crate::error::InvalidText;
use crate::ids::{CampaignId, ServicePointId, VisitId};
use crate::period::Period;
use crate::service_point::ServicePointRef;
use crate::services::{SUPERVISING, TEAM, WatcherServices};

/// Where a campaign stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CampaignStatus {
    /// Points, members, conflicts and assignments can be added.
    Open,
    /// Nothing more is planned in it.
    Closed,
}

/// A campaign. See the [module docs](crate::campaign).
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Campaign {
    id: Option<CampaignId>,
    status: Option<CampaignStatus>,
    period: Option<Period>,
    points: BTreeMap<ServicePointId, ServicePointRef>,
    team: BTreeSet<ActorId>,
    conflicts: BTreeSet<(ActorId, OrganisationId)>,
    assignments: BTreeMap<VisitId, Assignment>,
}

impl Campaign {
    /// Its status, once planned.
    pub fn status(&self) -> Option<CampaignStatus> {
        self.status
    }

    /// Its period, once planned.
    pub fn period(&self) -> Option<Period> {
        self.period
    }

    /// The assignment of `visit`, if it was assigned in this campaign.
    pub fn assignment(&self, visit: VisitId) -> Option<&Assignment> {
        self.assignments.get(&visit)
    }

    /// The campaign and its period, if it is open; the refusal otherwise.
    fn open(&self) -> Result<(CampaignId, Period), CampaignError> {
        match (self.id, self.status, self.period) {
            (Some(id), Some(CampaignStatus::Open), Some(period)) => Ok((id, period)),
            (_, Some(status), _) => Err(CampaignError::WrongStatus { status }),
            _ => Err(CampaignError::NotPlanned),
        }
    }

    fn require_member(&self, member: ActorId) -> Result<(), CampaignError> {
        if self.team.contains(&member) {
            Ok(())
        } else {
            Err(CampaignError::NotATeamMember(member))
        }
    }

    /// The member's declared body that `point` belongs to, directly or by sitting within it.
    fn conflict(
        &self,
        member: ActorId,
        point: &ServicePointRef,
        services: &WatcherServices,
    ) -> Option<OrganisationId> {
        self.conflicts
            .iter()
            .filter(|(m, _)| *m == member)
            .map(|(_, organisation)| *organisation)
            .find(|organisation| {
                services
                    .directory
                    .is_within(point.organisation, *organisation)
            })
    }
}

impl Aggregate for Campaign {
    const TYPE: &'static str = "Campaign";
    type Command = CampaignCommand;
    type Event = CampaignEvent;
    type Error = CampaignError;
    type Services = WatcherServices;

    async fn handle(
        &mut self,
        command: Self::Command,
        services: &Self::Services,
        sink: &EventSink<Self>,
    ) -> Result<(), Self::Error> {
        let event = match command {
            CampaignCommand::PlanCampaign {
                actor,
                campaign,
                title,
                starts_on,
                ends_on,
            } => {
                services.authorize(&actor, SUPERVISING, CampaignError::NotDepartmentSupervisor)?;
                if self.status.is_some() {
                    return Err(CampaignError::AlreadyPlanned);
                }
                let title = InvalidText::check("title", &title, services.config.title())?;
                let period = Period::upcoming(starts_on, ends_on, services.today())?;
                CampaignEvent::CampaignPlanned {
                    campaign,
                    title,
                    period,
                    by: actor.id,
                    planned_at: services.now(),
                }
            }
            CampaignCommand::IncludeServicePoints { actor, points } => {
                services.authorize(&actor, SUPERVISING, CampaignError::NotDepartmentSupervisor)?;
                self.open()?;
                if points.is_empty() {
                    return Err(CampaignError::NoServicePoints);
                }
                let mut seen = BTreeSet::new();
                if let Some(twice) = points
                    .iter()
                    .find(|p| self.points.contains_key(&p.id) || !seen.insert(p.id))
                {
                    return Err(CampaignError::ServicePointAlreadyIncluded(twice.id));
                }
                CampaignEvent::ServicePointsIncluded {
                    points,
                    by: actor.id,
                }
            }
            CampaignCommand::AddTeamMember { actor, member } => {
                services.authorize(&actor, SUPERVISING, CampaignError::NotDepartmentSupervisor)?;
                self.open()?;
                if self.team.contains(&member) {
                    return Err(CampaignError::AlreadyInTeam(member));
                }
                CampaignEvent::TeamMemberAdded {
                    member,
                    by: actor.id,
                }
            }
            CampaignCommand::DeclareConflictOfInterest {
                actor,
                member,
                organisation,
            } => {
                let for_themself = actor.id == member && services.is_department(&actor, TEAM);
                if !for_themself && !services.is_department(&actor, SUPERVISING) {
                    return Err(CampaignError::NotAllowedToDeclare);
                }
                self.open()?;
                self.require_member(member)?;
                if services.directory.organisation(organisation).is_none() {
                    return Err(CampaignError::UnknownOrganisation(organisation));
                }
                if self.conflicts.contains(&(member, organisation)) {
                    return Err(CampaignError::ConflictAlreadyDeclared);
                }
                let affected_visits = self
                    .assignments
                    .values()
                    .filter(|a| {
                        a.member == member
                            && services
                                .directory
                                .is_within(a.service_point.organisation, organisation)
                    })
                    .map(|a| a.visit)
                    .collect();
                CampaignEvent::ConflictOfInterestDeclared {
                    member,
                    organisation,
                    affected_visits,
                    by: actor.id,
                    declared_at: services.now(),
                }
            }
            CampaignCommand::AssignVisit {
                actor,
                visit,
                service_point,
                member,
            } => {
                services.authorize(&actor, SUPERVISING, CampaignError::NotDepartmentSupervisor)?;
                let (campaign, period) = self.open()?;
                period.require_not_over(services.today())?;
                if self.assignments.contains_key(&visit) {
                    return Err(CampaignError::VisitAlreadyAssigned(visit));
                }
                let point = *self
                    .points
                    .get(&service_point)
                    .ok_or(CampaignError::ServicePointNotIncluded(service_point))?;
                self.require_member(member)?;
                if let Some(organisation) = self.conflict(member, &point, services) {
                    return Err(CampaignError::ConflictOfInterest {
                        member,
                        organisation,
                    });
                }
                CampaignEvent::VisitAssigned {
                    assignment: Assignment {
                        campaign,
                        visit,
                        service_point: point,
                        member,
                    },
                    by: actor.id,
                    assigned_at: services.now(),
                }
            }
            CampaignCommand::CloseCampaign { actor } => {
                services.authorize(&actor, SUPERVISING, CampaignError::NotDepartmentSupervisor)?;
                self.open()?;
                let assigned: BTreeSet<_> = self
                    .assignments
                    .values()
                    .map(|a| a.service_point.id)
                    .collect();
                CampaignEvent::CampaignClosed {
                    unassigned_points: self
                        .points
                        .keys()
                        .filter(|id| !assigned.contains(id))
                        .copied()
                        .collect(),
                    by: actor.id,
                    closed_at: services.now(),
                }
            }
        };
        sink.write(event, self).await;
        Ok(())
    }

    fn apply(&mut self, event: Self::Event) {
        match event {
            CampaignEvent::CampaignPlanned {
                campaign, period, ..
            } => {
                self.id = Some(campaign);
                self.period = Some(period);
                self.status = Some(CampaignStatus::Open);
            }
            CampaignEvent::ServicePointsIncluded { points, .. } => {
                self.points.extend(points.into_iter().map(|p| (p.id, p)));
            }
            CampaignEvent::TeamMemberAdded { member, .. } => {
                self.team.insert(member);
            }
            CampaignEvent::ConflictOfInterestDeclared {
                member,
                organisation,
                ..
            } => {
                self.conflicts.insert((member, organisation));
            }
            CampaignEvent::VisitAssigned { assignment, .. } => {
                self.assignments.insert(assignment.visit, assignment);
            }
            CampaignEvent::CampaignClosed { .. } => {
                self.status = Some(CampaignStatus::Closed);
            }
        }
    }
}
