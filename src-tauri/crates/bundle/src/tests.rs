//! Bundle tests: round trip, trust, tampering (property test), malicious
//! archives, unknown versions, record cross-checks.

use std::{
    io::{Read, Write},
    path::{Path, PathBuf},
    sync::Arc,
};

use proptest::prelude::*;
use serde_json::json;
use time::macros::datetime;
use vpr_integrity::{sha256_file, StationKey};
use vpr_store::{
    FixedClock, LevelFlags, NewRecording, NewSession, RecordingStatus, RecordingUpdate,
    SessionStatus, StationInfo, Store,
};

use crate::*;

pub(crate) struct Station {
    pub dir: tempfile::TempDir,
    pub store: Store,
    pub key: StationKey,
}

fn write_wav(path: &Path, ms: u32, freq: f64) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 22_050,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(path, spec).unwrap();
    for i in 0..(22_050 * ms / 1000) {
        let t = f64::from(i) / 22_050.0;
        w.write_sample((6000.0 * (t * freq * std::f64::consts::TAU).sin()) as i16)
            .unwrap();
    }
    w.finalize().unwrap();
}

/// The package file and issuer every session of [`station`] ran.
pub(crate) const PACKAGE_SHA: &str =
    "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8";
pub(crate) const ISSUER_FP: &str = "9f86d081884c7d659a2feaa0c55ad015";

pub(crate) fn station(codes: &[&str]) -> Station {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FixedClock::new(
        datetime!(2026-04-15 09:00 UTC),
        time::Duration::seconds(3),
    ));
    let store = Store::open_with_clock(&vpr_store::exam_path(dir.path()), clock).unwrap();
    let key = StationKey::from_seed(&[42; 32]).unwrap();
    store
        .set_station(&StationInfo {
            station_id: "st-7".into(),
            school_id: "770123".into(),
            room: "12".into(),
            number: 7,
            key_fingerprint: key.public_key().fingerprint(),
        })
        .unwrap();
    for (n, code) in codes.iter().enumerate() {
        let mut new = NewSession::new(code, "en7-2026", &format!("{}", n % 2 + 1));
        new.package_sha256 = Some(PACKAGE_SHA.into());
        new.issuer_fingerprint = Some(ISSUER_FP.into());
        let s = store.start_session(&new).unwrap();
        store.record_play(s.id, "t1", 2).unwrap();
        store.save_answer(s.id, "task1", "q1", &json!("B")).unwrap();
        store
            .save_answer(s.id, "task4", "q1", &json!("wrong"))
            .unwrap();
        store
            .save_answer(s.id, "task4", "q1", &json!("Gruß, é"))
            .unwrap();
        for (task, freq) in [("task2", 300.0), ("task3", 500.0)] {
            let file = format!("recordings/{code}/{task}.wav");
            let r = store
                .start_recording(&NewRecording {
                    session_id: s.id,
                    task: task.into(),
                    item: None,
                    file: file.clone(),
                })
                .unwrap();
            write_wav(&dir.path().join(&file), 200, freq + n as f64);
            let (sha, _) = sha256_file(&dir.path().join(&file)).unwrap();
            store
                .update_recording(
                    r.id,
                    &RecordingUpdate {
                        status: RecordingStatus::Complete,
                        sha256: Some(sha),
                        duration_ms: 200,
                        level_flags: LevelFlags::default(),
                    },
                )
                .unwrap();
        }
        store
            .set_session_status(s.id, SessionStatus::Finished)
            .unwrap();
    }
    Station { dir, store, key }
}

pub(crate) fn bundle_of(st: &Station) -> PathBuf {
    let out = st.dir.path().join("bundle.zip");
    write_bundle(
        &st.store,
        st.dir.path(),
        &st.key,
        &out,
        datetime!(2026-04-15 12:00 UTC),
    )
    .unwrap();
    out
}

fn trusted(st: &Station) -> TrustedKeys {
    TrustedKeys::only(&[st.key.public_key()])
}

/// Entries of a bundle as (name, bytes), in archive order.
fn entries_of(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).unwrap();
            let mut v = Vec::new();
            f.read_to_end(&mut v).unwrap();
            (f.name().unwrap().to_string(), v)
        })
        .collect()
}

