//! e-Moatinet citizen files (government decree 2019-1242; circular of the Head of Government
//! on signed answers; circular 2 of 2020 on e-mail): the pure domain.
//!
//! Two aggregates:
//!
//! - [`CitizenFile`] (`"CitizenFile"`, id [`FileId`]): a petition, a guidance request, a
//!   suggestion or a notification, from its receipt to its closing: admission, requests for
//!   information, referrals to structures (the chain of custody), the signed answer, rating,
//!   contest, merging of duplicates, and every deadline on the way. See [`file`](mod@file).
//! - [`ForumTopic`] (`"ForumTopic"`, id [`TopicId`]): the forum of art. 11. See [`forum`].
//!
//! No HTTP, no SQL: time, the legal calendar, the personal-data cipher, the organisation
//! directory and the answer signer come in through [`CitizenFileServices`] and
//! [`ForumServices`]; identifiers and tracking codes come in commands. Rule values are
//! configuration ([`CitizenFileConfig`], [`ForumConfig`]), with documented defaults.
#![forbid(unsafe_code)]

mod config;
mod deadlines;
// Public for their documentation (lifecycles, decisions); the API is re-exported below.
pub mod file;
pub mod forum;
mod ids;
mod services;
mod validation;

pub use config::{
    AttachmentRules, CitizenFileConfig, ConfigError, DeadlinePolicy, ForumConfig, ReplyDeadlines,
    TextLengths,
};
pub use deadlines::ScheduledDeadline;
pub use file::{
    AttachmentProblem, AttachmentRef, AuthorDetails, AuthorProof, AuthorRef, Channel, CitizenFile,
    CitizenFileCommand, CitizenFileEvent, ClosureReason, Coordinates, DeadlineTarget, Feasibility,
    FileError, FileKind, FileStatus, InadmissibilityReason, KindDetails, Location, MoreTimeReason,
    NewFile, PersonKind, Receipt, ReferralStatus, ReplyOutcome, Statement, Urgency,
};
pub use forum::{AbuseReason, ForumCommand, ForumError, ForumEvent, ForumTopic, TopicStatus};
pub use ids::{FileId, PostId, ReferralId, TopicId};
pub use services::{
    AnswerDocument, AnswerSignature, AnswerSigner, CitizenFileServices, ForumServices, SigningError,
};
pub use validation::InvalidText;
