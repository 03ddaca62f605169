//! The working-day calendar: time zone, weekend, fixed public holidays and the lunar holidays
//! entered year by year, with the built-in Tunisian data set.
//!
//! A [`HolidayCalendar`] is always valid: it is only built through
//! [`HolidayCalendar::from_config`] (also used by its `Deserialize`), which checks the
//! [`CalendarConfig`] first. So the lookups below never fail, and searches for a working day
//! always end.

use chrono::{DateTime, Datelike, NaiveDate, Utc, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::deadline::{ComputedDeadline, Deadline};
use super::error::CalendarError;
use super::time;

/// The lunar holidays for 2024 to 2028 (estimates until officially announced).
const TUNISIA_LUNAR_DATA: &str = include_str!("../../data/tunisia-lunar-holidays.json");

/// A non-working run longer than this means a broken calendar, not a long holiday: searches
/// for the next working day stop there with an error instead of walking on.
const MAX_NON_WORKING_RUN_DAYS: u32 = 366;

/// A public holiday on the same day every year (Gregorian calendar).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixedHoliday {
    /// Month, 1 to 12.
    pub month: u32,
    /// Day of the month.
    pub day: u32,
    /// French name.
    pub name_fr: String,
    /// Arabic name.
    pub name_ar: String,
}

impl FixedHoliday {
    fn new(month: u32, day: u32, name_fr: &str, name_ar: &str) -> Self {
        Self {
            month,
            day,
            name_fr: name_fr.to_owned(),
            name_ar: name_ar.to_owned(),
        }
    }

    /// The eight fixed public holidays of Tunisia (domain notes, section 5; verify yearly).
    pub fn tunisia() -> Vec<Self> {
        vec![
            Self::new(1, 1, "Jour de l'An", "رأس السنة الإدارية"),
            Self::new(3, 20, "Fête de l'Indépendance", "عيد الاستقلال"),
            Self::new(4, 9, "Journée des Martyrs", "عيد الشهداء"),
            Self::new(5, 1, "Fête du Travail", "عيد الشغل"),
            Self::new(7, 25, "Fête de la République", "عيد الجمهورية"),
            Self::new(8, 13, "Fête de la Femme", "العيد الوطني للمرأة"),
            Self::new(10, 15, "Fête de l'Évacuation", "عيد الجلاء"),
            Self::new(12, 17, "Fête de la Révolution", "عيد الثورة"),
        ]
    }

    fn falls_on(&self, date: NaiveDate) -> bool {
        self.month == date.month() && self.day == date.day()
    }
}

/// A public holiday on one given date: lunar holidays, announced each year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatedHoliday {
    /// The (local) date of the holiday.
    pub date: NaiveDate,
    /// French name.
    pub name_fr: String,
    /// Arabic name.
    pub name_ar: String,
}

/// The lunar holidays of one Gregorian year, and how sure they are.
///
/// A year listed here is "covered": the calendar knows its lunar holidays. For a year that is
/// not, deadlines are still computed (weekend and fixed holidays only) with a warning.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LunarYear {
    /// Gregorian year.
    pub year: i32,
    /// `true` while the dates are estimates awaiting the official announcement.
    pub estimated: bool,
    /// Where the dates come from (official reference, or how they were estimated).
    pub source: String,
    /// The holidays of that year; every date must fall in `year`.
    pub holidays: Vec<DatedHoliday>,
}

/// Why a day is not a working day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NonWorkingReason {
    /// A weekend day.
    Weekend(Weekday),
    /// A public holiday (when a fixed and a lunar holiday coincide, both names, joined).
    /// Takes precedence over the weekend: it is the more specific reason.
    Holiday {
        /// French name.
        name_fr: String,
        /// Arabic name.
        name_ar: String,
    },
}

