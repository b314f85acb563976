//! The article files in an output folder: gleaner writes one folder per host and one `<name>.json` per
//! article in it (the layout of `snapshots/<site>/<case>.json` too). Lists them, sorted.

use std::path::{Path, PathBuf};

/// Every file in the sub-folders of `dir` (`<dir>/<host>/<file>`), sorted; files directly in `dir`
/// (the crawl summary, the state) are not listed.
pub fn host_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for host in std::fs::read_dir(dir).expect("out dir") {
        let host = host.expect("entry").path();
        if host.is_dir() {
            for file in std::fs::read_dir(&host).expect("host dir") {
                files.push(file.expect("entry").path());
            }
        }
    }
    files.sort();
    files
}

/// The article files (`*.json`) among [`host_files`]: a staged temporary file is not one.
pub fn article_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = host_files(dir);
    files.retain(|f| f.extension().is_some_and(|e| e == "json"));
    files
}
