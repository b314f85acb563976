//! One WARC 1.1 record: named fields in order and a block, serialized as `WARC/1.1`, the fields, the
//! block and two CRLFs, and compressed as its own gzip member. Also the parser for the same layout (used
//! by the reader), the `sha1:` base32 digests and the record ids and dates every record carries.

use std::io::Write;

use chrono::{DateTime, Utc};
use flate2::Compression;
use flate2::write::GzEncoder;
use sha1::{Digest, Sha1};

/// `application/http` block of a request record.
pub const HTTP_REQUEST: &str = "application/http;msgtype=request";
/// `application/http` block of a response or revisit record.
pub const HTTP_RESPONSE: &str = "application/http;msgtype=response";
/// The `WARC-Profile` of a revisit whose payload equals an earlier capture's.
pub const PROFILE_IDENTICAL: &str =
    "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest";
/// The `WARC-Profile` of a revisit for a `304 Not Modified`.
pub const PROFILE_NOT_MODIFIED: &str =
    "http://netpreserve.org/warc/1.1/revisit/server-not-modified";

/// A WARC record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// The version line's version, e.g. `1.1`.
    pub version: String,
    /// Named fields in order, `Content-Length` included (last, when built here).
    pub fields: Vec<(String, String)>,
    pub block: Vec<u8>,
}

impl Record {
    /// Starts a record: `WARC-Type`, `WARC-Record-ID` and `WARC-Date`, in that order.
    pub fn new(warc_type: &str, id: &str, date: &str) -> Record {
        Record {
            version: "1.1".to_string(),
            fields: vec![
                ("WARC-Type".into(), warc_type.into()),
                ("WARC-Record-ID".into(), id.into()),
                ("WARC-Date".into(), date.into()),
            ],
            block: Vec::new(),
        }
    }

    /// Adds a named field.
    pub fn field(mut self, name: &str, value: impl Into<String>) -> Record {
        self.fields.push((name.to_string(), value.into()));
        self
    }

    /// Adds a named field when there is a value.
    pub fn field_opt(self, name: &str, value: Option<impl Into<String>>) -> Record {
        match value {
            Some(value) => self.field(name, value),
            None => self,
        }
    }

    /// Sets the block, with its `WARC-Block-Digest`, the given `WARC-Payload-Digest`, `Content-Type` and
    /// `Content-Length`.
    pub fn block(self, content_type: &str, block: Vec<u8>, payload_digest: &str) -> Record {
        let mut record = self
            .field("WARC-Block-Digest", sha1_digest(&block))
            .field("WARC-Payload-Digest", payload_digest)
            .field("Content-Type", content_type)
            .field("Content-Length", block.len().to_string());
        record.block = block;
        record
    }

    /// The first value of a field (case-insensitive name).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn warc_type(&self) -> &str {
        self.get("WARC-Type").unwrap_or_default()
    }

    pub fn id(&self) -> &str {
        self.get("WARC-Record-ID").unwrap_or_default()
    }

    /// The record as it is stored, uncompressed.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.block.len() + 512);
        out.extend_from_slice(b"WARC/");
        out.extend_from_slice(self.version.as_bytes());
        out.extend_from_slice(b"\r\n");
        for (name, value) in &self.fields {
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(b": ");
            out.extend_from_slice(value.as_bytes());
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(&self.block);
        out.extend_from_slice(b"\r\n\r\n");
        out
    }

    /// The record as one complete gzip member.
    pub fn to_gzip_member(&self) -> std::io::Result<Vec<u8>> {
        let bytes = self.to_bytes();
        let mut gz = GzEncoder::new(
            Vec::with_capacity(bytes.len() / 3 + 64),
            Compression::default(),
        );
        gz.write_all(&bytes)?;
        gz.finish()
    }

    /// Parses one record at the start of `bytes`; returns it and the bytes it used.
    pub fn parse(bytes: &[u8]) -> Result<(Record, usize), String> {
        let head_end = find(bytes, b"\r\n\r\n").ok_or("no end of the WARC header")?;
        let head = std::str::from_utf8(&bytes[..head_end])
            .map_err(|_| "the WARC header is not UTF-8".to_string())?;
        let mut lines = head.split("\r\n");
        let version = lines
            .next()
            .and_then(|l| l.strip_prefix("WARC/"))
            .ok_or("not a WARC record (no WARC/ version line)")?
            .to_string();
        let mut fields = Vec::new();
        for line in lines {
            let (name, value) = line
                .split_once(':')
                .ok_or_else(|| format!("malformed WARC field {line:?}"))?;
            fields.push((name.trim().to_string(), value.trim().to_string()));
        }
        let mut record = Record {
            version,
            fields,
            block: Vec::new(),
        };
        let length: usize = record
            .get("Content-Length")
            .and_then(|l| l.parse().ok())
            .ok_or("missing or invalid Content-Length")?;
        let start = head_end + 4;
        let end = start
            .checked_add(length)
            .filter(|end| *end <= bytes.len())
            .ok_or("the record is shorter than its Content-Length")?;
        record.block = bytes[start..end].to_vec();
        let mut used = end;
        if bytes[end..].starts_with(b"\r\n\r\n") {
            used += 4;
        }
        Ok((record, used))
    }
}

/// `sha1:` and the base32 SHA-1 of `data`: the digest form WARC tools expect.
pub fn sha1_digest(data: &[u8]) -> String {
    format!("sha1:{}", data_encoding::BASE32.encode(&Sha1::digest(data)))
}

/// A new `WARC-Record-ID`: `<urn:uuid:…>` with a random (v4) UUID.
pub fn new_record_id() -> String {
    format!("<urn:uuid:{}>", uuid::Uuid::new_v4())
}

/// A `WARC-Date`: UTC, to the second.
pub fn warc_date(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_are_base32_sha1() {
        // Known value: SHA-1 of the empty string.
        assert_eq!(sha1_digest(b""), "sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ");
        let id = new_record_id();
        assert!(id.starts_with("<urn:uuid:") && id.ends_with('>') && id.len() == 47);
    }

    #[test]
    fn records_round_trip() {
        let record = Record::new("resource", "<urn:uuid:x>", "2026-11-24T18:00:00Z")
            .field("WARC-Target-URI", "http://a.test/")
            .field_opt("WARC-IP-Address", None::<String>)
            .block("text/plain", b"hello".to_vec(), &sha1_digest(b"hello"));
        let bytes = record.to_bytes();
        assert!(bytes.starts_with(b"WARC/1.1\r\nWARC-Type: resource\r\n"));
        assert!(bytes.ends_with(b"Content-Length: 5\r\n\r\nhello\r\n\r\n"));
        let (parsed, used) = Record::parse(&bytes).expect("parse");
        assert_eq!(parsed, record);
        assert_eq!(used, bytes.len());
        assert_eq!(parsed.get("content-length"), Some("5"));
        assert!(Record::parse(b"HTTP/1.1 200 OK\r\n\r\n").is_err());
        assert!(Record::parse(&bytes[..bytes.len() - 8]).is_err());
    }
}
