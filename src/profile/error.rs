//! `ProfileError`: everything that can be wrong with a profile file or folder.
//!
//! Every variant carries the file (or folder) path. Field-level variants also
//! carry the field as a path into the document (`select.authors[1]`,
//! `crawl.rate`) and the offending value, so a message alone is enough to find
//! and fix the problem. Underlying errors are kept typed and are shown in the
//! message itself (not chained as `source()`, which would print them twice).

use std::fmt;
use std::path::{Path, PathBuf};

use scraper::error::SelectorErrorKind;

use super::rate::RateError;

/// An error in a profile file or in the profile folder.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ProfileError {
    /// The profile folder is missing or cannot be listed.
    #[error("{}: cannot read profile folder: {error}", path.display())]
    ReadDir {
        path: PathBuf,
        error: std::io::Error,
    },

    /// A profile file cannot be read (or is not UTF-8).
    #[error("{}: cannot read profile: {error}", path.display())]
    ReadFile {
        path: PathBuf,
        error: std::io::Error,
    },

    /// TOML syntax error, unknown key, missing required key or wrong value type.
    #[error("{}: invalid profile: {}{}", path.display(), error.message().trim_end(), AtLine(*line))]
    Toml {
        path: PathBuf,
        /// 1-based line of the problem, when the TOML parser knows it.
        line: Option<usize>,
        error: Box<toml::de::Error>,
    },

    /// `name` is not of the form `[a-z0-9][a-z0-9_-]*`.
    #[error(
        "{}: name: invalid profile name {value:?}: use lower-case letters, digits, '-' and '_', \
         starting with a letter or digit",
        path.display()
    )]
    InvalidName { path: PathBuf, value: String },

    /// `hosts` is empty.
    #[error("{}: hosts: at least one host is required", path.display())]
    NoHosts { path: PathBuf },

    /// A host that does not parse as a host name or IP address.
    #[error("{}: {field}: invalid host {value:?}: {error}", path.display())]
    InvalidHost {
        path: PathBuf,
        field: String,
        value: String,
        error: url::ParseError,
    },

    /// A `*` anywhere but a leading `*.`.
    #[error(
        "{}: {field}: invalid host {value:?}: a wildcard host must look like \"*.example.com\"",
        path.display()
    )]
    InvalidWildcard {
        path: PathBuf,
        field: String,
        value: String,
    },

    /// A CSS selector that does not parse.
    #[error("{}: {field}: invalid CSS selector {value:?}: {error}", path.display())]
    InvalidSelector {
        path: PathBuf,
        field: String,
        value: String,
        error: CssError,
    },

    /// `select.body` with an `@attr` suffix: the body is an element, not a string.
    #[error(
        "{}: {field}: {value:?} takes an attribute, but the body must be a plain CSS selector",
        path.display()
    )]
    AttrOnBody {
        path: PathBuf,
        field: String,
        value: String,
    },

    /// A regular expression that does not compile.
    #[error("{}: {field}: invalid regex {value:?}: {}", path.display(), RegexReason(error))]
    InvalidRegex {
        path: PathBuf,
        field: String,
        value: String,
        error: regex::Error,
    },

    /// A URL that does not parse (relative URLs included).
    #[error("{}: {field}: invalid URL {value:?}: {error}", path.display())]
    InvalidUrl {
        path: PathBuf,
        field: String,
        value: String,
        error: url::ParseError,
    },

    /// A URL whose scheme is not http or https.
    #[error("{}: {field}: {value:?} is not an http(s) URL", path.display())]
    NotHttpUrl {
        path: PathBuf,
        field: String,
        value: String,
    },

    /// A `crawl.rate` that does not parse.
    #[error("{}: {field}: invalid rate {value:?}: {error}", path.display())]
    InvalidRate {
        path: PathBuf,
        field: String,
        value: String,
        error: RateError,
    },

    /// An empty or blank phrase in `remove.phrases`.
    #[error("{}: {field}: empty phrase {value:?}", path.display())]
    EmptyPhrase {
        path: PathBuf,
        field: String,
        value: String,
    },

    /// A number that must be at least 1 (`crawl.max_pages`).
    #[error("{}: {field}: {value} is out of range: must be at least 1", path.display())]
    NotPositive {
        path: PathBuf,
        field: String,
        value: String,
    },

    /// Two files declare the same `name`.
    #[error(
        "{}: name: duplicate profile name {value:?}, already used by {}",
        path.display(),
        other.display()
    )]
    DuplicateName {
        path: PathBuf,
        value: String,
        /// The earlier file that uses the name.
        other: PathBuf,
    },

    /// Two files claim the same host and at least one has no `article_urls`.
    #[error(
        "{}: hosts: host {value:?} is also claimed by {}; two profiles may share a host \
         only if both set article_urls",
        path.display(),
        other.display()
    )]
    DuplicateHost {
        path: PathBuf,
        value: String,
        /// The earlier file that claims the host.
        other: PathBuf,
    },
}

