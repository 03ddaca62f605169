//! What the watcher aggregates receive from the outside world: the clock, the legal calendar
//! (for local dates), the organisation directory, the personal-data cipher and the
//! configuration. One set serves every aggregate of the crate.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};

use kernel::calendar::HolidayCalendar;
use kernel::personal_data::{EnvelopeError, PersonalDataCipher, Sealed, SubjectId};
use kernel::{Actor, Clock, Directory, OrganisationKind, Role, Text};

use crate::config::WatcherConfig;
use crate::error::InvalidText;

/// Roles that direct the team's work: plan, review, refer.
pub(crate) const SUPERVISING: &[Role] = &[Role::WatcherSupervisor, Role::DepartmentHead];

/// Every role of the department, members included.
pub(crate) const TEAM: &[Role] = &[
    Role::WatcherMember,
    Role::WatcherSupervisor,
    Role::DepartmentHead,
];

/// The services of the watcher aggregates.
#[derive(Clone, Debug)]
pub struct WatcherServices {
    /// "Now": handlers never read the wall clock.
    pub clock: Arc<dyn Clock>,
    /// The calendar's time zone gives the local date of an instant (Africa/Tunis).
    pub calendar: HolidayCalendar,
    /// Which organisation is the department, which are public bodies, which sits within which.
    pub directory: Arc<dyn Directory>,
    /// Seals free text that may name people (agents, members) under a data subject.
    pub cipher: PersonalDataCipher,
    /// Rule values.
    pub config: WatcherConfig,
}

impl WatcherServices {
    /// Now, from the clock.
    pub(crate) fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Today's local date.
    pub(crate) fn today(&self) -> NaiveDate {
        self.calendar.local_date(self.clock.now())
    }

    /// Whether `actor` acts under one of `roles` for an organisation the directory knows as
    /// the Public Service Quality Department.
    pub(crate) fn is_department(&self, actor: &Actor, roles: &[Role]) -> bool {
        actor.acting_as.is_some_and(|grant| {
            roles.contains(&grant.role)
                && self
                    .directory
                    .is_kind(grant.organisation, OrganisationKind::WatcherDepartment)
        })
    }

    /// `Ok` if `actor` acts under one of `roles` for the department, `Err(refusal)` otherwise.
    pub(crate) fn authorize<E>(&self, actor: &Actor, roles: &[Role], refusal: E) -> Result<(), E> {
        if self.is_department(actor, roles) {
            Ok(())
        } else {
            Err(refusal)
        }
    }

    /// Validates `raw`, the command's `field`, as a free text and seals it under `subject`.
    pub(crate) async fn seal_body<E>(
        &self,
        subject: SubjectId,
        field: &'static str,
        raw: &str,
    ) -> Result<Sealed<Text>, E>
    where
        E: From<InvalidText> + From<EnvelopeError>,
    {
        let text = InvalidText::check(field, raw, self.config.body())?;
        Ok(self.cipher.seal(subject, &text).await?)
    }
}
