//! Fixtures shared by the test files: services with a manual clock, the Tunisian calendar, a
//! deterministic cipher and fakes of the civil-society register and the draft by-laws;
//! actors; dates in Tunis; the usual entry.
// Each test binary uses a subset of the fixtures.
#![allow(dead_code)]

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use kernel::calendar::HolidayCalendar;
use kernel::organisation::LocalizedName;
use kernel::personal_data::{InMemoryKeyVault, PersonalDataCipher, Sealed, SubjectId};
use kernel::{
    Actor, ActorId, CivilSocietyOrganisationId, Clock, InMemoryDirectory, ManualClock,
    Organisation, OrganisationId, OrganisationKind, Role, Text, TextLimits,
};
use opinions::{
    AddressKind, Author, AuthorContact, AuthorDeclaration, DraftByLawId, DraftByLaws, EntryCommand,
    EntryEvent, EntryKind, EntryNumber, LookupError, OpinionsConfig, OpinionsServices,
    OrganisationStanding, PublishedDraft, ResidenceGround, Section, Standing,
};
use serde::Serialize;

/// The usual text of an entry.
pub(crate) const ENTRY_TEXT: &str = "L'éclairage public de la rue 5 est en panne depuis un mois.";

/// A local date.
pub(crate) fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap()
}

/// A local time in Tunis (UTC+1 all year), as UTC.
pub(crate) fn tunis(year: i32, month: u32, day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(year, month, day, hour, minute, 0)
        .unwrap()
        - chrono::Duration::hours(1)
}

/// Local midnight starting `day`, as UTC.
pub(crate) fn midnight(day: NaiveDate) -> DateTime<Utc> {
    HolidayCalendar::tunisia()
        .unwrap()
        .start_of_day(day)
        .unwrap()
}

/// A valid text under the crate's body limits.
pub(crate) fn text(raw: &str) -> Text {
    Text::new(raw, TextLimits::body(50_000)).unwrap()
}

/// A complete contact.
pub(crate) fn contact() -> AuthorContact {
    AuthorContact {
        name: Some("Amira Ben Salah".to_owned()),
        postal_address: Some("12 rue de Marseille, 1000 Tunis".to_owned()),
        email: Some("amira.bs@example.tn".to_owned()),
        phone: None,
    }
}

/// The civil-society register, faked: standings and representatives by organisation.
#[derive(Debug, Default)]
pub(crate) struct FakeCivilSociety {
    standings: Mutex<HashMap<CivilSocietyOrganisationId, Standing>>,
    representatives: Mutex<HashMap<CivilSocietyOrganisationId, ActorId>>,
    pub(crate) down: AtomicBool,
}

impl FakeCivilSociety {
    fn register(&self, organisation: CivilSocietyOrganisationId, standing: Standing, by: ActorId) {
        lock(&self.standings).insert(organisation, standing);
        lock(&self.representatives).insert(organisation, by);
    }

    fn answer<T>(&self, value: T) -> Result<T, LookupError> {
        if self.down.load(Ordering::SeqCst) {
            Err(LookupError(
                "civil-society read model unreachable".to_owned(),
            ))
        } else {
            Ok(value)
        }
    }
}

#[async_trait]
impl OrganisationStanding for FakeCivilSociety {
    async fn standing(
        &self,
        _local_authority: OrganisationId,
        organisation: CivilSocietyOrganisationId,
    ) -> Result<Standing, LookupError> {
        let standing = lock(&self.standings).get(&organisation).copied();
        self.answer(standing.unwrap_or(Standing::Unknown))
    }

    async fn represents(
        &self,
        organisation: CivilSocietyOrganisationId,
        actor: ActorId,
    ) -> Result<bool, LookupError> {
        let representative = lock(&self.representatives).get(&organisation).copied();
        self.answer(representative == Some(actor))
    }
}

/// The draft by-laws, faked.
#[derive(Debug, Default)]
pub(crate) struct FakeDrafts {
    drafts: Mutex<HashMap<DraftByLawId, PublishedDraft>>,
    pub(crate) down: AtomicBool,
}

