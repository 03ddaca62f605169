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

fn conflict(code: &str, error: &impl std::fmt::Display) -> ApiError {
    ApiError::Conflict {
        code: code.into(),
        detail: error.to_string(),
    }
}

fn forbidden(error: &impl std::fmt::Display) -> ApiError {
    ApiError::Forbidden {
        detail: error.to_string(),
    }
}

fn invalid(field: &str, code: &str, error: &impl std::fmt::Display) -> ApiError {
    ApiError::invalid(field, code, error.to_string())
}

fn text(error: &InvalidText) -> ApiError {
    invalid(error.field, error.reason.code(), error)
}

fn period(error: &PeriodError) -> ApiError {
    match error {
        PeriodError::EndsBeforeStart { .. } => invalid("ends_on", "ends_before_start", error),
        PeriodError::Over { .. } => invalid("ends_on", "period_over", error),
    }
}

fn personal_data(error: &EnvelopeError) -> ApiError {
    match error {
        EnvelopeError::SubjectErased(_) => conflict("personal_data_erased", error),
        other => ApiError::internal("sealing a watcher text", other),
    }
}

impl DomainProblem for ServicePointError {
    fn to_api_error(&self) -> ApiError {
        use ServicePointError as E;
        match self {
            E::NotDepartmentSupervisor => forbidden(self),
            E::AlreadyRegistered => conflict("already_registered", self),
            E::NotRegistered => ApiError::NotFound,
            E::WrongStatus { .. } => conflict("wrong_status", self),
            E::UnknownOrganisation(_) => invalid("organisation", "unknown_organisation", self),
            E::NotAPublicBody { .. } => invalid("organisation", "not_a_public_body", self),
            E::InvalidText(error) => text(error),
            E::InvalidLocator { .. } => invalid("locator", "invalid_locator", self),
        }
    }
}

impl DomainProblem for ChecklistError {
    fn to_api_error(&self) -> ApiError {
        use ChecklistError as E;
        match self {
            E::NotDepartmentSupervisor => forbidden(self),
            E::AlreadyCreated => conflict("already_created", self),
            E::NotCreated => ApiError::NotFound,
            E::InvalidText(error) => text(error),
            E::NoCriteria => invalid("criteria", "no_criteria", self),
            E::TooManyCriteria { .. } => invalid("criteria", "too_many_criteria", self),
            E::DuplicateCriterion(_) => invalid("criteria", "duplicate_criterion", self),
            E::InvalidLabel { reason, .. } => invalid("criteria.label", reason.code(), self),
            E::WeightOutOfRange { .. } => invalid("criteria.weight", "out_of_range", self),
            E::ScaleOutOfRange { .. } => invalid("criteria.scale", "out_of_range", self),
        }
    }
}

