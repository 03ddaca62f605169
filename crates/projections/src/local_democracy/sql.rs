//! What the read models of the local registers share: how values are stored in portable
//! columns, the error of their queries, and a small builder for filtered, paged queries.
//!
//! Projections write through `sqlx::Any`, whose portable types are text and 64-bit integers,
//! so: local dates as ISO text (`2026-03-09`, which sorts as dates do), instants as Unix
//! milliseconds, booleans as 0/1, enums as their snake-case serde label, structured values
//! (sealed personal data, terms, lists) as JSON text.

use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::Query;
use sqlx::{Any, AnyPool, Row};

use crate::query::{Page, Paged};

/// A read-model query failed.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    /// The database refused the query or could not be reached.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// A stored value is not what the projection writes (a bug, or a hand-edited row).
    #[error("corrupt read-model row: {0}")]
    Corrupt(String),
}

impl From<serde_json::Error> for QueryError {
    fn from(error: serde_json::Error) -> Self {
        Self::Corrupt(error.to_string())
    }
}

/// The serde label of a unit enum variant (`"struck_off"`), as stored in label columns.
pub(crate) fn label<T: Serialize>(value: &T) -> Result<String, serde_json::Error> {
    match serde_json::to_value(value)? {
        serde_json::Value::String(label) => Ok(label),
        other => Err(serde::ser::Error::custom(format!(
            "expected a label, got {other}"
        ))),
    }
}

/// A stored label read back as its enum.
pub(crate) fn from_label<T: DeserializeOwned>(label: String) -> Result<T, QueryError> {
    Ok(serde_json::from_value(serde_json::Value::String(label))?)
}

/// A stored JSON text read back.
pub(crate) fn from_json<T: DeserializeOwned>(text: &str) -> Result<T, QueryError> {
    Ok(serde_json::from_str(text)?)
}

/// An instant as stored.
pub(crate) fn millis(at: DateTime<Utc>) -> i64 {
    at.timestamp_millis()
}

/// A stored instant read back.
pub(crate) fn instant(millis: i64) -> Result<DateTime<Utc>, QueryError> {
    DateTime::from_timestamp_millis(millis)
        .ok_or_else(|| QueryError::Corrupt(format!("instant {millis} out of range")))
}

/// A local date as stored.
pub(crate) fn day(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// A stored date read back.
pub(crate) fn parse_day(text: &str) -> Result<NaiveDate, QueryError> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| QueryError::Corrupt(format!("date {text:?}")))
}

/// A stored identifier (or any `FromStr` value) read back.
pub(crate) fn parse<T: FromStr>(text: &str) -> Result<T, QueryError> {
    text.parse()
        .map_err(|_| QueryError::Corrupt(format!("identifier {text:?}")))
}

/// A boolean as stored.
pub(crate) fn flag(value: bool) -> i64 {
    i64::from(value)
}

/// The case-folded form searches compare: texts and needles are folded in Rust, the same on
/// both backends (SQL `lower` folds only ASCII on SQLite).
pub(crate) fn fold(text: &str) -> String {
    text.to_lowercase()
}

