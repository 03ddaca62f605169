//! The e-Moatinet performance report: per handling organisation (Citizen Relations Offices
//! and the Central Bureau) and per structure, for a period, reproducible from a position of
//! the global log.
//!
//! # How it is computed
//!
//! The report folds the `CitizenFile` events of the log up to a cursor (`as_of`; by default
//! the head when it starts), each file with the same fold as the read models
//! ([`FileDetail`]). Only what happened **before the end of the period** counts, dated as
//! the domain dates it (the receipt time for receipts, the act's time otherwise): a file's
//! stream stops at its first event dated after the period, so the report shows the files as
//! they stood at the end of the period. The period runs from the start of its first day to
//! the end of its last day, local days of the legal calendar's time zone (Africa/Tunis).
//! Computed again with the returned `as_of`, it gives the same report, whatever was
//! appended since (a file registered late with a receipt date in the period changes the
//! report only for a later cursor).
//!
//! # Definitions
//!
//! Handling organisations (the organisation that studies the file):
//!
//! - **received**: files received during the period, by kind, by channel, and by state at
//!   the end of the period;
//! - **answered**: answers signed during the period (a contested file answered again counts
//!   twice); **within the deadline** as the `AnswerSigned` event says (the domain compared
//!   the signature with the reply deadline, pauses and extensions included), with its share
//!   of the answers;
//! - **delay**: from the moment the reply became owed (the receipt, or the contest a second
//!   answer replies to) to the signature, in whole hours (a started hour does not count),
//!   shown in days (hours / 24); **median** and **90th percentile** by the nearest-rank
//!   method (the value of rank ⌈p × n⌉ of the n delays in increasing order; no
//!   interpolation, so each is a delay that occurred);
//! - **overdue**: files, whatever their receipt date, whose reply, or e-mail first response,
//!   was owed and past due at the end of the period;
//! - **transfers**: referrals it made during the period; **returns**: referrals returned to
//!   it as not competent during the period;
//! - **satisfaction**: ratings given during the period, their number and average (1 to 5);
//! - **reopenings**: answers contested during the period.
//!
//! Structures (organisations files are referred to):
//!
//! - **received**: referrals made to it during the period, by the file's kind and channel,
//!   and by the referral's state at the end of the period;
//! - **answered**, **within the deadline**, **delay**: its replies during the period, against
//!   the referral's deadline, delay from the referral to the reply;
//! - **overdue**: referrals waiting for its reply and past due at the end of the period;
//! - **returns**: referrals it returned during the period. Satisfaction and reopenings rate
//!   the handling organisation's answer and are not attributed to structures.
//!
//! Rows are ordered by role (handling organisations, then structures), then organisation
//! id; counts by kind, channel and state list non-zero counts in the lists' declared order.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use citizen_file::{Channel, FileKind, ReferralStatus};
use event_store::{Cursor, GlobalLog, StoreError};
use kernel::OrganisationId;
use kernel::calendar::{CalendarError, HolidayCalendar};
use serde::{Deserialize, Serialize};

use super::detail::{FileDetail, FileState, FoldError, ReferralOutcome, event_time};
use super::labels::ReportLanguage;
use super::sql::CITIZEN_FILE;
use crate::report::{Cell, ReportDocument, Section};

/// Events read per round trip.
const BATCH: u32 = 1_000;

/// `ReportDocument::kind` of this report.
pub const PERFORMANCE_REPORT: &str = "e-moatinet-performance";

const KINDS: [FileKind; 4] = [
    FileKind::Petition,
    FileKind::GuidanceRequest,
    FileKind::Suggestion,
    FileKind::Notification,
];

const CHANNELS: [Channel; 6] = [
    Channel::Online,
    Channel::Counter,
    Channel::Mail,
    Channel::Phone,
    Channel::Fax,
    Channel::Email,
];

const REFERRAL_STATES: [ReferralStatus; 4] = [
    ReferralStatus::Pending,
    ReferralStatus::Acknowledged,
    ReferralStatus::Replied,
    ReferralStatus::Returned,
];

