//! Open311 GeoReport v2 (<http://wiki.open311.org/GeoReport_v2>) for notifications of
//! hazards (decree 2019-1242 art. 10), mounted at `/open311/v2`, so that existing Open311
//! apps and libraries can file and follow them.
//!
//! The specification is followed to the letter where it speaks: every document in JSON or
//! XML by its extension (`services.json`, `requests/<id>.xml`), `POST requests` as a form,
//! errors as its `errors` document (not RFC 9457) with the HTTP status. Where it leaves a
//! choice, this is what the platform chose:
//!
//! - **One service**, `notification`, whose definition has one required attribute,
//!   `urgency` (`low`, `normal`, `high`, `life_threatening`); the Central Bureau handles
//!   every notification.
//! - **`api_key` is the citizen's access token** (a session token from
//!   `/api/v1/auth/...`): a notification has an author the administration answers, and the
//!   file is theirs to follow under `/api/v1/files`. An app files on behalf of its signed-in
//!   user; there are no anonymous app keys.
//! - **`service_request_id` is the tracking code** printed on the receipt.
//! - **Public reading shows no personal data**: `GET requests` gives each notification's
//!   status, urgency, dates and agency, never its description, address, position or
//!   author, which are sealed under the author's key (law 2004-63).
//! - **`media_url`** must name an attachment uploaded to this platform
//!   (`.../api/v1/attachments/<sha256>`); the gateway fetches nothing from elsewhere.
//! - `GET requests` returns at most 200 notifications, the most recent first, over the
//!   last 90 days unless dates are given.

use axum::Form;
use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use citizen_file::{
    AttachmentRef, AuthorDetails, FileKind, FileStatus, Location, PersonKind, Urgency,
};
use kernel::tracking::TrackingCode;
use kernel::{AccessChannel, ActorKind, Directory, OrganisationKind};
use projections::citizen_file::{FileSummary, NotificationFilter};
use projections::query::Page;
use serde::Serialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::access::{Audience, RouteAccess, route};
use super::citizen_files::intake::{FileBody, receive};
use crate::auth::principal::RequestContext;
use crate::auth::{Acting, Principal};
use crate::error::ApiError;
use crate::startup::AppState;

/// Who may call this context's routes: anyone (`POST requests` authenticates its
/// `api_key` itself, the specification carrying it in the form).
pub const ACCESS: &[RouteAccess] = &[
    route("GET", "/open311/v2/{document}", Audience::Anyone),
    route("POST", "/open311/v2/{document}", Audience::Anyone),
    route("GET", "/open311/v2/services/{document}", Audience::Anyone),
    route("GET", "/open311/v2/requests/{document}", Audience::Anyone),
];

/// This context's routes, mounted under `/open311/v2`. The specification names documents
/// `name.format`; axum routes whole segments, so each route takes the segment and splits it.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(document, create))
        .routes(routes!(service_definition))
        .routes(routes!(service_request))
}

/// The one service.
const SERVICE_CODE: &str = "notification";
/// How far back `GET requests` looks without dates (the specification's suggestion).
const DEFAULT_WINDOW_DAYS: i64 = 90;
/// The most requests one `GET requests` returns.
const MAX_REQUESTS: u32 = 200;

/// The representation a document is asked in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Json,
    Xml,
}

/// `name.json` or `name.xml`: the name and the format.
fn split(document: &str) -> Option<(&str, Format)> {
    let (name, extension) = document.rsplit_once('.')?;
    let format = match extension {
        "json" => Format::Json,
        "xml" => Format::Xml,
        _ => return None,
    };
    (!name.is_empty()).then_some((name, format))
}

/// An Open311 error: its HTTP status and description.
#[derive(Debug)]
struct Open311Error {
    status: StatusCode,
    description: String,
}

impl Open311Error {
    fn new(status: StatusCode, description: impl Into<String>) -> Self {
        Self {
            status,
            description: description.into(),
        }
    }

