//! Shared test fixtures: services on a pinned clock with the Tunisian calendar and a
//! deterministic cipher, an in-memory register index, actors and sample data.
// Each test binary uses its own subset of these helpers.
#![allow(dead_code)]

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use chrono::{NaiveDate, TimeZone, Utc};
use civil_society::{
    Attachment, CivilSocietyConfig, CivilSocietyServices, Document, DocumentKind, Eligibility,
    EntryData, EntryRecord, LookupError, MonthTerm, OrganisationEvent, RegisterFacts,
    RegisterIndex, RegistrationRequirements, Representative, RepresentativeDetails, Requirement,
};
use cqrs_es::Aggregate;
use cqrs_es::test::TestFramework;
use kernel::calendar::{HolidayCalendar, RollPolicy};
use kernel::organisation::{LocalizedName, Organisation, OrganisationKind};
use kernel::personal_data::{InMemoryKeyVault, PersonalDataCipher, Sealed, SubjectId};
use kernel::{
    Actor, ActorId, CivilSocietyOrganisationId, InMemoryDirectory, ManualClock, OrganisationId,
    Role, Text, TextLimits,
};
use serde::Serialize;

/// A date; the tests only use valid ones.
pub(crate) fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap()
}

/// A text the tests know to be valid.
pub(crate) fn text(raw: &str) -> Text {
    Text::new(raw, TextLimits::body(10_000)).unwrap()
}

/// A register index held in memory, standing for the read model.
#[derive(Debug, Default)]
pub(crate) struct FakeIndex {
    registers: Mutex<HashMap<OrganisationId, RegisterFacts>>,
    numbers: Mutex<HashMap<(OrganisationId, String), CivilSocietyOrganisationId>>,
    failing: AtomicBool,
}

impl FakeIndex {
    pub(crate) fn open(&self, local_authority: OrganisationId, facts: RegisterFacts) {
        self.registers
            .lock()
            .unwrap()
            .insert(local_authority, facts);
    }

    pub(crate) fn close(&self, local_authority: OrganisationId) {
        self.registers.lock().unwrap().remove(&local_authority);
    }

    pub(crate) fn set_requirements(
        &self,
        local_authority: OrganisationId,
        requirements: RegistrationRequirements,
    ) {
        if let Some(facts) = self.registers.lock().unwrap().get_mut(&local_authority) {
            facts.requirements = requirements;
        }
    }

    pub(crate) fn add_entry(
        &self,
        local_authority: OrganisationId,
        number: &str,
        organisation: CivilSocietyOrganisationId,
    ) {
        self.numbers
            .lock()
            .unwrap()
            .insert((local_authority, number.to_owned()), organisation);
    }

    pub(crate) fn fail(&self) {
        self.failing.store(true, Ordering::SeqCst);
    }

    fn check(&self) -> Result<(), LookupError> {
        if self.failing.load(Ordering::SeqCst) {
            Err(LookupError("read model unavailable".to_owned()))
        } else {
            Ok(())
        }
    }
}

#[async_trait]
impl RegisterIndex for FakeIndex {
    async fn register(
        &self,
        local_authority: OrganisationId,
    ) -> Result<Option<RegisterFacts>, LookupError> {
        self.check()?;
        Ok(self
            .registers
            .lock()
            .unwrap()
            .get(&local_authority)
            .cloned())
    }

    async fn live_entry_with_register_number(
        &self,
        local_authority: OrganisationId,
        number: &str,
    ) -> Result<Option<CivilSocietyOrganisationId>, LookupError> {
        self.check()?;
        Ok(self
            .numbers
            .lock()
            .unwrap()
            .get(&(local_authority, number.to_owned()))
            .copied())
    }
}

/// The default opening date of the La Marsa register in these tests: Monday 5 January 2026.
pub(crate) fn default_opening() -> NaiveDate {
    date(2026, 1, 5)
}

/// Everything a test needs: services, the handles to steer them, and the ids in play.
#[derive(Debug)]
pub(crate) struct World {
    pub(crate) clock: ManualClock,
    pub(crate) calendar: Arc<HolidayCalendar>,
    pub(crate) index: Arc<FakeIndex>,
    pub(crate) directory: InMemoryDirectory,
    pub(crate) services: CivilSocietyServices,
    /// A local authority (La Marsa) whose register is open since [`default_opening`].
    pub(crate) local_authority: OrganisationId,
    /// Another local authority (Sidi Bou Said), without a register.
    pub(crate) other_local_authority: OrganisationId,
    /// A ministry: not a local authority.
    pub(crate) ministry: OrganisationId,
    /// The entry under test.
    pub(crate) organisation: CivilSocietyOrganisationId,
}

