//! Scoring: the pure, deterministic computation of a visit's score from its checklist version
//! and answers, and the fixed-point [`Percentage`] every score, index and rate is expressed in.
//!
//! # Rule
//!
//! Each criterion has a weight `w`, a scale with a top mark `m` (1 for yes/no, `max` for a
//! graded scale `0..=max`) and an answer worth `p` points (`0 <= p <= m`; yes is 1, no is 0),
//! or "not applicable", which takes the criterion out of the computation. The raw score is
//! the weighted average of `p / m` over the applicable criteria, in basis points of 100
//! (10 000 = 100.00), rounded down once at the end:
//!
//! ```text
//! raw = floor( 10 000 * Σ w·p/m  /  Σ w )
//! ```
//!
//! If a **critical** criterion is failed (answered no, or 0 on a graded scale), the score is
//! `min(raw, cap)`, where the cap is the one carried by the checklist version (49.00 by
//! default, [`crate::WatcherConfig::critical_cap`]). Per-theme scores use the same rule
//! restricted to the theme, without the cap: they show where the points were lost.
//!
//! # Exact and reproducible
//!
//! There is no floating point anywhere. Every `m` is at most [`MAX_LEVEL`] = 10, so it
//! divides `L = 2520 = lcm(1..=10)` and `w·p·(L/m)` is an exact integer: the computation is
//!
//! ```text
//! raw = floor( 10 000 · Σ w·p·(L/m)  /  (L · Σ w) )
//! ```
//!
//! in `u128`, which is exact, independent of the order of the criteria, and gives the same
//! basis points on every platform. The result (a [`ScoreCard`]) is carried in the events, so
//! readers never recompute it.
//!
//! # Bounds (proof)
//!
//! - `raw >= 0`: every term is a non-negative integer.
//! - `raw <= 10 000`: `p <= m` gives `w·p·(L/m) <= w·L`, so `Σ w·p·(L/m) <= L·Σ w`, and the
//!   quotient is at most 10 000. Equality holds exactly when every applicable answer has full
//!   marks.
//! - No division by zero: `Σ w >= 1` is checked ([`ScoringError::NothingApplicable`] when
//!   nothing is applicable or every weight is 0), and `m >= 1` by [`Weighted::new`].
//! - No overflow: `w < 2^16`, `p·(L/m) <= L < 2^12`, so each term is below `2^28` and a sum
//!   of up to `2^64` terms stays below `2^92`; times 10 000 (< `2^14`) is below `2^106`,
//!   within `u128`.
//! - The final score is `min(raw, cap)` or `raw`, so it is within `0..=10 000` as well, and at
//!   most the cap whenever a critical criterion failed.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::checklist::{ChecklistVersion, Scale, Theme};
use crate::ids::CriterionId;

/// The highest top mark a graded scale may have. Scoring is exact because every top mark
/// divides `lcm(1..=10) = 2520`.
pub const MAX_LEVEL: u8 = 10;

/// Whether `max` can be the top mark of a graded scale (a checklist's `0..=max` or a survey's
/// `1..=max`): at least two levels, at most [`MAX_LEVEL`].
pub(crate) fn is_graded_scale(max: u8) -> bool {
    (2..=MAX_LEVEL).contains(&max)
}

/// `lcm(1..=MAX_LEVEL)`.
const COMMON_DENOMINATOR: u128 = 2520;

/// 100.00, in basis points.
const FULL_BASIS_POINTS: u16 = 10_000;

/// A percentage with two decimals, as an integer number of basis points (`0..=10 000`, where
/// 10 000 is 100.00): a visit's score, a satisfaction index, a coverage rate, a cap.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u16", into = "u16")]
pub struct Percentage(u16);

impl Percentage {
    /// 0.00.
    pub const ZERO: Self = Self(0);
    /// 100.00.
    pub const FULL: Self = Self(FULL_BASIS_POINTS);

    /// `basis_points / 100` percent; `None` above 10 000.
    pub const fn from_basis_points(basis_points: u16) -> Option<Self> {
        if basis_points <= FULL_BASIS_POINTS {
            Some(Self(basis_points))
        } else {
            None
        }
    }

    /// `basis_points / 100` percent, at most 100.00 (above, it is 100.00).
    pub const fn saturating(basis_points: u16) -> Self {
        if basis_points <= FULL_BASIS_POINTS {
            Self(basis_points)
        } else {
            Self::FULL
        }
    }