    fn bad_request(description: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, description)
    }

    fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "no such document")
    }

    /// The specification's error document in `format`.
    fn into_response(self, format: Format) -> Response {
        #[derive(Serialize)]
        struct Error<'a> {
            code: u16,
            description: &'a str,
        }
        #[derive(Serialize)]
        struct Errors<'a> {
            error: [Error<'a>; 1],
        }
        let error = Error {
            code: self.status.as_u16(),
            description: &self.description,
        };
        let mut response = match format {
            Format::Json => render(Format::Json, "errors", &[error]),
            Format::Xml => render(Format::Xml, "errors", &Errors { error: [error] }),
        };
        *response.status_mut() = self.status;
        response
    }
}

impl From<ApiError> for Open311Error {
    fn from(error: ApiError) -> Self {
        // The problem's detail is safe to show: internal errors carry none.
        let status = error.status();
        let description = match &error {
            ApiError::Validation { field, detail, .. } => match field {
                Some(field) => format!("{field}: {detail}"),
                None => detail.clone(),
            },
            ApiError::Internal => "internal error".to_owned(),
            other => other.to_string(),
        };
        Self::new(status, description)
    }
}

/// `value` as `format`, under element `root` in XML.
fn render<T: Serialize>(format: Format, root: &str, value: &T) -> Response {
    let (body, content_type) = match format {
        Format::Json => (
            serde_json::to_string(value),
            "application/json; charset=utf-8",
        ),
        Format::Xml => (
            quick_xml::se::to_string_with_root(root, value)
                .map(|xml| format!("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n{xml}"))
                .map_err(|e| serde::ser::Error::custom(e.to_string())),
            "text/xml; charset=utf-8",
        ),
    };
    match body {
        Ok(body) => {
            let mut response = body.into_response();
            response
                .headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
            response
        }
        Err(error) => {
            tracing::error!(%error, root, "rendering an Open311 document");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }
    }
}

/// The answer to `result` in `format`.
fn respond(format: Format, result: Result<Response, Open311Error>) -> Response {
    result.unwrap_or_else(|error| error.into_response(format))
}

