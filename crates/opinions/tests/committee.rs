//! The work of the committee for participatory democracy and open governance on an entry:
//! consultation, proposals to the president, correspondence to the author's addresses,
//! follow-up meetings and their minutes (decree 2019-401 art. 13).
#![allow(clippy::unwrap_used)]

mod common;

use chrono::{DateTime, Duration, Utc};
use common::{Fixture, contact, text, tunis};
use cqrs_es::test::TestFramework;
use kernel::{Actor, Role, TextError};
use opinions::{
    ANSWERING_ROLES, AddressKind, COMMITTEE_ROLES, EntryCommand, EntryError, EntryEvent,
    EntryField, EntryKind, OpinionEntry, ProposalKind, Section,
};

const NOTE: &str = "La commission propose de préciser le calendrier des travaux.";
const LETTER: &str = "Madame, la commune vous informe du calendrier des travaux.";
const MINUTES: &str = "Réunion tenue au siège de la commune ; points examinés : éclairage.";

fn entries(fixture: &Fixture) -> TestFramework<OpinionEntry> {
    TestFramework::with(fixture.services())
}

/// Friday 6 March 2026, 10:00 in Tunis: the follow-up meeting of the tests.
fn meeting_at() -> DateTime<Utc> {
    tunis(2026, 3, 6, 10, 0)
}

async fn proposed(fixture: &Fixture, number: u32, kind: ProposalKind, by: Actor) -> EntryEvent {
    EntryEvent::ProposedToPresident {
        proposal: number,
        kind,
        note: fixture.seal(fixture.resident_subject, &text(NOTE)).await,
        by: by.id,
        at: fixture.now(),
    }
}

async fn invited(fixture: &Fixture, by: Actor) -> EntryEvent {
    EntryEvent::FollowUpMeetingInvited {
        meeting: 1,
        meeting_at: meeting_at(),
        to: fixture.seal(fixture.resident_subject, &contact()).await,
        channels: vec![AddressKind::Postal, AddressKind::Email],
        by: by.id,
        invited_at: fixture.now(),
    }
}

/// The usual entry and `more` events after it.
async fn given(fixture: &Fixture, more: Vec<EntryEvent>) -> Vec<EntryEvent> {
    let mut events = fixture.filed_opinion().await;
    events.extend(more);
    events
}

/// The usual entry, filed with only the addresses `addresses` in the register.
async fn filed_with_addresses(fixture: &Fixture, addresses: Vec<AddressKind>) -> EntryEvent {
    let mut filed = fixture
        .resident_filed(Section::ServicesAndFacilities, EntryKind::Opinion)
        .await;
    if let EntryEvent::EntryFiled {
        addresses: on_file, ..
    } = &mut filed
    {
        *on_file = addresses;
    }
    filed
}

#[tokio::test]
async fn nothing_is_done_to_an_entry_not_filed() {
    let fixture = Fixture::new();
    let member = fixture.agent(Role::CommitteeMember);
    let commands = [
        EntryCommand::NoteCommitteeConsultation { actor: member },
        EntryCommand::ProposeToPresident {
            proposal: ProposalKind::Answer,
            note: NOTE.to_owned(),
            actor: member,
        },
        EntryCommand::SendCorrespondence {
            proposal: 1,
            body: LETTER.to_owned(),
            actor: fixture.agent(Role::Signatory),
        },
        EntryCommand::InviteToFollowUpMeeting {
            meeting_at: meeting_at(),
            actor: member,
        },
        EntryCommand::RecordFollowUpMinutes {
            meeting: 1,
            minutes: MINUTES.to_owned(),
            actor: member,
        },
    ];
    for command in commands {
        entries(&fixture)
            .given_no_previous_events()
            .when_async(command)
            .await
            .then_expect_error(EntryError::NotFiled);
    }
}

// decree 2019-401 art. 13: the committee "may consult the register".
#[tokio::test]
async fn a_committee_member_consults_the_entry() {
    let fixture = Fixture::new();
    let member = fixture.agent(Role::CommitteeMember);
    entries(&fixture)
        .given(fixture.filed_opinion().await)
        .when_async(EntryCommand::NoteCommitteeConsultation { actor: member })
        .await
        .then_expect_events(vec![EntryEvent::CommitteeConsulted {
            by: member.id,
            at: fixture.now(),
        }]);
}