/// What to report on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PerformanceParams {
    /// First day, inclusive (local day).
    pub period_start: NaiveDate,
    /// Last day, inclusive (local day).
    pub period_end: NaiveDate,
    /// The labels' language.
    pub language: ReportLanguage,
    /// Only this organisation's rows (as handling organisation or as structure).
    #[serde(default)]
    pub organisation: Option<OrganisationId>,
}

/// Why the report could not be computed.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The period ends before it starts.
    #[error("the period ends ({end}) before it starts ({start})")]
    EmptyPeriod {
        /// First day.
        start: NaiveDate,
        /// Last day.
        end: NaiveDate,
    },
    /// A day of the period has no local midnight in the calendar's time zone.
    #[error("period boundary: {0}")]
    Calendar(#[from] CalendarError),
    /// Reading the log failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// An event could not be decoded.
    #[error("cannot decode event at position {position}: {source}")]
    Decode {
        /// Its position.
        position: i64,
        /// Why.
        source: serde_json::Error,
    },
    /// A file's history cannot be folded.
    #[error("cannot fold the event at position {position}: {source}")]
    Fold {
        /// Its position.
        position: i64,
        /// Why.
        source: FoldError,
    },
}

/// How many of one value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Tally<T> {
    /// The value.
    pub value: T,
    /// How many.
    pub count: u64,
}

/// A delay, in whole hours.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Delay {
    /// Whole hours.
    pub hours: i64,
}

impl Delay {
    /// In days, with hours precision.
    pub fn days(self) -> f64 {
        // Delays are far below 2^53 hours: the conversion is exact.
        self.hours as f64 / 24.0
    }
}

/// Answers (or a structure's replies) and how fast they came.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AnswerStats {
    /// How many.
    pub answered: u64,
    /// Of which within their deadline.
    pub within_deadline: u64,
    /// `within_deadline / answered`, from 0 to 1; none without answers.
    pub within_deadline_share: Option<f64>,
    /// Median delay (nearest rank).
    pub median_delay: Option<Delay>,
    /// 90th-percentile delay (nearest rank).
    pub p90_delay: Option<Delay>,
}

/// Ratings of answers.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Satisfaction {
    /// How many ratings.
    pub ratings: u64,
    /// Their average, from 1 to 5; none without ratings.
    pub average: Option<f64>,
}

/// A handling organisation's figures.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HandlingPerformance {
    /// The organisation.
    pub organisation: OrganisationId,
    /// Files received during the period.
    pub received: u64,
    /// Those files by kind.
    pub by_kind: Vec<Tally<FileKind>>,
    /// By channel.
    pub by_channel: Vec<Tally<Channel>>,
    /// By state at the end of the period.
    pub by_state: Vec<Tally<FileState>>,
    /// Answers signed during the period.
    pub answers: AnswerStats,
    /// Files overdue at the end of the period.
    pub overdue: u64,
    /// Referrals made during the period.
    pub transfers: u64,
    /// Referrals returned to it during the period.
    pub returns: u64,
    /// Ratings given during the period.
    pub satisfaction: Satisfaction,
    /// Answers contested during the period.
    pub reopenings: u64,
}

/// A structure's figures.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StructurePerformance {
    /// The structure.
    pub organisation: OrganisationId,
    /// Referrals made to it during the period.
    pub received: u64,
    /// Those referrals by the file's kind.
    pub by_kind: Vec<Tally<FileKind>>,
    /// By the file's channel.
    pub by_channel: Vec<Tally<Channel>>,
    /// By the referral's state at the end of the period.
    pub by_state: Vec<Tally<ReferralStatus>>,
    /// Its replies during the period.
    pub replies: AnswerStats,
    /// Referrals overdue at the end of the period.
    pub overdue: u64,
    /// Referrals it returned during the period.
    pub returns: u64,
}

/// The report, typed (the JSON of the API).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PerformanceReport {
    /// First day, inclusive.
    pub period_start: NaiveDate,
    /// Last day, inclusive.
    pub period_end: NaiveDate,
    /// The last event of the log it includes.
    pub as_of: Cursor,
    /// Handling organisations, by id.
    pub handling: Vec<HandlingPerformance>,
    /// Structures, by id.
    pub structures: Vec<StructurePerformance>,
}

