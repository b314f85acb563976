//! Content-Encoding decoding, done by gleaner rather than by the HTTP client so that the archived body stays
//! exactly as received: `gzip` / `x-gzip` (flate2), `deflate` (zlib, or raw deflate from servers that skip
//! the zlib wrapper), `br` (brotli) and `identity`, applied in reverse order of a list such as
//! `gzip, br`. The decoded size is capped, so a small compressed body cannot expand without bound.

use std::borrow::Cow;
use std::io::{self, Read};

/// Why a body could not be decoded.
#[derive(Debug, thiserror::Error)]
pub enum DecompressError {
    /// The decoded body would exceed the cap.
    #[error("decoded body larger than {limit} bytes")]
    TooLarge { limit: u64 },
    /// An encoding gleaner does not decode (it never asks for one).
    #[error("unsupported Content-Encoding {0:?}")]
    Unsupported(String),
    #[error("corrupt {encoding} body")]
    Corrupt {
        encoding: String,
        #[source]
        source: io::Error,
    },
}

/// The `Accept-Encoding` gleaner sends: exactly the encodings [`decompress`] decodes.
pub const ACCEPT_ENCODING: &str = "gzip, deflate, br";

/// Decodes `body` as labelled by a `Content-Encoding` header value, producing at most `limit` bytes.
pub fn decompress<'a>(
    body: &'a [u8],
    content_encoding: Option<&str>,
    limit: u64,
) -> Result<Cow<'a, [u8]>, DecompressError> {
    let mut data = Cow::Borrowed(body);
    let Some(header) = content_encoding else {
        return Ok(data);
    };
    let codings: Vec<String> = header
        .split(',')
        .map(|c| c.trim().to_ascii_lowercase())
        .filter(|c| !c.is_empty() && c != "identity")
        .collect();
    for coding in codings.iter().rev() {
        let decoded = match coding.as_str() {
            "gzip" | "x-gzip" => read_capped(flate2::read::MultiGzDecoder::new(&data[..]), limit),
            "deflate" => match read_capped(flate2::read::ZlibDecoder::new(&data[..]), limit) {
                // Some servers send raw deflate under this name.
                Err(ReadError::Io(_)) => {
                    read_capped(flate2::read::DeflateDecoder::new(&data[..]), limit)
                }
                other => other,
            },
            "br" => read_capped(brotli::Decompressor::new(&data[..], 4096), limit),
            other => return Err(DecompressError::Unsupported(other.to_string())),
        };
        data = Cow::Owned(decoded.map_err(|e| match e {
            ReadError::TooLarge => DecompressError::TooLarge { limit },
            ReadError::Io(source) => DecompressError::Corrupt {
                encoding: coding.clone(),
                source,
            },
        })?);
    }
    Ok(data)
}

enum ReadError {
    TooLarge,
    Io(io::Error),
}

/// Reads `reader` to the end, failing as soon as more than `limit` bytes come out.
fn read_capped(reader: impl Read, limit: u64) -> Result<Vec<u8>, ReadError> {
    let mut out = Vec::new();
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(ReadError::Io)?;
    if out.len() as u64 > limit {
        return Err(ReadError::TooLarge);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(data).expect("gzip");
        gz.finish().expect("gzip")
    }

    fn brotli(data: &[u8]) -> Vec<u8> {
        let mut br = brotli::CompressorWriter::new(Vec::new(), 4096, 5, 22);
        br.write_all(data).expect("brotli");
        br.into_inner()
    }

    #[test]
    fn decodes_each_encoding_and_stacks() {
        let text = b"<p>hello hello hello</p>";
        assert_eq!(&*decompress(text, None, 100).expect("none"), text);
        assert_eq!(&*decompress(text, Some("identity"), 100).expect("id"), text);
        assert_eq!(
            &*decompress(&gzip(text), Some("GZIP"), 100).expect("gz"),
            text
        );
        assert_eq!(
            &*decompress(&brotli(text), Some("br"), 100).expect("br"),
            text
        );
        let mut zlib = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        zlib.write_all(text).expect("zlib");
        let zlib = zlib.finish().expect("zlib");
        assert_eq!(
            &*decompress(&zlib, Some("deflate"), 100).expect("zlib"),
            text
        );
        let mut raw = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
        raw.write_all(text).expect("deflate");
        let raw = raw.finish().expect("deflate");
        assert_eq!(&*decompress(&raw, Some("deflate"), 100).expect("raw"), text);
        let stacked = brotli(&gzip(text));
        assert_eq!(
            &*decompress(&stacked, Some("gzip, br"), 100).expect("stack"),
            text
        );
    }

    #[test]
    fn bombs_corruption_and_unknown_encodings_fail() {
        let bomb = gzip(&vec![b'a'; 1_000_000]);
        assert!(bomb.len() < 10_000);
        assert!(matches!(
            decompress(&bomb, Some("gzip"), 64 * 1024),
            Err(DecompressError::TooLarge { limit: 65536 })
        ));
        assert!(matches!(
            decompress(b"not gzip at all", Some("gzip"), 100),
            Err(DecompressError::Corrupt { .. })
        ));
        assert!(matches!(
            decompress(b"x", Some("zstd"), 100),
            Err(DecompressError::Unsupported(e)) if e == "zstd"
        ));
    }
}
