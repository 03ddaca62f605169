//! Events of an entry. Names and fields are a stored contract. Every free text attached to an
//! entry (its text, answers, notes, letters, minutes) may name people, so it is sealed under
//! the author's subject: erasing the author erases them with the rest of their data.

use chrono::{DateTime, NaiveDate, Utc};
use cqrs_es::DomainEvent;
use kernel::personal_data::Sealed;
use kernel::{ActorId, OrganisationId, Role, Text};
use serde::{Deserialize, Serialize};

use crate::entry::model::{AddressKind, Author, AuthorContact, EntryKind, ProposalKind, Section};
use crate::ids::EntryNumber;

/// What happened to an [`OpinionEntry`](crate::OpinionEntry).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EntryEvent {
    /// The entry was filed in the register (art. 10-12).
    EntryFiled {
        /// The register's local authority.
        local_authority: OrganisationId,
        /// Its number in the register.
        number: EntryNumber,
        /// Its section (art. 11).
        section: Section,
        /// Section IV: the draft's deliberation date known at filing, if set (the entry was
        /// accepted because it came before). `None` in the other sections.
        deliberation_on: Option<NaiveDate>,
        /// Opinion, question or proposal.
        kind: EntryKind,
        /// Who filed.
        author: Author,
        /// Which addresses the register holds (art. 13), without their content.
        addresses: Vec<AddressKind>,
        /// The text, sealed under the author's subject.
        text: Sealed<Text>,
        /// The citizen who filed.
        by: ActorId,
        /// The entry's date.
        filed_at: DateTime<Utc>,
    },
    /// The local authority answered (art. 10, 12).
    EntryAnswered {
        /// The answer's number on the entry, from 1.
        answer: u32,
        /// The answer, sealed under the author's subject.
        text: Sealed<Text>,
        /// Who answered.
        by: ActorId,
        /// In which capacity.
        role: Role,
        /// The answer's date.
        answered_at: DateTime<Utc>,
    },
    /// The committee consulted the entry (art. 13).
    CommitteeConsulted {
        /// The committee member.
        by: ActorId,
        /// When.
        at: DateTime<Utc>,
    },
    /// The committee proposed to the president to answer, clarify or ask for explanations
    /// (art. 13).
    ProposedToPresident {
        /// The proposal's number on the entry, from 1.
        proposal: u32,
        /// What it proposes.
        kind: ProposalKind,
        /// The committee's note, sealed under the author's subject.
        note: Sealed<Text>,
        /// The committee member.
        by: ActorId,
        /// When.
        at: DateTime<Utc>,
    },
    /// A letter following a proposal went to the author's addresses (art. 13).
    CorrespondenceSent {
        /// The proposal it follows.
        proposal: u32,
        /// Its purpose: the proposal's kind.
        purpose: ProposalKind,
        /// The addresses written to, as registered (the filing's sealed contact).
        to: Sealed<AuthorContact>,
        /// Postal, electronic, or both: every address the register holds.
        channels: Vec<AddressKind>,
        /// The letter, sealed under the author's subject.
        body: Sealed<Text>,
        /// Who sent it.
        by: ActorId,
        /// In which capacity.
        role: Role,
        /// When.
        sent_at: DateTime<Utc>,
    },
    /// The committee invited the author to a follow-up meeting at the local authority's seat
    /// (art. 13).
    FollowUpMeetingInvited {
        /// The meeting's number on the entry, from 1.
        meeting: u32,
        /// When it takes place.
        meeting_at: DateTime<Utc>,
        /// The addresses the invitation went to, as registered.
        to: Sealed<AuthorContact>,
        /// Postal, electronic, or both.
        channels: Vec<AddressKind>,
        /// The committee member.
        by: ActorId,
        /// When the invitation was sent.
        invited_at: DateTime<Utc>,
    },
    /// The minutes of a follow-up meeting were recorded (art. 13).
    FollowUpMinutesRecorded {
        /// The meeting.
        meeting: u32,
        /// The minutes, sealed under the author's subject.
        minutes: Sealed<Text>,
        /// The committee member.
        by: ActorId,
        /// When.
        recorded_at: DateTime<Utc>,
    },
}

impl DomainEvent for EntryEvent {
    fn event_type(&self) -> String {
        match self {
            Self::EntryFiled { .. } => "EntryFiled",
            Self::EntryAnswered { .. } => "EntryAnswered",
            Self::CommitteeConsulted { .. } => "CommitteeConsulted",
            Self::ProposedToPresident { .. } => "ProposedToPresident",
            Self::CorrespondenceSent { .. } => "CorrespondenceSent",
            Self::FollowUpMeetingInvited { .. } => "FollowUpMeetingInvited",
            Self::FollowUpMinutesRecorded { .. } => "FollowUpMinutesRecorded",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        "1".to_owned()
    }
}
