//! Tracking codes: the short reference a citizen receives at submission and may read over
//! the phone or copy by hand to an office agent.
//!
//! # Design
//!
//! A code is 13 symbols of the Crockford base32 alphabet `0123456789ABCDEFGHJKMNPQRSTVWXYZ`
//! (no I, L, O or U, so nothing is ambiguous spoken or handwritten), displayed as
//! `XXXX-XXXX-XXXXX`: 12 data symbols (60 random bits, so guessing a valid code is
//! hopeless) and one check symbol. [`TrackingCode::parse`] forgives what people do when they
//! copy: lowercase, spaces and hyphens anywhere, O read as 0, I or L read as 1.
//!
//! The check works in GF(32) = GF(2)\[x\] / (x⁵ + x² + 1) with the primitive element
//! α = x (order 31). With data values v₀…v₁₁ and check c, a code is valid when
//! `c + Σ_{i=1..12} αⁱ·v_{i-1} = 0` (addition is XOR), so `c = Σ αⁱ·v_{i-1}`: symbol
//! position p carries the weight w_p = α^(p+1), and the check (position 12) the weight α⁰ = 1.
//!
//! Why every single substitution and every swap of two different symbols is caught:
//! 1. The 13 weights α⁰…α¹² are non-zero and pairwise distinct, since α has order 31 > 12.
//! 2. Substituting a by b at position p changes the sum by w_p·(a + b) ≠ 0 (a field has no zero divisors).
//! 3. Swapping a ≠ b at positions p ≠ q changes it by (w_p + w_q)·(a + b) ≠ 0, both factors being non-zero.
//!
//! The tests check both claims exhaustively on generated codes.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The Crockford base32 alphabet: a symbol's value is its index.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Data symbols in a code (5 bits each: 60 bits).
const DATA_SYMBOLS: usize = 12;

/// Symbols in a code, check included.
pub const CODE_LENGTH: usize = DATA_SYMBOLS + 1;

/// Longest input [`TrackingCode::parse`] looks at, in characters. Generous for separators
/// and stray spaces, small enough that hostile input costs nothing.
pub const MAX_INPUT_LENGTH: usize = 64;

/// Bits of randomness in a code.
const VALUE_BITS: u32 = 5 * DATA_SYMBOLS as u32;

/// Sizes of the displayed groups.
const GROUPS: [usize; 3] = [4, 4, 5];

/// The reduction polynomial x⁵ + x² + 1.
const MODULUS: u8 = 0b10_0101;

/// Multiplication in GF(32): carry-less product reduced modulo x⁵ + x² + 1.
const fn gf_mul(a: u8, b: u8) -> u8 {
    let mut a = a;
    let mut b = b;
    let mut product = 0;
    while b != 0 {
        if b & 1 != 0 {
            product ^= a;
        }
        b >>= 1;
        a <<= 1;
        if a & 0b10_0000 != 0 {
            a ^= MODULUS;
        }
    }
    product
}

/// Weight of each data position: `WEIGHTS[p] = α^(p+1)`.
const WEIGHTS: [u8; DATA_SYMBOLS] = {
    let mut weights = [0u8; DATA_SYMBOLS];
    let mut power = 1u8;
    let mut p = 0;
    while p < DATA_SYMBOLS {
        power = gf_mul(power, 2);
        weights[p] = power;
        p += 1;
    }
    weights
};

/// The check value of twelve data values (each below 32).
fn check_value(data: &[u8; DATA_SYMBOLS]) -> u8 {
    data.iter()
        .zip(WEIGHTS)
        .fold(0, |sum, (&value, weight)| sum ^ gf_mul(weight, value))
}

/// The value of a symbol after Crockford normalisation, or `None` if it is not one.
fn symbol_value(c: char) -> Option<u8> {
    let upper = match c.to_ascii_uppercase() {
        'O' => '0',
        'I' | 'L' => '1',
        other => other,
    };
    let byte = u8::try_from(upper).ok()?;
    ALPHABET
        .iter()
        .position(|&symbol| symbol == byte)
        .and_then(|index| u8::try_from(index).ok())
}

