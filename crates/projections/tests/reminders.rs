//! Deadline reminders with a controlled clock across a holiday: remind before the due date,
//! escalate level by level after it, never twice, and recompute on a calendar change.

#![allow(clippy::unwrap_used)]

mod support;

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use cqrs_es::{Aggregate, DomainEvent, event_sink::EventSink};
use event_store::{ProjectionError, ProjectionRunner, RecordedEvent, RunnerSettings, Store};
use kernel::calendar::{
    ComputedDeadline, DatedHoliday, Deadline, DeadlineRule, DeadlineUnit, DueStatus,
    HolidayCalendar,
};
use kernel::{ManualClock, OrganisationId, Role};
use projections::messages::Catalog;
use projections::{
    Message, Obligation, ObligationChange, ObligationRules, ObligationsProjection, OutboxWorker,
    Recipient, RecipientDirectory, ReminderSettings, ReminderWorker, Responsible,
};
use serde::{Deserialize, Serialize};

/// A chore owed by an office: assigned with a deadline, then done.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Chore {
    done: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
enum ChoreEvent {
    Assigned {
        deadline: Deadline,
        computed: ComputedDeadline,
    },
    Done,
}

impl DomainEvent for ChoreEvent {
    fn event_type(&self) -> String {
        match self {
            Self::Assigned { .. } => "Assigned".into(),
            Self::Done => "Done".into(),
        }
    }
    fn event_version(&self) -> String {
        "1".into()
    }
}

#[derive(Debug, thiserror::Error)]
#[error("chore error")]
struct ChoreError;

enum ChoreCommand {
    Assign(Deadline),
    Finish,
}

impl Aggregate for Chore {
    const TYPE: &'static str = "Chore";
    type Command = ChoreCommand;
    type Event = ChoreEvent;
    type Error = ChoreError;
    type Services = HolidayCalendar;

    async fn handle(
        &mut self,
        command: ChoreCommand,
        calendar: &HolidayCalendar,
        sink: &EventSink<Self>,
    ) -> Result<(), ChoreError> {
        let event = match command {
            ChoreCommand::Assign(deadline) => ChoreEvent::Assigned {
                computed: deadline.compute(calendar).map_err(|_| ChoreError)?,
                deadline,
            },
            ChoreCommand::Finish => ChoreEvent::Done,
        };
        sink.write(event, self).await;
        Ok(())
    }

    fn apply(&mut self, event: ChoreEvent) {
        if event == ChoreEvent::Done {
            self.done = true;
        }
    }
}

struct ChoreRules {
    office: OrganisationId,
    bureau: OrganisationId,
}

impl ObligationRules for ChoreRules {
    fn changes(
        &self,
        event: &RecordedEvent,
        _known: &[Obligation],
    ) -> Result<Vec<ObligationChange>, ProjectionError> {
        if event.aggregate_type != "Chore" {
            return Ok(vec![]);
        }
        let id = format!("{}/reply", event.aggregate_id);
        Ok(match event.decode::<ChoreEvent>()? {
            ChoreEvent::Assigned { deadline, computed } => {
                let DueStatus::Due { due_at, .. } = computed.due else {
                    return Ok(vec![]);
                };
                vec![ObligationChange::Open(Box::new(Obligation {
                    id,
                    kind: "file.reply".into(),
                    aggregate_type: "Chore".into(),
                    aggregate_id: event.aggregate_id.clone(),
                    reference: "K7Q3-9XHD-2M4PX".into(),
                    responsible: Responsible {
                        organisation: self.office,
                        roles: vec![Role::OfficeAgent],
                    },
                    escalation: vec![
                        Responsible {
                            organisation: self.office,
                            roles: vec![Role::OfficeHead],
                        },
                        Responsible {
                            organisation: self.bureau,
                            roles: vec![Role::CentralBureauAgent],
                        },
                    ],
                    due_at,
                    deadline: Some(deadline),
                    calendar_version: Some(computed.calendar_version),
                }))]
            }
            ChoreEvent::Done => vec![ObligationChange::Met { id }],
        })
    }
}

