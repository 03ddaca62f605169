//! What the citizen-file projection tests share: stores on both backends, the world the
//! aggregates run in (pinned clock, Tunisian calendar, deterministic cipher, directory, a
//! fake signer), a script that runs real commands on a real store, and the scripted April
//! 2026 history most tests check their read models and report against.
// Each test binary uses a subset of these helpers.
#![allow(dead_code, unreachable_pub)]

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, TimeZone, Utc};
use citizen_file::{
    AnswerDocument, AnswerSignature, AnswerSigner, AuthorDetails, AuthorProof, AuthorRef, Channel,
    CitizenFile, CitizenFileCommand, CitizenFileConfig, CitizenFileServices, DeadlineTarget,
    Feasibility, FileId, ForumCommand, ForumConfig, ForumServices, ForumTopic,
    InadmissibilityReason, KindDetails, MoreTimeReason, NewFile, PersonKind, ReferralId,
    ReplyOutcome, SigningError, TopicId, Urgency,
};
use event_store::{Cqrs, ProjectionRunner, RecordedEvent, RunnerSettings, Store, StoreConfig};
use kernel::calendar::HolidayCalendar;
use kernel::organisation::LocalizedName;
use kernel::personal_data::{InMemoryKeyVault, PersonalDataCipher, Revealed, Sealed, SubjectId};
use kernel::tracking::TrackingCode;
use kernel::{
    Actor, ActorId, InMemoryDirectory, ManualClock, Organisation, OrganisationId, OrganisationKind,
    Role, Text,
};

/// `2026-month-day hour:minute` UTC (Tunis is UTC+1, without summer time).
pub fn utc(month: u32, day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, month, day, hour, minute, 0)
        .unwrap()
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

/// A store on a fresh PostgreSQL database.
pub async fn postgres_store() -> Store {
    let config = StoreConfig {
        url: test_support::fresh_postgres_database().await,
        max_connections: 10,
        ..StoreConfig::default()
    };
    Store::connect(&config).await.unwrap()
}

