//! Property tests: random sequences of commands, from fitting or random actors, with time
//! passing in between, never bring a file or a topic into a state its lifecycle forbids, and
//! a refused command never leaves a trace.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::HashMap;

use chrono::Duration;
use citizen_file::{
    AbuseReason, AuthorProof, AuthorRef, Channel, CitizenFile, CitizenFileCommand,
    CitizenFileEvent, ClosureReason, DeadlineTarget, Feasibility, FileId, FileKind, FileStatus,
    ForumCommand, ForumEvent, ForumTopic, KindDetails, MoreTimeReason, PostId, ReferralId,
    ReplyOutcome, TopicId, TopicStatus, Urgency,
};
use common::World;
use cqrs_es::Aggregate;
use cqrs_es::event_sink::EventSink;
use kernel::calendar::{DueStatus, ExplanationStep};
use kernel::personal_data::SubjectId;
use kernel::tracking::TrackingCode;
use kernel::{Actor, ActorId, ActorKind, OrganisationId, Role};
use proptest::prelude::*;

/// One command of a random sequence, before actors and identifiers are filled in.
#[derive(Debug, Clone)]
enum Step {
    Submit,
    RegisterEmail,
    TellSender,
    Admit,
    Inadmissible,
    RequestInformation,
    ProvideInformation {
        proof: u8,
    },
    Refer {
        referral: usize,
        to: usize,
    },
    Acknowledge {
        referral: usize,
    },
    Reply {
        referral: usize,
        outcome: Option<u8>,
    },
    Return {
        referral: usize,
    },
    Extend {
        referral: Option<usize>,
        amount: u32,
    },
    Decide {
        adopted: bool,
    },
    Draft,
    Sign,
    Rate {
        stars: u8,
    },
    Contest,
    Progress,
    Implemented,
    Check,
    Attach,
    Merge,
}

/// A step, who issues it (`None`: the actor the rules expect), whether its text is blank,
/// and how many hours pass before it.
#[derive(Debug, Clone)]
struct Move {
    step: Step,
    actor: Option<usize>,
    blank_text: bool,
    hours_before: i64,
}

fn step() -> impl Strategy<Value = Step> {
    // Mostly the first referral and the first structure, so that replies meet referrals.
    let referral = prop_oneof![4 => Just(0usize), 1 => Just(1usize), 1 => Just(2usize)];
    let to = prop_oneof![4 => Just(0usize), 1 => 1..4usize];
    // Mostly the reply that fits the kind.
    let outcome = prop_oneof![3 => Just(None), 1 => (0..4u8).prop_map(Some)];
    // Steps that end a file (merging, inadmissibility) are rare, so that runs go deep.
    prop_oneof![
        4 => Just(Step::Submit),
        4 => Just(Step::RegisterEmail),
        4 => Just(Step::TellSender),
        16 => Just(Step::Admit),
        1 => Just(Step::Inadmissible),
        4 => Just(Step::RequestInformation),
        8 => (0..3u8).prop_map(|proof| Step::ProvideInformation { proof }),
        16 => (referral.clone(), to).prop_map(|(referral, to)| Step::Refer { referral, to }),
        8 => referral.clone().prop_map(|referral| Step::Acknowledge { referral }),
        20 => (referral.clone(), outcome).prop_map(|(referral, outcome)| Step::Reply { referral, outcome }),
        4 => referral.clone().prop_map(|referral| Step::Return { referral }),
        4 => (proptest::option::of(referral), 0..20u32)
            .prop_map(|(referral, amount)| Step::Extend { referral, amount }),
        12 => any::<bool>().prop_map(|adopted| Step::Decide { adopted }),
        16 => Just(Step::Draft),
        16 => Just(Step::Sign),
        8 => (0..7u8).prop_map(|stars| Step::Rate { stars }),
        8 => Just(Step::Contest),
        8 => Just(Step::Progress),
        4 => Just(Step::Implemented),
        8 => Just(Step::Check),
        4 => Just(Step::Attach),
        1 => Just(Step::Merge),
    ]
}

