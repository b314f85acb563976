//! Paragraphs about the article rather than part of it. End matter (contact
//! lines, credits, publication stamps, rights lines, sign-up pitches, author
//! bios) is trimmed from the end only, so the same words inside the story
//! stay; a short call to sign up ("Get the latest news direct to your inbox")
//! goes wherever it sits.

use std::sync::LazyLock;

use regex::{Regex, RegexSet, RegexSetBuilder};

use super::rules::{DISCLOSURE, END_BIO, END_MATTER, PITCH_OPENER, PITCH_TOPIC};
use crate::article::Block;

/// Longer paragraphs are prose, whatever they mention.
const MAX_END_MATTER_WORDS: usize = 60;

static MARKERS: LazyLock<RegexSet> = LazyLock::new(|| {
    let patterns = END_MATTER
        .iter()
        .flat_map(|(_, p)| p.iter().map(|p| ascii_boundaries(p)));
    match RegexSetBuilder::new(patterns)
        .case_insensitive(true)
        .build()
    {
        Ok(set) => set,
        Err(e) => panic!("built-in end-matter pattern is invalid: {e}"),
    }
});

static BIO: LazyLock<Regex> = LazyLock::new(|| builtin(END_BIO, false));
static PITCH: LazyLock<[Regex; 2]> =
    LazyLock::new(|| [builtin(PITCH_OPENER, true), builtin(PITCH_TOPIC, true)]);

static DISCLOSURES: LazyLock<Regex> = LazyLock::new(|| builtin(DISCLOSURE, true));

/// Longer paragraphs are not pitches.
const MAX_PITCH_WORDS: usize = 40;

/// ASCII word boundaries: a Unicode `\b` keeps the regex engine off its fast
/// automata, and the markers are English words.
fn ascii_boundaries(pattern: &str) -> String {
    pattern.replace(r"\b", r"(?-u:\b)")
}

/// Compiles a built-in pattern; an invalid one is a bug in gleaner, not bad input.
fn builtin(pattern: &str, case_insensitive: bool) -> Regex {
    match regex::RegexBuilder::new(&ascii_boundaries(pattern))
        .case_insensitive(case_insensitive)
        .build()
    {
        Ok(re) => re,
        Err(e) => panic!("built-in pattern {pattern:?} is invalid: {e}"),
    }
}

/// Whether a paragraph is a short call to sign up.
fn is_pitch(text: &str) -> bool {
    text.split_whitespace().count() <= MAX_PITCH_WORDS && PITCH.iter().all(|re| re.is_match(text))
}

/// Whether a paragraph is a short affiliate disclosure.
fn is_disclosure(text: &str) -> bool {
    text.split_whitespace().count() <= MAX_PITCH_WORDS && DISCLOSURES.is_match(text)
}

/// Drops sign-up pitches anywhere in `blocks`, never the only block.
/// Returns how many were dropped.
pub(crate) fn drop_pitches(blocks: &mut Vec<Block>) -> usize {
    drop_paragraphs(blocks, is_pitch)
}

/// Drops affiliate disclosures ("If you buy something, we may earn an
/// affiliate commission") anywhere in `blocks`, never the only block.
/// Returns how many were dropped.
pub(crate) fn drop_disclosures(blocks: &mut Vec<Block>) -> usize {
    drop_paragraphs(blocks, is_disclosure)
}

fn drop_paragraphs(blocks: &mut Vec<Block>, drop: fn(&str) -> bool) -> usize {
    let before = blocks.len();
    if before > 1 {
        blocks.retain(|b| !matches!(b, Block::Paragraph { text } if drop(text)));
    }
    before - blocks.len()
}

/// Whether a paragraph is end matter.
fn is_end_matter(text: &str) -> bool {
    text.split_whitespace().count() <= MAX_END_MATTER_WORDS
        && (MARKERS.is_match(text) || BIO.is_match(text))
}

