//! The metadata cascade: title, authors, dates, language, site name,
//! description, image, tags and canonical URL.
//!
//! Each field is read from the first source that has it: the site profile's
//! selectors, then JSON-LD, then `<meta>` tags, then the visible page. Values
//! are normalized here (names without "By", dates parsed keeping their
//! offset); titles are chosen by [`title`] from [`declared_title`](super::declared_title).
//! Which date source wins, and when a re-dated page is published on the day
//! it shows, is decided in `dates`.

use std::collections::HashMap;
use std::sync::LazyLock;

use scraper::{ElementRef, Html, Selector};
use url::Url;

use super::attrs::attr;
use super::authors::{byline_names, choose as choose_authors};
use super::dates::PageTimes;
use super::declared_title::Declared;
use super::declared_title::clean_title;
use super::jsonld::JsonLd;
use super::landmarks::Landmarks;
use super::rules::compile;
use super::title;
use crate::article::PageDate;
use crate::normalize::clean_encoded_text;
use crate::profile::{FieldRule, Profile};

static HTML: LazyLock<Selector> = LazyLock::new(|| compile("html[lang]"));
static CANONICAL: LazyLock<Selector> = LazyLock::new(|| compile("link[rel~=canonical][href]"));
static TAG_LINKS: LazyLock<Selector> = LazyLock::new(|| compile("a[rel~=tag]"));

/// Everything about the article that is not its body.
#[derive(Debug, Default)]
pub(crate) struct Metadata {
    pub title: Option<String>,
    pub authors: Vec<String>,
    pub published: Option<PageDate>,
    pub modified: Option<PageDate>,
    pub language: Option<String>,
    pub description: Option<String>,
    pub image: Option<String>,
    pub tags: Vec<String>,
    pub site_name: Option<String>,
    pub canonical_url: Option<String>,
    /// JSON-LD `articleBody`, raw: a hint for the body cascade.
    pub article_body: Option<String>,
    /// A JSON-LD `Recipe`'s ingredient lines and steps (two groups, possibly
    /// empty): printed recipe blocks the body must keep.
    pub recipe: Vec<Vec<String>>,
}

/// `<meta>` tags by lower-cased `name`/`property`/`itemprop`, all values kept in order.
struct Metas(HashMap<String, Vec<String>>);

impl Metas {
    fn new(marks: &Landmarks<'_>) -> Self {
        let mut map: HashMap<String, Vec<String>> = HashMap::new();
        for m in &marks.metas {
            let e = m.value();
            let Some(content) = attr(e, "content").map(str::trim).filter(|c| !c.is_empty()) else {
                continue;
            };
            for key in [attr(e, "property"), attr(e, "name"), attr(e, "itemprop")]
                .into_iter()
                .flatten()
            {
                map.entry(key.trim().to_ascii_lowercase())
                    .or_default()
                    .push(content.to_string());
            }
        }
        Metas(map)
    }

    fn first(&self, keys: &[&str]) -> Option<String> {
        keys.iter()
            .find_map(|k| self.0.get(*k).and_then(|v| v.first()).cloned())
    }

    /// Values of date-like keys, which may be local timestamps without an offset.
    fn local_time_values(&self) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| ["date", "time", "publish"].iter().any(|w| k.contains(w)))
            .flat_map(|(_, v)| v.iter().cloned())
            .collect()
    }

    fn all(&self, key: &str) -> &[String] {
        self.0.get(key).map_or(&[], Vec::as_slice)
    }
}

const PUBLISHED_METAS: &[&str] = &[
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "publication_date",
    "sailthru.date",
    "parsely-pub-date",
    "dc.date.issued",
    "dcterms.created",
    "dc.date",
    "citation_publication_date",
    "date",
];
const MODIFIED_METAS: &[&str] = &[
    "article:modified_time",
    "og:updated_time",
    "datemodified",
    "dcterms.modified",
    "last-modified",
];
const AUTHOR_METAS: &[&str] = &[
    "author",
    "article:author",
    "parsely-author",
    "sailthru.author",
    "dc.creator",
    "citation_author",
    "byl",
];

