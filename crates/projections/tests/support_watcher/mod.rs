//! Fixtures of the watcher read-model, obligation and report tests: a directory with the
//! department, three public bodies and two authorities; the department's staff and the
//! bodies' agents; stores on both backends; and a scripted first semester of 2026 (plus a
//! few days of July) written by running real commands through cqrs-es on a real store, with
//! a manual clock moved between commands.
//!
//! # The scripted history (every time 10:00 in Tunis unless said; "member 1/2" visit)
//!
//! ```text
//! Jan  5  points P1 (structure, Sfax, counter), P2 (municipality, Kasserine, phone),
//!         P3 (structure, Sfax, website), P4 (municipality, Kasserine, counter),
//!         P5 (ministry, Tunis, e-mail); checklist v1 (welcome yes/no w2 Reception,
//!         waiting 0-4 w1 Waiting, no bribe yes/no w3 Integrity critical); campaign C1
//!         (Jan 5 - Jun 30) with P1 P2 P3 P5 and members 1 and 2; visits V1 (P1, member 1),
//!         V2 (P2, member 2), V3 (P5, member 1), V4 (P1, member 2), V5 (P3, member 1)
//!         assigned and planned; survey S (P1, P2; Jan 5 - Jun 30) with two 5-level
//!         questions of weight 1
//! Feb  2  response R1 at P1: 5, 5 -> 100.00        Feb 3  response R2 at P1: 3, 4 -> 62.50
//! Feb  9  P4 retired
//! Feb 10  V1 recorded (happened 09:00 Tunis): full marks -> 100.00; finding F1
//!         (recommendation); submitted               Feb 11  V1 accepted (supervisor)
//! Feb 12  V1 report sent to the structure
//! Feb 20  the structure proposes an action for F1, due Mar 31
//! Mar  1  V5 cancelled (plan changed)
//! Mar  3  V2 recorded (happened 09:30 Tunis): bribe asked -> raw 50.00, capped 49.00;
//!         findings F2 (serious, critical criterion) and F3 (minor); submitted
//! Mar  4  V2 sent back (supervisor), recorded again, submitted (revision 2)
//! Mar  5  V2 accepted (head)                         Mar 6  V2 report sent  <- `mid`
//! Mar  9  referral R1 of F2 (extortion) to the authority
//! Mar 10  response R3 at P2: 1, 2 -> 12.50; the municipality proposes an action for F2,
//!         due Apr 30
//! Mar 16  R1 acknowledged ("INLUCC-2026-17")
//! Apr 10  F1 verified implemented (follow-up V4)
//! Apr 14  V3 recorded (happened 09:00 Tunis): welcome no, waiting 2/4 -> 58.33;
//!         finding F4 (moderate); submitted          Apr 15  V3 accepted
//! Apr 16  V3 report sent to the ministry
//! Apr 20  the ministry proposes an action for F4, due Jul 31
//! Apr 22  referral R2 of F4 (breach of transparency) to the prosecutor
//! May  4  R1 outcome: proceedings opened
//! May  5  F2 verified not implemented
//! May 20  V4 recorded (happened 09:00 Tunis): waiting 1/4 -> 87.50; finding F5 (minor);
//!         submitted                                 May 21  V4 accepted
//! May 22  V4 report sent to the structure
//! Jun  1  V6 (P2, member 2) assigned and planned
//! Jun  5  V6 recorded (full marks), submitted: left awaiting review
//! Jun 10  R2 outcome: no further action
//! Jun 15  referral R3 of F3 (unfairness) to the authority  <- `end_of_first_semester`
//! --- appended by `second_part` ---
//! Jun 30  V7 (P3, member 1) assigned and planned
//! Jul  1  the municipality proposes a new action for F2, due Jul 20
//! Jul  2  V7 recorded (full marks), submitted        Jul 3  V7 accepted
//! ```
// Each test file uses a part of these fixtures, and a test crate exports nothing.
#![allow(dead_code, unreachable_pub)]

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use cqrs_es::{Aggregate, AggregateContext, EventStore};
use event_store::{Cursor, ProjectionRunner, RunnerSettings, Store, StoreConfig};
use kernel::calendar::HolidayCalendar;
use kernel::organisation::{Governorate, LocalizedName};
use kernel::personal_data::{InMemoryKeyVault, PersonalDataCipher, Sealed, SubjectId};
use kernel::{
    AccessChannel, Actor, ActorId, Clock, EventMetadata, InMemoryDirectory, ManualClock,
    Organisation, OrganisationId, OrganisationKind, Role, Text, TextLimits,
};
use sqlx::{AnyPool, Row};
use watcher::{
    Answer, Assignment, CampaignCommand, CampaignId, CancellationReason, Channel, Checklist,
    ChecklistCommand, ChecklistId, ChecklistVersion, CorruptionCategory, CorruptionReferral,
    CriterionDraft, CriterionId, FindingId, FindingKind, QuestionDraft, QuestionId,
    ReferralCommand, ReferralId, ReferralOutcome, ResponseId, SatisfactionSurvey, Scale, ScoreCard,
    ServicePoint, ServicePointCommand, ServicePointId, ServicePointRef, Severity, SurveyCommand,
    SurveyId, Theme, VerificationOutcome, Visit, VisitCommand, VisitId, WatcherConfig,
    WatcherServices, score_visit,
};

