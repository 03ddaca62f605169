//! The canonical form of an answer document: RFC 8785 JSON Canonicalization Scheme (JCS).
//!
//! A signature is over bytes, so every verifier must rebuild exactly the bytes the signatory
//! signed, whatever JSON library or field order it uses. JCS fixes that: object members sorted
//! by their UTF-16 code units, no insignificant whitespace, strings escaped minimally.
//!
//! The available `serde_jcs` crate is unmaintained, so this is a small encoder over
//! [`serde_json::Value`]. It implements JCS fully for everything an [`AnswerDocument`] holds
//! (strings, objects, arrays, booleans, null, integers); it refuses numbers with a fraction or
//! beyond ±2^53, whose JCS form needs the ECMAScript number formatter, rather than risk
//! producing a form another JCS implementation would disagree with.

use citizen_file::AnswerDocument;
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

/// Why a value has no canonical form here.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CanonicalError {
    /// Serialization to JSON failed.
    #[error("the value cannot be serialized to JSON: {0}")]
    Serialize(String),
    /// A number this encoder does not canonicalize (fraction, or outside ±2^53).
    #[error("the number {0} has no canonical form in this encoder")]
    UnsupportedNumber(String),
}

/// Largest integer JSON numbers carry exactly in an IEEE 754 double (2^53), the range in which
/// the decimal form of an integer is its JCS form.
const MAX_SAFE_INTEGER: u64 = 1 << 53;

/// The JCS bytes of any serializable value.
pub fn canonical_json<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, CanonicalError> {
    let value =
        serde_json::to_value(value).map_err(|e| CanonicalError::Serialize(e.to_string()))?;
    let mut out = Vec::new();
    write_value(&value, &mut out)?;
    Ok(out)
}

/// The JCS bytes of an answer document: what the signatory signs.
pub fn canonical_document(document: &AnswerDocument) -> Result<Vec<u8>, CanonicalError> {
    canonical_json(document)
}

/// SHA-256 of the canonical document, lowercase hex: the `document_hash` of an
/// [`AnswerSignature`](citizen_file::AnswerSignature).
pub fn document_hash(document: &AnswerDocument) -> Result<String, CanonicalError> {
    Ok(hex::encode(Sha256::digest(canonical_document(document)?)))
}

fn write_value(value: &Value, out: &mut Vec<u8>) -> Result<(), CanonicalError> {
    match value {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(true) => out.extend_from_slice(b"true"),
        Value::Bool(false) => out.extend_from_slice(b"false"),
        Value::Number(number) => write_number(number, out)?,
        Value::String(string) => write_string(string, out),
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_value(item, out)?;
            }
            out.push(b']');
        }
        Value::Object(members) => {
            // RFC 8785 §3.2.3: members sorted by the UTF-16 code units of their names, not by
            // UTF-8 bytes (the two orders differ above U+FFFF).
            let mut sorted: Vec<(&String, &Value)> = members.iter().collect();
            sorted.sort_by(|(a, _), (b, _)| a.encode_utf16().cmp(b.encode_utf16()));
            out.push(b'{');
            for (i, (name, member)) in sorted.into_iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_string(name, out);
                out.push(b':');
                write_value(member, out)?;
            }
            out.push(b'}');
        }
    }
    Ok(())
}

fn write_number(number: &serde_json::Number, out: &mut Vec<u8>) -> Result<(), CanonicalError> {
    if let Some(n) = number.as_u64().filter(|n| *n <= MAX_SAFE_INTEGER) {
        out.extend_from_slice(n.to_string().as_bytes());
        return Ok(());
    }
    if let Some(n) = number
        .as_i64()
        .filter(|n| n.unsigned_abs() <= MAX_SAFE_INTEGER)
    {
        out.extend_from_slice(n.to_string().as_bytes());
        return Ok(());
    }
    Err(CanonicalError::UnsupportedNumber(number.to_string()))
}

