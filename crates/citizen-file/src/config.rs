//! Rule values that are configuration, not code: deadlines, text lengths, attachment limits.
//!
//! Every default below is either a legal value, cited, or an **assumption** of the domain notes
//! (`docs/domain.md`), cited as such, because decree 2019-1242 art. 4 only says structures
//! answer "within the deadlines set by the legislation" without setting one. Each
//! [`DeadlineRule`] carries its `source`, which travels into the explanation of every due date
//! computed with it, so a reader always sees where a deadline comes from.
//!
//! All structs deserialize with defaults for missing fields (`#[serde(default)]`), so a
//! configuration file only states what it changes. [`CitizenFileConfig::validate`] is meant
//! to run at start-up, so that a bad value stops the service instead of refusing every command.

use std::collections::BTreeMap;

use kernel::OrganisationId;
use kernel::calendar::{DeadlineRule, DeadlineUnit};
use serde::{Deserialize, Serialize};

use crate::file::{KindDetails, Urgency};

/// A deadline rule and how much extension it allows in total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadlinePolicy {
    /// Amount, unit, roll policy and source.
    #[serde(flatten)]
    pub rule: DeadlineRule,
    /// Most extension allowed in total, in the rule's unit; 0 forbids extensions.
    #[serde(default)]
    pub max_extension: u32,
}

impl DeadlinePolicy {
    fn new(amount: u32, unit: DeadlineUnit, max_extension: u32, source: &str) -> Self {
        Self {
            rule: DeadlineRule::new(amount, unit, source),
            max_extension,
        }
    }
}

/// Where the default reply deadline comes from.
const REPLY_SOURCE: &str = "domain notes §1, assumption: default reply deadline of 30 calendar \
                            days (decree 2019-1242 art. 4 defers to the legislation)";

/// The reply deadlines: of the file towards its author (from receipt) and of each referral
/// towards the office (from the referral).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReplyDeadlines {
    /// Petitions and complaints (art. 7).
    pub petition: DeadlinePolicy,
    /// Guidance requests (art. 8).
    pub guidance_request: DeadlinePolicy,
    /// Suggestions (art. 9).
    pub suggestion: DeadlinePolicy,
    /// Notifications without an entry in `urgency` (art. 10).
    pub notification: DeadlinePolicy,
    /// Notifications by urgency: art. 10 asks for "the speed the harm calls for".
    pub urgency: BTreeMap<Urgency, DeadlinePolicy>,
    /// Per structure: the deadline of a referral to that structure (not for urgent
    /// notifications, whose urgency sets the pace).
    pub structures: BTreeMap<OrganisationId, DeadlinePolicy>,
}

impl Default for ReplyDeadlines {
    fn default() -> Self {
        let days = DeadlinePolicy::new(30, DeadlineUnit::CalendarDays, 15, REPLY_SOURCE);
        Self {
            petition: days.clone(),
            guidance_request: days.clone(),
            suggestion: days.clone(),
            notification: days,
            urgency: BTreeMap::from([
                (
                    Urgency::High,
                    DeadlinePolicy::new(
                        72,
                        DeadlineUnit::Hours,
                        24,
                        "assumption: 72 hours for a high-urgency notification \
                         (decree 2019-1242 art. 10: the speed the harm calls for)",
                    ),
                ),
                (
                    Urgency::LifeThreatening,
                    DeadlinePolicy::new(
                        24,
                        DeadlineUnit::Hours,
                        0,
                        "assumption: 24 hours for a notification of immediate danger \
                         (decree 2019-1242 art. 10: the speed the harm calls for)",
                    ),
                ),
            ]),
            structures: BTreeMap::new(),
        }
    }
}

impl ReplyDeadlines {
    /// The deadline of a file towards its author.
    pub fn for_file(&self, kind: &KindDetails) -> &DeadlinePolicy {
        match kind {
            KindDetails::Petition => &self.petition,
            KindDetails::GuidanceRequest => &self.guidance_request,
            KindDetails::Suggestion => &self.suggestion,
            KindDetails::Notification { urgency } => {
                self.urgency.get(urgency).unwrap_or(&self.notification)
            }
        }
    }

