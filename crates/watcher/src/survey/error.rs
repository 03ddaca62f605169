//! Why a survey command was refused.

use chrono::NaiveDate;

use kernel::TextError;

use crate::error::InvalidText;
use crate::ids::{QuestionId, ServicePointId};
use crate::period::Period;
use crate::period::PeriodError;
use crate::satisfaction::SatisfactionError;
use crate::survey::SurveyStatus;

/// Business rules of a satisfaction survey.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SurveyError {
    /// Only a supervisor or the head of the department manages surveys.
    #[error("only a supervisor or the head of the Public Service Quality Department may do this")]
    NotDepartmentSupervisor,
    /// Responses come from the anonymous intake or a member of the team, never from a
    /// signed-in respondent.
    #[error("responses are recorded through the anonymous intake or by a member of the team")]
    NotAnonymousIntake,
    /// The survey exists already.
    #[error("this survey already exists")]
    AlreadyCreated,
    /// The survey does not exist.
    #[error("this survey does not exist")]
    NotCreated,
    /// The survey's state does not allow this.
    #[error("not possible while the survey is {status:?}")]
    WrongStatus {
        /// The state it is in.
        status: SurveyStatus,
    },
    /// A text field was refused.
    #[error(transparent)]
    InvalidText(#[from] InvalidText),
    /// The period was refused.
    #[error(transparent)]
    Period(#[from] PeriodError),
    /// No service point given.
    #[error("no service point given")]
    NoServicePoints,
    /// A point given twice.
    #[error("service point {0} is given twice")]
    DuplicateServicePoint(ServicePointId),
    /// A questionnaire needs at least one question.
    #[error("a questionnaire needs at least one question")]
    NoQuestions,
    /// More questions than configured.
    #[error("{actual} questions; at most {max} are allowed")]
    TooManyQuestions {
        /// The maximum.
        max: usize,
        /// What was given.
        actual: usize,
    },
    /// Two questions with the same identifier.
    #[error("question {0} appears twice")]
    DuplicateQuestion(QuestionId),
    /// A question's label was refused.
    #[error("the label of question {question}: {reason}")]
    InvalidLabel {
        /// The question.
        question: QuestionId,
        /// Why.
        reason: TextError,
    },
    /// A weight outside `1..=max`.
    #[error("question {question} has weight {weight}; weights go from 1 to {max}")]
    WeightOutOfRange {
        /// The question.
        question: QuestionId,
        /// The weight given.
        weight: u16,
        /// The maximum.
        max: u16,
    },
    /// A scale outside `2..=MAX_LEVEL` levels.
    #[error("question {question} has {levels} levels; from 2 to {limit} are allowed")]
    ScaleOutOfRange {
        /// The question.
        question: QuestionId,
        /// The levels given.
        levels: u8,
        /// The most allowed.
        limit: u8,
    },
    /// The point is not surveyed.
    #[error("service point {0} is not part of this survey")]
    ServicePointNotInSurvey(ServicePointId),
    /// No such questionnaire version.
    #[error("questionnaire version {0} is not published")]
    UnknownQuestionnaireVersion(u32),
    /// A response dated after today.
    #[error("a response cannot be dated {responded_on}, after today ({today})")]
    ResponseInFuture {
        /// Given.
        responded_on: NaiveDate,
        /// Today.
        today: NaiveDate,
    },
    /// A response dated outside the survey's period.
    #[error("a response dated {responded_on} is outside the survey's period")]
    OutsidePeriod {
        /// Given.
        responded_on: NaiveDate,
        /// The survey's period.
        period: Period,
    },
    /// The answers do not fit the questionnaire version.
    #[error(transparent)]
    Answers(#[from] SatisfactionError),
}
