//! The Citizen Watcher end to end on both backends: a supervisor registers a service point,
//! publishes a checklist and plans a campaign; a declared conflict of interest blocks an
//! assignment; the member records and submits the visit, a supervisor accepts it and sends
//! its report; the inspected body reads it without learning who visited and answers its
//! finding; a finding is referred to a competent authority; a survey takes an anonymous
//! response; and the refusals on the way.

#![allow(clippy::unwrap_used)]

use chrono::{Duration, Utc};
use e2e::{Backend, TestApp, assert_problem, spawn_unthrottled_with};
use kernel::{OrganisationId, OrganisationKind, Role};
use serde_json::{Value, json};

async fn id_of(app: &TestApp, token: &str) -> String {
    let (_, me) = app.get_json("/api/v1/auth/me", token).await;
    me["id"].as_str().unwrap().to_owned()
}

fn created(result: &(u16, Value)) -> String {
    assert_eq!(result.0, 201, "{}", result.1);
    result.1["id"].as_str().unwrap().to_owned()
}

async fn an_inspection_goes_from_plan_to_corrective_action(backend: Backend) {
    let authority = OrganisationId::new_v7();
    let app = spawn_unthrottled_with(backend, |s| {
        s.domains.watcher.competent_authorities = vec![authority];
    })
    .await;
    let department = app
        .organisation(OrganisationKind::WatcherDepartment, None)
        .await;
    let body = app
        .organisation(OrganisationKind::PublicEstablishment, None)
        .await;
    let other_body = app
        .organisation(OrganisationKind::PublicEstablishment, None)
        .await;
    let supervisor = app
        .agent(
            "superviseur@qualite.tn",
            Role::WatcherSupervisor,
            department,
        )
        .await;
    let member = app
        .agent("membre@qualite.tn", Role::WatcherMember, department)
        .await;
    let conflicted = app
        .agent("membre2@qualite.tn", Role::WatcherMember, department)
        .await;
    let body_agent = app
        .agent("chef@etablissement.tn", Role::OfficeHead, body)
        .await;
    let other_body_agent = app
        .agent("chef@autre.tn", Role::OfficeHead, other_body)
        .await;
    let auditor = app.agent("audit@etat.tn", Role::Auditor, department).await;
    let member_id = id_of(&app, &member).await;
    let conflicted_id = id_of(&app, &conflicted).await;
    let today = Utc::now().date_naive();

    // A service point of the body.
    let point_body = json!({"organisation": body, "governorate": "sfax", "channel": "counter",
        "name": "Guichet de l'état civil", "locator": "Avenue Hédi Chaker, Sfax"});
    assert_problem(
        &app.post_json("/api/v1/watcher/service-points", &member, &point_body)
            .await,
        403,
        "code",
        "role_not_allowed",
    );
    let point = created(
        &app.post_json("/api/v1/watcher/service-points", &supervisor, &point_body)
            .await,
    );

    // A checklist and its first version.
    let checklist = created(
        &app.post_json(
            "/api/v1/watcher/checklists",
            &supervisor,
            &json!({"title": "Accueil au guichet"}),
        )
        .await,
    );
    let (greeted, waited) = (uuid::Uuid::now_v7(), uuid::Uuid::now_v7());
    let criteria = json!({"criteria": [
        {"id": greeted, "theme": "reception", "label": "L'agent salue l'usager", "weight": 2,
         "scale": {"scale": "yes_no"}, "critical": false},
        {"id": waited, "theme": "waiting", "label": "Attente raisonnable", "weight": 3,
         "scale": {"scale": "levels", "max": 4}, "critical": false},
    ]});
    let versions = format!("/api/v1/watcher/checklists/{checklist}/versions");
    assert_eq!(
        app.post_json(&versions, &supervisor, &json!({"criteria": []}))
            .await
            .0,
        422
    );
    assert_eq!(
        app.post_json(&versions, &supervisor, &criteria).await.0,
        204
    );
    let (status, version) = app
        .get_json(&format!("/api/v1/watcher/checklists/{checklist}"), &member)
        .await;
    assert_eq!(status, 200, "{version}");
    assert_eq!(version["number"], 1);

    // A campaign: its point, its team; a declared conflict blocks an assignment.
    let campaign_body = json!({"title": "Campagne d'automne", "starts_on": today,
        "ends_on": today + Duration::days(30)});
    let campaign = created(
        &app.post_json("/api/v1/watcher/campaigns", &supervisor, &campaign_body)
            .await,
    );
    let at = |path: &str| format!("/api/v1/watcher/campaigns/{campaign}/{path}");
    let unknown_point = json!({"points": [uuid::Uuid::now_v7()]});
    assert_problem(
        &app.post_json(&at("service-points"), &supervisor, &unknown_point)
            .await,
        422,
        "field",
        "points[0]",
    );
    assert_eq!(
        app.post_json(
            &at("service-points"),
            &supervisor,
            &json!({"points": [point]})
        )
        .await
        .0,
        204
    );
    for id in [&member_id, &conflicted_id] {
        assert_eq!(
            app.post_json(&at("team"), &supervisor, &json!({"member": id}))
                .await
                .0,
            204
        );
    }
    let conflict = json!({"member": conflicted_id, "organisation": body});
    assert_eq!(
        app.post_json(&at("conflicts"), &conflicted, &conflict)
            .await
            .0,
        204
    );
    let assign = |who: &str| json!({"service_point": point, "member": who, "checklist": checklist});
    assert_problem(
        &app.post_json(&at("assignments"), &supervisor, &assign(&conflicted_id))
            .await,
        409,
        "code",
        "conflict_of_interest",
    );
    let visit = created(
        &app.post_json(&at("assignments"), &supervisor, &assign(&member_id))
            .await,
    );
    let visit_at = |path: &str| format!("/api/v1/watcher/visits/{visit}/{path}");

    // The member records what happened, as an ordinary citizen; only they may.
    let record = json!({"occurred_at": Utc::now(),
        "service_asked": "Extrait d'acte de naissance", "waiting_minutes": 25,
        "observations": "Accueil correct, file d'attente longue.",
        "answers": {greeted.to_string(): {"answer": "yes"}, waited.to_string(): {"answer": "level", "level": 2}}});
    assert_eq!(
        app.post_json(&visit_at("record"), &conflicted, &record)
            .await
            .0,
        403
    );
    let mut future = record.clone();
    future["occurred_at"] = json!(Utc::now() + Duration::hours(2));
    assert_problem(
        &app.post_json(&visit_at("record"), &member, &future).await,
        422,
        "field",
        "occurred_at",
    );
    assert_eq!(
        app.post_json(&visit_at("record"), &member, &record).await.0,
        204
    );
    let finding = created(
        &app.post_json(
            &visit_at("findings"),
            &member,
            &json!({"kind": {"kind": "shortcoming", "severity": "moderate"}, "criterion": waited,
                    "description": "Attente de 25 minutes sans information."}),
        )
        .await,
    );
    let photo = app.upload_png(&member).await;
    let evidence = json!({"content_hash": photo["hash"], "media_type": "image/png", "size_bytes": photo["size"]});
    assert_eq!(
        app.post_json(&visit_at("evidence"), &member, &evidence)
            .await
            .0,
        204
    );
    let unknown =
        json!({"content_hash": "c".repeat(64), "media_type": "image/png", "size_bytes": 10});
    assert_problem(
        &app.post_json(&visit_at("evidence"), &member, &unknown)
            .await,
        422,
        "field",
        "content_hash",
    );
    assert_eq!(
        app.post_json(&visit_at("submission"), &member, &json!({}))
            .await
            .0,
        204
    );
    // Sent back with remarks, then submitted again.
    let remarks = json!({"remarks": "Préciser le service demandé."});
    assert_eq!(
        app.post_json(&visit_at("send-back"), &supervisor, &remarks)
            .await
            .0,
        204
    );
    assert_eq!(
        app.post_json(&visit_at("submission"), &member, &json!({}))
            .await
            .0,
        204
    );
    assert_problem(
        &app.post_json(&visit_at("acceptance"), &member, &json!({}))
            .await,
        403,
        "code",
        "role_not_allowed",
    );
    assert_eq!(
        app.post_json(&visit_at("acceptance"), &supervisor, &json!({}))
            .await
            .0,
        204
    );
    assert_eq!(
        app.post_json(&visit_at("report"), &supervisor, &json!({}))
            .await
            .0,
        204
    );
    assert_problem(
        &app.post_json(&visit_at("report"), &supervisor, &json!({}))
            .await,
        409,
        "code",
        "wrong_status",
    );
    app.settle().await;

    // The body reads its report and findings, never who visited.
    let (status, reports) = app
        .get_json("/api/v1/watcher/body/reports", &body_agent)
        .await;
    assert_eq!(status, 200, "{reports}");
    assert_eq!(reports["total"], 1);
    let (status, findings) = app
        .get_json("/api/v1/watcher/body/findings", &body_agent)
        .await;
    assert_eq!(status, 200, "{findings}");
    assert_eq!(findings["total"], 1);
    for shown in [&reports, &findings] {
        assert!(
            !shown.to_string().contains(&member_id),
            "member shown: {shown}"
        );
    }
    let (_, nothing) = app
        .get_json("/api/v1/watcher/body/reports", &other_body_agent)
        .await;
    assert_eq!(nothing["total"], 0);
    assert_eq!(
        app.get_json("/api/v1/watcher/body/reports", &member)
            .await
            .0,
        403
    );

    // It answers the finding; another body cannot.
    let action = json!({"action": "Afficher le temps d'attente estimé.", "due_on": today + Duration::days(10)});
    let corrective = visit_at(&format!("findings/{finding}/corrective-action"));
    assert_eq!(
        app.post_json(&corrective, &other_body_agent, &action)
            .await
            .0,
        404
    );
    let late = json!({"action": "Plus tard.", "due_on": today - Duration::days(1)});
    assert_problem(
        &app.post_json(&corrective, &body_agent, &late).await,
        422,
        "field",
        "due_on",
    );
    assert_eq!(
        app.post_json(&corrective, &body_agent, &action).await.0,
        204
    );

    // A follow-up visit verifies the corrective action; it is then cancelled, unneeded.
    let follow_up = created(
        &app.post_json(&at("assignments"), &supervisor, &assign(&member_id))
            .await,
    );
    let verification =
        json!({"follow_up": follow_up, "outcome": "implemented", "notes": "Affichage en place."});
    let verify = visit_at(&format!("findings/{finding}/verification"));
    assert_problem(
        &app.post_json(&verify, &member, &verification).await,
        403,
        "code",
        "role_not_allowed",
    );
    let itself =
        json!({"follow_up": visit, "outcome": "implemented", "notes": "Affichage en place."});
    assert_problem(
        &app.post_json(&verify, &supervisor, &itself).await,
        422,
        "field",
        "follow_up",
    );
    assert_eq!(
        app.post_json(&verify, &supervisor, &verification).await.0,
        204
    );
    let cancel = format!("/api/v1/watcher/visits/{follow_up}/cancellation");
    assert_eq!(
        app.post_json(&cancel, &supervisor, &json!({"reason": "plan_changed"}))
            .await
            .0,
        204
    );
    assert_problem(
        &app.post_json(&cancel, &supervisor, &json!({"reason": "plan_changed"}))
            .await,
        409,
        "code",
        "wrong_status",
    );

    // Referrals are the department's.
    let referral = json!({"visit": visit, "finding": finding, "organisation": body,
        "category": "unfairness", "authority": authority, "summary": "Passe-droit constaté."});
    let mut elsewhere = referral.clone();
    elsewhere["authority"] = json!(uuid::Uuid::now_v7());
    assert_problem(
        &app.post_json("/api/v1/watcher/referrals", &supervisor, &elsewhere)
            .await,
        422,
        "field",
        "authority",
    );
    let referred = created(
        &app.post_json("/api/v1/watcher/referrals", &supervisor, &referral)
            .await,
    );
    let referred = format!("/api/v1/watcher/referrals/{referred}");
    let acknowledgement =
        json!({"acknowledged_on": today, "authority_reference": "INLUCC-2026-88"});
    assert_eq!(
        app.post_json(
            &format!("{referred}/acknowledgement"),
            &supervisor,
            &acknowledgement
        )
        .await
        .0,
        204
    );
    let outcome = json!({"outcome": "proceedings_opened", "decided_on": today, "summary": "Enquête ouverte."});
    assert_eq!(
        app.post_json(&format!("{referred}/outcome"), &supervisor, &outcome)
            .await
            .0,
        204
    );
    assert_problem(
        &app.post_json(&format!("{referred}/outcome"), &supervisor, &outcome)
            .await,
        409,
        "code",
        "wrong_status",
    );
    app.settle().await;
    let (status, referrals) = app.get_json("/api/v1/watcher/referrals", &supervisor).await;
    assert_eq!(status, 200, "{referrals}");
    assert_eq!(referrals["total"], 1);
    assert_eq!(
        app.get_json("/api/v1/watcher/referrals", &member).await.0,
        403
    );
    assert_eq!(
        app.get_json("/api/v1/watcher/referrals", &body_agent)
            .await
            .0,
        403
    );

    // A satisfaction survey answered anonymously.
    let survey_body = json!({"title": "Satisfaction au guichet", "starts_on": today,
        "ends_on": today + Duration::days(30), "service_points": [point]});
    let survey = created(
        &app.post_json("/api/v1/watcher/surveys", &supervisor, &survey_body)
            .await,
    );
    let question = uuid::Uuid::now_v7();
    let questionnaire = json!({"questions": [{"id": question, "label": "Êtes-vous satisfait ?", "weight": 1, "levels": 5}]});
    assert_eq!(
        app.post_json(
            &format!("/api/v1/watcher/surveys/{survey}/questionnaire"),
            &supervisor,
            &questionnaire
        )
        .await
        .0,
        204
    );
    let responses = format!("/api/v1/watcher/surveys/{survey}/responses");
    let answer = |level: u8| json!({"service_point": point, "questionnaire_version": 1, "answers": {question.to_string(): level}});
    assert_eq!(app.post_json(&responses, "", &answer(4)).await.0, 204);
    assert_problem(
        &app.post_json(&responses, "", &answer(9)).await,
        422,
        "field",
        "answers",
    );

    let survey_closure = format!("/api/v1/watcher/surveys/{survey}/closure");
    assert_eq!(
        app.post_json(&survey_closure, &supervisor, &json!({}))
            .await
            .0,
        204
    );
    assert_problem(
        &app.post_json(&responses, "", &answer(3)).await,
        409,
        "code",
        "wrong_status",
    );

    // The department's views.
    app.settle().await;
    let (status, visits) = app.get_json(&at("visits"), &auditor).await;
    assert_eq!(status, 200, "{visits}");
    assert_eq!(visits["total"], 2);
    let period = format!("from={today}&to={}", today + Duration::days(30));
    let (status, coverage) = app
        .get_json(&format!("/api/v1/watcher/coverage?{period}"), &supervisor)
        .await;
    assert_eq!(status, 200, "{coverage}");
    let (status, index) = app
        .get_json(
            &format!("/api/v1/watcher/satisfaction?{period}"),
            &supervisor,
        )
        .await;
    assert_eq!(status, 200, "{index}");
    let backwards = format!(
        "/api/v1/watcher/coverage?from={today}&to={}",
        today - Duration::days(1)
    );
    assert_problem(
        &app.get_json(&backwards, &supervisor).await,
        422,
        "field",
        "to",
    );

    // The campaign closes; the point is retired.
    assert_eq!(
        app.post_json(&at("closure"), &supervisor, &json!({}))
            .await
            .0,
        204
    );
    assert_problem(
        &app.post_json(&at("assignments"), &supervisor, &assign(&member_id))
            .await,
        409,
        "code",
        "wrong_status",
    );
    let retire = format!("/api/v1/watcher/service-points/{point}/retirement");
    let reason = json!({"reason": "Guichet fermé, service transféré en ligne."});
    assert_eq!(app.post_json(&retire, &supervisor, &reason).await.0, 204);
    assert_problem(
        &app.post_json(&retire, &supervisor, &reason).await,
        409,
        "code",
        "wrong_status",
    );
    let (status, points) = app
        .get_json("/api/v1/watcher/service-points", &auditor)
        .await;
    assert_eq!(status, 200, "{points}");
    assert_eq!(points["total"], 1);

    app.stop().await;
}

#[tokio::test]
async fn an_inspection_goes_from_plan_to_corrective_action_on_sqlite() {
    an_inspection_goes_from_plan_to_corrective_action(Backend::Sqlite).await;
}

#[tokio::test]
async fn an_inspection_goes_from_plan_to_corrective_action_on_postgres() {
    an_inspection_goes_from_plan_to_corrective_action(Backend::Postgres).await;
}
