#![allow(dead_code)]

use std::path::{Path, PathBuf};

use vpr_coordinator::{tabular, Coordinator};

pub const PASSWORD: &str = "пароль-координатора";

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../audio-fixtures/rosters")
}

pub fn new_db(dir: &Path) -> Coordinator {
    Coordinator::create_with_iterations(&dir.join("coordinator.sqlite"), PASSWORD, 1_000).unwrap()
}

/// The names of `roster.csv` for scanning exports: every surname and every
/// «surname first-name» pair. (First names alone are common words:
/// «Максим» is inside «Максимум».)
pub fn roster_name_parts() -> Vec<String> {
    let text = std::fs::read_to_string(fixtures().join("roster.csv")).unwrap();
    let grid = vpr_coordinator::roster::parse_csv(&text);
    let mut out = Vec::new();
    for row in grid.iter().skip(1) {
        out.push(row[1].clone());
        out.push(format!("{} {}", row[1], row[2]));
    }
    out
}

/// Every file under `dir` (recursively, zip entries unpacked) contains none of `names`.
pub fn assert_no_names(path: &Path, names: &[String]) {
    let mut files = Vec::new();
    collect(path, &mut files);
    assert!(!files.is_empty(), "nothing to scan at {}", path.display());
    for f in files {
        let bytes = std::fs::read(&f).unwrap();
        let mut blobs = vec![bytes.clone()];
        if let Ok(mut z) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) {
            for i in 0..z.len() {
                let mut e = z.by_index(i).unwrap();
                let mut b = Vec::new();
                std::io::Read::read_to_end(&mut e, &mut b).unwrap();
                blobs.push(b);
            }
        }
        for blob in blobs {
            // std's substring search is optimised even in test builds.
            let text = String::from_utf8_lossy(&blob);
            for name in names {
                assert!(
                    !text.contains(name.as_str()),
                    "{} contains the roster name part {name:?}",
                    f.display()
                );
                // XLSX shared strings escape quotes and ampersands.
                let escaped = name.replace('&', "&amp;").replace('"', "&quot;");
                assert!(
                    !text.contains(escaped.as_str()),
                    "{} contains an escaped roster name",
                    f.display()
                );
            }
        }
    }
}

fn collect(p: &Path, out: &mut Vec<PathBuf>) {
    if p.is_dir() {
        for e in std::fs::read_dir(p).unwrap() {
            collect(&e.unwrap().path(), out);
        }
    } else {
        out.push(p.to_path_buf());
    }
}

/// The CSV roster written as an XLSX workbook (raw strings, as a school's
/// spreadsheet would hold them).
pub fn roster_as_xlsx(out: &Path) {
    let text = std::fs::read_to_string(fixtures().join("roster.csv")).unwrap();
    let grid = vpr_coordinator::roster::parse_csv(&text);
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (r, row) in grid.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if r > 0 && c == 6 && !v.is_empty() {
                ws.write_number(r as u32, c as u16, v.parse::<f64>().unwrap())
                    .unwrap();
            } else {
                ws.write_string(r as u32, c as u16, v).unwrap();
            }
        }
    }
    wb.save(out).unwrap();
    let _ = tabular::protect("");
}

pub fn grade7_spec() -> vpr_coordinator::WorkSpec {
    serde_json::from_str(include_str!("../data/grade7.json")).unwrap()
}

pub fn grade7_work() -> vpr_coordinator::NewWork {
    vpr_coordinator::NewWork {
        package_id: "en7-2026".into(),
        subject: "Английский язык".into(),
        grade: 7,
        date: "2026-04-14".into(),
        reserve_dates: vec!["2026-04-21".into()],
        upload_deadline: "2026-04-18".into(),
        spec: grade7_spec(),
    }
}

/// The keys of the sample work for variants 1 and 2: item `t.i` accepts the
/// answer `A{t}{i}` (and for 5.x also the spelled-out word).
pub fn grade7_keys() -> vpr_coordinator::Keys {
    grade7_spec().keys_for("en7-2026", &[1, 2], |item| {
        let (t, i) = item.id.split_once('.').unwrap();
        let mut accepted = vec![format!("A{t}{i}")];
        if t == "5" {
            accepted.push(format!("word {i}"));
        }
        accepted
    })
}

