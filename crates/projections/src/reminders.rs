//! Deadline reminders: the obligations projection and the reminder worker.
//!
//! [`ObligationsProjection`] applies each domain's [`ObligationRules`] to the global log and
//! keeps one row per obligation: due date, deadline inputs, status, and where the worker
//! stands with it. [`ReminderWorker`] acts on open obligations when their next action falls
//! due:
//!
//! 1. `lead` before the due date, a reminder to whom must act;
//! 2. at the due date, an overdue notice to them and a message to the first level of the
//!    escalation chain (an office head, a register bureau head);
//! 3. every `escalation_interval` after that, the next level (the Central Bureau, the
//!    committee), until the chain is exhausted.
//!
//! Each action queues outbox messages in the same transaction that moves the obligation on,
//! with ids derived from the obligation, its due date and the step: a repeated round, a
//! second worker or a rebuild of the projection never sends the same step twice, while a
//! new due date (an extension, a recomputed calendar) allows new reminders. The worker sleeps
//! until the earliest next action (an indexed `MIN`), so it never scans the table.
//!
//! A change of holiday calendar: [`ReminderWorker::recompute`] recomputes the due date of every
//! open obligation whose deadline inputs are known and whose calendar version differs, with
//! the kernel's calendar (the rule stays the kernel's; the domain's events keep the due date
//! as computed when they happened).

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, TimeZone, Utc};
use event_store::{Projection, ProjectionError, RecordedEvent, Store};
use kernel::Clock;
use kernel::calendar::{Deadline, DueStatus, HolidayCalendar};
use serde::Deserialize;
use sqlx::AnyConnection;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use crate::messages::Catalog;
use crate::obligations::{Obligation, ObligationChange, ObligationRules, Responsible};
use crate::outbox::{ChannelKind, Message, OutboxError, OutgoingMessage, enqueue};

/// The projection's name (its checkpoint key).
pub const OBLIGATIONS: &str = "obligations";

/// Keeps the obligations the domains declare. See the module documentation.
pub struct ObligationsProjection {
    rules: Vec<Arc<dyn ObligationRules>>,
    settings: ReminderSettings,
}

impl std::fmt::Debug for ObligationsProjection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ObligationsProjection")
            .field("rules", &self.rules.len())
            .finish()
    }
}

impl ObligationsProjection {
    /// A projection applying `rules` (one per domain), scheduling reminders as `settings`
    /// say.
    pub fn new(rules: Vec<Arc<dyn ObligationRules>>, settings: ReminderSettings) -> Self {
        Self { rules, settings }
    }
}

fn json<T: serde::Serialize>(value: &T) -> Result<String, ProjectionError> {
    serde_json::to_string(value).map_err(ProjectionError::from)
}

async fn open(
    tx: &mut AnyConnection,
    obligation: &Obligation,
    lead_ms: i64,
) -> Result<(), ProjectionError> {
    let due_at = obligation.due_at.timestamp_millis();
    let remind_at = due_at.saturating_sub(lead_ms);
    sqlx::query(
        "INSERT INTO obligations (id, kind, aggregate_type, aggregate_id, reference, responsible, \
         escalation, due_at, deadline, calendar_version, status, reminded, escalation_level, \
         next_action_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'open', 0, 0, $11) \
         ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, reference = excluded.reference, \
         responsible = excluded.responsible, escalation = excluded.escalation, \
         due_at = excluded.due_at, deadline = excluded.deadline, \
         calendar_version = excluded.calendar_version, status = 'open', reminded = 0, \
         escalation_level = 0, next_action_at = excluded.next_action_at",
    )
    .bind(&obligation.id)
    .bind(&obligation.kind)
    .bind(&obligation.aggregate_type)
    .bind(&obligation.aggregate_id)
    .bind(&obligation.reference)
    .bind(json(&obligation.responsible)?)
    .bind(json(&obligation.escalation)?)
    .bind(due_at)
    .bind(obligation.deadline.as_ref().map(json).transpose()?)
    .bind(obligation.calendar_version.clone())
    .bind(remind_at)
    .execute(tx)
    .await?;
    Ok(())
}

