//! Filing an entry in the register: every section, every author, every refusal
//! (decree 2019-401 art. 2, 9-12).
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::atomic::Ordering;

use common::{ENTRY_TEXT, Filing, Fixture, contact, date, deliberation_date, tunis};
use cqrs_es::test::TestFramework;
use kernel::personal_data::EnvelopeError;
use kernel::{Role, TextError};
use opinions::{
    AddressKind, Author, AuthorContact, AuthorDeclaration, AuthorItem, EntryCommand, EntryError,
    EntryEvent, EntryField, EntryKind, EntryNumber, EntryStatus, FinanceTopic, LookupError,
    OpinionEntry, ResidenceGround, Section,
};

fn entries(fixture: &Fixture) -> TestFramework<OpinionEntry> {
    TestFramework::with(fixture.services())
}

/// The usual filing in section III with the author's contact replaced.
fn with_contact(fixture: &Fixture, contact: AuthorContact) -> EntryCommand {
    Filing {
        author: fixture.resident_author(ResidenceGround::Lives, contact),
        ..fixture.resident_filing(Section::Governance, EntryKind::Opinion)
    }
    .command()
}

/// An organisation's filing in section III, through the fixture's representative.
fn organisation_filing(
    fixture: &Fixture,
    organisation: kernel::CivilSocietyOrganisationId,
) -> Filing {
    Filing {
        local_authority: fixture.local_authority,
        number: EntryNumber::new(7).unwrap(),
        section: Section::Governance,
        kind: EntryKind::Question,
        author: AuthorDeclaration::Organisation {
            organisation,
            representative: fixture.representative_subject,
            contact: contact(),
        },
        text: ENTRY_TEXT.to_owned(),
        actor: fixture.representative,
    }
}

// decree 2019-401 art. 10-12: a resident files; the entry is numbered, dated, sealed.
#[tokio::test]
async fn a_resident_files_an_opinion_in_section_one() {
    let fixture = Fixture::new();
    let expected = fixture
        .resident_filed(Section::ServicesAndFacilities, EntryKind::Opinion)
        .await;
    entries(&fixture)
        .given_no_previous_events()
        .when_async(fixture.resident_files(Section::ServicesAndFacilities, EntryKind::Opinion))
        .await
        .then_expect_events(vec![expected]);
}

// decree 2019-401 art. 2: living, working or having an economic activity in the territory,
// as declared by the author.
#[tokio::test]
async fn each_ground_of_residence_is_recorded_as_declared() {
    let fixture = Fixture::new();
    for ground in [
        ResidenceGround::Lives,
        ResidenceGround::Works,
        ResidenceGround::EconomicActivity,
    ] {
        let command = Filing {
            author: fixture.resident_author(ground, contact()),
            ..fixture.resident_filing(Section::Governance, EntryKind::Question)
        }
        .command();
        let mut expected = fixture
            .resident_filed(Section::Governance, EntryKind::Question)
            .await;
        if let EntryEvent::EntryFiled { author, .. } = &mut expected {
            *author = Author::Resident {
                ground,
                contact: fixture.seal(fixture.resident_subject, &contact()).await,
            };
        }
        entries(&fixture)
            .given_no_previous_events()
            .when_async(command)
            .await
            .then_expect_events(vec![expected]);
    }
}

// decree 2019-401 art. 11: sections I, II, III and VI take opinions and questions, section V
// proposals.
#[tokio::test]
async fn every_section_takes_its_kinds() {
    let fixture = Fixture::new();
    let cases = [
        (Section::ServicesAndFacilities, EntryKind::Question),
        (Section::ProgrammesAndProjects, EntryKind::Opinion),
        (Section::ProgrammesAndProjects, EntryKind::Question),
        (Section::Governance, EntryKind::Opinion),
        (Section::Proposals, EntryKind::Proposal),
    ];
    for (section, kind) in cases {
        let expected = fixture.resident_filed(section, kind).await;
        entries(&fixture)
            .given_no_previous_events()
            .when_async(fixture.resident_files(section, kind))
            .await
            .then_expect_events(vec![expected]);
    }
}

