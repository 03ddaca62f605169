//! The `SatisfactionSurvey` aggregate: questionnaire versions, anonymous responses, indices.

use std::collections::{BTreeMap, BTreeSet};

use cqrs_es::Aggregate;
use cqrs_es::event_sink::EventSink;
use serde::{Deserialize, Serialize};

use kernel::{ActorKind, Text};

use crate::error::InvalidText;
use crate::ids::ServicePointId;
use crate::period::Period;
use crate::satisfaction::{Tally, response_satisfaction};
use crate::scoring::{MAX_LEVEL, is_graded_scale};
use crate::services::{SUPERVISING, TEAM, WatcherServices};
use crate::survey::{
    Question, QuestionDraft, ServicePointIndex, SurveyCommand, SurveyError, SurveyEvent,
};

/// Where a survey stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SurveyStatus {
    /// Taking responses within its period.
    Open,
    /// Closed; its indices are computed.
    Closed,
}

/// A satisfaction survey. See the [module docs](crate::survey).
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct SatisfactionSurvey {
    status: Option<SurveyStatus>,
    period: Option<Period>,
    /// Every surveyed point with the tally of its responses.
    tallies: BTreeMap<ServicePointId, Tally>,
    /// Questionnaire versions, the first being version 1.
    questionnaires: Vec<Vec<Question>>,
}

impl SatisfactionSurvey {
    /// Its status, once created.
    pub fn status(&self) -> Option<SurveyStatus> {
        self.status
    }

    /// The tally of `service_point`'s responses so far, if it is surveyed.
    pub fn tally(&self, service_point: ServicePointId) -> Option<Tally> {
        self.tallies.get(&service_point).copied()
    }

    /// The questions of version `version`, if published.
    pub fn questionnaire(&self, version: u32) -> Option<&[Question]> {
        let index = usize::try_from(version.checked_sub(1)?).ok()?;
        self.questionnaires.get(index).map(Vec::as_slice)
    }

    /// The period, if the survey is open.
    fn open(&self) -> Result<Period, SurveyError> {
        match (self.status, self.period) {
            (Some(SurveyStatus::Open), Some(period)) => Ok(period),
            (Some(status), _) => Err(SurveyError::WrongStatus { status }),
            (None, _) => Err(SurveyError::NotCreated),
        }
    }
}

impl Aggregate for SatisfactionSurvey {
    const TYPE: &'static str = "SatisfactionSurvey";
    type Command = SurveyCommand;
    type Event = SurveyEvent;
    type Error = SurveyError;
    type Services = WatcherServices;

