//! Account routes: registration, e-mail confirmation, login, logout, password reset, the
//! current account; agent accounts created by an administrator of their organisation and
//! their invitations; role grants.
//!
//! Registration and password reset always answer 202 whatever the address, so they cannot
//! be used to find out who has an account; the e-mail says the rest. Failed logins are
//! counted per account and lock it for a while after too many (and the rate limit slows
//! each client).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use kernel::{ActorId, ActorKind, Directory, OrganisationId, Role, RoleGrant};
use projections::messages::Catalog;
use projections::{ChannelKind, Message, OutgoingMessage, enqueue};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::password;
use super::principal::{Acting, Principal, RequestContext, SESSION_COOKIE};
use super::store::{Account, AccountStatus, IdentityError, TokenPurpose};
use crate::api::access::{Audience, RouteAccess};
use crate::api::json::ApiJson;
use crate::error::{ApiError, Problem};
use crate::startup::AppState;

const ADMIN: &[Role] = &[Role::PlatformAdmin];

/// Who may call the account routes.
pub const ACCESS: &[RouteAccess] = &[
    RouteAccess {
        method: "POST",
        path: "/api/v1/auth/register",
        audience: Audience::Anyone,
    },
    RouteAccess {
        method: "POST",
        path: "/api/v1/auth/confirm",
        audience: Audience::Anyone,
    },
    RouteAccess {
        method: "POST",
        path: "/api/v1/auth/login",
        audience: Audience::Anyone,
    },
    RouteAccess {
        method: "POST",
        path: "/api/v1/auth/logout",
        audience: Audience::Authenticated,
    },
    RouteAccess {
        method: "POST",
        path: "/api/v1/auth/password-reset",
        audience: Audience::Anyone,
    },
    RouteAccess {
        method: "POST",
        path: "/api/v1/auth/password-reset/confirm",
        audience: Audience::Anyone,
    },
    RouteAccess {
        method: "POST",
        path: "/api/v1/auth/invitation/accept",
        audience: Audience::Anyone,
    },
    RouteAccess {
        method: "GET",
        path: "/api/v1/auth/me",
        audience: Audience::Authenticated,
    },
    RouteAccess {
        method: "POST",
        path: "/api/v1/admin/accounts",
        audience: Audience::Roles(ADMIN),
    },
    RouteAccess {
        method: "POST",
        path: "/api/v1/admin/accounts/{id}/grants",
        audience: Audience::Roles(ADMIN),
    },
    RouteAccess {
        method: "DELETE",
        path: "/api/v1/admin/accounts/{id}/grants",
        audience: Audience::Roles(ADMIN),
    },
];

/// The account routes, mounted under `/api/v1`.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(register))
        .routes(routes!(confirm))
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(request_password_reset))
        .routes(routes!(reset_password))
        .routes(routes!(accept_invitation))
        .routes(routes!(me))
        .routes(routes!(create_agent))
        .routes(routes!(grant_role, revoke_role))
}

/// A new citizen account.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Registration {
    /// The e-mail address, which is also the login.
    pub email: String,
    /// At least the configured length.
    pub password: String,
    /// `ar` (default) or `fr`.
    pub language: Option<String>,
}

/// A one-time token from an e-mail.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenBody {
    /// The token.
    pub token: String,
}

/// A token and the password it lets its holder choose.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPassword {
    /// The token from the e-mail.
    pub token: String,
    /// The new password.
    pub password: String,
}

/// Credentials.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Credentials {
    /// E-mail address.
    pub email: String,
    /// Password.
    pub password: String,
}

/// An address to send a reset link to.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetRequest {
    /// E-mail address.
    pub email: String,
}

/// A role for an organisation.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GrantBody {
    /// The role (`office_agent`, `signatory`...).
    #[schema(value_type = String)]
    pub role: Role,
    /// The organisation it is held for.
    #[schema(value_type = String, format = Uuid)]
    pub organisation: OrganisationId,
}

/// A new agent account.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAgent {
    /// The agent's professional e-mail address.
    pub email: String,
    /// `ar` (default) or `fr`.
    pub language: Option<String>,
    /// Its roles, for the administrator's organisation or organisations within it.
    pub grants: Vec<GrantBody>,
}

