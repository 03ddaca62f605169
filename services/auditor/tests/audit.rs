//! The auditor as a process: verification of intact and tampered logs (changed, deleted,
//! reordered and inserted events), replay as of a position, export with and without the
//! master key.

#![allow(clippy::unwrap_used)]

use std::process::Command;
use std::sync::Arc;

use chrono::{TimeZone, Utc};
use event_store::{BackendKind, MasterKey, SqlKeyVault, Store, StoreConfig};
use kernel::calendar::HolidayCalendar;
use kernel::organisation::{Governorate, LocalizedName};
use kernel::personal_data::{KeyVault, PersonalDataCipher, SubjectId};
use kernel::tracking::TrackingCode;
use kernel::{
    Actor, ActorId, InMemoryDirectory, ManualClock, Organisation, OrganisationId, OrganisationKind,
    Role,
};
use watcher::{
    Channel, ServicePoint, ServicePointCommand, ServicePointId, WatcherConfig, WatcherServices,
};

struct Fixture {
    store: Store,
    url: String,
    points: Vec<ServicePointId>,
    master_key: MasterKey,
    subject: SubjectId,
    file: String,
    _dir: Option<tempfile::TempDir>,
}

async fn fixture(postgres: bool) -> Fixture {
    let (url, dir) = if postgres {
        (test_support::fresh_postgres_database().await, None)
    } else {
        let dir = tempfile::tempdir().unwrap();
        (
            format!("sqlite://{}/store.db", dir.path().display()),
            Some(dir),
        )
    };
    let store = Store::connect(&StoreConfig {
        url: url.clone(),
        ..StoreConfig::default()
    })
    .await
    .unwrap();
    let department = Organisation {
        id: OrganisationId::new_v7(),
        kind: OrganisationKind::WatcherDepartment,
        name: LocalizedName {
            ar: "إدارة".into(),
            fr: "Département".into(),
        },
        parent: None,
        governorate: None,
    };
    let body = Organisation {
        id: OrganisationId::new_v7(),
        kind: OrganisationKind::PublicEstablishment,
        ..department.clone()
    };
    let office = Organisation {
        id: OrganisationId::new_v7(),
        kind: OrganisationKind::CitizenRelationsOffice,
        ..department.clone()
    };
    let directory = InMemoryDirectory::with([department.clone(), body.clone(), office.clone()]);
    let clock = ManualClock::at(Utc.with_ymd_and_hms(2026, 6, 1, 8, 0, 0).unwrap());
    let master_key = MasterKey::generate().unwrap();
    let cipher = PersonalDataCipher::new(Arc::new(SqlKeyVault::new(
        store.clone(),
        master_key.clone(),
    )));
    let services = WatcherServices {
        clock: Arc::new(clock.clone()),
        calendar: HolidayCalendar::tunisia().unwrap(),
        directory: Arc::new(directory.clone()),
        cipher: cipher.clone(),
        config: WatcherConfig::default(),
    };
    let supervisor = Actor::agent(ActorId::new_v7(), Role::WatcherSupervisor, department.id);
    let cqrs = store.cqrs::<ServicePoint>(vec![], services);
    let mut points = Vec::new();
    for n in 0..3 {
        let point = ServicePointId::new_v7();
        cqrs.execute(
            &point.to_string(),
            ServicePointCommand::RegisterServicePoint {
                actor: supervisor,
                point,
                organisation: body.id,
                governorate: Governorate::Sfax,
                channel: Channel::Counter,
                name: format!("Guichet {n}"),
                locator: "Avenue Habib Bourguiba".into(),
            },
        )
        .await
        .unwrap();
        points.push(point);
    }
    cqrs.execute(
        &points[0].to_string(),
        ServicePointCommand::RetireServicePoint {
            actor: supervisor,
            reason: "Fermé".into(),
        },
    )
    .await
    .unwrap();

    // A citizen file: its author's details travel sealed.
    let subject = SubjectId::new_v7();
    let file = citizen_file::FileId::new_v7();
    let file_services = citizen_file::CitizenFileServices {
        clock: Arc::new(clock),
        calendar: Arc::new(HolidayCalendar::tunisia().unwrap()),
        cipher,
        directory: Arc::new(directory),
        signer: Arc::new(NoSigner),
        config: citizen_file::CitizenFileConfig::default(),
    };
    store
        .cqrs::<citizen_file::CitizenFile>(vec![], file_services)
        .execute(
            &file.to_string(),
            citizen_file::CitizenFileCommand::SubmitFile {
                actor: Actor::citizen(ActorId::new_v7()),
                file: citizen_file::NewFile {
                    file,
                    tracking_code: TrackingCode::from_value(42),
                    handled_by: office.id,
                    subject,
                    author: citizen_file::AuthorDetails {
                        person: citizen_file::PersonKind::Natural,
                        name: "Amira Ben Salah".into(),
                        national_id: None,
                        email: Some("amira@example.tn".into()),
                        phone: None,
                        postal_address: None,
                    },
                    kind: citizen_file::KindDetails::Petition,
                    title: "Éclairage".into(),
                    body: "La rue est sombre.".into(),
                    location: None,
                    attachments: vec![],
                },
            },
        )
        .await
        .unwrap();
    Fixture {
        store,
        url,
        points,
        master_key,
        subject,
        file: file.to_string(),
        _dir: dir,
    }
}

