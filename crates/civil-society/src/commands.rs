//! Commands, in the imperative, for the register of a local authority ([`RegisterCommand`]) and
//! for one entry of it ([`OrganisationCommand`]).
//!
//! Every command carries the [`Actor`] who issues it. Acts that happen outside the platform
//! (an order signed, a letter posted, an acknowledgement of receipt returned, a hearing held, a
//! council decision taken) carry their own date, since they are often recorded days later;
//! the register refuses dates in the future and steps dated before the step they follow.
//! Texts arrive in clear and are validated (and personal data sealed) by the aggregate.

use chrono::NaiveDate;
use kernel::personal_data::SubjectId;
use kernel::{Actor, ActorId, CivilSocietyOrganisationId, OrganisationId};
use serde::{Deserialize, Serialize};

use crate::entry::{Attachment, Eligibility, EntryData, RegistrationRequirements};
use crate::events::{IrregularSituation, RequestChannel};

/// A command to the civil-society register of one local authority.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RegisterCommand {
    /// Opens the electronic register of `local_authority` (art. 5) on `opened_on`, which starts
    /// the year for migrating its paper register (art. 17). By a platform administrator of the
    /// local authority.
    OpenRegister {
        /// Who.
        actor: Actor,
        /// The local authority, whose identifier is the register's.
        local_authority: OrganisationId,
        /// The day the electronic register was established.
        opened_on: NaiveDate,
        /// The mandatory items of art. 8 for this local authority (usually the default).
        requirements: RegistrationRequirements,
    },
    /// Records the president's order appointing the head of the register bureau and the
    /// deputy (art. 4). A new order replaces the previous appointment. By a platform
    /// administrator of the local authority, who also grants the appointees their roles.
    AppointBureau {
        /// Who.
        actor: Actor,
        /// The president's order.
        order: AppointmentOrder,
        /// The head of the bureau.
        head: BureauMember,
        /// The deputy ("son représentant").
        deputy: BureauMember,
    },
    /// Changes the mandatory items of art. 8 for this local authority. Applies to requests
    /// handled from then on; entries already registered are not re-examined. By a platform
    /// administrator of the local authority.
    ConfigureRequirements {
        /// Who.
        actor: Actor,
        /// The items now required.
        requirements: RegistrationRequirements,
    },
}

/// The order of the president of the local authority (art. 4: "arrêté publié par tous les
/// moyens disponibles").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppointmentOrder {
    /// Its reference.
    pub reference: String,
    /// When it was signed.
    pub signed_on: NaiveDate,
    /// When it was published.
    pub published_on: NaiveDate,
}

/// A member of the register bureau, in clear.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BureauMember {
    /// The member's platform account, to which the register-bureau role is granted.
    pub agent: ActorId,
    /// The data subject whose key seals the name.
    pub subject: SubjectId,
    /// Full name.
    pub full_name: String,
}