/// The period as instants: `[start, end)`.
#[derive(Clone, Copy, Debug)]
struct Period {
    start: DateTime<Utc>,
    end: DateTime<Utc>,
}

impl Period {
    fn contains(self, at: DateTime<Utc>) -> bool {
        self.start <= at && at < self.end
    }
}

/// Computes the performance report over `log` up to `as_of` (the head at call time when
/// `None`), with period boundaries in `calendar`'s time zone; returns it typed and as a
/// document. The document's `as_of` is the cursor reached: computing again with it gives
/// the same report.
pub async fn performance_report(
    log: &GlobalLog,
    calendar: &HolidayCalendar,
    params: &PerformanceParams,
    as_of: Option<Cursor>,
) -> Result<(PerformanceReport, ReportDocument), ReportError> {
    if params.period_end < params.period_start {
        return Err(ReportError::EmptyPeriod {
            start: params.period_start,
            end: params.period_end,
        });
    }
    let period = Period {
        start: calendar.start_of_day(params.period_start)?,
        end: calendar.start_of_day(params.period_end.succ_opt().unwrap_or(NaiveDate::MAX))?,
    };
    let until = match as_of {
        Some(cursor) => cursor,
        None => log.head().await?,
    };
    let files = files_at_end(log, period, until).await?;
    let report = PerformanceReport {
        period_start: params.period_start,
        period_end: params.period_end,
        as_of: until,
        handling: handling(&files, period, params.organisation),
        structures: structures(&files, period, params.organisation),
    };
    let document = document(&report, params.language);
    Ok((report, document))
}

/// Every file that can count in the period, as it stood at the end of the period, by the
/// log up to `until`.
async fn files_at_end(
    log: &GlobalLog,
    period: Period,
    until: Cursor,
) -> Result<Vec<FileDetail>, ReportError> {
    let mut files: HashMap<String, FileDetail> = HashMap::new();
    // Streams read far enough: their next event is dated after the period (what follows
    // belongs to a later period), or they were closed or merged before it started (nothing
    // can happen to them any more, so they cannot count; dropping them keeps the fold's
    // memory to the files the period may involve).
    let mut done: HashSet<String> = HashSet::new();
    let mut cursor = Cursor::START;
    loop {
        let events = log
            .read_types(cursor, Some(until), &[CITIZEN_FILE], BATCH)
            .await?;
        let Some(last) = events.last() else {
            break;
        };
        cursor = last.cursor();
        for recorded in &events {
            if done.contains(&recorded.aggregate_id) {
                continue;
            }
            let event = recorded.decode().map_err(|source| ReportError::Decode {
                position: recorded.position,
                source,
            })?;
            if event_time(&event) >= period.end {
                done.insert(recorded.aggregate_id.clone());
                continue;
            }
            let before = files.remove(&recorded.aggregate_id);
            let after = FileDetail::fold(before, &event).map_err(|source| ReportError::Fold {
                position: recorded.position,
                source,
            })?;
            if after.ended_at.is_some_and(|at| at < period.start) {
                done.insert(recorded.aggregate_id.clone());
            } else {
                files.insert(recorded.aggregate_id.clone(), after);
            }
        }
    }
    Ok(files.into_values().collect())
}

/// Counts of values, in the order of `all`, non-zero only.
fn tally<T: Copy + PartialEq>(all: &[T], values: impl IntoIterator<Item = T>) -> Vec<Tally<T>> {
    let mut counts = vec![0u64; all.len()];
    for value in values {
        if let Some(index) = all.iter().position(|v| *v == value) {
            counts[index] += 1;
        }
    }
    all.iter()
        .zip(counts)
        .filter(|(_, count)| *count > 0)
        .map(|(value, count)| Tally {
            value: *value,
            count,
        })
        .collect()
}

/// An answer (or reply) of the period: how long it took, and whether in time.
#[derive(Clone, Copy, Debug)]
struct Answered {
    delay: Delay,
    within_deadline: bool,
}

impl Answered {
    fn new(owed_since: DateTime<Utc>, at: DateTime<Utc>, within_deadline: bool) -> Self {
        Self {
            delay: Delay {
                hours: (at - owed_since).num_hours().max(0),
            },
            within_deadline,
        }
    }
}

