//! The titles a page declares about itself: JSON-LD, `<meta>` tags and the
//! `<title>` element, and which of them is the page's main declared title.
//!
//! The main declared title is the first of, in this order (the order Mozilla
//! Readability uses, so reader views and gleaner agree):
//! 1. the JSON-LD article's `name` or `headline`: when they differ, the
//!    `headline` only if it reads like the `<title>` and the `name` does not
//!    (a `name` is then the publisher's), else the `name` (a `headline` unlike
//!    the `<title>` is usually a short description);
//! 2. `dc:title`, `dcterm:title`, `og:title`, `weibo:article:title`,
//!    `weibo:webpage:title`, `title`, `twitter:title`, `parsely-title`
//!    `<meta>` tags (`property` may list several properties; `name` may be
//!    written `DC.title`; a later tag of the same key wins);
//! 3. the headline part of the `<title>` element ([`title_tag`](super::title_tag)).
//!
//! Every declared title is cleaned of the site's name ("Title | Site" → "Title")
//! when the site's name is known (`og:site_name`, the host); the last segment
//! of the `<title>` is only a guess at it, kept apart in [`DeclaredTitle::bare`].

use std::collections::HashMap;
use std::sync::LazyLock;

use scraper::{Html, Selector};
use url::Url;

use super::attrs::attr;
use super::jsonld::JsonLd;
use super::landmarks::Landmarks;
use super::rules::compile;
use super::title_tag;
use crate::normalize::{clean_encoded_text, clean_text};

static TITLE: LazyLock<Selector> = LazyLock::new(|| compile("title"));

/// `<meta>` title keys, best first.
const META_KEYS: &[&str] = &[
    "dc:title",
    "dcterm:title",
    "og:title",
    "weibo:article:title",
    "weibo:webpage:title",
    "title",
    "twitter:title",
    "parsely-title",
];
/// Keys of Twitter card and analytics tags.
const CARD_KEYS: &[&str] = &["twitter:title", "parsely-title"];
/// Vocabularies whose `property` values are read (`og:title`, `dc:title`, …).
const PROPERTY_PREFIXES: &[&str] = &["article", "dc", "dcterm", "og", "twitter"];
/// Fields of those vocabularies: the first one a `property` lists decides.
const PROPERTY_FIELDS: &[&str] = &[
    "author",
    "creator",
    "description",
    "published_time",
    "title",
    "site_name",
];
/// A JSON-LD `headline` or `name` this similar to the `<title>` reads like it.
const SIMILAR: f64 = 0.75;

/// Where a declared title comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    /// The JSON-LD article's `headline` or `name`.
    JsonLd,
    /// A Dublin Core, Open Graph, Weibo or plain `title` `<meta>` tag.
    Meta,
    /// A Twitter card or analytics tag (`twitter:title`, `parsely-title`).
    Card,
    /// The `<title>` element.
    TitleTag,
}

/// One declared title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DeclaredTitle {
    /// Cleaned: entities decoded, the site's name removed.
    pub text: String,
    /// As declared (entities decoded, whitespace folded).
    pub raw: String,
    /// `text` also without the last segment of the `<title>` ("Title - Blog
    /// Name" when the `<title>` ends with "- Blog Name"): that segment is
    /// probably the site's name, not certainly, so it only serves to
    /// recognise the printed headline.
    pub bare: String,
    pub source: Source,
}

/// The titles a page declares, best first (see the module doc).
#[derive(Debug, Default)]
pub(crate) struct Declared(pub Vec<DeclaredTitle>);

impl Declared {
    pub fn read(
        doc: &Html,
        marks: &Landmarks<'_>,
        ld: &JsonLd,
        site_name: Option<&str>,
        url: &Url,
    ) -> Self {
        let raw_tag = doc
            .select(&TITLE)
            .next()
            .map(|t| clean_encoded_text(&t.text().collect::<String>()))
            .filter(|t| !t.is_empty());
        let tag_headline = raw_tag
            .as_deref()
            .map(|t| title_tag::headline(t, &headings(marks), only_h1(marks).as_deref()));
        // The `<title>`'s last segment is probably the site's name (see `bare`).
        let tag_site = raw_tag.as_deref().and_then(title_tag::last_segment);
        let clean = |raw: &str| clean_title(raw, site_name, url);
        let bare = |text: &str| match tag_site {
            Some(s) => clean_title(text, Some(s), url),
            None => text.to_string(),
        };
        let (headline, name) = ld.headline_and_name();
        let ld_title = match (headline, name) {
            (Some(h), Some(n)) if h.trim() != n.trim() => {
                let tag = tag_headline.as_deref().unwrap_or("");
                let similar = |s: &str| title_tag::similarity(s, tag) > SIMILAR;
                Some(if similar(&h) && !similar(&n) { h } else { n })
            }
            (h, n) => n.or(h),
        };
        let metas = meta_titles(marks);
        let mut titles: Vec<DeclaredTitle> = ld_title
            .map(|t| (t, Source::JsonLd))
            .into_iter()
            .chain(META_KEYS.iter().filter_map(|k| {
                let source = if CARD_KEYS.contains(k) {
                    Source::Card
                } else {
                    Source::Meta
                };
                metas.get(*k).map(|t| (t.clone(), source))
            }))
            .map(|(t, source)| {
                let raw = clean_encoded_text(&t);
                let text = clean(&raw);
                DeclaredTitle {
                    bare: bare(&text),
                    text,
                    raw,
                    source,
                }
            })
            .collect();
        if let (Some(raw), Some(headline)) = (raw_tag, tag_headline) {
            let text = clean_title(&headline, site_name, url);
            titles.push(DeclaredTitle {
                bare: text.clone(),
                text,
                raw,
                source: Source::TitleTag,
            });
        }
        titles.retain(|t| !t.text.is_empty());
        Declared(titles)
    }

