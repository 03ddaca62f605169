//! Periodic reports as documents: one shape for every report, rendered as JSON, CSV and HTML.
//!
//! A report is computed from the global log up to a cursor (so that it can be reproduced
//! later from the same position) and turned into a [`ReportDocument`]: a title, the cursor
//! and period it covers, and sections holding a table each. The typed report (its own
//! struct) is kept next to it for JSON consumers.
//!
//! - JSON: the document as is (`serde`).
//! - CSV: [`ReportDocument::to_csv`] gives the whole report in long form
//!   (`section,row,column,value`: one file, nothing lost); [`ReportDocument::section_csv`]
//!   gives one section as a spreadsheet-shaped table.
//! - HTML: [`ReportDocument::to_html`], a standalone page (escaped, right-to-left when the
//!   report's language is Arabic), printable as is.

use askama::Template;
use chrono::{DateTime, NaiveDate, Utc};
use event_store::Cursor;
use serde::Serialize;

/// A value in a report cell.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Cell {
    /// Text.
    Text(String),
    /// A whole number.
    Integer(i64),
    /// A decimal number, already rounded for display.
    Decimal(f64),
    /// Nothing (not applicable, no data).
    Empty,
}

impl Cell {
    fn display(&self) -> String {
        match self {
            Self::Text(text) => text.clone(),
            Self::Integer(n) => n.to_string(),
            Self::Decimal(x) => format!("{x:.2}"),
            Self::Empty => String::new(),
        }
    }
}

