//! Snapshot server and catalog tests: pages come back byte-for-byte with their
//! content type, by path and by virtual host; nothing outside the catalog is served;
//! catalog errors name the file.

use std::fs;
use std::net::SocketAddr;
use std::path::Path;

use gleaner::serve::{ServeError, SnapshotServer};
use gleaner::snapshot::{SnapshotError, list_cases};
use reqwest::header::{CONTENT_TYPE, HOST};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// "café “quoted”" in windows-1252: not valid UTF-8, must not be re-encoded.
const CP1252_PAGE: &[u8] = b"<html><body><p>caf\xe9 \x93quoted\x94</p></body></html>";
const SECRET: &str = "TOP-SECRET-OUTSIDE-THE-SNAPSHOT-FOLDER";
const PUTIN_URL: &str = "https://newsfront.example/2024/06/20/putin-step-back/";

fn write_case(dir: &Path, site: &str, case: &str, html: &[u8], toml: &str) {
    let site_dir = dir.join(site);
    fs::create_dir_all(&site_dir).expect("mkdir site");
    fs::write(site_dir.join(format!("{case}.html")), html).expect("write html");
    fs::write(site_dir.join(format!("{case}.toml")), toml).expect("write toml");
}

/// `tmp/Cargo.toml` (a secret outside) and `tmp/snapshots/` with two sites.
fn fixture() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    fs::write(tmp.path().join("Cargo.toml"), SECRET).expect("secret");
    let snaps = tmp.path().join("snapshots");
    write_case(
        &snaps,
        "newsfront",
        "putin-step-back",
        CP1252_PAGE,
        &format!("url = \"{PUTIN_URL}\"\ncontent_type = \"text/html; charset=windows-1252\"\n"),
    );
    fs::write(snaps.join("newsfront/putin-step-back.json"), SECRET).expect("golden");
    write_case(
        &snaps,
        "newsfront",
        "world-page-2",
        b"<html>world page 2</html>",
        "url = \"https://newsfront.example/category/world/?page=2\"\n",
    );
    write_case(
        &snaps,
        "blog",
        "hello",
        "<html>héllo</html>".as_bytes(),
        "url = \"http://blog.example/hello\"\ncontent_type = \"text/html; charset=utf-8\"\n",
    );
    fs::write(snaps.join("README.md"), "not a case").expect("readme");
    tmp
}

fn loopback() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 0))
}

/// A snapshot server for the [`fixture`]'s catalog on a free loopback port, not started yet; the
/// folder lives as long as the returned `TempDir`.
async fn bind_fixture() -> (tempfile::TempDir, SnapshotServer) {
    let tmp = fixture();
    let server = SnapshotServer::bind(&tmp.path().join("snapshots"), loopback())
        .await
        .expect("bind");
    (tmp, server)
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("client")
}

/// Asserts that `response` is the windows-1252 case: its stored bytes, with its stored content type.
async fn assert_cp1252_page(response: reqwest::Response) {
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()[CONTENT_TYPE],
        "text/html; charset=windows-1252"
    );
    assert_eq!(response.bytes().await.expect("body").as_ref(), CP1252_PAGE);
}

/// Sends `request` verbatim (no client-side path normalization) and returns the
/// status code and body.
async fn raw(addr: SocketAddr, request: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    stream.write_all(request.as_bytes()).await.expect("send");
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.expect("receive");
    let text = String::from_utf8_lossy(&response).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status in {text:?}"));
    (status, text)
}

#[test]
fn list_cases_reads_the_catalog_sorted() {
    let tmp = fixture();
    let cases = list_cases(&tmp.path().join("snapshots")).expect("catalog");
    let names: Vec<String> = cases
        .iter()
        .map(|c| format!("{}/{}", c.site, c.case))
        .collect();
    assert_eq!(
        names,
        [
            "blog/hello",
            "newsfront/putin-step-back",
            "newsfront/world-page-2"
        ]
    );
    let putin = &cases[1];
    assert_eq!(putin.url.as_str(), PUTIN_URL);
    assert_eq!(
        putin.content_type.as_deref(),
        Some("text/html; charset=windows-1252")
    );
    assert!(
        putin
            .html
            .ends_with("snapshots/newsfront/putin-step-back.html")
    );
    assert!(
        putin
            .golden
            .ends_with("snapshots/newsfront/putin-step-back.json")
    );
    assert_eq!(cases[2].content_type, None);
}