fn a_move() -> impl Strategy<Value = Move> {
    (
        step(),
        prop_oneof![4 => Just(None), 1 => (0..ACTORS).prop_map(Some)],
        proptest::bool::weighted(0.05),
        prop_oneof![12 => Just(0i64), 3 => 1..72i64, 1 => 480..1_100i64],
    )
        .prop_map(|(step, actor, blank_text, hours_before)| Move {
            step,
            actor,
            blank_text,
            hours_before,
        })
}

fn kind() -> impl Strategy<Value = KindDetails> {
    prop_oneof![
        Just(KindDetails::Petition),
        Just(KindDetails::GuidanceRequest),
        Just(KindDetails::Suggestion),
        prop_oneof![
            Just(Urgency::Low),
            Just(Urgency::Normal),
            Just(Urgency::High),
            Just(Urgency::LifeThreatening),
        ]
        .prop_map(|urgency| KindDetails::Notification { urgency }),
    ]
}

const ACTORS: usize = 11;

/// The cast of a run: fixed identities, so that the author stays the author.
struct Cast {
    world: World,
    kind: KindDetails,
    actors: [Actor; ACTORS],
    referrals: [ReferralId; 3],
    duplicate: FileId,
}

impl Cast {
    fn new(kind: KindDetails) -> Self {
        let world = World::new();
        let agent = |role, org| Actor::agent(ActorId::new_v7(), role, org);
        let handled_by = world.handled_by(kind);
        let actors = [
            world.author(),
            world.someone_else(),
            agent(Role::OfficeAgent, world.office),
            agent(Role::OfficeAgent, world.other_office),
            agent(Role::CentralBureauAgent, world.bureau),
            agent(Role::StructureAgent, world.structure),
            agent(Role::StructureAgent, world.other_structure),
            agent(Role::Signatory, handled_by),
            agent(Role::Signatory, world.other_office),
            agent(Role::ForumModerator, world.bureau),
            Actor::system(ActorId::new_v7()),
        ];
        Self {
            kind,
            actors,
            referrals: [
                ReferralId::new_v7(),
                ReferralId::new_v7(),
                ReferralId::new_v7(),
            ],
            duplicate: FileId::new_v7(),
            world,
        }
    }

    fn destinations(&self) -> [OrganisationId; 4] {
        let w = &self.world;
        [
            w.structure,
            w.other_structure,
            w.office,
            OrganisationId::new_v7(),
        ]
    }

    /// The actor the rules expect for `step` (they may still refuse it for other reasons).
    fn fitting(&self, step: &Step, referrals: &HashMap<ReferralId, OrganisationId>) -> Actor {
        let handler = match self.kind.kind() {
            FileKind::Petition | FileKind::GuidanceRequest => self.actors[2],
            FileKind::Suggestion | FileKind::Notification => self.actors[4],
        };
        match step {
            Step::Submit | Step::ProvideInformation { .. } | Step::Rate { .. } | Step::Contest => {
                self.actors[0]
            }
            Step::Acknowledge { referral }
            | Step::Reply { referral, .. }
            | Step::Return { referral } => {
                let to = referrals.get(&self.referrals[*referral]);
                if to == Some(&self.world.other_structure) {
                    self.actors[6]
                } else {
                    self.actors[5]
                }
            }
            Step::Sign => self.actors[7],
            Step::Check => self.actors[10],
            Step::Progress => self.actors[5],
            _ => handler,
        }
    }

