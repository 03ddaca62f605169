//! The organisation directory: who is who in the administration.
//!
//! Files move between organisations (an office refers a file to a structure), registers belong
//! to a local authority, service points to a public body in a governorate. The domain needs
//! to know what kind of organisation an identifier denotes; it asks a [`Directory`], which the
//! gateway fills from its database and tests fill by hand.

use std::collections::HashMap;
use std::sync::{Arc, PoisonError, RwLock};

use serde::{Deserialize, Serialize};

crate::define_id!(
    /// An organisation of the administration (ministry, office, structure, local authority...).
    OrganisationId
);

/// What an organisation is, as far as the legal texts distinguish them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrganisationKind {
    /// A ministry (it has a Citizen Relations Office; decree 2019-1242 art. 3).
    Ministry,
    /// A governorate (it has a Citizen Relations Office).
    Governorate,
    /// A municipality or region: keeps the civil-society register and the register of
    /// opinions and questions (decree 2019-401).
    LocalAuthority,
    /// A public establishment or public company.
    PublicEstablishment,
    /// A competent public structure inside a body: answers files referred to it
    /// (decree 2019-1242 art. 4).
    PublicStructure,
    /// A Citizen Relations Office (decree 2019-1242 art. 3, 7).
    CitizenRelationsOffice,
    /// The Central Citizen Relations Bureau at the Presidency of the Government (art. 9, 10, 13).
    CentralBureau,
    /// The Public Service Quality Department, which runs the Citizen Watcher team.
    WatcherDepartment,
    /// An authority outside the administration that receives referrals (the national
    /// anti-corruption authority, a prosecutor).
    ExternalAuthority,
}

/// The 24 governorates, for coverage and routing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum Governorate {
    Tunis,
    Ariana,
    BenArous,
    Manouba,
    Nabeul,
    Zaghouan,
    Bizerte,
    Beja,
    Jendouba,
    Kef,
    Siliana,
    Sousse,
    Monastir,
    Mahdia,
    Sfax,
    Kairouan,
    Kasserine,
    SidiBouzid,
    Gabes,
    Medenine,
    Tataouine,
    Gafsa,
    Tozeur,
    Kebili,
}

impl Governorate {
    /// Every governorate, in the official order.
    pub const ALL: [Governorate; 24] = [
        Self::Tunis,
        Self::Ariana,
        Self::BenArous,
        Self::Manouba,
        Self::Nabeul,
        Self::Zaghouan,
        Self::Bizerte,
        Self::Beja,
        Self::Jendouba,
        Self::Kef,
        Self::Siliana,
        Self::Sousse,
        Self::Monastir,
        Self::Mahdia,
        Self::Sfax,
        Self::Kairouan,
        Self::Kasserine,
        Self::SidiBouzid,
        Self::Gabes,
        Self::Medenine,
        Self::Tataouine,
        Self::Gafsa,
        Self::Tozeur,
        Self::Kebili,
    ];
}

/// A name in both official languages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalizedName {
    /// Arabic, the first language.
    pub ar: String,
    /// French.
    pub fr: String,
}

/// One organisation of the directory.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organisation {
    /// Its identifier.
    pub id: OrganisationId,
    /// What it is.
    pub kind: OrganisationKind,
    /// Its name.
    pub name: LocalizedName,
    /// The body it belongs to (an office to its ministry, a structure to its body).
    pub parent: Option<OrganisationId>,
    /// Where it is, when it is somewhere in particular.
    pub governorate: Option<Governorate>,
}

/// Read access to the organisation directory.
pub trait Directory: Send + Sync + std::fmt::Debug {
    /// The organisation with this identifier, if it exists.
    fn organisation(&self, id: OrganisationId) -> Option<Organisation>;

    /// Whether `id` exists and is of kind `kind`.
    fn is_kind(&self, id: OrganisationId, kind: OrganisationKind) -> bool {
        self.organisation(id).is_some_and(|o| o.kind == kind)
    }

