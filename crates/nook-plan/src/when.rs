//! Dates: "this quarter", "last week", "Q3 2024", "in March", "since
//! Monday", "past 10 days", "this fiscal year", "between 2023 and 2024",
//! "February 30" (refused with a note). Each becomes a range of days
//! `[from, until)`; several in one request narrow each other.

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};

use crate::holidays;
use crate::words::Word;
use crate::{Context, DateFilter, DateTarget};

/// Words that make a request's dates those written inside files.
const MENTION_CUES: &[&str] = &[
    "mention", "mentions", "mentioning", "mentioned", "deadline", "deadlines", "due", "dated", "scheduled",
    "refer", "refers", "referring", "says", "say", "saying",
];

/// Whether the request's dates are about files' contents.
pub(crate) fn target_of(words: &[Word]) -> DateTarget {
    if words.iter().any(|w| w.is_any(MENTION_CUES)) {
        DateTarget::Mentioned
    } else {
        DateTarget::Modified
    }
}

/// The dates read so far.
#[derive(Debug, Default)]
pub(crate) struct Dates {
    labels: Vec<String>,
    from: Option<NaiveDate>,
    until: Option<NaiveDate>,
    any: bool,
    problems: Vec<String>,
}

impl Dates {
    fn add(&mut self, label: String, from: Option<NaiveDate>, until: Option<NaiveDate>) {
        self.labels.push(label);
        self.any = true;
        self.from = self.from.max(from);
        self.until = match (self.until, until) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }

    pub(crate) fn finish(self, target: DateTarget, notes: &mut Vec<String>) -> Option<DateFilter> {
        notes.extend(self.problems);
        if !self.any {
            return None;
        }
        if let (Some(from), Some(until)) = (self.from, self.until) {
            if from >= until {
                let said = self.labels.join("” and “");
                notes.push(if self.labels.len() > 1 {
                    format!("“{said}” leave no day in between, so the search ignores dates; change one of them")
                } else {
                    format!("“{said}” ends before it starts, so the search ignores dates; swap the two dates")
                });
                return None;
            }
        }
        Some(DateFilter { label: self.labels.join(", "), from: self.from, until: self.until, target, done: false })
    }
}

/// A span of days, `[from, until)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    from: NaiveDate,
    until: NaiveDate,
}

impl Span {
    fn day(d: NaiveDate) -> Option<Span> {
        Some(Span { from: d, until: d.succ_opt()? })
    }
}

/// A date expression: its span, or why it names no date.
type Read = Result<Span, String>;