/// The value of rank ⌈percent × n / 100⌉ (1-based) of `sorted`.
fn nearest_rank(sorted: &[Delay], percent: usize) -> Option<Delay> {
    let rank = (percent * sorted.len()).div_ceil(100).max(1);
    sorted.get(rank - 1).copied()
}

fn ratio(part: u64, whole: u64) -> Option<f64> {
    // Counts are far below 2^53: the conversions are exact.
    (whole > 0).then(|| part as f64 / whole as f64)
}

fn answer_stats(answers: &[Answered]) -> AnswerStats {
    let mut delays: Vec<Delay> = answers.iter().map(|a| a.delay).collect();
    delays.sort_unstable();
    let answered = answers.len() as u64;
    let within_deadline = answers.iter().filter(|a| a.within_deadline).count() as u64;
    AnswerStats {
        answered,
        within_deadline,
        within_deadline_share: ratio(within_deadline, answered),
        median_delay: nearest_rank(&delays, 50),
        p90_delay: nearest_rank(&delays, 90),
    }
}

/// What a handling organisation did, gathered file by file.
#[derive(Default)]
struct HandlingFacts<'a> {
    received: Vec<&'a FileDetail>,
    answers: Vec<Answered>,
    overdue: u64,
    transfers: u64,
    returns: u64,
    stars: Vec<u8>,
    reopenings: u64,
}

fn handling(
    files: &[FileDetail],
    period: Period,
    only: Option<OrganisationId>,
) -> Vec<HandlingPerformance> {
    let mut by_organisation: BTreeMap<OrganisationId, HandlingFacts<'_>> = BTreeMap::new();
    for file in files {
        let facts = by_organisation.entry(file.handled_by).or_default();
        if period.contains(file.received_at) {
            facts.received.push(file);
        }
        facts.answers.extend(
            file.answers
                .iter()
                .filter(|a| period.contains(a.at))
                .map(|a| Answered::new(a.owed_since, a.at, a.within_deadline)),
        );
        facts.overdue += u64::from(file.handling_overdue_at(period.end));
        for referral in &file.referrals {
            facts.transfers += u64::from(period.contains(referral.at));
            let returned = matches!(&referral.outcome,
                Some(ReferralOutcome::Returned { at, .. }) if period.contains(*at));
            facts.returns += u64::from(returned);
        }
        facts.stars.extend(
            file.ratings
                .iter()
                .filter(|r| period.contains(r.at))
                .map(|r| r.stars),
        );
        facts.reopenings += file
            .contested_at
            .iter()
            .filter(|at| period.contains(**at))
            .count() as u64;
    }
    by_organisation
        .into_iter()
        .filter(|(organisation, _)| only.is_none_or(|o| o == *organisation))
        .map(|(organisation, facts)| {
            let ratings = facts.stars.len() as u64;
            let total: u64 = facts.stars.iter().map(|s| u64::from(*s)).sum();
            HandlingPerformance {
                organisation,
                received: facts.received.len() as u64,
                by_kind: tally(&KINDS, facts.received.iter().map(|f| f.file_kind())),
                by_channel: tally(&CHANNELS, facts.received.iter().map(|f| f.channel)),
                by_state: tally(
                    &FileState::ALL,
                    facts.received.iter().map(|f| FileState::from(f.status)),
                ),
                answers: answer_stats(&facts.answers),
                overdue: facts.overdue,
                transfers: facts.transfers,
                returns: facts.returns,
                satisfaction: Satisfaction {
                    ratings,
                    average: ratio(total, ratings),
                },
                reopenings: facts.reopenings,
            }
        })
        .collect()
}

/// What a structure did, gathered referral by referral.
#[derive(Default)]
struct StructureFacts {
    received: Vec<(FileKind, Channel, ReferralStatus)>,
    replies: Vec<Answered>,
    overdue: u64,
    returns: u64,
}

