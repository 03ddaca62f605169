//! Information asked of the author: the reply deadline pauses while the office waits, resumes
//! on the author's answer, and the file closes if the author stays silent past their period.
#![allow(clippy::unwrap_used)]

mod common;

use citizen_file::{
    AttachmentProblem, AttachmentRef, AuthorProof, CitizenFileCommand, CitizenFileEvent,
    ClosureReason, FileError, FileStatus, InvalidText, KindDetails,
};
use common::World;
use kernel::calendar::DueStatus;
use kernel::tracking::TrackingCode;
use kernel::{Role, TextError};

const KIND: KindDetails = KindDetails::Petition;

async fn awaiting(world: &World) -> Vec<CitizenFileEvent> {
    world
        .run([
            world.submit(KIND),
            world.admit(KIND),
            world.request_information(KIND),
        ])
        .await
}

#[tokio::test]
async fn asking_information_pauses_the_reply_deadline_and_sets_the_authors_period() {
    let world = World::new();
    let received = world.now();
    let history = world.run([world.submit(KIND), world.admit(KIND)]).await;
    world.advance_days(3);
    let agent = world.office_agent();
    let question = "Quelle est l'adresse exacte ?";
    let reply_deadline = world.reply_deadline(KIND, received).deadline.clone();
    let mut paused = reply_deadline;
    paused.pauses.push(kernel::calendar::Pause {
        from: world.now(),
        until: None,
        reason: "attente des informations demandées à l'auteur".into(),
    });
    let expected_reply = citizen_file::ScheduledDeadline {
        computed: paused.compute(&world.calendar).unwrap(),
        deadline: paused,
        extension_limit: 15,
    };
    assert!(matches!(
        expected_reply.computed.due,
        DueStatus::Suspended { .. }
    ));
    world
        .framework()
        .given(history)
        .when_async(CitizenFileCommand::RequestInformation {
            actor: agent,
            question: question.into(),
        })
        .await
        .then_expect_events(vec![CitizenFileEvent::InformationRequested {
            question: world.seal_text(question).await,
            by: agent.id,
            organisation: world.office,
            at: world.now(),
            answer_due: world.computed(&world.config.information_reply, world.now()),
            reply_deadline: expected_reply,
        }]);
}

#[tokio::test]
async fn information_may_be_asked_before_admission_and_the_file_returns_there() {
    let world = World::new();
    let events = world
        .run([
            world.submit(KIND),
            world.request_information(KIND),
            world.provide_information(),
        ])
        .await;
    let mut file = citizen_file::CitizenFile::default();
    for event in events {
        cqrs_es::Aggregate::apply(&mut file, event);
    }
    assert_eq!(file.status(), FileStatus::Received);
}

#[tokio::test]
async fn information_is_not_asked_while_structures_hold_the_file() {
    let world = World::new();
    let history = world
        .run([
            world.submit(KIND),
            world.admit(KIND),
            world.refer(KIND, world.referral),
        ])
        .await;
    world
        .framework()
        .given(history)
        .when_async(world.request_information(KIND))
        .await
        .then_expect_error(FileError::WrongState {
            status: FileStatus::Referred,
        });
}

#[tokio::test]
async fn only_the_handling_organisation_asks_for_information() {
    let world = World::new();
    let history = world.run([world.submit(KIND), world.admit(KIND)]).await;
    world
        .framework()
        .given(history)
        .when_async(CitizenFileCommand::RequestInformation {
            actor: world.structure_agent(),
            question: "?".into(),
        })
        .await
        .then_expect_error(FileError::NotTheHandlingOrganisation {
            handled_by: world.office,
        });
}

#[tokio::test]
async fn an_empty_question_is_refused() {
    let world = World::new();
    let history = world.run([world.submit(KIND), world.admit(KIND)]).await;
    world
        .framework()
        .given(history)
        .when_async(CitizenFileCommand::RequestInformation {
            actor: world.office_agent(),
            question: "\n".into(),
        })
        .await
        .then_expect_error(FileError::InvalidText(InvalidText {
            field: "question",
            error: TextError::Empty,
        }));
}

#[tokio::test]
async fn the_authors_answer_resumes_the_reply_deadline_for_the_days_left() {
    let world = World::new();
    let received = world.now();
    let history = world.run([world.submit(KIND), world.admit(KIND)]).await;
    world.advance_days(2);
    let history = world
        .run_after(history, [world.request_information(KIND)])
        .await;
    let asked = world.now();
    world.advance_days(10);
    let answer = "12 rue de la Liberté";
    let mut deadline = world.reply_deadline(KIND, received).deadline;
    deadline.pauses.push(kernel::calendar::Pause {
        from: asked,
        until: Some(world.now()),
        reason: "attente des informations demandées à l'auteur".into(),
    });
    let computed = deadline.compute(&world.calendar).unwrap();
    // Received 17 March, 2 days used, paused 10 days: 28 days left from 30 March end on
    // Sunday 26 April, which rolls to Monday 27 April.
    assert!(matches!(
        computed.due,
        DueStatus::Due { due_date, .. } if due_date == chrono::NaiveDate::from_ymd_opt(2026, 4, 27).unwrap()
    ));
    world
        .framework()
        .given(history)
        .when_async(world.provide_information())
        .await
        .then_expect_events(vec![CitizenFileEvent::InformationProvided {
            answer: world.seal_text(answer).await,
            attachments: Vec::new(),
            at: world.now(),
            reply_deadline: citizen_file::ScheduledDeadline {
                deadline,
                extension_limit: 15,
                computed,
            },
        }]);
}

