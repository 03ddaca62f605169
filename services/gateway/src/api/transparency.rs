//! Verifying over HTTP what the platform signed (ADR 0008), open to anyone:
//!
//! - a signed answer (`/verify`): whoever holds an answer's document and signature (from
//!   the file's timeline) learns whether the signature holds, under which certificate, and
//!   if not, why;
//! - the log (`/log/...`): the published signed tree heads, the log's public key, the proof
//!   that an event is in a head's tree, and the proof that a head extends an earlier one,
//!   so that an auditor who kept an old head detects any rewriting of history before it.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use citizen_file::{AnswerDocument, AnswerSignature};
use serde::{Deserialize, Serialize};
use signing::transparency::{TransparencyError, heads, latest_head};
use signing::{ConsistencyProof, InclusionProof, NodeHash, SignedTreeHead, VerificationError};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::access::{Audience, RouteAccess, route};
use super::json::ApiJson;
use super::paging::{PageQuery, query};
use crate::error::{ApiError, Problem};
use crate::startup::AppState;

/// Who may call these routes: anyone.
pub const ACCESS: &[RouteAccess] = &[
    route("POST", "/api/v1/verify", Audience::Anyone),
    route("GET", "/api/v1/verify", Audience::Anyone),
    route("GET", "/api/v1/log/public-key", Audience::Anyone),
    route("GET", "/api/v1/log/tree-heads", Audience::Anyone),
    route("GET", "/api/v1/log/tree-heads/latest", Audience::Anyone),
    route("GET", "/api/v1/log/proofs/inclusion", Audience::Anyone),
    route("GET", "/api/v1/log/proofs/consistency", Audience::Anyone),
];

/// These routes, mounted under `/api/v1`.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(verify, verify_encoded))
        .routes(routes!(public_key))
        .routes(routes!(tree_heads))
        .routes(routes!(latest_tree_head))
        .routes(routes!(inclusion_proof))
        .routes(routes!(consistency_proof))
}

/// A signed answer as its holder has it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignedAnswer {
    /// The answer document (`file`, `tracking_code`, `kind`, `author`, `answer`,
    /// `organisation`, `signatory`, `signed_at`).
    #[schema(value_type = Object)]
    pub document: AnswerDocument,
    /// Its signature (`algorithm`, `signature`, `certificate`, `document_hash`).
    #[schema(value_type = Object)]
    pub signature: AnswerSignature,
}

/// The certificate an answer was signed under.
#[derive(Debug, Serialize, ToSchema)]
pub struct CertificateView {
    /// The signatory (actor id).
    pub signatory: String,
    /// Serial number, hexadecimal.
    pub serial: String,
    /// The issuing authority.
    pub issuer: String,
    /// Validity start.
    pub not_before: chrono::DateTime<chrono::Utc>,
    /// Validity end.
    pub not_after: chrono::DateTime<chrono::Utc>,
}

/// Whether a signature holds.
#[derive(Debug, Serialize, ToSchema)]
pub struct VerificationView {
    /// The signature holds: the document is the one signed, by a certificate of a trusted
    /// authority valid and unrevoked when it was signed.
    pub valid: bool,
    /// SHA-256 of the canonical document, when it could be computed.
    pub document_hash: Option<String>,
    /// The certificate, when the signature holds.
    pub certificate: Option<CertificateView>,
    /// Why not, when it does not (`document_changed`, `bad_signature`,
    /// `certificate_rejected`...).
    pub reason: Option<String>,
    /// The reason in words.
    pub detail: Option<String>,
}

fn reason_code(error: &VerificationError) -> &'static str {
    match error {
        VerificationError::Canonical(_) => "not_canonicalizable",
        VerificationError::HashMismatch { .. } => "document_changed",
        VerificationError::UnsupportedAlgorithm(_) => "unsupported_algorithm",
        VerificationError::MalformedCertificate => "malformed_certificate",
        VerificationError::AlgorithmMismatch { .. } => "algorithm_mismatch",
        VerificationError::MalformedSignature => "malformed_signature",
        VerificationError::BadSignature => "bad_signature",
        VerificationError::Certificate(_) => "certificate_rejected",
    }
}

