//! The obligations citizen files create: what each kind of event opens, moves, suspends,
//! meets or cancels, their recipients and escalation, the deadline inputs they carry, and
//! the open obligations left at the end of the scripted history (the same due dates as the
//! inboxes). The rules are pure: one backend (SQLite) gives them real recorded events.
#![allow(clippy::unwrap_used)]

mod support_citizen;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use citizen_file::{CitizenFileCommand, DeadlineTarget, Feasibility, MoreTimeReason, ReplyOutcome};
use event_store::{ProjectionError, RecordedEvent};
use kernel::{Actor, ActorId, Role};
use projections::citizen_file::CitizenFileObligations;
use projections::{Obligation, ObligationChange, ObligationRules, Responsible};
use support_citizen::{April, Script, april, read_all, utc};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Open,
    Suspended,
    Met,
    Cancelled,
}

/// What a store of obligations does with the changes (as the reminder engine's projection
/// is meant to): changes to obligations that are not open or suspended are ignored.
#[derive(Default)]
struct Obligations {
    rows: BTreeMap<String, (Obligation, State)>,
}

impl Obligations {
    fn known(&self, aggregate_id: &str) -> Vec<Obligation> {
        self.rows
            .values()
            .filter(|(o, _)| o.aggregate_id == aggregate_id)
            .map(|(o, _)| o.clone())
            .collect()
    }

    fn apply(&mut self, change: &ObligationChange) {
        let (id, state) = match change {
            ObligationChange::Open(obligation) => {
                self.rows
                    .insert(obligation.id.clone(), ((**obligation).clone(), State::Open));
                return;
            }
            ObligationChange::Suspend { id } => (id, State::Suspended),
            ObligationChange::Met { id } => (id, State::Met),
            ObligationChange::Cancelled { id } => (id, State::Cancelled),
        };
        if let Some((_, current)) = self.rows.get_mut(id)
            && matches!(current, State::Open | State::Suspended)
        {
            *current = state;
        }
    }

    /// Open obligations: id and due date.
    fn open(&self) -> Vec<(String, DateTime<Utc>)> {
        self.rows
            .values()
            .filter(|(_, state)| *state == State::Open)
            .map(|(o, _)| (o.id.clone(), o.due_at))
            .collect()
    }
}

/// The April history, then May: S1 assesses F4, the Central Bureau adopts, answers and
/// implements it; office A extends F8's reply by 5 days; the worker closes F9 (its author
/// never answered) and F1 (not contested in time).
async fn history_until_end_of_may(store: &event_store::Store) -> (April, usize) {
    let history = april(store).await;
    let w = &history.world;
    let mut script = Script::new(store, w);
    let bureau = || w.agent(Role::CentralBureauAgent, w.bureau);
    let f4 = history.file(4);
    let reply = CitizenFileCommand::ReplyToReferral {
        actor: w.agent(Role::StructureAgent, w.structure_1),
        referral: history.r4b,
        outcome: ReplyOutcome::FeasibilityAssessment {
            feasibility: Feasibility::Feasible,
        },
        text: "Faisable".into(),
    };
    script.file(utc(5, 4, 9, 0), f4, reply).await;
    let decide = CitizenFileCommand::DecideOnSuggestion {
        actor: bureau(),
        adopted: true,
        reasons: "Utile".into(),
    };
    script.file(utc(5, 5, 9, 0), f4, decide).await;
    let draft = CitizenFileCommand::DraftAnswer {
        actor: bureau(),
        text: "Adoptée".into(),
    };
    script.file(utc(5, 5, 10, 0), f4, draft).await;
    let sign = CitizenFileCommand::SignAnswer {
        actor: w.agent(Role::Signatory, w.bureau),
    };
    script.file(utc(5, 5, 11, 0), f4, sign).await;
    let progress = CitizenFileCommand::ReportImplementationProgress {
        actor: bureau(),
        report: "En cours".into(),
    };
    script.file(utc(5, 6, 9, 0), f4, progress).await;
    let implemented = CitizenFileCommand::RecordSuggestionImplemented {
        actor: bureau(),
        report: "Fait".into(),
    };
    script.file(utc(5, 7, 9, 0), f4, implemented).await;
    let extend = CitizenFileCommand::ExtendDeadline {
        actor: w.agent(Role::OfficeAgent, w.office_a),
        target: DeadlineTarget::Reply,
        amount: 5,
        reason: MoreTimeReason::CoordinationWithOtherStructures,
    };
    script.file(utc(5, 8, 9, 0), history.file(8), extend).await;
    let check = || CitizenFileCommand::CheckDeadlines {
        actor: Actor::system(ActorId::new_v7()),
    };
    script
        .file(utc(5, 26, 9, 0), history.file(9), check())
        .await;
    script
        .file(utc(5, 26, 9, 5), history.file(1), check())
        .await;
    let total = history.events + script.events;
    drop(script);
    (history, total)
}