// decree 2019-401 art. 11, section VI: fees, public property, revenue and expenditure.
#[tokio::test]
async fn section_six_entries_carry_their_public_finance_topic() {
    let fixture = Fixture::new();
    for topic in [
        FinanceTopic::LocalFees,
        FinanceTopic::PublicProperty,
        FinanceTopic::Revenue,
        FinanceTopic::Expenditure,
    ] {
        let section = Section::LocalFinances { topic };
        for kind in [EntryKind::Opinion, EntryKind::Question] {
            let expected = fixture.resident_filed(section, kind).await;
            entries(&fixture)
                .given_no_previous_events()
                .when_async(fixture.resident_files(section, kind))
                .await
                .then_expect_events(vec![expected]);
        }
    }
}

// decree 2019-401 art. 11: proposals belong to section V, and section V to proposals.
#[tokio::test]
async fn a_kind_outside_its_section_is_refused() {
    let fixture = Fixture::new();
    let cases = [
        (Section::ServicesAndFacilities, EntryKind::Proposal, 1),
        (
            Section::LocalFinances {
                topic: FinanceTopic::Revenue,
            },
            EntryKind::Proposal,
            6,
        ),
        (Section::Proposals, EntryKind::Opinion, 5),
        (Section::Proposals, EntryKind::Question, 5),
    ];
    for (section, kind, number) in cases {
        entries(&fixture)
            .given_no_previous_events()
            .when_async(fixture.resident_files(section, kind))
            .await
            .then_expect_error(EntryError::KindNotAcceptedInSection {
                section: number,
                kind,
            });
    }
}

// decree 2019-401 art. 11, section IV: an opinion on a published draft, before its
// deliberation (Wednesday 11 March 2026, the eve of the sitting).
#[tokio::test]
async fn section_four_is_open_until_the_eve_of_the_deliberation() {
    let fixture = Fixture::new();
    fixture.clock.set(tunis(2026, 3, 11, 23, 59));
    let section = Section::DraftByLaw {
        draft: fixture.draft,
    };
    let mut expected = fixture.resident_filed(section, EntryKind::Opinion).await;
    if let EntryEvent::EntryFiled {
        deliberation_on, ..
    } = &mut expected
    {
        *deliberation_on = Some(deliberation_date());
    }
    entries(&fixture)
        .given_no_previous_events()
        .when_async(fixture.resident_files(section, EntryKind::Opinion))
        .await
        .then_expect_events(vec![expected]);
}

// decree 2019-401 art. 11, section IV: a draft whose deliberation is not scheduled is open.
#[tokio::test]
async fn section_four_is_open_while_no_deliberation_is_scheduled() {
    let fixture = Fixture::new();
    let section = Section::DraftByLaw {
        draft: fixture.unscheduled_draft,
    };
    let expected = fixture.resident_filed(section, EntryKind::Question).await;
    entries(&fixture)
        .given_no_previous_events()
        .when_async(fixture.resident_files(section, EntryKind::Question))
        .await
        .then_expect_events(vec![expected]);
}

// decree 2019-401 art. 11, section IV: "before their submission to deliberation": refused on
// the day of the deliberation and after it.
#[tokio::test]
async fn section_four_is_closed_from_the_day_of_the_deliberation() {
    let fixture = Fixture::new();
    let section = Section::DraftByLaw {
        draft: fixture.draft,
    };
    for now in [tunis(2026, 3, 12, 0, 0), tunis(2026, 4, 20, 10, 0)] {
        fixture.clock.set(now);
        entries(&fixture)
            .given_no_previous_events()
            .when_async(fixture.resident_files(section, EntryKind::Opinion))
            .await
            .then_expect_error(EntryError::DraftByLawDeliberated {
                draft: fixture.draft,
                deliberation_on: date(2026, 3, 12),
            });
    }
}

