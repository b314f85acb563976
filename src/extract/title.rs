//! The article's title: the page's main declared title, or the headline it
//! prints when a declared title vouches for it.
//!
//! Declared titles ([`declared_title`](super::declared_title): JSON-LD, `<meta>`
//! tags, `<title>`) say what the page is called; the `<h1>` shows how it is
//! printed. The two usually agree up to typography, a site suffix, a section
//! label or truncation; when they disagree, the `<h1>` is often a teaser, a
//! section heading or a reworded display line, so the declared title wins:
//! 1. an `<h1>` that is a *vouching* declared title: the `<h1>` keeps the
//!    page's typography (curly quotes, dashes) and has no site suffix. The
//!    declared title vouches with or without the site's name, with or without
//!    a one-word section label ("Title | Opinion"), or cut short with "…".
//!    Vouching titles are the main declared title and every JSON-LD and
//!    `<meta>` title; the Twitter card and the `<title>` element vouch only
//!    when they are the main declared title, because templates copy them from
//!    the printed headline whatever the editor declared;
//! 2. an `<h1>` that is a vouching title with a section label glued on
//!    ("Opinion | Title"): the declared part of it;
//! 3. the main declared title, without the site's name;
//! 4. the first `<h1>` that looks like a headline (not in navigation, not the
//!    site's logo), when the page declares no title at all.

use scraper::{ElementRef, Node};
use url::Url;

use super::declared_title::{Declared, DeclaredTitle, Source, TITLE_SEPARATORS};
use super::hints::attrs_mention;
use super::landmarks::Landmarks;
use super::word_count;
use crate::normalize::clean_text;

/// At most this many `<h1>` elements are considered; pages with more use them for cards.
const MAX_H1: usize = 8;
/// A headline part cut from a longer `<h1>` or declared title needs this many words.
const MIN_PART_WORDS: usize = 3;
/// A declared title cut with "…" vouches for a headline it starts, if this long.
const MIN_TRUNCATED_CHARS: usize = 20;
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

/// Picks the title from the page's `<h1>` elements and its declared titles;
/// `site_name` keeps a logo `<h1>` out.
pub(crate) fn choose(
    marks: &Landmarks<'_>,
    declared: &Declared,
    site_name: Option<&str>,
    url: &Url,
) -> Option<String> {
    let headings = headings(marks, site_name, url);
    let main = declared.main();
    let vouching: Vec<&DeclaredTitle> = declared
        .0
        .iter()
        .filter(|d| matches!(d.source, Source::JsonLd | Source::Meta) || Some(*d) == main)
        .collect();
    let keys: Vec<String> = vouching
        .iter()
        .flat_map(|d| {
            [&d.text, &d.raw, &d.bare]
                .map(|t| key(t))
                .into_iter()
                .chain([key(without_label(&d.bare))])
        })
        .filter(|k| !k.is_empty())
        .collect();
    let truncated: Vec<String> = vouching
        .iter()
        .filter_map(|d| {
            d.raw
                .strip_suffix("...")
                .or_else(|| d.raw.strip_suffix('…'))
        })
        .map(key)
        .filter(|k| k.chars().count() >= MIN_TRUNCATED_CHARS)
        .collect();
    let vouched = |h: &String| {
        let hk = key(h);
        keys.contains(&hk) || truncated.iter().any(|k| hk.starts_with(k.as_str()))
    };
    if let Some(h) = headings.iter().find(|h| vouched(h)) {
        return Some(h.clone());
    }
    if let Some(part) = headings.iter().find_map(|h| labelled_part(h, &keys)) {
        return Some(part);
    }
    main.map(|m| m.text.clone())
        .or_else(|| headings.into_iter().next())
}

/// The text of the page's plausible headline elements, in document order.
fn headings(marks: &Landmarks<'_>, site_name: Option<&str>, url: &Url) -> Vec<String> {
    let site = site_name.map(key).unwrap_or_default();
    marks
        .h1s
        .iter()
        .take(MAX_H1)
        .filter(|h| !in_chrome(**h) && !links_home(**h, url))
        .map(|h| clean_text(&heading_text(*h)))
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
    TITLE_SEPARATORS.iter().find_map(|sep| {
        heading
            .split(sep)
            .map(str::trim)
            .find(|part| {
                let k = key(part);
                !k.is_empty() && keys.contains(&k)
            })
            .filter(|part| word_count(part) >= MIN_PART_WORDS)
            .map(str::to_string)
    })
}

