//! Hand-checked deadline computations on the Tunisian calendar of 2026, and every error.
//!
//! 2026 reminders: Tue 17 Mar; Fri 20 Mar = Independence Day and Aid al-Fitr, Sat 21 Mar =
//! Aid al-Fitr (2nd day); Thu 9 Apr = Martyrs' Day; Fri 1 May = Labour Day; Wed 27 and
//! Thu 28 May = Aid al-Adha.

use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;

use super::*;

fn tunisia() -> HolidayCalendar {
    HolidayCalendar::tunisia().unwrap()
}

fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap()
}

/// A Tunis wall-clock time as UTC.
fn tunis(year: i32, month: u32, day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    Tz::Africa__Tunis
        .with_ymd_and_hms(year, month, day, hour, minute, 0)
        .single()
        .unwrap()
        .with_timezone(&Utc)
}

/// The start of a Tunis day, i.e. the end of the day before.
fn end_of_day_before(year: i32, month: u32, day: u32) -> DateTime<Utc> {
    tunis(year, month, day, 0, 0)
}

fn deadline(amount: u32, unit: DeadlineUnit, start: DateTime<Utc>) -> Deadline {
    Deadline::new(DeadlineRule::new(amount, unit, "test"), start)
}

fn due(deadline: &Deadline) -> (NaiveDate, DateTime<Utc>) {
    match deadline.compute(&tunisia()).unwrap().due {
        DueStatus::Due { due_date, due_at } => (due_date, due_at),
        other @ DueStatus::Suspended { .. } => panic!("expected a due date, got {other:?}"),
    }
}

fn pause(from: DateTime<Utc>, until: Option<DateTime<Utc>>) -> Pause {
    Pause {
        from,
        until,
        reason: "attente du citoyen".into(),
    }
}

fn rolled_steps(computed: &ComputedDeadline) -> Vec<(NaiveDate, NaiveDate, NonWorkingReason)> {
    computed
        .explanation
        .steps
        .iter()
        .filter_map(|step| match step {
            ExplanationStep::Rolled { from, to, reason } => Some((*from, *to, reason.clone())),
            _ => None,
        })
        .collect()
}

fn holiday(name_fr: &str, name_ar: &str) -> NonWorkingReason {
    NonWorkingReason::Holiday {
        name_fr: name_fr.into(),
        name_ar: name_ar.into(),
    }
}

#[test]
fn thirty_calendar_days_from_tuesday_17_march_2026() {
    let thirty = deadline(30, DeadlineUnit::CalendarDays, tunis(2026, 3, 17, 10, 0));
    let computed = thirty.compute(&tunisia()).unwrap();
    assert_eq!(
        computed.due,
        DueStatus::Due {
            due_date: date(2026, 4, 16),
            due_at: end_of_day_before(2026, 4, 17),
        }
    );
    assert_eq!(computed.calendar_version, "TN-2026.1");
    assert!(rolled_steps(&computed).is_empty());
    assert_eq!(computed.explanation.missing_lunar_years().count(), 0);
    assert_eq!(
        computed.due_at().unwrap().to_rfc3339(),
        "2026-04-16T23:00:00+00:00"
    );
}

#[test]
fn due_on_a_saturday_rolls_to_monday_and_says_so_in_french() {
    let computed = deadline(32, DeadlineUnit::CalendarDays, tunis(2026, 3, 17, 10, 0))
        .compute(&tunisia())
        .unwrap();
    assert_eq!(
        computed.due,
        DueStatus::Due {
            due_date: date(2026, 4, 20),
            due_at: end_of_day_before(2026, 4, 21),
        }
    );
    assert_eq!(
        rolled_steps(&computed),
        vec![(
            date(2026, 4, 18),
            date(2026, 4, 20),
            NonWorkingReason::Weekend(chrono::Weekday::Sat)
        )]
    );
    let text = computed.explanation.to_string();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines,
        vec![
            "Départ : mardi 17/03/2026 10:00 (heure de Tunis) ; délai : 32 jours calendaires, \
             reporté au jour ouvré suivant s'il finit un jour chômé ; source : test",
            "32 jours calendaires comptés du mercredi 18/03/2026 au samedi 18/04/2026",
            "Échéance reportée du samedi 18/04/2026 au lundi 20/04/2026 (week-end)",
            "Échéance : fin du lundi 20/04/2026 (heure de Tunis)",
        ]
    );
}