    /// The deadline of a referral to `structure`: an urgency rule first (danger sets the
    /// pace), then the structure's own rule, then the kind's.
    pub fn for_referral(&self, kind: &KindDetails, structure: OrganisationId) -> &DeadlinePolicy {
        if let KindDetails::Notification { urgency } = kind
            && let Some(policy) = self.urgency.get(urgency)
        {
            return policy;
        }
        self.structures
            .get(&structure)
            .unwrap_or_else(|| self.for_file(kind))
    }
}

/// Longest texts, in characters. Every limit must be at least 1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TextLengths {
    /// Title of a file (one line).
    pub title: usize,
    /// Body of a file, and the information an author provides.
    pub body: usize,
    /// Name of the author (one line).
    pub name: usize,
    /// National identity or register number (one line).
    pub national_id: usize,
    /// E-mail address (RFC 5321 allows 254).
    pub email: usize,
    /// Phone number (one line).
    pub phone: usize,
    /// Postal address, and the address of a notification.
    pub address: usize,
    /// Short texts: reasons, questions, notes, grounds, comments, progress reports.
    pub note: usize,
    /// Answers: a structure's reply and the final answer.
    pub answer: usize,
}

impl Default for TextLengths {
    fn default() -> Self {
        Self {
            title: 200,
            body: 10_000,
            name: 200,
            national_id: 32,
            email: 254,
            phone: 32,
            address: 500,
            note: 2_000,
            answer: 20_000,
        }
    }
}

/// What attachment references are accepted (the files themselves live in a blob store).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AttachmentRules {
    /// Most attachments on one file or one reply.
    pub max_count: usize,
    /// Largest attachment, in bytes.
    pub max_bytes: u64,
    /// Accepted media types, lowercase (`image/jpeg`...).
    pub media_types: Vec<String>,
}

impl Default for AttachmentRules {
    fn default() -> Self {
        Self {
            max_count: 10,
            max_bytes: 10 * 1024 * 1024,
            media_types: ["image/jpeg", "image/png", "image/webp", "application/pdf"]
                .map(str::to_owned)
                .to_vec(),
        }
    }
}

/// The rules of citizen files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CitizenFileConfig {
    /// Reply deadlines by kind, urgency and structure.
    pub reply: ReplyDeadlines,
    /// Files received by e-mail: answer or tell the sender more time is needed (circular 2
    /// of 2020: 48 hours).
    pub email_first_response: DeadlineRule,
    /// Time the author has to answer a request for information before the file is closed.
    pub information_reply: DeadlineRule,
    /// Time the author has to contest an answer.
    pub contest_period: DeadlineRule,
    /// Longest texts.
    pub text: TextLengths,
    /// Attachment limits.
    pub attachments: AttachmentRules,
}

impl Default for CitizenFileConfig {
    fn default() -> Self {
        Self {
            reply: ReplyDeadlines::default(),
            email_first_response: DeadlineRule::new(
                48,
                DeadlineUnit::Hours,
                "circular 2 of 2020: answer an e-mail, or tell the sender more time is needed, \
                 within 48 hours",
            ),
            information_reply: DeadlineRule::new(
                30,
                DeadlineUnit::CalendarDays,
                "assumption: 30 calendar days for the author to answer a request for information",
            ),
            contest_period: DeadlineRule::new(
                30,
                DeadlineUnit::CalendarDays,
                "assumption: 30 calendar days to contest an answer",
            ),
            text: TextLengths::default(),
            attachments: AttachmentRules::default(),
        }
    }
}

