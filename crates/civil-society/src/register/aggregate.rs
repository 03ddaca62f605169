//! The civil-society register of one local authority (aggregate `CivilSocietyRegister`, id: the
//! local authority's [`OrganisationId`]): its opening, its bureau and the mandatory items of
//! art. 8 it requires.
//!
//! # Decisions
//!
//! - **One register per local authority**, identified by the local authority itself (art. 3-5:
//!   each local authority keeps one register and one bureau). Opening it records the day the
//!   electronic register was established, from which the year for migrating the paper register
//!   runs (art. 17), computed once and carried in the event.
//! - **Who records the president's acts.** Art. 4 has the president of the local authority
//!   appoint the bureau's head and deputy by a published order. The kernel has no role for the
//!   president, and the person who turns the order into platform rights is the local
//!   authority's platform administrator: [`Role::PlatformAdmin`] of the local authority
//!   records the order (reference, signature and publication dates) and grants the roles. The
//!   order, not the administrator, is the legal source, so its reference is in the event.
//!   Opening the register and configuring art. 8 are likewise administrative acts of the local
//!   authority, by the same role.
//! - **The bureau** is recorded for reading (who the head and deputy are, under which order).
//!   Authorization of the bureau's agents is the gateway's grants
//!   ([`Role::RegisterBureauHead`], [`Role::RegisterBureauAgent`]), not this aggregate's state.
//!   Names are personal data, sealed under each member's subject.

use chrono::NaiveDate;
use cqrs_es::Aggregate;
use cqrs_es::event_sink::EventSink;
use kernel::{Actor, ActorId, OrganisationId, OrganisationKind, Role, Text};
use serde::{Deserialize, Serialize};

use crate::commands::{AppointmentOrder, BureauMember, RegisterCommand};
use crate::entry::RegistrationRequirements;
use crate::error::{DateInFuture, InvalidText, RegisterError};
use crate::events::{AppointedMember, RegisterEvent};
use crate::services::CivilSocietyServices;
use crate::term::MonthTerm;

/// Who may act on a register: the local authority's platform administrator.
const ADMINISTRATION: [Role; 1] = [Role::PlatformAdmin];

/// The civil-society register of one local authority.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CivilSocietyRegister {
    local_authority: Option<OrganisationId>,
    opened_on: Option<NaiveDate>,
    requirements: RegistrationRequirements,
    bureau: Option<Bureau>,
}

/// The bureau as last appointed (art. 4).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bureau {
    /// The head's account.
    pub head: ActorId,
    /// The deputy's account.
    pub deputy: ActorId,
    /// Reference of the appointment order.
    pub order_reference: Text,
    /// When the order was signed.
    pub signed_on: NaiveDate,
}

impl CivilSocietyRegister {
    /// The local authority, once opened.
    pub fn local_authority(&self) -> Option<OrganisationId> {
        self.local_authority
    }

    /// When the electronic register opened.
    pub fn opened_on(&self) -> Option<NaiveDate> {
        self.opened_on
    }

    /// The mandatory items in force.
    pub fn requirements(&self) -> &RegistrationRequirements {
        &self.requirements
    }

    /// The bureau, once appointed.
    pub fn bureau(&self) -> Option<&Bureau> {
        self.bureau.as_ref()
    }

    /// The local authority of an open register, checking that `actor` administers it.
    fn administered_by(&self, actor: &Actor) -> Result<OrganisationId, RegisterError> {
        let local_authority = self.local_authority.ok_or(RegisterError::NotOpen)?;
        authorise(actor, local_authority)?;
        Ok(local_authority)
    }

    fn open(
        &self,
        actor: Actor,
        local_authority: OrganisationId,
        opened_on: NaiveDate,
        requirements: RegistrationRequirements,
        services: &CivilSocietyServices,
    ) -> Result<RegisterEvent, RegisterError> {
        authorise(&actor, local_authority)?;
        if let Some(opened_on) = self.opened_on {
            return Err(RegisterError::AlreadyOpen { opened_on });
        }
        if !services
            .directory
            .is_kind(local_authority, OrganisationKind::LocalAuthority)
        {
            return Err(RegisterError::NotALocalAuthority(local_authority));
        }
        DateInFuture::check("opened_on", opened_on, services.today())?;
        let migration_window = MonthTerm::compute(
            &services.calendar,
            opened_on,
            services.config.migration_window_months,
            services.config.roll,
            "decree 2019-401 art. 17 (Arabic text): migration of the paper register",
        )?;
        Ok(RegisterEvent::RegisterOpened {
            local_authority,
            opened_on,
            migration_window,
            requirements,
            by: actor.id,
        })
    }