impl ProfileError {
    /// The profile file (or folder) the error is about.
    pub fn path(&self) -> &Path {
        match self {
            Self::ReadDir { path, .. }
            | Self::ReadFile { path, .. }
            | Self::Toml { path, .. }
            | Self::InvalidName { path, .. }
            | Self::NoHosts { path }
            | Self::InvalidHost { path, .. }
            | Self::InvalidWildcard { path, .. }
            | Self::InvalidSelector { path, .. }
            | Self::AttrOnBody { path, .. }
            | Self::InvalidRegex { path, .. }
            | Self::InvalidUrl { path, .. }
            | Self::NotHttpUrl { path, .. }
            | Self::InvalidRate { path, .. }
            | Self::EmptyPhrase { path, .. }
            | Self::NotPositive { path, .. }
            | Self::DuplicateName { path, .. }
            | Self::DuplicateHost { path, .. } => path,
        }
    }

    /// The field the error is about (`select.authors[1]`), if it is about one.
    pub fn field(&self) -> Option<&str> {
        match self {
            Self::InvalidName { .. } | Self::DuplicateName { .. } => Some("name"),
            Self::NoHosts { .. } | Self::DuplicateHost { .. } => Some("hosts"),
            Self::InvalidHost { field, .. }
            | Self::InvalidWildcard { field, .. }
            | Self::InvalidSelector { field, .. }
            | Self::AttrOnBody { field, .. }
            | Self::InvalidRegex { field, .. }
            | Self::InvalidUrl { field, .. }
            | Self::NotHttpUrl { field, .. }
            | Self::InvalidRate { field, .. }
            | Self::EmptyPhrase { field, .. }
            | Self::NotPositive { field, .. } => Some(field),
            Self::ReadDir { .. } | Self::ReadFile { .. } | Self::Toml { .. } => None,
        }
    }

    /// The offending value, if the error is about one.
    pub fn value(&self) -> Option<&str> {
        match self {
            Self::InvalidName { value, .. }
            | Self::InvalidHost { value, .. }
            | Self::InvalidWildcard { value, .. }
            | Self::InvalidSelector { value, .. }
            | Self::AttrOnBody { value, .. }
            | Self::InvalidRegex { value, .. }
            | Self::InvalidUrl { value, .. }
            | Self::NotHttpUrl { value, .. }
            | Self::InvalidRate { value, .. }
            | Self::EmptyPhrase { value, .. }
            | Self::NotPositive { value, .. }
            | Self::DuplicateName { value, .. }
            | Self::DuplicateHost { value, .. } => Some(value),
            Self::ReadDir { .. }
            | Self::ReadFile { .. }
            | Self::Toml { .. }
            | Self::NoHosts { .. } => None,
        }
    }

    /// Wraps a TOML error, locating it in `text`.
    pub(crate) fn toml(path: &Path, text: &str, error: toml::de::Error) -> Self {
        // "missing field `name`" comes with an empty span at offset 0: no useful line.
        let line = error
            .span()
            .filter(|span| !(span.start == 0 && span.is_empty()))
            .map(|span| line_of(text, span.start));
        Self::Toml {
            path: path.to_path_buf(),
            line,
            error: Box::new(error),
        }
    }
}

