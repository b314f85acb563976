//! The numbers of an eval run, as one serializable [`Summary`] printed either as a readable
//! report (its `Display`) or as JSON: quality per metric with the page counts behind it,
//! extraction speed, failed pages and the worst pages by body F1.

use std::fmt;
use std::time::Duration;

use serde::Serialize;

use super::dataset::DatasetFormat;
use super::metric::BodyMetrics;
use super::page::{PageOutcome, PageResult};

/// Pages slower than this are listed.
pub const SLOW_PAGE: Duration = Duration::from_secs(1);

/// Everything `gleaner eval` reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    pub dataset: String,
    pub format: DatasetFormat,
    /// Pages evaluated (after `--limit`).
    pub pages: usize,
    /// Pages whose extraction panicked.
    pub panicked: usize,
    /// Pages whose HTML could not be read.
    pub unreadable: usize,
    /// The body metric over pages with a body truth; `null` when there are none.
    pub body: Option<BodyMetrics>,
    pub title: Option<FieldAccuracy>,
    pub authors: Option<FieldAccuracy>,
    pub date: Option<FieldAccuracy>,
    pub speed: Speed,
    /// Panicked and unreadable pages.
    pub failures: Vec<FailedPage>,
    /// The pages with the lowest body F1, lowest first (`--show-worst N`).
    pub worst: Vec<WorstPage>,
}

/// Share of pages where a metadata field was right.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct FieldAccuracy {
    pub correct: usize,
    /// Pages whose truth has the field.
    pub pages: usize,
    pub accuracy: f64,
}

impl FieldAccuracy {
    fn of(verdicts: impl Iterator<Item = Option<bool>>) -> Option<FieldAccuracy> {
        let (mut correct, mut pages) = (0, 0);
        for ok in verdicts.flatten() {
            pages += 1;
            correct += usize::from(ok);
        }
        (pages > 0).then(|| FieldAccuracy {
            correct,
            pages,
            accuracy: correct as f64 / pages as f64,
        })
    }
}

