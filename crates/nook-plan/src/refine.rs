//! Changing one filter of a plan, as the chips of the search box do:
//! removing it, or replacing it with what a phrase says ("last month",
//! "spreadsheets", "in Downloads"); and letting go of filters read from
//! words when with them nothing close to the words is found.

use serde::{Deserialize, Serialize};

use crate::{Chip, Context, Order, Plan, PlanError};

/// One filter of a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Kinds,
    Dates,
    Folder,
    Size,
    Name,
    Order,
}

impl Field {
    /// The field's name in plans and chips: `kinds`, `dates`, …
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Kinds => "kinds",
            Field::Dates => "dates",
            Field::Folder => "folder",
            Field::Size => "size",
            Field::Name => "name",
            Field::Order => "order",
        }
    }

    /// What a phrase for this field looks like, for messages.
    fn examples(self) -> &'static str {
        match self {
            Field::Kinds => "“spreadsheets”, “photos” or “pdfs”",
            Field::Dates => "“last month”, “Q3 2024” or “since Monday”",
            Field::Folder => "“in Downloads” or “under projects”",
            Field::Size => "“bigger than 10 MB” or “under 500 KB”",
            Field::Name => "“named invoice” or “starting with IMG_”",
            Field::Order => "“newest first” or “largest first”",
        }
    }

    fn name(self) -> &'static str {
        match self {
            Field::Kinds => "kind of file",
            Field::Dates => "date",
            Field::Folder => "folder",
            Field::Size => "size",
            Field::Name => "name",
            Field::Order => "order",
        }
    }
}

/// `plan` with `field` removed (`phrase` `None`) or replaced by what
/// `phrase` says of it. A phrase that says nothing of the field is refused
/// with examples of what would.
pub fn refine(plan: &Plan, field: Field, phrase: Option<&str>, cx: &Context) -> Result<Plan, PlanError> {
    let mut refined = plan.clone();
    refined.notes.clear();
    refined.guessed.retain(|f| *f != field);
    refined.relaxed.retain(|c| c.field != field.as_str());
    let Some(phrase) = phrase else {
        match field {
            Field::Kinds => refined.kinds = None,
            Field::Dates => refined.dates = None,
            Field::Folder => refined.folder = None,
            Field::Size => refined.size = None,
            Field::Name => refined.name = None,
            Field::Order => refined.order = Order::Relevance,
        }
        return Ok(refined);
    };
    // "Downloads" alone reads as a folder in the folder chip.
    let phrase = phrase.trim();
    let wording = match field {
        Field::Folder if !phrase.contains(' ') => format!("in {phrase}"),
        Field::Name if !phrase.contains(' ') => format!("named {phrase}"),
        _ => phrase.to_string(),
    };
    let read = crate::plan(&wording, cx).map_err(|_| PlanError::NotA { field: field.name(), phrase: phrase.to_string(), examples: field.examples() })?;
    let missing = || PlanError::NotA { field: field.name(), phrase: phrase.to_string(), examples: field.examples() };
    match field {
        Field::Kinds => refined.kinds = Some(read.kinds.ok_or_else(missing)?),
        Field::Dates => refined.dates = Some(read.dates.ok_or_else(missing)?),
        Field::Folder => refined.folder = Some(read.folder.ok_or_else(missing)?),
        Field::Size => refined.size = Some(read.size.ok_or_else(missing)?),
        Field::Name => refined.name = Some(read.name.ok_or_else(missing)?),
        Field::Order if read.order == Order::Relevance => return Err(missing()),
        Field::Order => refined.order = read.order,
    }
    refined.notes = read.notes;
    Ok(refined)
}

/// `plan` with the filters of `fields` let go of. A filter read from words
/// is a reading, not a wall: "big integers" is no size, "modify existing
/// pdf documents" may be about a library, not a PDF. Relaxed, a filter is
/// not applied; its chip stays, marked relaxed, with the words that asked
/// for it, which are searched with the plan's own ([`Plan::searched_words`])
/// until the chip is removed or changed. An order read with a size ("big"
/// is also "largest first") goes with it.
pub fn relax(plan: &Plan, fields: &[Field]) -> Plan {
    let chips = plan.chips();
    let mut relaxed = plan.clone();
    for &field in fields {
        let said = match field {
            Field::Kinds => relaxed.kinds.take().map(|k| k.label),
            Field::Dates => relaxed.dates.take().map(|d| d.label),
            Field::Folder => relaxed.folder.take().map(|f| f.name),
            Field::Size => relaxed.size.take().map(|s| s.label),
            Field::Name => relaxed.name.take().map(|n| n.pattern),
            Field::Order => None,
        };
        let Some(said) = said else { continue };
        if field == Field::Size && matches!(relaxed.order, Order::Largest | Order::Smallest) {
            relaxed.order = Order::Relevance;
        }
        relaxed.guessed.retain(|f| *f != field);
        relaxed.relaxed.extend(chips.iter().filter(|c| c.field == field.as_str()).map(|c| Chip {
            detail: format!("{}: not applied, since with it nothing close to the words was found", c.detail),
            relaxed: true,
            words: Some(said.clone()),
            ..c.clone()
        }));
    }
    relaxed
}