/// A command to one entry of a civil-society register.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OrganisationCommand {
    /// Registers an organisation on its paper or electronic request (art. 7), checking its
    /// eligibility (art. 2) and the mandatory items (art. 8). By the register bureau.
    Register {
        /// Who.
        actor: Actor,
        /// The new entry's identifier (minted at the edge).
        organisation: CivilSocietyOrganisationId,
        /// The local authority whose register it joins.
        local_authority: OrganisationId,
        /// The request.
        request: RegistrationRequest,
    },
    /// Imports an entry of the paper register (art. 16-17), keeping its original date and its
    /// paper reference. By the register bureau, within the migration window.
    ImportPaperEntry {
        /// Who.
        actor: Actor,
        /// The new entry's identifier (minted at the edge).
        organisation: CivilSocietyOrganisationId,
        /// The local authority whose register it belongs to.
        local_authority: OrganisationId,
        /// The paper entry.
        paper: PaperEntry,
    },
    /// Replaces the data of the entry (art. 4: the bureau keeps the register up to date).
    /// By the register bureau.
    UpdateEntry {
        /// Who.
        actor: Actor,
        /// The new data, whole.
        entry: EntryData,
    },
    /// Records the organisation's voluntary withdrawal from the register, on its request.
    /// By the register bureau.
    RecordWithdrawal {
        /// Who.
        actor: Actor,
        /// When the organisation asked.
        requested_on: NaiveDate,
        /// Reference of its request.
        request_reference: String,
    },
    /// Records the council's decision finding the legal or financial situation of the
    /// organisation irregular, which opens the art. 9 procedure. By the council secretary.
    FindIrregularity {
        /// Who.
        actor: Actor,
        /// The council's decision.
        decision: CouncilDecision,
        /// What is irregular.
        situation: IrregularSituation,
        /// The grounds, as the decision states them (a public act: no personal data).
        grounds: String,
    },
    /// Records the formal notice sent by registered letter with acknowledgement of receipt
    /// (art. 9). Recording it again replaces the letter (e.g. the first came back unclaimed).
    /// By the register bureau.
    SendFormalNotice {
        /// Who.
        actor: Actor,
        /// Reference of the registered letter.
        letter_reference: String,
        /// When it was posted.
        sent_on: NaiveDate,
    },
    /// Records the acknowledgement of receipt of the formal notice: the month to regularise
    /// runs from it (art. 9). By the register bureau.
    RecordAcknowledgement {
        /// Who.
        actor: Actor,
        /// The date of receipt on the acknowledgement.
        acknowledged_on: NaiveDate,
    },
    /// Records that the organisation regularised its situation, before any suspension.
    /// By the register bureau.
    RecordRegularisation {
        /// Who.
        actor: Actor,
        /// When.
        regularised_on: NaiveDate,
        /// Reference of what shows it (letter, documents received).
        reference: String,
    },
    /// Records the invitation to a hearing sent after the month passed without response
    /// (art. 9). By the register bureau.
    ConveneHearing {
        /// Who.
        actor: Actor,
        /// Reference of the invitation.
        invitation_reference: String,
        /// When it was sent.
        sent_on: NaiveDate,
        /// The day of the hearing.
        hearing_on: NaiveDate,
    },
    /// Records the hearing and its minutes. By the register bureau.
    RecordHearing {
        /// Who.
        actor: Actor,
        /// When it took place.
        held_on: NaiveDate,
        /// Whether the organisation appeared.
        organisation_appeared: bool,
        /// Reference of the minutes.
        minutes_reference: String,
        /// The signed minutes.
        minutes: Attachment,
    },
    /// Records the council's decision suspending communication with the organisation
    /// (art. 9). By the council secretary.
    DecideSuspension {
        /// Who.
        actor: Actor,
        /// The council's decision.
        decision: CouncilDecision,
    },
    /// Records the council's decision that the suspended organisation has regularised its
    /// situation, which ends the suspension. By the council secretary.
    LiftSuspension {
        /// Who.
        actor: Actor,
        /// The council's decision.
        decision: CouncilDecision,
    },
    /// Records the council's decision striking the organisation off the register for not
    /// regularising (art. 9). By the council secretary.
    StrikeOff {
        /// Who.
        actor: Actor,
        /// The council's decision.
        decision: CouncilDecision,
    },
}

/// A registration request (art. 7).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationRequest {
    /// Paper or electronic.
    pub channel: RequestChannel,
    /// Its reference (mail registration number, portal submission number).
    pub reference: String,
    /// When it was received.
    pub received_on: NaiveDate,
    /// The eligibility ground declared (art. 2).
    pub eligibility: Eligibility,
    /// The data and documents (art. 8).
    pub entry: EntryData,
}

/// An entry of the paper register (art. 16), as written there.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaperEntry {
    /// Its reference there (volume, page, entry number).
    pub reference: String,
    /// The date it was registered on paper.
    pub registered_on: NaiveDate,
    /// The eligibility ground, when the paper register records it.
    pub eligibility: Option<Eligibility>,
    /// The data and documents.
    pub entry: EntryData,
}

/// A decision of the council of the local authority.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CouncilDecision {
    /// Its reference (session and deliberation number).
    pub reference: String,
    /// When the council took it.
    pub decided_on: NaiveDate,
}