/// What member 1 wrote about every visit: department only, sealed.
pub const OBSERVATIONS: &str = "Agent du guichet 2 aimable, reçu à 10 h 05";
/// The service the members asked for: department only.
pub const SERVICE_ASKED: &str = "Extrait de naissance";
/// A supervisor's remarks when sending V2 back.
pub const REMARKS: &str = "Préciser l'heure de passage";
/// What the follow-up visits saw.
pub const NOTES: &str = "Vu sur place le matin par le membre";
/// The actions the bodies promised.
pub const ACTION: &str = "Afficher les frais et installer des sièges";

/// 10:00 in Tunis (UTC+1 all year) on `month`/`day` 2026.
pub fn at(month: u32, day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, month, day, 9, 0, 0).unwrap()
}

/// A local date of 2026.
pub fn day(month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, month, day).unwrap()
}

/// A text as validation leaves it.
pub fn text(raw: &str) -> Text {
    Text::new(raw, TextLimits::body(100_000)).unwrap()
}

/// The platform's calendar.
pub fn calendar() -> HolidayCalendar {
    HolidayCalendar::tunisia().unwrap()
}

/// A store on a fresh SQLite file (kept alive by the returned folder).
pub async fn sqlite_store() -> (Store, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let config = StoreConfig {
        url: format!("sqlite://{}/store.db", dir.path().display()),
        snapshot_every: 0,
        ..StoreConfig::default()
    };
    (Store::connect(&config).await.unwrap(), dir)
}

/// A store on a fresh PostgreSQL database.
pub async fn postgres_store() -> Store {
    let config = StoreConfig {
        url: test_support::fresh_postgres_database().await,
        snapshot_every: 0,
        max_connections: 8,
        ..StoreConfig::default()
    };
    Store::connect(&config).await.unwrap()
}

