//! The lookups the two domains of the local registers expect from the civil-society
//! register's read model: [`civil_society::RegisterIndex`] and
//! [`opinions::OrganisationStanding`], both answered by [`RegisterLookup`].
//!
//! # Limits
//!
//! - **Lag.** The read model follows the log: an act recorded a moment ago may not be in it
//!   yet. A register opened a second ago may still be unknown (the request is refused and can
//!   be retried); two requests with the same national register number handled at the same
//!   instant may both pass (the bureau's view flags such duplicates:
//!   `BureauOrganisation::shares_register_number`); an organisation suspended a moment ago
//!   may still file. The domain crates accept these windows (see their service docs).
//! - **Representation.** The register records the legal representative only as sealed
//!   details under a data subject; no event links a platform account to an organisation. So
//!   the read model cannot tell whether a citizen account speaks for an organisation, and
//!   [`OrganisationStanding::represents`] answers `false`: an unverifiable claim to speak for
//!   an organisation must not let anyone file in its name. Organisations can file once the
//!   civil-society domain records the accounts of their representatives (a change of that
//!   domain, reported with this work).
//! - **Failures.** A database error is a [`LookupError`](civil_society::LookupError) whose
//!   message holds no personal data; the domains refuse the command as unavailable rather
//!   than mistake the silence for "not registered".

use async_trait::async_trait;
use civil_society::{OrganisationStatus, RegisterFacts, RegisterIndex};
use kernel::{ActorId, CivilSocietyOrganisationId, OrganisationId};
use opinions::{OrganisationStanding, Standing};
use sqlx::AnyPool;

use super::civil_society::{entry_status, live_entry_with_register_number, register};
use super::sql::QueryError;

/// The civil-society register's read model, as the domains ask it. Cheap to clone.
#[derive(Clone, Debug)]
pub struct RegisterLookup {
    pool: AnyPool,
}

impl RegisterLookup {
    /// Lookups over the read model in `pool` (the store's `any_pool`).
    pub fn new(pool: AnyPool) -> Self {
        Self { pool }
    }
}

fn unavailable(error: &QueryError) -> String {
    format!("civil-society register read model: {error}")
}

#[async_trait]
impl RegisterIndex for RegisterLookup {
    async fn register(
        &self,
        local_authority: OrganisationId,
    ) -> Result<Option<RegisterFacts>, civil_society::LookupError> {
        let row = register(&self.pool, local_authority)
            .await
            .map_err(|e| civil_society::LookupError(unavailable(&e)))?;
        Ok(row.map(|row| RegisterFacts {
            opened_on: row.opened_on,
            migration_window: row.migration_window,
            requirements: row.requirements,
        }))
    }

    async fn live_entry_with_register_number(
        &self,
        local_authority: OrganisationId,
        number: &str,
    ) -> Result<Option<CivilSocietyOrganisationId>, civil_society::LookupError> {
        live_entry_with_register_number(&self.pool, local_authority, number)
            .await
            .map_err(|e| civil_society::LookupError(unavailable(&e)))
    }
}

/// The standing the register of opinions knows from an entry's status: communication is open
/// while the entry is live and not suspended (art. 9-10); a withdrawn entry is no longer in
/// the register.
fn standing(status: Option<OrganisationStatus>) -> Standing {
    match status {
        Some(OrganisationStatus::Suspended) => Standing::Suspended,
        Some(OrganisationStatus::StruckOff) => Standing::StruckOff,
        Some(status) if status.communication_open() => Standing::Active,
        Some(_) | None => Standing::Unknown,
    }
}

#[async_trait]
impl OrganisationStanding for RegisterLookup {
    async fn standing(
        &self,
        local_authority: OrganisationId,
        organisation: CivilSocietyOrganisationId,
    ) -> Result<Standing, opinions::LookupError> {
        entry_status(&self.pool, local_authority, organisation)
            .await
            .map(standing)
            .map_err(|e| opinions::LookupError(unavailable(&e)))
    }

    /// Always `false`: see the module documentation.
    async fn represents(
        &self,
        _organisation: CivilSocietyOrganisationId,
        _actor: ActorId,
    ) -> Result<bool, opinions::LookupError> {
        Ok(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standing_follows_communication_and_presence_on_the_register() {
        use OrganisationStatus as S;
        for status in [
            S::Active,
            S::IrregularityFound,
            S::FormalNoticeSent,
            S::NoticeAcknowledged,
            S::HearingConvened,
            S::HearingHeld,
        ] {
            assert_eq!(standing(Some(status)), Standing::Active, "{status:?}");
        }
        assert_eq!(standing(Some(S::Suspended)), Standing::Suspended);
        assert_eq!(standing(Some(S::StruckOff)), Standing::StruckOff);
        assert_eq!(standing(Some(S::Withdrawn)), Standing::Unknown);
        assert_eq!(standing(None), Standing::Unknown);
    }
}
