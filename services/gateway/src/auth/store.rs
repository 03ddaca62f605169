//! The identity tables: every query of accounts, credentials, sessions, one-time tokens,
//! grants, the organisation directory and the access audit, in portable SQL (`sqlx::Any`).
//!
//! Secrets are never stored: session and one-time tokens are 256 random bits given to
//! their holder once, and only their SHA-256 is kept.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use kernel::organisation::{Governorate, LocalizedName};
use kernel::personal_data::SubjectId;
use kernel::{ActorId, ActorKind, Organisation, OrganisationId, OrganisationKind, Role, RoleGrant};
use rand::RngCore;
use rand::rngs::OsRng;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::AnyPool;

/// Why an identity operation failed.
#[derive(Debug, thiserror::Error)]
pub enum IdentityError {
    /// The e-mail address has an account already.
    #[error("an account with this e-mail address exists")]
    EmailTaken,
    /// No such account, organisation or grant.
    #[error("not found")]
    NotFound,
    /// The database failed.
    #[error("identity database error: {0}")]
    Database(#[from] sqlx::Error),
    /// A stored value is not what it should be.
    #[error("corrupt identity data: {0}")]
    Corrupt(String),
}

/// Where an account stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AccountStatus {
    /// Waiting for its e-mail address to be confirmed (or its invitation accepted).
    Pending,
    /// In use.
    Active,
    /// Closed by an administrator: no session works.
    Disabled,
}

impl AccountStatus {
    fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Active => "active",
            Self::Disabled => "disabled",
        }
    }
}

/// What a one-time token is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenPurpose {
    /// Confirming a citizen's e-mail address.
    ConfirmEmail,
    /// Choosing a new password.
    ResetPassword,
    /// An agent choosing a first password.
    Invitation,
}

impl TokenPurpose {
    fn as_str(self) -> &'static str {
        match self {
            Self::ConfirmEmail => "confirm_email",
            Self::ResetPassword => "reset_password",
            Self::Invitation => "invitation",
        }
    }
}

/// An account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Account {
    /// Its id, also the actor id in event metadata.
    pub id: ActorId,
    /// Citizen, agent or system.
    pub kind: ActorKind,
    /// Its e-mail address (login), lowercased.
    pub email: String,
    /// Where it stands.
    pub status: AccountStatus,
    /// `ar` or `fr`.
    pub language: String,
    /// The data subject whose key seals this person's data.
    pub subject: SubjectId,
}

type AccountRow = (String, String, String, String, String, String);

/// id, kind, Arabic name, French name, parent, governorate.
type OrganisationRow = (
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
);

const ACCOUNT_COLUMNS: &str = "id, kind, email, status, language, subject_id";

fn parse<T: std::str::FromStr>(value: &str, what: &str) -> Result<T, IdentityError> {
    value
        .parse()
        .map_err(|_| IdentityError::Corrupt(format!("{what} `{value}`")))
}

fn enum_from<T: for<'de> Deserialize<'de>>(value: &str, what: &str) -> Result<T, IdentityError> {
    serde_json::from_value(serde_json::Value::String(value.to_owned()))
        .map_err(|_| IdentityError::Corrupt(format!("{what} `{value}`")))
}

fn enum_to<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(text)) => text,
        _ => String::new(),
    }
}

fn account(row: AccountRow) -> Result<Account, IdentityError> {
    let (id, kind, email, status, language, subject) = row;
    Ok(Account {
        id: parse(&id, "account id")?,
        kind: enum_from(&kind, "account kind")?,
        email,
        status: enum_from(&status, "account status")?,
        language,
        subject: parse(&subject, "subject id")?,
    })
}

/// A new secret token and the hash to store.
fn new_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let hash = token_hash(&token);
    (token, hash)
}

/// What is stored of a token.
pub(crate) fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The identity tables. Cheap to clone.
#[derive(Clone, Debug)]
pub struct IdentityStore {
    pool: AnyPool,
}

impl IdentityStore {
    /// The tables of `pool`'s database.
    pub fn new(pool: AnyPool) -> Self {
        Self { pool }
    }

