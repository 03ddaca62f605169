//! The forum over HTTP (decree 2019-1242 art. 11): the administration opens topics with a
//! question and a closing date, registered citizens post and reply until then and report
//! abuse, moderators hide messages saying why, and the administration closes the topic and
//! publishes its synthesis.
//!
//! The forum is public: anyone reads topics and messages without an account. A message's
//! text is sealed under its author's data subject in the log; it is shown opened to every
//! reader, or as `erased` once its author exercised their right to erasure. A hidden
//! message shows why it was hidden, never what it said. Authors are not named.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Utc};
use citizen_file::{
    AbuseReason, ForumCommand, ForumError, ForumTopic, PostId, TopicId, TopicStatus,
};
use kernel::personal_data::{EnvelopeError, RevealScope, reveal_json};
use kernel::{AccessChannel, Role};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::access::{Audience, RouteAccess, route};
use super::created;
use super::json::ApiJson;
use super::paging::{PageQuery, PageView, query};
use crate::auth::Acting;
use crate::auth::principal::RequestContext;
use crate::error::{ApiError, DomainProblem, Problem};
use crate::startup::AppState;

/// Who runs topics: the Central Bureau.
const ADMINISTRATION: &[Role] = &[Role::CentralBureauAgent];
/// Who hides messages.
const MODERATORS: &[Role] = &[Role::ForumModerator];
/// Who reads the moderators' queue.
const QUEUE_READERS: &[Role] = &[Role::ForumModerator, Role::Auditor];

/// Who may call this context's routes.
pub const ACCESS: &[RouteAccess] = &[
    route("GET", "/api/v1/forum/topics", Audience::Anyone),
    route(
        "POST",
        "/api/v1/forum/topics",
        Audience::Roles(ADMINISTRATION),
    ),
    route("GET", "/api/v1/forum/topics/{topic}", Audience::Anyone),
    route(
        "GET",
        "/api/v1/forum/topics/{topic}/posts",
        Audience::Anyone,
    ),
    route(
        "POST",
        "/api/v1/forum/topics/{topic}/posts",
        Audience::Citizen,
    ),
    route(
        "POST",
        "/api/v1/forum/topics/{topic}/posts/{post}/replies",
        Audience::Citizen,
    ),
    route(
        "POST",
        "/api/v1/forum/topics/{topic}/posts/{post}/reports",
        Audience::Citizen,
    ),
    route(
        "POST",
        "/api/v1/forum/topics/{topic}/posts/{post}/hiding",
        Audience::Roles(MODERATORS),
    ),
    route(
        "POST",
        "/api/v1/forum/topics/{topic}/closure",
        Audience::Roles(ADMINISTRATION),
    ),
    route(
        "POST",
        "/api/v1/forum/topics/{topic}/synthesis",
        Audience::Roles(ADMINISTRATION),
    ),
    route(
        "GET",
        "/api/v1/forum/moderation-queue",
        Audience::Roles(QUEUE_READERS),
    ),
];

/// This context's routes, mounted under `/api/v1`.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(topics, open_topic))
        .routes(routes!(topic))
        .routes(routes!(posts, post_message))
        .routes(routes!(reply))
        .routes(routes!(report_abuse))
        .routes(routes!(hide_post))
        .routes(routes!(close_topic))
        .routes(routes!(publish_synthesis))
        .routes(routes!(moderation_queue))
}

impl DomainProblem for ForumError {
    fn to_api_error(&self) -> ApiError {
        use ForumError as E;
        match self {
            E::NoSuchTopic | E::NoSuchPost { .. } => ApiError::NotFound,
            E::NotTheAdministration
            | E::NotARegisteredUser
            | E::NotAModerator
            | E::CannotReportOwnPost => ApiError::Forbidden {
                detail: self.to_string(),
            },
            E::AlreadyOpened => ApiError::conflict("already_opened", self),
            E::WrongState { .. } => ApiError::conflict("wrong_state", self),
            E::PostingClosed { .. } => ApiError::conflict("posting_closed", self),
            E::PostAlreadyExists { .. } => ApiError::conflict("post_already_exists", self),
            E::PostHidden { .. } => ApiError::conflict("post_hidden", self),
            E::AlreadyReported => ApiError::conflict("already_reported", self),
            E::ClosingDateNotInFuture => {
                ApiError::invalid("closes_at", "not_in_future", self.to_string())
            }
            E::ClosingDateTooFar { .. } => {
                ApiError::invalid("closes_at", "too_far", self.to_string())
            }
            E::InvalidText(text) => {
                ApiError::invalid(text.field, text.error.code(), text.error.to_string())
            }
            E::PersonalData(EnvelopeError::SubjectErased(_)) => {
                ApiError::conflict("personal_data_erased", self)
            }
            E::PersonalData(error) => ApiError::internal("sealing a forum message", error),
        }
    }
}