/// Reads a date clause at `i` (a date, or "since …", "before …", "between
/// … and …" and the like) into `dates`; the number of words it took.
pub(crate) fn read(words: &[Word], i: usize, cx: &Context, target: DateTarget, dates: &mut Dates) -> Option<usize> {
    let w = &words[i];
    if w.quoted {
        return None;
    }
    let label = |n: usize, skip: usize| words[i + skip..i + n].iter().map(|w| w.text.as_str()).collect::<Vec<_>>().join(" ");
    let take = |n: usize, skip: usize, read: Read, bound: fn(Span) -> (Option<NaiveDate>, Option<NaiveDate>), dates: &mut Dates| {
        match read {
            Ok(span) => {
                let (from, until) = bound(span);
                dates.add(label(n, skip), from, until);
            }
            Err(problem) => dates.problems.push(problem),
        }
        Some(n)
    };
    let whole = |s: Span| (Some(s.from), Some(s.until));
    match w.lower.as_str() {
        "since" | "after" | "before" | "until" | "till" | "through" => {
            let (n, read) = expr(words, i + 1, cx, target)?;
            let bound: fn(Span) -> (Option<NaiveDate>, Option<NaiveDate>) = match w.lower.as_str() {
                "since" => |s| (Some(s.from), None),
                "after" => |s| (Some(s.until), None),
                "before" => |s| (None, Some(s.from)),
                _ => |s| (None, Some(s.until)),
            };
            return take(1 + n, 0, read, bound, dates);
        }
        "between" | "from" => {
            if let Some((n, first)) = expr(words, i + 1, cx, target) {
                let joint = words.get(i + 1 + n);
                let joins = if w.lower == "between" { &["and", "-"][..] } else { &["to", "until", "till", "through", "-"][..] };
                if let Some((m, last)) = joint.filter(|j| j.is_any(joins)).and_then(|_| expr(words, i + 2 + n, cx, target)) {
                    let read = first.and_then(|a| last.map(|b| Span { from: a.from, until: b.until }));
                    return take(2 + n + m, 0, read, whole, dates);
                }
                if w.lower == "from" {
                    let (n, first) = either(words, i + 1, cx, target)?;
                    return take(1 + n, 1, first, whole, dates);
                }
            }
            return None;
        }
        // "in March", "within the last 3 days", "on Monday"
        "in" | "during" | "on" | "of" | "within" | "for" => {
            let (n, read) = span_at(words, i + 1, cx, target)?;
            return take(1 + n, 1, read, whole, dates);
        }
        "older" | "newer" | "younger" if words.get(i + 1).is_some_and(|w| w.is("than")) => {
            // "older than 2025", "newer than last March": than a time.
            let Some((n, span)) = amount(words, i + 2) else {
                let (n, read) = expr(words, i + 2, cx, target)?;
                let bound: fn(Span) -> (Option<NaiveDate>, Option<NaiveDate>) =
                    if w.lower == "older" { |s| (None, Some(s.from)) } else { |s| (Some(s.until), None) };
                return take(2 + n, 0, read, bound, dates);
            };
            let then = span.back_from(cx.today);
            let read = then.ok_or_else(|| too_far(&label(2 + n, 0)));
            let bound: fn(Span) -> (Option<NaiveDate>, Option<NaiveDate>) =
                if w.lower == "older" { |s| (None, Some(s.from)) } else { |s| (Some(s.from), None) };
            return take(2 + n, 0, read.map(|d| Span { from: d, until: d }), bound, dates);
        }
        _ => {}
    }
    let (n, read) = span_at(words, i, cx, target)?;
    take(n, 0, read, whole, dates)
}

/// [`either`] at `i`, and on to another date after "to" ("september to
/// november", "2024 through 2025"): a range said without "from".
fn span_at(words: &[Word], i: usize, cx: &Context, target: DateTarget) -> Option<(usize, Read)> {
    let (n, first) = either(words, i, cx, target)?;
    if words.get(i + n).is_some_and(|w| w.is_any(&["to", "until", "till", "through", "thru"])) {
        if let Some((m, last)) = either(words, i + n + 1, cx, target) {
            return Some((n + 1 + m, first.and_then(|a| last.map(|b| Span { from: a.from, until: b.until }))));
        }
    }
    Some((n, first))
}

/// A date expression at `i`, or several joined by "or" ("2022 or 2023",
/// "in June or July"): the days from the first's start to the last's end.
fn either(words: &[Word], i: usize, cx: &Context, target: DateTarget) -> Option<(usize, Read)> {
    let (mut n, mut read) = expr(words, i, cx, target)?;
    while words.get(i + n).is_some_and(|w| w.is("or")) {
        let Some((m, next)) = expr(words, i + n + 1, cx, target) else { break };
        read = read.and_then(|a| next.map(|b| Span { from: a.from.min(b.from), until: a.until.max(b.until) }));
        n += 1 + m;
    }
    Some((n, read))
}

/// Whether `lower` names a day, a month, a season or a span of time.
pub(crate) fn is_date_word(lower: &str) -> bool {
    let word = Word { text: lower.to_string(), lower: lower.to_string(), quoted: false };
    month(&word).is_some()
        || weekday(&word).is_some()
        || season(&word).is_some()
        || holidays::is_holiday_word(lower)
        || unit(&word).is_some()
        || matches!(lower, "this" | "last" | "past" | "next" | "weekend" | "ago" | "fiscal" | "fy")
}

fn too_far(label: &str) -> String {
    format!("“{label}” reaches outside the calendar Nook knows, so the search ignores it")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Day,
    Week,
    Month,
    Quarter,
    Year,
}

fn unit(word: &Word) -> Option<Unit> {
    if word.quoted {
        return None;
    }
    Some(match word.lower.as_str() {
        "day" | "days" => Unit::Day,
        "week" | "weeks" => Unit::Week,
        "month" | "months" => Unit::Month,
        "quarter" | "quarters" => Unit::Quarter,
        "year" | "years" => Unit::Year,
        _ => return None,
    })
}

