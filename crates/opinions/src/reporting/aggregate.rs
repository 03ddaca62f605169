//! The [`CouncilReporting`] aggregate: a local authority's calendar of ordinary sessions and,
//! for each session, the committee's report and the posting of its summary.
//!
//! A session goes `Scheduled` → `Held` → `SummaryPosted` → `SummaryTakenDown`. Before it is
//! held it may move (the report deadline follows) and receive its report. A session held
//! without a report stops at `Held`: there is no summary to post, and the missed report
//! deadline, recorded when the session was scheduled, shows the failure.
//!
//! # Deadlines
//!
//! - **Report** (art. 14: the committee submits it to the council at its ordinary sessions):
//!   due by the end of the day before the session. Computed by the kernel in calendar days
//!   without roll, from the instant the session is scheduled to the eve of the session; a
//!   session must therefore be scheduled at least two days ahead, leaving the committee a
//!   full day. A report after the deadline is refused: it can no longer reach that session.
//! - **Posting** (art. 15: within 5 days of the meeting): calendar days from the day of the
//!   meeting (not counted), rolled to the next working day (configuration). Posting late is
//!   accepted and flagged `late`: the summary is still owed.
//! - **Display** (art. 15: at least 15 days): calendar days from the day of posting (not
//!   counted), without roll; taking the summary down earlier is refused, since the website
//!   copy is the platform's own publication. A paper notice torn down early is reposted by
//!   the local authority; that is outside what the register can enforce.
//!
//! The posting covers both places art. 15 names, the premises and the website, "in
//! parallel": one act, one date.

use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};
use cqrs_es::Aggregate;
use cqrs_es::event_sink::EventSink;
use kernel::calendar::{
    CalendarError, ComputedDeadline, Deadline, DeadlineRule, DeadlineUnit, RollPolicy,
};
use kernel::{Actor, OrganisationId, OrganisationKind, Role, Text, TextLimits};
use serde::{Deserialize, Serialize};

use crate::ids::CouncilSessionId;
use crate::reporting::commands::ReportingCommand;
use crate::reporting::error::{ReportField, ReportingError};
use crate::reporting::events::ReportingEvent;
use crate::screen::find_personal_data;
use crate::services::OpinionsServices;

/// Who keeps the session calendar, records meetings and posts summaries for the local
/// authority: the council's secretary.
pub const SECRETARY_ROLES: &[Role] = &[Role::CouncilSecretary];

/// Who files the committee's report (art. 14).
pub const REPORTING_ROLES: &[Role] = &[Role::CommitteeMember];

/// Where a session stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionStatus {
    /// On the calendar, not held yet.
    Scheduled,
    /// The council met.
    Held,
    /// The summary is up.
    SummaryPosted,
    /// The summary came down after its display period.
    SummaryTakenDown,
}

/// A local authority's council reporting.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct CouncilReporting {
    local_authority: Option<OrganisationId>,
    sessions: Vec<Session>,
}

#[derive(Debug, Serialize, Deserialize)]
struct Session {
    id: CouncilSessionId,
    date: NaiveDate,
    status: SessionStatus,
    report_due: ComputedDeadline,
    report_filed: bool,
    posting_due: Option<ComputedDeadline>,
    display_until: Option<DateTime<Utc>>,
}

/// One session's state, as [`CouncilReporting::sessions`] shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SessionView {
    /// The session.
    pub id: CouncilSessionId,
    /// Its date.
    pub date: NaiveDate,
    /// Where it stands.
    pub status: SessionStatus,
    /// Whether the committee's report is filed.
    pub report_filed: bool,
}

impl CouncilReporting {
    /// The local authority, once its first session is scheduled.
    pub fn local_authority(&self) -> Option<OrganisationId> {
        self.local_authority
    }

