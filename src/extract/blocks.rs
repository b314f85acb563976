//! Turns the chosen body subtree into ordered [`Block`]s.
//!
//! One walk over the DOM: inline text accumulates into the current paragraph,
//! block-level elements close it. Headings, lists, quotes, data tables and
//! preformatted code become their own block types; layout tables are walked
//! like containers. Removed subtrees (the `skip` set) and hidden or
//! non-content elements are never entered.

use ego_tree::NodeRef;
use scraper::{ElementRef, Node};

use super::attrs::{attr, plain_attrs};
use super::nodes::NodeSet;
use super::rules::NON_CONTENT_TAGS;
use crate::article::Block;
use crate::normalize::{clean_preformatted, clean_text};

/// Elements that start a new block of text.
const BLOCK_TAGS: &[&str] = &[
    "address",
    "article",
    "aside",
    "body",
    "center",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figure",
    "footer",
    "header",
    "hgroup",
    "html",
    "li",
    "main",
    "p",
    "section",
    "summary",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "caption",
    "figcaption",
    "br",
    "hr",
];

pub(crate) fn is_block_tag(name: &str) -> bool {
    BLOCK_TAGS.contains(&name) || heading_level(name).is_some() || is_structural(name)
}

fn is_structural(name: &str) -> bool {
    matches!(name, "ul" | "ol" | "blockquote" | "pre" | "table")
}

pub(crate) fn heading_level(name: &str) -> Option<u8> {
    match name {
        "h1" => Some(1),
        "h2" => Some(2),
        "h3" => Some(3),
        "h4" => Some(4),
        "h5" => Some(5),
        "h6" => Some(6),
        _ => None,
    }
}

/// Class names that hide an element in the common CSS frameworks.
const HIDDEN_CLASSES: &[&str] = &[
    "hidden",
    "d-none",
    "is-hidden",
    "visually-hidden",
    "sr-only",
    "screen-reader-text",
];

/// Whether the element is hidden from readers by markup: `hidden`,
/// `aria-hidden="true"`, a hiding class or inline style. One pass over the
/// attributes (this runs for every element of the page).
pub(crate) fn is_hidden(el: &scraper::node::Element) -> bool {
    plain_attrs(el).any(|(name, value)| match name {
        "hidden" => true,
        "aria-hidden" => value == "true",
        "class" => value
            .split_ascii_whitespace()
            .any(|c| HIDDEN_CLASSES.contains(&c)),
        "style" => style_hides(value),
        _ => false,
    })
}

/// `display: none` or `visibility: hidden` in an inline style, in any case and
/// spacing, without allocating (this runs for every element with a style).
fn style_hides(style: &str) -> bool {
    style.split(';').any(|decl| {
        let Some((prop, value)) = decl.split_once(':') else {
            return false;
        };
        let value = value.split('!').next().unwrap_or_default();
        let (prop, value) = (prop.trim(), value.trim());
        (prop.eq_ignore_ascii_case("display") && value.eq_ignore_ascii_case("none"))
            || (prop.eq_ignore_ascii_case("visibility") && value.eq_ignore_ascii_case("hidden"))
    })
}

/// Whether the walker enters this element at all.
pub(crate) fn is_skipped(node: &NodeRef<'_, Node>, skip: &NodeSet) -> bool {
    match node.value() {
        Node::Element(el) => {
            skip.contains(&node.id()) || NON_CONTENT_TAGS.contains(&el.name()) || is_hidden(el)
        }
        Node::Comment(_) | Node::ProcessingInstruction(_) | Node::Doctype(_) => true,
        _ => false,
    }
}

/// Collects the blocks of one or more body roots.
pub(crate) struct BlockWriter<'s> {
    skip: &'s NodeSet,
    blocks: Vec<Block>,
    inline: String,
}

impl<'s> BlockWriter<'s> {
    pub fn new(skip: &'s NodeSet) -> Self {
        BlockWriter {
            skip,
            blocks: Vec::new(),
            inline: String::new(),
        }
    }

    /// Adds the content of `root` (not the root's own tag semantics beyond a container).
    pub fn add_root(&mut self, root: ElementRef<'_>) {
        self.node(*root);
        self.flush();
    }

    pub fn finish(mut self) -> Vec<Block> {
        self.flush();
        self.blocks
    }

