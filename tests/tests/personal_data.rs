//! A person's rights over their data (organic law 2004-63): the access request returns
//! everything held about them and nothing about others; erasure makes their data unreadable
//! everywhere, closes the account, withdraws mail waiting for them, and leaves the log's
//! hash chains intact.

#![allow(clippy::unwrap_used)]

use e2e::{Backend, spawn_app};
use kernel::{ActorKind, OrganisationKind, Role, RoleGrant};
use serde_json::{Value, json};

async fn scenario(backend: Backend) {
    let app = spawn_app(backend).await;
    let ministry = app.organisation(OrganisationKind::Ministry, None).await;
    let office = app
        .organisation(OrganisationKind::CitizenRelationsOffice, Some(ministry))
        .await;
    let amira = app
        .account_with(ActorKind::Citizen, "amira@example.tn", &[])
        .await;
    let sami = app
        .account_with(ActorKind::Citizen, "sami@example.tn", &[])
        .await;
    let agent = app
        .account_with(
            ActorKind::Agent,
            "agent@office.tn",
            &[RoleGrant {
                role: Role::OfficeAgent,
                organisation: office,
            }],
        )
        .await;
    let petition = json!({
        "kind": "petition",
        "handled_by": office,
        "author": {"person": "natural", "name": "Amira Ben Salah", "email": "amira@example.tn"},
        "title": "Permis de bâtir en attente",
        "body": "Ma demande de permis de bâtir attend depuis six mois.",
    });
    let submitted = app.post("/api/v1/files", Some(&amira), &petition).await;
    assert_eq!(submitted.status(), 201);
    let file = submitted.json::<Value>().await.unwrap()["file"]
        .as_str()
        .unwrap()
        .to_owned();
    app.settle().await;

    // Access: her account and her file, her own values opened.
    let (status, held) = app.get_json("/api/v1/me/personal-data", &amira).await;
    assert_eq!(status, 200, "{held}");
    assert_eq!(held["account"]["email"], "amira@example.tn");
    let records = held["records"].as_array().unwrap();
    assert_eq!(records.len(), 1, "{held}");
    assert_eq!(records[0]["record_type"], "CitizenFile");
    assert_eq!(records[0]["record_id"], file.as_str());
    let text = held.to_string();
    assert!(text.contains("Amira Ben Salah"), "{text}");
    assert!(!text.contains("\"ciphertext\""), "{text}");
    // Someone else holds nothing of hers.
    let (_, other) = app.get_json("/api/v1/me/personal-data", &sami).await;
    assert_eq!(other["records"], json!([]));
    assert!(!other.to_string().contains("Amira"));
    // The office reads her name on the file before erasure.
    let (status, before) = app.get_json(&format!("/api/v1/files/{file}"), &agent).await;
    assert_eq!(status, 200, "{before}");
    assert!(before.to_string().contains("Amira Ben Salah"));

    // Erasure asks for the password again.
    let wrong = app
        .post(
            "/api/v1/me/erasure",
            Some(&amira),
            &json!({"password": "not it"}),
        )
        .await;
    assert_eq!(wrong.status(), 403);
    let erased = app
        .post(
            "/api/v1/me/erasure",
            Some(&amira),
            &json!({"password": "correct horse battery"}),
        )
        .await;
    assert_eq!(erased.status(), 204);

    // Her session is gone, her address too, and she cannot log in any more.
    let (status, _) = app.get_json("/api/v1/me/personal-data", &amira).await;
    assert_eq!(status, 401);
    let login = app
        .post(
            "/api/v1/auth/login",
            None,
            &json!({"email": "amira@example.tn", "password": "correct horse battery"}),
        )
        .await;
    assert_eq!(login.status(), 401);
    let waiting: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM outbox WHERE destination = 'amira@example.tn' AND status = 'pending'",
    )
    .fetch_one(app.state.store.any_pool())
    .await
    .unwrap();
    assert_eq!(waiting, 0);
    let addresses: i64 =
        sqlx::query_scalar("SELECT count(*) FROM accounts WHERE email = 'amira@example.tn'")
            .fetch_one(app.state.store.any_pool())
            .await
            .unwrap();
    assert_eq!(addresses, 0);

    // The file stays, for the administration's record, without her data.
    let (status, after) = app.get_json(&format!("/api/v1/files/{file}"), &agent).await;
    assert_eq!(status, 200, "{after}");
    let after = after.to_string();
    assert!(!after.contains("Amira"), "{after}");
    assert!(!after.contains("six mois"), "{after}");

    // The log was not rewritten: every chain still verifies.
    let report = event_store::verify(&app.state.store).await.unwrap();
    assert!(report.is_intact(), "{report:?}");
    assert!(report.events > 0);
    app.stop().await;
}

#[tokio::test]
async fn access_and_erasure_on_sqlite() {
    scenario(Backend::Sqlite).await;
}

#[tokio::test]
async fn access_and_erasure_on_postgres() {
    scenario(Backend::Postgres).await;
}
