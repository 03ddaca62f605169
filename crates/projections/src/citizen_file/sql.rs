//! What the citizen-file read models share in SQL: portable value encodings (times as Unix
//! milliseconds, closed lists as their serde names, structured values as JSON text), the
//! error of a query, the per-projection store of folded files, and paging.

use std::str::FromStr;

use chrono::{DateTime, Utc};
use citizen_file::{CitizenFileEvent, FileId};
use event_store::{ProjectionError, RecordedEvent};
use kernel::tracking::TrackingCode;
use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AnyPool, Row};

use super::detail::FileDetail;
use crate::query::{Page, Paged};

/// `Aggregate::TYPE` of citizen files.
pub(crate) const CITIZEN_FILE: &str = "CitizenFile";

/// Why a read-model query failed.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    /// The database failed.
    #[error("read-model database error: {0}")]
    Database(#[from] sqlx::Error),
    /// A stored value could not be read back (a row written by another version, or edited).
    #[error("corrupt read-model value: {0}")]
    Corrupt(String),
}

impl From<serde_json::Error> for QueryError {
    fn from(error: serde_json::Error) -> Self {
        Self::Corrupt(error.to_string())
    }
}

/// An instant as stored: Unix milliseconds.
pub(crate) fn millis(at: DateTime<Utc>) -> i64 {
    at.timestamp_millis()
}

/// A stored instant.
fn instant(ms: i64) -> Result<DateTime<Utc>, QueryError> {
    DateTime::from_timestamp_millis(ms)
        .ok_or_else(|| QueryError::Corrupt(format!("instant out of range: {ms}")))
}

/// The serde name of a value of a closed list (`"petition"`, `"email"`...): the stored
/// spelling, the same as in events and API answers.
pub(crate) fn name_of<T: Serialize>(value: &T) -> Result<String, serde_json::Error> {
    match serde_json::to_value(value)? {
        serde_json::Value::String(name) => Ok(name),
        other => Err(serde::ser::Error::custom(format!(
            "expected a name, got {other}"
        ))),
    }
}

fn parse_name<T: DeserializeOwned>(name: String) -> Result<T, QueryError> {
    Ok(serde_json::from_value(serde_json::Value::String(name))?)
}

/// A column of `row`.
pub(crate) fn column<T>(row: &AnyRow, name: &str) -> Result<T, QueryError>
where
    T: for<'r> sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any>,
{
    Ok(row.try_get(name)?)
}

/// An instant column.
pub(crate) fn time_column(row: &AnyRow, name: &str) -> Result<DateTime<Utc>, QueryError> {
    instant(column(row, name)?)
}

/// An optional instant column.
pub(crate) fn optional_time_column(
    row: &AnyRow,
    name: &str,
) -> Result<Option<DateTime<Utc>>, QueryError> {
    column::<Option<i64>>(row, name)?.map(instant).transpose()
}

/// A column holding a value of a closed list by name.
pub(crate) fn name_column<T: DeserializeOwned>(row: &AnyRow, name: &str) -> Result<T, QueryError> {
    parse_name(column(row, name)?)
}

/// An optional column holding a value of a closed list by name.
pub(crate) fn optional_name_column<T: DeserializeOwned>(
    row: &AnyRow,
    name: &str,
) -> Result<Option<T>, QueryError> {
    column::<Option<String>>(row, name)?
        .map(parse_name)
        .transpose()
}

/// A column holding JSON text.
pub(crate) fn json_column<T: DeserializeOwned>(row: &AnyRow, name: &str) -> Result<T, QueryError> {
    Ok(serde_json::from_str(&column::<String>(row, name)?)?)
}

/// A column holding an identifier as text.
pub(crate) fn id_column<T>(row: &AnyRow, name: &str) -> Result<T, QueryError>
where
    T: FromStr,
    T::Err: std::fmt::Display,
{
    parse_id(&column::<String>(row, name)?)
}

/// An optional column holding an identifier as text.
pub(crate) fn optional_id_column<T>(row: &AnyRow, name: &str) -> Result<Option<T>, QueryError>
where
    T: FromStr,
    T::Err: std::fmt::Display,
{
    column::<Option<String>>(row, name)?
        .as_deref()
        .map(parse_id)
        .transpose()
}

fn parse_id<T>(text: &str) -> Result<T, QueryError>
where
    T: FromStr,
    T::Err: std::fmt::Display,
{
    text.parse()
        .map_err(|e| QueryError::Corrupt(format!("bad identifier `{text}`: {e}")))
}

/// A column holding a tracking code.
pub(crate) fn tracking_code_column(row: &AnyRow, name: &str) -> Result<TrackingCode, QueryError> {
    TrackingCode::parse(&column::<String>(row, name)?)
        .map_err(|e| QueryError::Corrupt(format!("bad tracking code: {e}")))
}

/// The citizen-file event `event` carries, if it is one.
pub(crate) fn citizen_file_event(
    event: &RecordedEvent,
) -> Result<Option<CitizenFileEvent>, ProjectionError> {
    if event.aggregate_type != CITIZEN_FILE {
        return Ok(None);
    }
    Ok(Some(event.decode()?))
}