#[test]
fn due_on_martyrs_day_rolls_to_the_next_day() {
    // 23 days after 17 March: Thursday 9 April.
    let computed = deadline(23, DeadlineUnit::CalendarDays, tunis(2026, 3, 17, 10, 0))
        .compute(&tunisia())
        .unwrap();
    assert_eq!(
        rolled_steps(&computed),
        vec![(
            date(2026, 4, 9),
            date(2026, 4, 10),
            holiday("Journée des Martyrs", "عيد الشهداء")
        )]
    );
    assert!(computed.explanation.to_string().contains(
        "Échéance reportée du jeudi 09/04/2026 au vendredi 10/04/2026 (Journée des Martyrs)"
    ));
}

#[test]
fn due_on_labour_day_a_friday_rolls_over_the_weekend() {
    // 45 days after 17 March: Friday 1 May.
    let (due_date, due_at) = due(&deadline(
        45,
        DeadlineUnit::CalendarDays,
        tunis(2026, 3, 17, 10, 0),
    ));
    assert_eq!(due_date, date(2026, 5, 4));
    assert_eq!(due_at, end_of_day_before(2026, 5, 5));
}

#[test]
fn due_on_aid_al_fitr_2026_rolls_to_monday_23_march() {
    // 3 days after Tuesday 17 March: Friday 20 March, Independence Day and Aid al-Fitr.
    let computed = deadline(3, DeadlineUnit::CalendarDays, tunis(2026, 3, 17, 10, 0))
        .compute(&tunisia())
        .unwrap();
    assert_eq!(
        rolled_steps(&computed),
        vec![(
            date(2026, 3, 20),
            date(2026, 3, 23),
            holiday(
                "Fête de l'Indépendance, Aïd el-Fitr",
                "عيد الاستقلال، عيد الفطر"
            )
        )]
    );
}

#[test]
fn due_on_aid_al_adha_2026_rolls_over_both_days() {
    // 10 days after Sunday 17 May: Wednesday 27 May; Thursday 28 is the 2nd day.
    let (due_date, _) = due(&deadline(
        10,
        DeadlineUnit::CalendarDays,
        tunis(2026, 5, 17, 12, 0),
    ));
    assert_eq!(due_date, date(2026, 5, 29));
}

#[test]
fn ten_working_days_across_aid_al_fitr() {
    // Working days after Tue 17 March: 18, 19, (20-22 off), 23, 24, 25, 26, 27, 30, 31, 1 April.
    let computed = deadline(10, DeadlineUnit::WorkingDays, tunis(2026, 3, 17, 10, 0))
        .compute(&tunisia())
        .unwrap();
    assert_eq!(
        computed.due,
        DueStatus::Due {
            due_date: date(2026, 4, 1),
            due_at: end_of_day_before(2026, 4, 2),
        }
    );
    assert_eq!(
        computed.explanation.steps[1],
        ExplanationStep::CountedDays {
            unit: DeadlineUnit::WorkingDays,
            days: 10,
            from: date(2026, 3, 18),
            to: date(2026, 4, 1),
        }
    );
}

#[test]
fn working_days_starting_on_a_weekend() {
    let (due_date, _) = due(&deadline(
        1,
        DeadlineUnit::WorkingDays,
        tunis(2026, 3, 21, 9, 0),
    ));
    assert_eq!(due_date, date(2026, 3, 23));
}

#[test]
fn forty_eight_hours_from_a_friday_afternoon_roll_to_monday() {
    let computed = deadline(48, DeadlineUnit::Hours, tunis(2026, 3, 13, 15, 0))
        .compute(&tunisia())
        .unwrap();
    assert_eq!(
        computed.due,
        DueStatus::Due {
            due_date: date(2026, 3, 16),
            due_at: end_of_day_before(2026, 3, 17),
        }
    );
    assert_eq!(
        rolled_steps(&computed),
        vec![(
            date(2026, 3, 15),
            date(2026, 3, 16),
            NonWorkingReason::Weekend(chrono::Weekday::Sun)
        )]
    );
    assert!(
        computed
            .explanation
            .to_string()
            .contains("48 h comptées du vendredi 13/03/2026 15:00 au dimanche 15/03/2026 15:00")
    );
}

