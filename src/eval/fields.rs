//! The metadata metrics of `../shared/datasets/README.md`: title, authors and date checks for
//! one page, and the parsing of truth values (dates, Readability bylines) they need.
//!
//! - title: exact match after folding whitespace (case kept);
//! - authors: the set of lower-cased, whitespace-folded names equals the truth's (a truth
//!   with no authors is matched only by a prediction with none);
//! - date: the predicted date falls on the truth's calendar day; a truth that says the page has
//!   no date (`NaT`, empty, null) is matched only by a prediction with none.

use std::collections::BTreeSet;

use chrono::NaiveDate;

use crate::normalize::fold_whitespace;

/// Whether the predicted title equals the truth after folding whitespace.
pub fn title_matches(prediction: Option<&str>, truth: &str) -> bool {
    fold_whitespace(prediction.unwrap_or_default()) == fold_whitespace(truth)
}

/// Whether the predicted authors and the truth's are the same set of lower-cased names.
pub fn authors_match(prediction: &[String], truth: &[String]) -> bool {
    name_set(prediction) == name_set(truth)
}

fn name_set(names: &[String]) -> BTreeSet<String> {
    names
        .iter()
        .map(|n| fold_whitespace(n).to_lowercase())
        .filter(|n| !n.is_empty())
        .collect()
}

/// What a truth says about a page's date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TruthDate {
    /// The page has no date: predicting none is right, predicting one is wrong.
    NoDate,
    /// The page's calendar day.
    Day(NaiveDate),
}

/// Whether the predicted date falls on the truth's calendar day, or is absent when the truth
/// says the page has no date.
pub fn date_matches(prediction: Option<NaiveDate>, truth: TruthDate) -> bool {
    match truth {
        TruthDate::NoDate => prediction.is_none(),
        TruthDate::Day(day) => prediction == Some(day),
    }
}

/// Truth values that mean "this page has no date" (pandas writes `NaT`), compared
/// case-insensitively after trimming.
const NO_DATE: &[&str] = &["", "nat", "null", "none", "nan"];

/// The calendar day a truth date names: its leading `YYYY-MM-DD` (`2024-06-20`,
/// `2024-06-20T10:15:00+03:00`, `2024-06-20 10:15`). `None` for anything else (`NaT`).
pub fn parse_truth_date(s: &str) -> Option<NaiveDate> {
    let day = s.trim().get(..10)?;
    NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()
}

/// A labelled truth date: a day, or [`TruthDate::NoDate`] for a null value and the markers
/// of [`NO_DATE`] (`NaT`). `None` (not scored) for a value that is neither, such as `24/07/2015`.
pub fn parse_truth_label(value: Option<&str>) -> Option<TruthDate> {
    let Some(s) = value else {
        return Some(TruthDate::NoDate);
    };
    if NO_DATE.iter().any(|m| s.trim().eq_ignore_ascii_case(m)) {
        return Some(TruthDate::NoDate);
    }
    parse_truth_date(s).map(TruthDate::Day)
}

/// The author names in a Readability byline: a leading "By" dropped, split at commas,
/// semicolons, `&` and " and ".
pub fn byline_names(byline: &str) -> Vec<String> {
    let folded = fold_whitespace(byline);
    let rest = match folded.get(..3) {
        Some(prefix) if prefix.eq_ignore_ascii_case("by ") => &folded[3..],
        _ if folded.eq_ignore_ascii_case("by") => "",
        _ => folded.as_str(),
    };
    rest.split([',', ';', '&'])
        .flat_map(|part| part.split(" and "))
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn titles_match_after_folding_whitespace_only() {
        assert!(title_matches(
            Some("  Big\n news   today "),
            "Big news today"
        ));
        assert!(!title_matches(Some("Big News Today"), "Big news today"));
        assert!(!title_matches(None, "Big news today"));
    }

    #[test]
    fn authors_compare_as_lower_cased_sets() {
        assert!(authors_match(
            &names(&["Jane DOE", "John  Roe"]),
            &names(&["john roe", "jane doe"])
        ));
        assert!(!authors_match(
            &names(&["Jane Doe"]),
            &names(&["Jane Doe", "John Roe"])
        ));
        assert!(authors_match(&[], &[]));
        assert!(!authors_match(&names(&["Admin"]), &[]));
    }

    #[test]
    fn truth_dates_keep_their_calendar_day() {
        let day = NaiveDate::from_ymd_opt(2015, 7, 24);
        assert_eq!(parse_truth_date("2015-07-24"), day);
        assert_eq!(parse_truth_date("2015-07-24T05:36:09+01:00"), day);
        assert_eq!(parse_truth_date("2015-07-24 03:01:00.000000"), day);
        assert_eq!(parse_truth_date("NaT"), None);
        assert_eq!(parse_truth_date("24/07/2015"), None);
        let truth = TruthDate::Day(NaiveDate::from_ymd_opt(2015, 7, 24).expect("date"));
        assert!(date_matches(day, truth));
        assert!(!date_matches(None, truth));
    }

    #[test]
    fn a_truth_without_a_date_needs_a_prediction_without_one() {
        for no_date in [None, Some("NaT"), Some(" nat "), Some(""), Some("null")] {
            assert_eq!(
                parse_truth_label(no_date),
                Some(TruthDate::NoDate),
                "{no_date:?}"
            );
        }
        assert_eq!(
            parse_truth_label(Some("2015-07-24")),
            Some(TruthDate::Day(
                NaiveDate::from_ymd_opt(2015, 7, 24).expect("date")
            ))
        );
        assert_eq!(
            parse_truth_label(Some("24/07/2015")),
            None,
            "unreadable: not scored"
        );
        assert!(date_matches(None, TruthDate::NoDate));
        assert!(!date_matches(
            NaiveDate::from_ymd_opt(2015, 7, 24),
            TruthDate::NoDate
        ));
    }

    #[test]
    fn bylines_split_into_names() {
        assert_eq!(byline_names("By\n\tScott Cunningham"), ["Scott Cunningham"]);
        assert_eq!(
            byline_names("Stella Kim, Jennifer Jett"),
            ["Stella Kim", "Jennifer Jett"]
        );
        assert_eq!(
            byline_names("Ann Lee and Bo Park & Cy"),
            ["Ann Lee", "Bo Park", "Cy"]
        );
        assert_eq!(byline_names("Byron Smith"), ["Byron Smith"]);
        assert!(byline_names("By").is_empty());
    }
}
