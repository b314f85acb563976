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

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::snapshot::{SnapshotCase, SnapshotError, list_cases};

/// Why the snapshot server could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("refusing to serve on {addr}: only loopback addresses are allowed")]
    NotLoopback { addr: SocketAddr },
    #[error("cannot load the snapshot catalog in {}", dir.display())]
    Catalog {
        dir: PathBuf,
        #[source]
        source: SnapshotError,
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
            source,
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

/// One case, loaded and ready to send.
#[derive(Debug)]
struct Page {
    case: SnapshotCase,
    /// Lower-case host of the case URL (IPv6 in brackets, as in `Host`).
    host: String,
    body: Bytes,
    content_type: HeaderValue,
}

/// Everything the server can answer, built once at bind time.
#[derive(Debug)]
struct Catalog {
    pages: Vec<Page>,
    /// (host, path and query) → page.
    by_url: HashMap<(String, String), usize>,
    /// `/<site>/<case>.html` → page.
    by_path: HashMap<String, usize>,
    index: Bytes,
}

impl Catalog {
    fn load(cases: Vec<SnapshotCase>) -> Result<Catalog, ServeError> {
        let mut pages = Vec::with_capacity(cases.len());
        let mut by_url = HashMap::new();
        let mut by_path = HashMap::new();
        for case in cases {
            let page = Page::load(case)?;
            let key = (page.host.clone(), path_and_query(&page.case.url));
            match by_url.entry(key) {
                Entry::Occupied(seen) => {
                    let first: &Page = &pages[*seen.get()];
                    return Err(ServeError::DuplicateUrl {
                        url: page.case.url.to_string(),
                        first: first.case.html.clone(),
                        second: page.case.html,
                    });
                }
                Entry::Vacant(slot) => slot.insert(pages.len()),
            };
            by_path.insert(format!("/{}/{}.html", page.case.site, page.case.case), pages.len());
            pages.push(page);
        }
        let index = Bytes::from(index_html(&pages));
        Ok(Catalog {
            pages,
            by_url,
            by_path,
            index,
        })
    }

    /// The page for a request, by virtual host first, then by `/<site>/<case>.html`.
    fn find(&self, host: Option<&str>, target: &str, path: &str) -> Option<&Page> {
        let by_host = host.and_then(|h| self.by_url.get(&(h.to_owned(), target.to_owned())));
        by_host
            .or_else(|| self.by_path.get(path))
            .map(|&i| &self.pages[i])
    }
}

impl Page {
    fn load(case: SnapshotCase) -> Result<Page, ServeError> {
        let body = std::fs::read(&case.html).map_err(|source| ServeError::ReadPage {
            path: case.html.clone(),
            source,
        })?;
        let value = case.content_type.as_deref().unwrap_or("text/html");
        let content_type =
            HeaderValue::from_str(value).map_err(|_| ServeError::ContentType {
                path: case.html.clone(),
                value: value.to_owned(),
            })?;
        let host = case.url.host_str().unwrap_or_default().to_ascii_lowercase();
        Ok(Page {
            case,
            host,
            body: Bytes::from(body),
            content_type,
        })
    }
}

/// The single handler: every request goes through the catalog, never the disk.
async fn respond(State(catalog): State<Arc<Catalog>>, request: Request) -> Response {
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return (StatusCode::METHOD_NOT_ALLOWED, [(header::ALLOW, "GET, HEAD")]).into_response();
    }
    let uri = request.uri();
    let target = uri.path_and_query().map_or("/", |pq| pq.as_str());
    let host = uri
        .host()
        .map(str::to_owned)
        .or_else(|| request_host(&request));
    let html = HeaderValue::from_static("text/html; charset=utf-8");
    match catalog.find(host.as_deref(), target, uri.path()) {
        Some(page) => send(page.content_type.clone(), page.body.clone()),
        None if uri.path() == "/" => send(html, catalog.index.clone()),
        None => (StatusCode::NOT_FOUND, "not found\n").into_response(),
    }
}

fn send(content_type: HeaderValue, body: Bytes) -> Response {
    let mut response = Response::new(Body::from(body));
    response.headers_mut().insert(header::CONTENT_TYPE, content_type);
    response
}

/// The `Host` header without its port, lower-cased; IPv6 keeps its brackets.
fn request_host(request: &Request) -> Option<String> {
    let host = request.headers().get(header::HOST)?.to_str().ok()?;
    let name = match host.strip_prefix('[') {
        Some(rest) => &host[..rest.find(']')? + 2],
        None => host.split(':').next().unwrap_or(host),
    };
    Some(name.to_ascii_lowercase())
}

/// The request target a client sends for `url`: path, then `?query` if any.
fn path_and_query(url: &url::Url) -> String {
    match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_owned(),
    }
}

/// The `/` page: every case with a link to `/<site>/<case>.html` and its URL.
fn index_html(pages: &[Page]) -> String {
    let mut html = String::from(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>gleaner snapshots</title></head>\n<body><h1>gleaner snapshots</h1>\n<ul>\n",
    );
    for page in pages {
        let (site, case) = (escape(&page.case.site), escape(&page.case.case));
        html.push_str(&format!(
            "<li><a href=\"/{site}/{case}.html\">{site}/{case}</a> <code>{}</code></li>\n",
            escape(page.case.url.as_str())
        ));
    }
    html.push_str("</ul></body></html>\n");
    html
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}
