//! `vpr bench startup` cleans up after a launch that fails: no Xvfb, no data
//! folder left behind. Xvfb is started through a wrapper on `PATH` that
//! records its process id, so the test checks exactly the server the bench
//! started (other tests may run their own Xvfb at the same time).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{fs, os::unix::fs::PermissionsExt, path::Path, process::Command, time::Duration};

fn real_xvfb() -> String {
    let out = Command::new("sh")
        .args(["-c", "command -v Xvfb"])
        .output()
        .unwrap();
    let path = String::from_utf8(out.stdout).unwrap().trim().to_string();
    assert!(!path.is_empty(), "Xvfb is needed (package xvfb)");
    path
}

fn alive(pid: u32) -> bool {
    // A zombie still has a /proc entry; its state is Z.
    match fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => !stat.contains(") Z "),
        Err(_) => false,
    }
}

fn write_exe(path: &Path, body: &str) {
    fs::write(path, body).unwrap();
    fs::set_permissions(path, fs::Permissions::from_mode(0o755)).unwrap();
}

/// Runs `vpr bench startup` with `app` and returns (exit code, stderr, the
/// pid of the Xvfb it started, the temp dir).
fn bench_with(app_body: Option<&str>) -> (Option<i32>, String, u32, tempfile::TempDir) {
    let tmp = tempfile::tempdir().unwrap();
    let bin = tmp.path().join("bin");
    fs::create_dir(&bin).unwrap();
    let pid_file = tmp.path().join("xvfb.pid");
    write_exe(
        &bin.join("Xvfb"),
        &format!(
            "#!/bin/sh\necho $$ > '{}'\nexec '{}' \"$@\"\n",
            pid_file.display(),
            real_xvfb()
        ),
    );
    let app = tmp.path().join("app");
    match app_body {
        Some(body) => write_exe(&app, body),
        // Not executable: the launch itself fails.
        None => fs::write(&app, "not a program").unwrap(),
    }
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new(env!("CARGO_BIN_EXE_vpr"))
        .args([
            "bench",
            "startup",
            "--runs",
            "1",
            "--timeout",
            "20",
            "--app",
        ])
        .arg(&app)
        .env("PATH", path)
        .env("TMPDIR", tmp.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let pid: u32 = fs::read_to_string(&pid_file)
        .expect("the bench started Xvfb through the wrapper")
        .trim()
        .parse()
        .unwrap();
    (out.status.code(), stderr, pid, tmp)
}

fn assert_cleaned(pid: u32, tmp: &Path) {
    for _ in 0..50 {
        if !alive(pid) {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let still = alive(pid);
    if still {
        let _ = Command::new("kill").arg(pid.to_string()).status();
    }
    assert!(!still, "Xvfb {pid} is still running after the bench");
    let left: Vec<_> = fs::read_dir(tmp)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("vpr-bench"))
        .collect();
    assert!(left.is_empty(), "data folders left behind: {left:?}");
}

#[test]
fn an_app_that_cannot_be_started_leaves_no_xvfb_behind() {
    let (code, stderr, pid, tmp) = bench_with(None);
    assert_eq!(code, Some(1), "stderr: {stderr}");
    assert!(
        stderr.contains("не удалось запустить приложение"),
        "the failure names the cause: {stderr}"
    );
    assert_cleaned(pid, tmp.path());
}

#[test]
fn an_app_that_dies_at_once_is_reported_without_waiting_for_the_timeout() {
    // An app that exits at once, as a build without its UI would.
    let (code, stderr, pid, tmp) =
        bench_with(Some("#!/bin/sh\necho 'no display for you' >&2\nexit 3\n"));
    assert_eq!(code, Some(1), "stderr: {stderr}");
    assert!(
        stderr.contains("завершилось до первого экрана"),
        "the failure names the cause: {stderr}"
    );
    assert_cleaned(pid, tmp.path());
}