/// An account as its holder (or an administrator) sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccountView {
    /// Its id (the actor id in the audit trail).
    #[schema(value_type = String, format = Uuid)]
    pub id: ActorId,
    /// `citizen`, `agent` or `system`.
    #[schema(value_type = String)]
    pub kind: ActorKind,
    /// E-mail address.
    pub email: String,
    /// Where it stands.
    pub status: AccountStatus,
    /// `ar` or `fr`.
    pub language: String,
    /// Its roles.
    pub grants: Vec<GrantBody>,
}

/// A new session.
#[derive(Debug, Serialize, ToSchema)]
pub struct Session {
    /// The bearer token (also set as the `session` cookie).
    pub token: String,
    /// When it expires at the latest (RFC 3339).
    pub expires_at: String,
    /// The account.
    pub account: AccountView,
}

/// An accepted request whose outcome goes by e-mail.
#[derive(Debug, Serialize, ToSchema)]
pub struct Accepted {
    /// What happens next.
    pub message: String,
}

/// The created account.
#[derive(Debug, Serialize, ToSchema)]
pub struct Created {
    /// Its id.
    #[schema(value_type = String, format = Uuid)]
    pub id: ActorId,
}

fn view(account: Account, grants: Vec<RoleGrant>) -> AccountView {
    AccountView {
        id: account.id,
        kind: account.kind,
        email: account.email,
        status: account.status,
        language: account.language,
        grants: grants
            .into_iter()
            .map(|g| GrantBody {
                role: g.role,
                organisation: g.organisation,
            })
            .collect(),
    }
}

/// Lowercased and checked, or a 422 naming the field.
fn email(raw: &str) -> Result<String, ApiError> {
    let email = raw.trim().to_lowercase();
    let plausible = email.len() <= 254
        && !email.chars().any(char::is_whitespace)
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        });
    if plausible {
        Ok(email)
    } else {
        Err(ApiError::invalid(
            "email",
            "invalid_email",
            "not an e-mail address",
        ))
    }
}

fn language(raw: Option<&str>) -> Result<String, ApiError> {
    match raw.unwrap_or("ar") {
        "ar" => Ok("ar".into()),
        "fr" => Ok("fr".into()),
        _ => Err(ApiError::invalid(
            "language",
            "unknown_language",
            "ar or fr",
        )),
    }
}

fn check_password(state: &AppState, password: &str) -> Result<(), ApiError> {
    let length = password.chars().count();
    let settings = &state.auth.password;
    if length < settings.min_length {
        return Err(ApiError::invalid(
            "password",
            "too_short",
            format!("at least {} characters", settings.min_length),
        ));
    }
    if length > 1024 {
        return Err(ApiError::invalid(
            "password",
            "too_long",
            "at most 1024 characters",
        ));
    }
    Ok(())
}

fn hash(state: &AppState, password: &str) -> Result<String, ApiError> {
    password::hash(password, &state.auth.password)
        .map_err(|e| ApiError::internal("hashing a password", &e))
}

fn now_ms(state: &AppState) -> i64 {
    state.clock.now().timestamp_millis()
}

/// Queues an e-mail to `account` from the catalogue.
async fn send(
    state: &AppState,
    account: &Account,
    message: &str,
    args: &[(&str, String)],
) -> Result<(), ApiError> {
    let language = Catalog::language(&account.language);
    let outgoing = OutgoingMessage {
        id: format!("account/{}/{message}/{}", account.id, uuid::Uuid::new_v4()),
        channel: ChannelKind::Email,
        destination: account.email.clone(),
        message: Message::Email {
            language: language.to_owned(),
            subject: state
                .catalog
                .render(language, &format!("{message}-subject"), args),
            text: state
                .catalog
                .render(language, &format!("{message}-body"), args),
        },
    };
    let mut connection = state.store.any_pool().acquire().await?;
    enqueue(&mut connection, &outgoing, now_ms(state))
        .await
        .map_err(|e| ApiError::internal("queuing an e-mail", &e))?;
    Ok(())
}

fn link(state: &AppState, page: &str, token: &str) -> String {
    format!(
        "{}/{page}?token={token}",
        state.public_url.trim_end_matches('/')
    )
}

async fn audit(
    state: &AppState,
    context: &RequestContext,
    account: Option<ActorId>,
    action: &str,
    detail: Option<&str>,
) -> Result<(), ApiError> {
    state
        .identity
        .audit(
            now_ms(state),
            account,
            action,
            detail,
            context.request_id.as_deref(),
        )
        .await?;
    Ok(())
}

