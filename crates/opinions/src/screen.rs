//! A screen for personal data in texts that are stored and published in clear.
//!
//! The committee's report and its public summary (decree 2019-401 art. 14-15) are public
//! texts: not sealed, so that they can be posted and read by anyone, and therefore never
//! erasable. Art. 15 requires the posting to respect personal-data protection, and a text in
//! clear must not hold what a key erasure could not reach. No program can recognise every
//! name or address, so the rule is enforced in two layers:
//!
//! 1. this screen refuses what can be recognised without false alarms on ordinary public
//!    prose (dates, amounts, article numbers): e-mail addresses, telephone numbers written
//!    with the Tunisian prefix or as four pairs of digits, and runs of eight or more digits
//!    (the length of a national identity card or a Tunisian telephone number);
//! 2. the committee member who files the texts attests that they hold no personal data; the
//!    attestation and its author are in the event.
//!
//! Not caught, by design: numbers grouped 2-3-3 ("98 123 456"), indistinguishable from
//! amounts ("12 500 000"), and names. The attestation covers them.

use serde::{Deserialize, Serialize};

/// What the screen recognised.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PersonalDataKind {
    /// An e-mail address.
    EmailAddress,
    /// A telephone number (+216 prefix, or four pairs of digits).
    PhoneNumber,
    /// Eight or more digits in a row: an identity card or telephone number.
    LongNumber,
}

/// Where the screen found personal data: its kind and the position (in characters, from 1)
/// where it begins. Never the matched text itself, which is the personal data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PersonalDataFinding {
    /// What was found.
    pub kind: PersonalDataKind,
    /// Where it begins, counting characters from 1.
    pub position: usize,
}

/// The first personal data the screen recognises in `text`, if any.
pub fn find_personal_data(text: &str) -> Option<PersonalDataFinding> {
    let chars: Vec<char> = text.chars().collect();
    find_email(&chars).or_else(|| find_number(&chars))
}

/// Whether `candidate`, as a whole, has the shape of an e-mail address: one `@`, a local part
/// of the characters RFC 5322 allows unquoted, a domain of at least two dot-separated labels
/// of letters, digits and hyphens.
pub(crate) fn is_email_address(candidate: &str) -> bool {
    let Some((local, domain)) = candidate.split_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local
            .chars()
            .all(|c| c.is_alphanumeric() || ".!#$%&'*+/=?^_`{|}~-".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|label| {
            !label.is_empty() && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        });
    local_ok && domain_ok
}

/// E-mail addresses: words around an `@`, cut at white space and at punctuation that cannot
/// be part of an address, without a trailing full stop.
fn find_email(chars: &[char]) -> Option<PersonalDataFinding> {
    let is_boundary = |c: char| c.is_whitespace() || ",;:()<>[]\"«»".contains(c);
    let mut start = 0;
    while start < chars.len() {
        let end = chars[start..]
            .iter()
            .position(|&c| is_boundary(c))
            .map_or(chars.len(), |offset| start + offset);
        let word: String = chars[start..end].iter().collect();
        if is_email_address(word.trim_end_matches('.')) {
            return Some(PersonalDataFinding {
                kind: PersonalDataKind::EmailAddress,
                position: start + 1,
            });
        }
        start = end + 1;
    }
    None
}

/// Telephone and identity numbers, from the runs of ASCII digits in the text.
fn find_number(chars: &[char]) -> Option<PersonalDataFinding> {
    // (position of the first digit, number of digits) of each run of digits.
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for (index, c) in chars.iter().enumerate() {
        if !c.is_ascii_digit() {
            continue;
        }
        match runs.last_mut() {
            Some((start, len)) if *start + *len == index => *len += 1,
            _ => runs.push((index, 1)),
        }
    }
    let found = |kind, index: usize| {
        Some(PersonalDataFinding {
            kind,
            position: index + 1,
        })
    };
    for (i, &(start, len)) in runs.iter().enumerate() {
        if start > 0 && chars[start - 1] == '+' && chars[start..].starts_with(&['2', '1', '6']) {
            return found(PersonalDataKind::PhoneNumber, start - 1);
        }
        if len >= 8 {
            return found(PersonalDataKind::LongNumber, start);
        }
        // Four pairs of digits, each separated by one space, dot or hyphen: "71 23 45 67".
        let pairs = runs.get(i..i + 4).is_some_and(|group| {
            group.iter().all(|&(_, len)| len == 2)
                && group
                    .windows(2)
                    .all(|w| w[0].0 + 3 == w[1].0 && " .-".contains(chars[w[0].0 + 2]))
        });
        if pairs {
            return found(PersonalDataKind::PhoneNumber, start);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(text: &str) -> Option<PersonalDataKind> {
        find_personal_data(text).map(|finding| finding.kind)
    }

    #[test]
    fn e_mail_addresses_are_found_with_their_position() {
        assert_eq!(
            find_personal_data("Écrire à amira.bs@example.tn."),
            Some(PersonalDataFinding {
                kind: PersonalDataKind::EmailAddress,
                position: 10
            })
        );
        assert_eq!(
            kind("contact (sami@mail.com)"),
            Some(PersonalDataKind::EmailAddress)
        );
        assert_eq!(kind("البريد: x@y.tn"), Some(PersonalDataKind::EmailAddress));
    }

    #[test]
    fn telephone_and_identity_numbers_are_found() {
        assert_eq!(
            kind("appeler le +216 98 123 456"),
            Some(PersonalDataKind::PhoneNumber)
        );
        assert_eq!(
            kind("tél. 71 23 45 67"),
            Some(PersonalDataKind::PhoneNumber)
        );
        assert_eq!(
            kind("tél. 71.23.45.67"),
            Some(PersonalDataKind::PhoneNumber)
        );
        assert_eq!(kind("CIN 08123456"), Some(PersonalDataKind::LongNumber));
        assert_eq!(kind("tél 98123456"), Some(PersonalDataKind::LongNumber));
    }

    #[test]
    fn ordinary_public_prose_passes() {
        for text in [
            "Séance du 20/02/2026 à 10:00, décret 2019-401, art. 14-15.",
            "Budget : 12 500 000 dinars, dont 1 250 000 pour l'éclairage.",
            "42 avis, 7 questions, 3 propositions ; 2025-2026.",
            "Le courriel est l'outil préféré @ la mairie.",
            "Adresse électronique de la commune sur son site",
        ] {
            assert_eq!(find_personal_data(text), None, "{text}");
        }
    }

    #[test]
    fn e_mail_shape() {
        assert!(is_email_address("a.b-c+d@mail.example.tn"));
        for bad in [
            "", "a@", "@b.tn", "a@b", "a@@b.tn", "a b@c.tn", "a@b..tn", "a@-.tn!",
        ] {
            assert!(!is_email_address(bad), "{bad}");
        }
    }
}
