//! The response body: streamed under a hard size cap, and the "is this HTML at all" gate.

use encoding_rs::Encoding;
use reqwest::Response;
use url::Url;

use super::error::FetchError;

/// Reads the whole body of `response`, failing with `TooLarge` as soon as it would exceed `limit` bytes
/// (before reading anything when the declared length already does). Bytes are counted after
/// Content-Encoding decompression, so a compression bomb is stopped too.
pub(crate) async fn read_capped(
    response: &mut Response,
    url: &Url,
    limit: u64,
) -> Result<Vec<u8>, FetchError> {
    let too_large = || FetchError::TooLarge {
        url: url.clone(),
        limit,
    };
    let declared = response.content_length();
    if declared.is_some_and(|length| length > limit) {
        return Err(too_large());
    }
    const INITIAL_CAPACITY: u64 = 256 * 1024;
    let capacity = declared
        .unwrap_or(INITIAL_CAPACITY)
        .min(limit)
        .min(INITIAL_CAPACITY);
    let mut body = Vec::with_capacity(usize::try_from(capacity).unwrap_or(0));
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|source| FetchError::from_body(url, source))?
    {
        if (body.len() + chunk.len()) as u64 > limit {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
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