    /// The value in basis points (hundredths of a percent).
    pub const fn basis_points(self) -> u16 {
        self.0
    }

    /// `numerator / denominator`, rounded down; `None` when the denominator is 0 or the
    /// ratio is above 1.
    pub fn ratio(numerator: u64, denominator: u64) -> Option<Self> {
        if denominator == 0 || numerator > denominator {
            return None;
        }
        let basis_points =
            u128::from(numerator) * u128::from(FULL_BASIS_POINTS) / u128::from(denominator);
        u16::try_from(basis_points).ok().map(Self)
    }
}

/// A number of basis points above 10 000.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{0} basis points is more than 100%")]
pub struct PercentageOutOfRange(pub u16);

impl TryFrom<u16> for Percentage {
    type Error = PercentageOutOfRange;
    fn try_from(basis_points: u16) -> Result<Self, Self::Error> {
        Self::from_basis_points(basis_points).ok_or(PercentageOutOfRange(basis_points))
    }
}

impl From<Percentage> for u16 {
    fn from(percentage: Percentage) -> Self {
        percentage.0
    }
}

impl fmt::Display for Percentage {
    /// `73.45`: two decimals, no sign.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

/// One weighted mark: `points` out of `max`, counting `weight` times.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Weighted {
    weight: u16,
    points: u8,
    max: u8,
}

impl Weighted {
    /// A mark; `None` unless `1 <= max <= MAX_LEVEL` and `points <= max`.
    pub fn new(weight: u16, points: u8, max: u8) -> Option<Self> {
        ((1..=MAX_LEVEL).contains(&max) && points <= max).then_some(Self {
            weight,
            points,
            max,
        })
    }
}

/// The weighted average of `items` as a percentage, rounded down (see the module docs for the
/// rule and the proof of its bounds); `None` when the total weight is 0.
pub fn weighted_percentage(items: impl IntoIterator<Item = Weighted>) -> Option<Percentage> {
    let (earned, total_weight) = items
        .into_iter()
        .fold((0u128, 0u128), |(earned, total), item| {
            let weight = u128::from(item.weight);
            let scaled = u128::from(item.points) * (COMMON_DENOMINATOR / u128::from(item.max));
            (earned + weight * scaled, total + weight)
        });
    if total_weight == 0 {
        return None;
    }
    let basis_points = earned * u128::from(FULL_BASIS_POINTS) / (total_weight * COMMON_DENOMINATOR);
    // At most 10 000 by the proof above: saturating never changes the value.
    Some(Percentage::saturating(
        u16::try_from(basis_points).unwrap_or(u16::MAX),
    ))
}

/// A member's answer to one criterion.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "answer", content = "level")]
pub enum Answer {
    /// Yes, on a yes/no scale (1 point of 1).
    Yes,
    /// No, on a yes/no scale (0 points: a failure if the criterion is critical).
    No,
    /// A level on a graded scale (`0..=max`; 0 is a failure if the criterion is critical).
    Level(u8),
    /// The criterion does not apply to this visit (a ramp at a website): it is left out.
    NotApplicable,
}

impl Answer {
    /// The points this answer is worth on `scale`: `Ok(None)` when not applicable, `Err` when
    /// the answer does not fit the scale.
    fn points(self, scale: Scale) -> Result<Option<u8>, ()> {
        match (self, scale) {
            (Self::NotApplicable, _) => Ok(None),
            (Self::Yes, Scale::YesNo) => Ok(Some(1)),
            (Self::No, Scale::YesNo) => Ok(Some(0)),
            (Self::Level(level), Scale::Levels { max }) if level <= max => Ok(Some(level)),
            _ => Err(()),
        }
    }
}

/// The score of one theme.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThemeScore {
    /// The theme.
    pub theme: Theme,
    /// Its weighted average, uncapped.
    pub score: Percentage,
}

/// A visit's computed score, as carried in its events.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScoreCard {
    /// The score: `raw`, capped when a critical criterion failed.
    pub score: Percentage,
    /// The weighted average before the cap.
    pub raw: Percentage,
    /// The cap that was applied, when a critical criterion failed.
    pub cap_applied: Option<Percentage>,
    /// The critical criteria failed, in checklist order.
    pub failed_critical: Vec<CriterionId>,
    /// The score of each theme with an applicable criterion, in theme order.
    pub themes: Vec<ThemeScore>,
    /// How many criteria were applicable.
    pub applicable_criteria: u32,
}

