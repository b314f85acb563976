//! The response body: streamed as received (still Content-Encoding compressed) under a hard size cap, and
//! the "is this HTML at all" gate.

use encoding_rs::Encoding;
use reqwest::Response;
use url::Url;

use super::capture::Truncation;
use super::error::FetchError;

/// A body read as far as it went.
pub(crate) struct RawBody {
    /// The bytes received (all of them when `end` is `None`).
    pub bytes: Vec<u8>,
    /// Why reading stopped early, with the error to report.
    pub end: Option<(Truncation, FetchError)>,
}

/// Reads the body of `response` as received, stopping with [`Truncation::Length`] as soon as it would exceed
/// `limit` bytes (before reading anything when the declared length already does), or with the reason a
/// read failed. The bytes are counted before decompression; decompression has its own cap.
pub(crate) async fn read_raw(response: &mut Response, url: &Url, limit: u64) -> RawBody {
    let too_large = || {
        Some((
            Truncation::Length,
            FetchError::TooLarge {
                url: url.clone(),
                limit,
            },
        ))
    };
    let declared = response.content_length();
    if declared.is_some_and(|length| length > limit) {
        return RawBody {
            bytes: Vec::new(),
            end: too_large(),
        };
    }
    const INITIAL_CAPACITY: u64 = 256 * 1024;
    let capacity = declared
        .unwrap_or(INITIAL_CAPACITY)
        .min(limit)
        .min(INITIAL_CAPACITY);
    let mut bytes = Vec::with_capacity(usize::try_from(capacity).unwrap_or(0));
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if (bytes.len() + chunk.len()) as u64 > limit {
                    let room = usize::try_from(limit).unwrap_or(usize::MAX) - bytes.len();
                    bytes.extend_from_slice(&chunk[..room.min(chunk.len())]);
                    return RawBody {
                        bytes,
                        end: too_large(),
                    };
                }
                bytes.extend_from_slice(&chunk);
            }
            Ok(None) => return RawBody { bytes, end: None },
            Err(source) => {
                let error = FetchError::from_body(url, source);
                let reason = match error {
                    FetchError::Timeout { .. } => Truncation::Time,
                    _ => Truncation::Disconnect,
                };
                return RawBody {
                    bytes,
                    end: Some((reason, error)),
                };
            }
        }
    }
}

/// Whether a `Content-Type` value names an HTML document type.
pub(crate) fn is_html_content_type(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or("").trim();
    essence.eq_ignore_ascii_case("text/html")
        || essence.eq_ignore_ascii_case("application/xhtml+xml")
}

/// Whether an unlabeled body looks like HTML: after an optional byte order mark and whitespace, it starts with `<`.
pub(crate) fn sniffs_as_html(body: &[u8]) -> bool {
    match Encoding::for_bom(body) {
        Some((encoding, bom_len)) => {
            let head = &body[bom_len..body.len().min(bom_len + 512)];
            let (text, _) = encoding.decode_without_bom_handling(head);
            text.trim_start().starts_with('<')
        }
        None => body.trim_ascii_start().first() == Some(&b'<'),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_content_types() {
        assert!(is_html_content_type("text/html"));
        assert!(is_html_content_type("Text/HTML; charset=utf-8"));
        assert!(is_html_content_type("application/xhtml+xml"));
        assert!(!is_html_content_type("application/pdf"));
        assert!(!is_html_content_type("text/plain; charset=utf-8"));
    }

    #[test]
    fn sniffing() {
        assert!(sniffs_as_html(b" \r\n\t<!doctype html>"));
        assert!(sniffs_as_html(b"\xEF\xBB\xBF <html>"));
        assert!(sniffs_as_html(&[0xFE, 0xFF, 0, b' ', 0, b'<']));
        assert!(!sniffs_as_html(b"%PDF-1.7"));
        assert!(!sniffs_as_html(b""));
    }
}
