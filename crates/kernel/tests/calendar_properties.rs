//! Property tests of the legal calendar: invariants of deadline computation that must hold
//! for any start, amount, pauses and extensions (years 2000 to 2100), and the absence of
//! panics for arbitrary input, including invalid calendars and extreme dates.

use chrono::{DateTime, Datelike, NaiveDate, TimeDelta, Utc, Weekday};
use kernel::calendar::{
    CalendarConfig, CalendarError, ComputedDeadline, DatedHoliday, Deadline, DeadlineRule,
    DeadlineUnit, DueStatus, ExplanationStep, Extension, FixedHoliday, HolidayCalendar, LunarYear,
    Pause, RollPolicy,
};
use proptest::prelude::*;

const DAY: i64 = 86_400;

fn tunisia() -> HolidayCalendar {
    HolidayCalendar::tunisia().expect("the embedded calendar is valid")
}

/// An instant between 2000-01-01 and 2100-12-31 (UTC), to the second.
fn instant() -> impl Strategy<Value = DateTime<Utc>> {
    (946_684_800_i64..4_133_980_800).prop_map(|seconds| {
        DateTime::from_timestamp(seconds, 0).expect("the timestamp is in range")
    })
}

fn unit() -> impl Strategy<Value = DeadlineUnit> {
    prop_oneof![
        Just(DeadlineUnit::Hours),
        Just(DeadlineUnit::CalendarDays),
        Just(DeadlineUnit::WorkingDays),
    ]
}

fn roll() -> impl Strategy<Value = RollPolicy> {
    prop_oneof![3 => Just(RollPolicy::NextWorkingDay), 1 => Just(RollPolicy::None)]
}

/// Mostly realistic amounts, sometimes up to the maximum of the unit.
fn amount(unit: DeadlineUnit) -> impl Strategy<Value = u32> {
    prop_oneof![4 => 1..=120_u32, 1 => 1..=unit.max_budget()]
}

fn rule() -> impl Strategy<Value = DeadlineRule> {
    (unit(), roll()).prop_flat_map(|(unit, roll)| {
        amount(unit).prop_map(move |amount| DeadlineRule {
            amount,
            unit,
            roll,
            source: "property".into(),
        })
    })
}

/// Closed pauses in order after `start`: (gap after the previous end, length), in seconds.
fn closed_pauses() -> impl Strategy<Value = Vec<(i64, i64)>> {
    prop::collection::vec((0..40 * DAY, 0..20 * DAY), 0..4)
}

fn build_pauses(start: DateTime<Utc>, shape: &[(i64, i64)], last_open: bool) -> Vec<Pause> {
    let mut cursor = start;
    let mut pauses = Vec::new();
    for (index, (gap, length)) in shape.iter().enumerate() {
        let from = cursor + TimeDelta::seconds(*gap);
        let until = from + TimeDelta::seconds(*length);
        let open = last_open && index + 1 == shape.len();
        pauses.push(Pause {
            from,
            until: (!open).then_some(until),
            reason: format!("pause {index}"),
        });
        cursor = until;
    }
    pauses
}

fn compute(deadline: &Deadline) -> ComputedDeadline {
    deadline.compute(&tunisia()).expect("the deadline computes")
}