/// One person per role: the agent reads French, the others Arabic.
struct People;

#[async_trait]
impl RecipientDirectory for People {
    async fn recipients(&self, responsible: &Responsible) -> Result<Vec<Recipient>, String> {
        let (address, language) = match responsible.roles[0] {
            Role::OfficeAgent => ("agent@office.tn", "fr"),
            Role::OfficeHead => ("head@office.tn", "ar"),
            _ => ("bureau@pm.tn", "ar"),
        };
        Ok(vec![Recipient {
            address: address.into(),
            language: language.into(),
        }])
    }
}

fn tunis(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    // Tunis is UTC+1 all year.
    Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap() - chrono::Duration::hours(1)
}

struct World {
    store: Store,
    clock: ManualClock,
    runner: ProjectionRunner,
    reminders: ReminderWorker,
    outbox: OutboxWorker,
}

async fn world(store: Store) -> World {
    let clock = ManualClock::at(tunis(2026, 4, 8, 10));
    let rules: Arc<dyn ObligationRules> = Arc::new(ChoreRules {
        office: OrganisationId::new_v7(),
        bureau: OrganisationId::new_v7(),
    });
    let settings = ReminderSettings::default();
    let projection = Arc::new(ObligationsProjection::new(vec![rules], settings.clone()));
    let runner =
        ProjectionRunner::new(store.clone(), RunnerSettings::default(), vec![projection]).unwrap();
    let calendar = HolidayCalendar::tunisia().unwrap();
    let reminders = ReminderWorker::new(
        store.clone(),
        Arc::new(clock.clone()),
        settings,
        Arc::new(People),
        Arc::new(Catalog::load().unwrap()),
        calendar.time_zone(),
    );
    let outbox = OutboxWorker::new(
        store.clone(),
        Default::default(),
        Default::default(),
        Arc::new(clock.clone()),
    );
    World {
        store,
        clock,
        runner,
        reminders,
        outbox,
    }
}

impl World {
    async fn command(&self, id: &str, command: ChoreCommand) {
        let calendar = HolidayCalendar::tunisia().unwrap();
        self.store
            .cqrs::<Chore>(vec![], calendar)
            .execute(id, command)
            .await
            .unwrap();
    }

