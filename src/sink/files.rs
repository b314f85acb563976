//! One pretty JSON file per article, written atomically.
//!
//! [`JsonDir`] owns an output folder: it proves the folder writable when opened, and
//! writes each article to `dir/`[`article_path`]. Every write goes through
//! [`StagedFile`]: the bytes land in a `.gleaner-*.tmp` sibling, are fsynced, renamed
//! over the destination, and the folder is fsynced (unix). A crash at any point
//! leaves the old file or the new one, never a partial article; a leftover temp file
//! is hidden, does not end in `.json`, and is skipped by [`JsonDir::articles`].

use std::ffi::OsStr;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;
use url::Url;

use super::{SinkError, article_path};
use crate::Article;

/// Prefix of gleaner's temp files (a dot: hidden from listings).
const TEMP_PREFIX: &str = ".gleaner-";
/// Suffix of gleaner's temp files (never `.json`).
const TEMP_SUFFIX: &str = ".tmp";

/// An output folder of article JSON files, `<host>/<slug>-<hash>.json`.
#[derive(Debug, Clone)]
pub struct JsonDir {
    root: PathBuf,
}

impl JsonDir {
    /// Creates `dir` if needed and proves it writable by creating and removing a temp
    /// file, so an unusable folder fails the run up front, not at the first article.
    pub fn open(dir: &Path) -> Result<JsonDir, SinkError> {
        fs::create_dir_all(dir).map_err(|source| SinkError::CreateDir {
            path: dir.to_owned(),
            source,
        })?;
        temp_file_in(dir)
            .and_then(NamedTempFile::close)
            .map_err(|source| SinkError::NotWritable {
                path: dir.to_owned(),
                source,
            })?;
        Ok(JsonDir {
            root: dir.to_owned(),
        })
    }

    /// The output folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Where the article from `url` is (or would be) written.
    pub fn path_for(&self, url: &Url) -> PathBuf {
        self.root.join(article_path(url))
    }

    /// Writes `article` as pretty JSON (2-space indent, trailing newline) to
    /// [`path_for(url)`](Self::path_for), atomically replacing any previous version.
    /// Returns the final path.
    pub fn write(&self, article: &Article, url: &Url) -> Result<PathBuf, SinkError> {
        let mut json =
            serde_json::to_vec_pretty(article).map_err(|source| SinkError::Serialize {
                url: url.to_string(),
                source,
            })?;
        json.push(b'\n');
        let path = self.path_for(url);
        write_atomic(&path, &json)?;
        Ok(path)
    }

    /// Every article file (`<host>/*.json`) in the folder, sorted; temp files and
    /// hidden entries are skipped.
    pub fn articles(&self) -> Result<Vec<PathBuf>, SinkError> {
        let mut found = Vec::new();
        for host in visible_entries(&self.root)? {
            if host.is_dir() {
                let files = visible_entries(&host)?.into_iter();
                found.extend(files.filter(|p| p.extension() == Some(OsStr::new("json"))));
            }
        }
        found.sort();
        Ok(found)
    }
}

/// Replaces `dest` with `bytes` atomically: [`StagedFile::stage`] then
/// [`StagedFile::commit`].
pub fn write_atomic(dest: &Path, bytes: &[u8]) -> Result<PathBuf, SinkError> {
    StagedFile::stage(dest, bytes)?.commit()
}

/// True for the names of gleaner's temp files (`.gleaner-*.tmp`), which readers skip.
pub fn is_temp_file(path: &Path) -> bool {
    path.file_name()
        .and_then(OsStr::to_str)
        .is_some_and(|n| n.starts_with(TEMP_PREFIX) && n.ends_with(TEMP_SUFFIX))
}

/// A file written and fsynced next to its destination, not yet renamed into place.
///
/// Dropping it without [`commit`](Self::commit) removes the temp file; a crash
/// leaves it behind as `.gleaner-*.tmp`, and the destination untouched.
#[derive(Debug)]
pub struct StagedFile {
    temp: NamedTempFile,
    dest: PathBuf,
}

impl StagedFile {
    /// Creates the destination's folder if needed, then writes and fsyncs `bytes` in
    /// a temp file in that same folder (so the rename cannot cross file systems).
    pub fn stage(dest: &Path, bytes: &[u8]) -> Result<StagedFile, SinkError> {
        let dir = parent_of(dest);
        if !dir.is_dir() {
            fs::create_dir_all(dir).map_err(|source| SinkError::CreateDir {
                path: dir.to_owned(),
                source,
            })?;
            sync_dir(parent_of(dir)).map_err(|source| write_error(dir, source))?;
        }
        let mut temp = temp_file_in(dir).map_err(|source| write_error(dest, source))?;
        temp.write_all(bytes)
            .and_then(|()| temp.as_file().sync_all())
            .map_err(|source| write_error(dest, source))?;
        Ok(StagedFile {
            temp,
            dest: dest.to_owned(),
        })
    }

    /// The temp file holding the staged bytes.
    pub fn temp_path(&self) -> &Path {
        self.temp.path()
    }

    /// Renames the temp file over the destination and fsyncs the folder, making the
    /// new content durable. Returns the destination.
    pub fn commit(self) -> Result<PathBuf, SinkError> {
        let StagedFile { temp, dest } = self;
        temp.persist(&dest)
            .map_err(|e| write_error(&dest, e.error))?;
        sync_dir(parent_of(&dest)).map_err(|source| write_error(&dest, source))?;
        Ok(dest)
    }
}

fn write_error(path: &Path, source: io::Error) -> SinkError {
    SinkError::Write {
        path: path.to_owned(),
        source,
    }
}

/// A new `.gleaner-XXXXXX.tmp` file in `dir`, readable by others (umask applies).
fn temp_file_in(dir: &Path) -> io::Result<NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMP_PREFIX).suffix(TEMP_SUFFIX);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o644));
    }
    builder.tempfile_in(dir)
}

/// The folder holding `path`; `.` for a bare file name.
fn parent_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Makes a rename or creation in `dir` durable (unix; elsewhere a no-op).
fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    fs::File::open(dir)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// The entries of `dir` whose names do not start with a dot.
fn visible_entries(dir: &Path) -> Result<Vec<PathBuf>, SinkError> {
    let list_error = |source| SinkError::List {
        path: dir.to_owned(),
        source,
    };
    let mut paths = Vec::new();
    for entry in fs::read_dir(dir).map_err(list_error)? {
        let entry = entry.map_err(list_error)?;
        if !entry.file_name().to_string_lossy().starts_with('.') {
            paths.push(entry.path());
        }
    }
    Ok(paths)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temp_files_are_recognisable() {
        let dir = tempfile::tempdir().expect("tempdir");
        let temp = temp_file_in(dir.path()).expect("temp file");
        assert!(is_temp_file(temp.path()), "{}", temp.path().display());
        assert!(!is_temp_file(Path::new("a/b-0123.json")));
    }

    #[test]
    fn bare_file_name_lives_in_current_folder() {
        assert_eq!(parent_of(Path::new("a.json")), Path::new("."));
        assert_eq!(parent_of(Path::new("x/a.json")), Path::new("x"));
    }

    #[test]
    fn dropped_stage_leaves_nothing() {
        let dir = tempfile::tempdir().expect("tempdir");
        let dest = dir.path().join("h/a.json");
        let staged = StagedFile::stage(&dest, b"{}").expect("stage");
        let temp = staged.temp_path().to_owned();
        assert!(temp.exists());
        drop(staged);
        assert!(!temp.exists() && !dest.exists());
    }
}