    /// The main declared title: the first one.
    pub fn main(&self) -> Option<&DeclaredTitle> {
        self.0.first()
    }
}

/// Separators between a title and the site's name or a section label.
pub(crate) const TITLE_SEPARATORS: &[&str] = &[
    " | ", " – ", " — ", " - ", " :: ", " · ", " » ", " / ", " • ",
];

/// Removes a site suffix (" – Site Name") or prefix ("Site | Title").
pub(crate) fn clean_title(title: &str, site_name: Option<&str>, url: &Url) -> String {
    let title = title.trim();
    let host = url
        .host_str()
        .unwrap_or("")
        .trim_start_matches("www.")
        .to_lowercase();
    let host_word = host.split('.').next().unwrap_or("");
    let site = site_name
        .map(|s| s.trim_matches(|c: char| c.is_whitespace() || SEPARATOR_CHARS.contains(&c)))
        .filter(|s| !s.is_empty());
    if let Some(site) = site {
        for sep in TITLE_SEPARATORS {
            let affix = format!("{sep}{site}");
            if let Some(head) = strip_suffix_folded(title, &affix).filter(|h| !h.trim().is_empty())
            {
                return head.trim().to_string();
            }
        }
    }
    let is_site = |part: &str| {
        let p = part.trim().to_lowercase();
        site_name.is_some_and(|s| s.trim().to_lowercase() == p)
            || p == host
            || (!host_word.is_empty() && p.replace([' ', '-'], "") == host_word.replace('-', ""))
    };
    for sep in TITLE_SEPARATORS {
        if let Some((head, tail)) = title.rsplit_once(sep)
            && is_site(tail)
            && !head.trim().is_empty()
        {
            return head.trim().to_string();
        }
        if let Some((head, tail)) = title.split_once(sep)
            && is_site(head)
            && !tail.trim().is_empty()
        {
            return tail.trim().to_string();
        }
    }
    title.to_string()
}

/// Characters that separate a title from the site's name.
const SEPARATOR_CHARS: &[char] = &['|', '–', '—', '-', ':', '·', '»', '/', '•'];

/// `s` without `suffix`, compared case-insensitively.
fn strip_suffix_folded<'a>(s: &'a str, suffix: &str) -> Option<&'a str> {
    let cut = s.len().checked_sub(suffix.len())?;
    (s.is_char_boundary(cut) && s[cut..].to_lowercase() == suffix.to_lowercase()).then(|| &s[..cut])
}

/// `<meta>` titles by normalized key; a later tag replaces an earlier one.
fn meta_titles(marks: &Landmarks<'_>) -> HashMap<String, String> {
    let mut found = HashMap::new();
    for m in &marks.metas {
        let e = m.value();
        let Some(content) = attr(e, "content").map(str::trim).filter(|c| !c.is_empty()) else {
            continue;
        };
        let key = attr(e, "property")
            .and_then(property_key)
            .or_else(|| attr(e, "name").map(name_key));
        if let Some(key) = key.filter(|k| META_KEYS.contains(&k.as_str())) {
            found.insert(key, content.to_string());
        }
    }
    found
}

/// The first known `vocabulary:field` a `property` attribute lists.
fn property_key(property: &str) -> Option<String> {
    property
        .split_whitespace()
        .map(str::to_ascii_lowercase)
        .find(|p| {
            p.split_once(':').is_some_and(|(v, f)| {
                PROPERTY_PREFIXES.contains(&v) && PROPERTY_FIELDS.contains(&f)
            })
        })
}

