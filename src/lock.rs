//! The run lock: an exclusive `flock` on a file beside the crawl state (`<state>.lock`), so two scheduled
//! runs never work on the same state at once. The second one fails at once with [`LockError::Held`]
//! (exit code 75, `EX_TEMPFAIL`, in the binary) instead of waiting or corrupting anything.
//!
//! `flock` locks belong to the open file: the kernel releases them when the process ends, however it ends
//! (SIGKILL included), so a crashed run never leaves a stale lock behind. The file itself is kept (deleting
//! a lock file while another process may be opening it is a race); it holds the holder's pid and start
//! time, for the message the next run prints. Locking is through fs4 (flock on Unix, LockFileEx on Windows).

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};

use fs4::FileExt;

/// Why the lock could not be taken.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// Another process holds the lock.
    #[error(
        "another gleaner crawl is running on this state (lock {} held{}); exiting",
        path.display(),
        holder.as_deref().map(|h| format!(" by {h}")).unwrap_or_default()
    )]
    Held {
        path: PathBuf,
        /// What the holder wrote in the lock file (`pid 123 since …`), if readable.
        holder: Option<String>,
    },
    #[error("cannot lock {}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

/// An exclusive lock, held until dropped (or the process ends).
#[derive(Debug)]
pub struct RunLock {
    file: File,
    path: PathBuf,
}

impl RunLock {
    /// The lock file for a state file: `<state>.lock`.
    pub fn path_for(state: &Path) -> PathBuf {
        let mut name = state.as_os_str().to_owned();
        name.push(".lock");
        PathBuf::from(name)
    }

    /// Takes the lock at `path` without waiting.
    pub fn acquire(path: &Path) -> Result<RunLock, LockError> {
        let io_error = |source| LockError::Io {
            path: path.to_owned(),
            source,
        };
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
            .map_err(io_error)?;
        match FileExt::try_lock(&file) {
            Ok(()) => {}
            Err(fs4::TryLockError::WouldBlock) => {
                let mut holder = String::new();
                let holder = file
                    .read_to_string(&mut holder)
                    .ok()
                    .map(|_| holder.trim().to_string())
                    .filter(|h| !h.is_empty());
                return Err(LockError::Held {
                    path: path.to_owned(),
                    holder,
                });
            }
            Err(fs4::TryLockError::Error(source)) => return Err(io_error(source)),
        }
        let note = format!(
            "pid {} since {}\n",
            std::process::id(),
            chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        );
        file.set_len(0)
            .and_then(|()| file.rewind())
            .and_then(|()| file.write_all(note.as_bytes()))
            .and_then(|()| file.flush())
            .map_err(io_error)?;
        Ok(RunLock {
            file,
            path: path.to_owned(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for RunLock {
    fn drop(&mut self) {
        // Closing the file releases the lock anyway; unlocking first just makes it explicit.
        let _ = FileExt::unlock(&self.file);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_lock_fails_until_the_first_is_dropped() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = RunLock::path_for(&dir.path().join("state.sqlite"));
        assert!(path.ends_with("state.sqlite.lock"));
        let first = RunLock::acquire(&path).expect("first lock");
        match RunLock::acquire(&path) {
            Err(LockError::Held { holder, .. }) => {
                let holder = holder.expect("holder note");
                assert!(
                    holder.starts_with(&format!("pid {}", std::process::id())),
                    "{holder}"
                );
            }
            other => panic!("expected Held, got {other:?}"),
        }
        drop(first);
        RunLock::acquire(&path).expect("lock again");
    }
}
