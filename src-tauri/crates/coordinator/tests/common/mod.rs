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

/// A signed exam package built for a test with `vpr_package::build`.
pub struct SealedFixture {
    pub dir: tempfile::TempDir,
    pub path: PathBuf,
    /// The package source folder (the unsigned `package.json`, `keys.json`).
    pub source: PathBuf,
    pub package_id: String,
    pub sha256: String,
    pub password: String,
    pub keys_password: String,
}

/// Today's date in UTC, `YYYY-MM-DD` (simulated sessions start now).
pub fn today() -> String {
    let d = time::OffsetDateTime::now_utc().date();
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

/// The closed items of [`sealed_grade7`] per task: (task, item id, an accepted answer).
pub fn grade7_items() -> Vec<(u32, String, String)> {
    let keys: serde_json::Value = serde_json::from_slice(
        &std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../../audio-fixtures/packages/en-7/keys.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let mut out = Vec::new();
    for task in keys["variants"][0]["tasks"].as_array().unwrap() {
        let t = task["number"].as_u64().unwrap() as u32;
        for item in task["items"].as_array().into_iter().flatten() {
            let id = item["id"].as_str().unwrap().to_string();
            let answer = if t == 1 || t == 4 {
                item["accepted"][0].as_str().unwrap().to_string()
            } else {
                format!("A{t}{}", id.split_once('.').unwrap().1)
            };
            out.push((t, id, answer));
        }
    }
    out
}

/// The grade 7 demo materials as the work `en7-2026` (variants 1 and 2;
/// choice items of tasks 1 and 4 as in the demo, text item `t.i` accepting
/// `A{t}{i}`, for 5.x also `word {i}`: [`grade7_items`]), signed as an
/// exam package by a fresh issuer key (`demo_key`: by the project's demo
/// key, as a training package whose `package.json` claims a real exam).
/// Materials and keys are released an hour ago.
pub fn sealed_grade7(demo_key: bool) -> (SealedFixture, vpr_package::IssuerKey) {
    use vpr_package::{build_to_file, BuildRequest, Issuer, Limits, MaterialsHeader};
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("en7-2026");
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../audio-fixtures");
    copy_dir(&fixtures.join("packages/en-7"), &source);
    let mut package: serde_json::Value =
        serde_json::from_slice(&std::fs::read(source.join("package.json")).unwrap()).unwrap();
    package["id"] = "en7-2026".into();
    package["demo"] = false.into();
    let mut second = package["variants"][0].clone();
    second["number"] = 2.into();
    package["variants"].as_array_mut().unwrap().push(second);
    std::fs::write(
        source.join("package.json"),
        serde_json::to_vec_pretty(&package).unwrap(),
    )
    .unwrap();
    let mut keys: serde_json::Value =
        serde_json::from_slice(&std::fs::read(source.join("keys.json")).unwrap()).unwrap();
    keys["package_id"] = "en7-2026".into();
    for task in keys["variants"][0]["tasks"].as_array_mut().unwrap() {
        let t = task["number"].as_u64().unwrap();
        if t == 1 || t == 4 {
            // Choice items: the answer is the option label, as in the demo.
            continue;
        }
        if let Some(items) = task.get_mut("items").and_then(|i| i.as_array_mut()) {
            for item in items {
                let id = item["id"].as_str().unwrap().to_string();
                let i = id.split_once('.').unwrap().1.to_string();
                let mut accepted = vec![format!("A{t}{i}")];
                if t == 5 {
                    accepted.push(format!("word {i}"));
                }
                item["accepted"] = serde_json::json!(accepted);
                item["points"] = 1.into();
            }
        }
    }
    let mut second = keys["variants"][0].clone();
    second["number"] = 2.into();
    keys["variants"].as_array_mut().unwrap().push(second);
    std::fs::write(
        source.join("keys.json"),
        serde_json::to_vec_pretty(&keys).unwrap(),
    )
    .unwrap();

    let issuer = if demo_key {
        Issuer::read(&fixtures.join("issuer/demo-issuer.DEMO-ONLY.pk8")).unwrap()
    } else {
        Issuer::from_pkcs8(&Issuer::generate_pkcs8().unwrap()).unwrap()
    };
    let now = time::OffsetDateTime::now_utc();
    let hour_ago = now - time::Duration::hours(1);
    let mut meta = MaterialsHeader::read_dir(&source).unwrap().meta(
        "МБОУ СОШ № 5",
        now.date(),
        hour_ago,
        hour_ago,
    );
    // The demo key signs training packages only (the builder insists).
    meta.demo = demo_key;
    let (password, keys_password) = if demo_key {
        (
            "demo-day-password".to_string(),
            "demo-keys-password".to_string(),
        )
    } else {
        (
            vpr_package::generate_password().unwrap().text,
            vpr_package::generate_password().unwrap().text,
        )
    };
    let path = dir.path().join("en7-2026.vprpkg");
    let report = build_to_file(
        &BuildRequest {
            source: &source,
            meta,
            password: &password,
            keys_password: &keys_password,
            issuer: &issuer,
            limits: Limits::default(),
            created: now,
        },
        &path,
    )
    .unwrap();
    let key = vpr_package::IssuerKey::new(issuer.public_key(), "Региональный координатор");
    (
        SealedFixture {
            path,
            source,
            package_id: "en7-2026".into(),
            sha256: report.file_sha256,
            password,
            keys_password,
            dir,
        },
        key,
    )
}

/// A coordinator that trusts the fixture's issuer, with the school of the
/// simulated stations (`770123`), the work taken from the signed package
/// (today, a reserve day in a week) and its keys released.
pub fn sealed_work(
    db: &Coordinator,
    fixture: &SealedFixture,
    issuer: &vpr_package::IssuerKey,
) -> i64 {
    if db.school().unwrap().is_none() {
        db.set_school(&vpr_coordinator::School {
            name: "МБОУ СОШ № 5".into(),
            login: "sch770123".into(),
            ..Default::default()
        })
        .unwrap();
    }
    db.add_issuer(issuer).unwrap();
    let work = db
        .add_work_from_package(
            &vpr_coordinator::PackageWork {
                package: fixture.path.clone(),
                password: fixture.password.clone(),
                date: today(),
                reserve_dates: vec!["2099-01-01".into()],
                upload_deadline: "2099-01-10".into(),
                stations_per_room: 4,
            },
            &vpr_package::SystemClock,
        )
        .unwrap();
    work.id
}

/// Enrol a simulated station from its passport (school 770123, room as given).
pub fn enrol(db: &Coordinator, room_id: i64, number: u32, room: &str, st: &SimStation) {
    let passport = vpr_coordinator::vpr_bundle::StationPassport::new(
        "770123",
        room,
        number,
        &st.key.public_key(),
        "2026-04-14T07:00:00Z",
    );
    db.enrol_station(room_id, &passport).unwrap();
}

/// Every file and folder under `dir`, relative, sorted.
pub fn tree(dir: &Path) -> Vec<String> {
    let mut files = Vec::new();
    collect_all(dir, dir, &mut files);
    files.sort();
    files
}

fn collect_all(root: &Path, p: &Path, out: &mut Vec<String>) {
    for e in std::fs::read_dir(p).unwrap() {
        let path = e.unwrap().path();
        out.push(path.strip_prefix(root).unwrap().display().to_string());
        if path.is_dir() {
            collect_all(root, &path, out);
        }
    }
}

pub fn simulate_station(
    number: u32,
    room: &str,
    package_id: &str,
    works: &[SimWork],
) -> SimStation {
    simulate_station_with(number, room, "770123", package_id, None, works)
}

/// A station of `school` whose sessions ran the package file `package_sha256`.
pub fn simulate_station_with(
    number: u32,
    room: &str,
    school: &str,
    package_id: &str,
    package_sha256: Option<&str>,
    works: &[SimWork],
) -> SimStation {
    simulate_station_signed(
        number,
        room,
        school,
        package_id,
        package_sha256,
        None,
        works,
    )
}

/// As [`simulate_station_with`], the sessions naming the package's issuer.
pub fn simulate_station_signed(
    number: u32,
    room: &str,
    school: &str,
    package_id: &str,
    package_sha256: Option<&str>,
    issuer_fingerprint: Option<&str>,
    works: &[SimWork],
) -> SimStation {
    simulate_station_choosing(
        number,
        room,
        school,
        package_id,
        package_sha256,
        issuer_fingerprint,
        works,
        &[],
    )
}

/// As [`simulate_station_signed`], the sessions also recording the photo
/// each participant chose: (code, task, photo), logged as the station's
/// session logs a `photo_chosen` event.
#[allow(clippy::too_many_arguments)]
pub fn simulate_station_choosing(
    number: u32,
    room: &str,
    school: &str,
    package_id: &str,
    package_sha256: Option<&str>,
    issuer_fingerprint: Option<&str>,
    works: &[SimWork],
    photos: &[(u32, u32, u32)],
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
            school_id: school.into(),
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
        let mut new = NewSession::new(&code, package_id, &w.variant.to_string());
        new.package_sha256 = package_sha256.map(str::to_string);
        new.issuer_fingerprint = issuer_fingerprint.map(str::to_string);
        let s = store.start_session(&new).unwrap();
        for (item, value) in &w.answers {
            let task = item.split('.').next().unwrap();
            store
                .save_answer(s.id, task, item, &serde_json::json!(value))
                .unwrap();
        }
        for (i, (_, task, photo)) in photos.iter().filter(|p| p.0 == w.code).enumerate() {
            let event = vpr_exam::session::Event {
                seq: i as u64 + 1,
                at_ms: 1_776_150_000_000,
                work_used_ms: 60_000,
                kind: vpr_exam::session::EventKind::PhotoChosen {
                    task: *task,
                    photo: *photo,
                },
            };
            store
                .log_event(
                    Some(s.id),
                    event.kind.name(),
                    &serde_json::to_value(&event).unwrap(),
                )
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
