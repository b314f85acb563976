//! One page through the eval: read its HTML, decode and extract it (timed, with a panic
//! caught and recorded rather than ending the run), and score the prediction against the truth.

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use url::Url;

use super::dataset::{DatasetPage, Truth};
use super::fields::{authors_match, date_matches, title_matches};
use super::metric::{BodyScore, score_body};
use crate::Article;
use crate::fetch::decode_html;
use crate::ingest::error_chain;
use crate::profile::ProfileSet;

/// What gleaner extracted from a page, in the shape other scorers read
/// (`{"articleBody", "title", "authors", "date"}`, date as `YYYY-MM-DD` or null).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Prediction {
    #[serde(rename = "articleBody")]
    pub body: String,
    pub title: Option<String>,
    pub authors: Vec<String>,
    /// The calendar day of `published`, in the page's own offset.
    pub date: Option<NaiveDate>,
}

impl Prediction {
    pub fn from_article(article: &Article) -> Prediction {
        Prediction {
            body: article.text.clone(),
            title: article.title.clone(),
            authors: article.authors.clone(),
            date: article.published.map(|d| d.date()),
        }
    }
}

/// How a page went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", content = "message", rename_all = "snake_case")]
pub enum PageOutcome {
    Extracted,
    /// Extraction panicked; the panic message. Scored as an empty prediction.
    Panicked(String),
    /// The page's HTML could not be read; the error. Scored as an empty prediction.
    Unreadable(String),
}

/// Each metric's verdict on a page; `None` where the truth lacks the field.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct PageScores {
    pub body: Option<BodyScore>,
    pub title: Option<bool>,
    pub authors: Option<bool>,
    pub date: Option<bool>,
}

/// One page's outcome, prediction, scores and extraction time.
#[derive(Debug, Clone, PartialEq)]
pub struct PageResult {
    pub id: String,
    pub url: String,
    pub outcome: PageOutcome,
    /// Time spent decoding and extracting; `None` when the HTML could not be read.
    pub elapsed: Option<Duration>,
    pub prediction: Prediction,
    pub scores: PageScores,
}

/// Reads, decodes, extracts and scores one page.
pub(crate) fn evaluate_page(page: &DatasetPage, profiles: Option<&ProfileSet>) -> PageResult {
    let profile = profiles
        .and_then(|set| set.for_url(&page.url))
        .map(|p| p.as_ref());
    evaluate_page_with(page, |html, url| crate::extract(html, url, profile))
}

/// [`evaluate_page`] with the extractor as a parameter, so tests can make it panic.
fn evaluate_page_with(page: &DatasetPage, extract: impl Fn(&str, &Url) -> Article) -> PageResult {
    let (outcome, elapsed, prediction) = match page.read_html() {
        Err(error) => (
            PageOutcome::Unreadable(error_chain(&error)),
            None,
            Prediction::default(),
        ),
        Ok(bytes) => {
            let start = Instant::now();
            let result = catch_unwind(AssertUnwindSafe(|| {
                let decoded = decode_html(&bytes, None);
                extract(&decoded.text, &page.url)
            }));
            let elapsed = start.elapsed();
            match result {
                Ok(article) => (
                    PageOutcome::Extracted,
                    Some(elapsed),
                    Prediction::from_article(&article),
                ),
                Err(payload) => (
                    PageOutcome::Panicked(panic_message(payload.as_ref())),
                    Some(elapsed),
                    Prediction::default(),
                ),
            }
        }
    };
    PageResult {
        id: page.id.clone(),
        url: page.url.to_string(),
        outcome,
        elapsed,
        scores: score_page(&prediction, &page.truth),
        prediction,
    }
}