/// A count of units ("10 days", "two weeks", "a month").
#[derive(Debug, Clone, Copy)]
struct Amount {
    count: u32,
    unit: Unit,
}

impl Amount {
    /// The day `self` before `today`.
    fn back_from(self, today: NaiveDate) -> Option<NaiveDate> {
        shift(today, self.unit, -(i64::from(self.count)))
    }
}

/// "10 days", "a few weeks", "couple of months".
fn amount(words: &[Word], i: usize) -> Option<(usize, Amount)> {
    let w = words.get(i)?;
    if w.quoted {
        return None;
    }
    let (count, mut n) = match w.lower.as_str() {
        "few" => (3, 1),
        "several" => (7, 1),
        _ => (w.number()?, 1),
    };
    if words.get(i + n).is_some_and(|w| w.is_any(&["few", "couple"])) {
        n += 1;
    }
    if words.get(i + n).is_some_and(|w| w.is("of")) {
        n += 1;
    }
    let unit = unit(words.get(i + n)?)?;
    (count <= 10_000).then_some((n + 1, Amount { count, unit }))
}

/// Moves `day` by `n` units (back when negative).
fn shift(day: NaiveDate, unit: Unit, n: i64) -> Option<NaiveDate> {
    let months = |m: i64| {
        let m = u32::try_from(m.unsigned_abs()).ok()?;
        if n >= 0 {
            day.checked_add_months(Months::new(m))
        } else {
            day.checked_sub_months(Months::new(m))
        }
    };
    let days = |d: i64| {
        let d = Days::new(d.unsigned_abs());
        if n >= 0 {
            day.checked_add_days(d)
        } else {
            day.checked_sub_days(d)
        }
    };
    match unit {
        Unit::Day => days(n),
        Unit::Week => days(n.checked_mul(7)?),
        Unit::Month => months(n),
        Unit::Quarter => months(n.checked_mul(3)?),
        Unit::Year => months(n.checked_mul(12)?),
    }
}

/// The calendar `unit` that holds `day` (weeks start on Monday).
fn period(day: NaiveDate, unit: Unit) -> Option<Span> {
    let from = match unit {
        Unit::Day => day,
        Unit::Week => day.checked_sub_days(Days::new(u64::from(day.weekday().num_days_from_monday())))?,
        Unit::Month => day.with_day(1)?,
        Unit::Quarter => NaiveDate::from_ymd_opt(day.year(), (day.month0() / 3) * 3 + 1, 1)?,
        Unit::Year => NaiveDate::from_ymd_opt(day.year(), 1, 1)?,
    };
    Some(Span { from, until: shift(from, unit, 1)? })
}