/// The symbol of a value below 32.
fn symbol(value: u8) -> char {
    char::from(ALPHABET[usize::from(value & 0b1_1111)])
}

/// Separators people type or paste between groups: whitespace and hyphen-like dashes.
fn is_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, '-' | '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}')
}

/// A tracking code, in canonical form: 13 uppercase Crockford symbols, no separators
/// (`as_str`, serde). [`Display`](fmt::Display) shows the grouped form `XXXX-XXXX-XXXXX`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TrackingCode(String);

impl TrackingCode {
    /// A fresh code with 60 random bits from `rng` (the edge passes `OsRng` or a seeded
    /// generator in tests; the domain never mints codes itself).
    pub fn generate<R: rand::RngCore + ?Sized>(rng: &mut R) -> Self {
        Self::from_value(rng.next_u64())
    }

    /// The code of the low 60 bits of `value` (higher bits are ignored): deterministic,
    /// for tests and for importing existing references.
    pub fn from_value(value: u64) -> Self {
        let value = value & ((1 << VALUE_BITS) - 1);
        let mut data = [0u8; DATA_SYMBOLS];
        for (p, slot) in data.iter_mut().enumerate() {
            let shift = 5 * (DATA_SYMBOLS - 1 - p);
            // Masked to five bits, so the narrowing is exact.
            *slot = ((value >> shift) & 0b1_1111) as u8;
        }
        Self::from_data(&data)
    }

    /// The 60-bit value this code carries: `from_value(code.value()) == code`.
    pub fn value(&self) -> u64 {
        self.0
            .chars()
            .take(DATA_SYMBOLS)
            .filter_map(symbol_value)
            .fold(0, |acc, v| (acc << 5) | u64::from(v))
    }

    fn from_data(data: &[u8; DATA_SYMBOLS]) -> Self {
        let mut text = String::with_capacity(CODE_LENGTH);
        text.extend(data.iter().map(|&v| symbol(v)));
        text.push(symbol(check_value(data)));
        Self(text)
    }

    /// Reads a code as a person typed it: case-insensitive, spaces and hyphens anywhere,
    /// O taken for 0 and I or L for 1. Rejects any other character (naming it and its
    /// position), a wrong number of symbols, and a code whose check symbol does not match
    /// (a typing mistake). Never panics; looks at no more than [`MAX_INPUT_LENGTH`] characters.
    pub fn parse(input: &str) -> Result<Self, TrackingCodeError> {
        if input.chars().nth(MAX_INPUT_LENGTH).is_some() {
            return Err(TrackingCodeError::TooLong {
                max: MAX_INPUT_LENGTH,
            });
        }
        let mut symbols = [0u8; CODE_LENGTH];
        let mut found = 0usize;
        for (index, c) in input.chars().enumerate() {
            if is_separator(c) {
                continue;
            }
            let value = symbol_value(c).ok_or(TrackingCodeError::InvalidCharacter {
                character: c,
                position: index + 1,
            })?;
            if let Some(slot) = symbols.get_mut(found) {
                *slot = value;
            }
            found += 1;
        }
        if found != CODE_LENGTH {
            return Err(TrackingCodeError::WrongLength {
                expected: CODE_LENGTH,
                found,
            });
        }
        let mut data = [0u8; DATA_SYMBOLS];
        data.copy_from_slice(&symbols[..DATA_SYMBOLS]);
        if check_value(&data) != symbols[DATA_SYMBOLS] {
            return Err(TrackingCodeError::CheckFailed);
        }
        Ok(Self::from_data(&data))
    }

    /// The canonical form: 13 uppercase symbols without separators.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TrackingCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rest = self.0.as_str();
        for (i, size) in GROUPS.into_iter().enumerate() {
            if i > 0 {
                f.write_str("-")?;
            }
            // The canonical string is ASCII of length 13, so these splits are on boundaries;
            // `split_at_checked` keeps even a broken invariant from panicking.
            let (group, tail) = rest.split_at_checked(size).unwrap_or((rest, ""));
            f.write_str(group)?;
            rest = tail;
        }
        Ok(())
    }
}

