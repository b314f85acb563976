//! Main-content detection: which elements of the page hold the article body.
//!
//! Generic rules, tried in order: markup that declares the body
//! (`[itemprop=articleBody]`, the content classes of common CMS themes), then
//! paragraph scoring in the manner of Readability: every paragraph (a `<p>`, or
//! a `<div>` that holds text and no blocks) gives points to its parent and
//! grandparent, candidates are weighted by class names and penalized by link
//! density, the best one wins, and siblings that look like more of the same
//! article join it (or, for a candidate alone in its wrapper, the segments
//! of an article cut apart: see [`super::segments`]).

use std::sync::LazyLock;

use ego_tree::NodeRef;
use scraper::{ElementRef, Html, Node, Selector};

use super::attrs::{attr, classes};
use super::blocks::is_block_tag;
use super::hints::{last_mention_end, mentions};
use super::landmarks::elements;
use super::nodes::NodeMap;
use super::rules::{
    DECLARED_BODY_CLASSES, DECLARED_BODY_ITEMPROP, NEGATIVE_HINTS, NON_CONTENT_TAGS,
    POSITIVE_HINTS, WEAK_NEGATIVE_HINTS, compile,
};
use super::segments::{with_siblings, with_summary_boxes};
use super::stats::TextStats;

static BODY: LazyLock<Selector> = LazyLock::new(|| compile("body"));

/// The minimum text a declared body must hold to be trusted.
const MIN_DECLARED_CHARS: usize = 200;
/// Shorter text blocks do not vote.
const MIN_PARAGRAPH_CHARS: usize = 25;

/// The page's `<body>`, or the root element for documents without one.
pub(crate) fn page_body(doc: &Html) -> ElementRef<'_> {
    doc.select(&BODY)
        .next()
        .unwrap_or_else(|| doc.root_element())
}

/// The generic choice of body elements, in document order.
pub(crate) fn generic_roots<'a>(doc: &'a Html, stats: &TextStats) -> Vec<ElementRef<'a>> {
    if let Some(declared) = declared_body(doc, stats) {
        return with_summary_boxes(declared, stats);
    }
    let scores = paragraph_scores(doc, stats);
    match best_candidate(doc, &scores, stats) {
        Some((top, score)) => with_siblings(top, score, &scores, stats),
        None => vec![page_body(doc)],
    }
}

// `declared_body` keeps one bit per class marker.
const _: () = assert!(DECLARED_BODY_CLASSES.len() <= 64);

/// The first declared-body marker (in trust order) that exactly one element
/// of the page carries, when that element holds enough text. One pass over
/// the parser's element list with attribute lookups, no selector matching
/// (the order does not matter: a marker counts only when it is unique).
fn declared_body<'a>(doc: &'a Html, stats: &TextStats) -> Option<ElementRef<'a>> {
    let markers = 1 + DECLARED_BODY_CLASSES.len();
    let mut found: Vec<(usize, Option<ElementRef<'a>>)> = vec![(0, None); markers];
    let root = doc.root_element().id();
    // The list also holds elements the parser took out of the page.
    let in_page = |el: ElementRef<'a>| el.id() == root || el.ancestors().any(|a| a.id() == root);
    let mut note = |i: usize, el: ElementRef<'a>| {
        if in_page(el) {
            found[i].0 += 1;
            found[i].1.get_or_insert(el);
        }
    };
    for el in elements(doc) {
        let e = el.value();
        if attr(e, "itemprop")
            .is_some_and(|v| v.split_whitespace().any(|p| p == DECLARED_BODY_ITEMPROP))
        {
            note(0, el);
        }
        // Each marker once per element, however often its class is written.
        let mut seen = 0u64;
        for class in classes(e) {
            if let Some(i) = DECLARED_BODY_CLASSES.iter().position(|c| *c == class)
                && seen & (1 << i) == 0
            {
                seen |= 1 << i;
                note(1 + i, el);
            }
        }
    }
    found.into_iter().find_map(|(count, el)| {
        el.filter(|el| count == 1 && stats.text(el.id()) >= MIN_DECLARED_CHARS)
    })
}

