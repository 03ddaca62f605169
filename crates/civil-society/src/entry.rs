//! What a register entry holds: the mandatory data and documents of art. 8, the eligibility of
//! art. 2, and their validation.
//!
//! # Mandatory data (art. 8)
//!
//! Our copy of the decree lacks the list of art. 8. The domain notes assume: name, legal form,
//! national enterprise register number (law 2018-52), legal publication reference, registered
//! office, legal representative, e-mail and phone, fields of activity, statutes, registration
//! date. Each local authority configures which of them it requires
//! ([`RegistrationRequirements`], default: all of them), and a request missing any is refused
//! with every missing item named. Two items are not configurable: the name, without which there
//! is no entry, and the registration date, which the register sets itself (the day of
//! registration, or the original date of an imported paper entry).
//!
//! # Personal data
//!
//! The organisation's own data (name, legal form, register number, publication, registered
//! office, fields of activity, documents) is public: associations publish it in the Official
//! Journal. The legal representative's name, e-mail and phone are personal data and travel
//! sealed under the representative's [`SubjectId`]. The e-mail and phone of art. 8 are read as
//! the contact through which the register corresponds with the organisation (formal notices,
//! invitations): they belong to the representative, since associations commonly use a member's
//! own address and phone.

use std::collections::BTreeSet;

use kernel::personal_data::{PersonalDataCipher, Sealed, SubjectId};
use kernel::{Text, TextLimits};
use serde::{Deserialize, Serialize};

use crate::config::CivilSocietyLimits;
use crate::error::{AttachmentProblem, InvalidText, OrganisationError};

/// A configurable item of art. 8 (see the module documentation).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Requirement {
    /// Legal form (association, network of associations...).
    LegalForm,
    /// Identifier in the national enterprise register (law 2018-52).
    NationalRegisterNumber,
    /// Reference of the legal publication (Official Journal notice).
    LegalPublicationReference,
    /// Address of the registered office.
    RegisteredOffice,
    /// The legal representative's name.
    LegalRepresentative,
    /// A contact e-mail address.
    Email,
    /// A contact phone number.
    Phone,
    /// At least one field of activity.
    FieldsOfActivity,
    /// A document of this kind.
    Document(DocumentKind),
}

/// Kinds of document an entry may hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// The statutes.
    Statutes,
    /// The Official Journal notice of the organisation's constitution.
    LegalPublicationNotice,
    /// An extract of the national enterprise register.
    NationalRegisterExtract,
}

/// The art. 8 items a local authority requires of a registration request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationRequirements {
    /// Required items, in a stable order.
    pub required: BTreeSet<Requirement>,
}

impl Default for RegistrationRequirements {
    /// The list of the domain notes (an assumption while art. 8's list is missing): every data
    /// item, and the statutes.
    fn default() -> Self {
        Self {
            required: BTreeSet::from([
                Requirement::LegalForm,
                Requirement::NationalRegisterNumber,
                Requirement::LegalPublicationReference,
                Requirement::RegisteredOffice,
                Requirement::LegalRepresentative,
                Requirement::Email,
                Requirement::Phone,
                Requirement::FieldsOfActivity,
                Requirement::Document(DocumentKind::Statutes),
            ]),
        }
    }
}

impl RegistrationRequirements {
    /// The required items not in `provided`, in order.
    pub fn missing(&self, provided: &BTreeSet<Requirement>) -> Vec<Requirement> {
        self.required.difference(provided).copied().collect()
    }
}

/// The ground on which an organisation is eligible (art. 2: national civil-society
/// organisations active in the territory of the local authority or with members among its
/// residents), as the request declares it. The bureau checks the declaration against the
/// documents; the register records it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Eligibility {
    /// The organisation is a national one.
    pub national: bool,
    /// It is active within the territory of the local authority.
    pub active_in_territory: bool,
    /// It has members among the residents of the local authority.
    pub members_among_residents: bool,
}

impl Eligibility {
    /// Art. 2: national, and active in the territory or with members among its residents.
    pub fn check(&self) -> Result<(), Ineligibility> {
        if !self.national {
            return Err(Ineligibility::NotNational);
        }
        if !self.active_in_territory && !self.members_among_residents {
            return Err(Ineligibility::NoTieToTheTerritory);
        }
        Ok(())
    }
}

/// Why an organisation is not eligible (art. 2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Ineligibility {
    /// Not a national organisation.
    NotNational,
    /// Neither active in the territory nor with members among its residents.
    NoTieToTheTerritory,
}

/// A file kept outside the log, referred to by its content.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    /// SHA-256 of the content, 64 hexadecimal digits (stored in lower case).
    pub content_hash: String,
    /// Media type, `type/subtype` (stored in lower case): `application/pdf`.
    pub media_type: String,
    /// File name as received.
    pub file_name: String,
}

/// A document of an entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// What it is.
    pub kind: DocumentKind,
    /// The file.
    pub file: Attachment,
}

