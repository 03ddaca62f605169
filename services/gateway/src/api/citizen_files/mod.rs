//! Citizen files over HTTP (decree 2019-1242 art. 2, 4, 7-10): submission by a citizen and
//! registration by an office, the handling organisation's study (admission, requests for
//! information, referrals, extensions, the answer's draft and signature), the structures'
//! replies, the author's information, rating and contest, the follow-up of suggestions,
//! merging, and the queries: a citizen's own files, an organisation's inbox, monitoring,
//! the performance report, and tracking by code and secret without an account.
//!
//! # Who sees what
//!
//! The routing table admits roles; the rest is checked here or by the aggregate, and what
//! the caller may not know exists answers 404:
//!
//! - a citizen reads the files they wrote (and, without the author's personal data, those
//!   they follow after a merge) and acts on their own files only;
//! - agents of the handling organisation read the files it handles, a structure the files
//!   referred to it (even after it replied), auditors everything;
//! - personal data and free texts are sealed in the read models: they are opened here for
//!   whoever may read the file, and shown `{"status": "withheld"}` to a follower.
//!
//! # Tracking without an account
//!
//! Each receipt comes with a tracking code and a secret of 128 random bits, shown once
//! (ADR 0007).
//! Only the secret's SHA-256 is stored (`tracking_secrets`); a lookup compares digests in
//! constant time, and a wrong secret answers exactly like an unknown code (404), so codes
//! cannot be probed. The holder of both also acts as the author without an account
//! (information, rating, contest: `/tracking/...`), which is how someone whose file an
//! office registered follows it.

pub mod author;
pub mod handling;
pub mod intake;
mod problems;
pub mod queries;

use citizen_file::FileId;
use kernel::personal_data::{Sealed, SubjectId};
use kernel::{ActorKind, Role};
use projections::citizen_file::FileDetail;
use serde_json::Value;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::access::{Audience, RouteAccess, route};
use crate::auth::Acting;
use crate::error::ApiError;
use crate::startup::AppState;

/// The roles that study, route and answer files in their organisation (offices for
/// petitions and guidance requests, the Central Bureau for suggestions and notifications).
const HANDLERS: &[Role] = &[
    Role::OfficeAgent,
    Role::OfficeHead,
    Role::CentralBureauAgent,
];
/// The roles that act on a referral made to their structure.
const STRUCTURES: &[Role] = &[Role::StructureAgent];
/// Agents who may read files of their organisation, and auditors who read every file.
const READERS: &[Role] = &[
    Role::OfficeAgent,
    Role::OfficeHead,
    Role::Signatory,
    Role::StructureAgent,
    Role::CentralBureauAgent,
    Role::Auditor,
];
/// Agents with an inbox of files.
const INBOX_HOLDERS: &[Role] = &[
    Role::OfficeAgent,
    Role::OfficeHead,
    Role::Signatory,
    Role::StructureAgent,
    Role::CentralBureauAgent,
];
/// Who watches every organisation's compliance (art. 13) and audits it.
const MONITORS: &[Role] = &[Role::CentralBureauAgent, Role::Auditor];
/// Who reads the performance report (an office head, for their office only).
const REPORT_READERS: &[Role] = &[Role::CentralBureauAgent, Role::OfficeHead, Role::Auditor];
/// Who reports progress on an adopted suggestion (art. 9).
const PROGRESS_REPORTERS: &[Role] = &[Role::StructureAgent, Role::CentralBureauAgent];

