//! The retry policy: which outcomes are worth another attempt, how long to wait before it, and how to
//! read a server's `Retry-After`.
//!
//! - Retried: timeouts, connection failures and resets, 5xx, and 429.
//! - Not retried: every other answer (2xx, 3xx, 304, 4xx) and local failures (invalid URL, body too large,
//!   not HTML, redirect errors).
//! - The wait is the server's `Retry-After` when it sent one (delta-seconds or HTTP-date), else capped
//!   exponential backoff with jitter: `min(max_delay, base_delay × 2^(n−1))` scaled by a random factor in
//!   `[0.5, 1.0]`, where `n` counts the host's consecutive failures (so a host that keeps failing backs off
//!   further, across URLs).
//!
//! Pure functions only; [`Politeness`](super::Politeness) applies them.

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::error::FetchError;
use super::exchange::Response;

/// How retries and host backoff behave.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    /// Extra attempts per URL after the first one.
    pub max_retries: u32,
    /// Backoff after the first failure.
    pub base_delay: Duration,
    /// Cap on any computed backoff.
    pub max_delay: Duration,
    /// A `Retry-After` longer than this is not waited for: the host is given up for the run.
    pub max_retry_after: Duration,
    /// Consecutive failed attempts after which a host is given up for the run.
    pub host_failure_limit: u32,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 3,
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(60),
            max_retry_after: Duration::from_secs(300),
            host_failure_limit: 10,
        }
    }
}

/// What one attempt means for the retry loop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attempt {
    /// A final answer (any status that is not retried).
    Answer,
    /// A transient failure; `retry_after` is the server's explicit wait, if it gave one.
    Transient { retry_after: Option<Duration> },
    /// A failure that another attempt would not fix.
    Fatal,
}

/// Classifies one attempt. `now` resolves an HTTP-date `Retry-After`.
pub fn classify(result: &Result<Response, FetchError>, now: DateTime<Utc>) -> Attempt {
    match result {
        Ok(response) => match response.status {
            429 | 500..=599 => Attempt::Transient {
                retry_after: response
                    .retry_after
                    .as_deref()
                    .and_then(|value| parse_retry_after(value, now)),
            },
            _ => Attempt::Answer,
        },
        Err(error) => match error {
            FetchError::Timeout { .. }
            | FetchError::Connect { .. }
            | FetchError::Request { .. }
            | FetchError::Body { .. } => Attempt::Transient { retry_after: None },
            _ => Attempt::Fatal,
        },
    }
}

/// Parses a `Retry-After` value: delta-seconds (`"120"`) or an HTTP-date
/// (`"Wed, 21 Oct 2015 07:28:00 GMT"`). A date in the past means no wait.
pub fn parse_retry_after(value: &str, now: DateTime<Utc>) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return value.parse::<u64>().ok().map(Duration::from_secs);
    }
    let date = DateTime::parse_from_rfc2822(value).ok()?;
    let wait = date.with_timezone(&Utc) - now;
    Some(wait.to_std().unwrap_or(Duration::ZERO))
}

impl RetryPolicy {
    /// The backoff after the host's `failures`-th consecutive failure (1-based), with jitter.
    pub fn backoff(&self, failures: u32) -> Duration {
        self.backoff_with(failures, fastrand::f64())
    }

    /// [`backoff`](Self::backoff) with the random factor given (`unit` in `[0, 1)`), for tests.
    pub fn backoff_with(&self, failures: u32, unit: f64) -> Duration {
        let exponent = failures.saturating_sub(1).min(30);
        let full = self
            .base_delay
            .saturating_mul(1u32 << exponent)
            .min(self.max_delay);
        full.mul_f64(0.5 + 0.5 * unit.clamp(0.0, 1.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-01-10T12:00:00Z")
            .expect("date")
            .with_timezone(&Utc)
    }

    #[test]
    fn retry_after_seconds_and_dates() {
        assert_eq!(
            parse_retry_after("120", now()),
            Some(Duration::from_secs(120))
        );
        assert_eq!(
            parse_retry_after(" 0 ", now()),
            Some(Duration::from_secs(0))
        );
        assert_eq!(
            parse_retry_after("Sat, 10 Jan 2026 12:00:30 GMT", now()),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            parse_retry_after("Sat, 10 Jan 2026 11:00:00 GMT", now()),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now()), None);
        assert_eq!(parse_retry_after("-5", now()), None);
        assert_eq!(parse_retry_after("", now()), None);
    }

    #[test]
    fn backoff_doubles_is_capped_and_jittered() {
        let policy = RetryPolicy {
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(1000),
            ..RetryPolicy::default()
        };
        assert_eq!(policy.backoff_with(1, 1.0), Duration::from_millis(100));
        assert_eq!(policy.backoff_with(1, 0.0), Duration::from_millis(50));
        assert_eq!(policy.backoff_with(3, 1.0), Duration::from_millis(400));
        assert_eq!(policy.backoff_with(10, 1.0), Duration::from_millis(1000));
        assert_eq!(
            policy.backoff_with(u32::MAX, 0.0),
            Duration::from_millis(500)
        );
        for _ in 0..100 {
            let d = policy.backoff(2);
            assert!(d >= Duration::from_millis(100) && d <= Duration::from_millis(200));
        }
    }
}
