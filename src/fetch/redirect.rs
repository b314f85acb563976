//! Redirects followed by [`Fetcher::fetch`](super::Fetcher::fetch) itself, one request per hop, so that every
//! hop is a separate exchange (and a separate capture in the archive): which answers are redirects, and the
//! chain rules (at most `max` redirects, no revisit of a URL already in the chain). Both failures are typed
//! so the fetcher reports them as distinct reasons.

use url::Url;

use super::connect_to::ConnectTo;
use super::error::FetchError;

/// Whether a status is one of the redirects the client follows (with a `Location`).
pub(crate) fn is_redirect(status: u16) -> bool {
    matches!(status, 301 | 302 | 303 | 307 | 308)
}

/// A redirect chain that started at `start`.
pub(crate) struct Chain<'a> {
    start: &'a Url,
    max: usize,
    connect_to: &'a ConnectTo,
    visited: Vec<Url>,
}

impl<'a> Chain<'a> {
    pub(crate) fn new(start: &'a Url, max: usize, connect_to: &'a ConnectTo) -> Chain<'a> {
        Chain {
            start,
            max,
            connect_to,
            visited: vec![connect_to.comparable(start)],
        }
    }

    /// Accepts one more hop to `next`, or says why the chain must stop.
    pub(crate) fn follow(&mut self, next: &Url) -> Result<(), FetchError> {
        let comparable = self.connect_to.comparable(next);
        if self.visited.contains(&comparable) {
            return Err(FetchError::RedirectLoop {
                url: self.start.clone(),
                location: Box::new(next.clone()),
            });
        }
        // `visited` starts with the original URL, which is not a redirect.
        if self.visited.len() > self.max {
            return Err(FetchError::TooManyRedirects {
                url: self.start.clone(),
                limit: self.max,
            });
        }
        self.visited.push(comparable);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).expect("url")
    }

    #[test]
    fn loops_and_long_chains_stop() {
        let map = ConnectTo::default();
        let start = url("http://a.test/1");
        let mut chain = Chain::new(&start, 2, &map);
        chain.follow(&url("http://a.test/2")).expect("hop 1");
        assert!(matches!(
            chain.follow(&url("http://a.test/1#x")),
            Err(FetchError::RedirectLoop { .. })
        ));
        chain.follow(&url("http://a.test/3")).expect("hop 2");
        assert!(matches!(
            chain.follow(&url("http://a.test/4")),
            Err(FetchError::TooManyRedirects { limit: 2, .. })
        ));
        assert!(is_redirect(308) && !is_redirect(304) && !is_redirect(300));
    }
}
