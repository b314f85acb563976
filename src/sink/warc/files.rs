//! The WARC folder's files: the `.open` suffix of a file being written, closing a file (fsync, CDXJ index,
//! rename), the index file beside each WARC file, and the recovery of files a killed run left open.

use std::fs::{self, File, OpenOptions};
use std::path::{Path, PathBuf};

use fs4::FileExt;

use super::WarcError;
use super::cdxj::{CdxjLine, index_line, render_sorted};
use super::reader::WarcReader;
use super::writer::OpenFile;
use crate::sink::write_atomic;

/// Suffix of a file being written.
pub(super) const OPEN_SUFFIX: &str = ".open";

/// fsync, write the index, rename `.open` away, fsync the folder.
pub(super) fn close_file(dir: &Path, file: OpenFile) -> Result<(), WarcError> {
    let final_path = dir.join(&file.name);
    file.file.sync_all().map_err(|source| WarcError::Write {
        path: file.open_path.clone(),
        source,
    })?;
    write_index(dir, &file.name, &file.index)?;
    fs::rename(&file.open_path, &final_path).map_err(|source| WarcError::Write {
        path: final_path.clone(),
        source,
    })?;
    if let Ok(folder) = File::open(dir) {
        let _ = folder.sync_all();
    }
    Ok(())
}

/// The index file of a WARC file: `x.warc.gz` → `x.cdxj`.
pub fn index_path(dir: &Path, warc_name: &str) -> PathBuf {
    let stem = warc_name
        .strip_suffix(".warc.gz")
        .or_else(|| warc_name.strip_suffix(".warc"))
        .unwrap_or(warc_name);
    dir.join(format!("{stem}.cdxj"))
}

fn write_index(dir: &Path, warc_name: &str, lines: &[CdxjLine]) -> Result<(), WarcError> {
    let path = index_path(dir, warc_name);
    write_atomic(&path, render_sorted(lines).as_bytes())
        .map(|_| ())
        .map_err(|source| WarcError::Index { path, source })
}

/// Finishes the `.open` files of runs that died: cut after the last complete record, index, rename.
/// A file another live writer holds locked is left alone.
pub(super) fn recover_open_files(dir: &Path) -> Result<(), WarcError> {
    for path in list(dir)? {
        let Some(name) = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix(OPEN_SUFFIX))
            .map(str::to_string)
        else {
            continue;
        };
        let open_error = |source| WarcError::Open {
            path: path.clone(),
            source,
        };
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .open(&path)
            .map_err(open_error)?;
        if FileExt::try_lock(&file).is_err() {
            continue;
        }
        let mut good_end = 0;
        let mut index = Vec::new();
        let mut reader = WarcReader::open(&path)?;
        for entry in reader.by_ref() {
            let Ok(entry) = entry else { break };
            good_end = entry.offset + entry.length;
            index.extend(index_line(&entry, &name));
        }
        tracing::warn!(file = %path.display(), kept_bytes = good_end, "recovering a WARC file left open");
        file.set_len(good_end)
            .and_then(|()| file.sync_all())
            .map_err(|source| WarcError::Write {
                path: path.clone(),
                source,
            })?;
        if good_end == 0 {
            let _ = fs::remove_file(&path);
            continue;
        }
        close_file(
            dir,
            OpenFile {
                name,
                open_path: path.clone(),
                file,
                size: good_end,
                warcinfo_id: String::new(),
                index,
            },
        )?;
    }
    Ok(())
}

/// The folder's entries, sorted.
pub(super) fn list(dir: &Path) -> Result<Vec<PathBuf>, WarcError> {
    let list_error = |source| WarcError::List {
        path: dir.to_owned(),
        source,
    };
    let mut paths = Vec::new();
    for entry in fs::read_dir(dir).map_err(list_error)? {
        paths.push(entry.map_err(list_error)?.path());
    }
    paths.sort();
    Ok(paths)
}