#[tokio::test]
async fn a_holder_of_the_tracking_code_answers_for_an_author_without_account() {
    let world = World::new();
    let history = awaiting(&world).await;
    let events = world
        .framework()
        .given(history)
        .when_async(CitizenFileCommand::ProvideInformation {
            actor: world.someone_else(),
            proof: AuthorProof::TrackingCode(world.code.clone()),
            answer: "Voici".into(),
            attachments: vec![AttachmentRef {
                sha256: "f".repeat(64),
                media_type: "application/pdf".into(),
                size_bytes: 1_000,
            }],
        })
        .await
        .inspect_result()
        .unwrap();
    assert!(matches!(
        events.as_slice(),
        [CitizenFileEvent::InformationProvided { attachments, .. }] if attachments.len() == 1
    ));
}

#[tokio::test]
async fn only_the_author_provides_the_information() {
    let world = World::new();
    let history = awaiting(&world).await;
    let cases = [
        (world.someone_else(), AuthorProof::Account),
        (
            world.someone_else(),
            AuthorProof::TrackingCode(TrackingCode::from_value(42)),
        ),
        // An agent is not the author, even holding the code.
        (
            world.office_agent(),
            AuthorProof::TrackingCode(world.code.clone()),
        ),
        (
            world.agent_of(Role::OfficeAgent, world.office),
            AuthorProof::Account,
        ),
    ];
    for (actor, proof) in cases {
        world
            .framework()
            .given(history.clone())
            .when_async(CitizenFileCommand::ProvideInformation {
                actor,
                proof,
                answer: "Voici".into(),
                attachments: Vec::new(),
            })
            .await
            .then_expect_error(FileError::NotTheAuthor);
    }
}

#[tokio::test]
async fn information_nobody_asked_for_is_refused() {
    let world = World::new();
    let history = world.run([world.submit(KIND), world.admit(KIND)]).await;
    world
        .framework()
        .given(history)
        .when_async(world.provide_information())
        .await
        .then_expect_error(FileError::WrongState {
            status: FileStatus::UnderStudy,
        });
}

#[tokio::test]
async fn information_after_the_authors_period_is_refused() {
    let world = World::new();
    let history = awaiting(&world).await;
    let due_at = world
        .computed(&world.config.information_reply, world.now())
        .due_at()
        .unwrap();
    world.clock.set(due_at);
    world
        .framework()
        .given(history)
        .when_async(world.provide_information())
        .await
        .then_expect_error(FileError::DeadlinePassed { due_at });
}

#[tokio::test]
async fn the_answer_is_validated_like_any_text_and_its_attachments_too() {
    let world = World::new();
    let history = awaiting(&world).await;
    world
        .framework()
        .given(history.clone())
        .when_async(CitizenFileCommand::ProvideInformation {
            actor: world.author(),
            proof: AuthorProof::Account,
            answer: String::new(),
            attachments: Vec::new(),
        })
        .await
        .then_expect_error(FileError::InvalidText(InvalidText {
            field: "answer",
            error: TextError::Empty,
        }));
    world
        .framework()
        .given(history)
        .when_async(CitizenFileCommand::ProvideInformation {
            actor: world.author(),
            proof: AuthorProof::Account,
            answer: "Voici".into(),
            attachments: vec![AttachmentRef {
                sha256: "g".repeat(64),
                media_type: "image/png".into(),
                size_bytes: 1,
            }],
        })
        .await
        .then_expect_error(FileError::InvalidAttachment {
            index: 0,
            problem: AttachmentProblem::BadHash,
        });
}

#[tokio::test]
async fn the_worker_closes_a_file_whose_author_stayed_silent_past_the_period() {
    let world = World::new();
    let history = awaiting(&world).await;
    let answer_due = world.computed(&world.config.information_reply, world.now());
    world.clock.set(answer_due.due_at().unwrap());
    let worker = world.worker();
    world
        .framework()
        .given(history)
        .when_async(CitizenFileCommand::CheckDeadlines { actor: worker })
        .await
        .then_expect_events(vec![CitizenFileEvent::FileClosed {
            reason: ClosureReason::NoReplyToInformationRequest,
            by: worker.id,
            at: world.now(),
            deadline: answer_due,
        }]);
}

#[tokio::test]
async fn the_worker_leaves_a_file_whose_author_still_has_time() {
    let world = World::new();
    let history = awaiting(&world).await;
    world.advance_days(29);
    world
        .framework()
        .given(history)
        .when_async(CitizenFileCommand::CheckDeadlines {
            actor: world.worker(),
        })
        .await
        .then_expect_events(vec![]);
}

#[tokio::test]
async fn a_file_closed_for_silence_takes_no_late_answer() {
    let world = World::new();
    let history = awaiting(&world).await;
    world.advance_days(40);
    let history = world
        .run_after(
            history,
            [CitizenFileCommand::CheckDeadlines {
                actor: world.worker(),
            }],
        )
        .await;
    world
        .framework()
        .given(history)
        .when_async(world.provide_information())
        .await
        .then_expect_error(FileError::WrongState {
            status: FileStatus::Closed(ClosureReason::NoReplyToInformationRequest),
        });
}
