//! The civil-society register of a local authority over HTTP (decree 2019-401 ch. 1):
//! opening it and appointing its bureau (art. 3-5), registration on request (art. 7-8),
//! migration from paper (art. 16-17), updates and withdrawal, the art. 9 procedure step by
//! step, and the register's public and bureau views.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::NaiveDate;
use civil_society::{
    AppointmentOrder, Attachment, BureauMember, CivilSocietyRegister, CouncilDecision, EntryData,
    IrregularSituation, OrganisationCommand, PaperEntry, RegisterCommand, RegisteredOrganisation,
    RegistrationRequest, RegistrationRequirements,
};
use kernel::{ActorId, CivilSocietyOrganisationId};
use projections::local_democracy::{BureauRegisterFilter, PublicRegisterFilter};
use serde::Deserialize;
use utoipa::ToSchema;

use super::{BUREAU_READERS, created, fresh_register_index, la_id, run, scoped};
use crate::api::json::ApiJson;
use crate::api::paging::{PageQuery, PageView, query};
use crate::auth::Acting;
use crate::auth::principal::RequestContext;
use crate::error::{ApiError, Problem};
use crate::startup::AppState;

async fn register_command(
    state: &AppState,
    la: &str,
    command: impl FnOnce(kernel::Actor) -> RegisterCommand,
    acting: &Acting,
    context: &RequestContext,
) -> Result<StatusCode, ApiError> {
    let la = la_id(la)?;
    run::<CivilSocietyRegister>(
        state,
        &state.domains.registers,
        &la.to_string(),
        command(acting.actor),
        acting,
        context,
    )
    .await
}

/// Opening a register.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenBody {
    /// The day the electronic register was established (starts the year of migration).
    pub opened_on: NaiveDate,
    /// The art. 8 items required; the defaults of the domain notes when absent.
    #[schema(value_type = Option<Object>)]
    pub requirements: Option<RegistrationRequirements>,
}

/// Opens the local authority's electronic register (art. 5).
#[utoipa::path(
    post, path = "/local-authorities/{la}/civil-society-register", tag = "civil-society",
    params(("la" = String, Path, description = "The local authority")),
    request_body = OpenBody,
    responses(
        (status = 204, description = "Opened"),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, description = "Not a local authority", body = Problem),
        (status = 409, description = "Already open", body = Problem),
        (status = 422, body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn open_register(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    Path(la): Path<String>,
    ApiJson(body): ApiJson<OpenBody>,
) -> Result<StatusCode, ApiError> {
    let local_authority = la_id(&la)?;
    register_command(
        &state,
        &la,
        |actor| RegisterCommand::OpenRegister {
            actor,
            local_authority,
            opened_on: body.opened_on,
            requirements: body.requirements.unwrap_or_default(),
        },
        &acting,
        &context,
    )
    .await
}

/// A member of the bureau, by account.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberBody {
    /// The member's agent account.
    #[schema(value_type = String, format = Uuid)]
    pub agent: ActorId,
    /// Full name.
    pub full_name: String,
}

/// The president's order appointing the bureau.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AppointBody {
    /// The order (`reference`, `signed_on`, `published_on`).
    #[schema(value_type = Object)]
    pub order: AppointmentOrder,
    /// The head of the bureau.
    pub head: MemberBody,
    /// The deputy.
    pub deputy: MemberBody,
}

async fn member(state: &AppState, body: MemberBody, field: &str) -> Result<BureauMember, ApiError> {
    let account = state.identity.account(body.agent).await.map_err(|_| {
        ApiError::invalid(
            format!("{field}.agent"),
            "unknown_account",
            "no such agent account",
        )
    })?;
    Ok(BureauMember {
        agent: body.agent,
        subject: account.subject,
        full_name: body.full_name,
    })
}

