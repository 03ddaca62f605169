//! The watcher's obligations with a due date, for the reminder engine.
//!
//! # Rules
//!
//! - **A corrective action's promised date** (`watcher.corrective-action`). When the
//!   inspected body answers a finding with a corrective action due on a date
//!   (`CorrectiveActionProposed`), an obligation opens, due at the end of that local day.
//!   Its id is `<visit>/corrective-action/<finding>`, so a new proposal for the same finding
//!   (after a failed verification) replaces it with the new date.
//!   - *Responsible*: the holders of [`Role::StructureAgent`] for the organisation whose
//!     agent made the promise (the body, a structure within it, or the body above it, as the
//!     domain accepts). `StructureAgent` is kernel's role for the agents of a body's
//!     structures who answer what is sent to them; `OfficeHead` heads a Citizen Relations
//!     Office, another organisation, and is not who acts on an inspection's findings.
//!   - *Escalation*, once overdue: the department's [`Role::WatcherSupervisor`]s, then its
//!     [`Role::DepartmentHead`] (they follow up the body's observations: circular 21 of
//!     2019).
//!   - *Met* when a follow-up visit verifies it **implemented**.
//!   - **Decision:** verified **not implemented**, it stays open with its promised date:
//!     the promise was not kept, so once the date has passed it is overdue and escalates,
//!     and before the date the body still has until then. The body's next proposal replaces
//!     it (same id) with the new date.
//!   - The date is the body's own promise, not a legal deadline: no [`Deadline`] inputs nor
//!     calendar version (a change of holiday calendar must not move it).
//!   - *Reference*: `<visit>/<finding>`, the identifiers the body's report shows; nothing
//!     about who visited.
//!
//!   [`Deadline`]: kernel::calendar::Deadline
//!
//! # Rules not made
//!
//! The domain sets no time for the body to answer a finding in the first place, for a
//! supervisor to review a submitted visit, nor for an authority to acknowledge or decide a
//! referral (decree 93-147 and the department's page are silent; circular 21 of 2019 is not
//! in our texts). None is invented here.

use event_store::{ProjectionError, RecordedEvent};
use kernel::calendar::HolidayCalendar;
use kernel::{OrganisationId, Role};
use watcher::{VerificationOutcome, VisitEvent, VisitId};

use super::events::{WatcherEvent, stream_id};
use crate::obligations::{Obligation, ObligationChange, ObligationRules, Responsible};

/// The kind of a corrective action's obligation.
pub const CORRECTIVE_ACTION: &str = "watcher.corrective-action";

/// The watcher's [`ObligationRules`] (see the [module docs](self)).
#[derive(Clone, Debug)]
pub struct WatcherObligations {
    department: OrganisationId,
    calendar: HolidayCalendar,
}

impl WatcherObligations {
    /// The rules, escalating to `department` (the Public Service Quality Department, from
    /// the deployment's directory); `calendar` gives the end of a promised local day.
    pub fn new(department: OrganisationId, calendar: HolidayCalendar) -> Self {
        Self {
            department,
            calendar,
        }
    }
}

impl ObligationRules for WatcherObligations {
    fn changes(
        &self,
        event: &RecordedEvent,
        _known: &[Obligation],
    ) -> Result<Vec<ObligationChange>, ProjectionError> {
        let Some(WatcherEvent::Visit(visit_event)) = WatcherEvent::decode(event)? else {
            return Ok(Vec::new());
        };
        let visit: VisitId = stream_id(event)?;
        let change = match visit_event {
            VisitEvent::CorrectiveActionProposed {
                finding,
                due_on,
                organisation,
                ..
            } => {
                let due_at = due_on
                    .succ_opt()
                    .ok_or_else(|| {
                        ProjectionError::Invalid(format!("due date {due_on} out of range"))
                    })
                    .and_then(|next_day| {
                        self.calendar
                            .start_of_day(next_day)
                            .map_err(|e| ProjectionError::Invalid(e.to_string()))
                    })?;
                let department = |role| Responsible {
                    organisation: self.department,
                    roles: vec![role],
                };
                ObligationChange::Open(Box::new(Obligation {
                    id: obligation_id(visit, finding),
                    kind: CORRECTIVE_ACTION.to_owned(),
                    aggregate_type: event.aggregate_type.clone(),
                    aggregate_id: event.aggregate_id.clone(),
                    reference: format!("{visit}/{finding}"),
                    responsible: Responsible {
                        organisation,
                        roles: vec![Role::StructureAgent],
                    },
                    escalation: vec![
                        department(Role::WatcherSupervisor),
                        department(Role::DepartmentHead),
                    ],
                    due_at,
                    deadline: None,
                    calendar_version: None,
                }))
            }
            VisitEvent::FindingVerified {
                finding,
                outcome: VerificationOutcome::Implemented,
                ..
            } => ObligationChange::Met {
                id: obligation_id(visit, finding),
            },
            _ => return Ok(Vec::new()),
        };
        Ok(vec![change])
    }
}

fn obligation_id(visit: VisitId, finding: watcher::FindingId) -> String {
    format!("{visit}/corrective-action/{finding}")
}
