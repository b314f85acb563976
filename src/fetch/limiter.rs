//! Per-host politeness: one governor rate limiter per host, so each host gets its own budget and a slow
//! host never delays requests to another. governor's keyed limiter applies a single quota to every key, which
//! cannot express per-site overrides (a profile's `rate = "1/s"`), hence a map of direct limiters.
//!
//! For politeness use a quota with a burst of one, e.g. `Quota::with_period(Duration::from_secs(1))` or
//! `Quota::per_second(n).allow_burst(NonZeroU32::MIN)`; governor's `per_second` alone allows a burst of `n`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};

/// Rate limits keyed by host name (compared case-insensitively). Share it across tasks behind an `Arc`.
#[derive(Debug)]
pub struct HostLimiter {
    default: Quota,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    overrides: HashMap<String, Quota>,
    limiters: HashMap<String, Arc<DefaultDirectRateLimiter>>,
}

impl HostLimiter {
    /// A limiter that gives every host `default` unless [`set_quota`](Self::set_quota) says otherwise.
    pub fn new(default: Quota) -> HostLimiter {
        HostLimiter {
            default,
            state: Mutex::default(),
        }
    }

    /// Gives `host` its own quota (e.g. from a site profile). Replaces any earlier quota and its history.
    pub fn set_quota(&self, host: &str, quota: Quota) {
        let host = host.to_ascii_lowercase();
        let mut state = self.lock();
        state.limiters.remove(&host);
        state.overrides.insert(host, quota);
    }

    /// Waits until a request to `host` is allowed, and counts it.
    pub async fn until_ready(&self, host: &str) {
        let limiter = self.limiter_for(host);
        limiter.until_ready().await;
    }

    fn limiter_for(&self, host: &str) -> Arc<DefaultDirectRateLimiter> {
        let host = host.to_ascii_lowercase();
        let mut state = self.lock();
        if let Some(limiter) = state.limiters.get(&host) {
            return Arc::clone(limiter);
        }
        let quota = state.overrides.get(&host).copied().unwrap_or(self.default);
        let limiter = Arc::new(RateLimiter::direct(quota));
        state.limiters.insert(host, Arc::clone(&limiter));
        limiter
    }

    /// The map is always consistent between statements, so a panic elsewhere cannot leave it half-updated.
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    //! governor waits on its own real-time clock, so these use real time with generous bounds.

    use super::*;
    use std::num::NonZeroU32;
    use std::time::{Duration, Instant};

    fn every(millis: u64) -> Quota {
        Quota::with_period(Duration::from_millis(millis)).expect("non-zero period")
    }

    #[tokio::test]
    async fn one_host_is_spaced_by_its_quota() {
        let limiter = HostLimiter::new(every(100)); // 10/s, burst 1
        let start = Instant::now();
        for _ in 0..5 {
            limiter.until_ready("Example.com").await;
        }
        let elapsed = start.elapsed();
        assert!(elapsed >= Duration::from_millis(380), "{elapsed:?}");
        assert!(elapsed < Duration::from_millis(1500), "{elapsed:?}");
    }

    #[tokio::test]
    async fn hosts_do_not_wait_on_each_other() {
        let limiter = Arc::new(HostLimiter::new(every(1000)));
        limiter.until_ready("a.example").await;
        let start = Instant::now();
        let b = tokio::spawn({
            let limiter = Arc::clone(&limiter);
            async move { limiter.until_ready("b.example").await }
        });
        let c = tokio::spawn({
            let limiter = Arc::clone(&limiter);
            async move { limiter.until_ready("c.example").await }
        });
        let (b, c) = (b.await, c.await);
        assert!(b.is_ok() && c.is_ok());
        assert!(
            start.elapsed() < Duration::from_millis(400),
            "{:?}",
            start.elapsed()
        );
    }

    #[tokio::test]
    async fn a_host_override_replaces_the_default() {
        let limiter = HostLimiter::new(every(1000));
        let fast = NonZeroU32::new(1000).expect("non-zero");
        limiter.set_quota("fast.example", Quota::per_second(fast));
        let start = Instant::now();
        for _ in 0..5 {
            limiter.until_ready("FAST.example").await;
        }
        assert!(
            start.elapsed() < Duration::from_millis(400),
            "{:?}",
            start.elapsed()
        );
    }
}
