//! Campaigns: period, points, team, conflicts of interest and the assignment of visits. A
//! member is never assigned a visit to a body they declared a conflict of interest with.
#![allow(clippy::unwrap_used)]

mod common;

use chrono::{Duration, NaiveDate};
use common::{World, now, text};
use cqrs_es::Aggregate as _;
use cqrs_es::test::TestFramework;
use kernel::{ActorId, OrganisationId, TextError};
use watcher::{
    Assignment, Campaign, CampaignCommand, CampaignError, CampaignEvent, CampaignId,
    CampaignStatus, InvalidText, Period, PeriodError, ServicePointId, ServicePointRef, VisitId,
};

type Framework = TestFramework<Campaign>;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// The first semester of 2026 (today is 17 March 2026).
fn semester() -> Period {
    Period {
        starts_on: date(2026, 1, 1),
        ends_on: date(2026, 6, 30),
    }
}

/// A campaign over the semester, with the structure's counter and the municipality's line,
/// and both members in its team.
struct Story {
    campaign: CampaignId,
    counter: ServicePointRef,
    phone_line: ServicePointRef,
}

impl Story {
    fn new(world: &World) -> Self {
        Self {
            campaign: CampaignId::new_v7(),
            counter: world.counter(),
            phone_line: world.phone_line(),
        }
    }

    fn planned(&self, world: &World) -> CampaignEvent {
        CampaignEvent::CampaignPlanned {
            campaign: self.campaign,
            title: text("Accueil, 1er semestre 2026"),
            period: semester(),
            by: world.supervisor.id,
            planned_at: now(),
        }
    }

    fn ready(&self, world: &World) -> Vec<CampaignEvent> {
        vec![
            self.planned(world),
            CampaignEvent::ServicePointsIncluded {
                points: vec![self.counter, self.phone_line],
                by: world.supervisor.id,
            },
            added(world, world.member.id),
            added(world, world.other_member.id),
        ]
    }

    fn assignment(&self, visit: VisitId, point: ServicePointRef, member: ActorId) -> Assignment {
        Assignment {
            campaign: self.campaign,
            visit,
            service_point: point,
            member,
        }
    }

    fn assigned(&self, world: &World, assignment: Assignment) -> CampaignEvent {
        CampaignEvent::VisitAssigned {
            assignment,
            by: world.supervisor.id,
            assigned_at: now(),
        }
    }

    fn closed(&self, world: &World) -> CampaignEvent {
        CampaignEvent::CampaignClosed {
            unassigned_points: vec![],
            by: world.supervisor.id,
            closed_at: now(),
        }
    }
}

fn added(world: &World, member: ActorId) -> CampaignEvent {
    CampaignEvent::TeamMemberAdded {
        member,
        by: world.supervisor.id,
    }
}

/// A conflict declared by the member themself.
fn conflict(member: ActorId, organisation: OrganisationId) -> CampaignEvent {
    CampaignEvent::ConflictOfInterestDeclared {
        member,
        organisation,
        affected_visits: vec![],
        by: member,
        declared_at: now(),
    }
}

fn assign(
    world: &World,
    visit: VisitId,
    service_point: ServicePointId,
    member: ActorId,
) -> CampaignCommand {
    CampaignCommand::AssignVisit {
        actor: world.supervisor,
        visit,
        service_point,
        member,
    }
}

// ----- PlanCampaign ---------------------------------------------------------------------

#[tokio::test]
async fn a_supervisor_plans_a_campaign_over_a_period() {
    let world = World::new();
    let story = Story::new(&world);
    Framework::with(world.services())
        .given_no_previous_events()
        .when_async(CampaignCommand::PlanCampaign {
            actor: world.supervisor,
            campaign: story.campaign,
            title: "Accueil, 1er semestre 2026".into(),
            starts_on: semester().starts_on,
            ends_on: semester().ends_on,
        })
        .await
        .then_expect_events(vec![story.planned(&world)]);
}