/// Whether an element is a paragraph for scoring: a `<p>`-like element, or a
/// container that holds text directly and no block-level children.
fn is_paragraph(node: NodeRef<'_, Node>, name: &str) -> bool {
    match name {
        "p" | "pre" | "blockquote" => true,
        "div" | "section" | "article" | "td" | "font" | "span" => {
            let mut direct_text = false;
            for child in node.children() {
                match child.value() {
                    Node::Text(t) => direct_text |= !t.trim().is_empty(),
                    Node::Element(e) if is_block_tag(e.name()) && e.name() != "br" => return false,
                    _ => {}
                }
            }
            direct_text
        }
        _ => false,
    }
}

/// Points every container gets from the paragraphs under it.
/// Paragraphs inside unlikely containers (comments, sidebars, footers, …) do
/// not vote at all.
fn paragraph_scores(doc: &Html, stats: &TextStats) -> NodeMap<f32> {
    let mut scores: NodeMap<f32> = NodeMap::default();
    let page_text = stats.text(page_body(doc).id());
    let mut stack: Vec<NodeRef<'_, Node>> = vec![doc.tree.root()];
    while let Some(node) = stack.pop() {
        let Some(el) = node.value().as_element() else {
            stack.extend(node.children());
            continue;
        };
        if NON_CONTENT_TAGS.contains(&el.name())
            || stats.text(node.id()) == 0
            || (stats.text(node.id()) * 2 < page_text && is_unlikely(el))
        {
            continue;
        }
        stack.extend(node.children());
        if !is_paragraph(node, el.name()) {
            continue;
        }
        let len = stats.text(node.id());
        if len < MIN_PARAGRAPH_CHARS || stats.link_density(node.id()) > 0.5 {
            continue;
        }
        let commas = stats.commas(node.id()) as f32;
        let score = 1.0 + commas + (len as f32 / 100.0).min(3.0);
        let mut ancestor = node.parent();
        for divisor in [1.0, 2.0, 3.0] {
            let Some(parent) = ancestor else { break };
            if !parent.value().is_element() {
                break;
            }
            *scores.entry(parent.id()).or_insert(0.0) += score / divisor;
            ancestor = parent.parent();
        }
    }
    scores
}

/// The container with the best weighted score, moved up to a common ancestor
/// when the article is split across several strong candidates (bodies broken
/// up by ads or "read more" boxes), as Readability does.
fn best_candidate<'a>(
    doc: &'a Html,
    scores: &NodeMap<f32>,
    stats: &TextStats,
) -> Option<(ElementRef<'a>, f32)> {
    let mut ranked: Vec<(ElementRef<'a>, f32)> = scores
        .iter()
        .filter_map(|(id, score)| {
            let el = ElementRef::wrap(doc.tree.get(*id)?)?;
            Some((el, weighted(el, *score, stats)))
        })
        .collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.id().cmp(&b.0.id())));
    let (mut top, top_score) = *ranked.first()?;
    // Other strong candidates outside the top one: their common ancestor holds the article.
    let rivals: Vec<ElementRef<'a>> = ranked[1..]
        .iter()
        .take(TOP_CANDIDATES)
        .filter(|(_, s)| *s >= top_score * 0.75)
        .map(|(el, _)| *el)
        .collect();
    if rivals.len() >= MIN_RIVALS {
        let mut ancestor = top.parent().and_then(ElementRef::wrap);
        while let Some(a) = ancestor {
            if a.value().name() == "body" {
                break;
            }
            let contained = rivals
                .iter()
                .filter(|r| r.ancestors().any(|x| x.id() == a.id()))
                .count();
            if contained >= MIN_RIVALS {
                top = a;
                break;
            }
            ancestor = a.parent().and_then(ElementRef::wrap);
        }
    }
    // A parent scoring higher than its child holds more of the same content.
    let mut best = scores
        .get(&top.id())
        .map_or(top_score, |s| weighted(top, *s, stats));
    let mut ancestor = top.parent().and_then(ElementRef::wrap);
    while let Some(a) = ancestor {
        if a.value().name() == "body" {
            break;
        }
        let Some(score) = scores.get(&a.id()).map(|s| weighted(a, *s, stats)) else {
            break;
        };
        if score < best / 3.0 {
            break;
        }
        if score > best {
            top = a;
            best = score;
        }
        ancestor = a.parent().and_then(ElementRef::wrap);
    }
    Some((top, best))
}