/// A canonical archive of `entries`, as the writer would lay it out.
fn rebuild(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, data) in entries {
        z.start_file(name.as_str(), write::entry_options()).unwrap();
        z.write_all(data).unwrap();
    }
    z.finish().unwrap().into_inner()
}

/// Re-sign a changed manifest with the station's key (an insider forging a bundle).
fn resign(
    entries: &mut [(String, Vec<u8>)],
    key: &StationKey,
    edit: impl FnOnce(&mut serde_json::Value),
) {
    let n = entries.len();
    let mut m: serde_json::Value = serde_json::from_slice(&entries[n - 2].1).unwrap();
    edit(&mut m);
    let bytes = serde_json::to_vec_pretty(&m).unwrap();
    entries[n - 1].1 = key.sign(&bytes).to_vec();
    entries[n - 2].1 = bytes;
}

#[test]
fn round_trip_with_extraction() {
    let st = station(&["10001", "10002", "10003"]);
    let out = bundle_of(&st);
    let target = st.dir.path().join("import");
    let v = verify_bundle_with(
        &out,
        &trusted(&st),
        &VerifyOptions {
            extract_to: Some(target.clone()),
            reader_thread: true,
        },
    )
    .unwrap();
    let single = verify_bundle_with(
        &out,
        &trusted(&st),
        &VerifyOptions {
            extract_to: Some(st.dir.path().join("import2")),
            reader_thread: false,
        },
    )
    .unwrap();
    assert_eq!(
        (single.bytes, single.recordings.len()),
        (v.bytes, v.recordings.len())
    );
    assert_eq!(v.manifest.format_version, FORMAT_VERSION);
    assert_eq!(v.manifest.school_id, "770123");
    assert_eq!(v.manifest.station.number, 7);
    assert_eq!(v.manifest.package_ids, vec!["en7-2026".to_string()]);
    let codes: Vec<_> = v
        .manifest
        .participants
        .iter()
        .map(|p| p.code.as_str())
        .collect();
    assert_eq!(codes, ["10001", "10002", "10003"]);
    assert_eq!(v.manifest.participants[1].variant, "2");
    assert_eq!(v.signer, st.key.public_key().fingerprint());
    assert_eq!(v.manifest.chain.head, st.store.head().unwrap().hash);
    assert_eq!(v.answers.len(), 3);
    let s = &v.answers[0].sessions[0];
    assert_eq!(s.status, crate::SessionStatus::Finished);
    assert_eq!(s.package_sha256.as_deref(), Some(PACKAGE_SHA));
    assert_eq!(s.issuer_fingerprint.as_deref(), Some(ISSUER_FP));
    // The receipt the station shows when a work closes is the bundle's.
    let receipts = crate::session_receipts(&v.journal);
    for a in &v.answers {
        let id = a.sessions[0].session_id;
        let link = st.store.closing_link(id).unwrap().unwrap();
        assert_eq!(receipts[&id], vpr_integrity::receipt(&link.hash));
    }
    let task4 = s.answers.iter().find(|a| a.task == "task4").unwrap();
    assert_eq!(task4.value, json!("Gruß, é"), "latest answer wins");
    assert_eq!(v.recordings.len(), 6);
    for r in &v.recordings {
        let extracted = r.path.as_ref().unwrap();
        assert!(extracted.starts_with(&target));
        let original = st.dir.path().join(&r.name);
        assert_eq!(
            std::fs::read(extracted).unwrap(),
            std::fs::read(original).unwrap()
        );
        hound::WavReader::open(extracted).unwrap();
    }
    let text = std::fs::read(&out).unwrap();
    assert!(!String::from_utf8_lossy(&text).contains(".tmp"));
    assert!(!out.with_extension("zip.tmp").exists());
    assert_eq!(
        default_file_name("770123", 7, datetime!(2026-04-15 12:00 UTC)),
        "vpr-770123-st07-20260415-120000.zip"
    );
}

