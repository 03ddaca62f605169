//! The `ServicePoint` aggregate: registration and retirement of an inspectable point.

use cqrs_es::Aggregate;
use cqrs_es::event_sink::EventSink;
use serde::{Deserialize, Serialize};

use kernel::OrganisationKind;

use crate::error::InvalidText;
use crate::service_point::{
    Channel, ServicePointCommand, ServicePointError, ServicePointEvent, ServicePointRef,
};
use crate::services::{SUPERVISING, WatcherServices};

/// Where a registered point stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServicePointStatus {
    /// Inspected and counted for coverage.
    Active,
    /// Closed or merged: kept for history only.
    Retired,
}

/// A service point. See the [module docs](crate::service_point).
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct ServicePoint {
    point: Option<ServicePointRef>,
    status: Option<ServicePointStatus>,
}

impl ServicePoint {
    /// The point, once registered.
    pub fn point(&self) -> Option<ServicePointRef> {
        self.point
    }

    /// Its status, once registered.
    pub fn status(&self) -> Option<ServicePointStatus> {
        self.status
    }
}

impl Aggregate for ServicePoint {
    const TYPE: &'static str = "ServicePoint";
    type Command = ServicePointCommand;
    type Event = ServicePointEvent;
    type Error = ServicePointError;
    type Services = WatcherServices;

    async fn handle(
        &mut self,
        command: Self::Command,
        services: &Self::Services,
        sink: &EventSink<Self>,
    ) -> Result<(), Self::Error> {
        let actor = match &command {
            ServicePointCommand::RegisterServicePoint { actor, .. }
            | ServicePointCommand::RetireServicePoint { actor, .. } => *actor,
        };
        services.authorize(
            &actor,
            SUPERVISING,
            ServicePointError::NotDepartmentSupervisor,
        )?;
        let event = match command {
            ServicePointCommand::RegisterServicePoint {
                actor,
                point,
                organisation,
                governorate,
                channel,
                name,
                locator,
            } => {
                if self.status.is_some() {
                    return Err(ServicePointError::AlreadyRegistered);
                }
                let body = services
                    .directory
                    .organisation(organisation)
                    .ok_or(ServicePointError::UnknownOrganisation(organisation))?;
                if !is_public_body(body.kind) {
                    return Err(ServicePointError::NotAPublicBody {
                        organisation,
                        kind: body.kind,
                    });
                }
                let name = InvalidText::check("name", &name, services.config.title())?;
                let locator = InvalidText::check("locator", &locator, services.config.line())?;
                check_locator(channel, locator.as_str())
                    .map_err(|reason| ServicePointError::InvalidLocator { channel, reason })?;
                ServicePointEvent::ServicePointRegistered {
                    point: ServicePointRef {
                        id: point,
                        organisation,
                        governorate,
                        channel,
                    },
                    name,
                    locator,
                    by: actor.id,
                    registered_at: services.now(),
                }
            }
            ServicePointCommand::RetireServicePoint { actor, reason } => {
                match self.status {
                    None => return Err(ServicePointError::NotRegistered),
                    Some(ServicePointStatus::Active) => {}
                    Some(status) => return Err(ServicePointError::WrongStatus { status }),
                }
                ServicePointEvent::ServicePointRetired {
                    reason: InvalidText::check("reason", &reason, services.config.line())?,
                    by: actor.id,
                    retired_at: services.now(),
                }
            }
        };
        sink.write(event, self).await;
        Ok(())
    }

    fn apply(&mut self, event: Self::Event) {
        match event {
            ServicePointEvent::ServicePointRegistered { point, .. } => {
                self.point = Some(point);
                self.status = Some(ServicePointStatus::Active);
            }
            ServicePointEvent::ServicePointRetired { .. } => {
                self.status = Some(ServicePointStatus::Retired);
            }
        }
    }
}

/// The kinds of organisation whose services the team inspects: the administration's bodies
/// (state services, public establishments, local authorities, public companies: department
/// page 004, domain notes section 4), not the department itself nor the authorities outside
/// the administration.
fn is_public_body(kind: OrganisationKind) -> bool {
    !matches!(
        kind,
        OrganisationKind::WatcherDepartment | OrganisationKind::ExternalAuthority
    )
}

/// A light check that the locator is of the channel's form, to catch a phone number typed as
/// a website; not a full validation of addresses.
fn check_locator(channel: Channel, locator: &str) -> Result<(), &'static str> {
    let has_space = locator.chars().any(char::is_whitespace);
    match channel {
        Channel::Counter => Ok(()),
        Channel::Phone => {
            let digits = locator.chars().filter(char::is_ascii_digit).count();
            let allowed = locator.char_indices().all(|(i, c)| {
                c.is_ascii_digit()
                    || matches!(c, ' ' | '-' | '.' | '(' | ')')
                    || (c == '+' && i == 0)
            });
            if !allowed {
                Err("a phone number has digits, spaces, dashes, dots, brackets and a leading +")
            } else if !(8..=15).contains(&digits) {
                Err("a phone number has 8 to 15 digits")
            } else {
                Ok(())
            }
        }
        Channel::Website => {
            let host = locator
                .strip_prefix("https://")
                .or_else(|| locator.strip_prefix("http://"));
            match host {
                Some(host) if !host.is_empty() && !has_space => Ok(()),
                _ => Err("a website is an http:// or https:// address without spaces"),
            }
        }
        Channel::Email => match locator.split_once('@') {
            Some((local, domain))
                if !local.is_empty()
                    && domain.contains('.')
                    && !domain.contains('@')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !has_space =>
            {
                Ok(())
            }
            _ => Err("an e-mail address is local@domain.tld without spaces"),
        },
    }
}
