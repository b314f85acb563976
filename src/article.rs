//! The article: gleaner's output schema and public contract.
//!
//! One [`Article`] is written per page. Field names and shapes are versioned by
//! [`SCHEMA_VERSION`]; a change that renames, removes or retypes a field bumps it.
//! Dates are kept as the page gave them ([`PageDate`]): a timestamp keeps its UTC
//! offset and a date-only value stays a date, because converting to UTC can move an
//! article to another calendar day.
//!
//! The JSON Schema of these types (draft 2020-12) is generated from them by [`crate::schema`] and
//! committed at `schema/article.schema.json`; the doc comments below are its descriptions.

use std::borrow::Cow;

use chrono::{DateTime, FixedOffset, NaiveDate};
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Serialize};

/// The schema identifier every article carries in its `schema` field.
pub const SCHEMA_VERSION: &str = "gleaner.article/2";

/// A normalized article, as written by gleaner: one per page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Article {
    /// Schema identifier: `gleaner.article/<version>`; the version changes whenever a field is renamed,
    /// removed, added or retyped.
    #[schemars(extend("const" = SCHEMA_VERSION))]
    pub schema: String,
    /// The URL the page was read from (after redirects).
    pub url: String,
    /// `<link rel=canonical>` or `og:url`, resolved against `url`.
    pub canonical_url: Option<String>,
    pub site: Site,
    pub title: Option<String>,
    /// Author names, without "By" prefixes, roles or dates, in page order.
    pub authors: Vec<String>,
    pub published: Option<PageDate>,
    pub modified: Option<PageDate>,
    /// BCP 47 language tag as declared by the page, else ISO 639-1 from detection.
    pub language: Option<String>,
    pub description: Option<String>,
    /// Absolute URL of the lead image.
    pub image: Option<String>,
    pub tags: Vec<String>,
    /// The body, in document order.
    pub blocks: Vec<Block>,
    /// Plain text of `blocks`: one paragraph per block, separated by blank lines.
    pub text: String,
    /// Number of whitespace-separated words in `text`.
    pub word_count: usize,
    /// `sha256:` and the hex digest of `text`: equal text, equal hash.
    #[schemars(regex(pattern = r"^sha256:[0-9a-f]{64}$"))]
    pub content_hash: String,
    pub extraction: Extraction,
    /// How the page was fetched; `null` for pages read from a file.
    pub fetch: Option<FetchInfo>,
    /// Where the HTTP exchange behind the article is archived; `null` unless it was fetched (or replayed)
    /// with WARC archiving.
    #[serde(default)]
    pub capture: Option<CaptureRef>,
}

/// The site an article belongs to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Site {
    /// Display name (`og:site_name`, JSON-LD publisher, or the profile's `site_name`).
    pub name: Option<String>,
    /// Lower-case host of `url`.
    pub host: String,
}

/// One unit of body content, tagged by `type`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
#[schemars(deny_unknown_fields)]
pub enum Block {
    Paragraph {
        text: String,
    },
    Heading {
        /// 1 to 6, as in `<h1>`..`<h6>`.
        #[schemars(range(min = 1, max = 6))]
        level: u8,
        text: String,
    },
    List {
        ordered: bool,
        items: Vec<String>,
    },
    Quote {
        text: String,
    },
    Table {
        /// The `<caption>`, if any.
        caption: Option<String>,
        /// Header cells (`<th>` row), empty when the table has none.
        header: Vec<String>,
        rows: Vec<Vec<String>>,
    },
    Code {
        text: String,
    },
}

impl Block {
    /// The block's plain text, as it appears in [`Article::text`].
    pub fn plain_text(&self) -> String {
        match self {
            Block::Paragraph { text }
            | Block::Heading { text, .. }
            | Block::Quote { text }
            | Block::Code { text } => text.clone(),
            Block::List { items, .. } => items.join("\n"),
            Block::Table {
                caption,
                header,
                rows,
            } => caption
                .iter()
                .cloned()
                .chain(
                    std::iter::once(header)
                        .filter(|h| !h.is_empty())
                        .chain(rows.iter())
                        .map(|row| row.join("\t")),
                )
                .collect::<Vec<_>>()
                .join("\n"),
        }
    }
}

