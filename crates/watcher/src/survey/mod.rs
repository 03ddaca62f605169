//! Satisfaction surveys: a versioned questionnaire, run at service points over a period,
//! anonymous responses, and the satisfaction index of each point (aggregate
//! `SatisfactionSurvey`). The team "prepares and runs periodic surveys of users to measure
//! their satisfaction" (department page 004).
//!
//! # Anonymity
//!
//! A response has no respondent: [`SurveyEvent::ResponseRecorded`] carries no actor, no
//! subject, no free text and no time of day (only the local date), and responses are only
//! accepted from the platform's anonymous intake (an actor of kind `System`, whose id the
//! metadata will carry) or from a member of the team typing in paper forms. A signed-in
//! citizen's command is refused, so their id never ends up next to their answers. Free-text
//! comments are deliberately not collected: they could identify the respondent and would be
//! personal data to seal and erase (organic law 2004-63: collect the minimum).
//!
//! # Questionnaire versions and the index
//!
//! Each publication is a new immutable version; a response names the version it answered and
//! is validated against it. Each response's satisfaction is computed once
//! ([`crate::satisfaction`]) and carried in its event; the aggregate keeps a [`Tally`](crate::satisfaction::Tally) per
//! service point, and [`SurveyEvent::SurveyClosed`] carries every point's index for the
//! survey's period. Read models build the index of any other period by adding the tallies of
//! the responses' dates.
//!
//! Response identifiers are not deduplicated here (that would keep every identifier in the
//! aggregate): the intake is idempotent at the edge.

mod aggregate;
mod commands;
mod error;
mod events;
mod questionnaire;

pub use aggregate::{SatisfactionSurvey, SurveyStatus};
pub use commands::{QuestionDraft, SurveyCommand};
pub use error::SurveyError;
pub use events::{ServicePointIndex, SurveyEvent};
pub use questionnaire::Question;
