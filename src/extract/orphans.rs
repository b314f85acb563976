//! Headings left without a section: when boilerplate rules take out what a
//! heading introduced ("More videos", "Contents", "Related"), the heading
//! stays behind, followed at once by a heading of the same or a higher rank,
//! or by nothing. A heading that closes the body leaves it; one between
//! headings leaves when it is a short label, while a long one carries text
//! of its own ("Pros: a roomy cabin; …"). A heading ending in ":" always
//! stays: it introduces something gleaner keeps no text of (an embedded
//! post, a chart).

use crate::article::Block;

/// Longer headings carry text of their own.
const MAX_LABEL_WORDS: usize = 6;
/// A heading that closes the body is dropped up to this length ("How to
/// listen to the podcast", "Click here to subscribe to our newsletter").
const MAX_CLOSING_WORDS: usize = 12;

/// Drops headings whose section is empty. Returns how many were dropped.
pub(super) fn drop_empty_sections(blocks: &mut Vec<Block>) -> usize {
    let before = blocks.len();
    let mut i = 0;
    while i < blocks.len() {
        let Block::Heading { level, text } = &blocks[i] else {
            i += 1;
            continue;
        };
        let level = *level;
        let words = text.split_whitespace().count();
        let introduces = text.trim_end().ends_with(':');
        let empty = !introduces
            && match blocks.get(i + 1) {
                // A heading that ends the body introduces nothing of it.
                None => i > 0 && words <= MAX_CLOSING_WORDS,
                Some(Block::Heading { level: next, .. }) => {
                    words <= MAX_LABEL_WORDS && *next <= level
                }
                Some(_) => false,
            };
        if empty {
            blocks.remove(i);
            // The heading before may now be empty in turn.
            i = i.saturating_sub(1);
        } else {
            i += 1;
        }
    }
    before - blocks.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heading(level: u8, text: &str) -> Block {
        Block::Heading {
            level,
            text: text.into(),
        }
    }

    fn para(text: &str) -> Block {
        Block::Paragraph { text: text.into() }
    }

    #[test]
    fn headings_without_a_section_go() {
        let mut blocks = vec![
            para("The story opens."),
            heading(2, "Contents"),
            heading(2, "The bridge"),
            heading(3, "Its cost"),
            para("It cost a lot."),
            heading(2, "More videos"),
        ];
        assert_eq!(drop_empty_sections(&mut blocks), 2);
        assert_eq!(
            blocks,
            vec![
                para("The story opens."),
                heading(2, "The bridge"),
                heading(3, "Its cost"),
                para("It cost a lot."),
            ]
        );
        let mut lone = vec![heading(2, "Only a heading")];
        assert_eq!(drop_empty_sections(&mut lone), 0);
        let mut kept = vec![
            para("The story opens."),
            heading(3, "Pros: a roomy cabin, a quiet ride and a fair price"),
            heading(3, "The mayor's reaction:"),
            heading(3, "Cons"),
            para("It is slow."),
        ];
        assert_eq!(drop_empty_sections(&mut kept), 0);
    }
}
