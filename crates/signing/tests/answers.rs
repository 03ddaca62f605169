//! Signed answers end to end: a development authority in a temporary keystore, the
//! certificate signer behind the `AnswerSigner` trait, and offline verification; every
//! certificate defect is refused both when signing and when verifying.
// Helpers outside #[test] functions unwrap too: a failure there is a failed test.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use chrono::{DateTime, Duration, TimeZone, Utc};
use citizen_file::{AnswerDocument, AnswerSignature, AnswerSigner, FileKind, SigningError};
use ed25519_dalek::Signer as _;
use ed25519_dalek::pkcs8::DecodePrivateKey as _;
use kernel::personal_data::SubjectId;
use kernel::tracking::TrackingCode;
use kernel::{Actor, ActorId, ManualClock, OrganisationId, Role, Text, TextLimits};
use sha2::{Digest, Sha256};
use signing::{
    CertificateAuthority, CertificateError, CertificateRequest, CertificateSigner, KeyAlgorithm,
    KeyUsage, Keystore, RevocationList, TrustAnchors, VerificationError, canonical_document,
    document_hash, init_development_authority, issue_signatory, revoke, verify_answer,
};
use tempfile::TempDir;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 10, 0, 0).unwrap()
}

struct Setup {
    _dir: TempDir,
    keystore: Keystore,
    clock: ManualClock,
    signer: CertificateSigner,
    actor: ActorId,
    organisation: OrganisationId,
}

impl Setup {
    /// A keystore with an authority valid for ten years from yesterday and `actor` holding a
    /// signatory certificate valid for a year from yesterday.
    fn new() -> Self {
        let dir = TempDir::new().unwrap();
        let keystore = Keystore::new(dir.path());
        init_development_authority(
            &keystore,
            "e-Moatinet test CA",
            now() - Duration::days(1),
            Duration::days(3650),
        )
        .unwrap();
        let actor = ActorId::new_v7();
        issue_signatory(
            &keystore,
            actor,
            now() - Duration::days(1),
            Duration::days(365),
        )
        .unwrap();
        let clock = ManualClock::at(now());
        let signer = CertificateSigner::new(keystore.clone(), Arc::new(clock.clone()));
        Self {
            _dir: dir,
            keystore,
            clock,
            signer,
            actor,
            organisation: OrganisationId::new_v7(),
        }
    }

    fn signatory(&self) -> Actor {
        Actor::agent(self.actor, Role::Signatory, self.organisation)
    }

    fn document(&self) -> AnswerDocument {
        AnswerDocument {
            file: citizen_file::FileId::new_v7(),
            tracking_code: TrackingCode::from_value(424_242),
            kind: FileKind::Petition,
            author: SubjectId::new_v7(),
            answer: Text::new(
                "La route sera réparée avant le 31 décembre. الطريق سيتم إصلاحه.",
                TextLimits::body(5000),
            )
            .unwrap(),
            organisation: self.organisation,
            signatory: self.actor,
            signed_at: self.clock_now(),
        }
    }

    fn clock_now(&self) -> DateTime<Utc> {
        use kernel::Clock as _;
        self.clock.now()
    }

    async fn sign(&self, document: &AnswerDocument) -> Result<AnswerSignature, SigningError> {
        self.signer.sign(document, &self.signatory()).await
    }

    fn trust(&self) -> TrustAnchors {
        self.keystore.trust_anchors().unwrap()
    }

    fn crl(&self) -> RevocationList {
        self.keystore.revocation_list().unwrap()
    }

    fn verify(
        &self,
        document: &AnswerDocument,
        signature: &AnswerSignature,
    ) -> Result<signing::VerifiedAnswer, VerificationError> {
        verify_answer(document, signature, &self.trust(), Some(&self.crl()))
    }

    /// Replaces the actor's certificate with one the keystore's authority issues per
    /// `request`.
    fn reissue(&self, request: &CertificateRequest) {
        let authority = self.keystore.load_authority().unwrap();
        let issued = authority.issue(request).unwrap();
        self.keystore.save_signatory(self.actor, &issued).unwrap();
    }

