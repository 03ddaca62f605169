//! Paging of read-model queries: keyset-free offset paging with a hard cap, enough for
//! inboxes and registers (the gateway adds filters per read model).

use serde::{Deserialize, Serialize};

/// Largest page a caller may ask for.
pub const MAX_PAGE_SIZE: u32 = 200;

/// Which page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Page {
    /// Rows per page, 1 to [`MAX_PAGE_SIZE`].
    pub limit: u32,
    /// Rows to skip.
    pub offset: u32,
}

impl Default for Page {
    fn default() -> Self {
        Self {
            limit: 50,
            offset: 0,
        }
    }
}

impl Page {
    /// The page with its limit brought into 1..=[`MAX_PAGE_SIZE`].
    pub fn clamped(self) -> Self {
        Self {
            limit: self.limit.clamp(1, MAX_PAGE_SIZE),
            offset: self.offset,
        }
    }

    /// `LIMIT` as a bindable integer.
    pub fn limit_i64(self) -> i64 {
        i64::from(self.clamped().limit)
    }

    /// `OFFSET` as a bindable integer.
    pub fn offset_i64(self) -> i64 {
        i64::from(self.offset)
    }
}

/// One page of results.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Paged<T> {
    /// The rows.
    pub items: Vec<T>,
    /// How many rows match in all.
    pub total: u64,
    /// The page asked for (clamped).
    pub page: Page,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_sizes_are_capped_and_never_zero() {
        assert_eq!(
            Page {
                limit: 0,
                offset: 3
            }
            .clamped()
            .limit,
            1
        );
        assert_eq!(
            Page {
                limit: 10_000,
                offset: 0
            }
            .limit_i64(),
            200
        );
    }
}
