//! Discovery: the URLs a fetched body points to.
//!
//! - [`links`]: `<a href>` and `<area href>` of an HTML page, resolved against `<base href>` or the page
//!   URL; `rel=nofollow` links are skipped.
//! - [`parse_listing`]: a sitemap or a feed, told apart by the root element, gunzipped first when the body
//!   is gzip (`.xml.gz` served as a file rather than with `Content-Encoding`):
//!   - `<sitemapindex>`: child sitemaps (`sitemap/loc`);
//!   - `<urlset>`: pages (`url/loc`); news and image sitemaps are urlsets with extra children, so
//!     their `loc`s are read the same way;
//!   - `<rss>`, `<feed>` (Atom), `<rdf:RDF>` (RSS 1.0) or a JSON feed: each entry's link, parsed by feed-rs.
//!
//!   Each entry keeps its modification time when the listing gives one (a sitemap's `lastmod`, a feed
//!   entry's `updated`), read by [`super::lastmod`].
//!
//! Sitemaps are read with quick-xml's streaming reader (the `sitemap` crate is unmaintained); feeds with
//! feed-rs, which knows every RSS and Atom dialect. Both are pure functions of the bytes, run on the
//! blocking pool by the driver.

use std::borrow::Cow;
use std::io::Read;
use std::sync::LazyLock;

use chrono::{DateTime, Utc};
use quick_xml::events::Event;
use quick_xml::reader::Reader;
use scraper::{Html, Selector};
use url::Url;

/// Most entries read from one sitemap (the sitemaps.org limit).
pub const MAX_SITEMAP_ENTRIES: usize = 50_000;

/// Why a listing could not be read.
#[derive(Debug, thiserror::Error)]
pub enum DiscoveryError {
    #[error("{url}: not a sitemap or feed (root element {root:?})")]
    NotAListing { url: Url, root: String },
    #[error("{url}: invalid sitemap XML")]
    Xml {
        url: Url,
        #[source]
        source: Box<quick_xml::Error>,
    },
    #[error("{url}: invalid feed")]
    Feed {
        url: Url,
        #[source]
        source: Box<feed_rs::parser::ParseFeedError>,
    },
    #[error("{url}: cannot gunzip the body")]
    Gzip {
        url: Url,
        #[source]
        source: std::io::Error,
    },
    #[error("{url}: larger than {limit} bytes once decompressed")]
    TooLarge { url: Url, limit: u64 },
}

impl DiscoveryError {
    /// A short stable reason code for reports.
    pub fn kind(&self) -> &'static str {
        match self {
            DiscoveryError::NotAListing { .. } => "not_a_listing",
            DiscoveryError::Xml { .. } => "invalid_xml",
            DiscoveryError::Feed { .. } => "invalid_feed",
            DiscoveryError::Gzip { .. } => "gzip",
            DiscoveryError::TooLarge { .. } => "too_large",
        }
    }
}

/// What a listing points to (absolute URLs, not yet canonical or scoped).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Listing {
    /// What kind of listing it was: `sitemapindex`, `urlset` or `feed`.
    pub format: &'static str,
    /// Child sitemaps (from a sitemap index).
    pub sitemaps: Vec<Entry>,
    /// Pages (from a urlset or a feed).
    pub pages: Vec<Entry>,
}

/// One URL a listing names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub url: Url,
    /// When the listing says it last changed: the latest instant its `lastmod` or `updated` can mean.
    pub lastmod: Option<DateTime<Utc>>,
}

static LINKS: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("a[href], area[href]").expect("valid selector"));
static BASE: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("base[href]").expect("valid selector"));

/// The followable links of an HTML page, absolute, in document order (duplicates kept).
pub fn links(html: &str, page_url: &Url) -> Vec<Url> {
    let doc = Html::parse_document(html);
    let base = doc
        .select(&BASE)
        .next()
        .and_then(|b| b.value().attr("href"))
        .and_then(|href| page_url.join(href.trim()).ok())
        .unwrap_or_else(|| page_url.clone());
    doc.select(&LINKS)
        .filter(|a| {
            !a.value().attr("rel").is_some_and(|rel| {
                rel.split_ascii_whitespace()
                    .any(|r| r.eq_ignore_ascii_case("nofollow"))
            })
        })
        .filter_map(|a| a.value().attr("href"))
        .filter_map(|href| base.join(href.trim()).ok())
        .filter(|url| matches!(url.scheme(), "http" | "https"))
        .collect()
}

/// Reads a sitemap or feed fetched from `url`. `max_bytes` caps the decompressed size of a gzip body.
pub fn parse_listing(body: &[u8], url: &Url, max_bytes: u64) -> Result<Listing, DiscoveryError> {
    let body = gunzip_if_needed(body, url, max_bytes)?;
    let text = String::from_utf8_lossy(&body);
    let text = text.trim_start_matches('\u{feff}');
    if text.trim_start().starts_with('{') {
        return parse_feed(&body, url);
    }
    match root_element(text, url)?.as_str() {
        "sitemapindex" => Ok(Listing {
            format: "sitemapindex",
            sitemaps: locs(text, url, "sitemap")?,
            pages: Vec::new(),
        }),
        "urlset" => Ok(Listing {
            format: "urlset",
            sitemaps: Vec::new(),
            pages: locs(text, url, "url")?,
        }),
        "rss" | "feed" | "RDF" => parse_feed(&body, url),
        root => Err(DiscoveryError::NotAListing {
            url: url.clone(),
            root: root.to_string(),
        }),
    }
}