/// RFC 8785 §3.2.2.2: `"` and `\` escaped, the controls U+0000..U+001F as `\b \t \n \f \r` or
/// `\u00xx` (lowercase hex), everything else, including non-ASCII, as is.
fn write_string(string: &str, out: &mut Vec<u8>) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push(b'"');
    let mut buffer = [0_u8; 4];
    for c in string.chars() {
        match c {
            '"' => out.extend_from_slice(b"\\\""),
            '\\' => out.extend_from_slice(b"\\\\"),
            '\u{8}' => out.extend_from_slice(b"\\b"),
            '\t' => out.extend_from_slice(b"\\t"),
            '\n' => out.extend_from_slice(b"\\n"),
            '\u{c}' => out.extend_from_slice(b"\\f"),
            '\r' => out.extend_from_slice(b"\\r"),
            c if u32::from(c) < 0x20 => {
                let code = u32::from(c) as usize;
                out.extend_from_slice(b"\\u00");
                out.push(HEX[code >> 4]);
                out.push(HEX[code & 0xf]);
            }
            c => out.extend_from_slice(c.encode_utf8(&mut buffer).as_bytes()),
        }
    }
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn text(value: &Value) -> String {
        String::from_utf8(canonical_json(value).unwrap()).unwrap()
    }

    #[test]
    fn members_are_sorted_and_whitespace_removed_whatever_the_input_order() {
        let a: Value =
            serde_json::from_str(r#"{ "b": [1, {"z": true, "a": null}], "a": "x" }"#).unwrap();
        let b: Value = serde_json::from_str(r#"{"a":"x","b":[1,{"a":null,"z":true}]}"#).unwrap();
        assert_eq!(text(&a), r#"{"a":"x","b":[1,{"a":null,"z":true}]}"#);
        assert_eq!(canonical_json(&a).unwrap(), canonical_json(&b).unwrap());
    }

    #[test]
    fn names_sort_by_utf16_code_units_as_rfc_8785_example() {
        // RFC 8785 §3.2.3's sorting example: U+1F600 (surrogates D83D DE00) sorts before
        // U+FB33 in UTF-16 although it comes after it in UTF-8 and in code points.
        let value = json!({
            "\u{20ac}": "Euro Sign",
            "\r": "Carriage Return",
            "\u{fb33}": "Hebrew Letter Dalet With Dagesh",
            "1": "One",
            "\u{1f600}": "Emoji: Grinning Face",
            "\u{80}": "Control",
            "\u{f6}": "Latin Small Letter O With Diaeresis"
        });
        assert_eq!(
            text(&value),
            concat!(
                "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u{80}\":\"Control\",",
                "\"\u{f6}\":\"Latin Small Letter O With Diaeresis\",\"\u{20ac}\":\"Euro Sign\",",
                "\"\u{1f600}\":\"Emoji: Grinning Face\",",
                "\"\u{fb33}\":\"Hebrew Letter Dalet With Dagesh\"}"
            )
        );
    }

    #[test]
    fn strings_are_escaped_minimally() {
        let value = json!("\u{0}\u{8}\t\n\u{c}\r\u{1f}\"\\/é€ ok");
        assert_eq!(
            text(&value),
            "\"\\u0000\\b\\t\\n\\f\\r\\u001f\\\"\\\\/é€ ok\""
        );
    }

    #[test]
    fn integers_are_written_plainly_and_other_numbers_refused() {
        assert_eq!(
            text(&json!([0, -1, 9_007_199_254_740_992_u64])),
            "[0,-1,9007199254740992]"
        );
        assert_eq!(
            canonical_json(&json!(1.5)),
            Err(CanonicalError::UnsupportedNumber("1.5".into()))
        );
        assert!(canonical_json(&json!(9_007_199_254_740_993_u64)).is_err());
    }

    proptest::proptest! {
        /// Whatever the names and strings (controls, quotes, astral characters), the
        /// canonical text is JSON that reads back as the same value, and canonicalizing it
        /// again changes nothing.
        #[test]
        fn canonical_text_is_json_of_the_same_value_and_a_fixed_point(
            members in proptest::collection::btree_map(".{0,6}", ".{0,12}", 0..8),
            nested in proptest::collection::vec(any_integer(), 0..4),
        ) {
            let mut object = serde_json::Map::new();
            for (name, text) in &members {
                object.insert(name.clone(), Value::String(text.clone()));
            }
            object.insert("nested".into(), json!(nested));
            let value = Value::Object(object);
            let canonical = canonical_json(&value).unwrap();
            let reread: Value = serde_json::from_slice(&canonical).unwrap();
            proptest::prop_assert_eq!(&reread, &value);
            proptest::prop_assert_eq!(canonical_json(&reread).unwrap(), canonical);
        }
    }

    fn any_integer() -> impl proptest::strategy::Strategy<Value = i64> {
        -(1_i64 << 53)..=(1_i64 << 53)
    }
}
