//! Inboxes: for each organisation, the files it has to act on, soonest due first.
//!
//! One row per file per organisation that holds it:
//!
//! - the **handling organisation** (the Citizen Relations Office for petitions and guidance
//!   requests, the Central Bureau for suggestions and notifications) from receipt until the
//!   signed answer goes out (again after a contest), including while the file waits for
//!   the author's information (the reply clock is stopped: no due date) or for structures
//!   (the office still owes the reply and follows them up); and an adopted suggestion stays
//!   in the Central Bureau's inbox, without a due date, until it is implemented (art. 9);
//! - each **structure** with a referral still waiting for its reply.
//!
//! `due_at` is what that organisation owes first: the e-mail first response while it is
//! owed (circular 2 of 2020), else the reply (handling organisation); the referral's reply
//! (structure). Due dates come from the events as computed by the domain; "overdue" is
//! decided at query time against the caller's `now` (a row is overdue from its `due_at`
//! on, the expiry instant being exclusive), so rows never need rewriting as time passes.
//! Rows are sorted by due date (none last), then receipt, then file.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use citizen_file::{Channel, FileId, FileKind, FileStatus, ReferralId, Urgency};
use event_store::{Projection, ProjectionError, RecordedEvent};
use kernel::OrganisationId;
use kernel::tracking::TrackingCode;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AnyPool};

use super::detail::{FileDetail, FileState};
use super::obligations::{FIRST_RESPONSE, REFERRAL_REPLY, REPLY};
use super::sql::{
    Bind, Conditions, FoldStore, QueryError, citizen_file_event, column, id_column, millis,
    name_column, name_of, optional_name_column, optional_time_column, paged, time_column,
    tracking_code_column,
};
use crate::query::{Page, Paged};

const FOLDS: FoldStore = FoldStore {
    table: "cf_inbox_folds",
};

/// Why an organisation holds a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "duty", rename_all = "snake_case")]
pub enum Duty {
    /// It handles the file (studies, routes, answers it).
    Handling,
    /// The file was referred to it.
    Referral {
        /// The referral.
        referral: ReferralId,
    },
}

/// A file in an organisation's inbox.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct InboxRow {
    /// The file.
    pub file: FileId,
    /// The organisation whose inbox this is.
    pub organisation: OrganisationId,
    /// Why it holds the file.
    pub duty: Duty,
    /// The file's tracking code.
    pub tracking_code: TrackingCode,
    /// Its kind.
    pub kind: FileKind,
    /// A notification's urgency (for notifications and their ordering on screen).
    pub urgency: Option<Urgency>,
    /// Where the file stands.
    pub state: FileState,
    /// How it came in.
    pub channel: Channel,
    /// When it was received.
    pub received_at: DateTime<Utc>,
    /// What this organisation owes first (`file.first-response`, `file.reply`,
    /// `referral.reply`), when something with a due date is owed.
    pub obligation: Option<String>,
    /// When that falls due; `None` while the clock is stopped or nothing is due.
    pub due_at: Option<DateTime<Utc>>,
    /// Whether it is past due at the `now` of the query.
    pub overdue: bool,
}

/// Filters of an inbox; every field is optional and they combine with AND.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct InboxFilter {
    /// Only files of this kind.
    pub kind: Option<FileKind>,
    /// Only files in this state.
    pub state: Option<FileState>,
    /// Only files that came this way.
    pub channel: Option<Channel>,
    /// Only rows falling due strictly before this instant (rows without a due date never
    /// match).
    pub due_before: Option<DateTime<Utc>>,
    /// Only rows past due at `now`.
    pub overdue_only: bool,
}

/// The inbox projection (`citizen_file.inbox`, tables `cf_inbox` and its folds).
#[derive(Clone, Copy, Debug, Default)]
pub struct InboxProjection;

/// One row to hold: an organisation's duty on the file and what it owes first.
#[derive(Debug)]
struct Holding {
    organisation: OrganisationId,
    duty: Duty,
    obligation: Option<&'static str>,
    due_at: Option<DateTime<Utc>>,
}

/// Who holds `file` now (see the module documentation).
fn holdings(file: &FileDetail) -> Vec<Holding> {
    let mut holdings = Vec::new();
    let follows_implementation = file.status == FileStatus::Answered && file.adopted == Some(true);
    if file.reply_owed() || follows_implementation {
        let first = file
            .first_response_owed()
            .and_then(|first| first.due.due_at())
            .map(|due| (FIRST_RESPONSE, due));
        let reply = file.reply_due_at().map(|due| (REPLY, due));
        // What falls due first is what the organisation must see.
        let owed = [first, reply]
            .into_iter()
            .flatten()
            .min_by_key(|(_, due)| *due);
        holdings.push(Holding {
            organisation: file.handled_by,
            duty: Duty::Handling,
            obligation: owed.map(|(obligation, _)| obligation),
            due_at: owed.map(|(_, due)| due),
        });
    }
    holdings.extend(file.active_referrals().map(|referral| Holding {
        organisation: referral.to,
        duty: Duty::Referral {
            referral: referral.referral,
        },
        obligation: Some(REFERRAL_REPLY),
        due_at: referral.deadline.computed.due_at(),
    }));
    holdings
}

const UPSERT: &str = "INSERT INTO cf_inbox (file_id, organisation, duty, referral_id, \
     tracking_code, kind, urgency, state, channel, received_at, obligation, due_at, due_sort) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) \
     ON CONFLICT (file_id, organisation) DO UPDATE SET duty = excluded.duty, \
     referral_id = excluded.referral_id, tracking_code = excluded.tracking_code, \
     kind = excluded.kind, urgency = excluded.urgency, state = excluded.state, \
     channel = excluded.channel, received_at = excluded.received_at, \
     obligation = excluded.obligation, due_at = excluded.due_at, due_sort = excluded.due_sort";

