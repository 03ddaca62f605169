//! The Citizen Watcher's semester activity report, folded from the global log up to a
//! cursor, so that it can be computed again later, identically, from that cursor.
//!
//! # Period
//!
//! A semester is a calendar half-year: January to June, July to December (local dates,
//! Africa/Tunis). The department's page also lists an activity report "from 1 January to
//! the end of September" (domain notes, section 4): that is a nine-month cumulative report
//! published besides the semester ones, not a definition of the first semester, so it is
//! not what this report covers. The fold works on any [`Period`], should that report be
//! wanted.
//!
//! # What is counted (each rule is also written under its table)
//!
//! - **Visits**, by governorate of the point: *planned* and *cancelled* by the local date
//!   of that decision; *carried out* by the local date of the visit (as last recorded);
//!   *accepted*: carried out in the semester and accepted by a supervisor at the report's
//!   position.
//! - **Scores** by body and by theme: the mean of the accepted visits' scores (theme scores
//!   before the critical cap), rounded down to the basis point, shown in points with two
//!   decimals.
//! - **Findings** of the reports sent for the semester's visits, by severity: with a
//!   corrective action proposed, verified implemented, still open, and overdue at the end
//!   of the semester (open, the latest promised date being the semester's last day or
//!   earlier). Computed before the semester ends, "overdue" counts the promises due by its
//!   end: the column names that date.
//! - **Referrals** sent in the semester, by category and authority, with their outcome at
//!   the report's position.
//! - **Coverage** against the target (configuration, 80.00 by default): the points active
//!   on the semester's last day, covered by an accepted visit of the semester; the same
//!   rule as the coverage read model.
//! - **Satisfaction**: the index of the responses given in the semester, overall and per
//!   service point.
//!
//! Nothing names a member: the fold never reads who visited, and bodies, authorities and
//! points appear by their identifiers (the directory, outside the log, has their names).
//! Every map is ordered, so two computations from the same cursor are equal.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Display;
use std::ops::Add;

use chrono::{DateTime, NaiveDate, Utc};
use event_store::{Cursor, GlobalLog, ProjectionError, RecordedEvent, StoreError};
use kernel::OrganisationId;
use kernel::calendar::HolidayCalendar;
use kernel::organisation::Governorate;
use serde::{Deserialize, Serialize};
use watcher::{
    CorruptionCategory, Coverage, FindingId, FindingKind, Percentage, Period, ReferralEvent,
    ReferralId, ReferralOutcome, ScoreCard, ServicePointEvent, ServicePointId, ServicePointRef,
    Severity, SurveyEvent, Tally, Theme, VerificationOutcome, VisitEvent, VisitId,
};

use super::events::{AGGREGATE_TYPES, WatcherEvent, stream_id};
use super::satisfaction::Average;
use super::semester_document::document;
use crate::report::ReportDocument;

/// Events read per batch.
const BATCH: u32 = 1_000;

/// Which half of the year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Semester {
    /// January to June.
    First,
    /// July to December.
    Second,
}

impl Semester {
    /// Its days in `year`; `None` for a year chrono cannot represent.
    pub fn period(self, year: i32) -> Option<Period> {
        let (first_month, last_month, last_day) = match self {
            Self::First => (1, 6, 30),
            Self::Second => (7, 12, 31),
        };
        Some(Period {
            starts_on: NaiveDate::from_ymd_opt(year, first_month, 1)?,
            ends_on: NaiveDate::from_ymd_opt(year, last_month, last_day)?,
        })
    }
}

/// The language of a report's labels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// French.
    Fr,
    /// Arabic (the page reads right to left).
    Ar,
}

impl Language {
    /// `fr` or `ar`.
    pub fn code(self) -> &'static str {
        match self {
            Self::Fr => "fr",
            Self::Ar => "ar",
        }
    }
}

/// What to report on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SemesterParams {
    /// The year.
    pub year: i32,
    /// Which half of it.
    pub semester: Semester,
    /// The labels' language.
    pub language: Language,
    /// The coverage target (`watcher::WatcherConfig::coverage_target`, 80.00 by default).
    pub coverage_target: Percentage,
}

/// Visits counted for a governorate (or in all).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct VisitCounts {
    /// Planned in the semester.
    pub planned: u64,
    /// Cancelled in the semester.
    pub cancelled: u64,
    /// Carried out in the semester.
    pub carried_out: u64,
    /// Of those, accepted.
    pub accepted: u64,
}