    /// The sessions, in the order they were scheduled.
    pub fn sessions(&self) -> impl Iterator<Item = SessionView> + '_ {
        self.sessions.iter().map(|session| SessionView {
            id: session.id,
            date: session.date,
            status: session.status,
            report_filed: session.report_filed,
        })
    }

    /// Checks `actor` acts for this calendar's local authority under one of `allowed`, and
    /// finds `session`.
    fn session(
        &self,
        session: CouncilSessionId,
        actor: &Actor,
        allowed: &'static [Role],
    ) -> Result<&Session, ReportingError> {
        let local_authority = self
            .local_authority
            .ok_or(ReportingError::UnknownSession { session })?;
        if !actor.acts_for(local_authority, allowed) {
            return Err(ReportingError::ActorNotAllowed { allowed });
        }
        self.sessions
            .iter()
            .find(|known| known.id == session)
            .ok_or(ReportingError::UnknownSession { session })
    }

    fn session_mut(&mut self, session: CouncilSessionId) -> Option<&mut Session> {
        self.sessions.iter_mut().find(|known| known.id == session)
    }

    /// A date for `session` (new or moved): far enough ahead for the committee to report, in
    /// a year that still has room. Returns the report deadline.
    fn check_date(
        &self,
        services: &OpinionsServices,
        session: CouncilSessionId,
        date: NaiveDate,
    ) -> Result<ComputedDeadline, ReportingError> {
        let today = services.today();
        let earliest = today
            .checked_add_days(Days::new(2))
            .ok_or(CalendarError::DateOutOfRange)?;
        if date < earliest {
            return Err(ReportingError::SessionTooSoon { date, earliest });
        }
        let max = services.config.ordinary_sessions_per_year;
        let same_year = self
            .sessions
            .iter()
            .filter(|other| other.id != session && other.date.year() == date.year())
            .count();
        if u32::try_from(same_year).map_or(true, |count| count >= max) {
            return Err(ReportingError::OrdinarySessionsFull {
                year: date.year(),
                max,
            });
        }
        // From today to the eve of the session: at least 1 day, since date >= today + 2.
        let days = (date - today).num_days() - 1;
        let rule = DeadlineRule {
            amount: u32::try_from(days).map_err(|_| CalendarError::DateOutOfRange)?,
            unit: DeadlineUnit::CalendarDays,
            roll: RollPolicy::None,
            source: format!(
                "decree 2019-401 art. 14: committee report before the ordinary session of {date}"
            ),
        };
        Ok(Deadline::new(rule, services.clock.now()).compute(&services.calendar)?)
    }
}

impl Aggregate for CouncilReporting {
    const TYPE: &'static str = "CouncilReporting";
    type Command = ReportingCommand;
    type Event = ReportingEvent;
    type Error = ReportingError;
    type Services = OpinionsServices;

    async fn handle(
        &mut self,
        command: Self::Command,
        services: &Self::Services,
        sink: &EventSink<Self>,
    ) -> Result<(), Self::Error> {
        let now = services.clock.now();
        let event = match command {
            ReportingCommand::ScheduleOrdinarySession {
                local_authority,
                session,
                date,
                actor,
            } => {
                if let Some(calendar_of) =
                    self.local_authority.filter(|&own| own != local_authority)
                {
                    return Err(ReportingError::LocalAuthorityMismatch { calendar_of });
                }
                if !services
                    .directory
                    .is_kind(local_authority, OrganisationKind::LocalAuthority)
                {
                    return Err(ReportingError::NotALocalAuthority(local_authority));
                }
                if !actor.acts_for(local_authority, SECRETARY_ROLES) {
                    return Err(ReportingError::ActorNotAllowed {
                        allowed: SECRETARY_ROLES,
                    });
                }
                if self.sessions.iter().any(|known| known.id == session) {
                    return Err(ReportingError::SessionAlreadyScheduled { session });
                }
                ReportingEvent::OrdinarySessionScheduled {
                    local_authority,
                    session,
                    date,
                    report_due: self.check_date(services, session, date)?,
                    by: actor.id,
                    at: now,
                }
            }
            ReportingCommand::RescheduleOrdinarySession {
                session,
                date,
                actor,
            } => {
                let known = self.session(session, &actor, SECRETARY_ROLES)?;
                ensure_not_held(known)?;
                ReportingEvent::OrdinarySessionRescheduled {
                    session,
                    from: known.date,
                    to: date,
                    report_due: self.check_date(services, session, date)?,
                    by: actor.id,
                    at: now,
                }
            }
            ReportingCommand::FileCommitteeReport {
                session,
                report,
                public_summary,
                attests_no_personal_data,
                actor,
            } => {
                let known = self.session(session, &actor, REPORTING_ROLES)?;
                ensure_not_held(known)?;
                if known.report_filed {
                    return Err(ReportingError::ReportAlreadyFiled { session });
                }
                if known.report_due.is_overdue_at(now) {
                    return Err(ReportingError::ReportDeadlinePassed {
                        due_at: known.report_due.due_at().unwrap_or(now),
                    });
                }
                if !attests_no_personal_data {
                    return Err(ReportingError::PersonalDataAttestationMissing);
                }
                let config = &services.config;
                ReportingEvent::CommitteeReportFiled {
                    session,
                    report: public_text(&report, config.report_text, ReportField::Report)?,
                    public_summary: public_text(
                        &public_summary,
                        config.summary_text,
                        ReportField::PublicSummary,
                    )?,
                    by: actor.id,
                    filed_at: now,
                }
            }
            ReportingCommand::RecordCouncilMeeting {
                session,
                held_on,
                actor,
            } => {
                let known = self.session(session, &actor, SECRETARY_ROLES)?;
                ensure_not_held(known)?;
                if held_on < known.date {
                    return Err(ReportingError::MeetingBeforeScheduledDate {
                        scheduled: known.date,
                    });
                }
                if held_on > services.today() {
                    return Err(ReportingError::MeetingInTheFuture { held_on });
                }
                let posting_due = if known.report_filed {
                    let start = services.calendar.start_of_day(held_on)?;
                    Some(
                        Deadline::new(services.config.posting.clone(), start)
                            .compute(&services.calendar)?,
                    )
                } else {
                    None
                };
                ReportingEvent::CouncilMeetingHeld {
                    session,
                    held_on,
                    posting_due,
                    by: actor.id,
                    recorded_at: now,
                }
            }
            ReportingCommand::PostSummary { session, actor } => {
                let known = self.session(session, &actor, SECRETARY_ROLES)?;
                let posting_due = match (known.status, &known.posting_due) {
                    (SessionStatus::Scheduled, _) => {
                        return Err(ReportingError::MeetingNotHeld { session });
                    }
                    (SessionStatus::Held, None) => {
                        return Err(ReportingError::NoReportFiled { session });
                    }
                    (SessionStatus::Held, Some(due)) => due,
                    (
                        status @ (SessionStatus::SummaryPosted | SessionStatus::SummaryTakenDown),
                        _,
                    ) => {
                        return Err(ReportingError::SummaryAlreadyPosted { session, status });
                    }
                };
                ReportingEvent::SummaryPosted {
                    session,
                    late: posting_due.is_overdue_at(now),
                    display: Deadline::new(services.config.display.clone(), now)
                        .compute(&services.calendar)?,
                    by: actor.id,
                    posted_at: now,
                }
            }
            ReportingCommand::TakeDownSummary { session, actor } => {
                let known = self.session(session, &actor, SECRETARY_ROLES)?;
                if known.status != SessionStatus::SummaryPosted {
                    return Err(ReportingError::SummaryNotPosted {
                        session,
                        status: known.status,
                    });
                }
                // A display deadline has no pause, so it always has an end; without one the
                // summary could never come down.
                let until = known.display_until.unwrap_or(DateTime::<Utc>::MAX_UTC);
                if now < until {
                    return Err(ReportingError::DisplayPeriodNotOver { until });
                }
                ReportingEvent::SummaryTakenDown {
                    session,
                    by: actor.id,
                    at: now,
                }
            }
        };
        sink.write(event, self).await;
        Ok(())
    }

