//! The `Checklist` aggregate: creation and publication of immutable versions.

use std::collections::BTreeSet;

use cqrs_es::Aggregate;
use cqrs_es::event_sink::EventSink;
use serde::{Deserialize, Serialize};

use kernel::Text;

use crate::checklist::{
    ChecklistCommand, ChecklistError, ChecklistEvent, ChecklistVersion, Criterion, CriterionDraft,
    Scale,
};
use crate::error::InvalidText;
use crate::ids::ChecklistId;
use crate::scoring::{MAX_LEVEL, is_graded_scale};
use crate::services::{SUPERVISING, WatcherServices};

/// A checklist and its published versions. See the [module docs](crate::checklist).
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Checklist {
    id: Option<ChecklistId>,
    title: Option<Text>,
    versions: Vec<ChecklistVersion>,
}

impl Checklist {
    /// Version `number`, if published: what the gateway copies into a visit's plan.
    pub fn version(&self, number: u32) -> Option<&ChecklistVersion> {
        self.versions.iter().find(|v| v.number == number)
    }

    /// The latest published version.
    pub fn latest(&self) -> Option<&ChecklistVersion> {
        self.versions.last()
    }
}

impl Aggregate for Checklist {
    const TYPE: &'static str = "Checklist";
    type Command = ChecklistCommand;
    type Event = ChecklistEvent;
    type Error = ChecklistError;
    type Services = WatcherServices;

    async fn handle(
        &mut self,
        command: Self::Command,
        services: &Self::Services,
        sink: &EventSink<Self>,
    ) -> Result<(), Self::Error> {
        let actor = match &command {
            ChecklistCommand::CreateChecklist { actor, .. }
            | ChecklistCommand::PublishChecklistVersion { actor, .. } => *actor,
        };
        services.authorize(&actor, SUPERVISING, ChecklistError::NotDepartmentSupervisor)?;
        let event = match command {
            ChecklistCommand::CreateChecklist {
                actor,
                checklist,
                title,
            } => {
                if self.id.is_some() {
                    return Err(ChecklistError::AlreadyCreated);
                }
                ChecklistEvent::ChecklistCreated {
                    checklist,
                    title: InvalidText::check("title", &title, services.config.title())?,
                    by: actor.id,
                    created_at: services.now(),
                }
            }
            ChecklistCommand::PublishChecklistVersion { actor, criteria } => {
                let (Some(checklist), Some(title)) = (self.id, self.title.clone()) else {
                    return Err(ChecklistError::NotCreated);
                };
                ChecklistEvent::ChecklistVersionPublished {
                    version: ChecklistVersion {
                        checklist,
                        number: self.latest().map_or(1, |v| v.number.saturating_add(1)),
                        title,
                        criteria: validate_criteria(criteria, services)?,
                        critical_cap: services.config.critical_cap,
                        published_at: services.now(),
                    },
                    by: actor.id,
                }
            }
        };
        sink.write(event, self).await;
        Ok(())
    }

    fn apply(&mut self, event: Self::Event) {
        match event {
            ChecklistEvent::ChecklistCreated {
                checklist, title, ..
            } => {
                self.id = Some(checklist);
                self.title = Some(title);
            }
            ChecklistEvent::ChecklistVersionPublished { version, .. } => {
                self.versions.push(version);
            }
        }
    }
}

fn validate_criteria(
    drafts: Vec<CriterionDraft>,
    services: &WatcherServices,
) -> Result<Vec<Criterion>, ChecklistError> {
    let config = &services.config;
    if drafts.is_empty() {
        return Err(ChecklistError::NoCriteria);
    }
    if drafts.len() > config.max_criteria {
        return Err(ChecklistError::TooManyCriteria {
            max: config.max_criteria,
            actual: drafts.len(),
        });
    }
    let mut seen = BTreeSet::new();
    drafts
        .into_iter()
        .map(|draft| {
            if !seen.insert(draft.id) {
                return Err(ChecklistError::DuplicateCriterion(draft.id));
            }
            if !(1..=config.max_weight).contains(&draft.weight) {
                return Err(ChecklistError::WeightOutOfRange {
                    criterion: draft.id,
                    weight: draft.weight,
                    max: config.max_weight,
                });
            }
            if let Scale::Levels { max } = draft.scale
                && !is_graded_scale(max)
            {
                return Err(ChecklistError::ScaleOutOfRange {
                    criterion: draft.id,
                    max,
                    limit: MAX_LEVEL,
                });
            }
            let label = Text::new(&draft.label, config.line()).map_err(|reason| {
                ChecklistError::InvalidLabel {
                    criterion: draft.id,
                    reason,
                }
            })?;
            Ok(Criterion {
                id: draft.id,
                theme: draft.theme,
                label,
                weight: draft.weight,
                scale: draft.scale,
                critical: draft.critical,
            })
        })
        .collect()
}
