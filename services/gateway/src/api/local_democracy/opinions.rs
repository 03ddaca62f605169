//! The register of opinions and questions over HTTP (decree 2019-401 ch. 2): residents and
//! registered organisations file entries in its six sections (art. 11), the local authority
//! answers, the committee consults, proposes, writes and meets (art. 13); the council's
//! ordinary sessions, the committee's report before each and the posting of its summary
//! (art. 14-15); the draft by-laws section IV refers to; and the register's views.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, NaiveDate, Utc};
use kernel::{CivilSocietyOrganisationId, Directory, OrganisationId};
use opinions::{
    AuthorContact, AuthorDeclaration, CouncilReporting, CouncilSessionId, DraftByLawId,
    EntryCommand, EntryId, EntryKind, EntryNumber, OpinionEntry, ProposalKind, ReportingCommand,
    ResidenceGround, Section,
};
use projections::local_democracy::{OpinionsFilter, ReportLanguage, SessionFilter};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{
    ENTRY_READERS, REPORT_READERS, SECRETARY, created, fresh_register_index, la_id, run, scoped,
};
use crate::api::json::ApiJson;
use crate::api::paging::{PageQuery, PageView, query};
use crate::auth::Acting;
use crate::auth::principal::RequestContext;
use crate::error::{ApiError, Problem};
use crate::startup::AppState;

/// Who writes the entry.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(tag = "as", rename_all = "snake_case", deny_unknown_fields)]
pub enum AuthorBody {
    /// The signed-in resident, for themselves (art. 2).
    Resident {
        /// `lives`, `works` or `economic_activity`.
        #[schema(value_type = String)]
        ground: ResidenceGround,
        /// `name`, `postal_address`, `email`, `phone`.
        #[schema(value_type = Object)]
        contact: AuthorContact,
    },
    /// A registered organisation the signed-in citizen speaks for.
    Organisation {
        /// The organisation's entry in the civil-society register.
        #[schema(value_type = String, format = Uuid)]
        organisation: CivilSocietyOrganisationId,
        /// The writer's name and the addresses to answer.
        #[schema(value_type = Object)]
        contact: AuthorContact,
    },
}

/// A new entry.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EntryBody {
    /// The section (art. 11): `{"section": s}` with `s` one of `services_and_facilities`,
    /// `programmes_and_projects`, `governance`, `draft_by_law` (with `draft`), `proposals`,
    /// `local_finances` (with `topic`).
    #[schema(value_type = Object)]
    pub section: Section,
    /// `opinion`, `question` or `proposal` (section V).
    #[schema(value_type = String)]
    pub kind: EntryKind,
    /// Who writes.
    pub author: AuthorBody,
    /// The text.
    pub text: String,
}

/// A filed entry.
#[derive(Debug, Serialize, ToSchema)]
pub struct FiledView {
    /// The entry.
    pub entry: String,
    /// Its number in the register.
    pub number: u32,
}

/// The next number of `local_authority`'s register.
async fn next_number(
    state: &AppState,
    local_authority: OrganisationId,
) -> Result<EntryNumber, ApiError> {
    let (number,): (i64,) = sqlx::query_as(
        "INSERT INTO opinion_entry_numbers (local_authority, last_number) VALUES ($1, 1) \
         ON CONFLICT (local_authority) DO UPDATE \
         SET last_number = opinion_entry_numbers.last_number + 1 RETURNING last_number",
    )
    .bind(local_authority.to_string())
    .fetch_one(state.store.any_pool())
    .await?;
    u32::try_from(number)
        .ok()
        .and_then(EntryNumber::new)
        .ok_or_else(|| ApiError::bug("entry number", "out of range"))
}

