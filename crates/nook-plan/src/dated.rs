//! Dates people write in file names ("statement-2026-11.csv",
//! "IMG_20261011_134502.jpg", "payslip_2026_03.pdf"): a file named for a
//! month or a day is of that time, whenever it was last saved.

use chrono::{Months, NaiveDate};

use crate::DateFilter;

/// The days the file name at the end of `path` is dated, as `[from,
/// until)`: a day ("20261011", "2026-11-28") or a month ("2026-11",
/// "2026_03"). Years from 1990 to 2100; "2026-27" (a span of years) and
/// "INV-2026-047" (a number) are no dates.
pub fn dated_name(path: &str) -> Option<(NaiveDate, NaiveDate)> {
    let name = path.rsplit('/').next().unwrap_or(path);
    // Runs of digits, with the separator that follows each.
    let mut runs: Vec<(&str, Option<char>)> = Vec::new();
    let mut rest = name;
    while let Some(start) = rest.find(|c: char| c.is_ascii_digit()) {
        let digits = &rest[start..];
        let end = digits.find(|c: char| !c.is_ascii_digit()).unwrap_or(digits.len());
        let after = digits[end..].chars().next();
        runs.push((&digits[..end], after));
        rest = &digits[end..];
    }
    let year = |s: &str| s.parse::<i32>().ok().filter(|y| (1990..=2100).contains(y));
    let two = |s: &str, max: u32| (s.len() == 2).then(|| s.parse::<u32>().ok()).flatten().filter(|n| (1..=max).contains(n));
    let joined = |after: Option<char>| matches!(after, Some('-' | '_' | '.'));
    for (k, (run, after)) in runs.iter().enumerate() {
        if run.len() == 8 {
            let (y, m, d) = (year(&run[..4]), two(&run[4..6], 12), two(&run[6..], 31));
            if let (Some(y), Some(m), Some(d)) = (y, m, d) {
                return day_span(y, m, d);
            }
        }
        if run.len() != 4 || !joined(*after) {
            continue;
        }
        let (Some(y), Some((month, after_month))) = (year(run), runs.get(k + 1)) else { continue };
        let Some(m) = two(month, 12) else { continue };
        let day = runs.get(k + 2).filter(|_| joined(*after_month)).and_then(|(d, _)| two(d, 31));
        return match day {
            Some(d) => day_span(y, m, d),
            None => {
                let from = NaiveDate::from_ymd_opt(y, m, 1)?;
                Some((from, from.checked_add_months(Months::new(1))?))
            }
        };
    }
    None
}

fn day_span(y: i32, m: u32, d: u32) -> Option<(NaiveDate, NaiveDate)> {
    let day = NaiveDate::from_ymd_opt(y, m, d)?;
    Some((day, day.succ_opt()?))
}

impl DateFilter {
    /// Whether the file at `path`, last changed on `modified`, is of the
    /// filter's time: by the date in its name when it has one, else by
    /// when it was changed (always by when it was changed if the dates are
    /// of what the person did). A name dated by month says nothing of a day or
    /// a week asked for ("what did I save on March 20th" is no March
    /// statement): then the file is judged by when it was changed.
    pub fn admits_file(&self, path: &str, modified: NaiveDate) -> bool {
        let finer_than_a_month = self.from.zip(self.until).is_some_and(|(from, until)| (until - from).num_days() < 28);
        let named = dated_name(path).filter(|(from, until)| !self.done && !(finer_than_a_month && (*until - *from).num_days() > 1));
        let (from, until) = named.unwrap_or((modified, modified.succ_opt().unwrap_or(modified)));
        self.from.is_none_or(|f| until > f) && self.until.is_none_or(|u| from < u)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn names_dated_by_day_or_month() {
        assert_eq!(dated_name("Bank/statement-2026-11.csv"), Some((d("2026-11-01"), d("2026-12-01"))));
        assert_eq!(dated_name("Phone/IMG_20261011_134502.jpg"), Some((d("2026-10-11"), d("2026-10-12"))));
        assert_eq!(dated_name("payslip_2026_03.pdf"), Some((d("2026-03-01"), d("2026-04-01"))));
        assert_eq!(dated_name("WhatsApp Image 2026-11-28 at 11.20.45.jpg"), Some((d("2026-11-28"), d("2026-11-29"))));
        for undated in ["term dates 2026-27.pdf", "INV-2026-047 Hartley.pdf", "SA302 2023-24.pdf", "ubuntu-24.04.2-desktop-amd64.iso", "notes.txt", "2026-Q3 report.md"] {
            assert_eq!(dated_name(undated), None, "{undated}");
        }
    }

    #[test]
    fn a_date_in_the_name_outweighs_when_the_file_was_saved() {
        let november = DateFilter { label: "November".into(), from: Some(d("2026-11-01")), until: Some(d("2026-12-01")), target: Default::default(), done: false };
        assert!(november.admits_file("statement-2026-11.csv", d("2026-12-01")));
        assert!(!november.admits_file("statement-2026-10.csv", d("2026-11-02")));
        assert!(november.admits_file("notes.txt", d("2026-11-02")));
        assert!(!november.admits_file("notes.txt", d("2026-12-02")));
        let day = DateFilter { label: "March 20th".into(), from: Some(d("2027-03-20")), until: Some(d("2027-03-21")), target: Default::default(), done: false };
        assert!(!day.admits_file("2027-03 statement.pdf", d("2027-03-31")), "a month's name is of no one day");
        assert!(day.admits_file("2027-03 statement.pdf", d("2027-03-20")), "saved that day");
        assert!(day.admits_file("IMG_20270320_101010.jpg", d("2027-04-01")), "a day's name is");
        let changed = DateFilter { done: true, ..november };
        assert!(changed.admits_file("statement-2026-10.csv", d("2026-11-02")), "changed in November, whatever its name");
        assert!(!changed.admits_file("statement-2026-11.csv", d("2026-12-01")));
    }
}