#[test]
fn trust_is_required() {
    let st = station(&["10001"]);
    let out = bundle_of(&st);
    let err = verify_bundle(&out, &TrustedKeys::none()).unwrap_err();
    assert!(
        matches!(&err, BundleError::Untrusted { fingerprint } if *fingerprint == st.key.public_key().fingerprint())
    );
    assert_eq!(err.exit_code(), 1);
    let other = StationKey::from_seed(&[1; 32]).unwrap();
    assert!(matches!(
        verify_bundle(&out, &TrustedKeys::only(&[other.public_key()])),
        Err(BundleError::Untrusted { .. })
    ));
    verify_bundle(&out, &TrustedKeys::any()).unwrap();
    verify_bundle(
        &out,
        &TrustedKeys::from_fingerprints([st.key.public_key().fingerprint()]),
    )
    .unwrap();
}

#[test]
fn writer_refuses_what_it_cannot_vouch_for() {
    let st = station(&["10001"]);
    let other = StationKey::from_seed(&[9; 32]).unwrap();
    let out = st.dir.path().join("b.zip");
    let at = datetime!(2026-04-15 12:00 UTC);
    assert!(matches!(
        write_bundle(&st.store, st.dir.path(), &other, &out, at),
        Err(BundleError::NotReady(_))
    ));
    // A recording changed on disk after it was saved.
    write_wav(
        &st.dir.path().join("recordings/10001/task3.wav"),
        100,
        900.0,
    );
    assert!(matches!(
        write_bundle(&st.store, st.dir.path(), &st.key, &out, at),
        Err(BundleError::NotReady(_))
    ));
    assert!(!out.exists());
    assert!(
        !st.dir.path().join("b.zip.tmp").exists(),
        "the temporary file is removed"
    );
    let empty = tempfile::tempdir().unwrap();
    let store = Store::open(&empty.path().join("s.db")).unwrap();
    assert!(matches!(
        write_bundle(
            &store,
            empty.path(),
            &st.key,
            &empty.path().join("x.zip"),
            at
        ),
        Err(BundleError::NotReady(_))
    ));
}

#[test]
fn unreadable_input_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let missing = verify_bundle(&dir.path().join("none.zip"), &TrustedKeys::any()).unwrap_err();
    assert_eq!(missing.exit_code(), 2);
    std::fs::write(dir.path().join("junk.zip"), b"not a zip at all").unwrap();
    let junk = verify_bundle(&dir.path().join("junk.zip"), &TrustedKeys::any()).unwrap_err();
    assert_eq!(junk.exit_code(), 2, "{junk}");
}

#[test]
fn unknown_format_version_is_refused() {
    let st = station(&["10001"]);
    let bytes = std::fs::read(bundle_of(&st)).unwrap();
    let mut entries = entries_of(&bytes);
    resign(&mut entries, &st.key, |m| m["format_version"] = json!(2));
    let p = st.dir.path().join("v2.zip");
    std::fs::write(&p, rebuild(&entries)).unwrap();
    let err = verify_bundle(&p, &TrustedKeys::any()).unwrap_err();
    assert!(
        matches!(&err, BundleError::Refused { entry, reason } if entry == MANIFEST && reason.contains("версия")),
        "{err}"
    );
}

#[test]
fn forged_answer_names_the_record() {
    let st = station(&["10001", "10002"]);
    let bytes = std::fs::read(bundle_of(&st)).unwrap();
    let mut entries = entries_of(&bytes);
    let idx = entries
        .iter()
        .position(|(n, _)| n == "answers/10002.json")
        .unwrap();
    let mut file: AnswerFile = serde_json::from_slice(&entries[idx].1).unwrap();
    let forged_seq = file.sessions[0].answers[0].seq;
    file.sessions[0].answers[0].value = json!("A");
    entries[idx].1 = serde_json::to_vec_pretty(&file).unwrap();
    let sha = vpr_integrity::sha256(&entries[idx].1);
    let size = entries[idx].1.len() as u64;
    let forged_bytes = entries[idx].1.clone();
    let key = StationKey::from_seed(&[42; 32]).unwrap();
    resign(&mut entries, &key, |m| {
        let mut files: Vec<FileEntry> = serde_json::from_value(m["files"].clone()).unwrap();
        files[idx].sha256 = sha;
        files[idx].size = size;
        files[idx].crc32 = crc32fast::hash(&forged_bytes);
        m["merkle_root"] = json!(Manifest::compute_merkle_root(&files));
        m["files"] = serde_json::to_value(&files).unwrap();
    });
    let p = st.dir.path().join("forged.zip");
    std::fs::write(&p, rebuild(&entries)).unwrap();
    let err = verify_bundle(&p, &TrustedKeys::any()).unwrap_err();
    match err {
        BundleError::Record { entry, seq, .. } => {
            assert_eq!(entry, "answers/10002.json");
            assert_eq!(seq, forged_seq);
        }
        other => panic!("{other}"),
    }
}