/// Records the president's order appointing the bureau's head and deputy (art. 4).
#[utoipa::path(
    post, path = "/local-authorities/{la}/civil-society-register/bureau", tag = "civil-society",
    params(("la" = String, Path, description = "The local authority")),
    request_body = AppointBody,
    responses(
        (status = 204, description = "Recorded"),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, description = "Register not open", body = Problem),
        (status = 422, body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn appoint_bureau(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    Path(la): Path<String>,
    ApiJson(body): ApiJson<AppointBody>,
) -> Result<StatusCode, ApiError> {
    let head = member(&state, body.head, "head").await?;
    let deputy = member(&state, body.deputy, "deputy").await?;
    register_command(
        &state,
        &la,
        |actor| RegisterCommand::AppointBureau {
            actor,
            order: body.order,
            head,
            deputy,
        },
        &acting,
        &context,
    )
    .await
}

/// The art. 8 items now required.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RequirementsBody {
    /// The items.
    #[schema(value_type = Object)]
    pub requirements: RegistrationRequirements,
}

/// Changes the mandatory items of art. 8 for requests handled from now on.
#[utoipa::path(
    post, path = "/local-authorities/{la}/civil-society-register/requirements", tag = "civil-society",
    params(("la" = String, Path, description = "The local authority")),
    request_body = RequirementsBody,
    responses(
        (status = 204, description = "Changed"),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, description = "Unchanged, or not open", body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn configure_requirements(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    Path(la): Path<String>,
    ApiJson(body): ApiJson<RequirementsBody>,
) -> Result<StatusCode, ApiError> {
    register_command(
        &state,
        &la,
        |actor| RegisterCommand::ConfigureRequirements {
            actor,
            requirements: body.requirements,
        },
        &acting,
        &context,
    )
    .await
}

/// The public register: name, fields, standing; no personal data.
#[utoipa::path(
    get, path = "/local-authorities/{la}/civil-society-register", tag = "civil-society",
    params(
        ("la" = String, Path, description = "The local authority"),
        ("standing" = Option<String>, Query, description = "`active`, `suspended`..."),
        ("field" = Option<String>, Query, description = "Field of activity"),
        ("name_contains" = Option<String>, Query, description = "Part of the name"),
        PageQuery,
    ),
    responses((status = 200, body = PageView), (status = 404, body = Problem), (status = 422, body = Problem))
)]
pub async fn public_register(
    State(state): State<AppState>,
    Path(la): Path<String>,
    filter: Result<Query<PublicRegisterFilter>, QueryRejection>,
    page: Result<Query<PageQuery>, QueryRejection>,
) -> Result<Json<PageView>, ApiError> {
    let la = la_id(&la)?;
    let (filter, page) = (query(filter)?, query(page)?.page());
    let rows =
        projections::local_democracy::public_register(state.store.any_pool(), la, &filter, page)
            .await
            .map_err(|e| ApiError::internal("public civil-society register", &e))?;
    Ok(Json(PageView::of(rows)?))
}

/// The bureau's register: every entry with its status, data and procedure.
#[utoipa::path(
    get, path = "/local-authorities/{la}/civil-society-register/bureau-view", tag = "civil-society",
    params(
        ("la" = String, Path, description = "The local authority"),
        ("status" = Option<String>, Query, description = "`active`, `formal_notice_sent`..."),
        ("field" = Option<String>, Query, description = "Field of activity"),
        ("name_contains" = Option<String>, Query, description = "Part of the name"),
        ("incomplete" = Option<bool>, Query, description = "Only entries missing required items"),
        PageQuery,
    ),
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
    filter: Result<Query<BureauRegisterFilter>, QueryRejection>,
    page: Result<Query<PageQuery>, QueryRejection>,
) -> Result<Json<PageView>, ApiError> {
    let la = la_id(&la)?;
    scoped(&acting, la, BUREAU_READERS)?;
    let (filter, page) = (query(filter)?, query(page)?.page());
    let rows =
        projections::local_democracy::bureau_register(state.store.any_pool(), la, &filter, page)
            .await
            .map_err(|e| ApiError::internal("bureau civil-society register", &e))?;
    super::revealed(&state, PageView::of(rows)?).await
}