// decree 2019-401 art. 13: the committee's acts are the committee's members', for their own
// local authority.
#[tokio::test]
async fn only_members_of_the_local_authoritys_committee_do_its_work() {
    let fixture = Fixture::new();
    let given = given(
        &fixture,
        vec![invited(&fixture, fixture.agent(Role::CommitteeMember)).await],
    )
    .await;
    fixture.clock.set(meeting_at() + Duration::hours(2));
    for actor in [
        fixture.agent(Role::RegisterBureauHead),
        fixture.foreign_agent(Role::CommitteeMember),
        fixture.resident,
    ] {
        let commands = [
            EntryCommand::NoteCommitteeConsultation { actor },
            EntryCommand::ProposeToPresident {
                proposal: ProposalKind::Clarification,
                note: NOTE.to_owned(),
                actor,
            },
            EntryCommand::InviteToFollowUpMeeting {
                meeting_at: meeting_at() + Duration::days(7),
                actor,
            },
            EntryCommand::RecordFollowUpMinutes {
                meeting: 1,
                minutes: MINUTES.to_owned(),
                actor,
            },
        ];
        for command in commands {
            entries(&fixture)
                .given(given.clone())
                .when_async(command)
                .await
                .then_expect_error(EntryError::ActorNotAllowed {
                    allowed: COMMITTEE_ROLES,
                });
        }
    }
}

// decree 2019-401 art. 13: to present answers, clarifications, or to ask for explanations.
#[tokio::test]
async fn the_committee_proposes_each_kind_to_the_president() {
    let fixture = Fixture::new();
    let member = fixture.agent(Role::CommitteeMember);
    for kind in [
        ProposalKind::Answer,
        ProposalKind::Clarification,
        ProposalKind::RequestForExplanations,
    ] {
        let expected = proposed(&fixture, 1, kind, member).await;
        entries(&fixture)
            .given(fixture.filed_opinion().await)
            .when_async(EntryCommand::ProposeToPresident {
                proposal: kind,
                note: NOTE.to_owned(),
                actor: member,
            })
            .await
            .then_expect_events(vec![expected]);
    }
}

#[tokio::test]
async fn proposals_are_numbered_in_order() {
    let fixture = Fixture::new();
    let member = fixture.agent(Role::CommitteeMember);
    let first = proposed(&fixture, 1, ProposalKind::Answer, member).await;
    let expected = proposed(&fixture, 2, ProposalKind::Clarification, member).await;
    entries(&fixture)
        .given(given(&fixture, vec![first]).await)
        .when_async(EntryCommand::ProposeToPresident {
            proposal: ProposalKind::Clarification,
            note: NOTE.to_owned(),
            actor: member,
        })
        .await
        .then_expect_events(vec![expected]);
}

#[tokio::test]
async fn an_empty_proposal_note_is_refused() {
    let fixture = Fixture::new();
    entries(&fixture)
        .given(fixture.filed_opinion().await)
        .when_async(EntryCommand::ProposeToPresident {
            proposal: ProposalKind::Answer,
            note: String::new(),
            actor: fixture.agent(Role::CommitteeMember),
        })
        .await
        .then_expect_error(EntryError::InvalidText {
            field: EntryField::ProposalNote,
            error: TextError::Empty,
        });
}

// decree 2019-401 art. 13: correspondence "to the addresses in the register, including
// electronic ones", sent for the president.
#[tokio::test]
async fn the_correspondence_goes_to_every_address_in_the_register() {
    let fixture = Fixture::new();
    let member = fixture.agent(Role::CommitteeMember);
    let signatory = fixture.agent(Role::Signatory);
    let proposal = proposed(&fixture, 1, ProposalKind::RequestForExplanations, member).await;
    entries(&fixture)
        .given(given(&fixture, vec![proposal]).await)
        .when_async(EntryCommand::SendCorrespondence {
            proposal: 1,
            body: LETTER.to_owned(),
            actor: signatory,
        })
        .await
        .then_expect_events(vec![EntryEvent::CorrespondenceSent {
            proposal: 1,
            purpose: ProposalKind::RequestForExplanations,
            to: fixture.seal(fixture.resident_subject, &contact()).await,
            channels: vec![AddressKind::Postal, AddressKind::Email],
            body: fixture.seal(fixture.resident_subject, &text(LETTER)).await,
            by: signatory.id,
            role: Role::Signatory,
            sent_at: fixture.now(),
        }]);
}

// decree 2019-401 art. 13: only the addresses the register holds.
#[tokio::test]
async fn the_correspondence_uses_only_the_addresses_on_file() {
    let fixture = Fixture::new();
    let member = fixture.agent(Role::CommitteeMember);
    let agent = fixture.agent(Role::RegisterBureauAgent);
    let given = vec![
        filed_with_addresses(&fixture, vec![AddressKind::Email]).await,
        proposed(&fixture, 1, ProposalKind::Answer, member).await,
    ];
    entries(&fixture)
        .given(given)
        .when_async(EntryCommand::SendCorrespondence {
            proposal: 1,
            body: LETTER.to_owned(),
            actor: agent,
        })
        .await
        .then_expect_events(vec![EntryEvent::CorrespondenceSent {
            proposal: 1,
            purpose: ProposalKind::Answer,
            to: fixture.seal(fixture.resident_subject, &contact()).await,
            channels: vec![AddressKind::Email],
            body: fixture.seal(fixture.resident_subject, &text(LETTER)).await,
            by: agent.id,
            role: Role::RegisterBureauAgent,
            sent_at: fixture.now(),
        }]);
}