fn timestamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Reads `discovery`, `services` or `requests` (the list) in JSON or XML.
#[utoipa::path(
    get, path = "/{document}", tag = "open311",
    params(
        ("document" = String, Path, description = "`discovery.json`, `services.json`, `requests.json` (or `.xml`)"),
        ("service_request_id" = Option<String>, Query, description = "`requests`: tracking codes, comma-separated (the other filters are then ignored)"),
        ("service_code" = Option<String>, Query, description = "`requests`: `notification`"),
        ("start_date" = Option<String>, Query, description = "`requests`: received at or after (ISO 8601)"),
        ("end_date" = Option<String>, Query, description = "`requests`: received at or before (ISO 8601)"),
        ("status" = Option<String>, Query, description = "`requests`: `open` or `closed`, comma-separated"),
    ),
    responses(
        (status = 200, description = "The document", content((String = "application/json"), (String = "text/xml"))),
        (status = 400, description = "A parameter cannot be read (Open311 `errors`)"),
        (status = 404, description = "No such document (Open311 `errors`)"),
    )
)]
pub async fn document(
    State(state): State<AppState>,
    Path(document): Path<String>,
    params: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Response {
    let Some((name, format)) = split(&document) else {
        return Open311Error::not_found().into_response(Format::Json);
    };
    let result = match name {
        "discovery" => Ok(discovery(&state, format)),
        "services" => Ok(services(format)),
        "requests" => match params {
            Ok(Query(params)) => requests(&state, format, &params).await,
            Err(rejection) => Err(Open311Error::bad_request(rejection.body_text())),
        },
        _ => Err(Open311Error::not_found()),
    };
    respond(format, result)
}

fn discovery(state: &AppState, format: Format) -> Response {
    #[derive(Serialize)]
    struct Formats {
        format: [&'static str; 2],
    }
    #[derive(Serialize)]
    struct Endpoint {
        specification: &'static str,
        url: String,
        changeset: &'static str,
        #[serde(rename = "type")]
        kind: &'static str,
        formats: Formats,
    }
    #[derive(Serialize)]
    struct Endpoints {
        endpoint: [Endpoint; 1],
    }
    #[derive(Serialize)]
    struct Discovery<'a> {
        changeset: &'static str,
        contact: &'static str,
        key_service: String,
        endpoints: &'a Endpoints,
    }
    #[derive(Serialize)]
    struct JsonEndpoint<'a> {
        specification: &'static str,
        url: &'a str,
        changeset: &'static str,
        #[serde(rename = "type")]
        kind: &'static str,
        formats: &'a [&'static str; 2],
    }
    #[derive(Serialize)]
    struct JsonDiscovery<'a> {
        changeset: &'static str,
        contact: &'static str,
        key_service: &'a str,
        endpoints: [JsonEndpoint<'a>; 1],
    }
    // The date this interface last changed.
    const CHANGESET: &str = "2026-11-22T00:00:00Z";
    const CONTACT: &str = "Bureau central des relations avec le citoyen";
    let base = state.public_url.trim_end_matches('/');
    let url = format!("{base}/open311/v2");
    let key_service = format!("{base}/api/v1/docs");
    let formats = ["application/json", "text/xml"];
    match format {
        Format::Json => render(
            format,
            "discovery",
            &JsonDiscovery {
                changeset: CHANGESET,
                contact: CONTACT,
                key_service: &key_service,
                endpoints: [JsonEndpoint {
                    specification: "http://wiki.open311.org/GeoReport_v2",
                    url: &url,
                    changeset: CHANGESET,
                    kind: "production",
                    formats: &formats,
                }],
            },
        ),
        Format::Xml => render(
            format,
            "discovery",
            &Discovery {
                changeset: CHANGESET,
                contact: CONTACT,
                key_service,
                endpoints: &Endpoints {
                    endpoint: [Endpoint {
                        specification: "http://wiki.open311.org/GeoReport_v2",
                        url,
                        changeset: CHANGESET,
                        kind: "production",
                        formats: Formats { format: formats },
                    }],
                },
            },
        ),
    }
}

/// The one service, as `services` lists it.
#[derive(Serialize)]
struct Service {
    service_code: &'static str,
    service_name: &'static str,
    description: &'static str,
    metadata: bool,
    #[serde(rename = "type")]
    kind: &'static str,
    keywords: &'static str,
    group: &'static str,
}

const SERVICE: Service = Service {
    service_code: SERVICE_CODE,
    service_name: "Signalement d'un danger / إشعار بخطر",
    description: "A hazard or a harm to public property or safety, handled by the Central \
                  Citizen Relations Bureau (decree 2019-1242 art. 10).",
    metadata: true,
    kind: "realtime",
    keywords: "hazard, danger, notification, إشعار, signalement",
    group: "citizen-relations",
};

fn services(format: Format) -> Response {
    #[derive(Serialize)]
    struct Services<'a> {
        service: [&'a Service; 1],
    }
    match format {
        Format::Json => render(format, "services", &[&SERVICE]),
        Format::Xml => render(
            format,
            "services",
            &Services {
                service: [&SERVICE],
            },
        ),
    }
}

