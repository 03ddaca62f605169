//! Open311 GeoReport v2 end to end on both backends: discovery, the service list and
//! definition, filing a notification with an app's form (JSON and XML answers, a photo
//! uploaded first), reading requests publicly without personal data, and the
//! specification's error documents for every refusal.

#![allow(clippy::unwrap_used)]

use e2e::{Backend, TestApp, spawn_unthrottled};
use kernel::{ActorKind, OrganisationKind, Role, RoleGrant};
use serde_json::Value;

/// `GET` without an account: status, content type, body.
async fn fetch(app: &TestApp, path: &str) -> (u16, String, String) {
    let response = app.get(path).await;
    let status = response.status().as_u16();
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    (status, content_type, response.text().await.unwrap())
}

/// `POST` a form: status and body.
async fn submit(app: &TestApp, path: &str, form: &[(&str, &str)]) -> (u16, String) {
    let response = app
        .client
        .post(format!("{}{path}", app.address))
        .form(form)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

fn json(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

/// Asserts an Open311 JSON error document with `status`.
fn assert_error(result: &(u16, String), status: u16, mentions: &str) {
    assert_eq!(result.0, status, "{}", result.1);
    let errors = json(&result.1);
    assert_eq!(errors[0]["code"], status, "{}", result.1);
    let description = errors[0]["description"].as_str().unwrap();
    assert!(description.contains(mentions), "{description}");
}

async fn an_app_files_and_follows_notifications(backend: Backend) {
    let app = spawn_unthrottled(backend).await;
    let bureau = app
        .organisation(OrganisationKind::CentralBureau, None)
        .await;
    let amira = app
        .account_with(ActorKind::Citizen, "amira@example.tn", &[])
        .await;
    let agent = app
        .account_with(
            ActorKind::Agent,
            "agent@bureau.tn",
            &[RoleGrant {
                role: Role::CentralBureauAgent,
                organisation: bureau,
            }],
        )
        .await;

    // Discovery and the service, in both formats.
    let (status, content_type, body) = fetch(&app, "/open311/v2/discovery.json").await;
    assert_eq!(status, 200);
    assert!(content_type.starts_with("application/json"));
    let discovery = json(&body);
    assert!(
        discovery["endpoints"][0]["url"]
            .as_str()
            .unwrap()
            .ends_with("/open311/v2")
    );
    let (status, content_type, body) = fetch(&app, "/open311/v2/discovery.xml").await;
    assert_eq!(status, 200);
    assert!(content_type.starts_with("text/xml"));
    assert!(body.contains("<discovery>"), "{body}");
    assert!(body.contains("<format>text/xml</format>"), "{body}");

    let (status, _, body) = fetch(&app, "/open311/v2/services.json").await;
    assert_eq!(status, 200);
    let services = json(&body);
    assert_eq!(services.as_array().unwrap().len(), 1);
    assert_eq!(services[0]["service_code"], "notification");
    assert_eq!(services[0]["metadata"], true);
    let (_, _, body) = fetch(&app, "/open311/v2/services.xml").await;
    assert!(
        body.contains("<services><service><service_code>notification</service_code>"),
        "{body}"
    );

    let (status, _, body) = fetch(&app, "/open311/v2/services/notification.json").await;
    assert_eq!(status, 200);
    let definition = json(&body);
    assert_eq!(definition["attributes"][0]["code"], "urgency");
    assert_eq!(definition["attributes"][0]["required"], true);
    assert_eq!(
        definition["attributes"][0]["values"][3]["key"],
        "life_threatening"
    );
    let (_, _, body) = fetch(&app, "/open311/v2/services/notification.xml").await;
    assert!(body.contains("<attributes><attribute>"), "{body}");
    assert!(body.contains("<value><key>low</key>"), "{body}");
    let (status, _, body) = fetch(&app, "/open311/v2/services/pothole.xml").await;
    assert_eq!(status, 404);
    assert!(body.contains("<errors><error><code>404</code>"), "{body}");
    let (status, _, _) = fetch(&app, "/open311/v2/services.txt").await;
    assert_eq!(status, 404);

    // Filing: the citizen's token is the api_key, the answer the tracking code.
    let photo = app.upload_png(&amira).await["hash"]
        .as_str()
        .unwrap()
        .to_owned();
    let media_url = format!("https://portal.example.tn/api/v1/attachments/{photo}");
    let form = [
        ("api_key", amira.as_str()),
        ("service_code", "notification"),
        ("attribute[urgency]", "high"),
        ("lat", "36.8065"),
        ("long", "10.1815"),
        (
            "description",
            "Câble électrique à terre\nDevant l'école, rue de Marseille.",
        ),
        ("first_name", "Amira"),
        ("last_name", "Ben Salah"),
        ("media_url", media_url.as_str()),
    ];
    let (status, body) = submit(&app, "/open311/v2/requests.json", &form).await;
    assert_eq!(status, 200, "{body}");
    let created = json(&body);
    let code = created[0]["service_request_id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(!code.is_empty());

    let (status, body) = submit(&app, "/open311/v2/requests.xml", &form).await;
    assert_eq!(status, 200, "{body}");
    assert!(
        body.contains("<service_requests><request><service_request_id>"),
        "{body}"
    );

    // Each refusal, as the specification's error document.
    let without = |name: &str| -> Vec<(&str, &str)> {
        form.iter().copied().filter(|(n, _)| *n != name).collect()
    };
    let path = "/open311/v2/requests.json";
    assert_error(
        &submit(&app, path, &without("api_key")).await,
        403,
        "api_key",
    );
    let mut as_agent = without("api_key");
    as_agent.push(("api_key", agent.as_str()));
    assert_error(&submit(&app, path, &as_agent).await, 403, "citizen");
    let mut wrong_key = without("api_key");
    wrong_key.push(("api_key", "not-a-token"));
    assert_error(&submit(&app, path, &wrong_key).await, 403, "api_key");
    assert_error(
        &submit(&app, path, &without("attribute[urgency]")).await,
        400,
        "urgency",
    );
    let mut wrong_urgency = without("attribute[urgency]");
    wrong_urgency.push(("attribute[urgency]", "soon"));
    assert_error(&submit(&app, path, &wrong_urgency).await, 400, "urgency");
    assert_error(&submit(&app, path, &without("long")).await, 400, "long");
    let nowhere: Vec<_> = without("lat")
        .into_iter()
        .filter(|(n, _)| *n != "long")
        .collect();
    assert_error(&submit(&app, path, &nowhere).await, 400, "location");
    let mut abroad = without("lat");
    abroad.push(("lat", "48.85"));
    assert_error(
        &submit(&app, path, &abroad).await,
        422,
        "location.coordinates",
    );
    assert_error(
        &submit(&app, path, &without("description")).await,
        400,
        "description",
    );
    let anonymous: Vec<_> = without("first_name")
        .into_iter()
        .filter(|(n, _)| *n != "last_name")
        .collect();
    assert_error(&submit(&app, path, &anonymous).await, 400, "first_name");
    let mut other_service = without("service_code");
    other_service.push(("service_code", "pothole"));
    assert_error(
        &submit(&app, path, &other_service).await,
        400,
        "service_code",
    );
    let mut elsewhere = without("media_url");
    elsewhere.push(("media_url", "https://example.com/photo.jpg"));
    assert_error(&submit(&app, path, &elsewhere).await, 400, "media_url");
    let mut unknown = form.to_vec();
    unknown.push(("colour", "red"));
    assert_error(&submit(&app, path, &unknown).await, 400, "colour");
    assert_error(
        &submit(&app, "/open311/v2/services.json", &form).await,
        404,
        "document",
    );
    app.settle().await;

    // Public reading: status and dates, never the description, place or author.
    let (status, _, body) = fetch(&app, "/open311/v2/requests.json").await;
    assert_eq!(status, 200, "{body}");
    let listed = json(&body);
    assert_eq!(listed.as_array().unwrap().len(), 2);
    assert_eq!(listed[1]["service_request_id"], code.as_str());
    assert_eq!(listed[1]["status"], "open");
    assert_eq!(listed[1]["service_code"], "notification");
    assert!(listed[1]["expected_datetime"].is_string(), "{body}");
    for secret in ["Câble", "Marseille", "Amira", "36.8"] {
        assert!(!body.contains(secret), "{secret} shown: {body}");
    }
    let (status, _, body) = fetch(&app, &format!("/open311/v2/requests/{code}.json")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(json(&body)[0]["service_request_id"], code.as_str());
    let (_, _, body) = fetch(&app, &format!("/open311/v2/requests/{code}.xml")).await;
    assert!(body.contains("<status>open</status>"), "{body}");
    let (_, _, body) = fetch(
        &app,
        &format!("/open311/v2/requests.json?service_request_id={code}"),
    )
    .await;
    assert_eq!(json(&body).as_array().unwrap().len(), 1);
    let (_, _, body) = fetch(&app, "/open311/v2/requests.json?status=closed").await;
    assert_eq!(json(&body), serde_json::json!([]));
    let (_, _, body) = fetch(&app, "/open311/v2/requests.json?service_code=pothole").await;
    assert_eq!(json(&body), serde_json::json!([]));
    let (status, _, body) = fetch(&app, "/open311/v2/requests.json?start_date=yesterday").await;
    assert_error(&(status, body), 400, "start_date");
    let (status, _, body) = fetch(&app, "/open311/v2/requests/ZZZZ.json").await;
    assert_error(&(status, body), 404, "service_request_id");

    // The author follows it in the platform too.
    let (status, mine) = app.get_json("/api/v1/files", &amira).await;
    assert_eq!(status, 200);
    assert_eq!(mine["total"], 2);
    assert_eq!(mine["items"][0]["file"]["kind"], "notification");
    assert_eq!(mine["items"][0]["file"]["urgency"], "high");

    app.stop().await;
}

#[tokio::test]
async fn an_app_files_and_follows_notifications_on_sqlite() {
    an_app_files_and_follows_notifications(Backend::Sqlite).await;
}

#[tokio::test]
async fn an_app_files_and_follows_notifications_on_postgres() {
    an_app_files_and_follows_notifications(Backend::Postgres).await;
}
