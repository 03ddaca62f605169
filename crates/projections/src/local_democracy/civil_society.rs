//! The civil-society register of each local authority (decree 2019-401, chapter 1) as a read
//! model, fed by the events of `CivilSocietyRegister` and `RegisteredOrganisation`.
//!
//! # Tables
//!
//! - `ld_cso_registers`: one row per opened register: opening date, the art. 17 migration
//!   window, the art. 8 requirements in force, the bureau as last appointed (art. 4, names
//!   sealed);
//! - `ld_cso_entries`: one row per entry, with its public part and the bureau's part;
//! - `ld_cso_fields`: the fields of activity of each entry, folded for the field filter;
//! - `ld_cso_steps`: every dated act on an entry (registration or import, updates, each step
//!   of the art. 9 procedure, withdrawal), in stream order.
//!
//! # Public part and bureau's part
//!
//! The public part is what the organisation itself publishes (entry.rs of the domain: name,
//! legal form, national register number, legal publication, registered office, fields of
//! activity), its registration date, whether it came from the paper register, and its
//! [`RegisterStanding`]. The standing is deliberately coarser than the entry's status: the
//! steps of an art. 9 procedure before a council sanction (irregularity found, formal notice,
//! hearing) are the bureau's business, so publicly such an entry is still `active`; only the
//! council's suspension, the striking off and a withdrawal show.
//!
//! The bureau's part adds how the entry came (channel, request, paper reference), its
//! eligibility ground, the legal representative's details (sealed, exactly as the event holds
//! them: opening them needs the key, and the representative's erasure erases them here too),
//! the documents' references, what art. 8 items are missing, the full status with the current
//! regularisation due date, and whether another live entry of the register shares its
//! national register number (the duplicate the domain's `RegisterIndex` cannot rule out
//! between two requests handled at the same instant; computed when queried).

use async_trait::async_trait;
use chrono::NaiveDate;
use civil_society::{
    AppointedMember, Document, Eligibility, EntryRecord, MonthTerm, OrganisationEvent,
    OrganisationStatus, RegisterEvent, RegistrationRequirements, RepresentativeDetails,
    RequestChannel, Requirement,
};
use event_store::{Projection, ProjectionError, RecordedEvent};
use kernel::personal_data::Sealed;
use kernel::{CivilSocietyOrganisationId, OrganisationId, Text};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AnyPool, Row};

use super::sql::{
    Conditions, QueryError, contains_pattern, day, flag, fold, from_json, from_label, label, parse,
    parse_day,
};
use crate::query::{Page, Paged};

/// The projection's name (its checkpoint key).
pub const CIVIL_SOCIETY_REGISTER: &str = "local_democracy.civil_society_register";

/// `Aggregate::TYPE` of the civil-society register (a stored contract of the domain crate).
pub(crate) const REGISTER_TYPE: &str = "CivilSocietyRegister";
/// `Aggregate::TYPE` of an entry of it.
pub(crate) const ORGANISATION_TYPE: &str = "RegisteredOrganisation";

/// Where an entry stands, as the public register shows it (see the module documentation).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegisterStanding {
    /// On the register, communication open (including while an art. 9 procedure runs).
    Active,
    /// Communication suspended by the council (art. 9).
    Suspended,
    /// Struck off the register by the council (art. 9).
    StruckOff,
    /// Left the register of its own will.
    Withdrawn,
}

impl RegisterStanding {
    /// The public standing of an entry in `status`.
    pub fn of(status: OrganisationStatus) -> Self {
        match status {
            OrganisationStatus::Suspended => Self::Suspended,
            OrganisationStatus::StruckOff => Self::StruckOff,
            OrganisationStatus::Withdrawn => Self::Withdrawn,
            OrganisationStatus::Unregistered
            | OrganisationStatus::Active
            | OrganisationStatus::IrregularityFound
            | OrganisationStatus::FormalNoticeSent
            | OrganisationStatus::NoticeAcknowledged
            | OrganisationStatus::HearingConvened
            | OrganisationStatus::HearingHeld => Self::Active,
        }
    }
}

/// The president's order appointing the bureau (art. 4), names sealed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BureauAppointment {
    /// Reference of the order.
    pub order_reference: String,
    /// When it was signed.
    pub signed_on: NaiveDate,
    /// When it was published.
    pub published_on: NaiveDate,
    /// The head (account, sealed name).
    pub head: AppointedMember,
    /// The deputy (account, sealed name).
    pub deputy: AppointedMember,
}

