//! The forum end to end (decree 2019-1242 art. 11) on both backends: the Central Bureau
//! opens a topic, citizens post and reply, one reports abuse, a moderator hides the message
//! (the public then sees why, not what), the topic is closed and its synthesis published;
//! and each refusal: wrong role, another organisation's topic, closed topic, own message,
//! double report, bad fields.

#![allow(clippy::unwrap_used)]

use chrono::{Duration, Utc};
use e2e::{Backend, assert_problem, spawn_unthrottled};
use kernel::{ActorKind, OrganisationKind, Role};
use serde_json::{Value, json};

fn topic_body(days: i64) -> Value {
    json!({
        "title": "Horaires d'ouverture des municipalités",
        "question": "Faut-il ouvrir les guichets le samedi matin ?",
        "closes_at": Utc::now() + Duration::days(days),
    })
}

async fn the_forum_runs_from_question_to_synthesis(backend: Backend) {
    let app = spawn_unthrottled(backend).await;
    let bureau = app
        .organisation(OrganisationKind::CentralBureau, None)
        .await;
    let other_bureau = app
        .organisation(OrganisationKind::CentralBureau, None)
        .await;
    let administration = app
        .agent("forum@bureau.tn", Role::CentralBureauAgent, bureau)
        .await;
    let other_administration = app
        .agent("forum@other.tn", Role::CentralBureauAgent, other_bureau)
        .await;
    let moderator = app
        .agent("moderator@bureau.tn", Role::ForumModerator, bureau)
        .await;
    let other_moderator = app
        .agent("moderator@other.tn", Role::ForumModerator, other_bureau)
        .await;
    let auditor = app.agent("auditor@state.tn", Role::Auditor, bureau).await;
    let amira = app
        .account_with(ActorKind::Citizen, "amira@example.tn", &[])
        .await;
    let sami = app
        .account_with(ActorKind::Citizen, "sami@example.tn", &[])
        .await;

    // Only the administration opens topics, with a closing date in the future and not
    // further than configured.
    let refused = app
        .post_json("/api/v1/forum/topics", &amira, &topic_body(10))
        .await;
    assert_problem(&refused, 403, "code", "role_not_allowed");
    let past = app
        .post_json("/api/v1/forum/topics", &administration, &topic_body(-1))
        .await;
    assert_problem(&past, 422, "field", "closes_at");
    let far = app
        .post_json("/api/v1/forum/topics", &administration, &topic_body(4000))
        .await;
    assert_problem(&far, 422, "code", "too_far");
    let mut untitled = topic_body(10);
    untitled["title"] = json!("  ");
    let untitled = app
        .post_json("/api/v1/forum/topics", &administration, &untitled)
        .await;
    assert_problem(&untitled, 422, "field", "title");

    let (status, created) = app
        .post_json("/api/v1/forum/topics", &administration, &topic_body(10))
        .await;
    assert_eq!(status, 201, "{created}");
    let topic = format!("/api/v1/forum/topics/{}", created["id"].as_str().unwrap());

    // Anyone reads it, without an account.
    let (status, read) = app.get_json(&topic, "").await;
    assert_eq!(status, 200, "{read}");
    assert_eq!(read["status"], "open");
    assert_eq!(read["title"], "Horaires d'ouverture des municipalités");

    // Citizens post and reply; agents do not post.
    let posts = format!("{topic}/posts");
    let (status, first) = app
        .post_json(
            &posts,
            &amira,
            &json!({"text": "Oui, beaucoup travaillent en semaine."}),
        )
        .await;
    assert_eq!(status, 201, "{first}");
    let first = first["id"].as_str().unwrap().to_owned();
    let (status, second) = app
        .post_json(
            &format!("{posts}/{first}/replies"),
            &sami,
            &json!({"text": "Tu n'es qu'un idiot."}),
        )
        .await;
    assert_eq!(status, 201, "{second}");
    let second = second["id"].as_str().unwrap().to_owned();
    let by_agent = app
        .post_json(&posts, &administration, &json!({"text": "Merci."}))
        .await;
    assert_problem(&by_agent, 403, "code", "role_not_allowed");
    // Hostile text: a direction override (which would reverse what readers see) and an
    // invisible character are refused, naming the field and the rule.
    for hostile in ["Oui \u{202E}non", "Oui\u{200B}"] {
        let refused = app
            .post_json(&posts, &amira, &json!({"text": hostile}))
            .await;
        assert_problem(&refused, 422, "code", "forbidden_character");
    }
    let arabic = app
        .post_json(&posts, &amira, &json!({"text": "نعم، يوم السبت صباحاً"}))
        .await;
    assert_eq!(arabic.0, 201, "{}", arabic.1);
    let empty = app.post_json(&posts, &amira, &json!({"text": ""})).await;
    assert_problem(&empty, 422, "field", "text");
    let nowhere = app
        .post_json(
            &format!("{posts}/{}/replies", uuid::Uuid::now_v7()),
            &amira,
            &json!({"text": "Réponse"}),
        )
        .await;
    assert_eq!(nowhere.0, 404, "{}", nowhere.1);

    // Reports: not one's own message, once per user.
    let report = format!("{posts}/{second}/reports");
    let own = app
        .post_json(&report, &sami, &json!({"reason": "insult"}))
        .await;
    assert_eq!(own.0, 403, "{}", own.1);
    let (status, _) = app
        .post_json(&report, &amira, &json!({"reason": "insult"}))
        .await;
    assert_eq!(status, 204);
    let again = app
        .post_json(&report, &amira, &json!({"reason": "insult"}))
        .await;
    assert_problem(&again, 409, "code", "already_reported");
    let unknown_reason = app
        .post_json(&report, &amira, &json!({"reason": "rude"}))
        .await;
    assert_eq!(unknown_reason.0, 422, "{}", unknown_reason.1);
    app.settle().await;

    let (status, queue) = app
        .get_json("/api/v1/forum/moderation-queue", &moderator)
        .await;
    assert_eq!(status, 200, "{queue}");
    assert_eq!(queue["total"], 1);
    assert_eq!(queue["items"][0]["post"], second.as_str());
    assert_eq!(queue["items"][0]["reports"], 1);
    let (_, elsewhere) = app
        .get_json("/api/v1/forum/moderation-queue", &other_moderator)
        .await;
    assert_eq!(
        elsewhere["total"], 0,
        "another forum's reports: {elsewhere}"
    );
    assert_eq!(
        app.get_json("/api/v1/forum/moderation-queue", &auditor)
            .await
            .0,
        200
    );
    assert_eq!(
        app.get_json("/api/v1/forum/moderation-queue", &amira)
            .await
            .0,
        403
    );

    // Only a moderator of the topic's organisation hides, saying why.
    let hide = format!("{posts}/{second}/hiding");
    let hiding =
        json!({"reason": "insult", "explanation": "Message insultant envers un participant."});
    let foreign = app.post_json(&hide, &other_moderator, &hiding).await;
    assert_eq!(foreign.0, 403, "{}", foreign.1);
    let (status, _) = app.post_json(&hide, &moderator, &hiding).await;
    assert_eq!(status, 204);
    let twice = app.post_json(&hide, &moderator, &hiding).await;
    assert_problem(&twice, 409, "code", "post_hidden");
    app.settle().await;

    // The public sees the first message's text and why the second was hidden, never what
    // it said, nor who wrote either.
    let (status, listing) = app.get_json(&posts, "").await;
    assert_eq!(status, 200, "{listing}");
    assert_eq!(listing["total"], 3);
    assert_eq!(
        listing["items"][2]["content"]["text"]["value"],
        "نعم، يوم السبت صباحاً"
    );
    let shown = &listing["items"][0];
    assert_eq!(shown["post"], first.as_str());
    assert_eq!(shown["content"]["visibility"], "visible");
    assert_eq!(
        shown["content"]["text"]["value"],
        "Oui, beaucoup travaillent en semaine."
    );
    assert!(shown.get("author").is_none(), "{shown}");
    let hidden = &listing["items"][1];
    assert_eq!(hidden["in_reply_to"], first.as_str());
    assert_eq!(hidden["content"]["visibility"], "hidden");
    assert_eq!(hidden["content"]["reason"], "insult");
    assert!(!listing.to_string().contains("idiot"), "{listing}");

    // Closing and the synthesis belong to the topic's organisation, in that order.
    let synthesis = json!({"synthesis": "Une majorité souhaite une ouverture le samedi."});
    let early = app
        .post_json(&format!("{topic}/synthesis"), &administration, &synthesis)
        .await;
    assert_problem(&early, 409, "code", "wrong_state");
    let foreign = app
        .post_json(
            &format!("{topic}/closure"),
            &other_administration,
            &json!({}),
        )
        .await;
    assert_eq!(foreign.0, 403, "{}", foreign.1);
    let (status, _) = app
        .post_json(&format!("{topic}/closure"), &administration, &json!({}))
        .await;
    assert_eq!(status, 204);
    let late = app
        .post_json(&posts, &amira, &json!({"text": "Encore un mot."}))
        .await;
    assert_problem(&late, 409, "code", "wrong_state");
    let (status, _) = app
        .post_json(&format!("{topic}/synthesis"), &administration, &synthesis)
        .await;
    assert_eq!(status, 204);
    app.settle().await;

    let (status, topics) = app
        .get_json("/api/v1/forum/topics?status=synthesis_published", "")
        .await;
    assert_eq!(status, 200, "{topics}");
    assert_eq!(topics["total"], 1);
    assert_eq!(
        topics["items"][0]["synthesis"],
        "Une majorité souhaite une ouverture le samedi."
    );
    assert_eq!(topics["items"][0]["hidden_posts"], 1);
    let bad_filter = app
        .get_json("/api/v1/forum/topics?status=archived", "")
        .await;
    assert_problem(&bad_filter, 422, "field", "query");
    let unknown = app
        .get_json(
            &format!("/api/v1/forum/topics/{}", uuid::Uuid::now_v7()),
            "",
        )
        .await;
    assert_eq!(unknown.0, 404);

    app.stop().await;
}

#[tokio::test]
async fn the_forum_runs_from_question_to_synthesis_on_sqlite() {
    the_forum_runs_from_question_to_synthesis(Backend::Sqlite).await;
}

#[tokio::test]
async fn the_forum_runs_from_question_to_synthesis_on_postgres() {
    the_forum_runs_from_question_to_synthesis(Backend::Postgres).await;
}
