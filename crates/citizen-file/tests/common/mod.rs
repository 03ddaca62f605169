//! The world the citizen-file tests run in: a pinned clock, the Tunisian calendar, a
//! deterministic personal-data cipher, a directory of offices and structures, a fake signer,
//! and builders for commands, histories and expected events.
// Each test binary uses a subset of these helpers.
#![allow(dead_code)]

use std::sync::{Arc, Mutex, PoisonError};

use async_trait::async_trait;
use chrono::{DateTime, TimeZone, Utc};
use citizen_file::{
    AnswerDocument, AnswerSignature, AnswerSigner, AuthorDetails, AuthorProof, AuthorRef,
    CitizenFile, CitizenFileCommand, CitizenFileConfig, CitizenFileEvent, CitizenFileServices,
    Coordinates, FileId, ForumConfig, ForumServices, ForumTopic, KindDetails, Location, NewFile,
    PersonKind, Receipt, ReferralId, ReplyOutcome, ScheduledDeadline, SigningError, Statement,
    Urgency,
};
use cqrs_es::Aggregate;
use cqrs_es::event_sink::EventSink;
use cqrs_es::test::TestFramework;
use kernel::calendar::{ComputedDeadline, Deadline, DeadlineRule, HolidayCalendar};
use kernel::organisation::LocalizedName;
use kernel::personal_data::{InMemoryKeyVault, PersonalDataCipher, Sealed, SubjectId};
use kernel::tracking::TrackingCode;
use kernel::{
    Actor, ActorId, Clock, InMemoryDirectory, ManualClock, Organisation, OrganisationId,
    OrganisationKind, Role, Text, TextLimits,
};

/// Tuesday 17 March 2026, 10:00 in Tunis: a working day.
pub(crate) fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 17, 9, 0, 0).unwrap()
}

/// A signer that signs everything with a recognisable fake signature, records what it
/// signed, and can be told to fail.
#[derive(Debug, Default)]
pub(crate) struct FakeSigner {
    signed: Mutex<Vec<AnswerDocument>>,
    failure: Mutex<Option<SigningError>>,
}

impl FakeSigner {
    pub(crate) fn fail_with(&self, error: SigningError) {
        *self.failure.lock().unwrap_or_else(PoisonError::into_inner) = Some(error);
    }

    pub(crate) fn signed(&self) -> Vec<AnswerDocument> {
        self.signed
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The signature this signer gives `document`.
    pub(crate) fn signature_of(document_file: FileId, signatory: ActorId) -> AnswerSignature {
        AnswerSignature {
            algorithm: "fake".into(),
            signature: format!("c2lnbmVk:{document_file}:{signatory}"),
            certificate: "Y2VydA==".into(),
            document_hash: "00".repeat(32),
        }
    }
}

#[async_trait]
impl AnswerSigner for FakeSigner {
    async fn sign(
        &self,
        document: &AnswerDocument,
        signatory: &Actor,
    ) -> Result<AnswerSignature, SigningError> {
        if let Some(error) = self
            .failure
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
        {
            return Err(error);
        }
        self.signed
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(document.clone());
        Ok(Self::signature_of(document.file, signatory.id))
    }
}

fn organisation(kind: OrganisationKind, fr: &str) -> Organisation {
    Organisation {
        id: OrganisationId::new_v7(),
        kind,
        name: LocalizedName {
            ar: fr.into(),
            fr: fr.into(),
        },
        parent: None,
        governorate: None,
    }
}

/// Everything a test needs, with fresh identifiers.
#[derive(Debug)]
pub(crate) struct World {
    pub(crate) clock: ManualClock,
    pub(crate) vault: Arc<InMemoryKeyVault>,
    pub(crate) cipher: PersonalDataCipher,
    pub(crate) calendar: Arc<HolidayCalendar>,
    pub(crate) directory: InMemoryDirectory,
    pub(crate) signer: Arc<FakeSigner>,
    pub(crate) config: CitizenFileConfig,
    /// A Citizen Relations Office (petitions, guidance requests).
    pub(crate) office: OrganisationId,
    pub(crate) other_office: OrganisationId,
    /// The Central Bureau (suggestions, notifications).
    pub(crate) bureau: OrganisationId,
    /// Structures that answer referrals.
    pub(crate) structure: OrganisationId,
    pub(crate) other_structure: OrganisationId,
    pub(crate) file: FileId,
    pub(crate) subject: SubjectId,
    pub(crate) account: ActorId,
    pub(crate) code: TrackingCode,
    pub(crate) referral: ReferralId,
}

impl World {
    pub(crate) fn new() -> Self {
        let clock = ManualClock::at(start());
        let vault = Arc::new(InMemoryKeyVault::with_clock(Arc::new(clock.clone())));
        let cipher = PersonalDataCipher::deterministic_for_tests(vault.clone());
        let orgs = [
            organisation(OrganisationKind::CitizenRelationsOffice, "BRC Santé"),
            organisation(OrganisationKind::CitizenRelationsOffice, "BRC Éducation"),
            organisation(OrganisationKind::CentralBureau, "Bureau central"),
            organisation(OrganisationKind::PublicStructure, "Direction des hôpitaux"),
            organisation(
                OrganisationKind::PublicStructure,
                "Direction de l'équipement",
            ),
        ];
        let ids: Vec<OrganisationId> = orgs.iter().map(|o| o.id).collect();
        Self {
            clock,
            vault,
            cipher,
            calendar: Arc::new(HolidayCalendar::tunisia().unwrap()),
            directory: InMemoryDirectory::with(orgs),
            signer: Arc::new(FakeSigner::default()),
            config: CitizenFileConfig::default(),
            office: ids[0],
            other_office: ids[1],
            bureau: ids[2],
            structure: ids[3],
            other_structure: ids[4],
            file: FileId::new_v7(),
            subject: SubjectId::new_v7(),
            account: ActorId::new_v7(),
            code: TrackingCode::from_value(0x0123_4567_89AB_CDEF),
            referral: ReferralId::new_v7(),
        }
    }

