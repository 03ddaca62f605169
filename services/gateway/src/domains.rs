//! The aggregates the API drives: one cqrs-es framework per aggregate, on the store, with
//! the services each domain receives (clock, calendar, cipher, directory, lookups over the
//! read models, the answer signer).
//!
//! Two services live here because no domain owns them: the published draft by-laws a
//! section-4 entry refers to (a table the council secretary keeps, [`SqlDraftByLaws`]), and,
//! until the signing service exists, a signer that answers "unavailable"
//! ([`UnavailableSigner`]), so that a signature request fails cleanly with 503.

use std::sync::Arc;

use async_trait::async_trait;
use chrono::NaiveDate;
use citizen_file::{
    AnswerDocument, AnswerSignature, AnswerSigner, CitizenFile, CitizenFileConfig,
    CitizenFileServices, ForumConfig, ForumServices, ForumTopic, SigningError,
};
use civil_society::{
    CivilSocietyConfig, CivilSocietyRegister, CivilSocietyServices, RegisteredOrganisation,
};
use event_store::{Cqrs, Store};
use kernel::calendar::HolidayCalendar;
use kernel::personal_data::PersonalDataCipher;
use kernel::{Actor, Clock, Directory, OrganisationId};
use opinions::{
    CouncilReporting, DraftByLawId, DraftByLaws, LookupError, OpinionEntry, OpinionsConfig,
    OpinionsServices, PublishedDraft,
};
use projections::local_democracy::RegisterLookup;
use sqlx::AnyPool;
use watcher::{
    Campaign, Checklist, CorruptionReferral, SatisfactionSurvey, ServicePoint, Visit,
    WatcherConfig, WatcherServices,
};

/// The rule values of every domain (configuration sections of the same names).
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DomainSettings {
    /// Citizen files.
    pub citizen_files: CitizenFileConfig,
    /// The forum.
    pub forum: ForumConfig,
    /// The civil-society register.
    pub civil_society: CivilSocietyConfig,
    /// The register of opinions and questions.
    pub opinions: OpinionsConfig,
    /// The Citizen Watcher.
    pub watcher: WatcherConfig,
}

/// One framework per aggregate.
pub struct Domains {
    /// Citizen files.
    pub files: Cqrs<CitizenFile>,
    /// Forum topics.
    pub forum: Cqrs<ForumTopic>,
    /// Civil-society registers (one per local authority).
    pub registers: Cqrs<CivilSocietyRegister>,
    /// Registered organisations.
    pub organisations: Cqrs<RegisteredOrganisation>,
    /// Entries of the registers of opinions.
    pub entries: Cqrs<OpinionEntry>,
    /// Council sessions, reports and their posting.
    pub reporting: Cqrs<CouncilReporting>,
    /// Service points.
    pub service_points: Cqrs<ServicePoint>,
    /// Checklists.
    pub checklists: Cqrs<Checklist>,
    /// Campaigns.
    pub campaigns: Cqrs<Campaign>,
    /// Visits.
    pub visits: Cqrs<Visit>,
    /// Corruption referrals.
    pub referrals: Cqrs<CorruptionReferral>,
    /// Satisfaction surveys.
    pub surveys: Cqrs<SatisfactionSurvey>,
}

impl std::fmt::Debug for Domains {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Domains").finish_non_exhaustive()
    }
}

/// What every domain's services are made of.
#[derive(Clone, Debug)]
pub struct SharedServices {
    /// "Now".
    pub clock: Arc<dyn Clock>,
    /// The legal calendar.
    pub calendar: HolidayCalendar,
    /// Personal data.
    pub cipher: PersonalDataCipher,
    /// Organisations.
    pub directory: Arc<dyn Directory>,
    /// Signs final answers.
    pub signer: Arc<dyn AnswerSigner>,
}

