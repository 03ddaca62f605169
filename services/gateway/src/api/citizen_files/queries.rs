//! Reading files: one file and its timeline (for its author, the organisations handling it
//! or referred it, auditors), an organisation's inbox, every inbox at once for monitoring
//! (art. 13), and the e-Moatinet performance report.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, Utc};
use citizen_file::{Channel, FileKind};
use kernel::calendar::HolidayCalendar;
use kernel::{OrganisationId, Role};
use projections::citizen_file::{FileState, InboxFilter, ReportError, ReportLanguage};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{Reader, readable, reveal};
use crate::api::paging::{PageQuery, PageView, query};
use crate::auth::Acting;
use crate::error::{ApiError, Problem};
use crate::startup::AppState;

/// A file as its reader may see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct FileView {
    /// Where it stands (`tracking_code`, `kind`, `status`, `reply_due_at`...).
    #[schema(value_type = Object)]
    pub file: serde_json::Value,
    /// For a citizen: `author`, or `follower` after a merge.
    pub relation: Option<String>,
    /// Title, body and address, opened (`{"status": "withheld"}` for a follower).
    #[schema(value_type = Object)]
    pub statement: serde_json::Value,
    /// Photos and documents (`sha256`, `media_type`, `size_bytes`), served by
    /// `/api/v1/attachments/{hash}`.
    #[schema(value_type = Vec<Object>)]
    pub attachments: serde_json::Value,
    /// For agents and auditors: the whole file (referral chain with reasons, deadlines
    /// with their explanation, drafts, answers, ratings), opened.
    #[schema(value_type = Option<Object>)]
    pub detail: Option<serde_json::Value>,
}