#[tokio::test]
async fn planning_is_refused_to_non_supervisors_twice_without_title_or_over_a_bad_period() {
    let world = World::new();
    let story = Story::new(&world);
    let plan = |actor, title: &str, starts_on, ends_on| CampaignCommand::PlanCampaign {
        actor,
        campaign: story.campaign,
        title: title.into(),
        starts_on,
        ends_on,
    };
    let (start, end) = (semester().starts_on, semester().ends_on);
    for actor in [world.member, world.impostor()] {
        Framework::with(world.services())
            .given_no_previous_events()
            .when_async(plan(actor, "T", start, end))
            .await
            .then_expect_error(CampaignError::NotDepartmentSupervisor);
    }
    Framework::with(world.services())
        .given(vec![story.planned(&world)])
        .when_async(plan(world.head, "T", start, end))
        .await
        .then_expect_error(CampaignError::AlreadyPlanned);
    Framework::with(world.services())
        .given_no_previous_events()
        .when_async(plan(world.head, "", start, end))
        .await
        .then_expect_error(CampaignError::InvalidText(InvalidText {
            field: "title",
            reason: TextError::Empty,
        }));
    Framework::with(world.services())
        .given_no_previous_events()
        .when_async(plan(world.head, "T", end, start))
        .await
        .then_expect_error(CampaignError::Period(PeriodError::EndsBeforeStart {
            starts_on: end,
            ends_on: start,
        }));
    let yesterday = date(2026, 3, 16);
    Framework::with(world.services())
        .given_no_previous_events()
        .when_async(plan(world.head, "T", start, yesterday))
        .await
        .then_expect_error(CampaignError::Period(PeriodError::Over {
            ends_on: yesterday,
        }));
}

// ----- IncludeServicePoints -------------------------------------------------------------

#[tokio::test]
async fn service_points_are_included_with_their_body_and_governorate() {
    let world = World::new();
    let story = Story::new(&world);
    let points = vec![story.counter, story.phone_line];
    Framework::with(world.services())
        .given(vec![story.planned(&world)])
        .when_async(CampaignCommand::IncludeServicePoints {
            actor: world.head,
            points: points.clone(),
        })
        .await
        .then_expect_events(vec![CampaignEvent::ServicePointsIncluded {
            points,
            by: world.head.id,
        }]);
}

#[tokio::test]
async fn including_points_needs_an_open_campaign_a_supervisor_and_new_points() {
    let world = World::new();
    let story = Story::new(&world);
    let include = |actor, points: Vec<ServicePointRef>| CampaignCommand::IncludeServicePoints {
        actor,
        points,
    };
    Framework::with(world.services())
        .given_no_previous_events()
        .when_async(include(world.head, vec![story.counter]))
        .await
        .then_expect_error(CampaignError::NotPlanned);
    Framework::with(world.services())
        .given(vec![story.planned(&world), story.closed(&world)])
        .when_async(include(world.head, vec![story.counter]))
        .await
        .then_expect_error(CampaignError::WrongStatus {
            status: CampaignStatus::Closed,
        });
    Framework::with(world.services())
        .given(vec![story.planned(&world)])
        .when_async(include(world.member, vec![story.counter]))
        .await
        .then_expect_error(CampaignError::NotDepartmentSupervisor);
    Framework::with(world.services())
        .given(vec![story.planned(&world)])
        .when_async(include(world.head, vec![]))
        .await
        .then_expect_error(CampaignError::NoServicePoints);
    Framework::with(world.services())
        .given(vec![story.planned(&world)])
        .when_async(include(world.head, vec![story.counter, story.counter]))
        .await
        .then_expect_error(CampaignError::ServicePointAlreadyIncluded(story.counter.id));
    Framework::with(world.services())
        .given(story.ready(&world))
        .when_async(include(world.head, vec![world.counter(), story.phone_line]))
        .await
        .then_expect_error(CampaignError::ServicePointAlreadyIncluded(
            story.phone_line.id,
        ));
}

// ----- AddTeamMember --------------------------------------------------------------------

