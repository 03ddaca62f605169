//! Test harness of the local registers' read models: a store on each backend, the services of
//! both domains over it (the civil-society register index and the organisations' standing
//! being the read model under test), the people of the story, a manual clock, and the
//! scripted 2026 history every test checks by hand.
//!
//! The history (local times in Tunis, 10:00 unless said otherwise):
//!
//! | date | act |
//! |---|---|
//! | Mon 5 Jan | La Marsa and Sidi Bou Saïd open their civil-society registers |
//! | Tue 6 Jan | La Marsa's bureau is appointed |
//! | Mon 12 Jan | sessions S1 (Mon 16 Mar) and S2 (Mon 15 Jun) scheduled; A registered |
//! | Tue 13 Jan | F registered at Sidi Bou Saïd, with A's national register number |
//! | Wed 14 Jan | B imported from the paper register (dated 15 Mar 2018), incomplete |
//! | Thu 15 Jan, Fri 16 Jan | C, D registered |
//! | Mon 19 Jan | a registration with A's number is refused as a duplicate |
//! | Tue 3 Feb | B updated (register number added); entry #1 (section I, opinion) |
//! | Wed 4 Feb | #2 (VI, question) |
//! | Thu 5 Feb | #3 (V, proposal) by organisation A |
//! | Mon 9 Feb | #1 answered (6 days); #4 (IV, opinion) |
//! | 10-27 Feb | on #3: consultation, proposal (answer), letter, meeting invitation (for Thu 26 Feb), minutes |
//! | Thu 19 Feb, Mon 23 Feb | #2 answered (15 days), and again |
//! | Mon 2 Mar | the council finds C's and D's situations irregular |
//! | Tue 3 Mar | formal notices to C and D |
//! | Thu 5 Mar | D's notice received: the month ends Sun 5 Apr, rolled to Mon 6 Apr |
//! | Mon 9 Mar | C's notice received: the month ends Thu 9 Apr, Martyrs' Day, rolled to Fri 10 Apr |
//! | Wed 11 Mar | the committee files S1's report |
//! | Fri 13 Mar | #4 answered (32 days) |
//! | Mon 16 Mar | the council meets (S1): summary due by Mon 23 Mar (Sat 21 Mar rolled) |
//! | Tue 17 Mar | #5 (II, question); answered Thu 19 Mar (2 days) |
//! | Mon 23 Mar | D regularised within its month |
//! | Tue 24 Mar | S1's summary posted, late; on display until Wed 8 Apr |
//! | Wed 1 Apr | #6 (III, opinion); consulted Thu 2 Apr; answered Mon 6 Apr (5 days) |
//! | Fri 10 Apr | S1's summary taken down |
//! | Mon 13 Apr | C convened to a hearing on Mon 20 Apr |
//! | Tue 14 Apr | #3 answered |
//! | Mon 20 Apr | C's hearing held |
//! | Mon 27 Apr | C suspended — mark `after_suspension` |
//! | Tue 28 Apr | C's representative's filing refused (suspended) |
//! | Mon 4 May | #7 (V, proposal) by A; D withdraws |
//! | Tue 5 May | #8 (I, question); answered Fri 15 May (10 days) |
//! | Wed 6 May, Thu 7 May | on #7: consultation, proposal (request for explanations) |
//! | Mon 11 May | C struck off |
//! | Mon 1 Jun | S2 moved to Mon 22 Jun |
//! | Wed 17 Jun | the committee files S2's report |
//! | Mon 22 Jun, 12:00 | the council meets (S2): summary due by Mon 29 Jun (Sat 27 Jun rolled) |
// Each test binary uses a subset of the harness.
#![allow(dead_code, unreachable_pub, clippy::unwrap_used)]

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use civil_society::{
    AppointmentOrder, Attachment, BureauMember, CivilSocietyConfig, CivilSocietyRegister,
    CivilSocietyServices, CouncilDecision, Document, DocumentKind, Eligibility, EntryData,
    IrregularSituation, OrganisationCommand, PaperEntry, RegisterCommand, RegisteredOrganisation,
    RegistrationRequest, RegistrationRequirements, Representative, RequestChannel,
};
use cqrs_es::{Aggregate, AggregateError};
use event_store::{Cursor, ProjectionRunner, RunnerSettings, Store, StoreConfig};
use kernel::calendar::HolidayCalendar;
use kernel::organisation::LocalizedName;
use kernel::personal_data::{InMemoryKeyVault, PersonalDataCipher, SubjectId};
use kernel::{
    AccessChannel, Actor, ActorId, CivilSocietyOrganisationId, Clock, EventMetadata,
    InMemoryDirectory, ManualClock, Organisation, OrganisationId, OrganisationKind, Role,
};
use opinions::{
    AuthorContact, AuthorDeclaration, CouncilReporting, CouncilSessionId, DraftByLawId,
    DraftByLaws, EntryCommand, EntryId, EntryKind, EntryNumber, FinanceTopic, LookupError,
    OpinionEntry, OpinionsConfig, OpinionsServices, OrganisationStanding, ProposalKind,
    PublishedDraft, ReportingCommand, ResidenceGround, Section, Standing,
};
use projections::local_democracy::{
    CIVIL_SOCIETY_REGISTER, COUNCIL_REPORTING, OPINIONS_REGISTER, RegisterLookup, projections,
};

/// A local date.
pub fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap()
}

/// A local time in Tunis (UTC+1 all year), as UTC.
pub fn tunis(year: i32, month: u32, day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(year, month, day, hour, 0, 0).unwrap() - chrono::Duration::hours(1)
}

/// Local midnight starting `day`, as UTC: where day deadlines expire.
pub fn midnight(day: NaiveDate) -> DateTime<Utc> {
    HolidayCalendar::tunisia()
        .unwrap()
        .start_of_day(day)
        .unwrap()
}