/// The plain, unchecked form of a calendar: what configuration files and events hold.
/// [`HolidayCalendar::from_config`] checks it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalendarConfig {
    /// Identifies the data set (e.g. `"TN-2026.1"`); change it whenever any data changes.
    pub version: String,
    /// IANA time zone name; default `Africa/Tunis`.
    #[serde(default = "default_time_zone")]
    pub time_zone: String,
    /// Weekend days; default Saturday and Sunday.
    #[serde(default = "default_weekend")]
    pub weekend: Vec<Weekday>,
    /// Fixed holidays; default the Tunisian ones. An empty list means none.
    #[serde(default = "FixedHoliday::tunisia")]
    pub fixed: Vec<FixedHoliday>,
    /// Lunar holidays, by year.
    #[serde(default)]
    pub lunar_years: Vec<LunarYear>,
}

fn default_time_zone() -> String {
    Tz::Africa__Tunis.name().to_owned()
}

fn default_weekend() -> Vec<Weekday> {
    vec![Weekday::Sat, Weekday::Sun]
}

impl CalendarConfig {
    /// Checks the data: non-empty version, known time zone, at least one working weekday,
    /// no duplicate weekend day, fixed holiday or date, real month/day pairs (29 February is
    /// accepted: it exists in leap years), each lunar holiday filed under its own year, each
    /// year given once, every holiday named in French and Arabic.
    pub fn validate(&self) -> Result<(), CalendarError> {
        self.parse_time_zone()?;
        if self.version.trim().is_empty() {
            return Err(CalendarError::EmptyVersion);
        }
        for (index, day) in self.weekend.iter().enumerate() {
            if self.weekend[..index].contains(day) {
                return Err(CalendarError::DuplicateWeekendDay(*day));
            }
        }
        if self.weekend.len() >= 7 {
            return Err(CalendarError::NoWorkingWeekday);
        }
        for (index, holiday) in self.fixed.iter().enumerate() {
            let (month, day) = (holiday.month, holiday.day);
            // 2000 is a leap year, so this accepts exactly the days that exist in some year.
            if NaiveDate::from_ymd_opt(2000, month, day).is_none() {
                return Err(CalendarError::InvalidFixedHoliday { month, day });
            }
            if self.fixed[..index]
                .iter()
                .any(|other| other.month == month && other.day == day)
            {
                return Err(CalendarError::DuplicateFixedHoliday { month, day });
            }
            check_names(&holiday.name_fr, &holiday.name_ar, || {
                format!("{day:02}/{month:02}")
            })?;
        }
        for (index, lunar) in self.lunar_years.iter().enumerate() {
            if self.lunar_years[..index]
                .iter()
                .any(|other| other.year == lunar.year)
            {
                return Err(CalendarError::DuplicateLunarYear(lunar.year));
            }
            for (position, holiday) in lunar.holidays.iter().enumerate() {
                if holiday.date.year() != lunar.year {
                    return Err(CalendarError::HolidayOutsideItsYear {
                        date: holiday.date,
                        year: lunar.year,
                    });
                }
                if lunar.holidays[..position]
                    .iter()
                    .any(|other| other.date == holiday.date)
                {
                    return Err(CalendarError::DuplicateDatedHoliday(holiday.date));
                }
                check_names(&holiday.name_fr, &holiday.name_ar, || {
                    holiday.date.to_string()
                })?;
            }
        }
        Ok(())
    }

    fn parse_time_zone(&self) -> Result<Tz, CalendarError> {
        self.time_zone
            .parse::<Tz>()
            .map_err(|_| CalendarError::UnknownTimeZone(self.time_zone.clone()))
    }
}

fn check_names(
    name_fr: &str,
    name_ar: &str,
    which: impl FnOnce() -> String,
) -> Result<(), CalendarError> {
    if name_fr.trim().is_empty() || name_ar.trim().is_empty() {
        return Err(CalendarError::MissingHolidayName(which()));
    }
    Ok(())
}

/// The embedded data file: a version and the lunar years.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LunarDataFile {
    /// Free text for maintainers; not used by the code.
    #[serde(rename = "note")]
    _note: String,
    version: String,
    lunar_years: Vec<LunarYear>,
}