// decree 2019-401 art. 11, section IV: drafts "published on its website and posted".
#[tokio::test]
async fn section_four_refuses_a_draft_the_local_authority_did_not_publish() {
    let fixture = Fixture::new();
    let draft = opinions::DraftByLawId::new_v7();
    entries(&fixture)
        .given_no_previous_events()
        .when_async(fixture.resident_files(Section::DraftByLaw { draft }, EntryKind::Opinion))
        .await
        .then_expect_error(EntryError::DraftByLawNotPublished { draft });
}

#[tokio::test]
async fn section_four_is_refused_while_the_drafts_cannot_be_looked_up() {
    let fixture = Fixture::new();
    fixture.drafts.down.store(true, Ordering::SeqCst);
    let section = Section::DraftByLaw {
        draft: fixture.draft,
    };
    entries(&fixture)
        .given_no_previous_events()
        .when_async(fixture.resident_files(section, EntryKind::Opinion))
        .await
        .then_expect_error(EntryError::DraftByLawsUnavailable(LookupError(
            "draft by-laws unreachable".to_owned(),
        )));
}

// decree 2019-401 art. 10: registered organisations file, through their representative.
#[tokio::test]
async fn a_registered_organisation_files_through_its_representative() {
    let fixture = Fixture::new();
    let expected = EntryEvent::EntryFiled {
        local_authority: fixture.local_authority,
        number: EntryNumber::new(7).unwrap(),
        section: Section::Governance,
        deliberation_on: None,
        kind: EntryKind::Question,
        author: Author::Organisation {
            organisation: fixture.active_organisation,
            contact: fixture
                .seal(fixture.representative_subject, &contact())
                .await,
        },
        addresses: vec![AddressKind::Postal, AddressKind::Email],
        text: fixture
            .seal(fixture.representative_subject, &common::text(ENTRY_TEXT))
            .await,
        by: fixture.representative.id,
        filed_at: fixture.now(),
    };
    entries(&fixture)
        .given_no_previous_events()
        .when_async(organisation_filing(&fixture, fixture.active_organisation).command())
        .await
        .then_expect_events(vec![expected]);
}

// decree 2019-401 art. 9-10: a suspended or struck-off organisation may not file, nor one
// outside the local authority's register.
#[tokio::test]
async fn an_organisation_not_in_good_standing_is_refused() {
    let fixture = Fixture::new();
    let cases = [
        (
            fixture.suspended_organisation,
            EntryError::OrganisationSuspended,
        ),
        (
            fixture.struck_off_organisation,
            EntryError::OrganisationStruckOff,
        ),
        (
            kernel::CivilSocietyOrganisationId::new_v7(),
            EntryError::OrganisationNotRegistered,
        ),
    ];
    for (organisation, error) in cases {
        entries(&fixture)
            .given_no_previous_events()
            .when_async(organisation_filing(&fixture, organisation).command())
            .await
            .then_expect_error(error);
    }
}

// decree 2019-401 art. 10: only the organisation speaks for itself.
#[tokio::test]
async fn a_citizen_who_does_not_represent_the_organisation_is_refused() {
    let fixture = Fixture::new();
    let command = Filing {
        actor: fixture.resident,
        ..organisation_filing(&fixture, fixture.active_organisation)
    }
    .command();
    entries(&fixture)
        .given_no_previous_events()
        .when_async(command)
        .await
        .then_expect_error(EntryError::NotTheOrganisationsRepresentative);
}

#[tokio::test]
async fn an_organisation_is_refused_while_the_civil_society_register_cannot_answer() {
    let fixture = Fixture::new();
    fixture.civil_society.down.store(true, Ordering::SeqCst);
    entries(&fixture)
        .given_no_previous_events()
        .when_async(organisation_filing(&fixture, fixture.active_organisation).command())
        .await
        .then_expect_error(EntryError::CivilSocietyRegisterUnavailable(LookupError(
            "civil-society read model unreachable".to_owned(),
        )));
}