#[test]
fn list_cases_errors_name_the_file() {
    type Expect = fn(&SnapshotError) -> bool;
    let bad_cases: &[(&str, Option<&str>, Expect)] = &[
        ("no-sidecar", None, |e| {
            matches!(e, SnapshotError::MissingSidecar { .. })
        }),
        ("bad-toml", Some("url = "), |e| {
            matches!(e, SnapshotError::Toml { .. })
        }),
        (
            "unknown-key",
            Some("url = \"https://a.example/\"\ncharset = \"x\"\n"),
            |e| matches!(e, SnapshotError::Toml { .. }),
        ),
        ("no-url", Some("content_type = \"text/html\"\n"), |e| {
            matches!(e, SnapshotError::Toml { .. })
        }),
        ("bad-url", Some("url = \"not a url\"\n"), |e| {
            matches!(e, SnapshotError::Url { .. })
        }),
        ("not-web", Some("url = \"file:///etc/passwd\"\n"), |e| {
            matches!(e, SnapshotError::NotWebUrl { .. })
        }),
        (
            "bad-type",
            Some("url = \"https://a.example/\"\ncontent_type = \"a\\r\\nb: c\"\n"),
            |e| matches!(e, SnapshotError::ContentType { .. }),
        ),
    ];
    for (case, toml, expected) in bad_cases {
        let tmp = tempfile::tempdir().expect("tempdir");
        let site = tmp.path().join("site");
        fs::create_dir(&site).expect("mkdir");
        fs::write(site.join(format!("{case}.html")), "<html></html>").expect("html");
        if let Some(toml) = toml {
            fs::write(site.join(format!("{case}.toml")), toml).expect("toml");
        }
        let err = list_cases(tmp.path()).expect_err(case);
        assert!(expected(&err), "{case}: {err:?}");
        assert!(
            err.to_string().contains(&format!("site/{case}.")),
            "{case}: {err}"
        );
    }
}

