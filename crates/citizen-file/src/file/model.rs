//! The vocabulary of citizen files: kinds, channels, authors, locations, attachments, the
//! closed lists of the texts, and the lifecycle's states.

use chrono::{DateTime, Utc};
use kernel::personal_data::SubjectId;
use kernel::tracking::TrackingCode;
use kernel::{ActorId, OrganisationKind, Role, Text};
use serde::{Deserialize, Serialize};

use crate::ids::{FileId, ReferralId};

/// The four kinds of file (decree 2019-1242 art. 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    /// Petition or complaint, studied by the receiving office (art. 7).
    Petition,
    /// Request for information about the administration, its facilities, services and
    /// procedures (art. 8).
    GuidanceRequest,
    /// Practical idea to improve public policy or services, handled by the Central Bureau
    /// with the sector's structure (art. 9).
    Suggestion,
    /// Report of a problem or danger to the public interest, public property or the
    /// continuity of a public service, handled by the Central Bureau (art. 10).
    Notification,
}

impl FileKind {
    /// The kind of organisation that handles files of this kind: the Citizen Relations
    /// Office for petitions and guidance requests (art. 7, 8), the Central Bureau for
    /// suggestions and notifications (art. 9, 10).
    pub fn handled_at(self) -> OrganisationKind {
        match self {
            Self::Petition | Self::GuidanceRequest => OrganisationKind::CitizenRelationsOffice,
            Self::Suggestion | Self::Notification => OrganisationKind::CentralBureau,
        }
    }

    /// The roles that study, route and answer files of this kind in the handling organisation.
    pub fn handling_roles(self) -> &'static [Role] {
        match self {
            Self::Petition | Self::GuidanceRequest => &[Role::OfficeAgent, Role::OfficeHead],
            Self::Suggestion | Self::Notification => &[Role::CentralBureauAgent],
        }
    }
}

/// The kind of a file with what only that kind carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum KindDetails {
    /// Petition or complaint (art. 7).
    Petition,
    /// Guidance request (art. 8).
    GuidanceRequest,
    /// Suggestion (art. 9).
    Suggestion,
    /// Notification (art. 10), with the urgency the author reports.
    Notification {
        /// How urgent; sets the reply deadline when the configuration has a rule for it.
        urgency: Urgency,
    },
}

impl KindDetails {
    /// The kind, without details.
    pub fn kind(&self) -> FileKind {
        match self {
            Self::Petition => FileKind::Petition,
            Self::GuidanceRequest => FileKind::GuidanceRequest,
            Self::Suggestion => FileKind::Suggestion,
            Self::Notification { .. } => FileKind::Notification,
        }
    }
}

/// How urgent a notification is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    /// No harm grows by waiting.
    Low,
    /// The usual case.
    Normal,
    /// Harm grows by the day.
    High,
    /// Immediate danger to people.
    LifeThreatening,
}

/// How a file reached the administration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// Submitted by its author on the platform.
    Online,
    /// Brought to an office counter.
    Counter,
    /// Sent by post.
    Mail,
    /// Told over the phone.
    Phone,
    /// Sent by fax.
    Fax,
    /// Sent by e-mail (circular 2 of 2020: 48-hour first response).
    Email,
}

/// Natural or legal person (the "user of the administration" of the decree is either).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PersonKind {
    /// A person.
    Natural,
    /// A company, an association...
    Legal,
}

/// Who the author is and how to reach them: personal data, sealed in events. Commands carry
/// it as typed; events carry it validated and trimmed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorDetails {
    /// Natural or legal person.
    pub person: PersonKind,
    /// Name (of the person, or of the organisation).
    pub name: String,
    /// National identity card or register number.
    pub national_id: Option<String>,
    /// E-mail address.
    pub email: Option<String>,
    /// Phone number.
    pub phone: Option<String>,
    /// Postal address.
    pub postal_address: Option<String>,
}

/// The author as the domain refers to them: a data subject (whose key seals their data) and,
/// when they have one, their platform account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AuthorRef {
    /// The data subject.
    pub subject: SubjectId,
    /// The author's account, if any.
    pub account: Option<ActorId>,
}

/// How a citizen command shows it comes from the file's author. The gateway authenticates;
/// the domain checks the proof fits this file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthorProof {
    /// The actor is the author's own account.
    Account,
    /// The actor holds the file's tracking code, whose secret the gateway verified (files
    /// registered on behalf of someone without an account).
    TrackingCode(TrackingCode),
}

/// What the author wrote: sealed in events, because free text may hold personal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statement {
    /// Title.
    pub title: Text,
    /// Body.
    pub body: Text,
    /// Address of the place concerned, when given.
    pub address: Option<Text>,
}

/// A WGS84 position, in decimal degrees.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Coordinates {
    /// Latitude, north positive.
    pub latitude: f64,
    /// Longitude, east positive.
    pub longitude: f64,
}

impl Coordinates {
    /// Whether the position lies within Tunisia's bounding box (roughly 30.2..37.6 N,
    /// 7.5..11.7 E; islands included). A box, not the border: it catches swapped or
    /// mistyped coordinates, not a point just across the border.
    pub fn is_in_tunisia(&self) -> bool {
        (30.2..=37.6).contains(&self.latitude) && (7.5..=11.7).contains(&self.longitude)
    }
}

