//! After the answer: the author rates it and may contest it once within the contest period,
//! which reopens the file; an adopted suggestion is followed until implemented; otherwise the
//! file closes when the contest period ends.
#![allow(clippy::unwrap_used)]

mod common;

use citizen_file::{
    AuthorProof, CitizenFileCommand, CitizenFileEvent, ClosureReason, FileError, FileKind,
    FileStatus, InvalidText, KindDetails,
};
use common::World;
use kernel::{Role, TextError};

const KIND: KindDetails = KindDetails::Petition;

fn rate(world: &World, stars: u8, comment: Option<&str>) -> CitizenFileCommand {
    CitizenFileCommand::RateAnswer {
        actor: world.author(),
        proof: AuthorProof::Account,
        stars,
        comment: comment.map(str::to_owned),
    }
}

fn contest(world: &World, grounds: &str) -> CitizenFileCommand {
    CitizenFileCommand::ContestAnswer {
        actor: world.author(),
        proof: AuthorProof::Account,
        grounds: grounds.into(),
    }
}

fn check(world: &World) -> CitizenFileCommand {
    CitizenFileCommand::CheckDeadlines {
        actor: world.worker(),
    }
}

#[tokio::test]
async fn the_author_rates_the_answer_with_stars_and_a_comment() {
    let world = World::new();
    let history = world.run(world.answered(KIND)).await;
    world
        .framework()
        .given(history)
        .when_async(rate(&world, 4, Some("Rapide, merci.")))
        .await
        .then_expect_events(vec![CitizenFileEvent::AnswerRated {
            stars: 4,
            comment: Some(world.seal_text("Rapide, merci.").await),
            at: world.now(),
        }]);
}

#[tokio::test]
async fn a_rating_goes_from_1_to_5() {
    let world = World::new();
    let history = world.run(world.answered(KIND)).await;
    for stars in [0, 6, u8::MAX] {
        world
            .framework()
            .given(history.clone())
            .when_async(rate(&world, stars, None))
            .await
            .then_expect_error(FileError::InvalidRating { stars });
    }
    for stars in 1..=5 {
        assert!(
            world
                .framework()
                .given(history.clone())
                .when_async(rate(&world, stars, None))
                .await
                .inspect_result()
                .is_ok()
        );
    }
}

#[tokio::test]
async fn an_answer_is_rated_once() {
    let world = World::new();
    let history = world
        .run_after(
            world.run(world.answered(KIND)).await,
            [rate(&world, 2, None)],
        )
        .await;
    world
        .framework()
        .given(history)
        .when_async(rate(&world, 5, None))
        .await
        .then_expect_error(FileError::AlreadyRated);
}

#[tokio::test]
async fn a_rating_comment_is_bounded() {
    let world = World::new();
    let history = world.run(world.answered(KIND)).await;
    world
        .framework()
        .given(history)
        .when_async(rate(&world, 3, Some(&"c".repeat(2_001))))
        .await
        .then_expect_error(FileError::InvalidText(InvalidText {
            field: "comment",
            error: TextError::TooLong {
                max: 2_000,
                actual: 2_001,
            },
        }));
}

#[tokio::test]
async fn only_the_author_rates_and_only_a_sent_answer() {
    let world = World::new();
    let answered = world.run(world.answered(KIND)).await;
    for (actor, proof) in [
        (world.someone_else(), AuthorProof::Account),
        (world.office_agent(), AuthorProof::Account),
    ] {
        world
            .framework()
            .given(answered.clone())
            .when_async(CitizenFileCommand::RateAnswer {
                actor,
                proof,
                stars: 1,
                comment: None,
            })
            .await
            .then_expect_error(FileError::NotTheAuthor);
    }
    // The holder of the tracking code is the author.
    assert!(
        world
            .framework()
            .given(answered)
            .when_async(CitizenFileCommand::RateAnswer {
                actor: world.someone_else(),
                proof: AuthorProof::TrackingCode(world.code.clone()),
                stars: 1,
                comment: None,
            })
            .await
            .inspect_result()
            .is_ok()
    );
    let unanswered = world.run(world.ready_to_answer(KIND)).await;
    world
        .framework()
        .given(unanswered)
        .when_async(rate(&world, 3, None))
        .await
        .then_expect_error(FileError::WrongState {
            status: FileStatus::UnderStudy,
        });
}

