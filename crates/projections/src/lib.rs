//! Everything projected from the global log: read models, deadline reminders, the
//! notification outbox and its delivery channels, periodic reports.
//!
//! - [`citizen_file`], [`local_democracy`], [`watcher`]: each domain's read models (with
//!   their queries), its obligation rules and its periodic report;
//! - [`obligations`]: obligations with a due date, as the domains declare them;
//! - [`reminders`]: the obligations projection and the worker that reminds and escalates;
//! - [`messages`]: the Arabic and French message catalogue;
//! - [`outbox`]: messages queued by projections in their own transaction, delivered at
//!   least once with retries, back-off and dead letters;
//! - [`delivery`]: the channels: e-mail over SMTP, signed webhooks, the NATS event feed;
//! - [`notifications`]: messages to the authors of citizen files;
//! - [`feed`]: public domain events for the outbound feed;
//! - [`personal_data`]: which streams hold each person's data, for access requests;
//! - [`report`]: the document every report renders to (JSON, CSV, HTML);
//! - [`query`]: paging of read-model queries.
#![forbid(unsafe_code)]

pub mod citizen_file;
pub mod delivery;
pub mod feed;
pub mod local_democracy;
pub mod messages;
pub mod notifications;
pub mod obligations;
pub mod outbox;
pub mod personal_data;
pub mod query;
pub mod reminders;
pub mod report;
pub mod watcher;

pub use feed::FeedProjection;
pub use notifications::AuthorNotifications;
pub use obligations::{Obligation, ObligationChange, ObligationRules, Responsible};
pub use outbox::{
    ChannelKind, Channels, Deliver, DeliveryError, Message, OutboxEntry, OutboxError, OutboxWorker,
    OutgoingMessage, RetryPolicy, Round, enqueue,
};
pub use personal_data::SubjectStreams;
pub use query::{Page, Paged};
pub use reminders::{
    ConfiguredRecipients, FunctionalAddress, ObligationsProjection, Recipient, RecipientDirectory,
    ReminderRound, ReminderSettings, ReminderWorker,
};
pub use report::{Cell, RenderError, ReportDocument, Section};
