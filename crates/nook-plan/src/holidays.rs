//! Times named by the holidays of the calendar people here keep, which
//! fall on days the rules can work out: "christmas photos", "since
//! Easter", "over new year", "halloween 2024". Holidays of other calendars
//! (Diwali, Eid, Hanukkah…) are left for the planning model
//! ([`crate::unread`]).

use chrono::{Datelike, Days, NaiveDate, Weekday};

use crate::words::Word;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Holiday {
    ChristmasEve,
    Christmas,
    /// "over christmas": Christmas Eve to Boxing Day.
    ChristmasTime,
    BoxingDay,
    NewYearsEve,
    /// "new year" with no day: New Year's Eve and New Year's Day.
    NewYear,
    NewYearsDay,
    /// Easter as a holiday: Good Friday to Easter Monday.
    Easter,
    GoodFriday,
    EasterSunday,
    EasterMonday,
    Valentines,
    Halloween,
    BonfireNight,
    /// The fourth Thursday of November.
    Thanksgiving,
}

use Holiday::*;

/// Names, longest first; "'s" is already gone from the words ("new
/// year's eve" reads "new year eve").
const NAMES: &[(&[&str], Holiday)] = &[
    (&["christmas", "eve"], ChristmasEve),
    (&["xmas", "eve"], ChristmasEve),
    (&["christmas", "day"], Christmas),
    (&["xmas", "day"], Christmas),
    (&["christmas"], Christmas),
    (&["xmas"], Christmas),
    (&["boxing", "day"], BoxingDay),
    (&["new", "year", "eve"], NewYearsEve),
    (&["new", "years", "eve"], NewYearsEve),
    (&["nye"], NewYearsEve),
    (&["hogmanay"], NewYearsEve),
    (&["new", "year", "day"], NewYearsDay),
    (&["new", "years", "day"], NewYearsDay),
    (&["new", "year"], NewYear),
    (&["new", "years"], NewYear),
    (&["good", "friday"], GoodFriday),
    (&["easter", "sunday"], EasterSunday),
    (&["easter", "day"], EasterSunday),
    (&["easter", "monday"], EasterMonday),
    (&["easter", "weekend"], Easter),
    (&["easter"], Easter),
    (&["valentine", "day"], Valentines),
    (&["valentines", "day"], Valentines),
    (&["valentine"], Valentines),
    (&["valentines"], Valentines),
    (&["halloween"], Halloween),
    (&["bonfire", "night"], BonfireNight),
    (&["guy", "fawkes", "night"], BonfireNight),
    (&["thanksgiving"], Thanksgiving),
];

/// Reads a holiday's name at `i`: the holiday and the number of words.
pub(crate) fn read(words: &[Word], i: usize) -> Option<(Holiday, usize)> {
    NAMES.iter().find_map(|(name, holiday)| {
        let fits = name.iter().enumerate().all(|(k, part)| words.get(i + k).is_some_and(|w| w.is(part)));
        fits.then_some((*holiday, name.len()))
    })
}

impl Holiday {
    /// The days around a holiday said alone, as in "over christmas": the
    /// holiday's own days, or the season it gives its name to.
    pub(crate) fn season(self) -> Holiday {
        match self {
            Christmas => ChristmasTime,
            other => other,
        }
    }
}

/// Whether `lower` is the first word of a holiday's name that stands
/// alone ("christmas", not "new").
pub(crate) fn is_holiday_word(lower: &str) -> bool {
    NAMES.iter().any(|(name, _)| name.len() == 1 && name[0] == lower)
}