    /// Whether `id` is `ancestor` or sits below it (bounded walk: a cycle in the data cannot
    /// loop forever).
    fn is_within(&self, id: OrganisationId, ancestor: OrganisationId) -> bool {
        let mut current = Some(id);
        for _ in 0..64 {
            match current {
                Some(c) if c == ancestor => return true,
                Some(c) => current = self.organisation(c).and_then(|o| o.parent),
                None => return false,
            }
        }
        false
    }
}

/// A directory held in memory; clones share it. The gateway loads it at start and on change.
#[derive(Clone, Debug, Default)]
pub struct InMemoryDirectory {
    organisations: Arc<RwLock<HashMap<OrganisationId, Organisation>>>,
}

impl InMemoryDirectory {
    /// A directory holding `organisations`.
    pub fn with(organisations: impl IntoIterator<Item = Organisation>) -> Self {
        let directory = Self::default();
        for organisation in organisations {
            directory.insert(organisation);
        }
        directory
    }

    /// The one organisation of `kind`, when there is exactly one (the Central Bureau, the
    /// Watcher department).
    pub fn only_of_kind(&self, kind: OrganisationKind) -> Option<OrganisationId> {
        let organisations = self
            .organisations
            .read()
            .unwrap_or_else(PoisonError::into_inner);
        let mut of_kind = organisations.values().filter(|o| o.kind == kind);
        match (of_kind.next(), of_kind.next()) {
            (Some(only), None) => Some(only.id),
            _ => None,
        }
    }

    /// Adds or replaces an organisation.
    pub fn insert(&self, organisation: Organisation) {
        self.organisations
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(organisation.id, organisation);
    }
}

impl Directory for InMemoryDirectory {
    fn organisation(&self, id: OrganisationId) -> Option<Organisation> {
        self.organisations
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&id)
            .cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn org(kind: OrganisationKind, parent: Option<OrganisationId>) -> Organisation {
        Organisation {
            id: OrganisationId::new_v7(),
            kind,
            name: LocalizedName {
                ar: "وزارة".into(),
                fr: "Ministère".into(),
            },
            parent,
            governorate: Some(Governorate::Tunis),
        }
    }

    #[test]
    fn an_office_sits_within_its_ministry_and_not_within_another() {
        let ministry = org(OrganisationKind::Ministry, None);
        let other = org(OrganisationKind::Ministry, None);
        let office = org(OrganisationKind::CitizenRelationsOffice, Some(ministry.id));
        let directory = InMemoryDirectory::with([ministry.clone(), other.clone(), office.clone()]);
        assert!(directory.is_within(office.id, ministry.id));
        assert!(directory.is_within(office.id, office.id));
        assert!(!directory.is_within(office.id, other.id));
        assert!(directory.is_kind(office.id, OrganisationKind::CitizenRelationsOffice));
        assert!(!directory.is_kind(OrganisationId::new_v7(), OrganisationKind::Ministry));
        assert_eq!(
            directory.only_of_kind(OrganisationKind::CitizenRelationsOffice),
            Some(office.id)
        );
        assert_eq!(
            directory.only_of_kind(OrganisationKind::Ministry),
            None,
            "two ministries"
        );
        assert_eq!(
            directory.only_of_kind(OrganisationKind::CentralBureau),
            None
        );
    }

    #[test]
    fn a_cycle_in_the_directory_does_not_loop_forever() {
        let mut a = org(OrganisationKind::PublicStructure, None);
        let b = org(OrganisationKind::PublicStructure, Some(a.id));
        a.parent = Some(b.id);
        let directory = InMemoryDirectory::with([a.clone(), b]);
        assert!(!directory.is_within(a.id, OrganisationId::new_v7()));
    }

    #[test]
    fn there_are_24_distinct_governorates() {
        let distinct: std::collections::HashSet<_> = Governorate::ALL.iter().collect();
        assert_eq!(distinct.len(), 24);
    }
}
