//! The plumbing shared by the watcher read models: how typed values become portable column
//! values and back, filtered and paged reads, and the error of a query.
//!
//! Every identifier and enumeration is stored as the string serde makes of it (a UUID, a
//! snake_case name, an ISO date), so one pair of functions converts all of them both ways
//! and a row reads back exactly what was projected.

use chrono::{DateTime, NaiveDate, Utc};
use event_store::ProjectionError;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use sqlx::any::{AnyQueryResult, AnyRow};
use sqlx::{AnyPool, Row};
use watcher::Percentage;

use crate::query::{Page, Paged};

/// Why a read-model query failed.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    /// The database failed.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// A filter value cannot be written as a column value.
    #[error("cannot encode a filter value: {0}")]
    Encode(#[from] serde_json::Error),
    /// A stored value does not read back (a bug or a hand-edited row).
    #[error("corrupt row in {table}: {reason}")]
    Corrupt {
        /// The table.
        table: &'static str,
        /// What is wrong.
        reason: String,
    },
}

/// The column text of a value serde writes as a string (ids, enumerations, dates).
pub(crate) fn text<T: Serialize>(value: &T) -> Result<String, serde_json::Error> {
    match serde_json::to_value(value)? {
        Value::String(text) => Ok(text),
        other => Err(serde::ser::Error::custom(format!(
            "{other} is not stored as text"
        ))),
    }
}

/// [`text`] of an optional value.
pub(crate) fn optional_text<T: Serialize>(
    value: Option<&T>,
) -> Result<Option<String>, serde_json::Error> {
    value.map(text).transpose()
}

/// A value as JSON text (sealed texts, score cards).
pub(crate) fn json<T: Serialize>(value: &T) -> Result<String, serde_json::Error> {
    serde_json::to_string(value)
}

/// An instant as stored: Unix milliseconds.
pub(crate) fn millis(instant: DateTime<Utc>) -> i64 {
    instant.timestamp_millis()
}

/// A 0/1 flag as stored.
pub(crate) fn flag(value: bool) -> i64 {
    i64::from(value)
}

/// Fails unless `done` changed exactly one row: an event about a row its projection never
/// created means the log and the read model disagree, which must stop the projection.
pub(crate) fn one_row(done: AnyQueryResult, what: &str) -> Result<(), ProjectionError> {
    if done.rows_affected() == 1 {
        Ok(())
    } else {
        Err(ProjectionError::Invalid(format!(
            "{what}: no such row in the read model"
        )))
    }
}

/// Reads typed values out of a row of `table`.
pub(crate) struct Reader<'r> {
    row: &'r AnyRow,
    table: &'static str,
}

impl<'r> Reader<'r> {
    pub(crate) fn new(row: &'r AnyRow, table: &'static str) -> Self {
        Self { row, table }
    }

    fn corrupt(&self, column: &str, reason: impl std::fmt::Display) -> QueryError {
        QueryError::Corrupt {
            table: self.table,
            reason: format!("{column}: {reason}"),
        }
    }

    fn raw_text(&self, column: &str) -> Result<Option<String>, QueryError> {
        Ok(self.row.try_get(column)?)
    }

    fn raw_int(&self, column: &str) -> Result<Option<i64>, QueryError> {
        Ok(self.row.try_get(column)?)
    }

    fn required<T>(&self, column: &str, value: Option<T>) -> Result<T, QueryError> {
        value.ok_or_else(|| self.corrupt(column, "NULL"))
    }

    /// A value stored with [`text`], possibly NULL.
    pub(crate) fn optional<T: DeserializeOwned>(
        &self,
        column: &str,
    ) -> Result<Option<T>, QueryError> {
        self.raw_text(column)?
            .map(|text| {
                serde_json::from_value(Value::String(text)).map_err(|e| self.corrupt(column, e))
            })
            .transpose()
    }

    /// A value stored with [`text`].
    pub(crate) fn get<T: DeserializeOwned>(&self, column: &str) -> Result<T, QueryError> {
        let value = self.optional(column)?;
        self.required(column, value)
    }

    /// A value stored with [`json`], possibly NULL.
    pub(crate) fn optional_json<T: DeserializeOwned>(
        &self,
        column: &str,
    ) -> Result<Option<T>, QueryError> {
        self.raw_text(column)?
            .map(|text| serde_json::from_str(&text).map_err(|e| self.corrupt(column, e)))
            .transpose()
    }

