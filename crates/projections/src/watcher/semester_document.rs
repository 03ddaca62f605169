//! The semester report as a [`ReportDocument`]: its tables, labelled in the report's
//! language, rendered to JSON, CSV and HTML by [`crate::report`].

use chrono::{DateTime, Utc};
use watcher::{Percentage, Share};

use super::labels::{self, Label, SectionLabels};
use super::satisfaction::Average;
use super::semester::{FindingClass, FindingCounts, Language, SemesterReport, VisitCounts};
use crate::report::{Cell, ReportDocument, Section};

/// The report's document kind.
pub(crate) const KIND: &str = "watcher-semester";

/// The document of `report`, labelled in `language`.
pub(crate) fn document(
    report: &SemesterReport,
    language: Language,
    generated_at: DateTime<Utc>,
) -> ReportDocument {
    let text = |label: Label| Cell::from(label.get(language));
    let section = |labels: SectionLabels, rows: Vec<Vec<Cell>>| Section {
        id: labels.id.to_owned(),
        title: labels.title.get(language).to_owned(),
        columns: labels
            .columns
            .iter()
            .map(|column| {
                column
                    .get(language)
                    .replace("{date}", &report.period.ends_on.to_string())
            })
            .collect(),
        rows,
        notes: labels
            .notes
            .iter()
            .map(|note| note.get(language).to_owned())
            .collect(),
    };
    let visit_row = |name: Cell, counts: &VisitCounts| {
        vec![
            name,
            counts.planned.into(),
            counts.cancelled.into(),
            counts.carried_out.into(),
            counts.accepted.into(),
        ]
    };
    let average_row =
        |name: Cell, average: &Average| vec![name, average.count.into(), points(average.mean)];
    let finding_row = |name: Cell, counts: &FindingCounts| {
        vec![
            name,
            counts.findings.into(),
            counts.with_action.into(),
            counts.implemented.into(),
            counts.open.into(),
            counts.overdue.into(),
        ]
    };
    let coverage_row = |name: Cell, share: &Share| {
        let met = if share.meets(report.coverage_target) {
            labels::YES
        } else {
            labels::NO
        };
        vec![
            name,
            share.total.into(),
            share.covered.into(),
            points(share.rate()),
            points(Some(report.coverage_target)),
            text(met),
        ]
    };

    let visits = report
        .visits_by_governorate
        .iter()
        .map(|(governorate, counts)| visit_row(text(labels::governorate(*governorate)), counts))
        .chain([visit_row(text(labels::TOTAL), &report.visits)])
        .collect();
    let by_body = report
        .scores_by_body
        .iter()
        .map(|(body, average)| average_row(body.to_string().into(), average))
        .chain([average_row(text(labels::ALL), &report.score)])
        .collect();
    let by_theme = report
        .scores_by_theme
        .iter()
        .map(|(theme, average)| average_row(text(labels::theme(*theme)), average))
        .collect();
    let findings = FindingClass::ALL
        .iter()
        .map(|class| {
            let counts = report.findings.get(class).copied().unwrap_or_default();
            finding_row(text(labels::finding_class(*class)), &counts)
        })
        .chain([finding_row(text(labels::TOTAL), &report.findings_total)])
        .collect();
    let referrals = report
        .referrals
        .iter()
        .map(|line| {
            let counts = &line.counts;
            vec![
                text(labels::category(line.category)),
                line.authority.to_string().into(),
                counts.referred.into(),
                counts.acknowledged.into(),
                counts.proceedings_opened.into(),
                counts.sanction_imposed.into(),
                counts.no_further_action.into(),
                counts.declined_jurisdiction.into(),
                counts.awaiting_outcome.into(),
            ]
        })
        .collect();
    let coverage = [coverage_row(text(labels::ALL), &report.coverage.overall)]
        .into_iter()
        .chain(
            report
                .coverage
                .by_governorate
                .iter()
                .map(|(governorate, share)| {
                    coverage_row(text(labels::governorate(*governorate)), share)
                }),
        )
        .collect();
    let satisfaction = [vec![
        text(labels::ALL),
        Cell::Empty,
        report.satisfaction.count.into(),
        points(report.satisfaction.mean),
    ]]
    .into_iter()
    .chain(
        report
            .satisfaction_by_service_point
            .iter()
            .map(|(point, satisfaction)| {
                vec![
                    point.to_string().into(),
                    satisfaction
                        .governorate
                        .map_or(Cell::Empty, |g| text(labels::governorate(g))),
                    satisfaction.index.count.into(),
                    points(satisfaction.index.mean),
                ]
            }),
    )
    .collect();

    let semester = labels::semester(report.semester).get(language);
    ReportDocument {
        kind: KIND.to_owned(),
        title: labels::TITLE
            .get(language)
            .replace("{semester}", semester)
            .replace("{year}", &report.year.to_string()),
        language: language.code().to_owned(),
        period_start: Some(report.period.starts_on),
        period_end: Some(report.period.ends_on),
        as_of: report.as_of,
        generated_at,
        sections: vec![
            section(labels::VISITS, visits),
            section(labels::SCORES_BY_BODY, by_body),
            section(labels::SCORES_BY_THEME, by_theme),
            section(labels::FINDINGS, findings),
            section(labels::REFERRALS, referrals),
            section(labels::COVERAGE, coverage),
            section(labels::SATISFACTION, satisfaction),
        ],
    }
}

/// A percentage in points with two decimals (from basis points), or nothing.
fn points(value: Option<Percentage>) -> Cell {
    value.map_or(Cell::Empty, |p| {
        Cell::Decimal(f64::from(p.basis_points()) / 100.0)
    })
}
