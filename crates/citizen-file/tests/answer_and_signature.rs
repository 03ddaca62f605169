//! The final answer: the Central Bureau's decision on a suggestion, the draft by the handling
//! organisation, and the signature by its empowered signatory through the signing service.
#![allow(clippy::unwrap_used)]

mod common;

use citizen_file::{
    CitizenFileCommand, CitizenFileEvent, Feasibility, FileError, FileKind, FileStatus,
    InvalidText, KindDetails, ReplyOutcome, SigningError,
};
use common::{FakeSigner, KINDS, NOTIFICATION, World};
use kernel::personal_data::KeyVault;
use kernel::{Role, Text, TextError, TextLimits};

const ANSWER: &str = "Votre demande a été traitée.";

async fn assessed(world: &World, feasibility: Feasibility) -> Vec<CitizenFileEvent> {
    let kind = KindDetails::Suggestion;
    world
        .run([
            world.submit(kind),
            world.admit(kind),
            world.refer(kind, world.referral),
            CitizenFileCommand::ReplyToReferral {
                actor: world.structure_agent(),
                referral: world.referral,
                outcome: ReplyOutcome::FeasibilityAssessment { feasibility },
                text: "Étude de faisabilité".into(),
            },
        ])
        .await
}

// decree 2019-1242 art. 9: the Central Bureau follows suggestions with the sector's structure
#[tokio::test]
async fn the_central_bureau_adopts_a_suggestion_assessed_feasible() {
    let world = World::new();
    for feasibility in [Feasibility::Feasible, Feasibility::PartlyFeasible] {
        let history = assessed(&world, feasibility).await;
        let agent = world.bureau_agent();
        world
            .framework()
            .given(history)
            .when_async(CitizenFileCommand::DecideOnSuggestion {
                actor: agent,
                adopted: true,
                reasons: "Utile et peu coûteuse".into(),
            })
            .await
            .then_expect_events(vec![CitizenFileEvent::SuggestionDecided {
                adopted: true,
                reasons: world.seal_text("Utile et peu coûteuse").await,
                by: agent.id,
                organisation: world.bureau,
                at: world.now(),
            }]);
    }
}

#[tokio::test]
async fn a_suggestion_assessed_not_feasible_is_declined_not_adopted() {
    let world = World::new();
    let history = assessed(&world, Feasibility::NotFeasible).await;
    world
        .framework()
        .given(history.clone())
        .when_async(world.decide(true))
        .await
        .then_expect_error(FileError::SuggestionNotFeasible);
    let declined = world
        .framework()
        .given(history)
        .when_async(world.decide(false))
        .await
        .inspect_result()
        .unwrap();
    assert!(matches!(
        declined.as_slice(),
        [CitizenFileEvent::SuggestionDecided { adopted: false, .. }]
    ));
}

// decree 2019-1242 art. 9: the structure's assessment comes first
#[tokio::test]
async fn a_suggestion_is_decided_on_after_an_assessment_only() {
    let world = World::new();
    let kind = KindDetails::Suggestion;
    let history = world.run([world.submit(kind), world.admit(kind)]).await;
    world
        .framework()
        .given(history)
        .when_async(world.decide(false))
        .await
        .then_expect_error(FileError::SuggestionNotAssessed);
}

#[tokio::test]
async fn only_the_central_bureau_decides_and_only_on_suggestions() {
    let world = World::new();
    let history = assessed(&world, Feasibility::Feasible).await;
    for actor in [world.office_agent(), world.structure_agent()] {
        world
            .framework()
            .given(history.clone())
            .when_async(CitizenFileCommand::DecideOnSuggestion {
                actor,
                adopted: true,
                reasons: "Oui".into(),
            })
            .await
            .then_expect_error(FileError::NotTheHandlingOrganisation {
                handled_by: world.bureau,
            });
    }
    let petition = world
        .run(world.ready_to_answer(KindDetails::Petition))
        .await;
    world
        .framework()
        .given(petition)
        .when_async(world.decide(true))
        .await
        .then_expect_error(FileError::NotASuggestion {
            kind: FileKind::Petition,
        });
}

#[tokio::test]
async fn a_suggestion_is_decided_on_while_the_central_bureau_holds_it() {
    let world = World::new();
    let kind = KindDetails::Suggestion;
    let history = world
        .run([
            world.submit(kind),
            world.admit(kind),
            world.refer(kind, world.referral),
        ])
        .await;
    world
        .framework()
        .given(history)
        .when_async(world.decide(false))
        .await
        .then_expect_error(FileError::WrongState {
            status: FileStatus::Referred,
        });
}

