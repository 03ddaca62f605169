//! Identifiers of this bounded context, and the entry number of the register.
//!
//! Identifiers are minted at the edge (gateway, importer, tests) and come in through commands;
//! aggregates never mint them (ADR 0004).

use std::fmt;
use std::num::NonZeroU32;

use serde::{Deserialize, Serialize};

kernel::define_id!(
    /// One entry of a local authority's register of opinions and questions: the id of an
    /// [`OpinionEntry`](crate::OpinionEntry) stream.
    EntryId
);

kernel::define_id!(
    /// A draft regulatory by-law published by a local authority before its deliberation
    /// (decree 2019-401 art. 11, section IV). Drafts are published elsewhere; the register only
    /// refers to them.
    DraftByLawId
);

kernel::define_id!(
    /// One ordinary session of a local council, in its [`CouncilReporting`](crate::CouncilReporting)
    /// calendar.
    CouncilSessionId
);

/// The number of an entry in its register (decree 2019-401 art. 12, mandatory data; list
/// missing from our copy, domain notes assumption), from 1.
///
/// The number comes in the filing command, drawn at the edge from a per-register counter,
/// exactly like identifiers: see the crate documentation for why the register is not an
/// aggregate handing out numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EntryNumber(pub NonZeroU32);

impl EntryNumber {
    /// The number `value`, or `None` for 0 (registers count from 1).
    pub fn new(value: u32) -> Option<Self> {
        NonZeroU32::new(value).map(Self)
    }

    /// The number as an integer.
    pub fn get(self) -> u32 {
        self.0.get()
    }
}

impl fmt::Display for EntryNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}