/// Creates a citizen account and sends the confirmation link.
#[utoipa::path(
    post, path = "/auth/register", tag = "accounts",
    request_body = Registration,
    responses(
        (status = 202, description = "Confirmation link sent (or, if the address has an account, a notice)", body = Accepted),
        (status = 422, description = "Invalid e-mail, password or language", body = Problem),
    )
)]
async fn register(
    State(state): State<AppState>,
    context: RequestContext,
    ApiJson(body): ApiJson<Registration>,
) -> Result<(StatusCode, Json<Accepted>), ApiError> {
    let email = email(&body.email)?;
    let language = language(body.language.as_deref())?;
    check_password(&state, &body.password)?;
    let now = now_ms(&state);
    match state
        .identity
        .create_account(
            ActorKind::Citizen,
            &email,
            &language,
            AccountStatus::Pending,
            now,
        )
        .await
    {
        Ok(account) => {
            state
                .identity
                .set_password(account.id, &hash(&state, &body.password)?, now)
                .await?;
            let hours = state.auth.confirmation_hours;
            let token = state
                .identity
                .issue_token(
                    account.id,
                    TokenPurpose::ConfirmEmail,
                    now + i64::from(hours) * 3_600_000,
                )
                .await?;
            send(
                &state,
                &account,
                "account-confirm",
                &[
                    ("link", link(&state, "confirm", &token)),
                    ("hours", hours.to_string()),
                ],
            )
            .await?;
            audit(&state, &context, Some(account.id), "registered", None).await?;
        }
        Err(IdentityError::EmailTaken) => {
            if let Some(existing) = state.identity.account_by_email(&email).await? {
                send(&state, &existing, "account-exists", &[]).await?;
            }
        }
        Err(other) => return Err(other.into()),
    }
    Ok((
        StatusCode::ACCEPTED,
        Json(Accepted {
            message: "Check your e-mail to confirm the address.".into(),
        }),
    ))
}

/// Confirms an e-mail address with the token sent to it.
#[utoipa::path(
    post, path = "/auth/confirm", tag = "accounts",
    request_body = TokenBody,
    responses(
        (status = 204, description = "Account active"),
        (status = 400, description = "Unknown, used or expired token", body = Problem),
    )
)]
async fn confirm(
    State(state): State<AppState>,
    context: RequestContext,
    ApiJson(body): ApiJson<TokenBody>,
) -> Result<StatusCode, ApiError> {
    let now = now_ms(&state);
    let account = state
        .identity
        .consume_token(&body.token, TokenPurpose::ConfirmEmail, now)
        .await?
        .ok_or_else(|| ApiError::BadRequest {
            detail: "this link is unknown, already used or expired".into(),
        })?;
    state
        .identity
        .set_status(account, AccountStatus::Active, now)
        .await?;
    audit(&state, &context, Some(account), "confirmed", None).await?;
    Ok(StatusCode::NO_CONTENT)
}

fn cookie(state: &AppState, token: &str, max_age_seconds: i64) -> Result<HeaderValue, ApiError> {
    let secure = if state.auth.secure_cookie {
        "; Secure"
    } else {
        ""
    };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age_seconds}{secure}"
    ))
    .map_err(|e| ApiError::internal("session cookie", &e))
}