/// The topic id of a path, or 404.
fn topic_id(raw: &str) -> Result<TopicId, ApiError> {
    raw.parse().map_err(|_| ApiError::NotFound)
}

/// The message id of a path, or 404.
fn post_id(raw: &str) -> Result<PostId, ApiError> {
    raw.parse().map_err(|_| ApiError::NotFound)
}

async fn run(
    state: &AppState,
    topic: TopicId,
    command: ForumCommand,
    acting: &Acting,
    context: &RequestContext,
) -> Result<(), ApiError> {
    super::execute::<ForumTopic>(
        state,
        &state.domains.forum,
        &topic.to_string(),
        command,
        acting,
        context,
        AccessChannel::Web,
    )
    .await
}

/// Filters of the topic list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TopicsQuery {
    /// `open`, `closed` or `synthesis_published`.
    #[param(value_type = Option<String>)]
    pub status: Option<TopicStatus>,
    /// Rows per page (1 to 200; 50 by default).
    pub limit: Option<u32>,
    /// Rows to skip.
    pub offset: Option<u32>,
}

/// Topics, the most recently opened first.
#[utoipa::path(
    get, path = "/forum/topics", tag = "forum",
    params(TopicsQuery),
    responses(
        (status = 200, description = "Rows `{topic, organisation, title, question, status, opened_at, closes_at, synthesis, posts, hidden_posts...}`", body = PageView),
        (status = 422, body = Problem),
    )
)]
pub async fn topics(
    State(state): State<AppState>,
    params: Result<Query<TopicsQuery>, QueryRejection>,
) -> Result<Json<PageView>, ApiError> {
    let params = query(params)?;
    let page = PageQuery {
        limit: params.limit,
        offset: params.offset,
    }
    .page();
    let rows = projections::citizen_file::forum_topics(state.store.any_pool(), params.status, page)
        .await
        .map_err(|e| ApiError::internal("forum topics", &e))?;
    Ok(Json(PageView::of(rows)?))
}

/// A new topic.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TopicBody {
    /// Title, one line.
    pub title: String,
    /// The question put to users.
    pub question: String,
    /// When posting ends: in the future, within the configured longest duration.
    pub closes_at: DateTime<Utc>,
}

/// The identifier of what was created.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedView {
    /// Its identifier.
    pub id: String,
}

/// Opens a topic for the caller's organisation.
#[utoipa::path(
    post, path = "/forum/topics", tag = "forum",
    request_body = TopicBody,
    responses(
        (status = 201, description = "Opened", body = CreatedView),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 422, description = "`title`, `question` or `closes_at` refused", body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn open_topic(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    ApiJson(body): ApiJson<TopicBody>,
) -> Result<Response, ApiError> {
    let topic = TopicId::new_v7();
    let command = ForumCommand::OpenTopic {
        actor: acting.actor,
        topic,
        title: body.title,
        question: body.question,
        closes_at: body.closes_at,
    };
    run(&state, topic, command, &acting, &context).await?;
    Ok(created(
        format!("/api/v1/forum/topics/{topic}"),
        CreatedView {
            id: topic.to_string(),
        },
    ))
}

/// The topic of `raw`, or 404.
async fn find_topic(
    state: &AppState,
    raw: &str,
) -> Result<projections::citizen_file::ForumTopicRow, ApiError> {
    let topic = topic_id(raw)?;
    let found = projections::citizen_file::forum_topic(state.store.any_pool(), topic)
        .await
        .map_err(|e| ApiError::internal("forum topic", &e))?;
    if let Some(found) = found {
        return Ok(found);
    }
    // Opened an instant ago, perhaps: bring the read model up to date once before 404.
    state
        .runner
        .catch_up(projections::citizen_file::ForumProjection::NAME)
        .await
        .map_err(|e| ApiError::internal("catching up the forum read model", &e))?;
    projections::citizen_file::forum_topic(state.store.any_pool(), topic)
        .await
        .map_err(|e| ApiError::internal("forum topic", &e))?
        .ok_or(ApiError::NotFound)
}

/// One topic.
#[utoipa::path(
    get, path = "/forum/topics/{topic}", tag = "forum",
    params(("topic" = String, Path, description = "The topic")),
    responses(
        (status = 200, description = "`{topic, organisation, title, question, status, opened_at, closes_at, closed_at, synthesis, synthesis_at, posts, hidden_posts}`", body = Object),
        (status = 404, body = Problem),
    )
)]
pub async fn topic(
    State(state): State<AppState>,
    Path(topic): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let found = find_topic(&state, &topic).await?;
    Ok(Json(serde_json::to_value(found).map_err(|e| {
        ApiError::internal("serializing a forum topic", &e)
    })?))
}

