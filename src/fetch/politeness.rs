//! Politeness, in one place: every crawl request goes through [`Politeness::get`], which decides when it
//! may leave and what happens when it fails. The order, for each attempt:
//!
//! 1. **one request in flight per host**: the host's turn is held for the whole exchange, retries included;
//! 2. **not before**: the host's earliest next start, pushed back by `Retry-After`, by failure backoff and
//!    by the previous request's own start (`start + interval`);
//! 3. **rate**: the host's governor limiter (the profile's `rate`, or `Crawl-delay` when slower), burst 1;
//! 4. **global concurrency**: a permit from the run-wide semaphore, held while the request is in flight.
//!
//! After the global permit is granted the not-before time is checked again and only then is the request
//! sent, and its send time moves not-before to `send + interval` (plus a 2% safety margin, at most 25 ms,
//! for the milliseconds a server's own clock loses to connection setup and scheduling). So the gap between two requests to a
//! host is measured from when they actually left, never from when a governor cell was granted (which can
//! be earlier when the global limit was the bottleneck). Hence the rule the tests check against the
//! server's log: no host is ever hit faster than its limit, retries included.
//!
//! Why both governor and a not-before time: governor's keyed limiter applies one quota to every key, and
//! its direct limiters cannot express "not before 12:00:31" (`Retry-After`) or a backoff; [`HostLimiter`]
//! gives each host its own quota, and the not-before time per host carries the rest.
//!
//! Hosts are keyed by [`host_key`]: the lower-case host plus `:port` when the URL names a non-default port,
//! the same origin granularity robots.txt uses.
//!
//! Failures: timeouts, connection errors and resets, 5xx and 429 are retried up to
//! [`RetryPolicy::max_retries`] times ([`retry`](super::retry) says how long to wait). Every failed attempt
//! counts against the host; a success resets the count. After [`RetryPolicy::host_failure_limit`]
//! consecutive failures, or a `Retry-After` beyond [`RetryPolicy::max_retry_after`], the host is given up for
//! the rest of the run: further requests fail at once with [`PoliteError::HostGivenUp`].

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use serde::Serialize;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;
use url::Url;

use super::Fetcher;
use super::error::FetchError;
use super::exchange::{Accept, Response, Validators};
use super::limiter::HostLimiter;
use super::retry::{Attempt, RetryPolicy, classify};
use crate::profile::Rate;

/// The safety margin on each gap is 1/50 (2%) of the interval...
const MARGIN_DIVISOR: u32 = 50;
/// ...and at most this much.
const MAX_MARGIN: Duration = Duration::from_millis(25);

/// How polite a run is.
#[derive(Debug, Clone, PartialEq)]
pub struct PolitenessConfig {
    /// Requests in flight at once, across all hosts.
    pub concurrency: usize,
    /// Per-host rate when nothing sets one for the host.
    pub default_rate: Rate,
    /// A robots.txt `Crawl-delay` is honoured up to this much.
    pub max_crawl_delay: Duration,
    pub retry: RetryPolicy,
}

impl Default for PolitenessConfig {
    fn default() -> Self {
        PolitenessConfig {
            concurrency: 8,
            default_rate: Rate::default(),
            max_crawl_delay: Duration::from_secs(30),
            retry: RetryPolicy::default(),
        }
    }
}

/// The politeness key of a URL: lower-case host, plus `:port` for a non-default port.
pub fn host_key(url: &Url) -> String {
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host,
    }
}

/// Why a host was given up for the rest of the run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GiveUp {
    /// This many consecutive failed attempts.
    Failures(u32),
    /// The server asked to wait longer than the run allows.
    RetryAfter(Duration),
}

impl std::fmt::Display for GiveUp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GiveUp::Failures(n) => write!(f, "{n} consecutive failed attempts"),
            GiveUp::RetryAfter(wait) => write!(f, "Retry-After of {} s", wait.as_secs()),
        }
    }
}

/// Why a polite request failed.
#[derive(Debug, thiserror::Error)]
pub enum PoliteError {
    #[error("{url}: host {host} given up for this run after {reason}")]
    HostGivenUp {
        url: Url,
        host: String,
        reason: GiveUp,
    },
    #[error(transparent)]
    Fetch(#[from] FetchError),
}

impl PoliteError {
    /// Whether the error must stop the run (archiving failed).
    pub fn is_fatal(&self) -> bool {
        matches!(self, PoliteError::Fetch(error) if error.is_fatal())
    }

    /// A short stable reason code for reports.
    pub fn kind(&self) -> &'static str {
        match self {
            PoliteError::HostGivenUp { .. } => "host_given_up",
            PoliteError::Fetch(error) => error.kind(),
        }
    }
}

/// A final response and how many attempts it took.
#[derive(Debug)]
pub struct Exchange {
    pub response: Response,
    pub attempts: u32,
}

