//! `gleaner eval`: scores extraction against the public datasets of
//! `../shared/datasets/` (see its README for the formats and metrics).
//!
//! - [`dataset`]: the three dataset layouts (aeb, naeb, readability), auto-detected;
//! - [`metric`]: the AEB body metric (word 4-gram precision / recall / F1, accuracy);
//! - [`fields`]: title, authors and date checks;
//! - [`page`]: one page read, decoded, extracted (timed, panics caught) and scored;
//! - [`summary`]: the reported numbers, as text or JSON;
//! - `error`: [`EvalError`], naming the file or page that failed.
//!
//! ```no_run
//! use gleaner::eval::{Dataset, EvalOptions, evaluate};
//! let dataset = Dataset::open("../shared/datasets/aeb".as_ref())?;
//! let report = evaluate(&dataset, &EvalOptions::default());
//! print!("{}", report.summary(5));
//! # Ok::<(), gleaner::eval::EvalError>(())
//! ```

pub mod dataset;
mod error;
pub mod fields;
pub mod metric;
pub mod page;
pub mod summary;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use dataset::{Dataset, DatasetFormat, DatasetPage, Truth};
pub use error::EvalError;
pub use fields::TruthDate;
pub use metric::{BodyMetrics, BodyScore, score_body};
pub use page::{PageOutcome, PageResult, PageScores, Prediction};
pub use summary::Summary;

use crate::profile::ProfileSet;
use crate::report::ExitStatus;

/// How to run an eval.
#[derive(Debug, Clone, Copy, Default)]
pub struct EvalOptions<'a> {
    /// Site profiles to extract with; `None` uses only the built-in rules.
    pub profiles: Option<&'a ProfileSet>,
    /// Evaluate only the first N pages (in id order).
    pub limit: Option<usize>,
}

/// The per-page results of a run.
#[derive(Debug, Clone)]
pub struct EvalReport {
    pub dataset: PathBuf,
    pub format: DatasetFormat,
    pub pages: Vec<PageResult>,
}

/// Extracts and scores every page of `dataset`, one at a time on this thread. A page that
/// cannot be read or whose extraction panics is recorded and the run goes on.
pub fn evaluate(dataset: &Dataset, options: &EvalOptions<'_>) -> EvalReport {
    let pages = dataset
        .pages
        .iter()
        .take(options.limit.unwrap_or(usize::MAX))
        .map(|page| page::evaluate_page(page, options.profiles))
        .collect();
    EvalReport {
        dataset: dataset.dir.clone(),
        format: dataset.format,
        pages,
    }
}

impl EvalReport {
    /// The run's numbers, listing the `worst` pages with the lowest body F1.
    pub fn summary(&self, worst: usize) -> Summary {
        Summary::new(
            self.dataset.display().to_string(),
            self.format,
            &self.pages,
            worst,
        )
    }

    /// 0 when every page was extracted, 2 when some panicked or could not be read.
    pub fn exit_status(&self) -> ExitStatus {
        if self
            .pages
            .iter()
            .all(|p| p.outcome == PageOutcome::Extracted)
        {
            ExitStatus::Ok
        } else {
            ExitStatus::SomeFailed
        }
    }

    /// The predictions by page id.
    pub fn predictions(&self) -> BTreeMap<&str, &Prediction> {
        self.pages
            .iter()
            .map(|p| (p.id.as_str(), &p.prediction))
            .collect()
    }

    /// Writes `{id: {"articleBody", "title", "authors", "date"}}` as pretty JSON to `path`.
    pub fn write_predictions(&self, path: &Path) -> Result<(), EvalError> {
        let mut json = serde_json::to_vec_pretty(&self.predictions()).map_err(|source| {
            EvalError::SerializePredictions {
                path: path.to_path_buf(),
                source,
            }
        })?;
        json.push(b'\n');
        std::fs::write(path, json).map_err(|source| EvalError::WritePredictions {
            path: path.to_path_buf(),
            source,
        })
    }
}
