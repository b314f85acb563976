//! Text statistics per element, from one bottom-up pass over the document:
//! visible characters, characters inside links, and commas. Main-content
//! scoring and pruning read these instead of walking subtrees again.

use ego_tree::{NodeId, NodeRef};
use scraper::{Html, Node};

use super::blocks::is_hidden;
use super::nodes::NodeMap;
use super::rules::NON_CONTENT_TAGS;

#[derive(Debug, Default, Clone, Copy)]
struct Stat {
    text: usize,
    link: usize,
    commas: usize,
}

/// Visible-text statistics of every element of a document.
#[derive(Debug, Default)]
pub(crate) struct TextStats {
    by_node: NodeMap<Stat>,
}

impl TextStats {
    pub fn new(doc: &Html) -> Self {
        let mut by_node: NodeMap<Stat> = NodeMap::default();
        // Iterative post-order walk: pages can nest deeper than the stack allows.
        let mut stack: Vec<(NodeRef<'_, Node>, bool)> = vec![(doc.tree.root(), false)];
        while let Some((node, children_done)) = stack.pop() {
            if !children_done {
                if let Node::Element(el) = node.value()
                    && (NON_CONTENT_TAGS.contains(&el.name()) || is_hidden(el))
                {
                    continue;
                }
                stack.push((node, true));
                // Text is read from the parent; other nodes hold none.
                stack.extend(
                    node.children()
                        .filter(|c| c.value().is_element())
                        .map(|c| (c, false)),
                );
                continue;
            }
            let mut stat = Stat::default();
            for child in node.children() {
                match child.value() {
                    Node::Text(t) => {
                        stat.text += t.trim().chars().count();
                        stat.commas += commas(t);
                    }
                    _ => {
                        if let Some(s) = by_node.get(&child.id()) {
                            stat.text += s.text;
                            stat.link += s.link;
                            stat.commas += s.commas;
                        }
                    }
                }
            }
            if node.value().as_element().is_some_and(|e| e.name() == "a") {
                stat.link = stat.text;
            }
            by_node.insert(node.id(), stat);
        }
        TextStats { by_node }
    }

    /// Visible characters under the node (0 for hidden and non-content elements).
    pub fn text(&self, id: NodeId) -> usize {
        self.by_node.get(&id).map_or(0, |s| s.text)
    }

    pub fn commas(&self, id: NodeId) -> usize {
        self.by_node.get(&id).map_or(0, |s| s.commas)
    }

    /// Share of the node's text that sits inside links (1.0 for no text).
    pub fn link_density(&self, id: NodeId) -> f32 {
        match self.by_node.get(&id) {
            Some(s) if s.text > 0 => (s.link as f32 / s.text as f32).min(1.0),
            _ => 1.0,
        }
    }
}

/// Commas in `text` (`,`, `，`, `、`): one search per kind, the ASCII one
/// counted byte-wise (a UTF-8 character's bytes never occur inside another's).
fn commas(text: &str) -> usize {
    text.bytes().filter(|b| *b == b',').count()
        + text.matches('，').count()
        + text.matches('、').count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::Selector;

    #[test]
    fn counts_text_links_and_commas_bottom_up() {
        let doc = Html::parse_document(
            "<body><div id=a><p>one, two</p><a href=x>link</a><script>skip()</script>\
             <p style='display:none'>hidden</p></div></body>",
        );
        let stats = TextStats::new(&doc);
        let a = doc.select(&Selector::parse("#a").unwrap()).next().unwrap();
        assert_eq!(stats.text(a.id()), "one, two".len() + "link".len());
        assert_eq!(stats.commas(a.id()), 1);
        assert!((stats.link_density(a.id()) - 4.0 / 12.0).abs() < 1e-6);
    }

    #[test]
    fn counts_ascii_and_wide_commas() {
        let text = "a, b，c、d,, é，";
        assert_eq!(commas(text), text.matches([',', '，', '、']).count());
        assert_eq!(commas(text), 6);
    }
}