fn organisation(kind: OrganisationKind, fr: &str, ar: &str) -> Organisation {
    Organisation {
        id: OrganisationId::new_v7(),
        kind,
        name: LocalizedName {
            ar: ar.to_owned(),
            fr: fr.to_owned(),
        },
        parent: None,
        governorate: None,
    }
}

impl World {
    /// Services whose "today" is `today` (10:00 in Tunis), with the La Marsa register open.
    pub(crate) fn on(today: NaiveDate) -> Self {
        let calendar = Arc::new(HolidayCalendar::tunisia().unwrap());
        let clock = ManualClock::at(Utc.from_utc_datetime(&today.and_hms_opt(9, 0, 0).unwrap()));
        let vault = Arc::new(InMemoryKeyVault::new());
        let la_marsa = organisation(
            OrganisationKind::LocalAuthority,
            "Commune de La Marsa",
            "بلدية المرسى",
        );
        let sidi_bou_said = organisation(
            OrganisationKind::LocalAuthority,
            "Commune de Sidi Bou Saïd",
            "بلدية سيدي بوسعيد",
        );
        let ministry = organisation(
            OrganisationKind::Ministry,
            "Ministère de l'Intérieur",
            "وزارة الداخلية",
        );
        let directory =
            InMemoryDirectory::with([la_marsa.clone(), sidi_bou_said.clone(), ministry.clone()]);
        let index = Arc::new(FakeIndex::default());
        let services = CivilSocietyServices {
            clock: Arc::new(clock.clone()),
            calendar: calendar.clone(),
            cipher: PersonalDataCipher::deterministic_for_tests(vault),
            directory: Arc::new(directory.clone()),
            index: index.clone(),
            config: CivilSocietyConfig::default(),
        };
        let world = Self {
            clock,
            calendar,
            index,
            directory,
            services,
            local_authority: la_marsa.id,
            other_local_authority: sidi_bou_said.id,
            ministry: ministry.id,
            organisation: CivilSocietyOrganisationId::new_v7(),
        };
        world.open_register(default_opening(), RegistrationRequirements::default());
        world
    }

    /// Records in the index that the La Marsa register opened on `opened_on`.
    pub(crate) fn open_register(
        &self,
        opened_on: NaiveDate,
        requirements: RegistrationRequirements,
    ) {
        self.index.open(
            self.local_authority,
            RegisterFacts {
                opened_on,
                migration_window: self.migration_window(opened_on),
                requirements,
            },
        );
    }

    /// The art. 17 window of a register opened on `opened_on`.
    pub(crate) fn migration_window(&self, opened_on: NaiveDate) -> MonthTerm {
        MonthTerm::compute(
            &self.calendar,
            opened_on,
            12,
            RollPolicy::NextWorkingDay,
            "decree 2019-401 art. 17 (Arabic text): migration of the paper register",
        )
        .unwrap()
    }

    /// Moves "today" to `today`, 10:00 in Tunis.
    pub(crate) fn set_today(&self, today: NaiveDate) {
        self.clock
            .set(Utc.from_utc_datetime(&today.and_hms_opt(9, 0, 0).unwrap()));
    }

    pub(crate) fn framework<A: Aggregate<Services = CivilSocietyServices>>(
        &self,
    ) -> TestFramework<A> {
        TestFramework::with(self.services.clone())
    }

    /// What the aggregate's cipher produces for `value` under `subject`.
    pub(crate) async fn seal<T: Serialize>(&self, subject: SubjectId, value: &T) -> Sealed<T> {
        self.services.cipher.seal(subject, value).await.unwrap()
    }

    /// An agent of the La Marsa register bureau.
    pub(crate) fn bureau_agent(&self) -> Actor {
        Actor::agent(
            ActorId::new_v7(),
            Role::RegisterBureauAgent,
            self.local_authority,
        )
    }