#[async_trait]
impl DraftByLaws for FakeDrafts {
    async fn published_draft(
        &self,
        _local_authority: OrganisationId,
        draft: DraftByLawId,
    ) -> Result<Option<PublishedDraft>, LookupError> {
        if self.down.load(Ordering::SeqCst) {
            return Err(LookupError("draft by-laws unreachable".to_owned()));
        }
        Ok(lock(&self.drafts).get(&draft).copied())
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The deliberation date of [`Fixture::draft`]: Thursday 12 March 2026.
pub(crate) fn deliberation_date() -> NaiveDate {
    date(2026, 3, 12)
}

/// Everything a test needs. The clock starts on Monday 2 March 2026, 09:00 in Tunis.
#[derive(Debug)]
pub(crate) struct Fixture {
    pub(crate) clock: ManualClock,
    pub(crate) cipher: PersonalDataCipher,
    pub(crate) civil_society: Arc<FakeCivilSociety>,
    pub(crate) drafts: Arc<FakeDrafts>,
    pub(crate) config: OpinionsConfig,
    pub(crate) local_authority: OrganisationId,
    pub(crate) ministry: OrganisationId,
    pub(crate) resident: Actor,
    pub(crate) resident_subject: SubjectId,
    pub(crate) representative: Actor,
    pub(crate) representative_subject: SubjectId,
    pub(crate) active_organisation: CivilSocietyOrganisationId,
    pub(crate) suspended_organisation: CivilSocietyOrganisationId,
    pub(crate) struck_off_organisation: CivilSocietyOrganisationId,
    /// Published, deliberated on [`deliberation_date`].
    pub(crate) draft: DraftByLawId,
    /// Published, deliberation not scheduled yet.
    pub(crate) unscheduled_draft: DraftByLawId,
    directory: InMemoryDirectory,
}

impl Fixture {
    pub(crate) fn new() -> Self {
        let local_authority = OrganisationId::new_v7();
        let ministry = OrganisationId::new_v7();
        let directory = InMemoryDirectory::with([
            organisation(local_authority, OrganisationKind::LocalAuthority),
            organisation(ministry, OrganisationKind::Ministry),
        ]);
        let representative = Actor::citizen(ActorId::new_v7());
        let civil_society = Arc::new(FakeCivilSociety::default());
        let [
            active_organisation,
            suspended_organisation,
            struck_off_organisation,
        ] = [Standing::Active, Standing::Suspended, Standing::StruckOff].map(|standing| {
            let id = CivilSocietyOrganisationId::new_v7();
            civil_society.register(id, standing, representative.id);
            id
        });
        let drafts = Arc::new(FakeDrafts::default());
        let (draft, unscheduled_draft) = (DraftByLawId::new_v7(), DraftByLawId::new_v7());
        lock(&drafts.drafts).extend([
            (
                draft,
                PublishedDraft {
                    deliberation_on: Some(deliberation_date()),
                },
            ),
            (
                unscheduled_draft,
                PublishedDraft {
                    deliberation_on: None,
                },
            ),
        ]);
        Self {
            clock: ManualClock::at(tunis(2026, 3, 2, 9, 0)),
            cipher: PersonalDataCipher::deterministic_for_tests(Arc::new(InMemoryKeyVault::new())),
            civil_society,
            drafts,
            config: OpinionsConfig::default(),
            local_authority,
            ministry,
            resident: Actor::citizen(ActorId::new_v7()),
            resident_subject: SubjectId::new_v7(),
            representative,
            representative_subject: SubjectId::new_v7(),
            active_organisation,
            suspended_organisation,
            struck_off_organisation,
            draft,
            unscheduled_draft,
            directory,
        }
    }

    /// The services, with the fixture's configuration as it is now.
    pub(crate) fn services(&self) -> OpinionsServices {
        OpinionsServices {
            clock: Arc::new(self.clock.clone()),
            calendar: Arc::new(HolidayCalendar::tunisia().unwrap()),
            cipher: self.cipher.clone(),
            directory: Arc::new(self.directory.clone()),
            organisations: self.civil_society.clone(),
            drafts: self.drafts.clone(),
            config: self.config.clone(),
        }
    }

    pub(crate) fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// An agent acting as `role` for the fixture's local authority.
    pub(crate) fn agent(&self, role: Role) -> Actor {
        Actor::agent(ActorId::new_v7(), role, self.local_authority)
    }

    /// An agent acting as `role` for another organisation.
    pub(crate) fn foreign_agent(&self, role: Role) -> Actor {
        Actor::agent(ActorId::new_v7(), role, OrganisationId::new_v7())
    }

    /// `value` sealed as the aggregate seals it.
    pub(crate) async fn seal<T: Serialize>(&self, subject: SubjectId, value: &T) -> Sealed<T> {
        self.cipher.seal(subject, value).await.unwrap()
    }

    /// The resident as author, with `ground` and `contact`.
    pub(crate) fn resident_author(
        &self,
        ground: ResidenceGround,
        contact: AuthorContact,
    ) -> AuthorDeclaration {
        AuthorDeclaration::Resident {
            subject: self.resident_subject,
            ground,
            contact,
        }
    }

    /// The resident's filing of [`ENTRY_TEXT`] as entry 1, with [`contact`], to adjust.
    pub(crate) fn resident_filing(&self, section: Section, kind: EntryKind) -> Filing {
        Filing {
            local_authority: self.local_authority,
            number: EntryNumber::new(1).unwrap(),
            section,
            kind,
            author: self.resident_author(ResidenceGround::Lives, contact()),
            text: ENTRY_TEXT.to_owned(),
            actor: self.resident,
        }
    }

    /// [`Fixture::resident_filing`] as a command.
    pub(crate) fn resident_files(&self, section: Section, kind: EntryKind) -> EntryCommand {
        self.resident_filing(section, kind).command()
    }

    /// What [`Fixture::resident_files`] records now (outside section IV).
    pub(crate) async fn resident_filed(&self, section: Section, kind: EntryKind) -> EntryEvent {
        EntryEvent::EntryFiled {
            local_authority: self.local_authority,
            number: EntryNumber::new(1).unwrap(),
            section,
            deliberation_on: None,
            kind,
            author: Author::Resident {
                ground: ResidenceGround::Lives,
                contact: self.seal(self.resident_subject, &contact()).await,
            },
            addresses: vec![AddressKind::Postal, AddressKind::Email],
            text: self.seal(self.resident_subject, &text(ENTRY_TEXT)).await,
            by: self.resident.id,
            filed_at: self.now(),
        }
    }

    /// The usual entry, as given events: a resident's opinion in section I.
    pub(crate) async fn filed_opinion(&self) -> Vec<EntryEvent> {
        vec![
            self.resident_filed(Section::ServicesAndFacilities, EntryKind::Opinion)
                .await,
        ]
    }
}

/// The fields of a `FileEntry` command, to adjust one at a time.
#[derive(Clone, Debug)]
pub(crate) struct Filing {
    pub(crate) local_authority: OrganisationId,
    pub(crate) number: EntryNumber,
    pub(crate) section: Section,
    pub(crate) kind: EntryKind,
    pub(crate) author: AuthorDeclaration,
    pub(crate) text: String,
    pub(crate) actor: Actor,
}

impl Filing {
    pub(crate) fn command(self) -> EntryCommand {
        EntryCommand::FileEntry {
            local_authority: self.local_authority,
            number: self.number,
            section: self.section,
            kind: self.kind,
            author: self.author,
            text: self.text,
            actor: self.actor,
        }
    }
}

fn organisation(id: OrganisationId, kind: OrganisationKind) -> Organisation {
    Organisation {
        id,
        kind,
        name: LocalizedName {
            ar: "بلدية".to_owned(),
            fr: "Commune".to_owned(),
        },
        parent: None,
        governorate: None,
    }
}
