//! Citizen files end to end (decree 2019-1242): a petition from submission to the signature
//! step on both backends, tracking by code and secret without an account, the scoping
//! rules (a structure sees only what was referred to it, a citizen only their own files, an
//! auditor reads and never writes), and each refusal of each route.

#![allow(clippy::unwrap_used)]

use e2e::{Backend, TestApp, assert_problem, spawn_unthrottled as spawn};
use kernel::{ActorKind, OrganisationId, OrganisationKind, Role};
use serde_json::{Value, json};

/// The organisations and accounts of a scenario.
struct World {
    office: OrganisationId,
    bureau: OrganisationId,
    structure: OrganisationId,
    citizen: String,
    other_citizen: String,
    agent: String,
    other_office_agent: String,
    bureau_agent: String,
    structure_agent: String,
    other_structure_agent: String,
    signatory: String,
    auditor: String,
}

async fn world(app: &TestApp) -> World {
    let ministry = app.organisation(OrganisationKind::Ministry, None).await;
    let office = app
        .organisation(OrganisationKind::CitizenRelationsOffice, Some(ministry))
        .await;
    let other_office = app
        .organisation(OrganisationKind::CitizenRelationsOffice, Some(ministry))
        .await;
    let bureau = app
        .organisation(OrganisationKind::CentralBureau, None)
        .await;
    let structure = app
        .organisation(OrganisationKind::PublicStructure, Some(ministry))
        .await;
    let other_structure = app
        .organisation(OrganisationKind::PublicStructure, Some(ministry))
        .await;
    World {
        office,
        bureau,
        structure,
        citizen: app
            .account_with(ActorKind::Citizen, "amira@example.tn", &[])
            .await,
        other_citizen: app
            .account_with(ActorKind::Citizen, "sami@example.tn", &[])
            .await,
        agent: app
            .agent("agent@office.tn", Role::OfficeAgent, office)
            .await,
        other_office_agent: app
            .agent("agent@other.tn", Role::OfficeAgent, other_office)
            .await,
        bureau_agent: app
            .agent("agent@bureau.tn", Role::CentralBureauAgent, bureau)
            .await,
        structure_agent: app
            .agent("agent@structure.tn", Role::StructureAgent, structure)
            .await,
        other_structure_agent: app
            .agent(
                "agent@other-structure.tn",
                Role::StructureAgent,
                other_structure,
            )
            .await,
        signatory: app
            .agent("signatory@office.tn", Role::Signatory, office)
            .await,
        auditor: app.agent("auditor@state.tn", Role::Auditor, ministry).await,
    }
}

fn petition(office: OrganisationId) -> Value {
    json!({
        "kind": "petition",
        "handled_by": office,
        "author": {"person": "natural", "name": "Amira Ben Salah", "email": "amira@example.tn"},
        "title": "Permis de bâtir en attente",
        "body": "Ma demande de permis de bâtir attend depuis six mois.",
    })
}

async fn post(app: &TestApp, path: &str, token: &str, body: Value) -> (u16, Value) {
    app.post_json(path, token, &body).await
}

async fn get(app: &TestApp, path: &str, token: &str) -> (u16, Value) {
    app.get_json(path, token).await
}

/// Submits a petition as `w.citizen`: (file id, tracking code, secret).
async fn submit(app: &TestApp, w: &World, body: Value) -> (String, String, String) {
    let response = app.post("/api/v1/files", Some(&w.citizen), &body).await;
    assert_eq!(response.status(), 201);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let receipt: Value = response.json().await.unwrap();
    let file = receipt["file"].as_str().unwrap().to_owned();
    assert_eq!(location, format!("/api/v1/files/{file}"));
    (
        file,
        receipt["tracking_code"].as_str().unwrap().to_owned(),
        receipt["secret"].as_str().unwrap().to_owned(),
    )
}

async fn upload(app: &TestApp, token: &str) -> Value {
    let stored = app.upload_png(token).await;
    json!({"sha256": stored["hash"], "media_type": stored["media_type"], "size_bytes": stored["size"]})
}