// decree 2019-401 art. 10: entries are the residents' and organisations' own; agents and
// platform workers do not file.
#[tokio::test]
async fn only_a_citizen_files() {
    let fixture = Fixture::new();
    for actor in [
        fixture.agent(Role::RegisterBureauAgent),
        kernel::Actor::system(kernel::ActorId::new_v7()),
    ] {
        let command = Filing {
            actor,
            ..fixture.resident_filing(Section::Governance, EntryKind::Opinion)
        }
        .command();
        entries(&fixture)
            .given_no_previous_events()
            .when_async(command)
            .await
            .then_expect_error(EntryError::NotACitizen);
    }
}

// decree 2019-401 art. 10: the register is a local authority's.
#[tokio::test]
async fn a_register_belongs_to_a_local_authority() {
    let fixture = Fixture::new();
    let command = Filing {
        local_authority: fixture.ministry,
        ..fixture.resident_filing(Section::Governance, EntryKind::Opinion)
    }
    .command();
    entries(&fixture)
        .given_no_previous_events()
        .when_async(command)
        .await
        .then_expect_error(EntryError::NotALocalAuthority(fixture.ministry));
}

// decree 2019-401 art. 12 (list missing; domain notes assumption): every missing item is
// named at once.
#[tokio::test]
async fn an_incomplete_entry_is_refused_naming_every_missing_item() {
    let fixture = Fixture::new();
    let blank = AuthorContact {
        name: Some("   ".to_owned()),
        postal_address: None,
        email: Some(String::new()),
        phone: Some("71 000 000".to_owned()),
    };
    entries(&fixture)
        .given_no_previous_events()
        .when_async(with_contact(&fixture, blank))
        .await
        .then_expect_error(EntryError::MandatoryDataMissing {
            missing: vec![
                AuthorItem::Name,
                AuthorItem::PostalAddress,
                AuthorItem::Email,
            ],
        });
}

// decree 2019-401 art. 12: the list is configuration; here the telephone becomes mandatory
// and the postal address optional.
#[tokio::test]
async fn the_mandatory_author_data_follow_the_configuration() {
    let mut fixture = Fixture::new();
    fixture.config.requirements.author_items =
        vec![AuthorItem::Name, AuthorItem::Email, AuthorItem::Phone];
    entries(&fixture)
        .given_no_previous_events()
        .when_async(with_contact(&fixture, contact()))
        .await
        .then_expect_error(EntryError::MandatoryDataMissing {
            missing: vec![AuthorItem::Phone],
        });

    let by_email_and_phone = AuthorContact {
        postal_address: None,
        phone: Some(" +216 71 000 000 ".to_owned()),
        ..contact()
    };
    let recorded = AuthorContact {
        phone: Some("+216 71 000 000".to_owned()),
        ..by_email_and_phone.clone()
    };
    let mut expected = fixture
        .resident_filed(Section::Governance, EntryKind::Opinion)
        .await;
    if let EntryEvent::EntryFiled {
        author, addresses, ..
    } = &mut expected
    {
        *author = Author::Resident {
            ground: ResidenceGround::Lives,
            contact: fixture.seal(fixture.resident_subject, &recorded).await,
        };
        *addresses = vec![AddressKind::Email];
    }
    entries(&fixture)
        .given_no_previous_events()
        .when_async(with_contact(&fixture, by_email_and_phone))
        .await
        .then_expect_events(vec![expected]);
}