#[tokio::test]
async fn a_decision_needs_its_reasons() {
    let world = World::new();
    let history = assessed(&world, Feasibility::Feasible).await;
    world
        .framework()
        .given(history)
        .when_async(CitizenFileCommand::DecideOnSuggestion {
            actor: world.bureau_agent(),
            adopted: true,
            reasons: String::new(),
        })
        .await
        .then_expect_error(FileError::InvalidText(InvalidText {
            field: "reasons",
            error: TextError::Empty,
        }));
}

// decree 2019-1242 art. 8: a guidance request may be answered directly by the office
#[tokio::test]
async fn the_office_answers_a_guidance_request_directly() {
    let world = World::new();
    let kind = KindDetails::GuidanceRequest;
    let history = world.run([world.submit(kind), world.admit(kind)]).await;
    let agent = world.office_agent();
    world
        .framework()
        .given(history)
        .when_async(CitizenFileCommand::DraftAnswer {
            actor: agent,
            text: ANSWER.into(),
        })
        .await
        .then_expect_events(vec![CitizenFileEvent::AnswerDrafted {
            text: world.seal_text(ANSWER).await,
            by: agent.id,
            organisation: world.office,
            at: world.now(),
        }]);
}

// decree 2019-1242 art. 7 (with the services concerned), art. 10 (with the structure)
#[tokio::test]
async fn petitions_and_notifications_are_answered_after_a_structure_replied() {
    let world = World::new();
    for kind in [KindDetails::Petition, NOTIFICATION] {
        let history = world.run([world.submit(kind), world.admit(kind)]).await;
        world
            .framework()
            .given(history)
            .when_async(world.draft(kind))
            .await
            .then_expect_error(FileError::AnswerNeedsStructureReply { kind: kind.kind() });
    }
}

// decree 2019-1242 art. 9
#[tokio::test]
async fn a_suggestion_is_answered_after_the_central_bureau_decided() {
    let world = World::new();
    let history = assessed(&world, Feasibility::Feasible).await;
    world
        .framework()
        .given(history)
        .when_async(world.draft(KindDetails::Suggestion))
        .await
        .then_expect_error(FileError::SuggestionNotDecided);
}

#[tokio::test]
async fn the_answer_is_drafted_by_the_handling_organisation_while_it_holds_the_file() {
    let world = World::new();
    let kind = KindDetails::Petition;
    let ready = world.run(world.ready_to_answer(kind)).await;
    world
        .framework()
        .given(ready)
        .when_async(CitizenFileCommand::DraftAnswer {
            actor: world.structure_agent(),
            text: ANSWER.into(),
        })
        .await
        .then_expect_error(FileError::NotTheHandlingOrganisation {
            handled_by: world.office,
        });
    let referred = world
        .run([
            world.submit(kind),
            world.admit(kind),
            world.refer(kind, world.referral),
        ])
        .await;
    world
        .framework()
        .given(referred)
        .when_async(world.draft(kind))
        .await
        .then_expect_error(FileError::WrongState {
            status: FileStatus::Referred,
        });
}

#[tokio::test]
async fn an_answer_needs_a_text_within_the_limit() {
    let world = World::new();
    let kind = KindDetails::GuidanceRequest;
    let history = world.run([world.submit(kind), world.admit(kind)]).await;
    world
        .framework()
        .given(history)
        .when_async(CitizenFileCommand::DraftAnswer {
            actor: world.office_agent(),
            text: " \t ".into(),
        })
        .await
        .then_expect_error(FileError::InvalidText(InvalidText {
            field: "text",
            error: TextError::Empty,
        }));
}

#[tokio::test]
async fn a_draft_may_be_replaced_before_signature_and_the_last_one_is_signed() {
    let world = World::new();
    let kind = KindDetails::GuidanceRequest;
    let mut commands = vec![world.submit(kind), world.admit(kind), world.draft(kind)];
    commands.push(CitizenFileCommand::DraftAnswer {
        actor: world.office_agent(),
        text: "Seconde version".into(),
    });
    commands.push(world.sign(kind));
    world.run(commands).await;
    let signed = world.signer.signed();
    assert_eq!(signed.len(), 1);
    assert_eq!(signed[0].answer.as_str(), "Seconde version");
}