/// Reads a service's definition: its attributes.
#[utoipa::path(
    get, path = "/services/{document}", tag = "open311",
    params(("document" = String, Path, description = "`notification.json` or `notification.xml`")),
    responses(
        (status = 200, description = "The definition", content((String = "application/json"), (String = "text/xml"))),
        (status = 404, description = "No such service (Open311 `errors`)"),
    )
)]
pub async fn service_definition(Path(document): Path<String>) -> Response {
    let Some((code, format)) = split(&document) else {
        return Open311Error::not_found().into_response(Format::Json);
    };
    if code != SERVICE_CODE {
        return Open311Error::new(StatusCode::NOT_FOUND, "no such service_code")
            .into_response(format);
    }
    #[derive(Serialize)]
    struct Value {
        key: &'static str,
        name: &'static str,
    }
    #[derive(Serialize)]
    struct Values<'a> {
        value: &'a [Value],
    }
    #[derive(Serialize)]
    struct Attribute<V> {
        variable: bool,
        code: &'static str,
        datatype: &'static str,
        required: bool,
        datatype_description: &'static str,
        order: u32,
        description: &'static str,
        values: V,
    }
    #[derive(Serialize)]
    struct Attributes<'a> {
        attribute: [Attribute<Values<'a>>; 1],
    }
    #[derive(Serialize)]
    struct Definition<A> {
        service_code: &'static str,
        attributes: A,
    }
    const URGENCIES: [Value; 4] = [
        Value {
            key: "low",
            name: "No harm grows by waiting / لا ضرر في الانتظار",
        },
        Value {
            key: "normal",
            name: "Usual / عادي",
        },
        Value {
            key: "high",
            name: "Harm grows by the day / الضرر يتفاقم",
        },
        Value {
            key: "life_threatening",
            name: "Immediate danger to people / خطر داهم على الأشخاص",
        },
    ];
    fn urgency<V>(values: V) -> Attribute<V> {
        Attribute {
            variable: true,
            code: "urgency",
            datatype: "singlevaluelist",
            required: true,
            datatype_description: "",
            order: 1,
            description: "How urgent is it?",
            values,
        }
    }
    match format {
        Format::Json => render(
            format,
            "service_definition",
            &Definition {
                service_code: SERVICE_CODE,
                attributes: [urgency(&URGENCIES)],
            },
        ),
        Format::Xml => render(
            format,
            "service_definition",
            &Definition {
                service_code: SERVICE_CODE,
                attributes: Attributes {
                    attribute: [urgency(Values { value: &URGENCIES })],
                },
            },
        ),
    }
}

/// A notification as Open311 shows it, without personal data.
#[derive(Serialize)]
struct RequestView {
    service_request_id: String,
    status: &'static str,
    status_notes: String,
    service_name: &'static str,
    service_code: &'static str,
    agency_responsible: String,
    service_notice: String,
    requested_datetime: String,
    updated_datetime: String,
    expected_datetime: Option<String>,
}

/// `open` until the signed answer, then `closed`.
fn is_closed(status: FileStatus) -> bool {
    matches!(
        status,
        FileStatus::Answered | FileStatus::Closed(_) | FileStatus::Merged(_)
    )
}

fn status_name(status: FileStatus) -> String {
    match serde_json::to_value(status) {
        Ok(serde_json::Value::String(name)) => name,
        Ok(serde_json::Value::Object(object)) => object.keys().cloned().collect(),
        _ => String::new(),
    }
}

fn request_view(state: &AppState, file: &FileSummary) -> RequestView {
    let urgency = file
        .urgency
        .and_then(|u| serde_json::to_value(u).ok())
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    RequestView {
        service_request_id: file.tracking_code.to_string(),
        status: if is_closed(file.status) {
            "closed"
        } else {
            "open"
        },
        status_notes: status_name(file.status),
        service_name: SERVICE.service_name,
        service_code: SERVICE_CODE,
        agency_responsible: state
            .directory
            .organisation(file.handled_by)
            .map(|o| o.name.fr)
            .unwrap_or_default(),
        service_notice: format!("urgency: {urgency}"),
        requested_datetime: timestamp(file.received_at),
        updated_datetime: timestamp(file.updated_at),
        expected_datetime: file.reply_due_at.map(timestamp),
    }
}

fn render_requests(format: Format, requests: &[RequestView]) -> Response {
    #[derive(Serialize)]
    struct ServiceRequests<'a> {
        request: &'a [RequestView],
    }
    match format {
        Format::Json => render(format, "service_requests", &requests),
        Format::Xml => render(
            format,
            "service_requests",
            &ServiceRequests { request: requests },
        ),
    }
}

