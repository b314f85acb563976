//! What sits above the article's first line: the title repeated at the top
//! of the body, and byline leftovers (a line that is only the author's name,
//! with or without "By", or only the date). They are metadata already, so
//! the body drops them; only lines before the first paragraph of prose are
//! looked at.

use crate::article::Block;
use crate::normalize::{fold_lower, is_date_line};

/// A title followed by at most this many characters of byline is a repeat.
const MAX_GLUED_TAIL: usize = 60;
/// Byline leftovers are looked for among this many leading blocks.
const MAX_LEADING_BLOCKS: usize = 3;
/// A paragraph with more words is prose: the article has begun.
const MAX_BYLINE_WORDS: usize = 12;

/// Drops the title when the body repeats it at the top, alone or with a byline
/// glued to it ("Title Jane Doe").
pub(super) fn drop_repeated_title(blocks: &mut Vec<Block>, title: &str) {
    let key = fold_lower(title);
    if key.is_empty() {
        return;
    }
    let Some(first) = blocks
        .iter()
        .position(|b| !matches!(b, Block::List { .. } | Block::Table { .. }))
    else {
        return;
    };
    if first > 1 {
        return;
    }
    let text = fold_lower(&blocks[first].plain_text());
    let repeated = text == key
        || text
            .strip_prefix(&key)
            .is_some_and(|rest| rest.starts_with(' ') && rest.chars().count() <= MAX_GLUED_TAIL);
    if repeated {
        blocks.remove(first);
    }
}

/// Drops leading paragraphs that only name the article's `authors` ("Jane
/// Doe", "By Jane Doe and John Roe") or only give a date ("Published: 22 Dec
/// 2023"), up to the first paragraph of prose. Returns how many were dropped.
pub(super) fn drop_byline_lines(blocks: &mut Vec<Block>, authors: &[String]) -> usize {
    let names: Vec<String> = authors
        .iter()
        .map(|a| fold_lower(a))
        .filter(|a| !a.is_empty())
        .collect();
    let mut dropped = 0;
    let mut i = 0;
    while i < blocks.len() && i + dropped < MAX_LEADING_BLOCKS {
        let Block::Paragraph { text } = &blocks[i] else {
            i += 1;
            continue;
        };
        if text.split_whitespace().count() > MAX_BYLINE_WORDS {
            break;
        }
        let byline = is_date_line(text)
            || is_by_line(text)
            || (!names.is_empty() && names_only(&fold_lower(text), &names));
        if byline {
            blocks.remove(i);
            dropped += 1;
            // The author's job title may follow on a line of its own.
            if let Some(Block::Paragraph { text }) = blocks.get(i)
                && is_job_title(text)
            {
                blocks.remove(i);
                dropped += 1;
            }
        } else {
            i += 1;
        }
    }
    dropped
}

/// Words that make a short line a job title ("Executive Content Editor").
const JOB_WORDS: &[&str] = &[
    "editor",
    "co-editor",
    "reporter",
    "writer",
    "correspondent",
    "contributor",
    "columnist",
    "producer",
    "journalist",
    "staff",
];

/// Whether a line is "By" and a name, maybe with an affiliation ("By Jane
/// Doe, Medical Xpress"): two capitalised words after "By", no closing
/// sentence punctuation.
fn is_by_line(text: &str) -> bool {
    let mut words = text.split_whitespace();
    let starts_by = words.next().is_some_and(|w| w.eq_ignore_ascii_case("by"));
    let capitalised =
        |w: Option<&str>| w.is_some_and(|w| w.chars().next().is_some_and(char::is_uppercase));
    let first = words.next();
    let first_is_whole = first.is_some_and(|w| !w.ends_with(','));
    starts_by
        && capitalised(first)
        && first_is_whole
        && capitalised(words.next())
        && !text.trim_end().ends_with(['.', '!', '?'])
}

/// Whether a short line is only a job title ("Featured Co-Editor").
fn is_job_title(text: &str) -> bool {
    const MAX_TITLE_WORDS: usize = 4;
    let words: Vec<String> = text.split_whitespace().map(str::to_lowercase).collect();
    words.len() <= MAX_TITLE_WORDS
        && words.iter().any(|w| JOB_WORDS.contains(&w.as_str()))
        && !text.trim_end().ends_with(['.', '!', '?'])
}

/// Whether a folded line is "by" (optional) and then nothing but some of
/// `names`, joined by commas, "and" or "&".
fn names_only(line: &str, names: &[String]) -> bool {
    let line = line.strip_prefix("by ").unwrap_or(line);
    let mut rest = line.trim();
    let mut any = false;
    while !rest.is_empty() {
        let Some(name) = names
            .iter()
            .filter(|n| rest.starts_with(n.as_str()))
            .max_by_key(|n| n.len())
        else {
            return false;
        };
        any = true;
        rest = rest[name.len()..].trim_start_matches([',', ' ']);
        for joiner in ["and ", "& "] {
            if let Some(r) = rest.strip_prefix(joiner) {
                rest = r;
            }
        }
    }
    any
}

#[cfg(test)]
mod tests {
    use super::*;

    fn para(text: &str) -> Block {
        Block::Paragraph { text: text.into() }
    }

    #[test]
    fn drops_a_title_repeated_at_the_top_with_a_glued_byline() {
        let mut blocks = vec![para("Big News Today Jane Doe"), para("Body.")];
        drop_repeated_title(&mut blocks, "Big news today");
        assert_eq!(blocks, vec![para("Body.")]);

        let mut kept = vec![para(
            "Big news today, said the mayor, who then spoke at length about everything that happened in the city last week.",
        )];
        drop_repeated_title(&mut kept, "Big news today");
        assert_eq!(kept.len(), 1);
    }

    #[test]
    fn drops_leading_lines_that_only_name_the_authors() {
        let story = "The council voted on Tuesday to close the bridge for repairs that will last most of the year.";
        let authors = vec!["Jane Doe".to_string(), "John Roe".to_string()];
        let mut blocks = vec![
            para("Jane Doe"),
            para("Published 11:11 PM EST Nov 19, 2019"),
            para("By JANE DOE and John Roe"),
            para(story),
        ];
        assert_eq!(drop_byline_lines(&mut blocks, &authors), 3);
        assert_eq!(blocks, vec![para(story)]);

        // A byline naming someone the metadata does not, and a job title under it.
        let mut blocks = vec![
            para("By Gregory Day, The Courier"),
            para("Executive Content Editor"),
            para(story),
        ];
        assert_eq!(drop_byline_lines(&mut blocks, &[]), 2);
        let mut kept = vec![para("By Christmas Eve, the tree was gone."), para(story)];
        assert_eq!(drop_byline_lines(&mut kept, &[]), 0);
        assert_eq!(blocks, vec![para(story)]);

        // Not only names, after the prose began, or with no authors known: kept.
        let mut kept = vec![para("Jane Doe reports"), para(story), para("Jane Doe")];
        assert_eq!(drop_byline_lines(&mut kept, &authors), 0);
        assert_eq!(drop_byline_lines(&mut kept, &[]), 0);
        assert_eq!(kept.len(), 3);
    }
}
