//! Pages of read-model rows over HTTP: the `limit`/`offset` query every listing takes, the
//! `{items, total}` answer, and a query string that cannot be read answering 422.

use axum::extract::Query;
use axum::extract::rejection::QueryRejection;
use projections::query::{Page, Paged};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::ApiError;

/// Which page of rows.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Rows per page (1 to 200; 50 by default).
    pub limit: Option<u32>,
    /// Rows to skip.
    pub offset: Option<u32>,
}

impl PageQuery {
    /// The page asked, within bounds.
    pub fn page(&self) -> Page {
        let default = Page::default();
        Page {
            limit: self.limit.unwrap_or(default.limit),
            offset: self.offset.unwrap_or(default.offset),
        }
        .clamped()
    }
}

/// A page of rows.
#[derive(Debug, Serialize, ToSchema)]
pub struct PageView {
    /// The rows.
    #[schema(value_type = Vec<Object>)]
    pub items: Vec<serde_json::Value>,
    /// How many rows match in all.
    pub total: u64,
}

impl PageView {
    /// The rows of a read-model page, as JSON.
    pub fn of<T: Serialize>(rows: Paged<T>) -> Result<Self, ApiError> {
        let items = rows
            .items
            .iter()
            .map(serde_json::to_value)
            .collect::<Result<_, _>>()
            .map_err(|e| ApiError::internal("serializing rows", &e))?;
        Ok(Self {
            items,
            total: rows.total,
        })
    }
}

/// The query string, or 422 naming it when it cannot be read.
pub fn query<T>(query: Result<Query<T>, QueryRejection>) -> Result<T, ApiError> {
    query
        .map(|Query(q)| q)
        .map_err(|e| ApiError::invalid("query", "invalid_query", e.body_text()))
}