impl Add for VisitCounts {
    type Output = Self;
    fn add(self, other: Self) -> Self {
        Self {
            planned: self.planned + other.planned,
            cancelled: self.cancelled + other.cancelled,
            carried_out: self.carried_out + other.carried_out,
            accepted: self.accepted + other.accepted,
        }
    }
}

/// What a finding is, as the report groups them (most serious first).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingClass {
    /// A serious shortcoming.
    Serious,
    /// A moderate shortcoming.
    Moderate,
    /// A minor shortcoming.
    Minor,
    /// A recommendation.
    Recommendation,
}

impl FindingClass {
    /// Every class, in report order.
    pub const ALL: [Self; 4] = [
        Self::Serious,
        Self::Moderate,
        Self::Minor,
        Self::Recommendation,
    ];

    fn of(kind: FindingKind) -> Self {
        match kind {
            FindingKind::Shortcoming {
                severity: Severity::Serious,
            } => Self::Serious,
            FindingKind::Shortcoming {
                severity: Severity::Moderate,
            } => Self::Moderate,
            FindingKind::Shortcoming {
                severity: Severity::Minor,
            } => Self::Minor,
            FindingKind::Recommendation => Self::Recommendation,
        }
    }
}

/// Findings of one class (or of all) and their corrective actions.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct FindingCounts {
    /// Findings reported.
    pub findings: u64,
    /// Of those, answered with a corrective action.
    pub with_action: u64,
    /// Verified implemented (closed).
    pub implemented: u64,
    /// Not verified implemented.
    pub open: u64,
    /// Open, with a promised date on or before the semester's last day.
    pub overdue: u64,
}

impl Add for FindingCounts {
    type Output = Self;
    fn add(self, other: Self) -> Self {
        Self {
            findings: self.findings + other.findings,
            with_action: self.with_action + other.with_action,
            implemented: self.implemented + other.implemented,
            open: self.open + other.open,
            overdue: self.overdue + other.overdue,
        }
    }
}

/// Referrals of one category to one authority, and what became of them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ReferralCounts {
    /// Referred in the semester.
    pub referred: u64,
    /// Acknowledged by the authority.
    pub acknowledged: u64,
    /// Proceedings opened.
    pub proceedings_opened: u64,
    /// A sanction imposed.
    pub sanction_imposed: u64,
    /// Closed without further action.
    pub no_further_action: u64,
    /// The authority declined jurisdiction.
    pub declined_jurisdiction: u64,
    /// No decision yet.
    pub awaiting_outcome: u64,
}

/// One line of the referrals table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct ReferralLine {
    /// The category.
    pub category: CorruptionCategory,
    /// The authority.
    pub authority: OrganisationId,
    /// The counts.
    pub counts: ReferralCounts,
}

/// The satisfaction index of one service point.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct ServicePointSatisfaction {
    /// Where the point is (`None` if the point is not in the register).
    pub governorate: Option<Governorate>,
    /// Its responses and index.
    pub index: Average,
}

/// The semester activity report (see the [module docs](self) for every rule).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SemesterReport {
    /// The year.
    pub year: i32,
    /// The semester.
    pub semester: Semester,
    /// Its days.
    pub period: Period,
    /// The last event of the log included.
    pub as_of: Cursor,
    /// Visits in all.
    pub visits: VisitCounts,
    /// Visits per governorate (only governorates with visits).
    pub visits_by_governorate: BTreeMap<Governorate, VisitCounts>,
    /// The mean score of all accepted visits.
    pub score: Average,
    /// Per inspected body.
    pub scores_by_body: BTreeMap<OrganisationId, Average>,
    /// Per theme.
    pub scores_by_theme: BTreeMap<Theme, Average>,
    /// Findings per class (every class, zero included).
    pub findings: BTreeMap<FindingClass, FindingCounts>,
    /// Findings in all.
    pub findings_total: FindingCounts,
    /// Referrals, by category (in the order of the department's page) then authority.
    pub referrals: Vec<ReferralLine>,
    /// Coverage of the active points.
    pub coverage: Coverage,
    /// The target.
    pub coverage_target: Percentage,
    /// The satisfaction index of all responses.
    pub satisfaction: Average,
    /// Per service point.
    pub satisfaction_by_service_point: BTreeMap<ServicePointId, ServicePointSatisfaction>,
}

/// Why the report could not be computed.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The log could not be read.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// An event could not be folded.
    #[error("event at position {position}: {source}")]
    Event {
        /// Its position.
        position: i64,
        /// Why.
        #[source]
        source: ProjectionError,
    },
    /// The year is beyond the calendar.
    #[error("year {0} is out of range")]
    YearOutOfRange(i32),
}