    /// A signature made with the actor's key and certificate without any of the signer's
    /// checks: what a forger or a broken signer would produce, for the verifier to judge.
    fn unchecked_signature(&self, document: &AnswerDocument) -> AnswerSignature {
        let credentials = self.keystore.signatory(self.actor).unwrap();
        let key = ed25519_dalek::SigningKey::from_pkcs8_pem(&credentials.key_pem).unwrap();
        let (_, pem) =
            x509_parser::pem::parse_x509_pem(credentials.certificate_pem.as_bytes()).unwrap();
        let canonical = canonical_document(document).unwrap();
        AnswerSignature {
            algorithm: "Ed25519".into(),
            signature: BASE64.encode(key.sign(&canonical).to_bytes()),
            certificate: BASE64.encode(&pem.contents),
            document_hash: hex::encode(Sha256::digest(&canonical)),
        }
    }

    /// Asserts that signing is refused and that verifying an unchecked signature fails with
    /// `expected`.
    async fn assert_refused_both_ways(&self, expected: CertificateError) {
        let document = self.document();
        assert_eq!(
            self.sign(&document).await,
            Err(SigningError::NoValidCertificate)
        );
        let forged = self.unchecked_signature(&document);
        assert_eq!(
            self.verify(&document, &forged),
            Err(VerificationError::Certificate(expected))
        );
    }
}

#[tokio::test]
async fn a_signed_answer_verifies_offline() {
    let setup = Setup::new();
    let document = setup.document();
    let signature = setup.sign(&document).await.unwrap();

    assert_eq!(signature.algorithm, "Ed25519");
    assert_eq!(signature.document_hash, document_hash(&document).unwrap());
    assert_eq!(
        signature.document_hash,
        hex::encode(Sha256::digest(canonical_document(&document).unwrap()))
    );
    let verified = setup.verify(&document, &signature).unwrap();
    assert_eq!(verified.certificate.signatory, setup.actor);
    assert_eq!(verified.document_hash, signature.document_hash);
    assert!(verified.certificate.issuer.contains("e-Moatinet test CA"));

    // Without a revocation list, and after a JSON round trip of everything, still valid.
    let json = serde_json::to_string(&(&document, &signature)).unwrap();
    let (document, signature): (AnswerDocument, AnswerSignature) =
        serde_json::from_str(&json).unwrap();
    verify_answer(&document, &signature, &setup.trust(), None).unwrap();
}

#[test]
fn the_canonical_document_is_stable_and_independent_of_member_order() {
    let document = AnswerDocument {
        file: "01900000-0000-7000-8000-000000000001".parse().unwrap(),
        tracking_code: TrackingCode::from_value(7),
        kind: FileKind::GuidanceRequest,
        author: "01900000-0000-7000-8000-000000000002".parse().unwrap(),
        answer: Text::new("Réponse \"finale\"\nسطر ثان", TextLimits::body(100)).unwrap(),
        organisation: "01900000-0000-7000-8000-000000000003".parse().unwrap(),
        signatory: "01900000-0000-7000-8000-000000000004".parse().unwrap(),
        signed_at: now(),
    };
    let code = TrackingCode::from_value(7);
    let expected = format!(
        concat!(
            "{{\"answer\":\"Réponse \\\"finale\\\"\\nسطر ثان\",",
            "\"author\":\"01900000-0000-7000-8000-000000000002\",",
            "\"file\":\"01900000-0000-7000-8000-000000000001\",",
            "\"kind\":\"guidance_request\",",
            "\"organisation\":\"01900000-0000-7000-8000-000000000003\",",
            "\"signatory\":\"01900000-0000-7000-8000-000000000004\",",
            "\"signed_at\":\"2026-11-22T10:00:00Z\",",
            "\"tracking_code\":\"{}\"}}"
        ),
        code.as_str()
    );
    let canonical = canonical_document(&document).unwrap();
    assert_eq!(String::from_utf8(canonical.clone()).unwrap(), expected);
    assert_eq!(
        document_hash(&document).unwrap(),
        hex::encode(Sha256::digest(expected.as_bytes()))
    );

    // The same document received as JSON with its members reversed and spaced out.
    let reversed = format!(
        r#"{{ "tracking_code": "{}", "signed_at": "2026-11-22T10:00:00+00:00",
             "signatory": "01900000-0000-7000-8000-000000000004",
             "organisation": "01900000-0000-7000-8000-000000000003",
             "kind": "guidance_request", "answer": "Réponse \"finale\"\nسطر ثان",
             "file": "01900000-0000-7000-8000-000000000001",
             "author": "01900000-0000-7000-8000-000000000002" }}"#,
        code.as_str()
    );
    let received: AnswerDocument = serde_json::from_str(&reversed).unwrap();
    assert_eq!(canonical_document(&received).unwrap(), canonical);
}

