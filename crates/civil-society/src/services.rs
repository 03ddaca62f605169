//! What the aggregates receive from outside: the clock, the legal calendar, the personal-data
//! cipher, the organisation directory, the register index and the configuration.
//!
//! # The register index
//!
//! An entry is its own aggregate, yet two rules need to know about the others and about its
//! register: the mandatory items and the migration window are set on the local authority's
//! [`CivilSocietyRegister`](crate::CivilSocietyRegister), and one national register number
//! may appear only once among the live entries of a register. [`RegisterIndex`] answers both;
//! it is implemented by a read model fed from the events of both aggregates, and faked in
//! tests. A read model lags behind the log, so two requests for the same number handled at the
//! same instant could both pass: the read model reports such duplicates for the bureau to
//! resolve, which is cheaper and simpler than a cross-aggregate lock for an event that rare.

use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;
use chrono::NaiveDate;
use kernel::calendar::HolidayCalendar;
use kernel::personal_data::PersonalDataCipher;
use kernel::{CivilSocietyOrganisationId, Clock, Directory, OrganisationId};
use serde::{Deserialize, Serialize};

use crate::config::CivilSocietyConfig;
use crate::entry::RegistrationRequirements;
use crate::term::MonthTerm;

/// What an entry needs to know about its register, as recorded by the register's events.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterFacts {
    /// When the electronic register opened (art. 5, 17).
    pub opened_on: NaiveDate,
    /// The window for importing paper entries (art. 17).
    pub migration_window: MonthTerm,
    /// The mandatory items in force (art. 8, as configured).
    pub requirements: RegistrationRequirements,
}

/// The read model could not answer (database unavailable...).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct LookupError(pub String);

/// Lookups across the registers; see the module documentation.
#[async_trait]
pub trait RegisterIndex: Send + Sync + fmt::Debug {
    /// The register of `local_authority`, if it was opened.
    async fn register(
        &self,
        local_authority: OrganisationId,
    ) -> Result<Option<RegisterFacts>, LookupError>;

    /// The live entry (neither struck off nor withdrawn) of `local_authority`'s register with
    /// this national register number (normalised: upper case, no white space), if any.
    async fn live_entry_with_register_number(
        &self,
        local_authority: OrganisationId,
        number: &str,
    ) -> Result<Option<CivilSocietyOrganisationId>, LookupError>;
}

/// The services of both aggregates.
#[derive(Clone, Debug)]
pub struct CivilSocietyServices {
    /// "Now", for the dates the register sets itself and to refuse acts dated in the future.
    pub clock: Arc<dyn Clock>,
    /// The legal calendar: local dates and month-based terms.
    pub calendar: Arc<HolidayCalendar>,
    /// Seals personal data under its subject's key.
    pub cipher: PersonalDataCipher,
    /// The organisation directory (is this a local authority?).
    pub directory: Arc<dyn Directory>,
    /// Lookups across registers.
    pub index: Arc<dyn RegisterIndex>,
    /// Rule values.
    pub config: CivilSocietyConfig,
}

impl CivilSocietyServices {
    /// Today's date in the calendar's time zone.
    pub fn today(&self) -> NaiveDate {
        self.calendar.local_date(self.clock.now())
    }
}
