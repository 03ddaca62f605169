//! Rule values that are configuration, with their defaults and where each default comes from.
//!
//! Where decree 2019-401 gives a value (5 days to post, at least 15 days on display: art. 15)
//! the default is that value and the rule's `source` cites it. Where our copy of the decree is
//! truncated (the list of mandatory data of art. 12, the schedule of art. 14) or silent (text
//! lengths), the default is an **assumption** of the domain notes or of this crate, documented
//! here, to be confirmed before relying on it.

use kernel::TextLimits;
use kernel::calendar::{DeadlineRule, DeadlineUnit, RollPolicy};
use serde::{Deserialize, Serialize};

/// An item of the author's data the register may require (decree 2019-401 art. 12).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthorItem {
    /// The name of the resident, or of the person writing for an organisation.
    Name,
    /// The postal address letters are sent to (art. 13: "the addresses in the register").
    PostalAddress,
    /// The e-mail address (art. 13: "including electronic ones").
    Email,
    /// A telephone number.
    Phone,
}

impl AuthorItem {
    /// Every item, in the order the register shows them.
    pub const ALL: [AuthorItem; 4] = [Self::Name, Self::PostalAddress, Self::Email, Self::Phone];
}

/// The author data an entry must hold (decree 2019-401 art. 12).
///
/// Art. 12's list is missing from our copy. **Assumption** (domain notes, section 3): entry
/// number, date, author (resident or organisation) and address including e-mail, section,
/// text, answer, answer date, who answered. The number, date, section, text and the answers'
/// dates and authors are always recorded (the types make them impossible to omit); what may
/// vary is the author's data, hence this list. Default: name, postal address and e-mail.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryRequirements {
    /// The author items an entry is refused without.
    pub author_items: Vec<AuthorItem>,
}

impl Default for EntryRequirements {
    fn default() -> Self {
        Self {
            author_items: vec![
                AuthorItem::Name,
                AuthorItem::PostalAddress,
                AuthorItem::Email,
            ],
        }
    }
}

/// Bounds on the author's contact fields. **Assumption**: sizes of the usual forms (an e-mail
/// address is at most 254 characters, RFC 5321).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ContactLimits {
    /// Name: one line of 200 characters.
    pub name: TextLimits,
    /// Postal address: up to 500 characters over several lines.
    pub postal_address: TextLimits,
    /// E-mail: one line of 254 characters.
    pub email: TextLimits,
    /// Telephone: one line of 32 characters.
    pub phone: TextLimits,
}

impl Default for ContactLimits {
    fn default() -> Self {
        Self {
            name: TextLimits::line(200),
            postal_address: TextLimits::body(500),
            email: TextLimits::line(254),
            phone: TextLimits::line(32),
        }
    }
}

/// Every rule value of the crate; absent keys keep their default.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OpinionsConfig {
    /// An opinion, question or proposal. **Assumption**: 5 000 characters.
    pub entry_text: TextLimits,
    /// An answer of the local authority. **Assumption**: 10 000 characters.
    pub answer_text: TextLimits,
    /// The committee's notes, correspondence and minutes (art. 13). **Assumption**: 10 000.
    pub committee_text: TextLimits,
    /// The author's contact fields.
    pub contact: ContactLimits,
    /// The author data an entry must hold (art. 12, assumption).
    pub requirements: EntryRequirements,
    /// The committee's periodic report (art. 14). **Assumption**: 50 000 characters.
    pub report_text: TextLimits,
    /// The public summary of the report (art. 15). **Assumption**: 10 000 characters.
    pub summary_text: TextLimits,
    /// Posting the summary after the council's meeting: art. 15, "within five days at most
    /// from the date of the meeting". The decree says days, not working days, so calendar
    /// days; a deadline ending on a non-working day moves to the next working day (domain
    /// notes, section 5, assumption).
    pub posting: DeadlineRule,
    /// Keeping the summary up: art. 15, "for at least fifteen days", counted in calendar days
    /// from the day after posting, without roll (a minimum display, not a time to act).
    pub display: DeadlineRule,
    /// Ordinary sessions a council holds in a year; the calendar refuses more. **Assumption**
    /// (domain notes, section 3): quarterly, so 4.
    pub ordinary_sessions_per_year: u32,
}

impl Default for OpinionsConfig {
    fn default() -> Self {
        Self {
            entry_text: TextLimits::body(5_000),
            answer_text: TextLimits::body(10_000),
            committee_text: TextLimits::body(10_000),
            contact: ContactLimits::default(),
            requirements: EntryRequirements::default(),
            report_text: TextLimits::body(50_000),
            summary_text: TextLimits::body(10_000),
            posting: DeadlineRule::new(
                5,
                DeadlineUnit::CalendarDays,
                "decree 2019-401 art. 15: summary posted within 5 days of the council meeting",
            ),
            display: DeadlineRule {
                amount: 15,
                unit: DeadlineUnit::CalendarDays,
                roll: RollPolicy::None,
                source: "decree 2019-401 art. 15: summary kept up for at least 15 days".to_owned(),
            },
            ordinary_sessions_per_year: 4,
        }
    }
}