    pub(crate) fn services(&self) -> CitizenFileServices {
        CitizenFileServices {
            clock: Arc::new(self.clock.clone()),
            calendar: self.calendar.clone(),
            cipher: self.cipher.clone(),
            directory: Arc::new(self.directory.clone()),
            signer: self.signer.clone(),
            config: self.config.clone(),
        }
    }

    pub(crate) fn framework(&self) -> TestFramework<CitizenFile> {
        TestFramework::with(self.services())
    }

    pub(crate) fn forum_services(&self) -> ForumServices {
        ForumServices {
            clock: Arc::new(self.clock.clone()),
            cipher: self.cipher.clone(),
            config: ForumConfig::default(),
        }
    }

    pub(crate) fn forum(&self) -> TestFramework<ForumTopic> {
        TestFramework::with(self.forum_services())
    }

    pub(crate) fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    pub(crate) fn advance_days(&self, days: i64) {
        self.clock.advance(chrono::Duration::days(days));
    }

    pub(crate) fn advance_hours(&self, hours: i64) {
        self.clock.advance(chrono::Duration::hours(hours));
    }

    // --- actors ---

    pub(crate) fn author(&self) -> Actor {
        Actor::citizen(self.account)
    }

    pub(crate) fn someone_else(&self) -> Actor {
        Actor::citizen(ActorId::new_v7())
    }

    pub(crate) fn office_agent(&self) -> Actor {
        Actor::agent(ActorId::new_v7(), Role::OfficeAgent, self.office)
    }

    pub(crate) fn agent_of(&self, role: Role, organisation: OrganisationId) -> Actor {
        Actor::agent(ActorId::new_v7(), role, organisation)
    }

    pub(crate) fn bureau_agent(&self) -> Actor {
        self.agent_of(Role::CentralBureauAgent, self.bureau)
    }

    pub(crate) fn structure_agent(&self) -> Actor {
        self.agent_of(Role::StructureAgent, self.structure)
    }

    pub(crate) fn signatory(&self, organisation: OrganisationId) -> Actor {
        self.agent_of(Role::Signatory, organisation)
    }

    pub(crate) fn worker(&self) -> Actor {
        Actor::system(ActorId::new_v7())
    }

    /// The agent who handles files of `kind` (office agent or Central Bureau agent).
    pub(crate) fn handler(&self, kind: KindDetails) -> Actor {
        let organisation = self.handled_by(kind);
        let role = kind.kind().handling_roles()[0];
        self.agent_of(role, organisation)
    }

    pub(crate) fn handled_by(&self, kind: KindDetails) -> OrganisationId {
        match kind.kind().handled_at() {
            OrganisationKind::CentralBureau => self.bureau,
            _ => self.office,
        }
    }

