//! Crash test: 200 SIGKILLs of a child writing answers and a recording.
//! The child is this same test binary, re-run with `--ignored --exact crash_child`.

use std::{path::Path, process::Command};

use vpr_store::crashtest;

const KILLS: u32 = 200;

fn repair(path: &Path) -> Result<u64, vpr_store::crashtest::Violation> {
    vpr_audio::repair(path)
        .map(|r| r.frames)
        .map_err(|e| vpr_store::crashtest::Violation(e.to_string()))
}

#[test]
#[ignore = "entry point of the child process spawned by sigkill_200_times"]
fn crash_child() {
    let dir = std::env::var_os("VPR_CRASH_DIR").expect("VPR_CRASH_DIR");
    let run: u64 = std::env::var("VPR_CRASH_RUN")
        .expect("VPR_CRASH_RUN")
        .parse()
        .unwrap();
    crashtest::run_child(Path::new(&dir), run).unwrap();
}

#[cfg(unix)]
#[test]
fn sigkill_200_times() {
    let dir = tempfile::tempdir().unwrap();
    let exe = std::env::current_exe().unwrap();
    let report = crashtest::run_parent(
        dir.path(),
        KILLS,
        0x5eed,
        |dir, run| {
            let mut cmd = Command::new(&exe);
            cmd.args([
                "--ignored",
                "--exact",
                "crash_child",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("VPR_CRASH_DIR", dir)
            .env("VPR_CRASH_RUN", run.to_string());
            cmd
        },
        &repair,
    );
    println!("{report:?}");
    assert!(report.failures.is_empty(), "{:#?}", report.failures);
    assert_eq!(report.kills, KILLS);
    // The kills must really land mid-work, or the test proves nothing.
    assert!(report.answers_acknowledged > 100, "{report:?}");
    assert!(report.recordings_repaired > KILLS / 4, "{report:?}");
    assert!(report.max_audio_loss_ms <= 1000);
}
