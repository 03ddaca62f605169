//! A period of local dates (a campaign's, a survey's), both ends included, and why one is
//! refused (shared by the aggregates that plan over a period).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// From `starts_on` to `ends_on`, both included, in local (Tunis) dates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    /// The first day.
    pub starts_on: NaiveDate,
    /// The last day.
    pub ends_on: NaiveDate,
}

/// Why a period is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    /// It ends before it starts.
    #[error("the period ends on {ends_on}, before it starts on {starts_on}")]
    EndsBeforeStart {
        /// First day given.
        starts_on: NaiveDate,
        /// Last day given.
        ends_on: NaiveDate,
    },
    /// Its last day is past.
    #[error("the period ended on {ends_on}")]
    Over {
        /// The last day.
        ends_on: NaiveDate,
    },
}

impl Period {
    /// A period being planned on `today`: it must not end before it starts nor be over.
    pub fn upcoming(
        starts_on: NaiveDate,
        ends_on: NaiveDate,
        today: NaiveDate,
    ) -> Result<Self, PeriodError> {
        if ends_on < starts_on {
            return Err(PeriodError::EndsBeforeStart { starts_on, ends_on });
        }
        let period = Self { starts_on, ends_on };
        period.require_not_over(today)?;
        Ok(period)
    }

    /// `Err(Over)` once the last day is past.
    pub fn require_not_over(&self, today: NaiveDate) -> Result<(), PeriodError> {
        if self.ends_on < today {
            Err(PeriodError::Over {
                ends_on: self.ends_on,
            })
        } else {
            Ok(())
        }
    }

    /// Whether `date` falls within the period.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.starts_on <= date && date <= self.ends_on
    }
}