    /// Creates an account; its e-mail must be free.
    pub async fn create_account(
        &self,
        kind: ActorKind,
        email: &str,
        language: &str,
        status: AccountStatus,
        now_ms: i64,
    ) -> Result<Account, IdentityError> {
        let account = Account {
            id: ActorId::new_v7(),
            kind,
            email: email.to_owned(),
            status,
            language: language.to_owned(),
            subject: SubjectId::new_v7(),
        };
        let inserted = sqlx::query(
            "INSERT INTO accounts (id, kind, email, status, language, subject_id, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (email) DO NOTHING",
        )
        .bind(account.id.to_string())
        .bind(enum_to(&account.kind))
        .bind(&account.email)
        .bind(status.as_str())
        .bind(&account.language)
        .bind(account.subject.to_string())
        .bind(now_ms)
        .execute(&self.pool)
        .await?;
        if inserted.rows_affected() == 0 {
            return Err(IdentityError::EmailTaken);
        }
        Ok(account)
    }

    /// The account with this id.
    pub async fn account(&self, id: ActorId) -> Result<Account, IdentityError> {
        let row: Option<AccountRow> = sqlx::query_as(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE id = $1"
        ))
        .bind(id.to_string())
        .fetch_optional(&self.pool)
        .await?;
        row.map(account).transpose()?.ok_or(IdentityError::NotFound)
    }

    /// The account with this (lowercased) e-mail address, if any.
    pub async fn account_by_email(&self, email: &str) -> Result<Option<Account>, IdentityError> {
        let row: Option<AccountRow> = sqlx::query_as(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE email = $1"
        ))
        .bind(email)
        .fetch_optional(&self.pool)
        .await?;
        row.map(account).transpose()
    }

    /// Sets an account's status.
    pub async fn set_status(
        &self,
        id: ActorId,
        status: AccountStatus,
        now_ms: i64,
    ) -> Result<(), IdentityError> {
        sqlx::query(
            "UPDATE accounts SET status = $2, \
             confirmed_at = CASE WHEN $2 = 'active' AND confirmed_at IS NULL THEN $3 ELSE confirmed_at END \
             WHERE id = $1",
        )
        .bind(id.to_string())
        .bind(status.as_str())
        .bind(now_ms)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Closes an account for good and removes what identifies its holder (law 2004-63,
    /// erasure): the address becomes a placeholder, the password, sessions, pending tokens
    /// and linked external identities go, and messages still waiting for that address are
    /// withdrawn from the outbox. One transaction: all of it or nothing. The access audit
    /// keeps the account id, which identifies no one once this is done.
    pub async fn erase_account(&self, account: &Account, now_ms: i64) -> Result<(), IdentityError> {
        let id = account.id.to_string();
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE accounts SET email = $2, status = 'disabled' WHERE id = $1")
            .bind(&id)
            .bind(format!("erased-{id}@invalid"))
            .execute(&mut *tx)
            .await?;
        for table in [
            "DELETE FROM credentials WHERE account_id = $1",
            "DELETE FROM one_time_tokens WHERE account_id = $1",
            "DELETE FROM external_identities WHERE account_id = $1",
        ] {
            sqlx::query(table).bind(&id).execute(&mut *tx).await?;
        }
        sqlx::query(
            "UPDATE sessions SET revoked_at = $2 WHERE account_id = $1 AND revoked_at IS NULL",
        )
        .bind(&id)
        .bind(now_ms)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE outbox SET status = 'dead', destination = 'erased', message = '{}', \
             last_error = 'recipient erased' WHERE channel = 'email' AND destination = $1",
        )
        .bind(&account.email)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sets (or replaces) an account's password hash and clears its failures.
    pub async fn set_password(
        &self,
        id: ActorId,
        hash: &str,
        now_ms: i64,
    ) -> Result<(), IdentityError> {
        sqlx::query(
            "INSERT INTO credentials (account_id, password_hash, failed_attempts, changed_at) \
             VALUES ($1, $2, 0, $3) ON CONFLICT (account_id) DO UPDATE SET \
             password_hash = excluded.password_hash, failed_attempts = 0, locked_until = NULL, \
             changed_at = excluded.changed_at",
        )
        .bind(id.to_string())
        .bind(hash)
        .bind(now_ms)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The stored hash, the failure count and the lock end of an account's password.
    pub async fn credentials(
        &self,
        id: ActorId,
    ) -> Result<Option<(String, i64, Option<i64>)>, IdentityError> {
        Ok(sqlx::query_as(
            "SELECT password_hash, failed_attempts, locked_until FROM credentials WHERE account_id = $1",
        )
        .bind(id.to_string())
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Counts a failed login; locks the account until `lock_until_ms` once `max` failures
    /// in a row are reached. Returns the failures so far.
    pub async fn record_failure(
        &self,
        id: ActorId,
        max: i64,
        lock_until_ms: i64,
    ) -> Result<i64, IdentityError> {
        sqlx::query(
            "UPDATE credentials SET failed_attempts = failed_attempts + 1, \
             locked_until = CASE WHEN failed_attempts + 1 >= $2 THEN $3 ELSE locked_until END \
             WHERE account_id = $1",
        )
        .bind(id.to_string())
        .bind(max)
        .bind(lock_until_ms)
        .execute(&self.pool)
        .await?;
        Ok(self
            .credentials(id)
            .await?
            .map_or(0, |(_, failures, _)| failures))
    }

    /// Clears failures after a successful login.
    pub async fn clear_failures(&self, id: ActorId) -> Result<(), IdentityError> {
        sqlx::query(
            "UPDATE credentials SET failed_attempts = 0, locked_until = NULL WHERE account_id = $1",
        )
        .bind(id.to_string())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Opens a session; returns its token (given once to its holder).
    pub async fn create_session(
        &self,
        id: ActorId,
        now_ms: i64,
        expires_at_ms: i64,
    ) -> Result<String, IdentityError> {
        let (token, hash) = new_token();
        sqlx::query(
            "INSERT INTO sessions (token_hash, account_id, created_at, last_seen_at, expires_at) \
             VALUES ($1, $2, $3, $3, $4)",
        )
        .bind(hash)
        .bind(id.to_string())
        .bind(now_ms)
        .bind(expires_at_ms)
        .execute(&self.pool)
        .await?;
        Ok(token)
    }

    /// The account of a live session (not revoked, not past its absolute expiry, seen
    /// within `idle_ms`), marking it seen now.
    pub async fn session_account(
        &self,
        token: &str,
        now_ms: i64,
        idle_ms: i64,
    ) -> Result<Option<ActorId>, IdentityError> {
        let hash = token_hash(token);
        let live: Option<(String,)> = sqlx::query_as(
            "SELECT account_id FROM sessions WHERE token_hash = $1 AND revoked_at IS NULL \
             AND expires_at > $2 AND last_seen_at > $3",
        )
        .bind(&hash)
        .bind(now_ms)
        .bind(now_ms.saturating_sub(idle_ms))
        .fetch_optional(&self.pool)
        .await?;
        let Some((account,)) = live else {
            return Ok(None);
        };
        sqlx::query("UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1")
            .bind(&hash)
            .bind(now_ms)
            .execute(&self.pool)
            .await?;
        Ok(Some(parse(&account, "account id")?))
    }

    /// Revokes one session.
    pub async fn revoke_session(&self, token: &str, now_ms: i64) -> Result<bool, IdentityError> {
        let done = sqlx::query(
            "UPDATE sessions SET revoked_at = $2 WHERE token_hash = $1 AND revoked_at IS NULL",
        )
        .bind(token_hash(token))
        .bind(now_ms)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Revokes every session of an account (password changed, account disabled).
    pub async fn revoke_sessions_of(&self, id: ActorId, now_ms: i64) -> Result<u64, IdentityError> {
        let done = sqlx::query(
            "UPDATE sessions SET revoked_at = $2 WHERE account_id = $1 AND revoked_at IS NULL",
        )
        .bind(id.to_string())
        .bind(now_ms)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected())
    }

    /// Issues a one-time token; returns it (given once to its holder).
    pub async fn issue_token(
        &self,
        id: ActorId,
        purpose: TokenPurpose,
        expires_at_ms: i64,
    ) -> Result<String, IdentityError> {
        let (token, hash) = new_token();
        sqlx::query(
            "INSERT INTO one_time_tokens (token_hash, account_id, purpose, expires_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(hash)
        .bind(id.to_string())
        .bind(purpose.as_str())
        .bind(expires_at_ms)
        .execute(&self.pool)
        .await?;
        Ok(token)
    }

    /// Uses a one-time token: its account when it is valid for `purpose`, unused and not
    /// expired; it cannot be used again.
    pub async fn consume_token(
        &self,
        token: &str,
        purpose: TokenPurpose,
        now_ms: i64,
    ) -> Result<Option<ActorId>, IdentityError> {
        let hash = token_hash(token);
        let used = sqlx::query(
            "UPDATE one_time_tokens SET used_at = $3 WHERE token_hash = $1 AND purpose = $2 \
             AND used_at IS NULL AND expires_at > $3",
        )
        .bind(&hash)
        .bind(purpose.as_str())
        .bind(now_ms)
        .execute(&self.pool)
        .await?;
        if used.rows_affected() != 1 {
            return Ok(None);
        }
        let account: Option<(String,)> =
            sqlx::query_as("SELECT account_id FROM one_time_tokens WHERE token_hash = $1")
                .bind(&hash)
                .fetch_optional(&self.pool)
                .await?;
        account.map(|(a,)| parse(&a, "account id")).transpose()
    }

    /// The role grants an account holds.
    pub async fn grants(&self, id: ActorId) -> Result<Vec<RoleGrant>, IdentityError> {
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT role, organisation_id FROM role_grants WHERE account_id = $1 ORDER BY role, organisation_id",
        )
        .bind(id.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|(role, organisation)| {
                Ok(RoleGrant {
                    role: enum_from::<Role>(role, "role")?,
                    organisation: parse(organisation, "organisation id")?,
                })
            })
            .collect()
    }

    /// Grants `grant` to an account (idempotent).
    pub async fn grant(
        &self,
        id: ActorId,
        grant: RoleGrant,
        by: Option<ActorId>,
        now_ms: i64,
    ) -> Result<(), IdentityError> {
        sqlx::query(
            "INSERT INTO role_grants (account_id, role, organisation_id, granted_by, granted_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (account_id, role, organisation_id) DO NOTHING",
        )
        .bind(id.to_string())
        .bind(enum_to(&grant.role))
        .bind(grant.organisation.to_string())
        .bind(by.map(|b| b.to_string()))
        .bind(now_ms)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Revokes a grant; false when the account did not hold it.
    pub async fn revoke(&self, id: ActorId, grant: RoleGrant) -> Result<bool, IdentityError> {
        let done = sqlx::query(
            "DELETE FROM role_grants WHERE account_id = $1 AND role = $2 AND organisation_id = $3",
        )
        .bind(id.to_string())
        .bind(enum_to(&grant.role))
        .bind(grant.organisation.to_string())
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Appends to the access audit.
    pub async fn audit(
        &self,
        now_ms: i64,
        account: Option<ActorId>,
        action: &str,
        detail: Option<&str>,
        request_id: Option<&str>,
    ) -> Result<(), IdentityError> {
        sqlx::query("INSERT INTO access_audit (at, account_id, action, detail, request_id) VALUES ($1, $2, $3, $4, $5)")
            .bind(now_ms)
            .bind(account.map(|a| a.to_string()))
            .bind(action)
            .bind(detail)
            .bind(request_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Adds or replaces an organisation of the directory.
    pub async fn save_organisation(
        &self,
        organisation: &Organisation,
    ) -> Result<(), IdentityError> {
        sqlx::query(
            "INSERT INTO organisations (id, kind, name_ar, name_fr, parent_id, governorate) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, \
             name_ar = excluded.name_ar, name_fr = excluded.name_fr, \
             parent_id = excluded.parent_id, governorate = excluded.governorate",
        )
        .bind(organisation.id.to_string())
        .bind(enum_to(&organisation.kind))
        .bind(&organisation.name.ar)
        .bind(&organisation.name.fr)
        .bind(organisation.parent.map(|p| p.to_string()))
        .bind(organisation.governorate.map(|g| enum_to(&g)))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Every organisation of the directory.
    pub async fn organisations(&self) -> Result<Vec<Organisation>, IdentityError> {
        let rows: Vec<OrganisationRow> = sqlx::query_as(
            "SELECT id, kind, name_ar, name_fr, parent_id, governorate FROM organisations ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(id, kind, ar, fr, parent, governorate)| {
                Ok(Organisation {
                    id: parse::<OrganisationId>(&id, "organisation id")?,
                    kind: enum_from::<OrganisationKind>(&kind, "organisation kind")?,
                    name: LocalizedName { ar, fr },
                    parent: parent.map(|p| parse(&p, "organisation id")).transpose()?,
                    governorate: governorate
                        .map(|g| enum_from::<Governorate>(&g, "governorate"))
                        .transpose()?,
                })
            })
            .collect()
    }
}