fn structures(
    files: &[FileDetail],
    period: Period,
    only: Option<OrganisationId>,
) -> Vec<StructurePerformance> {
    let mut by_organisation: BTreeMap<OrganisationId, StructureFacts> = BTreeMap::new();
    for file in files {
        for referral in &file.referrals {
            let facts = by_organisation.entry(referral.to).or_default();
            if period.contains(referral.at) {
                facts
                    .received
                    .push((file.file_kind(), file.channel, referral.status));
            }
            match &referral.outcome {
                Some(ReferralOutcome::Replied {
                    at,
                    within_deadline,
                    ..
                }) if period.contains(*at) => {
                    facts
                        .replies
                        .push(Answered::new(referral.at, *at, *within_deadline));
                }
                Some(ReferralOutcome::Returned { at, .. }) if period.contains(*at) => {
                    facts.returns += 1;
                }
                Some(_) => {}
                None => {
                    let overdue =
                        referral.status.is_active() && referral.deadline.is_overdue_at(period.end);
                    facts.overdue += u64::from(overdue);
                }
            }
        }
    }
    by_organisation
        .into_iter()
        .filter(|(organisation, _)| only.is_none_or(|o| o == *organisation))
        .map(|(organisation, facts)| StructurePerformance {
            organisation,
            received: facts.received.len() as u64,
            by_kind: tally(&KINDS, facts.received.iter().map(|r| r.0)),
            by_channel: tally(&CHANNELS, facts.received.iter().map(|r| r.1)),
            by_state: tally(&REFERRAL_STATES, facts.received.iter().map(|r| r.2)),
            replies: answer_stats(&facts.replies),
            overdue: facts.overdue,
            returns: facts.returns,
        })
        .collect()
}

/// A figure rounded for display.
fn rounded(x: f64) -> Cell {
    Cell::Decimal((x * 100.0).round() / 100.0)
}

fn delay_cell(delay: Option<Delay>) -> Cell {
    delay.map_or(Cell::Empty, |d| rounded(d.days()))
}

/// The cells every row shares: answers and their delays.
fn answer_cells(stats: &AnswerStats) -> [Cell; 5] {
    [
        stats.answered.into(),
        stats.within_deadline.into(),
        stats
            .within_deadline_share
            .map_or(Cell::Empty, |s| rounded(s * 100.0)),
        delay_cell(stats.median_delay),
        delay_cell(stats.p90_delay),
    ]
}

/// Counts with their labels.
fn labelled<T: Copy>(
    tallies: &[Tally<T>],
    label: impl Fn(T) -> &'static str,
) -> Vec<(&'static str, u64)> {
    tallies.iter().map(|t| (label(t.value), t.count)).collect()
}