#[tokio::test]
async fn tampering_with_the_answer_the_hash_or_the_signature_is_detected() {
    let setup = Setup::new();
    let document = setup.document();
    let signature = setup.sign(&document).await.unwrap();

    let mut changed = document.clone();
    changed.answer = Text::new("La demande est rejetée.", TextLimits::body(5000)).unwrap();
    assert!(matches!(
        setup.verify(&changed, &signature),
        Err(VerificationError::HashMismatch { .. })
    ));

    let mut rehashed = signature.clone();
    rehashed.document_hash = document_hash(&changed).unwrap();
    assert_eq!(
        setup.verify(&changed, &rehashed),
        Err(VerificationError::BadSignature)
    );

    let mut wrong_hash = signature.clone();
    wrong_hash.document_hash = "00".repeat(32);
    assert!(matches!(
        setup.verify(&document, &wrong_hash),
        Err(VerificationError::HashMismatch { .. })
    ));

    let mut flipped = signature.clone();
    let mut bytes = BASE64.decode(&signature.signature).unwrap();
    bytes[10] ^= 0x01;
    flipped.signature = BASE64.encode(bytes);
    assert_eq!(
        setup.verify(&document, &flipped),
        Err(VerificationError::BadSignature)
    );

    let mut garbled = signature.clone();
    garbled.signature = "not base64".into();
    assert_eq!(
        setup.verify(&document, &garbled),
        Err(VerificationError::MalformedSignature)
    );

    let mut other_algorithm = signature.clone();
    other_algorithm.algorithm = "RSA-PKCS1-SHA256".into();
    assert_eq!(
        setup.verify(&document, &other_algorithm),
        Err(VerificationError::UnsupportedAlgorithm(
            "RSA-PKCS1-SHA256".into()
        ))
    );

    let mut no_certificate = signature.clone();
    no_certificate.certificate = BASE64.encode(b"not a certificate");
    assert!(matches!(
        setup.verify(&document, &no_certificate),
        Err(VerificationError::Certificate(CertificateError::Malformed(
            _
        )))
    ));

    // The signatory changed in the document: the hash no longer matches; and with a hash
    // recomputed, the certificate names someone else.
    let mut other_signatory = document.clone();
    other_signatory.signatory = ActorId::new_v7();
    let mut rehashed = signature.clone();
    rehashed.document_hash = document_hash(&other_signatory).unwrap();
    assert!(matches!(
        setup.verify(&other_signatory, &rehashed),
        Err(VerificationError::Certificate(
            CertificateError::SubjectMismatch { .. }
        ))
    ));
}

#[tokio::test]
async fn an_expired_certificate_is_refused() {
    let setup = Setup::new();
    let not_after = now() - Duration::days(35);
    setup.reissue(&CertificateRequest::signatory(
        setup.actor,
        now() - Duration::days(400),
        not_after,
    ));
    setup
        .assert_refused_both_ways(CertificateError::Expired { not_after })
        .await;
}

#[tokio::test]
async fn a_certificate_not_yet_valid_is_refused() {
    let setup = Setup::new();
    let not_before = now() + Duration::days(1);
    setup.reissue(&CertificateRequest::signatory(
        setup.actor,
        not_before,
        now() + Duration::days(365),
    ));
    setup
        .assert_refused_both_ways(CertificateError::NotYetValid { not_before })
        .await;
}

#[tokio::test]
async fn the_signer_reads_validity_from_its_clock_not_the_wall_clock() {
    let setup = Setup::new();
    setup.reissue(&CertificateRequest::signatory(
        setup.actor,
        now() - Duration::days(1),
        now() + Duration::days(30),
    ));
    // A month and a day later by the injected clock, the certificate has expired.
    setup.clock.advance(Duration::days(31));
    let document = setup.document();
    assert_eq!(
        setup.sign(&document).await,
        Err(SigningError::NoValidCertificate)
    );
    // And back within its validity it signs again.
    setup.clock.set(now() + Duration::days(10));
    let document = setup.document();
    let signature = setup.sign(&document).await.unwrap();
    setup.verify(&document, &signature).unwrap();
}