/// The region of the file a byte offset lies in: the data of an entry, or headers.
fn data_owner(bytes: &[u8], offset: usize) -> Option<String> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    for i in 0..z.len() {
        let f = z.by_index_raw(i).unwrap();
        let start = f.data_start().unwrap() as usize;
        if (start..start + f.compressed_size() as usize).contains(&offset) {
            return Some(f.name().unwrap().to_string());
        }
    }
    None
}

#[derive(Debug, Clone)]
enum Mutation {
    Flip { at: usize, xor: u8 },
    Truncate { keep: usize },
    SwapData { a: usize, b: usize },
    SwapOrder { a: usize, b: usize },
}

fn mutation(len: usize, entries: usize) -> impl Strategy<Value = Mutation> {
    prop_oneof![
        8 => (0..len, 1u8..=255).prop_map(|(at, xor)| Mutation::Flip { at, xor }),
        1 => (0..len).prop_map(|keep| Mutation::Truncate { keep }),
        1 => (0..entries, 0..entries).prop_filter("two entries", |(a, b)| a != b)
            .prop_map(|(a, b)| Mutation::SwapData { a, b }),
        1 => (0..entries, 0..entries).prop_filter("two entries", |(a, b)| a != b)
            .prop_map(|(a, b)| Mutation::SwapOrder { a, b }),
    ]
}

#[test]
fn every_tampering_is_detected_and_named() {
    let st = station(&["10001", "10002"]);
    let path = bundle_of(&st);
    let original = std::fs::read(&path).unwrap();
    let entries = entries_of(&original);
    let trust = trusted(&st);
    let work = st.dir.path().join("tampered.zip");
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: 1200,
        failure_persistence: None,
        ..ProptestConfig::default()
    });
    let counts = std::cell::RefCell::new([0u32; 4]);
    let pipelined_flag = std::cell::Cell::new(false);
    runner
        .run(&mutation(original.len(), entries.len()), |m| {
            let (bytes, named): (Vec<u8>, Vec<String>) = match &m {
                Mutation::Flip { at, xor } => {
                    let mut b = original.clone();
                    b[*at] ^= xor;
                    let owner = data_owner(&original, *at);
                    counts.borrow_mut()[0] += 1;
                    (b, owner.into_iter().collect())
                }
                Mutation::Truncate { keep } => {
                    counts.borrow_mut()[1] += 1;
                    (original[..*keep].to_vec(), vec![])
                }
                Mutation::SwapData { a, b } => {
                    let mut e = entries.clone();
                    let tmp = e[*a].1.clone();
                    e[*a].1 = e[*b].1.clone();
                    e[*b].1 = tmp;
                    counts.borrow_mut()[2] += 1;
                    let names = if e[*a].1 == e[*b].1 {
                        vec![]
                    } else {
                        vec![e[*a].0.clone(), e[*b].0.clone()]
                    };
                    (rebuild(&e), names)
                }
                Mutation::SwapOrder { a, b } => {
                    let mut e = entries.clone();
                    e.swap(*a, *b);
                    counts.borrow_mut()[3] += 1;
                    (rebuild(&e), vec![])
                }
            };
            std::fs::write(&work, &bytes).unwrap();
            let pipelined = !pipelined_flag.get();
            pipelined_flag.set(pipelined);
            let options = VerifyOptions {
                extract_to: None,
                reader_thread: pipelined,
            };
            let err = match verify_bundle_with(&work, &trust, &options) {
                Ok(_) => return Err(TestCaseError::fail(format!("{m:?} not detected"))),
                Err(e) => e,
            };
            let entry = err.entry().unwrap_or_default().to_string();
            prop_assert!(!entry.is_empty(), "{:?}: error names no file: {}", m, err);
            if !named.is_empty() {
                // Data of the manifest may surface as a signature mismatch.
                let ok = named.contains(&entry)
                    || (named.iter().any(|n| n == MANIFEST || n == SIGNATURE)
                        && (entry == MANIFEST || entry == SIGNATURE));
                prop_assert!(
                    ok,
                    "{:?}: error names {} instead of {:?}: {}",
                    m,
                    entry,
                    named,
                    err
                );
            }
            Ok(())
        })
        .unwrap();
    let counts = counts.into_inner();
    assert!(counts.iter().sum::<u32>() >= 1000, "{counts:?}");
    assert!(counts.iter().all(|c| *c > 0), "{counts:?}");
}