/// The legal representative, in clear, as a command carries it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Representative {
    /// The data subject whose key seals these details.
    pub subject: SubjectId,
    /// Full name.
    pub full_name: String,
    /// Contact e-mail.
    pub email: Option<String>,
    /// Contact phone.
    pub phone: Option<String>,
}

/// The legal representative's details as sealed in events.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepresentativeDetails {
    /// Full name.
    pub full_name: String,
    /// Contact e-mail.
    pub email: Option<String>,
    /// Contact phone.
    pub phone: Option<String>,
}

/// The data of an entry, in clear, as a command carries it. Every item but the name is
/// optional here; the register's [`RegistrationRequirements`] say which must be present.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryData {
    /// Name of the organisation.
    pub name: String,
    /// Legal form.
    pub legal_form: Option<String>,
    /// National enterprise register number (law 2018-52).
    pub national_register_number: Option<String>,
    /// Legal publication reference.
    pub legal_publication_reference: Option<String>,
    /// Registered office address.
    pub registered_office: Option<String>,
    /// Legal representative and contact.
    pub representative: Option<Representative>,
    /// Fields of activity.
    pub fields_of_activity: Vec<String>,
    /// Documents.
    pub documents: Vec<Document>,
}

/// The data of an entry as events record it: validated, the representative sealed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryRecord {
    /// Name of the organisation.
    pub name: Text,
    /// Legal form.
    pub legal_form: Option<Text>,
    /// National enterprise register number, normalised (upper case, no white space).
    pub national_register_number: Option<Text>,
    /// Legal publication reference.
    pub legal_publication_reference: Option<Text>,
    /// Registered office address.
    pub registered_office: Option<Text>,
    /// Legal representative and contact, sealed under the representative's subject.
    pub representative: Option<Sealed<RepresentativeDetails>>,
    /// Fields of activity.
    pub fields_of_activity: Vec<Text>,
    /// Documents.
    pub documents: Vec<Document>,
    /// The art. 8 items this entry provides. Computed once here, because whether the sealed
    /// representative's details hold an e-mail or a phone cannot be read back without the key.
    pub provided: BTreeSet<Requirement>,
}

/// Entry data that passed validation, not yet sealed: sealing comes last, once every other
/// check has passed, so that a refused request creates no key in the vault.
#[derive(Debug)]
pub(crate) struct CheckedEntry {
    record: EntryRecord,
    representative: Option<(SubjectId, RepresentativeDetails)>,
}

