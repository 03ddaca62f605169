//! How refused Citizen Watcher commands read over HTTP: every variant of the six aggregates'
//! errors with its status and stable code. An unknown visit, campaign or referral is a 404;
//! a role the department's rules refuse is a 403; a step the state refuses is a 409; a
//! field at fault is a 422 naming it as the request body names it.

use kernel::personal_data::EnvelopeError;
use watcher::{
    CampaignError, ChecklistError, InvalidText, PeriodError, ReferralError, SatisfactionError,
    ScoringError, ServicePointError, SurveyError, VisitError,
};

use crate::error::{ApiError, DomainProblem};

fn text(error: &InvalidText) -> ApiError {
    ApiError::rejected(error.field, error.reason.code(), error)
}

fn period(error: &PeriodError) -> ApiError {
    match error {
        PeriodError::EndsBeforeStart { .. } => {
            ApiError::rejected("ends_on", "ends_before_start", error)
        }
        PeriodError::Over { .. } => ApiError::rejected("ends_on", "period_over", error),
    }
}

fn personal_data(error: &EnvelopeError) -> ApiError {
    match error {
        EnvelopeError::SubjectErased(_) => ApiError::conflict("personal_data_erased", error),
        other => ApiError::internal("sealing a watcher text", other),
    }
}

impl DomainProblem for ServicePointError {
    fn to_api_error(&self) -> ApiError {
        use ServicePointError as E;
        match self {
            E::NotDepartmentSupervisor => ApiError::forbidden(self),
            E::AlreadyRegistered => ApiError::conflict("already_registered", self),
            E::NotRegistered => ApiError::NotFound,
            E::WrongStatus { .. } => ApiError::conflict("wrong_status", self),
            E::UnknownOrganisation(_) => {
                ApiError::rejected("organisation", "unknown_organisation", self)
            }
            E::NotAPublicBody { .. } => {
                ApiError::rejected("organisation", "not_a_public_body", self)
            }
            E::InvalidText(error) => text(error),
            E::InvalidLocator { .. } => ApiError::rejected("locator", "invalid_locator", self),
        }
    }
}

impl DomainProblem for ChecklistError {
    fn to_api_error(&self) -> ApiError {
        use ChecklistError as E;
        match self {
            E::NotDepartmentSupervisor => ApiError::forbidden(self),
            E::AlreadyCreated => ApiError::conflict("already_created", self),
            E::NotCreated => ApiError::NotFound,
            E::InvalidText(error) => text(error),
            E::NoCriteria => ApiError::rejected("criteria", "no_criteria", self),
            E::TooManyCriteria { .. } => ApiError::rejected("criteria", "too_many_criteria", self),
            E::DuplicateCriterion(_) => ApiError::rejected("criteria", "duplicate_criterion", self),
            E::InvalidLabel { reason, .. } => {
                ApiError::rejected("criteria.label", reason.code(), self)
            }
            E::WeightOutOfRange { .. } => {
                ApiError::rejected("criteria.weight", "out_of_range", self)
            }
            E::ScaleOutOfRange { .. } => ApiError::rejected("criteria.scale", "out_of_range", self),
        }
    }
}

impl DomainProblem for CampaignError {
    fn to_api_error(&self) -> ApiError {
        use CampaignError as E;
        match self {
            E::NotDepartmentSupervisor | E::NotAllowedToDeclare => ApiError::forbidden(self),
            E::AlreadyPlanned => ApiError::conflict("already_planned", self),
            E::NotPlanned => ApiError::NotFound,
            E::WrongStatus { .. } => ApiError::conflict("wrong_status", self),
            E::InvalidText(error) => text(error),
            E::Period(error) => period(error),
            E::NoServicePoints => ApiError::rejected("points", "no_service_points", self),
            E::ServicePointAlreadyIncluded(_) => {
                ApiError::conflict("service_point_already_included", self)
            }
            E::ServicePointNotIncluded(_) => {
                ApiError::rejected("service_point", "service_point_not_included", self)
            }
            E::AlreadyInTeam(_) => ApiError::conflict("already_in_team", self),
            E::NotATeamMember(_) => ApiError::rejected("member", "not_a_team_member", self),
            E::UnknownOrganisation(_) => {
                ApiError::rejected("organisation", "unknown_organisation", self)
            }
            E::ConflictAlreadyDeclared => ApiError::conflict("conflict_already_declared", self),
            E::VisitAlreadyAssigned(_) => ApiError::conflict("visit_already_assigned", self),
            E::ConflictOfInterest { .. } => ApiError::conflict("conflict_of_interest", self),
        }
    }
}

fn scoring(error: &ScoringError) -> ApiError {
    let code = match error {
        ScoringError::UnknownCriterion(_) => "unknown_criterion",
        ScoringError::MissingAnswer(_) => "missing_answer",
        ScoringError::AnswerOutOfScale(_) => "answer_out_of_scale",
        ScoringError::NothingApplicable => "nothing_applicable",
    };
    ApiError::rejected("answers", code, error)
}