/// Who may call this context's routes.
pub const ACCESS: &[RouteAccess] = &[
    route("POST", "/api/v1/files", Audience::Citizen),
    route("GET", "/api/v1/files", Audience::Citizen),
    route(
        "POST",
        "/api/v1/files/registrations",
        Audience::Roles(HANDLERS),
    ),
    route(
        "GET",
        "/api/v1/files/{id}",
        Audience::CitizenOrRoles(READERS),
    ),
    route(
        "GET",
        "/api/v1/files/{id}/timeline",
        Audience::CitizenOrRoles(READERS),
    ),
    route(
        "GET",
        "/api/v1/files/{id}/signed-answers",
        Audience::CitizenOrRoles(READERS),
    ),
    route("POST", "/api/v1/tracking", Audience::Anyone),
    route("POST", "/api/v1/tracking/information", Audience::Anyone),
    route("POST", "/api/v1/tracking/rating", Audience::Anyone),
    route("POST", "/api/v1/tracking/contest", Audience::Anyone),
    route(
        "POST",
        "/api/v1/files/{id}/more-time-notice",
        Audience::Roles(HANDLERS),
    ),
    route(
        "POST",
        "/api/v1/files/{id}/admission",
        Audience::Roles(HANDLERS),
    ),
    route(
        "POST",
        "/api/v1/files/{id}/inadmissibility",
        Audience::Roles(HANDLERS),
    ),
    route(
        "POST",
        "/api/v1/files/{id}/information-requests",
        Audience::Roles(HANDLERS),
    ),
    route("POST", "/api/v1/files/{id}/information", Audience::Citizen),
    route(
        "POST",
        "/api/v1/files/{id}/referrals",
        Audience::Roles(HANDLERS),
    ),
    route(
        "POST",
        "/api/v1/files/{id}/referrals/{referral}/acknowledgement",
        Audience::Roles(STRUCTURES),
    ),
    route(
        "POST",
        "/api/v1/files/{id}/referrals/{referral}/reply",
        Audience::Roles(STRUCTURES),
    ),
    route(
        "POST",
        "/api/v1/files/{id}/referrals/{referral}/return",
        Audience::Roles(STRUCTURES),
    ),
    route(
        "POST",
        "/api/v1/files/{id}/extensions",
        Audience::Roles(HANDLERS),
    ),
    route(
        "POST",
        "/api/v1/files/{id}/suggestion-decision",
        Audience::Roles(&[Role::CentralBureauAgent]),
    ),
    route(
        "POST",
        "/api/v1/files/{id}/answer-draft",
        Audience::Roles(HANDLERS),
    ),
    route(
        "POST",
        "/api/v1/files/{id}/answer-signature",
        Audience::Roles(&[Role::Signatory]),
    ),
    route("POST", "/api/v1/files/{id}/rating", Audience::Citizen),
    route("POST", "/api/v1/files/{id}/contest", Audience::Citizen),
    route(
        "POST",
        "/api/v1/files/{id}/implementation-progress",
        Audience::Roles(PROGRESS_REPORTERS),
    ),
    route(
        "POST",
        "/api/v1/files/{id}/implementation",
        Audience::Roles(&[Role::CentralBureauAgent]),
    ),
    route(
        "POST",
        "/api/v1/files/{id}/merge",
        Audience::Roles(HANDLERS),
    ),
    route("GET", "/api/v1/inbox", Audience::Roles(INBOX_HOLDERS)),
    route("GET", "/api/v1/monitoring", Audience::Roles(MONITORS)),
    route(
        "GET",
        "/api/v1/reports/performance",
        Audience::Roles(REPORT_READERS),
    ),
];

/// This context's routes, mounted under `/api/v1`.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(intake::submit, intake::my_files))
        .routes(routes!(intake::register))
        .routes(routes!(intake::track))
        .routes(routes!(queries::file))
        .routes(routes!(queries::timeline))
        .routes(routes!(queries::signed_answers))
        .routes(routes!(queries::inbox))
        .routes(routes!(queries::monitoring))
        .routes(routes!(queries::performance))
        .routes(routes!(handling::more_time_notice))
        .routes(routes!(handling::admit))
        .routes(routes!(handling::declare_inadmissible))
        .routes(routes!(handling::request_information))
        .routes(routes!(handling::refer))
        .routes(routes!(handling::acknowledge_referral))
        .routes(routes!(handling::reply_to_referral))
        .routes(routes!(handling::return_referral))
        .routes(routes!(handling::extend_deadline))
        .routes(routes!(handling::decide_on_suggestion))
        .routes(routes!(handling::draft_answer))
        .routes(routes!(handling::sign_answer))
        .routes(routes!(handling::report_progress))
        .routes(routes!(handling::record_implemented))
        .routes(routes!(handling::merge))
        .routes(routes!(author::provide_information))
        .routes(routes!(author::rate))
        .routes(routes!(author::contest))
        .routes(routes!(author::provide_information_by_code))
        .routes(routes!(author::rate_by_code))
        .routes(routes!(author::contest_by_code))
}

/// The file id of a path, or 404 (an id that cannot exist names nothing).
fn file_id(raw: &str) -> Result<FileId, ApiError> {
    raw.parse().map_err(|_| ApiError::NotFound)
}

/// The folded file, as the agents' page reads it.
async fn load(state: &AppState, file: FileId) -> Result<Option<FileDetail>, ApiError> {
    projections::citizen_file::file_detail(state.store.any_pool(), file)
        .await
        .map_err(|e| ApiError::internal("citizen file detail", &e))
}

/// How `acting` relates to a file it may read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Reader {
    /// Its author: sees their own personal data.
    Author(SubjectId),
    /// A citizen following it after a merge: sees its course, not its author's data.
    Follower,
    /// An agent of an organisation handling it or referred it, or an auditor: sees all.
    Agent,
}

impl Reader {
    /// Whether this reader may open a value sealed under `subject`.
    fn may_open(self, subject: SubjectId) -> bool {
        match self {
            Self::Author(own) => own == subject,
            Self::Follower => false,
            Self::Agent => true,
        }
    }
}

