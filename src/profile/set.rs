//! `ProfileSet`: loading and checking a folder of profiles, and the rules that span
//! files (unique names, hosts shared only between profiles that set `article_urls`).

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{Profile, ProfileError, ProfileSet};

impl ProfileSet {
    /// A set with no profiles.
    pub fn empty() -> Self {
        ProfileSet::default()
    }

    /// Loads every `*.toml` in `dir` (not recursive), in file-name order.
    /// The first error (unreadable file, invalid profile, duplicate) aborts.
    pub fn load_dir(dir: &Path) -> Result<ProfileSet, ProfileError> {
        let mut profiles = Vec::new();
        for path in profile_files(dir)? {
            let text = read(&path)?;
            profiles.push(Profile::from_toml_str(&text, &path)?);
        }
        match cross_file_errors(&profiles).into_iter().next() {
            Some(error) => Err(error),
            None => Ok(ProfileSet::new(profiles)),
        }
    }

    /// Validates every `*.toml` in `dir` and returns all errors: every bad file, every
    /// bad value within a file, and every duplicate name or host across files.
    pub fn check_dir(dir: &Path) -> Vec<ProfileError> {
        let files = match profile_files(dir) {
            Ok(files) => files,
            Err(error) => return vec![error],
        };
        let mut errors = Vec::new();
        let mut profiles = Vec::new();
        for path in files {
            let compiled = read(&path)
                .map_err(|error| vec![error])
                .and_then(|text| Profile::check_toml_str(&text, &path));
            match compiled {
                Ok(profile) => profiles.push(profile),
                Err(file_errors) => errors.extend(file_errors),
            }
        }
        errors.extend(cross_file_errors(&profiles));
        errors
    }

    /// Number of profiles.
    pub fn len(&self) -> usize {
        self.profiles().len()
    }

    /// Whether there are no profiles.
    pub fn is_empty(&self) -> bool {
        self.profiles().is_empty()
    }

    /// The profile named `name`.
    pub fn get(&self, name: &str) -> Option<&Arc<Profile>> {
        self.profiles().iter().find(|p| p.name == name)
    }
}

/// The `*.toml` files directly in `dir`, sorted by file name.
fn profile_files(dir: &Path) -> Result<Vec<PathBuf>, ProfileError> {
    let read_dir_error = |error| ProfileError::ReadDir {
        path: dir.to_path_buf(),
        error,
    };
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).map_err(read_dir_error)? {
        let path = entry.map_err(read_dir_error)?.path();
        // `is_file` follows symlinks; folders named `x.toml` are skipped.
        if path.extension().is_some_and(|ext| ext == "toml") && path.is_file() {
            files.push(path);
        }
    }
    files.sort_by(|a, b| a.file_name().cmp(&b.file_name()));
    Ok(files)
}

fn read(path: &Path) -> Result<String, ProfileError> {
    fs::read_to_string(path).map_err(|error| ProfileError::ReadFile {
        path: path.to_path_buf(),
        error,
    })
}

/// Duplicate names, and hosts claimed by two profiles unless both set `article_urls`.
/// Each error is reported on the later file and names the earlier one.
fn cross_file_errors(profiles: &[Profile]) -> Vec<ProfileError> {
    let mut errors = Vec::new();
    let mut names: HashMap<&str, &Profile> = HashMap::new();
    let mut hosts: HashMap<&str, &Profile> = HashMap::new();
    for profile in profiles {
        if let Some(first) = names.get(profile.name.as_str()) {
            errors.push(ProfileError::DuplicateName {
                path: profile.source.clone(),
                value: profile.name.clone(),
                other: first.source.clone(),
            });
        } else {
            names.insert(&profile.name, profile);
        }
        for host in &profile.hosts {
            match hosts.get(host.as_str()) {
                Some(first) if first.article_urls.is_empty() || profile.article_urls.is_empty() => {
                    errors.push(ProfileError::DuplicateHost {
                        path: profile.source.clone(),
                        value: host.clone(),
                        other: first.source.clone(),
                    });
                }
                Some(_) => {}
                None => {
                    hosts.insert(host, profile);
                }
            }
        }
    }
    errors
}
