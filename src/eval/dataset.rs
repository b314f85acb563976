//! Reading the extraction datasets of `../shared/datasets/README.md`, auto-detected from the
//! folder's content:
//!
//! - `aeb`: `ground-truth.json` (`{id: {"articleBody", "url"}}`) and `html/<id>.html.gz`;
//! - `naeb`: `truth.json` (`{id: {"url", "title", "authors", "date", "articleBody"}}`) and
//!   `html/<id>.html.gz`;
//! - `readability`: `<case>/source.html.gz` and `<case>/expected-metadata.json`; the pages have
//!   no URL, so each gets `http://<case>.readability.example/`, and no body truth.
//!
//! Truth files are read up front (a malformed one is an error naming the file); page HTML is
//! read lazily by [`DatasetPage::read_html`], so one missing page does not stop a run.

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Deserializer, Serialize};
use url::Url;

use super::error::EvalError;
use super::fields::{TruthDate, byline_names, parse_truth_date, parse_truth_label};

/// The dataset layouts gleaner can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DatasetFormat {
    Aeb,
    Naeb,
    Readability,
}

impl DatasetFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            DatasetFormat::Aeb => "aeb",
            DatasetFormat::Naeb => "naeb",
            DatasetFormat::Readability => "readability",
        }
    }
}

/// What a dataset says a page contains; `None` where the dataset has no such field.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Truth {
    /// The article body (aeb, naeb).
    pub body: Option<String>,
    /// The title (naeb, readability).
    pub title: Option<String>,
    /// Author names (naeb: `authors`, possibly empty; readability: split from a non-null `byline`).
    pub authors: Option<Vec<String>>,
    /// The raw Readability byline the authors were split from.
    pub byline: Option<String>,
    /// The publication day. naeb `date` labels every page: `NaT`, an empty string or null
    /// mean the page has no date ([`TruthDate::NoDate`]). Readability's `publishedTime` is
    /// what Readability.js found, so a null there is not a label and is not scored.
    /// Values that are neither a day nor a no-date marker are not scored.
    pub date: Option<TruthDate>,
    /// Readability's verdict on whether the page is an article.
    pub readerable: Option<bool>,
}

/// One page of a dataset.
#[derive(Debug, Clone)]
pub struct DatasetPage {
    /// The truth key (aeb, naeb) or case folder name (readability).
    pub id: String,
    pub url: Url,
    /// The gzipped HTML file.
    pub html_path: PathBuf,
    pub truth: Truth,
}

impl DatasetPage {
    /// The page's HTML bytes, gunzipped.
    pub fn read_html(&self) -> Result<Vec<u8>, EvalError> {
        let file = fs::File::open(&self.html_path).map_err(|source| EvalError::Read {
            path: self.html_path.clone(),
            source,
        })?;
        let mut bytes = Vec::new();
        flate2::read::GzDecoder::new(file)
            .read_to_end(&mut bytes)
            .map_err(|source| EvalError::Gunzip {
                path: self.html_path.clone(),
                source,
            })?;
        Ok(bytes)
    }
}

/// A dataset: its folder, format and pages in id order.
#[derive(Debug, Clone)]
pub struct Dataset {
    pub dir: PathBuf,
    pub format: DatasetFormat,
    pub pages: Vec<DatasetPage>,
}

impl Dataset {
    /// Detects the format of `dir` and reads its truth.
    pub fn open(dir: &Path) -> Result<Dataset, EvalError> {
        let format = detect(dir)?;
        let pages = match format {
            DatasetFormat::Aeb => read_aeb(dir)?,
            DatasetFormat::Naeb => read_naeb(dir)?,
            DatasetFormat::Readability => read_readability(dir)?,
        };
        Ok(Dataset {
            dir: dir.to_path_buf(),
            format,
            pages,
        })
    }
}

/// `ground-truth.json` → aeb, `truth.json` → naeb, a sub-folder with
/// `expected-metadata.json` → readability.
pub fn detect(dir: &Path) -> Result<DatasetFormat, EvalError> {
    if dir.join("ground-truth.json").is_file() {
        return Ok(DatasetFormat::Aeb);
    }
    if dir.join("truth.json").is_file() {
        return Ok(DatasetFormat::Naeb);
    }
    if !dir.is_dir() {
        return Err(EvalError::UnknownFormat {
            path: dir.to_path_buf(),
        });
    }
    if !readability_cases(dir)?.is_empty() {
        return Ok(DatasetFormat::Readability);
    }
    Err(EvalError::UnknownFormat {
        path: dir.to_path_buf(),
    })
}

#[derive(Deserialize)]
struct AebTruth {
    #[serde(rename = "articleBody")]
    body: String,
    url: String,
}

