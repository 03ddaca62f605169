//! Events of a satisfaction survey.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use cqrs_es::DomainEvent;
use serde::{Deserialize, Serialize};

use kernel::{ActorId, Text};

use crate::ids::{QuestionId, ResponseId, ServicePointId, SurveyId};
use crate::period::Period;
use crate::scoring::Percentage;
use crate::survey::Question;

/// The satisfaction index of one service point over the survey's period.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServicePointIndex {
    /// The point.
    pub service_point: ServicePointId,
    /// How many responses it received.
    pub responses: u64,
    /// Their mean satisfaction; `None` without responses.
    pub index: Option<Percentage>,
}

/// What happened to a survey.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum SurveyEvent {
    /// The survey was created.
    SurveyCreated {
        /// The survey.
        survey: SurveyId,
        /// Its title.
        title: Text,
        /// When responses are taken.
        period: Period,
        /// Where.
        service_points: Vec<ServicePointId>,
        /// Who created it.
        by: ActorId,
        /// When.
        created_at: DateTime<Utc>,
    },
    /// A questionnaire version was published; it never changes afterwards.
    QuestionnairePublished {
        /// 1, then one more for each publication.
        version: u32,
        /// Its questions.
        questions: Vec<Question>,
        /// Who published it.
        by: ActorId,
        /// When.
        published_at: DateTime<Utc>,
    },
    /// An anonymous response was recorded: no actor, no subject, no time of day.
    ResponseRecorded {
        /// The response.
        response: ResponseId,
        /// Where it was given.
        service_point: ServicePointId,
        /// The version answered.
        questionnaire_version: u32,
        /// The local date it was given.
        responded_on: NaiveDate,
        /// The answers by question.
        answers: BTreeMap<QuestionId, u8>,
        /// Its satisfaction.
        satisfaction: Percentage,
    },
    /// The survey was closed with each point's index.
    SurveyClosed {
        /// One per point of the survey, in identifier order.
        indices: Vec<ServicePointIndex>,
        /// Who closed it.
        by: ActorId,
        /// When.
        closed_at: DateTime<Utc>,
    },
}

impl DomainEvent for SurveyEvent {
    fn event_type(&self) -> String {
        match self {
            Self::SurveyCreated { .. } => "SurveyCreated",
            Self::QuestionnairePublished { .. } => "QuestionnairePublished",
            Self::ResponseRecorded { .. } => "ResponseRecorded",
            Self::SurveyClosed { .. } => "SurveyClosed",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        "1".to_owned()
    }
}
