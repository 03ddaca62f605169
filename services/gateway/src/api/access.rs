//! Authorization as data: who may call each route.
//!
//! Every context declares its routes' audiences ([`RouteAccess`]); [`authorize`] looks the
//! matched route up before any extractor or handler runs and refuses with 401 (no valid
//! session) or 403 (a session whose acting grant is not in the audience). A route missing
//! from the table is refused: forgetting to declare one fails closed, and the route-role
//! matrix test fails too. What the table cannot say (a structure acting only on files
//! referred to it, a citizen reading only their own files) the handlers and aggregates
//! check.

use axum::extract::{MatchedPath, Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use kernel::{ActorKind, Role};

use crate::auth::principal::ACTING_AS;
use crate::auth::{Acting, Principal};
use crate::error::ApiError;
use crate::startup::AppState;

/// Who may call a route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    /// Anyone, without a session (registration, public registers, Open311, tracking by code).
    Anyone,
    /// Any signed-in account, acting as itself.
    Authenticated,
    /// A signed-in citizen.
    Citizen,
    /// An agent acting under one of these roles.
    Roles(&'static [Role]),
    /// A signed-in citizen, or an agent acting under one of these roles.
    CitizenOrRoles(&'static [Role]),
}

/// Every role that may change something: all but the auditor, who reads everything and
/// changes nothing.
pub const WRITERS: &[Role] = &[
    Role::OfficeAgent,
    Role::OfficeHead,
    Role::Signatory,
    Role::StructureAgent,
    Role::CentralBureauAgent,
    Role::ForumModerator,
    Role::RegisterBureauAgent,
    Role::RegisterBureauHead,
    Role::CommitteeMember,
    Role::CouncilSecretary,
    Role::WatcherMember,
    Role::WatcherSupervisor,
    Role::DepartmentHead,
    Role::PlatformAdmin,
];

/// One route's audience.
#[derive(Clone, Copy, Debug)]
pub struct RouteAccess {
    /// `GET`, `POST`...
    pub method: &'static str,
    /// The route template as mounted (`/api/v1/files/{id}`).
    pub path: &'static str,
    /// Who may call it.
    pub audience: Audience,
}

/// `method path` for `audience`, as the contexts' tables write it.
pub const fn route(method: &'static str, path: &'static str, audience: Audience) -> RouteAccess {
    RouteAccess {
        method,
        path,
        audience,
    }
}

/// The routes outside `/api/v1` that anyone may call.
pub const PLATFORM: &[RouteAccess] = &[
    RouteAccess {
        method: "GET",
        path: "/health",
        audience: Audience::Anyone,
    },
    RouteAccess {
        method: "GET",
        path: "/metrics",
        audience: Audience::Anyone,
    },
];

/// Whether `acting` is in `audience`.
pub fn admits(audience: Audience, acting: &Acting) -> bool {
    let role = acting.actor.role();
    match audience {
        Audience::Anyone | Audience::Authenticated => true,
        Audience::Citizen => acting.actor.kind == ActorKind::Citizen,
        Audience::Roles(roles) => role.is_some_and(|r| roles.contains(&r)),
        Audience::CitizenOrRoles(roles) => {
            acting.actor.kind == ActorKind::Citizen || role.is_some_and(|r| roles.contains(&r))
        }
    }
}

/// The audience of `method` `path` in the routing table.
pub fn audience_of(table: &[RouteAccess], method: &Method, path: &str) -> Option<Audience> {
    table
        .iter()
        .find(|r| r.method == method.as_str() && r.path == path)
        .map(|r| r.audience)
}

/// The middleware. The resolved [`Acting`] is left in the request's extensions for the
/// handler.
pub async fn authorize(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let Some(path) = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
    else {
        // Unmatched: the fallback answers 404.
        return next.run(request).await;
    };
    let Some(audience) = audience_of(&state.routes, request.method(), &path) else {
        if state.routes.iter().any(|r| r.path == path) {
            // A declared route asked with another method: the router answers 405.
            return next.run(request).await;
        }
        tracing::error!(path, method = %request.method(), "route without a declared audience");
        return ApiError::Forbidden {
            detail: "this route is not open to anyone".into(),
        }
        .into_response();
    };
    if audience == Audience::Anyone {
        return next.run(request).await;
    }
    let (mut parts, body) = request.into_parts();
    let principal =
        match <Principal as axum::extract::FromRequestParts<AppState>>::from_request_parts(
            &mut parts, &state,
        )
        .await
        {
            Ok(principal) => principal,
            Err(error) => return error.into_response(),
        };
    let requested = parts
        .headers
        .get(ACTING_AS)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let acting = match Acting::choose(principal, requested.as_deref()) {
        Ok(acting) => acting,
        Err(error) => return error.into_response(),
    };
    if !admits(audience, &acting) {
        return ApiError::RoleNotAllowed.into_response();
    }
    parts.extensions.insert(acting);
    request = Request::from_parts(parts, body);
    next.run(request).await
}