/// Why answers cannot be scored against a checklist version.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScoringError {
    /// An answer names a criterion the version does not have.
    #[error("criterion {0} is not in this checklist version")]
    UnknownCriterion(CriterionId),
    /// A criterion of the version has no answer ("not applicable" is an answer).
    #[error("criterion {0} has no answer")]
    MissingAnswer(CriterionId),
    /// The answer does not fit the criterion's scale (yes/no on a graded scale, a level above
    /// the top mark).
    #[error("the answer to criterion {0} does not fit its scale")]
    AnswerOutOfScale(CriterionId),
    /// Nothing applicable with a weight: there is nothing to average.
    #[error("no applicable criterion with a weight: the visit cannot be scored")]
    NothingApplicable,
}

/// Scores `answers` against `version`. Pure and deterministic: the same version and answers
/// give the same card on every platform, whatever the order of the criteria.
pub fn score_visit(
    version: &ChecklistVersion,
    answers: &BTreeMap<CriterionId, Answer>,
) -> Result<ScoreCard, ScoringError> {
    if let Some(unknown) = answers
        .keys()
        .find(|id| !version.criteria.iter().any(|c| c.id == **id))
    {
        return Err(ScoringError::UnknownCriterion(*unknown));
    }
    let mut marks = Vec::with_capacity(version.criteria.len());
    let mut failed_critical = Vec::new();
    for criterion in &version.criteria {
        let answer = answers
            .get(&criterion.id)
            .ok_or(ScoringError::MissingAnswer(criterion.id))?;
        let out_of_scale = ScoringError::AnswerOutOfScale(criterion.id);
        let Some(points) = answer
            .points(criterion.scale)
            .map_err(|()| out_of_scale.clone())?
        else {
            continue;
        };
        let mark = Weighted::new(criterion.weight, points, criterion.scale.max_points())
            .ok_or(out_of_scale)?;
        if criterion.critical && points == 0 {
            failed_critical.push(criterion.id);
        }
        marks.push((criterion.theme, mark));
    }
    let raw = weighted_percentage(marks.iter().map(|(_, mark)| *mark))
        .ok_or(ScoringError::NothingApplicable)?;
    let themes = Theme::ALL
        .into_iter()
        .filter_map(|theme| {
            let of_theme = marks.iter().filter(|(t, _)| *t == theme).map(|(_, m)| *m);
            weighted_percentage(of_theme).map(|score| ThemeScore { theme, score })
        })
        .collect();
    let cap_applied = (!failed_critical.is_empty()).then_some(version.critical_cap);
    Ok(ScoreCard {
        score: cap_applied.map_or(raw, |cap| raw.min(cap)),
        raw,
        cap_applied,
        failed_critical,
        themes,
        applicable_criteria: u32::try_from(marks.len()).unwrap_or(u32::MAX),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thirds_are_exact_and_rounded_down_once() {
        let marks = [
            Weighted::new(1, 1, 3),
            Weighted::new(1, 2, 3),
            Weighted::new(1, 0, 1),
        ];
        // (1/3 + 2/3 + 0) / 3 = 1/3 = 33.333...% -> 33.33
        let score = weighted_percentage(marks.into_iter().flatten());
        assert_eq!(score, Percentage::from_basis_points(3333));
    }

    #[test]
    fn marks_outside_their_scale_are_not_built() {
        assert_eq!(Weighted::new(1, 2, 1), None);
        assert_eq!(Weighted::new(1, 0, 0), None);
        assert_eq!(Weighted::new(1, 0, MAX_LEVEL + 1), None);
    }

    #[test]
    fn zero_total_weight_has_no_average() {
        assert_eq!(weighted_percentage([]), None);
        assert_eq!(weighted_percentage(Weighted::new(0, 1, 1)), None);
    }

    #[test]
    fn percentages_display_with_two_decimals_and_refuse_more_than_full() {
        assert_eq!(Percentage(7345).to_string(), "73.45");
        assert_eq!(Percentage(5).to_string(), "0.05");
        assert_eq!(Percentage::FULL.to_string(), "100.00");
        assert_eq!(
            Percentage::try_from(10_001),
            Err(PercentageOutOfRange(10_001))
        );
        assert!(serde_json::from_str::<Percentage>("10001").is_err());
        assert_eq!(Percentage::ratio(4, 5), Percentage::from_basis_points(8000));
        assert_eq!(Percentage::ratio(1, 0), None);
        assert_eq!(Percentage::ratio(6, 5), None);
    }
}