fn document(report: &PerformanceReport, language: ReportLanguage) -> ReportDocument {
    let l = language;
    let handling_role = l.pick("Bureau traitant", "جهة المعالجة");
    let structure_role = l.pick("Structure", "هيكل");
    let head = |rest: &[&str]| -> Vec<String> {
        [l.pick("Organisation", "الجهة"), l.pick("Rôle", "الصفة")]
            .iter()
            .chain(rest)
            .map(|s| (*s).to_owned())
            .collect()
    };
    let who = |organisation: OrganisationId, role: &str| -> [Cell; 2] {
        [organisation.to_string().into(), role.into()]
    };

    let mut summary = Vec::new();
    let mut by_kind = Vec::new();
    let mut by_channel = Vec::new();
    let mut by_state = Vec::new();
    let mut breakdown = |who: [Cell; 2],
                         kinds: Vec<(&str, u64)>,
                         channels: Vec<(&str, u64)>,
                         states: Vec<(&str, u64)>| {
        for (rows, counts) in [
            (&mut by_kind, kinds),
            (&mut by_channel, channels),
            (&mut by_state, states),
        ] {
            rows.extend(counts.into_iter().map(|(label, count)| {
                let mut row = who.to_vec();
                row.extend([label.into(), count.into()]);
                row
            }));
        }
    };
    for o in &report.handling {
        let mut row = who(o.organisation, handling_role).to_vec();
        row.push(o.received.into());
        row.extend(answer_cells(&o.answers));
        row.extend([
            o.overdue.into(),
            o.transfers.into(),
            o.returns.into(),
            o.satisfaction.ratings.into(),
            o.satisfaction.average.map_or(Cell::Empty, rounded),
            o.reopenings.into(),
        ]);
        summary.push(row);
        breakdown(
            who(o.organisation, handling_role),
            labelled(&o.by_kind, |k| l.kind(k)),
            labelled(&o.by_channel, |c| l.channel(c)),
            labelled(&o.by_state, |state| l.file_state(state)),
        );
    }
    for s in &report.structures {
        let mut row = who(s.organisation, structure_role).to_vec();
        row.push(s.received.into());
        row.extend(answer_cells(&s.replies));
        // Referrals reach a structure: transfers are the handling organisations' figure;
        // ratings and contests judge the handling organisation's answer.
        row.extend([
            s.overdue.into(),
            Cell::Empty,
            s.returns.into(),
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
        ]);
        summary.push(row);
        breakdown(
            who(s.organisation, structure_role),
            labelled(&s.by_kind, |k| l.kind(k)),
            labelled(&s.by_channel, |c| l.channel(c)),
            labelled(&s.by_state, |state| l.referral_state(state)),
        );
    }

    let count = l.pick("Nombre", "العدد");
    let section = |id: &str, title: &str, columns: Vec<String>, rows, notes: Vec<&str>| Section {
        id: id.to_owned(),
        title: title.to_owned(),
        columns,
        rows,
        notes: notes.into_iter().map(str::to_owned).collect(),
    };
    ReportDocument {
        kind: PERFORMANCE_REPORT.to_owned(),
        title: l
            .pick("Performance d'e-Moatinet", "أداء منظومة المواطن الإلكتروني")
            .to_owned(),
        language: l.code().to_owned(),
        period_start: Some(report.period_start),
        period_end: Some(report.period_end),
        as_of: report.as_of,
        generated_at: Utc::now(),
        sections: vec![
            section(
                "summary",
                l.pick("Synthèse", "الخلاصة"),
                head(&[
                    l.pick("Reçus", "الواردة"),
                    l.pick("Répondus", "المجاب عنها"),
                    l.pick("Dans le délai", "في الآجال"),
                    l.pick("Part dans le délai (%)", "نسبة الإجابة في الآجال (%)"),
                    l.pick("Délai médian (jours)", "الأجل الوسيط (أيام)"),
                    l.pick("Délai au 90e centile (jours)", "أجل المئين 90 (أيام)"),
                    l.pick("En retard", "متأخرة"),
                    l.pick("Transferts", "الإحالات"),
                    l.pick("Renvois", "الإرجاعات"),
                    l.pick("Évaluations", "التقييمات"),
                    l.pick("Note moyenne (1-5)", "معدل التقييم (1-5)"),
                    l.pick("Réouvertures", "الاعتراضات"),
                ]),
                summary,
                vec![
                    l.pick(
                        "Bureaux traitants : dossiers reçus dans la période ; réponses signées dans la période, délai depuis la réception (ou la contestation) ; en retard à la fin de la période.",
                        "جهات المعالجة: الملفات الواردة خلال الفترة؛ الإجابات الممضاة خلال الفترة والأجل منذ الاستلام (أو الاعتراض)؛ المتأخرة في نهاية الفترة.",
                    ),
                    l.pick(
                        "Structures : transmissions reçues dans la période ; réponses dans la période, délai depuis la transmission.",
                        "الهياكل: الإحالات الواردة خلال الفترة؛ الردود خلال الفترة والأجل منذ الإحالة.",
                    ),
                    l.pick(
                        "Délais en heures entières, affichés en jours ; médiane et 90e centile par la méthode du rang le plus proche.",
                        "الآجال بالساعات الكاملة معروضة بالأيام؛ الوسيط والمئين 90 بطريقة أقرب رتبة.",
                    ),
                ],
            ),
            section(
                "by-kind",
                l.pick("Par type", "حسب النوع"),
                head(&[l.pick("Type", "النوع"), count]),
                by_kind,
                Vec::new(),
            ),
            section(
                "by-channel",
                l.pick("Par canal", "حسب قناة الورود"),
                head(&[l.pick("Canal", "القناة"), count]),
                by_channel,
                Vec::new(),
            ),
            section(
                "by-state",
                l.pick("Par état à la fin de la période", "حسب الوضعية في نهاية الفترة"),
                head(&[l.pick("État", "الوضعية"), count]),
                by_state,
                Vec::new(),
            ),
        ],
    }
}
