//! Runs the `gleaner` binary built for the tests, with arguments and optional
//! standard input, and returns its exit status and output; from async tests, off
//! the runtime's threads so that their local servers keep answering meanwhile.

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// Runs `gleaner ARGS` to completion; `stdin` is written and closed first.
pub fn run_gleaner<S: AsRef<std::ffi::OsStr>>(args: &[S], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gleaner"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run gleaner");
    if let Some(input) = stdin {
        // gleaner may exit before reading (a bad argument): a closed pipe here is its answer.
        let written = child.stdin.take().expect("stdin").write_all(input);
        if let Err(e) = written {
            assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "write stdin: {e}");
        }
    }
    drop(child.stdin.take());
    child.wait_with_output().expect("gleaner output")
}

/// [`run_gleaner`] on a blocking thread, for async tests.
pub async fn run_gleaner_async(args: Vec<String>, stdin: Option<Vec<u8>>) -> Output {
    tokio::task::spawn_blocking(move || run_gleaner(&args, stdin.as_deref()))
        .await
        .expect("join")
}
