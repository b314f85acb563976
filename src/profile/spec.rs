//! The raw profile file as written (`site-profiles/*.toml`), before validation.
//!
//! These structs mirror the TOML one to one. Unknown keys are rejected here (the toml
//! crate names the key and the line); everything else is checked in `compile`.
//! The format is documented on the `profile` module.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, SeqAccess, Visitor};

/// A whole profile file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ProfileSpec {
    pub name: String,
    #[serde(default)]
    pub site_name: Option<String>,
    pub hosts: Vec<String>,
    #[serde(default)]
    pub article_urls: Vec<String>,
    #[serde(default)]
    pub select: SelectSpec,
    #[serde(default)]
    pub remove: RemoveSpec,
    #[serde(default)]
    pub crawl: Option<CrawlSection>,
}

/// `[select]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SelectSpec {
    #[serde(default)]
    pub title: OneOrMany,
    #[serde(default)]
    pub body: OneOrMany,
    #[serde(default)]
    pub authors: OneOrMany,
    #[serde(default)]
    pub published: OneOrMany,
    #[serde(default)]
    pub modified: OneOrMany,
    #[serde(default)]
    pub description: OneOrMany,
    #[serde(default)]
    pub image: OneOrMany,
    #[serde(default)]
    pub tags: OneOrMany,
}

/// `[remove]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RemoveSpec {
    #[serde(default)]
    pub selectors: Vec<String>,
    #[serde(default)]
    pub phrases: Vec<String>,
}

/// `[crawl]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CrawlSection {
    #[serde(default)]
    pub start_urls: Vec<String>,
    #[serde(default)]
    pub feeds: Vec<String>,
    #[serde(default)]
    pub sitemaps: Vec<String>,
    #[serde(default)]
    pub follow: Vec<String>,
    #[serde(default)]
    pub rate: Option<String>,
    #[serde(default)]
    pub max_pages: Option<u32>,
    #[serde(default)]
    pub max_depth: Option<u32>,
}

/// A `[select]` value: `"css"` or `["css", "css@attr", …]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl Default for OneOrMany {
    fn default() -> Self {
        OneOrMany::Many(Vec::new())
    }
}

impl OneOrMany {
    /// Each value with its field path: `select.title` for a single string,
    /// `select.title[0]`, `select.title[1]`, … for an array.
    pub fn entries<'a>(&'a self, field: &str) -> Vec<(String, &'a str)> {
        match self {
            OneOrMany::One(value) => vec![(field.to_owned(), value.as_str())],
            OneOrMany::Many(values) => values
                .iter()
                .enumerate()
                .map(|(i, value)| (format!("{field}[{i}]"), value.as_str()))
                .collect(),
        }
    }
}

impl<'de> Deserialize<'de> for OneOrMany {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct OneOrManyVisitor;

        impl<'de> Visitor<'de> for OneOrManyVisitor {
            type Value = OneOrMany;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string or an array of strings")
            }

            fn visit_str<E: de::Error>(self, value: &str) -> Result<OneOrMany, E> {
                Ok(OneOrMany::One(value.to_owned()))
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<OneOrMany, A::Error> {
                let mut values = Vec::new();
                while let Some(value) = seq.next_element::<String>()? {
                    values.push(value);
                }
                Ok(OneOrMany::Many(values))
            }
        }

        deserializer.deserialize_any(OneOrManyVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    struct Doc {
        v: OneOrMany,
    }

    fn parse(text: &str) -> Result<OneOrMany, toml::de::Error> {
        toml::from_str::<Doc>(text).map(|doc| doc.v)
    }

    #[test]
    fn one_or_many_accepts_a_string_or_an_array() {
        assert_eq!(parse(r#"v = "a""#).unwrap(), OneOrMany::One("a".into()));
        assert_eq!(
            parse(r#"v = ["a", "b"]"#).unwrap(),
            OneOrMany::Many(vec!["a".into(), "b".into()])
        );
        assert_eq!(parse("v = []").unwrap(), OneOrMany::Many(vec![]));
    }

    #[test]
    fn one_or_many_rejects_other_types() {
        let err = parse("v = 3").unwrap_err();
        assert!(
            err.message().contains("a string or an array of strings"),
            "{err}"
        );
        assert!(parse("v = [1]").is_err());
    }

    #[test]
    fn entries_name_their_field() {
        assert_eq!(
            OneOrMany::One("h1".into()).entries("select.title"),
            vec![("select.title".to_owned(), "h1")]
        );
        assert_eq!(
            OneOrMany::Many(vec!["a".into(), "b".into()]).entries("select.tags"),
            vec![
                ("select.tags[0]".to_owned(), "a"),
                ("select.tags[1]".to_owned(), "b")
            ]
        );
    }
}