/// Reads the metadata cascade.
pub(crate) fn read(
    doc: &Html,
    url: &Url,
    profile: Option<&Profile>,
    warnings: &mut Vec<String>,
) -> Metadata {
    let marks = Landmarks::new(doc);
    let headline = marks.headline().map(|h| h.id());
    let metas = Metas::new(&marks);
    let ld = JsonLd::read(&marks);
    let select = profile.map(|p| &p.select);
    let from_profile = |rules: Option<&Vec<FieldRule>>, field: &str, warnings: &mut Vec<String>| {
        let rules = rules.filter(|r| !r.is_empty())?;
        let found = first_value(doc, rules);
        if found.is_none() {
            let name = profile.map_or("", |p| p.name.as_str());
            warnings.push(format!(
                "profile {name}: select.{field} matched nothing; used generic rules"
            ));
        }
        found
    };

    let site_name = profile
        .and_then(|p| p.site_name.clone())
        .or_else(|| metas.first(&["og:site_name", "application-name"]))
        .or_else(|| ld.publisher_name())
        .map(|s| clean_encoded_text(&s));

    let title = from_profile(select.map(|s| &s.title), "title", warnings)
        .map(|t| clean_title(&clean_encoded_text(&t), site_name.as_deref(), url))
        .or_else(|| {
            let declared = Declared::read(doc, &marks, &ld, site_name.as_deref(), url);
            title::choose(&marks, &declared, site_name.as_deref(), url)
        })
        .filter(|t| !t.is_empty());

    let authors = match select.filter(|s| !s.authors.is_empty()) {
        Some(s) => {
            let found = all_values(doc, &s.authors);
            if found.is_empty() {
                let name = profile.map_or("", |p| p.name.as_str());
                warnings.push(format!(
                    "profile {name}: select.authors matched nothing; used generic rules"
                ));
            }
            found
        }
        None => Vec::new(),
    };
    let site = site_name.as_deref();
    let authors = choose_authors(
        [
            Box::new(|| authors) as Box<dyn FnOnce() -> Vec<String>>,
            Box::new(|| ld.authors()),
            Box::new(|| {
                AUTHOR_METAS
                    .iter()
                    .flat_map(|k| metas.all(k).iter().cloned())
                    .filter(|a| !a.starts_with("http"))
                    .collect()
            }),
            Box::new(|| byline_names(doc, headline)),
        ],
        site,
    );

    let times = PageTimes::read(doc, headline, &metas.local_time_values());
    let mut structured: Vec<String> =
        from_profile(select.map(|s| &s.published), "published", warnings)
            .into_iter()
            .collect();
    structured.extend(ld.str("datePublished"));
    structured.extend(PUBLISHED_METAS.iter().filter_map(|k| metas.first(&[k])));
    let published = times.published(&structured, url);
    let mut structured: Vec<String> =
        from_profile(select.map(|s| &s.modified), "modified", warnings)
            .into_iter()
            .collect();
    structured.extend(ld.str("dateModified"));
    structured.extend(MODIFIED_METAS.iter().filter_map(|k| metas.first(&[k])));
    let modified = times.modified(&structured);
    let published = times.shown(published, modified);

    let language = marks
        .htmls
        .iter()
        .find(|h| HTML.matches(h))
        .and_then(|h| h.value().attr("lang"))
        .map(str::to_string)
        .or_else(|| metas.first(&["content-language", "og:locale", "language", "dc.language"]))
        .or_else(|| ld.language())
        .and_then(|l| normalize_language(&l));

    let description = from_profile(select.map(|s| &s.description), "description", warnings)
        .or_else(|| metas.first(&["og:description", "description", "twitter:description"]))
        .or_else(|| ld.str("description"))
        .map(|d| clean_encoded_text(&d))
        .filter(|d| !d.is_empty());

    let image = from_profile(select.map(|s| &s.image), "image", warnings)
        .or_else(|| {
            metas.first(&[
                "og:image",
                "og:image:url",
                "og:image:secure_url",
                "twitter:image",
                "twitter:image:src",
            ])
        })
        .or_else(|| ld.image())
        .and_then(|i| absolute_url(url, &i));

    let tags = match select.filter(|s| !s.tags.is_empty()) {
        Some(s) => all_values(doc, &s.tags),
        None => Vec::new(),
    };
    let tags = Some(tags)
        .filter(|t| !t.is_empty())
        .or_else(|| Some(metas.all("article:tag").to_vec()).filter(|t| !t.is_empty()))
        .or_else(|| Some(ld.keywords()).filter(|t| !t.is_empty()))
        .unwrap_or_else(|| doc.select(&TAG_LINKS).map(|a| a.text().collect()).collect());
    let tags = dedup(
        tags.iter()
            .map(|t| clean_encoded_text(t))
            .filter(|t| !t.is_empty()),
    );

    let canonical_url = marks
        .links
        .iter()
        .find(|l| CANONICAL.matches(l))
        .and_then(|l| l.value().attr("href"))
        .map(str::to_string)
        .or_else(|| metas.first(&["og:url"]))
        .and_then(|c| absolute_url(url, &c));

    Metadata {
        title,
        authors,
        published,
        modified,
        language,
        description,
        image,
        tags,
        site_name,
        canonical_url,
        article_body: ld.str("articleBody"),
        recipe: {
            let (ingredients, steps) = ld.recipe();
            vec![ingredients, steps]
        },
    }
}

