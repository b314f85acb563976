//! Recipe pages: the ingredients and steps that a page declares in a JSON-LD
//! `Recipe` belong to the article, even when the theme prints them in blocks
//! of their own beside the story that content scoring chose (short lines
//! without commas score little). Each declared group that the page prints
//! but the chosen roots lack joins them as one more root, with its heading.

use std::collections::HashSet;

use ego_tree::NodeId;
use scraper::{ElementRef, Html};

use super::content::page_body;
use super::stats::TextStats;
use crate::normalize::fold_lower;

/// Shorter declared lines ("salt") match too much to locate anything.
const MIN_LINE_CHARS: usize = 4;
/// A printed line may carry this much more than the declared one (units,
/// notes, a step number), beyond twice its length.
const LINE_SLACK_CHARS: usize = 40;
/// The group's block climbs to a wrapper holding at most this much more
/// text (its heading): a share of the block's own text, or a few words.
const HEADING_SHARE: f32 = 0.2;
const HEADING_CHARS: f32 = 60.0;

/// `roots` plus, for each group of declared recipe lines (ingredients,
/// steps) that the page prints outside them, the block that holds it; in
/// document order.
pub(super) fn with_recipe<'a>(
    doc: &'a Html,
    mut roots: Vec<ElementRef<'a>>,
    groups: &[Vec<String>],
    stats: &TextStats,
) -> Vec<ElementRef<'a>> {
    let groups: Vec<Vec<String>> = groups
        .iter()
        .map(|lines| {
            lines
                .iter()
                .map(|l| fold_lower(l))
                .filter(|l| l.chars().count() >= MIN_LINE_CHARS)
                .collect::<Vec<_>>()
        })
        .filter(|lines| !lines.is_empty())
        .collect();
    if groups.is_empty() {
        return roots;
    }
    let items: Vec<(ElementRef<'a>, String)> = page_body(doc)
        .descendent_elements()
        .filter(|e| matches!(e.value().name(), "li" | "p"))
        .map(|e| (e, fold_lower(&e.text().collect::<String>())))
        .collect();
    let mut added = false;
    for lines in &groups {
        let printed = printed_lines(lines, &items);
        let needed = lines.len().div_ceil(2).max(2.min(lines.len()));
        if printed.len() < needed {
            continue;
        }
        let root_ids: HashSet<NodeId> = roots.iter().map(|r| r.id()).collect();
        // Inside a root: the element or one of its ancestors is one.
        let inside = |e: &ElementRef<'_>| {
            root_ids.contains(&e.id()) || e.ancestors().any(|a| root_ids.contains(&a.id()))
        };
        if printed.iter().filter(|e| inside(e)).count() * 2 >= printed.len() {
            continue;
        }
        let Some(block) = common_ancestor(&printed).map(|b| with_heading(b, stats)) else {
            continue;
        };
        let overlaps = inside(&block)
            || roots
                .iter()
                .any(|r| r.ancestors().any(|a| a.id() == block.id()));
        if !overlaps {
            roots.push(block);
            added = true;
        }
    }
    if added {
        in_document_order(doc, &mut roots);
    }
    roots
}

/// For each declared line, the first and smallest `li`/`p` that prints it.
fn printed_lines<'a>(lines: &[String], items: &[(ElementRef<'a>, String)]) -> Vec<ElementRef<'a>> {
    let mut seen = HashSet::new();
    lines
        .iter()
        .filter_map(|line| {
            let limit = line.len() * 2 + LINE_SLACK_CHARS;
            items
                .iter()
                .filter(|(_, text)| text.len() <= limit && text.contains(line.as_str()))
                .min_by_key(|(_, text)| text.len())
                .map(|(e, _)| *e)
        })
        .filter(|e| seen.insert(e.id()))
        .collect()
}

