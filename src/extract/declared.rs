//! The publisher's declared body (JSON-LD `articleBody`) as a second opinion
//! on the generic body: it replaces a generic body that shows only part of
//! it, and it vets the blocks of one that agrees with it on most of the text.
//!
//! Publishers fill `articleBody` from the CMS field that holds the story, so
//! blocks the page template mixes into the article (promos, sign-ups, credits,
//! bios, "read more" lines) are missing from it.

use scraper::Html;

use super::blocks::BlockWriter;
use super::clean::Removals;
use super::nodes::NodeSet;
use super::{Body, body_words, word_count};
use crate::article::{Block, Method};

/// The declared body counts when it holds at least this many words …
const MIN_DECLARED_WORDS: usize = 100;
/// … and replaces the generic body when that holds less than this share of
/// its words: the DOM shows a teaser, a gallery or a different rendition.
const DECLARED_BODY_SHARE: f32 = 0.6;
/// The generic body is vetted when at least this share of its words sits in
/// blocks the declared body also holds: both are the same article …
const MIN_AGREEMENT: f32 = 0.7;
/// … and then a paragraph, quote or list item goes when less than this share
/// of its word 4-grams occurs in the declared body. Headings, tables and code
/// stay: declared bodies often flatten or omit them.
const MIN_PRESENT_SHARE: f32 = 0.2;
/// Shorter list items are not judged: declared bodies often leave out the
/// feature, pros-and-cons and spec bullets of a story.
const MIN_VETTED_ITEM_WORDS: usize = 6;

/// The rule name under which vetted-out texts are reported in `extraction.removed`.
const VETTING_RULE: &str = "default/not-in-declared-body";

/// Step 2b of the cascade: the declared body instead of a generic body that
/// holds clearly less, or the generic body without the blocks it lacks.
pub(super) fn apply(declared: &str, generic: Body) -> Body {
    let blocks = declared_blocks(declared);
    let words: usize = body_words(&blocks);
    if words < MIN_DECLARED_WORDS {
        return generic;
    }
    if (generic.words as f32) < words as f32 * DECLARED_BODY_SHARE {
        return Body {
            blocks,
            words,
            method: Method::JsonLd,
            removals: Removals::default(),
        };
    }
    vet(&Vocabulary::new(&blocks), generic)
}

/// Paragraphs of a JSON-LD `articleBody`: HTML when it carries markup, else
/// one paragraph per line.
fn declared_blocks(declared: &str) -> Vec<Block> {
    if declared.contains("</") {
        let fragment = Html::parse_fragment(declared);
        let skip = NodeSet::default();
        let mut writer = BlockWriter::new(&skip);
        writer.add_root(fragment.root_element());
        return writer.finish();
    }
    declared
        .lines()
        .map(crate::normalize::clean_encoded_text)
        .filter(|text| !text.is_empty())
        .map(|text| Block::Paragraph { text })
        .collect()
}

/// Drops the generic blocks the declared body lacks, when the two agree on
/// most of the text.
fn vet(vocabulary: &Vocabulary, mut body: Body) -> Body {
    // One verdict per judged text, in block order.
    let mut verdicts = Vec::new();
    let mut total = 0;
    let mut present = 0;
    for block in &body.blocks {
        for text in texts(block) {
            let n = word_count(text);
            let held = vocabulary.holds(text);
            total += n;
            if held {
                present += n;
            }
            verdicts.push(held);
        }
    }
    if total == 0 || (present as f32) < total as f32 * MIN_AGREEMENT {
        return body;
    }
    let mut verdicts = verdicts.into_iter();
    let mut next = || verdicts.next().unwrap_or(true);
    let mut dropped = 0;
    let mut judge = |held: bool| {
        dropped += usize::from(!held);
        held
    };
    body.blocks.retain_mut(|block| match block {
        Block::Paragraph { .. } | Block::Quote { .. } => judge(next()),
        Block::Heading { .. } => {
            next(); // judged to keep the verdicts in step, never dropped
            true
        }
        Block::List { items, .. } => {
            items.retain(|item| word_count(item) < MIN_VETTED_ITEM_WORDS || judge(next()));
            !items.is_empty()
        }
        Block::Table { .. } | Block::Code { .. } => true,
    });
    body.words = body_words(&body.blocks);
    body.removals.count(VETTING_RULE, dropped);
    body
}