impl DomainProblem for CampaignError {
    fn to_api_error(&self) -> ApiError {
        use CampaignError as E;
        match self {
            E::NotDepartmentSupervisor | E::NotAllowedToDeclare => forbidden(self),
            E::AlreadyPlanned => conflict("already_planned", self),
            E::NotPlanned => ApiError::NotFound,
            E::WrongStatus { .. } => conflict("wrong_status", self),
            E::InvalidText(error) => text(error),
            E::Period(error) => period(error),
            E::NoServicePoints => invalid("points", "no_service_points", self),
            E::ServicePointAlreadyIncluded(_) => conflict("service_point_already_included", self),
            E::ServicePointNotIncluded(_) => {
                invalid("service_point", "service_point_not_included", self)
            }
            E::AlreadyInTeam(_) => conflict("already_in_team", self),
            E::NotATeamMember(_) => invalid("member", "not_a_team_member", self),
            E::UnknownOrganisation(_) => invalid("organisation", "unknown_organisation", self),
            E::ConflictAlreadyDeclared => conflict("conflict_already_declared", self),
            E::VisitAlreadyAssigned(_) => conflict("visit_already_assigned", self),
            E::ConflictOfInterest { .. } => conflict("conflict_of_interest", self),
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
    invalid("answers", code, error)
}

impl DomainProblem for VisitError {
    fn to_api_error(&self) -> ApiError {
        use VisitError as E;
        match self {
            E::NotDepartmentSupervisor | E::NotTheAssignedMember | E::OwnVisit => forbidden(self),
            // The body learns nothing about visits that are not about it.
            E::NotTheInspectedBody | E::NotPlanned => ApiError::NotFound,
            E::AlreadyPlanned => conflict("already_planned", self),
            E::WrongStatus { .. } => conflict("wrong_status", self),
            E::OccurredInFuture { .. } => invalid("occurred_at", "in_the_future", self),
            E::OccurredBeforePlan { .. } => invalid("occurred_at", "before_plan", self),
            E::WaitingTooLong { .. } => invalid("waiting_minutes", "too_long", self),
            E::Answers(error) => scoring(error),
            E::InvalidText(error) => text(error),
            E::PersonalData(error) => personal_data(error),
            E::InvalidContentHash => invalid("content_hash", "bad_hash", self),
            E::MediaTypeNotAccepted { .. } => {
                invalid("media_type", "media_type_not_accepted", self)
            }
            E::EvidenceSizeOutOfRange { .. } => invalid("size_bytes", "out_of_range", self),
            E::EvidenceAlreadyAttached => conflict("evidence_already_attached", self),
            E::TooMuchEvidence { .. } => conflict("too_much_evidence", self),
            E::FindingAlreadyRecorded(_) => conflict("finding_already_recorded", self),
            E::TooManyFindings { .. } => conflict("too_many_findings", self),
            E::UnknownCriterion(_) => invalid("criterion", "unknown_criterion", self),
            E::UnknownFinding(_) => ApiError::NotFound,
            E::FindingClosed(_) => conflict("finding_closed", self),
            E::DueDateInPast { .. } => invalid("due_on", "in_the_past", self),
            E::DueDateTooFar { .. } => invalid("due_on", "too_far", self),
            E::FollowUpIsThisVisit => invalid("follow_up", "follow_up_is_this_visit", self),
        }
    }
}

impl DomainProblem for ReferralError {
    fn to_api_error(&self) -> ApiError {
        use ReferralError as E;
        match self {
            E::NotDepartmentSupervisor => forbidden(self),
            E::AlreadyReferred => conflict("already_referred", self),
            E::NotReferred => ApiError::NotFound,
            E::WrongStatus { .. } => conflict("wrong_status", self),
            E::NotACompetentAuthority(_) => invalid("authority", "not_a_competent_authority", self),
            E::InvalidText(error) => text(error),
            E::PersonalData(error) => personal_data(error),
            E::DateInFuture { .. } => invalid("date", "in_the_future", self),
            E::DateBeforeReferral { .. } => invalid("date", "before_referral", self),
        }
    }
}

fn satisfaction(error: &SatisfactionError) -> ApiError {
    let code = match error {
        SatisfactionError::NoAnswers => "no_answers",
        SatisfactionError::UnknownQuestion(_) => "unknown_question",
        SatisfactionError::AnswerOutOfScale(_) => "answer_out_of_scale",
    };
    invalid("answers", code, error)
}

impl DomainProblem for SurveyError {
    fn to_api_error(&self) -> ApiError {
        use SurveyError as E;
        match self {
            E::NotDepartmentSupervisor | E::NotAnonymousIntake => forbidden(self),
            E::AlreadyCreated => conflict("already_created", self),
            E::NotCreated => ApiError::NotFound,
            E::WrongStatus { .. } => conflict("wrong_status", self),
            E::InvalidText(error) => text(error),
            E::Period(error) => period(error),
            E::NoServicePoints => invalid("service_points", "no_service_points", self),
            E::DuplicateServicePoint(_) => invalid("service_points", "duplicate", self),
            E::NoQuestions => invalid("questions", "no_questions", self),
            E::TooManyQuestions { .. } => invalid("questions", "too_many_questions", self),
            E::DuplicateQuestion(_) => invalid("questions", "duplicate_question", self),
            E::InvalidLabel { reason, .. } => invalid("questions.label", reason.code(), self),
            E::WeightOutOfRange { .. } => invalid("questions.weight", "out_of_range", self),
            E::ScaleOutOfRange { .. } => invalid("questions.levels", "out_of_range", self),
            E::ServicePointNotInSurvey(_) => invalid("service_point", "not_in_survey", self),
            E::UnknownQuestionnaireVersion(_) => {
                invalid("questionnaire_version", "unknown_version", self)
            }
            E::ResponseInFuture { .. } => invalid("responded_on", "in_the_future", self),
            E::OutsidePeriod { .. } => conflict("outside_period", self),
            E::Answers(error) => satisfaction(error),
        }
    }
}