#[test]
fn forty_eight_hours_ending_on_a_working_day_end_at_the_instant() {
    let (due_date, due_at) = due(&deadline(
        48,
        DeadlineUnit::Hours,
        tunis(2026, 3, 23, 10, 0),
    ));
    assert_eq!(due_date, date(2026, 3, 25));
    assert_eq!(due_at, tunis(2026, 3, 25, 10, 0));
    let text = deadline(48, DeadlineUnit::Hours, tunis(2026, 3, 23, 10, 0))
        .compute(&tunisia())
        .unwrap()
        .explanation
        .to_string();
    assert!(text.ends_with("Échéance : mercredi 25/03/2026 10:00 (heure de Tunis)"));
}

#[test]
fn hours_expiring_at_midnight_belong_to_the_day_before() {
    // From Wednesday 15 April 00:00: 48 hours end at Friday 17 April 00:00, the end of Thursday.
    let (due_date, due_at) = due(&deadline(48, DeadlineUnit::Hours, tunis(2026, 4, 15, 0, 0)));
    assert_eq!(due_date, date(2026, 4, 16));
    assert_eq!(due_at, end_of_day_before(2026, 4, 17));
}

#[test]
fn hours_are_stopped_by_a_pause_for_its_exact_duration() {
    let mut rule = deadline(48, DeadlineUnit::Hours, tunis(2026, 3, 23, 10, 0));
    rule.pauses.push(pause(
        tunis(2026, 3, 24, 10, 0),
        Some(tunis(2026, 3, 24, 12, 30)),
    ));
    let (due_date, due_at) = due(&rule);
    assert_eq!(due_date, date(2026, 3, 25));
    assert_eq!(due_at, tunis(2026, 3, 25, 12, 30));
    assert!(rule.compute(&tunisia()).unwrap().explanation.to_string().contains(
        "Suspension du mardi 24/03/2026 10:00 au mardi 24/03/2026 12:30 (attente du citoyen) : \
         24 h consommées, reste 24 h\n"
    ));
}

#[test]
fn a_pause_waiting_for_the_citizen_shifts_the_due_date_by_the_paused_days() {
    let mut thirty = deadline(30, DeadlineUnit::CalendarDays, tunis(2026, 3, 17, 10, 0));
    // Taken on 25 March, lifted on 1 April: days 26 March to 1 April (7 days) do not count.
    thirty.pauses.push(pause(
        tunis(2026, 3, 25, 9, 0),
        Some(tunis(2026, 4, 1, 16, 0)),
    ));
    let computed = thirty.compute(&tunisia()).unwrap();
    assert_eq!(
        computed.due,
        DueStatus::Due {
            due_date: date(2026, 4, 23),
            due_at: end_of_day_before(2026, 4, 24),
        }
    );
    assert!(
        computed
            .explanation
            .steps
            .contains(&ExplanationStep::Paused {
                from: tunis(2026, 3, 25, 9, 0),
                until: Some(tunis(2026, 4, 1, 16, 0)),
                reason: "attente du citoyen".into(),
                consumed_before: Budget::CalendarDays { days: 8 },
                remaining: Budget::CalendarDays { days: 22 },
            })
    );
    let text = computed.explanation.to_string();
    assert!(text.contains(
        "Suspension du mercredi 25/03/2026 09:00 au mercredi 01/04/2026 16:00 (attente du citoyen) : \
         8 jours calendaires consommés, reste 22 jours calendaires ; décompte repris le jeudi 02/04/2026"
    ));
    assert!(text.contains("22 jours calendaires comptés du jeudi 02/04/2026 au jeudi 23/04/2026"));
}

#[test]
fn a_pause_lifted_the_day_it_was_taken_changes_nothing() {
    let mut thirty = deadline(30, DeadlineUnit::CalendarDays, tunis(2026, 3, 17, 10, 0));
    thirty.pauses.push(pause(
        tunis(2026, 3, 25, 9, 0),
        Some(tunis(2026, 3, 25, 17, 0)),
    ));
    assert_eq!(due(&thirty).0, date(2026, 4, 16));
}