fn due_of(computed: &ComputedDeadline) -> (NaiveDate, DateTime<Utc>) {
    match computed.due {
        DueStatus::Due { due_date, due_at } => (due_date, due_at),
        DueStatus::Suspended { .. } => panic!("unexpectedly suspended"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn due_instant_is_after_the_start(
        rule in rule(), start in instant(), shape in closed_pauses(), open in any::<bool>()
    ) {
        let mut deadline = Deadline::new(rule, start);
        deadline.pauses = build_pauses(start, &shape, open);
        let computed = compute(&deadline);
        if let DueStatus::Due { due_at, due_date } = computed.due {
            prop_assert!(due_at > start);
            prop_assert!(due_date >= tunisia().local_date(start));
        }
    }

    #[test]
    fn rolled_due_dates_are_working_days(
        rule in rule(), start in instant(), shape in closed_pauses()
    ) {
        let mut deadline = Deadline::new(DeadlineRule { roll: RollPolicy::NextWorkingDay, ..rule }, start);
        deadline.pauses = build_pauses(start, &shape, false);
        let (due_date, _) = due_of(&compute(&deadline));
        prop_assert!(tunisia().is_working_day(due_date));
    }

    #[test]
    fn more_budget_never_gives_an_earlier_due_date(
        rule in rule(), more in 0..200_u32, start in instant(), shape in closed_pauses()
    ) {
        let bigger_amount = (rule.amount + more).min(rule.unit.max_budget());
        let mut small = Deadline::new(rule.clone(), start);
        small.pauses = build_pauses(start, &shape, false);
        let mut big = small.clone();
        big.rule.amount = bigger_amount;
        let (small_date, small_at) = due_of(&compute(&small));
        let (big_date, big_at) = due_of(&compute(&big));
        prop_assert!(big_date >= small_date);
        // The instant is monotonic too for day units; for hours a roll can make a longer
        // deadline end earlier on the same day (see the module documentation).
        if rule.unit != DeadlineUnit::Hours {
            prop_assert!(big_at >= small_at);
        }
    }

    #[test]
    fn an_extension_equals_a_larger_amount(
        rule in rule(), extra in 1..200_u32, granted_after in 0..100 * DAY,
        start in instant(), shape in closed_pauses(), open in any::<bool>()
    ) {
        let extra = extra.min(rule.unit.max_budget() - rule.amount);
        prop_assume!(extra > 0);
        let pauses = build_pauses(start, &shape, open);
        let mut extended = Deadline::new(rule.clone(), start);
        extended.pauses = pauses.clone();
        extended.extensions.push(Extension {
            amount: extra,
            granted_at: start + TimeDelta::seconds(granted_after),
            reason: "more time".into(),
        });
        let mut larger = Deadline::new(DeadlineRule { amount: rule.amount + extra, ..rule }, start);
        larger.pauses = pauses;
        prop_assert_eq!(compute(&extended).due, compute(&larger).due);
    }

    #[test]
    fn a_pause_never_makes_the_due_date_earlier(
        rule in rule(), start in instant(), shape in closed_pauses()
    ) {
        let plain = Deadline::new(rule, start);
        let mut paused = plain.clone();
        paused.pauses = build_pauses(start, &shape, false);
        let (plain_date, _) = due_of(&compute(&plain));
        let (paused_date, _) = due_of(&compute(&paused));
        prop_assert!(paused_date >= plain_date);
    }

    #[test]
    fn a_zero_length_pause_changes_nothing(
        rule in rule(), start in instant(), at in 0..400 * DAY
    ) {
        let plain = Deadline::new(rule, start);
        let mut paused = plain.clone();
        let instant = start + TimeDelta::seconds(at);
        paused.pauses.push(Pause { from: instant, until: Some(instant), reason: "none".into() });
        prop_assert_eq!(compute(&plain).due, compute(&paused).due);
    }

    #[test]
    fn working_days_without_pauses_count_exactly_the_amount(
        amount in prop_oneof![4 => 1..=120_u32, 1 => 1..=3_660_u32], start in instant(), roll in roll()
    ) {
        let calendar = tunisia();
        let deadline = Deadline::new(
            DeadlineRule { amount, unit: DeadlineUnit::WorkingDays, roll, source: "p".into() },
            start,
        );
        let (due_date, due_at) = due_of(&compute(&deadline));
        let mut day = calendar.local_date(start);
        let mut working = 0;
        while day < due_date {
            day = day.succ_opt().unwrap();
            if calendar.is_working_day(day) {
                working += 1;
            }
        }
        prop_assert_eq!(working, amount);
        prop_assert!(calendar.is_working_day(due_date));
        prop_assert_eq!(due_at, calendar.start_of_day(due_date.succ_opt().unwrap()).unwrap());
    }

    #[test]
    fn hours_without_roll_end_after_the_amount_plus_the_pauses(
        amount in 1..=2_000_u32, start in instant(), shape in closed_pauses()
    ) {
        let mut deadline = Deadline::new(
            DeadlineRule { amount, unit: DeadlineUnit::Hours, roll: RollPolicy::None, source: "p".into() },
            start,
        );
        deadline.pauses = build_pauses(start, &shape, false);
        let (_, due_at) = due_of(&compute(&deadline));
        let mut expected = start + TimeDelta::hours(i64::from(amount));
        for pause in &deadline.pauses {
            if pause.from < expected {
                expected += pause.until.unwrap() - pause.from;
            }
        }
        prop_assert_eq!(due_at, expected);
    }

    #[test]
    fn the_last_step_restates_the_result_and_serde_round_trips(
        rule in rule(), start in instant(), shape in closed_pauses(), open in any::<bool>(),
        extensions in prop::collection::vec((1..30_u32, 0..50 * DAY), 0..3)
    ) {
        let mut deadline = Deadline::new(rule, start);
        deadline.pauses = build_pauses(start, &shape, open);
        deadline.extensions = extensions
            .into_iter()
            .map(|(amount, after)| Extension {
                amount,
                granted_at: start + TimeDelta::seconds(after),
                reason: "e".into(),
            })
            .collect();
        let computed = match deadline.compute(&tunisia()) {
            Ok(computed) => computed,
            // Extensions may push the budget past the maximum.
            Err(error) => {
                let out_of_range = matches!(error, CalendarError::OutOfRange { .. });
                prop_assert!(out_of_range, "unexpected error {:?}", error);
                return Ok(());
            }
        };
        let last = computed.explanation.steps.last().cloned();
        match &computed.due {
            DueStatus::Due { due_date, due_at } => prop_assert_eq!(
                last,
                Some(ExplanationStep::Due { due_date: *due_date, due_at: *due_at })
            ),
            DueStatus::Suspended { since, remaining } => prop_assert_eq!(
                last,
                Some(ExplanationStep::Suspended { since: *since, remaining: *remaining })
            ),
        }
        let starts = matches!(computed.explanation.steps.first(), Some(ExplanationStep::Started { .. }));
        prop_assert!(starts, "the first step is not Started");
        prop_assert_eq!(
            computed.explanation.to_string().lines().count(),
            computed.explanation.steps.len()
        );
        let json = serde_json::to_string(&computed).unwrap();
        let back: ComputedDeadline = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(back, computed);
        let json = serde_json::to_string(&deadline).unwrap();
        let back: Deadline = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(back, deadline);
    }

    #[test]
    fn next_working_day_is_the_first_working_day(start in instant()) {
        let calendar = tunisia();
        let date = start.date_naive();
        let next = calendar.next_working_day_on_or_after(date).unwrap();
        prop_assert!(calendar.is_working_day(next));
        let mut day = date;
        while day < next {
            prop_assert!(calendar.non_working_reason(day).is_some());
            day = day.succ_opt().unwrap();
        }
    }
}

/// Any weekend (including all seven days), any month/day pairs, any holidays.
fn arbitrary_config() -> impl Strategy<Value = CalendarConfig> {
    let weekday = (0..7_u8).prop_map(|n| Weekday::try_from(n).expect("0 to 6 are weekdays"));
    (
        prop::collection::vec(weekday, 0..9),
        prop::collection::vec((0..14_u32, 0..33_u32), 0..10),
        prop::collection::vec((1990..2110_i32, 0..400_u32), 0..40),
        prop::sample::select(vec![
            "Africa/Tunis",
            "Europe/Paris",
            "America/Havana",
            "Nowhere/Else",
        ]),
    )
        .prop_map(|(weekend, fixed, dated, zone)| {
            let mut lunar_years: Vec<LunarYear> = Vec::new();
            for (year, ordinal) in dated {
                let Some(date) = NaiveDate::from_yo_opt(year, ordinal) else {
                    continue;
                };
                let holiday = DatedHoliday {
                    date,
                    name_fr: "F".into(),
                    name_ar: "ع".into(),
                };
                match lunar_years
                    .iter_mut()
                    .find(|lunar| lunar.year == date.year())
                {
                    Some(lunar) => lunar.holidays.push(holiday),
                    None => lunar_years.push(LunarYear {
                        year: date.year(),
                        estimated: true,
                        source: "p".into(),
                        holidays: vec![holiday],
                    }),
                }
            }
            CalendarConfig {
                version: "arbitrary".into(),
                time_zone: zone.into(),
                weekend,
                fixed: fixed
                    .into_iter()
                    .map(|(month, day)| FixedHoliday {
                        month,
                        day,
                        name_fr: "F".into(),
                        name_ar: "ع".into(),
                    })
                    .collect(),
                lunar_years,
            }
        })
}

/// Any instant chrono can represent, with extra weight at the edges.
fn any_instant() -> impl Strategy<Value = DateTime<Utc>> {
    let min = DateTime::<Utc>::MIN_UTC.timestamp();
    let max = DateTime::<Utc>::MAX_UTC.timestamp();
    prop_oneof![
        instant(),
        (min..=max)
            .prop_map(move |s| DateTime::from_timestamp(s, 0).expect("the timestamp is in range")),
        (0..30 * DAY).prop_map(
            move |s| DateTime::from_timestamp(max - s, 0).expect("the timestamp is in range")
        ),
        (0..30 * DAY).prop_map(
            move |s| DateTime::from_timestamp(min + s, 0).expect("the timestamp is in range")
        ),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn no_input_panics(
        config in arbitrary_config(),
        unit in unit(),
        roll in roll(),
        amount in prop_oneof![0..200_u32, any::<u32>()],
        start in any_instant(),
        pauses in prop::collection::vec((any_instant(), prop::option::of(any_instant())), 0..4),
        extensions in prop::collection::vec((any::<u32>(), any_instant()), 0..3),
        now in any_instant(),
    ) {
        let calendar = match HolidayCalendar::from_config(config) {
            Ok(calendar) => calendar,
            Err(_) => tunisia(),
        };
        let deadline = Deadline {
            rule: DeadlineRule { amount, unit, roll, source: "p".into() },
            start,
            pauses: pauses
                .into_iter()
                .map(|(from, until)| Pause { from, until, reason: String::new() })
                .collect(),
            extensions: extensions
                .into_iter()
                .map(|(amount, granted_at)| Extension { amount, granted_at, reason: String::new() })
                .collect(),
        };
        if let Ok(computed) = deadline.compute(&calendar) {
            let _ = computed.explanation.to_string();
            let _ = computed.is_overdue_at(now);
        }
        let _ = deadline.is_overdue(&calendar, now);
        let _ = deadline.remaining_at(&calendar, now);
        let date = calendar.local_date(now);
        let _ = calendar.next_working_day_on_or_after(date);
        let _ = calendar.start_of_day(date);
        let _ = calendar.non_working_reason(date);
    }

    #[test]
    fn valid_pauses_in_any_valid_calendar_compute_or_fail_cleanly(
        config in arbitrary_config(),
        rule in rule(),
        start in instant(),
        shape in closed_pauses(),
        open in any::<bool>(),
    ) {
        let Ok(calendar) = HolidayCalendar::from_config(config) else { return Ok(()) };
        let mut deadline = Deadline::new(rule, start);
        deadline.pauses = build_pauses(start, &shape, open);
        match deadline.compute(&calendar) {
            Ok(computed) => {
                if let DueStatus::Due { due_at, due_date } = computed.due {
                    prop_assert!(due_at > start);
                    if deadline.rule.roll == RollPolicy::NextWorkingDay {
                        prop_assert!(calendar.is_working_day(due_date));
                    }
                }
            }
            Err(error) => {
                let expected = matches!(
                    error,
                    CalendarError::NoWorkingDayNear(_) | CalendarError::DateOutOfRange
                );
                prop_assert!(expected, "unexpected error {:?}", error);
            }
        }
    }
}
