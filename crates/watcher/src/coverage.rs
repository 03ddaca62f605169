//! Geographic coverage: the share of active service points visited, overall and per
//! governorate. The programme targets 80% coverage of public service points, especially in
//! the interior regions (department page 004; [`crate::WatcherConfig::coverage_target`]).
//!
//! Coverage is read-model material (which points are active, which visits count over which
//! period is decided by the projection); this is the pure computation projections and
//! reports share, so that every screen counts the same way: a point is covered when at least
//! one of the given visits was of it, and retired points are left out by the caller.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use kernel::organisation::Governorate;

use crate::ids::ServicePointId;
use crate::scoring::Percentage;
use crate::service_point::ServicePointRef;

/// Points covered out of points counted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Share {
    /// Points visited.
    pub covered: u64,
    /// Points counted.
    pub total: u64,
}

impl Share {
    /// `covered / total`, rounded down; `None` when nothing is counted.
    pub fn rate(&self) -> Option<Percentage> {
        Percentage::ratio(self.covered, self.total)
    }

    /// Whether the rate reaches `target` (never, when nothing is counted).
    pub fn meets(&self, target: Percentage) -> bool {
        self.rate().is_some_and(|rate| rate >= target)
    }
}

/// Coverage overall and per governorate (only governorates with points appear).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coverage {
    /// All points.
    pub overall: Share,
    /// Per governorate.
    pub by_governorate: BTreeMap<Governorate, Share>,
}

/// The coverage of `points` (the active ones; a point listed twice counts once) by visits of
/// the points in `visited`.
pub fn coverage<'a>(
    points: impl IntoIterator<Item = &'a ServicePointRef>,
    visited: &BTreeSet<ServicePointId>,
) -> Coverage {
    let mut seen = BTreeSet::new();
    let mut result = Coverage::default();
    for point in points {
        if !seen.insert(point.id) {
            continue;
        }
        let covered = u64::from(visited.contains(&point.id));
        for share in [
            &mut result.overall,
            result.by_governorate.entry(point.governorate).or_default(),
        ] {
            share.total += 1;
            share.covered += covered;
        }
    }
    result
}