    fn flush(&mut self) {
        if self.inline.trim().is_empty() {
            self.inline.clear();
            return;
        }
        let text = clean_text(&self.inline);
        self.inline.clear();
        if !text.is_empty() {
            self.blocks.push(Block::Paragraph { text });
        }
    }

    fn children(&mut self, node: NodeRef<'_, Node>) {
        for child in node.children() {
            self.node(child);
        }
    }

    fn node(&mut self, node: NodeRef<'_, Node>) {
        if is_skipped(&node, self.skip) {
            return;
        }
        match node.value() {
            Node::Text(t) => self.inline.push_str(t),
            Node::Element(el) => self.element(node, el.name()),
            _ => self.children(node),
        }
    }

    fn element(&mut self, node: NodeRef<'_, Node>, name: &str) {
        if let Some(level) = heading_level(name) {
            self.flush();
            let text = inline_text(node, self.skip);
            if !text.is_empty() {
                self.blocks.push(Block::Heading { level, text });
            }
            return;
        }
        match name {
            "ul" | "ol" => {
                self.flush();
                let mut items = Vec::new();
                list_items(node, self.skip, &mut items);
                if !items.is_empty() {
                    self.blocks.push(Block::List {
                        ordered: name == "ol",
                        items,
                    });
                }
            }
            "blockquote" => {
                self.flush();
                let mut inner = BlockWriter::new(self.skip);
                inner.children(node);
                let text = inner
                    .finish()
                    .iter()
                    .map(Block::plain_text)
                    .collect::<Vec<_>>()
                    .join("\n");
                if !text.is_empty() {
                    self.blocks.push(Block::Quote { text });
                }
            }
            "pre" => {
                self.flush();
                let text = clean_preformatted(&raw_text(node, self.skip));
                if !text.is_empty() {
                    self.blocks.push(Block::Code { text });
                }
            }
            "table" if is_data_table(node) => {
                self.flush();
                if let Some(table) = table_block(node, self.skip) {
                    self.blocks.push(table);
                }
            }
            "img" | "picture" | "source" | "figcaption" => {}
            _ if is_block_tag(name) => {
                self.flush();
                self.children(node);
                self.flush();
            }
            _ => self.children(node),
        }
    }
}

/// The normalized text of an element, block boundaries becoming spaces.
pub(crate) fn inline_text(node: NodeRef<'_, Node>, skip: &NodeSet) -> String {
    clean_text(&raw_text(node, skip))
}

fn raw_text(node: NodeRef<'_, Node>, skip: &NodeSet) -> String {
    let mut out = String::new();
    collect_text(node, skip, &mut out);
    out
}

fn collect_text(node: NodeRef<'_, Node>, skip: &NodeSet, out: &mut String) {
    for child in node.children() {
        if is_skipped(&child, skip) {
            continue;
        }
        match child.value() {
            Node::Text(t) => out.push_str(t),
            Node::Element(el) => {
                let block = is_block_tag(el.name());
                if block {
                    out.push(' ');
                }
                collect_text(child, skip, out);
                if block {
                    out.push(' ');
                }
            }
            _ => {}
        }
    }
}

/// Items of a list; nested lists are flattened after their parent item.
fn list_items(list: NodeRef<'_, Node>, skip: &NodeSet, items: &mut Vec<String>) {
    for child in list.children() {
        if is_skipped(&child, skip) {
            continue;
        }
        let Some(el) = child.value().as_element() else {
            continue;
        };
        match el.name() {
            "li" => {
                let mut own = String::new();
                let mut nested = Vec::new();
                for part in child.children() {
                    if is_skipped(&part, skip) {
                        continue;
                    }
                    match part.value() {
                        Node::Element(e) if matches!(e.name(), "ul" | "ol") => nested.push(part),
                        Node::Text(t) => own.push_str(t),
                        Node::Element(_) => {
                            own.push(' ');
                            collect_text(part, skip, &mut own);
                            own.push(' ');
                        }
                        _ => {}
                    }
                }
                let text = clean_text(&own);
                if !text.is_empty() {
                    items.push(text);
                }
                for n in nested {
                    list_items(n, skip, items);
                }
            }
            // Lists sometimes wrap items in stray containers.
            "ul" | "ol" | "div" | "span" => list_items(child, skip, items),
            _ => {}
        }
    }
}

