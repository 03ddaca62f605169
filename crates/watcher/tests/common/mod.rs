//! Shared fixtures of the watcher tests: a directory with the department, two public bodies
//! (one with a structure inside it) and an external authority; the department's staff and a
//! body's agents; services on a manual clock with the deterministic test cipher; and the
//! events most tests start from.

// Each test file uses a different part of these fixtures.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, Duration, TimeZone, Utc};
use kernel::calendar::HolidayCalendar;
use kernel::organisation::{Governorate, LocalizedName};
use kernel::personal_data::{InMemoryKeyVault, PersonalDataCipher, Sealed, SubjectId};
use kernel::{
    Actor, ActorId, InMemoryDirectory, ManualClock, Organisation, OrganisationId, OrganisationKind,
    Role, Text, TextLimits,
};
use watcher::{
    Answer, Assignment, CampaignId, Channel, ChecklistId, ChecklistVersion, Criterion, CriterionId,
    Percentage, Scale, ServicePointId, ServicePointRef, Theme, VisitEvent, VisitId, WatcherConfig,
    WatcherServices, score_visit,
};

/// Tuesday 17 March 2026, 10:00 in Tunis: "now" in every test unless moved.
pub(crate) fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 17, 9, 0, 0).unwrap()
}

/// A text as validation leaves it.
pub(crate) fn text(raw: &str) -> Text {
    Text::new(raw, TextLimits::body(100_000)).unwrap()
}

/// The world the tests run in.
#[derive(Debug)]
pub(crate) struct World {
    pub(crate) clock: ManualClock,
    pub(crate) directory: InMemoryDirectory,
    pub(crate) cipher: PersonalDataCipher,
    pub(crate) config: WatcherConfig,
    /// The Public Service Quality Department.
    pub(crate) department: OrganisationId,
    /// A ministry (a public body).
    pub(crate) ministry: OrganisationId,
    /// A structure within the ministry.
    pub(crate) structure: OrganisationId,
    /// A municipality (another public body).
    pub(crate) municipality: OrganisationId,
    /// The national anti-corruption authority (configured as competent).
    pub(crate) authority: OrganisationId,
    /// A prosecutor's office, not configured.
    pub(crate) prosecutor: OrganisationId,
    pub(crate) head: Actor,
    pub(crate) supervisor: Actor,
    pub(crate) member: Actor,
    pub(crate) other_member: Actor,
    /// An agent of the structure within the ministry.
    pub(crate) body_agent: Actor,
    /// An agent of the municipality.
    pub(crate) stranger: Actor,
    /// The platform's anonymous intake.
    pub(crate) intake: Actor,
}

fn organisation(
    kind: OrganisationKind,
    parent: Option<OrganisationId>,
    governorate: Option<Governorate>,
) -> Organisation {
    Organisation {
        id: OrganisationId::new_v7(),
        kind,
        name: LocalizedName {
            ar: "هيكل".into(),
            fr: "Structure".into(),
        },
        parent,
        governorate,
    }
}

impl World {
    pub(crate) fn new() -> Self {
        let department = organisation(OrganisationKind::WatcherDepartment, None, None);
        let ministry = organisation(OrganisationKind::Ministry, None, None);
        let structure = organisation(
            OrganisationKind::PublicStructure,
            Some(ministry.id),
            Some(Governorate::Sfax),
        );
        let municipality = organisation(
            OrganisationKind::LocalAuthority,
            None,
            Some(Governorate::Kasserine),
        );
        let authority = organisation(OrganisationKind::ExternalAuthority, None, None);
        let prosecutor = organisation(OrganisationKind::ExternalAuthority, None, None);
        let ids = (
            department.id,
            ministry.id,
            structure.id,
            municipality.id,
            authority.id,
            prosecutor.id,
        );
        let directory = InMemoryDirectory::with([
            department,
            ministry,
            structure,
            municipality,
            authority,
            prosecutor,
        ]);
        let config = WatcherConfig {
            competent_authorities: vec![ids.4],
            ..WatcherConfig::default()
        };
        let clock = ManualClock::at(now());
        let vault = Arc::new(InMemoryKeyVault::with_clock(Arc::new(clock.clone())));
        Self {
            clock,
            directory,
            cipher: PersonalDataCipher::deterministic_for_tests(vault),
            config,
            department: ids.0,
            ministry: ids.1,
            structure: ids.2,
            municipality: ids.3,
            authority: ids.4,
            prosecutor: ids.5,
            head: Actor::agent(ActorId::new_v7(), Role::DepartmentHead, ids.0),
            supervisor: Actor::agent(ActorId::new_v7(), Role::WatcherSupervisor, ids.0),
            member: Actor::agent(ActorId::new_v7(), Role::WatcherMember, ids.0),
            other_member: Actor::agent(ActorId::new_v7(), Role::WatcherMember, ids.0),
            body_agent: Actor::agent(ActorId::new_v7(), Role::StructureAgent, ids.2),
            stranger: Actor::agent(ActorId::new_v7(), Role::StructureAgent, ids.3),
            intake: Actor::system(ActorId::new_v7()),
        }
    }

    /// The services aggregates receive (sharing this world's clock, directory and vault).
    pub(crate) fn services(&self) -> WatcherServices {
        WatcherServices {
            clock: Arc::new(self.clock.clone()),
            calendar: HolidayCalendar::tunisia().unwrap(),
            directory: Arc::new(self.directory.clone()),
            cipher: self.cipher.clone(),
            config: self.config.clone(),
        }
    }

    /// `raw` sealed as the aggregates seal it.
    pub(crate) async fn seal(&self, subject: SubjectId, raw: &str) -> Sealed<Text> {
        self.cipher.seal(subject, &text(raw)).await.unwrap()
    }

