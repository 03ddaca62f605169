//! The SQL key vault: per-person keys outside the log, wrapped under the master key;
//! erasure makes every copy read as erased.

#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;

use event_store::{MasterKey, SqlKeyVault, Store};
use kernel::personal_data::{
    EnvelopeError, KeyLookup, KeyVault, PersonalDataCipher, Revealed, SubjectId, VaultError,
};

on_both_backends!(
    erasing_a_subject_makes_every_copy_read_as_erased,
    0,
    |store: Store| async move {
        let master = MasterKey::generate().unwrap();
        let cipher =
            PersonalDataCipher::new(Arc::new(SqlKeyVault::new(store.clone(), master.clone())));
        let amira = SubjectId::new_v7();
        let sami = SubjectId::new_v7();
        let sealed = cipher
            .seal(amira, &"Amira Ben Salah".to_owned())
            .await
            .unwrap();
        let other = cipher.seal(sami, &"Sami".to_owned()).await.unwrap();
        // A replay reads the value from its stored JSON.
        let replayed: kernel::personal_data::Sealed<String> =
            serde_json::from_str(&serde_json::to_string(&sealed).unwrap()).unwrap();
        assert_eq!(
            cipher.open(&replayed).await.unwrap(),
            Revealed::Clear("Amira Ben Salah".into())
        );

        // The same key serves later seals; another process with the same master key reads it.
        let again = PersonalDataCipher::new(Arc::new(SqlKeyVault::new(store.clone(), master)));
        assert_eq!(
            again.open(&sealed).await.unwrap(),
            Revealed::Clear("Amira Ben Salah".into())
        );

        cipher.vault().erase(amira).await.unwrap();
        cipher.vault().erase(amira).await.unwrap(); // idempotent
        assert_eq!(cipher.open(&sealed).await.unwrap(), Revealed::Erased);
        assert_eq!(again.open(&replayed).await.unwrap(), Revealed::Erased);
        assert_eq!(
            cipher
                .seal(amira, &"new data".to_owned())
                .await
                .unwrap_err(),
            EnvelopeError::SubjectErased(amira)
        );
        // Only that person.
        assert_eq!(
            cipher.open(&other).await.unwrap(),
            Revealed::Clear("Sami".into())
        );
    }
);

on_both_backends!(
    keys_are_stored_wrapped_and_need_the_master_key,
    0,
    |store: Store| async move {
        let vault = SqlKeyVault::new(store.clone(), MasterKey::generate().unwrap());
        let subject = SubjectId::new_v7();
        let key = vault.key_for_writing(subject).await.unwrap();
        let stored: Vec<u8> = sqlx::query_scalar("SELECT wrapped_key FROM subject_keys")
            .fetch_one(store.any_pool())
            .await
            .unwrap();
        assert_ne!(stored.as_slice(), key.expose_bytes().as_slice());
        assert_eq!(stored.len(), 32 + 16, "a 32-byte key plus the GCM tag");

        let stranger = SqlKeyVault::new(store.clone(), MasterKey::generate().unwrap());
        assert!(matches!(
            stranger.key_for_reading(subject).await,
            Err(VaultError::Backend(_))
        ));
        assert!(matches!(
            vault.key_for_reading(SubjectId::new_v7()).await,
            Ok(KeyLookup::Unknown)
        ));
    }
);

#[test]
fn a_master_key_must_be_32_bytes_of_base64() {
    let key = MasterKey::generate().unwrap();
    let text = key.to_base64();
    assert!(MasterKey::from_base64(&format!("  {}\n", text.as_str())).is_ok());
    assert!(MasterKey::from_base64("not base64!").is_err());
    assert!(MasterKey::from_base64("c2hvcnQ=").is_err());
    assert_eq!(format!("{key:?}"), "MasterKey(..)");
}