/// Declares `async fn $name(store: Store)` once and runs it as a test on each backend.
#[macro_export]
macro_rules! on_both_backends {
    ($name:ident, $body:expr) => {
        mod $name {
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn sqlite() {
                let (store, _dir) = support_citizen::sqlite_store().await;
                ($body)(store).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn postgres() {
                let store = support_citizen::postgres_store().await;
                ($body)(store).await;
            }
        }
    };
}

/// Every event of the log, once at least `expected` are readable. On PostgreSQL an event
/// becomes readable once every older transaction of the cluster has ended, so a read right
/// after a write may briefly see less.
pub async fn read_all(store: &Store, expected: usize) -> Vec<RecordedEvent> {
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        let events = store
            .log()
            .read(event_store::Cursor::START, None, 100_000)
            .await
            .unwrap();
        if events.len() >= expected || std::time::Instant::now() > deadline {
            assert_eq!(events.len(), expected, "events readable in the log");
            return events;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// A runner of the citizen-file read models on `store`, caught up on `expected` events
/// (each projection sees every event of the log).
pub async fn caught_up_runner(store: &Store, expected: usize) -> ProjectionRunner {
    read_all(store, expected).await;
    let runner = ProjectionRunner::new(
        store.clone(),
        RunnerSettings::default(),
        projections::citizen_file::projections(),
    )
    .unwrap();
    for status in runner.statuses() {
        let applied = runner.catch_up(&status.name).await.unwrap();
        assert_eq!(applied, expected as u64, "{} caught up", status.name);
    }
    runner
}

/// A signer that signs everything with a recognisable fake signature.
#[derive(Debug, Default)]
pub struct FakeSigner;

impl FakeSigner {
    /// The signature it gives an answer of `file` signed by `signatory`.
    pub fn signature_of(file: FileId, signatory: ActorId) -> AnswerSignature {
        AnswerSignature {
            algorithm: "fake".into(),
            signature: format!("c2lnbmVk:{file}:{signatory}"),
            certificate: "Y2VydA==".into(),
            document_hash: "ab".repeat(32),
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
        Ok(Self::signature_of(document.file, signatory.id))
    }
}

fn organisation(kind: OrganisationKind, name: &str) -> Organisation {
    Organisation {
        id: OrganisationId::new_v7(),
        kind,
        name: LocalizedName {
            ar: name.into(),
            fr: name.into(),
        },
        parent: None,
        governorate: None,
    }
}

/// A citizen: their data subject, their account if they have one, who they are.
#[derive(Clone, Debug)]
pub struct Citizen {
    pub subject: SubjectId,
    pub account: Option<ActorId>,
    pub details: AuthorDetails,
}

impl Citizen {
    fn new(name: &str, email: &str, account: bool) -> Self {
        Self {
            subject: SubjectId::new_v7(),
            account: account.then(ActorId::new_v7),
            details: AuthorDetails {
                person: PersonKind::Natural,
                name: name.into(),
                national_id: Some("08123456".into()),
                email: Some(email.into()),
                phone: Some("+216 71 000 000".into()),
                postal_address: Some("12 rue de la Liberté, Tunis".into()),
            },
        }
    }

    /// Acting as themselves on the platform.
    pub fn actor(&self) -> Actor {
        Actor::citizen(self.account.unwrap_or_else(ActorId::new_v7))
    }

    pub fn author_ref(&self) -> AuthorRef {
        AuthorRef {
            subject: self.subject,
            account: self.account,
        }
    }
}

/// The organisations, people and services the tests' files live among.
#[derive(Debug)]
pub struct World {
    pub clock: ManualClock,
    pub cipher: PersonalDataCipher,
    pub calendar: Arc<HolidayCalendar>,
    pub directory: InMemoryDirectory,
    /// Citizen Relations Offices.
    pub office_a: OrganisationId,
    pub office_b: OrganisationId,
    /// The Central Bureau.
    pub bureau: OrganisationId,
    /// Structures that answer referrals.
    pub structure_1: OrganisationId,
    pub structure_2: OrganisationId,
    /// Citizens: C1, C2 and C4 have accounts, C3 has none.
    pub c1: Citizen,
    pub c2: Citizen,
    pub c3: Citizen,
    pub c4: Citizen,
}

impl World {
    pub fn new() -> Self {
        let clock = ManualClock::at(utc(3, 2, 9, 0));
        let vault = Arc::new(InMemoryKeyVault::with_clock(Arc::new(clock.clone())));
        let orgs = [
            organisation(OrganisationKind::CitizenRelationsOffice, "BRC Santé"),
            organisation(OrganisationKind::CitizenRelationsOffice, "BRC Équipement"),
            organisation(OrganisationKind::CentralBureau, "Bureau central"),
            organisation(OrganisationKind::PublicStructure, "Direction des hôpitaux"),
            organisation(OrganisationKind::PublicStructure, "Direction des routes"),
        ];
        let ids: Vec<OrganisationId> = orgs.iter().map(|o| o.id).collect();
        Self {
            cipher: PersonalDataCipher::deterministic_for_tests(vault),
            clock,
            calendar: Arc::new(HolidayCalendar::tunisia().unwrap()),
            directory: InMemoryDirectory::with(orgs),
            office_a: ids[0],
            office_b: ids[1],
            bureau: ids[2],
            structure_1: ids[3],
            structure_2: ids[4],
            c1: Citizen::new("Amira Ben Salah", "amira@example.tn", true),
            c2: Citizen::new("Karim Trabelsi", "karim@example.tn", true),
            c3: Citizen::new("Salma Jaziri", "salma@example.tn", false),
            c4: Citizen::new("Hédi Mansour", "hedi@example.tn", true),
        }
    }

    pub fn services(&self) -> CitizenFileServices {
        CitizenFileServices {
            clock: Arc::new(self.clock.clone()),
            calendar: self.calendar.clone(),
            cipher: self.cipher.clone(),
            directory: Arc::new(self.directory.clone()),
            signer: Arc::new(FakeSigner),
            config: CitizenFileConfig::default(),
        }
    }

    pub fn forum_services(&self) -> ForumServices {
        ForumServices {
            clock: Arc::new(self.clock.clone()),
            cipher: self.cipher.clone(),
            config: ForumConfig::default(),
        }
    }

    /// An agent with `role` for `organisation` (a fresh account each time).
    pub fn agent(&self, role: Role, organisation: OrganisationId) -> Actor {
        Actor::agent(ActorId::new_v7(), role, organisation)
    }

    /// The clear value of `sealed`.
    pub async fn open<T: serde::de::DeserializeOwned>(&self, sealed: &Sealed<T>) -> T {
        match self.cipher.open(sealed).await.unwrap() {
            Revealed::Clear(value) => value,
            Revealed::Erased => panic!("erased"),
        }
    }

    /// The clear text of a sealed text.
    pub async fn open_text(&self, sealed: &Sealed<Text>) -> String {
        self.open(sealed).await.into_string()
    }
}

/// Runs real commands on a real store, each at its own time on the pinned clock, with that
/// time as the recorded time (so "as of a date" reads follow the script's calendar).
pub struct Script<'w> {
    pub world: &'w World,
    files: Cqrs<CitizenFile>,
    forum: Cqrs<ForumTopic>,
    /// Commands run (each of the scripts' commands records one event).
    pub events: usize,
}

impl<'w> Script<'w> {
    pub fn new(store: &Store, world: &'w World) -> Self {
        Self {
            world,
            files: store.cqrs(Vec::new(), world.services()),
            forum: store.cqrs(Vec::new(), world.forum_services()),
            events: 0,
        }
    }

    fn metadata(at: DateTime<Utc>) -> HashMap<String, String> {
        HashMap::from([(kernel::metadata::RECORDED_AT.to_owned(), at.to_rfc3339())])
    }

    /// Runs `command` on `file` at `at`; panics if refused (a script must be valid).
    pub async fn file(&mut self, at: DateTime<Utc>, file: FileId, command: CitizenFileCommand) {
        self.world.clock.set(at);
        let shown = format!("{command:?}");
        if let Err(error) = self
            .files
            .execute_with_metadata(&file.to_string(), command, Self::metadata(at))
            .await
        {
            panic!("refused at {at}: {error:?}\n{shown}");
        }
        self.events += 1;
    }

    /// Runs `command` on forum topic `topic` at `at`.
    pub async fn topic(&mut self, at: DateTime<Utc>, topic: TopicId, command: ForumCommand) {
        self.world.clock.set(at);
        let shown = format!("{command:?}");
        if let Err(error) = self
            .forum
            .execute_with_metadata(&topic.to_string(), command, Self::metadata(at))
            .await
        {
            panic!("refused at {at}: {error:?}\n{shown}");
        }
        self.events += 1;
    }
}

/// The files, referrals and people of the April 2026 history.
#[derive(Debug)]
pub struct April {
    pub world: World,
    /// F0 to F9 (see [`april`]).
    pub files: Vec<FileId>,
    pub codes: Vec<TrackingCode>,
    pub r0: ReferralId,
    pub r0b: ReferralId,
    pub r1: ReferralId,
    pub r3: ReferralId,
    pub r4a: ReferralId,
    pub r4b: ReferralId,
    /// Events the history recorded.
    pub events: usize,
}

impl April {
    pub fn file(&self, index: usize) -> FileId {
        self.files[index]
    }
}

fn new_file(
    index: usize,
    kind: KindDetails,
    handled_by: OrganisationId,
    author: &Citizen,
) -> NewFile {
    NewFile {
        file: FileId::new_v7(),
        tracking_code: TrackingCode::from_value(0x0123_4567_89AB_C000 + index as u64),
        handled_by,
        subject: author.subject,
        author: author.details.clone(),
        kind,
        title: format!("Dossier F{index}"),
        body: format!("Exposé confidentiel du dossier F{index}"),
        location: matches!(kind, KindDetails::Notification { .. }).then(|| {
            citizen_file::Location {
                coordinates: Some(citizen_file::Coordinates {
                    latitude: 36.8065,
                    longitude: 10.1815,
                }),
                address: Some("Avenue Habib Bourguiba, Tunis".into()),
            }
        }),
        attachments: Vec::new(),
    }
}

/// The scripted history: ten files of April 2026 (a few received in March), real commands
/// on `store`, in time order. Times are UTC (Tunis is UTC+1). Due dates, as the domain
/// computes them (30 calendar days from the day after the start, rolled to the next working
/// day; hours for urgent notifications):
///
/// | file | kind, channel, handler, author | history |
/// |---|---|---|
/// | F0 | petition, online, office A, C1 | 2 Mar 09:00 received (reply due 1 Apr 23:00); admitted; referred to S2 (R0), returned 3 Mar 09:00; referred to S1 3 Mar 10:00 (R0b, due 2 Apr 23:00); S1 replies late 6 Apr 09:00; signed late 6 Apr 14:00; contested 7 Apr 09:00 (new reply due 7 May 23:00); signed 8 Apr 15:00 in time; rated 2 on 10 Apr |
/// | F1 | petition, online, office A, C1 | 14 Apr 09:00 received (due 14 May 23:00); referred to S1 14 Apr 11:00 (R1); acknowledged 15 Apr; replied 16 Apr 09:00; signed 17 Apr 15:00; rated 5 on 20 Apr |
/// | F2 | guidance, e-mail, office A, C3 (no account) | received 14 Apr 08:00, registered 12:00 (first response due 16 Apr 08:00, reply 14 May 23:00); "more time" 15 Apr 09:10; admitted; information asked 15 Apr 11:00 (answer due 15 May 23:00), given 20 Apr 09:30 (reply now due 19 May 23:00) |
/// | F3 | notification (high), online, Central Bureau, C2 | 13 Apr 13:00 received (72 h: due 16 Apr 13:00); referred to S2 14:00 (R3, due 16 Apr 14:00, extended by 24 h on 14 Apr 09:30: 17 Apr 14:00); S2 reports 17 Apr 10:00; signed late 17 Apr 12:00; rated 3 on 20 Apr |
/// | F4 | suggestion, online, Central Bureau, C2 | 15 Apr 09:20 received (due 15 May 23:00); referred to S2 11:30 (R4a), returned 15:00; referred to S1 16:00 (R4b, due 15 May 23:00) |
/// | F5 | petition, counter, office B, C4 | 23 Mar 09:00 registered (due 22 Apr 23:00), admitted; F6 merged into it on 22 Apr |
/// | F6 | petition, online, office B, C1 | 22 Apr 09:00 received; merged into F5 at 10:05 |
/// | F7 | guidance, phone, office A, C2 | received 27 Apr 09:00, registered 09:30; inadmissible 10:00 |
/// | F8 | petition, mail, office A, C4 | received 16 Apr 09:00, registered 10:00 (due 16 May, a Saturday: 18 May 23:00); admitted |
/// | F9 | guidance, online, office A, C2 | 24 Apr 09:00 received; information asked 10:00 (reply suspended) |
pub async fn april(store: &Store) -> April {
    let world = World::new();
    let mut script = Script::new(store, &world);
    let w = &world;
    let (a, b, bureau, s1, s2) = (
        w.office_a,
        w.office_b,
        w.bureau,
        w.structure_1,
        w.structure_2,
    );
    let office = |org| w.agent(Role::OfficeAgent, org);
    let bureau_agent = || w.agent(Role::CentralBureauAgent, bureau);
    let structure = |org| w.agent(Role::StructureAgent, org);
    let signatory = |org| w.agent(Role::Signatory, org);
    let petition = KindDetails::Petition;
    let guidance = KindDetails::GuidanceRequest;
    let notification = KindDetails::Notification {
        urgency: Urgency::High,
    };
    let files: Vec<NewFile> = vec![
        new_file(0, petition, a, &w.c1),
        new_file(1, petition, a, &w.c1),
        new_file(2, guidance, a, &w.c3),
        new_file(3, notification, bureau, &w.c2),
        new_file(4, KindDetails::Suggestion, bureau, &w.c2),
        new_file(5, petition, b, &w.c4),
        new_file(6, petition, b, &w.c1),
        new_file(7, guidance, a, &w.c2),
        new_file(8, petition, a, &w.c4),
        new_file(9, guidance, a, &w.c2),
    ];
    let ids: Vec<FileId> = files.iter().map(|f| f.file).collect();
    let codes: Vec<TrackingCode> = files.iter().map(|f| f.tracking_code.clone()).collect();
    let [r0, r0b, r1, r3, r4a, r4b] = [(); 6].map(|()| ReferralId::new_v7());
    let submit = |index: usize, author: &Citizen| CitizenFileCommand::SubmitFile {
        actor: author.actor(),
        file: files[index].clone(),
    };
    let register =
        |index: usize, channel, received_at, author: &Citizen| CitizenFileCommand::RegisterFile {
            actor: office(files[index].handled_by),
            file: files[index].clone(),
            channel,
            received_at,
            account: author.account,
        };
    let admit = |actor| CitizenFileCommand::AdmitFile { actor };
    let refer = |actor, referral, to| CitizenFileCommand::ReferFile {
        actor,
        referral,
        to,
        reason: "Note interne d'orientation".into(),
    };
    let reply = |to, referral, outcome| CitizenFileCommand::ReplyToReferral {
        actor: structure(to),
        referral,
        outcome,
        text: "Réponse interne de la structure".into(),
    };
    let give_back = |to, referral| CitizenFileCommand::ReturnReferral {
        actor: structure(to),
        referral,
        reason: "Hors de notre compétence".into(),
    };
    let draft = |actor, text: &str| CitizenFileCommand::DraftAnswer {
        actor,
        text: text.into(),
    };
    let sign = |org| CitizenFileCommand::SignAnswer {
        actor: signatory(org),
    };
    let rate = |author: &Citizen, stars| CitizenFileCommand::RateAnswer {
        actor: author.actor(),
        proof: AuthorProof::Account,
        stars,
        comment: Some(format!("Commentaire de {}", author.details.name)),
    };
    let ask = |actor| CitizenFileCommand::RequestInformation {
        actor,
        question: "Quelle est votre adresse exacte ?".into(),
    };

    // March.
    script.file(utc(3, 2, 9, 0), ids[0], submit(0, &w.c1)).await;
    script
        .file(utc(3, 2, 10, 0), ids[0], admit(office(a)))
        .await;
    script
        .file(utc(3, 2, 11, 0), ids[0], refer(office(a), r0, s2))
        .await;
    script
        .file(utc(3, 3, 9, 0), ids[0], give_back(s2, r0))
        .await;
    script
        .file(utc(3, 3, 10, 0), ids[0], refer(office(a), r0b, s1))
        .await;
    let at = utc(3, 23, 9, 0);
    script
        .file(at, ids[5], register(5, Channel::Counter, at, &w.c4))
        .await;
    script
        .file(utc(3, 23, 10, 0), ids[5], admit(office(b)))
        .await;
    // April.
    let answer = ReplyOutcome::Answer;
    script
        .file(utc(4, 6, 9, 0), ids[0], reply(s1, r0b, answer))
        .await;
    script
        .file(
            utc(4, 6, 10, 0),
            ids[0],
            draft(office(a), "Réponse initiale"),
        )
        .await;
    script.file(utc(4, 6, 14, 0), ids[0], sign(a)).await;
    let contest = CitizenFileCommand::ContestAnswer {
        actor: w.c1.actor(),
        proof: AuthorProof::Account,
        grounds: "La réponse ne traite pas ma demande".into(),
    };
    script.file(utc(4, 7, 9, 0), ids[0], contest).await;
    script
        .file(
            utc(4, 8, 9, 0),
            ids[0],
            draft(office(a), "Réponse après réexamen"),
        )
        .await;
    script.file(utc(4, 8, 15, 0), ids[0], sign(a)).await;
    script.file(utc(4, 10, 9, 0), ids[0], rate(&w.c1, 2)).await;
    script
        .file(utc(4, 13, 13, 0), ids[3], submit(3, &w.c2))
        .await;
    script
        .file(utc(4, 13, 13, 30), ids[3], admit(bureau_agent()))
        .await;
    script
        .file(utc(4, 13, 14, 0), ids[3], refer(bureau_agent(), r3, s2))
        .await;
    script
        .file(utc(4, 14, 9, 0), ids[1], submit(1, &w.c1))
        .await;
    let extend = CitizenFileCommand::ExtendDeadline {
        actor: bureau_agent(),
        target: DeadlineTarget::Referral(r3),
        amount: 24,
        reason: MoreTimeReason::FieldWork,
    };
    script.file(utc(4, 14, 9, 30), ids[3], extend).await;
    script
        .file(utc(4, 14, 10, 0), ids[1], admit(office(a)))
        .await;
    script
        .file(utc(4, 14, 11, 0), ids[1], refer(office(a), r1, s1))
        .await;
    let registration = register(2, Channel::Email, utc(4, 14, 8, 0), &w.c3);
    script.file(utc(4, 14, 12, 0), ids[2], registration).await;
    let acknowledge = CitizenFileCommand::AcknowledgeReferral {
        actor: structure(s1),
        referral: r1,
    };
    script.file(utc(4, 15, 9, 0), ids[1], acknowledge).await;
    let more_time = CitizenFileCommand::TellSenderMoreTimeNeeded {
        actor: office(a),
        reason: MoreTimeReason::DocumentsToConsult,
    };
    script.file(utc(4, 15, 9, 10), ids[2], more_time).await;
    script
        .file(utc(4, 15, 9, 20), ids[4], submit(4, &w.c2))
        .await;
    script
        .file(utc(4, 15, 10, 0), ids[2], admit(office(a)))
        .await;
    script
        .file(utc(4, 15, 10, 30), ids[4], admit(bureau_agent()))
        .await;
    script.file(utc(4, 15, 11, 0), ids[2], ask(office(a))).await;
    script
        .file(utc(4, 15, 11, 30), ids[4], refer(bureau_agent(), r4a, s2))
        .await;
    script
        .file(utc(4, 15, 15, 0), ids[4], give_back(s2, r4a))
        .await;
    script
        .file(utc(4, 15, 16, 0), ids[4], refer(bureau_agent(), r4b, s1))
        .await;
    script
        .file(utc(4, 16, 9, 0), ids[1], reply(s1, r1, answer))
        .await;
    let registration = register(8, Channel::Mail, utc(4, 16, 9, 0), &w.c4);
    script.file(utc(4, 16, 10, 0), ids[8], registration).await;
    script
        .file(utc(4, 16, 11, 0), ids[8], admit(office(a)))
        .await;
    script
        .file(utc(4, 17, 9, 0), ids[1], draft(office(a), "Réponse à F1"))
        .await;
    let intervention = ReplyOutcome::InterventionReport {
        intervened_at: utc(4, 17, 10, 0),
        harm_removed: true,
    };
    script
        .file(utc(4, 17, 10, 0), ids[3], reply(s2, r3, intervention))
        .await;
    script
        .file(
            utc(4, 17, 11, 0),
            ids[3],
            draft(bureau_agent(), "Réponse à F3"),
        )
        .await;
    script.file(utc(4, 17, 12, 0), ids[3], sign(bureau)).await;
    script.file(utc(4, 17, 15, 0), ids[1], sign(a)).await;
    script.file(utc(4, 20, 9, 0), ids[1], rate(&w.c1, 5)).await;
    let provide = CitizenFileCommand::ProvideInformation {
        actor: w.c3.actor(),
        proof: AuthorProof::TrackingCode(codes[2].clone()),
        answer: "Mon adresse est 5 rue de Marseille".into(),
        attachments: Vec::new(),
    };
    script.file(utc(4, 20, 9, 30), ids[2], provide).await;
    script.file(utc(4, 20, 10, 0), ids[3], rate(&w.c2, 3)).await;
    script
        .file(utc(4, 22, 9, 0), ids[6], submit(6, &w.c1))
        .await;
    let attach = CitizenFileCommand::AttachDuplicate {
        actor: office(b),
        duplicate: ids[6],
        follower: w.c1.author_ref(),
    };
    script.file(utc(4, 22, 10, 0), ids[5], attach).await;
    let merge = CitizenFileCommand::MergeIntoFile {
        actor: office(b),
        surviving: ids[5],
    };
    script.file(utc(4, 22, 10, 5), ids[6], merge).await;
    script
        .file(utc(4, 24, 9, 0), ids[9], submit(9, &w.c2))
        .await;
    script.file(utc(4, 24, 10, 0), ids[9], ask(office(a))).await;
    let registration = register(7, Channel::Phone, utc(4, 27, 9, 0), &w.c2);
    script.file(utc(4, 27, 9, 30), ids[7], registration).await;
    let inadmissible = CitizenFileCommand::DeclareInadmissible {
        actor: office(a),
        reason: InadmissibilityReason::OutsideCompetence,
        note: Some("Adressez-vous à la municipalité".into()),
    };
    script.file(utc(4, 27, 10, 0), ids[7], inadmissible).await;

    let events = script.events;
    drop(script);
    April {
        files: ids,
        codes,
        r0,
        r0b,
        r1,
        r3,
        r4a,
        r4b,
        events,
        world,
    }
}

/// Events appended after the April history: S1 replies to R4b on 4 May; on 5 May office A
/// registers F10, a letter received on 29 April.
pub async fn early_may(store: &Store, april: &April) -> FileId {
    let w = &april.world;
    let mut script = Script::new(store, w);
    let reply = CitizenFileCommand::ReplyToReferral {
        actor: w.agent(Role::StructureAgent, w.structure_1),
        referral: april.r4b,
        outcome: ReplyOutcome::FeasibilityAssessment {
            feasibility: Feasibility::Feasible,
        },
        text: "Faisable".into(),
    };
    script.file(utc(5, 4, 9, 0), april.file(4), reply).await;
    let late = new_file(10, KindDetails::Petition, w.office_a, &w.c4);
    let id = late.file;
    let registration = CitizenFileCommand::RegisterFile {
        actor: w.agent(Role::OfficeAgent, w.office_a),
        file: late,
        channel: Channel::Mail,
        received_at: utc(4, 29, 9, 0),
        account: w.c4.account,
    };
    script.file(utc(5, 5, 10, 0), id, registration).await;
    id
}
