//! Authors hear about their file (receipt, admission...) in Arabic by e-mail, through the
//! outbox; public events reach the NATS feed; an erased author hears nothing more.

#![allow(clippy::unwrap_used)]

mod support;

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{TimeZone, Utc};
use citizen_file::{
    AnswerDocument, AnswerSignature, AnswerSigner, AuthorDetails, CitizenFile, CitizenFileCommand,
    CitizenFileConfig, CitizenFileServices, FileId, KindDetails, NewFile, PersonKind, SigningError,
};
use event_store::{MasterKey, ProjectionRunner, RunnerSettings, SqlKeyVault, Store};
use kernel::calendar::HolidayCalendar;
use kernel::organisation::LocalizedName;
use kernel::personal_data::{PersonalDataCipher, SubjectId};
use kernel::tracking::TrackingCode;
use kernel::{
    Actor, ActorId, InMemoryDirectory, ManualClock, Organisation, OrganisationId, OrganisationKind,
    Role,
};
use projections::delivery::{FeedChannel, FeedSettings};
use projections::messages::Catalog;
use projections::{
    AuthorNotifications, Channels, FeedProjection, Message, OutboxWorker, RetryPolicy,
};

#[derive(Debug)]
struct NoSigner;

#[async_trait]
impl AnswerSigner for NoSigner {
    async fn sign(&self, _: &AnswerDocument, _: &Actor) -> Result<AnswerSignature, SigningError> {
        Err(SigningError::Unavailable {
            reason: "not in this test".into(),
        })
    }
}

on_both_backends!(
    authors_are_told_in_arabic_and_public_events_reach_the_feed,
    |store: Store| async move {
        let office = Organisation {
            id: OrganisationId::new_v7(),
            kind: OrganisationKind::CitizenRelationsOffice,
            name: LocalizedName {
                ar: "مكتب العلاقات مع المواطن".into(),
                fr: "BRC".into(),
            },
            parent: None,
            governorate: None,
        };
        let clock = ManualClock::at(Utc.with_ymd_and_hms(2026, 3, 17, 9, 0, 0).unwrap());
        let cipher = PersonalDataCipher::new(Arc::new(SqlKeyVault::new(
            store.clone(),
            MasterKey::generate().unwrap(),
        )));
        let services = CitizenFileServices {
            clock: Arc::new(clock.clone()),
            calendar: Arc::new(HolidayCalendar::tunisia().unwrap()),
            cipher: cipher.clone(),
            directory: Arc::new(InMemoryDirectory::with([office.clone()])),
            signer: Arc::new(NoSigner),
            config: CitizenFileConfig::default(),
        };
        let cqrs = store.cqrs::<CitizenFile>(vec![], services);
        let author = ActorId::new_v7();
        let subject = SubjectId::new_v7();
        let file = FileId::new_v7();
        let code = TrackingCode::from_value(0x0123_4567_89ab);
        cqrs.execute(
            &file.to_string(),
            CitizenFileCommand::SubmitFile {
                actor: Actor::citizen(author),
                file: NewFile {
                    file,
                    tracking_code: code.clone(),
                    handled_by: office.id,
                    subject,
                    author: AuthorDetails {
                        person: PersonKind::Natural,
                        name: "Amira Ben Salah".into(),
                        national_id: None,
                        email: Some("amira@example.tn".into()),
                        phone: None,
                        postal_address: None,
                    },
                    kind: KindDetails::Petition,
                    title: "Éclairage public".into(),
                    body: "La rue est sans éclairage depuis un mois.".into(),
                    location: None,
                    attachments: vec![],
                },
            },
        )
        .await
        .unwrap();

        let unique = format!("{:x}", Utc::now().timestamp_nanos_opt().unwrap());
        let catalog = Arc::new(Catalog::load().unwrap());
        let runner = ProjectionRunner::new(
            store.clone(),
            RunnerSettings::default(),
            vec![
                Arc::new(AuthorNotifications::new(cipher.clone(), catalog)),
                Arc::new(FeedProjection::new(format!("t{unique}"))),
            ],
        )
        .unwrap();
        let catch_up = |expected: u64| {
            let runner = runner.clone();
            async move {
                for name in ["notifications.authors", "feed"] {
                    let mut applied = 0;
                    for _ in 0..500 {
                        applied += runner.catch_up(name).await.unwrap();
                        if applied >= expected {
                            break;
                        }
                        tokio::time::sleep(Duration::from_millis(20)).await;
                    }
                    assert_eq!(applied, expected, "{name}");
                }
            }
        };
        catch_up(1).await;

        // The author's data is erased (law 2004-63); the file goes on.
        cipher.vault().erase(subject).await.unwrap();
        let agent = Actor::agent(ActorId::new_v7(), Role::OfficeAgent, office.id);
        cqrs.execute(
            &file.to_string(),
            CitizenFileCommand::AdmitFile { actor: agent },
        )
        .await
        .unwrap();
        catch_up(1).await;

        let outbox = OutboxWorker::new(
            store.clone(),
            Channels::default(),
            RetryPolicy::default(),
            Arc::new(clock.clone()),
        );
        let pending = outbox.list("pending", 10).await.unwrap();
        let emails: Vec<_> = pending
            .iter()
            .filter_map(|e| match &e.message {
                Message::Email {
                    language,
                    subject,
                    text,
                } => Some((
                    e.destination.clone(),
                    language.clone(),
                    subject.clone(),
                    text.clone(),
                )),
                _ => None,
            })
            .collect();
        // Only the receipt: after erasure the address is gone, and nothing failed.
        assert_eq!(emails.len(), 1);
        let (to, language, subject_line, text) = &emails[0];
        assert_eq!((to.as_str(), language.as_str()), ("amira@example.tn", "ar"));
        assert!(subject_line.starts_with("تم تسجيل ملفكم"), "{subject_line}");
        assert!(text.contains(&code.to_string()), "{text}");

        // The feed: both events, delivered to a real NATS server, on their subjects.
        let settings = FeedSettings {
            enabled: true,
            url: test_support::nats_server().await,
            stream: format!("T{unique}"),
            subject_prefix: format!("t{unique}"),
        };
        let feed = Arc::new(FeedChannel::connect(&settings).await.unwrap());
        // Messages are queued at the events' recorded time (the real clock's).
        let outbox = OutboxWorker::new(
            store.clone(),
            Channels {
                feed: Some(feed),
                ..Channels::default()
            },
            RetryPolicy::default(),
            Arc::new(kernel::SystemClock),
        );
        assert_eq!(outbox.deliver_due().await.unwrap().delivered, 2);
        let client = async_nats::connect(&settings.url).await.unwrap();
        let stream = async_nats::jetstream::new(client)
            .get_stream(&settings.stream)
            .await
            .unwrap();
        let first = stream.get_raw_message(1).await.unwrap();
        assert_eq!(
            first.subject.as_str(),
            format!("t{unique}.citizen_file.FileSubmitted")
        );
        let second = stream.get_raw_message(2).await.unwrap();
        assert_eq!(
            second.subject.as_str(),
            format!("t{unique}.citizen_file.FileAdmitted")
        );
        let body: serde_json::Value = serde_json::from_slice(&first.payload).unwrap();
        // No personal data in clear: the author's name travels only as ciphertext.
        assert!(!String::from_utf8_lossy(&first.payload).contains("Amira"));
        assert_eq!(body["aggregate_id"], file.to_string());
        assert!(body.get("metadata").is_none());
    }
);