    /// Applies events to the obligations until `expected` were applied in all.
    async fn project(&self, expected: u64) {
        let mut applied = 0;
        for _ in 0..500 {
            applied += self.runner.catch_up("obligations").await.unwrap();
            if applied >= expected {
                return;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!("only {applied} of {expected} events projected");
    }

    async fn pending(&self) -> Vec<(String, String, String)> {
        self.outbox
            .list("pending", 100)
            .await
            .unwrap()
            .into_iter()
            .map(|entry| match entry.message {
                Message::Email {
                    language, subject, ..
                } => (entry.destination, language, subject),
                other => panic!("unexpected {other:?}"),
            })
            .collect()
    }
}

fn two_working_days_from(start: DateTime<Utc>) -> Deadline {
    Deadline::new(
        DeadlineRule::new(2, DeadlineUnit::WorkingDays, "test rule"),
        start,
    )
}

on_both_backends!(
    reminders_and_escalations_follow_the_clock_across_martyrs_day,
    |store: Store| async move {
        let w = world(store).await;
        // Wednesday 8 April 2026; Thursday 9 April is Martyrs' Day: the two working days are
        // Friday 10 and Monday 13 April, due at the end of Monday (23:00 UTC).
        w.command(
            "c-1",
            ChoreCommand::Assign(two_working_days_from(w.clock_now())),
        )
        .await;
        w.project(1).await;
        let due = tunis(2026, 4, 14, 0);
        let remind_at = due - chrono::Duration::hours(48);
        assert_eq!(
            w.reminders.next_action().await.unwrap(),
            Some(remind_at.timestamp_millis())
        );
        assert_eq!(w.reminders.run_due().await.unwrap().reminded, 0);

        w.clock.set(remind_at);
        let round = w.reminders.run_due().await.unwrap();
        assert_eq!((round.reminded, round.messages), (1, 1));
        let pending = w.pending().await;
        assert_eq!(pending[0].0, "agent@office.tn");
        assert_eq!(pending[0].1, "fr");
        assert_eq!(
            pending[0].2,
            "Rappel : \u{2068}la réponse au dossier\u{2069} (\u{2068}K7Q3-9XHD-2M4PX\u{2069})"
        );
        // Nothing more before the due date, however often the worker runs.
        w.clock.set(due - chrono::Duration::minutes(1));
        assert_eq!(w.reminders.run_due().await.unwrap().messages, 0);

        // Due: the agent is told it is overdue, the office head is told (level 1).
        w.clock.set(due);
        assert_eq!(w.reminders.run_due().await.unwrap().messages, 2);
        let addresses: Vec<String> = w.pending().await.into_iter().map(|p| p.0).collect();
        assert!(addresses.contains(&"head@office.tn".to_owned()));
        // 72 hours later the Central Bureau (level 2); then the chain is exhausted.
        w.clock.set(due + chrono::Duration::hours(72));
        assert_eq!(w.reminders.run_due().await.unwrap().messages, 1);
        assert!(
            w.pending()
                .await
                .iter()
                .any(|p| p.0 == "bureau@pm.tn" && p.2.starts_with("إعلام بتأخير"))
        );
        w.clock.set(due + chrono::Duration::hours(500));
        assert_eq!(w.reminders.run_due().await.unwrap().messages, 0);
        assert_eq!(w.reminders.next_action().await.unwrap(), None);
        assert_eq!(w.pending().await.len(), 4);

        // A rebuild of the projection forgets where the worker stood, but sends nothing twice.
        w.runner.rebuild("obligations").await.unwrap();
        let round = w.reminders.run_due().await.unwrap();
        assert!(round.escalated >= 1);
        assert_eq!(round.messages, 0);
        assert_eq!(w.pending().await.len(), 4);
    }
);

on_both_backends!(
    a_met_obligation_is_not_reminded,
    |store: Store| async move {
        let w = world(store).await;
        w.command(
            "c-2",
            ChoreCommand::Assign(two_working_days_from(w.clock_now())),
        )
        .await;
        w.command("c-2", ChoreCommand::Finish).await;
        w.project(2).await;
        w.clock.set(tunis(2026, 5, 1, 0));
        assert_eq!(w.reminders.run_due().await.unwrap().messages, 0);
        assert_eq!(w.reminders.next_action().await.unwrap(), None);
    }
);

on_both_backends!(
    a_new_holiday_moves_open_due_dates,
    |store: Store| async move {
        let w = world(store).await;
        w.command(
            "c-3",
            ChoreCommand::Assign(two_working_days_from(w.clock_now())),
        )
        .await;
        w.project(1).await;
        // The authorities declare Friday 10 April 2026 a holiday: the two working days become
        // Monday 13 and Tuesday 14, due at the end of Tuesday.
        let calendar = HolidayCalendar::tunisia().unwrap();
        let mut year = calendar
            .lunar_years()
            .iter()
            .find(|y| y.year == 2026)
            .unwrap()
            .clone();
        year.holidays.push(DatedHoliday {
            date: NaiveDate::from_ymd_opt(2026, 4, 10).unwrap(),
            name_fr: "Jour férié exceptionnel".into(),
            name_ar: "عطلة استثنائية".into(),
        });
        let updated = calendar.with_dated("TN-2026.test", year).unwrap();
        assert_eq!(w.reminders.recompute(&updated).await.unwrap(), 1);
        let new_due = tunis(2026, 4, 15, 0);
        assert_eq!(
            w.reminders.next_action().await.unwrap(),
            Some((new_due - chrono::Duration::hours(48)).timestamp_millis())
        );
        // Recomputing again with the same calendar changes nothing.
        assert_eq!(w.reminders.recompute(&updated).await.unwrap(), 0);
    }
);

impl World {
    fn clock_now(&self) -> DateTime<Utc> {
        kernel::Clock::now(&self.clock)
    }
}