/// Declares `async fn(store: Store)` once and runs it as a test on each backend.
#[macro_export]
macro_rules! on_both_backends {
    ($name:ident, $body:expr) => {
        mod $name {
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn sqlite() {
                let (store, _dir) = support_watcher::sqlite_store().await;
                ($body)(store).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn postgres() {
                let store = support_watcher::postgres_store().await;
                ($body)(store).await;
            }
        }
    };
}

/// The world the history happens in.
#[derive(Debug)]
pub struct World {
    pub clock: ManualClock,
    pub directory: InMemoryDirectory,
    pub cipher: PersonalDataCipher,
    pub config: WatcherConfig,
    /// The Public Service Quality Department.
    pub department: OrganisationId,
    /// A ministry (inspected through its e-mail address).
    pub ministry: OrganisationId,
    /// A structure within the ministry, in Sfax.
    pub structure: OrganisationId,
    /// A municipality in Kasserine.
    pub municipality: OrganisationId,
    /// The national anti-corruption authority.
    pub authority: OrganisationId,
    /// A prosecutor's office.
    pub prosecutor: OrganisationId,
    pub head: Actor,
    pub supervisor: Actor,
    pub member_1: Actor,
    pub member_2: Actor,
    pub structure_agent: Actor,
    pub municipality_agent: Actor,
    pub ministry_agent: Actor,
    /// The anonymous survey intake.
    pub intake: Actor,
}

fn organisation(kind: OrganisationKind, parent: Option<OrganisationId>) -> Organisation {
    Organisation {
        id: OrganisationId::new_v7(),
        kind,
        name: LocalizedName {
            ar: "هيكل".into(),
            fr: "Structure".into(),
        },
        parent,
        governorate: None,
    }
}

impl World {
    pub fn new() -> Self {
        let department = organisation(OrganisationKind::WatcherDepartment, None);
        let ministry = organisation(OrganisationKind::Ministry, None);
        let structure = organisation(OrganisationKind::PublicStructure, Some(ministry.id));
        let municipality = organisation(OrganisationKind::LocalAuthority, None);
        let authority = organisation(OrganisationKind::ExternalAuthority, None);
        let prosecutor = organisation(OrganisationKind::ExternalAuthority, None);
        let (department, ministry, structure, municipality, authority, prosecutor, directory) = (
            department.id,
            ministry.id,
            structure.id,
            municipality.id,
            authority.id,
            prosecutor.id,
            InMemoryDirectory::with([
                department,
                ministry,
                structure,
                municipality,
                authority,
                prosecutor,
            ]),
        );
        let clock = ManualClock::at(at(1, 5));
        let vault = Arc::new(InMemoryKeyVault::with_clock(Arc::new(clock.clone())));
        let agent = |role, organisation| Actor::agent(ActorId::new_v7(), role, organisation);
        Self {
            cipher: PersonalDataCipher::deterministic_for_tests(vault),
            config: WatcherConfig {
                competent_authorities: vec![authority, prosecutor],
                ..WatcherConfig::default()
            },
            clock,
            directory,
            department,
            ministry,
            structure,
            municipality,
            authority,
            prosecutor,
            head: agent(Role::DepartmentHead, department),
            supervisor: agent(Role::WatcherSupervisor, department),
            member_1: agent(Role::WatcherMember, department),
            member_2: agent(Role::WatcherMember, department),
            structure_agent: agent(Role::StructureAgent, structure),
            municipality_agent: agent(Role::StructureAgent, municipality),
            ministry_agent: agent(Role::StructureAgent, ministry),
            intake: Actor::system(ActorId::new_v7()),
        }
    }

    pub fn services(&self) -> WatcherServices {
        WatcherServices {
            clock: Arc::new(self.clock.clone()),
            calendar: calendar(),
            directory: Arc::new(self.directory.clone()),
            cipher: self.cipher.clone(),
            config: self.config.clone(),
        }
    }

    /// `raw` sealed as the aggregates seal it (the test cipher is deterministic).
    pub async fn seal(&self, subject: SubjectId, raw: &str) -> Sealed<Text> {
        self.cipher.seal(subject, &text(raw)).await.unwrap()
    }

    /// The ciphertext of `raw` sealed under `subject`, as it appears in JSON.
    pub async fn ciphertext(&self, subject: SubjectId, raw: &str) -> String {
        let sealed = serde_json::to_value(self.seal(subject, raw).await).unwrap();
        sealed["ciphertext"].as_str().unwrap().to_owned()
    }
}

/// Runs commands on a store, each recorded at the manual clock's time.
pub struct Script {
    pub store: Store,
    pub world: World,
    /// Events appended so far (every watcher command appends one).
    pub appended: usize,
}

impl Script {
    /// Moves the clock to 10:00 in Tunis on `month`/`day` 2026.
    pub fn on(&self, month: u32, day: u32) {
        self.world.clock.set(at(month, day));
    }

    /// Runs `command` on aggregate `id` as `actor` would through the gateway.
    pub async fn run<A>(&mut self, id: impl ToString, actor: Actor, command: A::Command)
    where
        A: Aggregate<Services = WatcherServices> + Send + Sync,
        A::Command: std::fmt::Debug,
    {
        let metadata = EventMetadata::new(&actor, AccessChannel::Api, self.world.clock.now());
        let description = format!("{command:?}");
        self.store
            .cqrs::<A>(vec![], self.world.services())
            .execute_with_metadata(&id.to_string(), command, metadata.to_map())
            .await
            .unwrap_or_else(|e| panic!("{description} refused: {e:?}"));
        self.appended += 1;
    }

    /// The cursor of the last event appended, once every appended event is readable (on
    /// PostgreSQL an event becomes readable once older transactions of the cluster ended).
    pub async fn cursor(&self) -> Cursor {
        wait_for(&self.store, self.appended).await
    }
}

/// The head of the log once `count` events are readable.
pub async fn wait_for(store: &Store, count: usize) -> Cursor {
    let log = store.log();
    for _ in 0..1000 {
        let readable = log.count_after(Cursor::START, u32::MAX).await.unwrap();
        if readable >= count as u64 {
            return log.head().await.unwrap();
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("fewer than {count} events readable after 20 s");
}

/// The sample checklist's criteria.
pub struct Criteria {
    pub welcome: CriterionId,
    pub waiting: CriterionId,
    pub no_bribe: CriterionId,
}

impl Criteria {
    fn answers(
        &self,
        welcome: Answer,
        waiting: u8,
        no_bribe: Answer,
    ) -> BTreeMap<CriterionId, Answer> {
        BTreeMap::from([
            (self.welcome, welcome),
            (self.waiting, Answer::Level(waiting)),
            (self.no_bribe, no_bribe),
        ])
    }

    /// Full marks: 100.00.
    pub fn good(&self) -> BTreeMap<CriterionId, Answer> {
        self.answers(Answer::Yes, 4, Answer::Yes)
    }

    /// A bribe asked: raw (2 + 1 + 0) / 6 = 50.00, capped at 49.00.
    pub fn bribe(&self) -> BTreeMap<CriterionId, Answer> {
        self.answers(Answer::Yes, 4, Answer::No)
    }

    /// No welcome, half the waiting marks: (0 + 0.5 + 3) / 6 = 58.33.
    pub fn cold(&self) -> BTreeMap<CriterionId, Answer> {
        self.answers(Answer::No, 2, Answer::Yes)
    }

    /// A long wait: (2 + 0.25 + 3) / 6 = 87.50.
    pub fn slow(&self) -> BTreeMap<CriterionId, Answer> {
        self.answers(Answer::Yes, 1, Answer::Yes)
    }
}

/// One planned visit.
#[derive(Clone, Copy, Debug)]
pub struct PlannedVisit {
    pub id: VisitId,
    pub point: ServicePointRef,
    pub member: Actor,
    pub subject: SubjectId,
}

/// The scripted history and the identifiers tests check against.
pub struct History {
    pub script: Script,
    pub criteria: Criteria,
    pub checklist: ChecklistVersion,
    pub campaign: CampaignId,
    pub p1: ServicePointRef,
    pub p2: ServicePointRef,
    pub p3: ServicePointRef,
    pub p4: ServicePointRef,
    pub p5: ServicePointRef,
    pub v1: PlannedVisit,
    pub v2: PlannedVisit,
    pub v3: PlannedVisit,
    pub v4: PlannedVisit,
    pub v5: PlannedVisit,
    pub v6: PlannedVisit,
    pub v7: PlannedVisit,
    pub f1: FindingId,
    pub f2: FindingId,
    pub f3: FindingId,
    pub f4: FindingId,
    pub f5: FindingId,
    pub r1: ReferralId,
    pub r2: ReferralId,
    pub r3: ReferralId,
    pub survey: SurveyId,
    /// Right after V2's report was sent (6 March).
    pub mid: Cursor,
    /// How many events the log holds up to `mid`.
    pub events_at_mid: usize,
    /// The last event of the first part (15 June).
    pub end_of_first_semester: Cursor,
}

impl History {
    pub fn world(&self) -> &World {
        &self.script.world
    }

    pub fn store(&self) -> &Store {
        &self.script.store
    }

    pub fn pool(&self) -> &AnyPool {
        self.script.store.any_pool()
    }

    /// The score card `answers` give.
    pub fn score(&self, answers: &BTreeMap<CriterionId, Answer>) -> ScoreCard {
        score_visit(&self.checklist, answers).unwrap()
    }

    /// Writes the history up to 15 June (see the module docs).
    pub async fn first_part(store: Store) -> Self {
        let world = World::new();
        let mut s = Script {
            store,
            world,
            appended: 0,
        };
        let (supervisor, head) = (s.world.supervisor, s.world.head);

        // 5 January: register, plan, survey.
        s.on(1, 5);
        let point = |organisation, governorate, channel| ServicePointRef {
            id: ServicePointId::new_v7(),
            organisation,
            governorate,
            channel,
        };
        let p1 = point(s.world.structure, Governorate::Sfax, Channel::Counter);
        let p2 = point(s.world.municipality, Governorate::Kasserine, Channel::Phone);
        let p3 = point(s.world.structure, Governorate::Sfax, Channel::Website);
        let p4 = point(
            s.world.municipality,
            Governorate::Kasserine,
            Channel::Counter,
        );
        let p5 = point(s.world.ministry, Governorate::Tunis, Channel::Email);
        for (p, name, locator) in [
            (
                p1,
                "Guichet de l'état civil",
                "Avenue Habib Bourguiba, Sfax",
            ),
            (p2, "Standard de la municipalité", "+216 77 000 000"),
            (
                p3,
                "Portail de la structure",
                "https://structure.example.tn",
            ),
            (p4, "Bureau d'ordre", "Place de la municipalité, Kasserine"),
            (
                p5,
                "Adresse de contact du ministère",
                "contact@ministere.example.tn",
            ),
        ] {
            s.run::<ServicePoint>(
                p.id,
                supervisor,
                ServicePointCommand::RegisterServicePoint {
                    actor: supervisor,
                    point: p.id,
                    organisation: p.organisation,
                    governorate: p.governorate,
                    channel: p.channel,
                    name: name.into(),
                    locator: locator.into(),
                },
            )
            .await;
        }

        let checklist_id = ChecklistId::new_v7();
        let criteria = Criteria {
            welcome: CriterionId::new_v7(),
            waiting: CriterionId::new_v7(),
            no_bribe: CriterionId::new_v7(),
        };
        s.run::<Checklist>(
            checklist_id,
            supervisor,
            ChecklistCommand::CreateChecklist {
                actor: supervisor,
                checklist: checklist_id,
                title: "Accueil au guichet".into(),
            },
        )
        .await;
        let draft = |id, theme, label: &str, weight, scale, critical| CriterionDraft {
            id,
            theme,
            label: label.into(),
            weight,
            scale,
            critical,
        };
        s.run::<Checklist>(
            checklist_id,
            supervisor,
            ChecklistCommand::PublishChecklistVersion {
                actor: supervisor,
                criteria: vec![
                    draft(
                        criteria.welcome,
                        Theme::Reception,
                        "Accueil courtois",
                        2,
                        Scale::YesNo,
                        false,
                    ),
                    draft(
                        criteria.waiting,
                        Theme::Waiting,
                        "Attente raisonnable",
                        1,
                        Scale::Levels { max: 4 },
                        false,
                    ),
                    draft(
                        criteria.no_bribe,
                        Theme::Integrity,
                        "Aucune demande indue",
                        3,
                        Scale::YesNo,
                        true,
                    ),
                ],
            },
        )
        .await;
        let checklist = s
            .store
            .event_store::<Checklist>()
            .load_aggregate(&checklist_id.to_string())
            .await
            .unwrap()
            .aggregate()
            .latest()
            .unwrap()
            .clone();

        let campaign = CampaignId::new_v7();
        s.run::<watcher::Campaign>(
            campaign,
            supervisor,
            CampaignCommand::PlanCampaign {
                actor: supervisor,
                campaign,
                title: "Premier semestre 2026".into(),
                starts_on: day(1, 5),
                ends_on: day(6, 30),
            },
        )
        .await;
        s.run::<watcher::Campaign>(
            campaign,
            supervisor,
            CampaignCommand::IncludeServicePoints {
                actor: supervisor,
                points: vec![p1, p2, p3, p5],
            },
        )
        .await;
        let (member_1, member_2) = (s.world.member_1, s.world.member_2);
        let (structure_agent, municipality_agent, ministry_agent) = (
            s.world.structure_agent,
            s.world.municipality_agent,
            s.world.ministry_agent,
        );
        for member in [member_1, member_2] {
            s.run::<watcher::Campaign>(
                campaign,
                supervisor,
                CampaignCommand::AddTeamMember {
                    actor: supervisor,
                    member: member.id,
                },
            )
            .await;
        }
        let mut history_visits = Vec::new();
        for (point, member) in [
            (p1, member_1),
            (p2, member_2),
            (p5, member_1),
            (p1, member_2),
            (p3, member_1),
        ] {
            history_visits.push(assign_and_plan(&mut s, campaign, &checklist, point, member).await);
        }
        let [v1, v2, v3, v4, v5] = history_visits[..] else {
            unreachable!()
        };

        let survey = SurveyId::new_v7();
        let (q1, q2) = (QuestionId::new_v7(), QuestionId::new_v7());
        s.run::<SatisfactionSurvey>(
            survey,
            supervisor,
            SurveyCommand::CreateSurvey {
                actor: supervisor,
                survey,
                title: "Satisfaction aux guichets".into(),
                starts_on: day(1, 5),
                ends_on: day(6, 30),
                service_points: vec![p1.id, p2.id],
            },
        )
        .await;
        let question = |id, label: &str| QuestionDraft {
            id,
            label: label.into(),
            weight: 1,
            levels: 5,
        };
        s.run::<SatisfactionSurvey>(
            survey,
            supervisor,
            SurveyCommand::PublishQuestionnaire {
                actor: supervisor,
                questions: vec![question(q1, "Accueil"), question(q2, "Délai")],
            },
        )
        .await;
        let intake = s.world.intake;
        let respond = async |s: &mut Script, month, d, point: ServicePointId, a1, a2| {
            s.on(month, d);
            s.run::<SatisfactionSurvey>(
                survey,
                intake,
                SurveyCommand::RecordResponse {
                    actor: intake,
                    response: ResponseId::new_v7(),
                    service_point: point,
                    questionnaire_version: 1,
                    responded_on: day(month, d),
                    answers: BTreeMap::from([(q1, a1), (q2, a2)]),
                },
            )
            .await;
        };
        respond(&mut s, 2, 2, p1.id, 5, 5).await;
        respond(&mut s, 2, 3, p1.id, 3, 4).await;

        s.on(2, 9);
        s.run::<ServicePoint>(
            p4.id,
            supervisor,
            ServicePointCommand::RetireServicePoint {
                actor: supervisor,
                reason: "Fermé".into(),
            },
        )
        .await;

        // V1: full marks, a recommendation, accepted and reported.
        let (f1, f2, f3, f4, f5) = (
            FindingId::new_v7(),
            FindingId::new_v7(),
            FindingId::new_v7(),
            FindingId::new_v7(),
            FindingId::new_v7(),
        );
        s.on(2, 10);
        record(
            &mut s,
            v1,
            at(2, 10) - chrono::Duration::hours(1),
            criteria.good(),
        )
        .await;
        find(&mut s, v1, f1, FindingKind::Recommendation, None).await;
        submit(&mut s, v1).await;
        s.on(2, 11);
        review(&mut s, v1, supervisor, None).await;
        s.on(2, 12);
        send_report(&mut s, v1).await;
        s.on(2, 20);
        propose(&mut s, v1, structure_agent, f1, day(3, 31)).await;

        s.on(3, 1);
        s.run::<Visit>(
            v5.id,
            supervisor,
            VisitCommand::CancelVisit {
                actor: supervisor,
                reason: CancellationReason::PlanChanged,
            },
        )
        .await;

        // V2: a bribe asked; sent back once; accepted by the head.
        s.on(3, 3);
        let v2_happened = at(3, 3) - chrono::Duration::minutes(30);
        record(&mut s, v2, v2_happened, criteria.bribe()).await;
        let serious = FindingKind::Shortcoming {
            severity: Severity::Serious,
        };
        let minor = FindingKind::Shortcoming {
            severity: Severity::Minor,
        };
        find(&mut s, v2, f2, serious, Some(criteria.no_bribe)).await;
        find(&mut s, v2, f3, minor, None).await;
        submit(&mut s, v2).await;
        s.on(3, 4);
        review(&mut s, v2, supervisor, Some(REMARKS)).await;
        record(&mut s, v2, v2_happened, criteria.bribe()).await;
        submit(&mut s, v2).await;
        s.on(3, 5);
        review(&mut s, v2, head, None).await;
        s.on(3, 6);
        send_report(&mut s, v2).await;
        let mid = s.cursor().await;
        let events_at_mid = s.appended;

        let (r1, r2, r3) = (
            ReferralId::new_v7(),
            ReferralId::new_v7(),
            ReferralId::new_v7(),
        );
        let authority = s.world.authority;
        let prosecutor = s.world.prosecutor;
        let municipality = s.world.municipality;
        let ministry = s.world.ministry;
        s.on(3, 9);
        refer(
            &mut s,
            r1,
            v2,
            f2,
            municipality,
            CorruptionCategory::Extortion,
            authority,
        )
        .await;
        respond(&mut s, 3, 10, p2.id, 1, 2).await;
        propose(&mut s, v2, municipality_agent, f2, day(4, 30)).await;
        s.on(3, 16);
        s.run::<CorruptionReferral>(
            r1,
            supervisor,
            ReferralCommand::RecordAcknowledgement {
                actor: supervisor,
                acknowledged_on: day(3, 16),
                authority_reference: Some("INLUCC-2026-17".into()),
            },
        )
        .await;
        s.on(4, 10);
        verify(&mut s, v1, f1, v4.id, VerificationOutcome::Implemented).await;

        // V3: a cold welcome at the ministry's address.
        s.on(4, 14);
        record(
            &mut s,
            v3,
            at(4, 14) - chrono::Duration::hours(1),
            criteria.cold(),
        )
        .await;
        let moderate = FindingKind::Shortcoming {
            severity: Severity::Moderate,
        };
        find(&mut s, v3, f4, moderate, Some(criteria.welcome)).await;
        submit(&mut s, v3).await;
        s.on(4, 15);
        review(&mut s, v3, supervisor, None).await;
        s.on(4, 16);
        send_report(&mut s, v3).await;
        s.on(4, 20);
        propose(&mut s, v3, ministry_agent, f4, day(7, 31)).await;
        s.on(4, 22);
        refer(
            &mut s,
            r2,
            v3,
            f4,
            ministry,
            CorruptionCategory::BreachOfTransparency,
            prosecutor,
        )
        .await;
        s.on(5, 4);
        outcome(&mut s, r1, ReferralOutcome::ProceedingsOpened, day(5, 4)).await;
        s.on(5, 5);
        verify(
            &mut s,
            v2,
            f2,
            VisitId::new_v7(),
            VerificationOutcome::NotImplemented,
        )
        .await;

        // V4: a long wait at the structure's counter.
        s.on(5, 20);
        record(
            &mut s,
            v4,
            at(5, 20) - chrono::Duration::hours(1),
            criteria.slow(),
        )
        .await;
        find(&mut s, v4, f5, minor, None).await;
        submit(&mut s, v4).await;
        s.on(5, 21);
        review(&mut s, v4, supervisor, None).await;
        s.on(5, 22);
        send_report(&mut s, v4).await;

        // V6: carried out, awaiting review.
        s.on(6, 1);
        let v6 = assign_and_plan(&mut s, campaign, &checklist, p2, member_2).await;
        s.on(6, 5);
        record(
            &mut s,
            v6,
            at(6, 5) - chrono::Duration::hours(1),
            criteria.good(),
        )
        .await;
        submit(&mut s, v6).await;
        s.on(6, 10);
        outcome(&mut s, r2, ReferralOutcome::NoFurtherAction, day(6, 10)).await;
        s.on(6, 15);
        refer(
            &mut s,
            r3,
            v2,
            f3,
            municipality,
            CorruptionCategory::Unfairness,
            authority,
        )
        .await;
        let end_of_first_semester = s.cursor().await;

        // V7 is only assigned in the second part; its identifiers are fixed now.
        let v7 = PlannedVisit {
            id: VisitId::new_v7(),
            point: p3,
            member: member_1,
            subject: SubjectId::new_v7(),
        };
        Self {
            script: s,
            criteria,
            checklist,
            campaign,
            p1,
            p2,
            p3,
            p4,
            p5,
            v1,
            v2,
            v3,
            v4,
            v5,
            v6,
            v7,
            f1,
            f2,
            f3,
            f4,
            f5,
            r1,
            r2,
            r3,
            survey,
            mid,
            events_at_mid,
            end_of_first_semester,
        }
    }

    /// Appends the end of June and the beginning of July (see the module docs).
    pub async fn second_part(&mut self) {
        let s = &mut self.script;
        let supervisor = s.world.supervisor;
        s.on(6, 30);
        let v7 = self.v7;
        plan(s, self.campaign, &self.checklist, v7).await;
        s.on(7, 1);
        let agent = s.world.municipality_agent;
        propose(s, self.v2, agent, self.f2, day(7, 20)).await;
        s.on(7, 2);
        record(
            s,
            v7,
            at(7, 2) - chrono::Duration::hours(1),
            self.criteria.good(),
        )
        .await;
        submit(s, v7).await;
        s.on(7, 3);
        review(s, v7, supervisor, None).await;
        s.cursor().await;
    }
}

async fn assign_and_plan(
    s: &mut Script,
    campaign: CampaignId,
    checklist: &ChecklistVersion,
    point: ServicePointRef,
    member: Actor,
) -> PlannedVisit {
    let visit = PlannedVisit {
        id: VisitId::new_v7(),
        point,
        member,
        subject: SubjectId::new_v7(),
    };
    plan(s, campaign, checklist, visit).await;
    visit
}

async fn plan(
    s: &mut Script,
    campaign: CampaignId,
    checklist: &ChecklistVersion,
    visit: PlannedVisit,
) {
    let supervisor = s.world.supervisor;
    s.run::<watcher::Campaign>(
        campaign,
        supervisor,
        CampaignCommand::AssignVisit {
            actor: supervisor,
            visit: visit.id,
            service_point: visit.point.id,
            member: visit.member.id,
        },
    )
    .await;
    s.run::<Visit>(
        visit.id,
        supervisor,
        VisitCommand::PlanVisit {
            actor: supervisor,
            assignment: Assignment {
                campaign,
                visit: visit.id,
                service_point: visit.point,
                member: visit.member.id,
            },
            checklist: checklist.clone(),
            subject: visit.subject,
        },
    )
    .await;
}

async fn record(
    s: &mut Script,
    visit: PlannedVisit,
    occurred_at: DateTime<Utc>,
    answers: BTreeMap<CriterionId, Answer>,
) {
    s.run::<Visit>(
        visit.id,
        visit.member,
        VisitCommand::RecordVisit {
            actor: visit.member,
            occurred_at,
            service_asked: SERVICE_ASKED.into(),
            waiting_minutes: Some(25),
            observations: OBSERVATIONS.into(),
            answers,
        },
    )
    .await;
}

async fn find(
    s: &mut Script,
    visit: PlannedVisit,
    finding: FindingId,
    kind: FindingKind,
    criterion: Option<CriterionId>,
) {
    s.run::<Visit>(
        visit.id,
        visit.member,
        VisitCommand::RecordFinding {
            actor: visit.member,
            finding,
            kind,
            criterion,
            description: finding_text(finding),
        },
    )
    .await;
}

/// The description of a finding (distinct per finding, so each can be found sealed).
pub fn finding_text(finding: FindingId) -> String {
    format!("Constat {finding}")
}

async fn submit(s: &mut Script, visit: PlannedVisit) {
    s.run::<Visit>(
        visit.id,
        visit.member,
        VisitCommand::SubmitVisit {
            actor: visit.member,
        },
    )
    .await;
}

/// Accepts the visit, or sends it back with `remarks`.
async fn review(s: &mut Script, visit: PlannedVisit, reviewer: Actor, remarks: Option<&str>) {
    let command = match remarks {
        Some(remarks) => VisitCommand::SendBackVisit {
            actor: reviewer,
            remarks: remarks.into(),
        },
        None => VisitCommand::AcceptVisit { actor: reviewer },
    };
    s.run::<Visit>(visit.id, reviewer, command).await;
}

async fn send_report(s: &mut Script, visit: PlannedVisit) {
    let supervisor = s.world.supervisor;
    s.run::<Visit>(
        visit.id,
        supervisor,
        VisitCommand::SendReport { actor: supervisor },
    )
    .await;
}

async fn propose(
    s: &mut Script,
    visit: PlannedVisit,
    agent: Actor,
    finding: FindingId,
    due_on: NaiveDate,
) {
    s.run::<Visit>(
        visit.id,
        agent,
        VisitCommand::ProposeCorrectiveAction {
            actor: agent,
            finding,
            action: ACTION.into(),
            due_on,
        },
    )
    .await;
}

async fn verify(
    s: &mut Script,
    visit: PlannedVisit,
    finding: FindingId,
    follow_up: VisitId,
    outcome: VerificationOutcome,
) {
    let supervisor = s.world.supervisor;
    s.run::<Visit>(
        visit.id,
        supervisor,
        VisitCommand::VerifyFinding {
            actor: supervisor,
            finding,
            follow_up,
            outcome,
            notes: NOTES.into(),
        },
    )
    .await;
}

async fn refer(
    s: &mut Script,
    referral: ReferralId,
    visit: PlannedVisit,
    finding: FindingId,
    organisation: OrganisationId,
    category: CorruptionCategory,
    authority: OrganisationId,
) {
    let supervisor = s.world.supervisor;
    s.run::<CorruptionReferral>(
        referral,
        supervisor,
        ReferralCommand::ReferFinding {
            actor: supervisor,
            referral,
            visit: visit.id,
            finding,
            organisation,
            category,
            authority,
            subject: visit.subject,
            summary: "Faits constatés lors de la visite".into(),
        },
    )
    .await;
}

async fn outcome(
    s: &mut Script,
    referral: ReferralId,
    outcome: ReferralOutcome,
    decided_on: NaiveDate,
) {
    let supervisor = s.world.supervisor;
    s.run::<CorruptionReferral>(
        referral,
        supervisor,
        ReferralCommand::RecordOutcome {
            actor: supervisor,
            outcome,
            decided_on,
            summary: "Décision de l'autorité".into(),
        },
    )
    .await;
}

/// A runner of every watcher read model on `store`.
pub fn runner(store: &Store) -> ProjectionRunner {
    ProjectionRunner::new(
        store.clone(),
        RunnerSettings::default(),
        projections::watcher::projections(&calendar()),
    )
    .unwrap()
}

/// Catches every projection up until each has applied `total` events since its last
/// rebuild (late commits of the cluster may hold a few back for a moment on PostgreSQL).
pub async fn catch_up_all(runner: &ProjectionRunner, total: usize) {
    for status in runner.statuses() {
        for attempt in 0.. {
            runner.catch_up(&status.name).await.unwrap();
            let applied = runner
                .statuses()
                .into_iter()
                .find(|s| s.name == status.name)
                .unwrap()
                .events_applied;
            if applied >= total as i64 {
                break;
            }
            assert!(
                attempt < 1000,
                "{} applied {applied} of {total}",
                status.name
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

/// Every row of `table`, each column as an integer or a text, in primary-key order.
pub async fn dump(pool: &AnyPool, table: &str) -> Vec<Vec<String>> {
    sqlx::query(&format!("SELECT * FROM {table} ORDER BY 1, 2"))
        .fetch_all(pool)
        .await
        .unwrap()
        .iter()
        .map(|row| {
            (0..row.len())
                .map(|i| match row.try_get::<Option<i64>, _>(i) {
                    Ok(number) => format!("{number:?}"),
                    Err(_) => format!("{:?}", row.try_get::<Option<String>, _>(i).unwrap()),
                })
                .collect()
        })
        .collect()
}

/// The tables of each watcher read model.
pub const TABLES: [(&str, &[&str]); 5] = [
    ("watcher.visits", &["watcher_visits"]),
    (
        "watcher.body",
        &["watcher_body_reports", "watcher_body_findings"],
    ),
    ("watcher.referrals", &["watcher_referrals"]),
    (
        "watcher.coverage",
        &["watcher_service_points", "watcher_coverage_visits"],
    ),
    ("watcher.satisfaction", &["watcher_satisfaction"]),
];

/// Every watcher table, dumped.
pub async fn dump_all(pool: &AnyPool) -> BTreeMap<&'static str, Vec<Vec<String>>> {
    let mut all = BTreeMap::new();
    for (_, tables) in TABLES {
        for table in tables {
            all.insert(*table, dump(pool, table).await);
        }
    }
    all
}
