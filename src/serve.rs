//! `gleaner serve DIR`: a loopback HTTP/1 server for a snapshot folder.
//!
//! The offline demo and the integration tests crawl captured pages as if they were
//! live. [`SnapshotServer`] reads the catalog ([`list_cases`]) once and answers from
//! memory, so only catalog entries can ever be served: request paths are never mapped
//! to the file system. A request is matched, in order:
//! 1. by virtual host: `Host` (port ignored; or the authority of an absolute-form
//!    request, so the server also works as an HTTP proxy) plus path and query equal to
//!    a case URL's (scheme and port ignored);
//! 2. `/` → an HTML index of the cases;
//! 3. `/<site>/<case>.html` → that case.
//!
//! A case is sent as its stored bytes with its sidecar `content_type` (plain
//! `text/html` when absent); anything else is a 404.

mod routes;

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::snapshot::{SnapshotCase, SnapshotError, list_cases};
use routes::{Catalog, respond};

/// Why the snapshot server could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("refusing to serve on {addr}: only loopback addresses are allowed")]
    NotLoopback { addr: SocketAddr },
    #[error("cannot load the snapshot catalog in {}", dir.display())]
    Catalog {
        dir: PathBuf,
        #[source]
        source: Box<SnapshotError>,
    },
    #[error("cannot read snapshot page {}", path.display())]
    ReadPage {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("{url} is captured twice: {} and {}", first.display(), second.display())]
    DuplicateUrl {
        url: String,
        first: PathBuf,
        second: PathBuf,
    },
    #[error("{}: content type {value:?} is not a valid header value", path.display())]
    ContentType { path: PathBuf, value: String },
    #[error("cannot listen on {addr}")]
    Bind {
        addr: SocketAddr,
        #[source]
        source: io::Error,
    },
    #[error("snapshot server on {addr} failed")]
    Serve {
        addr: SocketAddr,
        #[source]
        source: io::Error,
    },
    #[error("snapshot server task on {addr} panicked or was cancelled")]
    Task {
        addr: SocketAddr,
        #[source]
        source: tokio::task::JoinError,
    },
}

/// A bound, not yet running, snapshot server.
#[derive(Debug)]
pub struct SnapshotServer {
    listener: TcpListener,
    addr: SocketAddr,
    catalog: Arc<Catalog>,
}

impl SnapshotServer {
    /// Loads the catalog in `dir` (pages included) and binds `addr`, which must be a
    /// loopback address (port 0 picks a free port).
    pub async fn bind(dir: &Path, addr: SocketAddr) -> Result<SnapshotServer, ServeError> {
        if !addr.ip().is_loopback() {
            return Err(ServeError::NotLoopback { addr });
        }
        let cases = list_cases(dir).map_err(|source| ServeError::Catalog {
            dir: dir.to_owned(),
            source: Box::new(source),
        })?;
        let catalog = Arc::new(Catalog::load(cases)?);
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|source| ServeError::Bind { addr, source })?;
        let addr = listener
            .local_addr()
            .map_err(|source| ServeError::Bind { addr, source })?;
        Ok(SnapshotServer {
            listener,
            addr,
            catalog,
        })
    }

    /// The address actually bound (with the real port when bound to port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The distinct hosts of the case URLs, sorted: what a client must resolve here.
    pub fn hosts(&self) -> Vec<String> {
        let mut hosts: Vec<String> = self.catalog.pages.iter().map(|p| p.host.clone()).collect();
        hosts.sort();
        hosts.dedup();
        hosts
    }

    /// The cases being served, sorted by site then case.
    pub fn cases(&self) -> impl Iterator<Item = &SnapshotCase> {
        self.catalog.pages.iter().map(|p| &p.case)
    }

    /// Serves until Ctrl-C, then finishes in-flight requests.
    pub async fn run(self) -> Result<(), ServeError> {
        self.run_until(async {
            if tokio::signal::ctrl_c().await.is_err() {
                std::future::pending::<()>().await;
            }
        })
        .await
    }

    /// Serves until `shutdown` completes, then finishes in-flight requests.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), ServeError> {
        let addr = self.addr;
        let app = Router::new().fallback(respond).with_state(self.catalog);
        axum::serve(self.listener, app)
            .with_graceful_shutdown(shutdown)
            .await
            .map_err(|source| ServeError::Serve { addr, source })
    }

    /// Serves on a background task; stop it with [`ServerHandle::shutdown`] or by
    /// dropping the handle.
    pub fn spawn(self) -> ServerHandle {
        let addr = self.addr;
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(self.run_until(async {
            // A dropped sender also means stop.
            let _ = stopped.await;
        }));
        ServerHandle {
            addr,
            stop: Some(stop),
            task: Some(task),
        }
    }
}

/// A snapshot server running in the background; dropping it asks it to stop.
#[derive(Debug)]
pub struct ServerHandle {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<Result<(), ServeError>>>,
}

impl ServerHandle {
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops accepting connections, waits for in-flight requests, and reports how the
    /// server ended.
    pub async fn shutdown(mut self) -> Result<(), ServeError> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match self.task.take() {
            Some(task) => task.await.map_err(|source| ServeError::Task {
                addr: self.addr,
                source,
            })?,
            None => Ok(()),
        }
    }
}

impl Drop for ServerHandle {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