/// The first non-empty value of a list of field rules.
fn first_value(doc: &Html, rules: &[FieldRule]) -> Option<String> {
    rules.iter().find_map(|r| {
        doc.select(&r.rule.selector)
            .find_map(|el| field_value(el, r))
    })
}

/// Every value of the first rule that yields any.
fn all_values(doc: &Html, rules: &[FieldRule]) -> Vec<String> {
    rules
        .iter()
        .map(|r| {
            doc.select(&r.rule.selector)
                .filter_map(|el| field_value(el, r))
                .collect::<Vec<_>>()
        })
        .find(|v| !v.is_empty())
        .unwrap_or_default()
}

fn field_value(el: ElementRef<'_>, rule: &FieldRule) -> Option<String> {
    let raw = match &rule.attr {
        Some(attr) => el.value().attr(attr)?.to_string(),
        None => el.text().collect::<String>(),
    };
    Some(raw).filter(|v| !v.trim().is_empty())
}

/// BCP 47 casing: "en_us" → "en-US", "EN" → "en".
pub(crate) fn normalize_language(raw: &str) -> Option<String> {
    let raw = raw.split(',').next()?.trim().replace('_', "-");
    let mut parts = raw.split('-').filter(|p| !p.is_empty());
    let primary = parts.next()?.to_ascii_lowercase();
    if !(2..=3).contains(&primary.len()) || !primary.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let mut out = primary;
    for p in parts {
        out.push('-');
        match p.len() {
            2 => out.push_str(&p.to_ascii_uppercase()),
            4 => {
                let mut c = p.chars();
                if let Some(f) = c.next() {
                    out.push(f.to_ascii_uppercase());
                    out.push_str(&c.as_str().to_ascii_lowercase());
                }
            }
            _ => out.push_str(&p.to_ascii_lowercase()),
        }
    }
    Some(out)
}

/// An absolute http(s) URL, resolved against the page.
pub(crate) fn absolute_url(base: &Url, href: &str) -> Option<String> {
    let href = clean_encoded_text(href);
    let url = base.join(&href).ok()?;
    matches!(url.scheme(), "http" | "https").then(|| url.to_string())
}

fn dedup(items: impl Iterator<Item = String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    items.filter(|i| seen.insert(i.to_lowercase())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_language_tags() {
        assert_eq!(normalize_language("en_us").as_deref(), Some("en-US"));
        assert_eq!(normalize_language("EN").as_deref(), Some("en"));
        assert_eq!(
            normalize_language("zh-hant-tw").as_deref(),
            Some("zh-Hant-TW")
        );
        assert_eq!(normalize_language("x"), None);
    }
}
