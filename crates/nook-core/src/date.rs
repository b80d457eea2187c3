//! Reading the dates people type after `--since` and `--until`.
//!
//! Accepted: `2024-05-01`, `2024-05-01T14:30`, `2024-05-01T14:30:00`, an
//! RFC 3339 instant, `today`, `yesterday`, and spans back from now such as
//! `7d`, `2w`, `3mo`, `1y`. Calendar dates are midnight in the local time zone.

use chrono::{DateTime, Duration, Months, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "cannot read `{0}` as a date; use YYYY-MM-DD, YYYY-MM-DDTHH:MM, today, yesterday, \
     or a span back from now like 7d, 2w, 3mo, 1y"
)]
pub struct DateError(pub String);

/// The instant `text` names, in milliseconds since the Unix epoch, reading
/// relative forms against `now`.
pub fn parse_instant<Tz: TimeZone>(text: &str, now: &DateTime<Tz>) -> Result<i64, DateError> {
    let err = || DateError(text.to_string());
    let t = text.trim().to_ascii_lowercase();
    let tz = now.timezone();
    let midnight = |date: NaiveDate| -> Result<i64, DateError> {
        local_ms(&tz, date.and_time(NaiveTime::MIN)).ok_or_else(err)
    };
    match t.as_str() {
        "" => return Err(err()),
        "now" => return Ok(now.timestamp_millis()),
        "today" => return midnight(now.date_naive()),
        "yesterday" => return midnight(now.date_naive().pred_opt().ok_or_else(err)?),
        _ => {}
    }
    if let Some(span) = parse_span(&t) {
        let then = match span {
            Span::Days(n) => now.clone().checked_sub_signed(Duration::try_days(n).ok_or_else(err)?),
            Span::Months(n) => now.clone().checked_sub_months(Months::new(n)),
        };
        return then.map(|d| d.timestamp_millis()).ok_or_else(err);
    }
    if let Ok(date) = NaiveDate::parse_from_str(&t, "%Y-%m-%d") {
        return midnight(date);
    }
    for format in ["%Y-%m-%dt%H:%M:%S", "%Y-%m-%dt%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(&t, format) {
            return local_ms(&tz, naive).ok_or_else(err);
        }
    }
    DateTime::parse_from_rfc3339(text.trim())
        .map(|d| d.timestamp_millis())
        .map_err(|_| err())
}

enum Span {
    Days(i64),
    Months(u32),
}

fn parse_span(t: &str) -> Option<Span> {
    let split = t.find(|c: char| !c.is_ascii_digit())?;
    let (digits, unit) = t.split_at(split);
    let n: u32 = digits.parse().ok()?;
    match unit {
        "d" | "day" | "days" => Some(Span::Days(n.into())),
        "w" | "week" | "weeks" => Some(Span::Days(i64::from(n) * 7)),
        "mo" | "month" | "months" => Some(Span::Months(n)),
        "y" | "year" | "years" => Some(Span::Months(n.checked_mul(12)?)),
        _ => None,
    }
}

/// A wall-clock time in `tz` as epoch milliseconds; on a DST gap or overlap the
/// earliest valid instant.
fn local_ms<Tz: TimeZone>(tz: &Tz, naive: NaiveDateTime) -> Option<i64> {
    tz.from_local_datetime(&naive).earliest().map(|d| d.timestamp_millis())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::FixedOffset;

    fn now() -> DateTime<FixedOffset> {
        // Saturday 2025-03-15 10:00 at UTC+2.
        FixedOffset::east_opt(2 * 3600)
            .unwrap()
            .with_ymd_and_hms(2025, 3, 15, 10, 0, 0)
            .unwrap()
    }

    fn ms(rfc3339: &str) -> i64 {
        DateTime::parse_from_rfc3339(rfc3339).unwrap().timestamp_millis()
    }

    fn check(text: &str, expected: &str) {
        assert_eq!(parse_instant(text, &now()), Ok(ms(expected)), "{text}");
    }

    #[test]
    fn calendar_dates_are_local_midnight() {
        check("2024-05-01", "2024-05-01T00:00:00+02:00");
        check("2024-05-01T14:30", "2024-05-01T14:30:00+02:00");
        check("2024-05-01 14:30:15", "2024-05-01T14:30:15+02:00");
    }

    #[test]
    fn instants_with_an_offset_are_taken_as_written() {
        check("2024-05-01T14:30:00Z", "2024-05-01T14:30:00Z");
    }

    #[test]
    fn words_and_spans_count_back_from_now() {
        check("today", "2025-03-15T00:00:00+02:00");
        check("Yesterday", "2025-03-14T00:00:00+02:00");
        check("7d", "2025-03-08T10:00:00+02:00");
        check("2w", "2025-03-01T10:00:00+02:00");
        check("1mo", "2025-02-15T10:00:00+02:00");
        check("1y", "2024-03-15T10:00:00+02:00");
    }

    #[test]
    fn the_error_names_the_input_and_the_accepted_forms() {
        for bad in ["", "last tuesday", "2024-02-30", "12x", "99999999999d"] {
            let err = parse_instant(bad, &now()).unwrap_err();
            assert_eq!(err, DateError(bad.to_string()));
            assert!(err.to_string().contains("YYYY-MM-DD"));
        }
    }
}
