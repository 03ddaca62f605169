//! The audit metadata every event carries.
//!
//! cqrs-es stores metadata as a string map next to each event. [`EventMetadata`] is its typed
//! form: who acted (actor, role, organisation), through which door (channel, client), for which
//! request (request, correlation and causation ids) and when the platform recorded it. The
//! gateway builds it for every command; auditors read it back with [`EventMetadata::from_map`].

use std::collections::HashMap;
use std::str::FromStr;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};

use crate::actor::{Actor, ActorId, ActorKind, Role};
use crate::organisation::OrganisationId;

/// Longest identifier accepted from outside (request, correlation, client ids).
pub const MAX_EXTERNAL_ID_LEN: usize = 128;

/// The door a command came through (not the channel a citizen used to reach an office,
/// which is a fact of the citizen-file domain).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccessChannel {
    /// The web portal.
    Web,
    /// The JSON API.
    Api,
    /// The Open311 GeoReport interface.
    Open311,
    /// A worker of the platform (deadlines, reminders).
    Worker,
    /// An import of paper records or of another system's data.
    Import,
    /// A command-line tool.
    Cli,
}

impl AccessChannel {
    fn as_str(self) -> &'static str {
        match self {
            Self::Web => "web",
            Self::Api => "api",
            Self::Open311 => "open311",
            Self::Worker => "worker",
            Self::Import => "import",
            Self::Cli => "cli",
        }
    }
}

impl FromStr for AccessChannel {
    type Err = MetadataError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_enum(s, "channel")
    }
}

/// Metadata could not be built or read back.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MetadataError {
    /// A key every event must have is absent.
    #[error("event metadata lacks `{0}`")]
    Missing(&'static str),
    /// A value does not parse.
    #[error("event metadata `{key}` has an invalid value")]
    Invalid {
        /// The key.
        key: &'static str,
    },
    /// An identifier given from outside is empty, too long or not printable ASCII.
    #[error("`{key}` must be 1 to {MAX_EXTERNAL_ID_LEN} printable ASCII characters")]
    BadExternalId {
        /// The key.
        key: &'static str,
    },
}

/// Typed event metadata. See the module documentation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventMetadata {
    /// Who issued the command.
    pub actor_id: ActorId,
    /// Of what kind.
    pub actor_kind: ActorKind,
    /// The role it acted under.
    pub role: Option<Role>,
    /// The organisation it acted for.
    pub organisation: Option<OrganisationId>,
    /// The door it came through.
    pub channel: AccessChannel,
    /// The HTTP request (or job) that carried the command.
    pub request_id: Option<String>,
    /// Groups every command caused by one user action.
    pub correlation_id: Option<String>,
    /// The event or command that caused this one.
    pub causation_id: Option<String>,
    /// The client software (user agent, API client name).
    pub client: Option<String>,
    /// When the platform recorded the command.
    pub recorded_at: DateTime<Utc>,
}

const ACTOR_ID: &str = "actor_id";
const ACTOR_KIND: &str = "actor_kind";
const ROLE: &str = "role";
const ORGANISATION: &str = "organisation";
const CHANNEL: &str = "channel";
const REQUEST_ID: &str = "request_id";
const CORRELATION_ID: &str = "correlation_id";
const CAUSATION_ID: &str = "causation_id";
const CLIENT: &str = "client";
/// The map key of the recorded time; the event store indexes it.
pub const RECORDED_AT: &str = "recorded_at";

impl EventMetadata {
    /// Metadata for a command issued by `actor` through `channel`, recorded at `recorded_at`.
    pub fn new(actor: &Actor, channel: AccessChannel, recorded_at: DateTime<Utc>) -> Self {
        Self {
            actor_id: actor.id,
            actor_kind: actor.kind,
            role: actor.role(),
            organisation: actor.organisation(),
            channel,
            request_id: None,
            correlation_id: None,
            causation_id: None,
            client: None,
            recorded_at,
        }
    }

    /// Sets the request id (validated: it may come from a client header).
    pub fn with_request_id(mut self, id: &str) -> Result<Self, MetadataError> {
        self.request_id = Some(external_id(REQUEST_ID, id)?);
        Ok(self)
    }

    /// Sets the correlation id (validated).
    pub fn with_correlation_id(mut self, id: &str) -> Result<Self, MetadataError> {
        self.correlation_id = Some(external_id(CORRELATION_ID, id)?);
        Ok(self)
    }

    /// Sets the causation id (validated).
    pub fn with_causation_id(mut self, id: &str) -> Result<Self, MetadataError> {
        self.causation_id = Some(external_id(CAUSATION_ID, id)?);
        Ok(self)
    }

    /// Sets the client description, cut to [`MAX_EXTERNAL_ID_LEN`] printable characters:
    /// user agents are long and untrusted, and only serve diagnosis.
    pub fn with_client(mut self, client: &str) -> Self {
        let cleaned: String = client
            .chars()
            .filter(|c| !c.is_control())
            .take(MAX_EXTERNAL_ID_LEN)
            .collect();
        self.client = (!cleaned.is_empty()).then_some(cleaned);
        self
    }