/// How many candidates are compared with the top one.
const TOP_CANDIDATES: usize = 5;
/// Strong rivals needed before the top candidate moves up to their common ancestor.
const MIN_RIVALS: usize = 3;

fn weighted(el: ElementRef<'_>, score: f32, stats: &TextStats) -> f32 {
    score * (1.0 + class_weight(el) / 100.0) * (1.0 - stats.link_density(el.id()))
}

/// A container whose class or id names boilerplate and nothing article-like.
pub(crate) fn is_unlikely(el: &scraper::node::Element) -> bool {
    if matches!(el.name(), "html" | "body" | "article" | "main" | "a") {
        return false;
    }
    let mut negative = false;
    for value in [attr(el, "class"), attr(el, "id")].into_iter().flatten() {
        if mentions(value, POSITIVE_HINTS) {
            return false;
        }
        negative |= mentions(value, NEGATIVE_HINTS);
    }
    negative
}

/// Whether the class alone names boilerplate: for inline elements, whose ids
/// are often slugs of their text ("Navigating_…"). A class name counts by its
/// head, the hint it ends with: "CarouselTextCaption" is a caption, while
/// "caption-text" names text; in a BEM name only the element after `__`
/// counts ("article-header__subtitle" is a subtitle).
pub(crate) fn class_is_unlikely(el: &scraper::node::Element) -> bool {
    classes(el).any(|class| {
        let head = class.rsplit("__").next().unwrap_or(class);
        mentions(head, NEGATIVE_HINTS)
            && last_mention_end(head, NEGATIVE_HINTS) > last_mention_end(head, POSITIVE_HINTS)
    })
}

