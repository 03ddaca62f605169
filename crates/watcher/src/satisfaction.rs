//! Satisfaction: the pure computation of one survey response's satisfaction and of the
//! satisfaction index over many responses.
//!
//! # Rule
//!
//! A question is answered on a scale from 1 to `levels` (2 to [`crate::scoring::MAX_LEVEL`]).
//! A response's satisfaction is the weighted average of `(answer - 1) / (levels - 1)` over
//! the questions it answers (respondents may skip questions), computed exactly as a visit's
//! raw score ([`crate::scoring::weighted_percentage`]): 1 is 0.00, `levels` is 100.00.
//!
//! The **satisfaction index** of a set of responses (one service point over one period) is
//! the mean of their satisfactions, rounded down: each response counts once, whatever the
//! questionnaire version it answered, since every satisfaction is already on the same
//! 0-100 scale. A [`Tally`] keeps the count and the sum in basis points, so the index of any
//! grouping (by point, by month, by governorate) is built by adding tallies, without keeping
//! the responses. Bounds: every satisfaction is within `0..=10 000`, so their mean is too.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::ids::QuestionId;
use crate::scoring::{Percentage, Weighted, weighted_percentage};
use crate::survey::Question;

/// Why a response's answers cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SatisfactionError {
    /// The response answers no question.
    #[error("the response answers no question")]
    NoAnswers,
    /// An answer to a question the questionnaire version does not have.
    #[error("question {0} is not in this questionnaire version")]
    UnknownQuestion(QuestionId),
    /// An answer outside `1..=levels`.
    #[error("the answer to question {0} is outside its scale")]
    AnswerOutOfScale(QuestionId),
}

/// The satisfaction of one response to `questions`.
pub fn response_satisfaction(
    questions: &[Question],
    answers: &BTreeMap<QuestionId, u8>,
) -> Result<Percentage, SatisfactionError> {
    let marks = answers
        .iter()
        .map(|(id, answer)| {
            let question = questions
                .iter()
                .find(|q| q.id == *id)
                .ok_or(SatisfactionError::UnknownQuestion(*id))?;
            answer
                .checked_sub(1)
                .and_then(|points| {
                    Weighted::new(question.weight, points, question.levels.checked_sub(1)?)
                })
                .ok_or(SatisfactionError::AnswerOutOfScale(*id))
        })
        .collect::<Result<Vec<_>, _>>()?;
    weighted_percentage(marks).ok_or(SatisfactionError::NoAnswers)
}

/// A running count of responses and of their satisfactions.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    /// How many responses.
    pub responses: u64,
    /// The sum of their satisfactions, in basis points.
    pub total_basis_points: u64,
}

impl Tally {
    /// Counts one more response.
    pub fn add(&mut self, satisfaction: Percentage) {
        self.responses = self.responses.saturating_add(1);
        self.total_basis_points = self
            .total_basis_points
            .saturating_add(u64::from(satisfaction.basis_points()));
    }

    /// Both tallies together.
    pub fn merge(self, other: Self) -> Self {
        Self {
            responses: self.responses.saturating_add(other.responses),
            total_basis_points: self
                .total_basis_points
                .saturating_add(other.total_basis_points),
        }
    }

    /// The satisfaction index: the mean satisfaction, rounded down; `None` without responses.
    pub fn index(&self) -> Option<Percentage> {
        let mean = self.total_basis_points.checked_div(self.responses)?;
        // At most 10 000, being the mean of values that are.
        Some(Percentage::saturating(
            u16::try_from(mean).unwrap_or(u16::MAX),
        ))
    }
}

impl FromIterator<Percentage> for Tally {
    fn from_iter<I: IntoIterator<Item = Percentage>>(satisfactions: I) -> Self {
        let mut tally = Self::default();
        for satisfaction in satisfactions {
            tally.add(satisfaction);
        }
        tally
    }
}