#[tokio::test]
async fn contesting_the_answer_reopens_the_file_with_a_new_reply_deadline() {
    let world = World::new();
    let history = world.run(world.answered(KIND)).await;
    world.advance_days(10);
    let grounds = "La réponse ne traite pas ma demande.";
    world
        .framework()
        .given(history)
        .when_async(contest(&world, grounds))
        .await
        .then_expect_events(vec![CitizenFileEvent::AnswerContested {
            grounds: world.seal_text(grounds).await,
            at: world.now(),
            reply_deadline: world.reply_deadline(KIND, world.now()),
        }]);
}

#[tokio::test]
async fn a_reopened_file_is_answered_again_and_may_be_rated_again() {
    let world = World::new();
    let mut commands = world.answered(KIND);
    commands.extend([
        rate(&world, 1, None),
        contest(&world, "Incomplet"),
        world.draft(KIND),
        world.sign(KIND),
    ]);
    let history = world.run(commands).await;
    assert!(
        world
            .framework()
            .given(history)
            .when_async(rate(&world, 5, None))
            .await
            .inspect_result()
            .is_ok()
    );
}

#[tokio::test]
async fn an_answer_is_contested_once() {
    let world = World::new();
    let mut commands = world.answered(KIND);
    commands.extend([
        contest(&world, "Incomplet"),
        world.draft(KIND),
        world.sign(KIND),
    ]);
    let history = world.run(commands).await;
    world
        .framework()
        .given(history)
        .when_async(contest(&world, "Toujours incomplet"))
        .await
        .then_expect_error(FileError::AlreadyContested);
}

#[tokio::test]
async fn a_contest_after_the_period_is_refused() {
    let world = World::new();
    let history = world.run(world.answered(KIND)).await;
    let due_at = world
        .computed(&world.config.contest_period, world.now())
        .due_at()
        .unwrap();
    world.clock.set(due_at);
    world
        .framework()
        .given(history)
        .when_async(contest(&world, "Trop tard ?"))
        .await
        .then_expect_error(FileError::DeadlinePassed { due_at });
}

#[tokio::test]
async fn only_the_author_contests_with_grounds_and_only_a_sent_answer() {
    let world = World::new();
    let answered = world.run(world.answered(KIND)).await;
    world
        .framework()
        .given(answered.clone())
        .when_async(CitizenFileCommand::ContestAnswer {
            actor: world.someone_else(),
            proof: AuthorProof::Account,
            grounds: "Je conteste".into(),
        })
        .await
        .then_expect_error(FileError::NotTheAuthor);
    world
        .framework()
        .given(answered)
        .when_async(contest(&world, ""))
        .await
        .then_expect_error(FileError::InvalidText(InvalidText {
            field: "grounds",
            error: TextError::Empty,
        }));
    let received = world.run([world.submit(KIND)]).await;
    world
        .framework()
        .given(received)
        .when_async(contest(&world, "Déjà ?"))
        .await
        .then_expect_error(FileError::WrongState {
            status: FileStatus::Received,
        });
}

#[tokio::test]
async fn the_file_closes_when_the_contest_period_ends() {
    let world = World::new();
    let history = world.run(world.answered(KIND)).await;
    let contest_due = world.computed(&world.config.contest_period, world.now());
    world.advance_days(29);
    world
        .framework()
        .given(history.clone())
        .when_async(check(&world))
        .await
        .then_expect_events(vec![]);
    world.clock.set(contest_due.due_at().unwrap());
    let worker = world.worker();
    world
        .framework()
        .given(history)
        .when_async(CitizenFileCommand::CheckDeadlines { actor: worker })
        .await
        .then_expect_events(vec![CitizenFileEvent::FileClosed {
            reason: ClosureReason::ContestPeriodElapsed,
            by: worker.id,
            at: world.now(),
            deadline: contest_due,
        }]);
}

#[tokio::test]
async fn a_closed_file_takes_no_rating_and_the_worker_finds_nothing_more() {
    let world = World::new();
    let history = world.run(world.answered(KIND)).await;
    world.advance_days(60);
    let history = world.run_after(history, [check(&world)]).await;
    world
        .framework()
        .given(history.clone())
        .when_async(rate(&world, 5, None))
        .await
        .then_expect_error(FileError::WrongState {
            status: FileStatus::Closed(ClosureReason::ContestPeriodElapsed),
        });
    world
        .framework()
        .given(history)
        .when_async(check(&world))
        .await
        .then_expect_events(vec![]);
}