/// Reads a date expression at `i`: how many words it took and the span it
/// names (or why it names none).
fn expr(words: &[Word], i: usize, cx: &Context, target: DateTarget) -> Option<(usize, Read)> {
    let w = words.get(i)?;
    if w.quoted {
        return None;
    }
    let today = cx.today;
    let next = words.get(i + 1);
    let relative = |(n, span): (usize, Option<Span>)| Some((n, span.ok_or_else(|| too_far(&phrase(words, i, n)))));
    match w.lower.as_str() {
        "the" => {
            // "the day before yesterday", "the last 3 days", "the past week"
            if next.is_some_and(|n| n.is("day"))
                && words.get(i + 2).is_some_and(|w| w.is("before"))
                && words.get(i + 3).is_some_and(|w| w.is("yesterday"))
            {
                return relative((4, today.checked_sub_days(Days::new(2)).and_then(Span::day)));
            }
            let (n, read) = expr(words, i + 1, cx, target)?;
            return Some((n + 1, read));
        }
        // "since the start of November", "before the end of March": the
        // time itself; the word before says which end counts.
        "start" | "beginning" | "end" if next.is_some_and(|n| n.is("of")) => {
            let (n, read) = expr(words, i + 2, cx, target)?;
            return Some((n + 2, read));
        }
        "today" | "tonight" => return relative((1, Span::day(today))),
        "yesterday" => return relative((1, today.pred_opt().and_then(Span::day))),
        "this" | "current" | "last" | "past" | "previous" | "next" | "coming" => {
            let step: i64 = match w.lower.as_str() {
                "this" | "current" => 0,
                "next" | "coming" => 1,
                _ => -1,
            };
            let n = next?;
            if n.is("morning") || n.is("afternoon") || n.is("evening") {
                return (step == 0).then(|| relative((2, Span::day(today))))?;
            }
            if n.is("fiscal") && words.get(i + 2).is_some_and(|w| w.is("year")) {
                return relative((3, fiscal_year_holding(shift(today, Unit::Year, step)?, cx.fiscal_year_start)));
            }
            if n.is("weekend") {
                let week = period(today, Unit::Week)?;
                let saturday = shift(week.from, Unit::Week, step)?.checked_add_days(Days::new(5))?;
                return relative((2, Some(Span { from: saturday, until: saturday.checked_add_days(Days::new(2))? })));
            }
            if let Some(u) = unit(n) {
                // "this years report": "this year's" typed without its
                // apostrophe; "past weeks" has no count to read.
                if n.lower.ends_with('s') && w.is("past") {
                    return None;
                }
                if w.is("past") {
                    // "past week": the seven days up to today.
                    let from = shift(today, u, -1)?;
                    return relative((2, Some(Span { from, until: today.succ_opt()? })));
                }
                return relative((2, shift(today, u, step).and_then(|d| period(d, u))));
            }
            if let Some(day) = weekday(n) {
                let monday = shift(period(today, Unit::Week)?.from, Unit::Week, step)?;
                let date = monday.checked_add_days(Days::new(u64::from(day.num_days_from_monday())))?;
                return relative((2, Span::day(date)));
            }
            if let Some(month) = month(n) {
                let year = match step {
                    0 => today.year(),
                    1 if month > today.month() => today.year(),
                    1 => today.year() + 1,
                    _ if month < today.month() => today.year(),
                    _ => today.year() - 1,
                };
                return relative((2, month_span(year, month)));
            }
            if let Some(season) = season(n) {
                return relative((2, season_span(season, None, today, step.min(0))));
            }
            if let Some((holiday, m)) = holidays::read(words, i + 1) {
                return relative((1 + m, holiday_span(holiday, None, today, step)));
            }
            if step != 0 && !w.is("this") {
                // "last 10 days", "past two weeks", "next 3 months"
                let (m, amount) = amount(words, i + 1)?;
                let span = if step < 0 {
                    amount.back_from(today).and_then(|from| Some(Span { from, until: today.succ_opt()? }))
                } else {
                    shift(today, amount.unit, i64::from(amount.count)).map(|until| Span { from: today, until })
                };
                return relative((1 + m, span));
            }
            return None;
        }
        "fiscal" | "fy" => {
            // "fiscal year 2025", "fiscal 2025", "FY 2025", "FY25"
            let mut n = 1;
            if w.is("fiscal") && next.is_some_and(|w| w.is("year")) {
                n += 1;
            }
            let year = words.get(i + n).filter(|w| !w.quoted).and_then(|w| short_or_full_year(&w.lower))?;
            return relative((n + 1, fiscal_year_named(year, cx.fiscal_year_start)));
        }
        _ => {}
    }
    if let Some(year) = w.lower.strip_prefix("fy").and_then(short_or_full_year) {
        return relative((1, fiscal_year_named(year, cx.fiscal_year_start)));
    }
    // "3 days ago", "a week ago"
    if let Some((n, amount)) = amount(words, i) {
        if words.get(i + n).is_some_and(|w| w.is("ago")) {
            return relative((n + 1, amount.back_from(today).and_then(|d| period(d, amount.unit))));
        }
        return None;
    }
    if let Some((n, read)) = quarter(words, i, today, target) {
        return Some((n, read));
    }
    if let Some(season) = season(w) {
        // "summer 2024", "the summer of 2024"
        let of = usize::from(next.is_some_and(|n| n.is("of")));
        if let Some(year) = words.get(i + 1 + of).and_then(year_of) {
            return relative((2 + of, season_span(season, Some(year), today, 0)));
        }
        return relative((1, season_span(season, None, today, 0)));
    }
    if let Some((holiday, n)) = holidays::read(words, i) {
        // "over christmas", "around christmas": the days around it.
        let holiday = if n == 1 && i > 0 && words[i - 1].is_any(&["over", "around"]) { holiday.season() } else { holiday };
        // "christmas 2024", "easter of 2025"
        let of = usize::from(words.get(i + n).is_some_and(|w| w.is("of")));
        if let Some(year) = words.get(i + n + of).and_then(year_of) {
            return relative((n + of + 1, holiday_span(holiday, Some(year), today, 0)));
        }
        // "christmas jumper", "the Christmas card list": a holiday that
        // names a thing is no date.
        let names_a_thing = words.get(i + n).is_some_and(|w| {
            !w.quoted && !crate::language::is_filler(&w.lower) && !crate::kinds::is_kind_word(&w.lower) && !is_date_word(&w.lower)
        });
        if !names_a_thing {
            return relative((n, holiday_span(holiday, None, today, 0)));
        }
    }
    if w.is("weekend") {
        // The weekend under way, or the last one.
        let saturday = period(today, Unit::Week)?.from.checked_add_days(Days::new(5))?;
        let saturday = if saturday > today { saturday.checked_sub_days(Days::new(7))? } else { saturday };
        return relative((1, Some(Span { from: saturday, until: saturday.checked_add_days(Days::new(2))? })));
    }
    if let Some(day) = weekday(w) {
        let back = u64::from((7 + today.weekday().num_days_from_monday() - day.num_days_from_monday()) % 7);
        return relative((1, today.checked_sub_days(Days::new(back)).and_then(Span::day)));
    }
    if let Some(found) = calendar_date(words, i, today, target) {
        return Some(found);
    }
    if let Some(found) = iso_date(w) {
        return Some((1, found));
    }
    let year = year_of(w)?;
    Some((1, year_span(year).ok_or_else(|| too_far(&w.text))))
}

