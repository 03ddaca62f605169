//! Who a request comes from, and as what.
//!
//! [`Principal`]: the account behind the request's session (cookie `session`, for the
//! portal) or bearer token (`Authorization: Bearer`, for API clients), with its grants.
//! [`Acting`]: the principal acting under one grant: the one named in `X-Acting-As:
//! <role>@<organisation id>` (which it must hold), else its only grant; a citizen acts as
//! itself. [`RequestContext`]: what every event's metadata records about the request.

use std::collections::HashMap;

use axum::extract::FromRequestParts;
use axum::http::header::{AUTHORIZATION, COOKIE, USER_AGENT};
use axum::http::request::Parts;
use kernel::{AccessChannel, Actor, ActorKind, EventMetadata, OrganisationId, Role, RoleGrant};

use super::store::{Account, AccountStatus};
use crate::error::ApiError;
use crate::startup::AppState;

/// The name of the session cookie.
pub const SESSION_COOKIE: &str = "session";

/// The authenticated account of a request.
#[derive(Clone, Debug)]
pub struct Principal {
    /// The account.
    pub account: Account,
    /// Its grants.
    pub grants: Vec<RoleGrant>,
    /// The session token the request carried (to log it out).
    pub token: String,
}

fn session_token(parts: &Parts) -> Option<String> {
    if let Some(value) = parts
        .headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    {
        return value
            .strip_prefix("Bearer ")
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty());
    }
    parts
        .headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.to_owned())
}

impl Principal {
    /// The principal holding session or access token `token`; 401 if none does.
    pub(crate) async fn from_token(token: String, state: &AppState) -> Result<Self, ApiError> {
        // Tokens are 43 base64url characters; anything else cannot be one of ours.
        if token.len() > 128 {
            return Err(ApiError::Unauthenticated);
        }
        let now = state.clock.now().timestamp_millis();
        let idle = i64::from(state.auth.session_idle_minutes) * 60_000;
        let Some(id) = state.identity.session_account(&token, now, idle).await? else {
            return Err(ApiError::Unauthenticated);
        };
        let account = state.identity.account(id).await?;
        if account.status != AccountStatus::Active {
            return Err(ApiError::Unauthenticated);
        }
        let grants = state.identity.grants(id).await?;
        Ok(Self {
            account,
            grants,
            token,
        })
    }

    /// Whether the account holds `role` for `organisation`.
    pub fn holds(&self, role: Role, organisation: OrganisationId) -> bool {
        self.grants
            .iter()
            .any(|g| g.role == role && g.organisation == organisation)
    }

    /// Whether the account holds `role` for any organisation.
    pub fn holds_anywhere(&self, role: Role) -> bool {
        self.grants.iter().any(|g| g.role == role)
    }
}

impl FromRequestParts<AppState> for Principal {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = session_token(parts).ok_or(ApiError::Unauthenticated)?;
        Self::from_token(token, state).await
    }
}

/// A principal if the request carries a session, `None` if it carries none (a request with
/// an invalid token is refused: it meant to be someone).
#[derive(Clone, Debug)]
pub struct MaybePrincipal(pub Option<Principal>);

impl FromRequestParts<AppState> for MaybePrincipal {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        match session_token(parts) {
            None => Ok(Self(None)),
            Some(token) => Principal::from_token(token, state)
                .await
                .map(|p| Self(Some(p))),
        }
    }
}

/// The header naming the grant an agent acts under.
pub const ACTING_AS: &str = "x-acting-as";

/// A principal acting under one grant (or as a citizen).
#[derive(Clone, Debug)]
pub struct Acting {
    /// Who.
    pub principal: Principal,
    /// The actor commands carry.
    pub actor: Actor,
}

fn parse_grant(value: &str) -> Option<RoleGrant> {
    let (role, organisation) = value.split_once('@')?;
    let role: Role =
        serde_json::from_value(serde_json::Value::String(role.trim().to_owned())).ok()?;
    Some(RoleGrant {
        role,
        organisation: organisation.trim().parse().ok()?,
    })
}

impl Acting {
    /// `principal` acting under `requested` (or its only grant).
    pub fn choose(principal: Principal, requested: Option<&str>) -> Result<Self, ApiError> {
        let id = principal.account.id;
        let actor = match (principal.account.kind, requested) {
            (_, Some(value)) => {
                let grant = parse_grant(value).ok_or_else(|| ApiError::BadRequest {
                    detail: "X-Acting-As must be <role>@<organisation id>".into(),
                })?;
                if !principal.grants.contains(&grant) {
                    return Err(ApiError::Forbidden {
                        detail: "you do not hold the role named in X-Acting-As".into(),
                    });
                }
                Actor::agent(id, grant.role, grant.organisation)
            }
            (ActorKind::Citizen, None) => Actor::citizen(id),
            (ActorKind::System, None) => Actor::system(id),
            (ActorKind::Agent, None) => match principal.grants.as_slice() {
                [only] => Actor::agent(id, only.role, only.organisation),
                [] => {
                    return Err(ApiError::Forbidden {
                        detail: "this account holds no role".into(),
                    });
                }
                _ => {
                    return Err(ApiError::BadRequest {
                        detail: "this account holds several roles: name one in X-Acting-As".into(),
                    });
                }
            },
        };
        Ok(Self { principal, actor })
    }
}

