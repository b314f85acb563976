//! The snapshot catalog: captured pages, their sidecars and golden articles.
//!
//! A snapshot folder holds one folder per site; each case is `<case>.html` (the bytes
//! exactly as the server sent them), a `<case>.toml` sidecar with the page's original
//! `url` and optional `content_type`, and the golden `<case>.json`. This module owns
//! reading that layout strictly: a page without a sidecar, a sidecar without a page,
//! an unknown key, a bad URL or an unusable name is an error naming the file, so a
//! broken fixture fails loudly instead of silently dropping out of the tests.

use std::ffi::OsStr;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use url::Url;

/// One captured page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotCase {
    /// The site folder name.
    pub site: String,
    /// The file stem shared by the `.html`, `.toml` and `.json` files.
    pub case: String,
    /// The captured page, bytes as served.
    pub html: PathBuf,
    /// The expected article (may not exist yet).
    pub golden: PathBuf,
    /// The page's original URL.
    pub url: Url,
    /// The `Content-Type` the server sent; `None` means plain `text/html`, no charset.
    pub content_type: Option<String>,
}

/// A malformed snapshot folder; every variant names the offending file or folder.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    #[error("cannot read snapshot folder {}", path.display())]
    ReadDir {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("cannot read sidecar {}", path.display())]
    ReadSidecar {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("{}: no sidecar; expected {}", html.display(), sidecar.display())]
    MissingSidecar { html: PathBuf, sidecar: PathBuf },
    #[error("{}: sidecar without a matching .html page", path.display())]
    OrphanSidecar { path: PathBuf },
    #[error("invalid sidecar {}", path.display())]
    Toml {
        path: PathBuf,
        #[source]
        source: toml::de::Error,
    },
    #[error("{}: invalid url {url:?}", path.display())]
    Url {
        path: PathBuf,
        url: String,
        #[source]
        source: url::ParseError,
    },
    #[error("{}: url {url} must be http or https with a host", path.display())]
    NotWebUrl { path: PathBuf, url: Url },
    #[error("{}: content_type {value:?} is not a valid header value", path.display())]
    ContentType { path: PathBuf, value: String },
    #[error("{}: names must be ASCII letters, digits, '.', '_' or '-', not starting with '.'", path.display())]
    BadName { path: PathBuf },
}

/// The `<case>.toml` sidecar.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Sidecar {
    url: String,
    content_type: Option<String>,
}

/// All cases under `dir` (`<site>/<case>.html`), sorted by site then case.
/// Hidden entries and files directly in `dir` (a README) are ignored.
pub fn list_cases(dir: &Path) -> Result<Vec<SnapshotCase>, SnapshotError> {
    let mut cases = Vec::new();
    for site_dir in visible_entries(dir)? {
        if site_dir.is_dir() {
            let site = checked_name(&site_dir, site_dir.file_name())?;
            cases.extend(site_cases(&site_dir, &site)?);
        }
    }
    cases.sort_by(|a, b| (&a.site, &a.case).cmp(&(&b.site, &b.case)));
    Ok(cases)
}

/// The cases of one site folder; also rejects sidecars without a page.
fn site_cases(site_dir: &Path, site: &str) -> Result<Vec<SnapshotCase>, SnapshotError> {
    let files = visible_entries(site_dir)?;
    let mut cases = Vec::new();
    for path in &files {
        match path.extension().and_then(OsStr::to_str) {
            Some("html") => cases.push(read_case(path, site)?),
            Some("toml") if !path.with_extension("html").is_file() => {
                return Err(SnapshotError::OrphanSidecar { path: path.clone() });
            }
            _ => {}
        }
    }
    Ok(cases)
}

fn read_case(html: &Path, site: &str) -> Result<SnapshotCase, SnapshotError> {
    let case = checked_name(html, html.file_stem())?;
    let path = html.with_extension("toml");
    let text = match fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(SnapshotError::MissingSidecar {
                html: html.to_owned(),
                sidecar: path,
            });
        }
        Err(source) => return Err(SnapshotError::ReadSidecar { path, source }),
    };
    let sidecar: Sidecar = match toml::from_str(&text) {
        Ok(sidecar) => sidecar,
        Err(source) => return Err(SnapshotError::Toml { path, source }),
    };
    let url = match Url::parse(&sidecar.url) {
        Ok(url) => url,
        Err(source) => {
            let url = sidecar.url;
            return Err(SnapshotError::Url { path, url, source });
        }
    };
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(SnapshotError::NotWebUrl { path, url });
    }
    if let Some(value) = sidecar
        .content_type
        .as_ref()
        .filter(|v| !is_header_value(v))
    {
        let value = value.clone();
        return Err(SnapshotError::ContentType { path, value });
    }
    Ok(SnapshotCase {
        site: site.to_owned(),
        case,
        html: html.to_owned(),
        golden: html.with_extension("json"),
        url,
        content_type: sidecar.content_type,
    })
}

/// Site and case names appear in URLs (`/<site>/<case>.html`): keep them plain.
fn checked_name(path: &Path, name: Option<&OsStr>) -> Result<String, SnapshotError> {
    let plain = |n: &str| {
        !n.is_empty()
            && !n.starts_with('.')
            && n.chars()
                .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
    };
    match name.and_then(OsStr::to_str) {
        Some(n) if plain(n) => Ok(n.to_owned()),
        _ => Err(SnapshotError::BadName {
            path: path.to_owned(),
        }),
    }
}

/// Visible ASCII, spaces and tabs: what an HTTP header value may hold.
fn is_header_value(v: &str) -> bool {
    !v.trim().is_empty() && v.chars().all(|c| c == '\t' || (' '..='~').contains(&c))
}

/// The entries of `dir` whose names do not start with a dot, sorted.
fn visible_entries(dir: &Path) -> Result<Vec<PathBuf>, SnapshotError> {
    let read_error = |source| SnapshotError::ReadDir {
        path: dir.to_owned(),
        source,
    };
    let mut paths = Vec::new();
    for entry in fs::read_dir(dir).map_err(read_error)? {
        let entry = entry.map_err(read_error)?;
        if !entry.file_name().to_string_lossy().starts_with('.') {
            paths.push(entry.path());
        }
    }
    paths.sort();
    Ok(paths)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_must_be_plain() {
        let p = Path::new("x");
        assert!(checked_name(p, Some(OsStr::new("news-front_2.x"))).is_ok());
        for bad in ["", ".hidden", "a b", "é", "a%2f"] {
            assert!(checked_name(p, Some(OsStr::new(bad))).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn header_values() {
        assert!(is_header_value("text/html; charset=windows-1252"));
        assert!(!is_header_value("text/html\r\nX-Evil: 1"));
        assert!(!is_header_value("  "));
    }
}
