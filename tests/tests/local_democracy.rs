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

/// The steps that take weeks, on a clock the test moves: the bureau's appointment and the
/// art. 8 items, paper entries migrated (art. 16-17), the art. 9 procedure to suspension,
/// lifting and striking-off, a withdrawal; the committee's proposal, letter, follow-up
/// meeting and minutes (art. 13); a session rescheduled, its report, its meeting, and its
/// summary posted and taken down after its display (art. 14-15).
async fn the_procedures_that_take_weeks_run_to_their_end(backend: Backend) {
    let clock = kernel::ManualClock::at(
        chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 3, 2, 9, 0, 0).unwrap(),
    );
    let app = e2e::spawn_app_at(backend, &clock, |_| {}).await;
    let today = || clock_date(&clock);
    let la = app
        .organisation(OrganisationKind::LocalAuthority, None)
        .await;
    let admin = app.agent("admin@sousse.tn", Role::PlatformAdmin, la).await;
    let head = app
        .agent("chef@sousse.tn", Role::RegisterBureauHead, la)
        .await;
    let bureau = app
        .agent("bureau@sousse.tn", Role::RegisterBureauAgent, la)
        .await;
    let secretary = app.agent("sg@sousse.tn", Role::CouncilSecretary, la).await;
    let committee = app
        .agent("commission@sousse.tn", Role::CommitteeMember, la)
        .await;
    let resident = app
        .account_with(ActorKind::Citizen, "ines@example.tn", &[])
        .await;
    let base = format!("/api/v1/local-authorities/{la}");
    let register = format!("{base}/civil-society-register");
    let post = |path: String, token: &str, body: Value| {
        let (app, token) = (&app, token.to_owned());
        async move { app.post_json(&path, &token, &body).await }
    };

    // The register, its bureau (art. 4) and its art. 8 items.
    assert_eq!(
        post(register.clone(), &admin, json!({"opened_on": today()}))
            .await
            .0,
        204
    );
    let (_, head_me) = app.get_json("/api/v1/auth/me", &head).await;
    let (_, bureau_me) = app.get_json("/api/v1/auth/me", &bureau).await;
    let order = json!({"reference": "Arrêté 2026-12", "signed_on": "2026-03-01", "published_on": "2026-03-02"});
    let same = json!({"order": order, "head": {"agent": head_me["id"], "full_name": "Sonia Ayari"},
        "deputy": {"agent": head_me["id"], "full_name": "Sonia Ayari"}});
    assert_problem(
        &post(format!("{register}/bureau"), &admin, same).await,
        422,
        "field",
        "deputy",
    );
    let appoint = json!({"order": order, "head": {"agent": head_me["id"], "full_name": "Sonia Ayari"},
        "deputy": {"agent": bureau_me["id"], "full_name": "Walid Mansour"}});
    assert_eq!(
        post(format!("{register}/bureau"), &admin, appoint).await.0,
        204
    );
    let requirements = json!({"requirements": {"required": ["legal_form"]}});
    assert_eq!(
        post(
            format!("{register}/requirements"),
            &admin,
            requirements.clone()
        )
        .await
        .0,
        204
    );
    assert_problem(
        &post(format!("{register}/requirements"), &admin, requirements).await,
        409,
        "code",
        "requirements_unchanged",
    );

    // Migration from paper keeps the original dates (art. 16-17).
    let paper = |name: &str| {
        json!({"reference": format!("Registre papier, vol. 2, {name}"),
        "registered_on": "2019-06-10", "entry": {"name": name, "legal_form": "association",
        "fields_of_activity": ["culture"], "documents": []}})
    };
    let mut entries = Vec::new();
    for name in ["Club de théâtre", "Association des pêcheurs"] {
        let (status, created) =
            post(format!("{register}/paper-entries"), &bureau, paper(name)).await;
        assert_eq!(status, 201, "{created}");
        entries.push(format!(
            "/api/v1/civil-society/organisations/{}",
            created["organisation"].as_str().unwrap()
        ));
    }
    let mut late = paper("Après l'ouverture");
    late["registered_on"] = json!("2026-03-05");
    assert_eq!(
        post(format!("{register}/paper-entries"), &bureau, late)
            .await
            .0,
        422
    );
    let mut updated = paper("Club de théâtre de Sousse");
    updated = json!({"entry": updated["entry"]});
    assert_eq!(
        post(format!("{}/entry", entries[0]), &bureau, updated)
            .await
            .0,
        204
    );

    // Art. 9, for both entries: finding, notice, receipt; a month; hearing; suspension.
    let decision = |reference: &str, on: String| json!({"decision": {"reference": reference, "decided_on": on}});
    for entry in &entries {
        let mut finding = decision("CM-2026-03/4", today());
        finding["situation"] = json!("legal");
        finding["grounds"] = json!("Statuts non mis à jour.");
        assert_eq!(
            post(format!("{entry}/irregularity"), &secretary, finding)
                .await
                .0,
            204
        );
        let notice = json!({"letter_reference": "RR 1", "sent_on": today()});
        assert_eq!(
            post(format!("{entry}/formal-notice"), &bureau, notice)
                .await
                .0,
            204
        );
        assert_eq!(
            post(
                format!("{entry}/acknowledgement"),
                &bureau,
                json!({"acknowledged_on": today()})
            )
            .await
            .0,
            204
        );
    }
    clock.advance(Duration::days(35));
    let hearing_day = clock_date_after(&clock, 5);
    for entry in &entries {
        let invitation = json!({"invitation_reference": "CONV-7", "sent_on": today(), "hearing_on": hearing_day});
        assert_eq!(
            post(format!("{entry}/hearing-invitation"), &bureau, invitation)
                .await
                .0,
            204
        );
    }
    clock.advance(Duration::days(5));
    for entry in &entries {
        let hearing = json!({"held_on": today(), "organisation_appeared": false, "minutes_reference": "PV-3",
            "minutes": {"content_hash": "b".repeat(64), "media_type": "application/pdf", "file_name": "pv.pdf"}});
        assert_eq!(
            post(format!("{entry}/hearing"), &bureau, hearing).await.0,
            204
        );
        assert_eq!(
            post(
                format!("{entry}/suspension"),
                &secretary,
                decision("CM-2026-04/9", today())
            )
            .await
            .0,
            204
        );
    }
    assert_eq!(
        post(
            format!("{}/striking-off", entries[0]),
            &secretary,
            decision("CM-2026-04/10", today())
        )
        .await
        .0,
        204
    );
    assert_problem(
        &post(
            format!("{}/suspension-lifting", entries[0]),
            &secretary,
            decision("CM-2026-04/11", today()),
        )
        .await,
        409,
        "code",
        "wrong_status",
    );
    assert_eq!(
        post(
            format!("{}/suspension-lifting", entries[1]),
            &secretary,
            decision("CM-2026-04/12", today())
        )
        .await
        .0,
        204
    );
    let withdrawal = json!({"requested_on": today(), "request_reference": "Lettre du 12 avril"});
    assert_eq!(
        post(
            format!("{}/withdrawal", entries[1]),
            &bureau,
            withdrawal.clone()
        )
        .await
        .0,
        204
    );
    assert_eq!(
        post(format!("{}/withdrawal", entries[1]), &bureau, withdrawal)
            .await
            .0,
        409
    );
    app.settle().await;
    let (_, struck) = app.get_json(&entries[0], "").await;
    assert_eq!(struck["standing"], "struck_off", "{struck}");

    // The committee's work on an entry (art. 13).
    let question = json!({"section": {"section": "services_and_facilities"}, "kind": "question",
        "author": {"as": "resident", "ground": "works", "contact": {"name": "Inès Ferjani",
        "postal_address": "3 rue de Carthage, Sousse", "email": "ines@example.tn", "phone": "+216 50 111 222"}},
        "text": "Pourquoi l'éclairage du souk est-il éteint ?"});
    let (status, filed) = post(format!("{base}/opinions"), &resident, question).await;
    assert_eq!(status, 201, "{filed}");
    let entry = format!("/api/v1/opinions/{}", filed["entry"].as_str().unwrap());
    let proposal = json!({"proposal": "answer", "note": "Proposer une réponse écrite sur le calendrier des travaux."});
    assert_eq!(
        post(format!("{entry}/proposals"), &committee, proposal)
            .await
            .0,
        204
    );
    let letter = json!({"body": "Madame, les travaux d'éclairage commenceront en mai."});
    assert_eq!(
        post(
            format!("{entry}/proposals/1/correspondence"),
            &bureau,
            letter.clone()
        )
        .await
        .0,
        204
    );
    assert_problem(
        &post(
            format!("{entry}/proposals/1/correspondence"),
            &bureau,
            letter.clone(),
        )
        .await,
        409,
        "code",
        "correspondence_already_sent",
    );
    assert_eq!(
        post(
            format!("{entry}/proposals/9/correspondence"),
            &bureau,
            letter
        )
        .await
        .0,
        404
    );
    let meeting = json!({"meeting_at": kernel::Clock::now(&clock) + Duration::days(2)});
    assert_eq!(
        post(format!("{entry}/follow-up-meetings"), &committee, meeting)
            .await
            .0,
        204
    );
    let minutes = json!({"minutes": "L'autrice a été reçue ; les travaux sont confirmés."});
    assert_problem(
        &post(
            format!("{entry}/follow-up-meetings/1/minutes"),
            &committee,
            minutes.clone(),
        )
        .await,
        409,
        "code",
        "meeting_not_yet_held",
    );
    clock.advance(Duration::days(3));
    assert_eq!(
        post(
            format!("{entry}/follow-up-meetings/1/minutes"),
            &committee,
            minutes
        )
        .await
        .0,
        204
    );

    // A session, its report, its meeting, its summary posted and taken down (art. 14-15).
    let sessions = format!("{base}/council-sessions");
    let (status, session) = post(
        sessions.clone(),
        &secretary,
        json!({"date": clock_date_after(&clock, 20)}),
    )
    .await;
    assert_eq!(status, 201, "{session}");
    let session = format!("{sessions}/{}", session["session"].as_str().unwrap());
    assert_eq!(
        post(
            format!("{session}/rescheduling"),
            &secretary,
            json!({"date": clock_date_after(&clock, 21)})
        )
        .await
        .0,
        204
    );
    let report = json!({"report": "Une question, une proposition suivie d'une lettre et d'une réunion.",
        "public_summary": "Une question traitée.", "attests_no_personal_data": true});
    assert_eq!(
        post(format!("{session}/committee-report"), &committee, report)
            .await
            .0,
        204
    );
    clock.advance(Duration::days(21));
    assert_eq!(
        post(
            format!("{session}/meeting"),
            &secretary,
            json!({"held_on": today()})
        )
        .await
        .0,
        204
    );
    assert_eq!(
        post(format!("{session}/summary-posting"), &secretary, json!({}))
            .await
            .0,
        204
    );
    assert_problem(
        &post(format!("{session}/summary-takedown"), &secretary, json!({})).await,
        409,
        "code",
        "display_period_not_over",
    );
    clock.advance(Duration::days(16));
    assert_eq!(
        post(format!("{session}/summary-takedown"), &secretary, json!({}))
            .await
            .0,
        204
    );

    app.stop().await;
}

fn clock_date(clock: &kernel::ManualClock) -> String {
    kernel::Clock::now(clock).date_naive().to_string()
}

fn clock_date_after(clock: &kernel::ManualClock, days: i64) -> String {
    (kernel::Clock::now(clock) + Duration::days(days))
        .date_naive()
        .to_string()
}

#[tokio::test]
async fn the_procedures_that_take_weeks_run_to_their_end_on_sqlite() {
    the_procedures_that_take_weeks_run_to_their_end(Backend::Sqlite).await;
}

#[tokio::test]
async fn the_procedures_that_take_weeks_run_to_their_end_on_postgres() {
    the_procedures_that_take_weeks_run_to_their_end(Backend::Postgres).await;
}