/// The semester report of `params`, folded from `log` up to `as_of` (its head now when
/// `None`, and never past it), with its document in `params.language`. The report's and
/// the document's `as_of` is the cursor actually reached: computing again from it gives
/// the same report whatever was appended since. `calendar` gives local dates.
pub async fn semester_report(
    log: &GlobalLog,
    calendar: &HolidayCalendar,
    params: &SemesterParams,
    as_of: Option<Cursor>,
) -> Result<(SemesterReport, ReportDocument), ReportError> {
    let period = params
        .semester
        .period(params.year)
        .ok_or(ReportError::YearOutOfRange(params.year))?;
    // A cursor past the head would take in events appended after this computation.
    let head = log.head().await?;
    let until = as_of.map_or(head, |wanted| wanted.min(head));
    let mut fold = Fold::new(calendar, period);
    let mut cursor = Cursor::START;
    loop {
        let events = log
            .read_types(cursor, Some(until), &AGGREGATE_TYPES, BATCH)
            .await?;
        let Some(last) = events.last() else {
            break;
        };
        cursor = last.cursor();
        for event in &events {
            fold.apply(event).map_err(|source| ReportError::Event {
                position: event.position,
                source,
            })?;
        }
    }
    let report = fold.finish(params, until);
    let document = document(&report, params.language, Utc::now());
    Ok((report, document))
}

struct PointFacts {
    point: ServicePointRef,
    registered_on: NaiveDate,
    retired_on: Option<NaiveDate>,
}

struct VisitFacts {
    point: ServicePointRef,
    planned_on: NaiveDate,
    cancelled_on: Option<NaiveDate>,
    occurred_on: Option<NaiveDate>,
    accepted: Option<ScoreCard>,
}

struct FindingFacts {
    class: FindingClass,
    /// The local date of the visit, from its report.
    occurred_on: NaiveDate,
    /// The latest promised date.
    due_on: Option<NaiveDate>,
    implemented: bool,
}

struct ReferralFacts {
    category: CorruptionCategory,
    authority: OrganisationId,
    referred_on: NaiveDate,
    acknowledged: bool,
    outcome: Option<ReferralOutcome>,
}

/// What the report needs of the log, gathered event by event.
struct Fold<'c> {
    calendar: &'c HolidayCalendar,
    period: Period,
    points: BTreeMap<ServicePointId, PointFacts>,
    visits: BTreeMap<VisitId, VisitFacts>,
    findings: BTreeMap<FindingId, FindingFacts>,
    referrals: BTreeMap<ReferralId, ReferralFacts>,
    /// Responses of the period only.
    satisfaction: BTreeMap<ServicePointId, Tally>,
}

/// The entry of `key`, which an earlier event of its stream created.
fn known<'m, K: Ord + Display, V>(
    map: &'m mut BTreeMap<K, V>,
    key: &K,
) -> Result<&'m mut V, ProjectionError> {
    map.get_mut(key)
        .ok_or_else(|| ProjectionError::Invalid(format!("{key} is unknown before this event")))
}

impl<'c> Fold<'c> {
    fn new(calendar: &'c HolidayCalendar, period: Period) -> Self {
        Self {
            calendar,
            period,
            points: BTreeMap::new(),
            visits: BTreeMap::new(),
            findings: BTreeMap::new(),
            referrals: BTreeMap::new(),
            satisfaction: BTreeMap::new(),
        }
    }

    fn local(&self, instant: DateTime<Utc>) -> NaiveDate {
        self.calendar.local_date(instant)
    }

    fn apply(&mut self, event: &RecordedEvent) -> Result<(), ProjectionError> {
        match WatcherEvent::decode(event)? {
            Some(WatcherEvent::ServicePoint(e)) => self.point(stream_id(event)?, e),
            Some(WatcherEvent::Visit(e)) => self.visit(stream_id(event)?, e),
            Some(WatcherEvent::Referral(e)) => self.referral(stream_id(event)?, e),
            Some(WatcherEvent::Survey(e)) => {
                self.survey(e);
                Ok(())
            }
            None => Ok(()),
        }
    }

    fn point(
        &mut self,
        id: ServicePointId,
        event: ServicePointEvent,
    ) -> Result<(), ProjectionError> {
        match event {
            ServicePointEvent::ServicePointRegistered {
                point,
                registered_at,
                ..
            } => {
                let registered_on = self.local(registered_at);
                self.points.insert(
                    id,
                    PointFacts {
                        point,
                        registered_on,
                        retired_on: None,
                    },
                );
            }
            ServicePointEvent::ServicePointRetired { retired_at, .. } => {
                let retired_on = self.local(retired_at);
                known(&mut self.points, &id)?.retired_on = Some(retired_on);
            }
        }
        Ok(())
    }

