//! The obligations with a due date of the local registers ([`LocalDemocracyObligations`]),
//! for the reminder engine.
//!
//! | kind | opened by | due | met by | cancelled by |
//! |---|---|---|---|---|
//! | `cso.regularisation` | `NoticeAcknowledged` | end of the month of art. 9 (rolled) | `Regularised` within or after the month, `HearingConvened` | `Withdrawn` while the month runs |
//! | `opinions.committee-report` | `OrdinarySessionScheduled`, again on `OrdinarySessionRescheduled` | eve of the session (art. 14) | `CommitteeReportFiled`, `CouncilMeetingHeld` with a report | `CouncilMeetingHeld` without a report |
//! | `opinions.summary-posting` | `CouncilMeetingHeld` with a report | 5 days after the meeting (art. 15, rolled) | `SummaryPosted` (late or not) | — |
//!
//! # Decisions
//!
//! - **The month of art. 9** is the organisation's time to regularise; what the platform owes
//!   is the bureau's follow-up: record the regularisation, or, once the month has run out,
//!   convene the hearing. So the bureau (agents and head) is reminded before the end of the
//!   month, and past it, without either act, the obligation is overdue and escalates to the
//!   bureau's head, then to the committee (the chain for local registers). A
//!   regularisation recorded before the acknowledgement opens nothing (no month ran).
//! - **The committee's report** is owed by the committee; overdue, it can no longer reach its
//!   session (the domain refuses a late report), so it escalates to the council's secretary,
//!   who prepares the session. Once the council has met without it, nothing can meet it any
//!   more and it is cancelled; the miss stays visible in the council reporting read model and
//!   in the committee's next report.
//! - **Posting the summary** is owed by the local authority, recorded by the council's
//!   secretary; it escalates to the bureau's head, then to the committee whose summary it is.
//! - **The 15-day display** is no obligation here: it forbids taking the summary down before
//!   a date (the domain refuses an early take-down), so there is nothing to remind anyone of
//!   before that date and nothing overdue after it. Its end is in the council reporting read
//!   model (`display_until_*`) and in the committee's report.
//! - **Responsible local authority of the month of art. 9.** `NoticeAcknowledged` does not
//!   name the entry's local authority; the acting bureau agent's grant does (the domain
//!   admits only the bureau of that local authority), and the gateway records it in every
//!   event's metadata. An acknowledgement without it fails loudly rather than losing a legal
//!   reminder.
//! - **References** are public: the session's date (the meeting's, for the posting), or the
//!   entry's identifier for the month of art. 9 (its events do not repeat the organisation's
//!   name; the reminder renders it from the register read model).
//! - **Ids** are `<aggregate id>/<what>[/<session>]`; a second art. 9 procedure on the same
//!   entry reopens `<entry>/regularisation`.
//! - **Event by event.** The rules keep no state, so an act may repeat (a second
//!   `HearingConvened`) and give a `Met` for an obligation already met, which should change
//!   nothing. One gap follows: `OrdinarySessionRescheduled` does not say whether the report
//!   is already filed, so it reopens the report obligation with the new due date even when it
//!   was met; the council's meeting with a report meets it again. Until the domain records the
//!   report's state in that event, a session moved after its report was filed may remind the
//!   committee of a report it filed.

use chrono::{DateTime, Utc};
use civil_society::{OrganisationEvent, OrganisationStatus, RegularisationTiming};
use event_store::{ProjectionError, RecordedEvent};
use kernel::calendar::{
    ComputedDeadline, Deadline, DeadlineRule, ExplanationStep, Extension, Pause,
};
use kernel::{EventMetadata, OrganisationId, Role};
use opinions::{CouncilSessionId, ReportingEvent};

use super::civil_society::ORGANISATION_TYPE;
use super::council::REPORTING_TYPE;
use crate::obligations::{Obligation, ObligationChange, ObligationRules, Responsible};