/// A local authority's register.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RegisterRow {
    /// The local authority.
    pub local_authority: OrganisationId,
    /// When the electronic register opened (art. 5).
    pub opened_on: NaiveDate,
    /// The window for importing paper entries (art. 17).
    pub migration_window: MonthTerm,
    /// The art. 8 items required.
    pub requirements: RegistrationRequirements,
    /// The bureau, once appointed.
    pub bureau: Option<BureauAppointment>,
}

/// An entry as the public sees it: no personal data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PublicOrganisation {
    /// The entry.
    pub organisation: CivilSocietyOrganisationId,
    /// The register's local authority.
    pub local_authority: OrganisationId,
    /// Name.
    pub name: String,
    /// Legal form.
    pub legal_form: Option<String>,
    /// National enterprise register number.
    pub national_register_number: Option<String>,
    /// Legal publication reference.
    pub legal_publication_reference: Option<String>,
    /// Registered office.
    pub registered_office: Option<String>,
    /// Fields of activity, as registered.
    pub fields_of_activity: Vec<String>,
    /// Public standing.
    pub standing: RegisterStanding,
    /// Registration date (the paper date for an imported entry).
    pub registered_on: NaiveDate,
    /// Imported from the paper register (art. 16-17).
    pub imported_from_paper: bool,
}

/// An entry as the register bureau sees it: the public part and the bureau's.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BureauOrganisation {
    /// The public part.
    #[serde(flatten)]
    pub public: PublicOrganisation,
    /// The full status, art. 9 steps included.
    pub status: OrganisationStatus,
    /// How a registration request came (none for an import).
    pub channel: Option<RequestChannel>,
    /// The request's reference.
    pub request_reference: Option<String>,
    /// When the request was received.
    pub received_on: Option<NaiveDate>,
    /// Where an imported entry stands in the paper register.
    pub paper_reference: Option<String>,
    /// When it was imported.
    pub imported_on: Option<NaiveDate>,
    /// The eligibility ground declared (art. 2), when known.
    pub eligibility: Option<Eligibility>,
    /// The legal representative and contact, sealed under the representative's subject.
    pub representative: Option<Sealed<RepresentativeDetails>>,
    /// The documents' references (content hash, type, file name).
    pub documents: Vec<Document>,
    /// Required art. 8 items the entry lacks.
    pub missing: Vec<Requirement>,
    /// Last day of the month to regularise, while an art. 9 procedure has one (cleared when
    /// the entry is regularised, its suspension lifted, or it leaves the register).
    pub regularisation_due_on: Option<NaiveDate>,
    /// Date of the latest dated act on the entry.
    pub last_step_on: NaiveDate,
    /// When the data was last replaced (art. 4).
    pub updated_on: Option<NaiveDate>,
    /// Whether another live entry of the register has the same national register number.
    pub shares_register_number: bool,
}

/// One dated act on an entry.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ProcedureStep {
    /// The event's sequence in the entry's stream.
    pub sequence: i64,
    /// What happened: `registered`, `imported`, `updated`, `irregularity_found`,
    /// `formal_notice_sent`, `notice_acknowledged`, `regularised`, `hearing_convened`,
    /// `hearing_held`, `suspension_decided`, `suspension_lifted`, `struck_off`, `withdrawn`.
    pub step: String,
    /// The date of the act.
    pub on: NaiveDate,
    /// The reference of the act (decision, letter, invitation, minutes, request).
    pub reference: Option<String>,
    /// The rest of what the event records about it (the regularisation term with its
    /// explanation, the hearing's date, the minutes' reference...).
    pub detail: serde_json::Value,
}

/// An entry with its history, for the bureau.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OrganisationDetail {
    /// The entry.
    pub entry: BureauOrganisation,
    /// Its dated acts, in order.
    pub steps: Vec<ProcedureStep>,
}

/// Filters of the public register (all optional, combined).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PublicRegisterFilter {
    /// Only entries with this standing.
    pub standing: Option<RegisterStanding>,
    /// Only entries listing this field of activity (case-insensitive, whole field).
    pub field: Option<String>,
    /// Only entries whose name contains this (case-insensitive).
    pub name_contains: Option<String>,
}

/// Filters of the bureau's register (all optional, combined).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BureauRegisterFilter {
    /// Only entries in this status.
    pub status: Option<OrganisationStatus>,
    /// Only entries listing this field of activity (case-insensitive, whole field).
    pub field: Option<String>,
    /// Only entries whose name contains this (case-insensitive).
    pub name_contains: Option<String>,
    /// Only entries lacking (`true`) or not lacking (`false`) required art. 8 items.
    pub incomplete: Option<bool>,
}