/// Extraction speed: decoding plus extraction, single thread, reading excluded.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Speed {
    /// Pages decoded and extracted (panicked ones included).
    pub pages: usize,
    pub seconds: f64,
    pub pages_per_sec: f64,
    pub slowest: Option<TimedPage>,
    /// Pages that took longer than one second.
    pub over_1s: Vec<TimedPage>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimedPage {
    pub id: String,
    pub url: String,
    pub seconds: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FailedPage {
    pub id: String,
    pub url: String,
    #[serde(flatten)]
    pub outcome: PageOutcome,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WorstPage {
    pub id: String,
    pub url: String,
    pub f1: f64,
    pub precision: f64,
    pub recall: f64,
}

impl Summary {
    /// Computes the summary of per-page results; `worst` is how many low-F1 pages to list.
    pub fn new(
        dataset: String,
        format: DatasetFormat,
        results: &[PageResult],
        worst: usize,
    ) -> Summary {
        let failures: Vec<FailedPage> = results
            .iter()
            .filter(|r| r.outcome != PageOutcome::Extracted)
            .map(|r| FailedPage {
                id: r.id.clone(),
                url: r.url.clone(),
                outcome: r.outcome.clone(),
            })
            .collect();
        let count =
            |pred: fn(&PageOutcome) -> bool| results.iter().filter(|r| pred(&r.outcome)).count();
        Summary {
            dataset,
            format,
            pages: results.len(),
            panicked: count(|o| matches!(o, PageOutcome::Panicked(_))),
            unreadable: count(|o| matches!(o, PageOutcome::Unreadable(_))),
            body: BodyMetrics::aggregate(results.iter().filter_map(|r| r.scores.body.as_ref())),
            title: FieldAccuracy::of(results.iter().map(|r| r.scores.title)),
            authors: FieldAccuracy::of(results.iter().map(|r| r.scores.authors)),
            date: FieldAccuracy::of(results.iter().map(|r| r.scores.date)),
            speed: speed(results),
            failures,
            worst: worst_pages(results, worst),
        }
    }
}

fn speed(results: &[PageResult]) -> Speed {
    let timed: Vec<TimedPage> = results
        .iter()
        .filter_map(|r| {
            r.elapsed.map(|e| TimedPage {
                id: r.id.clone(),
                url: r.url.clone(),
                seconds: e.as_secs_f64(),
            })
        })
        .collect();
    let seconds: f64 = timed.iter().map(|t| t.seconds).sum();
    Speed {
        pages: timed.len(),
        seconds,
        pages_per_sec: if seconds > 0.0 {
            timed.len() as f64 / seconds
        } else {
            0.0
        },
        slowest: timed
            .iter()
            .max_by(|a, b| a.seconds.total_cmp(&b.seconds))
            .cloned(),
        over_1s: timed
            .iter()
            .filter(|t| t.seconds > SLOW_PAGE.as_secs_f64())
            .cloned()
            .collect(),
    }
}

fn worst_pages(results: &[PageResult], n: usize) -> Vec<WorstPage> {
    let mut scored: Vec<WorstPage> = results
        .iter()
        .filter_map(|r| {
            r.scores.body.map(|s| WorstPage {
                id: r.id.clone(),
                url: r.url.clone(),
                f1: s.f1(),
                precision: s.precision,
                recall: s.recall,
            })
        })
        .collect();
    scored.sort_by(|a, b| a.f1.total_cmp(&b.f1).then_with(|| a.id.cmp(&b.id)));
    scored.truncate(n);
    scored
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "dataset  {} ({}), {} pages",
            self.dataset,
            self.format.as_str(),
            self.pages
        )?;
        match &self.body {
            Some(b) => writeln!(
                f,
                "body     F1 {:.3}  precision {:.3}  recall {:.3}  accuracy {:.3}  ({} pages)",
                b.f1, b.precision, b.recall, b.accuracy, b.pages
            )?,
            None => writeln!(f, "body     n/a (no body truth)")?,
        }
        let authors_note = match self.format {
            DatasetFormat::Readability => ", names split from the byline",
            _ => "",
        };
        for (label, field, note) in [
            ("title", &self.title, ""),
            ("authors", &self.authors, authors_note),
            ("date", &self.date, ""),
        ] {
            match field {
                Some(a) => writeln!(
                    f,
                    "{label:<8} accuracy {:.3}  ({}/{} pages{note})",
                    a.accuracy, a.correct, a.pages
                )?,
                None => writeln!(f, "{label:<8} n/a (no truth)")?,
            }
        }
        let s = &self.speed;
        writeln!(
            f,
            "speed    {:.1} pages/s ({} pages in {:.2} s, decode + extract, single thread)",
            s.pages_per_sec, s.pages, s.seconds
        )?;
        if let Some(p) = &s.slowest {
            writeln!(f, "slowest  {:.3} s  {}  {}", p.seconds, p.id, p.url)?;
        }
        if s.over_1s.is_empty() {
            writeln!(f, "over 1s  none")?;
        } else {
            writeln!(f, "over 1s  {} page(s)", s.over_1s.len())?;
            for p in &s.over_1s {
                writeln!(f, "  {:.3} s  {}  {}", p.seconds, p.id, p.url)?;
            }
        }
        writeln!(
            f,
            "failed   {} panicked, {} unreadable",
            self.panicked, self.unreadable
        )?;
        for p in &self.failures {
            let (kind, message) = match &p.outcome {
                PageOutcome::Panicked(m) => ("panicked", m.as_str()),
                PageOutcome::Unreadable(m) => ("unreadable", m.as_str()),
                PageOutcome::Extracted => ("extracted", ""),
            };
            writeln!(f, "  {kind}  {}  {}: {message}", p.id, p.url)?;
        }
        if !self.worst.is_empty() {
            writeln!(f, "worst {} pages by body F1:", self.worst.len())?;
            for p in &self.worst {
                writeln!(
                    f,
                    "  F1 {:.3} (P {:.3} R {:.3})  {}  {}",
                    p.f1, p.precision, p.recall, p.id, p.url
                )?;
            }
        }
        Ok(())
    }
}
