//! The section a section-title phrase takes with it ("Related posts" and the
//! links under it): the title's container when the title opens it, else the
//! run of siblings up to the next heading of the same rank or the story
//! resuming in a paragraph of prose.

use ego_tree::NodeRef;
use scraper::{ElementRef, Node};

use super::blocks::{inline_text, is_skipped};
use super::clean::Removals;
use super::nodes::NodeSet;

/// A section title goes with its section. When the title is the first thing
/// with text in its parent, the parent is the section (climbing on while that
/// holds, but never into a wrapper that holds most of the body's text). When
/// the title sits among other content, the section runs from the title to the
/// next heading of the same or a higher rank, or to the next paragraph of
/// prose (the story resuming after a "More from …" box its script fills).
pub(super) fn remove_section(
    block: NodeRef<'_, Node>,
    root: ElementRef<'_>,
    root_chars: usize,
    label: &str,
    removals: &mut Removals,
) {
    let mut section = block;
    while let Some(parent) = section.parent() {
        if parent.id() == root.id()
            || !first_with_text(section, &removals.skip)
            || text_chars(parent, &removals.skip) * 2 > root_chars
        {
            break;
        }
        section = parent;
    }
    if section.id() != block.id() {
        removals.remove(section.id(), label);
        return;
    }
    let rank = heading_rank(block).unwrap_or(u8::MAX);
    removals.remove(block.id(), label);
    let mut next = block.next_sibling();
    while let Some(node) = next {
        if heading_rank(node).is_some_and(|r| r <= rank) || is_prose(node, &removals.skip) {
            break;
        }
        if node.value().is_element() || has_text(node, &removals.skip) {
            removals.remove(node.id(), label);
        }
        next = node.next_sibling();
    }
}

/// Words that make a paragraph of prose rather than a teaser or a headline.
const MIN_PROSE_WORDS: usize = 20;

/// A `<p>` of at least [`MIN_PROSE_WORDS`] words that ends a sentence and is
/// mostly not link text.
fn is_prose(node: NodeRef<'_, Node>, skip: &NodeSet) -> bool {
    if node.value().as_element().is_none_or(|e| e.name() != "p") {
        return false;
    }
    let text = inline_text(node, skip);
    let words = text.split_whitespace().count();
    // Prose ends a sentence; promos end on a call ("… Now!") or a link.
    let ends_sentence = text.trim_end().ends_with(['.', '?', '"', '\u{201d}']);
    if words < MIN_PROSE_WORDS || !ends_sentence {
        return false;
    }
    let linked: usize = node
        .descendants()
        .filter(|d| d.value().as_element().is_some_and(|e| e.name() == "a"))
        .map(|a| inline_text(a, skip).split_whitespace().count())
        .sum();
    linked * 2 < words
}

fn heading_rank(node: NodeRef<'_, Node>) -> Option<u8> {
    node.value()
        .as_element()
        .and_then(|e| super::blocks::heading_level(e.name()))
}

pub(super) fn text_chars(node: NodeRef<'_, Node>, skip: &NodeSet) -> usize {
    inline_text(node, skip).chars().count()
}

fn first_with_text(node: NodeRef<'_, Node>, skip: &NodeSet) -> bool {
    let mut prev = node.prev_sibling();
    while let Some(p) = prev {
        if !is_skipped(&p, skip) && has_text(p, skip) {
            return false;
        }
        prev = p.prev_sibling();
    }
    true
}

fn has_text(node: NodeRef<'_, Node>, skip: &NodeSet) -> bool {
    match node.value() {
        Node::Text(t) => !t.trim().is_empty(),
        Node::Element(_) => !inline_text(node, skip).is_empty(),
        _ => false,
    }
}
