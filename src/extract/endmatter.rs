//! Paragraphs about the article rather than part of it. End matter (contact
//! lines, credits, publication stamps, rights lines, sign-up pitches, author
//! bios) is trimmed from the end only, and notes about the page ("This live
//! blog has ended", "This story originally appeared in …") from the start
//! only, so the same words inside the story stay; a short call to sign up
//! ("Get the latest news direct to your inbox") goes wherever it sits.

use std::sync::LazyLock;

use regex::{Regex, RegexSet, RegexSetBuilder};

use super::rules::{DISCLOSURE, END_BIO, END_MATTER, LEAD_NOTES, PITCH_OPENER, PITCH_TOPIC};
use crate::article::Block;

/// Longer paragraphs are prose, whatever they mention.
const MAX_END_MATTER_WORDS: usize = 60;

static MARKERS: LazyLock<RegexSet> =
    LazyLock::new(|| builtin_set(END_MATTER.iter().flat_map(|(_, p)| p.iter().copied())));

static NOTES: LazyLock<RegexSet> = LazyLock::new(|| builtin_set(LEAD_NOTES.iter().copied()));

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

/// Compiles built-in patterns into one case-insensitive set; an invalid one is a bug in
/// gleaner, not bad input.
fn builtin_set<'a>(patterns: impl Iterator<Item = &'a str>) -> RegexSet {
    match RegexSetBuilder::new(patterns.map(ascii_boundaries))
        .case_insensitive(true)
        .build()
    {
        Ok(set) => set,
        Err(e) => panic!("built-in end-matter or lead-note pattern is invalid: {e}"),
    }
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

/// Drops paragraphs without a letter or a digit ("•", a close button's "×",
/// a stray "%" or "[…]"): widget glyphs and leftovers, never text. A divider
/// ("* * *", "___", "———": three or more of one dash, rule or star) stays:
/// it marks a break in the story. Never the only block. Returns how many
/// were dropped.
pub(crate) fn drop_glyph_lines(blocks: &mut Vec<Block>) -> usize {
    drop_paragraphs(blocks, |text| {
        !text.chars().any(char::is_alphanumeric) && !is_divider(text)
    })
}

/// Three or more of one divider character, spaces aside.
fn is_divider(text: &str) -> bool {
    let mut marks = text.chars().filter(|c| !c.is_whitespace());
    let Some(first) = marks.next() else {
        return false;
    };
    "*_-—–=~#·•".contains(first) && marks.clone().count() >= 2 && marks.all(|c| c == first)
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

/// Whether a paragraph is a note about the page.
fn is_lead_note(text: &str) -> bool {
    text.split_whitespace().count() <= MAX_END_MATTER_WORDS && NOTES.is_match(text)
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

/// Drops notes about the page from the start of `blocks`, never the last
/// block. Returns how many were dropped.
pub(crate) fn trim_lead_notes(blocks: &mut Vec<Block>) -> usize {
    let notes = blocks
        .iter()
        .take_while(|b| matches!(b, Block::Paragraph { text } if is_lead_note(text)))
        .count()
        .min(blocks.len().saturating_sub(1));
    blocks.drain(..notes);
    notes
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
    fn trims_notes_about_the_page_from_the_start_only() {
        let mut blocks = paras(&[
            "This live blog has ended. For the most recent updates, click here.",
            "Editor’s note (December 19th 2023): This leader was updated to reflect new members.",
            "This article originally appeared on VICE Belgium.",
            "This article was featured in the One Story to Read Today newsletter. Sign up for it here.",
            "Enjoy more audio and podcasts on iOS or Android.",
            "The council will vote again in March.",
            "The plan first appeared in the council's minutes in May.",
        ]);
        assert_eq!(trim_lead_notes(&mut blocks), 5);
        assert_eq!(blocks.len(), 2);
        assert_eq!(
            blocks[0].plain_text(),
            "The council will vote again in March."
        );
        let mut only = paras(&["This live blog has ended."]);
        assert_eq!(trim_lead_notes(&mut only), 0);
    }

    #[test]
    fn drops_lines_without_a_letter_or_digit_but_keeps_dividers() {
        let mut blocks = paras(&["Part one.", "* * *", "×", "___", "Part 2.", "—", "[…]", "%"]);
        assert_eq!(drop_glyph_lines(&mut blocks), 4);
        assert_eq!(blocks, paras(&["Part one.", "* * *", "___", "Part 2."]));
        let mut only = paras(&["•"]);
        assert_eq!(drop_glyph_lines(&mut only), 0);
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