/// Texts that are personal data in the history (names, addresses, e-mails, phones) or sealed
/// free texts: none may appear in clear in a read model or a report.
pub const PERSONAL: &[&str] = &[
    "Amira",
    "Ben Salah",
    "amis-parc-marsa.tn",
    "71 000 000",
    "Ibn Khaldoun",
    "Sami",
    "Haddad",
    "98 765 432",
    "rue de Carthage",
    "Leila",
    "Mansour",
    "impasse des Jasmins",
    "Karim",
    "Trabelsi",
    "Salma",
    "Gharbi",
    "Youssef",
    "Hichem",
    "Jaziri",
    "Nadia",
    "Ferchichi",
    "example.tn",
    "trottoirs",
    "barème",
    "aire de jeux",
    "Nous avons transmis",
];

/// The public summaries filed by the committee (public texts).
pub const S1_SUMMARY: &str = "Premier trimestre 2026 : 4 entrées consignées, 3 réponses.";
pub const S2_SUMMARY: &str = "Deuxième trimestre 2026 : 4 entrées consignées, 3 réponses.";

/// The organisations' names.
pub const NAME_A: &str = "Association des Amis du Parc de la Marsa";
pub const NAME_B: &str = "Club Culturel Ali Belhouane";
pub const NAME_C: &str = "Jeunesse Sportive de la Marsa";
pub const NAME_D: &str = "Réseau Marsa Solidaire";
pub const NAME_F: &str = "Association Patrimoine de Sidi Bou Saïd";

/// Identifiers and people of the story.
#[derive(Debug)]
pub struct Cast {
    /// La Marsa.
    pub la: OrganisationId,
    /// Sidi Bou Saïd.
    pub sbs: OrganisationId,
    pub admin: Actor,
    pub sbs_admin: Actor,
    pub bureau: Actor,
    pub bureau_head: Actor,
    pub sbs_bureau: Actor,
    pub secretary: Actor,
    pub committee: Actor,
    pub signatory: Actor,
    /// Organisations A to D (La Marsa), F (Sidi Bou Saïd), G (the refused duplicate).
    pub a: CivilSocietyOrganisationId,
    pub b: CivilSocietyOrganisationId,
    pub c: CivilSocietyOrganisationId,
    pub d: CivilSocietyOrganisationId,
    pub f: CivilSocietyOrganisationId,
    pub g: CivilSocietyOrganisationId,
    /// Residents and representatives (citizen accounts) and their data subjects.
    pub sami: Actor,
    pub sami_subject: SubjectId,
    pub leila: Actor,
    pub leila_subject: SubjectId,
    pub amira: Actor,
    pub amira_subject: SubjectId,
    pub karim: Actor,
    pub karim_subject: SubjectId,
    pub salma_subject: SubjectId,
    pub youssef_subject: SubjectId,
    /// Entries #1 to #8, by number.
    pub entries: Vec<EntryId>,
    pub s1: CouncilSessionId,
    pub s2: CouncilSessionId,
    pub draft: DraftByLawId,
}

impl Cast {
    fn new() -> Self {
        let la = OrganisationId::new_v7();
        let sbs = OrganisationId::new_v7();
        let agent = |role, organisation| Actor::agent(ActorId::new_v7(), role, organisation);
        Self {
            la,
            sbs,
            admin: agent(Role::PlatformAdmin, la),
            sbs_admin: agent(Role::PlatformAdmin, sbs),
            bureau: agent(Role::RegisterBureauAgent, la),
            bureau_head: agent(Role::RegisterBureauHead, la),
            sbs_bureau: agent(Role::RegisterBureauAgent, sbs),
            secretary: agent(Role::CouncilSecretary, la),
            committee: agent(Role::CommitteeMember, la),
            signatory: agent(Role::Signatory, la),
            a: CivilSocietyOrganisationId::new_v7(),
            b: CivilSocietyOrganisationId::new_v7(),
            c: CivilSocietyOrganisationId::new_v7(),
            d: CivilSocietyOrganisationId::new_v7(),
            f: CivilSocietyOrganisationId::new_v7(),
            g: CivilSocietyOrganisationId::new_v7(),
            sami: Actor::citizen(ActorId::new_v7()),
            sami_subject: SubjectId::new_v7(),
            leila: Actor::citizen(ActorId::new_v7()),
            leila_subject: SubjectId::new_v7(),
            amira: Actor::citizen(ActorId::new_v7()),
            amira_subject: SubjectId::new_v7(),
            karim: Actor::citizen(ActorId::new_v7()),
            karim_subject: SubjectId::new_v7(),
            salma_subject: SubjectId::new_v7(),
            youssef_subject: SubjectId::new_v7(),
            entries: (0..8).map(|_| EntryId::new_v7()).collect(),
            s1: CouncilSessionId::new_v7(),
            s2: CouncilSessionId::new_v7(),
            draft: DraftByLawId::new_v7(),
        }
    }

    /// Entry number `n` (from 1).
    pub fn entry(&self, n: usize) -> EntryId {
        self.entries[n - 1]
    }
}

/// The organisations' standing from the read model under test; who represents them from a
/// list, since the register cannot tell (see `projections::local_democracy::lookups`).
#[derive(Debug)]
pub struct Representatives {
    pub lookup: RegisterLookup,
    accounts: Mutex<HashMap<CivilSocietyOrganisationId, ActorId>>,
}

#[async_trait]
impl OrganisationStanding for Representatives {
    async fn standing(
        &self,
        local_authority: OrganisationId,
        organisation: CivilSocietyOrganisationId,
    ) -> Result<Standing, LookupError> {
        self.lookup.standing(local_authority, organisation).await
    }