/// The identifier of a new entry.
#[derive(Debug, serde::Serialize, ToSchema)]
pub struct EntryCreated {
    /// The entry (the organisation in the register).
    pub organisation: String,
}

/// Registers an organisation on its request, checking eligibility (art. 2) and the items
/// of art. 8.
#[utoipa::path(
    post, path = "/local-authorities/{la}/civil-society-register/organisations", tag = "civil-society",
    params(("la" = String, Path, description = "The local authority")),
    request_body(content = Object, description = "The request: `channel` (`paper`, `electronic`), `reference`, `received_on`, `eligibility`, `entry` (the data and documents)"),
    responses(
        (status = 201, body = EntryCreated),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 409, description = "Register not open, or the register number is taken", body = Problem),
        (status = 422, description = "Ineligible, or items missing (named)", body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn register_organisation(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    Path(la): Path<String>,
    ApiJson(request): ApiJson<RegistrationRequest>,
) -> Result<Response, ApiError> {
    let local_authority = la_id(&la)?;
    fresh_register_index(&state).await?;
    let organisation = CivilSocietyOrganisationId::new_v7();
    let command = OrganisationCommand::Register {
        actor: acting.actor,
        organisation,
        local_authority,
        request,
    };
    organisation_command(&state, organisation, command, &acting, &context).await?;
    Ok(created_entry(organisation))
}

fn created_entry(organisation: CivilSocietyOrganisationId) -> Response {
    created(
        format!("/api/v1/civil-society/organisations/{organisation}"),
        EntryCreated {
            organisation: organisation.to_string(),
        },
    )
}

/// Imports an entry of the paper register, keeping its date and reference (art. 16-17).
#[utoipa::path(
    post, path = "/local-authorities/{la}/civil-society-register/paper-entries", tag = "civil-society",
    params(("la" = String, Path, description = "The local authority")),
    request_body(content = Object, description = "`reference`, `registered_on`, `eligibility` (optional), `entry`"),
    responses(
        (status = 201, body = EntryCreated),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 409, description = "Migration window closed", body = Problem),
        (status = 422, body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn import_paper_entry(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    Path(la): Path<String>,
    ApiJson(paper): ApiJson<PaperEntry>,
) -> Result<Response, ApiError> {
    let local_authority = la_id(&la)?;
    fresh_register_index(&state).await?;
    let organisation = CivilSocietyOrganisationId::new_v7();
    let command = OrganisationCommand::ImportPaperEntry {
        actor: acting.actor,
        organisation,
        local_authority,
        paper,
    };
    organisation_command(&state, organisation, command, &acting, &context).await?;
    Ok(created_entry(organisation))
}

fn organisation_id(raw: &str) -> Result<CivilSocietyOrganisationId, ApiError> {
    raw.parse().map_err(|_| ApiError::NotFound)
}

async fn organisation_command(
    state: &AppState,
    organisation: CivilSocietyOrganisationId,
    command: OrganisationCommand,
    acting: &Acting,
    context: &RequestContext,
) -> Result<StatusCode, ApiError> {
    run::<RegisteredOrganisation>(
        state,
        &state.domains.organisations,
        &organisation.to_string(),
        command,
        acting,
        context,
    )
    .await
}

/// Runs the command `make` builds on the entry of the path.
async fn on_entry(
    state: &AppState,
    raw: &str,
    make: impl FnOnce(kernel::Actor) -> OrganisationCommand,
    acting: &Acting,
    context: &RequestContext,
) -> Result<StatusCode, ApiError> {
    let organisation = organisation_id(raw)?;
    fresh_register_index(state).await?;
    organisation_command(state, organisation, make(acting.actor), acting, context).await
}

/// An entry as the public sees it.
#[utoipa::path(
    get, path = "/civil-society/organisations/{org}", tag = "civil-society",
    params(("org" = String, Path, description = "The entry")),
    responses((status = 200, description = "Name, fields, standing", body = Object), (status = 404, body = Problem))
)]
pub async fn public_organisation(
    State(state): State<AppState>,
    Path(org): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let found = projections::local_democracy::public_organisation(
        state.store.any_pool(),
        organisation_id(&org)?,
    )
    .await
    .map_err(|e| ApiError::internal("public civil-society entry", &e))?
    .ok_or(ApiError::NotFound)?;
    Ok(Json(serde_json::to_value(found).map_err(|e| {
        ApiError::internal("serializing an entry", &e)
    })?))
}