#[tokio::test]
async fn a_supervisor_adds_a_member_to_the_team() {
    let world = World::new();
    let story = Story::new(&world);
    Framework::with(world.services())
        .given(vec![story.planned(&world)])
        .when_async(CampaignCommand::AddTeamMember {
            actor: world.supervisor,
            member: world.member.id,
        })
        .await
        .then_expect_events(vec![added(&world, world.member.id)]);
}

#[tokio::test]
async fn adding_a_member_needs_an_open_campaign_a_supervisor_and_a_new_member() {
    let world = World::new();
    let story = Story::new(&world);
    let add = |actor| CampaignCommand::AddTeamMember {
        actor,
        member: world.member.id,
    };
    Framework::with(world.services())
        .given_no_previous_events()
        .when_async(add(world.head))
        .await
        .then_expect_error(CampaignError::NotPlanned);
    Framework::with(world.services())
        .given(vec![story.planned(&world), story.closed(&world)])
        .when_async(add(world.head))
        .await
        .then_expect_error(CampaignError::WrongStatus {
            status: CampaignStatus::Closed,
        });
    Framework::with(world.services())
        .given(vec![story.planned(&world)])
        .when_async(add(world.other_member))
        .await
        .then_expect_error(CampaignError::NotDepartmentSupervisor);
    Framework::with(world.services())
        .given(story.ready(&world))
        .when_async(add(world.head))
        .await
        .then_expect_error(CampaignError::AlreadyInTeam(world.member.id));
}

// ----- DeclareConflictOfInterest --------------------------------------------------------

#[tokio::test]
async fn a_member_declares_their_own_conflict_of_interest() {
    let world = World::new();
    let story = Story::new(&world);
    Framework::with(world.services())
        .given(story.ready(&world))
        .when_async(CampaignCommand::DeclareConflictOfInterest {
            actor: world.member,
            member: world.member.id,
            organisation: world.municipality,
        })
        .await
        .then_expect_events(vec![CampaignEvent::ConflictOfInterestDeclared {
            member: world.member.id,
            organisation: world.municipality,
            affected_visits: vec![],
            by: world.member.id,
            declared_at: now(),
        }]);
}

#[tokio::test]
async fn a_late_declaration_is_recorded_and_lists_the_visits_to_reassign() {
    let world = World::new();
    let story = Story::new(&world);
    let (at_structure, at_municipality) = (VisitId::new_v7(), VisitId::new_v7());
    let mut given = story.ready(&world);
    given.push(story.assigned(
        &world,
        story.assignment(at_structure, story.counter, world.member.id),
    ));
    given.push(story.assigned(
        &world,
        story.assignment(at_municipality, story.phone_line, world.member.id),
    ));
    // Declared by a supervisor on the member's behalf, against the ministry: the structure's
    // counter sits within it, the municipality's line does not.
    Framework::with(world.services())
        .given(given)
        .when_async(CampaignCommand::DeclareConflictOfInterest {
            actor: world.supervisor,
            member: world.member.id,
            organisation: world.ministry,
        })
        .await
        .then_expect_events(vec![CampaignEvent::ConflictOfInterestDeclared {
            member: world.member.id,
            organisation: world.ministry,
            affected_visits: vec![at_structure],
            by: world.supervisor.id,
            declared_at: now(),
        }]);
}

