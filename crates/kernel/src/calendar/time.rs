//! Conversions between UTC instants and local dates that never panic.
//!
//! chrono's convenience methods (`date_naive`, `naive_local`) panic when the local time falls
//! outside the representable range; these helpers use the checked forms instead.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;

use super::error::CalendarError;

/// Local wall-clock time of `instant` in `tz`; at the extreme edges of chrono's range, where
/// the local time is not representable, the UTC time is returned instead.
pub(super) fn to_local(tz: Tz, instant: DateTime<Utc>) -> NaiveDateTime {
    let utc = instant.naive_utc();
    let offset = tz.offset_from_utc_datetime(&utc).fix();
    utc.checked_add_offset(offset).unwrap_or(utc)
}

/// The first instant of local day `date` in `tz`, as UTC.
///
/// Usually local midnight. When midnight is ambiguous the earlier instant is taken; when it
/// does not exist (a daylight-saving gap at midnight) the first valid quarter hour is taken.
pub(super) fn local_day_start(tz: Tz, date: NaiveDate) -> Result<DateTime<Utc>, CalendarError> {
    const QUARTERS_IN_A_DAY: i64 = 96;
    let midnight = date.and_time(NaiveTime::MIN);
    for quarter in 0..QUARTERS_IN_A_DAY {
        let local = midnight
            .checked_add_signed(TimeDelta::minutes(15 * quarter))
            .ok_or(CalendarError::DateOutOfRange)?;
        if let Some(first) = tz.from_local_datetime(&local).earliest() {
            return Ok(first.with_timezone(&Utc));
        }
    }
    Err(CalendarError::NoLocalTime(date))
}

/// Serde helpers writing a time zone as its IANA name (`"Africa/Tunis"`).
pub(super) mod tz_name {
    use chrono_tz::Tz;
    use serde::{Deserialize, Deserializer, Serializer, de::Error as _};

    pub(in crate::calendar) fn serialize<S: Serializer>(
        tz: &Tz,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(tz.name())
    }

    pub(in crate::calendar) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Tz, D::Error> {
        let name = String::deserialize(deserializer)?;
        name.parse::<Tz>()
            .map_err(|_| D::Error::custom(format!("unknown time zone {name:?}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tunis_midnight_is_23h_utc_the_day_before() {
        let date = NaiveDate::from_ymd_opt(2026, 3, 17).unwrap();
        let start = local_day_start(Tz::Africa__Tunis, date).unwrap();
        assert_eq!(start.to_rfc3339(), "2026-03-16T23:00:00+00:00");
        assert_eq!(to_local(Tz::Africa__Tunis, start).date(), date);
    }

    #[test]
    fn extremes_do_not_panic() {
        let _ = to_local(Tz::Africa__Tunis, DateTime::<Utc>::MAX_UTC);
        let _ = to_local(Tz::Pacific__Kiritimati, DateTime::<Utc>::MAX_UTC);
        let _ = to_local(Tz::Pacific__Pago_Pago, DateTime::<Utc>::MIN_UTC);
        let _ = local_day_start(Tz::Pacific__Kiritimati, NaiveDate::MIN);
        let _ = local_day_start(Tz::Pacific__Pago_Pago, NaiveDate::MAX);
    }

    #[test]
    fn midnight_in_a_gap_takes_the_first_valid_time() {
        // Cuba moves its clocks at midnight: 2024-03-10 00:00 does not exist in Havana.
        let date = NaiveDate::from_ymd_opt(2024, 3, 10).unwrap();
        let start = local_day_start(Tz::America__Havana, date).unwrap();
        assert_eq!(to_local(Tz::America__Havana, start).date(), date);
    }
}