fn gunzip_if_needed<'a>(
    body: &'a [u8],
    url: &Url,
    max_bytes: u64,
) -> Result<Cow<'a, [u8]>, DiscoveryError> {
    if !body.starts_with(&[0x1f, 0x8b]) {
        return Ok(Cow::Borrowed(body));
    }
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(body)
        .take(max_bytes + 1)
        .read_to_end(&mut out)
        .map_err(|source| DiscoveryError::Gzip {
            url: url.clone(),
            source,
        })?;
    if out.len() as u64 > max_bytes {
        return Err(DiscoveryError::TooLarge {
            url: url.clone(),
            limit: max_bytes,
        });
    }
    Ok(Cow::Owned(out))
}

fn xml_error(url: &Url) -> impl Fn(quick_xml::Error) -> DiscoveryError + '_ {
    move |source| DiscoveryError::Xml {
        url: url.clone(),
        source: Box::new(source),
    }
}

/// The local name of the document's root element.
fn root_element(text: &str, url: &Url) -> Result<String, DiscoveryError> {
    let mut reader = Reader::from_str(text);
    loop {
        match reader.read_event().map_err(xml_error(url))? {
            Event::Start(e) | Event::Empty(e) => {
                return Ok(e.local_name().as_ref().to_string());
            }
            Event::Eof => {
                return Err(DiscoveryError::NotAListing {
                    url: url.clone(),
                    root: String::new(),
                });
            }
            _ => {}
        }
    }
}

