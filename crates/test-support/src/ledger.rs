//! A small aggregate for tests of the event store and of processes running on it: a ledger,
//! opened once, then amounts are recorded. Its events are of no interest to any projection,
//! which still moves its checkpoint over them.

use cqrs_es::{Aggregate, DomainEvent, event_sink::EventSink};
use serde::{Deserialize, Serialize};

/// A ledger: opened once, then amounts are recorded.
#[derive(Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Ledger {
    pub opened: bool,
    pub total: i64,
    pub entries: u32,
}

#[derive(Debug, Serialize, Deserialize)]
pub enum LedgerCommand {
    Open,
    Record {
        amount: i64,
    },
    /// Several events in one command (crosses snapshot boundaries).
    RecordMany {
        amounts: Vec<i64>,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum LedgerEvent {
    Opened,
    Recorded { amount: i64 },
}

impl DomainEvent for LedgerEvent {
    fn event_type(&self) -> String {
        match self {
            Self::Opened => "Opened".into(),
            Self::Recorded { .. } => "Recorded".into(),
        }
    }
    fn event_version(&self) -> String {
        "1".into()
    }
}

#[derive(Debug, PartialEq, thiserror::Error)]
pub enum LedgerError {
    #[error("already open")]
    AlreadyOpen,
    #[error("not open")]
    NotOpen,
}

impl Aggregate for Ledger {
    const TYPE: &'static str = "Ledger";
    type Command = LedgerCommand;
    type Event = LedgerEvent;
    type Error = LedgerError;
    type Services = ();

    async fn handle(
        &mut self,
        command: LedgerCommand,
        _services: &(),
        sink: &EventSink<Self>,
    ) -> Result<(), LedgerError> {
        match command {
            LedgerCommand::Open if self.opened => return Err(LedgerError::AlreadyOpen),
            LedgerCommand::Open => sink.write(LedgerEvent::Opened, self).await,
            _ if !self.opened => return Err(LedgerError::NotOpen),
            LedgerCommand::Record { amount } => {
                sink.write(LedgerEvent::Recorded { amount }, self).await;
            }
            LedgerCommand::RecordMany { amounts } => {
                for amount in amounts {
                    sink.write(LedgerEvent::Recorded { amount }, self).await;
                }
            }
        }
        Ok(())
    }

    fn apply(&mut self, event: LedgerEvent) {
        match event {
            LedgerEvent::Opened => self.opened = true,
            LedgerEvent::Recorded { amount } => {
                self.total += amount;
                self.entries += 1;
            }
        }
    }
}