/// Each event with the changes it made, in log order.
type Trace = Vec<(RecordedEvent, Vec<ObligationChange>)>;

fn trace(
    rules: &CitizenFileObligations,
    events: Vec<RecordedEvent>,
    store: &mut Obligations,
) -> Trace {
    events
        .into_iter()
        .map(|event| {
            let changes = rules
                .changes(&event, &store.known(&event.aggregate_id))
                .unwrap();
            for change in &changes {
                store.apply(change);
            }
            (event, changes)
        })
        .collect()
}

/// The changes of the `nth` event named `event_type` of `file`.
fn changes<'t>(
    trace: &'t Trace,
    file: citizen_file::FileId,
    event_type: &str,
    nth: usize,
) -> &'t [ObligationChange] {
    &trace
        .iter()
        .filter(|(e, _)| e.aggregate_id == file.to_string() && e.event_type == event_type)
        .nth(nth)
        .unwrap_or_else(|| panic!("no {event_type} #{nth}"))
        .1
}

fn opened(changes: &[ObligationChange], index: usize) -> &Obligation {
    match &changes[index] {
        ObligationChange::Open(obligation) => obligation,
        other => panic!("not an opening: {other:?}"),
    }
}

fn met(id: String) -> ObligationChange {
    ObligationChange::Met { id }
}

fn cancelled(id: String) -> ObligationChange {
    ObligationChange::Cancelled { id }
}

