//! What the snapshot server answers: the catalog held in memory and the one handler.
//!
//! [`Catalog`] is built once from the snapshot cases (pages read into memory, content
//! types validated, duplicate URLs rejected). [`respond`] maps a request to a page by
//! virtual host, then to the index or a `/<site>/<case>.html` entry, else 404; it
//! never touches the file system, so no request path can reach outside the catalog.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use url::Url;

use super::ServeError;
use crate::snapshot::SnapshotCase;

/// One case, loaded and ready to send.
#[derive(Debug)]
pub(super) struct Page {
    pub(super) case: SnapshotCase,
    /// Lower-case host of the case URL (IPv6 in brackets, as in `Host`).
    pub(super) host: String,
    body: Bytes,
    content_type: HeaderValue,
}

/// Everything the server can answer, built once at bind time.
#[derive(Debug)]
pub(super) struct Catalog {
    pub(super) pages: Vec<Page>,
    /// (host, path and query) → page.
    by_url: HashMap<(String, String), usize>,
    /// `/<site>/<case>.html` → page.
    by_path: HashMap<String, usize>,
    index: Bytes,
}

impl Catalog {
    pub(super) fn load(cases: Vec<SnapshotCase>) -> Result<Catalog, ServeError> {
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
            by_path.insert(
                format!("/{}/{}.html", page.case.site, page.case.case),
                pages.len(),
            );
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
        let content_type = HeaderValue::from_str(value).map_err(|_| ServeError::ContentType {
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
pub(super) async fn respond(State(catalog): State<Arc<Catalog>>, request: Request) -> Response {
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, "GET, HEAD")],
        )
            .into_response();
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
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, content_type);
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
fn path_and_query(url: &Url) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn host_of(value: &str) -> Option<String> {
        let request = Request::builder()
            .header(header::HOST, value)
            .body(Body::empty())
            .expect("request");
        request_host(&request)
    }

    #[test]
    fn host_header_without_port() {
        assert_eq!(
            host_of("News.Example:8080").as_deref(),
            Some("news.example")
        );
        assert_eq!(host_of("news.example").as_deref(), Some("news.example"));
        assert_eq!(host_of("[::1]:8080").as_deref(), Some("[::1]"));
        assert_eq!(host_of("[::1"), None);
    }

    #[test]
    fn index_escapes_markup() {
        assert_eq!(
            escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
