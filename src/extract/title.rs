//! The article's title: the headline the reader sees, checked against the
//! titles the page declares.
//!
//! Declared titles (og:title, the JSON-LD headline, twitter:title, `<title>`)
//! are often written for search engines and social cards: suffixed with the
//! site's name, shortened, or reworded. The `<h1>` is the headline as printed.
//! So the cascade is:
//! 1. an `<h1>` whose text is a declared title (the `<h1>` keeps the page's
//!    typography: curly quotes, dashes);
//! 2. an `<h1>` that is a declared title with a section label glued on
//!    ("Opinion | Title"): the declared part of it;
//! 3. the first `<h1>` that looks like a headline (not in navigation, not the
//!    site's logo, at least a few words);
//! 4. the first declared title, without the site's name.

use std::sync::LazyLock;

use scraper::{ElementRef, Html, Node, Selector};
use url::Url;

use super::hints::attrs_mention;
use super::rules::compile;
use super::word_count;
use crate::normalize::clean_text;

static H1: LazyLock<Selector> = LazyLock::new(|| compile("h1"));

/// At most this many `<h1>` elements are considered; pages with more use them for cards.
const MAX_H1: usize = 8;
/// An unconfirmed `<h1>` (matching no declared title) needs this many words.
const MIN_UNCONFIRMED_WORDS: usize = 3;
/// Longer `<h1>` text is a paragraph in the wrong tag, not a headline.
const MAX_HEADLINE_CHARS: usize = 300;
/// Ancestors that never hold the article's headline.
const CHROME_TAGS: &[&str] = &["nav", "footer", "aside", "menu"];
/// Class or id fragments of a site logo or site-name heading.
const LOGO_MARKS: &[&str] = &[
    "logo",
    "site-title",
    "site-name",
    "sitename",
    "brand",
    "masthead",
];
/// Elements whose text is not part of a headline.
const SKIPPED_TAGS: &[&str] = &["script", "style", "noscript", "template", "button", "svg"];

const SEPARATORS: &[&str] = &[
    " | ", " – ", " — ", " - ", " :: ", " · ", " » ", " / ", " • ",
];

/// Picks the title. `declared` holds the page's declared titles, best first,
/// already cleaned of the site's name; `site_name` keeps a logo `<h1>` out.
pub(crate) fn choose(
    doc: &Html,
    declared: &[String],
    site_name: Option<&str>,
    url: &Url,
) -> Option<String> {
    let headings = headings(doc, site_name, url);
    let keys: Vec<String> = declared.iter().map(|d| key(d)).collect();
    if let Some(h) = headings
        .iter()
        .find(|h| keys.iter().any(|k| !k.is_empty() && *k == key(h)))
    {
        return Some(h.clone());
    }
    if let Some(part) = headings.iter().find_map(|h| labelled_part(h, &keys)) {
        return Some(part);
    }
    let min_words = if declared.is_empty() {
        1
    } else {
        MIN_UNCONFIRMED_WORDS
    };
    headings
        .into_iter()
        .find(|h| word_count(h) >= min_words)
        .or_else(|| declared.first().cloned())
}

/// The text of the page's plausible headline elements, in document order.
fn headings(doc: &Html, site_name: Option<&str>, url: &Url) -> Vec<String> {
    let site = site_name.map(key).unwrap_or_default();
    doc.select(&H1)
        .take(MAX_H1)
        .filter(|h| !in_chrome(*h) && !links_home(*h, url))
        .map(|h| clean_text(&heading_text(h)))
        .filter(|t| !t.is_empty() && t.chars().count() <= MAX_HEADLINE_CHARS)
        .filter(|t| site.is_empty() || key(t) != site)
        .collect()
}

/// Inside navigation, a footer or an aside, or marked as the site's logo.
fn in_chrome(h1: ElementRef<'_>) -> bool {
    let marked = |e: &scraper::node::Element| attrs_mention(e, &["class", "id"], LOGO_MARKS);
    if marked(h1.value()) {
        return true;
    }
    h1.ancestors()
        .filter_map(ElementRef::wrap)
        .any(|a| CHROME_TAGS.contains(&a.value().name()))
}

