//! Leadership of background jobs across processes sharing one database.
//!
//! Several gateway processes may run on one PostgreSQL; each named job (a projection) must
//! run in only one of them at a time. The leader holds a session-level advisory lock keyed
//! by the job's name, on a connection of its own taken out of the pool: when its process
//! dies, PostgreSQL closes the session and releases the lock, and a standby process takes
//! it at its next attempt. A leader checks its connection before each round of work, so a
//! lease lost with its connection (database restart, network cut) is noticed and retaken.
//!
//! Leadership only decides who works. Correctness does not rest on it: the projection
//! runner also locks the checkpoint row in each batch's transaction, so two runners that
//! briefly both believe they lead still apply each event once.
//!
//! An SQLite store is one file on one machine; its leases are always granted.

use sha2::{Digest, Sha256};
use sqlx::{Connection, PgConnection};

use crate::error::StoreError;
use crate::store::{Backend, Store};

/// The right to run job `name` in this process, for as long as it is held.
#[derive(Debug)]
pub struct Lease {
    job: String,
    key: i64,
    /// The session holding the advisory lock (PostgreSQL only).
    session: Option<PgConnection>,
}

impl Lease {
    /// The job this lease is for.
    pub fn job(&self) -> &str {
        &self.job
    }

    /// Whether the lease is still held: its session still answers.
    pub async fn is_held(&mut self) -> bool {
        match &mut self.session {
            Some(session) => session.ping().await.is_ok(),
            None => true,
        }
    }

    /// Gives the lease up, so that another process may take it at once.
    pub async fn release(self) {
        if let Some(mut session) = self.session {
            let released = sqlx::query("SELECT pg_advisory_unlock($1)")
                .bind(self.key)
                .execute(&mut session)
                .await;
            if let Err(error) = released {
                // Closing the session releases it anyway.
                tracing::debug!(job = self.job, %error, "advisory unlock failed");
            }
            if let Err(error) = session.close().await {
                tracing::debug!(job = self.job, %error, "closing the lease session failed");
            }
        }
    }
}

/// The advisory-lock key of job `name`: the first eight bytes of SHA-256 over a prefixed
/// name, so that the keys of different jobs do not collide in practice and stay away from
/// keys other software might use on the same database.
fn lock_key(name: &str) -> i64 {
    let digest = Sha256::digest(format!("e-moatinet job:{name}").as_bytes());
    let mut bytes = [0_u8; 8];
    bytes.copy_from_slice(&digest[..8]);
    i64::from_be_bytes(bytes)
}

impl Store {
    /// Takes the lease of job `name` if no other session holds it; `None` when one does.
    pub async fn try_lead(&self, name: &str) -> Result<Option<Lease>, StoreError> {
        let key = lock_key(name);
        let session = match self.backend() {
            Backend::Sqlite(_) => None,
            Backend::Postgres(pool) => {
                // A connection of its own: returned to the pool, it would carry the lock
                // to whichever task borrowed it next.
                let mut session = pool.acquire().await?.detach();
                let (granted,): (bool,) = sqlx::query_as("SELECT pg_try_advisory_lock($1)")
                    .bind(key)
                    .fetch_one(&mut session)
                    .await?;
                if !granted {
                    // Not ours: nothing to release, the session just closes.
                    if let Err(error) = session.close().await {
                        tracing::debug!(job = name, %error, "closing a refused session failed");
                    }
                    return Ok(None);
                }
                Some(session)
            }
        };
        Ok(Some(Lease {
            job: name.to_owned(),
            key,
            session,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::lock_key;

    #[test]
    fn jobs_get_distinct_stable_keys() {
        assert_eq!(lock_key("files"), lock_key("files"));
        assert_ne!(lock_key("files"), lock_key("inbox"));
    }
}