// decree 2019-401 art. 13: letters follow a proposal of the committee.
#[tokio::test]
async fn a_correspondence_without_its_proposal_is_refused() {
    let fixture = Fixture::new();
    let member = fixture.agent(Role::CommitteeMember);
    let given = given(
        &fixture,
        vec![proposed(&fixture, 1, ProposalKind::Answer, member).await],
    )
    .await;
    for proposal in [0, 2] {
        entries(&fixture)
            .given(given.clone())
            .when_async(EntryCommand::SendCorrespondence {
                proposal,
                body: LETTER.to_owned(),
                actor: fixture.agent(Role::RegisterBureauHead),
            })
            .await
            .then_expect_error(EntryError::UnknownProposal { proposal });
    }
}

#[tokio::test]
async fn a_proposal_is_followed_by_one_correspondence() {
    let fixture = Fixture::new();
    let member = fixture.agent(Role::CommitteeMember);
    let head = fixture.agent(Role::RegisterBureauHead);
    let sent = EntryEvent::CorrespondenceSent {
        proposal: 1,
        purpose: ProposalKind::Answer,
        to: fixture.seal(fixture.resident_subject, &contact()).await,
        channels: vec![AddressKind::Postal, AddressKind::Email],
        body: fixture.seal(fixture.resident_subject, &text(LETTER)).await,
        by: head.id,
        role: Role::RegisterBureauHead,
        sent_at: fixture.now(),
    };
    let given = given(
        &fixture,
        vec![
            proposed(&fixture, 1, ProposalKind::Answer, member).await,
            sent,
        ],
    )
    .await;
    entries(&fixture)
        .given(given)
        .when_async(EntryCommand::SendCorrespondence {
            proposal: 1,
            body: LETTER.to_owned(),
            actor: head,
        })
        .await
        .then_expect_error(EntryError::CorrespondenceAlreadySent { proposal: 1 });
}

// decree 2019-401 art. 13: the committee proposes to the president; the local authority
// writes.
#[tokio::test]
async fn the_correspondence_is_sent_by_the_local_authority() {
    let fixture = Fixture::new();
    let member = fixture.agent(Role::CommitteeMember);
    let given = given(
        &fixture,
        vec![proposed(&fixture, 1, ProposalKind::Answer, member).await],
    )
    .await;
    for actor in [member, fixture.foreign_agent(Role::Signatory)] {
        entries(&fixture)
            .given(given.clone())
            .when_async(EntryCommand::SendCorrespondence {
                proposal: 1,
                body: LETTER.to_owned(),
                actor,
            })
            .await
            .then_expect_error(EntryError::ActorNotAllowed {
                allowed: ANSWERING_ROLES,
            });
    }
}

// decree 2019-401 art. 13: letters and invitations go to the addresses in the register.
#[tokio::test]
async fn without_an_address_on_file_nothing_can_be_sent() {
    let fixture = Fixture::new();
    let member = fixture.agent(Role::CommitteeMember);
    let given = vec![
        filed_with_addresses(&fixture, Vec::new()).await,
        proposed(&fixture, 1, ProposalKind::Answer, member).await,
    ];
    let commands = [
        EntryCommand::SendCorrespondence {
            proposal: 1,
            body: LETTER.to_owned(),
            actor: fixture.agent(Role::Signatory),
        },
        EntryCommand::InviteToFollowUpMeeting {
            meeting_at: meeting_at(),
            actor: member,
        },
    ];
    for command in commands {
        entries(&fixture)
            .given(given.clone())
            .when_async(command)
            .await
            .then_expect_error(EntryError::NoAddressOnFile);
    }
}

#[tokio::test]
async fn an_empty_letter_is_refused() {
    let fixture = Fixture::new();
    let member = fixture.agent(Role::CommitteeMember);
    entries(&fixture)
        .given(
            given(
                &fixture,
                vec![proposed(&fixture, 1, ProposalKind::Answer, member).await],
            )
            .await,
        )
        .when_async(EntryCommand::SendCorrespondence {
            proposal: 1,
            body: "\n".to_owned(),
            actor: fixture.agent(Role::Signatory),
        })
        .await
        .then_expect_error(EntryError::InvalidText {
            field: EntryField::Correspondence,
            error: TextError::Empty,
        });
}

