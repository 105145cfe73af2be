//! A reader that goes away (`vpr … | head -1`) ends the command quietly: no
//! panic on the broken pipe, no error, exit 0 (issue 13, item 7).

#![allow(clippy::expect_used)]

use std::{
    path::Path,
    process::{Command, Stdio},
};

#[test]
fn a_closed_pipe_ends_the_cli_quietly() {
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../audio-fixtures/media/phrase.mp3");
    for _ in 0..3 {
        let mut child = Command::new(env!("CARGO_BIN_EXE_vpr"))
            .args(["media", "probe"])
            .arg(&fixture)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("vpr runs");
        // The reader is gone before the first line is written.
        drop(child.stdout.take());
        let out = child.wait_with_output().expect("vpr ends");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(!stderr.contains("Broken pipe"), "{stderr}");
        assert_eq!(out.status.code(), Some(0), "{stderr}");
    }
}