/// The filter `field` of `plan` alone, with no words: what the reading
/// lets through by itself (does the Library hold any "photos" at all?).
pub fn only(plan: &Plan, field: Field) -> Plan {
    let mut alone = Plan::words_only("");
    match field {
        Field::Kinds => alone.kinds = plan.kinds.clone(),
        Field::Dates => alone.dates = plan.dates.clone(),
        Field::Folder => alone.folder = plan.folder.clone(),
        Field::Size => alone.size = plan.size.clone(),
        Field::Name => alone.name = plan.name.clone(),
        Field::Order => alone.order = plan.order,
    }
    alone
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use nook_core::FileKind;

    fn cx() -> Context {
        Context::new(NaiveDate::from_ymd_opt(2025, 8, 13).unwrap())
    }

    #[test]
    fn one_filter_alone_keeps_that_filter_and_nothing_else() {
        let start = crate::plan("photos from last week in Pictures", &cx()).unwrap();
        let kinds = only(&start, Field::Kinds);
        assert_eq!(kinds.kinds, start.kinds);
        assert!(kinds.dates.is_none() && kinds.folder.is_none() && kinds.text.is_empty(), "{kinds:?}");
        let dates = only(&start, Field::Dates);
        assert_eq!(dates.dates, start.dates);
        assert!(dates.kinds.is_none(), "{dates:?}");
    }

    #[test]
    fn a_relaxed_filter_is_searched_as_words_and_its_chip_says_so() {
        let start = crate::plan("arithmetic with big integers", &cx()).unwrap();
        assert!(start.size.is_some(), "{start:?}");
        let relaxed = relax(&start, &[Field::Size]);
        assert!(relaxed.size.is_none() && relaxed.order == Order::Relevance);
        assert_eq!(relaxed.text, start.text, "the plan's own words stay as asked");
        assert!(relaxed.searched_words().contains("big"), "{}", relaxed.searched_words());
        let chip = relaxed.chips().into_iter().find(|c| c.field == "size").unwrap();
        assert!(chip.relaxed && chip.label == "big", "{chip:?}");

        let kept = crate::plan("modify existing pdf documents from last month", &cx()).unwrap();
        let relaxed = relax(&kept, &[Field::Kinds]);
        assert!(relaxed.kinds.is_none() && relaxed.dates == kept.dates, "only the kinds are let go of");
        assert!(relaxed.searched_words().contains("pdf"), "{}", relaxed.searched_words());
        assert_eq!(relax(&kept, &[Field::Size]), kept, "a filter the plan lacks changes nothing");

        let removed = refine(&relaxed, Field::Kinds, None, &cx()).unwrap();
        assert!(removed.chips().iter().all(|c| c.field != "kinds"), "removing a relaxed chip removes it");
        assert_eq!(removed.searched_words(), kept.text, "and its words are no longer searched");
        let again = refine(&relaxed, Field::Kinds, Some("spreadsheets"), &cx()).unwrap();
        assert_eq!(again.chips().iter().filter(|c| c.field == "kinds").count(), 1, "a new phrase replaces the relaxed reading");
    }

    #[test]
    fn a_chip_is_removed_or_replaced_by_a_phrase() {
        let start = crate::plan("reports from this quarter in Downloads", &cx()).unwrap();
        let without = refine(&start, Field::Dates, None, &cx()).unwrap();
        assert!(without.dates.is_none() && without.folder.is_some());
        assert_eq!(without.text, "reports");

        let changed = refine(&start, Field::Dates, Some("last month"), &cx()).unwrap();
        let dates = changed.dates.unwrap();
        assert_eq!(dates.label, "last month");
        assert_eq!(dates.from, NaiveDate::from_ymd_opt(2025, 7, 1));

        let kinds = refine(&start, Field::Kinds, Some("spreadsheets"), &cx()).unwrap();
        assert_eq!(kinds.kinds.unwrap().kinds, [FileKind::Spreadsheet, FileKind::Data]);
        let folder = refine(&start, Field::Folder, Some("Desktop"), &cx()).unwrap();
        assert_eq!(folder.folder.unwrap().name, "Desktop");
        let order = refine(&start, Field::Order, Some("oldest first"), &cx()).unwrap();
        assert_eq!(order.order, Order::Oldest);
    }

    #[test]
    fn a_phrase_that_says_nothing_of_the_field_is_refused_with_examples() {
        let start = crate::plan("reports", &cx()).unwrap();
        let err = refine(&start, Field::Dates, Some("purple"), &cx()).unwrap_err().to_string();
        assert!(err.contains("“purple”") && err.contains("last month"), "{err}");
        let err = refine(&start, Field::Size, Some(""), &cx()).unwrap_err().to_string();
        assert!(err.contains("bigger than 10 MB"), "{err}");
    }
}