#[derive(Deserialize)]
struct NaebTruth {
    url: String,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    authors: Vec<String>,
    /// Outer `None`: no `date` key (not scored); `Some(None)`: `"date": null`.
    #[serde(default, deserialize_with = "present")]
    date: Option<Option<String>>,
    #[serde(rename = "articleBody", default)]
    body: Option<String>,
}

#[derive(Deserialize)]
struct ReadabilityTruth {
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    byline: Option<String>,
    #[serde(rename = "publishedTime", default)]
    published_time: Option<String>,
    #[serde(default)]
    readerable: Option<bool>,
}

/// A field that is present, even as null (`Some(None)`); an absent one stays `None` by default.
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

fn read_aeb(dir: &Path) -> Result<Vec<DatasetPage>, EvalError> {
    let path = dir.join("ground-truth.json");
    let truth: BTreeMap<String, AebTruth> = read_json(&path)?;
    truth
        .into_iter()
        .map(|(id, t)| {
            let url = parse_url(&path, &id, &t.url)?;
            Ok(DatasetPage {
                html_path: html_path(dir, &id),
                url,
                truth: Truth {
                    body: Some(t.body),
                    ..Truth::default()
                },
                id,
            })
        })
        .collect()
}

fn read_naeb(dir: &Path) -> Result<Vec<DatasetPage>, EvalError> {
    let path = dir.join("truth.json");
    let truth: BTreeMap<String, NaebTruth> = read_json(&path)?;
    truth
        .into_iter()
        .map(|(id, t)| {
            let url = parse_url(&path, &id, &t.url)?;
            Ok(DatasetPage {
                html_path: html_path(dir, &id),
                url,
                truth: Truth {
                    body: t.body,
                    title: t.title,
                    authors: Some(t.authors),
                    date: t.date.and_then(|d| parse_truth_label(d.as_deref())),
                    ..Truth::default()
                },
                id,
            })
        })
        .collect()
}

fn read_readability(dir: &Path) -> Result<Vec<DatasetPage>, EvalError> {
    readability_cases(dir)?
        .into_iter()
        .map(|case_dir| {
            let id = case_dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let meta_path = case_dir.join("expected-metadata.json");
            let t: ReadabilityTruth = read_json(&meta_path)?;
            let url_text = format!("http://{id}.readability.example/");
            let url = parse_url(&meta_path, &id, &url_text)?;
            Ok(DatasetPage {
                html_path: case_dir.join("source.html.gz"),
                url,
                truth: Truth {
                    title: t.title,
                    authors: t.byline.as_deref().map(byline_names),
                    byline: t.byline,
                    date: t
                        .published_time
                        .as_deref()
                        .and_then(parse_truth_date)
                        .map(TruthDate::Day),
                    readerable: t.readerable,
                    body: None,
                },
                id,
            })
        })
        .collect()
}

/// Sub-folders of `dir` holding an `expected-metadata.json`, sorted by name.
fn readability_cases(dir: &Path) -> Result<Vec<PathBuf>, EvalError> {
    let list_error = |source| EvalError::List {
        path: dir.to_path_buf(),
        source,
    };
    let mut cases = Vec::new();
    for entry in fs::read_dir(dir).map_err(list_error)? {
        let path = entry.map_err(list_error)?.path();
        if path.join("expected-metadata.json").is_file() {
            cases.push(path);
        }
    }
    cases.sort();
    Ok(cases)
}

fn html_path(dir: &Path, id: &str) -> PathBuf {
    dir.join("html").join(format!("{id}.html.gz"))
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, EvalError> {
    let text = fs::read_to_string(path).map_err(|source| EvalError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    serde_json::from_str(&text).map_err(|source| EvalError::Truth {
        path: path.to_path_buf(),
        source,
    })
}

fn parse_url(path: &Path, id: &str, url: &str) -> Result<Url, EvalError> {
    Url::parse(url).map_err(|source| EvalError::Url {
        path: path.to_path_buf(),
        id: id.to_string(),
        url: url.to_string(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_null_naeb_date_means_no_date_and_a_missing_one_is_not_scored() {
        let truth: BTreeMap<String, NaebTruth> = serde_json::from_str(
            r#"{"null": {"url": "https://p.example/a", "date": null},
                "nat": {"url": "https://p.example/b", "date": "NaT"},
                "day": {"url": "https://p.example/c", "date": "2023-12-22"},
                "missing": {"url": "https://p.example/d"}}"#,
        )
        .expect("truth");
        let date = |id: &str| {
            truth[id]
                .date
                .clone()
                .and_then(|d| parse_truth_label(d.as_deref()))
        };
        assert_eq!(date("null"), Some(TruthDate::NoDate));
        assert_eq!(date("nat"), Some(TruthDate::NoDate));
        assert_eq!(
            date("day"),
            chrono::NaiveDate::from_ymd_opt(2023, 12, 22).map(TruthDate::Day)
        );
        assert_eq!(date("missing"), None);
    }
}