    /// The head of the La Marsa register bureau.
    pub(crate) fn bureau_head(&self) -> Actor {
        Actor::agent(
            ActorId::new_v7(),
            Role::RegisterBureauHead,
            self.local_authority,
        )
    }

    /// The secretary of the La Marsa council.
    pub(crate) fn council_secretary(&self) -> Actor {
        Actor::agent(
            ActorId::new_v7(),
            Role::CouncilSecretary,
            self.local_authority,
        )
    }

    /// The platform administrator of La Marsa.
    pub(crate) fn admin(&self) -> Actor {
        Actor::agent(ActorId::new_v7(), Role::PlatformAdmin, self.local_authority)
    }

    /// An agent of the Sidi Bou Said bureau: the right role, the wrong local authority.
    pub(crate) fn other_bureau_agent(&self) -> Actor {
        Actor::agent(
            ActorId::new_v7(),
            Role::RegisterBureauAgent,
            self.other_local_authority,
        )
    }

    /// A public event for the `given` of tests: the entry registered on `registered_on`,
    /// without a representative (so nothing to seal).
    pub(crate) fn registered(&self, registered_on: NaiveDate) -> OrganisationEvent {
        OrganisationEvent::OrganisationRegistered {
            organisation: self.organisation,
            local_authority: self.local_authority,
            channel: civil_society::RequestChannel::Paper,
            request_reference: text("BO-2026/0042"),
            received_on: registered_on,
            registered_on,
            eligibility: eligible(),
            entry: public_record(),
            by: ActorId::new_v7(),
        }
    }
}

/// Active in the territory, with members among its residents.
pub(crate) fn eligible() -> Eligibility {
    Eligibility {
        national: true,
        active_in_territory: true,
        members_among_residents: true,
    }
}

pub(crate) fn statutes() -> Document {
    Document {
        kind: DocumentKind::Statutes,
        file: Attachment {
            content_hash: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
                .to_owned(),
            media_type: "application/pdf".to_owned(),
            file_name: "statuts.pdf".to_owned(),
        },
    }
}

pub(crate) fn minutes() -> Attachment {
    Attachment {
        content_hash: "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752".to_owned(),
        media_type: "application/pdf".to_owned(),
        file_name: "pv-audition.pdf".to_owned(),
    }
}

pub(crate) fn representative_subject() -> SubjectId {
    // One subject per test run is enough: tests never erase it.
    static SUBJECT: std::sync::OnceLock<SubjectId> = std::sync::OnceLock::new();
    *SUBJECT.get_or_init(SubjectId::new_v7)
}

/// A complete entry under the default requirements.
pub(crate) fn complete_entry() -> EntryData {
    EntryData {
        name: "Association des Amis du Parc de la Marsa".to_owned(),
        legal_form: Some("Association".to_owned()),
        national_register_number: Some("1523467 b".to_owned()),
        legal_publication_reference: Some("JORT n° 87, 2019, annonce 2019A01234".to_owned()),
        registered_office: Some("12, rue Habib Thameur, 2070 La Marsa".to_owned()),
        representative: Some(Representative {
            subject: representative_subject(),
            full_name: "Amira Ben Salah".to_owned(),
            email: Some("contact@amis-parc-marsa.tn".to_owned()),
            phone: Some("+216 71 000 000".to_owned()),
        }),
        fields_of_activity: vec!["Environnement".to_owned(), "Culture".to_owned()],
        documents: vec![statutes()],
    }
}

/// What [`complete_entry`] holds, in clear, about its representative.
pub(crate) fn representative_details() -> RepresentativeDetails {
    RepresentativeDetails {
        full_name: "Amira Ben Salah".to_owned(),
        email: Some("contact@amis-parc-marsa.tn".to_owned()),
        phone: Some("+216 71 000 000".to_owned()),
    }
}

/// The record of [`complete_entry`] as the aggregate writes it.
pub(crate) async fn complete_record(world: &World) -> EntryRecord {
    EntryRecord {
        name: text("Association des Amis du Parc de la Marsa"),
        legal_form: Some(text("Association")),
        national_register_number: Some(text("1523467B")),
        legal_publication_reference: Some(text("JORT n° 87, 2019, annonce 2019A01234")),
        registered_office: Some(text("12, rue Habib Thameur, 2070 La Marsa")),
        representative: Some(
            world
                .seal(representative_subject(), &representative_details())
                .await,
        ),
        fields_of_activity: vec![text("Environnement"), text("Culture")],
        documents: vec![statutes()],
        provided: RegistrationRequirements::default().required,
    }
}

