//! How a deadline was computed, step by step: structured data that travels in events (so a
//! user interface can render it in Arabic or French), plus a French rendering (`Display`).

use std::fmt;

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Utc, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::deadline::{Budget, DeadlineUnit, RollPolicy};
use super::holidays::NonWorkingReason;
use super::time::{to_local, tz_name};

/// Why a pause did not stop the clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PauseIgnoredReason {
    /// It began after the deadline had expired: a pause does not revive a deadline.
    DeadlineExpired,
    /// It began after the budget was used up (on the last counted day, or while the deadline
    /// was only waiting for the next working day): nothing was left to stop.
    BudgetUsedUp,
}

/// One step of a computation, in the order it happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum ExplanationStep {
    /// The deadline starts.
    Started {
        /// Start instant.
        at: DateTime<Utc>,
        /// The rule's amount.
        amount: u32,
        /// The rule's unit.
        unit: DeadlineUnit,
        /// The rule's roll policy.
        roll: RollPolicy,
        /// Where the rule comes from.
        source: String,
    },
    /// An extension adds to the budget.
    Extended {
        /// Amount added.
        amount: u32,
        /// Unit (the rule's).
        unit: DeadlineUnit,
        /// When it was granted.
        granted_at: DateTime<Utc>,
        /// Why.
        reason: String,
    },
    /// Days counted over a stretch of local days (inclusive bounds).
    CountedDays {
        /// Calendar or working days.
        unit: DeadlineUnit,
        /// How many days of the stretch counted.
        days: u32,
        /// First day of the stretch.
        from: NaiveDate,
        /// Last day of the stretch.
        to: NaiveDate,
    },
    /// Time counted between two instants.
    CountedHours {
        /// Whole seconds counted.
        seconds: i64,
        /// From.
        from: DateTime<Utc>,
        /// To.
        to: DateTime<Utc>,
    },
    /// The clock stopped.
    Paused {
        /// When it stopped.
        from: DateTime<Utc>,
        /// When it restarted, `None` if still stopped.
        until: Option<DateTime<Utc>>,
        /// Why.
        reason: String,
        /// Budget used before the pause.
        consumed_before: Budget,
        /// Budget left.
        remaining: Budget,
    },
    /// A pause that changed nothing.
    PauseIgnored {
        /// When it began.
        from: DateTime<Utc>,
        /// When it ended, if it did.
        until: Option<DateTime<Utc>>,
        /// Why it was taken.
        reason: String,
        /// Why it is ignored.
        why: PauseIgnoredReason,
    },
    /// The due date fell on a non-working day and moved.
    Rolled {
        /// The day the budget ran out.
        from: NaiveDate,
        /// The next working day.
        to: NaiveDate,
        /// Why `from` is not a working day.
        reason: NonWorkingReason,
    },
    /// Warning: days of `year` were examined but its lunar holidays are not in the calendar;
    /// only the weekend and fixed holidays were applied for that year.
    MissingLunarData {
        /// The year.
        year: i32,
    },
    /// Result: the deadline expires.
    Due {
        /// Last day, inclusive.
        due_date: NaiveDate,
        /// Expiry instant, exclusive.
        due_at: DateTime<Utc>,
    },
    /// Result: the clock is stopped.
    Suspended {
        /// Since when.
        since: DateTime<Utc>,
        /// Budget left.
        remaining: Budget,
    },
}

/// The explanation of a computed deadline: the time zone its dates are local to, and its steps.
/// `Display` renders it in French, one line per step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Explanation {
    /// Time zone of the calendar (local dates and the rendering of instants).
    #[serde(with = "tz_name")]
    pub time_zone: Tz,
    /// The steps; the last one is always [`ExplanationStep::Due`] or
    /// [`ExplanationStep::Suspended`].
    pub steps: Vec<ExplanationStep>,
}

impl Explanation {
    /// Years whose lunar holidays were missing from the calendar.
    pub fn missing_lunar_years(&self) -> impl Iterator<Item = i32> + '_ {
        self.steps.iter().filter_map(|step| match step {
            ExplanationStep::MissingLunarData { year } => Some(*year),
            _ => None,
        })
    }
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let french = French {
            time_zone: self.time_zone,
        };
        for (index, step) in self.steps.iter().enumerate() {
            if index > 0 {
                writeln!(f)?;
            }
            french.step(f, step)?;
        }
        Ok(())
    }
}

/// French rendering of steps in a time zone.
struct French {
    time_zone: Tz,
}

