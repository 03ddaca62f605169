//! Citizen files and the forum as the gateway reads them: read models with their queries,
//! the obligations files create, and the e-Moatinet performance report.
//!
//! # Read models
//!
//! Three projections, each with its own tables (migrations `0003_citizen_file_read_models`),
//! each rebuildable alone from position zero into identical rows (rows hold only what the
//! events say, never the time of projection), and each replayable "as of" a position or a
//! date into a scratch store with [`event_store::replay_into`]:
//!
//! | projection | tables | queries |
//! |---|---|---|
//! | [`InboxProjection`] `citizen_file.inbox` | `cf_inbox`, `cf_inbox_folds` | [`inbox`], [`monitoring`] |
//! | [`FilesProjection`] `citizen_file.files` | `cf_files`, `cf_file_followers`, `cf_timeline`, `cf_file_folds` | [`files_of_author`], [`file_by_tracking_code`], [`timeline`], [`file_detail`] |
//! | [`ForumProjection`] `citizen_file.forum` | `cf_forum_topics`, `cf_forum_posts` | [`forum_topics`], [`forum_topic`], [`forum_posts`], [`moderation_queue`] |
//!
//! The file projections fold each file's events into a [`FileDetail`] (kept in their own
//! `*_folds` table, so that neither depends on the other's progress) and derive their rows
//! from it; the report folds the same way. Due dates are the ones the domain computed and
//! put in its events: no legal rule is run again here. Personal data stays sealed: rows keep
//! `Sealed<T>` values as their JSON and queries return them typed, for the gateway to open
//! for whom may read them.
//!
//! # Obligations
//!
//! [`CitizenFileObligations`] says which event opens, moves, suspends, meets or cancels which
//! obligation (the reply, the e-mail first response, each referral's reply), for the
//! reminder engine.
//!
//! # Report
//!
//! [`performance_report`]: per handling organisation and per structure, for a period, from
//! a position of the log, as a typed [`PerformanceReport`] and a
//! [`ReportDocument`](crate::ReportDocument) (JSON, CSV, HTML) in French or Arabic.

mod detail;
mod files;
mod forum;
mod inbox;
mod labels;
mod obligations;
mod report;
mod sql;
mod timeline;

use std::sync::Arc;

pub use detail::{
    FileDetail, FileState, FirstResponse, FoldError, Rating, Referral, ReferralOutcome,
    SignedAnswer, event_time,
};
pub use files::{
    AuthorFile, FileSummary, FilesProjection, NotificationFilter, Relation, file_by_tracking_code,
    file_detail, files_of_author, notifications, timeline,
};
pub use forum::{
    ForumPostRow, ForumProjection, ForumTopicRow, PostContent, forum_posts, forum_topic,
    forum_topics, moderation_queue,
};
pub use inbox::{Duty, InboxFilter, InboxProjection, InboxRow, inbox, monitoring};
pub use labels::ReportLanguage;
pub use obligations::{CitizenFileObligations, FIRST_RESPONSE, REFERRAL_REPLY, REPLY};
pub use report::{
    AnswerStats, Delay, HandlingPerformance, PERFORMANCE_REPORT, PerformanceParams,
    PerformanceReport, ReportError, Satisfaction, StructurePerformance, Tally, performance_report,
};
pub use sql::QueryError;
pub use timeline::{TimelineEntry, TimelineItem};

/// The read-model projections of citizen files and the forum, for the projection runner.
pub fn projections() -> Vec<Arc<dyn event_store::Projection>> {
    vec![
        Arc::new(InboxProjection),
        Arc::new(FilesProjection),
        Arc::new(ForumProjection),
    ]
}