/// Where the problem is: coordinates, an address, or both.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Location {
    /// A position, e.g. from the phone that took the photo.
    pub coordinates: Option<Coordinates>,
    /// An address in words.
    pub address: Option<String>,
}

/// A file held in the blob store, referred to by content.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AttachmentRef {
    /// SHA-256 of the content, 64 hex digits (stored lowercase).
    pub sha256: String,
    /// Media type (`image/jpeg`...), stored lowercase.
    pub media_type: String,
    /// Size in bytes.
    pub size_bytes: u64,
}

/// Why an attachment reference was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttachmentProblem {
    /// The hash is not 64 hexadecimal digits.
    BadHash,
    /// The media type is not in the configured list.
    MediaTypeNotAllowed,
    /// Zero bytes.
    Empty,
    /// Larger than the configured maximum.
    TooLarge {
        /// The maximum, in bytes.
        max_bytes: u64,
    },
    /// The same content twice.
    Duplicate,
}

/// Why a file is not admissible: the closed list of matters a Citizen Relations Office does
/// not take up (decree 93-1549 as amended by decree 98-1152; domain notes §1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InadmissibilityReason {
    /// The matter is before the courts.
    BeforeTheCourts,
    /// A public agent's dispute about their own career.
    AgentCareerDispute,
    /// A request for aid.
    AidRequest,
    /// A request for a job.
    JobRequest,
    /// Outside the competence of the administration reached.
    OutsideCompetence,
    /// Abusive: insulting, repetitive or manifestly unfounded.
    Abusive,
}

/// Why more time is needed: the cases circular 2 of 2020 names (consulting documents,
/// coordinating with other structures) and work on site, which notifications need.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MoreTimeReason {
    /// Several documents must be consulted.
    DocumentsToConsult,
    /// Other public structures must be consulted.
    CoordinationWithOtherStructures,
    /// Work on site is needed.
    FieldWork,
}

impl MoreTimeReason {
    /// The reason as written into a deadline's explanation (French, like the explanation).
    pub fn label(self) -> &'static str {
        match self {
            Self::DocumentsToConsult => "consultation de plusieurs documents",
            Self::CoordinationWithOtherStructures => "coordination avec d'autres structures",
            Self::FieldWork => "intervention sur le terrain",
        }
    }
}

/// Which deadline an extension applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineTarget {
    /// The file's reply deadline towards its author.
    Reply,
    /// A referral's reply deadline towards the office.
    Referral(ReferralId),
}

/// A structure's assessment of a suggestion (art. 9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Feasibility {
    /// Can be implemented.
    Feasible,
    /// Can be implemented in part.
    PartlyFeasible,
    /// Cannot be implemented.
    NotFeasible,
}

/// What a structure's reply is, by kind; the text of the reply comes with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum ReplyOutcome {
    /// An answer on the merits (petitions, guidance requests).
    Answer,
    /// A feasibility assessment, the text giving its reasons (suggestions, art. 9).
    FeasibilityAssessment {
        /// The assessment.
        feasibility: Feasibility,
    },
    /// What was done on site, the text describing it (notifications, art. 10).
    InterventionReport {
        /// When the structure intervened.
        intervened_at: DateTime<Utc>,
        /// Whether the harm was removed or the fault repaired.
        harm_removed: bool,
    },
}

impl ReplyOutcome {
    /// Whether this outcome answers a file of `kind`.
    pub fn fits(&self, kind: FileKind) -> bool {
        matches!(
            (self, kind),
            (Self::Answer, FileKind::Petition | FileKind::GuidanceRequest)
                | (Self::FeasibilityAssessment { .. }, FileKind::Suggestion)
                | (Self::InterventionReport { .. }, FileKind::Notification)
        )
    }
}

/// Why a file was closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClosureReason {
    /// Declared inadmissible.
    Inadmissible,
    /// The author did not answer a request for information in time.
    NoReplyToInformationRequest,
    /// The answer was not contested in time: it is final.
    ContestPeriodElapsed,
    /// An adopted suggestion was implemented (art. 9).
    SuggestionImplemented,
}

/// Where a file stands in its lifecycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileStatus {
    /// Nothing received yet (an empty stream).
    #[default]
    New,
    /// Received (receipt issued), waiting for the admission decision.
    Received,
    /// Admitted, with the handling organisation, no referral outstanding.
    UnderStudy,
    /// Waiting for information from the author; the reply deadline is paused.
    AwaitingInformation,
    /// At least one referral outstanding.
    Referred,
    /// A final answer is drafted and waits for the signatory.
    AnswerDrafted,
    /// The signed answer was sent; the author may rate or contest it.
    Answered,
    /// Closed for good.
    Closed(ClosureReason),
    /// Merged into another open file, which its author now follows.
    Merged(FileId),
}

impl FileStatus {
    /// Whether nothing can happen to the file any more.
    pub fn is_terminal(self) -> bool {
        matches!(self, Self::Closed(_) | Self::Merged(_))
    }
}

/// Where one referral stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReferralStatus {
    /// Sent, not yet acknowledged.
    Pending,
    /// The structure acknowledged it.
    Acknowledged,
    /// The structure replied.
    Replied,
    /// The structure returned it as not competent; the office re-routes it.
    Returned,
}

impl ReferralStatus {
    /// Whether the structure still owes a reply.
    pub fn is_active(self) -> bool {
        matches!(self, Self::Pending | Self::Acknowledged)
    }
}