/// Reads one file.
#[utoipa::path(
    get, path = "/files/{id}", tag = "citizen-files",
    params(("id" = String, Path, description = "The file")),
    responses(
        (status = 200, body = FileView),
        (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, description = "Unknown, or not yours to read", body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn file(
    State(state): State<AppState>,
    acting: Acting,
    Path(id): Path<String>,
) -> Result<Json<FileView>, ApiError> {
    let (detail, reader) = readable(&state, &acting, &id).await?;
    let summary = projections::citizen_file::file_by_tracking_code(
        state.store.any_pool(),
        &detail.tracking_code,
    )
    .await
    .map_err(|e| ApiError::internal("file summary", &e))?
    .ok_or(ApiError::NotFound)?;
    let relation = match reader {
        Reader::Author(_) => Some("author".to_owned()),
        Reader::Follower => Some("follower".to_owned()),
        Reader::Agent => None,
    };
    Ok(Json(FileView {
        file: reveal(&state, &summary, reader).await?,
        relation,
        statement: reveal(&state, &detail.statement, reader).await?,
        attachments: reveal(&state, &detail.attachments, reader).await?,
        detail: match reader {
            Reader::Agent => Some(reveal(&state, &detail, reader).await?),
            Reader::Author(_) | Reader::Follower => None,
        },
    }))
}

/// The steps of a file.
#[derive(Debug, Serialize, ToSchema)]
pub struct TimelineView {
    /// `{sequence, at, entry: {type, ...}}`, in order, sealed texts opened for whoever may
    /// read them.
    #[schema(value_type = Vec<Object>)]
    pub items: serde_json::Value,
}

/// The file's course as its author sees it: receipt, decisions, referrals (to whom, not
/// why), the signed answer with its signature, rating, contest, closure.
#[utoipa::path(
    get, path = "/files/{id}/timeline", tag = "citizen-files",
    params(("id" = String, Path, description = "The file")),
    responses(
        (status = 200, body = TimelineView),
        (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, description = "Unknown, or not yours to read", body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn timeline(
    State(state): State<AppState>,
    acting: Acting,
    Path(id): Path<String>,
) -> Result<Json<TimelineView>, ApiError> {
    let (detail, reader) = readable(&state, &acting, &id).await?;
    let items = projections::citizen_file::timeline(state.store.any_pool(), detail.file)
        .await
        .map_err(|e| ApiError::internal("timeline", &e))?;
    Ok(Json(TimelineView {
        items: reveal(&state, &items, reader).await?,
    }))
}

/// Filters of an inbox (they combine), and the page.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InboxQuery {
    /// `petition`, `guidance_request`, `suggestion` or `notification`.
    #[param(value_type = Option<String>)]
    pub kind: Option<FileKind>,
    /// `received`, `under_study`, `awaiting_information`, `referred`, `answer_drafted`,
    /// `answered`, `closed` or `merged`.
    #[param(value_type = Option<String>)]
    pub state: Option<FileState>,
    /// `online`, `counter`, `mail`, `phone`, `fax` or `email`.
    #[param(value_type = Option<String>)]
    pub channel: Option<Channel>,
    /// Only rows falling due strictly before this instant.
    pub due_before: Option<DateTime<Utc>>,
    /// Only rows past due now.
    pub overdue_only: Option<bool>,
    /// Rows per page (1 to 200; 50 by default).
    pub limit: Option<u32>,
    /// Rows to skip.
    pub offset: Option<u32>,
}

impl InboxQuery {
    fn filter(&self) -> InboxFilter {
        InboxFilter {
            kind: self.kind,
            state: self.state,
            channel: self.channel,
            due_before: self.due_before,
            overdue_only: self.overdue_only.unwrap_or(false),
        }
    }

    fn page(&self) -> projections::query::Page {
        PageQuery {
            limit: self.limit,
            offset: self.offset,
        }
        .page()
    }
}

/// The files the caller's organisation has to act on, soonest due first: those it handles,
/// and for a structure those referred to it and not yet answered.
#[utoipa::path(
    get, path = "/inbox", tag = "citizen-files",
    params(InboxQuery),
    responses(
        (status = 200, description = "Rows `{file, organisation, duty, tracking_code, kind, state, due_at, overdue...}`", body = PageView),
        (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 422, description = "A filter cannot be read", body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn inbox(
    State(state): State<AppState>,
    acting: Acting,
    params: Result<Query<InboxQuery>, QueryRejection>,
) -> Result<Json<PageView>, ApiError> {
    let params = query(params)?;
    let organisation = acting.actor.organisation().ok_or(ApiError::NotFound)?;
    let rows = projections::citizen_file::inbox(
        state.store.any_pool(),
        organisation,
        &params.filter(),
        state.clock.now(),
        params.page(),
    )
    .await
    .map_err(|e| ApiError::internal("inbox", &e))?;
    Ok(Json(PageView::of(rows)?))
}

/// Every organisation's inbox at once, in the same order: what the Central Bureau watches to
/// monitor every structure's compliance (art. 13), typically with `overdue_only=true`.
#[utoipa::path(
    get, path = "/monitoring", tag = "citizen-files",
    params(InboxQuery),
    responses(
        (status = 200, description = "Inbox rows of every organisation", body = PageView),
        (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 422, description = "A filter cannot be read", body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn monitoring(
    State(state): State<AppState>,
    params: Result<Query<InboxQuery>, QueryRejection>,
) -> Result<Json<PageView>, ApiError> {
    let params = query(params)?;
    let rows = projections::citizen_file::monitoring(
        state.store.any_pool(),
        &params.filter(),
        state.clock.now(),
        params.page(),
    )
    .await
    .map_err(|e| ApiError::internal("monitoring", &e))?;
    Ok(Json(PageView::of(rows)?))
}

/// The period, language, scope and format of the report.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// First day, inclusive (`YYYY-MM-DD`).
    pub period_start: Option<NaiveDate>,
    /// Last day, inclusive.
    pub period_end: Option<NaiveDate>,
    /// `ar` (default) or `fr`: the labels' language.
    #[param(value_type = Option<String>)]
    pub language: Option<ReportLanguage>,
    /// Only this organisation's rows (an office head always sees their office's only).
    #[param(value_type = Option<String>, format = Uuid)]
    pub organisation: Option<OrganisationId>,
    /// `json` (default), `csv` or `html`.
    pub format: Option<String>,
}

/// The e-Moatinet performance report: per handling organisation and per structure, files
/// received and answered, delays, answers within the deadline, satisfaction.
#[utoipa::path(
    get, path = "/reports/performance", tag = "citizen-files",
    params(ReportQuery),
    responses(
        (status = 200, description = "The report: JSON, or CSV (`format=csv`) or HTML (`format=html`)", content_type = "application/json"),
        (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 422, description = "A parameter is missing or invalid (named in `field`)", body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn performance(
    State(state): State<AppState>,
    acting: Acting,
    params: Result<Query<ReportQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let params = query(params)?;
    let period_start = params.period_start.ok_or_else(|| {
        ApiError::invalid("period_start", "required", "the first day of the period")
    })?;
    let period_end = params
        .period_end
        .ok_or_else(|| ApiError::invalid("period_end", "required", "the last day of the period"))?;
    let format = params.format.as_deref().unwrap_or("json");
    if !["json", "csv", "html"].contains(&format) {
        return Err(ApiError::invalid(
            "format",
            "unknown_format",
            "json, csv or html",
        ));
    }
    // An office head reads their own office's rows only.
    let organisation = match acting.actor.acting_as {
        Some(grant) if grant.role == Role::OfficeHead => Some(grant.organisation),
        _ => params.organisation,
    };
    let report_params = projections::citizen_file::PerformanceParams {
        period_start,
        period_end,
        language: params.language.unwrap_or_default(),
        organisation,
    };
    let calendar =
        HolidayCalendar::tunisia().map_err(|e| ApiError::internal("legal calendar", &e))?;
    let (report, document) = projections::citizen_file::performance_report(
        &state.store.log(),
        &calendar,
        &report_params,
        None,
    )
    .await
    .map_err(|e| match e {
        ReportError::EmptyPeriod { .. } => {
            ApiError::invalid("period_end", "period_ends_before_it_starts", e.to_string())
        }
        other => ApiError::internal("performance report", &other),
    })?;
    let (body, content_type) = match format {
        "csv" => (
            document
                .to_csv()
                .map_err(|e| ApiError::internal("report as CSV", &e))?,
            "text/csv; charset=utf-8",
        ),
        "html" => (
            document
                .to_html()
                .map_err(|e| ApiError::internal("report as HTML", &e))?,
            "text/html; charset=utf-8",
        ),
        _ => return Ok(Json(report).into_response()),
    };
    let mut response = body.into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    Ok(response)
}

/// A signed answer with its document, as the verifier takes it.
#[derive(Debug, Serialize, ToSchema)]
pub struct SignedAnswerView {
    /// The document that was signed (`file`, `tracking_code`, `kind`, `author`, `answer`,
    /// `organisation`, `signatory`, `signed_at`).
    #[schema(value_type = Object)]
    pub document: citizen_file::AnswerDocument,
    /// Its signature (`algorithm`, `signature`, `certificate`, `document_hash`).
    #[schema(value_type = Object)]
    pub signature: citizen_file::AnswerSignature,
}

/// The file's signed answers, each with the exact document signed, to verify with
/// `POST /api/v1/verify` or offline (the auditor's `verify`).
#[utoipa::path(
    get, path = "/files/{id}/signed-answers", tag = "citizen-files",
    params(("id" = String, Path, description = "The file")),
    responses(
        (status = 200, description = "The answers, oldest first", body = Vec<SignedAnswerView>),
        (status = 401, body = Problem),
        (status = 403, description = "A follower: the answer is its author's", body = Problem),
        (status = 404, description = "Unknown, or not yours to read", body = Problem),
        (status = 409, description = "The author's data was erased (`personal_data_erased`)", body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn signed_answers(
    State(state): State<AppState>,
    acting: Acting,
    Path(id): Path<String>,
) -> Result<Json<Vec<SignedAnswerView>>, ApiError> {
    let (detail, reader) = readable(&state, &acting, &id).await?;
    if !reader.may_open(detail.author.subject) {
        return Err(ApiError::Forbidden {
            detail: "the answer is its author's".into(),
        });
    }
    let mut answers = Vec::with_capacity(detail.answers.len());
    for answer in &detail.answers {
        let text = match state.cipher.open(&answer.text).await {
            Ok(kernel::personal_data::Revealed::Clear(text)) => text,
            Ok(kernel::personal_data::Revealed::Erased) => {
                return Err(ApiError::Conflict {
                    code: "personal_data_erased".into(),
                    detail: "the author's data was erased: the answer is gone".into(),
                });
            }
            Err(error) => return Err(ApiError::internal("opening a signed answer", &error)),
        };
        answers.push(SignedAnswerView {
            document: detail.answer_document(answer, text),
            signature: answer.signature.clone(),
        });
    }
    Ok(Json(answers))
}
