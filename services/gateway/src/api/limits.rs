//! Rate limits: requests per client address and per account, and a much smaller budget
//! for the routes an attacker would hammer (login, registration, password reset). Exceeding
//! a limit answers 429 with `Retry-After`; nothing is queued or dropped silently.
//!
//! The client address is the peer's, or the first `X-Forwarded-For` hop when the gateway
//! sits behind a trusted reverse proxy (`limits.trust_forwarded_for`).

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;

use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use kernel::ActorId;
use serde::Deserialize;

use crate::auth::Acting;
use crate::error::ApiError;
use crate::startup::AppState;

/// Limits, in requests.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LimitSettings {
    /// Sustained requests per second per client address.
    pub per_client_per_second: u32,
    /// Burst per client address.
    pub per_client_burst: u32,
    /// Sustained requests per second per account.
    pub per_account_per_second: u32,
    /// Burst per account.
    pub per_account_burst: u32,
    /// Login, registration and password-reset attempts per minute per client address.
    pub sensitive_per_minute: u32,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted proxy).
    pub trust_forwarded_for: bool,
}

impl Default for LimitSettings {
    fn default() -> Self {
        Self {
            per_client_per_second: 20,
            per_client_burst: 60,
            per_account_per_second: 10,
            per_account_burst: 30,
            sensitive_per_minute: 10,
            trust_forwarded_for: false,
        }
    }
}

/// The routes with the small budget.
const SENSITIVE: &[&str] = &[
    "/api/v1/auth/login",
    "/api/v1/auth/register",
    "/api/v1/auth/password-reset",
    "/api/v1/auth/password-reset/confirm",
];

/// The limiters of a process.
#[derive(Debug)]
pub struct RateLimits {
    per_client: DefaultKeyedRateLimiter<IpAddr>,
    per_account: DefaultKeyedRateLimiter<ActorId>,
    sensitive: DefaultKeyedRateLimiter<IpAddr>,
    trust_forwarded_for: bool,
}

fn at_least_one(n: u32) -> NonZeroU32 {
    NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN)
}

impl RateLimits {
    /// Limiters with `settings`.
    pub fn new(settings: &LimitSettings) -> Arc<Self> {
        let per_second = |rate: u32, burst: u32| {
            Quota::per_second(at_least_one(rate)).allow_burst(at_least_one(burst))
        };
        Arc::new(Self {
            per_client: RateLimiter::keyed(per_second(
                settings.per_client_per_second,
                settings.per_client_burst,
            )),
            per_account: RateLimiter::keyed(per_second(
                settings.per_account_per_second,
                settings.per_account_burst,
            )),
            sensitive: RateLimiter::keyed(Quota::per_minute(at_least_one(
                settings.sensitive_per_minute,
            ))),
            trust_forwarded_for: settings.trust_forwarded_for,
        })
    }

    fn client(&self, request: &Request) -> IpAddr {
        let forwarded = self
            .trust_forwarded_for
            .then(|| {
                request
                    .headers()
                    .get("x-forwarded-for")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.split(',').next())
                    .and_then(|ip| ip.trim().parse().ok())
            })
            .flatten();
        forwarded
            .or_else(|| {
                request
                    .extensions()
                    .get::<ConnectInfo<SocketAddr>>()
                    .map(|c| c.0.ip())
            })
            .unwrap_or(IpAddr::from([0, 0, 0, 0]))
    }
}

fn refuse(not_until: &governor::NotUntil<<DefaultClock as Clock>::Instant>) -> Response {
    let wait = not_until.wait_time_from(DefaultClock::default().now());
    ApiError::TooManyRequests {
        retry_after_seconds: wait.as_secs().max(1),
    }
    .into_response()
}

/// The middleware (on routes, after authorization, so that accounts are known).
pub async fn limit(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let limits = &state.limits;
    let client = limits.client(&request);
    if let Err(not_until) = limits.per_client.check_key(&client) {
        return refuse(&not_until);
    }
    let sensitive = request
        .extensions()
        .get::<MatchedPath>()
        .is_some_and(|p| SENSITIVE.contains(&p.as_str()));
    if sensitive && let Err(not_until) = limits.sensitive.check_key(&client) {
        return refuse(&not_until);
    }
    if let Some(acting) = request.extensions().get::<Acting>()
        && let Err(not_until) = limits.per_account.check_key(&acting.actor.id)
    {
        return refuse(&not_until);
    }
    // Forget idle keys now and then so the tables do not grow without bound.
    if limits.per_client.len() > 100_000 {
        limits.per_client.retain_recent();
        limits.per_account.retain_recent();
        limits.sensitive.retain_recent();
    }
    next.run(request).await
}
