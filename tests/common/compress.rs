//! Compressed bytes as servers send them and datasets store them: gzip and brotli encoders for test
//! bodies and fixtures.

use std::io::Write;

/// `bytes` as one gzip member, default compression.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(bytes).expect("gzip");
    gz.finish().expect("gzip")
}

/// `bytes` as a brotli stream (quality 5, window 22).
pub fn brotli(bytes: &[u8]) -> Vec<u8> {
    let mut br = brotli::CompressorWriter::new(Vec::new(), 4096, 5, 22);
    br.write_all(bytes).expect("brotli");
    br.into_inner()
}
