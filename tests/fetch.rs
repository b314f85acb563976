//! Integration tests for `gleaner::fetch`: a local raw-TCP server on 127.0.0.1 plays every kind of site,
//! from well-behaved pages in legacy encodings to servers that lie, loop, stall or never stop talking.

#[path = "common/compress.rs"]
mod compress;
#[path = "common/fetch_server.rs"]
#[allow(dead_code)]
mod fetch_server;

use std::time::{Duration, Instant};

use compress::{brotli, gzip};
use encoding_rs::{Encoding, SHIFT_JIS, UTF_8, WINDOWS_1252};
use fetch_server::{Reply, TestServer};
use gleaner::fetch::{CharsetSource, FetchConfig, FetchError, Fetcher, Page};
use url::Url;

const FRENCH: &str = "<p>“Le café de la gare”, dit-elle, “c’est là où l’été dernier nous avons mangé des crêpes.” \
    Il répéta : « Très bien, à bientôt ». Élève, modèle, problème, fenêtre, forêt, où, déjà, très, après, \
    année, été, général, éléphant, première, deuxième, répondre, préférer. The “naïve” café owner’s crème \
    brûlée was praised; the critic’s review said it’s “très élégant”. Nous étions très fâchés après la \
    réunion; l’équipe préférée a gagné la compétition régionale dès la première mi-temps.</p>";

const JAPANESE: &str = "<p>日本語のウェブページです。東京都の天気は晴れ、明日は雨が降るでしょう。\
    記者会見で首相は経済政策について説明しました。新しい法律は来年の四月から施行される予定です。\
    この記事では、最近の出来事について詳しく紹介します。読者の皆様からのご意見をお待ちしております。</p>";

fn config() -> FetchConfig {
    FetchConfig {
        connect_timeout: Duration::from_secs(2),
        timeout: Duration::from_secs(3),
        ..FetchConfig::default()
    }
}

fn fetcher(config: FetchConfig) -> Fetcher {
    Fetcher::new(config).expect("client builds")
}

fn encode(encoding: &'static Encoding, text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding.encode(text);
    assert!(
        !unmappable,
        "test text must be representable in {}",
        encoding.name()
    );
    bytes.into_owned()
}

fn page_in(encoding: &'static Encoding, head: &str, body: &str) -> Vec<u8> {
    encode(
        encoding,
        &format!(
            "<!doctype html><html><head>{head}<title>t</title></head><body>{body}</body></html>"
        ),
    )
}

/// Serves `body` at `/` with the given Content-Type and fetches it.
async fn fetch_one(content_type: Option<&'static str>, body: Vec<u8>) -> Result<Page, FetchError> {
    let server = TestServer::start(move |_| Reply::html(content_type, body.clone())).await;
    fetcher(config()).fetch(&server.url("/")).await
}

fn assert_charset(page: &Page, encoding: &'static Encoding, source: CharsetSource) {
    assert_eq!(
        page.charset, encoding,
        "charset (source {:?})",
        page.charset_source
    );
    assert_eq!(page.charset_source, source);
}

// ---- charsets ----------------------------------------------------------------------------------

#[tokio::test]
async fn windows_1252_declared_by_meta_only() {
    let body = page_in(
        WINDOWS_1252,
        "<meta charset=windows-1252>",
        "<p>“Café” à l’été</p>",
    );
    assert!(body.contains(&0x93) && body.contains(&0x94) && body.contains(&0xE9));
    let page = fetch_one(Some("text/html"), body).await.expect("page");
    assert_charset(&page, WINDOWS_1252, CharsetSource::Meta);
    assert!(page.html.contains("<p>“Café” à l’été</p>"), "{}", page.html);
}