impl DomainProblem for VisitError {
    fn to_api_error(&self) -> ApiError {
        use VisitError as E;
        match self {
            E::NotDepartmentSupervisor | E::NotTheAssignedMember | E::OwnVisit => {
                ApiError::forbidden(self)
            }
            // The body learns nothing about visits that are not about it.
            E::NotTheInspectedBody | E::NotPlanned => ApiError::NotFound,
            E::AlreadyPlanned => ApiError::conflict("already_planned", self),
            E::WrongStatus { .. } => ApiError::conflict("wrong_status", self),
            E::OccurredInFuture { .. } => ApiError::rejected("occurred_at", "in_the_future", self),
            E::OccurredBeforePlan { .. } => ApiError::rejected("occurred_at", "before_plan", self),
            E::WaitingTooLong { .. } => ApiError::rejected("waiting_minutes", "too_long", self),
            E::Answers(error) => scoring(error),
            E::InvalidText(error) => text(error),
            E::PersonalData(error) => personal_data(error),
            E::InvalidContentHash => ApiError::rejected("content_hash", "bad_hash", self),
            E::MediaTypeNotAccepted { .. } => {
                ApiError::rejected("media_type", "media_type_not_accepted", self)
            }
            E::EvidenceSizeOutOfRange { .. } => {
                ApiError::rejected("size_bytes", "out_of_range", self)
            }
            E::EvidenceAlreadyAttached => ApiError::conflict("evidence_already_attached", self),
            E::TooMuchEvidence { .. } => ApiError::conflict("too_much_evidence", self),
            E::FindingAlreadyRecorded(_) => ApiError::conflict("finding_already_recorded", self),
            E::TooManyFindings { .. } => ApiError::conflict("too_many_findings", self),
            E::UnknownCriterion(_) => ApiError::rejected("criterion", "unknown_criterion", self),
            E::UnknownFinding(_) => ApiError::NotFound,
            E::FindingClosed(_) => ApiError::conflict("finding_closed", self),
            E::DueDateInPast { .. } => ApiError::rejected("due_on", "in_the_past", self),
            E::DueDateTooFar { .. } => ApiError::rejected("due_on", "too_far", self),
            E::FollowUpIsThisVisit => {
                ApiError::rejected("follow_up", "follow_up_is_this_visit", self)
            }
        }
    }
}

impl DomainProblem for ReferralError {
    fn to_api_error(&self) -> ApiError {
        use ReferralError as E;
        match self {
            E::NotDepartmentSupervisor => ApiError::forbidden(self),
            E::AlreadyReferred => ApiError::conflict("already_referred", self),
            E::NotReferred => ApiError::NotFound,
            E::WrongStatus { .. } => ApiError::conflict("wrong_status", self),
            E::NotACompetentAuthority(_) => {
                ApiError::rejected("authority", "not_a_competent_authority", self)
            }
            E::InvalidText(error) => text(error),
            E::PersonalData(error) => personal_data(error),
            E::DateInFuture { .. } => ApiError::rejected("date", "in_the_future", self),
            E::DateBeforeReferral { .. } => ApiError::rejected("date", "before_referral", self),
        }
    }
}

fn satisfaction(error: &SatisfactionError) -> ApiError {
    let code = match error {
        SatisfactionError::NoAnswers => "no_answers",
        SatisfactionError::UnknownQuestion(_) => "unknown_question",
        SatisfactionError::AnswerOutOfScale(_) => "answer_out_of_scale",
    };
    ApiError::rejected("answers", code, error)
}

impl DomainProblem for SurveyError {
    fn to_api_error(&self) -> ApiError {
        use SurveyError as E;
        match self {
            E::NotDepartmentSupervisor | E::NotAnonymousIntake => ApiError::forbidden(self),
            E::AlreadyCreated => ApiError::conflict("already_created", self),
            E::NotCreated => ApiError::NotFound,
            E::WrongStatus { .. } => ApiError::conflict("wrong_status", self),
            E::InvalidText(error) => text(error),
            E::Period(error) => period(error),
            E::NoServicePoints => ApiError::rejected("service_points", "no_service_points", self),
            E::DuplicateServicePoint(_) => ApiError::rejected("service_points", "duplicate", self),
            E::NoQuestions => ApiError::rejected("questions", "no_questions", self),
            E::TooManyQuestions { .. } => {
                ApiError::rejected("questions", "too_many_questions", self)
            }
            E::DuplicateQuestion(_) => ApiError::rejected("questions", "duplicate_question", self),
            E::InvalidLabel { reason, .. } => {
                ApiError::rejected("questions.label", reason.code(), self)
            }
            E::WeightOutOfRange { .. } => {
                ApiError::rejected("questions.weight", "out_of_range", self)
            }
            E::ScaleOutOfRange { .. } => {
                ApiError::rejected("questions.levels", "out_of_range", self)
            }
            E::ServicePointNotInSurvey(_) => {
                ApiError::rejected("service_point", "not_in_survey", self)
            }
            E::UnknownQuestionnaireVersion(_) => {
                ApiError::rejected("questionnaire_version", "unknown_version", self)
            }
            E::ResponseInFuture { .. } => ApiError::rejected("responded_on", "in_the_future", self),
            E::OutsidePeriod { .. } => ApiError::conflict("outside_period", self),
            E::Answers(error) => satisfaction(error),
        }
    }
}
