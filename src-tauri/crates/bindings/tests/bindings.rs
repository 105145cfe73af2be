//! Generated TypeScript bindings must match what is committed in `ui/src/bindings/`.
//!
//! `UPDATE_BINDINGS=1 cargo test -p vpr-bindings` rewrites them.

#![allow(clippy::unwrap_used)]

use std::{collections::BTreeMap, fs, path::Path};

use ts_rs::{Config, TS};

fn export_all(dir: &Path) {
    let cfg = Config::new().with_out_dir(dir).with_large_int("number");
    vpr_api::CommandError::export_all(&cfg).unwrap();
    vpr_api::StationStatus::export_all(&cfg).unwrap();
    vpr_api::WindowMode::export_all(&cfg).unwrap();
    vpr_api::Severity::export_all(&cfg).unwrap();
    vpr_api::PinsStatus::export_all(&cfg).unwrap();
    vpr_api::PinRoleName::export_all(&cfg).unwrap();
    vpr_api::StationIdentity::export_all(&cfg).unwrap();
    vpr_api::AudioDevice::export_all(&cfg).unwrap();
    vpr_api::AudioSetup::export_all(&cfg).unwrap();
    vpr_api::AudioCheck::export_all(&cfg).unwrap();
    vpr_api::DiskClock::export_all(&cfg).unwrap();
    vpr_api::PackageFile::export_all(&cfg).unwrap();
    vpr_api::PackageInfo::export_all(&cfg).unwrap();
    vpr_api::TrainingStart::export_all(&cfg).unwrap();
    vpr_api::TrainingCleared::export_all(&cfg).unwrap();
    vpr_api::BundleExported::export_all(&cfg).unwrap();
    vpr_api::StationReport::export_all(&cfg).unwrap();
    vpr_api::StudentAction::export_all(&cfg).unwrap();
    vpr_api::OrganizerAction::export_all(&cfg).unwrap();
    vpr_api::LevelMeter::export_all(&cfg).unwrap();
    vpr_api::StationAlert::export_all(&cfg).unwrap();
    vpr_exam::session::SessionView::export_all(&cfg).unwrap();
    vpr_exam::session::Effect::export_all(&cfg).unwrap();
    vpr_api::CoordinatorStatus::export_all(&cfg).unwrap();
    vpr_api::RosterOutcome::export_all(&cfg).unwrap();
    vpr_api::WorkForm::export_all(&cfg).unwrap();
    vpr_api::BundleStation::export_all(&cfg).unwrap();
    vpr_api::Printout::export_all(&cfg).unwrap();
    vpr_api::SavedFiles::export_all(&cfg).unwrap();
    vpr_coordinator::School::export_all(&cfg).unwrap();
    vpr_coordinator::Participant::export_all(&cfg).unwrap();
    vpr_coordinator::Work::export_all(&cfg).unwrap();
    vpr_coordinator::Room::export_all(&cfg).unwrap();
    vpr_coordinator::Station::export_all(&cfg).unwrap();
    vpr_coordinator::StaffMember::export_all(&cfg).unwrap();
    vpr_coordinator::NewStaff::export_all(&cfg).unwrap();
    vpr_coordinator::Absence::export_all(&cfg).unwrap();
    vpr_coordinator::import::ImportReport::export_all(&cfg).unwrap();
    vpr_coordinator::import::RoomBoard::export_all(&cfg).unwrap();
    vpr_coordinator::scoring::AssignmentReport::export_all(&cfg).unwrap();
    vpr_coordinator::scoring::ExpertItem::export_all(&cfg).unwrap();
    vpr_coordinator::scoring::CriterionScore::export_all(&cfg).unwrap();
    vpr_coordinator::stats::WorkStats::export_all(&cfg).unwrap();
    vpr_coordinator::Slot::export_all(&cfg).unwrap();
    // Every type a command or event names (and theirs), from the table.
    vpr_api::export_table_types(&cfg).unwrap();
    for (name, text) in vpr_api::typescript_commands(&cfg) {
        fs::write(dir.join(name), text).unwrap();
    }
    let codes = vpr_bindings::error_codes(&src_tauri()).unwrap();
    fs::write(
        dir.join("ErrorCode.ts"),
        vpr_api::typescript_error_codes(codes.iter().map(String::as_str)),
    )
    .unwrap();
}

fn src_tauri() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn every_crate_s_error_codes_are_found() {
    let codes = vpr_bindings::error_codes(&src_tauri()).unwrap();
    // One code of each kind of error the UI meets, from different crates.
    for c in [
        "pin_wrong",
        "pin_locked",
        "exam_bad_code",
        "audio_no_input",
        "package_wrong_password",
        "coord_wrong_password",
        "store_io",
        "bundle_untrusted",
        "author_bad_value",
        "author_has_problems",
    ] {
        assert!(codes.contains(c), "{c} missing from {codes:?}");
    }
    assert!(codes.len() > 100, "{}", codes.len());
}

fn read_tree(dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    if let Ok(entries) = fs::read_dir(dir) {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.ends_with(".ts") {
                out.insert(name, fs::read_to_string(e.path()).unwrap());
            }
        }
    }
    out
}

#[test]
fn bindings_are_current() {
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../ui/src/bindings");
    let fresh = tempfile::tempdir().unwrap();
    export_all(fresh.path());
    let generated = read_tree(fresh.path());
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        let _ = fs::remove_dir_all(&committed);
        fs::create_dir_all(&committed).unwrap();
        for (name, text) in &generated {
            fs::write(committed.join(name), text).unwrap();
        }
        return;
    }
    let current = read_tree(&committed);
    let stale: Vec<_> = generated
        .iter()
        .filter(|(n, t)| current.get(*n) != Some(t))
        .map(|(n, _)| n.as_str())
        .collect();
    let extra: Vec<_> = current
        .keys()
        .filter(|n| !generated.contains_key(*n))
        .collect();
    assert!(
        stale.is_empty() && extra.is_empty(),
        "TypeScript bindings drifted from the Rust types (stale: {stale:?}, extra: {extra:?}); \
         run UPDATE_BINDINGS=1 cargo test -p vpr-bindings and commit ui/src/bindings"
    );
}
