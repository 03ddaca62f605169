//! Commands of a service point.

use serde::{Deserialize, Serialize};

use kernel::organisation::Governorate;
use kernel::{Actor, OrganisationId};

use crate::ids::ServicePointId;
use crate::service_point::Channel;

/// What can be asked of a service point.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ServicePointCommand {
    /// Registers a point of a public body. By a supervisor or the head of the department.
    RegisterServicePoint {
        /// Who acts.
        actor: Actor,
        /// The new point's identifier.
        point: ServicePointId,
        /// The public body it belongs to.
        organisation: OrganisationId,
        /// Where it is.
        governorate: Governorate,
        /// How it is reached.
        channel: Channel,
        /// Its public name.
        name: String,
        /// Street address (counter), phone number, URL (website) or e-mail address.
        locator: String,
    },
    /// Retires the point. By a supervisor or the head of the department.
    RetireServicePoint {
        /// Who acts.
        actor: Actor,
        /// Why (one line: "closed", "merged into ...").
        reason: String,
    },
}