/// The civil-society register read model.
#[derive(Clone, Copy, Debug, Default)]
pub struct CivilSocietyRegisterProjection;

const TABLES: [&str; 4] = [
    "ld_cso_registers",
    "ld_cso_entries",
    "ld_cso_fields",
    "ld_cso_steps",
];

/// The entry's data columns, replaced whole by a registration, an import or an update, in
/// the order [`bind_data`] binds them.
const DATA_COLUMNS: [&str; 10] = [
    "name",
    "name_key",
    "legal_form",
    "national_register_number",
    "legal_publication_reference",
    "registered_office",
    "fields",
    "representative",
    "documents",
    "missing",
];

/// The other columns a new entry sets, bound after the data columns.
const ENTRY_COLUMNS: [&str; 13] = [
    "organisation_id",
    "local_authority",
    "status",
    "standing",
    "registered_on",
    "imported",
    "channel",
    "request_reference",
    "received_on",
    "paper_reference",
    "imported_on",
    "eligibility",
    "last_step_on",
];

/// Statuses of entries no longer on the register.
const GONE: &str = "('struck_off', 'withdrawn')";

#[async_trait]
impl Projection for CivilSocietyRegisterProjection {
    fn name(&self) -> &str {
        CIVIL_SOCIETY_REGISTER
    }

    async fn apply(
        &self,
        tx: &mut AnyConnection,
        event: &RecordedEvent,
    ) -> Result<(), ProjectionError> {
        match event.aggregate_type.as_str() {
            REGISTER_TYPE => apply_register(tx, &event.aggregate_id, event.decode()?).await,
            ORGANISATION_TYPE => apply_organisation(tx, event, event.decode()?).await,
            _ => Ok(()),
        }
    }

    fn tables(&self) -> &[&'static str] {
        &TABLES
    }
}

/// Applies a register's event; `register` is its stream id, the local authority's id (only
/// the opening repeats it in the event).
async fn apply_register(
    tx: &mut AnyConnection,
    register: &str,
    event: RegisterEvent,
) -> Result<(), ProjectionError> {
    match event {
        RegisterEvent::RegisterOpened {
            local_authority,
            opened_on,
            migration_window,
            requirements,
            ..
        } => {
            sqlx::query(
                "INSERT INTO ld_cso_registers (local_authority, opened_on, migration_due_on, \
                 migration_window, requirements) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (local_authority) DO UPDATE SET opened_on = excluded.opened_on, \
                 migration_due_on = excluded.migration_due_on, \
                 migration_window = excluded.migration_window, \
                 requirements = excluded.requirements",
            )
            .bind(local_authority.to_string())
            .bind(day(opened_on))
            .bind(day(migration_window.due_date))
            .bind(serde_json::to_string(&migration_window)?)
            .bind(serde_json::to_string(&requirements)?)
            .execute(tx)
            .await?;
        }
        RegisterEvent::BureauAppointed {
            order_reference,
            signed_on,
            published_on,
            head,
            deputy,
            ..
        } => {
            let appointment = BureauAppointment {
                order_reference: order_reference.into_string(),
                signed_on,
                published_on,
                head,
                deputy,
            };
            update_register(tx, register, "bureau", serde_json::to_string(&appointment)?).await?;
        }
        RegisterEvent::RequirementsConfigured { requirements, .. } => {
            let requirements = serde_json::to_string(&requirements)?;
            update_register(tx, register, "requirements", requirements).await?;
        }
    }
    Ok(())
}

/// Sets one JSON column (`bureau`, `requirements`) of `register`'s row.
async fn update_register(
    tx: &mut AnyConnection,
    register: &str,
    column: &str,
    value: String,
) -> Result<(), ProjectionError> {
    sqlx::query(&format!(
        "UPDATE ld_cso_registers SET {column} = $1 WHERE local_authority = $2"
    ))
    .bind(value)
    .bind(register.to_owned())
    .execute(tx)
    .await?;
    Ok(())
}