    // --- new files ---

    pub(crate) fn author_details(&self) -> AuthorDetails {
        AuthorDetails {
            person: PersonKind::Natural,
            name: "Amira Ben Salah".into(),
            national_id: Some("08123456".into()),
            email: Some("amira@example.tn".into()),
            phone: Some("+216 71 000 000".into()),
            postal_address: None,
        }
    }

    pub(crate) fn new_file(&self, kind: KindDetails) -> NewFile {
        let location = matches!(kind, KindDetails::Notification { .. }).then(|| Location {
            coordinates: Some(Coordinates {
                latitude: 36.8065,
                longitude: 10.1815,
            }),
            address: Some("Avenue Habib Bourguiba, Tunis".into()),
        });
        NewFile {
            file: self.file,
            tracking_code: self.code.clone(),
            handled_by: self.handled_by(kind),
            subject: self.subject,
            author: self.author_details(),
            kind,
            title: "Éclairage public".into(),
            body: "La rue est sans éclairage depuis un mois.".into(),
            location,
            attachments: Vec::new(),
        }
    }

    pub(crate) fn submit(&self, kind: KindDetails) -> CitizenFileCommand {
        CitizenFileCommand::SubmitFile {
            actor: self.author(),
            file: self.new_file(kind),
        }
    }

    // --- commands of the usual path ---

    pub(crate) fn admit(&self, kind: KindDetails) -> CitizenFileCommand {
        CitizenFileCommand::AdmitFile {
            actor: self.handler(kind),
        }
    }

    pub(crate) fn refer(&self, kind: KindDetails, referral: ReferralId) -> CitizenFileCommand {
        CitizenFileCommand::ReferFile {
            actor: self.handler(kind),
            referral,
            to: self.structure,
            reason: "Compétence de la direction".into(),
        }
    }

    /// The reply that fits `kind` (a feasible assessment for suggestions, a successful
    /// intervention for notifications).
    pub(crate) fn outcome(&self, kind: KindDetails) -> ReplyOutcome {
        match kind {
            KindDetails::Petition | KindDetails::GuidanceRequest => ReplyOutcome::Answer,
            KindDetails::Suggestion => ReplyOutcome::FeasibilityAssessment {
                feasibility: citizen_file::Feasibility::Feasible,
            },
            KindDetails::Notification { .. } => ReplyOutcome::InterventionReport {
                intervened_at: self.now(),
                harm_removed: true,
            },
        }
    }

    pub(crate) fn reply(&self, kind: KindDetails, referral: ReferralId) -> CitizenFileCommand {
        CitizenFileCommand::ReplyToReferral {
            actor: self.structure_agent(),
            referral,
            outcome: self.outcome(kind),
            text: "Réponse de la structure".into(),
        }
    }

    pub(crate) fn decide(&self, adopted: bool) -> CitizenFileCommand {
        CitizenFileCommand::DecideOnSuggestion {
            actor: self.bureau_agent(),
            adopted,
            reasons: "Avis de la structure".into(),
        }
    }

    pub(crate) fn draft(&self, kind: KindDetails) -> CitizenFileCommand {
        CitizenFileCommand::DraftAnswer {
            actor: self.handler(kind),
            text: "Votre demande a été traitée.".into(),
        }
    }

    pub(crate) fn sign(&self, kind: KindDetails) -> CitizenFileCommand {
        CitizenFileCommand::SignAnswer {
            actor: self.signatory(self.handled_by(kind)),
        }
    }

    pub(crate) fn request_information(&self, kind: KindDetails) -> CitizenFileCommand {
        CitizenFileCommand::RequestInformation {
            actor: self.handler(kind),
            question: "Quelle est l'adresse exacte ?".into(),
        }
    }

    pub(crate) fn provide_information(&self) -> CitizenFileCommand {
        CitizenFileCommand::ProvideInformation {
            actor: self.author(),
            proof: AuthorProof::Account,
            answer: "12 rue de la Liberté".into(),
            attachments: Vec::new(),
        }
    }

    // --- histories ---

    /// Runs `commands` on a fresh file and returns the events, for `given(...)`. Panics
    /// on a refusal: a history must be valid.
    pub(crate) async fn run(
        &self,
        commands: impl IntoIterator<Item = CitizenFileCommand>,
    ) -> Vec<CitizenFileEvent> {
        self.run_after(Vec::new(), commands).await
    }