    async fn represents(
        &self,
        organisation: CivilSocietyOrganisationId,
        actor: ActorId,
    ) -> Result<bool, LookupError> {
        let accounts = self.accounts.lock().unwrap_or_else(PoisonError::into_inner);
        Ok(accounts.get(&organisation) == Some(&actor))
    }
}

/// One published draft by-law, deliberated on Thu 12 March 2026.
#[derive(Debug)]
struct Drafts {
    draft: DraftByLawId,
}

#[async_trait]
impl DraftByLaws for Drafts {
    async fn published_draft(
        &self,
        _local_authority: OrganisationId,
        draft: DraftByLawId,
    ) -> Result<Option<PublishedDraft>, LookupError> {
        Ok((draft == self.draft).then_some(PublishedDraft {
            deliberation_on: Some(date(2026, 3, 12)),
        }))
    }
}

/// A store, both domains' services over it, the projection runner and the cast.
pub struct World {
    pub store: Store,
    pub clock: ManualClock,
    pub cipher: PersonalDataCipher,
    pub calendar: Arc<HolidayCalendar>,
    pub civil: CivilSocietyServices,
    pub opinions: OpinionsServices,
    pub runner: ProjectionRunner,
    pub lookup: RegisterLookup,
    pub cast: Cast,
    /// Events appended so far (every command of the story appends one).
    appended: AtomicUsize,
    _dir: Option<tempfile::TempDir>,
}

impl std::fmt::Debug for World {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("World")
            .field("store", &self.store.kind())
            .finish()
    }
}

/// Projections to catch up after each command.
pub const NAMES: [&str; 3] = [CIVIL_SOCIETY_REGISTER, OPINIONS_REGISTER, COUNCIL_REPORTING];

fn local_authority(id: OrganisationId, fr: &str, ar: &str) -> Organisation {
    Organisation {
        id,
        kind: OrganisationKind::LocalAuthority,
        name: LocalizedName {
            ar: ar.to_owned(),
            fr: fr.to_owned(),
        },
        parent: None,
        governorate: None,
    }
}

/// A store on a fresh SQLite file (kept alive by the returned folder).
pub async fn sqlite_store() -> (Store, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let config = StoreConfig {
        url: format!("sqlite://{}/store.db", dir.path().display()),
        ..StoreConfig::default()
    };
    (Store::connect(&config).await.unwrap(), dir)
}

impl World {
    /// On a fresh SQLite file.
    pub async fn sqlite() -> Self {
        let (store, dir) = sqlite_store().await;
        Self::on(store, Some(dir))
    }

    /// On a fresh PostgreSQL database.
    pub async fn postgres() -> Self {
        let config = StoreConfig {
            url: test_support::fresh_postgres_database().await,
            max_connections: 10,
            ..StoreConfig::default()
        };
        Self::on(Store::connect(&config).await.unwrap(), None)
    }

    fn on(store: Store, dir: Option<tempfile::TempDir>) -> Self {
        let cast = Cast::new();
        let calendar = Arc::new(HolidayCalendar::tunisia().unwrap());
        let clock = ManualClock::at(tunis(2026, 1, 5, 10));
        let cipher = PersonalDataCipher::deterministic_for_tests(Arc::new(InMemoryKeyVault::new()));
        let directory = Arc::new(InMemoryDirectory::with([
            local_authority(cast.la, "Commune de La Marsa", "بلدية المرسى"),
            local_authority(cast.sbs, "Commune de Sidi Bou Saïd", "بلدية سيدي بوسعيد"),
        ]));
        let lookup = RegisterLookup::new(store.any_pool().clone());
        let representatives = Arc::new(Representatives {
            lookup: lookup.clone(),
            accounts: Mutex::new(HashMap::from([
                (cast.a, cast.amira.id),
                (cast.c, cast.karim.id),
            ])),
        });
        let civil = CivilSocietyServices {
            clock: Arc::new(clock.clone()),
            calendar: calendar.clone(),
            cipher: cipher.clone(),
            directory: directory.clone(),
            index: Arc::new(lookup.clone()),
            config: CivilSocietyConfig::default(),
        };
        let opinions = OpinionsServices {
            clock: Arc::new(clock.clone()),
            calendar: calendar.clone(),
            cipher: cipher.clone(),
            directory,
            organisations: representatives,
            drafts: Arc::new(Drafts { draft: cast.draft }),
            config: OpinionsConfig::default(),
        };
        let runner =
            ProjectionRunner::new(store.clone(), RunnerSettings::default(), projections()).unwrap();
        Self {
            store,
            clock,
            cipher,
            calendar,
            civil,
            opinions,
            runner,
            lookup,
            cast,
            appended: AtomicUsize::new(0),
            _dir: dir,
        }
    }

    /// Moves "now" to `hour`:00 in Tunis on that day.
    pub fn at(&self, year: i32, month: u32, day: u32, hour: u32) {
        self.clock.set(tunis(year, month, day, hour));
    }

    /// How many events the story appended.
    pub fn appended(&self) -> usize {
        self.appended.load(Ordering::SeqCst)
    }

    /// Runs `command` on aggregate `A` with `services`, with the metadata the gateway writes
    /// (the actor's grant, the recorded time), then brings every read model up to date.
    pub async fn act<A>(
        &self,
        services: A::Services,
        id: impl ToString,
        command: A::Command,
        actor: &Actor,
    ) -> Result<(), AggregateError<A::Error>>
    where
        A: Aggregate + Send + Sync,
    {
        self.execute::<A>(services, id, command, actor).await?;
        self.sync().await;
        Ok(())
    }

    /// As [`act`](Self::act), leaving the read models behind (to reproduce their lag).
    pub async fn execute<A>(
        &self,
        services: A::Services,
        id: impl ToString,
        command: A::Command,
        actor: &Actor,
    ) -> Result<(), AggregateError<A::Error>>
    where
        A: Aggregate + Send + Sync,
    {
        let metadata = EventMetadata::new(actor, AccessChannel::Web, self.clock.now()).to_map();
        self.store
            .cqrs::<A>(vec![], services)
            .execute_with_metadata(&id.to_string(), command, metadata)
            .await?;
        self.appended.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }

    /// A command of the civil-society register.
    pub async fn register_cmd(&self, la: OrganisationId, command: RegisterCommand, actor: &Actor) {
        self.act::<CivilSocietyRegister>(self.civil.clone(), la, command, actor)
            .await
            .unwrap();
    }

    /// A command on an entry of the civil-society register.
    pub async fn organisation(
        &self,
        id: CivilSocietyOrganisationId,
        command: OrganisationCommand,
        actor: &Actor,
    ) -> Result<(), AggregateError<civil_society::OrganisationError>> {
        self.act::<RegisteredOrganisation>(self.civil.clone(), id, command, actor)
            .await
    }

    /// A command on an entry of the register of opinions.
    pub async fn entry(
        &self,
        id: EntryId,
        command: EntryCommand,
        actor: &Actor,
    ) -> Result<(), AggregateError<opinions::EntryError>> {
        self.act::<OpinionEntry>(self.opinions.clone(), id, command, actor)
            .await
    }

    /// A command on La Marsa's council reporting.
    pub async fn reporting(&self, command: ReportingCommand, actor: &Actor) {
        self.act::<CouncilReporting>(self.opinions.clone(), self.cast.la, command, actor)
            .await
            .unwrap();
    }

    /// Catches every projection up until it applied every appended event (on PostgreSQL an
    /// event is readable once every older transaction of the cluster ended: poll).
    pub async fn sync(&self) {
        let expected = i64::try_from(self.appended()).unwrap();
        for name in NAMES {
            let deadline = Instant::now() + Duration::from_secs(30);
            loop {
                self.runner.catch_up(name).await.unwrap();
                let status = self.runner.statuses();
                let applied = status
                    .iter()
                    .find(|s| s.name == name)
                    .unwrap()
                    .events_applied;
                if applied >= expected {
                    break;
                }
                assert!(
                    Instant::now() < deadline,
                    "{name} stuck at {applied}/{expected}"
                );
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }
    }

    /// The cursor of the last event of the story so far.
    pub async fn head(&self) -> Cursor {
        self.sync().await;
        self.store.log().head().await.unwrap()
    }
}

/// Every event of the story, in log order (waiting until all are readable).
pub async fn events(world: &World) -> Vec<event_store::RecordedEvent> {
    world.sync().await;
    let events = world
        .store
        .log()
        .read(Cursor::START, None, 10_000)
        .await
        .unwrap();
    assert_eq!(events.len(), world.appended());
    events
}

// ------------------------------------------------------------------------------ the story

pub fn eligible() -> Eligibility {
    Eligibility {
        national: true,
        active_in_territory: true,
        members_among_residents: true,
    }
}

pub fn statutes(name: &str) -> Document {
    Document {
        kind: DocumentKind::Statutes,
        file: Attachment {
            content_hash: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
                .to_owned(),
            media_type: "application/pdf".to_owned(),
            file_name: name.to_owned(),
        },
    }
}

/// A complete entry (default requirements), with its representative's subject, name, e-mail
/// and phone.
pub fn complete(
    name: &str,
    number: &str,
    fields: &[&str],
    representative: (SubjectId, &str, &str, &str),
) -> EntryData {
    let (subject, full_name, email, phone) = representative;
    EntryData {
        name: name.to_owned(),
        legal_form: Some("Association".to_owned()),
        national_register_number: Some(number.to_owned()),
        legal_publication_reference: Some("JORT, annonce 2019A01234".to_owned()),
        registered_office: Some("Avenue Habib Bourguiba, 2070 La Marsa".to_owned()),
        representative: Some(Representative {
            subject,
            full_name: full_name.to_owned(),
            email: Some(email.to_owned()),
            phone: Some(phone.to_owned()),
        }),
        fields_of_activity: fields.iter().map(|&f| f.to_owned()).collect(),
        documents: vec![statutes("statuts.pdf")],
    }
}

/// A's data as registered.
pub fn entry_a(cast: &Cast) -> EntryData {
    complete(
        NAME_A,
        "1523467 b",
        &["Environnement", "Culture"],
        (
            cast.amira_subject,
            "Amira Ben Salah",
            "contact@amis-parc-marsa.tn",
            "+216 71 000 000",
        ),
    )
}

/// B's data as the paper register has it.
pub fn entry_b(number: Option<&str>) -> EntryData {
    EntryData {
        name: NAME_B.to_owned(),
        legal_form: Some("Association".to_owned()),
        national_register_number: number.map(str::to_owned),
        legal_publication_reference: Some("JORT 1988 n° 52".to_owned()),
        registered_office: Some("Avenue Taïeb Mhiri, 2070 La Marsa".to_owned()),
        representative: None,
        fields_of_activity: vec!["Culture".to_owned(), "Jeunesse".to_owned()],
        documents: Vec::new(),
    }
}

/// The bureau's registration of `organisation` in `la`'s register on a request.
#[allow(clippy::too_many_arguments)]
pub fn register(
    organisation: CivilSocietyOrganisationId,
    la: OrganisationId,
    channel: RequestChannel,
    reference: &str,
    received_on: NaiveDate,
    entry: EntryData,
    actor: &Actor,
) -> OrganisationCommand {
    OrganisationCommand::Register {
        actor: *actor,
        organisation,
        local_authority: la,
        request: RegistrationRequest {
            channel,
            reference: reference.to_owned(),
            received_on,
            eligibility: eligible(),
            entry,
        },
    }
}

fn decision(reference: &str, decided_on: NaiveDate) -> CouncilDecision {
    CouncilDecision {
        reference: reference.to_owned(),
        decided_on,
    }
}

fn contact(name: &str, postal: &str, email: &str, phone: Option<&str>) -> AuthorContact {
    AuthorContact {
        name: Some(name.to_owned()),
        postal_address: Some(postal.to_owned()),
        email: Some(email.to_owned()),
        phone: phone.map(str::to_owned),
    }
}

/// Sami's contact, as filed.
pub fn sami_contact() -> AuthorContact {
    contact(
        "Sami Haddad",
        "14 rue de Carthage, 2070 La Marsa",
        "sami.haddad@example.tn",
        Some("+216 98 765 432"),
    )
}

fn leila_contact() -> AuthorContact {
    contact(
        "Leila Mansour",
        "3 impasse des Jasmins, 2070 La Marsa",
        "leila.mansour@example.tn",
        None,
    )
}

/// Amira's contact, writing for A.
pub fn amira_contact() -> AuthorContact {
    contact(
        "Amira Ben Salah",
        "7 rue Ibn Khaldoun, 2070 La Marsa",
        "amira@amis-parc-marsa.tn",
        None,
    )
}

fn resident(
    subject: SubjectId,
    ground: ResidenceGround,
    contact: AuthorContact,
) -> AuthorDeclaration {
    AuthorDeclaration::Resident {
        subject,
        ground,
        contact,
    }
}

fn filing(
    world: &World,
    number: u32,
    section: Section,
    kind: EntryKind,
    author: AuthorDeclaration,
    text: &str,
    actor: &Actor,
) -> (EntryId, EntryCommand, Actor) {
    (
        world.cast.entry(number as usize),
        EntryCommand::FileEntry {
            local_authority: world.cast.la,
            number: EntryNumber::new(number).unwrap(),
            section,
            kind,
            author,
            text: text.to_owned(),
            actor: *actor,
        },
        *actor,
    )
}

impl World {
    async fn file(&self, filing: (EntryId, EntryCommand, Actor)) {
        let (id, command, actor) = filing;
        self.entry(id, command, &actor).await.unwrap();
    }

