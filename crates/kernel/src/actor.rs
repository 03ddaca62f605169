//! Who acts: actors, their roles, and the organisation a role is held for.
//!
//! Authorization is data: an agent holds roles scoped to organisations ([`RoleGrant`]), and
//! each request acts under one of them. The gateway checks that the actor holds the grant it
//! claims; aggregates check that the grant fits the command (only a signatory signs, only the
//! structure a file was referred to replies) and record it in the event metadata.

use serde::{Deserialize, Serialize};

use crate::organisation::OrganisationId;

crate::define_id!(
    /// A person or system that issues commands: a citizen account, an agent, a worker.
    ActorId
);

/// The kind of actor, which decides what it may ever do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActorKind {
    /// A user of the administration: a resident, a registered user, or someone without an
    /// account following a file with its tracking code.
    Citizen,
    /// A public agent acting under one of its role grants.
    Agent,
    /// A process of the platform itself: the deadline worker, an importer of paper records.
    System,
}

/// The roles of the platform. Each is held for one organisation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Agent of a Citizen Relations Office: registers, studies and routes files.
    OfficeAgent,
    /// Head of a Citizen Relations Office: receives escalations of overdue files.
    OfficeHead,
    /// Person legally empowered to sign answers (circular of the Head of Government).
    Signatory,
    /// Agent of a competent structure: answers files referred to it.
    StructureAgent,
    /// Agent of the Central Citizen Relations Bureau (suggestions, notifications, monitoring).
    CentralBureauAgent,
    /// Moderator of the forum (decree 2019-1242 art. 11).
    ForumModerator,
    /// Agent of a local authority's register bureau (decree 2019-401 art. 3-4).
    RegisterBureauAgent,
    /// Head (or deputy) of a local authority's register bureau (decree 2019-401 art. 3).
    RegisterBureauHead,
    /// Member of the committee for participatory democracy and open governance (art. 13).
    CommitteeMember,
    /// Secretary of the local council: records council decisions and sessions.
    CouncilSecretary,
    /// Member of the Citizen Watcher team.
    WatcherMember,
    /// Supervisor of Citizen Watcher visits.
    WatcherSupervisor,
    /// Head of the Public Service Quality Department.
    DepartmentHead,
    /// Auditor: reads everything, changes nothing.
    Auditor,
    /// Administrator of the platform or of an organisation's accounts.
    PlatformAdmin,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 15] = [
        Self::OfficeAgent,
        Self::OfficeHead,
        Self::Signatory,
        Self::StructureAgent,
        Self::CentralBureauAgent,
        Self::ForumModerator,
        Self::RegisterBureauAgent,
        Self::RegisterBureauHead,
        Self::CommitteeMember,
        Self::CouncilSecretary,
        Self::WatcherMember,
        Self::WatcherSupervisor,
        Self::DepartmentHead,
        Self::Auditor,
        Self::PlatformAdmin,
    ];
}

/// A role held for one organisation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RoleGrant {
    /// The role.
    pub role: Role,
    /// The organisation it is held for.
    pub organisation: OrganisationId,
}

/// The actor behind one command: who, of what kind, and under which grant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    /// Who.
    pub id: ActorId,
    /// Of what kind.
    pub kind: ActorKind,
    /// The grant an agent acts under; `None` for citizens and for the platform's own workers.
    pub acting_as: Option<RoleGrant>,
}

impl Actor {
    /// A citizen acting for themselves.
    pub fn citizen(id: ActorId) -> Self {
        Self {
            id,
            kind: ActorKind::Citizen,
            acting_as: None,
        }
    }

    /// An agent acting as `role` for `organisation`.
    pub fn agent(id: ActorId, role: Role, organisation: OrganisationId) -> Self {
        Self {
            id,
            kind: ActorKind::Agent,
            acting_as: Some(RoleGrant { role, organisation }),
        }
    }

    /// A process of the platform (deadline worker, importer).
    pub fn system(id: ActorId) -> Self {
        Self {
            id,
            kind: ActorKind::System,
            acting_as: None,
        }
    }

    /// The role this actor acts under, if any.
    pub fn role(&self) -> Option<Role> {
        self.acting_as.map(|g| g.role)
    }

    /// The organisation this actor acts for, if any.
    pub fn organisation(&self) -> Option<OrganisationId> {
        self.acting_as.map(|g| g.organisation)
    }

    /// Whether this actor acts as `role` (for any organisation).
    pub fn acts_as(&self, role: Role) -> bool {
        self.role() == Some(role)
    }

    /// Whether this actor acts as one of `roles` for exactly `organisation`.
    pub fn acts_for(&self, organisation: OrganisationId, roles: &[Role]) -> bool {
        self.acting_as
            .is_some_and(|g| g.organisation == organisation && roles.contains(&g.role))
    }

    /// Whether this actor is the citizen `id`.
    pub fn is_citizen(&self, id: ActorId) -> bool {
        self.kind == ActorKind::Citizen && self.id == id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_agent_acts_only_for_the_organisation_and_roles_of_its_grant() {
        let office = OrganisationId::new_v7();
        let other = OrganisationId::new_v7();
        let agent = Actor::agent(ActorId::new_v7(), Role::OfficeAgent, office);
        assert!(agent.acts_for(office, &[Role::OfficeAgent, Role::OfficeHead]));
        assert!(!agent.acts_for(other, &[Role::OfficeAgent]));
        assert!(!agent.acts_for(office, &[Role::Signatory]));
        assert!(agent.acts_as(Role::OfficeAgent));
    }

    #[test]
    fn a_citizen_holds_no_role_and_is_only_itself() {
        let id = ActorId::new_v7();
        let citizen = Actor::citizen(id);
        assert_eq!(citizen.role(), None);
        assert!(citizen.is_citizen(id));
        assert!(!citizen.is_citizen(ActorId::new_v7()));
        assert!(!Actor::system(id).is_citizen(id));
    }

    #[test]
    fn roles_serialize_as_snake_case() {
        assert_eq!(
            serde_json::to_string(&Role::CentralBureauAgent).unwrap(),
            "\"central_bureau_agent\""
        );
    }
}
