//! Events, in the past tense: [`RegisterEvent`] for a local authority's register,
//! [`OrganisationEvent`] for one entry of it.
//!
//! Events carry what readers need already computed (the art. 9 term and the art. 17 window
//! as [`MonthTerm`]s with the kernel's explanation, the items still missing from an imported
//! or updated entry, when a regularisation came relative to the term) and who performed each
//! legally significant act (`by`). Personal data is sealed.

use chrono::NaiveDate;
use cqrs_es::DomainEvent;
use kernel::personal_data::Sealed;
use kernel::{ActorId, CivilSocietyOrganisationId, OrganisationId, Text};
use serde::{Deserialize, Serialize};

use crate::entry::{Attachment, Eligibility, EntryRecord, RegistrationRequirements, Requirement};
use crate::organisation::aggregate::OrganisationStatus;
use crate::term::MonthTerm;

/// How a registration request reached the register (art. 7: "sur demande écrite ou
/// électronique").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestChannel {
    /// A written request, on paper.
    Paper,
    /// An electronic request.
    Electronic,
}

/// What the council found irregular (art. 9: "la situation légale et financière").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IrregularSituation {
    /// The legal situation.
    Legal,
    /// The financial situation.
    Financial,
    /// Both.
    LegalAndFinancial,
}

/// When a regularisation came, relative to the month of art. 9.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegularisationTiming {
    /// Before the formal notice was acknowledged: the month had not started.
    BeforeTermStarted,
    /// Within the month (its last day, after any roll, included).
    WithinTerm,
    /// After the month.
    AfterTerm,
}

/// A council decision as recorded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordedDecision {
    /// Its reference.
    pub reference: Text,
    /// When the council took it.
    pub decided_on: NaiveDate,
}

/// A member of the register bureau as recorded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppointedMember {
    /// The member's platform account.
    pub agent: ActorId,
    /// Full name, sealed under the member's subject.
    pub name: Sealed<String>,
}

/// What happened to a local authority's register.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RegisterEvent {
    /// The electronic register was opened (art. 5); the year for migrating the paper register
    /// runs from that day (art. 17).
    RegisterOpened {
        /// The local authority.
        local_authority: OrganisationId,
        /// The day it opened.
        opened_on: NaiveDate,
        /// Until when paper entries may be imported.
        migration_window: MonthTerm,
        /// The mandatory items of art. 8 in force.
        requirements: RegistrationRequirements,
        /// Who recorded it.
        by: ActorId,
    },
    /// The president's order appointing the bureau's head and deputy was recorded (art. 4).
    BureauAppointed {
        /// Reference of the order.
        order_reference: Text,
        /// When it was signed.
        signed_on: NaiveDate,
        /// When it was published.
        published_on: NaiveDate,
        /// The head.
        head: AppointedMember,
        /// The deputy.
        deputy: AppointedMember,
        /// Who recorded it.
        by: ActorId,
    },
    /// The mandatory items of art. 8 changed.
    RequirementsConfigured {
        /// The items now required.
        requirements: RegistrationRequirements,
        /// Who changed them.
        by: ActorId,
    },
}