#[derive(Debug)]
struct NoSigner;

#[async_trait::async_trait]
impl citizen_file::AnswerSigner for NoSigner {
    async fn sign(
        &self,
        _: &citizen_file::AnswerDocument,
        _: &Actor,
    ) -> Result<citizen_file::AnswerSignature, citizen_file::SigningError> {
        Err(citizen_file::SigningError::Unavailable {
            reason: "test".into(),
        })
    }
}

/// Runs the auditor; returns its exit code and standard output.
fn auditor(url: &str, args: &[&str]) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_auditor"))
        .env("DATABASE_URL", url)
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

/// Runs `sql` with the append-only triggers lifted, as a database administrator could.
async fn tamper(store: &Store, sql: &str) {
    let mut tx = store.any_pool().begin().await.unwrap();
    match store.kind() {
        BackendKind::Postgres => {
            sqlx::query("ALTER TABLE events DISABLE TRIGGER USER")
                .execute(&mut *tx)
                .await
                .unwrap();
            sqlx::raw_sql(sql).execute(&mut *tx).await.unwrap();
            sqlx::query("ALTER TABLE events ENABLE TRIGGER USER")
                .execute(&mut *tx)
                .await
                .unwrap();
        }
        BackendKind::Sqlite => {
            for trigger in ["events_no_update", "events_no_delete"] {
                sqlx::query(&format!("DROP TRIGGER IF EXISTS {trigger}"))
                    .execute(&mut *tx)
                    .await
                    .unwrap();
            }
            sqlx::raw_sql(sql).execute(&mut *tx).await.unwrap();
        }
    }
    tx.commit().await.unwrap();
}

fn first_break(output: &str) -> serde_json::Value {
    serde_json::from_str::<serde_json::Value>(output).unwrap()["chains"]["first_break"].clone()
}