/// The messages of a topic in the order they were posted; a hidden message shows why, not
/// what; texts are `{"status": "clear", "value": ...}`, or `erased`.
#[utoipa::path(
    get, path = "/forum/topics/{topic}/posts", tag = "forum",
    params(("topic" = String, Path, description = "The topic"), PageQuery),
    responses(
        (status = 200, description = "Rows `{post, topic, in_reply_to, posted_at, content: {visibility, text | reason, explanation, at}, reports}`", body = PageView),
        (status = 404, body = Problem), (status = 422, body = Problem),
    )
)]
pub async fn posts(
    State(state): State<AppState>,
    Path(topic): Path<String>,
    page: Result<Query<PageQuery>, QueryRejection>,
) -> Result<Json<PageView>, ApiError> {
    let page = query(page)?.page();
    let found = find_topic(&state, &topic).await?;
    let rows = projections::citizen_file::forum_posts(state.store.any_pool(), found.topic, page)
        .await
        .map_err(|e| ApiError::internal("forum posts", &e))?;
    public_posts(&state, rows).await
}

/// Messages as the public reads them: texts opened, authors' accounts left out.
async fn public_posts(
    state: &AppState,
    rows: projections::query::Paged<projections::citizen_file::ForumPostRow>,
) -> Result<Json<PageView>, ApiError> {
    let mut view = PageView::of(rows)?;
    for item in &mut view.items {
        if let Some(object) = item.as_object_mut() {
            object.remove("author");
        }
        let row = std::mem::take(item);
        *item = reveal_json(row, Some(&state.cipher), RevealScope::Everyone).await;
    }
    Ok(Json(view))
}

/// A message.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PostBody {
    /// The message.
    pub text: String,
}

