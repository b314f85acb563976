//! Removal phrases: blocks of the chosen body that open with boilerplate
//! words. A section title ("Related posts") takes its section, a label
//! ("Advertisement") goes alone, and a prompt ("MORE: <link>") goes when links
//! make up the rest of its block.

use ego_tree::{NodeId, NodeRef};
use scraper::{ElementRef, Node};

use super::blocks::{inline_text, is_block_tag, is_skipped};
use super::clean::Removals;
use super::nodes::NodeSet;
use super::sections::{remove_section, text_chars};

/// A removal phrase, lower-cased, with its report label.
pub(crate) struct PhraseRule {
    pub label: String,
    pub lower: String,
    /// One-word phrases only match a block that is that word alone.
    pub single_word: bool,
    pub kind: PhraseKind,
}

/// What a phrase opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PhraseKind {
    /// A section title ("Related posts"): the title and its section go.
    Section,
    /// A label ("Advertisement"): it goes alone.
    Label,
    /// A pointer to another page ("MORE: <link>"): a short block that opens
    /// with it and a separator goes when links make up most of the rest.
    Prompt,
}

impl PhraseRule {
    pub fn section(phrase: &str, origin: &str) -> Self {
        PhraseRule::new(phrase, origin, PhraseKind::Section)
    }

    pub fn label(phrase: &str, origin: &str) -> Self {
        PhraseRule::new(phrase, origin, PhraseKind::Label)
    }

    pub fn prompt(phrase: &str, origin: &str) -> Self {
        PhraseRule::new(phrase, origin, PhraseKind::Prompt)
    }

    fn new(phrase: &str, origin: &str, kind: PhraseKind) -> Self {
        let lower = phrase.trim().to_lowercase();
        PhraseRule {
            label: format!("{origin}/phrase:{}", phrase.trim()),
            single_word: !lower.contains(char::is_whitespace),
            kind,
            lower,
        }
    }
}

/// What a phrase match takes out.
#[derive(Debug, PartialEq, Eq)]
enum PhraseMatch {
    /// The block is a section title: the block and the rest of its section.
    Section,
    /// A short line such as "Read more: …": the block alone.
    Block,
    /// A phrase, a separator and more text: the block alone if links make up
    /// most of the text after the phrase.
    Prompt,
}

const SECTION_TAIL_CHARS: usize = 24;
const MAX_PHRASE_BLOCK_CHARS: usize = 200;
/// A "Read more:" line may list a few links, so it may run longer.
const MAX_PROMPT_CHARS: usize = 500;
/// Share of a prompt's tail that must be link text.
const MIN_PROMPT_LINK_SHARE: f32 = 0.6;
/// What separates a prompt from what it points to: "MORE: …", "Also read - …".
const PROMPT_SEPARATORS: &[char] = &[':', '|', '-', '–', '—', '>', '»'];

fn match_phrase(text: &str, rule: &PhraseRule, is_heading: bool) -> Option<PhraseMatch> {
    // Labels are often framed by dashes or bullets: "- Advertisement -".
    let lower = text
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    let rest = lower.strip_prefix(&rule.lower)?;
    if rest.starts_with(char::is_alphanumeric) {
        return None; // "Related" must not match "Relatedness".
    }
    let tail = rest.trim_matches(|c: char| !c.is_alphanumeric());
    let prompt = !tail.is_empty()
        && rest.trim_start().starts_with(PROMPT_SEPARATORS)
        && lower.chars().count() <= MAX_PROMPT_CHARS;
    match rule.kind {
        PhraseKind::Prompt => return prompt.then_some(PhraseMatch::Prompt),
        // "Advertisement - Page continues below".
        PhraseKind::Label if prompt && tail.chars().count() <= SECTION_TAIL_CHARS => {
            return Some(PhraseMatch::Block);
        }
        _ => {}
    }
    if tail.is_empty() || tail.chars().all(|c| c.is_ascii_digit()) {
        return Some(PhraseMatch::Section);
    }
    if rule.single_word {
        return prompt.then_some(PhraseMatch::Prompt);
    }
    let tail_len = tail.chars().count();
    if tail_len <= SECTION_TAIL_CHARS && (is_heading || tail_len <= 12) {
        Some(PhraseMatch::Section)
    } else if lower.chars().count() <= MAX_PHRASE_BLOCK_CHARS {
        Some(PhraseMatch::Block)
    } else if lower.chars().count() <= MAX_PROMPT_CHARS {
        Some(PhraseMatch::Prompt)
    } else {
        None
    }
}