#[test]
fn an_open_pause_suspends_with_the_remaining_budget() {
    let mut thirty = deadline(30, DeadlineUnit::CalendarDays, tunis(2026, 3, 17, 10, 0));
    thirty.pauses.push(pause(tunis(2026, 3, 25, 9, 0), None));
    let computed = thirty.compute(&tunisia()).unwrap();
    assert_eq!(
        computed.due,
        DueStatus::Suspended {
            since: tunis(2026, 3, 25, 9, 0),
            remaining: Budget::CalendarDays { days: 22 },
        }
    );
    assert!(!computed.is_overdue_at(tunis(2030, 1, 1, 0, 0)));
    assert!(computed.explanation.to_string().ends_with(
        "Délai suspendu depuis le mercredi 25/03/2026 09:00 ; reste : 22 jours calendaires"
    ));

    let mut ten = deadline(10, DeadlineUnit::WorkingDays, tunis(2026, 3, 17, 10, 0));
    // Counted by Tuesday 24 March: 18, 19, 23, 24.
    ten.pauses.push(pause(tunis(2026, 3, 24, 11, 0), None));
    assert_eq!(
        ten.compute(&tunisia()).unwrap().due,
        DueStatus::Suspended {
            since: tunis(2026, 3, 24, 11, 0),
            remaining: Budget::WorkingDays { days: 6 },
        }
    );

    let mut hours = deadline(48, DeadlineUnit::Hours, tunis(2026, 3, 23, 10, 0));
    hours.pauses.push(pause(tunis(2026, 3, 24, 8, 30), None));
    assert_eq!(
        hours.compute(&tunisia()).unwrap().due,
        DueStatus::Suspended {
            since: tunis(2026, 3, 24, 8, 30),
            remaining: Budget::Hours {
                seconds: (25 * 60 + 30) * 60
            },
        }
    );
}

#[test]
fn an_extension_adds_to_the_budget() {
    let mut thirty = deadline(30, DeadlineUnit::CalendarDays, tunis(2026, 3, 17, 10, 0));
    thirty.extensions.push(Extension {
        amount: 15,
        granted_at: tunis(2026, 4, 10, 9, 0),
        reason: "consultation d'un autre ministère".into(),
    });
    let computed = thirty.compute(&tunisia()).unwrap();
    let forty_five = deadline(45, DeadlineUnit::CalendarDays, tunis(2026, 3, 17, 10, 0));
    assert_eq!(computed.due, forty_five.compute(&tunisia()).unwrap().due);
    assert!(computed.explanation.to_string().contains(
        "Prolongation de 15 jours calendaires accordée le vendredi 10/04/2026 09:00 : \
         consultation d'un autre ministère"
    ));
}

#[test]
fn a_pause_after_expiry_is_ignored() {
    let mut thirty = deadline(30, DeadlineUnit::CalendarDays, tunis(2026, 3, 17, 10, 0));
    thirty.pauses.push(pause(
        tunis(2026, 4, 20, 9, 0),
        Some(tunis(2026, 4, 25, 9, 0)),
    ));
    let computed = thirty.compute(&tunisia()).unwrap();
    assert_eq!(computed.due_at(), Some(end_of_day_before(2026, 4, 17)));
    assert!(computed.explanation.steps.iter().any(|step| matches!(
        step,
        ExplanationStep::PauseIgnored {
            why: PauseIgnoredReason::DeadlineExpired,
            ..
        }
    )));
    assert!(
        computed
            .explanation
            .to_string()
            .contains("(attente du citoyen) ignorée : le délai avait déjà expiré")
    );

    // Still open, but too late: the deadline stays expired, not suspended.
    thirty.pauses = vec![pause(tunis(2026, 4, 20, 9, 0), None)];
    assert!(
        thirty
            .is_overdue(&tunisia(), tunis(2026, 4, 21, 0, 0))
            .unwrap()
    );
}