/// An entry as its local authority's bureau sees it: data, documents, the art. 9 steps.
#[utoipa::path(
    get, path = "/civil-society/organisations/{org}/detail", tag = "civil-society",
    params(("org" = String, Path, description = "The entry")),
    responses(
        (status = 200, body = Object),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn organisation_detail(
    State(state): State<AppState>,
    acting: Acting,
    Path(org): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let found = projections::local_democracy::organisation_detail(
        state.store.any_pool(),
        organisation_id(&org)?,
    )
    .await
    .map_err(|e| ApiError::internal("civil-society entry", &e))?
    .ok_or(ApiError::NotFound)?;
    scoped(&acting, found.entry.public.local_authority, BUREAU_READERS)?;
    let value =
        serde_json::to_value(found).map_err(|e| ApiError::internal("serializing an entry", &e))?;
    Ok(Json(
        kernel::personal_data::reveal_json(
            value,
            Some(&state.cipher),
            kernel::personal_data::RevealScope::Everyone,
        )
        .await,
    ))
}

/// The entry's data, whole.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateBody {
    /// The new data (as in a registration's `entry`).
    #[schema(value_type = Object)]
    pub entry: EntryData,
}

/// Replaces the entry's data (art. 4).
#[utoipa::path(
    post, path = "/civil-society/organisations/{org}/entry", tag = "civil-society",
    params(("org" = String, Path, description = "The entry")),
    request_body = UpdateBody,
    responses(
        (status = 204, description = "Updated"),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn update_entry(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    Path(org): Path<String>,
    ApiJson(body): ApiJson<UpdateBody>,
) -> Result<StatusCode, ApiError> {
    on_entry(
        &state,
        &org,
        |actor| OrganisationCommand::UpdateEntry {
            actor,
            entry: body.entry,
        },
        &acting,
        &context,
    )
    .await
}

/// The organisation's request to leave the register.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WithdrawalBody {
    /// When it asked.
    pub requested_on: NaiveDate,
    /// Reference of its request.
    pub request_reference: String,
}

/// Records the organisation's voluntary withdrawal.
#[utoipa::path(
    post, path = "/civil-society/organisations/{org}/withdrawal", tag = "civil-society",
    params(("org" = String, Path, description = "The entry")),
    request_body = WithdrawalBody,
    responses(
        (status = 204, description = "Withdrawn"),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn record_withdrawal(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    Path(org): Path<String>,
    ApiJson(body): ApiJson<WithdrawalBody>,
) -> Result<StatusCode, ApiError> {
    on_entry(
        &state,
        &org,
        |actor| OrganisationCommand::RecordWithdrawal {
            actor,
            requested_on: body.requested_on,
            request_reference: body.request_reference,
        },
        &acting,
        &context,
    )
    .await
}

/// The council's decision finding the situation irregular.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IrregularityBody {
    /// The decision (`reference`, `decided_on`).
    #[schema(value_type = Object)]
    pub decision: CouncilDecision,
    /// `legal`, `financial` or both, as the domain names them.
    #[schema(value_type = String)]
    pub situation: IrregularSituation,
    /// The grounds (a public act: no personal data).
    pub grounds: String,
}