/// Scores a prediction on every field the truth has. Metadata is scored only on article
/// pages (Readability's `readerable: false` pages are not), titles only when non-empty.
pub fn score_page(prediction: &Prediction, truth: &Truth) -> PageScores {
    let article = truth.readerable != Some(false);
    PageScores {
        body: truth
            .body
            .as_deref()
            .map(|body| score_body(&prediction.body, body)),
        title: truth
            .title
            .as_deref()
            .filter(|t| article && !t.trim().is_empty())
            .map(|t| title_matches(prediction.title.as_deref(), t)),
        authors: truth
            .authors
            .as_deref()
            .filter(|_| article)
            .map(|a| authors_match(&prediction.authors, a)),
        date: truth
            .date
            .filter(|_| article)
            .map(|d| date_matches(prediction.date, d)),
    }
}

fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic with a non-string payload".to_string()
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;
    use crate::eval::fields::TruthDate;

    fn gz_page(dir: &std::path::Path, html: &str) -> DatasetPage {
        let path = dir.join("page.html.gz");
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(html.as_bytes()).expect("gzip");
        std::fs::write(&path, gz.finish().expect("gzip")).expect("write page");
        DatasetPage {
            id: "p1".into(),
            url: Url::parse("https://paper.example/a").expect("url"),
            html_path: path,
            truth: Truth {
                body: Some("some words of the body".into()),
                ..Truth::default()
            },
        }
    }

    #[test]
    fn a_panicking_extraction_is_recorded_and_scored_as_empty() {
        let dir = tempfile::tempdir().expect("temp dir");
        let page = gz_page(dir.path(), "<p>some words of the body</p>");
        let result = evaluate_page_with(&page, |_, _| panic!("boom on purpose"));
        assert_eq!(
            result.outcome,
            PageOutcome::Panicked("boom on purpose".into())
        );
        assert!(result.elapsed.is_some());
        assert_eq!(result.prediction, Prediction::default());
        let body = result.scores.body.expect("body scored");
        assert_eq!((body.precision, body.recall), (0.0, 0.0));

        let ok = evaluate_page_with(&page, |html, url| crate::extract(html, url, None));
        assert_eq!(ok.outcome, PageOutcome::Extracted);
        assert_eq!(ok.prediction.body, "some words of the body");
    }

    #[test]
    fn an_unreadable_page_is_recorded_with_its_path() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut page = gz_page(dir.path(), "");
        page.html_path = dir.path().join("missing.html.gz");
        let result = evaluate_page(&page, None);
        match &result.outcome {
            PageOutcome::Unreadable(message) => assert!(message.contains("missing.html.gz")),
            other => panic!("expected unreadable, got {other:?}"),
        }
        assert_eq!(result.elapsed, None);
    }

    #[test]
    fn scores_only_the_fields_the_truth_has() {
        let prediction = Prediction {
            body: "one two three four".into(),
            title: Some("A  title".into()),
            authors: vec!["Jane Doe".into()],
            date: NaiveDate::from_ymd_opt(2024, 6, 20),
        };
        let truth = Truth {
            body: Some("one two three four".into()),
            title: Some("A title".into()),
            authors: Some(vec!["jane doe".into()]),
            date: NaiveDate::from_ymd_opt(2024, 6, 21).map(TruthDate::Day),
            ..Truth::default()
        };
        let s = score_page(&prediction, &truth);
        assert_eq!(s.body.map(|b| b.exact), Some(true));
        assert_eq!(
            (s.title, s.authors, s.date),
            (Some(true), Some(true), Some(false))
        );

        let none = score_page(&prediction, &Truth::default());
        assert_eq!(none, PageScores::default());

        let no_date = Truth {
            date: Some(TruthDate::NoDate),
            ..Truth::default()
        };
        assert_eq!(score_page(&prediction, &no_date).date, Some(false));
        let nothing = Prediction::default();
        assert_eq!(score_page(&nothing, &no_date).date, Some(true));

        let not_article = Truth {
            readerable: Some(false),
            title: Some("A title".into()),
            ..Truth::default()
        };
        assert_eq!(score_page(&prediction, &not_article).title, None);
        let blank_title = Truth {
            title: Some("  ".into()),
            ..Truth::default()
        };
        assert_eq!(score_page(&prediction, &blank_title).title, None);
    }
}