impl FromStr for TrackingCode {
    type Err = TrackingCodeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Serialize for TrackingCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for TrackingCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Borrowing would fail on escaped JSON strings; a Cow-free String is simplest.
        let text = String::deserialize(deserializer)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// Why a text is not a tracking code. The messages are meant for the citizen.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TrackingCodeError {
    /// The input is longer than [`MAX_INPUT_LENGTH`] characters.
    #[error(
        "this text is too long to be a tracking code: a tracking code looks like ABCD-1234-EFGH5 \
         (at most {max} characters are read)"
    )]
    TooLong {
        /// The most characters read.
        max: usize,
    },
    /// A character that is neither a symbol nor a separator; `position` counts characters of
    /// the input from 1, separators included.
    #[error(
        "the character {character:?} at position {position} cannot appear in a tracking code: \
         only the digits and the letters A to Z except I, L, O and U are used"
    )]
    InvalidCharacter {
        /// The offending character.
        character: char,
        /// Its position in the input, counted from 1.
        position: usize,
    },
    /// Too few or too many symbols (separators not counted).
    #[error(
        "a tracking code has {expected} letters and digits (not counting spaces and hyphens), \
         this one has {found}"
    )]
    WrongLength {
        /// Symbols in a tracking code.
        expected: usize,
        /// Symbols in the input.
        found: usize,
    },
    /// The check symbol does not match: a character was mistyped or two were swapped.
    #[error(
        "this tracking code contains a mistake (a wrong character or two characters swapped): \
         please check it against your receipt"
    )]
    CheckFailed,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rand::SeedableRng;

    fn replace_symbol(code: &str, position: usize, value: u8) -> String {
        code.chars()
            .enumerate()
            .map(|(i, c)| if i == position { symbol(value) } else { c })
            .collect()
    }

    fn swap(code: &str, p: usize, q: usize) -> String {
        let mut chars: Vec<char> = code.chars().collect();
        chars.swap(p, q);
        chars.into_iter().collect()
    }

    /// Every symbol substitution and every swap of different symbols of `code` is rejected.
    fn assert_all_single_errors_rejected(code: &TrackingCode) {
        let text = code.as_str();
        let symbols: Vec<char> = text.chars().collect();
        assert_eq!(symbols.len(), CODE_LENGTH);
        for (p, &original) in symbols.iter().enumerate() {
            for value in 0..32u8 {
                if symbol(value) == original {
                    continue;
                }
                let mistyped = replace_symbol(text, p, value);
                assert_eq!(
                    TrackingCode::parse(&mistyped),
                    Err(TrackingCodeError::CheckFailed),
                    "substitution at {p} in {text}: {mistyped}"
                );
            }
        }
        for p in 0..CODE_LENGTH {
            for q in p + 1..CODE_LENGTH {
                if symbols[p] == symbols[q] {
                    continue;
                }
                let swapped = swap(text, p, q);
                assert_eq!(
                    TrackingCode::parse(&swapped),
                    Err(TrackingCodeError::CheckFailed),
                    "swap of {p} and {q} in {text}: {swapped}"
                );
            }
        }
    }

    #[test]
    fn field_arithmetic_matches_the_design() {
        // α⁵ = α² + 1, and α is primitive: its powers run through all 31 non-zero elements.
        let mut power = 1u8;
        let mut seen = std::collections::HashSet::new();
        for _ in 0..31 {
            assert!(seen.insert(power));
            power = gf_mul(power, 2);
        }
        assert_eq!(power, 1, "α has order 31");
        assert_eq!(seen.len(), 31);
        assert_eq!(gf_mul(16, 2), 0b0_0101);
        // Hand-computed weights α¹…α¹².
        assert_eq!(WEIGHTS, [2, 4, 8, 16, 5, 10, 20, 13, 26, 17, 7, 14]);
        // Commutative and distributive on the whole field.
        for a in 0..32u8 {
            for b in 0..32u8 {
                assert_eq!(gf_mul(a, b), gf_mul(b, a));
                assert!(gf_mul(a, b) < 32);
                for c in 0..32u8 {
                    assert_eq!(gf_mul(a, b ^ c), gf_mul(a, b) ^ gf_mul(a, c));
                }
            }
        }
    }

    #[test]
    fn known_vectors() {
        // Computed by hand from the weights above.
        let vectors: [(u64, &str, &str); 5] = [
            (0, "0000000000000", "0000-0000-00000"),
            (1, "000000000001E", "0000-0000-0001E"),
            (1 << 55, "1000000000002", "1000-0000-00002"),
            ((1 << 60) - 1, "ZZZZZZZZZZZZR", "ZZZZ-ZZZZ-ZZZZR"),
            // Bits above the 60th are ignored.
            (u64::MAX, "ZZZZZZZZZZZZR", "ZZZZ-ZZZZ-ZZZZR"),
        ];
        for (value, canonical, display) in vectors {
            let code = TrackingCode::from_value(value);
            assert_eq!(code.as_str(), canonical, "value {value}");
            assert_eq!(code.to_string(), display);
            assert_eq!(TrackingCode::parse(display), Ok(code.clone()));
            assert_eq!(TrackingCode::parse(canonical), Ok(code));
        }
    }

    #[test]
    fn normalises_what_people_type() {
        let code = TrackingCode::from_value(1);
        for typed in [
            "0000-0000-0001E",
            "0000 0000 0001e",
            "oooo-OOOO-ooo1e",
            "  0-0-0-0 0000 000 1 E  ",
            "OOOO-OOOO-OOOIE",
            "0000-0000-000lE",
            "0000-0000-000LE",
            "0000\u{2011}0000\u{2011}0001E",
        ] {
            assert_eq!(TrackingCode::parse(typed), Ok(code.clone()), "{typed:?}");
        }
    }

    #[test]
    fn rejections_name_the_problem() {
        assert_eq!(
            TrackingCode::parse("0000-U000-0001E"),
            Err(TrackingCodeError::InvalidCharacter {
                character: 'U',
                position: 6
            })
        );
        assert_eq!(
            TrackingCode::parse("0000-0000-000é1E"),
            Err(TrackingCodeError::InvalidCharacter {
                character: 'é',
                position: 14
            })
        );
        assert_eq!(
            TrackingCode::parse("0000-0000-0001"),
            Err(TrackingCodeError::WrongLength {
                expected: 13,
                found: 12
            })
        );
        assert_eq!(
            TrackingCode::parse("0000-0000-0001E0"),
            Err(TrackingCodeError::WrongLength {
                expected: 13,
                found: 14
            })
        );
        assert_eq!(
            TrackingCode::parse(""),
            Err(TrackingCodeError::WrongLength {
                expected: 13,
                found: 0
            })
        );
        assert_eq!(
            TrackingCode::parse("0000-0000-0001F"),
            Err(TrackingCodeError::CheckFailed)
        );
        let huge = "A".repeat(1_000_000);
        assert_eq!(
            TrackingCode::parse(&huge),
            Err(TrackingCodeError::TooLong { max: 64 })
        );
        let message = TrackingCode::parse("0000-U000-0001E")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            message.contains("'U'") && message.contains("position 6"),
            "{message}"
        );
        let message = TrackingCode::parse("0000")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(message.contains("13"), "{message}");
    }

    #[test]
    fn serde_uses_the_canonical_string_and_validates() {
        let code = TrackingCode::from_value(0x0123_4567_89AB_CDEF);
        let json = serde_json::to_string(&code).unwrap();
        assert_eq!(json, format!("\"{}\"", code.as_str()));
        assert_eq!(serde_json::from_str::<TrackingCode>(&json).unwrap(), code);
        let grouped = format!("\"{}\"", code.to_string().to_lowercase());
        assert_eq!(
            serde_json::from_str::<TrackingCode>(&grouped).unwrap(),
            code
        );
        assert!(serde_json::from_str::<TrackingCode>("\"0000-0000-0001F\"").is_err());
        assert!(serde_json::from_str::<TrackingCode>("42").is_err());
    }

    #[test]
    fn generated_codes_are_valid_and_distinct() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        let codes: std::collections::HashSet<TrackingCode> = (0..1000)
            .map(|_| TrackingCode::generate(&mut rng))
            .collect();
        assert_eq!(codes.len(), 1000);
        for code in &codes {
            assert_eq!(TrackingCode::parse(code.as_str()).as_ref(), Ok(code));
        }
        // Works through a trait object as well (`?Sized`).
        let dynamic: &mut dyn rand::RngCore = &mut rng;
        let code = TrackingCode::generate(dynamic);
        assert_eq!(code.as_str().len(), CODE_LENGTH);
    }

    #[test]
    fn single_errors_are_caught_on_fixed_codes() {
        for value in [0, 1, 1 << 55, (1 << 60) - 1, 0x0123_4567_89AB_CDEF] {
            assert_all_single_errors_rejected(&TrackingCode::from_value(value));
        }
    }

    /// A way of typing one symbol that `parse` must accept.
    fn typed_variant(c: char, choice: u8) -> String {
        let base = match (c, choice % 3) {
            ('0', 1) => 'O',
            ('0', 2) => 'o',
            ('1', 1) => 'I',
            ('1', 2) => 'l',
            (c, 1) => c.to_ascii_lowercase(),
            (c, _) => c,
        };
        let separator = match choice / 3 % 4 {
            0 => "",
            1 => "-",
            2 => " ",
            _ => " - ",
        };
        format!("{base}{separator}")
    }

    proptest! {
        #[test]
        fn round_trips(value in any::<u64>()) {
            let code = TrackingCode::from_value(value);
            prop_assert_eq!(code.value(), value & ((1 << VALUE_BITS) - 1));
            prop_assert_eq!(TrackingCode::parse(code.as_str()), Ok(code.clone()));
            prop_assert_eq!(code.to_string().parse::<TrackingCode>(), Ok(code.clone()));
            let json = serde_json::to_string(&code).unwrap();
            prop_assert_eq!(serde_json::from_str::<TrackingCode>(&json).unwrap(), code);
        }

        #[test]
        fn every_substitution_is_rejected(value in any::<u64>(), p in 0..CODE_LENGTH, v in 0..32u8) {
            let code = TrackingCode::from_value(value);
            let original = code.as_str().chars().nth(p).and_then(symbol_value);
            prop_assume!(original != Some(v));
            let mistyped = replace_symbol(code.as_str(), p, v);
            prop_assert_eq!(TrackingCode::parse(&mistyped), Err(TrackingCodeError::CheckFailed));
        }

        #[test]
        fn every_transposition_is_rejected(value in any::<u64>(), p in 0..CODE_LENGTH, q in 0..CODE_LENGTH) {
            let code = TrackingCode::from_value(value);
            let chars: Vec<char> = code.as_str().chars().collect();
            prop_assume!(chars[p] != chars[q]);
            let swapped = swap(code.as_str(), p, q);
            prop_assert_eq!(TrackingCode::parse(&swapped), Err(TrackingCodeError::CheckFailed));
        }

        #[test]
        fn all_single_errors_of_random_codes_are_rejected(value in any::<u64>()) {
            assert_all_single_errors_rejected(&TrackingCode::from_value(value));
        }

        #[test]
        fn normalisation_is_accepted(value in any::<u64>(), choices in proptest::collection::vec(0..12u8, CODE_LENGTH)) {
            let code = TrackingCode::from_value(value);
            let typed: String = code
                .as_str()
                .chars()
                .zip(choices)
                .map(|(c, choice)| typed_variant(c, choice))
                .collect();
            prop_assume!(typed.chars().count() <= MAX_INPUT_LENGTH);
            prop_assert_eq!(TrackingCode::parse(&typed), Ok(code));
        }

        #[test]
        fn parse_never_panics(input in any::<String>()) {
            let _ = TrackingCode::parse(&input);
        }

        #[test]
        fn parse_never_panics_on_code_like_input(input in "[0-9A-Za-z \\-]{0,80}") {
            if let Ok(code) = TrackingCode::parse(&input) {
                prop_assert_eq!(TrackingCode::parse(&code.to_string()), Ok(code));
            }
        }
    }
}