/// A record without a representative (nothing sealed), for `given` events.
pub(crate) fn public_record() -> EntryRecord {
    let mut provided = RegistrationRequirements::default().required;
    for item in [
        Requirement::LegalRepresentative,
        Requirement::Email,
        Requirement::Phone,
    ] {
        provided.remove(&item);
    }
    EntryRecord {
        name: text("Association des Amis du Parc de la Marsa"),
        legal_form: Some(text("Association")),
        national_register_number: Some(text("1523467B")),
        legal_publication_reference: Some(text("JORT n° 87, 2019, annonce 2019A01234")),
        registered_office: Some(text("12, rue Habib Thameur, 2070 La Marsa")),
        representative: None,
        fields_of_activity: vec![text("Environnement"), text("Culture")],
        documents: vec![statutes()],
        provided,
    }
}

/// Events of the art. 9 procedure, for the `given` of tests.
pub(crate) mod steps {
    use chrono::NaiveDate;
    use civil_society::{IrregularSituation, MonthTerm, OrganisationEvent, RecordedDecision};
    use kernel::ActorId;
    use kernel::calendar::RollPolicy;

    use super::{World, minutes, text};

    pub(crate) fn decision(reference: &str, decided_on: NaiveDate) -> RecordedDecision {
        RecordedDecision {
            reference: text(reference),
            decided_on,
        }
    }

    pub(crate) fn irregularity_found(on: NaiveDate) -> OrganisationEvent {
        OrganisationEvent::IrregularityFound {
            decision: decision("Délibération n° 2026-031", on),
            situation: IrregularSituation::Financial,
            grounds: text("Rapports financiers 2024 et 2025 non déposés"),
            by: ActorId::new_v7(),
        }
    }

    pub(crate) fn notice_sent(on: NaiveDate) -> OrganisationEvent {
        OrganisationEvent::FormalNoticeSent {
            letter_reference: text("RR 1234 5678 9TN"),
            sent_on: on,
            by: ActorId::new_v7(),
        }
    }

    /// The month of art. 9 from `on`, as the aggregate computes it.
    pub(crate) fn regularisation_term(world: &World, on: NaiveDate) -> MonthTerm {
        MonthTerm::compute(
            &world.calendar,
            on,
            1,
            RollPolicy::NextWorkingDay,
            "decree 2019-401 art. 9: time to regularise from the notification",
        )
        .unwrap()
    }

    pub(crate) fn acknowledged(world: &World, on: NaiveDate) -> OrganisationEvent {
        OrganisationEvent::NoticeAcknowledged {
            acknowledged_on: on,
            regularisation_term: regularisation_term(world, on),
            by: ActorId::new_v7(),
        }
    }

    pub(crate) fn hearing_convened(sent_on: NaiveDate, hearing_on: NaiveDate) -> OrganisationEvent {
        OrganisationEvent::HearingConvened {
            invitation_reference: text("Convocation n° 2026/77"),
            sent_on,
            hearing_on,
            by: ActorId::new_v7(),
        }
    }

    pub(crate) fn hearing_held(on: NaiveDate) -> OrganisationEvent {
        OrganisationEvent::HearingHeld {
            held_on: on,
            organisation_appeared: false,
            minutes_reference: text("PV n° 2026/12"),
            minutes: minutes(),
            by: ActorId::new_v7(),
        }
    }

    pub(crate) fn suspension_decided(on: NaiveDate) -> OrganisationEvent {
        OrganisationEvent::SuspensionDecided {
            decision: decision("Délibération n° 2026-058", on),
            by: ActorId::new_v7(),
        }
    }

    pub(crate) fn struck_off(on: NaiveDate) -> OrganisationEvent {
        OrganisationEvent::StruckOff {
            decision: decision("Délibération n° 2026-071", on),
            by: ActorId::new_v7(),
        }
    }

    pub(crate) fn withdrawn(on: NaiveDate) -> OrganisationEvent {
        OrganisationEvent::Withdrawn {
            requested_on: on,
            request_reference: text("BO-2026/0101"),
            status_before: civil_society::OrganisationStatus::Active,
            withdrawn_on: on,
            by: ActorId::new_v7(),
        }
    }
}
