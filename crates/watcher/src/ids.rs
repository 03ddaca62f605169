//! The identifiers of the Citizen Watcher context.
//!
//! All are UUID v7 minted at the edge (gateway, the member's phone application, importers) and
//! carried in commands; handlers never mint them. Aggregates use theirs as stream ids.

kernel::define_id!(
    /// A service point: a counter, office, phone line, website or e-mail address of a public
    /// body that can be inspected.
    ServicePointId
);

kernel::define_id!(
    /// A checklist, whose versions are published one after the other.
    ChecklistId
);

kernel::define_id!(
    /// One criterion of a checklist. Kept from version to version when the criterion is the
    /// same, so that reports can follow it over time.
    CriterionId
);

kernel::define_id!(
    /// A campaign of visits over a period.
    CampaignId
);

kernel::define_id!(
    /// A visit of a service point by a member of the team.
    VisitId
);

kernel::define_id!(
    /// A finding of a visit: a shortcoming or a recommendation.
    FindingId
);

kernel::define_id!(
    /// A corruption referral to a competent authority.
    ReferralId
);

kernel::define_id!(
    /// A satisfaction survey.
    SurveyId
);

kernel::define_id!(
    /// A question of a survey questionnaire, kept from version to version.
    QuestionId
);

kernel::define_id!(
    /// One anonymous survey response (a reference for read models, not a respondent).
    ResponseId
);
