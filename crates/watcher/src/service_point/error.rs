//! Why a service point command was refused.

use kernel::{OrganisationId, OrganisationKind};

use crate::error::InvalidText;
use crate::service_point::{Channel, ServicePointStatus};

/// Business rules of a service point.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ServicePointError {
    /// Only a supervisor or the head of the department manages service points.
    #[error("only a supervisor or the head of the Public Service Quality Department may do this")]
    NotDepartmentSupervisor,
    /// The point is already registered.
    #[error("this service point is already registered")]
    AlreadyRegistered,
    /// The point is not registered.
    #[error("this service point is not registered")]
    NotRegistered,
    /// The point's state does not allow this.
    #[error("not possible while the service point is {status:?}")]
    WrongStatus {
        /// The state it is in.
        status: ServicePointStatus,
    },
    /// The directory does not know the organisation.
    #[error("organisation {0} is not in the directory")]
    UnknownOrganisation(OrganisationId),
    /// The organisation is not a public body the team inspects.
    #[error("organisation {organisation} is a {kind:?}, not a public body that can be inspected")]
    NotAPublicBody {
        /// The organisation.
        organisation: OrganisationId,
        /// What it is.
        kind: OrganisationKind,
    },
    /// A text field was refused.
    #[error(transparent)]
    InvalidText(#[from] InvalidText),
    /// The locator does not fit the channel (a phone number for a website...).
    #[error("the locator is not a valid {channel:?} locator: {reason}")]
    InvalidLocator {
        /// The point's channel.
        channel: Channel,
        /// What is wrong.
        reason: &'static str,
    },
}