#[test]
fn a_pause_on_the_last_day_or_during_the_roll_comes_too_late() {
    // 30 days: the last day, 16 April, counts whole even if a pause begins on it.
    let mut thirty = deadline(30, DeadlineUnit::CalendarDays, tunis(2026, 3, 17, 10, 0));
    thirty.pauses.push(pause(tunis(2026, 4, 16, 10, 0), None));
    let computed = thirty.compute(&tunisia()).unwrap();
    assert_eq!(computed.due_at(), Some(end_of_day_before(2026, 4, 17)));
    assert!(computed.explanation.steps.iter().any(|step| matches!(
        step,
        ExplanationStep::PauseIgnored {
            why: PauseIgnoredReason::BudgetUsedUp,
            ..
        }
    )));
    // 32 days run out on Saturday 18 April; a pause on Sunday 19 changes nothing.
    let mut thirty_two = deadline(32, DeadlineUnit::CalendarDays, tunis(2026, 3, 17, 10, 0));
    thirty_two.pauses.push(pause(
        tunis(2026, 4, 19, 10, 0),
        Some(tunis(2026, 4, 22, 10, 0)),
    ));
    assert_eq!(due(&thirty_two).0, date(2026, 4, 20));
}

#[test]
fn missing_lunar_data_is_a_warning_naming_the_year() {
    // 30 working days from 1 December 2028 reach into 2029.
    let computed = deadline(30, DeadlineUnit::WorkingDays, tunis(2028, 12, 1, 10, 0))
        .compute(&tunisia())
        .unwrap();
    assert_eq!(
        computed
            .explanation
            .missing_lunar_years()
            .collect::<Vec<_>>(),
        vec![2029]
    );
    let steps = &computed.explanation.steps;
    assert!(matches!(steps.last(), Some(ExplanationStep::Due { .. })));
    assert_eq!(
        steps[steps.len() - 2],
        ExplanationStep::MissingLunarData { year: 2029 }
    );
    assert!(
        computed
            .explanation
            .to_string()
            .contains("Attention : les fêtes lunaires de 2029 ne sont pas encore saisies")
    );

    // Calendar days ask the calendar only about the due date, and only when rolling.
    let mut rule = DeadlineRule::new(10, DeadlineUnit::CalendarDays, "test");
    let start = tunis(2030, 1, 1, 10, 0);
    assert_eq!(
        Deadline::new(rule.clone(), start)
            .compute(&tunisia())
            .unwrap()
            .explanation
            .missing_lunar_years()
            .collect::<Vec<_>>(),
        vec![2030]
    );
    rule.roll = RollPolicy::None;
    let computed = Deadline::new(rule, start).compute(&tunisia()).unwrap();
    assert_eq!(computed.explanation.missing_lunar_years().count(), 0);
    assert_eq!(computed.due_at(), Some(end_of_day_before(2030, 1, 12)));
}

#[test]
fn no_roll_keeps_a_weekend_due_date() {
    let mut rule = DeadlineRule::new(32, DeadlineUnit::CalendarDays, "test");
    rule.roll = RollPolicy::None;
    let (due_date, _) = due(&Deadline::new(rule, tunis(2026, 3, 17, 10, 0)));
    assert_eq!(due_date, date(2026, 4, 18));
}

#[test]
fn remaining_budget_and_overdue_at_an_instant() {
    let calendar = tunisia();
    let mut ten = deadline(10, DeadlineUnit::WorkingDays, tunis(2026, 3, 17, 10, 0));
    assert_eq!(
        ten.remaining_at(&calendar, tunis(2026, 3, 1, 0, 0)),
        Ok(Budget::WorkingDays { days: 10 })
    );
    // By Tuesday 24 March (counted as used): 18, 19, 23, 24.
    assert_eq!(
        ten.remaining_at(&calendar, tunis(2026, 3, 24, 12, 0)),
        Ok(Budget::WorkingDays { days: 6 })
    );
    assert_eq!(
        ten.remaining_at(&calendar, tunis(2026, 4, 2, 0, 0)),
        Ok(Budget::WorkingDays { days: 0 })
    );
    assert!(
        !ten.is_overdue(&calendar, tunis(2026, 4, 1, 23, 59))
            .unwrap()
    );
    assert!(ten.is_overdue(&calendar, tunis(2026, 4, 2, 0, 0)).unwrap());

    // A pause known to be lifted later still counts as open at `now`; later pauses are unknown.
    ten.pauses.push(pause(
        tunis(2026, 3, 19, 9, 0),
        Some(tunis(2026, 3, 30, 9, 0)),
    ));
    assert_eq!(
        ten.remaining_at(&calendar, tunis(2026, 3, 25, 12, 0)),
        Ok(Budget::WorkingDays { days: 8 })
    );

    let hours = deadline(48, DeadlineUnit::Hours, tunis(2026, 3, 23, 10, 0));
    assert_eq!(
        hours.remaining_at(&calendar, tunis(2026, 3, 24, 10, 0)),
        Ok(Budget::Hours {
            seconds: 24 * 3_600
        })
    );
}