#[tokio::test]
async fn each_event_opens_moves_suspends_meets_or_cancels_obligations() {
    let (store, _dir) = support_citizen::sqlite_store().await;
    let (history, total) = history_until_end_of_may(&store).await;
    let w = &history.world;
    let f = |i: usize| history.file(i);
    let id = |i: usize, what: &str| format!("{}/{what}", f(i));
    let referral = |i: usize, r: citizen_file::ReferralId| format!("{}/referral/{r}", f(i));
    let rules = CitizenFileObligations::new(w.bureau);
    let mut obligations = Obligations::default();
    let trace = trace(&rules, read_all(&store, total).await, &mut obligations);
    let office_a = |roles: Vec<Role>| Responsible {
        organisation: w.office_a,
        roles,
    };
    let head_then_bureau = vec![
        office_a(vec![Role::OfficeHead]),
        Responsible {
            organisation: w.bureau,
            roles: vec![Role::CentralBureauAgent],
        },
    ];

    // A receipt opens the reply towards the author, owed by the handling office, escalating
    // to its head then to the Central Bureau, with the deadline's inputs.
    let receipt = changes(&trace, f(0), "FileSubmitted", 0);
    assert_eq!(receipt.len(), 1);
    let reply = opened(receipt, 0);
    assert_eq!(reply.id, id(0, "reply"));
    assert_eq!(reply.kind, "file.reply");
    assert_eq!(
        (reply.aggregate_type.as_str(), reply.aggregate_id.as_str()),
        ("CitizenFile", f(0).to_string().as_str())
    );
    assert_eq!(reply.reference, history.codes[0].as_str());
    assert_eq!(
        reply.responsible,
        office_a(vec![Role::OfficeAgent, Role::OfficeHead])
    );
    assert_eq!(reply.escalation, head_then_bureau);
    assert_eq!(reply.due_at, utc(4, 1, 23, 0));
    let inputs = reply.deadline.as_ref().unwrap();
    assert_eq!((inputs.start, inputs.rule.amount), (utc(3, 2, 9, 0), 30));
    assert_eq!(reply.calendar_version.as_deref(), Some("TN-2026.1"));

    // An e-mail also opens the 48-hour first response (a computed date, no inputs).
    let registered = changes(&trace, f(2), "FileRegistered", 0);
    assert_eq!(registered.len(), 2);
    assert_eq!(opened(registered, 0).due_at, utc(5, 14, 23, 0));
    let first = opened(registered, 1);
    assert_eq!(
        (first.id.clone(), first.kind.as_str(), first.due_at),
        (
            id(2, "first-response"),
            "file.first-response",
            utc(4, 16, 8, 0)
        )
    );
    assert_eq!(first.deadline, None);
    assert_eq!(first.calendar_version.as_deref(), Some("TN-2026.1"));
    assert_eq!(
        changes(&trace, f(2), "SenderToldMoreTimeNeeded", 0),
        [met(id(2, "first-response"))]
    );
    assert!(changes(&trace, f(2), "FileAdmitted", 0).is_empty());
    // A request for information stops the reply's clock (and is a first response); the
    // author's own period is not the administration's obligation.
    assert_eq!(
        changes(&trace, f(2), "InformationRequested", 0),
        [
            met(id(2, "first-response")),
            ObligationChange::Suspend { id: id(2, "reply") }
        ]
    );
    let resumed = changes(&trace, f(2), "InformationProvided", 0);
    let reply = opened(resumed, 0);
    assert_eq!(
        (reply.id.clone(), reply.due_at),
        (id(2, "reply"), utc(5, 19, 23, 0))
    );
    assert_eq!(reply.deadline.as_ref().unwrap().pauses.len(), 1);
    assert_eq!(reply.reference, history.codes[2].as_str());

    // A referral is owed by its structure, escalating along the handling office's chain;
    // returned or replied, the structure has acted.
    let referred = changes(&trace, f(0), "FileReferred", 0);
    let to_s2 = opened(referred, 0);
    assert_eq!(to_s2.id, referral(0, history.r0));
    assert_eq!(to_s2.kind, "referral.reply");
    assert_eq!(
        to_s2.responsible,
        Responsible {
            organisation: w.structure_2,
            roles: vec![Role::StructureAgent]
        }
    );
    assert_eq!(to_s2.escalation, head_then_bureau);
    assert_eq!(to_s2.reference, history.codes[0].as_str());
    assert_eq!(to_s2.due_at, utc(4, 1, 23, 0));
    assert_eq!(
        changes(&trace, f(0), "ReferralReturned", 0),
        [met(referral(0, history.r0))]
    );
    assert_eq!(
        changes(&trace, f(0), "ReferralReplied", 0),
        [met(referral(0, history.r0b))]
    );
    assert!(changes(&trace, f(1), "ReferralAcknowledged", 0).is_empty());

    // The Central Bureau's own files escalate to its head only; an extension moves the
    // referral it extends, for the same structure.
    let r3 = opened(changes(&trace, f(3), "FileReferred", 0), 0).clone();
    assert_eq!(r3.due_at, utc(4, 16, 14, 0));
    assert_eq!(
        r3.escalation,
        [Responsible {
            organisation: w.bureau,
            roles: vec![Role::OfficeHead]
        }]
    );
    let extended = opened(changes(&trace, f(3), "DeadlineExtended", 0), 0).clone();
    assert_eq!(extended.id, r3.id);
    assert_eq!(extended.due_at, utc(4, 17, 14, 0));
    assert_eq!(extended.responsible, r3.responsible);
    assert_eq!(extended.deadline.as_ref().unwrap().extensions.len(), 1);
    // Extending the reply moves the reply: F8, 30 + 5 days from 16 April.
    let f8 = opened(changes(&trace, f(8), "DeadlineExtended", 0), 0);
    assert_eq!(
        (f8.id.clone(), f8.due_at),
        (id(8, "reply"), utc(5, 21, 23, 0))
    );

    // The signed answer meets the reply (and any first response); a contest owes a new
    // reply from the contest.
    assert!(changes(&trace, f(0), "AnswerDrafted", 0).is_empty());
    let signed = [met(id(0, "reply")), met(id(0, "first-response"))];
    assert_eq!(changes(&trace, f(0), "AnswerSigned", 0), signed);
    let contested = opened(changes(&trace, f(0), "AnswerContested", 0), 0);
    assert_eq!(
        (contested.id.clone(), contested.due_at),
        (id(0, "reply"), utc(5, 7, 23, 0))
    );
    assert_eq!(changes(&trace, f(0), "AnswerSigned", 1), signed);
    assert!(changes(&trace, f(0), "AnswerRated", 0).is_empty());

    // Suggestions: the decision and the implementation owe nothing with a due date.
    for event_type in [
        "SuggestionDecided",
        "ImplementationProgressReported",
        "SuggestionImplemented",
    ] {
        assert!(
            changes(&trace, f(4), event_type, 0).is_empty(),
            "{event_type}"
        );
    }
    assert_eq!(
        changes(&trace, f(4), "ReferralReplied", 0),
        [met(referral(4, history.r4b))]
    );

    // Endings: inadmissible, closed for the author's silence, merged; closing an answered
    // file changes nothing.
    assert_eq!(
        changes(&trace, f(7), "FileDeclaredInadmissible", 0),
        [met(id(7, "first-response")), cancelled(id(7, "reply"))]
    );
    assert_eq!(
        changes(&trace, f(9), "FileClosed", 0),
        [cancelled(id(9, "reply"))]
    );
    assert!(changes(&trace, f(1), "FileClosed", 0).is_empty());
    assert!(changes(&trace, f(5), "DuplicateAttached", 0).is_empty());
    assert_eq!(
        changes(&trace, f(6), "FileMerged", 0),
        [
            cancelled(id(6, "reply")),
            cancelled(id(6, "first-response"))
        ]
    );

    // What is left open: the same due dates as the inboxes.
    let mut expected = vec![
        (id(2, "reply"), utc(5, 19, 23, 0)),
        (id(5, "reply"), utc(4, 22, 23, 0)),
        (id(8, "reply"), utc(5, 21, 23, 0)),
    ];
    expected.sort();
    assert_eq!(obligations.open(), expected);
}