    fn command(&self, m: &Move, actor: Actor) -> CitizenFileCommand {
        use CitizenFileCommand as C;
        let w = &self.world;
        let text = |s: &str| {
            if m.blank_text {
                " ".to_owned()
            } else {
                s.to_owned()
            }
        };
        match &m.step {
            Step::Submit => C::SubmitFile {
                actor,
                file: w.new_file(self.kind),
            },
            Step::RegisterEmail => C::RegisterFile {
                actor,
                file: w.new_file(self.kind),
                channel: Channel::Email,
                received_at: w.now(),
                account: Some(w.account),
            },
            Step::TellSender => C::TellSenderMoreTimeNeeded {
                actor,
                reason: MoreTimeReason::DocumentsToConsult,
            },
            Step::Admit => C::AdmitFile { actor },
            Step::Inadmissible => C::DeclareInadmissible {
                actor,
                reason: citizen_file::InadmissibilityReason::OutsideCompetence,
                note: m.blank_text.then(|| " ".to_owned()),
            },
            Step::RequestInformation => C::RequestInformation {
                actor,
                question: text("Précisez"),
            },
            Step::ProvideInformation { proof } => C::ProvideInformation {
                actor,
                proof: match proof {
                    0 => AuthorProof::Account,
                    1 => AuthorProof::TrackingCode(w.code.clone()),
                    _ => AuthorProof::TrackingCode(TrackingCode::from_value(7)),
                },
                answer: text("Voici"),
                attachments: Vec::new(),
            },
            Step::Refer { referral, to } => C::ReferFile {
                actor,
                referral: self.referrals[*referral],
                to: self.destinations()[*to],
                reason: text("Pour attribution"),
            },
            Step::Acknowledge { referral } => C::AcknowledgeReferral {
                actor,
                referral: self.referrals[*referral],
            },
            Step::Reply { referral, outcome } => C::ReplyToReferral {
                actor,
                referral: self.referrals[*referral],
                outcome: match outcome.unwrap_or(match self.kind.kind() {
                    FileKind::Petition | FileKind::GuidanceRequest => 0,
                    FileKind::Suggestion => 1,
                    FileKind::Notification => 3,
                }) {
                    0 => ReplyOutcome::Answer,
                    1 => ReplyOutcome::FeasibilityAssessment {
                        feasibility: Feasibility::Feasible,
                    },
                    2 => ReplyOutcome::FeasibilityAssessment {
                        feasibility: Feasibility::NotFeasible,
                    },
                    _ => ReplyOutcome::InterventionReport {
                        intervened_at: w.now(),
                        harm_removed: true,
                    },
                },
                text: text("Réponse"),
            },
            Step::Return { referral } => C::ReturnReferral {
                actor,
                referral: self.referrals[*referral],
                reason: text("Hors compétence"),
            },
            Step::Extend { referral, amount } => C::ExtendDeadline {
                actor,
                target: referral.map_or(DeadlineTarget::Reply, |r| {
                    DeadlineTarget::Referral(self.referrals[r])
                }),
                amount: *amount,
                reason: MoreTimeReason::FieldWork,
            },
            Step::Decide { adopted } => C::DecideOnSuggestion {
                actor,
                adopted: *adopted,
                reasons: text("Motifs"),
            },
            Step::Draft => C::DraftAnswer {
                actor,
                text: text("Réponse finale"),
            },
            Step::Sign => C::SignAnswer { actor },
            Step::Rate { stars } => C::RateAnswer {
                actor,
                proof: AuthorProof::Account,
                stars: *stars,
                comment: None,
            },
            Step::Contest => C::ContestAnswer {
                actor,
                proof: AuthorProof::Account,
                grounds: text("Incomplet"),
            },
            Step::Progress => C::ReportImplementationProgress {
                actor,
                report: text("Avancement"),
            },
            Step::Implemented => C::RecordSuggestionImplemented {
                actor,
                report: text("Réalisé"),
            },
            Step::Check => C::CheckDeadlines { actor },
            Step::Attach => C::AttachDuplicate {
                actor,
                duplicate: self.duplicate,
                follower: AuthorRef {
                    subject: SubjectId::new_v7(),
                    account: None,
                },
            },
            Step::Merge => C::MergeIntoFile {
                actor,
                surviving: self.duplicate,
            },
        }
    }
}

/// What the checker remembers of the history, independently of the aggregate.
#[derive(Debug, Default)]
struct Record {
    received: bool,
    referrals: HashMap<ReferralId, OrganisationId>,
    active: HashMap<ReferralId, bool>,
    structure_replied: bool,
    assessed_feasible: bool,
    decided: bool,
    drafted: bool,
    signed: bool,
    rated: bool,
    contests: u32,
}