/// Files an entry in the local authority's register.
#[utoipa::path(
    post, path = "/local-authorities/{la}/opinions", tag = "opinions",
    params(("la" = String, Path, description = "The local authority")),
    request_body = EntryBody,
    responses(
        (status = 201, body = FiledView),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, description = "Not a local authority", body = Problem),
        (status = 409, description = "The organisation is suspended or struck off, or the draft deliberated", body = Problem),
        (status = 422, description = "A field breaks a rule (named)", body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn file_entry(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    Path(la): Path<String>,
    ApiJson(body): ApiJson<EntryBody>,
) -> Result<Response, ApiError> {
    let local_authority = la_id(&la)?;
    let subject = acting.principal.account.subject;
    let author = match body.author {
        AuthorBody::Resident { ground, contact } => AuthorDeclaration::Resident {
            subject,
            ground,
            contact,
        },
        AuthorBody::Organisation {
            organisation,
            contact,
        } => AuthorDeclaration::Organisation {
            organisation,
            representative: subject,
            contact,
        },
    };
    fresh_register_index(&state).await?;
    let number = next_number(&state, local_authority).await?;
    let entry = EntryId::new_v7();
    let command = EntryCommand::FileEntry {
        local_authority,
        number,
        section: body.section,
        kind: body.kind,
        author,
        text: body.text,
        actor: acting.actor,
    };
    run::<OpinionEntry>(
        &state,
        &state.domains.entries,
        &entry.to_string(),
        command,
        &acting,
        &context,
    )
    .await?;
    Ok(created(
        format!("/api/v1/opinions/{entry}"),
        FiledView {
            entry: entry.to_string(),
            number: number.get(),
        },
    ))
}

/// Filters of the register.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OpinionsQuery {
    /// Section 1 to 6.
    pub section: Option<u8>,
    /// `opinion`, `question` or `proposal`.
    #[param(value_type = Option<String>)]
    pub kind: Option<EntryKind>,
    /// Only answered (`true`) or unanswered (`false`) entries.
    pub answered: Option<bool>,
    /// Rows per page (1 to 200; 50 by default).
    pub limit: Option<u32>,
    /// Rows to skip.
    pub offset: Option<u32>,
}

impl OpinionsQuery {
    fn split(self) -> (OpinionsFilter, projections::query::Page) {
        let page = PageQuery {
            limit: self.limit,
            offset: self.offset,
        }
        .page();
        (
            OpinionsFilter {
                section: self.section,
                kind: self.kind,
                answered: self.answered,
            },
            page,
        )
    }
}

/// The public register: entries by section with their answers, without personal data.
#[utoipa::path(
    get, path = "/local-authorities/{la}/opinions", tag = "opinions",
    params(("la" = String, Path, description = "The local authority"), OpinionsQuery),
    responses((status = 200, body = PageView), (status = 404, body = Problem), (status = 422, body = Problem))
)]
pub async fn public_register(
    State(state): State<AppState>,
    Path(la): Path<String>,
    params: Result<Query<OpinionsQuery>, QueryRejection>,
) -> Result<Json<PageView>, ApiError> {
    let la = la_id(&la)?;
    let (filter, page) = query(params)?.split();
    let rows =
        projections::local_democracy::opinions_register(state.store.any_pool(), la, &filter, page)
            .await
            .map_err(|e| ApiError::internal("opinions register", &e))?;
    Ok(Json(PageView::of(rows)?))
}