/// Posts a message on an open topic.
#[utoipa::path(
    post, path = "/forum/topics/{topic}/posts", tag = "forum",
    params(("topic" = String, Path, description = "The topic")),
    request_body = PostBody,
    responses(
        (status = 201, description = "Posted", body = CreatedView),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem),
        (status = 409, description = "Closed (`wrong_state`, `posting_closed`)", body = Problem),
        (status = 422, description = "`text` refused", body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn post_message(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    Path(topic): Path<String>,
    ApiJson(body): ApiJson<PostBody>,
) -> Result<Response, ApiError> {
    let topic = topic_id(&topic)?;
    let post = PostId::new_v7();
    let command = ForumCommand::PostMessage {
        subject: acting.principal.account.subject,
        actor: acting.actor,
        post,
        text: body.text,
    };
    run(&state, topic, command, &acting, &context).await?;
    Ok(created(
        format!("/api/v1/forum/topics/{topic}/posts"),
        CreatedView {
            id: post.to_string(),
        },
    ))
}

/// Replies to a visible message of an open topic.
#[utoipa::path(
    post, path = "/forum/topics/{topic}/posts/{post}/replies", tag = "forum",
    params(
        ("topic" = String, Path, description = "The topic"),
        ("post" = String, Path, description = "The message replied to"),
    ),
    request_body = PostBody,
    responses(
        (status = 201, description = "Posted", body = CreatedView),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem),
        (status = 409, description = "Closed, or the message is hidden (`post_hidden`)", body = Problem),
        (status = 422, description = "`text` refused", body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn reply(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    Path((topic, post)): Path<(String, String)>,
    ApiJson(body): ApiJson<PostBody>,
) -> Result<Response, ApiError> {
    let topic = topic_id(&topic)?;
    let in_reply_to = post_id(&post)?;
    let reply = PostId::new_v7();
    let command = ForumCommand::ReplyToPost {
        subject: acting.principal.account.subject,
        actor: acting.actor,
        post: reply,
        in_reply_to,
        text: body.text,
    };
    run(&state, topic, command, &acting, &context).await?;
    Ok(created(
        format!("/api/v1/forum/topics/{topic}/posts"),
        CreatedView {
            id: reply.to_string(),
        },
    ))
}

/// A report of abuse.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportBody {
    /// `insult`, `personal_data`, `spam`, `off_topic` or `unlawful`.
    #[schema(value_type = String, example = "insult")]
    pub reason: AbuseReason,
}

/// Reports a message to the moderators (once per user; not one's own).
#[utoipa::path(
    post, path = "/forum/topics/{topic}/posts/{post}/reports", tag = "forum",
    params(
        ("topic" = String, Path, description = "The topic"),
        ("post" = String, Path, description = "The message"),
    ),
    request_body = ReportBody,
    responses(
        (status = 204, description = "Reported"),
        (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, description = "Your own message", body = Problem),
        (status = 404, body = Problem),
        (status = 409, description = "Already reported, or hidden", body = Problem),
        (status = 422, body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn report_abuse(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    Path((topic, post)): Path<(String, String)>,
    ApiJson(body): ApiJson<ReportBody>,
) -> Result<StatusCode, ApiError> {
    let topic = topic_id(&topic)?;
    let command = ForumCommand::ReportAbuse {
        actor: acting.actor,
        post: post_id(&post)?,
        reason: body.reason,
    };
    run(&state, topic, command, &acting, &context).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Why a message is hidden.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HideBody {
    /// `insult`, `personal_data`, `spam`, `off_topic` or `unlawful`.
    #[schema(value_type = String, example = "spam")]
    pub reason: AbuseReason,
    /// Why, in words (public: must not quote the message).
    pub explanation: String,
}

/// Hides a message of a topic of the moderator's organisation.
#[utoipa::path(
    post, path = "/forum/topics/{topic}/posts/{post}/hiding", tag = "forum",
    params(
        ("topic" = String, Path, description = "The topic"),
        ("post" = String, Path, description = "The message"),
    ),
    request_body = HideBody,
    responses(
        (status = 204, description = "Hidden"),
        (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, description = "Not a moderator of this forum", body = Problem),
        (status = 404, body = Problem),
        (status = 409, description = "Already hidden (`post_hidden`)", body = Problem),
        (status = 422, description = "`explanation` refused", body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn hide_post(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    Path((topic, post)): Path<(String, String)>,
    ApiJson(body): ApiJson<HideBody>,
) -> Result<StatusCode, ApiError> {
    let topic = topic_id(&topic)?;
    let command = ForumCommand::HidePost {
        actor: acting.actor,
        post: post_id(&post)?,
        reason: body.reason,
        explanation: body.explanation,
    };
    run(&state, topic, command, &acting, &context).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Closes an open topic.
#[utoipa::path(
    post, path = "/forum/topics/{topic}/closure", tag = "forum",
    params(("topic" = String, Path, description = "The topic")),
    responses(
        (status = 204, description = "Closed"),
        (status = 401, body = Problem),
        (status = 403, description = "Not the organisation running the topic", body = Problem),
        (status = 404, body = Problem),
        (status = 409, description = "Already closed (`wrong_state`)", body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn close_topic(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    Path(topic): Path<String>,
) -> Result<StatusCode, ApiError> {
    let topic = topic_id(&topic)?;
    let command = ForumCommand::CloseTopic {
        actor: acting.actor,
    };
    run(&state, topic, command, &acting, &context).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A topic's synthesis.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SynthesisBody {
    /// The synthesis (public, without personal data).
    pub synthesis: String,
}

/// Publishes the synthesis of a closed topic.
#[utoipa::path(
    post, path = "/forum/topics/{topic}/synthesis", tag = "forum",
    params(("topic" = String, Path, description = "The topic")),
    request_body = SynthesisBody,
    responses(
        (status = 204, description = "Published"),
        (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, description = "Not the organisation running the topic", body = Problem),
        (status = 404, body = Problem),
        (status = 409, description = "Not closed, or already published (`wrong_state`)", body = Problem),
        (status = 422, description = "`synthesis` refused", body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn publish_synthesis(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    Path(topic): Path<String>,
    ApiJson(body): ApiJson<SynthesisBody>,
) -> Result<StatusCode, ApiError> {
    let topic = topic_id(&topic)?;
    let command = ForumCommand::PublishSynthesis {
        actor: acting.actor,
        synthesis: body.synthesis,
    };
    run(&state, topic, command, &acting, &context).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The moderators' queue: visible messages users reported on the moderator's organisation's
/// topics (all, for an auditor), the most reported first.
#[utoipa::path(
    get, path = "/forum/moderation-queue", tag = "forum",
    params(PageQuery),
    responses(
        (status = 200, description = "Rows as in a topic's messages, with `topic` and `reports`", body = PageView),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn moderation_queue(
    State(state): State<AppState>,
    acting: Acting,
    page: Result<Query<PageQuery>, QueryRejection>,
) -> Result<Json<PageView>, ApiError> {
    let page = query(page)?.page();
    // A moderator sees the reports on their organisation's topics; an auditor, all.
    let organisation = acting
        .actor
        .acting_as
        .filter(|grant| grant.role != Role::Auditor)
        .map(|grant| grant.organisation);
    let rows =
        projections::citizen_file::moderation_queue(state.store.any_pool(), organisation, page)
            .await
            .map_err(|e| ApiError::internal("moderation queue", &e))?;
    public_posts(&state, rows).await
}
