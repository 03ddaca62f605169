//! Commands of a satisfaction survey.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use kernel::Actor;

use crate::ids::{QuestionId, ResponseId, ServicePointId, SurveyId};

/// A question as written by the department, before validation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionDraft {
    /// Its identifier (reuse the previous version's for the same question).
    pub id: QuestionId,
    /// What is asked (one line).
    pub label: String,
    /// How much it counts.
    pub weight: u16,
    /// The top of its scale.
    pub levels: u8,
}

/// What can be asked of a survey.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SurveyCommand {
    /// Creates a survey at service points over a period. Supervisor or head of department.
    CreateSurvey {
        /// Who acts.
        actor: Actor,
        /// The new survey's identifier.
        survey: SurveyId,
        /// Its title.
        title: String,
        /// First day responses are taken (local date).
        starts_on: NaiveDate,
        /// Last day (local date), not already past.
        ends_on: NaiveDate,
        /// Where responses are taken.
        service_points: Vec<ServicePointId>,
    },
    /// Publishes the next questionnaire version. Supervisor or head of department.
    PublishQuestionnaire {
        /// Who acts.
        actor: Actor,
        /// The questions, in order.
        questions: Vec<QuestionDraft>,
    },
    /// Records one anonymous response. The anonymous intake (a `System` actor) or a member
    /// typing in a paper form.
    RecordResponse {
        /// Who enters it (never the respondent).
        actor: Actor,
        /// The response's identifier.
        response: ResponseId,
        /// Where it was given.
        service_point: ServicePointId,
        /// The questionnaire version answered.
        questionnaire_version: u32,
        /// The local date it was given (a paper form is typed in later).
        responded_on: NaiveDate,
        /// Answers by question, each from 1 to the question's levels; skipped ones absent.
        answers: BTreeMap<QuestionId, u8>,
    },
    /// Closes the survey and computes each point's index. Supervisor or head of department.
    CloseSurvey {
        /// Who acts.
        actor: Actor,
    },
}