fn check(state: &AppState, answer: &SignedAnswer) -> Result<VerificationView, ApiError> {
    let Some(keystore) = &state.keystore else {
        return Err(ApiError::SigningUnavailable);
    };
    let unavailable = |e: signing::KeystoreError| {
        tracing::error!(error = %e, "reading the signing keystore");
        ApiError::SigningUnavailable
    };
    let trust = keystore.trust_anchors().map_err(unavailable)?;
    let revocations = keystore.revocation_list().map_err(unavailable)?;
    let hash = signing::document_hash(&answer.document).ok();
    Ok(
        match signing::verify_answer(
            &answer.document,
            &answer.signature,
            &trust,
            Some(&revocations),
        ) {
            Ok(verified) => VerificationView {
                valid: true,
                document_hash: Some(verified.document_hash),
                certificate: Some(CertificateView {
                    signatory: verified.certificate.signatory.to_string(),
                    serial: verified.certificate.serial,
                    issuer: verified.certificate.issuer,
                    not_before: verified.certificate.not_before,
                    not_after: verified.certificate.not_after,
                }),
                reason: None,
                detail: None,
            },
            Err(error) => VerificationView {
                valid: false,
                document_hash: hash,
                certificate: None,
                reason: Some(reason_code(&error).to_owned()),
                detail: Some(error.to_string()),
            },
        },
    )
}

/// Verifies a signed answer.
#[utoipa::path(
    post, path = "/verify", tag = "signatures",
    request_body = SignedAnswer,
    responses(
        (status = 200, description = "Whether the signature holds, and why not", body = VerificationView),
        (status = 400, body = Problem), (status = 422, body = Problem),
        (status = 503, description = "No certification authority is configured", body = Problem),
    )
)]
pub async fn verify(
    State(state): State<AppState>,
    ApiJson(answer): ApiJson<SignedAnswer>,
) -> Result<Json<VerificationView>, ApiError> {
    Ok(Json(check(&state, &answer)?))
}

/// A signed answer in a link.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EncodedAnswer {
    /// `{"document": ..., "signature": ...}` as JSON, base64url without padding (what a QR
    /// code on a printed answer carries).
    pub answer: String,
}

/// Verifies a signed answer given in the query string.
#[utoipa::path(
    get, path = "/verify", tag = "signatures",
    params(EncodedAnswer),
    responses(
        (status = 200, description = "Whether the signature holds, and why not", body = VerificationView),
        (status = 422, description = "`answer` is not a base64url signed answer", body = Problem),
        (status = 503, description = "No certification authority is configured", body = Problem),
    )
)]
pub async fn verify_encoded(
    State(state): State<AppState>,
    params: Result<Query<EncodedAnswer>, QueryRejection>,
) -> Result<Json<VerificationView>, ApiError> {
    let params = query(params)?;
    let bytes = URL_SAFE_NO_PAD
        .decode(params.answer.trim_end_matches('='))
        .map_err(|_| ApiError::invalid("answer", "not_base64url", "answer must be base64url"))?;
    let answer: SignedAnswer = serde_json::from_slice(&bytes)
        .map_err(|e| ApiError::invalid("answer", "not_a_signed_answer", e.to_string()))?;
    Ok(Json(check(&state, &answer)?))
}

/// The log's public key.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicKeyView {
    /// SHA-256 of the key's SubjectPublicKeyInfo, as heads name it.
    pub key_id: String,
    /// The Ed25519 public key, PEM.
    pub public_key_pem: String,
}

fn log_error(error: TransparencyError) -> ApiError {
    match error {
        TransparencyError::UnknownPosition(_) => ApiError::NotFound,
        TransparencyError::Proof(e) => {
            ApiError::invalid("tree_size", "out_of_range", e.to_string())
        }
        other => ApiError::internal("the log's Merkle tree", &other),
    }
}

/// The key that signs tree heads.
#[utoipa::path(
    get, path = "/log/public-key", tag = "signatures",
    responses(
        (status = 200, body = PublicKeyView),
        (status = 404, description = "No log key is configured: no heads are signed", body = Problem),
    )
)]
pub async fn public_key(State(state): State<AppState>) -> Result<Json<PublicKeyView>, ApiError> {
    // Without a configured key no head is signed: there is no key to publish.
    let key = state.transparency.public_key().ok_or(ApiError::NotFound)?;
    Ok(Json(PublicKeyView {
        key_id: key.key_id(),
        public_key_pem: key
            .to_public_key_pem()
            .map_err(|e| ApiError::internal("encoding the log key", &e))?,
    }))
}