#[test]
fn calendar_compute_is_deadline_compute() {
    let thirty = deadline(30, DeadlineUnit::CalendarDays, tunis(2026, 3, 17, 10, 0));
    let calendar = tunisia();
    assert_eq!(calendar.compute(&thirty), thirty.compute(&calendar));
}

#[test]
fn computed_deadline_serializes_with_stable_tags() {
    let mut thirty = deadline(30, DeadlineUnit::CalendarDays, tunis(2026, 3, 17, 10, 0));
    thirty.pauses.push(pause(
        tunis(2026, 3, 25, 9, 0),
        Some(tunis(2026, 4, 1, 16, 0)),
    ));
    let computed = thirty.compute(&tunisia()).unwrap();
    let json = serde_json::to_value(&computed).unwrap();
    assert_eq!(json["due"]["status"], "due");
    assert_eq!(json["due"]["due_date"], "2026-04-23");
    assert_eq!(json["explanation"]["time_zone"], "Africa/Tunis");
    assert_eq!(json["explanation"]["steps"][0]["step"], "started");
    assert_eq!(json["explanation"]["steps"][0]["unit"], "calendar_days");
    assert_eq!(json["explanation"]["steps"][0]["roll"], "next_working_day");
    assert_eq!(
        json["explanation"]["steps"][2]["remaining"],
        serde_json::json!({"unit": "calendar_days", "days": 22})
    );
    let back: ComputedDeadline = serde_json::from_value(json).unwrap();
    assert_eq!(back, computed);

    let rolled = deadline(3, DeadlineUnit::CalendarDays, tunis(2026, 3, 17, 10, 0))
        .compute(&tunisia())
        .unwrap();
    let back: ComputedDeadline =
        serde_json::from_str(&serde_json::to_string(&rolled).unwrap()).unwrap();
    assert_eq!(back, rolled);

    let rule: DeadlineRule =
        serde_json::from_str(r#"{"amount": 48, "unit": "hours", "source": "circular 2 of 2020"}"#)
            .unwrap();
    assert_eq!(rule.roll, RollPolicy::NextWorkingDay);
}

#[test]
fn rule_and_pause_errors() {
    let calendar = tunisia();
    let start = tunis(2026, 3, 17, 10, 0);
    let error = |deadline: &Deadline| deadline.compute(&calendar).unwrap_err();

    assert_eq!(
        error(&deadline(0, DeadlineUnit::Hours, start)),
        CalendarError::ZeroAmount
    );
    assert_eq!(
        error(&deadline(u32::MAX, DeadlineUnit::CalendarDays, start)),
        CalendarError::OutOfRange {
            unit: DeadlineUnit::CalendarDays,
            requested: u64::from(u32::MAX),
            max: 3_660
        }
    );
    assert!(
        deadline(3_660, DeadlineUnit::WorkingDays, start)
            .compute(&calendar)
            .is_ok()
    );
    assert!(
        deadline(87_840, DeadlineUnit::Hours, start)
            .compute(&calendar)
            .is_ok()
    );
    assert!(matches!(
        error(&deadline(87_841, DeadlineUnit::Hours, start)),
        CalendarError::OutOfRange { max: 87_840, .. }
    ));

    let mut extended = deadline(3_000, DeadlineUnit::CalendarDays, start);
    extended.extensions.push(Extension {
        amount: 661,
        granted_at: start,
        reason: String::new(),
    });
    assert!(matches!(
        error(&extended),
        CalendarError::OutOfRange {
            requested: 3_661,
            ..
        }
    ));
    extended.extensions[0].amount = 0;
    assert_eq!(error(&extended), CalendarError::ZeroExtension { index: 0 });
    extended.extensions[0].amount = 1;
    extended.extensions[0].granted_at = tunis(2026, 3, 16, 10, 0);
    assert_eq!(
        error(&extended),
        CalendarError::ExtensionBeforeStart { index: 0 }
    );

    let with_pauses = |pauses: Vec<Pause>| {
        let mut paused = deadline(30, DeadlineUnit::CalendarDays, start);
        paused.pauses = pauses;
        paused.compute(&calendar)
    };
    let at = |day: u32| tunis(2026, 3, day, 12, 0);
    assert_eq!(
        with_pauses(vec![pause(at(16), Some(at(18)))]),
        Err(CalendarError::PauseBeforeStart { index: 0 })
    );
    assert_eq!(
        with_pauses(vec![pause(at(20), Some(at(19)))]),
        Err(CalendarError::PauseEndsBeforeItStarts { index: 0 })
    );
    assert_eq!(
        with_pauses(vec![
            pause(at(18), Some(at(22))),
            pause(at(21), Some(at(25)))
        ]),
        Err(CalendarError::PausesOverlap { index: 1 })
    );
    assert_eq!(
        with_pauses(vec![
            pause(at(22), Some(at(23))),
            pause(at(18), Some(at(19)))
        ]),
        Err(CalendarError::PausesOverlap { index: 1 })
    );
    assert_eq!(
        with_pauses(vec![pause(at(18), None), pause(at(21), Some(at(25)))]),
        Err(CalendarError::OpenPauseNotLast { index: 0 })
    );
    // Back-to-back pauses are fine.
    assert!(
        with_pauses(vec![
            pause(at(18), Some(at(20))),
            pause(at(20), Some(at(22)))
        ])
        .is_ok()
    );
}

#[test]
fn dates_at_the_edge_of_chrono_are_errors_not_panics() {
    let calendar = tunisia();
    let near_end = DateTime::<Utc>::MAX_UTC - chrono::TimeDelta::days(3);
    assert_eq!(
        deadline(30, DeadlineUnit::CalendarDays, near_end).compute(&calendar),
        Err(CalendarError::DateOutOfRange)
    );
    assert!(
        deadline(100, DeadlineUnit::Hours, near_end)
            .compute(&calendar)
            .is_err()
    );
    assert!(
        deadline(1, DeadlineUnit::WorkingDays, DateTime::<Utc>::MAX_UTC)
            .compute(&calendar)
            .is_err()
    );
    // The far past works as long as the time zone does.
    assert!(
        deadline(
            1,
            DeadlineUnit::WorkingDays,
            DateTime::<Utc>::MIN_UTC + chrono::TimeDelta::days(3)
        )
        .compute(&calendar)
        .is_ok()
    );
}

#[test]
fn a_calendar_without_working_days_for_a_year_is_an_error() {
    let mut config = CalendarConfig::from(tunisia());
    config.version = "degenerate".into();
    config.weekend = vec![
        chrono::Weekday::Mon,
        chrono::Weekday::Tue,
        chrono::Weekday::Wed,
        chrono::Weekday::Thu,
        chrono::Weekday::Fri,
        chrono::Weekday::Sat,
    ];
    // Every Sunday of 2030 and 2031 is a holiday.
    for year in [2030, 2031] {
        let mut holidays = Vec::new();
        let mut day = date(year, 1, 1);
        while day.year() == year {
            if day.weekday() == chrono::Weekday::Sun {
                holidays.push(DatedHoliday {
                    date: day,
                    name_fr: "Dimanche chômé".into(),
                    name_ar: "أحد".into(),
                });
            }
            day = day.succ_opt().unwrap();
        }
        config.lunar_years.push(LunarYear {
            year,
            estimated: false,
            source: "test".into(),
            holidays,
        });
    }
    let calendar = HolidayCalendar::from_config(config).unwrap();
    let start = tunis(2029, 12, 20, 10, 0);
    assert_eq!(
        deadline(30, DeadlineUnit::CalendarDays, start).compute(&calendar),
        Err(CalendarError::NoWorkingDayNear(date(2030, 1, 19)))
    );
    // Working days: two Sundays of December 2029, then walking on to the first of 2032.
    let computed = deadline(3, DeadlineUnit::WorkingDays, start)
        .compute(&calendar)
        .unwrap();
    assert_eq!(
        computed.due_at().map(|at| calendar.local_date(at)),
        Some(date(2032, 1, 5))
    );
}