async fn apply_organisation(
    tx: &mut AnyConnection,
    event: &RecordedEvent,
    decoded: OrganisationEvent,
) -> Result<(), ProjectionError> {
    let id = event.aggregate_id.as_str();
    let step = |step: &str, on: NaiveDate, reference: Option<&Text>, detail| Step {
        organisation: id,
        sequence: event.sequence,
        step: step.to_owned(),
        on,
        reference: reference.map(|r| r.as_str().to_owned()),
        detail,
    };
    use OrganisationEvent as E;
    use OrganisationStatus as S;
    let (status, recorded) = match decoded {
        E::OrganisationRegistered {
            local_authority,
            channel,
            request_reference,
            received_on,
            registered_on,
            eligibility,
            entry,
            ..
        } => {
            let recorded = step(
                "registered",
                registered_on,
                Some(&request_reference),
                json!({ "channel": channel, "received_on": received_on }),
            );
            let new = NewEntry {
                local_authority,
                registered_on,
                imported: false,
                channel: Some(channel),
                request_reference: Some(request_reference.into_string()),
                received_on: Some(received_on),
                paper_reference: None,
                imported_on: None,
                eligibility: Some(eligibility),
            };
            insert_entry(tx, id, &new, &entry, &[]).await?;
            (None, recorded)
        }
        E::PaperEntryImported {
            local_authority,
            paper_reference,
            registered_on,
            imported_on,
            eligibility,
            entry,
            missing,
            ..
        } => {
            let detail = json!({ "imported_on": imported_on, "missing": missing });
            let new = NewEntry {
                local_authority,
                registered_on,
                imported: true,
                channel: None,
                request_reference: None,
                received_on: None,
                paper_reference: Some(paper_reference.as_str().to_owned()),
                imported_on: Some(imported_on),
                eligibility,
            };
            insert_entry(tx, id, &new, &entry, &missing).await?;
            (
                None,
                step("imported", registered_on, Some(&paper_reference), detail),
            )
        }
        E::EntryUpdated {
            entry,
            missing,
            updated_on,
            ..
        } => {
            update_entry(tx, id, &entry, &missing, updated_on).await?;
            (
                None,
                step("updated", updated_on, None, json!({ "missing": missing })),
            )
        }
        E::Withdrawn {
            requested_on,
            request_reference,
            status_before,
            withdrawn_on,
            ..
        } => (
            Some((S::Withdrawn, Due::Clear)),
            step(
                "withdrawn",
                withdrawn_on,
                Some(&request_reference),
                json!({ "requested_on": requested_on, "status_before": status_before }),
            ),
        ),
        E::IrregularityFound {
            decision,
            situation,
            grounds,
            ..
        } => (
            Some((S::IrregularityFound, Due::Keep)),
            step(
                "irregularity_found",
                decision.decided_on,
                Some(&decision.reference),
                json!({ "situation": situation, "grounds": grounds }),
            ),
        ),
        E::FormalNoticeSent {
            letter_reference,
            sent_on,
            ..
        } => (
            Some((S::FormalNoticeSent, Due::Keep)),
            step(
                "formal_notice_sent",
                sent_on,
                Some(&letter_reference),
                json!({}),
            ),
        ),
        E::NoticeAcknowledged {
            acknowledged_on,
            regularisation_term,
            ..
        } => (
            Some((
                S::NoticeAcknowledged,
                Due::Set(regularisation_term.due_date),
            )),
            step(
                "notice_acknowledged",
                acknowledged_on,
                None,
                json!({ "regularisation_term": regularisation_term }),
            ),
        ),
        E::Regularised {
            regularised_on,
            reference,
            timing,
            ..
        } => (
            Some((S::Active, Due::Clear)),
            step(
                "regularised",
                regularised_on,
                Some(&reference),
                json!({ "timing": timing }),
            ),
        ),
        E::HearingConvened {
            invitation_reference,
            sent_on,
            hearing_on,
            ..
        } => (
            Some((S::HearingConvened, Due::Keep)),
            step(
                "hearing_convened",
                sent_on,
                Some(&invitation_reference),
                json!({ "hearing_on": hearing_on }),
            ),
        ),
        E::HearingHeld {
            held_on,
            organisation_appeared,
            minutes_reference,
            minutes,
            ..
        } => (
            Some((S::HearingHeld, Due::Keep)),
            step(
                "hearing_held",
                held_on,
                Some(&minutes_reference),
                json!({ "organisation_appeared": organisation_appeared, "minutes": minutes }),
            ),
        ),
        E::SuspensionDecided { decision, .. } => (
            Some((S::Suspended, Due::Keep)),
            step(
                "suspension_decided",
                decision.decided_on,
                Some(&decision.reference),
                json!({}),
            ),
        ),
        E::SuspensionLifted { decision, .. } => (
            Some((S::Active, Due::Clear)),
            step(
                "suspension_lifted",
                decision.decided_on,
                Some(&decision.reference),
                json!({}),
            ),
        ),
        E::StruckOff { decision, .. } => (
            Some((S::StruckOff, Due::Clear)),
            step(
                "struck_off",
                decision.decided_on,
                Some(&decision.reference),
                json!({}),
            ),
        ),
    };
    if let Some((status, due)) = status {
        set_status(tx, id, status, recorded.on, due).await?;
    }
    insert_step(tx, &recorded).await
}