impl CheckedEntry {
    /// Validates `data` against `limits`.
    pub(crate) fn check(
        data: EntryData,
        limits: &CivilSocietyLimits,
    ) -> Result<Self, OrganisationError> {
        let representative = data
            .representative
            .map(|r| check_representative(r, limits))
            .transpose()?;
        if data.fields_of_activity.len() > limits.max_fields_of_activity {
            return Err(OrganisationError::TooMany {
                field: "fields_of_activity",
                max: limits.max_fields_of_activity,
                actual: data.fields_of_activity.len(),
            });
        }
        if data.documents.len() > limits.max_documents {
            return Err(OrganisationError::TooMany {
                field: "documents",
                max: limits.max_documents,
                actual: data.documents.len(),
            });
        }
        let fields_of_activity = data
            .fields_of_activity
            .iter()
            .enumerate()
            .map(|(i, f)| {
                InvalidText::check(f, limits.label(), &format!("fields_of_activity[{i}]"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let documents = data
            .documents
            .into_iter()
            .enumerate()
            .map(|(i, d)| check_document(d, limits, i))
            .collect::<Result<Vec<_>, _>>()?;
        let mut record = EntryRecord {
            name: InvalidText::check(&data.name, limits.name(), "name")?,
            legal_form: optional(data.legal_form, limits.label(), "legal_form")?,
            national_register_number: data
                .national_register_number
                .map(|n| {
                    let normalised: String = n
                        .chars()
                        .filter(|c| !c.is_whitespace())
                        .flat_map(char::to_uppercase)
                        .collect();
                    InvalidText::check(&normalised, limits.reference(), "national_register_number")
                })
                .transpose()?,
            legal_publication_reference: optional(
                data.legal_publication_reference,
                limits.reference(),
                "legal_publication_reference",
            )?,
            registered_office: optional(
                data.registered_office,
                limits.address(),
                "registered_office",
            )?,
            representative: None,
            fields_of_activity,
            documents,
            provided: BTreeSet::new(),
        };
        record.provided = provided_items(&record, representative.as_ref().map(|(_, d)| d));
        Ok(Self {
            record,
            representative,
        })
    }

    /// The art. 8 items provided.
    pub(crate) fn provided(&self) -> &BTreeSet<Requirement> {
        &self.record.provided
    }

    /// The normalised national register number, if any.
    pub(crate) fn register_number(&self) -> Option<&str> {
        self.record
            .national_register_number
            .as_ref()
            .map(Text::as_str)
    }

    /// Seals the representative's details and gives the record events carry.
    pub(crate) async fn seal(
        self,
        cipher: &PersonalDataCipher,
    ) -> Result<EntryRecord, OrganisationError> {
        let mut record = self.record;
        if let Some((subject, details)) = self.representative {
            record.representative = Some(
                cipher
                    .seal(subject, &details)
                    .await
                    .map_err(OrganisationError::PersonalData)?,
            );
        }
        Ok(record)
    }
}

fn provided_items(
    record: &EntryRecord,
    representative: Option<&RepresentativeDetails>,
) -> BTreeSet<Requirement> {
    let flags = [
        (Requirement::LegalForm, record.legal_form.is_some()),
        (
            Requirement::NationalRegisterNumber,
            record.national_register_number.is_some(),
        ),
        (
            Requirement::LegalPublicationReference,
            record.legal_publication_reference.is_some(),
        ),
        (
            Requirement::RegisteredOffice,
            record.registered_office.is_some(),
        ),
        (Requirement::LegalRepresentative, representative.is_some()),
        (
            Requirement::Email,
            representative.is_some_and(|r| r.email.is_some()),
        ),
        (
            Requirement::Phone,
            representative.is_some_and(|r| r.phone.is_some()),
        ),
        (
            Requirement::FieldsOfActivity,
            !record.fields_of_activity.is_empty(),
        ),
    ];
    flags
        .into_iter()
        .filter_map(|(item, provided)| provided.then_some(item))
        .chain(
            record
                .documents
                .iter()
                .map(|d| Requirement::Document(d.kind)),
        )
        .collect()
}

fn check_representative(
    representative: Representative,
    limits: &CivilSocietyLimits,
) -> Result<(SubjectId, RepresentativeDetails), OrganisationError> {
    let full_name = InvalidText::check(
        &representative.full_name,
        limits.name(),
        "representative.full_name",
    )?;
    let email = representative.email.map(|e| check_email(&e)).transpose()?;
    let phone = representative.phone.map(|p| check_phone(&p)).transpose()?;
    Ok((
        representative.subject,
        RepresentativeDetails {
            full_name: full_name.into_string(),
            email,
            phone,
        },
    ))
}

/// A plausible address: one `@` between a non-empty local part and a dotted domain, no white
/// space or control character, at most 254 characters (RFC 5321). Deliverability is the
/// mail system's business.
fn check_email(raw: &str) -> Result<String, OrganisationError> {
    let email = raw.trim();
    let plausible = email.len() <= 254
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        });
    if plausible {
        Ok(email.to_owned())
    } else {
        Err(OrganisationError::InvalidEmail)
    }
}

/// Digits with the usual separators, an optional leading `+`, 8 to 15 digits (Tunisian
/// numbers have 8; E.164 allows 15).
fn check_phone(raw: &str) -> Result<String, OrganisationError> {
    let phone = raw.trim();
    let body = phone.strip_prefix('+').unwrap_or(phone);
    let digits = body.chars().filter(char::is_ascii_digit).count();
    let plausible = (8..=15).contains(&digits)
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '(' | ')'));
    if plausible {
        Ok(phone.to_owned())
    } else {
        Err(OrganisationError::InvalidPhone)
    }
}

fn check_document(
    document: Document,
    limits: &CivilSocietyLimits,
    index: usize,
) -> Result<Document, OrganisationError> {
    Ok(Document {
        kind: document.kind,
        file: check_attachment(document.file, limits, &format!("documents[{index}]"))?,
    })
}

/// Validates an attachment reference; `field` names it in errors.
pub(crate) fn check_attachment(
    attachment: Attachment,
    limits: &CivilSocietyLimits,
    field: &str,
) -> Result<Attachment, OrganisationError> {
    let problem = |problem| OrganisationError::InvalidAttachment {
        field: field.to_owned(),
        problem,
    };
    let content_hash = attachment.content_hash.trim().to_ascii_lowercase();
    if content_hash.len() != 64 || !content_hash.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(problem(AttachmentProblem::ContentHash));
    }
    let media_type = attachment.media_type.trim().to_ascii_lowercase();
    let token = |part: &str| {
        !part.is_empty()
            && part.len() <= 64
            && part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "!#$&^_.+-".contains(c))
    };
    if !media_type
        .split_once('/')
        .is_some_and(|(kind, sub)| token(kind) && token(sub))
    {
        return Err(problem(AttachmentProblem::MediaType));
    }
    let file_name = InvalidText::check(
        &attachment.file_name,
        limits.name(),
        &format!("{field}.file_name"),
    )?;
    Ok(Attachment {
        content_hash,
        media_type,
        file_name: file_name.into_string(),
    })
}

fn optional(
    raw: Option<String>,
    limits: TextLimits,
    field: &str,
) -> Result<Option<Text>, InvalidText> {
    raw.map(|r| InvalidText::check(&r, limits, field))
        .transpose()
}
