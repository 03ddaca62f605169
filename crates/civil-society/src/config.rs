//! Rule values that are configuration, with their defaults and where each default comes from.
//!
//! The per-local-authority list of mandatory data and documents (art. 8, missing from our copy
//! of the decree) is not here: it belongs to each register
//! ([`RegistrationRequirements`](crate::RegistrationRequirements)), because each local
//! authority configures its own.

use kernel::TextLimits;
use kernel::calendar::RollPolicy;
use serde::{Deserialize, Serialize};

/// The configuration of the civil-society register.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CivilSocietyConfig {
    /// Time an organisation is given to regularise its situation, in months, counted from the
    /// acknowledged notification of the formal notice. Default 1: decree 2019-401 art. 9
    /// ("أجل شهر من تاريخ الإعلام", "un délai d'un mois à compter de la date de la
    /// notification"). Configurable only so that an amendment of the decree needs no release;
    /// zero is refused when a term is computed (`CalendarError::ZeroAmount`).
    pub regularisation_months: u32,
    /// How long after the opening of the electronic register paper entries may be imported,
    /// in months. Default 12: decree 2019-401 art. 17 in Arabic ("في أجل لا يتجاوز سنة من تاريخ
    /// إرسائها", within a year of its establishment). The French version only says the migration
    /// takes place from that date; the Arabic text, which is authoritative (the French edition
    /// of the Official Journal is a translation), sets the year.
    pub migration_window_months: u32,
    /// What happens to a month-based term ending on a non-working day. Default: it moves to
    /// the next working day (domain notes, section 5: an assumption, not a rule of the decree).
    pub roll: RollPolicy,
    /// Bounds on the texts the register records.
    pub limits: CivilSocietyLimits,
}

impl Default for CivilSocietyConfig {
    fn default() -> Self {
        Self {
            regularisation_months: 1,
            migration_window_months: 12,
            roll: RollPolicy::NextWorkingDay,
            limits: CivilSocietyLimits::default(),
        }
    }
}

/// Longest texts accepted, in characters. The defaults are generous for what the fields hold
/// in practice (Arabic or French names, postal addresses, references of acts); they exist so
/// that nothing unbounded reaches the log.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CivilSocietyLimits {
    /// Name of an organisation, of a person, of a document. Default 200.
    pub name: usize,
    /// Legal form, field of activity. Default 120.
    pub label: usize,
    /// Reference of an act, a letter, a paper register entry, a legal publication, the national
    /// enterprise register number. Default 100.
    pub reference: usize,
    /// A postal address (registered office), on one line. Default 300.
    pub address: usize,
    /// The grounds of a council decision finding an irregular situation. Default 4 000.
    pub grounds: usize,
    /// Fields of activity an entry may list. Default 20.
    pub max_fields_of_activity: usize,
    /// Documents an entry may list. Default 30.
    pub max_documents: usize,
}

impl Default for CivilSocietyLimits {
    fn default() -> Self {
        Self {
            name: 200,
            label: 120,
            reference: 100,
            address: 300,
            grounds: 4_000,
            max_fields_of_activity: 20,
            max_documents: 30,
        }
    }
}

impl CivilSocietyLimits {
    /// One-line names.
    pub fn name(&self) -> TextLimits {
        TextLimits::line(self.name)
    }

    /// One-line labels.
    pub fn label(&self) -> TextLimits {
        TextLimits::line(self.label)
    }

    /// One-line references.
    pub fn reference(&self) -> TextLimits {
        TextLimits::line(self.reference)
    }

    /// One-line addresses.
    pub fn address(&self) -> TextLimits {
        TextLimits::line(self.address)
    }

    /// Multi-line grounds of a decision.
    pub fn grounds(&self) -> TextLimits {
        TextLimits::body(self.grounds)
    }
}