/// A small deterministic generator (xorshift) so the tests need no crates.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// A simulated station: a real `vpr-store` journal with sessions, answers and
/// recordings (the sample WAVs), written as a signed bundle by `vpr-bundle`.
pub struct SimStation {
    pub dir: tempfile::TempDir,
    pub key: vpr_integrity::StationKey,
    pub bundle: PathBuf,
}

/// One simulated participant: code, variant, closed answers, whether the
/// session finished, whether the monologue is silent.
pub struct SimWork {
    pub code: u32,
    pub variant: u32,
    pub answers: std::collections::BTreeMap<String, String>,
    pub finished: bool,
    pub silent_monologue: bool,
}

pub fn simulate_station(
    number: u32,
    room: &str,
    package_id: &str,
    works: &[SimWork],
) -> SimStation {
    use vpr_store::{
        LevelFlags, NewRecording, NewSession, RecordingStatus, RecordingUpdate, SessionStatus,
        StationInfo, Store,
    };
    // The station's journal fsyncs every answer; on a RAM disk (where there is
    // one) that costs nothing, so the scenario stays quick on a busy machine.
    let shm = Path::new("/dev/shm");
    let dir = if shm.is_dir() {
        tempfile::tempdir_in(shm).unwrap()
    } else {
        tempfile::tempdir().unwrap()
    };
    let key = vpr_integrity::StationKey::from_seed(&[number as u8; 32]).unwrap();
    let store = Store::open(&vpr_store::exam_path(dir.path())).unwrap();
    store
        .set_station(&StationInfo {
            station_id: format!("st-{number}"),
            school_id: "770123".into(),
            room: room.into(),
            number,
            key_fingerprint: key.public_key().fingerprint(),
        })
        .unwrap();
    // The first half second of a sample spoken answer: a real WAV, small enough for a quick test.
    let sample = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../audio-fixtures/simulate/answer-en-2.wav"),
    )
    .unwrap();
    let wav_bytes = short_wav(&sample, 22_050);
    for w in works {
        let code = w.code.to_string();
        let s = store
            .start_session(&NewSession::new(&code, package_id, &w.variant.to_string()))
            .unwrap();
        for (item, value) in &w.answers {
            let task = item.split('.').next().unwrap();
            store
                .save_answer(s.id, task, item, &serde_json::json!(value))
                .unwrap();
        }
        for task in ["2", "3"] {
            let file = format!("recordings/{code}/{task}.wav");
            let r = store
                .start_recording(&NewRecording {
                    session_id: s.id,
                    task: task.into(),
                    item: None,
                    file: file.clone(),
                })
                .unwrap();
            std::fs::create_dir_all(dir.path().join(format!("recordings/{code}"))).unwrap();
            std::fs::write(dir.path().join(&file), &wav_bytes).unwrap();
            let (sha, _) = vpr_integrity::sha256_file(&dir.path().join(&file)).unwrap();
            store
                .update_recording(
                    r.id,
                    &RecordingUpdate {
                        status: RecordingStatus::Complete,
                        sha256: Some(sha),
                        duration_ms: 4_600,
                        level_flags: LevelFlags {
                            silent: w.silent_monologue && task == "3",
                            ..LevelFlags::default()
                        },
                    },
                )
                .unwrap();
        }
        let status = if w.finished {
            SessionStatus::Finished
        } else {
            SessionStatus::TechnicalFailure
        };
        store.set_session_status(s.id, status).unwrap();
    }
    let bundle = dir.path().join(format!("station-{number}.zip"));
    vpr_bundle::write_bundle(
        &store,
        dir.path(),
        &key,
        &bundle,
        time::OffsetDateTime::now_utc(),
    )
    .unwrap();
    SimStation { dir, key, bundle }
}

/// The first `bytes` of PCM data of a canonical 44-byte-header WAV, as a valid WAV.
fn short_wav(wav: &[u8], bytes: u32) -> Vec<u8> {
    assert_eq!(&wav[..4], b"RIFF");
    assert_eq!(&wav[36..40], b"data", "the sample has a canonical header");
    let data = &wav[44..44 + bytes as usize];
    let mut out = wav[..44].to_vec();
    out[4..8].copy_from_slice(&(36 + bytes).to_le_bytes());
    out[40..44].copy_from_slice(&bytes.to_le_bytes());
    out.extend_from_slice(data);
    out
}
