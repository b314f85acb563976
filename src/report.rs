//! Run outcomes: what happened to each URL, the summary printed at the end, and
//! the exit code a script or cron job reads.
//!
//! Exit codes: 0 every URL was written, 2 some URLs failed (the rest were
//! written), 1 a fatal error stopped the run (bad arguments, profiles or output),
//! 75 (`EX_TEMPFAIL`) another crawl holds the lock on the same state.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// The process exit code for each outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    Ok = 0,
    Fatal = 1,
    SomeFailed = 2,
    /// Another run holds the lock: try again later.
    Locked = 75,
}

impl ExitStatus {
    pub fn code(self) -> u8 {
        self as u8
    }
}

/// One URL that could not be turned into an article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failure {
    pub url: String,
    /// Short stable reason code, e.g. `timeout`, `http_status`, `too_large`.
    pub reason: String,
    /// The full error, with its causes.
    pub message: String,
}

/// One article written.
#[derive(Debug, Clone, Serialize)]
pub struct Written {
    pub url: String,
    /// The file written, for `--format json`.
    pub path: Option<PathBuf>,
}

/// The outcome of an ingest run.
#[derive(Debug, Default, Serialize)]
pub struct RunReport {
    pub written: Vec<Written>,
    pub failed: Vec<Failure>,
    pub elapsed_secs: f64,
}

impl RunReport {
    pub fn exit_status(&self) -> ExitStatus {
        if self.failed.is_empty() {
            ExitStatus::Ok
        } else {
            ExitStatus::SomeFailed
        }
    }

    /// Failures counted by reason, for the summary line.
    pub fn failures_by_reason(&self) -> BTreeMap<&str, usize> {
        let mut counts = BTreeMap::new();
        for f in &self.failed {
            *counts.entry(f.reason.as_str()).or_default() += 1;
        }
        counts
    }

    /// One line: "5 written, 2 failed (http_status: 1, timeout: 1) in 1.2 s".
    pub fn summary(&self) -> String {
        let mut line = format!(
            "{} written, {} failed",
            self.written.len(),
            self.failed.len()
        );
        if !self.failed.is_empty() {
            let reasons: Vec<String> = self
                .failures_by_reason()
                .iter()
                .map(|(r, n)| format!("{r}: {n}"))
                .collect();
            line.push_str(&format!(" ({})", reasons.join(", ")));
        }
        line.push_str(&format!(" in {:.1} s", self.elapsed_secs));
        line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failure(reason: &str) -> Failure {
        Failure {
            url: "http://x.example/".into(),
            reason: reason.into(),
            message: String::new(),
        }
    }

    #[test]
    fn exit_status_and_summary_follow_failures() {
        let mut r = RunReport::default();
        assert_eq!(r.exit_status().code(), 0);
        r.written.push(Written {
            url: "http://x.example/a".into(),
            path: None,
        });
        r.failed.push(failure("timeout"));
        r.failed.push(failure("http_status"));
        r.failed.push(failure("timeout"));
        assert_eq!(r.exit_status().code(), 2);
        assert_eq!(
            r.summary(),
            "1 written, 3 failed (http_status: 1, timeout: 2) in 0.0 s"
        );
    }
}
