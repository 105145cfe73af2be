//! The bundle's own status and flag types keep the wire format: a bundle
//! written before they existed (when the manifest was typed with the station
//! database's enums, `tests/data/v1-store-enums.zip`: finished, failed and
//! unfinished sessions, every recording status and level flag, a training
//! session left out) still verifies, reads back with the same values, and its
//! signed manifest and answers files re-serialize to the very same bytes.

#![allow(clippy::unwrap_used)]

use std::{io::Read, path::Path};

use vpr_bundle::{
    verify_bundle, AnswerFile, LevelFlags, Manifest, RecordingStatus, SessionStatus, TrustedKeys,
};
use vpr_integrity::StationKey;

fn fixture() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/v1-store-enums.zip")
}

fn entry(name: &str) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(fixture()).unwrap()).unwrap();
    let mut bytes = Vec::new();
    zip.by_name(name).unwrap().read_to_end(&mut bytes).unwrap();
    bytes
}

#[test]
fn a_bundle_written_with_the_store_enums_still_verifies_and_reads_the_same() {
    let key = StationKey::from_seed(&[42; 32]).unwrap().public_key();
    let v = verify_bundle(&fixture(), &TrustedKeys::only(&[key])).unwrap();
    let statuses: Vec<(String, SessionStatus)> = v
        .manifest
        .participants
        .iter()
        .map(|p| (p.code.clone(), p.status))
        .collect();
    assert_eq!(
        statuses,
        [
            ("10001".to_string(), SessionStatus::Finished),
            ("10002".to_string(), SessionStatus::TechnicalFailure),
            ("10003".to_string(), SessionStatus::Active),
            ("10004".to_string(), SessionStatus::Finished),
        ],
        "the training session 10005 stays out"
    );
    let recordings: Vec<(RecordingStatus, LevelFlags)> = v
        .answers
        .iter()
        .flat_map(|a| &a.sessions)
        .flat_map(|s| &s.recordings)
        .map(|r| (r.status, r.level_flags))
        .collect();
    let flags = |silent, too_quiet, clipped| LevelFlags {
        silent,
        too_quiet,
        clipped,
    };
    assert_eq!(
        recordings,
        [
            (RecordingStatus::Complete, flags(false, true, false)),
            (RecordingStatus::Interrupted, flags(true, false, false)),
            (RecordingStatus::Repaired, flags(false, false, true)),
            (RecordingStatus::Recording, LevelFlags::default()),
        ]
    );
    assert_eq!(SessionStatus::Training.as_str(), "training");
}

#[test]
fn the_signed_bytes_round_trip_through_the_bundle_types() {
    let manifest_bytes = entry("manifest.json");
    let manifest: Manifest = serde_json::from_slice(&manifest_bytes).unwrap();
    assert_eq!(
        serde_json::to_vec_pretty(&manifest).unwrap(),
        manifest_bytes,
        "the manifest as the bundle types write it is the signed manifest"
    );
    for p in &manifest.participants {
        let bytes = entry(&p.answers_file);
        let file: AnswerFile = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(
            serde_json::to_vec_pretty(&file).unwrap(),
            bytes,
            "{}",
            p.answers_file
        );
    }
}