#[test]
fn orphan_sidecar_and_odd_names_are_errors() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let site = tmp.path().join("site");
    fs::create_dir(&site).expect("mkdir");
    fs::write(site.join("orphan.toml"), "url = \"https://a.example/\"\n").expect("toml");
    let err = list_cases(tmp.path()).expect_err("orphan");
    assert!(
        matches!(err, SnapshotError::OrphanSidecar { .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("orphan.toml"), "{err}");

    let tmp = tempfile::tempdir().expect("tempdir");
    write_case(
        tmp.path(),
        "site",
        "a b",
        b"x",
        "url = \"https://a.example/\"\n",
    );
    let err = list_cases(tmp.path()).expect_err("space in name");
    assert!(matches!(err, SnapshotError::BadName { .. }), "{err:?}");
    assert!(err.to_string().contains("a b.html"), "{err}");

    let missing = tmp.path().join("missing");
    let err = list_cases(&missing).expect_err("missing folder");
    assert!(
        err.to_string().contains(&missing.display().to_string()),
        "{err}"
    );
}

#[tokio::test]
async fn serves_stored_bytes_by_path_and_by_virtual_host() {
    let (_tmp, server) = bind_fixture().await;
    assert_eq!(server.hosts(), ["blog.example", "newsfront.example"]);
    let server = server.spawn();
    let base = format!("http://{}", server.local_addr());
    let http = client();

    let by_path = http
        .get(format!("{base}/newsfront/putin-step-back.html"))
        .send()
        .await
        .expect("get");
    assert_cp1252_page(by_path).await;

    let by_host = http
        .get(format!("{base}/2024/06/20/putin-step-back/"))
        .header(HOST, "NewsFront.example:443")
        .send()
        .await
        .expect("get");
    assert_cp1252_page(by_host).await;

    // No content_type in the sidecar: plain text/html, no charset.
    let world = http
        .get(format!("{base}/category/world/?page=2"))
        .header(HOST, "newsfront.example")
        .send()
        .await
        .expect("get");
    assert_eq!(world.status(), 200);
    assert_eq!(world.headers()[CONTENT_TYPE], "text/html");
    assert_eq!(
        world.text().await.expect("body"),
        "<html>world page 2</html>"
    );

    // The query is part of the match; the path alone on another host is not a case.
    for (host, target) in [
        ("newsfront.example", "/category/world/"),
        ("other.example", "/hello"),
    ] {
        let miss = http
            .get(format!("{base}{target}"))
            .header(HOST, host)
            .send()
            .await
            .expect("get");
        assert_eq!(miss.status(), 404, "{host}{target}");
    }
    server.shutdown().await.expect("clean shutdown");
}

#[tokio::test]
async fn resolves_like_the_real_site_and_works_as_a_proxy() {
    let (_tmp, server) = bind_fixture().await;
    let addr = server.local_addr();
    let server = server.spawn();

    let resolved = reqwest::Client::builder()
        .no_proxy()
        .resolve("blog.example", addr)
        .build()
        .expect("client");
    let url = format!("http://blog.example:{}/hello", addr.port());
    let page = resolved.get(url).send().await.expect("get");
    assert_eq!(page.headers()[CONTENT_TYPE], "text/html; charset=utf-8");
    assert_eq!(page.text().await.expect("body"), "<html>héllo</html>");

    let proxy = reqwest::Proxy::http(format!("http://{addr}")).expect("proxy");
    let proxied = reqwest::Client::builder()
        .proxy(proxy)
        .build()
        .expect("client");
    let page = proxied
        .get("http://blog.example/hello")
        .send()
        .await
        .expect("get");
    assert_eq!(page.status(), 200);
    assert_eq!(page.text().await.expect("body"), "<html>héllo</html>");
    server.shutdown().await.expect("clean shutdown");
}

#[tokio::test]
async fn index_lists_cases_and_unknown_is_404() {
    let (_tmp, server) = bind_fixture().await;
    let server = server.spawn();
    let base = format!("http://{}", server.local_addr());
    let http = client();

    let index = http.get(format!("{base}/")).send().await.expect("get");
    assert_eq!(index.status(), 200);
    assert_eq!(index.headers()[CONTENT_TYPE], "text/html; charset=utf-8");
    let html = index.text().await.expect("body");
    for link in [
        "/blog/hello.html",
        "/newsfront/putin-step-back.html",
        "/newsfront/world-page-2.html",
    ] {
        assert!(
            html.contains(&format!("href=\"{link}\"")),
            "{link} missing from {html}"
        );
    }
    assert!(html.contains(PUTIN_URL));
    assert!(html.contains("https://newsfront.example/category/world/?page=2"));

    for path in ["/nope", "/blog/nope.html", "/blog/hello", "/README.md"] {
        let resp = http.get(format!("{base}{path}")).send().await.expect("get");
        assert_eq!(resp.status(), 404, "{path}");
    }
    let post = http
        .post(format!("{base}/blog/hello.html"))
        .send()
        .await
        .expect("post");
    assert_eq!(post.status(), 405);
    drop(server);
}

#[tokio::test]
async fn nothing_outside_the_catalog_is_served() {
    let (_tmp, server) = bind_fixture().await;
    let addr = server.local_addr();
    let server = server.spawn();
    let targets = [
        "/../Cargo.toml",
        "/newsfront/../../Cargo.toml",
        "/%2e%2e/Cargo.toml",
        "/%2e%2e%2fCargo.toml",
        "/..%5cCargo.toml",
        "/newsfront/putin-step-back.json",
        "/newsfront/putin-step-back.toml",
        "/newsfront/",
        "/newsfront",
        "//etc/passwd",
    ];
    for target in targets {
        for host in ["127.0.0.1", "newsfront.example"] {
            let request =
                format!("GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
            let (status, text) = raw(addr, &request).await;
            assert_eq!(status, 404, "{host}{target}: {text}");
            assert!(!text.contains(SECRET), "{host}{target} leaked: {text}");
        }
    }
    server.shutdown().await.expect("clean shutdown");
}

#[tokio::test]
async fn refuses_non_loopback_and_duplicate_urls() {
    let tmp = fixture();
    let snaps = tmp.path().join("snapshots");
    for addr in ["0.0.0.0:0", "192.0.2.1:8080", "[::]:0"] {
        let addr: SocketAddr = addr.parse().expect("addr");
        let err = SnapshotServer::bind(&snaps, addr)
            .await
            .expect_err("not loopback");
        assert!(matches!(err, ServeError::NotLoopback { .. }), "{err:?}");
        assert!(err.to_string().contains(&addr.to_string()), "{err}");
    }

    write_case(
        &snaps,
        "zz-copy",
        "again",
        b"x",
        &format!("url = \"{PUTIN_URL}\"\n"),
    );
    let err = SnapshotServer::bind(&snaps, loopback())
        .await
        .expect_err("duplicate");
    assert!(matches!(err, ServeError::DuplicateUrl { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(
        msg.contains("putin-step-back.html") && msg.contains("again.html"),
        "{msg}"
    );

    fs::write(snaps.join("zz-copy/again.toml"), "url = 1\n").expect("break sidecar");
    let err = SnapshotServer::bind(&snaps, loopback())
        .await
        .expect_err("bad catalog");
    assert!(matches!(err, ServeError::Catalog { .. }), "{err:?}");
}

#[tokio::test]
async fn shutdown_stops_accepting_connections() {
    let (_tmp, server) = bind_fixture().await;
    let addr = server.local_addr();
    let server = server.spawn();
    let http = client();
    let ok = http
        .get(format!("http://{addr}/blog/hello.html"))
        .send()
        .await
        .expect("get");
    assert_eq!(ok.status(), 200);
    server.shutdown().await.expect("clean shutdown");
    assert!(
        TcpStream::connect(addr).await.is_err(),
        "still listening on {addr}"
    );
}