async fn tampering_is_found_at_the_right_place(postgres: bool) {
    let intact = fixture(postgres).await;
    let (code, output) = auditor(&intact.url, &["verify"]);
    assert_eq!(code, 0, "{output}");
    assert!(first_break(&output).is_null());

    let stream = |f: &Fixture, n: usize| f.points[n].to_string();
    // A changed event.
    let changed = fixture(postgres).await;
    let replaced = "replace(CAST(payload AS TEXT), 'Guichet 1', 'Guichet X')";
    let replaced = if postgres {
        format!("CAST({replaced} AS json)")
    } else {
        replaced.to_owned()
    };
    tamper(
        &changed.store,
        &format!(
            "UPDATE events SET payload = {replaced} WHERE aggregate_id = '{}'",
            stream(&changed, 1)
        ),
    )
    .await;
    let (code, output) = auditor(&changed.url, &["verify"]);
    assert_eq!(code, 1);
    let broken = first_break(&output);
    assert_eq!(
        (broken["aggregate_id"].as_str(), broken["sequence"].as_i64()),
        (Some(stream(&changed, 1).as_str()), Some(1))
    );
    assert_eq!(broken["fault"]["kind"], "content_changed");

    // A deleted event (the first of a stream of two).
    let deleted = fixture(postgres).await;
    tamper(
        &deleted.store,
        &format!(
            "DELETE FROM events WHERE aggregate_id = '{}' AND sequence = 1",
            stream(&deleted, 0)
        ),
    )
    .await;
    let (code, output) = auditor(&deleted.url, &["verify"]);
    assert_eq!(code, 1);
    assert_eq!(
        first_break(&output)["fault"],
        serde_json::json!({"kind": "sequence_gap", "expected": 1})
    );

    // Two events of a stream swapped.
    let reordered = fixture(postgres).await;
    tamper(
        &reordered.store,
        &format!(
            "UPDATE events SET sequence = 3 - sequence + 10 WHERE aggregate_id = '{0}'; \
         UPDATE events SET sequence = sequence - 10 WHERE aggregate_id = '{0}'",
            stream(&reordered, 0)
        ),
    )
    .await;
    let (code, output) = auditor(&reordered.url, &["verify"]);
    assert_eq!(code, 1);
    assert_eq!(
        first_break(&output)["aggregate_id"].as_str(),
        Some(stream(&reordered, 0).as_str())
    );

    // An event inserted before the last one of a stream (a forged, well-formed row).
    let inserted = fixture(postgres).await;
    let cast = if postgres { "::json" } else { "" };
    tamper(&inserted.store, &format!(
        "UPDATE events SET sequence = 3 WHERE aggregate_id = '{0}' AND sequence = 2; \
         INSERT INTO events (aggregate_type, aggregate_id, sequence, event_type, event_version, payload, metadata, recorded_at, prev_hash, hash) \
         SELECT aggregate_type, aggregate_id, 2, event_type, event_version, payload{cast}, metadata{cast}, recorded_at, hash, hash FROM events \
         WHERE aggregate_id = '{0}' AND sequence = 1",
        stream(&inserted, 0)
    )).await;
    let (code, output) = auditor(&inserted.url, &["verify"]);
    assert_eq!(code, 1);
    let broken = first_break(&output);
    assert_eq!(
        (broken["aggregate_id"].as_str(), broken["sequence"].as_i64()),
        (Some(stream(&inserted, 0).as_str()), Some(2))
    );
}

#[tokio::test]
async fn tampering_is_found_on_sqlite() {
    tampering_is_found_at_the_right_place(false).await;
}

#[tokio::test]
async fn tampering_is_found_on_postgres() {
    tampering_is_found_at_the_right_place(true).await;
}

#[tokio::test]
async fn replay_shows_an_aggregate_as_it_was_and_its_history() {
    let f = fixture(false).await;
    let id = f.points[0].to_string();
    let (code, output) = auditor(&f.url, &["replay", "ServicePoint", &id]);
    assert_eq!(code, 0, "{output}");
    let now: serde_json::Value = serde_json::from_str(&output).unwrap();
    assert_eq!(now["history"].as_array().unwrap().len(), 2);
    assert_eq!(now["history"][1]["event_type"], "ServicePointRetired");
    assert_eq!(
        now["history"][0]["metadata"]["channel"].as_str(),
        None,
        "commands ran without gateway metadata here"
    );

    let first_position = now["history"][0]["position"].as_i64().unwrap().to_string();
    let (code, output) = auditor(
        &f.url,
        &[
            "replay",
            "ServicePoint",
            &id,
            "--as-of-position",
            &first_position,
        ],
    );
    assert_eq!(code, 0, "{output}");
    let then: serde_json::Value = serde_json::from_str(&output).unwrap();
    assert_eq!(then["history"].as_array().unwrap().len(), 1);
    assert_ne!(
        then["state"], now["state"],
        "the retirement is not in the earlier state"
    );

    let (code, _) = auditor(&f.url, &["replay", "Nothing", &id]);
    assert_eq!(code, 2);
    let (code, _) = auditor(&f.url, &["replay", "ServicePoint", "no-such-id"]);
    assert_eq!(code, 2);
}