/// Published heads.
#[derive(Debug, Serialize, ToSchema)]
pub struct TreeHeadsView {
    /// `{tree_size, root_hash, timestamp, key_id, signature}`, the largest first.
    #[schema(value_type = Vec<Object>)]
    pub items: Vec<SignedTreeHead>,
}

/// The published signed tree heads, the most recent first.
#[utoipa::path(
    get, path = "/log/tree-heads", tag = "signatures",
    params(PageQuery),
    responses((status = 200, body = TreeHeadsView), (status = 422, body = Problem))
)]
pub async fn tree_heads(
    State(state): State<AppState>,
    page: Result<Query<PageQuery>, QueryRejection>,
) -> Result<Json<TreeHeadsView>, ApiError> {
    let page = query(page)?.page();
    let items = heads(state.store.any_pool(), page.limit, page.offset)
        .await
        .map_err(log_error)?;
    Ok(Json(TreeHeadsView { items }))
}

/// The most recent signed tree head.
#[utoipa::path(
    get, path = "/log/tree-heads/latest", tag = "signatures",
    responses(
        (status = 200, description = "`{tree_size, root_hash, timestamp, key_id, signature}`", body = Object),
        (status = 404, description = "None published yet", body = Problem),
    )
)]
pub async fn latest_tree_head(
    State(state): State<AppState>,
) -> Result<Json<SignedTreeHead>, ApiError> {
    latest_head(state.store.any_pool())
        .await
        .map_err(log_error)?
        .map(Json)
        .ok_or(ApiError::NotFound)
}

/// Which event, in which tree.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InclusionQuery {
    /// The event's global position.
    pub position: i64,
    /// The size of a published head.
    pub tree_size: u64,
}

/// The proof that an event is in a tree.
#[derive(Debug, Serialize, ToSchema)]
pub struct InclusionView {
    /// The event's leaf hash: SHA-256(0x00 || position (8 bytes, big-endian) || chain hash).
    #[schema(value_type = String)]
    pub leaf_hash: NodeHash,
    /// The RFC 9162 proof (`leaf_index`, `tree_size`, `path`).
    #[schema(value_type = Object)]
    pub proof: InclusionProof,
}

/// Proves that the event at `position` is in the tree of `tree_size` events.
#[utoipa::path(
    get, path = "/log/proofs/inclusion", tag = "signatures",
    params(InclusionQuery),
    responses(
        (status = 200, body = InclusionView),
        (status = 404, description = "No such event", body = Problem),
        (status = 422, description = "The tree is smaller than asked, or the event is not in it", body = Problem),
    )
)]
pub async fn inclusion_proof(
    State(state): State<AppState>,
    params: Result<Query<InclusionQuery>, QueryRejection>,
) -> Result<Json<InclusionView>, ApiError> {
    let params = query(params)?;
    let tree = state.transparency.tree().await.map_err(log_error)?;
    let (leaf_hash, proof) = tree
        .inclusion_proof(params.position, params.tree_size)
        .map_err(log_error)?;
    Ok(Json(InclusionView { leaf_hash, proof }))
}

/// Two tree sizes.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ConsistencyQuery {
    /// The earlier head's size.
    pub first: u64,
    /// The later head's size.
    pub second: u64,
}

/// Proves that the tree of `first` events is a prefix of the tree of `second` events.
#[utoipa::path(
    get, path = "/log/proofs/consistency", tag = "signatures",
    params(ConsistencyQuery),
    responses(
        (status = 200, description = "The RFC 9162 proof (`first_size`, `second_size`, `path`)", body = Object),
        (status = 422, description = "Sizes out of order or beyond the log", body = Problem),
    )
)]
pub async fn consistency_proof(
    State(state): State<AppState>,
    params: Result<Query<ConsistencyQuery>, QueryRejection>,
) -> Result<Json<ConsistencyProof>, ApiError> {
    let params = query(params)?;
    let tree = state.transparency.tree().await.map_err(log_error)?;
    Ok(Json(
        tree.consistency_proof(params.first, params.second)
            .map_err(log_error)?,
    ))
}
