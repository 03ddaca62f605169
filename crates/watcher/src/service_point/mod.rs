//! Service points: the counters, offices, phone lines, websites and e-mail addresses of public
//! bodies that the team can inspect (aggregate `ServicePoint`).
//!
//! Each point belongs to a public body (an organisation of the directory: a ministry, a
//! governorate, a local authority, a public establishment or company, a structure, an office)
//! and to a governorate, so that geographic coverage can be measured ([`crate::coverage()`]).
//! The point's [`Channel`] is how a citizen reaches it, and therefore how a visit of it is
//! carried out. Only supervisors and the head of the department register or retire points.
//! A retired point keeps its history but is no longer counted for coverage.
//!
//! The name and the locator (street address, phone number, URL, e-mail address) are those a
//! public body publishes for its service: they are not personal data and are not sealed.

mod aggregate;
mod commands;
mod error;
mod events;

pub use aggregate::{ServicePoint, ServicePointStatus};
pub use commands::ServicePointCommand;
pub use error::ServicePointError;
pub use events::{Channel, ServicePointEvent, ServicePointRef};
