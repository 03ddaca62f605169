//! Signatures end to end on both backends (ADR 0008): a signatory with a certificate from
//! the keystore signs an answer; its author fetches the signed document and anyone verifies
//! it (a changed word is caught); once the certificate is revoked, signing is refused. The
//! log's signed tree heads are published, verify with the published key, and the inclusion
//! and consistency proofs check against roots computed here independently (RFC 9162 §2.1).

#![allow(clippy::unwrap_used)]

use std::time::Duration;

use base64::Engine;
use e2e::{Backend, TestApp, assert_problem, spawn_unthrottled_with};
use kernel::{ActorKind, OrganisationKind, Role};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use signing::{LogPublicKey, SignedTreeHead};

/// A guidance request (which the office answers itself, art. 8) taken to the signature.
async fn drafted_answer(
    app: &TestApp,
    office: kernel::OrganisationId,
    citizen: &str,
    agent: &str,
) -> String {
    let (status, receipt) = app
        .post_json(
            "/api/v1/files",
            citizen,
            &json!({
                "kind": "guidance_request",
                "handled_by": office,
                "author": {"person": "natural", "name": "Amira Ben Salah", "email": "amira@example.tn"},
                "title": "Pièces pour une carte d'identité",
                "body": "Quelles pièces faut-il pour renouveler ma carte ?",
            }),
        )
        .await;
    assert_eq!(status, 201, "{receipt}");
    let files = format!("/api/v1/files/{}", receipt["file"].as_str().unwrap());
    assert_eq!(
        app.post_json(&format!("{files}/admission"), agent, &json!({}))
            .await
            .0,
        204
    );
    let (status, body) = app
        .post_json(
            &format!("{files}/answer-draft"),
            agent,
            &json!({"text": "Un extrait de naissance et deux photos."}),
        )
        .await;
    assert_eq!(status, 204, "{body}");
    files
}

/// RFC 9162 §2.1.1 MTH, written here from the RFC rather than taken from the crate.
fn mth(leaves: &[[u8; 32]]) -> [u8; 32] {
    match leaves.len() {
        0 => Sha256::digest([]).into(),
        1 => leaves[0],
        n => {
            let k = n.next_power_of_two() / 2;
            let mut hasher = Sha256::new();
            hasher.update([1u8]);
            hasher.update(mth(&leaves[..k]));
            hasher.update(mth(&leaves[k..]));
            hasher.finalize().into()
        }
    }
}

/// The leaf hashes of the log, in log order, from the events table.
async fn leaves(app: &TestApp) -> Vec<(i64, [u8; 32])> {
    let events = app
        .state
        .store
        .log()
        .read(event_store::Cursor::START, None, 100_000)
        .await
        .unwrap();
    events
        .iter()
        .map(|e| {
            let mut hasher = Sha256::new();
            hasher.update([0u8]);
            hasher.update(e.position.to_be_bytes());
            hasher.update(&e.hash);
            (e.position, hasher.finalize().into())
        })
        .collect()
}