/// "Title | Opinion" → "Title": a one-word section label after the headline.
fn without_label(title: &str) -> &str {
    TITLE_SEPARATORS
        .iter()
        .filter_map(|sep| title.rsplit_once(sep))
        .find(|(head, label)| !label.trim().contains(' ') && word_count(head) >= MIN_PART_WORDS)
        .map_or(title, |(head, _)| head.trim())
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
    use super::super::jsonld::JsonLd;
    use super::*;
    use scraper::Html;

    /// The title of a page with `head` metadata and `body` markup.
    fn pick(head: &str, body: &str) -> Option<String> {
        let doc = Html::parse_document(&format!("<head>{head}</head><body>{body}</body>"));
        let url = Url::parse("https://news.example/a/b").unwrap();
        let marks = Landmarks::new(&doc);
        let ld = JsonLd::read(&marks);
        let declared = Declared::read(&doc, &marks, &ld, Some("Daily News"), &url);
        choose(&marks, &declared, Some("Daily News"), &url)
    }

    fn og(title: &str) -> String {
        format!("<meta property='og:title' content=\"{title}\">")
    }

    #[test]
    fn prefers_the_printed_headline_when_it_matches_a_declared_title() {
        let head = og("'Always dark': What it's like - Daily News");
        let title = pick(&head, "<h1>‘Always dark’: What it’s like</h1>");
        assert_eq!(title.as_deref(), Some("‘Always dark’: What it’s like"));
    }

    #[test]
    fn prefers_the_main_declared_title_over_an_unvouched_headline() {
        let head = og("Discover the new store");
        let title = pick(&head, "<h1>Come shopping with us at the new store</h1>");
        assert_eq!(title.as_deref(), Some("Discover the new store"));
    }

    #[test]
    fn a_card_or_window_title_copying_the_headline_does_not_vouch_for_it() {
        let head = format!(
            "{}<meta name='twitter:title' content='Come shopping with us'>\
             <title>Come shopping with us | Daily News</title>",
            og("Discover the new store")
        );
        let title = pick(&head, "<h1>Come shopping with us</h1>");
        assert_eq!(title.as_deref(), Some("Discover the new store"));
        // Without other metadata, the window title is the main declared title.
        let head = "<title>Come shopping with us | Daily News</title>";
        let title = pick(head, "<h1>Come shopping with us</h1>");
        assert_eq!(title.as_deref(), Some("Come shopping with us"));
    }

    #[test]
    fn vouches_through_section_labels_site_suffixes_and_truncation() {
        let head = format!(
            "{}<title>Five prospects to watch | Sports | The Gazette</title>",
            og("Five prospects to watch | Sports | The Gazette")
        );
        let title = pick(&head, "<h1>Five prospects to watch</h1>");
        assert_eq!(title.as_deref(), Some("Five prospects to watch"));
        let head = og("Five prospects to watch before the season opens in...");
        let body = "<h1>Five prospects to watch before the season opens in May</h1>";
        assert_eq!(
            pick(&head, body).as_deref(),
            Some("Five prospects to watch before the season opens in May")
        );
    }

    #[test]
    fn drops_a_section_label_glued_to_the_headline() {
        let head = og("Five prospects to watch");
        let title = pick(&head, "<h1>College Sports | Five prospects to watch</h1>");
        assert_eq!(title.as_deref(), Some("Five prospects to watch"));
    }

    #[test]
    fn skips_logos_navigation_and_falls_back_to_a_headline() {
        let body = "<header><h1 class='site-logo'>Daily News</h1></header>\
                    <nav><h1>Menu of the site today</h1></nav><h1>Sections</h1>\
                    <h1><a href='/'>Home of news</a></h1>";
        assert_eq!(pick(&og("Real title"), body).as_deref(), Some("Real title"));
        assert_eq!(pick("", "<h1>Daily News</h1>"), None);
        assert_eq!(pick("", "<h1>Short</h1>").as_deref(), Some("Short"));
    }

    #[test]
    fn reads_line_breaks_as_spaces_and_skips_scripts() {
        let title = pick("", "<h1>Two<br>lines here<script>x()</script></h1>");
        assert_eq!(title.as_deref(), Some("Two lines here"));
    }
}