/// Where a projection keeps its fold of each file: its own table (`file_id`, `fold`), so
/// that it never depends on another projection's progress and rebuilds alone.
#[derive(Clone, Copy, Debug)]
pub(crate) struct FoldStore {
    pub(crate) table: &'static str,
}

impl FoldStore {
    fn select(self) -> String {
        format!("SELECT fold FROM {} WHERE file_id = $1", self.table)
    }

    /// Folds `event` into the stored file; returns the file after it.
    pub(crate) async fn fold(
        self,
        tx: &mut AnyConnection,
        event: &CitizenFileEvent,
        aggregate_id: &str,
    ) -> Result<FileDetail, ProjectionError> {
        let stored: Option<String> = sqlx::query_scalar(&self.select())
            .bind(aggregate_id)
            .fetch_optional(&mut *tx)
            .await?;
        let before: Option<FileDetail> = stored.as_deref().map(serde_json::from_str).transpose()?;
        let after = FileDetail::fold(before, event)?;
        sqlx::query(&format!(
            "INSERT INTO {} (file_id, fold) VALUES ($1, $2) \
             ON CONFLICT (file_id) DO UPDATE SET fold = excluded.fold",
            self.table
        ))
        .bind(aggregate_id)
        .bind(serde_json::to_string(&after)?)
        .execute(&mut *tx)
        .await?;
        Ok(after)
    }

    /// The stored fold of `file`.
    pub(crate) async fn load(
        self,
        pool: &AnyPool,
        file: FileId,
    ) -> Result<Option<FileDetail>, QueryError> {
        let stored: Option<String> = sqlx::query_scalar(&self.select())
            .bind(file.to_string())
            .fetch_optional(pool)
            .await?;
        Ok(stored.as_deref().map(serde_json::from_str).transpose()?)
    }
}

/// A page of rows: `select` (with `$1`..`$n` bound from `binds`) gives the rows in order,
/// `count` how many match; `LIMIT` and `OFFSET` are appended to `select`.
pub(crate) async fn paged<T>(
    pool: &AnyPool,
    select: &str,
    count: &str,
    binds: &[Bind],
    page: Page,
    decode: impl Fn(&AnyRow) -> Result<T, QueryError>,
) -> Result<Paged<T>, QueryError> {
    let page = page.clamped();
    let next = binds.len() + 1;
    let select = format!("{select} LIMIT ${next} OFFSET ${}", next + 1);
    let rows = bind_all(sqlx::query(&select), binds)
        .bind(page.limit_i64())
        .bind(page.offset_i64())
        .fetch_all(pool)
        .await?;
    let total: i64 = bind_all(sqlx::query(count), binds)
        .fetch_one(pool)
        .await?
        .try_get(0)?;
    Ok(Paged {
        items: rows.iter().map(decode).collect::<Result<_, _>>()?,
        total: u64::try_from(total).unwrap_or(0),
        page,
    })
}

/// A query parameter, for SQL assembled from optional filters.
#[derive(Clone, Debug)]
pub(crate) enum Bind {
    /// Text.
    Text(String),
    /// An integer.
    Integer(i64),
}

fn bind_all<'q>(
    query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    binds: &[Bind],
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    binds.iter().fold(query, |query, bind| match bind {
        Bind::Text(text) => query.bind(text.clone()),
        Bind::Integer(n) => query.bind(*n),
    })
}

/// Conditions joined with `AND` and their parameters, numbered as they are added.
#[derive(Debug, Default)]
pub(crate) struct Conditions {
    clauses: Vec<String>,
    binds: Vec<Bind>,
}

impl Conditions {
    /// Adds `clause`, where `?` stands for the next parameter, bound to `value`.
    pub(crate) fn add(&mut self, clause: &str, value: Bind) {
        self.binds.push(value);
        self.clauses
            .push(clause.replace('?', &format!("${}", self.binds.len())));
    }

    /// Adds `column` equal to one of `values` (nothing matches when there are none).
    pub(crate) fn add_one_of(&mut self, column: &str, values: Vec<Bind>) {
        if values.is_empty() {
            self.clauses.push("1 = 0".to_owned());
            return;
        }
        let mut alternatives = Vec::with_capacity(values.len());
        for value in values {
            self.binds.push(value);
            alternatives.push(format!("{column} = ${}", self.binds.len()));
        }
        self.clauses
            .push(format!("({})", alternatives.join(" OR ")));
    }

    /// Adds a condition without parameter.
    pub(crate) fn add_fixed(&mut self, clause: &str) {
        self.clauses.push(clause.to_owned());
    }

    /// `WHERE ...` (empty without conditions).
    pub(crate) fn where_clause(&self) -> String {
        if self.clauses.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", self.clauses.join(" AND "))
        }
    }

    /// The parameters, in order.
    pub(crate) fn binds(&self) -> &[Bind] {
        &self.binds
    }
}