#[tokio::test]
async fn a_revoked_certificate_is_refused_but_earlier_signatures_stand() {
    let setup = Setup::new();
    let before = setup.document();
    let earlier = setup.sign(&before).await.unwrap();

    let serial = setup.crl_serial_of_actor();
    let revoked_at = now() + Duration::hours(1);
    revoke(&setup.keystore, &serial, revoked_at).unwrap();
    setup.clock.set(now() + Duration::hours(2));

    setup
        .assert_refused_both_ways(CertificateError::Revoked { revoked_at })
        .await;
    // Signed an hour before the revocation: still valid with the new list.
    setup.verify(&before, &earlier).unwrap();
    // The new list is numbered after the first and keeps every revocation.
    let list = setup.crl();
    assert_eq!(list.number().unwrap(), Some(2));
    assert_eq!(list.revocations().unwrap().len(), 1);
    assert_eq!(list.revocations().unwrap()[0].serial, serial);
}

impl Setup {
    fn crl_serial_of_actor(&self) -> String {
        let credentials = self.keystore.signatory(self.actor).unwrap();
        let (_, pem) =
            x509_parser::pem::parse_x509_pem(credentials.certificate_pem.as_bytes()).unwrap();
        let certificate = pem.parse_x509().unwrap();
        hex::encode(certificate.raw_serial())
    }
}

#[tokio::test]
async fn a_certificate_without_non_repudiation_is_refused() {
    let setup = Setup::new();
    let mut request = CertificateRequest::signatory(
        setup.actor,
        now() - Duration::days(1),
        now() + Duration::days(30),
    );
    request.key_usages = vec![KeyUsage::DigitalSignature];
    setup.reissue(&request);
    setup
        .assert_refused_both_ways(CertificateError::MissingKeyUsage("contentCommitment"))
        .await;

    request.key_usages = vec![KeyUsage::KeyEncipherment, KeyUsage::ContentCommitment];
    setup.reissue(&request);
    setup
        .assert_refused_both_ways(CertificateError::MissingKeyUsage("digitalSignature"))
        .await;
}

#[tokio::test]
async fn a_certificate_from_another_authority_is_refused() {
    let setup = Setup::new();
    let stranger = CertificateAuthority::generate(
        "e-Moatinet test CA",
        KeyAlgorithm::Ed25519,
        now() - Duration::days(1),
        now() + Duration::days(3650),
    )
    .unwrap();
    let issued = stranger
        .issue_signatory(
            setup.actor,
            now() - Duration::days(1),
            now() + Duration::days(30),
        )
        .unwrap();
    setup.keystore.save_signatory(setup.actor, &issued).unwrap();
    // Same name as the trusted authority, other key: the signature check tells them apart.
    setup
        .assert_refused_both_ways(CertificateError::UntrustedIssuer)
        .await;
}

#[tokio::test]
async fn a_certificate_for_someone_else_is_refused() {
    let setup = Setup::new();
    let colleague = ActorId::new_v7();
    setup.reissue(&CertificateRequest::signatory(
        colleague,
        now() - Duration::days(1),
        now() + Duration::days(30),
    ));
    setup
        .assert_refused_both_ways(CertificateError::SubjectMismatch {
            expected: setup.actor.to_string(),
            found: format!("{colleague},{colleague}"),
        })
        .await;
}

#[tokio::test]
async fn an_expired_authority_is_refused_at_verification() {
    let setup = Setup::new();
    // Dated after the authority's certificate ends (ten years from yesterday).
    let mut late = setup.document();
    late.signed_at = now() + Duration::days(3651);
    let signature = setup.unchecked_signature(&late);
    assert!(matches!(
        setup.verify(&late, &signature),
        Err(VerificationError::Certificate(
            CertificateError::IssuerNotValid { .. }
        ))
    ));
}

#[tokio::test]
async fn a_revocation_list_from_another_authority_is_not_trusted() {
    let setup = Setup::new();
    let document = setup.document();
    let signature = setup.sign(&document).await.unwrap();
    let stranger = CertificateAuthority::generate(
        "e-Moatinet test CA",
        KeyAlgorithm::Ed25519,
        now() - Duration::days(1),
        now() + Duration::days(30),
    )
    .unwrap();
    let list = RevocationList::from_pem(
        &stranger
            .revocation_list(&[], now(), now() + Duration::days(1), 1)
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        verify_answer(&document, &signature, &setup.trust(), Some(&list)),
        Err(VerificationError::Certificate(
            CertificateError::UntrustedRevocationList
        ))
    );
}