/// Records the council's finding of an irregular situation, opening the art. 9 procedure.
#[utoipa::path(
    post, path = "/civil-society/organisations/{org}/irregularity", tag = "civil-society",
    params(("org" = String, Path, description = "The entry")),
    request_body = IrregularityBody,
    responses(
        (status = 204, description = "Recorded"),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn find_irregularity(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    Path(org): Path<String>,
    ApiJson(body): ApiJson<IrregularityBody>,
) -> Result<StatusCode, ApiError> {
    on_entry(
        &state,
        &org,
        |actor| OrganisationCommand::FindIrregularity {
            actor,
            decision: body.decision,
            situation: body.situation,
            grounds: body.grounds,
        },
        &acting,
        &context,
    )
    .await
}

/// The registered letter.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoticeBody {
    /// Reference of the registered letter.
    pub letter_reference: String,
    /// When it was posted.
    pub sent_on: NaiveDate,
}

/// Records the formal notice sent by registered letter (art. 9).
#[utoipa::path(
    post, path = "/civil-society/organisations/{org}/formal-notice", tag = "civil-society",
    params(("org" = String, Path, description = "The entry")),
    request_body = NoticeBody,
    responses(
        (status = 204, description = "Recorded"),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn send_formal_notice(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    Path(org): Path<String>,
    ApiJson(body): ApiJson<NoticeBody>,
) -> Result<StatusCode, ApiError> {
    on_entry(
        &state,
        &org,
        |actor| OrganisationCommand::SendFormalNotice {
            actor,
            letter_reference: body.letter_reference,
            sent_on: body.sent_on,
        },
        &acting,
        &context,
    )
    .await
}

/// The acknowledgement of receipt.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcknowledgementBody {
    /// The date of receipt it bears: the month to regularise runs from it.
    pub acknowledged_on: NaiveDate,
}

/// Records the acknowledgement of receipt of the formal notice (art. 9).
#[utoipa::path(
    post, path = "/civil-society/organisations/{org}/acknowledgement", tag = "civil-society",
    params(("org" = String, Path, description = "The entry")),
    request_body = AcknowledgementBody,
    responses(
        (status = 204, description = "Recorded; the month runs"),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn record_acknowledgement(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    Path(org): Path<String>,
    ApiJson(body): ApiJson<AcknowledgementBody>,
) -> Result<StatusCode, ApiError> {
    on_entry(
        &state,
        &org,
        |actor| OrganisationCommand::RecordAcknowledgement {
            actor,
            acknowledged_on: body.acknowledged_on,
        },
        &acting,
        &context,
    )
    .await
}

/// The regularisation.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegularisationBody {
    /// When.
    pub regularised_on: NaiveDate,
    /// Reference of what shows it.
    pub reference: String,
}

/// Records that the organisation regularised its situation: back to active.
#[utoipa::path(
    post, path = "/civil-society/organisations/{org}/regularisation", tag = "civil-society",
    params(("org" = String, Path, description = "The entry")),
    request_body = RegularisationBody,
    responses(
        (status = 204, description = "Recorded"),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn record_regularisation(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    Path(org): Path<String>,
    ApiJson(body): ApiJson<RegularisationBody>,
) -> Result<StatusCode, ApiError> {
    on_entry(
        &state,
        &org,
        |actor| OrganisationCommand::RecordRegularisation {
            actor,
            regularised_on: body.regularised_on,
            reference: body.reference,
        },
        &acting,
        &context,
    )
    .await
}

/// The invitation to a hearing.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HearingInvitationBody {
    /// Reference of the invitation.
    pub invitation_reference: String,
    /// When it was sent.
    pub sent_on: NaiveDate,
    /// The day of the hearing.
    pub hearing_on: NaiveDate,
}

