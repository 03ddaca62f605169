//! What the aggregates receive from outside: the clock, the legal calendar, the personal-data
//! cipher, the organisation directory, two lookups into other contexts and the configuration.
//!
//! # Lookups
//!
//! - [`OrganisationStanding`]: whether a civil-society organisation is registered with the
//!   local authority and in good standing (decree 2019-401 art. 9-10: a suspended or
//!   struck-off organisation may not file), and whether a citizen speaks for it. Implemented
//!   from the civil-society register's read model; faked in tests.
//! - [`DraftByLaws`]: whether a draft by-law is published and when it is deliberated
//!   (art. 11, section IV). Asked here rather than taken from the command: the author cannot
//!   be trusted with the date that closes the section, and the gateway stays thin.
//!
//! A lookup that cannot answer (database down) is a [`LookupError`], refused as such, never
//! mistaken for "not registered" or "not published".

use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;
use chrono::NaiveDate;
use kernel::calendar::HolidayCalendar;
use kernel::personal_data::PersonalDataCipher;
use kernel::{ActorId, CivilSocietyOrganisationId, Clock, Directory, OrganisationId};
use serde::{Deserialize, Serialize};

use crate::config::OpinionsConfig;
use crate::ids::DraftByLawId;

/// Where an organisation stands in a local authority's civil-society register.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    /// Registered, communication not suspended: it may file.
    Active,
    /// Communication suspended by the council (art. 9).
    Suspended,
    /// Struck off the register (art. 9).
    StruckOff,
    /// Not in this local authority's register.
    Unknown,
}

/// A published draft by-law, as the register needs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedDraft {
    /// The (local) date of the council sitting that deliberates on it, once set.
    pub deliberation_on: Option<NaiveDate>,
}

/// A lookup could not answer. The message is for operators; it holds no personal data.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct LookupError(pub String);

/// The civil-society register, as the register of opinions asks it.
#[async_trait]
pub trait OrganisationStanding: Send + Sync + fmt::Debug {
    /// Where `organisation` stands in `local_authority`'s civil-society register.
    async fn standing(
        &self,
        local_authority: OrganisationId,
        organisation: CivilSocietyOrganisationId,
    ) -> Result<Standing, LookupError>;

    /// Whether the citizen `actor` speaks for `organisation` (its legal representative or a
    /// person the register lists as acting for it).
    async fn represents(
        &self,
        organisation: CivilSocietyOrganisationId,
        actor: ActorId,
    ) -> Result<bool, LookupError>;
}

/// The local authority's draft by-laws.
#[async_trait]
pub trait DraftByLaws: Send + Sync + fmt::Debug {
    /// The draft, if `local_authority` published it; `None` if unknown, not published, or
    /// another local authority's.
    async fn published_draft(
        &self,
        local_authority: OrganisationId,
        draft: DraftByLawId,
    ) -> Result<Option<PublishedDraft>, LookupError>;
}

/// The services of both aggregates.
#[derive(Clone, Debug)]
pub struct OpinionsServices {
    /// "Now": filing and answer dates, deadlines' starts.
    pub clock: Arc<dyn Clock>,
    /// Local dates and deadlines (Africa/Tunis, Tunisian working days).
    pub calendar: Arc<HolidayCalendar>,
    /// Seals personal data under its subject's key.
    pub cipher: PersonalDataCipher,
    /// Is this organisation a local authority?
    pub directory: Arc<dyn Directory>,
    /// Standing and representatives of civil-society organisations.
    pub organisations: Arc<dyn OrganisationStanding>,
    /// Published draft by-laws.
    pub drafts: Arc<dyn DraftByLaws>,
    /// Rule values.
    pub config: OpinionsConfig,
}

impl OpinionsServices {
    /// Today, in the calendar's time zone.
    pub(crate) fn today(&self) -> NaiveDate {
        self.calendar.local_date(self.clock.now())
    }
}
