//! Validated free text.
//!
//! Everything a person types (a petition, an answer, a forum post) goes through [`Text::new`]
//! before it reaches an event: trimmed, line breaks normalised, bounded in length, and free of
//! characters that hide or disguise content. Arabic and French share many texts, so the
//! directional marks that mixed text needs (LRM, RLM, ALM) and the joiners Arabic typography
//! uses (ZWJ, ZWNJ) are kept; the embedding, override and isolate controls that can make a
//! text display differently from what it says (the "Trojan Source" family) are refused, as are
//! other control and zero-width characters.

use serde::{Deserialize, Serialize};

/// The bounds a field sets on its text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TextLimits {
    /// Fewest characters (after trimming). 1 forbids empty text.
    pub min_chars: usize,
    /// Most characters (Unicode scalar values, after trimming).
    pub max_chars: usize,
    /// Whether line breaks (and tabs) are allowed.
    pub multiline: bool,
}

impl TextLimits {
    /// A one-line label: a name, a subject, a title.
    pub const fn line(max_chars: usize) -> Self {
        Self {
            min_chars: 1,
            max_chars,
            multiline: false,
        }
    }

    /// A body of text: a petition, an answer, minutes.
    pub const fn body(max_chars: usize) -> Self {
        Self {
            min_chars: 1,
            max_chars,
            multiline: true,
        }
    }
}

/// Why a text was refused. Positions count characters from 1, as a person would.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    /// Nothing but white space.
    #[error("the text is empty")]
    Empty,
    /// Under the minimum.
    #[error("the text has {actual} characters; at least {min} are needed")]
    TooShort {
        /// The minimum.
        min: usize,
        /// What was given.
        actual: usize,
    },
    /// Over the maximum.
    #[error("the text has {actual} characters; at most {max} are allowed")]
    TooLong {
        /// The maximum.
        max: usize,
        /// What was given.
        actual: usize,
    },
    /// A line break where only one line is allowed.
    #[error("the text must fit on one line (line break at character {position})")]
    LineBreak {
        /// Where.
        position: usize,
    },
    /// A control, invisible or direction-overriding character.
    #[error("character {position} (U+{code_point:04X}) is not allowed: {why}")]
    ForbiddenCharacter {
        /// Where.
        position: usize,
        /// Which.
        code_point: u32,
        /// In words.
        why: &'static str,
    },
}

impl TextError {
    /// A stable, machine-readable code for the refusal (`too_long`...), for API clients.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "empty",
            Self::TooShort { .. } => "too_short",
            Self::TooLong { .. } => "too_long",
            Self::LineBreak { .. } => "line_break",
            Self::ForbiddenCharacter { .. } => "forbidden_character",
        }
    }
}

/// Text that passed validation. Deserialization does not validate again: events hold what
/// was valid when it was recorded, and a replay must never fail on a rule that changed since.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Text(String);

impl Text {
    /// Validates `raw` against `limits`.
    pub fn new(raw: &str, limits: TextLimits) -> Result<Self, TextError> {
        let normalised = raw.replace("\r\n", "\n").replace('\r', "\n");
        let trimmed = normalised.trim();
        // Counting stops just past the maximum so that a huge input costs no more than a
        // valid one.
        let counted = trimmed
            .chars()
            .take(limits.max_chars.saturating_add(1))
            .count();
        if counted == 0 {
            return Err(TextError::Empty);
        }
        if counted > limits.max_chars {
            return Err(TextError::TooLong {
                max: limits.max_chars,
                actual: trimmed.chars().count(),
            });
        }
        if counted < limits.min_chars {
            return Err(TextError::TooShort {
                min: limits.min_chars,
                actual: counted,
            });
        }
        for (index, c) in trimmed.chars().enumerate() {
            let position = index + 1;
            if c == '\n' || c == '\t' {
                if !limits.multiline {
                    return Err(TextError::LineBreak { position });
                }
                continue;
            }
            if let Some(why) = forbidden(c) {
                return Err(TextError::ForbiddenCharacter {
                    position,
                    code_point: u32::from(c),
                    why,
                });
            }
        }
        Ok(Self(trimmed.to_owned()))
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The text, owned.
    pub fn into_string(self) -> String {
        self.0
    }
}

impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn forbidden(c: char) -> Option<&'static str> {
    match c {
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => {
            Some("direction embedding, override or isolate control")
        }
        '\u{200B}' | '\u{2060}' | '\u{FEFF}' | '\u{180E}' | '\u{2061}'..='\u{2064}' => {
            Some("invisible character")
        }
        '\u{2028}' | '\u{2029}' => Some("line or paragraph separator; use a line break"),
        '\u{FFF9}'..='\u{FFFB}' | '\u{FFFC}' | '\u{FFFD}' => {
            Some("replacement or annotation character (is the text badly encoded?)")
        }
        '\u{E000}'..='\u{F8FF}' => Some("private-use character"),
        c if c.is_control() => Some("control character"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINE: TextLimits = TextLimits::line(20);
    const BODY: TextLimits = TextLimits::body(200);

    #[test]
    fn valid_text_is_trimmed_and_line_breaks_normalised() {
        let text = Text::new("  سلام\r\nBonjour \r", BODY).unwrap();
        assert_eq!(text.as_str(), "سلام\nBonjour");
    }

    #[test]
    fn arabic_marks_and_joiners_are_kept() {
        let mixed = "رقم\u{200F} 12 \u{200E}ok\u{200C}ب\u{200D}";
        assert!(Text::new(mixed, LINE).is_ok());
    }

    #[test]
    fn empty_and_blank_text_are_refused() {
        assert_eq!(Text::new("", LINE), Err(TextError::Empty));
        assert_eq!(Text::new(" \n\t ", BODY), Err(TextError::Empty));
    }

    #[test]
    fn length_is_counted_in_characters_not_bytes() {
        assert!(Text::new(&"ع".repeat(20), LINE).is_ok());
        assert_eq!(
            Text::new(&"ع".repeat(21), LINE),
            Err(TextError::TooLong {
                max: 20,
                actual: 21
            })
        );
    }

    #[test]
    fn minimum_length_is_enforced() {
        let limits = TextLimits {
            min_chars: 10,
            max_chars: 100,
            multiline: true,
        };
        assert_eq!(
            Text::new("court", limits),
            Err(TextError::TooShort { min: 10, actual: 5 })
        );
    }

    #[test]
    fn one_line_fields_refuse_line_breaks() {
        assert_eq!(
            Text::new("a\nb", LINE),
            Err(TextError::LineBreak { position: 2 })
        );
    }

    #[test]
    fn direction_overrides_and_invisible_characters_are_refused_with_their_position() {
        let err = Text::new("ab\u{202E}cd", LINE).unwrap_err();
        assert_eq!(
            err,
            TextError::ForbiddenCharacter {
                position: 3,
                code_point: 0x202E,
                why: "direction embedding, override or isolate control"
            }
        );
        assert!(Text::new("a\u{200B}b", LINE).is_err());
        assert!(Text::new("a\u{0000}b", LINE).is_err());
        assert!(Text::new("a\u{2067}b\u{2069}", LINE).is_err());
        assert!(Text::new("bad \u{FFFD} bytes", LINE).is_err());
    }

    #[test]
    fn a_huge_input_is_refused_without_counting_it_twice() {
        let huge = "x".repeat(1_000_000);
        assert!(matches!(
            Text::new(&huge, BODY),
            Err(TextError::TooLong { max: 200, .. })
        ));
    }
}