/// `DC.Title` → `dc:title`; `parsely-title` stays as it is.
fn name_key(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| {
            if c == '.' {
                ':'
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect()
}

/// Texts of the `<h1>` and `<h2>` elements: one printing the whole `<title>` vouches for it.
fn headings(marks: &Landmarks<'_>) -> Vec<String> {
    marks
        .h1s_h2s
        .iter()
        .map(|h| clean_text(&h.text().collect::<String>()))
        .collect()
}

/// The text of the page's `<h1>` when it has exactly one.
fn only_h1(marks: &Landmarks<'_>) -> Option<String> {
    match marks.h1s.as_slice() {
        [only] => Some(clean_text(&only.text().collect::<String>())),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(html: &str) -> Declared {
        let doc = Html::parse_document(html);
        let url = Url::parse("https://news.example/a/b").unwrap();
        let marks = Landmarks::new(&doc);
        Declared::read(
            &doc,
            &marks,
            &JsonLd::read(&marks),
            Some("Daily News"),
            &url,
        )
    }

    fn main(html: &str) -> Option<String> {
        read(html).main().map(|t| t.text.clone())
    }

    #[test]
    fn prefers_dublin_core_then_open_graph_and_lets_later_tags_win() {
        let d = read(
            "<meta name='twitter:title' content='Card title'>\
             <meta property='og:title' content='Social title'>\
             <meta name='DC.title' content='Catalogue title'>\
             <meta property='dc:title' content='Final catalogue title'>\
             <title>Window title | Daily News</title>",
        );
        let texts: Vec<&str> = d.0.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Final catalogue title",
                "Social title",
                "Card title",
                "Window title"
            ]
        );
        let sources: Vec<Source> = d.0.iter().map(|t| t.source).collect();
        assert_eq!(
            sources,
            [Source::Meta, Source::Meta, Source::Card, Source::TitleTag]
        );
    }

    #[test]
    fn reads_the_first_known_property_of_a_list() {
        let listed = main("<meta property='x:title dc:title' content='Listed'>");
        assert_eq!(listed.as_deref(), Some("Listed"));
        let other = main("<meta property='og:description og:title' content='Text'>");
        assert_eq!(other, None);
        let tracked = main("<meta name='parsely-title' content='Tracked'><meta name='title'>");
        assert_eq!(tracked.as_deref(), Some("Tracked"));
    }

    #[test]
    fn picks_the_json_ld_name_unless_only_the_headline_reads_like_the_title() {
        let ld = |headline: &str, name: &str, title: &str| {
            main(&format!(
                "<script type='application/ld+json'>{{\"@type\":\"Article\",\
                 \"headline\":\"{headline}\",\"name\":\"{name}\"}}</script><title>{title}</title>"
            ))
        };
        let name = ld(
            "a tall plant with bark",
            "Oak tree",
            "Oak tree - Plant Wiki",
        );
        assert_eq!(name.as_deref(), Some("Oak tree"));
        let headline = ld(
            "Oaks grow slowly in cold soil",
            "Plant Wiki",
            "Oaks grow slowly in cold soil",
        );
        assert_eq!(headline.as_deref(), Some("Oaks grow slowly in cold soil"));
    }

    #[test]
    fn trims_the_title_element_and_drops_the_site_name() {
        let trimmed = main("<title>Fences painted in a day | Garden | Joe</title>");
        assert_eq!(trimmed.as_deref(), Some("Fences painted in a day | Garden"));
        assert_eq!(
            main("<title>Fences - Daily News</title>").as_deref(),
            Some("Fences")
        );
    }

    #[test]
    fn keeps_the_title_element_suffix_as_a_hint_only() {
        let d = read(
            "<meta property='og:title' content='Fences painted in a day - Joe Blog'>\
             <title>Fences painted in a day - Joe Blog</title>",
        );
        let og = &d.0[0];
        assert_eq!(og.text, "Fences painted in a day - Joe Blog");
        assert_eq!(og.bare, "Fences painted in a day");
    }

    #[test]
    fn strips_site_suffixes_and_prefixes() {
        let url = Url::parse("https://www.newsfront.example/a/").unwrap();
        let t = |title, site| clean_title(title, site, &url);
        assert_eq!(t("Big news – Newsfront", Some("Newsfront")), "Big news");
        assert_eq!(t("Newsfront | Big news", Some("Newsfront")), "Big news");
        assert_eq!(t("Big news - newsfront.example", None), "Big news");
        assert_eq!(t("Big news - Newsfront", None), "Big news");
        assert_eq!(t("Left - right", None), "Left - right");
        assert_eq!(
            t(
                "Big news - News Front - All the news",
                Some("News Front - All the news")
            ),
            "Big news"
        );
        assert_eq!(t("Big news | The Front", Some("The Front -")), "Big news");
    }
}
