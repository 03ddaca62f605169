//! Accounts end to end: registration and confirmation, login and logout, password reset,
//! brute-force locking, agents created by their organisation's administrator, the OpenAPI
//! document.

#![allow(clippy::unwrap_used)]

use e2e::{Backend, TestApp, spawn_app};
use kernel::{ActorKind, OrganisationKind, Role, RoleGrant};
use serde_json::json;

const PASSWORD: &str = "a long enough passphrase";

async fn login(app: &TestApp, email: &str, password: &str) -> reqwest::Response {
    app.post(
        "/api/v1/auth/login",
        None,
        &json!({"email": email, "password": password}),
    )
    .await
}

async fn a_citizen_registers_confirms_logs_in_and_out(backend: Backend) {
    let app = spawn_app(backend).await;
    let register = app
        .post(
            "/api/v1/auth/register",
            None,
            &json!({"email": " Amira@Example.TN ", "password": PASSWORD, "language": "fr"}),
        )
        .await;
    assert_eq!(register.status(), 202);

    // Not before the e-mail is confirmed.
    assert_eq!(
        login(&app, "amira@example.tn", PASSWORD).await.status(),
        403
    );
    let token = app.token_sent_to("amira@example.tn").await;
    assert_eq!(
        app.emails_to("amira@example.tn").await[0].0,
        "Confirmez votre adresse électronique"
    );
    assert_eq!(
        app.post("/api/v1/auth/confirm", None, &json!({"token": token}))
            .await
            .status(),
        204
    );
    // A link works once.
    assert_eq!(
        app.post("/api/v1/auth/confirm", None, &json!({"token": token}))
            .await
            .status(),
        400
    );

    assert_eq!(
        login(&app, "amira@example.tn", "wrong password")
            .await
            .status(),
        401
    );
    let session = login(&app, "AMIRA@example.tn", PASSWORD).await;
    assert_eq!(session.status(), 200);
    let cookie = session.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let body: serde_json::Value = session.json().await.unwrap();
    let token = body["token"].as_str().unwrap().to_owned();
    let me: serde_json::Value = app
        .get_as("/api/v1/auth/me", &token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (me["email"].as_str(), me["kind"].as_str()),
        (Some("amira@example.tn"), Some("citizen"))
    );

    assert_eq!(
        app.post("/api/v1/auth/logout", Some(&token), &json!({}))
            .await
            .status(),
        204
    );
    let after = app.get_as("/api/v1/auth/me", &token).await;
    assert_eq!(after.status(), 401);
    assert_eq!(after.headers()["content-type"], "application/problem+json");
    app.stop().await;
}

#[tokio::test]
async fn registration_and_sessions_on_sqlite() {
    a_citizen_registers_confirms_logs_in_and_out(Backend::Sqlite).await;
}

#[tokio::test]
async fn registration_and_sessions_on_postgres() {
    a_citizen_registers_confirms_logs_in_and_out(Backend::Postgres).await;
}

#[tokio::test]
async fn registration_never_tells_who_has_an_account_and_validates_its_fields() {
    let app = spawn_app(Backend::Sqlite).await;
    app.account_with(ActorKind::Citizen, "sami@example.tn", &[])
        .await;
    let again = app
        .post(
            "/api/v1/auth/register",
            None,
            &json!({"email": "sami@example.tn", "password": PASSWORD}),
        )
        .await;
    assert_eq!(again.status(), 202);
    let emails = app.emails_to("sami@example.tn").await;
    assert_eq!(emails.len(), 1);
    // In the existing account's language (French for accounts made by the harness).
    assert_eq!(emails[0].0, "Vous avez déjà un compte");

    let short = app
        .post(
            "/api/v1/auth/register",
            None,
            &json!({"email": "x@example.tn", "password": "short"}),
        )
        .await;
    assert_eq!(short.status(), 422);
    let problem: serde_json::Value = short.json().await.unwrap();
    assert_eq!(problem["field"], "password");
    let bad = app
        .post(
            "/api/v1/auth/register",
            None,
            &json!({"email": "not an address", "password": PASSWORD}),
        )
        .await;
    let problem: serde_json::Value = bad.json().await.unwrap();
    assert_eq!(problem["field"], "email");
    let unknown = app
        .post(
            "/api/v1/auth/register",
            None,
            &json!({"email": "y@example.tn", "password": PASSWORD, "admin": true}),
        )
        .await;
    assert!(unknown.status().is_client_error());
    app.stop().await;
}