// decree 2019-1242 art. 2, 4 and circular 001: the answer is signed electronically by the
// person empowered to sign
#[tokio::test]
async fn the_empowered_signatory_signs_and_the_answer_goes_out() {
    for kind in KINDS {
        let world = World::new();
        let history = world.run(world.ready_to_answer(kind)).await;
        let history = world.run_after(history, [world.draft(kind)]).await;
        world.advance_days(2);
        let signatory = world.signatory(world.handled_by(kind));
        world
            .framework()
            .given(history)
            .when_async(CitizenFileCommand::SignAnswer { actor: signatory })
            .await
            .then_expect_events(vec![CitizenFileEvent::AnswerSigned {
                signature: FakeSigner::signature_of(world.file, signatory.id),
                by: signatory.id,
                organisation: world.handled_by(kind),
                at: world.now(),
                within_deadline: true,
                contest_due: world.computed(&world.config.contest_period, world.now()),
            }]);
        // What was signed: the canonical answer, with the author as a data subject only.
        let signed = world.signer.signed();
        let document = signed.last().unwrap();
        assert_eq!(document.file, world.file);
        assert_eq!(document.tracking_code, world.code);
        assert_eq!(document.kind, kind.kind());
        assert_eq!(document.author, world.subject);
        assert_eq!(
            document.answer,
            Text::new(ANSWER, TextLimits::body(100)).unwrap()
        );
        assert_eq!(document.organisation, world.handled_by(kind));
        assert_eq!(document.signatory, signatory.id);
        assert_eq!(document.signed_at, world.now());
        assert!(!format!("{document:?}").contains("traitée"));
    }
}

#[tokio::test]
async fn a_late_answer_is_signed_and_recorded_as_late() {
    let world = World::new();
    let kind = KindDetails::GuidanceRequest;
    let history = world
        .run([world.submit(kind), world.admit(kind), world.draft(kind)])
        .await;
    world.advance_days(40);
    let events = world
        .framework()
        .given(history)
        .when_async(world.sign(kind))
        .await
        .inspect_result()
        .unwrap();
    assert!(matches!(
        events.as_slice(),
        [CitizenFileEvent::AnswerSigned {
            within_deadline: false,
            ..
        }]
    ));
}

// circular 001: only the person legally empowered signs
#[tokio::test]
async fn only_a_signatory_of_the_drafting_organisation_signs() {
    let world = World::new();
    let kind = KindDetails::Petition;
    let mut commands = world.ready_to_answer(kind);
    commands.push(world.draft(kind));
    let history = world.run(commands).await;
    for actor in [
        world.office_agent(),
        world.agent_of(Role::OfficeHead, world.office),
        world.signatory(world.other_office),
        world.signatory(world.structure),
        world.author(),
    ] {
        world
            .framework()
            .given(history.clone())
            .when_async(CitizenFileCommand::SignAnswer { actor })
            .await
            .then_expect_error(FileError::NotEmpoweredToSign {
                organisation: world.office,
            });
    }
}

#[tokio::test]
async fn there_is_nothing_to_sign_without_a_draft() {
    let world = World::new();
    let kind = KindDetails::Petition;
    let history = world.run(world.ready_to_answer(kind)).await;
    world
        .framework()
        .given(history)
        .when_async(world.sign(kind))
        .await
        .then_expect_error(FileError::WrongState {
            status: FileStatus::UnderStudy,
        });
}

#[tokio::test]
async fn a_refusal_of_the_signing_service_leaves_the_draft_unsigned() {
    let world = World::new();
    let kind = KindDetails::GuidanceRequest;
    let history = world
        .run([world.submit(kind), world.admit(kind), world.draft(kind)])
        .await;
    world.signer.fail_with(SigningError::NoValidCertificate);
    world
        .framework()
        .given(history)
        .when_async(world.sign(kind))
        .await
        .then_expect_error(FileError::Signing(SigningError::NoValidCertificate));
}

// organic law 2004-63: once the author's key is erased, nothing is sent in their name
#[tokio::test]
async fn an_answer_cannot_be_signed_once_the_authors_data_was_erased() {
    let world = World::new();
    let kind = KindDetails::GuidanceRequest;
    let history = world
        .run([world.submit(kind), world.admit(kind), world.draft(kind)])
        .await;
    world.vault.erase(world.subject).await.unwrap();
    world
        .framework()
        .given(history)
        .when_async(world.sign(kind))
        .await
        .then_expect_error(FileError::AuthorDataErased);
    assert!(world.signer.signed().is_empty());
}