pub(super) fn class_weight(el: ElementRef<'_>) -> f32 {
    let e = el.value();
    let mut weight: f32 = match e.name() {
        "article" | "main" => 25.0,
        "td" | "blockquote" | "form" | "li" => -25.0,
        _ => 0.0,
    };
    for value in [attr(e, "class"), attr(e, "id")].into_iter().flatten() {
        if mentions(value, NEGATIVE_HINTS) || mentions(value, WEAK_NEGATIVE_HINTS) {
            weight -= 25.0;
        }
        if mentions(value, POSITIVE_HINTS) {
            weight += 25.0;
        }
    }
    weight.max(-90.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn para(n: usize) -> String {
        format!(
            "<p>Paragraph {n} of the story, with enough words, commas, and detail to count as prose for scoring.</p>"
        )
    }

    /// The text of the generic roots chosen for `html`.
    fn root_text(html: &str) -> String {
        let doc = Html::parse_document(html);
        let stats = TextStats::new(&doc);
        generic_roots(&doc, &stats)
            .iter()
            .flat_map(|r| r.text())
            .collect()
    }

    #[test]
    fn a_summary_box_beside_the_body_joins_it_but_not_a_list_of_links() {
        let body: String = (0..6).map(para).collect();
        let html = format!(
            "<html><body><div class=page>\
             <div class=ArticleKeyPoints-box><h2>Key Points</h2><ul>\
             <li>The economy shrank in the third quarter, revised figures show.</li>\
             <li>The central bank may now cut rates sooner than planned.</li></ul></div>\
             <div class=highlights><ul><li><a href=/a>Other story one</a></li><li><a href=/b>Other story two</a></li></ul></div>\
             <div class=story>{body}</div></div></body></html>"
        );
        let text = root_text(&html);
        assert!(text.starts_with("Key Points"), "{text}");
        assert!(text.contains("cut rates sooner"));
        assert!(text.contains("Paragraph 5 "));
        assert!(!text.contains("Other story"));
    }

    #[test]
    fn a_lead_set_apart_joins_the_body_when_classed_like_its_paragraphs() {
        let body: String = (0..6)
            .map(|n| para(n).replace("<p>", "<p class=story-text>"))
            .collect();
        let page = |lead_class: &str| {
            format!(
                "<html><body><article><div class=lead><p class={lead_class}>The lead of the story, \
                 set apart from the rest of the body by the theme, long enough to be prose.</p>\
                 <blockquote>An embedded post.</blockquote></div>\
                 <div class=rest>{body}</div></article></body></html>"
            )
        };
        let text = root_text(&page("story-text"));
        assert!(text.starts_with("The lead of the story"), "{text}");
        assert!(text.contains("Paragraph 5 "));
        let promo = root_text(&page("tagline"));
        assert!(!promo.contains("The lead of the story"), "{promo}");
    }

    #[test]
    fn an_article_cut_into_segments_keeps_every_segment() {
        let first: String = (0..6).map(para).collect();
        let second: String = (6..8).map(para).collect();
        let third: String = (8..10).map(para).collect();
        let html = format!(
            "<html><body><div class=column>\
             <section class=segment><div class=text>{first}</div></section>\
             <section class=segment><div class=text>{second}</div><figure><img src=a.jpg></figure></section>\
             <section class=segment><div class=text>{third}</div></section>\
             </div><div class=sidebar><p>Elsewhere on the site, with many words, and a comma.</p></div></body></html>"
        );
        let text = root_text(&html);
        assert!(text.contains("Paragraph 0 "));
        assert!(text.contains("Paragraph 7 "));
        assert!(text.contains("Paragraph 9 "));
        assert!(!text.contains("Elsewhere"));
    }

    #[test]
    fn segments_that_repeat_the_body_markup_are_kept() {
        let segment = |n: usize, heading: bool| {
            let (head, class) = if heading {
                ("<h2>A heading</h2>", "")
            } else {
                ("<span>By A. Writer</span>", " class=lead")
            };
            format!(
                "<div{class}><div class=row><div class=main><section class=body>{head}\
                 <div class=text>{}</div></section></div><aside class=ad></aside></div></div>",
                (0..=n).map(|_| para(n)).collect::<String>()
            )
        };
        let html = format!(
            "<html><body><div class=story>{}{}{}{}</div>\
             <div><p>Unrelated promotion text with words, commas, and a link or two.</p></div></body></html>",
            segment(3, false),
            segment(0, true),
            segment(1, true),
            segment(0, true)
        );
        let text = root_text(&html);
        assert!(text.contains("Paragraph 3 ") && text.contains("Paragraph 1 "));
        assert!(!text.contains("Unrelated"));
    }

    #[test]
    fn a_class_name_counts_by_its_head() {
        let doc = Html::parse_fragment(
            "<span class='CarouselTextCaption-x1'>A</span><span class='caption-text'>B</span>\
             <span class='article-header__subtitle'>C</span><p class='imageCaption'>D</p>",
        );
        let unlikely: Vec<bool> = doc
            .root_element()
            .descendent_elements()
            .filter(|e| e.value().attr("class").is_some())
            .map(|e| class_is_unlikely(e.value()))
            .collect();
        assert_eq!(unlikely, [true, false, false, true]);
    }

    #[test]
    fn a_slide_gallery_story_is_found() {
        let slides: String = (0..5)
            .map(|n| {
                format!(
                    "<div class=gallery-slide><img src=s{n}.jpg>{}</div>",
                    para(n)
                )
            })
            .collect();
        let html = format!(
            "<html><body><div class=gallery-story>{slides}</div>\
             <div class=footer-links><p>About us, contact, jobs, and more.</p></div></body></html>"
        );
        let text = root_text(&html);
        assert!(text.contains("Paragraph 0 ") && text.contains("Paragraph 4 "));
        assert!(!text.contains("About us"));
    }
}
