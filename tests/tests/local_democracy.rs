//! The local registers end to end (decree 2019-401) on both backends: a local authority
//! opens its civil-society register, its bureau registers an organisation, the council and
//! bureau take the art. 9 procedure to regularisation; residents file opinions and
//! questions numbered in order, the bureau answers, the committee works, the public reads
//! the registers without personal data; the council secretary schedules a session and
//! publishes a draft by-law for section IV; and the refusals on the way.

#![allow(clippy::unwrap_used)]

use chrono::{Duration, Utc};
use e2e::{Backend, assert_problem, spawn_unthrottled};
use kernel::{ActorKind, OrganisationKind, Role};
use serde_json::{Value, json};

fn request(today: &str, with_statutes: bool) -> Value {
    let statutes = json!({
        "kind": "statutes",
        "file": {"content_hash": "a".repeat(64), "media_type": "application/pdf", "file_name": "statuts.pdf"},
    });
    json!({
        "channel": "electronic",
        "reference": "REQ-2026-17",
        "received_on": today,
        "eligibility": {"national": true, "active_in_territory": true, "members_among_residents": false},
        "entry": {
            "name": "Association des amis du parc",
            "legal_form": "association",
            "national_register_number": "1234567A",
            "legal_publication_reference": "JORT 2019-45",
            "registered_office": "12 rue de la Liberté, Sfax",
            "representative": {
                "subject": uuid::Uuid::now_v7(),
                "full_name": "Leila Gharbi",
                "email": "leila@parc.tn",
                "phone": "+216 98 123 456",
            },
            "fields_of_activity": ["environnement"],
            "documents": if with_statutes { json!([statutes]) } else { json!([]) },
        },
    })
}

