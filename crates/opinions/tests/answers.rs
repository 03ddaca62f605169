//! The local authority's answers to an entry: one or more, dated, with who answered
//! (decree 2019-401 art. 10, 12).
#![allow(clippy::unwrap_used)]

mod common;

use common::{Fixture, text};
use cqrs_es::test::TestFramework;
use kernel::personal_data::EnvelopeError;
use kernel::{Actor, ActorId, Role, TextError};
use opinions::{ANSWERING_ROLES, EntryCommand, EntryError, EntryEvent, EntryField, OpinionEntry};

const ANSWER: &str = "Les travaux de réparation sont programmés pour la semaine prochaine.";

fn entries(fixture: &Fixture) -> TestFramework<OpinionEntry> {
    TestFramework::with(fixture.services())
}

fn answer(actor: Actor) -> EntryCommand {
    EntryCommand::AnswerEntry {
        text: ANSWER.to_owned(),
        actor,
    }
}

async fn answered(fixture: &Fixture, number: u32, actor: Actor) -> EntryEvent {
    EntryEvent::EntryAnswered {
        answer: number,
        text: fixture.seal(fixture.resident_subject, &text(ANSWER)).await,
        by: actor.id,
        role: actor.role().unwrap(),
        answered_at: fixture.now(),
    }
}

// decree 2019-401 art. 3-4, 10, 12: the register bureau, or the signatory for the president,
// records the answer, its date and who answered.
#[tokio::test]
async fn the_bureau_or_the_signatory_answers() {
    let fixture = Fixture::new();
    for role in ANSWERING_ROLES {
        let actor = fixture.agent(*role);
        let expected = answered(&fixture, 1, actor).await;
        entries(&fixture)
            .given(fixture.filed_opinion().await)
            .when_async(answer(actor))
            .await
            .then_expect_events(vec![expected]);
    }
}

// decree 2019-401 art. 10: "the answers": an entry may receive more than one, numbered.
#[tokio::test]
async fn a_further_answer_is_numbered_after_the_first() {
    let fixture = Fixture::new();
    let first = answered(&fixture, 1, fixture.agent(Role::RegisterBureauAgent)).await;
    let head = fixture.agent(Role::RegisterBureauHead);
    let expected = answered(&fixture, 2, head).await;
    let mut given = fixture.filed_opinion().await;
    given.push(first);
    entries(&fixture)
        .given(given)
        .when_async(answer(head))
        .await
        .then_expect_events(vec![expected]);
}

#[tokio::test]
async fn an_answer_needs_an_entry() {
    let fixture = Fixture::new();
    entries(&fixture)
        .given_no_previous_events()
        .when_async(answer(fixture.agent(Role::RegisterBureauAgent)))
        .await
        .then_expect_error(EntryError::NotFiled);
}

// decree 2019-401 art. 3-4, 13: the committee proposes answers, it does not give them; other
// local authorities, other roles and citizens do not answer.
#[tokio::test]
async fn only_the_local_authority_answers() {
    let fixture = Fixture::new();
    for actor in [
        fixture.agent(Role::CommitteeMember),
        fixture.agent(Role::CouncilSecretary),
        fixture.foreign_agent(Role::RegisterBureauHead),
        Actor::citizen(ActorId::new_v7()),
        fixture.resident,
    ] {
        entries(&fixture)
            .given(fixture.filed_opinion().await)
            .when_async(answer(actor))
            .await
            .then_expect_error(EntryError::ActorNotAllowed {
                allowed: ANSWERING_ROLES,
            });
    }
}

#[tokio::test]
async fn an_empty_answer_is_refused() {
    let fixture = Fixture::new();
    entries(&fixture)
        .given(fixture.filed_opinion().await)
        .when_async(EntryCommand::AnswerEntry {
            text: "   ".to_owned(),
            actor: fixture.agent(Role::RegisterBureauAgent),
        })
        .await
        .then_expect_error(EntryError::InvalidText {
            field: EntryField::Answer,
            error: TextError::Empty,
        });
}

// organic law 2004-63: once the author's data is erased, nothing new is recorded about them,
// answers included.
#[tokio::test]
async fn nothing_more_is_recorded_for_an_erased_author() {
    let fixture = Fixture::new();
    let given = fixture.filed_opinion().await;
    fixture
        .cipher
        .vault()
        .erase(fixture.resident_subject)
        .await
        .unwrap();
    entries(&fixture)
        .given(given)
        .when_async(answer(fixture.agent(Role::RegisterBureauHead)))
        .await
        .then_expect_error(EntryError::PersonalData(EnvelopeError::SubjectErased(
            fixture.resident_subject,
        )));
}

#[tokio::test]
async fn the_answer_is_sealed_under_the_author() {
    let fixture = Fixture::new();
    let event = answered(&fixture, 1, fixture.agent(Role::Signatory)).await;
    let json = serde_json::to_string(&event).unwrap();
    assert!(!json.contains("réparation"), "{json}");
    assert!(json.contains(&fixture.resident_subject.to_string()));
}