/// The obligations stored for an aggregate, as last opened.
async fn known_obligations(
    tx: &mut AnyConnection,
    aggregate_type: &str,
    aggregate_id: &str,
) -> Result<Vec<Obligation>, ProjectionError> {
    type Row = (
        String,
        String,
        String,
        String,
        String,
        String,
        i64,
        Option<String>,
        Option<String>,
    );
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, kind, reference, responsible, escalation, aggregate_type, due_at, deadline, \
         calendar_version FROM obligations WHERE aggregate_type = $1 AND aggregate_id = $2 \
         ORDER BY id",
    )
    .bind(aggregate_type)
    .bind(aggregate_id)
    .fetch_all(&mut *tx)
    .await?;
    rows.into_iter()
        .map(
            |(
                id,
                kind,
                reference,
                responsible,
                escalation,
                aggregate_type,
                due_at,
                deadline,
                calendar_version,
            )| {
                Ok(Obligation {
                    id,
                    kind,
                    aggregate_type,
                    aggregate_id: aggregate_id.to_owned(),
                    reference,
                    responsible: serde_json::from_str(&responsible)?,
                    escalation: serde_json::from_str(&escalation)?,
                    due_at: Utc.timestamp_millis_opt(due_at).single().ok_or_else(|| {
                        ProjectionError::Invalid(format!("obligation due at {due_at}"))
                    })?,
                    deadline: deadline.map(|d| serde_json::from_str(&d)).transpose()?,
                    calendar_version,
                })
            },
        )
        .collect()
}

/// Moves an open (or suspended) obligation to `status`; an obligation that is not open any
/// more, or unknown, is left as it is.
async fn close(tx: &mut AnyConnection, id: &str, status: &str) -> Result<(), ProjectionError> {
    sqlx::query(
        "UPDATE obligations SET status = $2, next_action_at = NULL \
         WHERE id = $1 AND status IN ('open', 'suspended')",
    )
    .bind(id)
    .bind(status)
    .execute(tx)
    .await?;
    Ok(())
}

#[async_trait]
impl Projection for ObligationsProjection {
    fn name(&self) -> &str {
        OBLIGATIONS
    }

    async fn apply(
        &self,
        tx: &mut AnyConnection,
        event: &RecordedEvent,
    ) -> Result<(), ProjectionError> {
        let known = known_obligations(tx, &event.aggregate_type, &event.aggregate_id).await?;
        for rules in &self.rules {
            for change in rules.changes(event, &known)? {
                match change {
                    ObligationChange::Open(obligation) => {
                        open(tx, &obligation, self.settings.lead_ms(&obligation.kind)).await?;
                    }
                    ObligationChange::Suspend { id } => close(tx, &id, "suspended").await?,
                    ObligationChange::Met { id } => close(tx, &id, "met").await?,
                    ObligationChange::Cancelled { id } => close(tx, &id, "cancelled").await?,
                }
            }
        }
        Ok(())
    }

    fn tables(&self) -> &[&'static str] {
        &["obligations"]
    }
}

/// A person to notify.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recipient {
    /// E-mail address.
    pub address: String,
    /// `ar` or `fr`.
    pub language: String,
}

/// Who holds a role for an organisation (the gateway's accounts).
#[async_trait]
pub trait RecipientDirectory: Send + Sync {
    /// The people to notify for `responsible`.
    async fn recipients(&self, responsible: &Responsible) -> Result<Vec<Recipient>, String>;
}

/// A functional mailbox of an organisation for a role (`bureau-relations@ministere.tn` for
/// the office heads of a ministry's office): configured, so reminders reach someone before
/// personal accounts exist for everyone.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct FunctionalAddress {
    /// The organisation.
    pub organisation: kernel::OrganisationId,
    /// The role the mailbox serves.
    pub role: kernel::Role,
    /// Its address.
    pub address: String,
    /// `ar` or `fr`.
    #[serde(default = "arabic")]
    pub language: String,
}

fn arabic() -> String {
    "ar".to_owned()
}

/// Recipients from configured functional addresses.
#[derive(Clone, Debug, Default)]
pub struct ConfiguredRecipients {
    addresses: Vec<FunctionalAddress>,
}