#[tokio::test]
async fn a_password_reset_closes_every_session() {
    let app = spawn_app(Backend::Sqlite).await;
    let old_session = app
        .account_with(ActorKind::Citizen, "nour@example.tn", &[])
        .await;
    assert_eq!(
        app.post(
            "/api/v1/auth/password-reset",
            None,
            &json!({"email": "nour@example.tn"})
        )
        .await
        .status(),
        202
    );
    assert_eq!(
        app.post(
            "/api/v1/auth/password-reset",
            None,
            &json!({"email": "nobody@example.tn"})
        )
        .await
        .status(),
        202
    );
    let token = app.token_sent_to("nour@example.tn").await;
    let weak = app
        .post(
            "/api/v1/auth/password-reset/confirm",
            None,
            &json!({"token": token, "password": "short"}),
        )
        .await;
    assert_eq!(weak.status(), 422);
    let done = app
        .post(
            "/api/v1/auth/password-reset/confirm",
            None,
            &json!({"token": token, "password": PASSWORD}),
        )
        .await;
    assert_eq!(done.status(), 204);
    assert_eq!(
        app.get_as("/api/v1/auth/me", &old_session).await.status(),
        401
    );
    assert_eq!(login(&app, "nour@example.tn", PASSWORD).await.status(), 200);
    app.stop().await;
}

#[tokio::test]
async fn repeated_failures_lock_the_account_for_a_while() {
    let app = spawn_app(Backend::Sqlite).await;
    app.account_with(ActorKind::Citizen, "target@example.tn", &[])
        .await;
    for _ in 0..5 {
        assert_eq!(
            login(&app, "target@example.tn", "guess").await.status(),
            401
        );
    }
    // Even the right password is refused until the lock ends.
    let locked = login(&app, "target@example.tn", "correct horse battery").await;
    assert_eq!(locked.status(), 429);
    assert!(
        locked.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse::<u64>()
            .unwrap()
            > 0
    );
    app.stop().await;
}

#[tokio::test]
async fn an_administrator_creates_agents_only_within_its_organisation() {
    let app = spawn_app(Backend::Sqlite).await;
    let ministry = app.organisation(OrganisationKind::Ministry, None).await;
    let office = app
        .organisation(OrganisationKind::CitizenRelationsOffice, Some(ministry))
        .await;
    let elsewhere = app.organisation(OrganisationKind::Ministry, None).await;
    let admin = app
        .account_with(
            ActorKind::Agent,
            "admin@ministry.tn",
            &[RoleGrant {
                role: Role::PlatformAdmin,
                organisation: ministry,
            }],
        )
        .await;

    let created = app
        .post(
            "/api/v1/admin/accounts",
            Some(&admin),
            &json!({
                "email": "agent@ministry.tn",
                "grants": [{"role": "office_agent", "organisation": office.to_string()}]
            }),
        )
        .await;
    assert_eq!(created.status(), 201);
    let outside = app
        .post(
            "/api/v1/admin/accounts",
            Some(&admin),
            &json!({
                "email": "spy@ministry.tn",
                "grants": [{"role": "auditor", "organisation": elsewhere.to_string()}]
            }),
        )
        .await;
    assert_eq!(outside.status(), 403);

    // The invited agent chooses a password and holds its role.
    let token = app.token_sent_to("agent@ministry.tn").await;
    assert_eq!(
        app.post(
            "/api/v1/auth/invitation/accept",
            None,
            &json!({"token": token, "password": PASSWORD})
        )
        .await
        .status(),
        204
    );
    let session: serde_json::Value = login(&app, "agent@ministry.tn", PASSWORD)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(session["account"]["grants"][0]["role"], "office_agent");

    // Neither citizens nor anonymous callers reach the administration.
    let citizen = app
        .account_with(ActorKind::Citizen, "c@example.tn", &[])
        .await;
    let body = json!({"email": "x@ministry.tn", "grants": []});
    assert_eq!(
        app.post("/api/v1/admin/accounts", Some(&citizen), &body)
            .await
            .status(),
        403
    );
    assert_eq!(
        app.post("/api/v1/admin/accounts", None, &body)
            .await
            .status(),
        401
    );
    app.stop().await;
}

#[tokio::test]
async fn the_openapi_document_and_its_page_are_served() {
    let app = spawn_app(Backend::Sqlite).await;
    let document: serde_json::Value = app.get("/api/v1/openapi.json").await.json().await.unwrap();
    assert!(document["openapi"].as_str().unwrap().starts_with("3.1"));
    assert!(document["paths"]["/api/v1/auth/login"]["post"].is_object());
    assert!(document["components"]["securitySchemes"]["bearer"].is_object());
    let page = app.get("/api/v1/docs").await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("<html"));
    app.stop().await;
}