/// The deepest element that holds all of `elements`.
fn common_ancestor<'a>(elements: &[ElementRef<'a>]) -> Option<ElementRef<'a>> {
    let (first, rest) = elements.split_first()?;
    first
        .ancestors()
        .filter_map(ElementRef::wrap)
        .find(|a| rest.iter().all(|e| e.ancestors().any(|x| x.id() == a.id())))
}

/// The block, or the wrapper that adds little more than its heading.
fn with_heading<'a>(block: ElementRef<'a>, stats: &TextStats) -> ElementRef<'a> {
    let mut best = block;
    let own = stats.text(block.id()) as f32;
    for parent in block.ancestors().filter_map(ElementRef::wrap) {
        if matches!(parent.value().name(), "body" | "html" | "article" | "main")
            || stats.text(parent.id()) as f32 > own + (own * HEADING_SHARE).max(HEADING_CHARS)
        {
            break;
        }
        best = parent;
    }
    best
}

/// Sorts `roots` by their place in the page.
fn in_document_order(doc: &Html, roots: &mut [ElementRef<'_>]) {
    let wanted: HashSet<NodeId> = roots.iter().map(|r| r.id()).collect();
    let order: Vec<NodeId> = doc
        .tree
        .root()
        .descendants()
        .map(|n| n.id())
        .filter(|id| wanted.contains(id))
        .collect();
    roots.sort_by_key(|r| order.iter().position(|id| *id == r.id()));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::content::generic_roots;

    fn page(ld: &str) -> String {
        let story = "<p>Our test kitchen baked these cookies, again and again, until the edges were crisp and the middles stayed soft for days.</p>";
        format!(
            "<html><head>{ld}</head><body><div class=recipe><div class=intro><div class=text>{story}{story}{story}{story}</div></div>\
             <div class=ingredients><h2>Ingredients</h2><ul><li><span>1</span> cup salted butter</li>\
             <li>2 large eggs</li><li>1/2 tsp baking soda</li></ul></div>\
             <div class=steps><h2>Directions</h2><ol><li><p>Beat the butter until creamy.</p></li>\
             <li><p>Add the eggs and the baking soda.</p></li></ol></div>\
             <div class=comments><p>Great recipe, thanks for sharing it with everyone here!</p></div></div></body></html>"
        )
    }

    fn body_text(html: &str, groups: &[Vec<String>]) -> String {
        let doc = Html::parse_document(html);
        let stats = TextStats::new(&doc);
        let roots = with_recipe(&doc, generic_roots(&doc, &stats), groups, &stats);
        roots
            .iter()
            .map(|r| r.text().collect::<String>())
            .collect::<Vec<_>>()
            .join("|")
    }

    #[test]
    fn declared_ingredients_and_steps_join_the_body_with_their_headings() {
        let groups = vec![
            vec![
                "1 cup salted butter".to_string(),
                "2 large eggs".to_string(),
                "1/2 tsp baking soda".to_string(),
            ],
            vec![
                "Beat the butter until creamy.".to_string(),
                "Add the eggs and the baking soda.".to_string(),
            ],
        ];
        let html = page("");
        let without = body_text(&html, &[]);
        assert!(!without.contains("large eggs"), "{without}");
        let with = body_text(&html, &groups);
        let at = |needle: &str| with.find(needle).unwrap_or(usize::MAX);
        assert!(at("test kitchen") < at("Ingredients"), "{with}");
        assert!(at("Ingredients") < at("2 large eggs"), "{with}");
        assert!(at("2 large eggs") < at("Directions"), "{with}");
        assert!(with.contains("Beat the butter"), "{with}");
        assert!(!with.contains("Great recipe"), "{with}");
    }

    #[test]
    fn lines_the_page_does_not_print_add_nothing() {
        let groups = vec![vec!["3 cups flour".to_string(), "1 cup sugar".to_string()]];
        let html = page("");
        assert_eq!(body_text(&html, &groups), body_text(&html, &[]));
    }
}
