//! Commands on an entry of the register of opinions and questions. Each carries the actor;
//! texts and contact data come in clear and are validated and sealed by the aggregate.

use chrono::{DateTime, Utc};
use kernel::{Actor, OrganisationId};
use serde::{Deserialize, Serialize};

use crate::entry::model::{AuthorDeclaration, EntryKind, ProposalKind, Section};
use crate::ids::EntryNumber;

/// A command on an [`OpinionEntry`](crate::OpinionEntry).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EntryCommand {
    /// Files an opinion, question or proposal in a local authority's register (art. 10-12).
    /// The actor is a citizen: the resident, or the person speaking for the organisation.
    FileEntry {
        /// The register's local authority.
        local_authority: OrganisationId,
        /// The entry's number, drawn at the edge from the register's counter.
        number: EntryNumber,
        /// Which of the six sections (art. 11).
        section: Section,
        /// Opinion, question or proposal.
        kind: EntryKind,
        /// Who files, with their name and addresses.
        author: AuthorDeclaration,
        /// The opinion, question or proposal.
        text: String,
        /// Who acts.
        actor: Actor,
    },
    /// Records an answer of the local authority (art. 10, 12: answer, its date, who
    /// answered). An entry may receive several.
    AnswerEntry {
        /// The answer.
        text: String,
        /// A register bureau agent or head, or the signatory acting for the president.
        actor: Actor,
    },
    /// Notes that the committee for participatory democracy consulted the entry (art. 13).
    NoteCommitteeConsultation {
        /// A committee member.
        actor: Actor,
    },
    /// The committee proposes to the president to answer, clarify or ask for explanations
    /// (art. 13).
    ProposeToPresident {
        /// What it proposes.
        proposal: ProposalKind,
        /// Its note to the president.
        note: String,
        /// A committee member.
        actor: Actor,
    },
    /// Sends the correspondence following a proposal to the author's addresses in the
    /// register, postal and electronic (art. 13).
    SendCorrespondence {
        /// The proposal's number on this entry.
        proposal: u32,
        /// The letter.
        body: String,
        /// A register bureau agent or head, or the signatory, for the president.
        actor: Actor,
    },
    /// The committee invites the author to the local authority's seat for a follow-up
    /// meeting (art. 13).
    InviteToFollowUpMeeting {
        /// When the meeting takes place.
        meeting_at: DateTime<Utc>,
        /// A committee member.
        actor: Actor,
    },
    /// Records the minutes of a follow-up meeting (art. 13).
    RecordFollowUpMinutes {
        /// The meeting's number on this entry.
        meeting: u32,
        /// The minutes.
        minutes: String,
        /// A committee member.
        actor: Actor,
    },
}