/// The working-day calendar: which local days are working days, in which time zone.
///
/// Serializes as a [`CalendarConfig`]; deserializing validates it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "CalendarConfig", into = "CalendarConfig")]
pub struct HolidayCalendar {
    version: String,
    time_zone: Tz,
    /// Sorted Monday first.
    weekend: Vec<Weekday>,
    /// Sorted by month and day.
    fixed: Vec<FixedHoliday>,
    /// Sorted by year, each year's holidays sorted by date.
    lunar_years: Vec<LunarYear>,
}

impl TryFrom<CalendarConfig> for HolidayCalendar {
    type Error = CalendarError;

    fn try_from(config: CalendarConfig) -> Result<Self, Self::Error> {
        Self::from_config(config)
    }
}

impl From<HolidayCalendar> for CalendarConfig {
    fn from(calendar: HolidayCalendar) -> Self {
        Self {
            version: calendar.version,
            time_zone: calendar.time_zone.name().to_owned(),
            weekend: calendar.weekend,
            fixed: calendar.fixed,
            lunar_years: calendar.lunar_years,
        }
    }
}

impl HolidayCalendar {
    /// The Tunisian calendar: Africa/Tunis, Saturday and Sunday off, the eight fixed holidays
    /// and the embedded lunar holidays for 2024 to 2028 (estimates to be confirmed each year).
    ///
    /// Fails only if the embedded data file is broken, which a unit test rules out.
    pub fn tunisia() -> Result<Self, CalendarError> {
        let data: LunarDataFile = serde_json::from_str(TUNISIA_LUNAR_DATA)
            .map_err(|error| CalendarError::InvalidData(error.to_string()))?;
        Self::from_config(CalendarConfig {
            version: data.version,
            time_zone: default_time_zone(),
            weekend: default_weekend(),
            fixed: FixedHoliday::tunisia(),
            lunar_years: data.lunar_years,
        })
    }

    /// Checks `config` (see [`CalendarConfig::validate`]) and builds the calendar.
    pub fn from_config(config: CalendarConfig) -> Result<Self, CalendarError> {
        config.validate()?;
        let time_zone = config.parse_time_zone()?;
        let CalendarConfig {
            version,
            mut weekend,
            mut fixed,
            mut lunar_years,
            ..
        } = config;
        weekend.sort_by_key(Weekday::num_days_from_monday);
        fixed.sort_by_key(|holiday| (holiday.month, holiday.day));
        lunar_years.sort_by_key(|lunar| lunar.year);
        for lunar in &mut lunar_years {
            lunar.holidays.sort_by_key(|holiday| holiday.date);
        }
        Ok(Self {
            version,
            time_zone,
            weekend,
            fixed,
            lunar_years,
        })
    }

    /// The same calendar with the lunar holidays of `lunar.year` set (replacing any earlier
    /// data for that year, e.g. an estimate by the official dates), under a new `version` so
    /// that open deadlines computed with the old data can be found and recomputed.
    pub fn with_dated(
        self,
        version: impl Into<String>,
        lunar: LunarYear,
    ) -> Result<Self, CalendarError> {
        let version = version.into();
        if version == self.version {
            return Err(CalendarError::VersionUnchanged(version));
        }
        let mut config = CalendarConfig::from(self);
        config.version = version;
        config.lunar_years.retain(|known| known.year != lunar.year);
        config.lunar_years.push(lunar);
        Self::from_config(config)
    }

    /// The version of the data set, stored in events next to every computed date.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The time zone in which days begin and end.
    pub fn time_zone(&self) -> Tz {
        self.time_zone
    }

    /// Weekend days, Monday first.
    pub fn weekend(&self) -> &[Weekday] {
        &self.weekend
    }

    /// Fixed holidays, in calendar order.
    pub fn fixed(&self) -> &[FixedHoliday] {
        &self.fixed
    }

    /// Lunar data by year, in year order.
    pub fn lunar_years(&self) -> &[LunarYear] {
        &self.lunar_years
    }

