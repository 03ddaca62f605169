//! How a refused citizen-file command reads over HTTP: every [`FileError`] variant with its
//! status and stable code.
//!
//! What the caller may not know exists answers 404 like an unknown file: a file handled by
//! another organisation, a referral made to another structure, a file of another author. A
//! field at fault is a 422 naming it as the request body names it; a command the file's
//! state refuses is a 409 with the rule's code.

use citizen_file::{AttachmentProblem, FileError, SigningError};
use kernel::personal_data::EnvelopeError;

use crate::error::{ApiError, DomainProblem};

fn attachment_code(problem: &AttachmentProblem) -> &'static str {
    match problem {
        AttachmentProblem::BadHash => "bad_hash",
        AttachmentProblem::MediaTypeNotAllowed => "media_type_not_allowed",
        AttachmentProblem::Empty => "empty_attachment",
        AttachmentProblem::TooLarge { .. } => "attachment_too_large",
        AttachmentProblem::Duplicate => "duplicate_attachment",
    }
}

impl DomainProblem for FileError {
    fn to_api_error(&self) -> ApiError {
        use FileError as E;
        match self {
            // Hidden: the caller learns nothing about a file that is not theirs to act on.
            E::NoSuchFile
            | E::NotTheHandlingOrganisation { .. }
            | E::NotReferredToYourStructure { .. }
            | E::NotEmpoweredToSign { .. }
            | E::NotTheAuthor
            | E::NotFollowingThisSuggestion
            | E::NoSuchReferral { .. } => ApiError::NotFound,
            E::NotACitizen | E::NotAnIntakeAgent | E::NotASystemActor => ApiError::Forbidden {
                detail: self.to_string(),
            },

            E::AlreadyReceived => ApiError::conflict("already_received", self),
            E::WrongState { status } => ApiError::Conflict {
                code: "wrong_state".into(),
                detail: format!("not possible while the file is {}", status_name(*status)),
            },
            E::DeadlinePassed { .. } => ApiError::conflict("deadline_passed", self),
            E::ExtensionLimitExceeded { .. } => {
                ApiError::conflict("extension_limit_exceeded", self)
            }
            E::NotAnEmailFile => ApiError::conflict("not_an_email_file", self),
            E::FirstResponseAlreadyGiven => {
                ApiError::conflict("first_response_already_given", self)
            }
            E::ReferralAlreadyExists { .. } => ApiError::conflict("referral_already_exists", self),
            E::AlreadyReferredTo { .. } => ApiError::conflict("already_referred_to", self),
            E::WrongReferralState { .. } => ApiError::conflict("wrong_referral_state", self),
            E::AnswerNeedsStructureReply { .. } => {
                ApiError::conflict("answer_needs_structure_reply", self)
            }
            E::SuggestionNotDecided => ApiError::conflict("suggestion_not_decided", self),
            E::SuggestionNotAssessed => ApiError::conflict("suggestion_not_assessed", self),
            E::SuggestionNotFeasible => ApiError::conflict("suggestion_not_feasible", self),
            E::NotASuggestion { .. } => ApiError::conflict("not_a_suggestion", self),
            E::SuggestionNotAdopted => ApiError::conflict("suggestion_not_adopted", self),
            E::AlreadyRated => ApiError::conflict("already_rated", self),
            E::AlreadyContested => ApiError::conflict("already_contested", self),
            E::DuplicateAlreadyAttached => ApiError::conflict("duplicate_already_attached", self),
            E::AuthorDataErased => ApiError::conflict("author_data_erased", self),

            E::WrongHandlingOrganisation { .. } => {
                ApiError::rejected("handled_by", "wrong_handling_organisation", self)
            }
            E::OnlineIsNotARegistrationChannel => {
                ApiError::rejected("channel", "online_is_not_a_registration_channel", self)
            }
            E::ReceivedInTheFuture => ApiError::rejected("received_at", "in_the_future", self),
            E::NoWayToReachAuthor => ApiError::rejected("author", "no_way_to_reach_author", self),
            E::EmailChannelNeedsAnAddress => {
                ApiError::rejected("author.email", "email_required", self)
            }
            E::InvalidEmail => ApiError::rejected("author.email", "invalid_email", self),
            E::InvalidPhone => ApiError::rejected("author.phone", "invalid_phone", self),
            E::NotificationNeedsLocation => {
                ApiError::rejected("location", "location_required", self)
            }
            E::OutsideTunisia => {
                ApiError::rejected("location.coordinates", "outside_tunisia", self)
            }
            E::TooManyAttachments { .. } => {
                ApiError::rejected("attachments", "too_many_attachments", self)
            }
            E::InvalidAttachment { index, problem } => ApiError::rejected(
                &format!("attachments[{index}]"),
                attachment_code(problem),
                self,
            ),
            E::InvalidText(text) => {
                ApiError::invalid(text.field, text.error.code(), text.error.to_string())
            }
            E::ZeroExtension => ApiError::rejected("amount", "zero_extension", self),
            E::UnknownOrganisation { .. } => ApiError::rejected("to", "unknown_organisation", self),
            E::NotAStructure { .. } => ApiError::rejected("to", "not_a_structure", self),
            E::ReplyDoesNotFitKind { .. } => {
                ApiError::rejected("outcome", "reply_does_not_fit_kind", self)
            }
            E::InterventionInTheFuture => {
                ApiError::rejected("outcome.intervened_at", "in_the_future", self)
            }
            E::InvalidRating { .. } => ApiError::rejected("stars", "invalid_rating", self),
            E::CannotMergeWithItself => {
                ApiError::rejected("into", "cannot_merge_with_itself", self)
            }

            E::PersonalData(EnvelopeError::SubjectErased(_)) => {
                ApiError::conflict("personal_data_erased", self)
            }
            E::PersonalData(error) => ApiError::internal("personal data of a citizen file", error),
            E::Signing(SigningError::Unavailable { reason }) => {
                tracing::warn!(reason, "signing service unavailable");
                ApiError::SigningUnavailable
            }
            E::Signing(SigningError::NoValidCertificate) => {
                ApiError::conflict("no_valid_certificate", self)
            }
            E::Signing(SigningError::Refused { .. }) => ApiError::conflict("signing_refused", self),
            E::Calendar(error) => ApiError::internal("deadline computation", error),
        }
    }
}