fn phrase(words: &[Word], i: usize, n: usize) -> String {
    words[i..(i + n).min(words.len())].iter().map(|w| w.text.as_str()).collect::<Vec<_>>().join(" ")
}

/// A four-digit year Nook can place files in, or an apostrophe year ("'24").
fn year_of(w: &Word) -> Option<i32> {
    if w.quoted {
        return None;
    }
    match w.lower.strip_prefix('\'') {
        Some(short) if short.len() == 2 => short_or_full_year(short),
        Some(_) => None,
        None if w.lower.len() == 4 => short_or_full_year(&w.lower),
        None => None,
    }
}

/// "2024" or "24" (this century) as a year from 1970 to 2100.
fn short_or_full_year(digits: &str) -> Option<i32> {
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year: i32 = match digits.len() {
        4 => digits.parse().ok()?,
        2 => 2000 + digits.parse::<i32>().ok()?,
        _ => return None,
    };
    (1970..=2100).contains(&year).then_some(year)
}

fn year_span(year: i32) -> Option<Span> {
    Some(Span { from: NaiveDate::from_ymd_opt(year, 1, 1)?, until: NaiveDate::from_ymd_opt(year + 1, 1, 1)? })
}

fn month_span(year: i32, month: u32) -> Option<Span> {
    let from = NaiveDate::from_ymd_opt(year, month, 1)?;
    Some(Span { from, until: shift(from, Unit::Month, 1)? })
}

/// The fiscal year that holds `day`, for years starting in month `start`.
fn fiscal_year_holding(day: NaiveDate, start: u32) -> Option<Span> {
    let year = if day.month() >= start { day.year() } else { day.year() - 1 };
    let from = NaiveDate::from_ymd_opt(year, start.clamp(1, 12), 1)?;
    Some(Span { from, until: shift(from, Unit::Year, 1)? })
}

/// "FY2025": the calendar year 2025 when fiscal years start in January,
/// otherwise the fiscal year that ends in 2025.
fn fiscal_year_named(year: i32, start: u32) -> Option<Span> {
    let start = start.clamp(1, 12);
    let first = if start == 1 { year } else { year - 1 };
    let from = NaiveDate::from_ymd_opt(first, start, 1)?;
    Some(Span { from, until: shift(from, Unit::Year, 1)? })
}

const MONTHS: [(&str, &str); 12] = [
    ("january", "jan"),
    ("february", "feb"),
    ("march", "mar"),
    ("april", "apr"),
    ("may", "may"),
    ("june", "jun"),
    ("july", "jul"),
    ("august", "aug"),
    ("september", "sep"),
    ("october", "oct"),
    ("november", "nov"),
    ("december", "dec"),
];

fn month(w: &Word) -> Option<u32> {
    if w.quoted {
        return None;
    }
    let l = w.lower.as_str();
    MONTHS.iter().position(|(full, short)| l == *full || l == *short || (l == "sept" && *short == "sep")).map(|m| m as u32 + 1)
}

