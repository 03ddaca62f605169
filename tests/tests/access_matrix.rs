//! The route-role matrix: every documented route is declared in the routing table, and
//! admits exactly the callers its audience names (anonymous, a citizen, an agent of each
//! role), nothing that changes state admits an auditor, and no call answers 500.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;

use e2e::{Backend, spawn_app_with};
use gateway::api::access::{Audience, admits, audience_of};
use gateway::auth::{Acting, Principal};
use kernel::{Actor, ActorKind, OrganisationKind, Role, RoleGrant};
use reqwest::Method;

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

/// (method, path template) of every operation in the OpenAPI document.
async fn documented(app: &e2e::TestApp) -> BTreeSet<(String, String)> {
    let document: serde_json::Value = app.get("/api/v1/openapi.json").await.json().await.unwrap();
    let mut operations = BTreeSet::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        for method in METHODS {
            if item.get(method).is_some() {
                operations.insert((method.to_uppercase(), path.clone()));
            }
        }
    }
    operations
}

/// The path with every `{param}` replaced by a fresh id.
fn concrete(template: &str) -> String {
    let mut path = String::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        path.push_str(&rest[..start]);
        let end = rest[start..]
            .find('}')
            .map_or(rest.len(), |e| start + e + 1);
        path.push_str(&uuid::Uuid::now_v7().to_string());
        rest = &rest[end..];
    }
    path.push_str(rest);
    path
}

fn acting(kind: ActorKind, grant: Option<RoleGrant>) -> Acting {
    let id = kernel::ActorId::new_v7();
    let actor = match grant {
        Some(g) => Actor::agent(id, g.role, g.organisation),
        None if kind == ActorKind::Citizen => Actor::citizen(id),
        None => Actor::system(id),
    };
    Acting {
        principal: Principal {
            account: gateway::auth::Account {
                id,
                kind,
                email: String::new(),
                status: gateway::auth::AccountStatus::Active,
                language: "ar".into(),
                subject: kernel::personal_data::SubjectId::new_v7(),
            },
            grants: grant.into_iter().collect(),
            token: String::new(),
        },
        actor,
    }
}

#[tokio::test]
async fn every_route_admits_exactly_the_roles_of_its_audience() {
    let app = spawn_app_with(Backend::Sqlite, |s| {
        s.limits.per_client_per_second = 100_000;
        s.limits.per_client_burst = 100_000;
        s.limits.per_account_per_second = 100_000;
        s.limits.per_account_burst = 100_000;
        s.limits.sensitive_per_minute = 100_000;
    })
    .await;
    let organisation = app.organisation(OrganisationKind::Ministry, None).await;
    let table = app.state.routes.clone();

    // Static: documented and declared are the same set; nothing that writes admits auditors.
    let operations = documented(&app).await;
    let undocumented_platform = [
        "/health",
        "/metrics",
        "/api/v1/openapi.json",
        "/api/v1/docs",
    ];
    for (method, path) in &operations {
        assert!(
            audience_of(&table, &method.parse::<axum::http::Method>().unwrap(), path).is_some(),
            "{method} {path} is documented but has no audience"
        );
    }
    for route in table.iter() {
        if undocumented_platform.contains(&route.path) {
            continue;
        }
        assert!(
            operations.contains(&(route.method.to_owned(), route.path.to_owned())),
            "{} {} is declared but not documented",
            route.method,
            route.path
        );
        // Ending one's own session is not changing anything the auditor audits.
        if route.method != "GET" && route.path != "/api/v1/auth/logout" {
            let auditor = acting(
                ActorKind::Agent,
                Some(RoleGrant {
                    role: Role::Auditor,
                    organisation,
                }),
            );
            assert!(
                route.audience == Audience::Anyone || !admits(route.audience, &auditor),
                "{} {} lets an auditor change state",
                route.method,
                route.path
            );
        }
    }

    // Over HTTP: anonymous, a citizen, an agent of each role.
    let mut callers: Vec<(String, Option<String>, Acting)> = vec![(
        "citizen".into(),
        Some(
            app.account_with(ActorKind::Citizen, "citizen@matrix.tn", &[])
                .await,
        ),
        acting(ActorKind::Citizen, None),
    )];
    for role in Role::ALL {
        let grant = RoleGrant { role, organisation };
        let email = format!("{role:?}@matrix.tn").to_lowercase();
        let token = app.account_with(ActorKind::Agent, &email, &[grant]).await;
        callers.push((
            format!("{role:?}"),
            Some(token),
            acting(ActorKind::Agent, Some(grant)),
        ));
    }
    let mut checked = 0;
    // Logging out ends the callers' sessions: walk it after every other route.
    let mut walk: Vec<_> = operations.iter().collect();
    walk.sort_by_key(|(_, path)| path == "/api/v1/auth/logout");
    for (method, template) in walk {
        let http_method: Method = method.parse().unwrap();
        let audience = audience_of(&table, &method.parse().unwrap(), template).unwrap();
        let path = concrete(template);
        let send = |token: Option<&String>| {
            let mut request = app
                .client
                .request(http_method.clone(), format!("{}{path}", app.address));
            if http_method != Method::GET {
                request = request.json(&serde_json::json!({}));
            }
            if let Some(token) = token {
                request = request.bearer_auth(token);
            }
            request.send()
        };
        let anonymous = send(None).await.unwrap();
        let status = anonymous.status().as_u16();
        assert_ne!(status, 500, "{method} {template} as anonymous");
        if audience == Audience::Anyone {
            assert!(
                status != 401 && !refused_by_role(anonymous).await,
                "{method} {template} refused anonymous"
            );
        } else {
            assert_eq!(status, 401, "{method} {template} let anonymous through");
        }
        for (name, token, acting) in &callers {
            let response = send(token.as_ref()).await.unwrap();
            let status = response.status().as_u16();
            assert_ne!(status, 500, "{method} {template} as {name}");
            let refused = refused_by_role(response).await;
            if admits(audience, acting) {
                assert!(
                    status != 401 && !refused,
                    "{method} {template} refused {name} ({status})"
                );
            } else {
                assert!(refused, "{method} {template} let {name} through ({status})");
            }
            checked += 1;
        }
    }
    assert!(checked > 0);
    app.stop().await;
}

/// Whether the answer is the routing table's refusal.
async fn refused_by_role(response: reqwest::Response) -> bool {
    if response.status() != 403 {
        return false;
    }
    let problem: serde_json::Value = response.json().await.unwrap_or_default();
    problem["code"] == "role_not_allowed"
}