#[tokio::test]
async fn declaring_is_refused_to_others_for_non_members_unknown_bodies_and_twice() {
    let world = World::new();
    let story = Story::new(&world);
    let declare = |actor, member, organisation| CampaignCommand::DeclareConflictOfInterest {
        actor,
        member,
        organisation,
    };
    for actor in [world.other_member, world.body_agent, world.impostor()] {
        Framework::with(world.services())
            .given(story.ready(&world))
            .when_async(declare(actor, world.member.id, world.ministry))
            .await
            .then_expect_error(CampaignError::NotAllowedToDeclare);
    }
    Framework::with(world.services())
        .given_no_previous_events()
        .when_async(declare(world.member, world.member.id, world.ministry))
        .await
        .then_expect_error(CampaignError::NotPlanned);
    let mut closed = story.ready(&world);
    closed.push(story.closed(&world));
    Framework::with(world.services())
        .given(closed)
        .when_async(declare(world.member, world.member.id, world.ministry))
        .await
        .then_expect_error(CampaignError::WrongStatus {
            status: CampaignStatus::Closed,
        });
    let outsider = ActorId::new_v7();
    Framework::with(world.services())
        .given(story.ready(&world))
        .when_async(declare(world.supervisor, outsider, world.ministry))
        .await
        .then_expect_error(CampaignError::NotATeamMember(outsider));
    let unknown = OrganisationId::new_v7();
    Framework::with(world.services())
        .given(story.ready(&world))
        .when_async(declare(world.member, world.member.id, unknown))
        .await
        .then_expect_error(CampaignError::UnknownOrganisation(unknown));
    let mut declared = story.ready(&world);
    declared.push(conflict(world.member.id, world.ministry));
    Framework::with(world.services())
        .given(declared)
        .when_async(declare(world.member, world.member.id, world.ministry))
        .await
        .then_expect_error(CampaignError::ConflictAlreadyDeclared);
}

// ----- AssignVisit ----------------------------------------------------------------------

#[tokio::test]
async fn a_supervisor_assigns_a_visit_of_an_included_point_to_a_member() {
    let world = World::new();
    let story = Story::new(&world);
    let visit = VisitId::new_v7();
    Framework::with(world.services())
        .given(story.ready(&world))
        .when_async(assign(&world, visit, story.counter.id, world.member.id))
        .await
        .then_expect_events(vec![story.assigned(
            &world,
            story.assignment(visit, story.counter, world.member.id),
        )]);
}

#[tokio::test]
async fn a_member_is_not_assigned_a_body_they_declared_a_conflict_with() {
    let world = World::new();
    let story = Story::new(&world);
    let mut given = story.ready(&world);
    given.push(conflict(world.member.id, world.structure));
    Framework::with(world.services())
        .given(given)
        .when_async(assign(
            &world,
            VisitId::new_v7(),
            story.counter.id,
            world.member.id,
        ))
        .await
        .then_expect_error(CampaignError::ConflictOfInterest {
            member: world.member.id,
            organisation: world.structure,
        });
}

#[tokio::test]
async fn a_conflict_with_a_body_covers_the_structures_within_it() {
    let world = World::new();
    let story = Story::new(&world);
    let mut given = story.ready(&world);
    given.push(conflict(world.member.id, world.ministry));
    Framework::with(world.services())
        .given(given)
        .when_async(assign(
            &world,
            VisitId::new_v7(),
            story.counter.id,
            world.member.id,
        ))
        .await
        .then_expect_error(CampaignError::ConflictOfInterest {
            member: world.member.id,
            organisation: world.ministry,
        });
}

#[tokio::test]
async fn a_conflict_binds_only_its_member_and_its_body() {
    let world = World::new();
    let story = Story::new(&world);
    let mut given = story.ready(&world);
    given.push(conflict(world.member.id, world.ministry));
    let elsewhere = VisitId::new_v7();
    Framework::with(world.services())
        .given(given.clone())
        .when_async(assign(
            &world,
            elsewhere,
            story.phone_line.id,
            world.member.id,
        ))
        .await
        .then_expect_events(vec![story.assigned(
            &world,
            story.assignment(elsewhere, story.phone_line, world.member.id),
        )]);
    let colleague = VisitId::new_v7();
    Framework::with(world.services())
        .given(given)
        .when_async(assign(
            &world,
            colleague,
            story.counter.id,
            world.other_member.id,
        ))
        .await
        .then_expect_events(vec![story.assigned(
            &world,
            story.assignment(colleague, story.counter, world.other_member.id),
        )]);
}