impl FromRequestParts<AppState> for Acting {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        // The authorization layer resolved it already on routes it guards.
        if let Some(acting) = parts.extensions.get::<Self>() {
            return Ok(acting.clone());
        }
        let principal = Principal::from_request_parts(parts, state).await?;
        let requested = parts
            .headers
            .get(ACTING_AS)
            .map(|v| {
                v.to_str().map_err(|_| ApiError::BadRequest {
                    detail: "X-Acting-As must be ASCII".into(),
                })
            })
            .transpose()?;
        Self::choose(principal, requested)
    }
}

/// What the metadata of every event records about the request.
#[derive(Clone, Debug, Default)]
pub struct RequestContext {
    /// `x-request-id` (set by the gateway when the client sent none).
    pub request_id: Option<String>,
    /// `x-correlation-id`, when the client sent one.
    pub correlation_id: Option<String>,
    /// The client software (`user-agent`).
    pub client: Option<String>,
}

impl RequestContext {
    /// The metadata of a command `actor` issues now through `channel`.
    pub fn metadata(
        &self,
        actor: &Actor,
        channel: AccessChannel,
        now: chrono::DateTime<chrono::Utc>,
    ) -> HashMap<String, String> {
        let mut metadata = EventMetadata::new(actor, channel, now);
        // Ids that fail validation are dropped: they are diagnostic, never a reason to refuse.
        if let Some(id) = &self.request_id {
            metadata = metadata.clone().with_request_id(id).unwrap_or(metadata);
        }
        if let Some(id) = &self.correlation_id {
            metadata = metadata.clone().with_correlation_id(id).unwrap_or(metadata);
        }
        if let Some(client) = &self.client {
            metadata = metadata.with_client(client);
        }
        metadata.to_map()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for RequestContext {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let header = |name: &str| {
            parts
                .headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        Ok(Self {
            request_id: header("x-request-id"),
            correlation_id: header("x-correlation-id"),
            client: parts
                .headers
                .get(USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
        })
    }
}

#[cfg(test)]
mod tests {
    use kernel::ActorId;
    use kernel::personal_data::SubjectId;

    use super::*;

    fn principal(kind: ActorKind, grants: Vec<RoleGrant>) -> Principal {
        Principal {
            account: Account {
                id: ActorId::new_v7(),
                kind,
                email: "a@b.tn".into(),
                status: AccountStatus::Active,
                language: "ar".into(),
                subject: SubjectId::new_v7(),
            },
            grants,
            token: String::new(),
        }
    }

    #[test]
    fn an_agent_acts_under_a_grant_it_holds_and_only_that() {
        let office = OrganisationId::new_v7();
        let grants = vec![
            RoleGrant {
                role: Role::OfficeAgent,
                organisation: office,
            },
            RoleGrant {
                role: Role::Signatory,
                organisation: office,
            },
        ];
        let acting = Acting::choose(
            principal(ActorKind::Agent, grants.clone()),
            Some(&format!("signatory@{office}")),
        )
        .unwrap();
        assert!(acting.actor.acts_for(office, &[Role::Signatory]));
        assert!(matches!(
            Acting::choose(
                principal(ActorKind::Agent, grants.clone()),
                Some(&format!("auditor@{office}"))
            ),
            Err(ApiError::Forbidden { .. })
        ));
        assert!(matches!(
            Acting::choose(principal(ActorKind::Agent, grants.clone()), None),
            Err(ApiError::BadRequest { .. })
        ));
        assert!(matches!(
            Acting::choose(principal(ActorKind::Agent, grants), Some("nonsense")),
            Err(ApiError::BadRequest { .. })
        ));
        let single = vec![RoleGrant {
            role: Role::Auditor,
            organisation: office,
        }];
        assert!(
            Acting::choose(principal(ActorKind::Agent, single), None)
                .unwrap()
                .actor
                .acts_as(Role::Auditor)
        );
    }

    #[test]
    fn a_citizen_acts_as_itself() {
        let p = principal(ActorKind::Citizen, vec![]);
        let id = p.account.id;
        assert!(Acting::choose(p, None).unwrap().actor.is_citizen(id));
    }
}
