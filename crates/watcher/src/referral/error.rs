//! Why a referral command was refused.

use chrono::NaiveDate;

use kernel::OrganisationId;
use kernel::personal_data::EnvelopeError;

use crate::error::InvalidText;
use crate::referral::ReferralStatus;

/// Business rules of a corruption referral.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReferralError {
    /// Only a supervisor or the head of the department acts on referrals.
    #[error("only a supervisor or the head of the Public Service Quality Department may do this")]
    NotDepartmentSupervisor,
    /// The referral exists already.
    #[error("this referral already exists")]
    AlreadyReferred,
    /// The referral does not exist.
    #[error("this referral does not exist")]
    NotReferred,
    /// The referral's state does not allow this.
    #[error("not possible while the referral is {status:?}")]
    WrongStatus {
        /// The state it is in.
        status: ReferralStatus,
    },
    /// The authority is not in the configured list.
    #[error("organisation {0} is not a configured competent authority")]
    NotACompetentAuthority(OrganisationId),
    /// A text field was refused.
    #[error(transparent)]
    InvalidText(#[from] InvalidText),
    /// A summary could not be sealed.
    #[error(transparent)]
    PersonalData(#[from] EnvelopeError),
    /// A date after today.
    #[error("{date} is in the future (today is {today})")]
    DateInFuture {
        /// Given.
        date: NaiveDate,
        /// Today.
        today: NaiveDate,
    },
    /// A date before the referral was sent.
    #[error("{date} is before the referral was sent ({referred_on})")]
    DateBeforeReferral {
        /// Given.
        date: NaiveDate,
        /// The day it was sent.
        referred_on: NaiveDate,
    },
}
