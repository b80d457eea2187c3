//! Orders: "newest first", "most recent", "oldest", "biggest", "smallest
//! first", "sorted by size".

use crate::words::Word;
use crate::{Order, Plan};

/// Reads an order at `i` into `plan`; the number of words it took.
pub(crate) fn read(words: &[Word], i: usize, plan: &mut Plan) -> Option<usize> {
    let w = &words[i];
    if w.quoted {
        return None;
    }
    let at = |k: usize, options: &[&str]| words.get(i + k).is_some_and(|w| w.is_any(options));
    let (mut n, order) = match w.lower.as_str() {
        "newest" | "latest" | "recent" | "recently" | "lately" | "newer" => (1, Order::Newest),
        "most" if at(1, &["recent", "recently"]) => (2, Order::Newest),
        "oldest" => (1, Order::Oldest),
        "biggest" | "largest" => (1, Order::Largest),
        "smallest" => (1, Order::Smallest),
        "sorted" | "sort" | "ordered" | "order" | "by" => {
            let k = usize::from(!w.is("by"));
            if k == 1 && !at(1, &["by"]) {
                return None;
            }
            let (m, order) = match words.get(i + k + 1).map(|w| w.lower.as_str()) {
                Some("date" | "time" | "age") => (1, Order::Newest),
                Some("size") => (1, Order::Largest),
                _ => return None,
            };
            (k + 1 + m, order)
        }
        _ => return None,
    };
    if at(n, &["first"]) {
        n += 1;
    } else if at(n, &["files", "ones"]) && at(n + 1, &["first"]) {
        // "largest files first"
        n += 2;
    } else if at(n, &["to"]) && at(n + 1, &["oldest", "newest", "smallest", "largest", "biggest"]) {
        n += 2;
    }
    plan.order = order;
    Some(n)
}