/// The `<loc>` and `<lastmod>` of each `<entry>` element (`url` or `sitemap`), resolved against `url`.
fn locs(text: &str, url: &Url, entry: &str) -> Result<Vec<Entry>, DiscoveryError> {
    let mut reader = Reader::from_str(text);
    let mut out = Vec::new();
    // The element path below the root, by local name.
    let mut path: Vec<String> = Vec::new();
    // The text of the `loc` or `lastmod` being read, and what the current entry has so far.
    let mut field: Option<String> = None;
    let (mut loc, mut lastmod): (Option<String>, Option<String>) = (None, None);
    loop {
        match reader.read_event().map_err(xml_error(url))? {
            Event::Start(e) => {
                let name = e.local_name().as_ref().to_string();
                if path.len() == 1 && name == entry {
                    (loc, lastmod) = (None, None);
                }
                if (name == "loc" || name == "lastmod") && path.len() == 2 && path[1] == entry {
                    field = Some(String::new());
                }
                path.push(name);
            }
            Event::End(_) => {
                let closed = path.pop();
                match (closed.as_deref(), field.take()) {
                    (Some("loc"), Some(text)) => loc = Some(text),
                    (Some("lastmod"), Some(text)) => lastmod = Some(text),
                    (_, pending) => field = pending,
                }
                if path.len() == 1 && closed.as_deref() == Some(entry) {
                    let found = loc.take().and_then(|l| url.join(l.trim()).ok());
                    if let Some(found) = found {
                        out.push(Entry {
                            url: found,
                            lastmod: lastmod.take().as_deref().and_then(super::lastmod::parse),
                        });
                        if out.len() >= MAX_SITEMAP_ENTRIES {
                            break;
                        }
                    }
                }
            }
            Event::Text(t) => {
                if let Some(field) = &mut field {
                    field.push_str(&t.into_inner());
                }
            }
            Event::CData(t) => {
                if let Some(field) = &mut field {
                    field.push_str(&t.into_inner());
                }
            }
            Event::GeneralRef(r) => {
                if let Some(field) = &mut field {
                    if let Ok(Some(c)) = r.resolve_char_ref() {
                        field.push(c);
                    } else if let Some(s) = quick_xml::escape::resolve_predefined_entity(&r) {
                        field.push_str(s);
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

fn parse_feed(body: &[u8], url: &Url) -> Result<Listing, DiscoveryError> {
    let feed = feed_rs::parser::Builder::new()
        .base_uri(Some(url.as_str()))
        .build()
        .parse(body)
        .map_err(|source| DiscoveryError::Feed {
            url: url.clone(),
            source: Box::new(source),
        })?;
    let pages = feed
        .entries
        .iter()
        .filter_map(|entry| {
            let link = entry
                .links
                .iter()
                .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
                .or_else(|| entry.links.first())?;
            Some(Entry {
                url: url.join(link.href.trim()).ok()?,
                lastmod: entry.updated,
            })
        })
        .collect();
    Ok(Listing {
        format: "feed",
        sitemaps: Vec::new(),
        pages,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn base() -> Url {
        Url::parse("http://a.test/dir/page").expect("url")
    }

    fn strings(entries: &[Entry]) -> Vec<&str> {
        entries.iter().map(|e| e.url.as_str()).collect()
    }

    fn lastmods(entries: &[Entry]) -> Vec<Option<String>> {
        entries
            .iter()
            .map(|e| e.lastmod.as_ref().map(crate::crawl::lastmod::format))
            .collect()
    }

    #[test]
    fn links_resolve_against_base_and_skip_nofollow() {
        let html = r#"<html><head><base href="/root/"></head><body>
            <a href="a">A</a> <a href="http://b.test/x#f">B</a> <a rel="nofollow ugc" href="/no">N</a>
            <a href="mailto:x@a.test">M</a> <area href="/map"> <a>none</a></body></html>"#;
        let found = links(html, &base());
        assert_eq!(
            found.iter().map(Url::as_str).collect::<Vec<_>>(),
            [
                "http://a.test/root/a",
                "http://b.test/x#f",
                "http://a.test/map"
            ]
        );
    }

    #[test]
    fn sitemap_index_and_urlset_with_news_and_entities() {
        let index = br#"<?xml version="1.0" encoding="UTF-8"?>
            <sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
              <sitemap><loc>http://a.test/s1.xml</loc><lastmod>2024-01-01</lastmod></sitemap>
              <sitemap><loc> /s2.xml.gz </loc></sitemap>
            </sitemapindex>"#;
        let listing = parse_listing(index, &base(), 1 << 20).expect("index");
        assert_eq!(listing.format, "sitemapindex");
        assert_eq!(
            strings(&listing.sitemaps),
            ["http://a.test/s1.xml", "http://a.test/s2.xml.gz"]
        );
        assert_eq!(
            lastmods(&listing.sitemaps),
            [Some("2024-01-02T12:00:00Z".to_string()), None]
        );

        let news = br#"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
                xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"
                xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
              <url><loc>http://a.test/n?a=1&amp;b=2</loc>
                <news:news><news:title>T</news:title></news:news>
                <image:image><image:loc>http://a.test/img.jpg</image:loc></image:image></url>
              <url><lastmod>not a date</lastmod><loc><![CDATA[http://a.test/c]]></loc></url>
              <url><lastmod>2024-03-01T10:00:00+01:00</lastmod><loc>http://a.test/d</loc>
                <news:news><news:lastmod>1999-01-01</news:lastmod></news:news></url>
              <url><lastmod>2024-03-01</lastmod></url>
            </urlset>"#;
        let listing = parse_listing(news, &base(), 1 << 20).expect("urlset");
        assert_eq!(listing.format, "urlset");
        assert_eq!(
            strings(&listing.pages),
            [
                "http://a.test/n?a=1&b=2",
                "http://a.test/c",
                "http://a.test/d"
            ]
        );
        // An unreadable lastmod is none; a nested one is not the entry's; an entry without a
        // `loc` gives nothing, not even its lastmod to the next entry.
        assert_eq!(
            lastmods(&listing.pages),
            [None, None, Some("2024-03-01T09:00:00Z".to_string())]
        );
    }

    #[test]
    fn gzip_bodies_are_inflated_under_a_cap() {
        let xml = b"<urlset><url><loc>http://a.test/z</loc></url></urlset>";
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(xml).expect("gzip");
        let gz = gz.finish().expect("gzip");
        let listing = parse_listing(&gz, &base(), 1 << 20).expect("gz urlset");
        assert_eq!(strings(&listing.pages), ["http://a.test/z"]);
        assert!(matches!(
            parse_listing(&gz, &base(), 10),
            Err(DiscoveryError::TooLarge { .. })
        ));
    }

    #[test]
    fn rss_and_atom_feeds() {
        let rss = br#"<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
            <item><title>One</title><link>http://a.test/one</link></item>
            <item><title>Two</title><link>/two</link></item></channel></rss>"#;
        let listing = parse_listing(rss, &base(), 1 << 20).expect("rss");
        assert_eq!(listing.format, "feed");
        assert_eq!(
            strings(&listing.pages),
            ["http://a.test/one", "http://a.test/two"]
        );
        let atom = br#"<?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><id>urn:x</id>
            <updated>2024-01-01T00:00:00Z</updated>
            <entry><title>A</title><id>urn:a</id><updated>2024-01-01T00:00:00Z</updated>
              <link rel="self" href="http://a.test/self"/><link href="http://a.test/atom-a"/></entry>
            </feed>"#;
        let listing = parse_listing(atom, &base(), 1 << 20).expect("atom");
        assert_eq!(strings(&listing.pages), ["http://a.test/atom-a"]);
        assert_eq!(
            lastmods(&listing.pages),
            [Some("2024-01-01T00:00:00Z".to_string())]
        );
    }

    #[test]
    fn other_documents_are_not_listings() {
        let err = parse_listing(b"<html><body>hi</body></html>", &base(), 1 << 20).unwrap_err();
        assert_eq!(err.kind(), "not_a_listing");
    }
}