/// 1-based line number of byte offset `offset` in `text`.
fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    1 + text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
}

/// Formats `" at line N"`, or nothing.
struct AtLine(Option<usize>);

impl fmt::Display for AtLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(line) => write!(f, " at line {line}"),
            None => Ok(()),
        }
    }
}

/// A regex error on one line: for syntax errors, only the `error: …` line of the
/// multi-line message (the pattern and caret are dropped; the value is shown anyway).
struct RegexReason<'a>(&'a regex::Error);

impl fmt::Display for RegexReason<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            regex::Error::Syntax(text) => {
                let reason = text
                    .lines()
                    .rev()
                    .find_map(|line| line.strip_prefix("error: "));
                f.write_str(reason.unwrap_or(text).trim())
            }
            other => write!(f, "{other}"),
        }
    }
}

/// Why a CSS selector did not parse: scraper's error with a one-line, readable message
/// (scraper's own `Display` dumps a multi-line debug form for most selector-level errors).
#[derive(Debug, Clone)]
pub struct CssError(pub SelectorErrorKind);

impl fmt::Display for CssError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let SelectorErrorKind::UnexpectedSelectorParseError(kind) = &self.0 else {
            return f.write_str(&self.0.to_string().to_lowercase());
        };
        // `selectors` is not a direct dependency, so its error kind is matched by name.
        let name = format!("{kind:?}");
        let msg = match name.as_str() {
            "EmptySelector" => "empty selector",
            "DanglingCombinator" => "a combinator with nothing after it",
            "ClassNeedsIdent" => "'.' must be followed by a class name",
            "NoIdentForPseudo" => "':' must be followed by a pseudo-class name",
            "UnsupportedPseudoClassOrElement" => "unsupported pseudo-class or pseudo-element",
            "UnexpectedIdent" => "unexpected identifier",
            "NoQualifiedNameInAttributeSelector" => "missing attribute name in [...]",
            "UnexpectedTokenInAttributeSelector" => "unexpected token in [...]",
            "BadValueInAttr" => "bad value in [...]",
            "InvalidQualNameInAttr" => "invalid attribute name in [...]",
            _ => return f.write_str(&name),
        };
        f.write_str(msg)
    }
}

impl std::error::Error for CssError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_one_based() {
        let text = "a\nb\nc";
        assert_eq!(line_of(text, 0), 1);
        assert_eq!(line_of(text, 2), 2);
        assert_eq!(line_of(text, 4), 3);
        assert_eq!(line_of(text, 99), 3);
    }

    #[test]
    fn regex_reasons_fit_on_one_line() {
        let pattern = String::from("(a");
        let err = regex::Regex::new(&pattern).unwrap_err();
        assert_eq!(RegexReason(&err).to_string(), "unclosed group");
        let err = regex::Regex::new("a{99999999}").unwrap_err();
        assert!(RegexReason(&err).to_string().contains("size limit"));
    }

    #[test]
    fn css_reasons_are_readable() {
        let reason = |css| CssError(scraper::Selector::parse(css).unwrap_err()).to_string();
        assert_eq!(reason("h1..x"), "'.' must be followed by a class name");
        assert_eq!(reason(""), "empty selector");
        assert!(!reason("a >").contains('\n'));
    }

    #[test]
    fn accessors_expose_field_and_value() {
        let err = ProfileError::InvalidRate {
            path: "p/site.toml".into(),
            field: "crawl.rate".into(),
            value: "fast".into(),
            error: RateError::Format,
        };
        assert_eq!(err.path(), Path::new("p/site.toml"));
        assert_eq!(err.field(), Some("crawl.rate"));
        assert_eq!(err.value(), Some("fast"));
        assert!(
            err.to_string()
                .starts_with("p/site.toml: crawl.rate: invalid rate \"fast\": ")
        );
    }
}