#[async_trait]
impl Projection for InboxProjection {
    fn name(&self) -> &str {
        "citizen_file.inbox"
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
        let holdings = holdings(&file);
        let state = name_of(&FileState::from(file.status))?;
        let urgency = file.urgency().map(|u| name_of(&u)).transpose()?;
        for holding in &holdings {
            let (duty, referral) = match holding.duty {
                Duty::Handling => ("handling", None),
                Duty::Referral { referral } => ("referral", Some(referral.to_string())),
            };
            let due_at = holding.due_at.map(millis);
            sqlx::query(UPSERT)
                .bind(&event.aggregate_id)
                .bind(holding.organisation.to_string())
                .bind(duty)
                .bind(referral)
                .bind(file.tracking_code.as_str())
                .bind(name_of(&file.file_kind())?)
                .bind(urgency.clone())
                .bind(&state)
                .bind(name_of(&file.channel)?)
                .bind(millis(file.received_at))
                .bind(holding.obligation)
                .bind(due_at)
                .bind(due_at.unwrap_or(i64::MAX))
                .execute(&mut *tx)
                .await?;
        }
        // Organisations that no longer hold the file leave its inbox.
        let kept: Vec<String> = holdings
            .iter()
            .map(|h| h.organisation.to_string())
            .collect();
        let mut delete = String::from("DELETE FROM cf_inbox WHERE file_id = $1");
        if !kept.is_empty() {
            let placeholders: Vec<String> = (2..kept.len() + 2).map(|i| format!("${i}")).collect();
            delete.push_str(&format!(
                " AND organisation NOT IN ({})",
                placeholders.join(", ")
            ));
        }
        kept.iter()
            .fold(sqlx::query(&delete).bind(&event.aggregate_id), |q, org| {
                q.bind(org)
            })
            .execute(&mut *tx)
            .await?;
        Ok(())
    }

    fn tables(&self) -> &[&'static str] {
        &["cf_inbox", "cf_inbox_folds"]
    }
}

/// `organisation`'s inbox: the files it holds matching `filter`, soonest due first.
pub async fn inbox(
    pool: &AnyPool,
    organisation: OrganisationId,
    filter: &InboxFilter,
    now: DateTime<Utc>,
    page: Page,
) -> Result<Paged<InboxRow>, QueryError> {
    query(pool, Some(organisation), filter, now, page).await
}

/// Every organisation's inbox at once, in the same order: what the Central Bureau watches
/// to monitor every structure's compliance (art. 13), typically with `overdue_only`.
pub async fn monitoring(
    pool: &AnyPool,
    filter: &InboxFilter,
    now: DateTime<Utc>,
    page: Page,
) -> Result<Paged<InboxRow>, QueryError> {
    query(pool, None, filter, now, page).await
}

const COLUMNS: &str = "file_id, organisation, duty, referral_id, tracking_code, kind, urgency, \
     state, channel, received_at, obligation, due_at";

async fn query(
    pool: &AnyPool,
    organisation: Option<OrganisationId>,
    filter: &InboxFilter,
    now: DateTime<Utc>,
    page: Page,
) -> Result<Paged<InboxRow>, QueryError> {
    let mut conditions = Conditions::default();
    if let Some(organisation) = organisation {
        conditions.add("organisation = ?", Bind::Text(organisation.to_string()));
    }
    if let Some(kind) = filter.kind {
        conditions.add("kind = ?", Bind::Text(name_of(&kind)?));
    }
    if let Some(state) = filter.state {
        conditions.add("state = ?", Bind::Text(name_of(&state)?));
    }
    if let Some(channel) = filter.channel {
        conditions.add("channel = ?", Bind::Text(name_of(&channel)?));
    }
    if let Some(before) = filter.due_before {
        conditions.add("due_at < ?", Bind::Integer(millis(before)));
    }
    if filter.overdue_only {
        conditions.add("due_at <= ?", Bind::Integer(millis(now)));
    }
    let filter = conditions.where_clause();
    paged(
        pool,
        &format!(
            "SELECT {COLUMNS} FROM cf_inbox {filter} \
             ORDER BY due_sort, received_at, file_id, organisation"
        ),
        &format!("SELECT COUNT(*) FROM cf_inbox {filter}"),
        conditions.binds(),
        page,
        |row| decode(row, now),
    )
    .await
}

fn decode(row: &AnyRow, now: DateTime<Utc>) -> Result<InboxRow, QueryError> {
    let duty = match column::<String>(row, "duty")?.as_str() {
        "handling" => Duty::Handling,
        _ => Duty::Referral {
            referral: id_column(row, "referral_id")?,
        },
    };
    let due_at = optional_time_column(row, "due_at")?;
    Ok(InboxRow {
        file: id_column(row, "file_id")?,
        organisation: id_column(row, "organisation")?,
        duty,
        tracking_code: tracking_code_column(row, "tracking_code")?,
        kind: name_column(row, "kind")?,
        urgency: optional_name_column(row, "urgency")?,
        state: name_column(row, "state")?,
        channel: name_column(row, "channel")?,
        received_at: time_column(row, "received_at")?,
        obligation: column(row, "obligation")?,
        due_at,
        overdue: due_at.is_some_and(|due| now >= due),
    })
}