    /// Runs `commands` on the file `history` left, and returns the whole history.
    pub(crate) async fn run_after(
        &self,
        history: Vec<CitizenFileEvent>,
        commands: impl IntoIterator<Item = CitizenFileCommand>,
    ) -> Vec<CitizenFileEvent> {
        let services = self.services();
        let mut file = CitizenFile::default();
        for event in history.iter().cloned() {
            file.apply(event);
        }
        let mut events = history;
        for command in commands {
            let sink = EventSink::default();
            let shown = format!("{command:?}");
            if let Err(error) = file.handle(command, &services, &sink).await {
                panic!("history command refused: {error:?}\n{shown}");
            }
            events.extend(sink.collect().await);
        }
        events
    }

    /// Commands bringing a file of `kind` to `UnderStudy` with what its answer needs: a
    /// structure's reply (petitions, notifications; a guidance request gets one too so that
    /// every kind looks alike) and, for suggestions, an adoption.
    pub(crate) fn ready_to_answer(&self, kind: KindDetails) -> Vec<CitizenFileCommand> {
        let mut commands = vec![
            self.submit(kind),
            self.admit(kind),
            self.refer(kind, self.referral),
            self.reply(kind, self.referral),
        ];
        if kind == KindDetails::Suggestion {
            commands.push(self.decide(true));
        }
        commands
    }

    /// Commands bringing a file of `kind` to `Answered`.
    pub(crate) fn answered(&self, kind: KindDetails) -> Vec<CitizenFileCommand> {
        let mut commands = self.ready_to_answer(kind);
        commands.push(self.draft(kind));
        commands.push(self.sign(kind));
        commands
    }

    // --- expected values ---

    pub(crate) async fn seal<T: serde::Serialize>(&self, value: &T) -> Sealed<T> {
        self.cipher.seal(self.subject, value).await.unwrap()
    }

    pub(crate) async fn seal_text(&self, text: &str) -> Sealed<Text> {
        self.seal(&Text::new(text, TextLimits::body(100_000)).unwrap())
            .await
    }

    pub(crate) fn reply_deadline(
        &self,
        kind: KindDetails,
        start: DateTime<Utc>,
    ) -> ScheduledDeadline {
        self.scheduled(self.config.reply.for_file(&kind), start)
    }

    pub(crate) fn scheduled(
        &self,
        policy: &citizen_file::DeadlinePolicy,
        start: DateTime<Utc>,
    ) -> ScheduledDeadline {
        let deadline = Deadline::new(policy.rule.clone(), start);
        ScheduledDeadline {
            computed: deadline.compute(&self.calendar).unwrap(),
            deadline,
            extension_limit: policy.max_extension,
        }
    }

    pub(crate) fn computed(&self, rule: &DeadlineRule, start: DateTime<Utc>) -> ComputedDeadline {
        Deadline::new(rule.clone(), start)
            .compute(&self.calendar)
            .unwrap()
    }

    /// The receipt of `self.new_file(kind)` received now, with `account`.
    pub(crate) async fn receipt(&self, kind: KindDetails, account: Option<ActorId>) -> Receipt {
        let file = self.new_file(kind);
        let text = |s: &str| Text::new(s, TextLimits::body(100_000)).unwrap();
        let statement = Statement {
            title: text(&file.title),
            body: text(&file.body),
            address: file
                .location
                .as_ref()
                .and_then(|l| l.address.as_deref())
                .map(text),
        };
        Receipt {
            file: self.file,
            tracking_code: self.code.clone(),
            kind,
            handled_by: self.handled_by(kind),
            author: AuthorRef {
                subject: self.subject,
                account,
            },
            author_details: self.seal(&file.author).await,
            statement: self.seal(&statement).await,
            coordinates: file.location.and_then(|l| l.coordinates),
            attachments: Vec::new(),
            received_at: self.now(),
            reply_deadline: self.reply_deadline(kind, self.now()),
        }
    }
}

/// The four kinds, for tests that hold for each.
pub(crate) const KINDS: [KindDetails; 4] = [
    KindDetails::Petition,
    KindDetails::GuidanceRequest,
    KindDetails::Suggestion,
    KindDetails::Notification {
        urgency: Urgency::Normal,
    },
];

/// A notification of normal urgency.
pub(crate) const NOTIFICATION: KindDetails = KindDetails::Notification {
    urgency: Urgency::Normal,
};