async fn the_local_registers_work(backend: Backend) {
    let app = spawn_unthrottled(backend).await;
    let la = app
        .organisation(OrganisationKind::LocalAuthority, None)
        .await;
    let other_la = app
        .organisation(OrganisationKind::LocalAuthority, None)
        .await;
    let admin = app.agent("admin@sfax.tn", Role::PlatformAdmin, la).await;
    let bureau = app
        .agent("bureau@sfax.tn", Role::RegisterBureauAgent, la)
        .await;
    let other_bureau = app
        .agent("bureau@gabes.tn", Role::RegisterBureauAgent, other_la)
        .await;
    let secretary = app
        .agent("secretaire@sfax.tn", Role::CouncilSecretary, la)
        .await;
    let committee = app
        .agent("commission@sfax.tn", Role::CommitteeMember, la)
        .await;
    let auditor = app.agent("audit@etat.tn", Role::Auditor, la).await;
    let resident = app
        .account_with(ActorKind::Citizen, "karim@example.tn", &[])
        .await;
    let today = Utc::now().date_naive().to_string();
    let base = format!("/api/v1/local-authorities/{la}");
    let register = format!("{base}/civil-society-register");

    // The administrator opens the register (art. 5); once.
    let open = json!({"opened_on": today});
    assert_eq!(app.post_json(&register, &admin, &open).await.0, 204);
    assert_problem(
        &app.post_json(&register, &admin, &open).await,
        409,
        "code",
        "already_open",
    );
    assert_problem(
        &app.post_json(&register, &bureau, &open).await,
        403,
        "code",
        "role_not_allowed",
    );

    // Registration (art. 7-8): complete and eligible, or refused naming why.
    let organisations = format!("{register}/organisations");
    let missing = app
        .post_json(&organisations, &bureau, &request(&today, false))
        .await;
    assert_problem(&missing, 422, "code", "missing_requirements");
    let mut ineligible = request(&today, true);
    ineligible["eligibility"]["national"] = json!(false);
    let ineligible = app.post_json(&organisations, &bureau, &ineligible).await;
    assert_problem(&ineligible, 422, "field", "eligibility");
    let foreign = app
        .post_json(&organisations, &other_bureau, &request(&today, true))
        .await;
    assert_eq!(foreign.0, 403, "{}", foreign.1);
    let (status, created) = app
        .post_json(&organisations, &bureau, &request(&today, true))
        .await;
    assert_eq!(status, 201, "{created}");
    let org = format!(
        "/api/v1/civil-society/organisations/{}",
        created["organisation"].as_str().unwrap()
    );
    app.settle().await;

    // The public reads the register without the representative; the bureau with.
    let (status, public) = app.get_json(&register, "").await;
    assert_eq!(status, 200, "{public}");
    assert_eq!(public["total"], 1);
    assert_eq!(public["items"][0]["name"], "Association des amis du parc");
    assert!(!public.to_string().contains("Leila"), "{public}");
    let (status, view) = app
        .get_json(&format!("{register}/bureau-view"), &bureau)
        .await;
    assert_eq!(status, 200, "{view}");
    assert!(view.to_string().contains("Leila Gharbi"), "{view}");
    assert_eq!(
        app.get_json(&format!("{register}/bureau-view"), &other_bureau)
            .await
            .0,
        403
    );
    assert_eq!(
        app.get_json(&format!("{register}/bureau-view"), &auditor)
            .await
            .0,
        200
    );
    assert_eq!(app.get_json(&org, "").await.0, 200);
    let (status, detail) = app.get_json(&format!("{org}/detail"), &bureau).await;
    assert_eq!(status, 200, "{detail}");

    // Art. 9: the council finds an irregularity, the bureau sends the notice and records its
    // receipt; the month runs, so no hearing yet; the organisation regularises.
    let decision = json!({"reference": "CM-2026-04/12", "decided_on": today});
    let irregularity = json!({"decision": decision, "situation": "financial", "grounds": "Comptes 2025 non déposés."});
    assert_problem(
        &app.post_json(&format!("{org}/irregularity"), &bureau, &irregularity)
            .await,
        403,
        "code",
        "role_not_allowed",
    );
    assert_eq!(
        app.post_json(&format!("{org}/irregularity"), &secretary, &irregularity)
            .await
            .0,
        204
    );
    let notice = json!({"letter_reference": "RR 123 456 789 TN", "sent_on": today});
    assert_eq!(
        app.post_json(&format!("{org}/formal-notice"), &bureau, &notice)
            .await
            .0,
        204
    );
    let ack = json!({"acknowledged_on": today});
    assert_eq!(
        app.post_json(&format!("{org}/acknowledgement"), &bureau, &ack)
            .await
            .0,
        204
    );
    let later = (Utc::now() + Duration::days(40)).date_naive().to_string();
    let hearing = json!({"invitation_reference": "INV-1", "sent_on": today, "hearing_on": later});
    assert_problem(
        &app.post_json(&format!("{org}/hearing-invitation"), &bureau, &hearing)
            .await,
        409,
        "code",
        "regularisation_period_running",
    );
    let future = json!({"acknowledged_on": later});
    assert_problem(
        &app.post_json(&format!("{org}/acknowledgement"), &bureau, &future)
            .await,
        409,
        "code",
        "wrong_status",
    );
    let regularised = json!({"regularised_on": today, "reference": "Comptes reçus le jour même"});
    assert_eq!(
        app.post_json(&format!("{org}/regularisation"), &bureau, &regularised)
            .await
            .0,
        204
    );
    app.settle().await;
    let (_, entry) = app.get_json(&org, "").await;
    assert_eq!(entry["standing"], "active", "{entry}");

    // The register of opinions: entries numbered in order, kinds by section (art. 11).
    let opinions = format!("{base}/opinions");
    let author = json!({"as": "resident", "ground": "lives", "contact": {
        "name": "Karim Jaziri", "postal_address": "5 rue Tahar Sfar, Sfax",
        "email": "karim@example.tn", "phone": "+216 22 333 444"}});
    let question = json!({"section": {"section": "governance"}, "kind": "question", "author": author,
        "text": "Quand les procès-verbaux du conseil seront-ils publiés en ligne ?"});
    let (status, first) = app.post_json(&opinions, &resident, &question).await;
    assert_eq!(status, 201, "{first}");
    assert_eq!(first["number"], 1);
    let (status, second) = app.post_json(&opinions, &resident, &question).await;
    assert_eq!(status, 201, "{second}");
    assert_eq!(second["number"], 2);
    let mut misplaced = question.clone();
    misplaced["section"] = json!({"section": "proposals"});
    assert_problem(
        &app.post_json(&opinions, &resident, &misplaced).await,
        422,
        "field",
        "kind",
    );
    assert_problem(
        &app.post_json(&opinions, &bureau, &question).await,
        403,
        "code",
        "role_not_allowed",
    );

    let entry = format!("/api/v1/opinions/{}", first["entry"].as_str().unwrap());
    let answer = json!({"text": "Ils le seront dès le mois prochain."});
    assert_eq!(
        app.post_json(&format!("{entry}/answers"), &bureau, &answer)
            .await
            .0,
        204
    );
    assert_eq!(
        app.post_json(&format!("{entry}/answers"), &committee, &answer)
            .await
            .0,
        403
    );
    assert_eq!(
        app.post_json(
            &format!("{entry}/committee-consultation"),
            &committee,
            &json!({})
        )
        .await
        .0,
        204
    );
    let ghost = format!("/api/v1/opinions/{}/answers", uuid::Uuid::now_v7());
    assert_eq!(app.post_json(&ghost, &bureau, &answer).await.0, 404);
    app.settle().await;

    let (status, public) = app.get_json(&format!("{opinions}?section=3"), "").await;
    assert_eq!(status, 200, "{public}");
    assert_eq!(public["total"], 2);
    assert!(!public.to_string().contains("Karim"), "{public}");
    let (_, answered) = app.get_json(&format!("{opinions}?answered=true"), "").await;
    assert_eq!(answered["total"], 1);
    let (status, bureau_view) = app
        .get_json(&format!("{opinions}/bureau-view"), &committee)
        .await;
    assert_eq!(status, 200, "{bureau_view}");
    assert!(
        bureau_view.to_string().contains("Karim Jaziri"),
        "{bureau_view}"
    );
    assert_eq!(
        app.get_json(&format!("{opinions}/bureau-view"), &other_bureau)
            .await
            .0,
        403
    );

    // Section IV refers to a published draft by-law.
    let draft = json!({"title_ar": "قرار ترتيبي حول الأسواق", "title_fr": "Arrêté sur les marchés", "published_on": today});
    let (status, published) = app
        .post_json(&format!("{base}/draft-bylaws"), &secretary, &draft)
        .await;
    assert_eq!(status, 201, "{published}");
    let on_draft = json!({"section": {"section": "draft_by_law", "draft": published["draft"]}, "kind": "opinion",
        "author": author, "text": "Les marchés devraient ouvrir plus tôt."});
    let (status, body) = app.post_json(&opinions, &resident, &on_draft).await;
    assert_eq!(status, 201, "{body}");
    let unknown_draft = json!({"section": {"section": "draft_by_law", "draft": uuid::Uuid::now_v7()}, "kind": "opinion",
        "author": author, "text": "Texte."});
    assert_problem(
        &app.post_json(&opinions, &resident, &unknown_draft).await,
        422,
        "code",
        "draft_not_published",
    );

    // The council's ordinary session, the committee's report, the posting rules.
    let sessions = format!("{base}/council-sessions");
    let date = (Utc::now() + Duration::days(30)).date_naive().to_string();
    let (status, session) = app
        .post_json(&sessions, &secretary, &json!({"date": date}))
        .await;
    assert_eq!(status, 201, "{session}");
    let session_path = format!("{sessions}/{}", session["session"].as_str().unwrap());
    let report = json!({"report": "Deux questions et une opinion ce trimestre ; une réponse donnée.",
        "public_summary": "Trois entrées, une réponse.", "attests_no_personal_data": true});
    let unattested = json!({"report": "Rapport.", "public_summary": "Résumé.", "attests_no_personal_data": false});
    assert_problem(
        &app.post_json(
            &format!("{session_path}/committee-report"),
            &committee,
            &unattested,
        )
        .await,
        422,
        "field",
        "attests_no_personal_data",
    );
    assert_eq!(
        app.post_json(
            &format!("{session_path}/committee-report"),
            &committee,
            &report
        )
        .await
        .0,
        204
    );
    assert_problem(
        &app.post_json(
            &format!("{session_path}/summary-posting"),
            &secretary,
            &json!({}),
        )
        .await,
        409,
        "code",
        "meeting_not_held",
    );
    app.settle().await;
    let (status, listed) = app.get_json(&sessions, "").await;
    assert_eq!(status, 200, "{listed}");
    assert_eq!(listed["total"], 1);
    let (status, figures) = app
        .get_json(&format!("{session_path}/figures"), &committee)
        .await;
    assert_eq!(status, 200, "{figures}");
    assert_eq!(
        app.get_json(&format!("{session_path}/figures"), &resident)
            .await
            .0,
        403
    );

    app.stop().await;
}

#[tokio::test]
async fn the_local_registers_work_on_sqlite() {
    the_local_registers_work(Backend::Sqlite).await;
}

#[tokio::test]
async fn the_local_registers_work_on_postgres() {
    the_local_registers_work(Backend::Postgres).await;
}