/// The register as the bureau and the committee work on it: authors, texts, committee acts.
#[utoipa::path(
    get, path = "/local-authorities/{la}/opinions/bureau-view", tag = "opinions",
    params(("la" = String, Path, description = "The local authority"), OpinionsQuery),
    responses(
        (status = 200, body = PageView),
        (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn bureau_register(
    State(state): State<AppState>,
    acting: Acting,
    Path(la): Path<String>,
    params: Result<Query<OpinionsQuery>, QueryRejection>,
) -> Result<Json<PageView>, ApiError> {
    let la = la_id(&la)?;
    scoped(&acting, la, ENTRY_READERS)?;
    let (filter, page) = query(params)?.split();
    let rows = projections::local_democracy::opinions_register_for_bureau(
        state.store.any_pool(),
        la,
        &filter,
        page,
    )
    .await
    .map_err(|e| ApiError::internal("opinions register for the bureau", &e))?;
    super::revealed(&state, PageView::of(rows)?).await
}

fn entry_id(raw: &str) -> Result<EntryId, ApiError> {
    raw.parse().map_err(|_| ApiError::NotFound)
}

async fn on_entry(
    state: &AppState,
    raw: &str,
    command: EntryCommand,
    acting: &Acting,
    context: &RequestContext,
) -> Result<StatusCode, ApiError> {
    let entry = entry_id(raw)?;
    run::<OpinionEntry>(
        state,
        &state.domains.entries,
        &entry.to_string(),
        command,
        acting,
        context,
    )
    .await
}

/// A text.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerBody {
    /// The answer.
    pub text: String,
}

/// Answers an entry (the bureau, or the signatory for the president).
#[utoipa::path(
    post, path = "/opinions/{entry}/answers", tag = "opinions",
    params(("entry" = String, Path, description = "The entry")),
    request_body = AnswerBody,
    responses(
        (status = 204, description = "Answered"),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn answer_entry(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    Path(entry): Path<String>,
    ApiJson(body): ApiJson<AnswerBody>,
) -> Result<StatusCode, ApiError> {
    let command = EntryCommand::AnswerEntry {
        text: body.text,
        actor: acting.actor,
    };
    on_entry(&state, &entry, command, &acting, &context).await
}

/// Notes that the committee consulted the entry (art. 13).
#[utoipa::path(
    post, path = "/opinions/{entry}/committee-consultation", tag = "opinions",
    params(("entry" = String, Path, description = "The entry")),
    responses(
        (status = 204, description = "Noted"),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn note_consultation(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    Path(entry): Path<String>,
) -> Result<StatusCode, ApiError> {
    let command = EntryCommand::NoteCommitteeConsultation {
        actor: acting.actor,
    };
    on_entry(&state, &entry, command, &acting, &context).await
}

/// A proposal to the president.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProposalBody {
    /// `answer`, `clarification`... (art. 13).
    #[schema(value_type = String)]
    pub proposal: ProposalKind,
    /// The committee's note.
    pub note: String,
}

/// The committee proposes to the president to answer, clarify or act (art. 13).
#[utoipa::path(
    post, path = "/opinions/{entry}/proposals", tag = "opinions",
    params(("entry" = String, Path, description = "The entry")),
    request_body = ProposalBody,
    responses(
        (status = 204, description = "Proposed"),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn propose(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    Path(entry): Path<String>,
    ApiJson(body): ApiJson<ProposalBody>,
) -> Result<StatusCode, ApiError> {
    let command = EntryCommand::ProposeToPresident {
        proposal: body.proposal,
        note: body.note,
        actor: acting.actor,
    };
    on_entry(&state, &entry, command, &acting, &context).await
}

/// The letter following a proposal.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CorrespondenceBody {
    /// The letter.
    pub body: String,
}

/// Sends the correspondence following proposal `n` to every address of the author.
#[utoipa::path(
    post, path = "/opinions/{entry}/proposals/{n}/correspondence", tag = "opinions",
    params(
        ("entry" = String, Path, description = "The entry"),
        ("n" = u32, Path, description = "The proposal's number"),
    ),
    request_body = CorrespondenceBody,
    responses(
        (status = 204, description = "Sent"),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem),
        (status = 409, description = "Already sent, or no address on file", body = Problem),
        (status = 422, body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn send_correspondence(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    Path((entry, n)): Path<(String, u32)>,
    ApiJson(body): ApiJson<CorrespondenceBody>,
) -> Result<StatusCode, ApiError> {
    let command = EntryCommand::SendCorrespondence {
        proposal: n,
        body: body.body,
        actor: acting.actor,
    };
    on_entry(&state, &entry, command, &acting, &context).await
}

/// A follow-up meeting.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MeetingBody {
    /// When, in the future.
    pub meeting_at: DateTime<Utc>,
}

/// Invites the author to a follow-up meeting with the committee (art. 13).
#[utoipa::path(
    post, path = "/opinions/{entry}/follow-up-meetings", tag = "opinions",
    params(("entry" = String, Path, description = "The entry")),
    request_body = MeetingBody,
    responses(
        (status = 204, description = "Invited"),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn invite_to_meeting(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    Path(entry): Path<String>,
    ApiJson(body): ApiJson<MeetingBody>,
) -> Result<StatusCode, ApiError> {
    let command = EntryCommand::InviteToFollowUpMeeting {
        meeting_at: body.meeting_at,
        actor: acting.actor,
    };
    on_entry(&state, &entry, command, &acting, &context).await
}

/// A meeting's minutes.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MinutesBody {
    /// The minutes.
    pub minutes: String,
}

/// Records the minutes of follow-up meeting `n`, once it took place.
#[utoipa::path(
    post, path = "/opinions/{entry}/follow-up-meetings/{n}/minutes", tag = "opinions",
    params(
        ("entry" = String, Path, description = "The entry"),
        ("n" = u32, Path, description = "The meeting's number"),
    ),
    request_body = MinutesBody,
    responses(
        (status = 204, description = "Recorded"),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem),
        (status = 409, description = "Not yet held, or already recorded", body = Problem),
        (status = 422, body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn record_minutes(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    Path((entry, n)): Path<(String, u32)>,
    ApiJson(body): ApiJson<MinutesBody>,
) -> Result<StatusCode, ApiError> {
    let command = EntryCommand::RecordFollowUpMinutes {
        meeting: n,
        minutes: body.minutes,
        actor: acting.actor,
    };
    on_entry(&state, &entry, command, &acting, &context).await
}

async fn reporting(
    state: &AppState,
    la: OrganisationId,
    command: ReportingCommand,
    acting: &Acting,
    context: &RequestContext,
) -> Result<StatusCode, ApiError> {
    run::<CouncilReporting>(
        state,
        &state.domains.reporting,
        &la.to_string(),
        command,
        acting,
        context,
    )
    .await
}

/// A session's date.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SessionBody {
    /// The day of the ordinary session.
    pub date: NaiveDate,
}

/// The identifier of a new session.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionCreated {
    /// The session.
    pub session: String,
}

/// Schedules an ordinary session of the council (art. 14 sets the committee's report
/// before it).
#[utoipa::path(
    post, path = "/local-authorities/{la}/council-sessions", tag = "opinions",
    params(("la" = String, Path, description = "The local authority")),
    request_body = SessionBody,
    responses(
        (status = 201, body = SessionCreated),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem),
        (status = 409, description = "The year's ordinary sessions are scheduled", body = Problem),
        (status = 422, description = "Too soon for the committee to report", body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn schedule_session(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    Path(la): Path<String>,
    ApiJson(body): ApiJson<SessionBody>,
) -> Result<Response, ApiError> {
    let local_authority = la_id(&la)?;
    let session = CouncilSessionId::new_v7();
    let command = ReportingCommand::ScheduleOrdinarySession {
        local_authority,
        session,
        date: body.date,
        actor: acting.actor,
    };
    reporting(&state, local_authority, command, &acting, &context).await?;
    Ok(created(
        format!("/api/v1/council-sessions/{session}"),
        SessionCreated {
            session: session.to_string(),
        },
    ))
}

/// Filters of the sessions.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SessionsQuery {
    /// `scheduled`, `report_filed`, `held`, `summary_posted`...
    #[param(value_type = Option<String>)]
    pub status: Option<opinions::SessionStatus>,
    /// The year.
    pub year: Option<i32>,
    /// Rows per page (1 to 200; 50 by default).
    pub limit: Option<u32>,
    /// Rows to skip.
    pub offset: Option<u32>,
}

/// The council's ordinary sessions, with the report and posting deadlines.
#[utoipa::path(
    get, path = "/local-authorities/{la}/council-sessions", tag = "opinions",
    params(("la" = String, Path, description = "The local authority"), SessionsQuery),
    responses((status = 200, body = PageView), (status = 404, body = Problem), (status = 422, body = Problem))
)]
pub async fn sessions(
    State(state): State<AppState>,
    Path(la): Path<String>,
    params: Result<Query<SessionsQuery>, QueryRejection>,
) -> Result<Json<PageView>, ApiError> {
    let la = la_id(&la)?;
    let params = query(params)?;
    let page = PageQuery {
        limit: params.limit,
        offset: params.offset,
    }
    .page();
    let filter = SessionFilter {
        status: params.status,
        year: params.year,
    };
    let rows =
        projections::local_democracy::council_sessions(state.store.any_pool(), la, &filter, page)
            .await
            .map_err(|e| ApiError::internal("council sessions", &e))?;
    Ok(Json(PageView::of(rows)?))
}