/// A heading that links to the site's home page is the site's name.
fn links_home(h1: ElementRef<'_>, url: &Url) -> bool {
    h1.descendants()
        .filter_map(ElementRef::wrap)
        .filter_map(|e| e.value().attr("href"))
        .filter_map(|href| url.join(href.trim()).ok())
        .any(|target| target.host_str() == url.host_str() && target.path() == "/")
}

/// Text of a heading: line breaks become spaces, scripts and buttons are skipped.
fn heading_text(el: ElementRef<'_>) -> String {
    let mut out = String::new();
    collect_text(el, &mut out);
    out
}

fn collect_text(el: ElementRef<'_>, out: &mut String) {
    for child in el.children() {
        match child.value() {
            Node::Text(t) => out.push_str(t),
            Node::Element(e) if e.name() == "br" => out.push(' '),
            Node::Element(e) if SKIPPED_TAGS.contains(&e.name()) => {}
            Node::Element(_) => {
                if let Some(child) = ElementRef::wrap(child) {
                    collect_text(child, out);
                }
            }
            _ => {}
        }
    }
}

/// "Opinion | Title" or "Title | Editorial" where "Title" is declared: "Title".
fn labelled_part(heading: &str, keys: &[String]) -> Option<String> {
    SEPARATORS.iter().find_map(|sep| {
        heading
            .split(sep)
            .map(str::trim)
            .find(|part| {
                let k = key(part);
                !k.is_empty() && keys.contains(&k)
            })
            .filter(|part| word_count(part) >= MIN_UNCONFIRMED_WORDS)
            .map(str::to_string)
    })
}

/// Letters and digits only, lower-cased: "‘Don’t’ – go!" and "'Don't' go" compare equal.
pub(crate) fn key(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pick(html: &str, declared: &[&str]) -> Option<String> {
        let doc = Html::parse_document(html);
        let declared: Vec<String> = declared.iter().map(|s| s.to_string()).collect();
        let url = Url::parse("https://news.example/a/b").unwrap();
        choose(&doc, &declared, Some("Daily News"), &url)
    }

    #[test]
    fn prefers_the_printed_headline_when_it_matches_a_declared_title() {
        assert_eq!(
            pick(
                "<h1>‘Always dark’: What it’s like</h1>",
                &["'Always dark': What it's like"]
            )
            .as_deref(),
            Some("‘Always dark’: What it’s like")
        );
    }

    #[test]
    fn prefers_the_printed_headline_over_a_reworded_social_title() {
        assert_eq!(
            pick(
                "<h1>Come shopping with us at the new store</h1>",
                &["Discover the new store"]
            )
            .as_deref(),
            Some("Come shopping with us at the new store")
        );
    }

    #[test]
    fn drops_a_section_label_glued_to_the_headline() {
        assert_eq!(
            pick(
                "<h1>College Sports | Five prospects to watch</h1>",
                &["Five prospects to watch"]
            )
            .as_deref(),
            Some("Five prospects to watch")
        );
    }

    #[test]
    fn skips_logos_navigation_and_short_labels() {
        let html = "<header><h1 class='site-logo'>Daily News</h1></header>\
                    <nav><h1>Menu of the site today</h1></nav><h1>Sections</h1>\
                    <h1><a href='/'>Home of news</a></h1>";
        assert_eq!(pick(html, &["Real title"]).as_deref(), Some("Real title"));
        assert_eq!(pick("<h1>Daily News</h1>", &[]), None);
        assert_eq!(pick("<h1>Short</h1>", &[]).as_deref(), Some("Short"));
    }

    #[test]
    fn reads_line_breaks_as_spaces_and_skips_scripts() {
        assert_eq!(
            pick("<h1>Two<br>lines here<script>x()</script></h1>", &[]).as_deref(),
            Some("Two lines here")
        );
    }
}