fn date_param(name: &str, value: &str) -> Result<DateTime<Utc>, Open311Error> {
    DateTime::parse_from_rfc3339(value)
        .map(|d| d.with_timezone(&Utc))
        .map_err(|_| Open311Error::bad_request(format!("{name} must be an ISO 8601 date-time")))
}

fn codes_param(value: &str) -> Result<Vec<TrackingCode>, Open311Error> {
    value
        .split(',')
        .map(|code| {
            code.trim()
                .parse::<TrackingCode>()
                .map_err(|e| Open311Error::bad_request(format!("service_request_id {code:?}: {e}")))
        })
        .collect()
}

/// The filter `GET requests` asks for.
fn request_filter(
    params: &[(String, String)],
    now: DateTime<Utc>,
) -> Result<Option<NotificationFilter>, Open311Error> {
    let mut filter = NotificationFilter::default();
    let (mut from, mut to) = (None, None);
    for (name, value) in params {
        match name.as_str() {
            "service_request_id" => filter.codes = Some(codes_param(value)?),
            "service_code" => {
                if value.split(',').all(|c| c.trim() != SERVICE_CODE) {
                    return Ok(None);
                }
            }
            "start_date" => from = Some(date_param(name, value)?),
            "end_date" => to = Some(date_param(name, value)?),
            "status" => {
                let (mut open, mut closed) = (false, false);
                for status in value.split(',') {
                    match status.trim() {
                        "open" => open = true,
                        "closed" => closed = true,
                        other => {
                            return Err(Open311Error::bad_request(format!(
                                "status {other:?}: open or closed"
                            )));
                        }
                    }
                }
                filter.open = (open != closed).then_some(open);
            }
            // Parameters the specification allows and a single jurisdiction ignores.
            "jurisdiction_id" | "api_key" => {}
            other => {
                return Err(Open311Error::bad_request(format!(
                    "unknown parameter {other:?}"
                )));
            }
        }
    }
    if filter.codes.is_some() {
        // Asked by identifier: the other filters do not apply (the specification).
        filter.open = None;
        return Ok(Some(filter));
    }
    let to = to.unwrap_or(now);
    filter.received_to = Some(to);
    filter.received_from = Some(from.unwrap_or(to - Duration::days(DEFAULT_WINDOW_DAYS)));
    Ok(Some(filter))
}

async fn requests(
    state: &AppState,
    format: Format,
    params: &[(String, String)],
) -> Result<Response, Open311Error> {
    let Some(filter) = request_filter(params, state.clock.now())? else {
        return Ok(render_requests(format, &[]));
    };
    let page = Page {
        limit: MAX_REQUESTS,
        offset: 0,
    };
    let rows = projections::citizen_file::notifications(state.store.any_pool(), &filter, page)
        .await
        .map_err(|e| ApiError::internal("Open311 requests", &e))?;
    let views: Vec<RequestView> = rows.items.iter().map(|f| request_view(state, f)).collect();
    Ok(render_requests(format, &views))
}

/// Reads one request by its identifier (the tracking code).
#[utoipa::path(
    get, path = "/requests/{document}", tag = "open311",
    params(("document" = String, Path, description = "`<service_request_id>.json` or `.xml`")),
    responses(
        (status = 200, description = "`service_requests` with the one request", content((String = "application/json"), (String = "text/xml"))),
        (status = 404, description = "No such request (Open311 `errors`)"),
    )
)]
pub async fn service_request(
    State(state): State<AppState>,
    Path(document): Path<String>,
) -> Response {
    let Some((id, format)) = split(&document) else {
        return Open311Error::not_found().into_response(Format::Json);
    };
    let result = async {
        let code: TrackingCode = id
            .parse()
            .map_err(|_| Open311Error::new(StatusCode::NOT_FOUND, "no such service_request_id"))?;
        let file = projections::citizen_file::file_by_tracking_code(state.store.any_pool(), &code)
            .await
            .map_err(|e| ApiError::internal("Open311 request", &e))?
            .filter(|f| f.kind == FileKind::Notification)
            .ok_or_else(|| {
                Open311Error::new(StatusCode::NOT_FOUND, "no such service_request_id")
            })?;
        Ok(render_requests(format, &[request_view(&state, &file)]))
    }
    .await;
    respond(format, result)
}

