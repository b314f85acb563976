//! Reading WARC files record by record, with each record's offset and stored length: `.warc.gz` files one
//! gzip member at a time (several records in one member are read too, all with that member's offset), and
//! uncompressed `.warc` files. Used by `replay`, by the writer's recovery of files a killed run left open,
//! and to look up an earlier record by its CDXJ offset.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use flate2::bufread::GzDecoder;

use super::WarcError;
use super::record::Record;

/// A record and where it is stored.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Offset of the record's gzip member (or of the record, uncompressed) in the file.
    pub offset: u64,
    /// Stored length of the member (or record).
    pub length: u64,
    pub record: Record,
}

/// Iterates over the records of one WARC file. After the first error it yields nothing more.
pub struct WarcReader {
    path: PathBuf,
    input: Counting<BufReader<File>>,
    gzip: bool,
    pending: VecDeque<Entry>,
    failed: bool,
}

impl WarcReader {
    /// Opens `path`; whether it is gzip-compressed is read from its first bytes.
    pub fn open(path: &Path) -> Result<WarcReader, WarcError> {
        let file = File::open(path).map_err(|source| WarcError::Open {
            path: path.to_owned(),
            source,
        })?;
        let mut input = Counting {
            inner: BufReader::with_capacity(256 * 1024, file),
            count: 0,
        };
        let gzip = input
            .fill_buf()
            .map_err(|source| read_error(path, 0, source))?
            .starts_with(&[0x1f, 0x8b]);
        Ok(WarcReader {
            path: path.to_owned(),
            input,
            gzip,
            pending: VecDeque::new(),
            failed: false,
        })
    }

    /// The record whose member (or record) starts at `offset`.
    pub fn read_at(path: &Path, offset: u64) -> Result<Entry, WarcError> {
        let mut reader = WarcReader::open(path)?;
        reader
            .input
            .inner
            .seek(SeekFrom::Start(offset))
            .map_err(|source| read_error(path, offset, source))?;
        reader.input.count = offset;
        reader.next().unwrap_or_else(|| {
            Err(WarcError::Format {
                path: path.to_owned(),
                offset,
                message: "no record at this offset".into(),
            })
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Reads the next member (or record); `Ok(false)` at the end of the file.
    fn read_more(&mut self) -> Result<bool, WarcError> {
        let offset = self.input.count;
        let at_end = self
            .input
            .fill_buf()
            .map_err(|source| read_error(&self.path, offset, source))?
            .is_empty();
        if at_end {
            return Ok(false);
        }
        let bytes = if self.gzip {
            let mut bytes = Vec::new();
            GzDecoder::new(&mut self.input)
                .read_to_end(&mut bytes)
                .map_err(|source| read_error(&self.path, offset, source))?;
            bytes
        } else {
            self.read_plain_record(offset)?
        };
        let length = self.input.count - offset;
        let mut rest = &bytes[..];
        while !rest.is_empty() {
            let (record, used) = Record::parse(rest).map_err(|message| WarcError::Format {
                path: self.path.clone(),
                offset,
                message,
            })?;
            self.pending.push_back(Entry {
                offset,
                length,
                record,
            });
            rest = &rest[used..];
        }
        Ok(true)
    }

    /// Reads one uncompressed record: the header up to its blank line, then `Content-Length` bytes and
    /// the two CRLFs after them.
    fn read_plain_record(&mut self, offset: u64) -> Result<Vec<u8>, WarcError> {
        let error = |source| read_error(&self.path, offset, source);
        let mut bytes = Vec::new();
        let mut length = None;
        loop {
            let start = bytes.len();
            let read = self.input.read_until(b'\n', &mut bytes).map_err(error)?;
            let line = &bytes[start..];
            if read == 0 || line == b"\r\n" {
                break;
            }
            let text = String::from_utf8_lossy(line);
            if let Some((name, value)) = text.split_once(':') {
                if name.trim().eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse::<u64>().ok();
                }
            }
        }
        let length = length.ok_or_else(|| WarcError::Format {
            path: self.path.clone(),
            offset,
            message: "missing or invalid Content-Length".into(),
        })?;
        (&mut self.input)
            .take(length + 4)
            .read_to_end(&mut bytes)
            .map_err(|source| read_error(&self.path, offset, source))?;
        Ok(bytes)
    }
}

impl Iterator for WarcReader {
    type Item = Result<Entry, WarcError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(entry) = self.pending.pop_front() {
                return Some(Ok(entry));
            }
            if self.failed {
                return None;
            }
            match self.read_more() {
                Ok(true) => {}
                Ok(false) => return None,
                Err(error) => {
                    self.failed = true;
                    return Some(Err(error));
                }
            }
        }
    }
}

fn read_error(path: &Path, offset: u64, source: io::Error) -> WarcError {
    WarcError::Read {
        path: path.to_owned(),
        offset,
        source,
    }
}

/// A buffered reader that counts the bytes consumed from it.
struct Counting<R> {
    inner: R,
    count: u64,
}

impl<R: BufRead> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count += n as u64;
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Counting<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        self.count += amount as u64;
        self.inner.consume(amount);
    }
}