fn assert_nothing_written(root: &Path, target: &Path) {
    // Only the (empty) target exists below root, and nothing escaped.
    let listing: Vec<_> = walk(root);
    for p in &listing {
        assert!(
            p.starts_with(target) || target.starts_with(p) || p == &root.join("bad.zip"),
            "written outside: {p:?}"
        );
    }
    assert!(
        walk(target).iter().all(|p| p.is_dir()),
        "files extracted from a refused bundle: {:?}",
        walk(target)
    );
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            out.push(p.clone());
            if p.is_dir() && !p.is_symlink() {
                out.extend(walk(&p));
            }
        }
    }
    out
}

fn check_malicious(
    build: impl FnOnce(&mut zip::ZipWriter<std::io::Cursor<Vec<u8>>>),
    patch: impl FnOnce(&mut Vec<u8>),
) -> BundleError {
    let root = tempfile::tempdir().unwrap();
    let target = root.path().join("import").join("inner");
    std::fs::create_dir_all(&target).unwrap();
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    build(&mut z);
    let mut bytes = z.finish().unwrap().into_inner();
    patch(&mut bytes);
    let p = root.path().join("bad.zip");
    std::fs::write(&p, &bytes).unwrap();
    let err = verify_bundle_with(
        &p,
        &TrustedKeys::any(),
        &VerifyOptions {
            extract_to: Some(target.clone()),
            ..VerifyOptions::default()
        },
    )
    .unwrap_err();
    assert_nothing_written(root.path(), &target);
    err
}

fn wav_bytes() -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("a.wav");
    write_wav(&p, 50, 440.0);
    std::fs::read(p).unwrap()
}

#[test]
fn malicious_archives_are_refused() {
    let opts = write::entry_options();
    for evil in [
        "../evil.wav",
        "recordings/../../evil.wav",
        "/tmp/abs-evil.wav",
        "recordings\\..\\evil.wav",
        "C:/evil.wav",
    ] {
        let err = check_malicious(
            |z| {
                z.start_file(evil, opts).unwrap();
                z.write_all(&wav_bytes()).unwrap();
                z.start_file(MANIFEST, opts).unwrap();
                z.write_all(b"{}").unwrap();
                z.start_file(SIGNATURE, opts).unwrap();
                z.write_all(&[0; 64]).unwrap();
            },
            |_| {},
        );
        assert!(
            matches!(
                err,
                BundleError::Refused { .. } | BundleError::Unreadable { .. }
            ),
            "{evil}: {err}"
        );
    }
    let err = check_malicious(
        |z| {
            z.add_symlink("recordings/10001/task3.wav", "/etc/passwd", opts)
                .unwrap();
            z.start_file(MANIFEST, opts).unwrap();
            z.write_all(b"{}").unwrap();
        },
        |_| {},
    );
    assert!(
        matches!(&err, BundleError::Refused { reason, .. } if reason.contains("ссылка")),
        "{err}"
    );

    // Duplicate names: two entries patched to the same name.
    let err = check_malicious(
        |z| {
            z.start_file("recordings/1/a.wav", opts).unwrap();
            z.write_all(&wav_bytes()).unwrap();
            z.start_file("recordings/1/b.wav", opts).unwrap();
            z.write_all(&wav_bytes()).unwrap();
        },
        |bytes| {
            let pat = b"recordings/1/b.wav";
            let mut i = 0;
            while i + pat.len() <= bytes.len() {
                if &bytes[i..i + pat.len()] == pat {
                    bytes[i + pat.len() - 5] = b'a';
                }
                i += 1;
            }
        },
    );
    assert!(
        matches!(
            err,
            BundleError::Refused { .. } | BundleError::Unreadable { .. }
        ),
        "{err}"
    );

    // A bomb: 32 MB of zeros deflated to a few dozen KB.
    let err = check_malicious(
        |z| {
            let deflated = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated)
                .large_file(false);
            z.start_file("recordings/1/bomb.wav", deflated).unwrap();
            let zeros = vec![0u8; 1 << 20];
            for _ in 0..32 {
                z.write_all(&zeros).unwrap();
            }
        },
        |_| {},
    );
    assert!(
        matches!(&err, BundleError::Refused { entry, .. } if entry == "recordings/1/bomb.wav"),
        "{err}"
    );
}