// decree 2019-401 art. 13: the committee may invite the author to the local authority's seat.
#[tokio::test]
async fn the_committee_invites_the_author_to_a_follow_up_meeting() {
    let fixture = Fixture::new();
    let member = fixture.agent(Role::CommitteeMember);
    let expected = invited(&fixture, member).await;
    entries(&fixture)
        .given(fixture.filed_opinion().await)
        .when_async(EntryCommand::InviteToFollowUpMeeting {
            meeting_at: meeting_at(),
            actor: member,
        })
        .await
        .then_expect_events(vec![expected]);
}

#[tokio::test]
async fn a_follow_up_meeting_is_set_in_the_future() {
    let fixture = Fixture::new();
    for at in [fixture.now(), fixture.now() - Duration::days(1)] {
        entries(&fixture)
            .given(fixture.filed_opinion().await)
            .when_async(EntryCommand::InviteToFollowUpMeeting {
                meeting_at: at,
                actor: fixture.agent(Role::CommitteeMember),
            })
            .await
            .then_expect_error(EntryError::MeetingNotInTheFuture { meeting_at: at });
    }
}

// decree 2019-401 art. 13: "in this case, minutes are drawn up".
#[tokio::test]
async fn the_minutes_of_a_meeting_that_took_place_are_recorded() {
    let fixture = Fixture::new();
    let member = fixture.agent(Role::CommitteeMember);
    let given = given(&fixture, vec![invited(&fixture, member).await]).await;
    fixture.clock.set(meeting_at() + Duration::hours(1));
    entries(&fixture)
        .given(given)
        .when_async(EntryCommand::RecordFollowUpMinutes {
            meeting: 1,
            minutes: MINUTES.to_owned(),
            actor: member,
        })
        .await
        .then_expect_events(vec![EntryEvent::FollowUpMinutesRecorded {
            meeting: 1,
            minutes: fixture.seal(fixture.resident_subject, &text(MINUTES)).await,
            by: member.id,
            recorded_at: meeting_at() + Duration::hours(1),
        }]);
}

#[tokio::test]
async fn minutes_wait_for_the_meeting() {
    let fixture = Fixture::new();
    let member = fixture.agent(Role::CommitteeMember);
    let given = given(&fixture, vec![invited(&fixture, member).await]).await;
    fixture.clock.set(meeting_at() - Duration::minutes(1));
    entries(&fixture)
        .given(given)
        .when_async(EntryCommand::RecordFollowUpMinutes {
            meeting: 1,
            minutes: MINUTES.to_owned(),
            actor: member,
        })
        .await
        .then_expect_error(EntryError::MeetingNotYetHeld {
            meeting_at: meeting_at(),
        });
}

#[tokio::test]
async fn minutes_belong_to_a_meeting_of_the_entry() {
    let fixture = Fixture::new();
    let member = fixture.agent(Role::CommitteeMember);
    let given = given(&fixture, vec![invited(&fixture, member).await]).await;
    fixture.clock.set(meeting_at() + Duration::hours(1));
    for meeting in [0, 2] {
        entries(&fixture)
            .given(given.clone())
            .when_async(EntryCommand::RecordFollowUpMinutes {
                meeting,
                minutes: MINUTES.to_owned(),
                actor: member,
            })
            .await
            .then_expect_error(EntryError::UnknownMeeting { meeting });
    }
}

#[tokio::test]
async fn a_meetings_minutes_are_recorded_once() {
    let fixture = Fixture::new();
    let member = fixture.agent(Role::CommitteeMember);
    let recorded = EntryEvent::FollowUpMinutesRecorded {
        meeting: 1,
        minutes: fixture.seal(fixture.resident_subject, &text(MINUTES)).await,
        by: member.id,
        recorded_at: meeting_at() + Duration::hours(1),
    };
    let given = given(&fixture, vec![invited(&fixture, member).await, recorded]).await;
    fixture.clock.set(meeting_at() + Duration::days(1));
    entries(&fixture)
        .given(given)
        .when_async(EntryCommand::RecordFollowUpMinutes {
            meeting: 1,
            minutes: MINUTES.to_owned(),
            actor: member,
        })
        .await
        .then_expect_error(EntryError::MinutesAlreadyRecorded { meeting: 1 });
}

#[tokio::test]
async fn empty_minutes_are_refused() {
    let fixture = Fixture::new();
    let member = fixture.agent(Role::CommitteeMember);
    let given = given(&fixture, vec![invited(&fixture, member).await]).await;
    fixture.clock.set(meeting_at() + Duration::hours(1));
    entries(&fixture)
        .given(given)
        .when_async(EntryCommand::RecordFollowUpMinutes {
            meeting: 1,
            minutes: " ".to_owned(),
            actor: member,
        })
        .await
        .then_expect_error(EntryError::InvalidText {
            field: EntryField::Minutes,
            error: TextError::Empty,
        });
}