/// Opens a session.
#[utoipa::path(
    post, path = "/auth/login", tag = "accounts",
    request_body = Credentials,
    responses(
        (status = 200, description = "Session opened; also set as the `session` cookie", body = Session),
        (status = 401, description = "Wrong e-mail or password", body = Problem),
        (status = 403, description = "E-mail not confirmed yet, or account disabled", body = Problem),
        (status = 429, description = "Locked after too many failures; retry later", body = Problem),
    )
)]
async fn login(
    State(state): State<AppState>,
    context: RequestContext,
    ApiJson(body): ApiJson<Credentials>,
) -> Result<Response, ApiError> {
    let now = now_ms(&state);
    let account = match state
        .identity
        .account_by_email(&body.email.trim().to_lowercase())
        .await?
    {
        Some(account) => account,
        None => {
            // Spend the same time as a real check, so timing does not tell who has an account.
            let _ = password::verify(&body.password, DUMMY_HASH);
            return Err(ApiError::Unauthenticated);
        }
    };
    let Some((stored, _, locked_until)) = state.identity.credentials(account.id).await? else {
        return Err(ApiError::Unauthenticated);
    };
    if let Some(until) = locked_until.filter(|until| *until > now) {
        return Err(ApiError::TooManyRequests {
            retry_after_seconds: u64::try_from((until - now) / 1000).unwrap_or(0).max(1),
        });
    }
    if !password::verify(&body.password, &stored) {
        let lock_until = now + i64::from(state.auth.lock_minutes) * 60_000;
        let failures = state
            .identity
            .record_failure(
                account.id,
                i64::from(state.auth.max_failed_logins),
                lock_until,
            )
            .await?;
        audit(
            &state,
            &context,
            Some(account.id),
            "login_failed",
            Some(&format!("failures={failures}")),
        )
        .await?;
        return Err(ApiError::Unauthenticated);
    }
    match account.status {
        AccountStatus::Active => {}
        AccountStatus::Pending => {
            return Err(ApiError::Forbidden {
                detail: "confirm your e-mail address first".into(),
            });
        }
        AccountStatus::Disabled => {
            return Err(ApiError::Forbidden {
                detail: "this account is disabled".into(),
            });
        }
    }
    state.identity.clear_failures(account.id).await?;
    let lifetime = i64::from(state.auth.session_absolute_hours) * 3_600_000;
    let token = state
        .identity
        .create_session(account.id, now, now + lifetime)
        .await?;
    audit(&state, &context, Some(account.id), "login", None).await?;
    let grants = state.identity.grants(account.id).await?;
    let expires_at = chrono::DateTime::from_timestamp_millis(now + lifetime)
        .map(|t| t.to_rfc3339())
        .unwrap_or_default();
    let set_cookie = cookie(&state, &token, lifetime / 1000)?;
    let mut response = Json(Session {
        token,
        expires_at,
        account: view(account, grants),
    })
    .into_response();
    response.headers_mut().insert(SET_COOKIE, set_cookie);
    Ok(response)
}

/// An argon2id hash of nothing in particular, verified when the e-mail is unknown.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$9b9Y9lhvJ3sV8Zd0P+vJm2b4tC8q0H1hQp6JJ3n0kmE";

/// Closes the current session.
#[utoipa::path(
    post, path = "/auth/logout", tag = "accounts",
    responses(
        (status = 204, description = "Session closed; the cookie is cleared"),
        (status = 401, description = "No valid session", body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
async fn logout(
    State(state): State<AppState>,
    context: RequestContext,
    principal: Principal,
) -> Result<Response, ApiError> {
    state
        .identity
        .revoke_session(&principal.token, now_ms(&state))
        .await?;
    audit(&state, &context, Some(principal.account.id), "logout", None).await?;
    let mut response = StatusCode::NO_CONTENT.into_response();
    response
        .headers_mut()
        .insert(SET_COOKIE, cookie(&state, "", 0)?);
    Ok(response)
}

/// Sends a password reset link (always 202).
#[utoipa::path(
    post, path = "/auth/password-reset", tag = "accounts",
    request_body = ResetRequest,
    responses((status = 202, description = "A link was sent if the address has an account", body = Accepted))
)]
async fn request_password_reset(
    State(state): State<AppState>,
    context: RequestContext,
    ApiJson(body): ApiJson<ResetRequest>,
) -> Result<(StatusCode, Json<Accepted>), ApiError> {
    if let Some(account) = state
        .identity
        .account_by_email(&body.email.trim().to_lowercase())
        .await?
        && account.status != AccountStatus::Disabled
    {
        let minutes = state.auth.reset_minutes;
        let token = state
            .identity
            .issue_token(
                account.id,
                TokenPurpose::ResetPassword,
                now_ms(&state) + i64::from(minutes) * 60_000,
            )
            .await?;
        send(
            &state,
            &account,
            "password-reset",
            &[
                ("link", link(&state, "reset", &token)),
                ("minutes", minutes.to_string()),
            ],
        )
        .await?;
        audit(
            &state,
            &context,
            Some(account.id),
            "password_reset_requested",
            None,
        )
        .await?;
    }
    Ok((
        StatusCode::ACCEPTED,
        Json(Accepted {
            message: "If this address has an account, a link was sent to it.".into(),
        }),
    ))
}