#[test]
fn symlink_planted_in_target_is_not_followed() {
    let st = station(&["10001"]);
    let out = bundle_of(&st);
    let root = tempfile::tempdir().unwrap();
    let target = root.path().join("target");
    let outside = root.path().join("outside");
    std::fs::create_dir_all(target.join("recordings")).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&outside, target.join("recordings/10001")).unwrap();
    let err = verify_bundle_with(
        &out,
        &trusted(&st),
        &VerifyOptions {
            extract_to: Some(target),
            ..VerifyOptions::default()
        },
    )
    .unwrap_err();
    assert!(
        matches!(err, BundleError::Refused { .. } | BundleError::Write { .. }),
        "{err}"
    );
    assert!(
        walk(&outside).is_empty(),
        "nothing written through the symlink"
    );
}

#[test]
fn declared_sizes_beyond_caps_are_refused() {
    // A tiny stored entry whose central directory claims 3.75 GB.
    let opts = write::entry_options();
    let err = check_malicious(
        |z| {
            z.start_file("recordings/1/big.wav", opts).unwrap();
            z.write_all(b"RIFF....WAVE").unwrap();
        },
        |bytes| {
            let cd = bytes.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
            for at in [cd + 20, cd + 24] {
                bytes[at..at + 4].copy_from_slice(&0xF000_0000u32.to_le_bytes());
            }
        },
    );
    assert!(
        matches!(
            &err,
            BundleError::Refused { .. } | BundleError::Unreadable { .. }
        ),
        "{err}"
    );
}

#[test]
fn consistent_crc_change_in_both_headers_is_named() {
    let st = station(&["10001"]);
    let path = bundle_of(&st);
    let mut bytes = std::fs::read(&path).unwrap();
    let (name, local, central) = {
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
        let f = z.by_index_raw(3).unwrap();
        (
            f.name().unwrap().to_string(),
            f.header_start() as usize,
            f.central_header_start() as usize,
        )
    };
    for at in [local + 14, central + 16] {
        bytes[at] ^= 0x01;
    }
    let p = st.dir.path().join("crc.zip");
    std::fs::write(&p, &bytes).unwrap();
    for reader_thread in [false, true] {
        let options = VerifyOptions {
            extract_to: None,
            reader_thread,
        };
        match verify_bundle_with(&p, &trusted(&st), &options).unwrap_err() {
            BundleError::Mismatch { entry, reason } => {
                assert_eq!(entry, name);
                assert!(reason.contains("CRC"), "{reason}");
            }
            other => panic!("{other}"),
        }
    }
}

/// A station insider rewrites the package hash of a session (e.g. to pass
/// it off as the work's package) and re-signs: the journal disagrees.
#[test]
fn a_package_hash_or_issuer_edited_in_an_answer_file_is_named() {
    for field in ["package_sha256", "issuer_fingerprint"] {
        let st = station(&["10001", "10002"]);
        let bytes = std::fs::read(bundle_of(&st)).unwrap();
        let mut entries = entries_of(&bytes);
        let idx = entries
            .iter()
            .position(|(n, _)| n == "answers/10002.json")
            .unwrap();
        let mut file: serde_json::Value = serde_json::from_slice(&entries[idx].1).unwrap();
        file["sessions"][0][field] = json!("0".repeat(64));
        entries[idx].1 = serde_json::to_vec_pretty(&file).unwrap();
        let sha = vpr_integrity::sha256(&entries[idx].1);
        let size = entries[idx].1.len() as u64;
        let forged = entries[idx].1.clone();
        resign(&mut entries, &st.key, |m| {
            let mut files: Vec<FileEntry> = serde_json::from_value(m["files"].clone()).unwrap();
            files[idx].sha256 = sha;
            files[idx].size = size;
            files[idx].crc32 = crc32fast::hash(&forged);
            m["merkle_root"] = json!(Manifest::compute_merkle_root(&files));
            m["files"] = serde_json::to_value(&files).unwrap();
        });
        let p = st.dir.path().join("forged.zip");
        std::fs::write(&p, rebuild(&entries)).unwrap();
        match verify_bundle(&p, &TrustedKeys::any()).unwrap_err() {
            BundleError::Record { entry, reason, .. } => {
                assert_eq!(entry, "answers/10002.json", "{field}");
                assert!(reason.contains("сеанс"), "{field}: {reason}");
            }
            other => panic!("{field}: {other}"),
        }
    }
}