async fn head_of_at_least(app: &TestApp, size: u64) -> SignedTreeHead {
    for _ in 0..200 {
        let (status, head) = app.get_json("/api/v1/log/tree-heads/latest", "").await;
        if status == 200 {
            let head: SignedTreeHead = serde_json::from_value(head).unwrap();
            if head.tree_size >= size {
                return head;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no tree head of {size} events was published");
}

fn hex32(value: &Value) -> [u8; 32] {
    hex::decode(value.as_str().unwrap())
        .unwrap()
        .try_into()
        .unwrap()
}

async fn answers_are_signed_and_the_log_is_digested(backend: Backend) {
    let keys = tempfile::tempdir().unwrap();
    let keystore = signing::Keystore::new(keys.path().join("keystore"));
    let log_key = keys.path().join("log.key.pem");
    let app = spawn_unthrottled_with(backend, |s| {
        s.signing.keystore = Some(keystore.dir().to_path_buf());
        s.signing.log_key_file = Some(log_key.clone());
        s.signing.tree_head_interval_ms = 50;
    })
    .await;
    let ministry = app.organisation(OrganisationKind::Ministry, None).await;
    let office = app
        .organisation(OrganisationKind::CitizenRelationsOffice, Some(ministry))
        .await;
    let citizen = app
        .account_with(ActorKind::Citizen, "amira@example.tn", &[])
        .await;
    let office_agent = app
        .agent("agent@office.tn", Role::OfficeAgent, office)
        .await;
    let signatory = app
        .agent("signatory@office.tn", Role::Signatory, office)
        .await;
    let (_, me) = app.get_json("/api/v1/auth/me", &signatory).await;
    let signatory_id: kernel::ActorId = me["id"].as_str().unwrap().parse().unwrap();

    // Without a certificate, the signatory cannot sign (the keystore has none for them).
    let now = chrono::Utc::now();
    signing::init_development_authority(&keystore, "Test CA", now, chrono::Duration::days(30))
        .unwrap();
    let files = drafted_answer(&app, office, &citizen, &office_agent).await;
    let refused = app
        .post_json(&format!("{files}/answer-signature"), &signatory, &json!({}))
        .await;
    assert_problem(&refused, 409, "code", "no_valid_certificate");

    // With one, the answer is signed.
    let serial =
        signing::issue_signatory(&keystore, signatory_id, now, chrono::Duration::days(30)).unwrap();
    let (status, body) = app
        .post_json(&format!("{files}/answer-signature"), &signatory, &json!({}))
        .await;
    assert_eq!(status, 204, "{body}");
    app.settle().await;

    // Its author fetches the signed document; anyone verifies it, by body or by link.
    let (status, answers) = app
        .get_json(&format!("{files}/signed-answers"), &citizen)
        .await;
    assert_eq!(status, 200, "{answers}");
    let signed = answers[0].clone();
    assert_eq!(
        signed["document"]["answer"],
        "Un extrait de naissance et deux photos."
    );
    let (status, verdict) = app.post_json("/api/v1/verify", "", &signed).await;
    assert_eq!(status, 200, "{verdict}");
    assert_eq!(verdict["valid"], true, "{verdict}");
    assert_eq!(verdict["certificate"]["serial"], serial.as_str());
    let encoded = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(signed.to_string());
    let (_, by_link) = app
        .get_json(&format!("/api/v1/verify?answer={encoded}"), "")
        .await;
    assert_eq!(by_link["valid"], true, "{by_link}");
    let mut changed = signed.clone();
    changed["document"]["answer"] = json!("Un extrait de naissance et trois photos.");
    let (_, verdict) = app.post_json("/api/v1/verify", "", &changed).await;
    assert_eq!(verdict["valid"], false);
    assert_eq!(verdict["reason"], "document_changed");
    let garbled = app.get_json("/api/v1/verify?answer=%%%", "").await;
    assert_problem(&garbled, 422, "field", "answer");
    let (status, _) = app
        .get_json(&format!("{files}/signed-answers"), &office_agent)
        .await;
    assert_eq!(status, 200);

    // A revoked certificate signs no more.
    signing::revoke(&keystore, &serial, chrono::Utc::now()).unwrap();
    let second = drafted_answer(&app, office, &citizen, &office_agent).await;
    let refused = app
        .post_json(
            &format!("{second}/answer-signature"),
            &signatory,
            &json!({}),
        )
        .await;
    assert_eq!(refused.0, 409, "{}", refused.1);

    // The log's heads: signed with the published key, over the whole log.
    let (status, key) = app.get_json("/api/v1/log/public-key", "").await;
    assert_eq!(status, 200, "{key}");
    let public_key =
        LogPublicKey::from_public_key_pem(key["public_key_pem"].as_str().unwrap()).unwrap();
    let log = leaves(&app).await;
    let first = head_of_at_least(&app, log.len() as u64).await;
    first.verify(&public_key).unwrap();
    let size = usize::try_from(first.tree_size).unwrap();
    let hashes: Vec<[u8; 32]> = log.iter().map(|(_, h)| *h).collect();
    assert_eq!(first.root_hash.0, mth(&hashes[..size]));

    // The proof that an event is in that head.
    let (position, leaf) = log[size / 2];
    let (status, inclusion) = app
        .get_json(
            &format!(
                "/api/v1/log/proofs/inclusion?position={position}&tree_size={}",
                first.tree_size
            ),
            "",
        )
        .await;
    assert_eq!(status, 200, "{inclusion}");
    assert_eq!(hex32(&inclusion["leaf_hash"]), leaf);
    let proof: signing::InclusionProof =
        serde_json::from_value(inclusion["proof"].clone()).unwrap();
    proof
        .verify(&signing::NodeHash(leaf), &first.root_hash)
        .unwrap();
    let unknown = app
        .get_json(
            "/api/v1/log/proofs/inclusion?position=999999&tree_size=1",
            "",
        )
        .await;
    assert_eq!(unknown.0, 404);
    let beyond = app
        .get_json(
            &format!("/api/v1/log/proofs/inclusion?position={position}&tree_size=999999"),
            "",
        )
        .await;
    assert_problem(&beyond, 422, "field", "tree_size");

    // More events, a later head, and the proof that it extends the first.
    drafted_answer(&app, office, &citizen, &office_agent).await;
    let log = leaves(&app).await;
    let later = head_of_at_least(&app, log.len() as u64).await;
    assert!(later.tree_size > first.tree_size);
    let hashes: Vec<[u8; 32]> = log.iter().map(|(_, h)| *h).collect();
    assert_eq!(
        later.root_hash.0,
        mth(&hashes[..usize::try_from(later.tree_size).unwrap()])
    );
    let (status, consistency) = app
        .get_json(
            &format!(
                "/api/v1/log/proofs/consistency?first={}&second={}",
                first.tree_size, later.tree_size
            ),
            "",
        )
        .await;
    assert_eq!(status, 200, "{consistency}");
    let proof: signing::ConsistencyProof = serde_json::from_value(consistency).unwrap();
    proof.verify(&first.root_hash, &later.root_hash).unwrap();
    let (_, listed) = app.get_json("/api/v1/log/tree-heads?limit=2", "").await;
    assert_eq!(listed["items"][0]["tree_size"], later.tree_size);

    app.stop().await;
}

#[tokio::test]
async fn answers_are_signed_and_the_log_is_digested_on_sqlite() {
    answers_are_signed_and_the_log_is_digested(Backend::Sqlite).await;
}

#[tokio::test]
async fn answers_are_signed_and_the_log_is_digested_on_postgres() {
    answers_are_signed_and_the_log_is_digested(Backend::Postgres).await;
}
