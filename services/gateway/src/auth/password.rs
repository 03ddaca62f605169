//! Password hashing with argon2id. The parameters are configuration: production keeps the
//! OWASP-recommended memory cost; tests lower it so that suites stay fast.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use serde::Deserialize;

/// Argon2id cost parameters.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct PasswordSettings {
    /// Memory in KiB.
    pub memory_kib: u32,
    /// Passes.
    pub iterations: u32,
    /// Lanes.
    pub parallelism: u32,
    /// Shortest password accepted, in characters.
    pub min_length: usize,
}

impl Default for PasswordSettings {
    fn default() -> Self {
        // OWASP: argon2id, 19 MiB, 2 iterations, 1 lane.
        Self {
            memory_kib: 19 * 1024,
            iterations: 2,
            parallelism: 1,
            min_length: 10,
        }
    }
}

/// Hashing failed (bad parameters).
#[derive(Debug, thiserror::Error)]
#[error("password hashing: {0}")]
pub struct HashError(String);

fn argon2(settings: &PasswordSettings) -> Result<Argon2<'static>, HashError> {
    let params = Params::new(
        settings.memory_kib,
        settings.iterations,
        settings.parallelism,
        None,
    )
    .map_err(|e| HashError(e.to_string()))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// The PHC string of `password`'s hash, with a fresh salt.
pub fn hash(password: &str, settings: &PasswordSettings) -> Result<String, HashError> {
    let salt = SaltString::generate(&mut OsRng);
    argon2(settings)?
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| HashError(e.to_string()))
}

/// Whether `password` matches the stored PHC string (whatever parameters it was made with).
pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHEAP: PasswordSettings = PasswordSettings {
        memory_kib: 64,
        iterations: 1,
        parallelism: 1,
        min_length: 10,
    };

    #[test]
    fn a_password_verifies_against_its_hash_and_only_its_own() {
        let stored = hash("correct horse battery", &CHEAP).unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify("correct horse battery", &stored));
        assert!(!verify("correct horse batterY", &stored));
        assert!(!verify("anything", "not a phc string"));
        assert_ne!(
            stored,
            hash("correct horse battery", &CHEAP).unwrap(),
            "salted"
        );
    }
}