#[tokio::test]
async fn the_signer_refuses_what_it_cannot_stand_behind() {
    let setup = Setup::new();

    // The document names another signatory than the actor signing.
    let mut document = setup.document();
    document.signatory = ActorId::new_v7();
    assert!(matches!(
        setup.sign(&document).await,
        Err(SigningError::Refused { .. })
    ));

    // An actor without a certificate.
    let stranger = ActorId::new_v7();
    let mut document = setup.document();
    document.signatory = stranger;
    assert_eq!(
        setup
            .signer
            .sign(
                &document,
                &Actor::agent(stranger, Role::Signatory, setup.organisation)
            )
            .await,
        Err(SigningError::NoValidCertificate)
    );

    // A key that is not the certificate's.
    let authority = setup.keystore.load_authority().unwrap();
    let mut mismatched = authority
        .issue_signatory(
            setup.actor,
            now() - Duration::days(1),
            now() + Duration::days(30),
        )
        .unwrap();
    let other = authority
        .issue_signatory(
            setup.actor,
            now() - Duration::days(1),
            now() + Duration::days(30),
        )
        .unwrap();
    mismatched.key_pem = other.key_pem;
    setup
        .keystore
        .save_signatory(setup.actor, &mismatched)
        .unwrap();
    assert!(matches!(
        setup.sign(&setup.document()).await,
        Err(SigningError::Refused { .. })
    ));
}

#[tokio::test]
async fn an_out_of_date_revocation_list_stops_signing() {
    let setup = Setup::new();
    // The development list announces its next update a year after it was issued, yesterday.
    setup.reissue(&CertificateRequest::signatory(
        setup.actor,
        now(),
        now() + Duration::days(800),
    ));
    setup.clock.set(now() + Duration::days(366));
    assert!(matches!(
        setup.sign(&setup.document()).await,
        Err(SigningError::Unavailable { .. })
    ));
}