impl CitizenFileConfig {
    /// Checks every rule: positive amounts, budgets (with extensions) within the calendar's
    /// range, positive text lengths.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let reply = &self.reply;
        let mut policies: Vec<(String, &DeadlinePolicy)> = vec![
            ("reply.petition".into(), &reply.petition),
            ("reply.guidance_request".into(), &reply.guidance_request),
            ("reply.suggestion".into(), &reply.suggestion),
            ("reply.notification".into(), &reply.notification),
        ];
        policies.extend(
            reply
                .urgency
                .iter()
                .map(|(urgency, policy)| (format!("reply.urgency.{urgency:?}"), policy)),
        );
        policies.extend(
            reply
                .structures
                .iter()
                .map(|(structure, policy)| (format!("reply.structures.{structure}"), policy)),
        );
        let fixed = [
            ("email_first_response", &self.email_first_response),
            ("information_reply", &self.information_reply),
            ("contest_period", &self.contest_period),
        ];
        for (which, policy) in &policies {
            check_rule(which, &policy.rule, policy.max_extension)?;
        }
        for (which, rule) in fixed {
            check_rule(which, rule, 0)?;
        }
        let t = &self.text;
        check_lengths(&[
            ("text.title", t.title),
            ("text.body", t.body),
            ("text.name", t.name),
            ("text.national_id", t.national_id),
            ("text.email", t.email),
            ("text.phone", t.phone),
            ("text.address", t.address),
            ("text.note", t.note),
            ("text.answer", t.answer),
        ])
    }
}

/// The rules of the forum (decree 2019-1242 art. 11).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ForumConfig {
    /// Title of a topic (one line).
    pub title: usize,
    /// The question a topic asks.
    pub question: usize,
    /// A message or reply.
    pub post: usize,
    /// A moderator's explanation.
    pub explanation: usize,
    /// The synthesis published at closing.
    pub synthesis: usize,
    /// Longest a topic may stay open, in days (assumption: one year).
    pub max_open_days: u32,
}

impl Default for ForumConfig {
    fn default() -> Self {
        Self {
            title: 200,
            question: 5_000,
            post: 5_000,
            explanation: 1_000,
            synthesis: 20_000,
            max_open_days: 365,
        }
    }
}

impl ForumConfig {
    /// Checks that every length and the longest duration are positive.
    pub fn validate(&self) -> Result<(), ConfigError> {
        check_lengths(&[
            ("title", self.title),
            ("question", self.question),
            ("post", self.post),
            ("explanation", self.explanation),
            ("synthesis", self.synthesis),
            (
                "max_open_days",
                usize::try_from(self.max_open_days).unwrap_or(usize::MAX),
            ),
        ])
    }
}

/// A configuration value that cannot work.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// A deadline of zero: every rule must give some time.
    #[error("deadline `{which}` needs a positive amount")]
    ZeroDeadline {
        /// The setting.
        which: String,
    },
    /// A deadline whose amount plus allowed extensions exceeds what the calendar computes.
    #[error("deadline `{which}`: {total} {unit} with extensions exceeds the maximum of {max}")]
    DeadlineTooLong {
        /// The setting.
        which: String,
        /// Amount plus maximum extension.
        total: u64,
        /// The rule's unit.
        unit: DeadlineUnit,
        /// The calendar's maximum in that unit.
        max: u32,
    },
    /// A length or duration of zero would refuse everything.
    #[error("`{which}` must be at least 1")]
    Zero {
        /// The setting.
        which: &'static str,
    },
}

fn check_rule(which: &str, rule: &DeadlineRule, max_extension: u32) -> Result<(), ConfigError> {
    if rule.amount == 0 {
        return Err(ConfigError::ZeroDeadline {
            which: which.to_owned(),
        });
    }
    let total = u64::from(rule.amount) + u64::from(max_extension);
    let max = rule.unit.max_budget();
    if total > u64::from(max) {
        return Err(ConfigError::DeadlineTooLong {
            which: which.to_owned(),
            total,
            unit: rule.unit,
            max,
        });
    }
    Ok(())
}

fn check_lengths(lengths: &[(&'static str, usize)]) -> Result<(), ConfigError> {
    match lengths.iter().find(|(_, value)| *value == 0) {
        Some((which, _)) => Err(ConfigError::Zero { which }),
        None => Ok(()),
    }
}
