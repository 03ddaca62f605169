//! The council's reporting on the register (decree 2019-401 art. 14-15): the calendar of
//! ordinary sessions, the committee's periodic report before each session, and the posting of
//! its public summary after the council's meeting.
//!
//! One stream per local authority (`CouncilReporting`, id: the local authority's
//! [`OrganisationId`](kernel::OrganisationId)), holding its sessions: a few events a session,
//! four sessions a year by default, so the stream stays small for decades.

pub(crate) mod aggregate;
pub(crate) mod commands;
pub(crate) mod error;
pub(crate) mod events;