/// Whether links make up most of a prompt block's text after its `phrase`.
fn links_dominate(block: NodeRef<'_, Node>, text: &str, phrase: &str, skip: &NodeSet) -> bool {
    let tail = text.chars().count().saturating_sub(phrase.chars().count());
    if tail == 0 {
        return false;
    }
    let mut linked = 0;
    let mut stack: Vec<NodeRef<'_, Node>> = block.children().collect();
    while let Some(node) = stack.pop() {
        if is_skipped(&node, skip) {
            continue;
        }
        if node.value().as_element().is_some_and(|e| e.name() == "a") {
            linked += text_chars(node, skip);
        } else {
            stack.extend(node.children());
        }
    }
    linked as f32 >= tail as f32 * MIN_PROMPT_LINK_SHARE
}

/// Drops blocks under `root` whose text starts with one of `phrases`.
pub(crate) fn remove_phrases(
    root: ElementRef<'_>,
    phrases: &[&PhraseRule],
    removals: &mut Removals,
) {
    if phrases.is_empty() {
        return;
    }
    // First letters of the phrases: most text nodes are rejected by one lookup.
    let mut first_letters = [false; 256];
    for p in phrases {
        match p.lower.bytes().next() {
            Some(b) if b.is_ascii() => {
                first_letters[usize::from(b)] = true;
                first_letters[usize::from(b.to_ascii_uppercase())] = true;
            }
            _ => first_letters[128..].iter_mut().for_each(|f| *f = true),
        }
    }
    // Collect first, decide after: deciding changes the skip set.
    let mut hits: Vec<(NodeId, usize)> = Vec::new();
    let mut stack: Vec<NodeRef<'_, Node>> = root.children().rev().collect();
    while let Some(node) = stack.pop() {
        if is_skipped(&node, &removals.skip) {
            continue;
        }
        if let Node::Text(t) = node.value() {
            let t = t.trim_start_matches(|c: char| !c.is_alphanumeric());
            if !t
                .bytes()
                .next()
                .is_some_and(|b| first_letters[usize::from(b)])
            {
                continue;
            }
            if let Some(i) = phrases
                .iter()
                .position(|p| may_start(t, p) && starts_with_ci(t, &p.lower) && !runs_on(t, p))
            {
                hits.push((node.id(), i));
            }
            continue;
        }
        stack.extend(node.children().rev());
    }
    let tree = root.tree();
    let mut root_chars = None;
    for (text_id, rule_index) in hits {
        let Some(text_node) = tree.get(text_id) else {
            continue;
        };
        if text_node
            .ancestors()
            .any(|a| removals.skip.contains(&a.id()))
        {
            continue;
        }
        let Some(block) = block_ancestor(text_node, root) else {
            continue;
        };
        let rule = &phrases[rule_index];
        let name = block.value().as_element().map_or("", |e| e.name());
        let is_heading = super::blocks::heading_level(name).is_some();
        let text = inline_text(block, &removals.skip);
        match match_phrase(&text, rule, is_heading) {
            Some(PhraseMatch::Prompt)
                if links_dominate(block, &text, &rule.lower, &removals.skip) =>
            {
                removals.remove(block.id(), &rule.label)
            }
            Some(PhraseMatch::Prompt) => {}
            Some(PhraseMatch::Section) if rule.kind == PhraseKind::Section => {
                let root_chars =
                    *root_chars.get_or_insert_with(|| text_chars(*root, &removals.skip));
                remove_section(block, root, root_chars, &rule.label, removals)
            }
            Some(_) => removals.remove(block.id(), &rule.label),
            None => {}
        }
    }
}

/// Whether a text node that starts with a one-word phrase or a prompt goes
/// on with another word ("More than …", "Related work"): neither can match.
fn runs_on(text: &str, rule: &PhraseRule) -> bool {
    if !(rule.single_word || rule.kind == PhraseKind::Prompt) {
        return false;
    }
    let rest = text
        .char_indices()
        .nth(rule.lower.chars().count())
        .map_or("", |(i, _)| &text[i..]);
    rest.trim_start().starts_with(char::is_alphabetic)
}

/// A first-byte test that rules out most phrases before [`starts_with_ci`]:
/// text that opens with an ASCII character can only start with a phrase
/// that opens with the same letter, in either case.
fn may_start(text: &str, rule: &PhraseRule) -> bool {
    match (text.as_bytes().first(), rule.lower.as_bytes().first()) {
        (Some(t), Some(p)) if t.is_ascii() => t.eq_ignore_ascii_case(p),
        _ => true,
    }
}

fn starts_with_ci(text: &str, lower_prefix: &str) -> bool {
    let n = lower_prefix.len();
    match text.get(..n) {
        Some(head) if head.is_ascii() => head.eq_ignore_ascii_case(lower_prefix),
        _ => {
            let head: String = text.chars().take(lower_prefix.chars().count()).collect();
            head.to_lowercase() == lower_prefix
        }
    }
}

