//! Duplicates: a duplicate of an open file is merged into it, not answered twice. The
//! surviving file records the duplicate's author as a follower (`AttachDuplicate`, issued
//! first), then the duplicate is merged (`MergeIntoFile`) and its author told.
#![allow(clippy::unwrap_used)]

mod common;

use citizen_file::{
    AuthorRef, CitizenFileCommand, CitizenFileEvent, ClosureReason, FileError, FileId, FileStatus,
    InadmissibilityReason, KindDetails,
};
use common::World;
use kernel::personal_data::SubjectId;
use kernel::{ActorId, Role};

const KIND: KindDetails = KindDetails::Petition;

fn follower() -> AuthorRef {
    AuthorRef {
        subject: SubjectId::new_v7(),
        account: Some(ActorId::new_v7()),
    }
}

fn attach(world: &World, duplicate: FileId, follower: AuthorRef) -> CitizenFileCommand {
    CitizenFileCommand::AttachDuplicate {
        actor: world.office_agent(),
        duplicate,
        follower,
    }
}

#[tokio::test]
async fn the_surviving_file_records_the_duplicates_author_as_follower() {
    let world = World::new();
    let history = world
        .run([
            world.submit(KIND),
            world.admit(KIND),
            world.refer(KIND, world.referral),
        ])
        .await;
    let agent = world.office_agent();
    let duplicate = FileId::new_v7();
    let follower = follower();
    world
        .framework()
        .given(history)
        .when_async(CitizenFileCommand::AttachDuplicate {
            actor: agent,
            duplicate,
            follower,
        })
        .await
        .then_expect_events(vec![CitizenFileEvent::DuplicateAttached {
            duplicate,
            follower,
            by: agent.id,
            organisation: world.office,
            at: world.now(),
        }]);
}

#[tokio::test]
async fn a_duplicate_is_attached_once_and_never_to_itself() {
    let world = World::new();
    let duplicate = FileId::new_v7();
    let history = world
        .run([world.submit(KIND), attach(&world, duplicate, follower())])
        .await;
    world
        .framework()
        .given(history.clone())
        .when_async(attach(&world, duplicate, follower()))
        .await
        .then_expect_error(FileError::DuplicateAlreadyAttached);
    world
        .framework()
        .given(history)
        .when_async(attach(&world, world.file, follower()))
        .await
        .then_expect_error(FileError::CannotMergeWithItself);
}

#[tokio::test]
async fn nothing_is_merged_into_a_closed_file() {
    let world = World::new();
    let history = world
        .run([
            world.submit(KIND),
            CitizenFileCommand::DeclareInadmissible {
                actor: world.office_agent(),
                reason: InadmissibilityReason::Abusive,
                note: None,
            },
        ])
        .await;
    world
        .framework()
        .given(history)
        .when_async(attach(&world, FileId::new_v7(), follower()))
        .await
        .then_expect_error(FileError::WrongState {
            status: FileStatus::Closed(ClosureReason::Inadmissible),
        });
}

#[tokio::test]
async fn only_the_handling_organisation_merges() {
    let world = World::new();
    let history = world.run([world.submit(KIND)]).await;
    let outsider = world.agent_of(Role::OfficeAgent, world.other_office);
    world
        .framework()
        .given(history.clone())
        .when_async(CitizenFileCommand::AttachDuplicate {
            actor: outsider,
            duplicate: FileId::new_v7(),
            follower: follower(),
        })
        .await
        .then_expect_error(FileError::NotTheHandlingOrganisation {
            handled_by: world.office,
        });
    world
        .framework()
        .given(history)
        .when_async(CitizenFileCommand::MergeIntoFile {
            actor: outsider,
            surviving: FileId::new_v7(),
        })
        .await
        .then_expect_error(FileError::NotTheHandlingOrganisation {
            handled_by: world.office,
        });
}

#[tokio::test]
async fn the_duplicate_is_merged_into_the_surviving_file() {
    let world = World::new();
    for commands in [
        vec![world.submit(KIND)],
        vec![world.submit(KIND), world.admit(KIND)],
    ] {
        let history = world.run(commands).await;
        let agent = world.office_agent();
        let surviving = FileId::new_v7();
        world
            .framework()
            .given(history)
            .when_async(CitizenFileCommand::MergeIntoFile {
                actor: agent,
                surviving,
            })
            .await
            .then_expect_events(vec![CitizenFileEvent::FileMerged {
                into: surviving,
                by: agent.id,
                organisation: world.office,
                at: world.now(),
            }]);
    }
}

#[tokio::test]
async fn a_file_structures_are_working_on_is_not_merged() {
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
        .when_async(CitizenFileCommand::MergeIntoFile {
            actor: world.office_agent(),
            surviving: FileId::new_v7(),
        })
        .await
        .then_expect_error(FileError::WrongState {
            status: FileStatus::Referred,
        });
}

#[tokio::test]
async fn a_file_is_not_merged_into_itself() {
    let world = World::new();
    let history = world.run([world.submit(KIND)]).await;
    world
        .framework()
        .given(history)
        .when_async(CitizenFileCommand::MergeIntoFile {
            actor: world.office_agent(),
            surviving: world.file,
        })
        .await
        .then_expect_error(FileError::CannotMergeWithItself);
}

#[tokio::test]
async fn a_merged_file_takes_no_further_command() {
    let world = World::new();
    let surviving = FileId::new_v7();
    let history = world
        .run([
            world.submit(KIND),
            CitizenFileCommand::MergeIntoFile {
                actor: world.office_agent(),
                surviving,
            },
        ])
        .await;
    let merged = FileError::WrongState {
        status: FileStatus::Merged(surviving),
    };
    for command in [
        world.admit(KIND),
        world.request_information(KIND),
        CitizenFileCommand::MergeIntoFile {
            actor: world.office_agent(),
            surviving: FileId::new_v7(),
        },
        attach(&world, FileId::new_v7(), follower()),
    ] {
        world
            .framework()
            .given(history.clone())
            .when_async(command)
            .await
            .then_expect_error(merged.clone());
    }
    world
        .framework()
        .given(history)
        .when_async(CitizenFileCommand::CheckDeadlines {
            actor: world.worker(),
        })
        .await
        .then_expect_events(vec![]);
}