impl ConfiguredRecipients {
    /// A directory of `addresses`.
    pub fn new(addresses: Vec<FunctionalAddress>) -> Self {
        Self { addresses }
    }
}

#[async_trait]
impl RecipientDirectory for ConfiguredRecipients {
    async fn recipients(&self, responsible: &Responsible) -> Result<Vec<Recipient>, String> {
        Ok(self
            .addresses
            .iter()
            .filter(|a| {
                a.organisation == responsible.organisation && responsible.roles.contains(&a.role)
            })
            .map(|a| Recipient {
                address: a.address.clone(),
                language: a.language.clone(),
            })
            .collect())
    }
}

/// When to remind and escalate.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct ReminderSettings {
    /// Hours before the due date the reminder goes out.
    pub lead_hours: u32,
    /// Shorter leads for short obligations (by kind), e.g. the 48-hour e-mail rule.
    pub lead_hours_by_kind: std::collections::BTreeMap<String, u32>,
    /// Hours between escalation levels once overdue.
    pub escalation_interval_hours: u32,
    /// Obligations handled per round.
    pub batch_size: u32,
    /// Longest sleep between rounds (obligations opened by other processes).
    pub idle_poll_ms: u64,
    /// Functional mailboxes that receive reminders.
    pub functional_addresses: Vec<FunctionalAddress>,
}

impl Default for ReminderSettings {
    fn default() -> Self {
        Self {
            lead_hours: 48,
            lead_hours_by_kind: [("file.first-response".to_owned(), 12)].into(),
            escalation_interval_hours: 72,
            batch_size: 100,
            idle_poll_ms: 1_000,
            functional_addresses: Vec::new(),
        }
    }
}

impl ReminderSettings {
    fn lead_ms(&self, kind: &str) -> i64 {
        let hours = self
            .lead_hours_by_kind
            .get(kind)
            .copied()
            .unwrap_or(self.lead_hours);
        i64::from(hours) * 3_600_000
    }

    fn interval_ms(&self) -> i64 {
        i64::from(self.escalation_interval_hours.max(1)) * 3_600_000
    }
}

/// Why the worker failed.
#[derive(Debug, thiserror::Error)]
pub enum ReminderError {
    /// The database failed.
    #[error("reminders: {0}")]
    Database(#[from] sqlx::Error),
    /// A stored row could not be read back.
    #[error("reminders: corrupt obligation {0}")]
    Corrupt(String),
    /// Queuing a message failed.
    #[error(transparent)]
    Outbox(#[from] OutboxError),
    /// Recomputing a deadline failed.
    #[error("reminders: {0}")]
    Calendar(#[from] kernel::calendar::CalendarError),
}

/// What one round did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReminderRound {
    /// Reminders before the due date.
    pub reminded: u32,
    /// Escalation steps taken (overdue notices included).
    pub escalated: u32,
    /// Messages queued.
    pub messages: u32,
}

type DueRow = (String, String, String, String, String, i64, i64, i64, i64);

/// Acts on due obligations. Cheap to clone.
#[derive(Clone)]
pub struct ReminderWorker {
    store: Store,
    clock: Arc<dyn Clock>,
    settings: ReminderSettings,
    recipients: Arc<dyn RecipientDirectory>,
    catalog: Arc<Catalog>,
    time_zone: chrono_tz::Tz,
    wake: Arc<Notify>,
}

impl std::fmt::Debug for ReminderWorker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReminderWorker")
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

/// The step an obligation is at, from its stored state and the time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    /// Before the due date: remind.
    Remind,
    /// At or past the due date: the next escalation level.
    Escalate(i64),
    /// Nothing more to do.
    Done,
}

impl ReminderWorker {
    /// A worker; dates in messages are shown in `time_zone` (the calendar's).
    pub fn new(
        store: Store,
        clock: Arc<dyn Clock>,
        settings: ReminderSettings,
        recipients: Arc<dyn RecipientDirectory>,
        catalog: Arc<Catalog>,
        time_zone: chrono_tz::Tz,
    ) -> Self {
        Self {
            store,
            clock,
            settings,
            recipients,
            catalog,
            time_zone,
            wake: Arc::new(Notify::new()),
        }
    }