/// Checks one accepted command's event against the lifecycle, then records it.
fn check_event(
    record: &mut Record,
    cast: &Cast,
    before: FileStatus,
    actor: &Actor,
    event: &CitizenFileEvent,
) {
    use CitizenFileEvent as E;
    let kind = cast.kind.kind();
    let handled_by = cast.world.handled_by(cast.kind);
    assert!(!before.is_terminal(), "{event:?} after {before:?}");
    match event {
        E::FileSubmitted { .. } | E::FileRegistered { .. } => {
            assert!(!record.received, "a second receipt");
            record.received = true;
        }
        _ => assert!(record.received, "{event:?} before the receipt"),
    }
    if let E::FileReferred { referral, to, .. } = event {
        assert!(!record.referrals.contains_key(referral));
        record.referrals.insert(*referral, *to);
        record.active.insert(*referral, true);
    }
    if let E::ReferralAcknowledged {
        referral,
        organisation,
        ..
    }
    | E::ReferralReplied {
        referral,
        organisation,
        ..
    }
    | E::ReferralReturned {
        referral,
        organisation,
        ..
    } = event
    {
        let to = record.referrals[referral];
        assert_eq!(*organisation, to, "a structure acted on another's referral");
        assert!(actor.acts_for(to, &[Role::StructureAgent]));
        assert!(record.active[referral], "acted on a closed referral");
    }
    match event {
        E::ReferralReplied {
            referral, outcome, ..
        } => {
            assert!(outcome.fits(kind));
            record.active.insert(*referral, false);
            record.structure_replied = true;
            if matches!(
                outcome,
                ReplyOutcome::FeasibilityAssessment { feasibility } if *feasibility != Feasibility::NotFeasible
            ) {
                record.assessed_feasible = true;
            }
        }
        E::ReferralReturned { referral, .. } => {
            record.active.insert(*referral, false);
        }
        E::SuggestionDecided { adopted, .. } => {
            assert_eq!(kind, FileKind::Suggestion);
            assert!(!adopted || record.assessed_feasible, "adopted unfeasible");
            record.decided = true;
        }
        E::AnswerDrafted { organisation, .. } => {
            assert_eq!(*organisation, handled_by);
            match kind {
                FileKind::Petition | FileKind::Notification => assert!(record.structure_replied),
                FileKind::Suggestion => assert!(record.decided),
                FileKind::GuidanceRequest => {}
            }
            record.drafted = true;
        }
        E::AnswerSigned { organisation, .. } => {
            assert!(record.drafted, "signed without a draft");
            assert_eq!(*organisation, handled_by);
            assert!(actor.acts_for(handled_by, &[Role::Signatory]));
            record.drafted = false;
            record.signed = true;
            record.rated = false;
        }
        E::AnswerRated { stars, .. } => {
            assert!((1..=5).contains(stars));
            assert!(record.signed && !record.rated, "rated twice or unanswered");
            assert_eq!(actor.kind, ActorKind::Citizen);
            record.rated = true;
        }
        E::AnswerContested { .. } => {
            assert!(record.signed);
            assert_eq!(actor.kind, ActorKind::Citizen);
            record.contests += 1;
            assert!(record.contests <= 1, "contested twice");
            record.signed = false;
        }
        E::InformationProvided { .. } => assert_eq!(actor.kind, ActorKind::Citizen),
        E::FileClosed { reason, .. } => {
            assert_eq!(actor.kind, ActorKind::System);
            match reason {
                ClosureReason::NoReplyToInformationRequest => {
                    assert_eq!(before, FileStatus::AwaitingInformation);
                }
                ClosureReason::ContestPeriodElapsed => assert_eq!(before, FileStatus::Answered),
                other => panic!("closed by the worker for {other:?}"),
            }
        }
        E::SuggestionImplemented { .. } | E::ImplementationProgressReported { .. } => {
            assert_eq!(before, FileStatus::Answered);
            assert_eq!(kind, FileKind::Suggestion);
        }
        _ => {}
    }
}

