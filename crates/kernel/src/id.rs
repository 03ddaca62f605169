//! Typed identifiers.
//!
//! Every aggregate and every reference between aggregates is a UUID v7 (time-ordered, so
//! indexes stay compact) wrapped in its own type, so that a `FileId` can never be passed where
//! an `OrganisationId` is expected. Domain crates declare theirs with [`define_id!`]. Handlers
//! never mint identifiers: they come in through commands, minted at the edge. The macro
//! reaches `uuid` through this crate, so domain crates need no dependency of their own on it.

/// Declares a newtype identifier over [`uuid::Uuid`](crate::reexport::uuid::Uuid) with serde (transparent), `Display`,
/// `FromStr` and a `new_v7()` constructor for the edges that mint identifiers.
///
/// ```
/// kernel::define_id!(
///     /// A citizen file.
///     FileId
/// );
/// let id = FileId::new_v7();
/// assert_eq!(id, id.to_string().parse().unwrap());
/// ```
#[macro_export]
macro_rules! define_id {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord,
            ::serde::Serialize, ::serde::Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(pub $crate::reexport::uuid::Uuid);

        impl $name {
            /// A new time-ordered identifier (UUID v7). Only edges (gateway, importers,
            /// tests) call this; aggregates receive identifiers in their commands.
            pub fn new_v7() -> Self {
                Self($crate::reexport::uuid::Uuid::now_v7())
            }

            /// The underlying UUID.
            pub fn as_uuid(&self) -> &$crate::reexport::uuid::Uuid {
                &self.0
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.0, f)
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::reexport::uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $crate::reexport::uuid::Uuid::parse_str(s).map(Self)
            }
        }

        impl From<$crate::reexport::uuid::Uuid> for $name {
            fn from(id: $crate::reexport::uuid::Uuid) -> Self {
                Self(id)
            }
        }
    };
}

define_id!(
    /// A civil-society organisation in a local authority's register (decree 2019-401). Shared
    /// here because the register of opinions refers to organisations of that register, and
    /// domain crates do not depend on one another.
    CivilSocietyOrganisationId
);

#[cfg(test)]
#[allow(unreachable_pub, dead_code)]
mod tests {
    define_id!(
        /// Test identifier.
        SampleId
    );

    #[test]
    fn identifiers_round_trip_through_text_and_json() {
        let id = SampleId::new_v7();
        assert_eq!(id, id.to_string().parse::<SampleId>().unwrap());
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, format!("\"{id}\""));
        assert_eq!(id, serde_json::from_str::<SampleId>(&json).unwrap());
    }

    #[test]
    fn v7_identifiers_are_time_ordered() {
        let first = SampleId::new_v7();
        std::thread::sleep(std::time::Duration::from_millis(2));
        let second = SampleId::new_v7();
        assert!(first < second);
    }

    #[test]
    fn malformed_identifier_is_an_error_not_a_panic() {
        assert!("not-a-uuid".parse::<SampleId>().is_err());
        assert!("".parse::<SampleId>().is_err());
    }
}
