//! Commands of a corruption referral. All by a supervisor or the head of the department.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use kernel::personal_data::SubjectId;
use kernel::{Actor, OrganisationId};

use crate::ids::{FindingId, ReferralId, VisitId};
use crate::referral::{CorruptionCategory, ReferralOutcome};

/// What can be asked of a referral.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReferralCommand {
    /// Refers a finding to a competent authority (the referral is sent).
    ReferFinding {
        /// Who acts.
        actor: Actor,
        /// The new referral's identifier.
        referral: ReferralId,
        /// The visit the finding comes from.
        visit: VisitId,
        /// The finding.
        finding: FindingId,
        /// The inspected body concerned.
        organisation: OrganisationId,
        /// What kind of behaviour.
        category: CorruptionCategory,
        /// The authority it is referred to (one of the configured ones).
        authority: OrganisationId,
        /// The data subject the summaries are sealed under (normally the visit's).
        subject: SubjectId,
        /// The facts referred.
        summary: String,
    },
    /// Records that the authority acknowledged receipt.
    RecordAcknowledgement {
        /// Who acts.
        actor: Actor,
        /// The date of the acknowledgement (local date).
        acknowledged_on: NaiveDate,
        /// The authority's reference for the case, if it gave one.
        authority_reference: Option<String>,
    },
    /// Records what the authority decided; closes the referral.
    RecordOutcome {
        /// Who acts.
        actor: Actor,
        /// The decision.
        outcome: ReferralOutcome,
        /// Its date (local date).
        decided_on: NaiveDate,
        /// What was decided, in words.
        summary: String,
    },
}