/// The variant and the adapted version a participant sat decide which keys
/// and which mark scale the coordinator uses: a station insider who rewrites
/// them in an answer file (and re-signs) is caught by the journal, and one
/// who rewrites the manifest's participant line is caught by the answer file.
#[test]
fn a_variant_or_version_edited_in_a_re_signed_bundle_is_named() {
    let edits: [(&str, serde_json::Value); 3] = [
        ("variant", json!("1")),
        ("adapted_version", json!("no_listening")),
        ("extended_time", json!(true)),
    ];
    for (field, value) in &edits {
        let st = station(&["10001", "10002"]);
        let bytes = std::fs::read(bundle_of(&st)).unwrap();
        // Untouched, the bundle verifies; edited without re-signing, the signature breaks.
        let p = st.dir.path().join("bundle.zip");
        verify_bundle(&p, &TrustedKeys::any()).unwrap();
        let mut entries = entries_of(&bytes);
        let n = entries.len();
        let mut m: serde_json::Value = serde_json::from_slice(&entries[n - 2].1).unwrap();
        m["participants"][1][field] = value.clone();
        entries[n - 2].1 = serde_json::to_vec_pretty(&m).unwrap();
        let unsigned = st.dir.path().join("unsigned.zip");
        std::fs::write(&unsigned, rebuild(&entries)).unwrap();
        assert!(
            verify_bundle(&unsigned, &TrustedKeys::any()).is_err(),
            "{field}: an edited manifest must break the signature"
        );

        // The answer file edited and the manifest re-signed.
        let mut entries = entries_of(&bytes);
        let idx = entries
            .iter()
            .position(|(n, _)| n == "answers/10002.json")
            .unwrap();
        let mut file: serde_json::Value = serde_json::from_slice(&entries[idx].1).unwrap();
        file["sessions"][0][field] = value.clone();
        entries[idx].1 = serde_json::to_vec_pretty(&file).unwrap();
        let sha = vpr_integrity::sha256(&entries[idx].1);
        let size = entries[idx].1.len() as u64;
        let forged = entries[idx].1.clone();
        resign(&mut entries, &st.key, |m| {
            let mut files: Vec<FileEntry> = serde_json::from_value(m["files"].clone()).unwrap();
            files[idx].sha256 = sha;
            files[idx].size = size;
            files[idx].crc32 = crc32fast::hash(&forged);
            m["merkle_root"] = json!(Manifest::compute_merkle_root(&files));
            m["files"] = serde_json::to_value(&files).unwrap();
            m["participants"][1][field] = value.clone();
        });
        let p = st.dir.path().join("forged.zip");
        std::fs::write(&p, rebuild(&entries)).unwrap();
        match verify_bundle(&p, &TrustedKeys::any()).unwrap_err() {
            BundleError::Record { entry, reason, .. } => {
                assert_eq!(entry, "answers/10002.json", "{field}");
                assert!(reason.contains("сеанс"), "{field}: {reason}");
            }
            other => panic!("{field}: {other}"),
        }

        // Only the manifest's participant line edited and re-signed.
        let mut entries = entries_of(&bytes);
        resign(&mut entries, &st.key, |m| {
            m["participants"][1][field] = value.clone();
        });
        let p = st.dir.path().join("forged-manifest.zip");
        std::fs::write(&p, rebuild(&entries)).unwrap();
        match verify_bundle(&p, &TrustedKeys::any()).unwrap_err() {
            BundleError::Mismatch { entry, reason } => {
                assert_eq!(entry, MANIFEST, "{field}");
                assert!(reason.contains("10002"), "{field}: {reason}");
            }
            other => panic!("{field}: {other}"),
        }
    }
}