/// The bureau's follow-up of the month given to regularise (art. 9).
pub const REGULARISATION: &str = "cso.regularisation";
/// The committee's report before an ordinary session (art. 14).
pub const COMMITTEE_REPORT: &str = "opinions.committee-report";
/// Posting the report's summary after the council's meeting (art. 15).
pub const SUMMARY_POSTING: &str = "opinions.summary-posting";

/// The obligation rules of the local registers; see the module documentation.
#[derive(Clone, Copy, Debug, Default)]
pub struct LocalDemocracyObligations;

impl ObligationRules for LocalDemocracyObligations {
    fn changes(
        &self,
        event: &RecordedEvent,
        _known: &[crate::obligations::Obligation],
    ) -> Result<Vec<ObligationChange>, ProjectionError> {
        match event.aggregate_type.as_str() {
            ORGANISATION_TYPE => organisation_changes(event),
            REPORTING_TYPE => reporting_changes(event),
            _ => Ok(Vec::new()),
        }
    }
}

/// The inputs `computed` was computed from (rule, start, extensions, pauses), read back from
/// its explanation, so that a change of holiday calendar can recompute it.
pub fn deadline_inputs(computed: &ComputedDeadline) -> Option<Deadline> {
    let mut steps = computed.explanation.steps.iter();
    let Some(ExplanationStep::Started {
        at,
        amount,
        unit,
        roll,
        source,
    }) = steps.next()
    else {
        return None;
    };
    let rule = DeadlineRule {
        amount: *amount,
        unit: *unit,
        roll: *roll,
        source: source.clone(),
    };
    let mut deadline = Deadline::new(rule, *at);
    for step in steps {
        match step {
            ExplanationStep::Extended {
                amount,
                granted_at,
                reason,
                ..
            } => deadline.extensions.push(Extension {
                amount: *amount,
                granted_at: *granted_at,
                reason: reason.clone(),
            }),
            ExplanationStep::Paused {
                from,
                until,
                reason,
                ..
            }
            | ExplanationStep::PauseIgnored {
                from,
                until,
                reason,
                ..
            } => deadline.pauses.push(Pause {
                from: *from,
                until: *until,
                reason: reason.clone(),
            }),
            _ => {}
        }
    }
    Some(deadline)
}

fn responsible(organisation: OrganisationId, roles: &[Role]) -> Responsible {
    Responsible {
        organisation,
        roles: roles.to_vec(),
    }
}

/// What every obligation of these rules shares: built from the event and its deadline.
struct Due<'a> {
    event: &'a RecordedEvent,
    id: String,
    kind: &'static str,
    reference: String,
    deadline: &'a ComputedDeadline,
}

impl Due<'_> {
    fn open(
        self,
        responsible: Responsible,
        escalation: Vec<Responsible>,
    ) -> Result<ObligationChange, ProjectionError> {
        let due_at: DateTime<Utc> = self.deadline.due_at().ok_or_else(|| {
            ProjectionError::Invalid(format!(
                "{} at position {}: its deadline is suspended",
                self.kind, self.event.position
            ))
        })?;
        Ok(ObligationChange::Open(Box::new(Obligation {
            id: self.id,
            kind: self.kind.to_owned(),
            aggregate_type: self.event.aggregate_type.clone(),
            aggregate_id: self.event.aggregate_id.clone(),
            reference: self.reference,
            responsible,
            escalation,
            due_at,
            deadline: deadline_inputs(self.deadline),
            calendar_version: Some(self.deadline.calendar_version.clone()),
        })))
    }
}

/// The local authority the acting agent's grant was for, as the gateway records it.
fn acting_organisation(event: &RecordedEvent) -> Result<OrganisationId, ProjectionError> {
    EventMetadata::from_map(&event.metadata)
        .ok()
        .and_then(|metadata| metadata.organisation)
        .ok_or_else(|| {
            ProjectionError::Invalid(format!(
                "{} at position {} has no acting organisation in its metadata: the local \
                 authority responsible for the month of art. 9 is unknown",
                event.event_type, event.position
            ))
        })
}