#[tokio::test]
async fn assigning_needs_a_supervisor_an_open_current_campaign_an_included_point_and_a_member() {
    let world = World::new();
    let story = Story::new(&world);
    let visit = VisitId::new_v7();
    Framework::with(world.services())
        .given_no_previous_events()
        .when_async(assign(&world, visit, story.counter.id, world.member.id))
        .await
        .then_expect_error(CampaignError::NotPlanned);
    let mut closed = story.ready(&world);
    closed.push(story.closed(&world));
    Framework::with(world.services())
        .given(closed)
        .when_async(assign(&world, visit, story.counter.id, world.member.id))
        .await
        .then_expect_error(CampaignError::WrongStatus {
            status: CampaignStatus::Closed,
        });
    Framework::with(world.services())
        .given(story.ready(&world))
        .when_async(CampaignCommand::AssignVisit {
            actor: world.member,
            visit,
            service_point: story.counter.id,
            member: world.member.id,
        })
        .await
        .then_expect_error(CampaignError::NotDepartmentSupervisor);
    let missing = ServicePointId::new_v7();
    Framework::with(world.services())
        .given(story.ready(&world))
        .when_async(assign(&world, visit, missing, world.member.id))
        .await
        .then_expect_error(CampaignError::ServicePointNotIncluded(missing));
    let outsider = ActorId::new_v7();
    Framework::with(world.services())
        .given(story.ready(&world))
        .when_async(assign(&world, visit, story.counter.id, outsider))
        .await
        .then_expect_error(CampaignError::NotATeamMember(outsider));
    let mut assigned = story.ready(&world);
    assigned.push(story.assigned(
        &world,
        story.assignment(visit, story.counter, world.member.id),
    ));
    Framework::with(world.services())
        .given(assigned)
        .when_async(assign(
            &world,
            visit,
            story.phone_line.id,
            world.other_member.id,
        ))
        .await
        .then_expect_error(CampaignError::VisitAlreadyAssigned(visit));
    world.clock.set(now() + Duration::days(120));
    Framework::with(world.services())
        .given(story.ready(&world))
        .when_async(assign(&world, visit, story.counter.id, world.member.id))
        .await
        .then_expect_error(CampaignError::Period(PeriodError::Over {
            ends_on: semester().ends_on,
        }));
}

// ----- CloseCampaign --------------------------------------------------------------------

#[tokio::test]
async fn closing_lists_the_points_no_visit_was_assigned_to() {
    let world = World::new();
    let story = Story::new(&world);
    let mut given = story.ready(&world);
    given.push(story.assigned(
        &world,
        story.assignment(VisitId::new_v7(), story.counter, world.member.id),
    ));
    Framework::with(world.services())
        .given(given)
        .when_async(CampaignCommand::CloseCampaign { actor: world.head })
        .await
        .then_expect_events(vec![CampaignEvent::CampaignClosed {
            unassigned_points: vec![story.phone_line.id],
            by: world.head.id,
            closed_at: now(),
        }]);
}

#[tokio::test]
async fn closing_needs_an_open_campaign_and_a_supervisor() {
    let world = World::new();
    let story = Story::new(&world);
    let close = |actor| CampaignCommand::CloseCampaign { actor };
    Framework::with(world.services())
        .given_no_previous_events()
        .when_async(close(world.head))
        .await
        .then_expect_error(CampaignError::NotPlanned);
    Framework::with(world.services())
        .given(vec![story.planned(&world), story.closed(&world)])
        .when_async(close(world.head))
        .await
        .then_expect_error(CampaignError::WrongStatus {
            status: CampaignStatus::Closed,
        });
    Framework::with(world.services())
        .given(vec![story.planned(&world)])
        .when_async(close(world.member))
        .await
        .then_expect_error(CampaignError::NotDepartmentSupervisor);
}

#[test]
fn state_exposes_the_period_and_assignments() {
    let world = World::new();
    let story = Story::new(&world);
    let visit = VisitId::new_v7();
    let mut campaign = Campaign::default();
    for event in story.ready(&world) {
        campaign.apply(event);
    }
    let assignment = story.assignment(visit, story.counter, world.member.id);
    campaign.apply(story.assigned(&world, assignment));
    assert_eq!(campaign.status(), Some(CampaignStatus::Open));
    assert_eq!(campaign.period(), Some(semester()));
    assert_eq!(campaign.assignment(visit), Some(&assignment));
}