/// `text` as a `LIKE` pattern matching it anywhere, with `\` escaping the wildcards.
pub(crate) fn contains_pattern(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in fold(text).chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// A value bound to a placeholder.
#[derive(Clone, Debug)]
enum Bind {
    Text(String),
    Integer(i64),
}

/// The `WHERE` clause of a filtered query and its bound values, numbered `$1`, `$2`... in
/// the order they are added.
#[derive(Clone, Debug, Default)]
pub(crate) struct Conditions {
    clauses: Vec<String>,
    binds: Vec<Bind>,
}

impl Conditions {
    /// Binds `value` and gives its placeholder.
    pub(crate) fn text(&mut self, value: impl Into<String>) -> String {
        self.binds.push(Bind::Text(value.into()));
        format!("${}", self.binds.len())
    }

    /// Binds `value` and gives its placeholder.
    pub(crate) fn integer(&mut self, value: i64) -> String {
        self.binds.push(Bind::Integer(value));
        format!("${}", self.binds.len())
    }

    /// Adds a condition (written with placeholders obtained from this builder).
    pub(crate) fn clause(&mut self, clause: String) {
        self.clauses.push(clause);
    }

    fn where_sql(&self) -> String {
        if self.clauses.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", self.clauses.join(" AND "))
        }
    }

    fn bind_all<'q>(
        &self,
        mut query: Query<'q, Any, AnyArguments<'q>>,
    ) -> Query<'q, Any, AnyArguments<'q>> {
        for bind in &self.binds {
            query = match bind {
                Bind::Text(text) => query.bind(text.clone()),
                Bind::Integer(n) => query.bind(*n),
            };
        }
        query
    }

    /// Every row of `SELECT {columns} FROM {from} WHERE ... ORDER BY {order}`, each turned
    /// into a `T` by `read`.
    pub(crate) async fn rows<T>(
        &self,
        pool: &AnyPool,
        columns: &str,
        from: &str,
        order: &str,
        read: impl Fn(&AnyRow) -> Result<T, QueryError>,
    ) -> Result<Vec<T>, QueryError> {
        let sql = format!(
            "SELECT {columns} FROM {from}{} ORDER BY {order}",
            self.where_sql()
        );
        let rows = self.bind_all(sqlx::query(&sql)).fetch_all(pool).await?;
        rows.iter().map(read).collect()
    }

    /// One page of what [`rows`](Self::rows) would give, with the number of matching rows.
    pub(crate) async fn page<T>(
        &self,
        pool: &AnyPool,
        columns: &str,
        from: &str,
        order: &str,
        page: Page,
        read: impl Fn(&AnyRow) -> Result<T, QueryError>,
    ) -> Result<Paged<T>, QueryError> {
        let page = page.clamped();
        let filter = self.where_sql();
        let total: i64 = self
            .bind_all(sqlx::query(&format!(
                "SELECT COUNT(*) AS n FROM {from}{filter}"
            )))
            .fetch_one(pool)
            .await?
            .try_get("n")?;
        let next = self.binds.len();
        let sql = format!(
            "SELECT {columns} FROM {from}{filter} ORDER BY {order} LIMIT ${} OFFSET ${}",
            next + 1,
            next + 2
        );
        let rows = self
            .bind_all(sqlx::query(&sql))
            .bind(page.limit_i64())
            .bind(page.offset_i64())
            .fetch_all(pool)
            .await?;
        Ok(Paged {
            items: rows.iter().map(read).collect::<Result<_, _>>()?,
            total: u64::try_from(total).unwrap_or(0),
            page,
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn search_patterns_escape_the_like_wildcards_and_fold_case() {
        assert_eq!(contains_pattern("Parc"), "%parc%");
        assert_eq!(contains_pattern("50%_a\\b"), "%50\\%\\_a\\\\b%");
        assert_eq!(contains_pattern("ÉTÉ"), "%été%");
    }

    #[test]
    fn dates_and_instants_round_trip() {
        let date = NaiveDate::from_ymd_opt(2026, 4, 9).unwrap();
        assert_eq!(day(date), "2026-04-09");
        assert_eq!(parse_day("2026-04-09").unwrap(), date);
        assert!(parse_day("09/04/2026").is_err());
        let at = DateTime::from_timestamp_millis(1_775_725_200_123).unwrap();
        assert_eq!(instant(millis(at)).unwrap(), at);
        assert!(instant(i64::MAX).is_err());
    }

    #[test]
    fn conditions_number_their_placeholders_in_order() {
        let mut conditions = Conditions::default();
        let first = conditions.text("a");
        let second = conditions.integer(2);
        conditions.clause(format!("x = {first} AND y = {second}"));
        assert_eq!(conditions.where_sql(), " WHERE x = $1 AND y = $2");
        assert_eq!(Conditions::default().where_sql(), "");
    }
}