/// Checks the state the aggregate is in against the record.
fn check_state(record: &Record, file: &CitizenFile) {
    let status = file.status();
    let any_active = record.active.values().any(|active| *active);
    assert_eq!(
        status == FileStatus::Referred,
        any_active,
        "{status:?} with active referrals: {any_active}"
    );
    if status == FileStatus::Answered {
        assert!(record.signed, "answered without a signature");
    }
    if status == FileStatus::AnswerDrafted {
        assert!(record.drafted);
    }
    for (referral, active) in &record.active {
        assert_eq!(
            file.referral_status(*referral).map(|s| s.is_active()),
            Some(*active)
        );
    }
    if let Some(deadline) = file.reply_deadline() {
        // Waiting for the author stops the clock, unless the budget was used up when the
        // question was asked: a pause does not revive a deadline.
        let suspended = matches!(deadline.computed.due, DueStatus::Suspended { .. });
        let paused_too_late = deadline.deadline.pauses.last().is_some_and(|pause| {
            pause.until.is_none()
                && deadline.computed.explanation.steps.iter().any(|step| {
                    matches!(step, ExplanationStep::PauseIgnored { from, .. } if *from == pause.from)
                })
        });
        // A file closed for the author's silence keeps its clock stopped: nothing is owed.
        let waiting = matches!(
            status,
            FileStatus::AwaitingInformation
                | FileStatus::Closed(ClosureReason::NoReplyToInformationRequest)
        );
        assert_eq!(
            suspended || paused_too_late,
            waiting,
            "{status:?} with the reply deadline {:?}",
            deadline.computed.due
        );
    }
}

async fn run_file(kind: KindDetails, moves: Vec<Move>) {
    let cast = Cast::new(kind);
    let services = cast.world.services();
    let mut file = CitizenFile::default();
    let mut log = Vec::new();
    let mut record = Record::default();
    for m in &moves {
        cast.world.advance_hours(m.hours_before);
        let actor = m.actor.map_or_else(
            || cast.fitting(&m.step, &record.referrals),
            |i| cast.actors[i],
        );
        let command = cast.command(m, actor);
        let before = file.status();
        let saved = file.clone();
        let sink = EventSink::default();
        let result = file.handle(command.clone(), &services, &sink).await;
        let events = sink.collect().await;
        match result {
            Err(_) => {
                assert!(events.is_empty(), "a refused command wrote {events:?}");
                file = saved;
            }
            Ok(()) => {
                assert!(events.len() <= 1, "{command:?} gave {events:?}");
                for event in &events {
                    check_event(&mut record, &cast, before, &actor, event);
                }
                log.extend(events);
            }
        }
        check_state(&record, &file);
    }
    // Replaying the stored (serialized) log rebuilds the same file.
    let stored = serde_json::to_string(&log).unwrap();
    let replayed: Vec<CitizenFileEvent> = serde_json::from_str(&stored).unwrap();
    assert_eq!(replayed, log);
    let mut rebuilt = CitizenFile::default();
    for event in replayed {
        rebuilt.apply(event);
    }
    assert_eq!(rebuilt.status(), file.status());
    assert_eq!(rebuilt.reply_deadline(), file.reply_deadline());
}

/// A modest number of cases keeps the suite fast. Failing cases are saved next to this file
/// (`lifecycle_properties.proptest-regressions`) and re-run first.
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: Some(Box::new(
            proptest::test_runner::FileFailurePersistence::WithSource("proptest-regressions"),
        )),
        ..ProptestConfig::default()
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
}

proptest! {
    #![proptest_config(config(128))]

    #[test]
    fn no_sequence_of_commands_breaks_the_file_lifecycle(
        kind in kind(),
        first in prop_oneof![Just(Step::Submit), Just(Step::RegisterEmail)],
        moves in proptest::collection::vec(a_move(), 1..80),
    ) {
        let mut all = vec![Move { step: first, actor: None, blank_text: false, hours_before: 0 }];
        all.extend(moves);
        runtime().block_on(run_file(kind, all));
    }
}

/// Forum steps: open, post, reply, hide, report, close, publish, from random actors.
#[derive(Debug, Clone)]
enum ForumStep {
    Open,
    Post { post: usize },
    Reply { post: usize, parent: usize },
    Hide { post: usize },
    Report { post: usize },
    Close,
    Publish,
}

fn forum_step() -> impl Strategy<Value = (ForumStep, usize, i64)> {
    let post = 0..4usize;
    (
        prop_oneof![
            1 => Just(ForumStep::Open),
            4 => post.clone().prop_map(|post| ForumStep::Post { post }),
            3 => (post.clone(), post.clone()).prop_map(|(post, parent)| ForumStep::Reply { post, parent }),
            2 => post.clone().prop_map(|post| ForumStep::Hide { post }),
            3 => post.prop_map(|post| ForumStep::Report { post }),
            1 => Just(ForumStep::Close),
            1 => Just(ForumStep::Publish),
        ],
        0..5usize,
        prop_oneof![6 => Just(0i64), 1 => 1..400i64],
    )
}