#[tokio::test]
async fn windows_1252_declared_by_header_only() {
    let body = page_in(WINDOWS_1252, "", "<p>“Café” à l’été</p>");
    let page = fetch_one(Some("text/html; charset=windows-1252"), body)
        .await
        .expect("page");
    assert_charset(&page, WINDOWS_1252, CharsetSource::Header);
    assert!(page.html.contains("<p>“Café” à l’été</p>"));
}

#[tokio::test]
async fn windows_1252_undeclared_is_detected() {
    let page = fetch_one(Some("text/html"), page_in(WINDOWS_1252, "", FRENCH))
        .await
        .expect("page");
    assert_charset(&page, WINDOWS_1252, CharsetSource::Detected);
    assert!(page.html.contains(FRENCH));
}

#[tokio::test]
async fn header_wins_over_meta() {
    let body = page_in(WINDOWS_1252, "<meta charset=utf-8>", "<p>“Café”</p>");
    let page = fetch_one(Some("text/html; charset=windows-1252"), body)
        .await
        .expect("page");
    assert_charset(&page, WINDOWS_1252, CharsetSource::Header);
    assert!(page.html.contains("<p>“Café”</p>"));
}

#[tokio::test]
async fn utf8_bom_wins_and_is_stripped() {
    let mut body = b"\xEF\xBB\xBF".to_vec();
    body.extend(page_in(
        UTF_8,
        "<meta charset=windows-1252>",
        "<p>“Café”</p>",
    ));
    let page = fetch_one(Some("text/html; charset=windows-1252"), body)
        .await
        .expect("page");
    assert_charset(&page, UTF_8, CharsetSource::Bom);
    assert!(page.html.starts_with("<!doctype html>"));
    assert!(page.html.contains("<p>“Café”</p>"));
}

#[tokio::test]
async fn shift_jis_undeclared_is_detected() {
    let page = fetch_one(Some("text/html"), page_in(SHIFT_JIS, "", JAPANESE))
        .await
        .expect("page");
    assert_charset(&page, SHIFT_JIS, CharsetSource::Detected);
    assert!(page.html.contains(JAPANESE));
}

#[tokio::test]
async fn shift_jis_declared_by_header() {
    let body = page_in(SHIFT_JIS, "", "<p>日本語</p>");
    let page = fetch_one(Some("text/html; charset=Shift_JIS"), body)
        .await
        .expect("page");
    assert_charset(&page, SHIFT_JIS, CharsetSource::Header);
    assert!(page.html.contains("<p>日本語</p>"));
}

// ---- content type and encodings ---------------------------------------------------------------

#[tokio::test]
async fn pdf_is_not_html() {
    let err = fetch_one(Some("application/pdf"), b"%PDF-1.7".to_vec())
        .await
        .expect_err("not html");
    assert_eq!(err.kind(), "not_html");
    assert!(
        matches!(err, FetchError::NotHtml { content_type: Some(ref ct), .. } if ct == "application/pdf")
    );
}

#[tokio::test]
async fn missing_content_type_is_sniffed() {
    let page = fetch_one(None, b"\n  <html><p>hi</p></html>".to_vec())
        .await
        .expect("sniffed as html");
    assert_eq!(page.content_type, None);
    assert!(page.html.contains("<p>hi</p>"));
    let err = fetch_one(None, b"%PDF-1.7".to_vec())
        .await
        .expect_err("binary");
    assert!(matches!(
        err,
        FetchError::NotHtml {
            content_type: None,
            ..
        }
    ));
}

#[tokio::test]
async fn gzip_body_is_decoded() {
    let html = "<html><p>squeezed “café”</p></html>";
    let body = gzip(html.as_bytes());
    let server = TestServer::start(move |_| {
        Reply::html(Some("text/html; charset=utf-8"), body.clone())
            .with_header("Content-Encoding", "gzip")
    })
    .await;
    let page = fetcher(config())
        .fetch(&server.url("/"))
        .await
        .expect("page");
    assert_eq!(page.html, html);
    let accept_encoding = server.requests()[0]
        .header("accept-encoding")
        .unwrap_or("")
        .to_string();
    assert!(
        accept_encoding.contains("gzip") && accept_encoding.contains("br"),
        "{accept_encoding}"
    );
}