    /// Wakes a sleeping worker.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Takes every step that is due now.
    pub async fn run_due(&self) -> Result<ReminderRound, ReminderError> {
        let now = self.clock.now().timestamp_millis();
        let due: Vec<DueRow> = sqlx::query_as(
            "SELECT id, kind, reference, responsible, escalation, due_at, reminded, \
             escalation_level, next_action_at FROM obligations \
             WHERE status = 'open' AND next_action_at <= $1 ORDER BY next_action_at LIMIT $2",
        )
        .bind(now)
        .bind(i64::from(self.settings.batch_size))
        .fetch_all(self.store.any_pool())
        .await?;
        let mut round = ReminderRound::default();
        for row in due {
            self.act(row, now, &mut round).await?;
        }
        Ok(round)
    }

    fn step(reminded: bool, level: i64, due_at: i64, now: i64, levels: i64) -> Step {
        if now < due_at {
            if reminded { Step::Done } else { Step::Remind }
        } else if level <= levels {
            Step::Escalate(level + 1)
        } else {
            Step::Done
        }
    }

    async fn act(
        &self,
        row: DueRow,
        now: i64,
        round: &mut ReminderRound,
    ) -> Result<(), ReminderError> {
        let (id, kind, reference, responsible, escalation, due_at, reminded, level, seen) = row;
        let corrupt = || ReminderError::Corrupt(id.clone());
        let responsible: Responsible = serde_json::from_str(&responsible).map_err(|_| corrupt())?;
        let escalation: Vec<Responsible> =
            serde_json::from_str(&escalation).map_err(|_| corrupt())?;
        let levels = i64::try_from(escalation.len()).unwrap_or(i64::MAX);
        // Level 1 is the overdue notice (to whom must act and the first escalation level);
        // level n > 1 tells escalation level n.
        let step = Self::step(reminded != 0, level, due_at, now, levels);
        let (notify, key, new_level, reminded, next) = match step {
            Step::Remind => (
                vec![(responsible.clone(), "reminder")],
                "reminder",
                level,
                1,
                due_at,
            ),
            Step::Escalate(n) => {
                let mut notify = Vec::new();
                if n == 1 {
                    notify.push((responsible.clone(), "overdue"));
                }
                if let Some(chain) = usize::try_from(n - 1).ok().and_then(|i| escalation.get(i)) {
                    notify.push((chain.clone(), "escalation"));
                }
                let next = (n <= levels).then(|| due_at + n * self.settings.interval_ms());
                (notify, "escalation", n, 1, next.unwrap_or(i64::MAX))
            }
            Step::Done => (Vec::new(), "done", level, reminded, i64::MAX),
        };
        let what_key = format!("obligation-{}", kind.replace('.', "-"));
        let what_key = if self.catalog.has(&what_key) {
            what_key
        } else {
            "obligation-other".into()
        };
        let due = self.display_due(due_at);

        let mut tx = self.store.any_pool().begin().await?;
        // Move the obligation on only if no one else did since we read it.
        let next_action = (next != i64::MAX).then_some(next);
        let moved = sqlx::query(
            "UPDATE obligations SET reminded = $2, escalation_level = $3, next_action_at = $4 \
             WHERE id = $1 AND status = 'open' AND next_action_at = $5",
        )
        .bind(&id)
        .bind(reminded)
        .bind(new_level)
        .bind(next_action)
        .bind(seen)
        .execute(&mut *tx)
        .await?;
        if moved.rows_affected() != 1 {
            return Ok(());
        }
        for (who, message) in notify {
            let recipients = match self.recipients.recipients(&who).await {
                Ok(recipients) => recipients,
                Err(error) => {
                    tracing::warn!(obligation = id, %error, "no recipients for a reminder");
                    Vec::new()
                }
            };
            for recipient in recipients {
                let language = Catalog::language(&recipient.language);
                let args = [
                    ("what", self.catalog.render(language, &what_key, &[])),
                    ("reference", reference.clone()),
                    ("due", due.clone()),
                    ("level", new_level.to_string()),
                ];
                let outgoing = OutgoingMessage {
                    id: format!(
                        "{id}/{due_at}/{key}-{new_level}/{message}/{}",
                        recipient.address
                    ),
                    channel: ChannelKind::Email,
                    destination: recipient.address.clone(),
                    message: Message::Email {
                        language: language.to_owned(),
                        subject: self.catalog.render(
                            language,
                            &format!("{message}-subject"),
                            &args,
                        ),
                        text: self
                            .catalog
                            .render(language, &format!("{message}-body"), &args),
                    },
                };
                if enqueue(&mut tx, &outgoing, now).await? {
                    round.messages += 1;
                }
            }
        }
        tx.commit().await?;
        match step {
            Step::Remind => round.reminded += 1,
            Step::Escalate(_) => round.escalated += 1,
            Step::Done => {}
        }
        Ok(())
    }