    /// A value stored with [`json`].
    pub(crate) fn json<T: DeserializeOwned>(&self, column: &str) -> Result<T, QueryError> {
        let value = self.optional_json(column)?;
        self.required(column, value)
    }

    /// A count or number, converted to the row's type.
    pub(crate) fn number<T: TryFrom<i64>>(&self, column: &str) -> Result<T, QueryError> {
        let value = self.raw_int(column)?;
        let value = self.required(column, value)?;
        T::try_from(value).map_err(|_| self.corrupt(column, format!("{value} is out of range")))
    }

    /// A 0/1 flag.
    pub(crate) fn flag(&self, column: &str) -> Result<bool, QueryError> {
        Ok(self.number::<i64>(column)? != 0)
    }

    /// An instant stored with [`millis`], possibly NULL.
    pub(crate) fn optional_instant(
        &self,
        column: &str,
    ) -> Result<Option<DateTime<Utc>>, QueryError> {
        self.raw_int(column)?
            .map(|ms| {
                DateTime::from_timestamp_millis(ms)
                    .ok_or_else(|| self.corrupt(column, format!("{ms} ms is out of range")))
            })
            .transpose()
    }

    /// An instant stored with [`millis`].
    pub(crate) fn instant(&self, column: &str) -> Result<DateTime<Utc>, QueryError> {
        let value = self.optional_instant(column)?;
        self.required(column, value)
    }

    /// A percentage stored in basis points, possibly NULL.
    pub(crate) fn optional_percentage(
        &self,
        column: &str,
    ) -> Result<Option<Percentage>, QueryError> {
        self.raw_int(column)?
            .map(|bp| {
                u16::try_from(bp)
                    .ok()
                    .and_then(Percentage::from_basis_points)
                    .ok_or_else(|| self.corrupt(column, format!("{bp} basis points")))
            })
            .transpose()
    }
}

/// Equality conditions on text columns, the ones given being ANDed.
#[derive(Debug, Default)]
pub(crate) struct Filter {
    clauses: Vec<String>,
    values: Vec<String>,
}

impl Filter {
    /// Adds `column = value` when `value` is given (stored with [`text`]).
    pub(crate) fn equals<T: Serialize>(
        mut self,
        column: &str,
        value: Option<T>,
    ) -> Result<Self, serde_json::Error> {
        if let Some(value) = value {
            self.values.push(text(&value)?);
            self.clauses
                .push(format!("{column} = ${}", self.values.len()));
        }
        Ok(self)
    }

    /// Adds a condition without parameters.
    pub(crate) fn condition(mut self, clause: &str) -> Self {
        self.clauses.push(clause.to_owned());
        self
    }

    fn where_clause(&self) -> String {
        if self.clauses.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", self.clauses.join(" AND "))
        }
    }
}

/// One page of `columns` of `table` matching `filter`, in `order_by` order (which must end
/// with a unique column, so that pages never overlap), and the total of matching rows.
pub(crate) async fn fetch_page<T>(
    pool: &AnyPool,
    table: &'static str,
    columns: &str,
    filter: Filter,
    order_by: &str,
    page: Page,
    decode: fn(Reader<'_>) -> Result<T, QueryError>,
) -> Result<Paged<T>, QueryError> {
    let page = page.clamped();
    let where_clause = filter.where_clause();
    let count_sql = format!("SELECT COUNT(*) FROM {table}{where_clause}");
    let total: i64 = filter
        .values
        .iter()
        .fold(sqlx::query_scalar(&count_sql), |query, value| {
            query.bind(value.as_str())
        })
        .fetch_one(pool)
        .await?;
    let next = filter.values.len();
    let select_sql = format!(
        "SELECT {columns} FROM {table}{where_clause} ORDER BY {order_by} \
         LIMIT ${} OFFSET ${}",
        next + 1,
        next + 2
    );
    let rows = filter
        .values
        .iter()
        .fold(sqlx::query(&select_sql), |query, value| {
            query.bind(value.as_str())
        })
        .bind(page.limit_i64())
        .bind(page.offset_i64())
        .fetch_all(pool)
        .await?;
    Ok(Paged {
        items: rows
            .iter()
            .map(|row| decode(Reader::new(row, table)))
            .collect::<Result<_, _>>()?,
        total: u64::try_from(total).unwrap_or(0),
        page,
    })
}

/// The text of a local date, as stored (ISO 8601, which orders as dates do).
pub(crate) fn date(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}
