//! Events of a corruption referral. All are department-only.

use chrono::{DateTime, NaiveDate, Utc};
use cqrs_es::DomainEvent;
use serde::{Deserialize, Serialize};

use kernel::personal_data::Sealed;
use kernel::{ActorId, OrganisationId, Text};

use crate::ids::{FindingId, ReferralId, VisitId};

/// The corruption-type behaviours the team refers (department page 004).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CorruptionCategory {
    /// Extortion (الابتزاز): demanding something for the service.
    Extortion,
    /// Unfairness (الحيف): an unjust treatment of the user.
    Unfairness,
    /// Abuse of influence (الاستخدام السيئ للنفوذ).
    AbuseOfInfluence,
    /// Breach of equality of treatment.
    BreachOfEquality,
    /// Breach of integrity.
    BreachOfIntegrity,
    /// Breach of transparency.
    BreachOfTransparency,
}

/// What the competent authority decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReferralOutcome {
    /// Proceedings (judicial or disciplinary) were opened.
    ProceedingsOpened,
    /// A sanction was imposed.
    SanctionImposed,
    /// The case was closed without further action.
    NoFurtherAction,
    /// The authority found it was not competent.
    DeclinedJurisdiction,
}

/// What happened to a referral.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ReferralEvent {
    /// A finding was referred to a competent authority.
    FindingReferred {
        /// The referral.
        referral: ReferralId,
        /// The visit the finding comes from.
        visit: VisitId,
        /// The finding.
        finding: FindingId,
        /// The inspected body concerned.
        organisation: OrganisationId,
        /// What kind of behaviour.
        category: CorruptionCategory,
        /// The authority it was sent to.
        authority: OrganisationId,
        /// The facts referred.
        summary: Sealed<Text>,
        /// Who referred it.
        by: ActorId,
        /// When it was sent.
        referred_at: DateTime<Utc>,
    },
    /// The authority acknowledged receipt.
    ReferralAcknowledged {
        /// The date of the acknowledgement.
        acknowledged_on: NaiveDate,
        /// The authority's reference, if any.
        authority_reference: Option<Text>,
        /// Who recorded it.
        by: ActorId,
        /// When it was recorded.
        recorded_at: DateTime<Utc>,
    },
    /// The authority's decision was recorded; the referral is closed.
    ReferralOutcomeRecorded {
        /// The decision.
        outcome: ReferralOutcome,
        /// Its date.
        decided_on: NaiveDate,
        /// What was decided.
        summary: Sealed<Text>,
        /// Who recorded it.
        by: ActorId,
        /// When it was recorded.
        recorded_at: DateTime<Utc>,
    },
}

impl DomainEvent for ReferralEvent {
    fn event_type(&self) -> String {
        match self {
            Self::FindingReferred { .. } => "FindingReferred",
            Self::ReferralAcknowledged { .. } => "ReferralAcknowledged",
            Self::ReferralOutcomeRecorded { .. } => "ReferralOutcomeRecorded",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        "1".to_owned()
    }
}
