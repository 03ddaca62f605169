//! Identity and access (ADR 0007): accounts, passwords, sessions, one-time tokens, role
//! grants and the access audit, in the gateway's own tables.
//!
//! - [`IdentityStore`]: every read and write of those tables;
//! - [`password`]: argon2id hashing;
//! - [`principal`]: who a request comes from (session cookie or bearer token) and which
//!   grant it acts under;
//! - [`routes`]: registration, confirmation, login, logout, password reset, invitations.

pub mod password;
pub mod principal;
pub mod routes;
mod store;

pub use principal::{Acting, Principal};
pub use store::{Account, AccountStatus, IdentityError, IdentityStore, TokenPurpose};