#[test]
fn the_authority_survives_the_keystore_and_refuses_a_foreign_key() {
    let dir = TempDir::new().unwrap();
    let keystore = Keystore::new(dir.path());
    let authority = init_development_authority(&keystore, "CA", now(), Duration::days(10)).unwrap();
    let reloaded = keystore.load_authority().unwrap();
    assert_eq!(reloaded.certificate_pem(), authority.certificate_pem());

    let other = CertificateAuthority::generate(
        "CA",
        KeyAlgorithm::Ed25519,
        now(),
        now() + Duration::days(10),
    )
    .unwrap();
    assert!(CertificateAuthority::from_pem(authority.certificate_pem(), &other.key_pem()).is_err());
    assert!(
        CertificateAuthority::generate(
            "CA",
            KeyAlgorithm::Ed25519,
            now(),
            now() - Duration::days(1)
        )
        .is_err(),
        "an empty validity window"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(dir.path().join("ca.key.pem"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "the authority's key is readable by others");
    }
}

#[tokio::test]
async fn p256_signatories_sign_and_verify_under_an_ed25519_authority() {
    let setup = Setup::new();
    let mut request = CertificateRequest::signatory(
        setup.actor,
        now() - Duration::days(1),
        now() + Duration::days(30),
    );
    request.key_algorithm = KeyAlgorithm::EcdsaP256;
    setup.reissue(&request);
    let document = setup.document();
    let signature = setup.sign(&document).await.unwrap();
    assert_eq!(signature.algorithm, "ECDSA-P256-SHA256");
    let verified = setup.verify(&document, &signature).unwrap();
    assert!(matches!(
        verified.certificate.public_key,
        signing::SignatoryKey::EcdsaP256(_)
    ));

    let mut relabelled = signature.clone();
    relabelled.algorithm = "Ed25519".into();
    assert_eq!(
        setup.verify(&document, &relabelled),
        Err(VerificationError::AlgorithmMismatch {
            declared: "Ed25519".into(),
            certified: "ECDSA-P256-SHA256",
        })
    );
    let mut changed = document.clone();
    changed.answer = Text::new("Autre réponse.", TextLimits::body(100)).unwrap();
    let mut rehashed = signature.clone();
    rehashed.document_hash = document_hash(&changed).unwrap();
    assert_eq!(
        setup.verify(&changed, &rehashed),
        Err(VerificationError::BadSignature)
    );
}

#[tokio::test]
async fn a_p256_authority_issues_and_revokes_like_an_ed25519_one() {
    let dir = TempDir::new().unwrap();
    let keystore = Keystore::new(dir.path());
    let authority = CertificateAuthority::generate(
        "Agence nationale de certification électronique (test)",
        KeyAlgorithm::EcdsaP256,
        now() - Duration::days(1),
        now() + Duration::days(3650),
    )
    .unwrap();
    keystore.save_authority(&authority).unwrap();
    keystore
        .save_revocation_list(
            &authority
                .revocation_list(&[], now(), now() + Duration::days(7), 1)
                .unwrap(),
        )
        .unwrap();
    let actor = ActorId::new_v7();
    let mut request =
        CertificateRequest::signatory(actor, now() - Duration::days(1), now() + Duration::days(9));
    request.key_algorithm = KeyAlgorithm::EcdsaP256;
    let issued = authority.issue(&request).unwrap();
    keystore.save_signatory(actor, &issued).unwrap();

    let clock = ManualClock::at(now());
    let signer = CertificateSigner::new(keystore.clone(), Arc::new(clock.clone()));
    let organisation = OrganisationId::new_v7();
    let signatory = Actor::agent(actor, Role::Signatory, organisation);
    let document = AnswerDocument {
        file: citizen_file::FileId::new_v7(),
        tracking_code: TrackingCode::from_value(1),
        kind: FileKind::Suggestion,
        author: SubjectId::new_v7(),
        answer: Text::new("Merci pour votre suggestion.", TextLimits::body(100)).unwrap(),
        organisation,
        signatory: actor,
        signed_at: now(),
    };
    let signature = signer.sign(&document, &signatory).await.unwrap();
    let trust = keystore.trust_anchors().unwrap();
    verify_answer(
        &document,
        &signature,
        &trust,
        Some(&keystore.revocation_list().unwrap()),
    )
    .unwrap();

    revoke(&keystore, &issued.serial, now() + Duration::hours(1)).unwrap();
    clock.set(now() + Duration::hours(2));
    let mut later = document.clone();
    later.signed_at = now() + Duration::hours(2);
    assert_eq!(
        signer.sign(&later, &signatory).await,
        Err(SigningError::NoValidCertificate)
    );
}

#[tokio::test]
async fn a_certificate_with_an_unknown_critical_extension_is_refused() {
    let setup = Setup::new();
    // Built with rcgen directly: the authority's API has no reason to issue such a thing.
    let ca_certificate = std::fs::read_to_string(setup.keystore.dir().join("ca.pem")).unwrap();
    let ca_key = std::fs::read_to_string(setup.keystore.dir().join("ca.key.pem")).unwrap();
    let ca_key = rcgen::KeyPair::from_pem(&ca_key).unwrap();
    let issuer = rcgen::Issuer::from_ca_cert_pem(&ca_certificate, &ca_key).unwrap();
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ED25519).unwrap();
    let mut params = rcgen::CertificateParams::default();
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, setup.actor.to_string());
    params.not_before = rcgen::date_time_ymd(2026, 1, 1);
    params.not_after = rcgen::date_time_ymd(2027, 1, 1);
    params.key_usages = vec![
        rcgen::KeyUsagePurpose::DigitalSignature,
        rcgen::KeyUsagePurpose::ContentCommitment,
    ];
    let mut extension =
        rcgen::CustomExtension::from_oid_content(&[1, 3, 6, 1, 4, 1, 99999, 1], vec![0x05, 0x00]);
    extension.set_criticality(true);
    params.custom_extensions = vec![extension];
    let certificate = params.signed_by(&key, &issuer).unwrap();
    let issued = signing::IssuedCertificate {
        serial: "01".into(),
        certificate_pem: certificate.pem(),
        key_pem: zeroize::Zeroizing::new(key.serialize_pem()),
    };
    setup.keystore.save_signatory(setup.actor, &issued).unwrap();
    setup
        .assert_refused_both_ways(CertificateError::UnknownCriticalExtension(
            "1.3.6.1.4.1.99999.1".into(),
        ))
        .await;
}
