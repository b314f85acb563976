//! The offline demo: serve the bundled snapshots on loopback and ingest them
//! through the site profiles, exactly as a real run would, with no network.
//!
//! Each snapshot keeps its original URL; requests for the snapshot hosts are
//! sent to the local server (`connect_to`), so profiles match by host as they
//! would on the live sites.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use indicatif::ProgressBar;
use thiserror::Error;

use crate::fetch::FetchConfig;
use crate::ingest::{ArticleSink, IngestConfig, IngestError, ingest};
use crate::profile::{ProfileError, ProfileSet, Rate};
use crate::report::RunReport;
use crate::serve::{ServeError, SnapshotServer};
use crate::sink::warc::WarcConfig;
use crate::sink::{JsonDir, SinkError};
use crate::snapshot::{SnapshotError, list_cases};

#[derive(Debug, Error)]
pub enum DemoError {
    #[error(transparent)]
    Snapshots(#[from] SnapshotError),
    #[error(transparent)]
    Profiles(#[from] ProfileError),
    #[error(transparent)]
    Serve(#[from] ServeError),
    #[error(transparent)]
    Output(#[from] SinkError),
    #[error(transparent)]
    Ingest(#[from] IngestError),
}

/// Runs the demo and returns the ingest report. With `warc`, every exchange
/// is archived as a real run would archive it (under the snapshots' own URLs).
pub async fn run(
    snapshots: &Path,
    profiles: &Path,
    out: &Path,
    warc: Option<WarcConfig>,
    progress: &ProgressBar,
) -> Result<RunReport, DemoError> {
    let profiles = Arc::new(ProfileSet::load_dir(profiles)?);
    let cases = list_cases(snapshots)?;
    let out = Arc::new(JsonDir::open(out)?);
    let server = SnapshotServer::bind(snapshots, SocketAddr::from(([127, 0, 0, 1], 0))).await?;
    let addr = server.local_addr();
    let connect_to = server.hosts().into_iter().map(|h| (h, addr)).collect();
    let handle = server.spawn();

    let config = IngestConfig {
        // Loopback is cheap, but the demo shows the real per-host politeness.
        default_rate: Rate::default(),
        fetch: FetchConfig {
            connect_to,
            ..FetchConfig::default()
        },
        warc,
        ..IngestConfig::default()
    };
    let inputs = cases.into_iter().map(|c| Ok(c.url)).collect();
    let report = ingest(inputs, profiles, &config, ArticleSink::Files(out), progress).await;
    handle.shutdown().await?;
    Ok(report?)
}