    fn visit(&mut self, id: VisitId, event: VisitEvent) -> Result<(), ProjectionError> {
        match event {
            VisitEvent::VisitPlanned {
                assignment,
                planned_at,
                ..
            } => {
                let planned_on = self.local(planned_at);
                self.visits.insert(
                    id,
                    VisitFacts {
                        point: assignment.service_point,
                        planned_on,
                        cancelled_on: None,
                        occurred_on: None,
                        accepted: None,
                    },
                );
            }
            VisitEvent::VisitRecorded { occurred_at, .. } => {
                let occurred_on = self.local(occurred_at);
                known(&mut self.visits, &id)?.occurred_on = Some(occurred_on);
            }
            VisitEvent::VisitAccepted { score, .. } => {
                known(&mut self.visits, &id)?.accepted = Some(score);
            }
            VisitEvent::VisitCancelled { cancelled_at, .. } => {
                let cancelled_on = self.local(cancelled_at);
                known(&mut self.visits, &id)?.cancelled_on = Some(cancelled_on);
            }
            VisitEvent::ReportSent { report } => {
                for finding in report.findings {
                    self.findings.insert(
                        finding.finding,
                        FindingFacts {
                            class: FindingClass::of(finding.kind),
                            occurred_on: report.occurred_on,
                            due_on: None,
                            implemented: false,
                        },
                    );
                }
            }
            VisitEvent::CorrectiveActionProposed {
                finding, due_on, ..
            } => known(&mut self.findings, &finding)?.due_on = Some(due_on),
            VisitEvent::FindingVerified {
                finding, outcome, ..
            } => {
                let facts = known(&mut self.findings, &finding)?;
                facts.implemented |= outcome == VerificationOutcome::Implemented;
            }
            VisitEvent::EvidenceAttached { .. }
            | VisitEvent::FindingRecorded { .. }
            | VisitEvent::VisitSubmitted { .. }
            | VisitEvent::VisitSentBack { .. } => {}
        }
        Ok(())
    }

    fn referral(&mut self, id: ReferralId, event: ReferralEvent) -> Result<(), ProjectionError> {
        match event {
            ReferralEvent::FindingReferred {
                category,
                authority,
                referred_at,
                ..
            } => {
                let referred_on = self.local(referred_at);
                self.referrals.insert(
                    id,
                    ReferralFacts {
                        category,
                        authority,
                        referred_on,
                        acknowledged: false,
                        outcome: None,
                    },
                );
            }
            ReferralEvent::ReferralAcknowledged { .. } => {
                known(&mut self.referrals, &id)?.acknowledged = true;
            }
            ReferralEvent::ReferralOutcomeRecorded { outcome, .. } => {
                known(&mut self.referrals, &id)?.outcome = Some(outcome);
            }
        }
        Ok(())
    }

    fn survey(&mut self, event: SurveyEvent) {
        if let SurveyEvent::ResponseRecorded {
            service_point,
            responded_on,
            satisfaction,
            ..
        } = event
            && self.period.contains(responded_on)
        {
            self.satisfaction
                .entry(service_point)
                .or_default()
                .add(satisfaction);
        }
    }

    /// The findings of the semester's reports, by class (every class present).
    fn findings(&self) -> BTreeMap<FindingClass, FindingCounts> {
        let period = self.period;
        let mut findings: BTreeMap<FindingClass, FindingCounts> = FindingClass::ALL
            .into_iter()
            .map(|class| (class, FindingCounts::default()))
            .collect();
        for finding in self
            .findings
            .values()
            .filter(|f| period.contains(f.occurred_on))
        {
            let open = !finding.implemented;
            let counts = findings.entry(finding.class).or_default();
            *counts = *counts
                + FindingCounts {
                    findings: 1,
                    with_action: u64::from(finding.due_on.is_some()),
                    implemented: u64::from(finding.implemented),
                    open: u64::from(open),
                    overdue: u64::from(
                        open && finding.due_on.is_some_and(|due| due <= period.ends_on),
                    ),
                };
        }
        findings
    }