/// What happened to one entry of a register.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OrganisationEvent {
    /// The organisation was registered on its request (art. 7).
    OrganisationRegistered {
        /// The entry.
        organisation: CivilSocietyOrganisationId,
        /// The register's local authority.
        local_authority: OrganisationId,
        /// How the request came.
        channel: RequestChannel,
        /// Its reference.
        request_reference: Text,
        /// When it was received.
        received_on: NaiveDate,
        /// The registration date (art. 8).
        registered_on: NaiveDate,
        /// The eligibility ground (art. 2).
        eligibility: Eligibility,
        /// The data and documents (art. 8).
        entry: EntryRecord,
        /// Who registered it.
        by: ActorId,
    },
    /// An entry of the paper register was imported (art. 16-17), with its original date.
    PaperEntryImported {
        /// The entry.
        organisation: CivilSocietyOrganisationId,
        /// The register's local authority.
        local_authority: OrganisationId,
        /// Where it stands in the paper register.
        paper_reference: Text,
        /// The original registration date, on paper.
        registered_on: NaiveDate,
        /// The day it was imported.
        imported_on: NaiveDate,
        /// The eligibility ground, when the paper register records it.
        eligibility: Option<Eligibility>,
        /// The data, as the paper register has it.
        entry: EntryRecord,
        /// Mandatory items the paper entry lacks, for the bureau to complete (art. 4).
        missing: Vec<Requirement>,
        /// Who imported it.
        by: ActorId,
    },
    /// The data of the entry was replaced (art. 4).
    EntryUpdated {
        /// The new data.
        entry: EntryRecord,
        /// Mandatory items still missing.
        missing: Vec<Requirement>,
        /// When.
        updated_on: NaiveDate,
        /// Who.
        by: ActorId,
    },
    /// The organisation left the register of its own will.
    Withdrawn {
        /// When it asked.
        requested_on: NaiveDate,
        /// Reference of its request.
        request_reference: Text,
        /// Where the entry stood when it left (an art. 9 procedure may have been under way).
        status_before: OrganisationStatus,
        /// The day the withdrawal was recorded.
        withdrawn_on: NaiveDate,
        /// Who recorded it.
        by: ActorId,
    },
    /// The council found the organisation's legal or financial situation irregular (art. 9).
    IrregularityFound {
        /// The decision.
        decision: RecordedDecision,
        /// What is irregular.
        situation: IrregularSituation,
        /// The grounds stated in the decision.
        grounds: Text,
        /// Who recorded it.
        by: ActorId,
    },
    /// The formal notice was sent by registered letter with acknowledgement (art. 9).
    FormalNoticeSent {
        /// Reference of the letter.
        letter_reference: Text,
        /// When it was posted.
        sent_on: NaiveDate,
        /// Who recorded it.
        by: ActorId,
    },
    /// The acknowledgement of receipt came back: the month to regularise runs (art. 9).
    NoticeAcknowledged {
        /// The date of receipt.
        acknowledged_on: NaiveDate,
        /// The month to regularise, computed on the legal calendar.
        regularisation_term: MonthTerm,
        /// Who recorded it.
        by: ActorId,
    },
    /// The organisation regularised its situation: the entry is active again.
    Regularised {
        /// When.
        regularised_on: NaiveDate,
        /// What shows it.
        reference: Text,
        /// Relative to the month of art. 9.
        timing: RegularisationTiming,
        /// Who recorded it.
        by: ActorId,
    },
    /// The organisation was invited to a hearing after the month passed without response
    /// (art. 9).
    HearingConvened {
        /// Reference of the invitation.
        invitation_reference: Text,
        /// When it was sent.
        sent_on: NaiveDate,
        /// The day of the hearing.
        hearing_on: NaiveDate,
        /// Who recorded it.
        by: ActorId,
    },
    /// The hearing took place; minutes were drawn up.
    HearingHeld {
        /// When.
        held_on: NaiveDate,
        /// Whether the organisation appeared.
        organisation_appeared: bool,
        /// Reference of the minutes.
        minutes_reference: Text,
        /// The signed minutes.
        minutes: Attachment,
        /// Who recorded it.
        by: ActorId,
    },
    /// The council suspended communication with the organisation (art. 9).
    SuspensionDecided {
        /// The decision.
        decision: RecordedDecision,
        /// Who recorded it.
        by: ActorId,
    },
    /// The council found the situation regularised and ended the suspension.
    SuspensionLifted {
        /// The decision.
        decision: RecordedDecision,
        /// Who recorded it.
        by: ActorId,
    },
    /// The council struck the organisation off the register (art. 9). Final: only a new
    /// registration brings it back.
    StruckOff {
        /// The decision.
        decision: RecordedDecision,
        /// Who recorded it.
        by: ActorId,
    },
}

impl DomainEvent for RegisterEvent {
    fn event_type(&self) -> String {
        match self {
            Self::RegisterOpened { .. } => "RegisterOpened",
            Self::BureauAppointed { .. } => "BureauAppointed",
            Self::RequirementsConfigured { .. } => "RequirementsConfigured",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        "1".to_owned()
    }
}

impl DomainEvent for OrganisationEvent {
    fn event_type(&self) -> String {
        match self {
            Self::OrganisationRegistered { .. } => "OrganisationRegistered",
            Self::PaperEntryImported { .. } => "PaperEntryImported",
            Self::EntryUpdated { .. } => "EntryUpdated",
            Self::Withdrawn { .. } => "Withdrawn",
            Self::IrregularityFound { .. } => "IrregularityFound",
            Self::FormalNoticeSent { .. } => "FormalNoticeSent",
            Self::NoticeAcknowledged { .. } => "NoticeAcknowledged",
            Self::Regularised { .. } => "Regularised",
            Self::HearingConvened { .. } => "HearingConvened",
            Self::HearingHeld { .. } => "HearingHeld",
            Self::SuspensionDecided { .. } => "SuspensionDecided",
            Self::SuspensionLifted { .. } => "SuspensionLifted",
            Self::StruckOff { .. } => "StruckOff",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        "1".to_owned()
    }
}