    /// Every dated holiday, in date order.
    pub fn dated(&self) -> impl Iterator<Item = &DatedHoliday> {
        self.lunar_years.iter().flat_map(|lunar| &lunar.holidays)
    }

    /// The years whose lunar holidays are known.
    pub fn covered_years(&self) -> impl Iterator<Item = i32> + '_ {
        self.lunar_years.iter().map(|lunar| lunar.year)
    }

    /// Whether the lunar holidays of `year` have been entered.
    pub fn has_lunar_data_for(&self, year: i32) -> bool {
        self.lunar_year(year).is_some()
    }

    fn lunar_year(&self, year: i32) -> Option<&LunarYear> {
        self.lunar_years
            .binary_search_by_key(&year, |lunar| lunar.year)
            .ok()
            .and_then(|index| self.lunar_years.get(index))
    }

    /// Whether `date` is a weekend day (holidays aside).
    pub(super) fn is_weekend(&self, date: NaiveDate) -> bool {
        self.weekend.contains(&date.weekday())
    }

    /// The fixed and the dated holiday falling on `date`, if any.
    fn holidays_on(&self, date: NaiveDate) -> (Option<&FixedHoliday>, Option<&DatedHoliday>) {
        let fixed = self.fixed.iter().find(|holiday| holiday.falls_on(date));
        let dated = self.lunar_year(date.year()).and_then(|lunar| {
            lunar
                .holidays
                .binary_search_by_key(&date, |holiday| holiday.date)
                .ok()
                .and_then(|index| lunar.holidays.get(index))
        });
        (fixed, dated)
    }

    /// Whether `date` is a working day: not a weekend day, not a holiday.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        !self.is_weekend(date) && matches!(self.holidays_on(date), (None, None))
    }

    /// Why `date` is not a working day, or `None` if it is one.
    pub fn non_working_reason(&self, date: NaiveDate) -> Option<NonWorkingReason> {
        match self.holidays_on(date) {
            (Some(fixed), Some(dated)) => Some(NonWorkingReason::Holiday {
                name_fr: format!("{}, {}", fixed.name_fr, dated.name_fr),
                name_ar: format!("{}، {}", fixed.name_ar, dated.name_ar),
            }),
            (
                Some(FixedHoliday {
                    name_fr, name_ar, ..
                }),
                None,
            )
            | (
                None,
                Some(DatedHoliday {
                    name_fr, name_ar, ..
                }),
            ) => Some(NonWorkingReason::Holiday {
                name_fr: name_fr.clone(),
                name_ar: name_ar.clone(),
            }),
            (None, None) if self.is_weekend(date) => {
                Some(NonWorkingReason::Weekend(date.weekday()))
            }
            (None, None) => None,
        }
    }

    /// `date` if it is a working day, else the first working day after it.
    ///
    /// Errors if no working day comes within a year (a calendar that declares a whole year of
    /// holidays) or if the search reaches the end of chrono's dates.
    pub fn next_working_day_on_or_after(
        &self,
        date: NaiveDate,
    ) -> Result<NaiveDate, CalendarError> {
        let mut day = date;
        for _ in 0..=MAX_NON_WORKING_RUN_DAYS {
            if self.is_working_day(day) {
                return Ok(day);
            }
            day = day.succ_opt().ok_or(CalendarError::DateOutOfRange)?;
        }
        Err(CalendarError::NoWorkingDayNear(date))
    }

    /// The local date of `instant` in the calendar's time zone (at the extreme edges of
    /// chrono's range, where the local date is not representable, the UTC date).
    pub fn local_date(&self, instant: DateTime<Utc>) -> NaiveDate {
        time::to_local(self.time_zone, instant).date()
    }

    /// The first instant of local day `date` (local midnight), as UTC.
    pub fn start_of_day(&self, date: NaiveDate) -> Result<DateTime<Utc>, CalendarError> {
        time::local_day_start(self.time_zone, date)
    }

    /// Computes `deadline` with this calendar; see [`Deadline::compute`].
    pub fn compute(&self, deadline: &Deadline) -> Result<ComputedDeadline, CalendarError> {
        deadline.compute(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).unwrap()
    }

    fn tunisia() -> HolidayCalendar {
        HolidayCalendar::tunisia().unwrap()
    }

    fn config() -> CalendarConfig {
        CalendarConfig::from(tunisia())
    }

    fn dated(date: NaiveDate) -> DatedHoliday {
        DatedHoliday {
            date,
            name_fr: "Fête".into(),
            name_ar: "عيد".into(),
        }
    }

    #[test]
    fn embedded_data_covers_2024_to_2028_with_six_lunar_days_each() {
        let calendar = tunisia();
        assert_eq!(calendar.version(), "TN-2026.1");
        assert_eq!(calendar.time_zone(), Tz::Africa__Tunis);
        assert_eq!(
            calendar.covered_years().collect::<Vec<_>>(),
            vec![2024, 2025, 2026, 2027, 2028]
        );
        for lunar in calendar.lunar_years() {
            assert_eq!(lunar.holidays.len(), 6, "year {}", lunar.year);
            assert!(lunar.estimated);
        }
        assert!(!calendar.has_lunar_data_for(2023));
        assert!(!calendar.has_lunar_data_for(2029));
        assert_eq!(calendar.fixed().len(), 8);
    }

    #[test]
    fn known_2025_and_2026_lunar_dates() {
        let calendar = tunisia();
        for day in [
            date(2025, 3, 30),
            date(2025, 3, 31),
            date(2025, 6, 6),
            date(2025, 6, 7),
            date(2025, 6, 26),
            date(2025, 9, 4),
            date(2026, 3, 20),
            date(2026, 3, 21),
            date(2026, 5, 27),
            date(2026, 5, 28),
            date(2026, 6, 16),
            date(2026, 8, 25),
        ] {
            assert!(
                matches!(
                    calendar.non_working_reason(day),
                    Some(NonWorkingReason::Holiday { .. })
                ),
                "{day}"
            );
        }
    }

    #[test]
    fn weekdays_weekends_and_fixed_holidays() {
        let calendar = tunisia();
        assert!(calendar.is_working_day(date(2026, 3, 17))); // Tuesday
        assert_eq!(
            calendar.non_working_reason(date(2026, 4, 18)),
            Some(NonWorkingReason::Weekend(Weekday::Sat))
        );
        assert_eq!(
            calendar.non_working_reason(date(2026, 4, 9)),
            Some(NonWorkingReason::Holiday {
                name_fr: "Journée des Martyrs".into(),
                name_ar: "عيد الشهداء".into()
            })
        );
        // Fixed holidays hold in years without lunar data too.
        assert!(!calendar.is_working_day(date(2031, 5, 1)));
        assert!(!calendar.is_working_day(date(2150, 12, 17)));
    }

    #[test]
    fn coinciding_holidays_give_both_names() {
        // 20 March 2026: Independence Day and Aid al-Fitr.
        let reason = tunisia().non_working_reason(date(2026, 3, 20));
        assert_eq!(
            reason,
            Some(NonWorkingReason::Holiday {
                name_fr: "Fête de l'Indépendance, Aïd el-Fitr".into(),
                name_ar: "عيد الاستقلال، عيد الفطر".into()
            })
        );
    }

    #[test]
    fn holiday_on_a_weekend_is_reported_as_the_holiday() {
        // Saturday 21 March 2026, second day of Aid al-Fitr.
        assert!(matches!(
            tunisia().non_working_reason(date(2026, 3, 21)),
            Some(NonWorkingReason::Holiday { .. })
        ));
    }

    #[test]
    fn next_working_day() {
        let calendar = tunisia();
        // Friday 20 March 2026 (two holidays), Sat 21 (Aid), Sun 22 -> Monday 23.
        assert_eq!(
            calendar.next_working_day_on_or_after(date(2026, 3, 20)),
            Ok(date(2026, 3, 23))
        );
        assert_eq!(
            calendar.next_working_day_on_or_after(date(2026, 3, 17)),
            Ok(date(2026, 3, 17))
        );
        // The last date chrono knows is a Monday: with Monday off there is no day after it.
        assert_eq!(NaiveDate::MAX.weekday(), Weekday::Mon);
        let mut config = config();
        config.weekend = vec![Weekday::Mon];
        let monday_off = HolidayCalendar::from_config(config).unwrap();
        assert_eq!(
            monday_off.next_working_day_on_or_after(NaiveDate::MAX),
            Err(CalendarError::DateOutOfRange)
        );
    }

    #[test]
    fn a_year_of_holidays_stops_the_search_with_an_error() {
        let mut config = config();
        config.weekend = vec![];
        let mut holidays = Vec::new();
        let mut day = date(2030, 1, 1);
        while day.year() == 2030 {
            holidays.push(dated(day));
            day = day.succ_opt().unwrap();
        }
        config.lunar_years.push(LunarYear {
            year: 2030,
            estimated: false,
            source: "test".into(),
            holidays,
        });
        let calendar = HolidayCalendar::from_config(config).unwrap();
        assert_eq!(
            calendar.next_working_day_on_or_after(date(2030, 1, 1)),
            Ok(date(2031, 1, 2))
        );
        config = CalendarConfig::from(calendar);
        let mut holidays = Vec::new();
        let mut day = date(2031, 1, 2);
        while day.year() == 2031 {
            holidays.push(dated(day));
            day = day.succ_opt().unwrap();
        }
        config.lunar_years.push(LunarYear {
            year: 2031,
            estimated: false,
            source: "test".into(),
            holidays,
        });
        let calendar = HolidayCalendar::from_config(config).unwrap();
        assert_eq!(
            calendar.next_working_day_on_or_after(date(2030, 1, 1)),
            Err(CalendarError::NoWorkingDayNear(date(2030, 1, 1)))
        );
    }

    #[test]
    fn local_date_and_start_of_day_in_tunis() {
        let calendar = tunisia();
        let late_utc = DateTime::parse_from_rfc3339("2026-03-16T23:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(calendar.local_date(late_utc), date(2026, 3, 17));
        assert_eq!(
            calendar
                .start_of_day(date(2026, 3, 17))
                .unwrap()
                .to_rfc3339(),
            "2026-03-16T23:00:00+00:00"
        );
        let _ = calendar.local_date(DateTime::<Utc>::MAX_UTC);
        let _ = calendar.start_of_day(NaiveDate::MIN);
        let _ = calendar.start_of_day(NaiveDate::MAX);
    }

    #[test]
    fn validation_errors() {
        let check = |change: &dyn Fn(&mut CalendarConfig)| {
            let mut config = config();
            change(&mut config);
            HolidayCalendar::from_config(config).unwrap_err()
        };
        assert_eq!(
            check(&|c| c.version = " ".into()),
            CalendarError::EmptyVersion
        );
        assert_eq!(
            check(&|c| c.time_zone = "Mars/Olympus".into()),
            CalendarError::UnknownTimeZone("Mars/Olympus".into())
        );
        assert_eq!(
            check(&|c| {
                c.weekend = vec![
                    Weekday::Mon,
                    Weekday::Tue,
                    Weekday::Wed,
                    Weekday::Thu,
                    Weekday::Fri,
                    Weekday::Sat,
                    Weekday::Sun,
                ]
            }),
            CalendarError::NoWorkingWeekday
        );
        assert_eq!(
            check(&|c| c.weekend.push(Weekday::Sat)),
            CalendarError::DuplicateWeekendDay(Weekday::Sat)
        );
        assert_eq!(
            check(&|c| c.fixed[0].month = 13),
            CalendarError::InvalidFixedHoliday { month: 13, day: 1 }
        );
        assert_eq!(
            check(&|c| {
                c.fixed[0].month = 4;
                c.fixed[0].day = 31;
            }),
            CalendarError::InvalidFixedHoliday { month: 4, day: 31 }
        );
        assert_eq!(
            check(&|c| c.fixed[0].day = 0),
            CalendarError::InvalidFixedHoliday { month: 1, day: 0 }
        );
        assert_eq!(
            check(&|c| {
                let copy = c.fixed[1].clone();
                c.fixed.push(copy);
            }),
            CalendarError::DuplicateFixedHoliday { month: 3, day: 20 }
        );
        assert_eq!(
            check(&|c| c.fixed[0].name_ar = String::new()),
            CalendarError::MissingHolidayName("01/01".into())
        );
        assert_eq!(
            check(&|c| {
                let copy = c.lunar_years[0].clone();
                c.lunar_years.push(copy);
            }),
            CalendarError::DuplicateLunarYear(2024)
        );
        assert_eq!(
            check(&|c| {
                let copy = c.lunar_years[0].holidays[0].clone();
                c.lunar_years[0].holidays.push(copy);
            }),
            CalendarError::DuplicateDatedHoliday(date(2024, 4, 10))
        );
        assert_eq!(
            check(&|c| c.lunar_years[0].holidays[0].date = date(2025, 1, 2)),
            CalendarError::HolidayOutsideItsYear {
                date: date(2025, 1, 2),
                year: 2024
            }
        );
        // 29 February is a valid fixed holiday (it exists in leap years).
        let mut config = config();
        config
            .fixed
            .push(FixedHoliday::new(2, 29, "Bissextile", "كبيسة"));
        assert!(HolidayCalendar::from_config(config).is_ok());
    }

    #[test]
    fn with_dated_replaces_a_year_and_requires_a_new_version() {
        let calendar = tunisia();
        let official_2029 = LunarYear {
            year: 2029,
            estimated: false,
            source: "official announcement".into(),
            holidays: vec![dated(date(2029, 2, 14))],
        };
        assert_eq!(
            calendar
                .clone()
                .with_dated("TN-2026.1", official_2029.clone()),
            Err(CalendarError::VersionUnchanged("TN-2026.1".into()))
        );
        let updated = calendar.with_dated("TN-2029.1", official_2029).unwrap();
        assert!(updated.has_lunar_data_for(2029));
        assert!(!updated.is_working_day(date(2029, 2, 14)));
        let replaced = updated
            .with_dated(
                "TN-2029.2",
                LunarYear {
                    year: 2029,
                    estimated: false,
                    source: "corrected".into(),
                    holidays: vec![dated(date(2029, 2, 15))],
                },
            )
            .unwrap();
        assert!(replaced.is_working_day(date(2029, 2, 14)));
        assert!(!replaced.is_working_day(date(2029, 2, 15)));
        assert_eq!(replaced.version(), "TN-2029.2");
    }

    #[test]
    fn serde_round_trip_and_defaults() {
        let calendar = tunisia();
        let json = serde_json::to_string(&calendar).unwrap();
        assert!(json.contains("\"time_zone\":\"Africa/Tunis\""));
        assert!(json.contains("\"Sat\""));
        let back: HolidayCalendar = serde_json::from_str(&json).unwrap();
        assert_eq!(back, calendar);

        let minimal: HolidayCalendar = serde_json::from_str(r#"{"version":"local-1"}"#).unwrap();
        assert_eq!(minimal.time_zone(), Tz::Africa__Tunis);
        assert_eq!(minimal.weekend(), &[Weekday::Sat, Weekday::Sun]);
        assert_eq!(minimal.fixed().len(), 8);
        assert!(!minimal.has_lunar_data_for(2026));

        let invalid = serde_json::from_str::<HolidayCalendar>(
            r#"{"version":"x","weekend":["Mon","Tue","Wed","Thu","Fri","Sat","Sun"]}"#,
        );
        assert!(invalid.is_err());
        let typo = serde_json::from_str::<HolidayCalendar>(r#"{"version":"x","weekends":[]}"#);
        assert!(typo.is_err());
    }
}