#[tokio::test]
async fn without_the_files_obligations_only_self_contained_events_are_accepted() {
    let (store, _dir) = support_citizen::sqlite_store().await;
    let history = april(&store).await;
    let rules = CitizenFileObligations::new(history.world.bureau);
    let events = read_all(&store, history.events).await;
    let first_of = |event_type: &str| {
        events
            .iter()
            .find(|e| e.event_type == event_type)
            .unwrap()
            .clone()
    };
    // A receipt carries everything; so does an event that only meets an obligation.
    let receipt = first_of("FileSubmitted");
    // An online receipt opens the reply obligation (only e-mails add the 48-hour one).
    assert_eq!(rules.changes(&receipt, &[]).unwrap().len(), 1);
    let replied = first_of("ReferralReplied");
    assert_eq!(rules.changes(&replied, &[]).unwrap().len(), 1);
    // A referral needs the file's reference: refused rather than guessed.
    let referred = first_of("FileReferred");
    let Err(ProjectionError::Invalid(message)) = rules.changes(&referred, &[]) else {
        panic!("a referral without context was accepted");
    };
    assert!(message.contains("stored obligations"), "{message}");
    // Other aggregates' events make no change.
    let mut other = receipt;
    other.aggregate_type = "ForumTopic".into();
    assert!(rules.changes(&other, &[]).unwrap().is_empty());
}

/// The obligations projection, which gives the rules the file's obligations from its own
/// table, leaves open exactly what the in-memory trace does, with the same due dates.
#[tokio::test]
async fn the_obligations_projection_leaves_open_what_the_rules_say() {
    let (store, _dir) = support_citizen::sqlite_store().await;
    let (history, total) = history_until_end_of_may(&store).await;
    let rules = CitizenFileObligations::new(history.world.bureau);
    let mut reference = Obligations::default();
    trace(&rules, read_all(&store, total).await, &mut reference);

    let projection = projections::ObligationsProjection::new(
        vec![std::sync::Arc::new(CitizenFileObligations::new(
            history.world.bureau,
        ))],
        projections::ReminderSettings::default(),
    );
    let runner = event_store::ProjectionRunner::new(
        store.clone(),
        event_store::RunnerSettings::default(),
        vec![std::sync::Arc::new(projection)],
    )
    .unwrap();
    assert_eq!(runner.catch_up("obligations").await.unwrap(), total as u64);
    let open: Vec<(String, i64)> =
        sqlx::query_as("SELECT id, due_at FROM obligations WHERE status = 'open' ORDER BY id")
            .fetch_all(store.any_pool())
            .await
            .unwrap();
    let mut expected: Vec<(String, i64)> = reference
        .open()
        .into_iter()
        .map(|(id, due)| (id, due.timestamp_millis()))
        .collect();
    expected.sort();
    assert_eq!(open, expected);
}