const SUGGESTION: KindDetails = KindDetails::Suggestion;

fn progress(actor: kernel::Actor) -> CitizenFileCommand {
    CitizenFileCommand::ReportImplementationProgress {
        actor,
        report: "Première tranche réalisée".into(),
    }
}

// decree 2019-1242 art. 9: an adopted suggestion is followed to implementation
#[tokio::test]
async fn an_adopted_suggestion_stays_open_after_the_contest_period() {
    let world = World::new();
    let history = world.run(world.answered(SUGGESTION)).await;
    world.advance_days(90);
    world
        .framework()
        .given(history)
        .when_async(check(&world))
        .await
        .then_expect_events(vec![]);
}

#[tokio::test]
async fn the_assessing_structure_and_the_central_bureau_report_progress() {
    let world = World::new();
    let history = world.run(world.answered(SUGGESTION)).await;
    for (actor, organisation) in [
        (world.structure_agent(), world.structure),
        (world.bureau_agent(), world.bureau),
    ] {
        world
            .framework()
            .given(history.clone())
            .when_async(progress(actor))
            .await
            .then_expect_events(vec![CitizenFileEvent::ImplementationProgressReported {
                report: world.seal_text("Première tranche réalisée").await,
                by: actor.id,
                organisation,
                at: world.now(),
            }]);
    }
}

#[tokio::test]
async fn a_structure_that_did_not_assess_the_suggestion_does_not_report_on_it() {
    let world = World::new();
    let history = world.run(world.answered(SUGGESTION)).await;
    for actor in [
        world.agent_of(Role::StructureAgent, world.other_structure),
        world.office_agent(),
    ] {
        world
            .framework()
            .given(history.clone())
            .when_async(progress(actor))
            .await
            .then_expect_error(FileError::NotFollowingThisSuggestion);
    }
}

#[tokio::test]
async fn implementation_is_followed_for_adopted_and_answered_suggestions_only() {
    let world = World::new();
    let mut declined = world.answered(SUGGESTION);
    let position = declined
        .iter()
        .position(|c| matches!(c, CitizenFileCommand::DecideOnSuggestion { .. }))
        .unwrap();
    declined[position] = world.decide(false);
    let declined = world.run(declined).await;
    world
        .framework()
        .given(declined)
        .when_async(progress(world.bureau_agent()))
        .await
        .then_expect_error(FileError::SuggestionNotAdopted);
    let unanswered = world.run(world.ready_to_answer(SUGGESTION)).await;
    world
        .framework()
        .given(unanswered)
        .when_async(progress(world.bureau_agent()))
        .await
        .then_expect_error(FileError::WrongState {
            status: FileStatus::UnderStudy,
        });
    let petition = world.run(world.answered(KIND)).await;
    world
        .framework()
        .given(petition)
        .when_async(progress(world.office_agent()))
        .await
        .then_expect_error(FileError::NotASuggestion {
            kind: FileKind::Petition,
        });
}

#[tokio::test]
async fn the_central_bureau_records_the_implementation_which_closes_the_file() {
    let world = World::new();
    let history = world.run(world.answered(SUGGESTION)).await;
    let agent = world.bureau_agent();
    world
        .framework()
        .given(history.clone())
        .when_async(CitizenFileCommand::RecordSuggestionImplemented {
            actor: agent,
            report: "Mise en œuvre achevée".into(),
        })
        .await
        .then_expect_events(vec![CitizenFileEvent::SuggestionImplemented {
            report: world.seal_text("Mise en œuvre achevée").await,
            by: agent.id,
            organisation: world.bureau,
            at: world.now(),
        }]);
    world
        .framework()
        .given(history.clone())
        .when_async(CitizenFileCommand::RecordSuggestionImplemented {
            actor: world.structure_agent(),
            report: "Fini".into(),
        })
        .await
        .then_expect_error(FileError::NotTheHandlingOrganisation {
            handled_by: world.bureau,
        });
    let closed = world
        .run_after(
            history,
            [CitizenFileCommand::RecordSuggestionImplemented {
                actor: agent,
                report: "Fini".into(),
            }],
        )
        .await;
    world
        .framework()
        .given(closed)
        .when_async(progress(world.bureau_agent()))
        .await
        .then_expect_error(FileError::WrongState {
            status: FileStatus::Closed(ClosureReason::SuggestionImplemented),
        });
}