fn organisation_changes(event: &RecordedEvent) -> Result<Vec<ObligationChange>, ProjectionError> {
    let id = format!("{}/regularisation", event.aggregate_id);
    let change = match event.decode::<OrganisationEvent>()? {
        OrganisationEvent::NoticeAcknowledged {
            regularisation_term,
            ..
        } => {
            let local_authority = acting_organisation(event)?;
            let bureau = [Role::RegisterBureauAgent, Role::RegisterBureauHead];
            Due {
                event,
                id,
                kind: REGULARISATION,
                reference: event.aggregate_id.clone(),
                deadline: &regularisation_term.deadline,
            }
            .open(
                responsible(local_authority, &bureau),
                vec![
                    responsible(local_authority, &[Role::RegisterBureauHead]),
                    responsible(local_authority, &[Role::CommitteeMember]),
                ],
            )?
        }
        OrganisationEvent::Regularised {
            timing: RegularisationTiming::BeforeTermStarted,
            ..
        } => return Ok(Vec::new()),
        OrganisationEvent::Regularised { .. } | OrganisationEvent::HearingConvened { .. } => {
            ObligationChange::Met { id }
        }
        OrganisationEvent::Withdrawn {
            status_before: OrganisationStatus::NoticeAcknowledged,
            ..
        } => ObligationChange::Cancelled { id },
        _ => return Ok(Vec::new()),
    };
    Ok(vec![change])
}

fn reporting_changes(event: &RecordedEvent) -> Result<Vec<ObligationChange>, ProjectionError> {
    let local_authority: OrganisationId = event.aggregate_id.parse().map_err(|_| {
        ProjectionError::Invalid(format!(
            "CouncilReporting stream {:?} is not a local authority id",
            event.aggregate_id
        ))
    })?;
    let report_id =
        |session: CouncilSessionId| format!("{}/committee-report/{session}", event.aggregate_id);
    let posting_id =
        |session: CouncilSessionId| format!("{}/summary-posting/{session}", event.aggregate_id);
    let report_due = |session, date: chrono::NaiveDate, deadline| {
        Due {
            event,
            id: report_id(session),
            kind: COMMITTEE_REPORT,
            reference: date.to_string(),
            deadline,
        }
        .open(
            responsible(local_authority, &[Role::CommitteeMember]),
            vec![responsible(local_authority, &[Role::CouncilSecretary])],
        )
    };
    let change = match event.decode::<ReportingEvent>()? {
        ReportingEvent::OrdinarySessionScheduled {
            session,
            date,
            report_due: deadline,
            ..
        } => report_due(session, date, &deadline)?,
        ReportingEvent::OrdinarySessionRescheduled {
            session,
            to,
            report_due: deadline,
            ..
        } => report_due(session, to, &deadline)?,
        ReportingEvent::CommitteeReportFiled { session, .. } => ObligationChange::Met {
            id: report_id(session),
        },
        ReportingEvent::CouncilMeetingHeld {
            session,
            posting_due: None,
            ..
        } => ObligationChange::Cancelled {
            id: report_id(session),
        },
        ReportingEvent::CouncilMeetingHeld {
            session,
            held_on,
            posting_due: Some(deadline),
            ..
        } => {
            let posting = Due {
                event,
                id: posting_id(session),
                kind: SUMMARY_POSTING,
                // The meeting's date: the event does not repeat the session's (they usually
                // agree).
                reference: held_on.to_string(),
                deadline: &deadline,
            }
            .open(
                responsible(local_authority, &[Role::CouncilSecretary]),
                vec![
                    responsible(local_authority, &[Role::RegisterBureauHead]),
                    responsible(local_authority, &[Role::CommitteeMember]),
                ],
            )?;
            // A report was filed (there is a summary to post): the report obligation is met,
            // even if a rescheduling after the filing reopened it (see the module docs).
            return Ok(vec![
                ObligationChange::Met {
                    id: report_id(session),
                },
                posting,
            ]);
        }
        ReportingEvent::SummaryPosted { session, .. } => ObligationChange::Met {
            id: posting_id(session),
        },
        ReportingEvent::SummaryTakenDown { .. } => return Ok(Vec::new()),
    };
    Ok(vec![change])
}