fn month_name(month: u32) -> String {
    let full = MONTHS[(month - 1) as usize].0;
    let mut chars = full.chars();
    chars.next().map(|c| c.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
}

fn weekday(w: &Word) -> Option<Weekday> {
    if w.quoted {
        return None;
    }
    Some(match w.lower.as_str() {
        "monday" => Weekday::Mon,
        "tuesday" => Weekday::Tue,
        "wednesday" => Weekday::Wed,
        "thursday" => Weekday::Thu,
        "friday" => Weekday::Fri,
        "saturday" => Weekday::Sat,
        "sunday" => Weekday::Sun,
        _ => return None,
    })
}

/// A day of the month: "3", "3rd", "21st".
fn day_of(w: &Word) -> Option<u32> {
    if w.quoted {
        return None;
    }
    let digits = w.lower.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &w.lower[digits.len()..];
    if !matches!(suffix, "" | "st" | "nd" | "rd" | "th") || digits.is_empty() || digits.len() > 2 {
        return None;
    }
    digits.parse().ok().filter(|d| (1..=99).contains(d))
}

/// The year a month (and day) without one falls in: the latest that has
/// begun for a file's date, this year's for a date written in a file.
fn year_for(month: u32, day: u32, today: NaiveDate, target: DateTarget) -> i32 {
    match target {
        DateTarget::Mentioned => today.year(),
        DateTarget::Modified if (month, day) <= (today.month(), today.day()) => today.year(),
        DateTarget::Modified => today.year() - 1,
    }
}

/// "March", "March 2024", "March 3", "March 3rd, 2024", "3 March 2024".
/// "may" and "march" count as months only next to a date word or a number.
fn calendar_date(words: &[Word], i: usize, today: NaiveDate, target: DateTarget) -> Option<(usize, Read)> {
    let w = &words[i];
    let (month, day, mut n) = if let Some(month) = month(w) {
        match words.get(i + 1).and_then(day_of) {
            Some(day) if words.get(i + 1).and_then(year_of).is_none() => (month, Some(day), 2),
            _ => (month, None, 1),
        }
    } else {
        let day = day_of(w)?;
        let of = usize::from(words.get(i + 1).is_some_and(|w| w.is("of")));
        let month = words.get(i + 1 + of).and_then(month)?;
        (month, Some(day), 2 + of)
    };
    let year = words.get(i + n).and_then(year_of);
    if year.is_some() {
        n += 1;
    }
    let ambiguous = matches!(w.lower.as_str(), "may" | "march" | "mar");
    let prev = i.checked_sub(1).map(|p| &words[p]);
    let cue = prev.is_some_and(|p| {
        p.is_any(&[
            "in", "of", "since", "before", "after", "from", "until", "till", "during", "between", "and", "to", "early",
            "late", "mid", "on", "through", "for", "by", "mention", "mentions", "mentioning", "mentioned", "about",
        ])
    });
    if ambiguous && day.is_none() && year.is_none() && !cue {
        return None;
    }
    let name = month_name(month);
    let read = match day {
        Some(day) => {
            let year = year.unwrap_or_else(|| year_for(month, day, today, target));
            match NaiveDate::from_ymd_opt(year, month, day) {
                Some(date) => Span::day(date).ok_or_else(|| too_far(&phrase(words, i, n))),
                None if day <= 31 && month == 2 && day == 29 => {
                    Err(format!("{year} is not a leap year, so February has no day 29; the search ignores that date"))
                }
                None => Err(format!("{name} has no day {day}, so the search ignores that date; check the day")),
            }
        }
        None => {
            let year = year.unwrap_or_else(|| year_for(month, 1, today, target));
            month_span(year, month).ok_or_else(|| too_far(&phrase(words, i, n)))
        }
    };
    Some((n, read))
}

/// "2024-05-01", "2024-05", "2024/05/01".
fn iso_date(w: &Word) -> Option<Read> {
    if w.quoted || !w.lower.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let parts: Vec<&str> = w.lower.split(['-', '/']).collect();
    if parts.len() < 2 || parts.len() > 3 || parts[0].len() != 4 || parts.iter().any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    let year: i32 = parts[0].parse().ok()?;
    let month: u32 = parts[1].parse().ok()?;
    if !(1..=12).contains(&month) {
        return Some(Err(format!("“{}” has no month {month}; write dates as YYYY-MM-DD", w.text)));
    }
    match parts.get(2) {
        None => Some(month_span(year, month).ok_or_else(|| too_far(&w.text))),
        Some(day) => {
            let day: u32 = day.parse().ok()?;
            Some(match NaiveDate::from_ymd_opt(year, month, day) {
                Some(date) => Span::day(date).ok_or_else(|| too_far(&w.text)),
                None => Err(format!("{} {year} has no day {day}, so the search ignores that date; check the day", month_name(month))),
            })
        }
    }
}

/// "Q3", "Q3 2024", "2024 Q3", "the third quarter (of 2024)".
fn quarter(words: &[Word], i: usize, today: NaiveDate, target: DateTarget) -> Option<(usize, Read)> {
    let w = &words[i];
    let number = |w: &Word| -> Option<u32> {
        let q = w.lower.strip_prefix('q')?.parse().ok()?;
        (1..=4).contains(&q).then_some(q)
    };
    let ordinal = |w: &Word| -> Option<u32> {
        Some(match w.lower.as_str() {
            "first" | "1st" => 1,
            "second" | "2nd" => 2,
            "third" | "3rd" => 3,
            "fourth" | "4th" => 4,
            _ => return None,
        })
    };
    let (q, year, n) = if let Some(q) = number(w) {
        match words.get(i + 1).and_then(year_of) {
            Some(year) => (q, Some(year), 2),
            None => (q, None, 1),
        }
    } else if let Some(year) = year_of(w) {
        (words.get(i + 1).and_then(number)?, Some(year), 2)
    } else {
        let q = ordinal(w)?;
        if !words.get(i + 1).is_some_and(|w| w.is("quarter")) {
            return None;
        }
        match (words.get(i + 2), words.get(i + 3).and_then(year_of)) {
            (Some(of), Some(year)) if of.is("of") => (q, Some(year), 4),
            _ => match words.get(i + 2).and_then(year_of) {
                Some(year) => (q, Some(year), 3),
                None => (q, None, 2),
            },
        }
    };
    let year = year.unwrap_or_else(|| year_for((q - 1) * 3 + 1, 1, today, target));
    let from = NaiveDate::from_ymd_opt(year, (q - 1) * 3 + 1, 1);
    let span = from.and_then(|from| Some(Span { from, until: shift(from, Unit::Quarter, 1)? }));
    Some((n, span.ok_or_else(|| too_far(&phrase(words, i, n)))))
}

#[derive(Debug, Clone, Copy)]
enum Season {
    Spring,
    Summer,
    Autumn,
    Winter,
}

fn season(w: &Word) -> Option<Season> {
    if w.quoted {
        return None;
    }
    Some(match w.lower.as_str() {
        "spring" => Season::Spring,
        "summer" => Season::Summer,
        "autumn" | "fall" => Season::Autumn,
        "winter" => Season::Winter,
        _ => return None,
    })
}

/// A season as the northern hemisphere's meteorologists count it (summer is
/// June to August; winter runs from December into the next year). `year`
/// names it; without one, the latest that has begun (`step` 0 or 1) or
/// ended (`step` -1).
/// A holiday's days ([`holidays::span`]).
fn holiday_span(holiday: holidays::Holiday, year: Option<i32>, today: NaiveDate, step: i64) -> Option<Span> {
    holidays::span(holiday, year, today, step).map(|(from, until)| Span { from, until })
}

fn season_span(season: Season, year: Option<i32>, today: NaiveDate, step: i64) -> Option<Span> {
    let first_month = match season {
        Season::Spring => 3,
        Season::Summer => 6,
        Season::Autumn => 9,
        Season::Winter => 12,
    };
    let span_in = |year: i32| {
        let from = NaiveDate::from_ymd_opt(year, first_month, 1)?;
        Some(Span { from, until: shift(from, Unit::Month, 3)? })
    };
    if let Some(year) = year {
        return span_in(year);
    }
    let mut year = today.year();
    // The latest one that has begun…
    while span_in(year)?.from > today {
        year -= 1;
    }
    // …or, for "last summer", that has ended.
    if step < 0 && span_in(year)?.until > today {
        year -= 1;
    }
    span_in(year)
}
