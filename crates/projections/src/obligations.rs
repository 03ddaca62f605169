//! Obligations with a due date, and what the reminder engine needs to know about them.
//!
//! Each domain says, event by event, which obligations open (a reply is owed by this
//! structure before this date), move (an extension, a pause lifted), are met or are
//! cancelled: an [`ObligationRules`] implementation per domain. The obligations projection
//! stores them; the reminder worker reminds whom must act before the due date and escalates
//! when it passes (see `reminders`).
//!
//! Obligations carry no personal data: `reference` is a public reference (a tracking code,
//! an entry number), never a name.

use chrono::{DateTime, Utc};
use event_store::{ProjectionError, RecordedEvent};
use kernel::calendar::Deadline;
use kernel::{OrganisationId, Role};
use serde::{Deserialize, Serialize};

/// Who must act, or be told: the holders of `roles` for `organisation`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Responsible {
    /// The organisation.
    pub organisation: OrganisationId,
    /// The roles within it (any of them).
    pub roles: Vec<Role>,
}

/// An obligation with a due date.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Obligation {
    /// Stable id, unique across the platform: `<aggregate id>/<what>[/<sub id>]`.
    pub id: String,
    /// What is owed, as a message key: `file.reply`, `file.first-response`,
    /// `referral.reply`, `cso.regularisation`, `opinions.summary-posting`,
    /// `opinions.summary-display`, `watcher.corrective-action`...
    pub kind: String,
    /// The aggregate it belongs to.
    pub aggregate_type: String,
    /// Its id.
    pub aggregate_id: String,
    /// A public reference people recognise (tracking code, entry number); no personal data.
    pub reference: String,
    /// Who must act.
    pub responsible: Responsible,
    /// Who is told, in order, once it is overdue (office head, then the Central Bureau).
    pub escalation: Vec<Responsible>,
    /// When it falls due (exclusive instant, as computed by the kernel calendar).
    pub due_at: DateTime<Utc>,
    /// The deadline's inputs, when it was computed from a legal rule: a change of holiday
    /// calendar recomputes open obligations from them.
    pub deadline: Option<Deadline>,
    /// The calendar version `due_at` was computed with.
    pub calendar_version: Option<String>,
}

/// What an event does to obligations.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ObligationChange {
    /// Opens an obligation, or replaces the open one with the same id (new due date after
    /// an extension, a pause lifted).
    Open(Box<Obligation>),
    /// The obligation is suspended (clock stopped, e.g. waiting for the citizen): no reminder
    /// until it is opened again.
    Suspend {
        /// Its id.
        id: String,
    },
    /// Done.
    Met {
        /// Its id.
        id: String,
    },
    /// No longer owed (file closed, withdrawn, merged).
    Cancelled {
        /// Its id.
        id: String,
    },
}

/// A domain's rules: which obligations each of its events opens, moves, meets or cancels.
pub trait ObligationRules: Send + Sync {
    /// The changes `event` makes (none for events of other domains), given `known`: the
    /// obligations already stored for the same aggregate, as last opened, whatever became
    /// of them since (later events do not repeat the reference or who owes what).
    fn changes(
        &self,
        event: &RecordedEvent,
        known: &[Obligation],
    ) -> Result<Vec<ObligationChange>, ProjectionError>;
}