    async fn appoint(
        &self,
        actor: Actor,
        order: AppointmentOrder,
        head: BureauMember,
        deputy: BureauMember,
        services: &CivilSocietyServices,
    ) -> Result<RegisterEvent, RegisterError> {
        self.administered_by(&actor)?;
        let limits = &services.config.limits;
        let order_reference =
            InvalidText::check(&order.reference, limits.reference(), "order.reference")?;
        let head_name = InvalidText::check(&head.full_name, limits.name(), "head.full_name")?;
        let deputy_name = InvalidText::check(&deputy.full_name, limits.name(), "deputy.full_name")?;
        if head.agent == deputy.agent || head.subject == deputy.subject {
            return Err(RegisterError::HeadAndDeputyAreTheSamePerson);
        }
        let today = services.today();
        DateInFuture::check("order.signed_on", order.signed_on, today)?;
        DateInFuture::check("order.published_on", order.published_on, today)?;
        if order.published_on < order.signed_on {
            return Err(RegisterError::PublishedBeforeSigned {
                signed_on: order.signed_on,
                published_on: order.published_on,
            });
        }
        let cipher = &services.cipher;
        Ok(RegisterEvent::BureauAppointed {
            order_reference,
            signed_on: order.signed_on,
            published_on: order.published_on,
            head: AppointedMember {
                agent: head.agent,
                name: cipher.seal(head.subject, &head_name.into_string()).await?,
            },
            deputy: AppointedMember {
                agent: deputy.agent,
                name: cipher
                    .seal(deputy.subject, &deputy_name.into_string())
                    .await?,
            },
            by: actor.id,
        })
    }

    fn configure(
        &self,
        actor: Actor,
        requirements: RegistrationRequirements,
    ) -> Result<RegisterEvent, RegisterError> {
        self.administered_by(&actor)?;
        if requirements == self.requirements {
            return Err(RegisterError::RequirementsUnchanged);
        }
        Ok(RegisterEvent::RequirementsConfigured {
            requirements,
            by: actor.id,
        })
    }
}

fn authorise(actor: &Actor, local_authority: OrganisationId) -> Result<(), RegisterError> {
    if actor.acts_for(local_authority, &ADMINISTRATION) {
        Ok(())
    } else {
        Err(RegisterError::NotAllowed {
            allowed: ADMINISTRATION.to_vec(),
        })
    }
}

impl Aggregate for CivilSocietyRegister {
    const TYPE: &'static str = "CivilSocietyRegister";
    type Command = RegisterCommand;
    type Event = RegisterEvent;
    type Error = RegisterError;
    type Services = CivilSocietyServices;

    async fn handle(
        &mut self,
        command: Self::Command,
        services: &Self::Services,
        sink: &EventSink<Self>,
    ) -> Result<(), Self::Error> {
        let event = match command {
            RegisterCommand::OpenRegister {
                actor,
                local_authority,
                opened_on,
                requirements,
            } => self.open(actor, local_authority, opened_on, requirements, services)?,
            RegisterCommand::AppointBureau {
                actor,
                order,
                head,
                deputy,
            } => self.appoint(actor, order, head, deputy, services).await?,
            RegisterCommand::ConfigureRequirements {
                actor,
                requirements,
            } => self.configure(actor, requirements)?,
        };
        sink.write(event, self).await;
        Ok(())
    }

    fn apply(&mut self, event: Self::Event) {
        match event {
            RegisterEvent::RegisterOpened {
                local_authority,
                opened_on,
                requirements,
                ..
            } => {
                self.local_authority = Some(local_authority);
                self.opened_on = Some(opened_on);
                self.requirements = requirements;
            }
            RegisterEvent::BureauAppointed {
                order_reference,
                signed_on,
                head,
                deputy,
                ..
            } => {
                self.bureau = Some(Bureau {
                    head: head.agent,
                    deputy: deputy.agent,
                    order_reference,
                    signed_on,
                });
            }
            RegisterEvent::RequirementsConfigured { requirements, .. } => {
                self.requirements = requirements;
            }
        }
    }
}
