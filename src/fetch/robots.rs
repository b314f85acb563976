//! robots.txt: what a host's answer to `/robots.txt` means for the crawl (RFC 9309), and the rules
//! themselves.
//!
//! - 2xx: the file's rules for our agent token ([`ROBOTS_AGENT`], else `*`), its `Crawl-delay` and its
//!   `Sitemap:` lines. A file that does not parse at all is treated as allowing everything.
//! - 4xx (after retries, for 429): no usable rules, everything is allowed.
//! - 5xx, or the host unreachable (after retries): the host is off limits for the rest of the run.
//!
//! Parsing and matching are texting_robots' (Common Crawl's parser, tested against Google's robots.txt
//! test suite; it reads `Crawl-delay` and `Sitemap:` too). Fetching robots.txt, once per host per run,
//! and keeping it in the state with its age is the crawl driver's job.

use std::time::Duration;

use texting_robots::Robot;

/// The product token matched against `User-agent:` lines (case-insensitive).
pub const ROBOTS_AGENT: &str = "gleaner";

/// Largest robots.txt read (RFC 9309 asks crawlers to parse at least 500 KiB).
pub const MAX_ROBOTS_BYTES: u64 = 1024 * 1024;

/// A host's robots policy for this run.
#[derive(Debug)]
pub enum Robots {
    /// Rules read from the host's robots.txt.
    Rules(Box<Robot>),
    /// No usable robots.txt (4xx, or unparseable): everything is allowed.
    AllowAll,
    /// robots.txt answered 5xx or could not be fetched: nothing may be fetched from the host this run.
    Unavailable,
}

impl Robots {
    /// The policy for a final robots.txt answer with `status` and `body` (the body of a 2xx answer).
    pub fn from_answer(status: u16, body: &[u8]) -> Robots {
        match status {
            200..=299 => Robots::parse(body),
            400..=499 if status != 429 => Robots::AllowAll,
            _ => Robots::Unavailable,
        }
    }

    /// Parses a robots.txt body; a body that does not parse allows everything.
    pub fn parse(body: &[u8]) -> Robots {
        match Robot::new(ROBOTS_AGENT, body) {
            Ok(robot) => Robots::Rules(Box::new(robot)),
            Err(error) => {
                tracing::warn!(%error, "robots.txt does not parse; treating it as allow-all");
                Robots::AllowAll
            }
        }
    }

    /// Whether `url` (absolute) may be fetched.
    pub fn allows(&self, url: &str) -> bool {
        match self {
            Robots::Rules(robot) => robot.allowed(url),
            Robots::AllowAll => true,
            Robots::Unavailable => false,
        }
    }

    /// Whether the host may be crawled at all this run.
    pub fn is_available(&self) -> bool {
        !matches!(self, Robots::Unavailable)
    }

    /// The `Crawl-delay` for our agent, if the file sets a usable one.
    pub fn crawl_delay(&self) -> Option<Duration> {
        match self {
            Robots::Rules(robot) => robot
                .delay
                .filter(|d| d.is_finite() && *d > 0.0)
                // texting_robots reads an f32; whole milliseconds avoid 0.300000012 s.
                .map(|d| {
                    Duration::from_millis((f64::from(d).min(86_400.0) * 1000.0).round() as u64)
                }),
            _ => None,
        }
    }

    /// The `Sitemap:` URLs listed in the file.
    pub fn sitemaps(&self) -> &[String] {
        match self {
            Robots::Rules(robot) => &robot.sitemaps,
            _ => &[],
        }
    }

    /// A short name for reports: `rules`, `allow_all` or `unavailable`.
    pub fn kind(&self) -> &'static str {
        match self {
            Robots::Rules(_) => "rules",
            Robots::AllowAll => "allow_all",
            Robots::Unavailable => "unavailable",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TXT: &[u8] = b"User-agent: *\nDisallow: /private/\nCrawl-delay: 2\n\n\
        User-agent: gleaner\nDisallow: /no-gleaner/\nAllow: /no-gleaner/ok\nCrawl-delay: 0.5\n\n\
        Sitemap: http://a.test/sitemap.xml\n";

    #[test]
    fn rules_for_our_agent_win_over_star() {
        let robots = Robots::from_answer(200, TXT);
        assert!(!robots.allows("http://a.test/no-gleaner/x"));
        assert!(robots.allows("http://a.test/no-gleaner/ok"));
        // The `*` group does not apply once a group names us.
        assert!(robots.allows("http://a.test/private/x"));
        assert!(robots.allows("http://a.test/robots.txt"));
        assert_eq!(robots.crawl_delay(), Some(Duration::from_millis(500)));
        assert_eq!(robots.sitemaps(), ["http://a.test/sitemap.xml"]);
    }

    #[test]
    fn status_policy() {
        assert!(Robots::from_answer(404, b"").allows("http://a.test/x"));
        assert!(Robots::from_answer(403, b"").allows("http://a.test/x"));
        for status in [429, 500, 503] {
            let robots = Robots::from_answer(status, b"");
            assert!(!robots.is_available());
            assert!(!robots.allows("http://a.test/x"));
        }
    }

    #[test]
    fn star_group_applies_without_ours() {
        let robots = Robots::parse(b"User-agent: *\nDisallow: /\nAllow: /$\n");
        assert!(robots.allows("http://a.test/"));
        assert!(!robots.allows("http://a.test/page"));
        assert_eq!(robots.crawl_delay(), None);
    }
}