impl Domains {
    /// The frameworks on `store`.
    pub fn new(store: &Store, shared: &SharedServices, settings: &DomainSettings) -> Self {
        let calendar = Arc::new(shared.calendar.clone());
        let lookup = Arc::new(RegisterLookup::new(store.any_pool().clone()));
        let files = CitizenFileServices {
            clock: shared.clock.clone(),
            calendar: calendar.clone(),
            cipher: shared.cipher.clone(),
            directory: shared.directory.clone(),
            signer: shared.signer.clone(),
            config: settings.citizen_files.clone(),
        };
        let forum = ForumServices {
            clock: shared.clock.clone(),
            cipher: shared.cipher.clone(),
            config: settings.forum.clone(),
        };
        let civil_society = CivilSocietyServices {
            clock: shared.clock.clone(),
            calendar: calendar.clone(),
            cipher: shared.cipher.clone(),
            directory: shared.directory.clone(),
            index: lookup.clone(),
            config: settings.civil_society.clone(),
        };
        let opinions = OpinionsServices {
            clock: shared.clock.clone(),
            calendar,
            cipher: shared.cipher.clone(),
            directory: shared.directory.clone(),
            organisations: lookup,
            drafts: Arc::new(SqlDraftByLaws::new(store.any_pool().clone())),
            config: settings.opinions.clone(),
        };
        let watcher = WatcherServices {
            clock: shared.clock.clone(),
            calendar: shared.calendar.clone(),
            directory: shared.directory.clone(),
            cipher: shared.cipher.clone(),
            config: settings.watcher.clone(),
        };
        Self {
            files: store.cqrs(vec![], files),
            forum: store.cqrs(vec![], forum),
            registers: store.cqrs(vec![], civil_society.clone()),
            organisations: store.cqrs(vec![], civil_society),
            entries: store.cqrs(vec![], opinions.clone()),
            reporting: store.cqrs(vec![], opinions),
            service_points: store.cqrs(vec![], watcher.clone()),
            checklists: store.cqrs(vec![], watcher.clone()),
            campaigns: store.cqrs(vec![], watcher.clone()),
            visits: store.cqrs(vec![], watcher.clone()),
            referrals: store.cqrs(vec![], watcher.clone()),
            surveys: store.cqrs(vec![], watcher),
        }
    }
}

/// The draft by-laws table.
#[derive(Clone, Debug)]
pub struct SqlDraftByLaws {
    pool: AnyPool,
}

impl SqlDraftByLaws {
    /// The table of `pool`'s database.
    pub fn new(pool: AnyPool) -> Self {
        Self { pool }
    }
}

#[async_trait]
impl DraftByLaws for SqlDraftByLaws {
    async fn published_draft(
        &self,
        local_authority: OrganisationId,
        draft: DraftByLawId,
    ) -> Result<Option<PublishedDraft>, LookupError> {
        let row: Option<(Option<String>,)> = sqlx::query_as(
            "SELECT deliberation_on FROM draft_bylaws WHERE local_authority = $1 AND id = $2",
        )
        .bind(local_authority.to_string())
        .bind(draft.to_string())
        .fetch_optional(&self.pool)
        .await
        .map_err(|e| LookupError(format!("draft by-laws: {e}")))?;
        row.map(|(deliberation,)| {
            let deliberation_on = deliberation
                .map(|d| d.parse::<NaiveDate>())
                .transpose()
                .map_err(|e| LookupError(format!("stored deliberation date: {e}")))?;
            Ok(PublishedDraft { deliberation_on })
        })
        .transpose()
    }
}

/// The signer until the signing service is configured: every signature is refused as
/// unavailable (503), and nothing is recorded.
#[derive(Clone, Copy, Debug, Default)]
pub struct UnavailableSigner;

#[async_trait]
impl AnswerSigner for UnavailableSigner {
    async fn sign(
        &self,
        _document: &AnswerDocument,
        _signatory: &Actor,
    ) -> Result<AnswerSignature, SigningError> {
        Err(SigningError::Unavailable {
            reason: "no signing service is configured".into(),
        })
    }
}
