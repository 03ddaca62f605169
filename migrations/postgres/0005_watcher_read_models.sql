-- Read models of the Citizen Watcher (crates/projections/src/watcher), each rebuilt from
-- position zero by its projection. Portable types only, since projections write through
-- sqlx::Any: identifiers and enumerations as text (snake_case), instants as Unix
-- milliseconds, local dates (Africa/Tunis) as 'YYYY-MM-DD' text (they compare as dates),
-- scores as basis points (10 000 = 100.00), booleans as 0/1, structured values as JSON text.
--
-- Privacy: the department's tables (visits, referrals) and the inspected body's tables
-- (watcher_body_*) are apart. The body's tables have no column for the member, the time of
-- day of the visit, the service asked, the waiting time or any department-only text: a
-- body's query cannot return what its table does not hold.

-- Projection `watcher.visits`: the department's view of each visit.
CREATE TABLE watcher_visits
(
    visit_id            text   PRIMARY KEY,
    campaign_id         text   NOT NULL,
    service_point_id    text   NOT NULL,
    organisation_id     text   NOT NULL,
    governorate         text   NOT NULL,
    channel             text   NOT NULL,
    member_id           text   NOT NULL,
    status              text   NOT NULL,
    planned_at          bigint NOT NULL,
    occurred_at         bigint,
    score_bp            bigint,
    critical_failed     bigint NOT NULL DEFAULT 0 CHECK (critical_failed IN (0, 1)),
    findings            bigint NOT NULL DEFAULT 0,
    revision            bigint NOT NULL DEFAULT 0,
    review              text,
    reviewed_by         text,
    reviewed_at         bigint,
    report_sent_at      bigint,
    cancellation_reason text
);

CREATE INDEX watcher_visits_campaign ON watcher_visits (campaign_id, planned_at, visit_id);
CREATE INDEX watcher_visits_campaign_status ON watcher_visits (campaign_id, status);
CREATE INDEX watcher_visits_campaign_point ON watcher_visits (campaign_id, service_point_id);
CREATE INDEX watcher_visits_campaign_governorate ON watcher_visits (campaign_id, governorate);

-- Projection `watcher.body`: what reached the inspected body (reports and their findings).
CREATE TABLE watcher_body_reports
(
    visit_id         text   PRIMARY KEY,
    organisation_id  text   NOT NULL,
    service_point_id text   NOT NULL,
    channel          text   NOT NULL,
    occurred_on      text   NOT NULL,
    score_bp         bigint NOT NULL,
    score_card       text   NOT NULL,
    findings         bigint NOT NULL,
    sent_at          bigint NOT NULL
);

CREATE INDEX watcher_body_reports_by_body ON watcher_body_reports (organisation_id, sent_at);

CREATE TABLE watcher_body_findings
(
    finding_id        text   PRIMARY KEY,
    visit_id          text   NOT NULL,
    organisation_id   text   NOT NULL,
    service_point_id  text   NOT NULL,
    kind              text   NOT NULL CHECK (kind IN ('shortcoming', 'recommendation')),
    severity          text,
    criterion_id      text,
    description       text   NOT NULL,
    status            text   NOT NULL CHECK (status IN ('open', 'action_proposed', 'verified')),
    corrective_action text,
    due_on            text,
    last_verification text,
    verified_on       text,
    reported_at       bigint NOT NULL
);

CREATE INDEX watcher_body_findings_open ON watcher_body_findings (organisation_id, reported_at)
    WHERE status <> 'verified';

-- Projection `watcher.referrals`: corruption referrals (department only).
CREATE TABLE watcher_referrals
(
    referral_id         text   PRIMARY KEY,
    visit_id            text   NOT NULL,
    finding_id          text   NOT NULL,
    organisation_id     text   NOT NULL,
    category            text   NOT NULL,
    authority_id        text   NOT NULL,
    status              text   NOT NULL,
    referred_at         bigint NOT NULL,
    acknowledged_on     text,
    authority_reference text,
    outcome             text,
    decided_on          text
);

CREATE INDEX watcher_referrals_status ON watcher_referrals (status, referred_at);
CREATE INDEX watcher_referrals_authority ON watcher_referrals (authority_id, referred_at);
CREATE INDEX watcher_referrals_category ON watcher_referrals (category, referred_at);

-- Projection `watcher.coverage`: service points and the visits that cover them.
CREATE TABLE watcher_service_points
(
    service_point_id text PRIMARY KEY,
    organisation_id  text NOT NULL,
    governorate      text NOT NULL,
    channel          text NOT NULL,
    name             text NOT NULL,
    status           text NOT NULL CHECK (status IN ('active', 'retired')),
    registered_on    text NOT NULL,
    retired_on       text
);

CREATE INDEX watcher_service_points_organisation ON watcher_service_points (organisation_id);
CREATE INDEX watcher_service_points_governorate ON watcher_service_points (governorate);
CREATE INDEX watcher_service_points_status ON watcher_service_points (status);

CREATE TABLE watcher_coverage_visits
(
    visit_id         text   PRIMARY KEY,
    service_point_id text   NOT NULL,
    occurred_on      text,
    accepted         bigint NOT NULL DEFAULT 0 CHECK (accepted IN (0, 1))
);

CREATE INDEX watcher_coverage_visits_accepted ON watcher_coverage_visits (occurred_on)
    WHERE accepted = 1;

-- Projection `watcher.satisfaction`: survey responses tallied per service point and day.
CREATE TABLE watcher_satisfaction
(
    service_point_id   text   NOT NULL,
    responded_on       text   NOT NULL,
    responses          bigint NOT NULL,
    total_basis_points bigint NOT NULL,
    PRIMARY KEY (service_point_id, responded_on)
);

CREATE INDEX watcher_satisfaction_day ON watcher_satisfaction (responded_on);