    /// The last local minute of the deadline (its due instant is exclusive).
    fn display_due(&self, due_at: i64) -> String {
        let last = Utc
            .timestamp_millis_opt(due_at.saturating_sub(60_000))
            .single()
            .unwrap_or(DateTime::<Utc>::MIN_UTC)
            .with_timezone(&self.time_zone);
        last.format("%d/%m/%Y %H:%M").to_string()
    }

    /// Recomputes the due date of open and suspended obligations computed with another
    /// calendar version; returns how many changed.
    pub async fn recompute(&self, calendar: &HolidayCalendar) -> Result<u32, ReminderError> {
        let rows: Vec<(String, String, String, i64)> = sqlx::query_as(
            "SELECT id, kind, deadline, due_at FROM obligations \
             WHERE status IN ('open', 'suspended') AND deadline IS NOT NULL \
             AND (calendar_version IS NULL OR calendar_version <> $1)",
        )
        .bind(calendar.version())
        .fetch_all(self.store.any_pool())
        .await?;
        let mut changed = 0;
        for (id, kind, deadline, due_at) in rows {
            let deadline: Deadline =
                serde_json::from_str(&deadline).map_err(|_| ReminderError::Corrupt(id.clone()))?;
            let computed = deadline.compute(calendar)?;
            let DueStatus::Due {
                due_at: new_due, ..
            } = computed.due
            else {
                continue;
            };
            let new_due = new_due.timestamp_millis();
            // A moved due date starts the reminders over; an unchanged one keeps its state.
            sqlx::query(
                "UPDATE obligations SET due_at = $2, calendar_version = $3, \
                 next_action_at = CASE WHEN status <> 'open' THEN NULL \
                     WHEN $2 = $4 THEN next_action_at ELSE $5 END, \
                 reminded = CASE WHEN $2 = $4 THEN reminded ELSE 0 END, \
                 escalation_level = CASE WHEN $2 = $4 THEN escalation_level ELSE 0 END \
                 WHERE id = $1",
            )
            .bind(&id)
            .bind(new_due)
            .bind(calendar.version())
            .bind(due_at)
            .bind(new_due.saturating_sub(self.settings.lead_ms(&kind)))
            .execute(self.store.any_pool())
            .await?;
            if new_due != due_at {
                changed += 1;
            }
        }
        self.wake();
        Ok(changed)
    }

    /// The earliest next action, if any.
    pub async fn next_action(&self) -> Result<Option<i64>, ReminderError> {
        Ok(
            sqlx::query_scalar("SELECT MIN(next_action_at) FROM obligations WHERE status = 'open'")
                .fetch_one(self.store.any_pool())
                .await?,
        )
    }

    /// Acts until `shutdown`, sleeping until the next action is due.
    pub async fn run(self, shutdown: CancellationToken) {
        let idle = Duration::from_millis(self.settings.idle_poll_ms);
        loop {
            if let Err(error) = self.run_due().await {
                tracing::warn!(%error, "reminder round failed");
            }
            let sleep = match self.next_action().await {
                Ok(Some(at)) => {
                    let wait = at
                        .saturating_sub(self.clock.now().timestamp_millis())
                        .max(0);
                    Duration::from_millis(u64::try_from(wait).unwrap_or(0)).min(idle)
                }
                _ => idle,
            };
            tokio::select! {
                () = shutdown.cancelled() => return,
                () = self.wake.notified() => {}
                () = tokio::time::sleep(sleep) => {}
            }
        }
    }
}
