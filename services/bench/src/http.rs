//! The HTTP benchmark's store: `scripts/bench-http` starts a gateway on it and drives
//! submissions through it with a load generator. Seeding goes straight to the identity
//! tables (as an administrator's import would), so that no e-mail round trip is needed.

use event_store::{Store, StoreConfig};
use gateway::auth::{AccountStatus, IdentityStore};
use kernel::organisation::LocalizedName;
use kernel::{ActorKind, Organisation, OrganisationId, OrganisationKind};

use crate::BenchResult;

/// The citizen the benchmark signs in as.
pub(crate) const EMAIL: &str = "bench@example.tn";
/// Their password.
pub(crate) const PASSWORD: &str = "correct horse battery staple";

/// Migrates the store at `url`, adds an office and the citizen; prints
/// `{"store_url", "office", "email", "password"}`.
pub(crate) async fn seed(url: &str) -> BenchResult<()> {
    let store = Store::connect(&StoreConfig {
        url: url.to_owned(),
        ..StoreConfig::default()
    })
    .await?;
    let identity = IdentityStore::new(store.any_pool().clone());
    let office = Organisation {
        id: OrganisationId::new_v7(),
        kind: OrganisationKind::CitizenRelationsOffice,
        name: LocalizedName {
            ar: "مكتب العلاقات مع المواطن".into(),
            fr: "Bureau des relations avec le citoyen".into(),
        },
        parent: None,
        governorate: None,
    };
    identity.save_organisation(&office).await?;
    let account = identity
        .create_account(ActorKind::Citizen, EMAIL, "fr", AccountStatus::Active, 0)
        .await?;
    let hash = gateway::auth::password::hash(
        PASSWORD,
        &gateway::auth::password::PasswordSettings::default(),
    )?;
    identity.set_password(account.id, &hash, 0).await?;
    println!(
        "{}",
        serde_json::json!({"store_url": url, "office": office.id, "email": EMAIL, "password": PASSWORD})
    );
    Ok(())
}
