//! The independent Python checkers (warcio, jsonschema), installed from PyPI by `.ci/run` into a venv.
//! The interpreter is `$GLEANER_PYTHON` (set by `.ci/run`), else `.ci/venv/bin/python` in the checkout
//! when it exists. Without either, the checks are skipped with a loud message, never silently.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The interpreter to run the checkers with, or `None` (after printing why the check is skipped).
pub fn python(check: &str) -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("GLEANER_PYTHON") {
        return Some(PathBuf::from(path));
    }
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/venv/bin/python");
    if venv.is_file() {
        return Some(venv);
    }
    eprintln!(
        "\n************************************************************************\n\
         SKIPPED: {check}\n\
         GLEANER_PYTHON is not set and .ci/venv does not exist, so the independent\n\
         Python checker did not run. `.ci/run` installs it (pip install warcio jsonschema).\n\
         ************************************************************************\n"
    );
    None
}

/// Runs `python tests/python/<script> args…`.
pub fn run_script(python: &Path, script: &str, args: &[PathBuf]) -> Output {
    let script = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/python")
        .join(script);
    Command::new(python)
        .arg(&script)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {} {}: {e}", python.display(), script.display()))
}

/// Asserts that a checker succeeded, showing what it printed.
pub fn assert_success(output: &Output, what: &str) {
    assert!(
        output.status.success(),
        "{what} failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
