//! Boilerplate removal inside the chosen body: the skip set and its report,
//! removal selectors (the default rules and the profile's) and conditional
//! pruning. Removal phrases live in [`super::phrases`].
//!
//! Nothing is deleted from the DOM; removed subtrees are collected in a skip set
//! that the block walker never enters, and every removal is counted by rule for
//! the article's `extraction.removed`.

use std::collections::BTreeMap;

use ego_tree::{NodeId, NodeRef};
use scraper::{ElementRef, Node};

use super::blocks::is_skipped;
use super::content::{class_is_unlikely, is_unlikely};
use super::nodes::NodeSet;
use super::stats::TextStats;
use crate::article::Removal;

/// Subtrees taken out of the body, and how many each rule took.
#[derive(Debug, Default)]
pub(crate) struct Removals {
    pub skip: NodeSet,
    counts: BTreeMap<String, usize>,
}

impl Removals {
    pub(crate) fn remove(&mut self, id: NodeId, rule: &str) {
        if self.skip.insert(id) {
            *self.counts.entry(rule.to_string()).or_default() += 1;
        }
    }

    /// Counts `n` removals by `rule` that took out built blocks rather than nodes.
    pub(crate) fn count(&mut self, rule: &str, n: usize) {
        if n > 0 {
            *self.counts.entry(rule.to_string()).or_default() += n;
        }
    }

    pub fn into_report(self) -> Vec<Removal> {
        self.counts
            .into_iter()
            .map(|(rule, count)| Removal { rule, count })
            .collect()
    }
}

/// Marks every element under `root` (not `root` itself) for which `rule`
/// names a removal rule, without descending into what it removes.
pub(crate) fn remove_matching<'r>(
    root: ElementRef<'_>,
    rule: impl Fn(ElementRef<'_>) -> Option<&'r str>,
    removals: &mut Removals,
) {
    let mut stack: Vec<NodeRef<'_, Node>> = root.children().collect();
    while let Some(node) = stack.pop() {
        if is_skipped(&node, &removals.skip) {
            continue;
        }
        let Some(el) = ElementRef::wrap(node) else {
            continue;
        };
        if let Some(label) = rule(el) {
            removals.remove(node.id(), label);
            continue;
        }
        stack.extend(node.children());
    }
}

/// Containers that conditional pruning may take out.
const PRUNABLE: &[&str] = &[
    "div", "section", "ul", "ol", "aside", "table", "form", "figure", "header", "footer", "dl",
];

/// Paragraphs and inline wrappers that conditional pruning takes out by class
/// alone ("imageCaption", "photo-credit"), never for their links.
const INLINE_PRUNABLE: &[&str] = &["p", "span", "cite", "small", "figcaption"];

/// Generic bodies only: takes out containers inside `root` that are mostly
/// links (link lists, tag clouds, "more stories") or whose class names
/// boilerplate (captions, galleries, promos), unless they hold half the text.
pub(crate) fn prune_conditionally(
    root: ElementRef<'_>,
    stats: &TextStats,
    removals: &mut Removals,
) {
    let root_text = stats.text(root.id());
    let mut stack: Vec<NodeRef<'_, Node>> = root.children().collect();
    while let Some(node) = stack.pop() {
        if is_skipped(&node, &removals.skip) {
            continue;
        }
        let Some(el) = node.value().as_element() else {
            continue;
        };
        let text = stats.text(node.id());
        if text == 0 {
            continue;
        }
        if el.name() == "p" && is_image_caption(node, stats) {
            removals.remove(node.id(), "default/captions");
            continue;
        }
        if INLINE_PRUNABLE.contains(&el.name()) && text * 2 < root_text && class_is_unlikely(el) {
            removals.remove(node.id(), "default/prune:class");
            continue;
        }
        if PRUNABLE.contains(&el.name()) && text * 2 < root_text {
            if is_unlikely(el) {
                removals.remove(node.id(), "default/prune:class");
                continue;
            }
            let list = matches!(el.name(), "ul" | "ol" | "dl");
            let limit = if list { 0.6 } else { 0.5 };
            if stats.link_density(node.id()) > limit {
                removals.remove(node.id(), "default/prune:links");
                if let Some(lead_in) = lead_in(node, stats) {
                    removals.remove(lead_in, "default/prune:links");
                }
                continue;
            }
        }
        stack.extend(node.children());
    }
}

/// Longer paragraphs are prose, not a caption.
const MAX_CAPTION_CHARS: usize = 400;