/// How `acting` may read `detail`, or `None` if it may not.
fn reader(acting: &Acting, detail: &FileDetail) -> Option<Reader> {
    let actor = &acting.actor;
    match actor.kind {
        ActorKind::Citizen => {
            if detail.author.account == Some(actor.id) {
                Some(Reader::Author(detail.author.subject))
            } else if detail.followers.iter().any(|f| f.account == Some(actor.id)) {
                Some(Reader::Follower)
            } else {
                None
            }
        }
        ActorKind::Agent => {
            let grant = actor.acting_as?;
            let handles = grant.organisation == detail.handled_by
                && READERS.contains(&grant.role)
                && grant.role != Role::StructureAgent;
            let referred = grant.role == Role::StructureAgent
                && detail.referrals.iter().any(|r| r.to == grant.organisation);
            (grant.role == Role::Auditor || handles || referred).then_some(Reader::Agent)
        }
        ActorKind::System => None,
    }
}

/// The file `raw` with how `acting` reads it; 404 if unknown or not theirs to read.
async fn readable(
    state: &AppState,
    acting: &Acting,
    raw: &str,
) -> Result<(FileDetail, Reader), ApiError> {
    let file = file_id(raw)?;
    if let Some(found) = read_as(state, acting, file).await? {
        return Ok(found);
    }
    // The read model follows the log a moment behind: a file submitted or referred an
    // instant ago may not be in it yet. Bring it up to date once before saying 404 (safe
    // beside the projection's own runner: each batch locks the checkpoint).
    state
        .runner
        .catch_up(projections::citizen_file::FilesProjection::NAME)
        .await
        .map_err(|e| ApiError::internal("catching up the citizen-file read model", &e))?;
    read_as(state, acting, file)
        .await?
        .ok_or(ApiError::NotFound)
}

/// The file and how `acting` reads it, as the read model has it now.
async fn read_as(
    state: &AppState,
    acting: &Acting,
    file: FileId,
) -> Result<Option<(FileDetail, Reader)>, ApiError> {
    Ok(load(state, file)
        .await?
        .and_then(|detail| reader(acting, &detail).map(|reader| (detail, reader))))
}

/// Whether `acting` may read citizen file `file` (its author or a follower, the
/// organisation handling it, the structures it was referred to, auditors): attachments
/// linked to the file are served to them.
pub async fn can_read_file(
    state: &AppState,
    acting: &Acting,
    file: &str,
) -> Result<bool, ApiError> {
    let Ok(id) = file.parse::<FileId>() else {
        return Ok(false);
    };
    Ok(load(state, id)
        .await?
        .is_some_and(|detail| reader(acting, &detail).is_some()))
}

/// Whether `value` is a sealed envelope (`{"subject", "nonce", "ciphertext"}`).
fn is_sealed(value: &Value) -> bool {
    value.as_object().is_some_and(|o| {
        o.len() == 3
            && o.contains_key("subject")
            && o.contains_key("nonce")
            && o.contains_key("ciphertext")
    })
}

fn collect_sealed<'a>(value: &'a Value, found: &mut Vec<&'a Value>) {
    if is_sealed(value) {
        found.push(value);
        return;
    }
    match value {
        Value::Array(items) => items.iter().for_each(|v| collect_sealed(v, found)),
        Value::Object(map) => map.values().for_each(|v| collect_sealed(v, found)),
        _ => {}
    }
}

fn replace_sealed(value: &mut Value, opened: &mut std::vec::IntoIter<Value>) {
    if is_sealed(value) {
        if let Some(next) = opened.next() {
            *value = next;
        }
        return;
    }
    match value {
        Value::Array(items) => items.iter_mut().for_each(|v| replace_sealed(v, opened)),
        Value::Object(map) => map.values_mut().for_each(|v| replace_sealed(v, opened)),
        _ => {}
    }
}

/// `value` serialized, with every sealed value `reader` may open replaced by
/// `{"status": "clear", "value": ...}` (or `"erased"`), the others by
/// `{"status": "withheld"}`.
async fn reveal<T: serde::Serialize>(
    state: &AppState,
    value: &T,
    reader: Reader,
) -> Result<Value, ApiError> {
    let mut json =
        serde_json::to_value(value).map_err(|e| ApiError::internal("serializing a file", &e))?;
    let mut found = Vec::new();
    collect_sealed(&json, &mut found);
    let mut opened = Vec::with_capacity(found.len());
    for sealed in found {
        let sealed: Sealed<Value> = serde_json::from_value(sealed.clone())
            .map_err(|e| ApiError::internal("reading a sealed value", &e))?;
        if reader.may_open(sealed.subject()) {
            let revealed = state
                .cipher
                .open(&sealed)
                .await
                .map_err(|e| ApiError::internal("opening a sealed value", &e))?;
            opened.push(
                serde_json::to_value(revealed)
                    .map_err(|e| ApiError::internal("serializing an opened value", &e))?,
            );
        } else {
            opened.push(serde_json::json!({"status": "withheld"}));
        }
    }
    replace_sealed(&mut json, &mut opened.into_iter());
    Ok(json)
}
