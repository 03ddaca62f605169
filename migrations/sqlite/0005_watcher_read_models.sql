-- Read models of the Citizen Watcher (see migrations/postgres/0005 for the meaning of each
-- table and column, and why the inspected body's tables hold no member nor time of day).

CREATE TABLE watcher_visits
(
    visit_id            TEXT    PRIMARY KEY,
    campaign_id         TEXT    NOT NULL,
    service_point_id    TEXT    NOT NULL,
    organisation_id     TEXT    NOT NULL,
    governorate         TEXT    NOT NULL,
    channel             TEXT    NOT NULL,
    member_id           TEXT    NOT NULL,
    status              TEXT    NOT NULL,
    planned_at          INTEGER NOT NULL,
    occurred_at         INTEGER,
    score_bp            INTEGER,
    critical_failed     INTEGER NOT NULL DEFAULT 0 CHECK (critical_failed IN (0, 1)),
    findings            INTEGER NOT NULL DEFAULT 0,
    revision            INTEGER NOT NULL DEFAULT 0,
    review              TEXT,
    reviewed_by         TEXT,
    reviewed_at         INTEGER,
    report_sent_at      INTEGER,
    cancellation_reason TEXT
) STRICT;

CREATE INDEX watcher_visits_campaign ON watcher_visits (campaign_id, planned_at, visit_id);
CREATE INDEX watcher_visits_campaign_status ON watcher_visits (campaign_id, status);
CREATE INDEX watcher_visits_campaign_point ON watcher_visits (campaign_id, service_point_id);
CREATE INDEX watcher_visits_campaign_governorate ON watcher_visits (campaign_id, governorate);

CREATE TABLE watcher_body_reports
(
    visit_id         TEXT    PRIMARY KEY,
    organisation_id  TEXT    NOT NULL,
    service_point_id TEXT    NOT NULL,
    channel          TEXT    NOT NULL,
    occurred_on      TEXT    NOT NULL,
    score_bp         INTEGER NOT NULL,
    score_card       TEXT    NOT NULL,
    findings         INTEGER NOT NULL,
    sent_at          INTEGER NOT NULL
) STRICT;

CREATE INDEX watcher_body_reports_by_body ON watcher_body_reports (organisation_id, sent_at);

CREATE TABLE watcher_body_findings
(
    finding_id        TEXT    PRIMARY KEY,
    visit_id          TEXT    NOT NULL,
    organisation_id   TEXT    NOT NULL,
    service_point_id  TEXT    NOT NULL,
    kind              TEXT    NOT NULL CHECK (kind IN ('shortcoming', 'recommendation')),
    severity          TEXT,
    criterion_id      TEXT,
    description       TEXT    NOT NULL,
    status            TEXT    NOT NULL CHECK (status IN ('open', 'action_proposed', 'verified')),
    corrective_action TEXT,
    due_on            TEXT,
    last_verification TEXT,
    verified_on       TEXT,
    reported_at       INTEGER NOT NULL
) STRICT;

CREATE INDEX watcher_body_findings_open ON watcher_body_findings (organisation_id, reported_at)
    WHERE status <> 'verified';

CREATE TABLE watcher_referrals
(
    referral_id         TEXT    PRIMARY KEY,
    visit_id            TEXT    NOT NULL,
    finding_id          TEXT    NOT NULL,
    organisation_id     TEXT    NOT NULL,
    category            TEXT    NOT NULL,
    authority_id        TEXT    NOT NULL,
    status              TEXT    NOT NULL,
    referred_at         INTEGER NOT NULL,
    acknowledged_on     TEXT,
    authority_reference TEXT,
    outcome             TEXT,
    decided_on          TEXT
) STRICT;

CREATE INDEX watcher_referrals_status ON watcher_referrals (status, referred_at);
CREATE INDEX watcher_referrals_authority ON watcher_referrals (authority_id, referred_at);
CREATE INDEX watcher_referrals_category ON watcher_referrals (category, referred_at);

CREATE TABLE watcher_service_points
(
    service_point_id TEXT PRIMARY KEY,
    organisation_id  TEXT NOT NULL,
    governorate      TEXT NOT NULL,
    channel          TEXT NOT NULL,
    name             TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('active', 'retired')),
    registered_on    TEXT NOT NULL,
    retired_on       TEXT
) STRICT;

CREATE INDEX watcher_service_points_organisation ON watcher_service_points (organisation_id);
CREATE INDEX watcher_service_points_governorate ON watcher_service_points (governorate);
CREATE INDEX watcher_service_points_status ON watcher_service_points (status);

CREATE TABLE watcher_coverage_visits
(
    visit_id         TEXT    PRIMARY KEY,
    service_point_id TEXT    NOT NULL,
    occurred_on      TEXT,
    accepted         INTEGER NOT NULL DEFAULT 0 CHECK (accepted IN (0, 1))
) STRICT;

CREATE INDEX watcher_coverage_visits_accepted ON watcher_coverage_visits (occurred_on)
    WHERE accepted = 1;

CREATE TABLE watcher_satisfaction
(
    service_point_id   TEXT    NOT NULL,
    responded_on       TEXT    NOT NULL,
    responses          INTEGER NOT NULL,
    total_basis_points INTEGER NOT NULL,
    PRIMARY KEY (service_point_id, responded_on)
) STRICT;

CREATE INDEX watcher_satisfaction_day ON watcher_satisfaction (responded_on);