/// What a new entry records besides its data.
struct NewEntry {
    local_authority: OrganisationId,
    registered_on: NaiveDate,
    imported: bool,
    channel: Option<RequestChannel>,
    request_reference: Option<String>,
    received_on: Option<NaiveDate>,
    paper_reference: Option<String>,
    imported_on: Option<NaiveDate>,
    eligibility: Option<Eligibility>,
}

/// A row of `ld_cso_steps`.
struct Step<'a> {
    organisation: &'a str,
    sequence: i64,
    step: String,
    on: NaiveDate,
    reference: Option<String>,
    detail: serde_json::Value,
}

/// What a status change does to the regularisation due date.
enum Due {
    Keep,
    Set(NaiveDate),
    Clear,
}

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

/// Binds the data columns in [`DATA_COLUMNS`] order.
fn bind_data<'q>(
    query: AnyQuery<'q>,
    entry: &EntryRecord,
    missing: &[Requirement],
) -> Result<AnyQuery<'q>, serde_json::Error> {
    let text = |value: &Option<Text>| value.as_ref().map(|t| t.as_str().to_owned());
    let fields: Vec<&str> = entry.fields_of_activity.iter().map(Text::as_str).collect();
    Ok(query
        .bind(entry.name.as_str().to_owned())
        .bind(fold(entry.name.as_str()))
        .bind(text(&entry.legal_form))
        .bind(text(&entry.national_register_number))
        .bind(text(&entry.legal_publication_reference))
        .bind(text(&entry.registered_office))
        .bind(serde_json::to_string(&fields)?)
        .bind(
            entry
                .representative
                .as_ref()
                .map(serde_json::to_string)
                .transpose()?,
        )
        .bind(serde_json::to_string(&entry.documents)?)
        .bind(serde_json::to_string(missing)?))
}

async fn insert_entry(
    tx: &mut AnyConnection,
    id: &str,
    new: &NewEntry,
    entry: &EntryRecord,
    missing: &[Requirement],
) -> Result<(), ProjectionError> {
    let columns: Vec<&str> = DATA_COLUMNS.iter().chain(&ENTRY_COLUMNS).copied().collect();
    let values: Vec<String> = (1..=columns.len()).map(|n| format!("${n}")).collect();
    let updates: Vec<String> = columns
        .iter()
        .filter(|&&c| c != "organisation_id")
        .map(|c| format!("{c} = excluded.{c}"))
        .collect();
    let sql = format!(
        "INSERT INTO ld_cso_entries ({}) VALUES ({}) ON CONFLICT (organisation_id) DO UPDATE \
         SET {}, regularisation_due_on = NULL, updated_on = NULL",
        columns.join(", "),
        values.join(", "),
        updates.join(", ")
    );
    let status = OrganisationStatus::Active;
    bind_data(sqlx::query(&sql), entry, missing)?
        .bind(id.to_owned())
        .bind(new.local_authority.to_string())
        .bind(label(&status)?)
        .bind(label(&RegisterStanding::of(status))?)
        .bind(day(new.registered_on))
        .bind(flag(new.imported))
        .bind(new.channel.as_ref().map(label).transpose()?)
        .bind(new.request_reference.clone())
        .bind(new.received_on.map(day))
        .bind(new.paper_reference.clone())
        .bind(new.imported_on.map(day))
        .bind(
            new.eligibility
                .as_ref()
                .map(serde_json::to_string)
                .transpose()?,
        )
        .bind(day(new.registered_on))
        .execute(&mut *tx)
        .await?;
    replace_fields(tx, id, entry).await
}

async fn update_entry(
    tx: &mut AnyConnection,
    id: &str,
    entry: &EntryRecord,
    missing: &[Requirement],
    updated_on: NaiveDate,
) -> Result<(), ProjectionError> {
    let sets: Vec<String> = DATA_COLUMNS
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{c} = ${}", i + 1))
        .collect();
    let next = DATA_COLUMNS.len();
    let sql = format!(
        "UPDATE ld_cso_entries SET {}, updated_on = ${} WHERE organisation_id = ${}",
        sets.join(", "),
        next + 1,
        next + 2
    );
    bind_data(sqlx::query(&sql), entry, missing)?
        .bind(day(updated_on))
        .bind(id.to_owned())
        .execute(&mut *tx)
        .await?;
    replace_fields(tx, id, entry).await
}