    async fn answer(&self, number: usize, text: &str, actor: &Actor) {
        let command = EntryCommand::AnswerEntry {
            text: text.to_owned(),
            actor: *actor,
        };
        self.entry(self.cast.entry(number), command, actor)
            .await
            .unwrap();
    }

    async fn committee(&self, number: usize, command: EntryCommand) {
        let actor = self.cast.committee;
        self.entry(self.cast.entry(number), command, &actor)
            .await
            .unwrap();
    }

    async fn bureau_acts(&self, id: CivilSocietyOrganisationId, command: OrganisationCommand) {
        let bureau = self.cast.bureau;
        self.organisation(id, command, &bureau).await.unwrap();
    }
}

/// Cursors marked in the story.
#[derive(Clone, Copy, Debug)]
pub struct Marks {
    /// Right after C's suspension (Mon 27 Apr), before D's withdrawal and C's striking off.
    pub after_suspension: Cursor,
}

/// Runs the whole story (see the module documentation).
pub async fn story(world: &World) -> Marks {
    let cast = &world.cast;
    let (bureau, secretary, committee) = (cast.bureau, cast.secretary, cast.committee);

    // ---- January: registers, bureau, sessions, entries of the civil-society register.
    world.at(2026, 1, 5, 10);
    for (la, admin) in [(cast.la, cast.admin), (cast.sbs, cast.sbs_admin)] {
        let open = RegisterCommand::OpenRegister {
            actor: admin,
            local_authority: la,
            opened_on: date(2026, 1, 5),
            requirements: RegistrationRequirements::default(),
        };
        world.register_cmd(la, open, &admin).await;
    }
    world.at(2026, 1, 6, 10);
    let appoint = RegisterCommand::AppointBureau {
        actor: cast.admin,
        order: AppointmentOrder {
            reference: "Arrêté n° 2026-003".to_owned(),
            signed_on: date(2026, 1, 5),
            published_on: date(2026, 1, 6),
        },
        head: BureauMember {
            agent: cast.bureau_head.id,
            subject: SubjectId::new_v7(),
            full_name: "Hichem Jaziri".to_owned(),
        },
        deputy: BureauMember {
            agent: ActorId::new_v7(),
            subject: SubjectId::new_v7(),
            full_name: "Nadia Ferchichi".to_owned(),
        },
    };
    world.register_cmd(cast.la, appoint, &cast.admin).await;

    world.at(2026, 1, 12, 10);
    for (session, on) in [(cast.s1, date(2026, 3, 16)), (cast.s2, date(2026, 6, 15))] {
        let schedule = ReportingCommand::ScheduleOrdinarySession {
            local_authority: cast.la,
            session,
            date: on,
            actor: secretary,
        };
        world.reporting(schedule, &secretary).await;
    }
    let a = register(
        cast.a,
        cast.la,
        RequestChannel::Electronic,
        "PORTAIL-2026-0001",
        date(2026, 1, 9),
        entry_a(cast),
        &bureau,
    );
    world.bureau_acts(cast.a, a).await;

    world.at(2026, 1, 13, 10);
    let f = register(
        cast.f,
        cast.sbs,
        RequestChannel::Paper,
        "BO-SBS-2026/0003",
        date(2026, 1, 12),
        complete(
            NAME_F,
            "1523467B",
            &["Patrimoine"],
            (
                cast.youssef_subject,
                "Youssef Ben Ammar",
                "youssef@patrimoine-sbs.example.tn",
                "+216 71 111 222",
            ),
        ),
        &cast.sbs_bureau,
    );
    world
        .organisation(cast.f, f, &cast.sbs_bureau)
        .await
        .unwrap();

    world.at(2026, 1, 14, 10);
    let import = OrganisationCommand::ImportPaperEntry {
        actor: bureau,
        organisation: cast.b,
        local_authority: cast.la,
        paper: PaperEntry {
            reference: "Registre papier, vol. 2, p. 14, n° 37".to_owned(),
            registered_on: date(2018, 3, 15),
            eligibility: None,
            entry: entry_b(None),
        },
    };
    world.bureau_acts(cast.b, import).await;

    world.at(2026, 1, 15, 10);
    let c = register(
        cast.c,
        cast.la,
        RequestChannel::Paper,
        "BO-2026/0012",
        date(2026, 1, 14),
        complete(
            NAME_C,
            "7788990C",
            &["Sport", "Jeunesse"],
            (
                cast.karim_subject,
                "Karim Trabelsi",
                "karim.trabelsi@example.tn",
                "+216 98 000 111",
            ),
        ),
        &bureau,
    );
    world.bureau_acts(cast.c, c).await;

    world.at(2026, 1, 16, 10);
    let d = register(
        cast.d,
        cast.la,
        RequestChannel::Electronic,
        "PORTAIL-2026-0007",
        date(2026, 1, 16),
        complete(
            NAME_D,
            "4455667D",
            &["Solidarité", "Santé"],
            (
                cast.salma_subject,
                "Salma Gharbi",
                "salma.gharbi@example.tn",
                "+216 22 333 444",
            ),
        ),
        &bureau,
    );
    world.bureau_acts(cast.d, d).await;

    // The domain asks the read model for A's number and refuses a second live entry.
    world.at(2026, 1, 19, 10);
    let duplicate = register(
        cast.g,
        cast.la,
        RequestChannel::Paper,
        "BO-2026/0020",
        date(2026, 1, 19),
        complete(
            "Amis du Parc (doublon)",
            "1523467B",
            &["Environnement"],
            (
                cast.salma_subject,
                "Salma Gharbi",
                "salma.gharbi@example.tn",
                "+216 22 333 444",
            ),
        ),
        &bureau,
    );
    let refused = world.organisation(cast.g, duplicate, &bureau).await;
    assert!(matches!(
        refused,
        Err(AggregateError::UserError(
            civil_society::OrganisationError::DuplicateRegisterNumber { existing }
        )) if existing == cast.a
    ));

    // ---- February: B completed; entries #1 to #4 and the committee's work on #3.
    world.at(2026, 2, 3, 10);
    let update = OrganisationCommand::UpdateEntry {
        actor: bureau,
        entry: entry_b(Some("9988776E")),
    };
    world.bureau_acts(cast.b, update).await;
    world
        .file(filing(
            world,
            1,
            Section::ServicesAndFacilities,
            EntryKind::Opinion,
            resident(cast.sami_subject, ResidenceGround::Lives, sami_contact()),
            "Les trottoirs de l'avenue Habib Bourguiba sont encombrés.",
            &cast.sami,
        ))
        .await;
    world.at(2026, 2, 4, 10);
    world
        .file(filing(
            world,
            2,
            Section::LocalFinances {
                topic: FinanceTopic::LocalFees,
            },
            EntryKind::Question,
            resident(cast.leila_subject, ResidenceGround::Works, leila_contact()),
            "Comment le barème d'occupation du domaine public est-il calculé ?",
            &cast.leila,
        ))
        .await;
    world.at(2026, 2, 5, 10);
    world
        .file(filing(
            world,
            3,
            Section::Proposals,
            EntryKind::Proposal,
            AuthorDeclaration::Organisation {
                organisation: cast.a,
                representative: cast.amira_subject,
                contact: amira_contact(),
            },
            "Nous proposons une aire de jeux dans le parc.",
            &cast.amira,
        ))
        .await;
    world.at(2026, 2, 9, 10);
    world
        .answer(1, "Nous avons transmis aux services techniques.", &bureau)
        .await;
    world
        .file(filing(
            world,
            4,
            Section::DraftByLaw { draft: cast.draft },
            EntryKind::Opinion,
            resident(cast.sami_subject, ResidenceGround::Lives, sami_contact()),
            "Le projet d'arrêté sur les terrasses oublie les trottoirs.",
            &cast.sami,
        ))
        .await;
    world.at(2026, 2, 10, 10);
    world
        .committee(
            3,
            EntryCommand::NoteCommitteeConsultation { actor: committee },
        )
        .await;
    world.at(2026, 2, 11, 10);
    let propose = EntryCommand::ProposeToPresident {
        proposal: ProposalKind::Answer,
        note: "Proposer une réponse sur l'aire de jeux.".to_owned(),
        actor: committee,
    };
    world.committee(3, propose).await;
    world.at(2026, 2, 13, 10);
    let letter = EntryCommand::SendCorrespondence {
        proposal: 1,
        body: "Nous avons transmis votre proposition d'aire de jeux.".to_owned(),
        actor: bureau,
    };
    world.entry(cast.entry(3), letter, &bureau).await.unwrap();
    world.at(2026, 2, 16, 10);
    let invite = EntryCommand::InviteToFollowUpMeeting {
        meeting_at: tunis(2026, 2, 26, 10),
        actor: committee,
    };
    world.committee(3, invite).await;
    world.at(2026, 2, 19, 10);
    world
        .answer(
            2,
            "Nous avons transmis : le barème est public.",
            &cast.signatory,
        )
        .await;
    world.at(2026, 2, 23, 10);
    world
        .answer(2, "Nous avons transmis le barème complet.", &bureau)
        .await;
    world.at(2026, 2, 27, 10);
    let minutes = EntryCommand::RecordFollowUpMinutes {
        meeting: 1,
        minutes: "Nous avons transmis le compte rendu : aire de jeux à l'étude.".to_owned(),
        actor: committee,
    };
    world.committee(3, minutes).await;

    // ---- March: art. 9 procedures on C and D; S1's report, meeting and summary.
    world.at(2026, 3, 2, 10);
    for (id, reference, situation, grounds) in [
        (
            cast.c,
            "Délibération n° 2026-031",
            IrregularSituation::Financial,
            "Rapports financiers 2024 et 2025 non déposés",
        ),
        (
            cast.d,
            "Délibération n° 2026-032",
            IrregularSituation::Legal,
            "Statuts non conformes",
        ),
    ] {
        let find = OrganisationCommand::FindIrregularity {
            actor: secretary,
            decision: decision(reference, date(2026, 3, 2)),
            situation,
            grounds: grounds.to_owned(),
        };
        world.organisation(id, find, &secretary).await.unwrap();
    }
    world.at(2026, 3, 3, 10);
    for (id, letter) in [(cast.c, "RR 1234 5678 9TN"), (cast.d, "RR 1234 5678 0TN")] {
        let send = OrganisationCommand::SendFormalNotice {
            actor: bureau,
            letter_reference: letter.to_owned(),
            sent_on: date(2026, 3, 3),
        };
        world.bureau_acts(id, send).await;
    }
    for (id, day) in [(cast.d, 5), (cast.c, 9)] {
        world.at(2026, 3, day, 10);
        let acknowledge = OrganisationCommand::RecordAcknowledgement {
            actor: bureau,
            acknowledged_on: date(2026, 3, day),
        };
        world.bureau_acts(id, acknowledge).await;
    }
    world.at(2026, 3, 11, 10);
    let report = ReportingCommand::FileCommitteeReport {
        session: cast.s1,
        report: "Rapport du premier trimestre 2026 : 4 entrées, 3 réponses, une réunion de suivi."
            .to_owned(),
        public_summary: S1_SUMMARY.to_owned(),
        attests_no_personal_data: true,
        actor: committee,
    };
    world.reporting(report, &committee).await;
    world.at(2026, 3, 13, 10);
    world
        .answer(
            4,
            "Nous avons transmis votre avis à la commission.",
            &bureau,
        )
        .await;
    world.at(2026, 3, 16, 11);
    let held = ReportingCommand::RecordCouncilMeeting {
        session: cast.s1,
        held_on: date(2026, 3, 16),
        actor: secretary,
    };
    world.reporting(held, &secretary).await;
    world.at(2026, 3, 17, 10);
    world
        .file(filing(
            world,
            5,
            Section::ProgrammesAndProjects,
            EntryKind::Question,
            resident(cast.leila_subject, ResidenceGround::Works, leila_contact()),
            "Quand la rénovation du marché municipal sera-t-elle achevée ? (barème)",
            &cast.leila,
        ))
        .await;
    world.at(2026, 3, 19, 10);
    world
        .answer(5, "Nous avons transmis le calendrier des travaux.", &bureau)
        .await;
    world.at(2026, 3, 23, 10);
    let regularise = OrganisationCommand::RecordRegularisation {
        actor: bureau,
        regularised_on: date(2026, 3, 23),
        reference: "Courrier n° 2026/118".to_owned(),
    };
    world.bureau_acts(cast.d, regularise).await;
    world.at(2026, 3, 24, 10);
    let post = ReportingCommand::PostSummary {
        session: cast.s1,
        actor: secretary,
    };
    world.reporting(post, &secretary).await;

    // ---- April: #6; S1's summary down; C's hearing and suspension.
    world.at(2026, 4, 1, 10);
    world
        .file(filing(
            world,
            6,
            Section::Governance,
            EntryKind::Opinion,
            resident(cast.sami_subject, ResidenceGround::Lives, sami_contact()),
            "Les trottoirs : publiez les comptes rendus du conseil plus vite.",
            &cast.sami,
        ))
        .await;
    world.at(2026, 4, 2, 10);
    world
        .committee(
            6,
            EntryCommand::NoteCommitteeConsultation { actor: committee },
        )
        .await;
    world.at(2026, 4, 6, 10);
    world
        .answer(
            6,
            "Nous avons transmis : publication sous huit jours.",
            &bureau,
        )
        .await;
    world.at(2026, 4, 10, 10);
    let down = ReportingCommand::TakeDownSummary {
        session: cast.s1,
        actor: secretary,
    };
    world.reporting(down, &secretary).await;
    world.at(2026, 4, 13, 10);
    let convene = OrganisationCommand::ConveneHearing {
        actor: bureau,
        invitation_reference: "Convocation n° 2026/77".to_owned(),
        sent_on: date(2026, 4, 13),
        hearing_on: date(2026, 4, 20),
    };
    world.bureau_acts(cast.c, convene).await;
    world.at(2026, 4, 14, 10);
    world
        .answer(
            3,
            "Nous avons transmis : l'aire de jeux est au budget 2027.",
            &cast.signatory,
        )
        .await;
    world.at(2026, 4, 20, 10);
    let hearing = OrganisationCommand::RecordHearing {
        actor: bureau,
        held_on: date(2026, 4, 20),
        organisation_appeared: false,
        minutes_reference: "PV n° 2026/12".to_owned(),
        minutes: Attachment {
            content_hash: "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752"
                .to_owned(),
            media_type: "application/pdf".to_owned(),
            file_name: "pv-audition.pdf".to_owned(),
        },
    };
    world.bureau_acts(cast.c, hearing).await;
    world.at(2026, 4, 27, 10);
    let suspend = OrganisationCommand::DecideSuspension {
        actor: secretary,
        decision: decision("Délibération n° 2026-058", date(2026, 4, 27)),
    };
    world
        .organisation(cast.c, suspend, &secretary)
        .await
        .unwrap();
    let after_suspension = world.head().await;

    // The register of opinions asks the read model: a suspended organisation may not file.
    world.at(2026, 4, 28, 10);
    let (id, command, actor) = filing(
        world,
        7,
        Section::Proposals,
        EntryKind::Proposal,
        AuthorDeclaration::Organisation {
            organisation: cast.c,
            representative: cast.karim_subject,
            contact: contact(
                "Karim Trabelsi",
                "Stade municipal, 2070 La Marsa",
                "karim.trabelsi@example.tn",
                None,
            ),
        },
        "Un terrain de sport pour les jeunes.",
        &cast.karim,
    );
    assert!(matches!(
        world.entry(id, command, &actor).await,
        Err(AggregateError::UserError(
            opinions::EntryError::OrganisationSuspended
        ))
    ));

    // ---- May: #7, #8; D leaves; C struck off.
    world.at(2026, 5, 4, 10);
    world
        .file(filing(
            world,
            7,
            Section::Proposals,
            EntryKind::Proposal,
            AuthorDeclaration::Organisation {
                organisation: cast.a,
                representative: cast.amira_subject,
                contact: amira_contact(),
            },
            "Nous proposons des bancs ombragés autour de l'aire de jeux.",
            &cast.amira,
        ))
        .await;
    let withdraw = OrganisationCommand::RecordWithdrawal {
        actor: bureau,
        requested_on: date(2026, 4, 30),
        request_reference: "BO-2026/0101".to_owned(),
    };
    world.bureau_acts(cast.d, withdraw).await;
    world.at(2026, 5, 5, 10);
    world
        .file(filing(
            world,
            8,
            Section::ServicesAndFacilities,
            EntryKind::Question,
            resident(cast.leila_subject, ResidenceGround::Works, leila_contact()),
            "Pourquoi la collecte des déchets a-t-elle changé d'horaire ? (trottoirs)",
            &cast.leila,
        ))
        .await;
    world.at(2026, 5, 6, 10);
    world
        .committee(
            7,
            EntryCommand::NoteCommitteeConsultation { actor: committee },
        )
        .await;
    world.at(2026, 5, 7, 10);
    let explain = EntryCommand::ProposeToPresident {
        proposal: ProposalKind::RequestForExplanations,
        note: "Demander le plan des bancs autour de l'aire de jeux.".to_owned(),
        actor: committee,
    };
    world.committee(7, explain).await;
    world.at(2026, 5, 11, 10);
    let strike = OrganisationCommand::StrikeOff {
        actor: secretary,
        decision: decision("Délibération n° 2026-071", date(2026, 5, 11)),
    };
    world
        .organisation(cast.c, strike, &secretary)
        .await
        .unwrap();
    world.at(2026, 5, 15, 10);
    world
        .answer(8, "Nous avons transmis le nouvel horaire.", &bureau)
        .await;

    // ---- June: S2 moved, its report, its meeting.
    world.at(2026, 6, 1, 10);
    let reschedule = ReportingCommand::RescheduleOrdinarySession {
        session: cast.s2,
        date: date(2026, 6, 22),
        actor: secretary,
    };
    world.reporting(reschedule, &secretary).await;
    world.at(2026, 6, 17, 10);
    let report = ReportingCommand::FileCommitteeReport {
        session: cast.s2,
        report: "Rapport du deuxième trimestre 2026 : 4 entrées, 3 réponses.".to_owned(),
        public_summary: S2_SUMMARY.to_owned(),
        attests_no_personal_data: true,
        actor: committee,
    };
    world.reporting(report, &committee).await;
    world.at(2026, 6, 22, 12);
    let held = ReportingCommand::RecordCouncilMeeting {
        session: cast.s2,
        held_on: date(2026, 6, 22),
        actor: secretary,
    };
    world.reporting(held, &secretary).await;

    Marks { after_suspension }
}

/// The read models' tables and the order that lists their rows deterministically.
pub const TABLES: [(&str, &str); 8] = [
    ("ld_cso_registers", "local_authority"),
    ("ld_cso_entries", "organisation_id"),
    ("ld_cso_fields", "organisation_id, ordinal"),
    ("ld_cso_steps", "organisation_id, sequence"),
    ("ld_opinion_entries", "entry_id"),
    ("ld_opinion_answers", "entry_id, answer"),
    ("ld_opinion_committee_acts", "entry_id, sequence"),
    ("ld_council_sessions", "session_id"),
];

/// Every row of every read-model table, each value as text (`NULL` for null), to compare
/// two states of the read models cell by cell.
pub async fn dump(pool: &sqlx::AnyPool) -> Vec<(String, Vec<Vec<String>>)> {
    use sqlx::{Column, Row};
    let mut tables = Vec::new();
    for (table, order) in TABLES {
        let rows = sqlx::query(&format!("SELECT * FROM {table} ORDER BY {order}"))
            .fetch_all(pool)
            .await
            .unwrap();
        let rows = rows
            .iter()
            .map(|row| {
                (0..row.columns().len())
                    .map(|i| {
                        let name = row.columns()[i].name().to_owned();
                        let value = match row.try_get::<Option<String>, _>(i) {
                            Ok(text) => text,
                            Err(_) => row
                                .try_get::<Option<i64>, _>(i)
                                .unwrap()
                                .map(|n| n.to_string()),
                        };
                        format!("{name}={}", value.as_deref().unwrap_or("NULL"))
                    })
                    .collect()
            })
            .collect();
        tables.push((table.to_owned(), rows));
    }
    tables
}

/// Whether `text` holds any of [`PERSONAL`]; gives the first found.
pub fn personal_data_in(text: &str) -> Option<&'static str> {
    PERSONAL
        .iter()
        .copied()
        .find(|needle| text.contains(needle))
}

/// Declares `async fn(World)` once and runs it as a test on each backend.
#[macro_export]
macro_rules! on_both_backends {
    ($name:ident, $body:expr) => {
        mod $name {
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn sqlite() {
                ($body)(support_democracy::World::sqlite().await).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn postgres() {
                ($body)(support_democracy::World::postgres().await).await;
            }
        }
    };
}