    /// A supervisor's role held for an organisation that is not the department.
    pub(crate) fn impostor(&self) -> Actor {
        Actor::agent(ActorId::new_v7(), Role::WatcherSupervisor, self.ministry)
    }

    /// The structure's counter in Sfax.
    pub(crate) fn counter(&self) -> ServicePointRef {
        ServicePointRef {
            id: ServicePointId::new_v7(),
            organisation: self.structure,
            governorate: Governorate::Sfax,
            channel: Channel::Counter,
        }
    }

    /// The municipality's phone line in Kasserine.
    pub(crate) fn phone_line(&self) -> ServicePointRef {
        ServicePointRef {
            id: ServicePointId::new_v7(),
            organisation: self.municipality,
            governorate: Governorate::Kasserine,
            channel: Channel::Phone,
        }
    }
}

/// The criteria of the sample checklist: a yes/no reception criterion (weight 2), a 0-4
/// waiting criterion (weight 1) and a critical yes/no integrity criterion (weight 3).
pub(crate) struct Sample {
    pub(crate) welcome: CriterionId,
    pub(crate) waiting: CriterionId,
    pub(crate) no_bribe: CriterionId,
    pub(crate) version: ChecklistVersion,
}

impl Sample {
    pub(crate) fn new() -> Self {
        let (welcome, waiting, no_bribe) = (
            CriterionId::new_v7(),
            CriterionId::new_v7(),
            CriterionId::new_v7(),
        );
        let criterion = |id, theme, label: &str, weight, scale, critical| Criterion {
            id,
            theme,
            label: text(label),
            weight,
            scale,
            critical,
        };
        let version = ChecklistVersion {
            checklist: ChecklistId::new_v7(),
            number: 1,
            title: text("Accueil au guichet"),
            criteria: vec![
                criterion(
                    welcome,
                    Theme::Reception,
                    "Accueil courtois",
                    2,
                    Scale::YesNo,
                    false,
                ),
                criterion(
                    waiting,
                    Theme::Waiting,
                    "Attente raisonnable",
                    1,
                    Scale::Levels { max: 4 },
                    false,
                ),
                criterion(
                    no_bribe,
                    Theme::Integrity,
                    "Aucune demande indue",
                    3,
                    Scale::YesNo,
                    true,
                ),
            ],
            critical_cap: Percentage::saturating(4_900),
            published_at: now() - Duration::days(30),
        };
        Self {
            welcome,
            waiting,
            no_bribe,
            version,
        }
    }

    /// Full marks.
    pub(crate) fn good_answers(&self) -> BTreeMap<CriterionId, Answer> {
        BTreeMap::from([
            (self.welcome, Answer::Yes),
            (self.waiting, Answer::Level(4)),
            (self.no_bribe, Answer::Yes),
        ])
    }

    /// Full marks but the critical criterion failed: raw 50.00, capped at 49.00.
    pub(crate) fn bribe_answers(&self) -> BTreeMap<CriterionId, Answer> {
        BTreeMap::from([
            (self.welcome, Answer::Yes),
            (self.waiting, Answer::Level(4)),
            (self.no_bribe, Answer::No),
        ])
    }
}

/// When the sample visit was planned: a week before now.
pub(crate) fn planned_at() -> DateTime<Utc> {
    now() - Duration::days(7)
}

/// A planned visit of the structure's counter by the world's member, and the events that
/// take it to each state.
pub(crate) struct VisitStory {
    pub(crate) sample: Sample,
    pub(crate) assignment: Assignment,
    pub(crate) subject: SubjectId,
}

impl VisitStory {
    pub(crate) fn new(world: &World) -> Self {
        Self {
            sample: Sample::new(),
            assignment: Assignment {
                campaign: CampaignId::new_v7(),
                visit: VisitId::new_v7(),
                service_point: world.counter(),
                member: world.member.id,
            },
            subject: SubjectId::new_v7(),
        }
    }

    pub(crate) fn planned(&self, world: &World) -> VisitEvent {
        VisitEvent::VisitPlanned {
            assignment: self.assignment,
            checklist: self.sample.version.clone(),
            subject: self.subject,
            by: world.supervisor.id,
            planned_at: planned_at(),
        }
    }

    /// Recorded with full marks, the visit having happened two days before now.
    pub(crate) async fn recorded(&self, world: &World) -> VisitEvent {
        let answers = self.sample.good_answers();
        VisitEvent::VisitRecorded {
            occurred_at: now() - Duration::days(2),
            recorded_at: now() - Duration::days(1),
            channel: Channel::Counter,
            service_asked: text("Extrait de naissance"),
            waiting_minutes: Some(25),
            observations: world.seal(self.subject, "Accueil correct.").await,
            score: score_visit(&self.sample.version, &answers).unwrap(),
            answers,
        }
    }

    pub(crate) fn submitted(&self, revision: u32) -> VisitEvent {
        VisitEvent::VisitSubmitted {
            revision,
            submitted_at: now() - Duration::hours(20),
        }
    }

    pub(crate) fn accepted(&self, world: &World) -> VisitEvent {
        VisitEvent::VisitAccepted {
            score: score_visit(&self.sample.version, &self.sample.good_answers()).unwrap(),
            by: world.supervisor.id,
            accepted_at: now() - Duration::hours(10),
        }
    }

    /// The events up to an accepted visit.
    pub(crate) async fn up_to_accepted(&self, world: &World) -> Vec<VisitEvent> {
        vec![
            self.planned(world),
            self.recorded(world).await,
            self.submitted(1),
            self.accepted(world),
        ]
    }
}