impl From<&str> for Cell {
    fn from(text: &str) -> Self {
        Self::Text(text.to_owned())
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Self {
        Self::Text(text)
    }
}

impl From<i64> for Cell {
    fn from(n: i64) -> Self {
        Self::Integer(n)
    }
}

impl From<u64> for Cell {
    fn from(n: u64) -> Self {
        Self::Integer(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

impl From<usize> for Cell {
    fn from(n: usize) -> Self {
        Self::Integer(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

impl From<f64> for Cell {
    fn from(x: f64) -> Self {
        Self::Decimal(x)
    }
}

impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(value: Option<T>) -> Self {
        value.map_or(Self::Empty, Into::into)
    }
}

/// One table of a report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Section {
    /// Stable identifier (CSV exports, anchors).
    pub id: String,
    /// Heading.
    pub title: String,
    /// Column headings.
    pub columns: Vec<String>,
    /// Rows, each as long as `columns`.
    pub rows: Vec<Vec<Cell>>,
    /// Notes under the table (sources, assumptions).
    pub notes: Vec<String>,
}

/// A rendered-ready report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReportDocument {
    /// Which report (`committee-session`, `e-moatinet-performance`, `watcher-semester`).
    pub kind: String,
    /// Its title.
    pub title: String,
    /// `ar` or `fr`: the language of the labels (and the page direction).
    pub language: String,
    /// First day covered, inclusive.
    pub period_start: Option<NaiveDate>,
    /// Last day covered, inclusive.
    pub period_end: Option<NaiveDate>,
    /// The last event of the log the report includes: computing it again from this cursor
    /// gives the same report.
    pub as_of: Cursor,
    /// When it was computed (not part of what makes two computations equal).
    pub generated_at: DateTime<Utc>,
    /// The tables.
    pub sections: Vec<Section>,
}

/// A report could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// No section has that id.
    #[error("no section `{0}` in this report")]
    UnknownSection(String),
    /// CSV writing failed.
    #[error("csv: {0}")]
    Csv(#[from] csv::Error),
    /// The HTML template failed.
    #[error("html: {0}")]
    Html(#[from] askama::Error),
    /// The output was not UTF-8 (cannot happen with our inputs).
    #[error("encoding: {0}")]
    Encoding(String),
}

#[derive(Template)]
#[template(path = "report.html")]
struct HtmlReport<'a> {
    report: &'a ReportDocument,
    direction: &'static str,
    rows: Vec<HtmlSection<'a>>,
}

struct HtmlSection<'a> {
    section: &'a Section,
    rows: Vec<Vec<String>>,
}

impl ReportDocument {
    /// The whole report as CSV in long form: `section,row,column,value`.
    pub fn to_csv(&self) -> Result<String, RenderError> {
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.write_record(["section", "row", "column", "value"])?;
        for section in &self.sections {
            for (index, row) in section.rows.iter().enumerate() {
                for (column, cell) in section.columns.iter().zip(row) {
                    writer.write_record([
                        section.id.as_str(),
                        &(index + 1).to_string(),
                        column,
                        &cell.display(),
                    ])?;
                }
            }
        }
        finish(writer)
    }

    /// One section as a table: a header line, then a line per row.
    pub fn section_csv(&self, id: &str) -> Result<String, RenderError> {
        let section = self
            .sections
            .iter()
            .find(|s| s.id == id)
            .ok_or_else(|| RenderError::UnknownSection(id.to_owned()))?;
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.write_record(&section.columns)?;
        for row in &section.rows {
            writer.write_record(row.iter().map(Cell::display))?;
        }
        finish(writer)
    }

    /// A standalone HTML page.
    pub fn to_html(&self) -> Result<String, RenderError> {
        let page = HtmlReport {
            report: self,
            direction: if self.language == "ar" { "rtl" } else { "ltr" },
            rows: self
                .sections
                .iter()
                .map(|section| HtmlSection {
                    section,
                    rows: section
                        .rows
                        .iter()
                        .map(|row| row.iter().map(Cell::display).collect())
                        .collect(),
                })
                .collect(),
        };
        Ok(page.render()?)
    }
}

fn finish(writer: csv::Writer<Vec<u8>>) -> Result<String, RenderError> {
    let bytes = writer
        .into_inner()
        .map_err(|e| RenderError::Encoding(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| RenderError::Encoding(e.to_string()))
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn sample(language: &str) -> ReportDocument {
        ReportDocument {
            kind: "sample".into(),
            title: "Rapport <test> & co".into(),
            language: language.into(),
            period_start: NaiveDate::from_ymd_opt(2026, 1, 1),
            period_end: NaiveDate::from_ymd_opt(2026, 6, 30),
            as_of: Cursor {
                transaction: 7,
                position: 42,
            },
            generated_at: Utc.with_ymd_and_hms(2026, 7, 1, 8, 0, 0).unwrap(),
            sections: vec![Section {
                id: "by-kind".into(),
                title: "Par type".into(),
                columns: vec!["type".into(), "dossiers".into(), "délai moyen".into()],
                rows: vec![
                    vec!["pétition".into(), 12i64.into(), 4.5.into()],
                    vec!["a,b \"c\"".into(), 0i64.into(), Cell::Empty],
                ],
                notes: vec!["Source : journal".into()],
            }],
        }
    }

    #[test]
    fn long_csv_holds_every_cell_with_quoting() {
        let csv = sample("fr").to_csv().unwrap();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[0], "section,row,column,value");
        assert_eq!(lines[1], "by-kind,1,type,pétition");
        assert_eq!(lines[3], "by-kind,1,délai moyen,4.50");
        assert_eq!(lines[4], "by-kind,2,type,\"a,b \"\"c\"\"\"");
        assert_eq!(lines.len(), 7);
    }

    #[test]
    fn a_section_exports_as_a_spreadsheet_table() {
        let csv = sample("fr").section_csv("by-kind").unwrap();
        assert_eq!(csv.lines().next(), Some("type,dossiers,délai moyen"));
        assert_eq!(csv.lines().nth(1), Some("pétition,12,4.50"));
        assert!(matches!(
            sample("fr").section_csv("nope"),
            Err(RenderError::UnknownSection(_))
        ));
    }

    #[test]
    fn html_escapes_text_and_follows_the_language_direction() {
        let html = sample("fr").to_html().unwrap();
        assert!(
            html.contains("Rapport &#60;test&#62; &#38; co")
                || html.contains("Rapport &lt;test&gt; &amp; co")
        );
        assert!(!html.contains("<test>"));
        assert!(html.contains("dir=\"ltr\""));
        assert!(html.contains("<td>12</td>"));
        assert!(sample("ar").to_html().unwrap().contains("dir=\"rtl\""));
    }
}