/// The fields of activity of an entry, replaced whole as its data is.
async fn replace_fields(
    tx: &mut AnyConnection,
    id: &str,
    entry: &EntryRecord,
) -> Result<(), ProjectionError> {
    sqlx::query("DELETE FROM ld_cso_fields WHERE organisation_id = $1")
        .bind(id.to_owned())
        .execute(&mut *tx)
        .await?;
    for (ordinal, field) in (0_i64..).zip(&entry.fields_of_activity) {
        sqlx::query(
            "INSERT INTO ld_cso_fields (organisation_id, ordinal, field, field_key) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (organisation_id, ordinal) DO UPDATE \
             SET field = excluded.field, field_key = excluded.field_key",
        )
        .bind(id.to_owned())
        .bind(ordinal)
        .bind(field.as_str().to_owned())
        .bind(fold(field.as_str()))
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

async fn set_status(
    tx: &mut AnyConnection,
    id: &str,
    status: OrganisationStatus,
    on: NaiveDate,
    due: Due,
) -> Result<(), ProjectionError> {
    let due = match due {
        Due::Keep => None,
        Due::Set(date) => Some(Some(day(date))),
        Due::Clear => Some(None),
    };
    let sql = format!(
        "UPDATE ld_cso_entries SET status = $2, standing = $3, last_step_on = $4{} \
         WHERE organisation_id = $1",
        if due.is_some() {
            ", regularisation_due_on = $5"
        } else {
            ""
        }
    );
    let query = sqlx::query(&sql)
        .bind(id.to_owned())
        .bind(label(&status)?)
        .bind(label(&RegisterStanding::of(status))?)
        .bind(day(on));
    match due {
        Some(due) => query.bind(due),
        None => query,
    }
    .execute(tx)
    .await?;
    Ok(())
}

async fn insert_step(tx: &mut AnyConnection, step: &Step<'_>) -> Result<(), ProjectionError> {
    sqlx::query(
        "INSERT INTO ld_cso_steps (organisation_id, sequence, step, on_date, reference, detail) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (organisation_id, sequence) DO UPDATE \
         SET step = excluded.step, on_date = excluded.on_date, reference = excluded.reference, \
         detail = excluded.detail",
    )
    .bind(step.organisation.to_owned())
    .bind(step.sequence)
    .bind(step.step.clone())
    .bind(day(step.on))
    .bind(step.reference.clone())
    .bind(step.detail.to_string())
    .execute(tx)
    .await?;
    Ok(())
}

// ------------------------------------------------------------------------------ queries

const PUBLIC_COLUMNS: &str = "e.organisation_id, e.local_authority, e.name, e.legal_form, \
     e.national_register_number, e.legal_publication_reference, e.registered_office, e.fields, \
     e.standing, e.registered_on, e.imported";

fn bureau_columns() -> String {
    format!(
        "{PUBLIC_COLUMNS}, e.status, e.channel, e.request_reference, e.received_on, \
         e.paper_reference, e.imported_on, e.eligibility, e.representative, e.documents, \
         e.missing, e.regularisation_due_on, e.last_step_on, e.updated_on, \
         CASE WHEN e.national_register_number IS NOT NULL AND e.status NOT IN {GONE} \
         AND EXISTS (SELECT 1 FROM ld_cso_entries o WHERE o.local_authority = e.local_authority \
         AND o.national_register_number = e.national_register_number \
         AND o.organisation_id <> e.organisation_id AND o.status NOT IN {GONE}) \
         THEN 1 ELSE 0 END AS shares_register_number"
    )
}

/// The register's own order: registration date (paper dates first), then identifier.
const REGISTER_ORDER: &str = "e.registered_on, e.organisation_id";
const ENTRIES: &str = "ld_cso_entries e";

fn read_public(row: &AnyRow) -> Result<PublicOrganisation, QueryError> {
    Ok(PublicOrganisation {
        organisation: parse(&row.try_get::<String, _>("organisation_id")?)?,
        local_authority: parse(&row.try_get::<String, _>("local_authority")?)?,
        name: row.try_get("name")?,
        legal_form: row.try_get("legal_form")?,
        national_register_number: row.try_get("national_register_number")?,
        legal_publication_reference: row.try_get("legal_publication_reference")?,
        registered_office: row.try_get("registered_office")?,
        fields_of_activity: from_json(&row.try_get::<String, _>("fields")?)?,
        standing: from_label(row.try_get("standing")?)?,
        registered_on: parse_day(&row.try_get::<String, _>("registered_on")?)?,
        imported_from_paper: row.try_get::<i64, _>("imported")? != 0,
    })
}

fn read_bureau(row: &AnyRow) -> Result<BureauOrganisation, QueryError> {
    let optional_day = |column: &str| -> Result<Option<NaiveDate>, QueryError> {
        row.try_get::<Option<String>, _>(column)?
            .as_deref()
            .map(parse_day)
            .transpose()
    };
    let optional_json = |column: &str| -> Result<Option<String>, QueryError> {
        Ok(row.try_get::<Option<String>, _>(column)?)
    };
    Ok(BureauOrganisation {
        public: read_public(row)?,
        status: from_label(row.try_get("status")?)?,
        channel: row
            .try_get::<Option<String>, _>("channel")?
            .map(from_label)
            .transpose()?,
        request_reference: row.try_get("request_reference")?,
        received_on: optional_day("received_on")?,
        paper_reference: row.try_get("paper_reference")?,
        imported_on: optional_day("imported_on")?,
        eligibility: optional_json("eligibility")?
            .as_deref()
            .map(from_json)
            .transpose()?,
        representative: optional_json("representative")?
            .as_deref()
            .map(from_json)
            .transpose()?,
        documents: from_json(&row.try_get::<String, _>("documents")?)?,
        missing: from_json(&row.try_get::<String, _>("missing")?)?,
        regularisation_due_on: optional_day("regularisation_due_on")?,
        last_step_on: parse_day(&row.try_get::<String, _>("last_step_on")?)?,
        updated_on: optional_day("updated_on")?,
        shares_register_number: row.try_get::<i64, _>("shares_register_number")? != 0,
    })
}

/// The conditions both views share.
fn register_conditions(
    local_authority: OrganisationId,
    field: Option<&str>,
    name_contains: Option<&str>,
) -> Conditions {
    let mut conditions = Conditions::default();
    let la = conditions.text(local_authority.to_string());
    conditions.clause(format!("e.local_authority = {la}"));
    if let Some(field) = field {
        let key = conditions.text(fold(field.trim()));
        conditions.clause(format!(
            "EXISTS (SELECT 1 FROM ld_cso_fields f WHERE f.organisation_id = e.organisation_id \
             AND f.field_key = {key})"
        ));
    }
    if let Some(name) = name_contains {
        let pattern = conditions.text(contains_pattern(name.trim()));
        conditions.clause(format!("e.name_key LIKE {pattern} ESCAPE '\\'"));
    }
    conditions
}

/// The register of `local_authority` as the public sees it, in register order.
pub async fn public_register(
    pool: &AnyPool,
    local_authority: OrganisationId,
    filter: &PublicRegisterFilter,
    page: Page,
) -> Result<Paged<PublicOrganisation>, QueryError> {
    let mut conditions = register_conditions(
        local_authority,
        filter.field.as_deref(),
        filter.name_contains.as_deref(),
    );
    if let Some(standing) = filter.standing {
        let standing = conditions.text(label(&standing)?);
        conditions.clause(format!("e.standing = {standing}"));
    }
    conditions
        .page(
            pool,
            PUBLIC_COLUMNS,
            ENTRIES,
            REGISTER_ORDER,
            page,
            read_public,
        )
        .await
}

/// The register of `local_authority` as its bureau sees it, in register order.
pub async fn bureau_register(
    pool: &AnyPool,
    local_authority: OrganisationId,
    filter: &BureauRegisterFilter,
    page: Page,
) -> Result<Paged<BureauOrganisation>, QueryError> {
    let mut conditions = register_conditions(
        local_authority,
        filter.field.as_deref(),
        filter.name_contains.as_deref(),
    );
    if let Some(status) = filter.status {
        let status = conditions.text(label(&status)?);
        conditions.clause(format!("e.status = {status}"));
    }
    match filter.incomplete {
        Some(true) => conditions.clause("e.missing <> '[]'".to_owned()),
        Some(false) => conditions.clause("e.missing = '[]'".to_owned()),
        None => {}
    }
    conditions
        .page(
            pool,
            &bureau_columns(),
            ENTRIES,
            REGISTER_ORDER,
            page,
            read_bureau,
        )
        .await
}

fn one_entry(organisation: CivilSocietyOrganisationId) -> Conditions {
    let mut conditions = Conditions::default();
    let id = conditions.text(organisation.to_string());
    conditions.clause(format!("e.organisation_id = {id}"));
    conditions
}

/// One entry as the public sees it.
pub async fn public_organisation(
    pool: &AnyPool,
    organisation: CivilSocietyOrganisationId,
) -> Result<Option<PublicOrganisation>, QueryError> {
    let rows = one_entry(organisation)
        .rows(pool, PUBLIC_COLUMNS, ENTRIES, REGISTER_ORDER, read_public)
        .await?;
    Ok(rows.into_iter().next())
}

/// One entry as its bureau sees it, with its dated acts.
pub async fn organisation_detail(
    pool: &AnyPool,
    organisation: CivilSocietyOrganisationId,
) -> Result<Option<OrganisationDetail>, QueryError> {
    let rows = one_entry(organisation)
        .rows(
            pool,
            &bureau_columns(),
            ENTRIES,
            REGISTER_ORDER,
            read_bureau,
        )
        .await?;
    let Some(entry) = rows.into_iter().next() else {
        return Ok(None);
    };
    let mut conditions = Conditions::default();
    let id = conditions.text(organisation.to_string());
    conditions.clause(format!("s.organisation_id = {id}"));
    let steps = conditions
        .rows(
            pool,
            "s.sequence, s.step, s.on_date, s.reference, s.detail",
            "ld_cso_steps s",
            "s.sequence",
            |row| {
                Ok(ProcedureStep {
                    sequence: row.try_get("sequence")?,
                    step: row.try_get("step")?,
                    on: parse_day(&row.try_get::<String, _>("on_date")?)?,
                    reference: row.try_get("reference")?,
                    detail: from_json(&row.try_get::<String, _>("detail")?)?,
                })
            },
        )
        .await?;
    Ok(Some(OrganisationDetail { entry, steps }))
}

/// The register of `local_authority`, if opened.
pub async fn register(
    pool: &AnyPool,
    local_authority: OrganisationId,
) -> Result<Option<RegisterRow>, QueryError> {
    let mut conditions = Conditions::default();
    let la = conditions.text(local_authority.to_string());
    conditions.clause(format!("r.local_authority = {la}"));
    let rows = conditions
        .rows(
            pool,
            "r.local_authority, r.opened_on, r.migration_window, r.requirements, r.bureau",
            "ld_cso_registers r",
            "r.local_authority",
            |row| {
                Ok(RegisterRow {
                    local_authority: parse(&row.try_get::<String, _>("local_authority")?)?,
                    opened_on: parse_day(&row.try_get::<String, _>("opened_on")?)?,
                    migration_window: from_json(&row.try_get::<String, _>("migration_window")?)?,
                    requirements: from_json(&row.try_get::<String, _>("requirements")?)?,
                    bureau: row
                        .try_get::<Option<String>, _>("bureau")?
                        .as_deref()
                        .map(from_json)
                        .transpose()?,
                })
            },
        )
        .await?;
    Ok(rows.into_iter().next())
}

/// The live entry of `local_authority`'s register with this (normalised) national register
/// number; the earliest registered if, exceptionally, there are several.
pub async fn live_entry_with_register_number(
    pool: &AnyPool,
    local_authority: OrganisationId,
    number: &str,
) -> Result<Option<CivilSocietyOrganisationId>, QueryError> {
    let mut conditions = Conditions::default();
    let la = conditions.text(local_authority.to_string());
    let number = conditions.text(number);
    conditions.clause(format!(
        "e.local_authority = {la} AND e.national_register_number = {number} \
         AND e.status NOT IN {GONE}"
    ));
    let rows = conditions
        .rows(pool, "e.organisation_id", ENTRIES, REGISTER_ORDER, |row| {
            parse(&row.try_get::<String, _>("organisation_id")?)
        })
        .await?;
    Ok(rows.into_iter().next())
}

/// The status of `organisation` in `local_authority`'s register, if it has an entry there.
pub(crate) async fn entry_status(
    pool: &AnyPool,
    local_authority: OrganisationId,
    organisation: CivilSocietyOrganisationId,
) -> Result<Option<OrganisationStatus>, QueryError> {
    let mut conditions = one_entry(organisation);
    let la = conditions.text(local_authority.to_string());
    conditions.clause(format!("e.local_authority = {la}"));
    let rows = conditions
        .rows(pool, "e.status", ENTRIES, REGISTER_ORDER, |row| {
            from_label(row.try_get("status")?)
        })
        .await?;
    Ok(rows.into_iter().next())
}