impl French {
    fn step(&self, f: &mut fmt::Formatter<'_>, step: &ExplanationStep) -> fmt::Result {
        match step {
            ExplanationStep::Started {
                at,
                amount,
                unit,
                roll,
                source,
            } => {
                write!(
                    f,
                    "Départ : {} ({}) ; délai : {}",
                    self.instant(*at),
                    self.zone(),
                    amount_fr(*amount, *unit)
                )?;
                match roll {
                    RollPolicy::NextWorkingDay => {
                        f.write_str(", reporté au jour ouvré suivant s'il finit un jour chômé")?
                    }
                    RollPolicy::None => f.write_str(", sans report")?,
                }
                if !source.trim().is_empty() {
                    write!(f, " ; source : {source}")?;
                }
                Ok(())
            }
            ExplanationStep::Extended {
                amount,
                unit,
                granted_at,
                reason,
            } => {
                write!(
                    f,
                    "Prolongation de {} accordée le {}",
                    amount_fr(*amount, *unit),
                    self.instant(*granted_at)
                )?;
                write_reason(f, reason)
            }
            ExplanationStep::CountedDays {
                unit,
                days,
                from,
                to,
            } => {
                let counted = if *days >= 2 { "comptés" } else { "compté" };
                write!(f, "{} {counted} ", amount_fr(*days, *unit))?;
                if from == to {
                    write!(f, "le {}", date_fr(*from))
                } else {
                    write!(f, "du {} au {}", date_fr(*from), date_fr(*to))
                }
            }
            ExplanationStep::CountedHours { seconds, from, to } => write!(
                f,
                "{} comptées du {} au {}",
                duration_fr(*seconds),
                self.instant(*from),
                self.instant(*to)
            ),
            ExplanationStep::Paused {
                from,
                until,
                reason,
                consumed_before,
                remaining,
            } => {
                self.write_pause(f, *from, *until, reason)?;
                // "heures" is feminine, "jours" masculine.
                let consumed = match (
                    consumed_before.unit() == DeadlineUnit::Hours,
                    budget_is_plural(consumed_before),
                ) {
                    (true, true) => "consommées",
                    (true, false) => "consommée",
                    (false, true) => "consommés",
                    (false, false) => "consommé",
                };
                write!(
                    f,
                    " : {} {consumed}, reste {}",
                    budget_fr(consumed_before),
                    budget_fr(remaining)
                )?;
                if let (Some(until), false) = (until, remaining.unit() == DeadlineUnit::Hours) {
                    // Day units resume counting the day after the pause is lifted.
                    let lifted = to_local(self.time_zone, *until).date();
                    if let Some(resumes) = lifted.succ_opt() {
                        write!(f, " ; décompte repris le {}", date_fr(resumes))?;
                    }
                }
                Ok(())
            }
            ExplanationStep::PauseIgnored {
                from,
                until,
                reason,
                why,
            } => {
                self.write_pause(f, *from, *until, reason)?;
                f.write_str(match why {
                    PauseIgnoredReason::DeadlineExpired => " ignorée : le délai avait déjà expiré",
                    PauseIgnoredReason::BudgetUsedUp => " ignorée : le délai était déjà épuisé",
                })
            }
            ExplanationStep::Rolled { from, to, reason } => write!(
                f,
                "Échéance reportée du {} au {} ({})",
                date_fr(*from),
                date_fr(*to),
                reason_fr(reason)
            ),
            ExplanationStep::MissingLunarData { year } => write!(
                f,
                "Attention : les fêtes lunaires de {year} ne sont pas encore saisies ; \
                 seuls le week-end et les fêtes fixes ont été pris en compte pour cette année"
            ),
            ExplanationStep::Due { due_date, due_at } => {
                let local = to_local(self.time_zone, *due_at);
                if local.time() == NaiveTime::MIN && Some(local.date()) == due_date.succ_opt() {
                    write!(
                        f,
                        "Échéance : fin du {} ({})",
                        date_fr(*due_date),
                        self.zone()
                    )
                } else {
                    write!(f, "Échéance : {} ({})", self.instant(*due_at), self.zone())
                }
            }
            ExplanationStep::Suspended { since, remaining } => write!(
                f,
                "Délai suspendu depuis le {} ; reste : {}",
                self.instant(*since),
                budget_fr(remaining)
            ),
        }
    }

