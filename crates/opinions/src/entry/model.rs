//! The vocabulary of an entry: the six sections of art. 11 and what sets each apart, the kinds
//! of entry, the author and the author's contact.

use kernel::CivilSocietyOrganisationId;
use kernel::personal_data::{Sealed, SubjectId};
use serde::{Deserialize, Serialize};

use crate::config::AuthorItem;
use crate::ids::DraftByLawId;

/// What an entry is (decree 2019-401 art. 10-11).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// An opinion (رأي, avis).
    Opinion,
    /// A question (تساؤل, question).
    Question,
    /// A proposal (مقترح, proposition): section V only.
    Proposal,
}

/// The topic of a section VI entry: "local fees and the management of public property,
/// revenue and expenditure" (art. 11, section VI).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FinanceTopic {
    /// Local fees (redevances locales).
    LocalFees,
    /// Management of public property (biens publics).
    PublicProperty,
    /// Revenue (recettes).
    Revenue,
    /// Expenditure (dépenses).
    Expenditure,
}

/// The six sections of the register (decree 2019-401 art. 11), each with what sets it apart.
///
/// Which kinds each accepts ([`Section::accepts`]) is a decision: art. 10 and 13 speak of
/// "opinions and questions" for the whole register, and art. 11 names proposals in section V
/// alone, so sections I-IV and VI take opinions and questions, and section V takes proposals
/// only. A proposal on another subject is filed in section V; an opinion on a programme, in
/// section II.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "section", rename_all = "snake_case")]
pub enum Section {
    /// I: the nature and quality of the local authority's services and the functioning of
    /// its public facilities.
    ServicesAndFacilities,
    /// II: programmes and projects carried out by the local authority.
    ProgrammesAndProjects,
    /// III: governance: communication with residents, transparency of decisions,
    /// participatory approaches.
    Governance,
    /// IV: a draft regulatory by-law published on the website and posted at the premises,
    /// before its deliberation. The entry refers to one published draft and is refused from
    /// the day of its deliberation.
    DraftByLaw {
        /// The draft the entry is about.
        draft: DraftByLawId,
    },
    /// V: proposals on the programmes and projects of the local authority in its territory.
    Proposals,
    /// VI: local fees and the management of public property, revenue and expenditure.
    LocalFinances {
        /// Which of these.
        topic: FinanceTopic,
    },
}

impl Section {
    /// The section's number in art. 11, 1 to 6.
    pub fn number(&self) -> u8 {
        match self {
            Self::ServicesAndFacilities => 1,
            Self::ProgrammesAndProjects => 2,
            Self::Governance => 3,
            Self::DraftByLaw { .. } => 4,
            Self::Proposals => 5,
            Self::LocalFinances { .. } => 6,
        }
    }

    /// Whether the section takes entries of `kind` (see the type's documentation).
    pub fn accepts(&self, kind: EntryKind) -> bool {
        matches!(self, Self::Proposals) == (kind == EntryKind::Proposal)
    }
}

/// The ground on which a person is a resident of the local authority (decree 2019-401 art. 2:
/// "persons actually residing in its territory or whose place of work or economic activity is
/// there"). Declared by the author; the register does not verify it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResidenceGround {
    /// Actually lives in the territory.
    Lives,
    /// Works in the territory.
    Works,
    /// Has an economic activity in the territory.
    EconomicActivity,
}

/// The author's name and addresses, in clear in commands and sealed in events under the
/// author's [`SubjectId`] (the resident, or the person writing for an organisation). Blank
/// fields count as absent.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorContact {
    /// Name.
    pub name: Option<String>,
    /// Postal address.
    pub postal_address: Option<String>,
    /// E-mail address.
    pub email: Option<String>,
    /// Telephone number.
    pub phone: Option<String>,
}

impl AuthorContact {
    /// The value of `item`, if given and not blank.
    pub fn get(&self, item: AuthorItem) -> Option<&str> {
        match item {
            AuthorItem::Name => self.name.as_deref(),
            AuthorItem::PostalAddress => self.postal_address.as_deref(),
            AuthorItem::Email => self.email.as_deref(),
            AuthorItem::Phone => self.phone.as_deref(),
        }
        .filter(|value| !value.trim().is_empty())
    }

    /// The slot of `item`, to write a normalised value back.
    pub(crate) fn slot(&mut self, item: AuthorItem) -> &mut Option<String> {
        match item {
            AuthorItem::Name => &mut self.name,
            AuthorItem::PostalAddress => &mut self.postal_address,
            AuthorItem::Email => &mut self.email,
            AuthorItem::Phone => &mut self.phone,
        }
    }
}

/// An address correspondence can be sent to (art. 13: "the addresses in the register,
/// including electronic ones").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AddressKind {
    /// By post, to the postal address.
    Postal,
    /// By e-mail.
    Email,
}

/// Who files, as the command states it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "author", rename_all = "snake_case")]
pub enum AuthorDeclaration {
    /// A resident (art. 2), filing for themselves.
    Resident {
        /// The resident as a data subject: their data is sealed under this id.
        subject: SubjectId,
        /// The ground they declare.
        ground: ResidenceGround,
        /// Name and addresses.
        contact: AuthorContact,
    },
    /// A civil-society organisation registered with the local authority, through a citizen
    /// who speaks for it (the command's actor).
    Organisation {
        /// The organisation, in the civil-society register.
        organisation: CivilSocietyOrganisationId,
        /// The person writing for it, as a data subject.
        representative: SubjectId,
        /// That person's name and the addresses to write to.
        contact: AuthorContact,
    },
}

impl AuthorDeclaration {
    /// The data subject the author's data is sealed under.
    pub(crate) fn subject(&self) -> SubjectId {
        match self {
            Self::Resident { subject, .. } => *subject,
            Self::Organisation { representative, .. } => *representative,
        }
    }

    /// The name and addresses, in clear.
    pub(crate) fn contact(&self) -> &AuthorContact {
        match self {
            Self::Resident { contact, .. } | Self::Organisation { contact, .. } => contact,
        }
    }

    /// The author as recorded, with the contact sealed.
    pub(crate) fn into_author(self, contact: Sealed<AuthorContact>) -> Author {
        match self {
            Self::Resident { ground, .. } => Author::Resident { ground, contact },
            Self::Organisation { organisation, .. } => Author::Organisation {
                organisation,
                contact,
            },
        }
    }
}

/// Who filed, as the register records it: no personal data in clear.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "author", rename_all = "snake_case")]
pub enum Author {
    /// A resident.
    Resident {
        /// The ground they declared (art. 2).
        ground: ResidenceGround,
        /// Their name and addresses, sealed under their subject id.
        contact: Sealed<AuthorContact>,
    },
    /// A registered organisation.
    Organisation {
        /// The organisation.
        organisation: CivilSocietyOrganisationId,
        /// The representative's name and the addresses, sealed under the representative's
        /// subject id.
        contact: Sealed<AuthorContact>,
    },
}

impl Author {
    /// The sealed name and addresses.
    pub fn contact(&self) -> &Sealed<AuthorContact> {
        match self {
            Self::Resident { contact, .. } | Self::Organisation { contact, .. } => contact,
        }
    }
}

/// What the committee proposes to the president of the local authority (art. 13).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProposalKind {
    /// To present an answer.
    Answer,
    /// To present a clarification.
    Clarification,
    /// To ask the author for explanations.
    RequestForExplanations,
}