/// Records the invitation to a hearing after the month passed without response (art. 9).
#[utoipa::path(
    post, path = "/civil-society/organisations/{org}/hearing-invitation", tag = "civil-society",
    params(("org" = String, Path, description = "The entry")),
    request_body = HearingInvitationBody,
    responses(
        (status = 204, description = "Recorded"),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem),
        (status = 409, description = "The month to regularise still runs", body = Problem),
        (status = 422, body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn convene_hearing(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    Path(org): Path<String>,
    ApiJson(body): ApiJson<HearingInvitationBody>,
) -> Result<StatusCode, ApiError> {
    on_entry(
        &state,
        &org,
        |actor| OrganisationCommand::ConveneHearing {
            actor,
            invitation_reference: body.invitation_reference,
            sent_on: body.sent_on,
            hearing_on: body.hearing_on,
        },
        &acting,
        &context,
    )
    .await
}

/// The hearing and its minutes.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HearingBody {
    /// When it took place.
    pub held_on: NaiveDate,
    /// Whether the organisation appeared.
    pub organisation_appeared: bool,
    /// Reference of the minutes.
    pub minutes_reference: String,
    /// The signed minutes (`content_hash`, `media_type`...), uploaded first.
    #[schema(value_type = Object)]
    pub minutes: Attachment,
}

/// Records the hearing and its minutes.
#[utoipa::path(
    post, path = "/civil-society/organisations/{org}/hearing", tag = "civil-society",
    params(("org" = String, Path, description = "The entry")),
    request_body = HearingBody,
    responses(
        (status = 204, description = "Recorded"),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn record_hearing(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    Path(org): Path<String>,
    ApiJson(body): ApiJson<HearingBody>,
) -> Result<StatusCode, ApiError> {
    on_entry(
        &state,
        &org,
        |actor| OrganisationCommand::RecordHearing {
            actor,
            held_on: body.held_on,
            organisation_appeared: body.organisation_appeared,
            minutes_reference: body.minutes_reference,
            minutes: body.minutes,
        },
        &acting,
        &context,
    )
    .await
}

/// A council decision.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionBody {
    /// The decision (`reference`, `decided_on`).
    #[schema(value_type = Object)]
    pub decision: CouncilDecision,
}

/// Records the council's decision suspending communication with the organisation (art. 9).
#[utoipa::path(
    post, path = "/civil-society/organisations/{org}/suspension", tag = "civil-society",
    params(("org" = String, Path, description = "The entry")),
    request_body = DecisionBody,
    responses(
        (status = 204, description = "Suspended"),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn decide_suspension(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    Path(org): Path<String>,
    ApiJson(body): ApiJson<DecisionBody>,
) -> Result<StatusCode, ApiError> {
    on_entry(
        &state,
        &org,
        |actor| OrganisationCommand::DecideSuspension {
            actor,
            decision: body.decision,
        },
        &acting,
        &context,
    )
    .await
}

/// Records the council's decision lifting the suspension of a regularised organisation.
#[utoipa::path(
    post, path = "/civil-society/organisations/{org}/suspension-lifting", tag = "civil-society",
    params(("org" = String, Path, description = "The entry")),
    request_body = DecisionBody,
    responses(
        (status = 204, description = "Active again"),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn lift_suspension(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    Path(org): Path<String>,
    ApiJson(body): ApiJson<DecisionBody>,
) -> Result<StatusCode, ApiError> {
    on_entry(
        &state,
        &org,
        |actor| OrganisationCommand::LiftSuspension {
            actor,
            decision: body.decision,
        },
        &acting,
        &context,
    )
    .await
}

/// Records the council's decision striking the organisation off (art. 9); only a new
/// registration reinstates it.
#[utoipa::path(
    post, path = "/civil-society/organisations/{org}/striking-off", tag = "civil-society",
    params(("org" = String, Path, description = "The entry")),
    request_body = DecisionBody,
    responses(
        (status = 204, description = "Struck off"),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn strike_off(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    Path(org): Path<String>,
    ApiJson(body): ApiJson<DecisionBody>,
) -> Result<StatusCode, ApiError> {
    on_entry(
        &state,
        &org,
        |actor| OrganisationCommand::StrikeOff {
            actor,
            decision: body.decision,
        },
        &acting,
        &context,
    )
    .await
}