    /// The string map cqrs-es stores.
    pub fn to_map(&self) -> HashMap<String, String> {
        let mut map = HashMap::with_capacity(10);
        map.insert(ACTOR_ID.into(), self.actor_id.to_string());
        map.insert(ACTOR_KIND.into(), enum_str(&self.actor_kind));
        if let Some(role) = self.role {
            map.insert(ROLE.into(), enum_str(&role));
        }
        if let Some(organisation) = self.organisation {
            map.insert(ORGANISATION.into(), organisation.to_string());
        }
        map.insert(CHANNEL.into(), self.channel.as_str().into());
        for (key, value) in [
            (REQUEST_ID, &self.request_id),
            (CORRELATION_ID, &self.correlation_id),
            (CAUSATION_ID, &self.causation_id),
            (CLIENT, &self.client),
        ] {
            if let Some(value) = value {
                map.insert(key.into(), value.clone());
            }
        }
        map.insert(
            RECORDED_AT.into(),
            self.recorded_at
                .to_rfc3339_opts(SecondsFormat::Micros, true),
        );
        map
    }

    /// Reads the map back.
    pub fn from_map(map: &HashMap<String, String>) -> Result<Self, MetadataError> {
        let required = |key: &'static str| map.get(key).ok_or(MetadataError::Missing(key));
        let optional = |key: &'static str| map.get(key).cloned();
        Ok(Self {
            actor_id: required(ACTOR_ID)?
                .parse()
                .map_err(|_| MetadataError::Invalid { key: ACTOR_ID })?,
            actor_kind: parse_enum(required(ACTOR_KIND)?, ACTOR_KIND)?,
            role: map.get(ROLE).map(|r| parse_enum(r, ROLE)).transpose()?,
            organisation: map
                .get(ORGANISATION)
                .map(|o| o.parse())
                .transpose()
                .map_err(|_| MetadataError::Invalid { key: ORGANISATION })?,
            channel: required(CHANNEL)?.parse()?,
            request_id: optional(REQUEST_ID),
            correlation_id: optional(CORRELATION_ID),
            causation_id: optional(CAUSATION_ID),
            client: optional(CLIENT),
            recorded_at: DateTime::parse_from_rfc3339(required(RECORDED_AT)?)
                .map_err(|_| MetadataError::Invalid { key: RECORDED_AT })?
                .with_timezone(&Utc),
        })
    }
}

fn external_id(key: &'static str, id: &str) -> Result<String, MetadataError> {
    let ok = !id.is_empty()
        && id.len() <= MAX_EXTERNAL_ID_LEN
        && id.bytes().all(|b| b.is_ascii_graphic());
    ok.then(|| id.to_owned())
        .ok_or(MetadataError::BadExternalId { key })
}

/// A unit enum's serde name ("office_agent").
fn enum_str<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

fn parse_enum<T: for<'de> Deserialize<'de>>(
    s: &str,
    key: &'static str,
) -> Result<T, MetadataError> {
    serde_json::from_value(serde_json::Value::String(s.to_owned()))
        .map_err(|_| MetadataError::Invalid { key })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn sample() -> EventMetadata {
        let actor = Actor::agent(ActorId::new_v7(), Role::Signatory, OrganisationId::new_v7());
        let at = Utc.with_ymd_and_hms(2026, 11, 22, 8, 30, 15).unwrap();
        EventMetadata::new(&actor, AccessChannel::Web, at)
            .with_request_id("req-42")
            .unwrap()
            .with_correlation_id("corr-1")
            .unwrap()
            .with_client("Mozilla/5.0\n(injected)")
    }

    #[test]
    fn metadata_round_trips_through_the_string_map() {
        let metadata = sample();
        let map = metadata.to_map();
        assert_eq!(map["role"], "signatory");
        assert_eq!(map["channel"], "web");
        assert_eq!(EventMetadata::from_map(&map).unwrap(), metadata);
    }

    #[test]
    fn client_description_is_stripped_of_control_characters() {
        assert_eq!(sample().client.as_deref(), Some("Mozilla/5.0(injected)"));
    }

    #[test]
    fn external_ids_must_be_short_printable_ascii() {
        let base = sample();
        assert_eq!(
            base.clone().with_request_id("has space"),
            Err(MetadataError::BadExternalId { key: REQUEST_ID })
        );
        assert!(base.clone().with_request_id(&"x".repeat(129)).is_err());
        assert!(base.with_correlation_id("").is_err());
    }

    #[test]
    fn missing_or_invalid_keys_are_reported_by_name() {
        let mut map = sample().to_map();
        map.remove("channel");
        assert_eq!(
            EventMetadata::from_map(&map),
            Err(MetadataError::Missing("channel"))
        );
        let mut map = sample().to_map();
        map.insert("role".into(), "emperor".into());
        assert_eq!(
            EventMetadata::from_map(&map),
            Err(MetadataError::Invalid { key: "role" })
        );
    }
}
