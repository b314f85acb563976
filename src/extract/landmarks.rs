//! The elements the metadata cascade reads, found in one pass over the page:
//! headlines, `<meta>` tags, `<link>`s, `<script>`s and the `<html>` element.
//!
//! The cascade asks for them in several places (the title, its `<title>`
//! fallback, the byline and the printed dates look for the `<h1>`; the `<meta>`
//! values and the declared titles read the `<meta>` tags). Each asking used to
//! walk the whole page with a selector; they now share one walk, and a
//! selector that needs more than the tag name runs on its few candidates only.

use scraper::{ElementRef, Html};

use super::attrs::attr;

/// The page's landmark elements, each list in the order `Html::select` finds them.
#[derive(Debug, Default)]
pub(crate) struct Landmarks<'a> {
    /// `<h1>` elements.
    pub h1s: Vec<ElementRef<'a>>,
    /// `<h1>` and `<h2>` elements, mixed in page order.
    pub h1s_h2s: Vec<ElementRef<'a>>,
    /// `<meta>` elements with a `content` attribute.
    pub metas: Vec<ElementRef<'a>>,
    /// `<html>` elements (one, in any page the parser built).
    pub htmls: Vec<ElementRef<'a>>,
    /// `<link>` elements.
    pub links: Vec<ElementRef<'a>>,
    /// `<script>` elements.
    pub scripts: Vec<ElementRef<'a>>,
}

impl<'a> Landmarks<'a> {
    /// Collects the landmarks of `doc`.
    pub fn new(doc: &'a Html) -> Self {
        let mut found = Landmarks::default();
        for el in elements(doc) {
            match el.value().name() {
                "h1" => {
                    found.h1s.push(el);
                    found.h1s_h2s.push(el);
                }
                "h2" => found.h1s_h2s.push(el),
                "meta" if attr(el.value(), "content").is_some() => found.metas.push(el),
                "html" => found.htmls.push(el),
                "link" => found.links.push(el),
                "script" => found.scripts.push(el),
                _ => {}
            }
        }
        found
    }

    /// The first `<h1>`: the article's headline, the landmark of its byline and dates.
    pub fn headline(&self) -> Option<ElementRef<'a>> {
        self.h1s.first().copied()
    }
}

/// Every element of `doc` that `Html::select` visits, in its order: the order
/// the parser created them in, elements the parser took out of the tree left out.
pub(crate) fn elements(doc: &Html) -> impl Iterator<Item = ElementRef<'_>> {
    doc.tree
        .nodes()
        .filter_map(ElementRef::wrap)
        .filter(|el| el.parent().is_some())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::rules::compile;

    #[test]
    fn finds_what_the_selectors_find() {
        // A heading the parser moves out of a table is created after the table's cells.
        let doc = Html::parse_document(
            "<head><meta name=a content=1><meta name=b><title>T</title><link rel=x></head><body>\
             <table><tr><td><h1>In a cell</h1></td></tr><h1>Moved</h1><tr><td>x</td></tr></table>\
             <h2>Sub</h2><svg><h1>Out of svg</h1><script>x</script></svg><meta content=2>\
             <script>y</script><html lang=en></body>",
        );
        let found = Landmarks::new(&doc);
        let ids = |els: &[ElementRef<'_>]| els.iter().map(|e| e.id()).collect::<Vec<_>>();
        let selected = |css: &str| {
            doc.select(&compile(css))
                .map(|e| e.id())
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(&found.h1s), selected("h1"));
        assert_eq!(ids(&found.h1s_h2s), selected("h1, h2"));
        assert_eq!(ids(&found.metas), selected("meta[content]"));
        assert_eq!(ids(&found.htmls), selected("html"));
        assert_eq!(ids(&found.links), selected("link"));
        assert_eq!(ids(&found.scripts), selected("script"));
        assert_eq!(found.h1s.len(), 3);
        assert_eq!(found.metas.len(), 2);
    }
}