async fn run_forum(steps: Vec<(ForumStep, usize, i64)>) {
    let world = World::new();
    let services = world.forum_services();
    let topic = TopicId::new_v7();
    let posts = [(); 4].map(|()| PostId::new_v7());
    let citizens = [
        Actor::citizen(ActorId::new_v7()),
        Actor::citizen(ActorId::new_v7()),
    ];
    let actors = [
        citizens[0],
        citizens[1],
        world.bureau_agent(),
        world.agent_of(Role::ForumModerator, world.bureau),
        world.agent_of(Role::ForumModerator, world.office),
    ];
    let closes_at = world.now() + Duration::days(10);
    let mut aggregate = ForumTopic::default();
    let mut hidden: Vec<PostId> = Vec::new();
    let mut reports: Vec<(PostId, ActorId)> = Vec::new();
    let mut authors: HashMap<PostId, ActorId> = HashMap::new();
    for (step, who, hours) in steps {
        world.advance_hours(hours);
        let actor = actors[who];
        let text = "Message".to_owned();
        let command = match step {
            ForumStep::Open => ForumCommand::OpenTopic {
                actor,
                topic,
                title: "Sujet".into(),
                question: "Question ?".into(),
                closes_at,
            },
            ForumStep::Post { post } => ForumCommand::PostMessage {
                actor,
                post: posts[post],
                subject: SubjectId::new_v7(),
                text,
            },
            ForumStep::Reply { post, parent } => ForumCommand::ReplyToPost {
                actor,
                post: posts[post],
                in_reply_to: posts[parent],
                subject: SubjectId::new_v7(),
                text,
            },
            ForumStep::Hide { post } => ForumCommand::HidePost {
                actor,
                post: posts[post],
                reason: AbuseReason::Spam,
                explanation: "Publicité".into(),
            },
            ForumStep::Report { post } => ForumCommand::ReportAbuse {
                actor,
                post: posts[post],
                reason: AbuseReason::Insult,
            },
            ForumStep::Close => ForumCommand::CloseTopic { actor },
            ForumStep::Publish => ForumCommand::PublishSynthesis {
                actor,
                synthesis: "Synthèse".into(),
            },
        };
        let before = aggregate.status();
        let saved = aggregate.clone();
        let sink = EventSink::default();
        let result = aggregate.handle(command, &services, &sink).await;
        let events = sink.collect().await;
        if result.is_err() {
            assert!(events.is_empty());
            aggregate = saved;
            continue;
        }
        for event in events {
            match event {
                ForumEvent::TopicOpened { .. } => assert_eq!(before, None),
                ForumEvent::MessagePosted {
                    post,
                    in_reply_to,
                    author,
                    at,
                    ..
                } => {
                    assert_eq!(before, Some(TopicStatus::Open));
                    assert!(at < closes_at, "posted after the closing date");
                    assert!(citizens.iter().any(|c| c.id == author));
                    assert!(authors.insert(post, author).is_none(), "post id reused");
                    if let Some(parent) = in_reply_to {
                        assert!(authors.contains_key(&parent) && !hidden.contains(&parent));
                    }
                }
                ForumEvent::PostHidden { post, .. } => {
                    assert!(actor.acts_for(world.bureau, &[Role::ForumModerator]));
                    assert!(!hidden.contains(&post));
                    hidden.push(post);
                }
                ForumEvent::AbuseReported { post, by, .. } => {
                    assert!(!reports.contains(&(post, by)), "reported twice");
                    assert_ne!(authors.get(&post), Some(&by), "reported own post");
                    reports.push((post, by));
                }
                ForumEvent::TopicClosed { .. } => assert_eq!(before, Some(TopicStatus::Open)),
                ForumEvent::SynthesisPublished { .. } => {
                    assert_eq!(before, Some(TopicStatus::Closed));
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn no_sequence_of_commands_breaks_the_forum_rules(
        steps in proptest::collection::vec(forum_step(), 1..40),
    ) {
        runtime().block_on(run_forum(steps));
    }
}