/// Drops end-matter paragraphs from the end of `blocks`, never the first
/// block. Returns how many were dropped.
pub(crate) fn trim(blocks: &mut Vec<Block>) -> usize {
    let before = blocks.len();
    while blocks.len() > 1 {
        match blocks.last() {
            Some(Block::Paragraph { text }) if is_end_matter(text) => {
                blocks.pop();
            }
            _ => break,
        }
    }
    before - blocks.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paras(texts: &[&str]) -> Vec<Block> {
        texts
            .iter()
            .map(|t| Block::Paragraph {
                text: (*t).to_string(),
            })
            .collect()
    }

    #[test]
    fn trims_closing_contact_credit_and_bio_lines() {
        let mut blocks = paras(&[
            "The council will vote again in March.",
            "You can subscribe to the council's minutes at the town hall.",
            "The council will vote again in March, the mayor said.",
            "Jane Doe is a senior reporter covering city hall for the Courier.",
            "Jim Roe contributed to this report.",
            "Contact Jane Doe at jane@courier.example. Follow her on X at @janedoe.",
            "This story was originally published December 22, 2023, 11:09 AM.",
            "Follow AP's full coverage of the council at the town hall page.",
            "Tags: council, bridge, budget",
            "More information: Jane Doe et al, Bridges of the river, Civil Review (2023). DOI: 10.1000/cr.1",
            "Journal information: Civil Review",
            "Alexandra Doe is a Senior Reporter at the Courier.",
            "Follow Deputy Editor Jim Roe on Instagram at @jimroe.",
            "With reporting by Ann Lee.",
            "This episode was produced by Bo Ray and fact checked by Cy Dunn.",
            "Listen to the Courier Daily on Spotify and Apple Podcasts.",
            "Stats courtesy of the city's transport office.",
            "This interview has been edited and condensed for clarity.",
            "Updated to add comments from the mayor. The headline was updated.",
            "Originally published as Council votes again on the bridge",
            "Click here for the latest council news",
            "Source: city transport office",
            "*Names have been changed",
            "First reviewed September 2023",
            "Interview with the mayor produced by Bo Ray.",
            "COPYRIGHT 2023 THE COURIER",
            "Ann Lee is senior political analyst for the Courier.",
            "Some details have been changed",
            "Liked it? Share this article with a friend!",
            "A copy of the game was provided by the publisher for review.",
            "Provided by the Courier",
            "References:",
            "Comments on this piece are premoderated to ensure the discussion stays on topic.",
            "Comments are closed.",
        ]);
        trim(&mut blocks);
        assert_eq!(blocks.len(), 3);
        assert_eq!(
            blocks[2].plain_text(),
            "The council will vote again in March, the mayor said."
        );
    }

    #[test]
    fn keeps_prose_and_a_lone_block() {
        let long = format!("Subscribe {}", "to the idea that words matter ".repeat(12));
        let mut blocks = paras(&["Opening.", &long]);
        trim(&mut blocks);
        assert_eq!(blocks.len(), 2);
        let mut one = paras(&["Sign up for our newsletter."]);
        trim(&mut one);
        assert_eq!(one.len(), 1);
        assert!(!is_end_matter("The former writer is a good friend."));
        assert!(!is_end_matter("Comments on the bill are due by Friday."));
    }

    #[test]
    fn drops_affiliate_disclosures_anywhere() {
        let mut blocks = paras(&[
            "All products are independently selected by our editors.",
            "The council will vote again in March.",
            "If you make a purchase by clicking one of the links, we may earn an affiliate fee.",
            "Affiliate marketers earn a commission on every sale, the study found.",
            "The mayor said the bridge would open in May.",
        ]);
        assert_eq!(drop_disclosures(&mut blocks), 2);
        assert_eq!(blocks.len(), 3);
        assert!(
            blocks
                .iter()
                .any(|b| b.plain_text().contains("study found"))
        );
    }

    #[test]
    fn drops_sign_up_pitches_anywhere() {
        let mut blocks = paras(&[
            "The council will vote again in March.",
            "Get all the latest news, reviews and exclusives, direct to your inbox.",
            "Subscribers to the council's newsletter learned of the vote first.",
            "The mayor said the bridge would open in May.",
        ]);
        drop_pitches(&mut blocks);
        assert_eq!(blocks.len(), 3);
        assert!(!blocks.iter().any(|b| b.plain_text().contains("inbox")));
    }
}
