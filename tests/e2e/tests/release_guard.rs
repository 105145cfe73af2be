//! A release build that could load the dev server URL does not compile: the
//! shell's `main.rs` has a `compile_error!` for `not(debug_assertions)`
//! without the `custom-protocol` feature. Checked by `cargo check` of the
//! shell alone with debug assertions off for it (the dependencies keep their
//! dev profile, so this is a check of one crate, not a release build).
//! Takes minutes on a cold target dir, so it runs on request:
//! `cargo test -p vpr-e2e --test release_guard -- --ignored`.

use std::process::Command;

use vpr_e2e::{workspace_root, Result};

fn check_shell(features: &[&str]) -> Result<(bool, String)> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let out = Command::new(cargo)
        .current_dir(workspace_root())
        .args(["check", "-p", "vpr-app", "--bin", "vpr-app", "--config"])
        .arg("profile.dev.package.vpr-app.debug-assertions=false")
        .args(features)
        .output()?;
    Ok((
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    ))
}

#[test]
#[ignore = "runs cargo check of the shell (minutes on a cold target dir)"]
fn a_release_shell_without_the_embedded_ui_does_not_compile() -> Result<()> {
    let (ok, stderr) = check_shell(&[])?;
    assert!(!ok, "the shell compiled without custom-protocol in release");
    assert!(
        stderr.contains("without the `custom-protocol` feature"),
        "{stderr}"
    );
    let (ok, stderr) = check_shell(&["--features", "custom-protocol"])?;
    assert!(ok, "the shell with the embedded UI must compile: {stderr}");
    Ok(())
}
