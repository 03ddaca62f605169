//! The Citizen Watcher ("المواطن الرقيب") domain: the team of the Public Service Quality
//! Department that asks real services as ordinary citizens and reports on their quality
//! (decree 93-147 of 18 January 1993, as amended by decree 2006-1862 and government decree
//! 2016-1072; the department's page is legal text 004, summarised in the domain notes,
//! section 4).
//!
//! A pure domain crate: no HTTP, no SQL, no wall clock. Aggregates (cqrs-es), each in its
//! module with its commands, events and error enum:
//!
//! | aggregate (`TYPE`) | module | what |
//! |---|---|---|
//! | [`ServicePoint`] (`"ServicePoint"`) | [`service_point`] | counters, phone lines, websites, e-mail addresses of public bodies |
//! | [`Checklist`] (`"Checklist"`) | [`checklist`] | versioned criteria by theme, weight, scale, critical flag |
//! | [`Campaign`] (`"Campaign"`) | [`campaign`] | period, points, team, conflicts of interest, assignment |
//! | [`Visit`] (`"Visit"`) | [`visit`] | record (offline too), review, report, findings, corrective actions |
//! | [`CorruptionReferral`] (`"CorruptionReferral"`) | [`referral`] | referral to a competent authority, acknowledgement, outcome |
//! | [`SatisfactionSurvey`] (`"SatisfactionSurvey"`) | [`survey`] | questionnaire versions, anonymous responses, index |
//!
//! Pure computations shared with read models: [`scoring`] (a visit's score, exact integer
//! arithmetic, proof of bounds), [`satisfaction`] (a response's satisfaction, the index),
//! [`mod@coverage`] (share of points visited). Every aggregate takes the same
//! [`WatcherServices`] and reads its rule values from [`WatcherConfig`].
//!
//! # Cross-cutting decisions
//!
//! - **The inspected body never learns who visited.** Only the visit's report and the
//!   findings' follow-up reach the body ([`visit::Audience`]); they carry no member or
//!   department agent, and no time of day. Campaign and referral events are department-only.
//! - **Scores never change after the fact.** A visit carries the whole checklist version it
//!   was planned with and its computed [`ScoreCard`]; the critical cap is copied into each
//!   version at publication.
//! - **Free text that may name people is sealed** under a data subject (one per visit for the
//!   visit's texts; the referral's is given with it). Survey responses hold no free text and
//!   no respondent.
//! - **Rules that span aggregates** are enforced where their data lives: conflicts of
//!   interest in the campaign that assigns visits; the visit receives the assignment and the
//!   checklist version as recorded by their aggregates, copied by the application.
//! - Module layout: the ADR's files (`aggregate`, `commands`, `events`, `error`) are per
//!   aggregate module because the crate has six aggregates; `services.rs`, `config.rs` and
//!   `error.rs` (the shared [`InvalidText`]) are crate-wide.
#![forbid(unsafe_code)]

pub mod campaign;
pub mod checklist;
pub mod config;
pub mod coverage;
pub mod error;
pub mod ids;
pub mod period;
pub mod referral;
pub mod satisfaction;
pub mod scoring;
pub mod service_point;
pub mod services;
pub mod survey;
pub mod visit;

pub use campaign::{
    Assignment, Campaign, CampaignCommand, CampaignError, CampaignEvent, CampaignStatus,
};
pub use checklist::{
    Checklist, ChecklistCommand, ChecklistError, ChecklistEvent, ChecklistVersion, Criterion,
    CriterionDraft, Scale, Theme,
};
pub use config::WatcherConfig;
pub use coverage::{Coverage, Share, coverage};
pub use error::InvalidText;
pub use ids::{
    CampaignId, ChecklistId, CriterionId, FindingId, QuestionId, ReferralId, ResponseId,
    ServicePointId, SurveyId, VisitId,
};
pub use period::{Period, PeriodError};
pub use referral::{
    CorruptionCategory, CorruptionReferral, ReferralCommand, ReferralError, ReferralEvent,
    ReferralOutcome, ReferralStatus,
};
pub use satisfaction::{SatisfactionError, Tally, response_satisfaction};
pub use scoring::{Answer, Percentage, ScoreCard, ScoringError, ThemeScore, score_visit};
pub use service_point::{
    Channel, ServicePoint, ServicePointCommand, ServicePointError, ServicePointEvent,
    ServicePointRef, ServicePointStatus,
};
pub use services::WatcherServices;
pub use survey::{
    Question, QuestionDraft, SatisfactionSurvey, ServicePointIndex, SurveyCommand, SurveyError,
    SurveyEvent, SurveyStatus,
};
pub use visit::{
    Audience, CancellationReason, Evidence, FindingKind, FindingStatus, ReportedFinding, Severity,
    VerificationOutcome, Visit, VisitCommand, VisitError, VisitEvent, VisitReport, VisitStatus,
};