// decree 2019-401 art. 13: correspondence goes to the e-mail address in the register, which
// must be one.
#[tokio::test]
async fn a_malformed_email_or_phone_is_refused() {
    let fixture = Fixture::new();
    let cases = [
        (
            AuthorContact {
                email: Some("amira.bs@example".to_owned()),
                ..contact()
            },
            EntryError::InvalidEmail,
        ),
        (
            AuthorContact {
                phone: Some("71 000".to_owned()),
                ..contact()
            },
            EntryError::InvalidPhone,
        ),
        (
            AuthorContact {
                phone: Some("appelez-moi".to_owned()),
                ..contact()
            },
            EntryError::InvalidPhone,
        ),
    ];
    for (contact, error) in cases {
        entries(&fixture)
            .given_no_previous_events()
            .when_async(with_contact(&fixture, contact))
            .await
            .then_expect_error(error);
    }
}

#[tokio::test]
async fn texts_breaking_the_text_rules_are_refused_with_their_field() {
    let fixture = Fixture::new();
    let empty_text = Filing {
        text: " \n ".to_owned(),
        ..fixture.resident_filing(Section::Governance, EntryKind::Opinion)
    }
    .command();
    entries(&fixture)
        .given_no_previous_events()
        .when_async(empty_text)
        .await
        .then_expect_error(EntryError::InvalidText {
            field: EntryField::Text,
            error: TextError::Empty,
        });

    let two_line_name = AuthorContact {
        name: Some("Amira\nBen Salah".to_owned()),
        ..contact()
    };
    entries(&fixture)
        .given_no_previous_events()
        .when_async(with_contact(&fixture, two_line_name))
        .await
        .then_expect_error(EntryError::InvalidText {
            field: EntryField::Author(AuthorItem::Name),
            error: TextError::LineBreak { position: 6 },
        });
}

#[tokio::test]
async fn an_entry_longer_than_configured_is_refused() {
    let mut fixture = Fixture::new();
    fixture.config.entry_text = kernel::TextLimits::body(20);
    entries(&fixture)
        .given_no_previous_events()
        .when_async(fixture.resident_files(Section::Governance, EntryKind::Opinion))
        .await
        .then_expect_error(EntryError::InvalidText {
            field: EntryField::Text,
            error: TextError::TooLong {
                max: 20,
                actual: ENTRY_TEXT.chars().count(),
            },
        });
}

#[tokio::test]
async fn an_entry_is_filed_once() {
    let fixture = Fixture::new();
    entries(&fixture)
        .given(fixture.filed_opinion().await)
        .when_async(fixture.resident_files(Section::Governance, EntryKind::Opinion))
        .await
        .then_expect_error(EntryError::AlreadyFiled {
            status: EntryStatus::AwaitingAnswer,
        });
}

// organic law 2004-63: nothing new is recorded about a person whose data was erased.
#[tokio::test]
async fn an_erased_author_cannot_file() {
    let fixture = Fixture::new();
    fixture
        .cipher
        .vault()
        .erase(fixture.resident_subject)
        .await
        .unwrap();
    entries(&fixture)
        .given_no_previous_events()
        .when_async(fixture.resident_files(Section::Governance, EntryKind::Opinion))
        .await
        .then_expect_error(EntryError::PersonalData(EnvelopeError::SubjectErased(
            fixture.resident_subject,
        )));
}

#[tokio::test]
async fn the_filed_event_holds_no_personal_data_in_clear() {
    let fixture = Fixture::new();
    let event = fixture
        .resident_filed(Section::ServicesAndFacilities, EntryKind::Opinion)
        .await;
    let json = serde_json::to_string(&event).unwrap();
    for secret in ["Amira", "Marseille", "example.tn", "éclairage"] {
        assert!(!json.contains(secret), "{secret} in {json}");
    }
    assert_eq!(cqrs_es::DomainEvent::event_type(&event), "EntryFiled");
    assert_eq!(cqrs_es::DomainEvent::event_version(&event), "1");
    let replayed: EntryEvent = serde_json::from_str(&json).unwrap();
    assert_eq!(replayed, event);
}
