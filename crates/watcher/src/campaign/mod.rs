//! Campaigns: a period of visits, the service points planned, the team, the members' declared
//! conflicts of interest and the assignment of visits (aggregate `Campaign`).
//!
//! # Conflicts of interest
//!
//! A member declares the public bodies they have a conflict of interest with (they work there,
//! a relative does, they are a party to a matter there). The rule "a member is never assigned
//! a visit to such a body" is enforced here, where declarations and assignments live in one
//! aggregate, so that no race between a declaration and an assignment can break it:
//!
//! - [`CampaignCommand::AssignVisit`] is refused with [`CampaignError::ConflictOfInterest`]
//!   when the point's body is a body the member declared **or sits within it** in the
//!   directory (a conflict with a ministry covers its offices and structures);
//! - a declaration is never refused for coming late: when it touches visits already assigned,
//!   [`CampaignEvent::ConflictOfInterestDeclared`] lists them (`affected_visits`) so that a
//!   supervisor cancels and reassigns them.
//!
//! Declarations are made by the member (acting for the department) or recorded by a supervisor
//! on their behalf, and hold for the campaign.
//!
//! # From assignment to visit
//!
//! [`CampaignEvent::VisitAssigned`] carries an [`Assignment`]: the campaign, the visit's
//! identifier, the service point (with its body and governorate) and the member. The
//! application then plans the visit with exactly that assignment
//! (`VisitCommand::PlanVisit`), so the visit needs no lookup into the campaign. Every event
//! here names members: all are **department-only**; projections never show them to an
//! inspected body.

mod aggregate;
mod commands;
mod error;
mod events;

pub use aggregate::{Campaign, CampaignStatus};
pub use commands::CampaignCommand;
pub use error::CampaignError;
pub use events::{Assignment, CampaignEvent};