/// What `POST requests` carries, read from its form.
#[derive(Debug, Default)]
struct NewRequest {
    api_key: Option<String>,
    service_code: Option<String>,
    urgency: Option<String>,
    lat: Option<String>,
    long: Option<String>,
    address_string: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    first_name: Option<String>,
    last_name: Option<String>,
    description: Option<String>,
    media_url: Option<String>,
}

impl NewRequest {
    fn read(form: Vec<(String, String)>) -> Result<Self, Open311Error> {
        let mut request = Self::default();
        for (name, value) in form {
            let value = Some(value).filter(|v| !v.trim().is_empty());
            let slot = match name.as_str() {
                "api_key" => &mut request.api_key,
                "service_code" => &mut request.service_code,
                "attribute[urgency]" => &mut request.urgency,
                "lat" => &mut request.lat,
                "long" => &mut request.long,
                "address_string" => &mut request.address_string,
                "email" => &mut request.email,
                "phone" => &mut request.phone,
                "first_name" => &mut request.first_name,
                "last_name" => &mut request.last_name,
                "description" => &mut request.description,
                "media_url" => &mut request.media_url,
                // Allowed by the specification, meaningless here.
                "jurisdiction_id" | "device_id" | "account_id" | "address_id" => continue,
                other => {
                    return Err(Open311Error::bad_request(format!(
                        "unknown parameter {other:?}"
                    )));
                }
            };
            *slot = value;
        }
        Ok(request)
    }

    fn coordinate(name: &str, value: Option<&String>) -> Result<Option<f64>, Open311Error> {
        value
            .map(|v| {
                v.trim()
                    .parse::<f64>()
                    .ok()
                    .filter(|x| x.is_finite())
                    .ok_or_else(|| Open311Error::bad_request(format!("{name} must be a number")))
            })
            .transpose()
    }

    fn location(&self) -> Result<Location, Open311Error> {
        let lat = Self::coordinate("lat", self.lat.as_ref())?;
        let long = Self::coordinate("long", self.long.as_ref())?;
        let coordinates = match (lat, long) {
            (Some(latitude), Some(longitude)) => Some(citizen_file::Coordinates {
                latitude,
                longitude,
            }),
            (None, None) => None,
            _ => return Err(Open311Error::bad_request("lat and long go together")),
        };
        if coordinates.is_none() && self.address_string.is_none() {
            return Err(Open311Error::bad_request(
                "a location is required: lat and long, or address_string",
            ));
        }
        Ok(Location {
            coordinates,
            address: self.address_string.clone(),
        })
    }

    fn urgency(&self) -> Result<Urgency, Open311Error> {
        let raw = self
            .urgency
            .as_deref()
            .ok_or_else(|| Open311Error::bad_request("attribute[urgency] is required"))?;
        serde_json::from_value(serde_json::Value::String(raw.trim().to_owned())).map_err(|_| {
            Open311Error::bad_request(
                "attribute[urgency] must be low, normal, high or life_threatening",
            )
        })
    }
}

/// The first line of `description`, shortened to a title.
fn title_of(description: &str) -> String {
    const TITLE_CHARS: usize = 80;
    let line = description.lines().next().unwrap_or_default().trim();
    if line.chars().count() <= TITLE_CHARS {
        return line.to_owned();
    }
    let mut title: String = line.chars().take(TITLE_CHARS - 1).collect();
    title.push('…');
    title
}

/// The attachment a `media_url` names: one uploaded to this platform.
async fn media(state: &AppState, url: &str) -> Result<AttachmentRef, Open311Error> {
    let refused = || {
        Open311Error::bad_request(
            "media_url must name an attachment uploaded to /api/v1/attachments",
        )
    };
    let (_, hash) = url
        .rsplit_once("/api/v1/attachments/")
        .ok_or_else(refused)?;
    let hash = hash.trim_end_matches('/').to_ascii_lowercase();
    if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(refused());
    }
    crate::api::attachments::reference(state, &hash)
        .await?
        .ok_or_else(refused)
}

