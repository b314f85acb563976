//! Main-content detection: which element of the page holds the article body.
//!
//! Generic rules, tried in order: markup that declares the body
//! (`[itemprop=articleBody]`, the content classes of common CMS themes), then
//! paragraph scoring in the manner of Readability: every paragraph gives points
//! to its parent and grandparent, candidates are weighted by class names and
//! penalized by link density, the best one wins.

use std::collections::HashMap;
use std::sync::LazyLock;

use ego_tree::NodeId;
use scraper::{ElementRef, Html, Selector};

use super::rules::compile;

static DECLARED_BODY: LazyLock<Vec<Selector>> = LazyLock::new(|| {
    [
        "[itemprop=articleBody]",
        ".entry-content",
        ".post-content",
        ".article-body",
        ".article-content",
        ".story-body",
        ".gh-content",
        ".field--name-body",
        ".post-body",
        ".td-post-content",
        ".c-article-body",
    ]
    .iter()
    .filter_map(|css| Selector::parse(css).ok())
    .collect()
});

static PARAGRAPHS: LazyLock<Selector> = LazyLock::new(|| compile("p, pre, td, blockquote"));
static BODY: LazyLock<Selector> = LazyLock::new(|| compile("body"));

/// Class and id fragments that make a container more or less likely to be the body.
const POSITIVE: &[&str] = &[
    "article", "body", "content", "entry", "main", "page", "post", "text", "blog", "story",
];
const NEGATIVE: &[&str] = &[
    "comment",
    "footer",
    "sidebar",
    "related",
    "share",
    "widget",
    "advert",
    "promo",
    "menu",
    "nav",
    "header",
    "banner",
    "cookie",
    "newsletter",
    "subscribe",
    "social",
    "meta",
    "popup",
];

/// The minimum text a declared body must hold to be trusted.
const MIN_DECLARED_CHARS: usize = 200;

/// The page's `<body>`, or the root element for documents without one.
pub(crate) fn page_body(doc: &Html) -> ElementRef<'_> {
    doc.select(&BODY)
        .next()
        .unwrap_or_else(|| doc.root_element())
}

/// The generic choice of body element.
pub(crate) fn generic_root(doc: &Html) -> ElementRef<'_> {
    for sel in DECLARED_BODY.iter() {
        let mut matches = doc.select(sel);
        if let (Some(el), None) = (matches.next(), matches.next())
            && text_len(el) >= MIN_DECLARED_CHARS
        {
            return el;
        }
    }
    best_scored(doc).unwrap_or_else(|| page_body(doc))
}

fn best_scored(doc: &Html) -> Option<ElementRef<'_>> {
    let mut scores: HashMap<NodeId, f32> = HashMap::new();
    for p in doc.select(&PARAGRAPHS) {
        let text: String = p.text().collect();
        let len = text.trim().chars().count();
        if len < 25 {
            continue;
        }
        let commas = text.matches([',', '，', '、']).count() as f32;
        let score = 1.0 + commas + (len as f32 / 100.0).min(3.0);
        let mut ancestor = p.parent();
        for divisor in [1.0, 2.0, 3.0] {
            let Some(node) = ancestor else { break };
            if !node.value().is_element() {
                break;
            }
            *scores.entry(node.id()).or_insert(0.0) += score / divisor;
            ancestor = node.parent();
        }
    }
    let mut ranked: Vec<(f32, ElementRef<'_>)> = scores
        .into_iter()
        .filter_map(|(id, score)| {
            let el = ElementRef::wrap(doc.tree.get(id)?)?;
            Some((score * (1.0 + class_weight(el) / 100.0), el))
        })
        .collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
    ranked
        .into_iter()
        .take(5)
        .map(|(score, el)| (score * (1.0 - link_density(el)), el))
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, el)| el)
}

fn class_weight(el: ElementRef<'_>) -> f32 {
    let e = el.value();
    let mut weight: f32 = match e.name() {
        "article" | "main" => 25.0,
        "td" | "blockquote" | "form" | "li" => -25.0,
        _ => 0.0,
    };
    for attr in [e.attr("class"), e.attr("id")].into_iter().flatten() {
        let attr = attr.to_ascii_lowercase();
        if NEGATIVE.iter().any(|n| attr.contains(n)) {
            weight -= 25.0;
        }
        if POSITIVE.iter().any(|p| attr.contains(p)) {
            weight += 25.0;
        }
    }
    weight.max(-90.0)
}

fn text_len(el: ElementRef<'_>) -> usize {
    el.text().map(|t| t.trim().len()).sum()
}

/// Share of an element's text that sits inside links.
fn link_density(el: ElementRef<'_>) -> f32 {
    let total = text_len(el);
    if total == 0 {
        return 1.0;
    }
    let linked: usize = el
        .descendent_elements()
        .filter(|d| d.value().name() == "a")
        .map(text_len)
        .sum();
    (linked as f32 / total as f32).min(1.0)
}