/// The texts of a block that vetting judges one by one.
fn texts(block: &Block) -> Vec<&str> {
    match block {
        Block::Paragraph { text } | Block::Quote { text } | Block::Heading { text, .. } => {
            vec![text.as_str()]
        }
        Block::List { items, .. } => items
            .iter()
            .map(String::as_str)
            .filter(|item| word_count(item) >= MIN_VETTED_ITEM_WORDS)
            .collect(),
        Block::Table { .. } | Block::Code { .. } => Vec::new(),
    }
}

/// The declared body as hashed word 4-grams (and its short token runs, for
/// texts of fewer than four words).
struct Vocabulary {
    /// Sorted, deduplicated.
    grams: Vec<u64>,
    joined: String,
}

impl Vocabulary {
    fn new(declared: &[Block]) -> Self {
        let mut tokens: Vec<&str> = Vec::new();
        let texts: Vec<String> = declared.iter().map(Block::plain_text).collect();
        for text in &texts {
            tokens.extend(words(text));
        }
        let mut grams: Vec<u64> = tokens.windows(4).map(gram_hash).collect();
        grams.sort_unstable();
        grams.dedup();
        Vocabulary {
            grams,
            joined: format!(" {} ", tokens.join(" ")),
        }
    }

    /// Whether the declared body holds `text`.
    fn holds(&self, text: &str) -> bool {
        let tokens: Vec<&str> = words(text).collect();
        if tokens.is_empty() {
            return true;
        }
        if tokens.len() < 4 {
            return self.joined.contains(&format!(" {} ", tokens.join(" ")));
        }
        let grams = tokens.len() - 3;
        let found = tokens
            .windows(4)
            .filter(|w| self.grams.binary_search(&gram_hash(w)).is_ok())
            .count();
        found as f32 >= grams as f32 * MIN_PRESENT_SHARE
    }
}

/// Word tokens: runs of letters, digits and underscores.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|t| !t.is_empty())
}

/// FNV-1a over the words of a 4-gram, a separator between words.
fn gram_hash(words: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for word in words {
        for b in word.bytes().chain(std::iter::once(0)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    fn para(text: &str) -> Block {
        Block::Paragraph { text: text.into() }
    }

    fn body(blocks: Vec<Block>) -> Body {
        let words = body_words(&blocks);
        Body {
            blocks,
            words,
            method: Method::Generic,
            removals: Removals::default(),
        }
    }

    const STORY: &str = "The council met on Tuesday to discuss the new bridge over the river. \
        Members argued for three hours about the cost of the project and its schedule. \
        In the end the vote was close, with seven members in favour and six against.";

    #[test]
    fn drops_blocks_the_declared_body_lacks() {
        let declared = STORY.repeat(3);
        let generic = body(vec![
            Block::Heading {
                level: 2,
                text: "The vote".into(),
            },
            para("The council met on Tuesday to discuss the new bridge over the river."),
            para(STORY),
            para("Sign up for our daily newsletter to get the latest stories in your inbox."),
            para(
                "Members argued for three hours about the cost of the project and its schedule. In the end the vote was close, with seven members in favour and six against.",
            ),
            Block::List {
                ordered: false,
                items: vec![
                    "Read more: ten bridges you must see".into(),
                    "cost of the project".into(),
                    "Pro: wider lanes".into(),
                ],
            },
        ]);
        let vetted = apply(&declared, generic);
        let texts: Vec<String> = vetted.blocks.iter().map(Block::plain_text).collect();
        assert_eq!(texts.len(), 5, "{texts:?}");
        assert_eq!(texts[0], "The vote");
        assert!(
            !texts
                .iter()
                .any(|t| t.contains("newsletter") || t.contains("Read more"))
        );
        assert!(texts.iter().any(|t| t.contains("wider lanes")));
        assert_eq!(vetted.method, Method::Generic);
        // The sign-up paragraph and the "Read more" item, not the heading.
        let report = vetted.removals.into_report();
        assert_eq!(report.len(), 1, "{report:?}");
        assert_eq!(
            (report[0].rule.as_str(), report[0].count),
            (VETTING_RULE, 2)
        );
    }

    #[test]
    fn leaves_a_body_that_disagrees_with_the_declared_one() {
        let declared = STORY.repeat(3);
        let other =
            "A different story about a football match that went to penalties after extra time.";
        let generic = body(vec![para(other); 12]);
        let kept = apply(&declared, generic);
        assert_eq!(kept.blocks.len(), 12);
    }

    #[test]
    fn replaces_a_generic_body_that_holds_only_a_teaser() {
        let declared = STORY.repeat(3);
        let generic = body(vec![para("The council met on Tuesday.")]);
        let replaced = apply(&declared, generic);
        assert_eq!(replaced.method, Method::JsonLd);
    }
}