async fn set_new_password(
    state: &AppState,
    context: &RequestContext,
    body: &NewPassword,
    purpose: TokenPurpose,
) -> Result<StatusCode, ApiError> {
    check_password(state, &body.password)?;
    let now = now_ms(state);
    let account = state
        .identity
        .consume_token(&body.token, purpose, now)
        .await?
        .ok_or_else(|| ApiError::BadRequest {
            detail: "this link is unknown, already used or expired".into(),
        })?;
    state
        .identity
        .set_password(account, &hash(state, &body.password)?, now)
        .await?;
    // Whoever held a session with the old password holds none now.
    state.identity.revoke_sessions_of(account, now).await?;
    if purpose == TokenPurpose::Invitation {
        state
            .identity
            .set_status(account, AccountStatus::Active, now)
            .await?;
    }
    audit(state, context, Some(account), "password_set", None).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Sets a new password with the token of a reset link; closes every session.
#[utoipa::path(
    post, path = "/auth/password-reset/confirm", tag = "accounts",
    request_body = NewPassword,
    responses(
        (status = 204, description = "Password changed; every session closed"),
        (status = 400, description = "Unknown, used or expired token", body = Problem),
        (status = 422, description = "Password too short or too long", body = Problem),
    )
)]
async fn reset_password(
    State(state): State<AppState>,
    context: RequestContext,
    ApiJson(body): ApiJson<NewPassword>,
) -> Result<StatusCode, ApiError> {
    set_new_password(&state, &context, &body, TokenPurpose::ResetPassword).await
}

/// An invited agent chooses a password, which activates the account.
#[utoipa::path(
    post, path = "/auth/invitation/accept", tag = "accounts",
    request_body = NewPassword,
    responses(
        (status = 204, description = "Account active"),
        (status = 400, description = "Unknown, used or expired token", body = Problem),
        (status = 422, description = "Password too short or too long", body = Problem),
    )
)]
async fn accept_invitation(
    State(state): State<AppState>,
    context: RequestContext,
    ApiJson(body): ApiJson<NewPassword>,
) -> Result<StatusCode, ApiError> {
    set_new_password(&state, &context, &body, TokenPurpose::Invitation).await
}