async fn a_petition_goes_from_submission_to_the_signature_step(backend: Backend) {
    let app = spawn(backend).await;
    let w = world(&app).await;

    // Submission (art. 2): 201, the receipt with the tracking code and its secret.
    let photo = upload(&app, &w.citizen).await;
    let mut body = petition(w.office);
    body["attachments"] = json!([photo]);
    let (file, code, secret) = submit(&app, &w, body).await;
    assert_eq!(secret.len(), 22);
    let files = format!("/api/v1/files/{file}");
    app.settle().await;

    let (status, mine) = get(&app, "/api/v1/files", &w.citizen).await;
    assert_eq!(status, 200);
    assert_eq!(mine["total"], 1);
    assert_eq!(mine["items"][0]["relation"], "author");
    let (status, view) = get(&app, &files, &w.citizen).await;
    assert_eq!(status, 200, "{view}");
    assert_eq!(view["relation"], "author");
    assert_eq!(view["file"]["status"], "received");
    assert_eq!(
        view["statement"]["value"]["title"],
        "Permis de bâtir en attente"
    );
    assert!(view["detail"].is_null());

    // The office admits and refers to a structure (art. 4, 7).
    let (status, _) = post(&app, &format!("{files}/admission"), &w.agent, json!({})).await;
    assert_eq!(status, 204);
    let (status, referral) = post(
        &app,
        &format!("{files}/referrals"),
        &w.agent,
        json!({"to": w.structure, "reason": "Service de l'urbanisme"}),
    )
    .await;
    assert_eq!(status, 201, "{referral}");
    let referral = referral["referral"].as_str().unwrap().to_owned();
    let referrals = format!("{files}/referrals/{referral}");
    app.settle().await;

    // The structure sees it in its inbox, and the photo.
    let (status, inbox) = get(&app, "/api/v1/inbox", &w.structure_agent).await;
    assert_eq!(status, 200);
    assert_eq!(inbox["total"], 1);
    assert_eq!(inbox["items"][0]["file"], file.as_str());
    let hash = photo["sha256"].as_str().unwrap();
    let attachment = format!("/api/v1/attachments/{hash}");
    assert_eq!(
        app.get_as(&attachment, &w.structure_agent).await.status(),
        200
    );
    assert_eq!(app.get_as(&attachment, &w.auditor).await.status(), 200);
    assert_eq!(
        app.get_as(&attachment, &w.other_citizen).await.status(),
        404
    );
    assert_eq!(
        app.get_as(&attachment, &w.other_structure_agent)
            .await
            .status(),
        404
    );

    let (status, _) = post(
        &app,
        &format!("{referrals}/acknowledgement"),
        &w.structure_agent,
        json!({}),
    )
    .await;
    assert_eq!(status, 204);
    let (status, _) = post(
        &app,
        &format!("{referrals}/reply"),
        &w.structure_agent,
        json!({"outcome": "answer", "text": "Le permis est signé ce jour."}),
    )
    .await;
    assert_eq!(status, 204);

    // The office drafts the answer; the signature waits for the signing service.
    let (status, _) = post(
        &app,
        &format!("{files}/answer-draft"),
        &w.agent,
        json!({"text": "Votre permis est délivré."}),
    )
    .await;
    assert_eq!(status, 204);
    // circular 001: only the signing service signs; until it is configured, 503 with retry.
    let signed = post(
        &app,
        &format!("{files}/answer-signature"),
        &w.signatory,
        json!({}),
    )
    .await;
    assert_eq!(signed.0, 503, "{}", signed.1);
    assert_eq!(signed.1["retry"], true);
    assert_eq!(signed.1["type"], "/problems/signing-unavailable");
    app.settle().await;

    // The author's timeline: receipt, admission, referral (to whom, not why).
    let (status, timeline) = get(&app, &format!("{files}/timeline"), &w.citizen).await;
    assert_eq!(status, 200);
    let types: Vec<&str> = timeline["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["entry"]["type"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["received", "admitted", "referred"]);

    // Tracking without an account: code and secret read the status.
    let tracked = post(
        &app,
        "/api/v1/tracking",
        "",
        json!({"tracking_code": code.to_lowercase(), "secret": secret}),
    )
    .await;
    assert_eq!(tracked.0, 200, "{}", tracked.1);
    assert_eq!(tracked.1["file"]["status"], "answer_drafted");

    // Agents and auditors read the whole file, opened.
    let (status, view) = get(&app, &files, &w.auditor).await;
    assert_eq!(status, 200);
    assert_eq!(
        view["detail"]["referrals"][0]["reason"]["value"],
        "Service de l'urbanisme"
    );
    let (status, _) = get(&app, &files, &w.agent).await;
    assert_eq!(status, 200);
    let (status, monitoring) = get(&app, "/api/v1/monitoring", &w.auditor).await;
    assert_eq!(status, 200);
    assert!(monitoring["total"].as_u64().unwrap() >= 1);
    let (status, _) = get(&app, "/api/v1/inbox", &w.agent).await;
    assert_eq!(status, 200);
    app.stop().await;
}

#[tokio::test]
async fn a_petition_goes_from_submission_to_the_signature_step_on_sqlite() {
    a_petition_goes_from_submission_to_the_signature_step(Backend::Sqlite).await;
}

#[tokio::test]
async fn a_petition_goes_from_submission_to_the_signature_step_on_postgres() {
    a_petition_goes_from_submission_to_the_signature_step(Backend::Postgres).await;
}

#[tokio::test]
async fn a_wrong_secret_answers_like_an_unknown_code() {
    let app = spawn(Backend::Sqlite).await;
    let w = world(&app).await;
    let (_, code, secret) = submit(&app, &w, petition(w.office)).await;
    app.settle().await;
    let track = |code: String, secret: String| {
        let app = &app;
        async move {
            post(
                app,
                "/api/v1/tracking",
                "",
                json!({"tracking_code": code, "secret": secret}),
            )
            .await
        }
    };
    assert_eq!(track(code.clone(), secret.clone()).await.0, 200);
    let wrong = track(code.clone(), "x".repeat(22)).await;
    let unknown = track("0000-0000-00000".into(), secret.clone()).await;
    assert_eq!(wrong, unknown);
    assert_eq!(wrong.0, 404);
    assert_eq!(track("not a code".into(), secret).await.0, 404);
    // A body without the secret is a validation problem.
    let missing = post(&app, "/api/v1/tracking", "", json!({"tracking_code": code})).await;
    assert_eq!(missing.0, 422);
    app.stop().await;
}

#[tokio::test]
async fn an_office_registers_a_walk_in_file_whose_author_follows_it_by_code() {
    let app = spawn(Backend::Sqlite).await;
    let w = world(&app).await;
    let mut file = petition(w.office);
    file["author"] = json!({"person": "natural", "name": "Hedi", "phone": "+216 71 000 000"});
    let response = app
        .post(
            "/api/v1/files/registrations",
            Some(&w.agent),
            &json!({"file": file, "channel": "counter"}),
        )
        .await;
    assert_eq!(response.status(), 201);
    assert!(response.headers().contains_key("location"));
    let receipt: Value = response.json().await.unwrap();
    app.settle().await;
    let tracked = post(
        &app,
        "/api/v1/tracking",
        "",
        json!({"tracking_code": receipt["tracking_code"], "secret": receipt["secret"]}),
    )
    .await;
    assert_eq!(tracked.0, 200);
    assert_eq!(tracked.1["file"]["channel"], "counter");

    // Without an account, the holder of the code and secret answers the office's question.
    let file = receipt["file"].as_str().unwrap();
    let (status, _) = post(
        &app,
        &format!("/api/v1/files/{file}/information-requests"),
        &w.agent,
        json!({"question": "Quelle adresse ?"}),
    )
    .await;
    assert_eq!(status, 204);
    let holder = |extra: Value| {
        let mut body =
            json!({"tracking_code": receipt["tracking_code"], "secret": receipt["secret"]});
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        body
    };
    let mut forged = holder(json!({"answer": "Rue de Marseille"}));
    forged["secret"] = json!("guess");
    assert_eq!(
        post(&app, "/api/v1/tracking/information", "", forged)
            .await
            .0,
        404
    );
    let (status, _) = post(
        &app,
        "/api/v1/tracking/information",
        "",
        holder(json!({"answer": "Rue de Marseille"})),
    )
    .await;
    assert_eq!(status, 204);
    let again = post(
        &app,
        "/api/v1/tracking/information",
        "",
        holder(json!({"answer": "encore"})),
    )
    .await;
    assert_problem(&again, 409, "code", "wrong_state");
    let rating = post(
        &app,
        "/api/v1/tracking/rating",
        "",
        holder(json!({"stars": 5})),
    )
    .await;
    assert_problem(&rating, 409, "code", "wrong_state");
    let contest = post(
        &app,
        "/api/v1/tracking/contest",
        "",
        holder(json!({"grounds": "non"})),
    )
    .await;
    assert_problem(&contest, 409, "code", "wrong_state");
    assert_eq!(
        post(&app, "/api/v1/tracking/contest", "", json!({}))
            .await
            .0,
        422
    );

    // Online is the author's own channel; an author without an account must be reachable;
    // an office registers for itself only.
    let online = post(
        &app,
        "/api/v1/files/registrations",
        &w.agent,
        json!({"file": petition(w.office), "channel": "online"}),
    )
    .await;
    assert_problem(&online, 422, "field", "channel");
    let mut unreachable = petition(w.office);
    unreachable["author"] = json!({"person": "natural", "name": "Hedi"});
    let unreachable = post(
        &app,
        "/api/v1/files/registrations",
        &w.agent,
        json!({"file": unreachable, "channel": "mail"}),
    )
    .await;
    assert_problem(&unreachable, 422, "field", "file.author");
    let elsewhere = post(
        &app,
        "/api/v1/files/registrations",
        &w.other_office_agent,
        json!({"file": petition(w.office), "channel": "counter"}),
    )
    .await;
    assert_problem(&elsewhere, 422, "field", "file.handled_by");
    let unknown_account = post(
        &app,
        "/api/v1/files/registrations",
        &w.agent,
        json!({"file": petition(w.office), "channel": "counter", "account": uuid::Uuid::now_v7()}),
    )
    .await;
    assert_problem(&unknown_account, 422, "field", "account");

    // Circular 2 of 2020: an e-mail needs the sender's address, and a first response within
    // 48 hours, given once.
    let mut emailed = petition(w.office);
    emailed["author"] =
        json!({"person": "legal", "name": "Association Nour", "phone": "+216 71 000 000"});
    let no_address = post(
        &app,
        "/api/v1/files/registrations",
        &w.agent,
        json!({"file": emailed.clone(), "channel": "email"}),
    )
    .await;
    assert_problem(&no_address, 422, "field", "file.author.email");
    emailed["author"]["email"] = json!("contact@nour.tn");
    let (status, receipt) = post(
        &app,
        "/api/v1/files/registrations",
        &w.agent,
        json!({"file": emailed, "channel": "email", "received_at": "2020-01-01T08:00:00Z"}),
    )
    .await;
    assert_eq!(status, 201, "{receipt}");
    let notice = format!(
        "/api/v1/files/{}/more-time-notice",
        receipt["file"].as_str().unwrap()
    );
    let (status, _) = post(
        &app,
        &notice,
        &w.agent,
        json!({"reason": "documents_to_consult"}),
    )
    .await;
    assert_eq!(status, 204);
    let twice = post(
        &app,
        &notice,
        &w.agent,
        json!({"reason": "documents_to_consult"}),
    )
    .await;
    assert_problem(&twice, 409, "code", "first_response_already_given");
    let future = post(
        &app,
        "/api/v1/files/registrations",
        &w.agent,
        json!({"file": petition(w.office), "channel": "mail", "received_at": "2999-01-01T00:00:00Z"}),
    )
    .await;
    assert_problem(&future, 422, "field", "received_at");
    app.stop().await;
}

#[tokio::test]
async fn submission_refusals_name_the_field() {
    let app = spawn(Backend::Sqlite).await;
    let w = world(&app).await;
    let mut blank = petition(w.office);
    blank["title"] = json!("   ");
    let blank = post(&app, "/api/v1/files", &w.citizen, blank).await;
    assert_problem(&blank, 422, "field", "title");
    assert_eq!(blank.1["code"], "empty");
    // art. 10: a notification says how urgent and where.
    let mut notification = petition(w.bureau);
    notification["kind"] = json!("notification");
    let no_urgency = post(&app, "/api/v1/files", &w.citizen, notification.clone()).await;
    assert_problem(&no_urgency, 422, "field", "urgency");
    notification["urgency"] = json!("high");
    let no_location = post(&app, "/api/v1/files", &w.citizen, notification).await;
    assert_problem(&no_location, 422, "field", "location");
    // art. 7: petitions go to a Citizen Relations Office.
    let wrong_office = post(&app, "/api/v1/files", &w.citizen, petition(w.bureau)).await;
    assert_problem(&wrong_office, 422, "field", "handled_by");
    let mut ghost = petition(w.office);
    ghost["attachments"] =
        json!([{"sha256": "a".repeat(64), "media_type": "image/png", "size_bytes": 3}]);
    let ghost = post(&app, "/api/v1/files", &w.citizen, ghost).await;
    assert_problem(&ghost, 422, "field", "attachments[0]");
    let page = get(&app, "/api/v1/files?limit=many", &w.citizen).await;
    assert_problem(&page, 422, "field", "query");
    let empty = post(&app, "/api/v1/files", &w.citizen, json!({})).await;
    assert_eq!(empty.0, 422);
    let agent = post(&app, "/api/v1/files", &w.agent, petition(w.office)).await;
    assert_problem(&agent, 403, "code", "role_not_allowed");
    app.stop().await;
}

#[tokio::test]
async fn others_see_nothing_and_auditors_read_without_writing() {
    let app = spawn(Backend::Sqlite).await;
    let w = world(&app).await;
    let (file, _, _) = submit(&app, &w, petition(w.office)).await;
    let files = format!("/api/v1/files/{file}");
    post(&app, &format!("{files}/admission"), &w.agent, json!({})).await;
    let (_, referral) = post(
        &app,
        &format!("{files}/referrals"),
        &w.agent,
        json!({"to": w.structure, "reason": "compétent"}),
    )
    .await;
    let referrals = format!(
        "{files}/referrals/{}",
        referral["referral"].as_str().unwrap()
    );
    app.settle().await;

    // Another citizen, another structure, another office: 404, as for an unknown file.
    for token in [
        &w.other_citizen,
        &w.other_structure_agent,
        &w.other_office_agent,
    ] {
        assert_eq!(get(&app, &files, token).await.0, 404);
        assert_eq!(get(&app, &format!("{files}/timeline"), token).await.0, 404);
    }
    let unknown = format!("/api/v1/files/{}", uuid::Uuid::now_v7());
    assert_eq!(get(&app, &unknown, &w.citizen).await.0, 404);
    assert_eq!(get(&app, "/api/v1/files/not-an-id", &w.agent).await.0, 404);
    let foreign_ack = post(
        &app,
        &format!("{referrals}/acknowledgement"),
        &w.other_structure_agent,
        json!({}),
    )
    .await;
    assert_eq!(foreign_ack.0, 404);
    let foreign_study = post(
        &app,
        &format!("{files}/information-requests"),
        &w.other_office_agent,
        json!({"question": "?"}),
    )
    .await;
    assert_eq!(foreign_study.0, 404);
    let foreign_contest = post(
        &app,
        &format!("{files}/contest"),
        &w.other_citizen,
        json!({"grounds": "non"}),
    )
    .await;
    assert_eq!(foreign_contest.0, 404);
    let (_, other_inbox) = get(&app, "/api/v1/inbox", &w.other_structure_agent).await;
    assert_eq!(other_inbox["total"], 0);

    // The auditor reads everything and changes nothing.
    assert_eq!(get(&app, &files, &w.auditor).await.0, 200);
    assert_eq!(
        get(&app, &format!("{files}/timeline"), &w.auditor).await.0,
        200
    );
    let write = post(
        &app,
        &format!("{files}/answer-draft"),
        &w.auditor,
        json!({"text": "x"}),
    )
    .await;
    assert_problem(&write, 403, "code", "role_not_allowed");
    app.stop().await;
}

#[tokio::test]
async fn each_handling_route_refuses_what_the_file_state_forbids() {
    let app = spawn(Backend::Sqlite).await;
    let w = world(&app).await;
    let (file, _, _) = submit(&app, &w, petition(w.office)).await;
    let files = format!("/api/v1/files/{file}");
    let at = |suffix: &str| format!("{files}/{suffix}");

    // Before admission: information may be asked; the author answers.
    let provide = post(
        &app,
        &at("information"),
        &w.citizen,
        json!({"answer": "voici"}),
    )
    .await;
    assert_problem(&provide, 409, "code", "wrong_state");
    let (status, _) = post(
        &app,
        &at("information-requests"),
        &w.agent,
        json!({"question": "Quel numéro de dossier ?"}),
    )
    .await;
    assert_eq!(status, 204);
    let blank = post(&app, &at("information"), &w.citizen, json!({"answer": " "})).await;
    assert_problem(&blank, 422, "field", "answer");
    let (status, _) = post(
        &app,
        &at("information"),
        &w.citizen,
        json!({"answer": "Dossier 42"}),
    )
    .await;
    assert_eq!(status, 204);

    // Circular 2 of 2020: the 48-hour notice concerns e-mails only.
    let notice = post(
        &app,
        &at("more-time-notice"),
        &w.agent,
        json!({"reason": "field_work"}),
    )
    .await;
    assert_problem(&notice, 409, "code", "not_an_email_file");
    let bad_reason = post(
        &app,
        &at("more-time-notice"),
        &w.agent,
        json!({"reason": "lunch"}),
    )
    .await;
    assert_eq!(bad_reason.0, 422);

    // Referral before admission, then admission twice.
    let early = post(
        &app,
        &at("referrals"),
        &w.agent,
        json!({"to": w.structure, "reason": "r"}),
    )
    .await;
    assert_problem(&early, 409, "code", "wrong_state");
    assert_eq!(
        post(&app, &at("admission"), &w.agent, json!({})).await.0,
        204
    );
    assert_problem(
        &post(&app, &at("admission"), &w.agent, json!({})).await,
        409,
        "code",
        "wrong_state",
    );
    let inadmissible = post(
        &app,
        &at("inadmissibility"),
        &w.agent,
        json!({"reason": "aid_request"}),
    )
    .await;
    assert_problem(&inadmissible, 409, "code", "wrong_state");

    // Extensions (circular 2 of 2020): some time, within the limit.
    let zero = post(
        &app,
        &at("extensions"),
        &w.agent,
        json!({"target": "reply", "amount": 0, "reason": "documents_to_consult"}),
    )
    .await;
    assert_problem(&zero, 422, "field", "amount");
    let (status, _) = post(
        &app,
        &at("extensions"),
        &w.agent,
        json!({"target": "reply", "amount": 1, "reason": "documents_to_consult"}),
    )
    .await;
    assert_eq!(status, 204);
    let huge = post(
        &app,
        &at("extensions"),
        &w.agent,
        json!({"target": "reply", "amount": 10000, "reason": "documents_to_consult"}),
    )
    .await;
    assert_problem(&huge, 409, "code", "extension_limit_exceeded");
    let ghost_target = post(
        &app,
        &at("extensions"),
        &w.agent,
        json!({"target": {"referral": uuid::Uuid::now_v7()}, "amount": 1, "reason": "field_work"}),
    )
    .await;
    assert_eq!(ghost_target.0, 404);

    // art. 7: a petition is answered after a structure replied.
    let draft = post(
        &app,
        &at("answer-draft"),
        &w.agent,
        json!({"text": "Réponse"}),
    )
    .await;
    assert_problem(&draft, 409, "code", "answer_needs_structure_reply");
    let sign = post(&app, &at("answer-signature"), &w.signatory, json!({})).await;
    assert_problem(&sign, 409, "code", "wrong_state");

    // Referrals go to structures, once at a time.
    let to_office = post(
        &app,
        &at("referrals"),
        &w.agent,
        json!({"to": w.office, "reason": "r"}),
    )
    .await;
    assert_problem(&to_office, 422, "field", "to");
    let to_nobody = post(
        &app,
        &at("referrals"),
        &w.agent,
        json!({"to": uuid::Uuid::now_v7(), "reason": "r"}),
    )
    .await;
    assert_problem(&to_nobody, 422, "field", "to");
    let (_, first) = post(
        &app,
        &at("referrals"),
        &w.agent,
        json!({"to": w.structure, "reason": "r"}),
    )
    .await;
    let again = post(
        &app,
        &at("referrals"),
        &w.agent,
        json!({"to": w.structure, "reason": "r"}),
    )
    .await;
    assert_problem(&again, 409, "code", "already_referred_to");
    let referral = format!("{files}/referrals/{}", first["referral"].as_str().unwrap());
    let ghost = format!("{files}/referrals/{}", uuid::Uuid::now_v7());
    // A referral's own deadline may be extended too.
    let (status, _) = post(
        &app,
        &at("extensions"),
        &w.agent,
        json!({"target": {"referral": first["referral"]}, "amount": 1, "reason": "coordination_with_other_structures"}),
    )
    .await;
    assert_eq!(status, 204);
    assert_eq!(
        post(
            &app,
            &format!("{ghost}/acknowledgement"),
            &w.structure_agent,
            json!({})
        )
        .await
        .0,
        404
    );
    assert_eq!(
        post(
            &app,
            &format!("{referral}/acknowledgement"),
            &w.structure_agent,
            json!({})
        )
        .await
        .0,
        204
    );
    assert_problem(
        &post(
            &app,
            &format!("{referral}/acknowledgement"),
            &w.structure_agent,
            json!({}),
        )
        .await,
        409,
        "code",
        "wrong_referral_state",
    );
    let unfit = post(
        &app,
        &format!("{referral}/reply"),
        &w.structure_agent,
        json!({"outcome": "feasibility_assessment", "feasibility": "feasible", "text": "t"}),
    )
    .await;
    assert_problem(&unfit, 422, "field", "outcome");
    let no_text = post(
        &app,
        &format!("{referral}/reply"),
        &w.structure_agent,
        json!({"outcome": "answer", "text": ""}),
    )
    .await;
    assert_problem(&no_text, 422, "field", "text");
    // A structure that is not competent returns the file; then it cannot reply.
    assert_eq!(
        post(
            &app,
            &format!("{referral}/return"),
            &w.structure_agent,
            json!({"reason": "pas compétent"})
        )
        .await
        .0,
        204
    );
    assert_problem(
        &post(
            &app,
            &format!("{referral}/reply"),
            &w.structure_agent,
            json!({"outcome": "answer", "text": "t"}),
        )
        .await,
        409,
        "code",
        "wrong_referral_state",
    );
    assert_problem(
        &post(
            &app,
            &format!("{referral}/return"),
            &w.structure_agent,
            json!({"reason": "r"}),
        )
        .await,
        409,
        "code",
        "wrong_referral_state",
    );

    // The author acts on an answer only.
    assert_problem(
        &post(&app, &at("rating"), &w.citizen, json!({"stars": 4})).await,
        409,
        "code",
        "wrong_state",
    );
    assert_problem(
        &post(&app, &at("contest"), &w.citizen, json!({"grounds": "non"})).await,
        409,
        "code",
        "wrong_state",
    );
    assert_eq!(
        post(&app, &at("rating"), &w.citizen, json!({"stars": "many"}))
            .await
            .0,
        422
    );

    // Suggestion routes on a petition (art. 9): the Bureau does not handle it, so it learns
    // nothing of it; the structure that had it learns it is no suggestion.
    app.settle().await;
    let decision = post(
        &app,
        &at("suggestion-decision"),
        &w.bureau_agent,
        json!({"adopted": true, "reasons": "r"}),
    )
    .await;
    assert_eq!(decision.0, 404);
    let progress = post(
        &app,
        &at("implementation-progress"),
        &w.structure_agent,
        json!({"report": "r"}),
    )
    .await;
    assert_problem(&progress, 409, "code", "not_a_suggestion");

    // Unknown files.
    let unknown = format!("/api/v1/files/{}", uuid::Uuid::now_v7());
    assert_eq!(
        post(&app, &format!("{unknown}/admission"), &w.agent, json!({}))
            .await
            .0,
        404
    );
    assert_eq!(
        post(
            &app,
            &format!("{unknown}/answer-signature"),
            &w.signatory,
            json!({})
        )
        .await
        .0,
        404
    );
    app.stop().await;
}

#[tokio::test]
async fn an_inadmissible_file_is_closed() {
    let app = spawn(Backend::Sqlite).await;
    let w = world(&app).await;
    let (file, _, _) = submit(&app, &w, petition(w.office)).await;
    let files = format!("/api/v1/files/{file}");
    // decree 98-1152: aid requests are not taken up.
    let bad = post(
        &app,
        &format!("{files}/inadmissibility"),
        &w.agent,
        json!({"reason": "aid_request", "note": ""}),
    )
    .await;
    assert_problem(&bad, 422, "field", "note");
    let (status, _) = post(
        &app,
        &format!("{files}/inadmissibility"),
        &w.agent,
        json!({"reason": "aid_request", "note": "Adressez-vous aux affaires sociales."}),
    )
    .await;
    assert_eq!(status, 204);
    assert_problem(
        &post(&app, &format!("{files}/admission"), &w.agent, json!({})).await,
        409,
        "code",
        "wrong_state",
    );
    app.settle().await;
    let (_, view) = get(&app, &files, &w.citizen).await;
    assert_eq!(view["file"]["status"], json!({"closed": "inadmissible"}));
    app.stop().await;
}

#[tokio::test]
async fn a_suggestion_is_assessed_then_decided_by_the_central_bureau() {
    let app = spawn(Backend::Sqlite).await;
    let w = world(&app).await;
    let mut body = petition(w.bureau);
    body["kind"] = json!("suggestion");
    let (file, _, _) = submit(&app, &w, body).await;
    let at = |suffix: &str| format!("/api/v1/files/{file}/{suffix}");
    assert_eq!(
        post(&app, &at("admission"), &w.bureau_agent, json!({}))
            .await
            .0,
        204
    );
    // art. 9: the Bureau decides once a structure assessed it.
    let early = post(
        &app,
        &at("suggestion-decision"),
        &w.bureau_agent,
        json!({"adopted": true, "reasons": "r"}),
    )
    .await;
    assert_problem(&early, 409, "code", "suggestion_not_assessed");
    let (_, referral) = post(
        &app,
        &at("referrals"),
        &w.bureau_agent,
        json!({"to": w.structure, "reason": "secteur"}),
    )
    .await;
    let referral = referral["referral"].as_str().unwrap().to_owned();
    let reply = post(
        &app,
        &at(&format!("referrals/{referral}/reply")),
        &w.structure_agent,
        json!({"outcome": "feasibility_assessment", "feasibility": "feasible", "text": "Faisable en 2027."}),
    )
    .await;
    assert_eq!(reply.0, 204, "{}", reply.1);
    let (status, _) = post(
        &app,
        &at("suggestion-decision"),
        &w.bureau_agent,
        json!({"adopted": true, "reasons": "Utile"}),
    )
    .await;
    assert_eq!(status, 204);
    // Implementation is followed once the answer is out (its signature waits for the signer).
    let implemented = post(
        &app,
        &at("implementation"),
        &w.bureau_agent,
        json!({"report": "fait"}),
    )
    .await;
    assert_eq!(implemented.0, 409, "{}", implemented.1);
    let (status, _) = post(
        &app,
        &at("answer-draft"),
        &w.bureau_agent,
        json!({"text": "Adoptée."}),
    )
    .await;
    assert_eq!(status, 204);
    app.stop().await;
}

#[tokio::test]
async fn a_duplicate_is_merged_and_its_author_follows_the_surviving_file() {
    let app = spawn(Backend::Sqlite).await;
    let w = world(&app).await;
    let (surviving, _, _) = submit(&app, &w, petition(w.office)).await;
    let response = app
        .post("/api/v1/files", Some(&w.other_citizen), &petition(w.office))
        .await;
    assert_eq!(response.status(), 201);
    let duplicate: Value = response.json().await.unwrap();
    let duplicate = duplicate["file"].as_str().unwrap().to_owned();
    app.settle().await;
    let merge = format!("/api/v1/files/{duplicate}/merge");
    let itself = post(&app, &merge, &w.agent, json!({"into": duplicate})).await;
    assert_problem(&itself, 422, "field", "into");
    assert_eq!(
        post(
            &app,
            &merge,
            &w.other_office_agent,
            json!({"into": surviving})
        )
        .await
        .0,
        404
    );
    assert_eq!(
        post(&app, &merge, &w.agent, json!({"into": surviving}))
            .await
            .0,
        204
    );
    app.settle().await;
    // The follower sees the course of the surviving file, not its author's words.
    let (status, view) = get(
        &app,
        &format!("/api/v1/files/{surviving}"),
        &w.other_citizen,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(view["relation"], "follower");
    assert_eq!(view["statement"]["status"], "withheld");
    let again = post(&app, &merge, &w.agent, json!({"into": surviving})).await;
    assert_eq!(again.0, 409);
    app.stop().await;
}

#[tokio::test]
async fn the_performance_report_comes_as_json_csv_and_html() {
    let app = spawn(Backend::Sqlite).await;
    let w = world(&app).await;
    submit(&app, &w, petition(w.office)).await;
    let today = chrono_today(&app);
    let base = format!("/api/v1/reports/performance?period_start=2020-01-01&period_end={today}");
    let (status, report) = get(&app, &base, &w.bureau_agent).await;
    assert_eq!(status, 200, "{report}");
    for (format, content_type) in [("csv", "text/csv"), ("html", "text/html")] {
        let response = app
            .get_as(&format!("{base}&format={format}"), &w.auditor)
            .await;
        assert_eq!(response.status(), 200);
        assert!(
            response.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with(content_type)
        );
    }
    let missing = get(&app, "/api/v1/reports/performance", &w.auditor).await;
    assert_problem(&missing, 422, "field", "period_start");
    let reversed = get(
        &app,
        "/api/v1/reports/performance?period_start=2021-01-02&period_end=2021-01-01",
        &w.auditor,
    )
    .await;
    assert_problem(&reversed, 422, "field", "period_end");
    let format = get(&app, &format!("{base}&format=pdf"), &w.auditor).await;
    assert_problem(&format, 422, "field", "format");
    let inbox = get(&app, "/api/v1/inbox?kind=novel", &w.agent).await;
    assert_eq!(inbox.0, 422);
    let monitoring = get(
        &app,
        "/api/v1/monitoring?overdue_only=true",
        &w.bureau_agent,
    )
    .await;
    assert_eq!(monitoring.0, 200);
    app.stop().await;
}

fn chrono_today(app: &TestApp) -> String {
    app.state.clock.now().date_naive().to_string()
}