/// The days of `holiday` in `year` (the year its last day falls in), as
/// `[from, until)`.
pub(crate) fn days(holiday: Holiday, year: i32) -> Option<(NaiveDate, NaiveDate)> {
    let date = |m: u32, d: u32| NaiveDate::from_ymd_opt(year, m, d);
    let one = |day: NaiveDate| Some((day, day.succ_opt()?));
    match holiday {
        ChristmasEve => one(date(12, 24)?),
        Christmas => one(date(12, 25)?),
        ChristmasTime => Some((date(12, 24)?, date(12, 27)?)),
        BoxingDay => one(date(12, 26)?),
        NewYearsEve => one(date(12, 31)?),
        NewYearsDay => one(date(1, 1)?),
        NewYear => Some((NaiveDate::from_ymd_opt(year - 1, 12, 31)?, date(1, 2)?)),
        Valentines => one(date(2, 14)?),
        Halloween => one(date(10, 31)?),
        BonfireNight => one(date(11, 5)?),
        Thanksgiving => one(NaiveDate::from_weekday_of_month_opt(year, 11, Weekday::Thu, 4)?),
        Easter | GoodFriday | EasterSunday | EasterMonday => {
            let sunday = easter_sunday(year)?;
            let (from, days) = match holiday {
                GoodFriday => (sunday.checked_sub_days(Days::new(2))?, 1),
                EasterSunday => (sunday, 1),
                EasterMonday => (sunday.succ_opt()?, 1),
                _ => (sunday.checked_sub_days(Days::new(2))?, 4),
            };
            Some((from, from.checked_add_days(Days::new(days))?))
        }
    }
}

/// The holiday's days in `year` when given; otherwise the latest that has
/// begun by `today`, or (`step` 1) the next one to begin after it, or
/// (`step` -1) the latest that has ended.
pub(crate) fn span(holiday: Holiday, year: Option<i32>, today: NaiveDate, step: i64) -> Option<(NaiveDate, NaiveDate)> {
    if let Some(year) = year {
        return days(holiday, year);
    }
    let mut year = today.year() + 1;
    while days(holiday, year)?.0 > today {
        year -= 1;
    }
    match step {
        1 => days(holiday, year + 1),
        s if s < 0 && days(holiday, year)?.1 > today => days(holiday, year - 1),
        _ => days(holiday, year),
    }
}

/// Easter Sunday of the Gregorian calendar (the "anonymous Gregorian
/// algorithm", Meeus/Jones/Butcher).
fn easter_sunday(year: i32) -> Option<NaiveDate> {
    let a = year % 19;
    let (b, c) = (year / 100, year % 100);
    let (d, e) = (b / 4, b % 4);
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let (i, k) = (c / 4, c % 4);
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn easter_falls_where_the_calendar_puts_it() {
        for (year, sunday) in [(2024, "2024-03-31"), (2025, "2025-04-20"), (2026, "2026-04-05"), (2019, "2019-04-21"), (2038, "2038-04-25")] {
            assert_eq!(easter_sunday(year), Some(d(sunday)), "{year}");
        }
        assert_eq!(days(Easter, 2026), Some((d("2026-04-03"), d("2026-04-07"))), "Good Friday to Easter Monday");
    }

    #[test]
    fn a_holiday_is_the_latest_one_begun_unless_a_year_or_next_is_said() {
        let today = d("2026-04-14");
        assert_eq!(span(Christmas, None, today, 0), Some((d("2025-12-25"), d("2025-12-26"))));
        assert_eq!(span(Easter, None, today, 0), Some((d("2026-04-03"), d("2026-04-07"))));
        assert_eq!(span(Christmas, Some(2024), today, 0), Some((d("2024-12-25"), d("2024-12-26"))));
        assert_eq!(span(Halloween, None, today, 1), Some((d("2026-10-31"), d("2026-11-01"))));
        // On Christmas Day, "last christmas" is the one before.
        assert_eq!(span(Christmas, None, d("2026-12-25"), -1), Some((d("2025-12-25"), d("2025-12-26"))));
        assert_eq!(span(NewYear, None, d("2026-01-01"), 0), Some((d("2025-12-31"), d("2026-01-02"))));
        assert_eq!(days(Thanksgiving, 2026), Some((d("2026-11-26"), d("2026-11-27"))));
        assert_eq!(days(Christmas.season(), 2026), Some((d("2026-12-24"), d("2026-12-27"))), "over christmas");
        assert_eq!(Easter.season(), Easter);
    }
}