/// The nearest block-level ancestor of a text node, below `root`.
fn block_ancestor<'a>(text: NodeRef<'a, Node>, root: ElementRef<'a>) -> Option<NodeRef<'a, Node>> {
    text.ancestors()
        .take_while(|a| a.id() != root.id())
        .find(|a| {
            a.value()
                .as_element()
                .is_some_and(|e| is_block_tag(e.name()))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(p: &str) -> PhraseRule {
        PhraseRule::section(p, "default")
    }

    #[test]
    fn phrase_matching_distinguishes_titles_lines_and_prose() {
        let related = rule("Related");
        assert_eq!(
            match_phrase("Related", &related, true),
            Some(PhraseMatch::Section)
        );
        assert_eq!(
            match_phrase("Related:", &related, false),
            Some(PhraseMatch::Section)
        );
        assert_eq!(match_phrase("Related work", &related, true), None);
        assert_eq!(match_phrase("Relatedness", &related, true), None);

        let leave = rule("Leave a Comment");
        assert_eq!(
            match_phrase("Leave a Comment Cancel reply", &leave, true),
            Some(PhraseMatch::Section)
        );
        let more = rule("Read more");
        assert_eq!(
            match_phrase(
                "Read more: how the summit failed to agree on anything",
                &more,
                false
            ),
            Some(PhraseMatch::Block)
        );
        let listing = format!("Read more: {}", "words ".repeat(60));
        assert_eq!(
            match_phrase(&listing, &more, false),
            Some(PhraseMatch::Prompt)
        );
        let long = format!("Read more {}", "words ".repeat(100));
        assert_eq!(match_phrase(&long, &more, false), None);
        assert_eq!(
            match_phrase(
                "- Advertisement -",
                &PhraseRule::label("Advertisement", "default"),
                false
            ),
            Some(PhraseMatch::Section)
        );
        assert_eq!(
            match_phrase("Comments (12)", &rule("Comments"), true),
            Some(PhraseMatch::Section)
        );
    }

    #[test]
    fn prompts_need_a_separator_and_a_short_block() {
        let more = PhraseRule::prompt("More", "default");
        assert_eq!(
            match_phrase("MORE: Why the champions missed the playoff", &more, false),
            Some(PhraseMatch::Prompt)
        );
        assert_eq!(match_phrase("More", &more, true), None);
        assert_eq!(
            match_phrase("More than a game: the history", &more, false),
            None
        );
        let related = rule("Related");
        assert_eq!(
            match_phrase("Related: Ten bridges worth a detour", &related, false),
            Some(PhraseMatch::Prompt)
        );
        let photo = PhraseRule::label("Photo", "default");
        assert_eq!(
            match_phrase("Photo: Jane Doe/Netflix", &photo, false),
            Some(PhraseMatch::Block)
        );
        assert_eq!(
            match_phrase("Photography is her first love, she says.", &photo, false),
            None
        );
        let ad = PhraseRule::label("Advertisement", "default");
        assert_eq!(
            match_phrase("Advertisement - Page continues below", &ad, false),
            Some(PhraseMatch::Block)
        );
    }

    fn kept_text(html: &str) -> String {
        let doc = scraper::Html::parse_document(html);
        let root = doc.root_element();
        let rules = [PhraseRule::prompt("More", "default"), rule("Related")];
        let phrases: Vec<&PhraseRule> = rules.iter().collect();
        let mut removals = Removals::default();
        remove_phrases(root, &phrases, &mut removals);
        inline_text(*root, &removals.skip)
    }

    #[test]
    fn a_section_title_stops_at_the_story_resuming() {
        let text = kept_text(
            "<body><div><p>The story opens here.</p><h3>Related</h3><div class=video></div>\
             <p><a href=/a>A headline elsewhere on the site</a></p>\
             <p>The story resumes here, with a sentence long enough to be prose rather than \
             a teaser, and it ends with a full stop.</p><h2>Next part</h2></div></body>",
        );
        assert!(!text.contains("A headline elsewhere"));
        assert!(text.contains("The story resumes here"));
        assert!(text.contains("Next part"));
    }

    #[test]
    fn a_prompt_goes_only_when_links_make_up_its_tail() {
        let text = kept_text(
            "<body><p>The vote was close.</p>\
             <p><strong>MORE:</strong> <a href=/x>Why the bridge costs so much</a></p>\
             <p>More: the council also approved a new park, which <a href=/p>opens</a> in May.</p>\
             <p><b>Related:</b> <a href=/y>Ten bridges worth a detour</a></p></body>",
        );
        assert!(text.contains("The vote was close."));
        assert!(!text.contains("costs so much"));
        assert!(!text.contains("Ten bridges"));
        assert!(text.contains("new park"));
    }
}