/// Files a notification (`POST requests.json` or `.xml`, form-encoded) as the citizen
/// whose access token is `api_key`.
#[utoipa::path(
    post, path = "/{document}", tag = "open311",
    params(("document" = String, Path, description = "`requests.json` or `requests.xml`")),
    request_body(
        content_type = "application/x-www-form-urlencoded",
        description = "`api_key` (the citizen's access token), `service_code` (`notification`), \
                       `attribute[urgency]`, `lat` and `long` or `address_string`, \
                       `description`, `first_name`, `last_name`, `email`, `phone`, `media_url`",
        content = String
    ),
    responses(
        (status = 200, description = "`service_requests` with the new request's `service_request_id` (its tracking code)", content((String = "application/json"), (String = "text/xml"))),
        (status = 400, description = "A parameter is missing or wrong (Open311 `errors`)"),
        (status = 403, description = "`api_key` is not a citizen's valid token (Open311 `errors`)"),
        (status = 404, description = "No such document (Open311 `errors`)"),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    context: RequestContext,
    Path(document): Path<String>,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Response {
    let Some((name, format)) = split(&document) else {
        return Open311Error::not_found().into_response(Format::Json);
    };
    if name != "requests" {
        return Open311Error::not_found().into_response(format);
    }
    let result = async {
        let Form(form) = form.map_err(|e| Open311Error::bad_request(e.body_text()))?;
        let request = NewRequest::read(form)?;
        let acting = citizen(&state, request.api_key.clone()).await?;
        file(&state, &acting, &context, request).await
    }
    .await;
    respond(
        format,
        result.map(|receipt| render_receipt(format, &receipt)),
    )
}

/// The citizen whose access token is `api_key`.
async fn citizen(state: &AppState, api_key: Option<String>) -> Result<Acting, Open311Error> {
    let invalid = || Open311Error::new(StatusCode::FORBIDDEN, "invalid api_key");
    let token = api_key.ok_or_else(invalid)?;
    let principal = Principal::from_token(token, state)
        .await
        .map_err(|_| invalid())?;
    if principal.account.kind != ActorKind::Citizen {
        return Err(Open311Error::new(
            StatusCode::FORBIDDEN,
            "api_key must be a citizen's: notifications are filed by their authors",
        ));
    }
    Acting::choose(principal, None).map_err(Open311Error::from)
}

/// Files the notification `request` describes: its tracking code.
async fn file(
    state: &AppState,
    acting: &Acting,
    context: &RequestContext,
    request: NewRequest,
) -> Result<String, Open311Error> {
    match request.service_code.as_deref() {
        Some(SERVICE_CODE) => {}
        Some(_) => return Err(Open311Error::bad_request("no such service_code")),
        None => return Err(Open311Error::bad_request("service_code is required")),
    }
    let urgency = request.urgency()?;
    let location = request.location()?;
    let description = request
        .description
        .clone()
        .ok_or_else(|| Open311Error::bad_request("description is required"))?;
    let name = [request.first_name.as_deref(), request.last_name.as_deref()]
        .into_iter()
        .flatten()
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ");
    if name.is_empty() {
        return Err(Open311Error::bad_request(
            "first_name or last_name is required: the answer is addressed to its author",
        ));
    }
    let attachments = match &request.media_url {
        Some(url) => vec![media(state, url).await?],
        None => Vec::new(),
    };
    let handled_by = state
        .organisations
        .central_bureau
        .or_else(|| {
            state
                .directory
                .only_of_kind(OrganisationKind::CentralBureau)
        })
        .ok_or_else(|| {
            Open311Error::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "no Central Bureau is configured to receive notifications",
            )
        })?;
    let body = FileBody {
        kind: FileKind::Notification,
        urgency: Some(urgency),
        handled_by,
        author: AuthorDetails {
            person: PersonKind::Natural,
            name,
            national_id: None,
            email: request
                .email
                .or_else(|| Some(acting.principal.account.email.clone())),
            phone: request.phone,
            postal_address: None,
        },
        title: title_of(&description),
        body: description,
        location: Some(location),
        attachments,
    };
    let receipt = receive(state, acting, context, body, AccessChannel::Open311).await?;
    Ok(receipt.tracking_code)
}