    /// "Suspension du ... au ... (reason)", the opening of both pause steps.
    fn write_pause(
        &self,
        f: &mut fmt::Formatter<'_>,
        from: DateTime<Utc>,
        until: Option<DateTime<Utc>>,
        reason: &str,
    ) -> fmt::Result {
        match until {
            Some(until) => write!(
                f,
                "Suspension du {} au {}",
                self.instant(from),
                self.instant(until)
            )?,
            None => write!(f, "Suspension depuis le {}", self.instant(from))?,
        }
        if !reason.trim().is_empty() {
            write!(f, " ({reason})")?;
        }
        Ok(())
    }

    fn instant(&self, instant: DateTime<Utc>) -> String {
        let local = to_local(self.time_zone, instant);
        format!("{} {}", date_fr(local.date()), local.format("%H:%M"))
    }

    fn zone(&self) -> String {
        if self.time_zone == Tz::Africa__Tunis {
            "heure de Tunis".to_owned()
        } else {
            format!("heure locale, {}", self.time_zone.name())
        }
    }
}

fn write_reason(f: &mut fmt::Formatter<'_>, reason: &str) -> fmt::Result {
    if reason.trim().is_empty() {
        Ok(())
    } else {
        write!(f, " : {reason}")
    }
}

fn weekday_fr(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "lundi",
        Weekday::Tue => "mardi",
        Weekday::Wed => "mercredi",
        Weekday::Thu => "jeudi",
        Weekday::Fri => "vendredi",
        Weekday::Sat => "samedi",
        Weekday::Sun => "dimanche",
    }
}

fn date_fr(date: NaiveDate) -> String {
    format!("{} {}", weekday_fr(date.weekday()), date.format("%d/%m/%Y"))
}

/// "1 jour ouvré", "30 jours calendaires", "48 heures" (French: singular for 0 and 1).
fn amount_fr(amount: u32, unit: DeadlineUnit) -> String {
    let plural = amount >= 2;
    let noun = match (unit, plural) {
        (DeadlineUnit::Hours, false) => "heure",
        (DeadlineUnit::Hours, true) => "heures",
        (DeadlineUnit::CalendarDays, false) => "jour calendaire",
        (DeadlineUnit::CalendarDays, true) => "jours calendaires",
        (DeadlineUnit::WorkingDays, false) => "jour ouvré",
        (DeadlineUnit::WorkingDays, true) => "jours ouvrés",
    };
    format!("{amount} {noun}")
}

/// "47 h 30 min", "48 h", "0 h 00 min 05 s".
fn duration_fr(seconds: i64) -> String {
    let sign = if seconds < 0 { "-" } else { "" };
    let seconds = seconds.unsigned_abs();
    let (hours, minutes, rest) = (seconds / 3_600, seconds % 3_600 / 60, seconds % 60);
    match (minutes, rest) {
        (0, 0) => format!("{sign}{hours} h"),
        (_, 0) => format!("{sign}{hours} h {minutes:02} min"),
        _ => format!("{sign}{hours} h {minutes:02} min {rest:02} s"),
    }
}

fn budget_fr(budget: &Budget) -> String {
    match *budget {
        Budget::Hours { seconds } => duration_fr(seconds),
        Budget::CalendarDays { days } => amount_fr(days, DeadlineUnit::CalendarDays),
        Budget::WorkingDays { days } => amount_fr(days, DeadlineUnit::WorkingDays),
    }
}

fn budget_is_plural(budget: &Budget) -> bool {
    match *budget {
        Budget::Hours { seconds } => seconds >= 2 * 3_600,
        Budget::CalendarDays { days } | Budget::WorkingDays { days } => days >= 2,
    }
}

fn reason_fr(reason: &NonWorkingReason) -> &str {
    match reason {
        NonWorkingReason::Weekend(_) => "week-end",
        NonWorkingReason::Holiday { name_fr, .. } => name_fr,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_in_french() {
        assert_eq!(duration_fr(48 * 3_600), "48 h");
        assert_eq!(duration_fr(47 * 3_600 + 30 * 60), "47 h 30 min");
        assert_eq!(duration_fr(5), "0 h 00 min 05 s");
        assert_eq!(duration_fr(-60), "-0 h 01 min");
    }

    #[test]
    fn amounts_in_french() {
        assert_eq!(amount_fr(1, DeadlineUnit::WorkingDays), "1 jour ouvré");
        assert_eq!(
            amount_fr(30, DeadlineUnit::CalendarDays),
            "30 jours calendaires"
        );
        assert_eq!(amount_fr(48, DeadlineUnit::Hours), "48 heures");
        assert_eq!(
            date_fr(NaiveDate::from_ymd_opt(2026, 3, 17).unwrap()),
            "mardi 17/03/2026"
        );
    }
}