#[tokio::test]
async fn brotli_body_is_decoded() {
    let html = "<html><p>squeezed “café”</p></html>";
    let body = brotli(html.as_bytes());
    let server = TestServer::start(move |_| {
        Reply::html(Some("text/html; charset=utf-8"), body.clone())
            .with_header("Content-Encoding", "br")
    })
    .await;
    let page = fetcher(config())
        .fetch(&server.url("/"))
        .await
        .expect("page");
    assert_eq!(page.html, html);
}

// ---- size cap ----------------------------------------------------------------------------------

#[tokio::test]
async fn declared_length_over_cap_is_rejected_before_reading() {
    // Declares 1 GB, sends a few bytes and stalls: only an early check avoids waiting for the timeout.
    let head =
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 1000000000\r\n\r\n<html>"
            .to_vec();
    let server = TestServer::start(move |_| Reply::Stall(head.clone())).await;
    let config = FetchConfig {
        max_body_bytes: 64 * 1024,
        ..config()
    };
    let err = fetcher(config)
        .fetch(&server.url("/"))
        .await
        .expect_err("too large");
    assert!(
        matches!(err, FetchError::TooLarge { limit: 65536, .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn endless_chunked_body_hits_the_cap() {
    let server = TestServer::start(|_| Reply::Endless {
        chunk: 16 * 1024,
        every: Duration::ZERO,
    })
    .await;
    let config = FetchConfig {
        max_body_bytes: 256 * 1024,
        ..config()
    };
    let err = fetcher(config)
        .fetch(&server.url("/"))
        .await
        .expect_err("too large");
    assert_eq!(err.kind(), "too_large", "{err:?}");
}

#[tokio::test]
async fn trickling_endless_body_times_out() {
    let server = TestServer::start(|_| Reply::Endless {
        chunk: 16,
        every: Duration::from_millis(20),
    })
    .await;
    let config = FetchConfig {
        timeout: Duration::from_millis(400),
        ..config()
    };
    let start = Instant::now();
    let err = fetcher(config)
        .fetch(&server.url("/"))
        .await
        .expect_err("timeout");
    assert_eq!(err.kind(), "timeout", "{err:?}");
    assert!(start.elapsed() < Duration::from_secs(2));
}

// ---- redirects ---------------------------------------------------------------------------------

#[tokio::test]
async fn redirect_is_followed_to_the_final_url() {
    let server = TestServer::start(|req| match req.path.as_str() {
        "/old" => Reply::redirect("/new"),
        _ => Reply::html(Some("text/html"), "<p>new home</p>"),
    })
    .await;
    let page = fetcher(config())
        .fetch(&server.url("/old"))
        .await
        .expect("page");
    assert_eq!(page.url, server.url("/new"));
    assert_eq!(page.status, 200);
}

#[tokio::test]
async fn redirect_loop_is_detected() {
    let server = TestServer::start(|req| match req.path.as_str() {
        "/a" => Reply::redirect("/b"),
        _ => Reply::redirect("/a"),
    })
    .await;
    let err = fetcher(config())
        .fetch(&server.url("/a"))
        .await
        .expect_err("loop");
    assert_eq!(err.kind(), "redirect_loop");
    assert!(
        matches!(err, FetchError::RedirectLoop { ref location, .. } if **location == server.url("/a"))
    );
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn long_redirect_chain_exceeds_the_cap() {
    let server = TestServer::start(|req| {
        let n: u32 = req.path.trim_start_matches("/r/").parse().unwrap_or(0);
        Reply::redirect(&format!("/r/{}", n + 1))
    })
    .await;
    let config = FetchConfig {
        max_redirects: 3,
        ..config()
    };
    let err = fetcher(config)
        .fetch(&server.url("/r/0"))
        .await
        .expect_err("too many");
    assert!(
        matches!(err, FetchError::TooManyRedirects { limit: 3, .. }),
        "{err:?}"
    );
    assert_eq!(
        server.requests().len(),
        4,
        "the original request and three redirects"
    );
}

// ---- failures ----------------------------------------------------------------------------------

#[tokio::test]
async fn not_found_is_a_status_error() {
    let server = TestServer::start(|_| Reply::status(404)).await;
    let url = server.url("/missing");
    let err = fetcher(config()).fetch(&url).await.expect_err("404");
    assert_eq!(err.kind(), "http_status");
    assert!(matches!(err, FetchError::Status { status: 404, url: ref u } if *u == url));
}

#[tokio::test]
async fn silent_server_times_out() {
    let server = TestServer::start(|_| Reply::Stall(Vec::new())).await;
    let config = FetchConfig {
        timeout: Duration::from_millis(300),
        ..config()
    };
    let start = Instant::now();
    let err = fetcher(config)
        .fetch(&server.url("/"))
        .await
        .expect_err("timeout");
    assert!(matches!(err, FetchError::Timeout { .. }), "{err:?}");
    assert!(start.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn refused_connection_is_a_connect_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    drop(listener);
    let url = Url::parse(&format!("http://{addr}/")).expect("url");
    let err = fetcher(config()).fetch(&url).await.expect_err("refused");
    assert!(matches!(err, FetchError::Connect { .. }), "{err:?}");
}

#[tokio::test]
async fn non_http_url_is_invalid() {
    let url = Url::parse("ftp://example.com/file").expect("url");
    let err = fetcher(config()).fetch(&url).await.expect_err("invalid");
    assert_eq!(err.kind(), "invalid_url");
}

// ---- request shape and connect_to --------------------------------------------------------------

#[tokio::test]
async fn user_agent_and_accept_are_sent() {
    let server = TestServer::start(|_| Reply::html(Some("text/html"), "<p>hi</p>")).await;
    fetcher(config())
        .fetch(&server.url("/"))
        .await
        .expect("page");
    let request = &server.requests()[0];
    let user_agent = request.header("user-agent").unwrap_or("");
    assert!(user_agent.starts_with("gleaner/"), "{user_agent}");
    assert!(
        request
            .header("accept")
            .unwrap_or("")
            .starts_with("text/html")
    );
}

#[tokio::test]
async fn connect_to_keeps_host_and_reports_the_original_url() {
    let server = TestServer::start(|req| match req.path.as_str() {
        "/a" => Reply::html(Some("text/html"), "<p>mirror</p>")
            .with_header("ETag", "\"v1\"")
            .with_header("Last-Modified", "Tue, 24 Nov 2026 18:00:00 GMT"),
        "/old" => Reply::redirect("/a"),
        _ => Reply::redirect("http://news.example/old"),
    })
    .await;
    let config = FetchConfig {
        connect_to: vec![("news.example".into(), server.addr)],
        ..config()
    };
    let fetcher = fetcher(config);
    let url = Url::parse("https://news.example/a").expect("url");
    let page = fetcher.fetch(&url).await.expect("page");
    assert_eq!(page.url, url);
    assert_eq!(page.etag.as_deref(), Some("\"v1\""));
    assert_eq!(
        page.last_modified.as_deref(),
        Some("Tue, 24 Nov 2026 18:00:00 GMT")
    );
    assert_eq!(server.requests()[0].header("host"), Some("news.example"));

    // Relative and absolute-http redirects on the mapped host stay on the mirror and map back.
    let start = Url::parse("https://news.example/start").expect("url");
    let page = fetcher.fetch(&start).await.expect("redirected page");
    assert_eq!(page.url, url);
    assert!(
        server
            .requests()
            .iter()
            .all(|r| r.header("host") == Some("news.example"))
    );
}