/// A date as the page stated it: a timestamp with its offset, or a calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageDate {
    DateTime(DateTime<FixedOffset>),
    Date(NaiveDate),
}

impl PageDate {
    /// The calendar day in the page's own offset.
    pub fn date(&self) -> NaiveDate {
        match self {
            PageDate::DateTime(dt) => dt.date_naive(),
            PageDate::Date(d) => *d,
        }
    }
}

impl std::fmt::Display for PageDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PageDate::DateTime(dt) => {
                write!(
                    f,
                    "{}",
                    dt.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
                )
            }
            PageDate::Date(d) => write!(f, "{}", d.format("%Y-%m-%d")),
        }
    }
}

impl std::str::FromStr for PageDate {
    type Err = chrono::ParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match DateTime::parse_from_rfc3339(s) {
            Ok(dt) => Ok(PageDate::DateTime(dt)),
            Err(e) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map(PageDate::Date)
                .map_err(|_| e),
        }
    }
}

impl JsonSchema for PageDate {
    fn schema_name() -> Cow<'static, str> {
        "PageDate".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "An RFC 3339 timestamp with the offset the page gave, or a calendar date \
                (`YYYY-MM-DD`) when the page gave a date only or a time without an offset.",
            "type": "string",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2}))?$"
        })
    }
}

impl Serialize for PageDate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PageDate {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// How the body was found and what was taken out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Extraction {
    /// Which step of the cascade produced the body.
    pub method: Method,
    /// Name of the site profile applied, if any.
    pub profile: Option<String>,
    /// Boilerplate removed from the body, counted by rule.
    pub removed: Vec<Removal>,
    /// Anything a reader of the archive should know (e.g. a profile selector that matched nothing).
    pub warnings: Vec<String>,
}

/// The step of the extraction cascade that produced the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// The site profile's `select.body` selector.
    Profile,
    /// Generic main-content detection.
    Generic,
    /// The page's JSON-LD `articleBody`, when the generic body held only part of it.
    JsonLd,
    /// Whole-page fallback after the other steps yielded too little.
    Fallback,
}

/// One removal rule and how many elements it took out of the body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Removal {
    /// `selector:<css>` or `phrase:<text>` , prefixed by `profile/` or `default/`.
    pub rule: String,
    pub count: usize,
}

/// The HTTP exchange behind an article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct FetchInfo {
    /// RFC 3339 UTC time the response was received, to the second (the `WARC-Date` of its record).
    #[schemars(regex(pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$"))]
    pub fetched_at: String,
    pub status: u16,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub content_type: Option<String>,
    /// The encoding the body was decoded with (WHATWG name).
    pub charset: String,
    /// Where the charset came from: `bom`, `header`, `meta`, `detected` or `default`.
    #[schemars(extend("enum" = ["bom", "header", "meta", "detected", "default"]))]
    pub charset_source: String,
}

/// Where the HTTP exchange behind an article is archived: a WARC file and a record in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct CaptureRef {
    /// The WARC file's name (no folder), e.g. `gleaner-20261124180000123-00000.warc.gz`.
    pub warc_file: String,
    /// The `WARC-Record-ID` of the response record, exactly as in the file (`<urn:uuid:…>`). When the
    /// payload was identical to an earlier capture this is a `revisit` record; see `refers_to`.
    pub record_id: String,
    /// For a revisit record: the `WARC-Record-ID` of the earlier response record holding the payload, when
    /// known; `null` for a response record.
    pub refers_to: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_date_round_trips_with_offset_and_date_only() {
        for s in ["2024-06-20T10:15:00+03:00", "2024-06-20"] {
            let d: PageDate = s.parse().unwrap();
            assert_eq!(d.to_string(), s);
        }
        let d: PageDate = "2024-06-20T23:30:00-05:00".parse().unwrap();
        assert_eq!(d.date(), NaiveDate::from_ymd_opt(2024, 6, 20).unwrap());
        assert!("20/06/2024".parse::<PageDate>().is_err());
    }
}