#[tokio::test]
async fn export_reveals_personal_data_only_with_the_key_and_never_after_erasure() {
    let f = fixture(false).await;
    let lines = |args: &[&str]| {
        let (code, output) = auditor(&f.url, args);
        assert_eq!(code, 0);
        output
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
            .collect::<Vec<_>>()
    };
    // Three points registered, one retired, one file submitted.
    let all = lines(&["export"]);
    assert_eq!(all.len(), 5);
    let without_key = lines(&["export", "--type", "CitizenFile", "--id", &f.file]);
    assert_eq!(without_key.len(), 1);
    let details = &without_key[0]["payload"]["FileSubmitted"]["receipt"]["author_details"];
    assert_eq!(details, &serde_json::json!({"status": "erased"}));
    assert!(!without_key[0].to_string().contains("Amira"));

    let key_file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(key_file.path(), f.master_key.to_base64().as_str()).unwrap();
    let key_path = key_file.path().to_str().unwrap();
    let with_key = lines(&[
        "export",
        "--type",
        "CitizenFile",
        "--master-key-file",
        key_path,
    ]);
    let details = &with_key[0]["payload"]["FileSubmitted"]["receipt"]["author_details"];
    assert_eq!(details["status"], "clear");
    assert_eq!(details["value"]["name"], "Amira Ben Salah");

    // The person's data is erased (law 2004-63): even the key holder sees it erased now.
    SqlKeyVault::new(f.store.clone(), f.master_key.clone())
        .erase(f.subject)
        .await
        .unwrap();
    let after = lines(&[
        "export",
        "--type",
        "CitizenFile",
        "--master-key-file",
        key_path,
    ]);
    assert_eq!(
        after[0]["payload"]["FileSubmitted"]["receipt"]["author_details"],
        serde_json::json!({"status": "erased"})
    );

    let ranged = lines(&["export", "--from", "2", "--to", "3"]);
    assert_eq!(
        ranged
            .iter()
            .map(|l| l["position"].as_i64().unwrap())
            .collect::<Vec<_>>(),
        [2, 3]
    );
}