/// A table that holds data rather than page layout: no nested tables, no
/// block-level content beyond short paragraphs, and at least two rows.
fn is_data_table(table: NodeRef<'_, Node>) -> bool {
    let Some(el) = ElementRef::wrap(table) else {
        return false;
    };
    if attr(el.value(), "role") == Some("presentation") {
        return false;
    }
    let mut rows = 0;
    for d in el.descendent_elements().skip(1) {
        match d.value().name() {
            "table" | "div" | "article" | "section" | "ul" | "ol" | "h1" | "h2" | "h3" | "form"
            | "iframe" => return false,
            "tr" => rows += 1,
            _ => {}
        }
    }
    rows >= 2
}

fn table_block(table: NodeRef<'_, Node>, skip: &NodeSet) -> Option<Block> {
    let el = ElementRef::wrap(table)?;
    let mut caption = None;
    let mut header = Vec::new();
    let mut rows = Vec::new();
    for d in el.descendent_elements() {
        match d.value().name() {
            "caption" if caption.is_none() => {
                caption = Some(inline_text(*d, skip)).filter(|c| !c.is_empty())
            }
            "tr" => {
                let mut cells = Vec::new();
                let mut all_th = true;
                for cell in d.child_elements() {
                    let name = cell.value().name();
                    if name == "td" || name == "th" {
                        all_th &= name == "th";
                        cells.push(inline_text(*cell, skip));
                    }
                }
                if cells.iter().all(String::is_empty) {
                    continue;
                }
                let in_thead = d
                    .parent()
                    .and_then(|p| p.value().as_element().map(|e| e.name() == "thead"))
                    .unwrap_or(false);
                if header.is_empty() && rows.is_empty() && (all_th || in_thead) {
                    header = cells;
                } else {
                    rows.push(cells);
                }
            }
            _ => {}
        }
    }
    if header.is_empty() && rows.is_empty() {
        return None;
    }
    Some(Block::Table {
        caption,
        header,
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::{Html, Selector};

    fn blocks(html: &str) -> Vec<Block> {
        let doc = Html::parse_document(html);
        let sel = Selector::parse("body").unwrap();
        let body = doc.select(&sel).next().unwrap();
        let skip = NodeSet::default();
        let mut w = BlockWriter::new(&skip);
        w.add_root(body);
        w.finish()
    }

    #[test]
    fn paragraphs_headings_and_inline_markup() {
        let b =
            blocks("<p>One <em>two</em>\n three</p><div>four<h2>Five <a>six</a></h2>seven</div>");
        assert_eq!(
            b,
            vec![
                Block::Paragraph {
                    text: "One two three".into()
                },
                Block::Paragraph {
                    text: "four".into()
                },
                Block::Heading {
                    level: 2,
                    text: "Five six".into()
                },
                Block::Paragraph {
                    text: "seven".into()
                },
            ]
        );
    }

    #[test]
    fn lists_flatten_nested_items() {
        let b = blocks("<ol><li>a<ul><li>a1</li></ul></li><li><p>b</p></li></ol>");
        assert_eq!(
            b,
            vec![Block::List {
                ordered: true,
                items: vec!["a".into(), "a1".into(), "b".into()]
            }]
        );
    }

    #[test]
    fn data_tables_quotes_and_code() {
        let b = blocks(
            "<table><caption>Cap</caption><thead><tr><th>k</th><th>v</th></tr></thead>\
             <tbody><tr><td>a</td><td>1</td></tr><tr><td>b</td><td>2</td></tr></tbody></table>\
             <blockquote><p>Q1</p><p>Q2</p></blockquote><pre>  x = 1\n  y</pre>",
        );
        assert_eq!(
            b,
            vec![
                Block::Table {
                    caption: Some("Cap".into()),
                    header: vec!["k".into(), "v".into()],
                    rows: vec![vec!["a".into(), "1".into()], vec!["b".into(), "2".into()]],
                },
                Block::Quote {
                    text: "Q1\nQ2".into()
                },
                Block::Code {
                    text: "  x = 1\n  y".into()
                },
            ]
        );
    }

    #[test]
    fn layout_tables_are_containers_and_hidden_content_is_skipped() {
        let b = blocks(
            "<table><tr><td><div><p>Body text</p></div></td></tr></table>\
             <p style='display: none'>hidden</p><script>x()</script><p hidden>h</p>\
             <p style='color:red; DISPLAY : None !important'>h</p><p class='x hidden'>h</p>",
        );
        assert_eq!(
            b,
            vec![Block::Paragraph {
                text: "Body text".into()
            }]
        );
    }
}
