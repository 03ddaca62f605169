//! Admission: the handling organisation admits a file for study or declares it inadmissible
//! for a reason from the closed list.
#![allow(clippy::unwrap_used)]

mod common;

use citizen_file::{
    CitizenFileCommand, CitizenFileEvent, ClosureReason, FileError, FileStatus,
    InadmissibilityReason, InvalidText, KindDetails,
};
use common::{KINDS, World};
use kernel::{Role, TextError};

// decree 2019-1242 art. 7 (office) and art. 9, 10 (Central Bureau)
#[tokio::test]
async fn the_handling_organisation_admits_each_kind() {
    for kind in KINDS {
        let world = World::new();
        let history = world.run([world.submit(kind)]).await;
        let agent = world.handler(kind);
        world
            .framework()
            .given(history)
            .when_async(CitizenFileCommand::AdmitFile { actor: agent })
            .await
            .then_expect_events(vec![CitizenFileEvent::FileAdmitted {
                by: agent.id,
                organisation: world.handled_by(kind),
                at: world.now(),
            }]);
    }
}

#[tokio::test]
async fn the_head_of_the_office_may_admit_a_petition() {
    let world = World::new();
    let history = world.run([world.submit(KindDetails::Petition)]).await;
    let head = world.agent_of(Role::OfficeHead, world.office);
    let result = world
        .framework()
        .given(history)
        .when_async(CitizenFileCommand::AdmitFile { actor: head })
        .await
        .inspect_result();
    assert!(result.is_ok(), "{result:?}");
}

// decree 2019-1242 art. 7: the receiving office, not another, studies the petition
#[tokio::test]
async fn only_an_agent_of_the_handling_organisation_admits() {
    let world = World::new();
    let history = world.run([world.submit(KindDetails::Petition)]).await;
    for actor in [
        world.agent_of(Role::OfficeAgent, world.other_office),
        world.bureau_agent(),
        world.structure_agent(),
        world.agent_of(Role::Signatory, world.office),
        world.author(),
    ] {
        world
            .framework()
            .given(history.clone())
            .when_async(CitizenFileCommand::AdmitFile { actor })
            .await
            .then_expect_error(FileError::NotTheHandlingOrganisation {
                handled_by: world.office,
            });
    }
}

// decree 2019-1242 art. 9: suggestions are handled by the Central Bureau, not by an office
#[tokio::test]
async fn an_office_agent_does_not_admit_a_suggestion() {
    let world = World::new();
    let history = world.run([world.submit(KindDetails::Suggestion)]).await;
    world
        .framework()
        .given(history)
        .when_async(CitizenFileCommand::AdmitFile {
            actor: world.agent_of(Role::OfficeAgent, world.bureau),
        })
        .await
        .then_expect_error(FileError::NotTheHandlingOrganisation {
            handled_by: world.bureau,
        });
}

#[tokio::test]
async fn a_file_is_admitted_once() {
    let world = World::new();
    let kind = KindDetails::Petition;
    let history = world.run([world.submit(kind), world.admit(kind)]).await;
    world
        .framework()
        .given(history)
        .when_async(world.admit(kind))
        .await
        .then_expect_error(FileError::WrongState {
            status: FileStatus::UnderStudy,
        });
}

// decree 98-1152 (amending decree 93-1549): matters the offices do not take up
#[tokio::test]
async fn a_file_is_declared_inadmissible_for_each_reason_of_the_closed_list() {
    let reasons = [
        InadmissibilityReason::BeforeTheCourts,
        InadmissibilityReason::AgentCareerDispute,
        InadmissibilityReason::AidRequest,
        InadmissibilityReason::JobRequest,
        InadmissibilityReason::OutsideCompetence,
        InadmissibilityReason::Abusive,
    ];
    for reason in reasons {
        let world = World::new();
        let kind = KindDetails::Petition;
        let history = world.run([world.submit(kind)]).await;
        let agent = world.office_agent();
        let note = "Adressez-vous au tribunal administratif.";
        world
            .framework()
            .given(history)
            .when_async(CitizenFileCommand::DeclareInadmissible {
                actor: agent,
                reason,
                note: Some(format!("  {note}  ")),
            })
            .await
            .then_expect_events(vec![CitizenFileEvent::FileDeclaredInadmissible {
                reason,
                note: Some(world.seal_text(note).await),
                by: agent.id,
                organisation: world.office,
                at: world.now(),
            }]);
    }
}

#[tokio::test]
async fn an_inadmissibility_note_is_optional_but_not_blank_or_over_long() {
    let world = World::new();
    let kind = KindDetails::GuidanceRequest;
    let history = world.run([world.submit(kind)]).await;
    let declare = |note: Option<String>| CitizenFileCommand::DeclareInadmissible {
        actor: world.office_agent(),
        reason: InadmissibilityReason::OutsideCompetence,
        note,
    };
    let without = world
        .framework()
        .given(history.clone())
        .when_async(declare(None))
        .await
        .inspect_result()
        .unwrap();
    assert!(matches!(
        without.as_slice(),
        [CitizenFileEvent::FileDeclaredInadmissible { note: None, .. }]
    ));
    world
        .framework()
        .given(history.clone())
        .when_async(declare(Some(" ".into())))
        .await
        .then_expect_error(FileError::InvalidText(InvalidText {
            field: "note",
            error: TextError::Empty,
        }));
    world
        .framework()
        .given(history)
        .when_async(declare(Some("n".repeat(2_001))))
        .await
        .then_expect_error(FileError::InvalidText(InvalidText {
            field: "note",
            error: TextError::TooLong {
                max: 2_000,
                actual: 2_001,
            },
        }));
}

#[tokio::test]
async fn inadmissibility_is_decided_at_admission_only() {
    let world = World::new();
    let kind = KindDetails::Petition;
    let history = world.run([world.submit(kind), world.admit(kind)]).await;
    world
        .framework()
        .given(history)
        .when_async(CitizenFileCommand::DeclareInadmissible {
            actor: world.office_agent(),
            reason: InadmissibilityReason::Abusive,
            note: None,
        })
        .await
        .then_expect_error(FileError::WrongState {
            status: FileStatus::UnderStudy,
        });
}

#[tokio::test]
async fn only_the_handling_organisation_declares_a_file_inadmissible() {
    let world = World::new();
    let history = world
        .run([world.submit(KindDetails::Notification {
            urgency: citizen_file::Urgency::Low,
        })])
        .await;
    world
        .framework()
        .given(history)
        .when_async(CitizenFileCommand::DeclareInadmissible {
            actor: world.office_agent(),
            reason: InadmissibilityReason::OutsideCompetence,
            note: None,
        })
        .await
        .then_expect_error(FileError::NotTheHandlingOrganisation {
            handled_by: world.bureau,
        });
}

#[tokio::test]
async fn an_inadmissible_file_is_closed_for_good() {
    let world = World::new();
    let kind = KindDetails::Petition;
    let history = world
        .run([
            world.submit(kind),
            CitizenFileCommand::DeclareInadmissible {
                actor: world.office_agent(),
                reason: InadmissibilityReason::JobRequest,
                note: None,
            },
        ])
        .await;
    let closed = FileError::WrongState {
        status: FileStatus::Closed(ClosureReason::Inadmissible),
    };
    for command in [
        world.admit(kind),
        world.request_information(kind),
        world.draft(kind),
        CitizenFileCommand::MergeIntoFile {
            actor: world.office_agent(),
            surviving: citizen_file::FileId::new_v7(),
        },
    ] {
        world
            .framework()
            .given(history.clone())
            .when_async(command)
            .await
            .then_expect_error(closed.clone());
    }
}