#[tokio::test]
async fn a_rebuilt_projection_is_compared_with_the_live_one() {
    let f = fixture(false).await;
    let calendar = HolidayCalendar::tunisia().unwrap();
    let runner = event_store::ProjectionRunner::new(
        f.store.clone(),
        event_store::RunnerSettings::default(),
        projections::watcher::projections(&calendar),
    )
    .unwrap();
    runner.catch_up("watcher.coverage").await.unwrap();

    let (code, output) = auditor(&f.url, &["rebuild", "--list"]);
    assert_eq!(code, 0);
    assert!(output.lines().any(|l| l == "watcher.coverage"), "{output}");
    let (code, output) = auditor(&f.url, &["rebuild", "watcher.coverage"]);
    assert_eq!(code, 0, "{output}");
    let report: serde_json::Value = serde_json::from_str(&output).unwrap();
    assert_eq!(report["tables"][1]["live_rows"], 3);

    // Someone edits the live read model by hand: the rebuild disagrees, and says where.
    sqlx::query("DELETE FROM watcher_service_points WHERE service_point_id = $1")
        .bind(f.points[2].to_string())
        .execute(f.store.any_pool())
        .await
        .unwrap();
    let (code, output) = auditor(&f.url, &["rebuild", "watcher.coverage"]);
    assert_eq!(code, 1, "{output}");
    let report: serde_json::Value = serde_json::from_str(&output).unwrap();
    let points = report["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["table"] == "watcher_service_points")
        .unwrap();
    assert_eq!(
        (
            points["live_rows"].as_u64(),
            points["rebuilt_rows"].as_u64()
        ),
        (Some(2), Some(3))
    );
    assert!(
        points["only_rebuilt"][0]
            .as_str()
            .unwrap()
            .contains(&f.points[2].to_string())
    );
    let (code, _) = auditor(&f.url, &["rebuild", "no.such.projection"]);
    assert_eq!(code, 2);
}

/// A store with one signed answer (a guidance request, which the office answers itself)
/// and one published tree head; the keystore, log key and master key in `dir`.
async fn signed_fixture(dir: &std::path::Path) -> (Store, String, MasterKey) {
    let url = format!("sqlite://{}/store.db", dir.display());
    let store = Store::connect(&StoreConfig {
        url: url.clone(),
        ..StoreConfig::default()
    })
    .await
    .unwrap();
    let office = Organisation {
        id: OrganisationId::new_v7(),
        kind: OrganisationKind::CitizenRelationsOffice,
        name: LocalizedName {
            ar: "مكتب".into(),
            fr: "Bureau".into(),
        },
        parent: None,
        governorate: None,
    };
    let now = Utc::now();
    let keystore = signing::Keystore::new(dir.join("keystore"));
    signing::init_development_authority(&keystore, "Test CA", now, chrono::Duration::days(30))
        .unwrap();
    let signatory = Actor::agent(ActorId::new_v7(), Role::Signatory, office.id);
    signing::issue_signatory(&keystore, signatory.id, now, chrono::Duration::days(30)).unwrap();
    let clock: Arc<dyn kernel::Clock> = Arc::new(kernel::SystemClock);
    let master_key = MasterKey::generate().unwrap();
    let services = citizen_file::CitizenFileServices {
        clock: clock.clone(),
        calendar: Arc::new(HolidayCalendar::tunisia().unwrap()),
        cipher: PersonalDataCipher::new(Arc::new(SqlKeyVault::new(
            store.clone(),
            master_key.clone(),
        ))),
        directory: Arc::new(InMemoryDirectory::with([office.clone()])),
        signer: Arc::new(signing::CertificateSigner::new(keystore, clock)),
        config: citizen_file::CitizenFileConfig::default(),
    };
    let files = store.cqrs::<citizen_file::CitizenFile>(vec![], services);
    let file = citizen_file::FileId::new_v7();
    let agent = Actor::agent(ActorId::new_v7(), Role::OfficeAgent, office.id);
    use citizen_file::CitizenFileCommand as C;
    let commands = [
        C::SubmitFile {
            actor: Actor::citizen(ActorId::new_v7()),
            file: citizen_file::NewFile {
                file,
                tracking_code: TrackingCode::from_value(7),
                handled_by: office.id,
                subject: SubjectId::new_v7(),
                author: citizen_file::AuthorDetails {
                    person: citizen_file::PersonKind::Natural,
                    name: "Sami Trabelsi".into(),
                    national_id: None,
                    email: Some("sami@example.tn".into()),
                    phone: None,
                    postal_address: None,
                },
                kind: citizen_file::KindDetails::GuidanceRequest,
                title: "Carte d'identité".into(),
                body: "Quelles pièces fournir ?".into(),
                location: None,
                attachments: vec![],
            },
        },
        C::AdmitFile { actor: agent },
        C::DraftAnswer {
            actor: agent,
            text: "Un extrait de naissance.".into(),
        },
        C::SignAnswer { actor: signatory },
    ];
    for command in commands {
        files.execute(&file.to_string(), command).await.unwrap();
    }
    let key = signing::LogSigningKey::generate();
    std::fs::write(
        dir.join("log.pub.pem"),
        key.public_key().to_public_key_pem().unwrap(),
    )
    .unwrap();
    let mut tree = signing::LogTree::new();
    let size = tree.catch_up(&store.log()).await.unwrap();
    let head = key.sign_tree_head(size, tree.root_at(size).unwrap(), Utc::now());
    signing::transparency::save_head(store.any_pool(), &head)
        .await
        .unwrap();
    std::fs::write(dir.join("master.key"), master_key.to_base64().as_str()).unwrap();
    (store, url, master_key)
}

fn report(output: &str) -> serde_json::Value {
    serde_json::from_str(output).unwrap_or_else(|e| panic!("{e}: {output}"))
}

#[tokio::test]
async fn signed_heads_and_answers_are_verified_and_rewriting_is_found() {
    let dir = tempfile::tempdir().unwrap();
    let (store, url, _) = signed_fixture(dir.path()).await;
    let path = |name: &str| dir.path().join(name).to_str().unwrap().to_owned();
    let args = |extra: &[String]| {
        let mut all = vec![
            "verify".to_owned(),
            "--log-key".into(),
            path("log.pub.pem"),
            "--keystore".into(),
            path("keystore"),
            "--master-key-file".into(),
            path("master.key"),
        ];
        all.extend_from_slice(extra);
        all
    };
    let run = |extra: &[String]| {
        let all = args(extra);
        auditor(&url, &all.iter().map(String::as_str).collect::<Vec<_>>())
    };

    let (code, output) = run(&[]);
    assert_eq!(code, 0, "{output}");
    let intact = report(&output);
    assert_eq!(intact["heads"]["checked"], 1);
    assert_eq!(intact["heads"]["signatures_checked"], true);
    assert_eq!(intact["answers"]["checked"], true);
    assert_eq!(intact["answers"]["valid"], 1);

    // A head an auditor kept whose root the log does not have: history was rewritten.
    let (_, latest) = (
        0,
        signing::transparency::latest_head(store.any_pool())
            .await
            .unwrap()
            .unwrap(),
    );
    let mut forged = latest.clone();
    forged.root_hash = signing::NodeHash([9; 32]);
    std::fs::write(path("kept.json"), serde_json::to_string(&forged).unwrap()).unwrap();
    let (code, output) = run(&["--head".into(), path("kept.json")]);
    assert_eq!(code, 1, "{output}");
    let faults = &report(&output)["heads"]["faults"];
    assert_eq!(faults[0]["tree_size"], latest.tree_size);
    assert!(faults[0]["fault"].as_str().unwrap().contains("rewritten"));

    // The signature's claimed document hash changed in the log: the answer no longer
    // verifies and its stream's chain breaks (the head rests on the stored chain hashes,
    // which a naive edit leaves alone).
    tamper(
        &store,
        "UPDATE events SET payload = replace(payload, '\"document_hash\":\"', '\"document_hash\":\"00') \
         WHERE event_type = 'AnswerSigned'",
    )
    .await;
    let (code, output) = run(&[]);
    assert_eq!(code, 1, "{output}");
    let tampered = report(&output);
    assert_eq!(tampered["answers"]["valid"], 0);
    assert_eq!(tampered["answers"]["faults"].as_array().unwrap().len(), 1);
    assert!(!tampered["chains"]["first_break"].is_null());

    // A rewriter who also recomputed the stored hashes: the published head catches it.
    tamper(
        &store,
        "UPDATE events SET hash = zeroblob(32) WHERE global_position = 1",
    )
    .await;
    let (code, output) = run(&[]);
    assert_eq!(code, 1, "{output}");
    let rewritten = report(&output);
    assert_eq!(rewritten["heads"]["faults"].as_array().unwrap().len(), 1);
}
