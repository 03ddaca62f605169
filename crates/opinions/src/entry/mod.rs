//! One entry of a local authority's register of opinions and questions (decree 2019-401,
//! chapter II, art. 10-13): its vocabulary, commands, events, errors and aggregate.
//!
//! Each entry is its own stream (`OpinionEntry`, id [`EntryId`](crate::EntryId)): the
//! register of a large municipality grows without bound, and nothing in the rules needs two
//! entries at once.

pub(crate) mod aggregate;
pub(crate) mod commands;
pub(crate) mod error;
pub(crate) mod events;
pub(crate) mod model;
