//! Corruption referrals: a finding of corruption-type behaviour referred to a competent
//! authority, with its acknowledgement and outcome (aggregate `CorruptionReferral`).
//!
//! The team "contributes to detecting behaviour classed as corruption, such as extortion,
//! unfairness, abuse of influence and breaches of the principles of equality, integrity and
//! transparency ... and refers it to the competent bodies" (department page 004; decree 93-147
//! as amended by 2016-1072). The [`CorruptionCategory`] is that list; the competent authority
//! is one of [`crate::WatcherConfig::competent_authorities`] (the national anti-corruption
//! authority, a prosecutor: organisations of kind `ExternalAuthority`).
//!
//! Only a supervisor or the head of the department acts on a referral. **Every event of this
//! aggregate is department-only**: neither the inspected body nor its agents ever see that a
//! referral exists, and projections must keep them out of any view built for a body.
//!
//! The referral names the visit and finding it comes from; the application takes them from
//! the accepted visit. The summary and the outcome's summary may name agents: they are
//! sealed under the data subject the command carries (normally the visit's). The authority's
//! reference number is an administrative reference, not sealed.

mod aggregate;
mod commands;
mod error;
mod events;

pub use aggregate::{CorruptionReferral, ReferralStatus};
pub use commands::ReferralCommand;
pub use error::ReferralError;
pub use events::{CorruptionCategory, ReferralEvent, ReferralOutcome};