    fn apply(&mut self, event: Self::Event) {
        match event {
            ReportingEvent::OrdinarySessionScheduled {
                local_authority,
                session,
                date,
                report_due,
                ..
            } => {
                self.local_authority = Some(local_authority);
                self.sessions.push(Session {
                    id: session,
                    date,
                    status: SessionStatus::Scheduled,
                    report_due,
                    report_filed: false,
                    posting_due: None,
                    display_until: None,
                });
            }
            ReportingEvent::OrdinarySessionRescheduled {
                session,
                to,
                report_due,
                ..
            } => {
                if let Some(known) = self.session_mut(session) {
                    known.date = to;
                    known.report_due = report_due;
                }
            }
            ReportingEvent::CommitteeReportFiled { session, .. } => {
                if let Some(known) = self.session_mut(session) {
                    known.report_filed = true;
                }
            }
            ReportingEvent::CouncilMeetingHeld {
                session,
                posting_due,
                ..
            } => {
                if let Some(known) = self.session_mut(session) {
                    known.status = SessionStatus::Held;
                    known.posting_due = posting_due;
                }
            }
            ReportingEvent::SummaryPosted {
                session, display, ..
            } => {
                if let Some(known) = self.session_mut(session) {
                    known.status = SessionStatus::SummaryPosted;
                    known.display_until = display.due_at();
                }
            }
            ReportingEvent::SummaryTakenDown { session, .. } => {
                if let Some(known) = self.session_mut(session) {
                    known.status = SessionStatus::SummaryTakenDown;
                }
            }
        }
    }
}

fn ensure_not_held(session: &Session) -> Result<(), ReportingError> {
    match session.status {
        SessionStatus::Scheduled => Ok(()),
        status => Err(ReportingError::SessionAlreadyHeld {
            session: session.id,
            status,
        }),
    }
}

/// A text published in clear: the text rules, then the personal-data screen.
fn public_text(raw: &str, limits: TextLimits, field: ReportField) -> Result<Text, ReportingError> {
    let text =
        Text::new(raw, limits).map_err(|error| ReportingError::InvalidText { field, error })?;
    match find_personal_data(text.as_str()) {
        Some(finding) => Err(ReportingError::PersonalDataSuspected { field, finding }),
        None => Ok(text),
    }
}