fn session_id(raw: &str) -> Result<CouncilSessionId, ApiError> {
    raw.parse().map_err(|_| ApiError::NotFound)
}

/// Runs `make`'s command on the session of the path, in its local authority's calendar.
async fn on_session(
    state: &AppState,
    la: &str,
    session: &str,
    make: impl FnOnce(CouncilSessionId) -> ReportingCommand,
    acting: &Acting,
    context: &RequestContext,
) -> Result<StatusCode, ApiError> {
    let la = la_id(la)?;
    let command = make(session_id(session)?);
    reporting(state, la, command, acting, context).await
}

/// Moves a scheduled session to another day.
#[utoipa::path(
    post, path = "/local-authorities/{la}/council-sessions/{session}/rescheduling", tag = "opinions",
    params(("la" = String, Path, description = "The local authority"), ("session" = String, Path, description = "The session")),
    request_body = SessionBody,
    responses(
        (status = 204, description = "Moved"),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn reschedule_session(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    Path((la, session)): Path<(String, String)>,
    ApiJson(body): ApiJson<SessionBody>,
) -> Result<StatusCode, ApiError> {
    let actor = acting.actor;
    on_session(
        &state,
        &la,
        &session,
        |session| ReportingCommand::RescheduleOrdinarySession {
            session,
            date: body.date,
            actor,
        },
        &acting,
        &context,
    )
    .await
}

/// The committee's report on the register before a session (art. 14).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommitteeReportBody {
    /// The report.
    pub report: String,
    /// Its public summary (posted after the meeting, art. 15).
    pub public_summary: String,
    /// The member attests that neither holds personal data.
    pub attests_no_personal_data: bool,
}

