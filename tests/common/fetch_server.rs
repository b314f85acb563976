//! A tiny raw-TCP HTTP/1.1 server for the fetch tests: full control over the bytes on the wire (declared
//! lengths that lie, endless chunked bodies, connections that never answer) and a record of every request.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use url::Url;

/// One received request: the request line's target and the headers (names lower-cased).
#[derive(Debug, Clone)]
pub struct Request {
    pub path: String,
    pub headers: Vec<(String, String)>,
    /// The request head exactly as received (request line, headers, blank line).
    pub head: Vec<u8>,
    /// When the request head was fully read.
    pub at: std::time::Instant,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// What the server does with a request.
pub enum Reply {
    /// A complete response; `Content-Length` is added unless a header already sets it (or sets
    /// `Transfer-Encoding`, in which case `body` must be framed accordingly).
    Full {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// Writes these raw bytes, then keeps the connection open without sending anything more.
    Stall(Vec<u8>),
    /// A chunked HTML body that never ends: `chunk` bytes every `every`.
    Endless { chunk: usize, every: Duration },
    /// The reply, sent after a delay.
    Delayed(Duration, Box<Reply>),
    /// Closes the connection without answering (a reset, as the client sees it).
    Close,
}

impl Reply {
    pub fn html(content_type: Option<&str>, body: impl Into<Vec<u8>>) -> Reply {
        let headers = content_type
            .map(|ct| vec![("Content-Type".to_string(), ct.to_string())])
            .unwrap_or_default();
        Reply::Full {
            status: 200,
            headers,
            body: body.into(),
        }
    }

    pub fn status(status: u16) -> Reply {
        Reply::Full {
            status,
            headers: vec![("Content-Type".into(), "text/html".into())],
            body: b"<p>status</p>".to_vec(),
        }
    }

    pub fn redirect(location: &str) -> Reply {
        Reply::Full {
            status: 302,
            headers: vec![("Location".into(), location.into())],
            body: Vec::new(),
        }
    }

    pub fn with_header(mut self, name: &str, value: &str) -> Reply {
        if let Reply::Full { headers, .. } = &mut self {
            headers.push((name.to_string(), value.to_string()));
        }
        self
    }
}

type Handler = dyn Fn(&Request) -> Reply + Send + Sync;

pub struct TestServer {
    pub addr: SocketAddr,
    requests: Arc<Mutex<Vec<Request>>>,
}

impl TestServer {
    pub async fn start(handler: impl Fn(&Request) -> Reply + Send + Sync + 'static) -> TestServer {
        TestServer::start_on("127.0.0.1", handler).await
    }

    /// Starts a server on a free port of `ip` (any 127.0.0.x works on Linux loopback).
    pub async fn start_on(
        ip: &str,
        handler: impl Fn(&Request) -> Reply + Send + Sync + 'static,
    ) -> TestServer {
        let listener = TcpListener::bind((ip, 0)).await.expect("bind");
        let addr = listener.local_addr().expect("local addr");
        let requests = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let seen = Arc::clone(&requests);
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (handler, seen) = (Arc::clone(&handler), Arc::clone(&seen));
                tokio::spawn(serve(stream, handler, seen));
            }
        });
        TestServer { addr, requests }
    }

    pub fn url(&self, path: &str) -> Url {
        Url::parse(&format!("http://{}{path}", self.addr)).expect("server URL")
    }

    pub fn requests(&self) -> Vec<Request> {
        self.requests.lock().expect("requests lock").clone()
    }
}

async fn serve(mut stream: TcpStream, handler: Arc<Handler>, seen: Arc<Mutex<Vec<Request>>>) {
    let Some(request) = read_request(&mut stream).await else {
        return;
    };
    seen.lock().expect("requests lock").push(request.clone());
    let mut reply = handler(&request);
    while let Reply::Delayed(delay, inner) = reply {
        tokio::time::sleep(delay).await;
        reply = *inner;
    }
    // Write errors mean the client hung up, which several tests provoke on purpose.
    let _ = match reply {
        Reply::Close | Reply::Delayed(..) => Ok(()),
        Reply::Full {
            status,
            mut headers,
            body,
        } => {
            // A reply that sets its own framing (Content-Length or Transfer-Encoding) keeps it.
            if !headers.iter().any(|(n, _)| {
                n.eq_ignore_ascii_case("content-length")
                    || n.eq_ignore_ascii_case("transfer-encoding")
            }) {
                headers.push(("Content-Length".into(), body.len().to_string()));
            }
            let mut head = format!("HTTP/1.1 {status} Whatever\r\nConnection: close\r\n");
            for (name, value) in headers {
                head.push_str(&format!("{name}: {value}\r\n"));
            }
            head.push_str("\r\n");
            let mut bytes = head.into_bytes();
            bytes.extend_from_slice(&body);
            stream.write_all(&bytes).await
        }
        Reply::Stall(bytes) => match stream.write_all(&bytes).await {
            Ok(()) => {
                tokio::time::sleep(Duration::from_secs(60)).await;
                Ok(())
            }
            err => err,
        },
        Reply::Endless { chunk, every } => endless(&mut stream, chunk, every).await,
    };
}

async fn endless(stream: &mut TcpStream, chunk: usize, every: Duration) -> std::io::Result<()> {
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n";
    stream.write_all(head.as_bytes()).await?;
    let mut frame = format!("{chunk:x}\r\n").into_bytes();
    frame.extend(std::iter::repeat_n(b'a', chunk));
    frame.extend_from_slice(b"\r\n");
    loop {
        stream.write_all(&frame).await?;
        tokio::time::sleep(every).await;
    }
}

async fn read_request(stream: &mut TcpStream) -> Option<Request> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 || buf.len() > 64 * 1024 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let head_len = buf
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or(buf.len(), |p| p + 4);
    let head = buf[..head_len].to_vec();
    let text = String::from_utf8_lossy(&buf);
    let mut lines = text.split("\r\n");
    let path = lines.next()?.split(' ').nth(1)?.to_string();
    let headers = lines
        .take_while(|line| !line.is_empty())
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Some(Request {
        path,
        headers,
        head,
        at: std::time::Instant::now(),
    })
}
