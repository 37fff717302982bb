//! Calendar dates. The model runs on the Gregorian calendar; scenario files may also
//! write Old Style (Julian) dates as `"1917-10-25 OS"`, as the source texts do.

use std::fmt;

/// A Gregorian calendar date, stored as days since 1970-01-01 so that steps are plain arithmetic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    days: i32,
}

/// Why a date string could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error(
        "expected a date as YYYY-MM-DD (Gregorian) or \"YYYY-MM-DD OS\" (Old Style), got {0:?}"
    )]
    Format(String),
    #[error("{0:?} is not a day of the calendar (month 1-12, day within the month)")]
    NoSuchDay(String),
    #[error(
        "{0:?} is outside the model's calendar: dates run from {first} to {last} \
         (the war years before 1917 to the end of the NEP; population, army and harvest rules \
         are calibrated for no other years)",
        first = FIRST_DAY,
        last = LAST_DAY
    )]
    OutsideCalendar(String),
}

/// The first and last day a scenario, sweep or `--set` may name (Gregorian), inclusive: the one
/// place the model's calendar is bounded. A run is at most this span, about 1,409 weeks.
pub const FIRST_DAY: Date = Date {
    days: days_from_civil(1914, 1, 1),
};
pub const LAST_DAY: Date = Date {
    days: days_from_civil(1940, 12, 31),
};

fn is_gregorian_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u32, julian: bool) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (julian && year % 4 == 0) || (!julian && is_gregorian_leap(year)) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
pub(crate) const fn days_from_civil(year: i32, month: u32, day: u32) -> i32 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = month as i32;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day as i32 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The Gregorian (year, month 1-12, day 1-31) of a day count since 1970-01-01.
pub(crate) fn civil_from_days(days: i32) -> (i32, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i32::from(month <= 2);
    (year, month, day)
}

/// Days from 1970-01-01 (Gregorian) to a Julian calendar date, through the Julian day number.
fn days_from_julian(year: i32, month: u32, day: u32) -> i32 {
    let a = (14 - month as i32) / 12;
    let y = year + 4800 - a;
    let m = month as i32 + 12 * a - 3;
    let julian_day_number = day as i32 + (153 * m + 2) / 5 + 365 * y + y / 4 - 32_083;
    const UNIX_EPOCH_JULIAN_DAY: i32 = 2_440_588;
    julian_day_number - UNIX_EPOCH_JULIAN_DAY
}

impl Date {
    /// A Gregorian date; `None` if the day does not exist.
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Date> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month, false) {
            return None;
        }
        Some(Date {
            days: days_from_civil(year, month, day),
        })
    }

    /// A date given on the Julian (Old Style) calendar, converted to Gregorian.
    pub fn from_old_style(year: i32, month: u32, day: u32) -> Option<Date> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month, true) {
            return None;
        }
        Some(Date {
            days: days_from_julian(year, month, day),
        })
    }

    /// Parses `YYYY-MM-DD` (Gregorian) or `YYYY-MM-DD OS` (Old Style).
    pub fn parse(text: &str) -> Result<Date, DateError> {
        let trimmed = text.trim();
        let (ymd, old_style) = match trimmed.strip_suffix("OS") {
            Some(rest) => (rest.trim_end(), true),
            None => (trimmed, false),
        };
        let parts: Vec<&str> = ymd.split('-').collect();
        let format_error = || DateError::Format(text.to_string());
        let digits =
            |part: &str, len: usize| part.len() == len && part.bytes().all(|b| b.is_ascii_digit());
        if parts.len() != 3 || !digits(parts[0], 4) || !digits(parts[1], 2) || !digits(parts[2], 2)
        {
            return Err(format_error());
        }
        let year: i32 = parts[0].parse().map_err(|_| format_error())?;
        let month: u32 = parts[1].parse().map_err(|_| format_error())?;
        let day: u32 = parts[2].parse().map_err(|_| format_error())?;
        let date = if old_style {
            Date::from_old_style(year, month, day)
        } else {
            Date::from_ymd(year, month, day)
        };
        date.ok_or_else(|| DateError::NoSuchDay(text.to_string()))?
            .in_calendar(text)
    }

    /// `self` if it lies between [`FIRST_DAY`] and [`LAST_DAY`]; `text` is how it was written.
    pub fn in_calendar(self, text: &str) -> Result<Date, DateError> {
        if (FIRST_DAY..=LAST_DAY).contains(&self) {
            Ok(self)
        } else {
            Err(DateError::OutsideCalendar(text.to_string()))
        }
    }

    /// (year, month, day) on the Gregorian calendar.
    pub fn ymd(self) -> (i32, u32, u32) {
        civil_from_days(self.days)
    }

    /// Days since 1970-01-01.
    pub fn days_since_epoch(self) -> i32 {
        self.days
    }

    pub fn year(self) -> i32 {
        self.ymd().0
    }

    /// Day of the year, 0-based (1 January = 0).
    pub fn day_of_year(self) -> i32 {
        let year = self.year();
        self.days - days_from_civil(year, 1, 1)
    }

    pub fn add_days(self, days: i32) -> Date {
        Date {
            days: self.days + days,
        }
    }

    /// Whole days from `self` to `other` (negative if `other` is earlier).
    pub fn days_until(self, other: Date) -> i32 {
        other.days - self.days
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gregorian_round_trip() {
        let date = Date::parse("1917-03-08").unwrap();
        assert_eq!(date.to_string(), "1917-03-08");
        assert_eq!(date.add_days(7).to_string(), "1917-03-15");
        assert_eq!(Date::parse("1922-12-31").unwrap().to_string(), "1922-12-31");
    }

    #[test]
    fn old_style_is_thirteen_days_behind_in_1917() {
        assert_eq!(
            Date::parse("1917-02-23 OS").unwrap().to_string(),
            "1917-03-08"
        );
        assert_eq!(
            Date::parse("1917-10-25 OS").unwrap().to_string(),
            "1917-11-07"
        );
        assert_eq!(
            Date::parse("1918-01-31 OS").unwrap().to_string(),
            "1918-02-13"
        );
    }

    #[test]
    fn rejects_bad_dates() {
        assert!(matches!(
            Date::parse("1917-02-30"),
            Err(DateError::NoSuchDay(_))
        ));
        assert!(matches!(
            Date::parse("1917/03/08"),
            Err(DateError::Format(_))
        ));
        assert!(matches!(
            Date::parse("March 1917"),
            Err(DateError::Format(_))
        ));
        assert!(matches!(
            Date::parse("+917-06-01"),
            Err(DateError::Format(_))
        ));
    }

    #[test]
    fn dates_outside_the_calendar_are_refused() {
        for text in ["0000-01-01", "1913-12-31", "1941-01-01", "9999-12-31"] {
            assert_eq!(
                Date::parse(text),
                Err(DateError::OutsideCalendar(text.to_string()))
            );
        }
        assert_eq!(Date::parse("1914-01-01"), Ok(FIRST_DAY));
        assert_eq!(Date::parse("1940-12-31"), Ok(LAST_DAY));
    }
}