/// The snake_case name of a status, as the API shows it.
fn status_name(status: citizen_file::FileStatus) -> String {
    match serde_json::to_value(status) {
        Ok(serde_json::Value::String(name)) => name,
        Ok(other) => other.to_string(),
        Err(_) => format!("{status:?}"),
    }
}

#[cfg(test)]
mod tests {
    use citizen_file::{FileKind, FileStatus, InvalidText, ReferralId, ReferralStatus};
    use kernel::calendar::CalendarError;
    use kernel::personal_data::SubjectId;
    use kernel::{OrganisationId, OrganisationKind, TextError};

    use super::*;

    fn answer(error: FileError) -> (u16, Option<String>, Option<String>) {
        let problem = error.to_api_error().problem();
        (problem.status, problem.field, problem.code)
    }

    #[test]
    fn what_the_caller_may_not_know_exists_is_hidden_as_404() {
        let organisation = OrganisationId::new_v7();
        let referral = ReferralId::new_v7();
        for error in [
            FileError::NoSuchFile,
            FileError::NotTheHandlingOrganisation {
                handled_by: organisation,
            },
            FileError::NotReferredToYourStructure { referral },
            FileError::NotEmpoweredToSign { organisation },
            FileError::NotTheAuthor,
            FileError::NotFollowingThisSuggestion,
            FileError::NoSuchReferral { referral },
        ] {
            assert_eq!(answer(error).0, 404);
        }
        for error in [
            FileError::NotACitizen,
            FileError::NotAnIntakeAgent,
            FileError::NotASystemActor,
        ] {
            assert_eq!(answer(error).0, 403);
        }
    }

    #[test]
    fn fields_at_fault_are_named_and_states_coded() {
        let text = FileError::InvalidText(InvalidText {
            field: "question",
            error: TextError::Empty,
        });
        assert_eq!(
            answer(text),
            (422, Some("question".into()), Some("empty".into()))
        );
        let attachment = FileError::InvalidAttachment {
            index: 2,
            problem: AttachmentProblem::BadHash,
        };
        assert_eq!(answer(attachment).1.as_deref(), Some("attachments[2]"));
        let state = answer(FileError::WrongState {
            status: FileStatus::AnswerDrafted,
        });
        assert_eq!((state.0, state.2.as_deref()), (409, Some("wrong_state")));
        let referral = answer(FileError::WrongReferralState {
            referral: ReferralId::new_v7(),
            status: ReferralStatus::Replied,
        });
        assert_eq!(referral.2.as_deref(), Some("wrong_referral_state"));
        let structure = answer(FileError::NotAStructure {
            organisation: OrganisationId::new_v7(),
            kind: OrganisationKind::CitizenRelationsOffice,
        });
        assert_eq!(structure.1.as_deref(), Some("to"));
        let kind = answer(FileError::AnswerNeedsStructureReply {
            kind: FileKind::Petition,
        });
        assert_eq!(kind.0, 409);
    }

    #[test]
    fn an_unavailable_signer_is_a_503_and_failures_of_ours_are_500() {
        let unavailable = FileError::Signing(SigningError::Unavailable {
            reason: "down".into(),
        });
        assert_eq!(answer(unavailable).0, 503);
        assert_eq!(
            answer(FileError::Signing(SigningError::NoValidCertificate)).2,
            Some("no_valid_certificate".into())
        );
        let erased = FileError::PersonalData(EnvelopeError::SubjectErased(SubjectId::new_v7()));
        assert_eq!(answer(erased).0, 409);
        assert_eq!(
            answer(FileError::PersonalData(EnvelopeError::Tampered)).0,
            500
        );
        assert_eq!(
            answer(FileError::Calendar(CalendarError::EmptyVersion)).0,
            500
        );
    }
}