/// Whether a paragraph is an image's caption set as a plain paragraph: right
/// after a block that holds only an image, all of its text in one `<em>`,
/// `<i>` or `<small>` ("<p><img></p><p><em>The mayor, on Tuesday. (AP)</em></p>").
fn is_image_caption(p: NodeRef<'_, Node>, stats: &TextStats) -> bool {
    let len = stats.text(p.id());
    if len == 0 || len > MAX_CAPTION_CHARS {
        return false;
    }
    let mut styled = None;
    for child in p.children() {
        match child.value() {
            Node::Text(t) if t.trim().is_empty() => {}
            Node::Element(e) if matches!(e.name(), "em" | "i" | "small") && styled.is_none() => {
                styled = Some(child.id());
            }
            Node::Element(e) if e.name() == "br" => {}
            _ => return false,
        }
    }
    if styled.is_none_or(|id| stats.text(id) != len) {
        return false;
    }
    let Some(prev) = p.prev_siblings().find_map(ElementRef::wrap) else {
        return false;
    };
    stats.text(prev.id()) == 0
        && (prev.value().name() == "img"
            || prev
                .descendent_elements()
                .any(|d| d.value().name() == "img"))
}

/// Longer blocks are prose, not a lead-in.
const MAX_LEAD_IN_CHARS: usize = 60;

/// The short block right before a pruned link list that introduces it
/// ("What makes a family? Our writers explore:"), orphaned without it.
fn lead_in(list: NodeRef<'_, Node>, stats: &TextStats) -> Option<NodeId> {
    let prev = list.prev_siblings().find_map(ElementRef::wrap)?;
    let tag = prev.value().name();
    let block = tag == "p" || tag == "div" || (tag.len() == 2 && tag.starts_with('h'));
    let len = stats.text(prev.id());
    if !block || len == 0 || len > MAX_LEAD_IN_CHARS {
        return None;
    }
    let text: String = prev.text().collect();
    text.trim_end().ends_with(':').then_some(prev.id())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::blocks::inline_text;

    /// The text of the element `#root` of `doc` after conditional pruning.
    fn pruned_text(doc: &scraper::Html) -> String {
        let stats = TextStats::new(doc);
        let Some(root) = doc
            .root_element()
            .descendent_elements()
            .find(|e| e.value().id() == Some("root"))
        else {
            panic!("no root in the test page");
        };
        let mut removals = Removals::default();
        prune_conditionally(root, &stats, &mut removals);
        inline_text(*root, &removals.skip)
    }

    #[test]
    fn inline_elements_go_by_class_never_by_id() {
        let doc = scraper::Html::parse_document(
            "<body><div id=root><p>The lead paragraph of the story, long enough to matter here.</p>\
             <p class=imageCaption>The mayor at the opening, on Tuesday.</p>\
             <h2><span id=Navigating_the_budget>Navigating the budget</span></h2>\
             <p>More of the story follows here, with further detail on the budget and its cost.</p>\
             </div></body>",
        );
        let text = pruned_text(&doc);
        assert!(!text.contains("The mayor at the opening"));
        assert!(text.contains("Navigating the budget"));
    }

    #[test]
    fn an_italic_paragraph_under_an_image_is_its_caption() {
        let story = "<p>The story goes on here, with further detail on the budget and its cost, and more.</p>";
        let doc = scraper::Html::parse_document(&format!(
            "<body><div id=root>{story}<p><img src=a.jpg></p>\
             <p><em>The mayor at the bridge on Tuesday. (AP)</em></p>{story}\
             <p><em>An italic aside that follows prose, not an image.</em></p>{story}</div></body>"
        ));
        let text = pruned_text(&doc);
        assert!(!text.contains("The mayor at the bridge"), "{text}");
        assert!(text.contains("An italic aside"), "{text}");
    }

    #[test]
    fn a_pruned_link_list_takes_its_lead_in_along() {
        let story = "<p>The story goes on here, with further detail on the budget and its cost, and more.</p>";
        let doc = scraper::Html::parse_document(&format!(
            "<body><div id=root>{story}{story}{story}\
             <p><strong>Our writers explore:</strong></p>\
             <ul><li><a href=/a>First linked story</a></li><li><a href=/b>Second linked story</a></li></ul>\
             <p>The budget has three parts:</p><ul><li>roads</li><li>schools</li></ul>{story}</div></body>"
        ));
        let text = pruned_text(&doc);
        assert!(!text.contains("First linked story"), "{text}");
        assert!(!text.contains("Our writers explore"), "{text}");
        assert!(text.contains("The budget has three parts:"), "{text}");
        assert!(text.contains("schools"), "{text}");
    }
}