/// What happened to one host during the run, for the summary.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct HostStats {
    /// Requests sent, retries included.
    pub requests: u64,
    /// Of those, retries.
    pub retries: u64,
    /// Failed attempts (timeouts, resets, 5xx, 429).
    pub failed_attempts: u64,
    /// Answers that carried a `Retry-After` that was honoured.
    pub retry_after_honoured: u64,
    /// The gap enforced between two requests, in seconds.
    pub interval_secs: f64,
    /// The robots.txt `Crawl-delay` honoured (after the cap), in seconds.
    pub crawl_delay_secs: Option<f64>,
    /// Why the host was given up, if it was.
    pub given_up: Option<String>,
}

struct Host {
    /// Held for a whole exchange: one request in flight per host.
    turn: tokio::sync::Mutex<()>,
    state: Mutex<HostState>,
}

struct HostState {
    rate_interval: Duration,
    crawl_delay: Option<Duration>,
    /// Earliest start of the next request.
    next: Option<Instant>,
    /// When the last request left.
    last_sent: Option<Instant>,
    /// Consecutive failed attempts.
    failures: u32,
    given_up: Option<GiveUp>,
    stats: HostStats,
}

impl HostState {
    fn interval(&self) -> Duration {
        self.rate_interval.max(self.crawl_delay.unwrap_or_default())
    }

    /// The gap enforced after a request leaves: the interval plus [`MARGIN_DIVISOR`]-th of it (at most
    /// [`MAX_MARGIN`]), so that the gaps a server observes, which lose a few milliseconds to connection
    /// setup and scheduling on either side, still respect the limit.
    fn gap(&self) -> Duration {
        let interval = self.interval();
        interval + (interval / MARGIN_DIVISOR).min(MAX_MARGIN)
    }

    fn push_next(&mut self, at: Instant) {
        self.next = Some(self.next.map_or(at, |next| next.max(at)));
    }
}

/// The run's politeness state. Share it behind an `Arc`.
pub struct Politeness {
    config: PolitenessConfig,
    limiter: HostLimiter,
    global: Arc<Semaphore>,
    hosts: Mutex<HashMap<String, Arc<Host>>>,
}

impl std::fmt::Debug for Politeness {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Politeness")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl Politeness {
    pub fn new(config: PolitenessConfig) -> Politeness {
        Politeness {
            limiter: HostLimiter::new(config.default_rate.quota()),
            global: Arc::new(Semaphore::new(config.concurrency.max(1))),
            hosts: Mutex::default(),
            config,
        }
    }

    pub fn config(&self) -> &PolitenessConfig {
        &self.config
    }

    /// Sets the rate for a host (from its profile).
    pub fn set_rate(&self, host: &str, rate: Rate) {
        let entry = self.host(host);
        let mut state = lock(&entry.state);
        state.rate_interval = rate.interval();
        self.apply_interval(host, &mut state);
    }

    /// Honours a robots.txt `Crawl-delay` for a host, capped at
    /// [`PolitenessConfig::max_crawl_delay`]. Returns the delay applied.
    pub fn set_crawl_delay(&self, host: &str, delay: Duration) -> Duration {
        let applied = delay.min(self.config.max_crawl_delay);
        let entry = self.host(host);
        let mut state = lock(&entry.state);
        state.crawl_delay = Some(applied);
        self.apply_interval(host, &mut state);
        applied
    }

    /// Whether the host was given up for the rest of the run.
    pub fn is_given_up(&self, host: &str) -> bool {
        lock(&self.host(host).state).given_up.is_some()
    }

    /// Per-host statistics, by host key.
    pub fn stats(&self) -> BTreeMap<String, HostStats> {
        let hosts = lock(&self.hosts);
        hosts
            .iter()
            .map(|(key, host)| (key.clone(), lock(&host.state).stats.clone()))
            .collect()
    }

    /// Sends a GET for `url` politely: waits for the host's turn, its not-before time, its rate and a
    /// global permit; retries transient failures with backoff or as `Retry-After` says. Returns the
    /// final response (which may still be a 4xx or, after the last retry, a 5xx or 429).
    pub async fn get(
        &self,
        fetcher: &Fetcher,
        url: &Url,
        validators: &Validators,
        accept: Accept,
        max_body: u64,
    ) -> Result<Exchange, PoliteError> {
        let key = host_key(url);
        let host = self.host(&key);
        let _turn = host.turn.lock().await;
        let mut attempts = 0;
        loop {
            let permit = self.wait_turn(&key, &host, url).await?;
            let result = fetcher.get(url, validators, accept, max_body).await;
            drop(permit);
            attempts += 1;
            let verdict = classify(&result, chrono::Utc::now());
            let stop = self.record(&host, &verdict, attempts);
            match (verdict, result) {
                (Attempt::Transient { .. }, result)
                    if !stop && attempts <= self.config.retry.max_retries =>
                {
                    tracing::info!(url = %url, attempt = attempts, outcome = %describe(&result), "retrying");
                }
                (_, Ok(response)) => return Ok(Exchange { response, attempts }),
                (_, Err(error)) => return Err(error.into()),
            }
        }
    }