    async fn handle(
        &mut self,
        command: Self::Command,
        services: &Self::Services,
        sink: &EventSink<Self>,
    ) -> Result<(), Self::Error> {
        let event = match command {
            SurveyCommand::CreateSurvey {
                actor,
                survey,
                title,
                starts_on,
                ends_on,
                service_points,
            } => {
                services.authorize(&actor, SUPERVISING, SurveyError::NotDepartmentSupervisor)?;
                if self.status.is_some() {
                    return Err(SurveyError::AlreadyCreated);
                }
                let title = InvalidText::check("title", &title, services.config.title())?;
                let period = Period::upcoming(starts_on, ends_on, services.today())?;
                if service_points.is_empty() {
                    return Err(SurveyError::NoServicePoints);
                }
                let mut seen = BTreeSet::new();
                if let Some(twice) = service_points.iter().find(|p| !seen.insert(**p)) {
                    return Err(SurveyError::DuplicateServicePoint(*twice));
                }
                SurveyEvent::SurveyCreated {
                    survey,
                    title,
                    period,
                    service_points,
                    by: actor.id,
                    created_at: services.now(),
                }
            }
            SurveyCommand::PublishQuestionnaire { actor, questions } => {
                services.authorize(&actor, SUPERVISING, SurveyError::NotDepartmentSupervisor)?;
                self.open()?;
                SurveyEvent::QuestionnairePublished {
                    version: u32::try_from(self.questionnaires.len())
                        .unwrap_or(u32::MAX)
                        .saturating_add(1),
                    questions: validate_questions(questions, services)?,
                    by: actor.id,
                    published_at: services.now(),
                }
            }
            SurveyCommand::RecordResponse {
                actor,
                response,
                service_point,
                questionnaire_version,
                responded_on,
                answers,
            } => {
                if actor.kind != ActorKind::System && !services.is_department(&actor, TEAM) {
                    return Err(SurveyError::NotAnonymousIntake);
                }
                let period = self.open()?;
                if !self.tallies.contains_key(&service_point) {
                    return Err(SurveyError::ServicePointNotInSurvey(service_point));
                }
                let questions = self.questionnaire(questionnaire_version).ok_or(
                    SurveyError::UnknownQuestionnaireVersion(questionnaire_version),
                )?;
                let today = services.today();
                if responded_on > today {
                    return Err(SurveyError::ResponseInFuture {
                        responded_on,
                        today,
                    });
                }
                if !period.contains(responded_on) {
                    return Err(SurveyError::OutsidePeriod {
                        responded_on,
                        period,
                    });
                }
                let satisfaction = response_satisfaction(questions, &answers)?;
                SurveyEvent::ResponseRecorded {
                    response,
                    service_point,
                    questionnaire_version,
                    responded_on,
                    answers,
                    satisfaction,
                }
            }
            SurveyCommand::CloseSurvey { actor } => {
                services.authorize(&actor, SUPERVISING, SurveyError::NotDepartmentSupervisor)?;
                self.open()?;
                SurveyEvent::SurveyClosed {
                    indices: self
                        .tallies
                        .iter()
                        .map(|(service_point, tally)| ServicePointIndex {
                            service_point: *service_point,
                            responses: tally.responses,
                            index: tally.index(),
                        })
                        .collect(),
                    by: actor.id,
                    closed_at: services.now(),
                }
            }
        };
        sink.write(event, self).await;
        Ok(())
    }

    fn apply(&mut self, event: Self::Event) {
        match event {
            SurveyEvent::SurveyCreated {
                period,
                service_points,
                ..
            } => {
                self.status = Some(SurveyStatus::Open);
                self.period = Some(period);
                self.tallies = service_points
                    .into_iter()
                    .map(|p| (p, Tally::default()))
                    .collect();
            }
            SurveyEvent::QuestionnairePublished { questions, .. } => {
                self.questionnaires.push(questions);
            }
            SurveyEvent::ResponseRecorded {
                service_point,
                satisfaction,
                ..
            } => {
                if let Some(tally) = self.tallies.get_mut(&service_point) {
                    tally.add(satisfaction);
                }
            }
            SurveyEvent::SurveyClosed { .. } => self.status = Some(SurveyStatus::Closed),
        }
    }
}

fn validate_questions(
    drafts: Vec<QuestionDraft>,
    services: &WatcherServices,
) -> Result<Vec<Question>, SurveyError> {
    let config = &services.config;
    if drafts.is_empty() {
        return Err(SurveyError::NoQuestions);
    }
    if drafts.len() > config.max_questions {
        return Err(SurveyError::TooManyQuestions {
            max: config.max_questions,
            actual: drafts.len(),
        });
    }
    let mut seen = BTreeSet::new();
    drafts
        .into_iter()
        .map(|draft| {
            if !seen.insert(draft.id) {
                return Err(SurveyError::DuplicateQuestion(draft.id));
            }
            if !(1..=config.max_weight).contains(&draft.weight) {
                return Err(SurveyError::WeightOutOfRange {
                    question: draft.id,
                    weight: draft.weight,
                    max: config.max_weight,
                });
            }
            if !is_graded_scale(draft.levels) {
                return Err(SurveyError::ScaleOutOfRange {
                    question: draft.id,
                    levels: draft.levels,
                    limit: MAX_LEVEL,
                });
            }
            let label = Text::new(&draft.label, config.line()).map_err(|reason| {
                SurveyError::InvalidLabel {
                    question: draft.id,
                    reason,
                }
            })?;
            Ok(Question {
                id: draft.id,
                label,
                weight: draft.weight,
                levels: draft.levels,
            })
        })
        .collect()
}
