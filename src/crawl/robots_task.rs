//! Opening a host: its robots.txt, fetched once per run (conditionally, with the copy kept in the state)
//! through the same politeness as every other request, redirects followed up to five hops, and turned
//! into the host's [`Robots`] policy for the run. A resumed run reuses the copy its earlier part fetched.

use std::sync::Arc;

use url::Url;

use super::worker::{Shared, rfc3339};
use crate::fetch::robots::MAX_ROBOTS_BYTES;
use crate::fetch::{Accept, Robots, Validators};
use crate::ingest::error_chain;
use crate::store::RobotsRecord;

/// The result of opening a host.
#[derive(Debug)]
pub(crate) struct RobotsDone {
    pub host: String,
    pub robots: Robots,
    /// What to keep in the state (nothing when the state's copy from this run was reused).
    pub record: Option<RobotsRecord>,
    /// Age of the copy in use, in seconds.
    pub age_secs: Option<i64>,
    /// Why the host is unavailable, when it is.
    pub failure: Option<(String, String)>,
    /// An error that must stop the run (archiving failed).
    pub fatal: Option<crate::fetch::PoliteError>,
}

/// Most redirects followed for robots.txt (RFC 9309 asks for at least five).
const ROBOTS_REDIRECTS: u32 = 5;

/// Fetches `/robots.txt` for `host` (conditionally, with the state's copy), once per run.
pub(crate) async fn run_robots(
    shared: Arc<Shared>,
    host: String,
    first_url: Url,
    previous: Option<RobotsRecord>,
) -> RobotsDone {
    let now = chrono::Utc::now();
    let age = |fetched_at: &str| {
        chrono::DateTime::parse_from_rfc3339(fetched_at)
            .ok()
            .map(|t| (now - t.with_timezone(&chrono::Utc)).num_seconds().max(0))
    };
    if let Some(previous) = previous.as_ref().filter(|p| p.run_id == shared.run_id) {
        return RobotsDone {
            robots: Robots::from_answer(previous.status, &previous.body),
            age_secs: age(&previous.fetched_at),
            host,
            record: None,
            failure: None,
            fatal: None,
        };
    }
    let mut url = first_url;
    url.set_path("/robots.txt");
    url.set_query(None);
    url.set_fragment(None);
    let mut validators = previous
        .as_ref()
        .filter(|p| p.status < 300)
        .map(|p| Validators {
            etag: p.etag.clone(),
            last_modified: p.last_modified.clone(),
        })
        .unwrap_or_default();
    let mut hops = 0;
    loop {
        let exchange = shared
            .politeness
            .get(
                &shared.fetcher,
                &url,
                &validators,
                Accept::Any,
                MAX_ROBOTS_BYTES,
            )
            .await;
        let response = match exchange {
            Ok(exchange) => exchange.response,
            Err(error) => {
                let failure = Some((error.kind().to_string(), error_chain(&error)));
                return RobotsDone {
                    host,
                    robots: Robots::Unavailable,
                    record: None,
                    age_secs: None,
                    failure,
                    fatal: error.is_fatal().then_some(error),
                };
            }
        };
        if response.is_redirect() && hops < ROBOTS_REDIRECTS {
            if let Some(target) = response.redirect_target() {
                url = target;
                validators = Validators::default();
                hops += 1;
                continue;
            }
        }
        let fetched_at = rfc3339(&response);
        let (status, body) = match (&previous, response.is_not_modified()) {
            (Some(previous), true) => (previous.status, previous.body.clone()),
            _ => (response.status, response.body.clone()),
        };
        let robots = Robots::from_answer(status, &body);
        let failure = (!robots.is_available()).then(|| {
            (
                "robots_unavailable".to_string(),
                format!("{url}: robots.txt answered HTTP {status}; nothing is fetched from {host} this run"),
            )
        });
        let (etag, last_modified) = match (&previous, response.is_not_modified()) {
            (Some(previous), true) => (
                response.etag.clone().or_else(|| previous.etag.clone()),
                previous.last_modified.clone(),
            ),
            _ => (response.etag.clone(), response.last_modified.clone()),
        };
        return RobotsDone {
            record: Some(RobotsRecord {
                host: host.clone(),
                status,
                body,
                fetched_at,
                etag,
                last_modified,
                run_id: shared.run_id,
            }),
            host,
            robots,
            age_secs: Some(0),
            failure,
            fatal: None,
        };
    }
}
