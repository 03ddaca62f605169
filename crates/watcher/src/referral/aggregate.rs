//! The `CorruptionReferral` aggregate: sent, acknowledged, closed with an outcome.

use chrono::{DateTime, NaiveDate, Utc};
use cqrs_es::Aggregate;
use cqrs_es::event_sink::EventSink;
use serde::{Deserialize, Serialize};

use kernel::personal_data::SubjectId;

use crate::error::InvalidText;
use crate::referral::{ReferralCommand, ReferralError, ReferralEvent};
use crate::services::{SUPERVISING, WatcherServices};

/// Where a referral stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReferralStatus {
    /// Sent to the authority.
    Sent,
    /// The authority acknowledged receipt.
    Acknowledged,
    /// The authority's decision is recorded.
    Closed,
}

/// A corruption referral. See the [module docs](crate::referral).
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct CorruptionReferral {
    status: Option<ReferralStatus>,
    subject: Option<SubjectId>,
    referred_at: Option<DateTime<Utc>>,
}

impl CorruptionReferral {
    /// Its status, once referred.
    pub fn status(&self) -> Option<ReferralStatus> {
        self.status
    }

    /// The subject and sending time, if the referral is in one of `allowed`.
    fn require_status(
        &self,
        allowed: &[ReferralStatus],
    ) -> Result<(SubjectId, DateTime<Utc>), ReferralError> {
        match (self.status, self.subject, self.referred_at) {
            (Some(status), Some(subject), Some(referred_at)) if allowed.contains(&status) => {
                Ok((subject, referred_at))
            }
            (Some(status), ..) => Err(ReferralError::WrongStatus { status }),
            _ => Err(ReferralError::NotReferred),
        }
    }
}

impl Aggregate for CorruptionReferral {
    const TYPE: &'static str = "CorruptionReferral";
    type Command = ReferralCommand;
    type Event = ReferralEvent;
    type Error = ReferralError;
    type Services = WatcherServices;

    async fn handle(
        &mut self,
        command: Self::Command,
        services: &Self::Services,
        sink: &EventSink<Self>,
    ) -> Result<(), Self::Error> {
        let actor = match &command {
            ReferralCommand::ReferFinding { actor, .. }
            | ReferralCommand::RecordAcknowledgement { actor, .. }
            | ReferralCommand::RecordOutcome { actor, .. } => *actor,
        };
        services.authorize(&actor, SUPERVISING, ReferralError::NotDepartmentSupervisor)?;
        let event = match command {
            ReferralCommand::ReferFinding {
                actor,
                referral,
                visit,
                finding,
                organisation,
                category,
                authority,
                subject,
                summary,
            } => {
                if self.status.is_some() {
                    return Err(ReferralError::AlreadyReferred);
                }
                if !services.config.competent_authorities.contains(&authority) {
                    return Err(ReferralError::NotACompetentAuthority(authority));
                }
                ReferralEvent::FindingReferred {
                    referral,
                    visit,
                    finding,
                    organisation,
                    category,
                    authority,
                    summary: services
                        .seal_body::<ReferralError>(subject, "summary", &summary)
                        .await?,
                    by: actor.id,
                    referred_at: services.now(),
                }
            }
            ReferralCommand::RecordAcknowledgement {
                actor,
                acknowledged_on,
                authority_reference,
            } => {
                let (_, referred_at) = self.require_status(&[ReferralStatus::Sent])?;
                check_date(acknowledged_on, referred_at, services)?;
                ReferralEvent::ReferralAcknowledged {
                    acknowledged_on,
                    authority_reference: authority_reference
                        .map(|r| {
                            InvalidText::check("authority_reference", &r, services.config.line())
                        })
                        .transpose()?,
                    by: actor.id,
                    recorded_at: services.now(),
                }
            }
            ReferralCommand::RecordOutcome {
                actor,
                outcome,
                decided_on,
                summary,
            } => {
                let (subject, referred_at) =
                    self.require_status(&[ReferralStatus::Sent, ReferralStatus::Acknowledged])?;
                check_date(decided_on, referred_at, services)?;
                ReferralEvent::ReferralOutcomeRecorded {
                    outcome,
                    decided_on,
                    summary: services
                        .seal_body::<ReferralError>(subject, "summary", &summary)
                        .await?,
                    by: actor.id,
                    recorded_at: services.now(),
                }
            }
        };
        sink.write(event, self).await;
        Ok(())
    }

    fn apply(&mut self, event: Self::Event) {
        match event {
            ReferralEvent::FindingReferred {
                summary,
                referred_at,
                ..
            } => {
                self.status = Some(ReferralStatus::Sent);
                self.subject = Some(summary.subject());
                self.referred_at = Some(referred_at);
            }
            ReferralEvent::ReferralAcknowledged { .. } => {
                self.status = Some(ReferralStatus::Acknowledged);
            }
            ReferralEvent::ReferralOutcomeRecorded { .. } => {
                self.status = Some(ReferralStatus::Closed);
            }
        }
    }
}

/// An authority's date is not before the (local) day the referral was sent nor after today.
fn check_date(
    date: NaiveDate,
    referred_at: DateTime<Utc>,
    services: &WatcherServices,
) -> Result<(), ReferralError> {
    let today = services.today();
    let referred_on = services.calendar.local_date(referred_at);
    if date > today {
        return Err(ReferralError::DateInFuture { date, today });
    }
    if date < referred_on {
        return Err(ReferralError::DateBeforeReferral { date, referred_on });
    }
    Ok(())
}