/// The current account and its roles.
#[utoipa::path(
    get, path = "/auth/me", tag = "accounts",
    responses(
        (status = 200, body = AccountView),
        (status = 401, description = "No valid session", body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
async fn me(principal: Principal) -> Json<AccountView> {
    Json(view(principal.account, principal.grants))
}

/// Whether an administrator acting for `admin_org` may hand out `grant`: only for its own
/// organisation or one within it, and never the administration of a wider scope.
fn may_grant(
    state: &AppState,
    admin_org: OrganisationId,
    grant: &GrantBody,
) -> Result<(), ApiError> {
    if !state.directory.is_within(grant.organisation, admin_org) {
        return Err(ApiError::Forbidden {
            detail: "you administer only your organisation and those within it".into(),
        });
    }
    Ok(())
}

fn admin_organisation(acting: &Acting) -> Result<OrganisationId, ApiError> {
    acting
        .actor
        .organisation()
        .ok_or_else(|| ApiError::Forbidden {
            detail: "act as an administrator of an organisation".into(),
        })
}

/// Creates an agent account for the administrator's organisation (or one within it) and
/// sends its invitation.
#[utoipa::path(
    post, path = "/admin/accounts", tag = "accounts",
    request_body = NewAgent,
    responses(
        (status = 201, body = Created),
        (status = 403, description = "Not an administrator of those organisations", body = Problem),
        (status = 409, description = "The address has an account", body = Problem),
        (status = 422, description = "Invalid e-mail, language or no role", body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
async fn create_agent(
    State(state): State<AppState>,
    context: RequestContext,
    acting: Acting,
    ApiJson(body): ApiJson<NewAgent>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let admin_org = admin_organisation(&acting)?;
    let email = email(&body.email)?;
    let language = language(body.language.as_deref())?;
    if body.grants.is_empty() {
        return Err(ApiError::invalid(
            "grants",
            "no_role",
            "an agent needs at least one role",
        ));
    }
    for grant in &body.grants {
        may_grant(&state, admin_org, grant)?;
    }
    let now = now_ms(&state);
    let account = match state
        .identity
        .create_account(
            ActorKind::Agent,
            &email,
            &language,
            AccountStatus::Pending,
            now,
        )
        .await
    {
        Ok(account) => account,
        Err(IdentityError::EmailTaken) => {
            return Err(ApiError::Conflict {
                code: "email_taken".into(),
                detail: "this address has an account".into(),
            });
        }
        Err(other) => return Err(other.into()),
    };
    for grant in &body.grants {
        state
            .identity
            .grant(
                account.id,
                RoleGrant {
                    role: grant.role,
                    organisation: grant.organisation,
                },
                Some(acting.actor.id),
                now,
            )
            .await?;
    }
    let hours = state.auth.invitation_hours;
    let token = state
        .identity
        .issue_token(
            account.id,
            TokenPurpose::Invitation,
            now + i64::from(hours) * 3_600_000,
        )
        .await?;
    send(
        &state,
        &account,
        "invitation",
        &[
            ("link", link(&state, "invitation", &token)),
            ("hours", hours.to_string()),
        ],
    )
    .await?;
    audit(
        &state,
        &context,
        Some(acting.actor.id),
        "agent_created",
        Some(&account.id.to_string()),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(Created { id: account.id })))
}

async fn target_agent(state: &AppState, id: ActorId) -> Result<Account, ApiError> {
    let account = state.identity.account(id).await?;
    if account.kind != ActorKind::Agent {
        return Err(ApiError::Conflict {
            code: "not_an_agent".into(),
            detail: "roles are for agent accounts".into(),
        });
    }
    Ok(account)
}

/// Grants a role to an agent.
#[utoipa::path(
    post, path = "/admin/accounts/{id}/grants", tag = "accounts",
    params(("id" = String, Path, description = "The agent's account id")),
    request_body = GrantBody,
    responses(
        (status = 204, description = "Granted (or already held)"),
        (status = 403, description = "Not an administrator of that organisation", body = Problem),
        (status = 404, description = "No such account", body = Problem),
        (status = 409, description = "Not an agent account", body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
async fn grant_role(
    State(state): State<AppState>,
    context: RequestContext,
    acting: Acting,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<GrantBody>,
) -> Result<StatusCode, ApiError> {
    let id: ActorId = id.parse().map_err(|_| ApiError::NotFound)?;
    may_grant(&state, admin_organisation(&acting)?, &body)?;
    target_agent(&state, id).await?;
    state
        .identity
        .grant(
            id,
            RoleGrant {
                role: body.role,
                organisation: body.organisation,
            },
            Some(acting.actor.id),
            now_ms(&state),
        )
        .await?;
    audit(
        &state,
        &context,
        Some(acting.actor.id),
        "role_granted",
        Some(&format!("{id} {:?}@{}", body.role, body.organisation)),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Revokes a role from an agent.
#[utoipa::path(
    delete, path = "/admin/accounts/{id}/grants", tag = "accounts",
    params(("id" = String, Path, description = "The agent's account id")),
    request_body = GrantBody,
    responses(
        (status = 204, description = "Revoked"),
        (status = 403, description = "Not an administrator of that organisation", body = Problem),
        (status = 404, description = "No such account or role", body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
async fn revoke_role(
    State(state): State<AppState>,
    context: RequestContext,
    acting: Acting,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<GrantBody>,
) -> Result<StatusCode, ApiError> {
    let id: ActorId = id.parse().map_err(|_| ApiError::NotFound)?;
    may_grant(&state, admin_organisation(&acting)?, &body)?;
    if !state
        .identity
        .revoke(
            id,
            RoleGrant {
                role: body.role,
                organisation: body.organisation,
            },
        )
        .await?
    {
        return Err(ApiError::NotFound);
    }
    audit(
        &state,
        &context,
        Some(acting.actor.id),
        "role_revoked",
        Some(&format!("{id} {:?}@{}", body.role, body.organisation)),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[cfg(test)]
mod tests {
    use argon2::password_hash::PasswordHash;

    use super::*;

    #[test]
    fn the_timing_dummy_is_a_real_argon2id_hash() {
        let parsed = PasswordHash::new(DUMMY_HASH).unwrap();
        assert_eq!(parsed.algorithm.as_str(), "argon2id");
        assert!(!password::verify("anything", DUMMY_HASH));
    }

    #[test]
    fn e_mail_addresses_are_lowercased_and_checked() {
        assert_eq!(email(" Amira@Example.TN ").unwrap(), "amira@example.tn");
        for bad in ["", "no-at", "@example.tn", "a@b", "a@.tn", "a b@c.tn"] {
            assert!(email(bad).is_err(), "{bad}");
        }
    }
}