/// Files the committee's report for a session.
#[utoipa::path(
    post, path = "/local-authorities/{la}/council-sessions/{session}/committee-report", tag = "opinions",
    params(("la" = String, Path, description = "The local authority"), ("session" = String, Path, description = "The session")),
    request_body = CommitteeReportBody,
    responses(
        (status = 204, description = "Filed"),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem),
        (status = 409, description = "Already filed, or past its deadline", body = Problem),
        (status = 422, description = "Personal data suspected, or not attested", body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn file_committee_report(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    Path((la, session)): Path<(String, String)>,
    ApiJson(body): ApiJson<CommitteeReportBody>,
) -> Result<StatusCode, ApiError> {
    let actor = acting.actor;
    on_session(
        &state,
        &la,
        &session,
        |session| ReportingCommand::FileCommitteeReport {
            session,
            report: body.report,
            public_summary: body.public_summary,
            attests_no_personal_data: body.attests_no_personal_data,
            actor,
        },
        &acting,
        &context,
    )
    .await
}

/// The meeting.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MeetingHeldBody {
    /// When the council met.
    pub held_on: NaiveDate,
}

/// Records that the council met; the summary's posting deadline runs (art. 15).
#[utoipa::path(
    post, path = "/local-authorities/{la}/council-sessions/{session}/meeting", tag = "opinions",
    params(("la" = String, Path, description = "The local authority"), ("session" = String, Path, description = "The session")),
    request_body = MeetingHeldBody,
    responses(
        (status = 204, description = "Recorded"),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn record_meeting(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    Path((la, session)): Path<(String, String)>,
    ApiJson(body): ApiJson<MeetingHeldBody>,
) -> Result<StatusCode, ApiError> {
    let actor = acting.actor;
    on_session(
        &state,
        &la,
        &session,
        |session| ReportingCommand::RecordCouncilMeeting {
            session,
            held_on: body.held_on,
            actor,
        },
        &acting,
        &context,
    )
    .await
}

/// Posts the report's public summary at the premises and online (art. 15).
#[utoipa::path(
    post, path = "/local-authorities/{la}/council-sessions/{session}/summary-posting", tag = "opinions",
    params(("la" = String, Path, description = "The local authority"), ("session" = String, Path, description = "The session")),
    responses(
        (status = 204, description = "Posted"),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, description = "No meeting or report yet, or already posted", body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn post_summary(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    Path((la, session)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let actor = acting.actor;
    on_session(
        &state,
        &la,
        &session,
        |session| ReportingCommand::PostSummary { session, actor },
        &acting,
        &context,
    )
    .await
}

/// Takes the summary down once its display period is over.
#[utoipa::path(
    post, path = "/local-authorities/{la}/council-sessions/{session}/summary-takedown", tag = "opinions",
    params(("la" = String, Path, description = "The local authority"), ("session" = String, Path, description = "The session")),
    responses(
        (status = 204, description = "Taken down"),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, description = "Not posted, or its display period runs", body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn take_down_summary(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    Path((la, session)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let actor = acting.actor;
    on_session(
        &state,
        &la,
        &session,
        |session| ReportingCommand::TakeDownSummary { session, actor },
        &acting,
        &context,
    )
    .await
}

/// One session, with its deadlines and, once posted, its public summary.
#[utoipa::path(
    get, path = "/council-sessions/{session}", tag = "opinions",
    params(("session" = String, Path, description = "The session")),
    responses((status = 200, body = Object), (status = 404, body = Problem))
)]
pub async fn session(
    State(state): State<AppState>,
    Path(session): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let found = projections::local_democracy::council_session(
        state.store.any_pool(),
        session_id(&session)?,
    )
    .await
    .map_err(|e| ApiError::internal("council session", &e))?
    .ok_or(ApiError::NotFound)?;
    Ok(Json(serde_json::to_value(found).map_err(|e| {
        ApiError::internal("serializing a session", &e)
    })?))
}

/// The report's language.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// `ar` (default) or `fr`.
    #[param(value_type = Option<String>)]
    pub language: Option<ReportLanguage>,
}

/// The figures of the register for a session's report (art. 14), computed from the log.
#[utoipa::path(
    get, path = "/local-authorities/{la}/council-sessions/{session}/figures", tag = "opinions",
    params(("la" = String, Path, description = "The local authority"), ("session" = String, Path, description = "The session"), ReportQuery),
    responses(
        (status = 200, body = Object),
        (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn session_figures(
    State(state): State<AppState>,
    acting: Acting,
    Path((la, session)): Path<(String, String)>,
    params: Result<Query<ReportQuery>, QueryRejection>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let local_authority = la_id(&la)?;
    scoped(&acting, local_authority, REPORT_READERS)?;
    let params = projections::local_democracy::CommitteeReportParams {
        local_authority,
        session: session_id(&session)?,
        language: query(params)?.language.unwrap_or(ReportLanguage::Ar),
    };
    let (report, _) =
        projections::local_democracy::committee_report(&state.store.log(), params, None)
            .await
            .map_err(|e| match e {
                projections::local_democracy::CommitteeReportError::UnknownSession { .. } => {
                    ApiError::NotFound
                }
                other => ApiError::internal("committee report figures", &other),
            })?;
    Ok(Json(serde_json::to_value(report).map_err(|e| {
        ApiError::internal("serializing a report", &e)
    })?))
}

/// A draft by-law published for comment.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DraftBody {
    /// Title in Arabic.
    pub title_ar: String,
    /// Title in French.
    pub title_fr: String,
    /// When it was published.
    pub published_on: NaiveDate,
    /// The day of its deliberation, when set (section IV closes for it that day).
    pub deliberation_on: Option<NaiveDate>,
}

/// The identifier of a new draft.
#[derive(Debug, Serialize, ToSchema)]
pub struct DraftCreated {
    /// The draft, for section IV entries (`{"draft_by_law": {"draft": id}}`).
    pub draft: String,
}

/// Records a draft regulatory by-law the local authority published (art. 11, section IV).
#[utoipa::path(
    post, path = "/local-authorities/{la}/draft-bylaws", tag = "opinions",
    params(("la" = String, Path, description = "The local authority")),
    request_body = DraftBody,
    responses(
        (status = 201, body = DraftCreated),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn publish_draft(
    State(state): State<AppState>,
    acting: Acting,
    Path(la): Path<String>,
    ApiJson(body): ApiJson<DraftBody>,
) -> Result<Response, ApiError> {
    let la = la_id(&la)?;
    scoped(&acting, la, SECRETARY)?;
    if !state
        .directory
        .is_kind(la, kernel::OrganisationKind::LocalAuthority)
    {
        return Err(ApiError::NotFound);
    }
    for (field, value) in [("title_ar", &body.title_ar), ("title_fr", &body.title_fr)] {
        kernel::Text::new(value, kernel::TextLimits::line(300))
            .map_err(|e| ApiError::invalid(field, e.code(), e.to_string()))?;
    }
    if body.deliberation_on.is_some_and(|d| d < body.published_on) {
        return Err(ApiError::invalid(
            "deliberation_on",
            "before_publication",
            "a draft is deliberated after it is published",
        ));
    }
    let draft = DraftByLawId::new_v7();
    sqlx::query(
        "INSERT INTO draft_bylaws (local_authority, id, title_ar, title_fr, published_on, deliberation_on) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(la.to_string())
    .bind(draft.to_string())
    .bind(body.title_ar.trim())
    .bind(body.title_fr.trim())
    .bind(body.published_on.to_string())
    .bind(body.deliberation_on.map(|d| d.to_string()))
    .execute(state.store.any_pool())
    .await?;
    Ok(created(
        format!("/api/v1/local-authorities/{la}/draft-bylaws"),
        DraftCreated {
            draft: draft.to_string(),
        },
    ))
}
