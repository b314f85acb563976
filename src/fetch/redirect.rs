//! The redirect policy: follow redirects up to a cap, but stop a chain that comes back to a URL it already
//! visited. Both failures are typed so the fetcher can report them as distinct reasons.

use reqwest::redirect::Policy;
use url::Url;

use super::connect_to::ConnectTo;

/// Why the policy refused to follow a redirect; found again in the reqwest error's source chain.
#[derive(Debug, thiserror::Error)]
pub(crate) enum RedirectError {
    #[error("redirect loop back to {0}")]
    Loop(Url),
    #[error("more than {0} redirects")]
    TooMany(usize),
}

/// A reqwest policy allowing at most `max` redirects and no revisits.
pub(crate) fn policy(max: usize, connect_to: ConnectTo) -> Policy {
    Policy::custom(move |attempt| {
        let next = connect_to.comparable(attempt.url());
        let revisit = attempt
            .previous()
            .iter()
            .any(|seen| connect_to.comparable(seen) == next);
        if revisit {
            let url = attempt.url().clone();
            attempt.error(RedirectError::Loop(url))
        } else if attempt.previous().len() > max {
            // `previous` starts with the original URL, which is not a redirect.
            attempt.error(RedirectError::TooMany(max))
        } else {
            attempt.follow()
        }
    })
}
