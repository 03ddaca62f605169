//! Files as their authors and the agents' file page see them.
//!
//! The projection `citizen_file.files` keeps, per file, a summary row (`cf_files`), the
//! accounts following it after a merge (`cf_file_followers`), the timeline its author may
//! see (`cf_timeline`, see [`timeline`](super::timeline)) and the whole fold
//! ([`FileDetail`], `cf_file_folds`) for the agents' file page.
//!
//! Authors find their files by account ([`files_of_author`]): the files they submitted or
//! that were registered with their account, and the files they follow because a duplicate
//! of theirs was merged into them. Someone without an account reaches their file by its
//! tracking code ([`file_by_tracking_code`]), whose secret the gateway checks first.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use citizen_file::{Channel, CitizenFileEvent, FileId, FileKind, FileStatus, Urgency};
use event_store::{Projection, ProjectionError, RecordedEvent};
use kernel::tracking::TrackingCode;
use kernel::{ActorId, OrganisationId};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AnyPool};

use super::detail::FileDetail;
use super::sql::{
    Bind, Conditions, FoldStore, QueryError, citizen_file_event, column, id_column, json_column,
    millis, name_column, name_of, optional_name_column, optional_time_column, paged, time_column,
    tracking_code_column,
};
use super::timeline::{TimelineItem, visible_entry};
use crate::query::{Page, Paged};

const FOLDS: FoldStore = FoldStore {
    table: "cf_file_folds",
};

/// A file in a list: what identifies it and where it stands.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FileSummary {
    /// The file.
    pub file: FileId,
    /// Its tracking code.
    pub tracking_code: TrackingCode,
    /// Its kind.
    pub kind: FileKind,
    /// A notification's urgency.
    pub urgency: Option<Urgency>,
    /// How it came in.
    pub channel: Channel,
    /// The organisation that studies it.
    pub handled_by: OrganisationId,
    /// Where it stands (with the closure reason, or the file it was merged into).
    pub status: FileStatus,
    /// When it was received.
    pub received_at: DateTime<Utc>,
    /// When the reply owed now falls due (none when answered, closed, or while the clock is
    /// stopped).
    pub reply_due_at: Option<DateTime<Utc>>,
    /// When the last answer was signed.
    pub answered_at: Option<DateTime<Utc>>,
    /// When its last event happened.
    pub updated_at: DateTime<Utc>,
}

/// How an account relates to a file of its list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    /// The account's holder wrote it.
    Author,
    /// A duplicate of theirs was merged into it: they follow it, without seeing its
    /// author's personal data (sealed under another data subject).
    Follower,
}

/// A file in an author's list.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AuthorFile {
    /// The file.
    pub file: FileSummary,
    /// Why it is in the list.
    pub relation: Relation,
}

/// The files projection (`citizen_file.files`).
#[derive(Clone, Copy, Debug, Default)]
pub struct FilesProjection;

impl FilesProjection {
    /// Its name, the key of its checkpoint.
    pub const NAME: &'static str = "citizen_file.files";
}

const UPSERT_FILE: &str = "INSERT INTO cf_files (file_id, tracking_code, kind, urgency, channel, \
     handled_by, author_account, status, received_at, reply_due_at, answered_at, updated_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
     ON CONFLICT (file_id) DO UPDATE SET status = excluded.status, \
     reply_due_at = excluded.reply_due_at, answered_at = excluded.answered_at, \
     updated_at = excluded.updated_at";

#[async_trait]
impl Projection for FilesProjection {
    fn name(&self) -> &str {
        Self::NAME
    }

    async fn apply(
        &self,
        tx: &mut AnyConnection,
        event: &RecordedEvent,
    ) -> Result<(), ProjectionError> {
        let Some(file_event) = citizen_file_event(event)? else {
            return Ok(());
        };
        let file = FOLDS.fold(tx, &file_event, &event.aggregate_id).await?;
        sqlx::query(UPSERT_FILE)
            .bind(&event.aggregate_id)
            .bind(file.tracking_code.as_str())
            .bind(name_of(&file.file_kind())?)
            .bind(file.urgency().map(|u| name_of(&u)).transpose()?)
            .bind(name_of(&file.channel)?)
            .bind(file.handled_by.to_string())
            .bind(file.author.account.map(|a| a.to_string()))
            .bind(serde_json::to_string(&file.status)?)
            .bind(millis(file.received_at))
            .bind(file.reply_due_at().map(millis))
            .bind(file.answers.last().map(|a| millis(a.at)))
            .bind(millis(file.updated_at))
            .execute(&mut *tx)
            .await?;
        if let CitizenFileEvent::DuplicateAttached { follower, .. } = &file_event
            && let Some(account) = follower.account
        {
            sqlx::query(
                "INSERT INTO cf_file_followers (file_id, account) VALUES ($1, $2) \
                 ON CONFLICT (file_id, account) DO NOTHING",
            )
            .bind(&event.aggregate_id)
            .bind(account.to_string())
            .execute(&mut *tx)
            .await?;
        }
        if let Some(entry) = visible_entry(&file_event, &file) {
            sqlx::query(
                "INSERT INTO cf_timeline (file_id, sequence, at, entry) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (file_id, sequence) DO UPDATE SET at = excluded.at, \
                 entry = excluded.entry",
            )
            .bind(&event.aggregate_id)
            .bind(event.sequence)
            .bind(millis(file.updated_at))
            .bind(serde_json::to_string(&entry)?)
            .execute(&mut *tx)
            .await?;
        }
        Ok(())
    }

    fn tables(&self) -> &[&'static str] {
        &[
            "cf_timeline",
            "cf_file_followers",
            "cf_files",
            "cf_file_folds",
        ]
    }
}