    /// The referrals sent in the semester, by category (page order) then authority.
    fn referrals(&self) -> Vec<ReferralLine> {
        let mut lines: BTreeMap<(u8, OrganisationId), ReferralLine> = BTreeMap::new();
        for referral in self
            .referrals
            .values()
            .filter(|r| self.period.contains(r.referred_on))
        {
            let line = lines
                .entry((category_rank(referral.category), referral.authority))
                .or_insert(ReferralLine {
                    category: referral.category,
                    authority: referral.authority,
                    counts: ReferralCounts::default(),
                });
            let counts = &mut line.counts;
            counts.referred += 1;
            counts.acknowledged += u64::from(referral.acknowledged);
            *match referral.outcome {
                None => &mut counts.awaiting_outcome,
                Some(ReferralOutcome::ProceedingsOpened) => &mut counts.proceedings_opened,
                Some(ReferralOutcome::SanctionImposed) => &mut counts.sanction_imposed,
                Some(ReferralOutcome::NoFurtherAction) => &mut counts.no_further_action,
                Some(ReferralOutcome::DeclinedJurisdiction) => &mut counts.declined_jurisdiction,
            } += 1;
        }
        lines.into_values().collect()
    }

    fn finish(self, params: &SemesterParams, as_of: Cursor) -> SemesterReport {
        let period = self.period;
        let within = |day: NaiveDate| period.contains(day);

        let mut visits_by_governorate: BTreeMap<Governorate, VisitCounts> = BTreeMap::new();
        let mut score = Tally::default();
        let mut scores_by_body: BTreeMap<OrganisationId, Tally> = BTreeMap::new();
        let mut scores_by_theme: BTreeMap<Theme, Tally> = BTreeMap::new();
        let mut visited = BTreeSet::new();
        for visit in self.visits.values() {
            let carried_out = visit.occurred_on.is_some_and(within);
            let accepted = visit.accepted.as_ref().filter(|_| carried_out);
            let counts = VisitCounts {
                planned: u64::from(within(visit.planned_on)),
                cancelled: u64::from(visit.cancelled_on.is_some_and(within)),
                carried_out: u64::from(carried_out),
                accepted: u64::from(accepted.is_some()),
            };
            if counts == VisitCounts::default() {
                continue;
            }
            let entry = visits_by_governorate
                .entry(visit.point.governorate)
                .or_default();
            *entry = *entry + counts;
            if let Some(card) = accepted {
                visited.insert(visit.point.id);
                score.add(card.score);
                scores_by_body
                    .entry(visit.point.organisation)
                    .or_default()
                    .add(card.score);
                for theme in &card.themes {
                    scores_by_theme
                        .entry(theme.theme)
                        .or_default()
                        .add(theme.score);
                }
            }
        }

        let findings = self.findings();
        let referrals = self.referrals();
        let active = self.points.values().filter(|p| {
            p.registered_on <= period.ends_on && p.retired_on.is_none_or(|r| r > period.ends_on)
        });
        let coverage = watcher::coverage(active.map(|p| &p.point), &visited);

        let satisfaction = self
            .satisfaction
            .values()
            .fold(Tally::default(), |all, tally| all.merge(*tally));

        SemesterReport {
            year: params.year,
            semester: params.semester,
            period,
            as_of,
            visits: visits_by_governorate
                .values()
                .fold(VisitCounts::default(), |all, counts| all + *counts),
            visits_by_governorate,
            score: score.into(),
            scores_by_body: averages(scores_by_body),
            scores_by_theme: averages(scores_by_theme),
            findings_total: findings
                .values()
                .fold(FindingCounts::default(), |all, counts| all + *counts),
            findings,
            referrals,
            coverage,
            coverage_target: params.coverage_target,
            satisfaction: satisfaction.into(),
            satisfaction_by_service_point: self
                .satisfaction
                .into_iter()
                .map(|(point, tally)| {
                    let governorate = self.points.get(&point).map(|p| p.point.governorate);
                    let index = tally.into();
                    (point, ServicePointSatisfaction { governorate, index })
                })
                .collect(),
        }
    }
}

fn averages<K: Ord>(tallies: BTreeMap<K, Tally>) -> BTreeMap<K, Average> {
    tallies
        .into_iter()
        .map(|(key, tally)| (key, tally.into()))
        .collect()
}

/// The order of the categories on the department's page (legal text 004).
fn category_rank(category: CorruptionCategory) -> u8 {
    match category {
        CorruptionCategory::Extortion => 0,
        CorruptionCategory::Unfairness => 1,
        CorruptionCategory::AbuseOfInfluence => 2,
        CorruptionCategory::BreachOfEquality => 3,
        CorruptionCategory::BreachOfIntegrity => 4,
        CorruptionCategory::BreachOfTransparency => 5,
    }
}