fn render_receipt(format: Format, tracking_code: &str) -> Response {
    #[derive(Serialize)]
    struct Created<'a> {
        service_request_id: &'a str,
        service_notice: &'static str,
        account_id: Option<&'a str>,
    }
    #[derive(Serialize)]
    struct ServiceRequests<'a> {
        request: [Created<'a>; 1],
    }
    let created = Created {
        service_request_id: tracking_code,
        service_notice: "Received by the Central Citizen Relations Bureau; follow it under \
                         /api/v1/files with your account.",
        account_id: None,
    };
    match format {
        Format::Json => render(format, "service_requests", &[created]),
        Format::Xml => render(
            format,
            "service_requests",
            &ServiceRequests { request: [created] },
        ),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// Whatever a client puts in a document's name, it is split or refused, never a
        /// panic; a split keeps the name whole.
        #[test]
        fn any_document_name_is_split_or_refused(document in ".{0,40}") {
            if let Some((name, _)) = split(&document) {
                prop_assert!(!name.is_empty());
                prop_assert!(document.starts_with(name));
            }
        }

        /// Any form, with known and unknown keys and any values, is read into a request or
        /// refused with a 400: the location, urgency and coordinates read from it are
        /// either valid or refused, never a panic.
        #[test]
        fn any_form_is_read_or_refused(
            pairs in proptest::collection::vec(
                (
                    prop_oneof![
                        Just("api_key".to_owned()), Just("service_code".to_owned()),
                        Just("attribute[urgency]".to_owned()), Just("lat".to_owned()),
                        Just("long".to_owned()), Just("address_string".to_owned()),
                        Just("description".to_owned()), Just("media_url".to_owned()),
                        ".{0,12}",
                    ],
                    ".{0,30}",
                ),
                0..12,
            )
        ) {
            match NewRequest::read(pairs) {
                Ok(request) => {
                    if let Err(error) = request.location() {
                        prop_assert_eq!(error.status, StatusCode::BAD_REQUEST);
                    }
                    if let Err(error) = request.urgency() {
                        prop_assert_eq!(error.status, StatusCode::BAD_REQUEST);
                    }
                    if let Ok(location) = request.location()
                        && let Some(point) = location.coordinates
                    {
                        prop_assert!(point.latitude.is_finite() && point.longitude.is_finite());
                    }
                }
                Err(error) => prop_assert_eq!(error.status, StatusCode::BAD_REQUEST),
            }
        }

        /// Any `GET requests` query is a filter or a 400.
        #[test]
        fn any_request_query_is_a_filter_or_refused(
            pairs in proptest::collection::vec(
                (
                    prop_oneof![
                        Just("service_request_id".to_owned()), Just("start_date".to_owned()),
                        Just("end_date".to_owned()), Just("status".to_owned()),
                        Just("service_code".to_owned()), ".{0,12}",
                    ],
                    ".{0,40}",
                ),
                0..8,
            )
        ) {
            if let Err(error) = request_filter(&pairs, Utc::now()) {
                prop_assert_eq!(error.status, StatusCode::BAD_REQUEST);
            }
        }
    }

    #[test]
    fn a_title_is_the_first_line_shortened_on_a_character_boundary() {
        assert_eq!(title_of("Câble à terre\nDevant l'école"), "Câble à terre");
        let long = "é".repeat(100);
        let title = title_of(&long);
        assert_eq!(title.chars().count(), 80);
        assert!(title.ends_with('…'));
    }
}