const SUMMARY_COLUMNS: &str = "f.file_id, f.tracking_code, f.kind, f.urgency, f.channel, \
     f.handled_by, f.author_account, f.status, f.received_at, f.reply_due_at, f.answered_at, \
     f.updated_at";

fn decode_summary(row: &AnyRow) -> Result<FileSummary, QueryError> {
    Ok(FileSummary {
        file: id_column(row, "file_id")?,
        tracking_code: tracking_code_column(row, "tracking_code")?,
        kind: name_column(row, "kind")?,
        urgency: optional_name_column(row, "urgency")?,
        channel: name_column(row, "channel")?,
        handled_by: id_column(row, "handled_by")?,
        status: json_column(row, "status")?,
        received_at: time_column(row, "received_at")?,
        reply_due_at: optional_time_column(row, "reply_due_at")?,
        answered_at: optional_time_column(row, "answered_at")?,
        updated_at: time_column(row, "updated_at")?,
    })
}

/// The files of the account `author`: written by them, or followed after a merge; the most
/// recently received first.
pub async fn files_of_author(
    pool: &AnyPool,
    author: ActorId,
    page: Page,
) -> Result<Paged<AuthorFile>, QueryError> {
    // A follower who also wrote the file sees it once, as its author.
    let union = format!(
        "SELECT {SUMMARY_COLUMNS} FROM cf_files f WHERE f.author_account = $1 \
         UNION ALL \
         SELECT {SUMMARY_COLUMNS} FROM cf_files f \
         JOIN cf_file_followers w ON w.file_id = f.file_id \
         WHERE w.account = $1 AND (f.author_account IS NULL OR f.author_account <> $1)"
    );
    let account = author.to_string();
    paged(
        pool,
        &format!("SELECT * FROM ({union}) AS mine ORDER BY received_at DESC, file_id"),
        &format!("SELECT COUNT(*) FROM ({union}) AS mine"),
        &[Bind::Text(account.clone())],
        page,
        |row| {
            let relation =
                if column::<Option<String>>(row, "author_account")?.as_ref() == Some(&account) {
                    Relation::Author
                } else {
                    Relation::Follower
                };
            Ok(AuthorFile {
                file: decode_summary(row)?,
                relation,
            })
        },
    )
    .await
}

/// The file with tracking code `code`.
pub async fn file_by_tracking_code(
    pool: &AnyPool,
    code: &TrackingCode,
) -> Result<Option<FileSummary>, QueryError> {
    sqlx::query(&format!(
        "SELECT {SUMMARY_COLUMNS} FROM cf_files f WHERE f.tracking_code = $1"
    ))
    .bind(code.as_str())
    .fetch_optional(pool)
    .await?
    .as_ref()
    .map(decode_summary)
    .transpose()
}

/// Which notifications to list (Open311 `GET requests`); the conditions combine.
#[derive(Clone, Debug, Default)]
pub struct NotificationFilter {
    /// Only these tracking codes.
    pub codes: Option<Vec<TrackingCode>>,
    /// Received at or after.
    pub received_from: Option<DateTime<Utc>>,
    /// Received at or before.
    pub received_to: Option<DateTime<Utc>>,
    /// Only files still waiting for their answer (`true`), or only answered, closed or
    /// merged ones (`false`).
    pub open: Option<bool>,
}

/// Notifications (art. 10), the most recently received first.
pub async fn notifications(
    pool: &AnyPool,
    filter: &NotificationFilter,
    page: Page,
) -> Result<Paged<FileSummary>, QueryError> {
    let mut conditions = Conditions::default();
    conditions.add("f.kind = ?", Bind::Text(name_of(&FileKind::Notification)?));
    if let Some(codes) = &filter.codes {
        let codes = codes.iter().map(|c| Bind::Text(c.as_str().to_owned()));
        conditions.add_one_of("f.tracking_code", codes.collect());
    }
    if let Some(from) = filter.received_from {
        conditions.add("f.received_at >= ?", Bind::Integer(millis(from)));
    }
    if let Some(to) = filter.received_to {
        conditions.add("f.received_at <= ?", Bind::Integer(millis(to)));
    }
    // `status` holds `FileStatus` as JSON: the answered state is a string, the closed and
    // merged states are objects.
    let done = "(f.status = '\"answered\"' OR f.status LIKE '{%')";
    match filter.open {
        Some(true) => conditions.add_fixed(&format!("NOT {done}")),
        Some(false) => conditions.add_fixed(done),
        None => {}
    }
    let filter = conditions.where_clause();
    paged(
        pool,
        &format!(
            "SELECT {SUMMARY_COLUMNS} FROM cf_files f {filter} \
             ORDER BY f.received_at DESC, f.file_id"
        ),
        &format!("SELECT COUNT(*) FROM cf_files f {filter}"),
        conditions.binds(),
        page,
        decode_summary,
    )
    .await
}

/// What the author of `file` may see of it, in order.
pub async fn timeline(pool: &AnyPool, file: FileId) -> Result<Vec<TimelineItem>, QueryError> {
    sqlx::query("SELECT sequence, at, entry FROM cf_timeline WHERE file_id = $1 ORDER BY sequence")
        .bind(file.to_string())
        .fetch_all(pool)
        .await?
        .iter()
        .map(|row| {
            Ok(TimelineItem {
                sequence: column(row, "sequence")?,
                at: time_column(row, "at")?,
                entry: json_column(row, "entry")?,
            })
        })
        .collect()
}

/// Everything the agents' file page shows: the file, its referral chain, its deadlines with
/// their explanation, its answers (sealed values stay sealed).
pub async fn file_detail(pool: &AnyPool, file: FileId) -> Result<Option<FileDetail>, QueryError> {
    FOLDS.load(pool, file).await
}