    /// Waits until a request to the host may leave; returns the global permit to hold while it is in flight.
    async fn wait_turn(
        &self,
        key: &str,
        host: &Host,
        url: &Url,
    ) -> Result<Option<OwnedSemaphorePermit>, PoliteError> {
        let mut paced = false;
        loop {
            let next = {
                let state = lock(&host.state);
                if let Some(reason) = &state.given_up {
                    return Err(PoliteError::HostGivenUp {
                        url: url.clone(),
                        host: key.to_string(),
                        reason: reason.clone(),
                    });
                }
                state.next
            };
            if let Some(next) = next {
                tokio::time::sleep_until(next).await;
            }
            if !paced {
                self.limiter.until_ready(key).await;
                paced = true;
            }
            // The semaphore is never closed; without a permit the request still respects the host rules.
            let permit = Arc::clone(&self.global).acquire_owned().await.ok();
            let now = Instant::now();
            let mut state = lock(&host.state);
            if state.given_up.is_some() || state.next.is_some_and(|next| next > now) {
                continue;
            }
            state.next = Some(now + state.gap());
            state.last_sent = Some(now);
            state.stats.requests += 1;
            return Ok(permit);
        }
    }

    /// Updates the host after an attempt. Returns true when the host must not be retried any more.
    fn record(&self, host: &Host, verdict: &Attempt, attempts: u32) -> bool {
        let policy = &self.config.retry;
        let mut state = lock(&host.state);
        if attempts > 1 {
            state.stats.retries += 1;
        }
        match verdict {
            Attempt::Answer => state.failures = 0,
            Attempt::Fatal => {}
            Attempt::Transient { retry_after } => {
                state.failures += 1;
                state.stats.failed_attempts += 1;
                let now = Instant::now();
                match retry_after {
                    Some(wait) if *wait > policy.max_retry_after => {
                        state.given_up = Some(GiveUp::RetryAfter(*wait));
                    }
                    Some(wait) => {
                        state.stats.retry_after_honoured += 1;
                        state.push_next(now + *wait);
                    }
                    None => {
                        let backoff = policy.backoff(state.failures);
                        state.push_next(now + backoff);
                    }
                }
                if state.failures >= policy.host_failure_limit && state.given_up.is_none() {
                    state.given_up = Some(GiveUp::Failures(state.failures));
                }
                if let Some(reason) = &state.given_up {
                    state.stats.given_up = Some(reason.to_string());
                }
            }
        }
        state.given_up.is_some()
    }

    fn host(&self, key: &str) -> Arc<Host> {
        let mut hosts = lock(&self.hosts);
        let host = hosts.entry(key.to_ascii_lowercase()).or_insert_with(|| {
            let rate_interval = self.config.default_rate.interval();
            Arc::new(Host {
                turn: tokio::sync::Mutex::new(()),
                state: Mutex::new(HostState {
                    rate_interval,
                    crawl_delay: None,
                    next: None,
                    last_sent: None,
                    failures: 0,
                    given_up: None,
                    stats: HostStats {
                        interval_secs: rate_interval.as_secs_f64(),
                        ..HostStats::default()
                    },
                }),
            })
        });
        Arc::clone(host)
    }

    /// Applies a changed interval, also to the gap after the last request (a Crawl-delay learnt from
    /// robots.txt already spaces the request that follows robots.txt).
    fn apply_interval(&self, key: &str, state: &mut HostState) {
        let interval = state.interval();
        if let Some(last) = state.last_sent {
            let gap = state.gap();
            state.push_next(last + gap);
        }
        state.stats.interval_secs = interval.as_secs_f64();
        state.stats.crawl_delay_secs = state.crawl_delay.map(|d| d.as_secs_f64());
        if let Some(quota) = governor::Quota::with_period(interval.max(Duration::from_nanos(1))) {
            self.limiter.set_quota(key, quota);
        }
    }
}

fn describe(result: &Result<Response, FetchError>) -> String {
    match result {
        Ok(response) => format!("HTTP {}", response.status),
        Err(error) => error.kind().to_string(),
    }
}

/// The maps are consistent between statements, so a panic elsewhere cannot leave them half-updated.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_keys_keep_explicit_ports_only() {
        let key = |s: &str| host_key(&Url::parse(s).expect("url"));
        assert_eq!(key("http://Example.COM/a"), "example.com");
        assert_eq!(key("http://example.com:80/a"), "example.com");
        assert_eq!(key("https://example.com:8443/a"), "example.com:8443");
        assert_eq!(key("http://127.0.0.2:9000/"), "127.0.0.2:9000");
    }

    #[test]
    fn crawl_delay_is_capped_and_only_slows_down() {
        let politeness = Politeness::new(PolitenessConfig {
            max_crawl_delay: Duration::from_secs(5),
            ..PolitenessConfig::default()
        });
        politeness.set_rate("a.test", Rate::parse("10/s").expect("rate"));
        assert_eq!(
            politeness.set_crawl_delay("a.test", Duration::from_secs(60)),
            Duration::from_secs(5)
        );
        let stats = politeness.stats();
        assert_eq!(stats["a.test"].interval_secs, 5.0);
        politeness.set_rate("b.test", Rate::parse("1/s").expect("rate"));
        politeness.set_crawl_delay("b.test", Duration::from_millis(100));
        assert_eq!(politeness.stats()["b.test"].interval_secs, 1.0);
    }
}
