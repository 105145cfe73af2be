//! Signed packages, station passports and bundles for the coordinator's
//! e2e tests, built with the real `vpr-package` builder, `vpr-store`
//! journal and `vpr-bundle` writer.

#![allow(dead_code, clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use serde_json::Value;
use vpr_e2e::workspace_root;

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

/// The en-7 materials as the exam package `en7-e2e`, signed by a fresh
/// issuer: (the .vprpkg, its SHA-256, the day password, the keys password,
/// the issuer's .pub).
pub fn signed_package(dir: &Path) -> (PathBuf, String, String, String, PathBuf) {
    signed_package_with(dir, false)
}

/// Each criterion's levels from its description («2 балла: … 1 балл: …»).
fn levels_of(criterion: &Value) -> Value {
    let text = criterion["description"].as_str().unwrap_or_default();
    let max = criterion["max_points"].as_u64().unwrap_or(0);
    let at = |p: u64| text.find(&format!("{p} балл"));
    let levels: Vec<Value> = (0..=max)
        .map(|p| {
            let descriptor = match at(p) {
                Some(start) => {
                    let body = &text[start..];
                    let body = body.split_once(": ").map_or(body, |(_, b)| b);
                    let end = (0..p)
                        .rev()
                        .find_map(|q| body.find(&format!(" {q} балл")))
                        .unwrap_or(body.len());
                    body[..end].trim().to_string()
                }
                None => format!("уровень {p}"),
            };
            serde_json::json!({"points": p, "descriptor": descriptor})
        })
        .collect();
    Value::Array(levels)
}

/// As [`signed_package`]; with `levels`, every criterion carries its levels'
/// descriptors and the monologue's first criterion is critical.
pub fn signed_package_with(dir: &Path, levels: bool) -> (PathBuf, String, String, String, PathBuf) {
    use vpr_package::{build_to_file, time, BuildRequest, Issuer, Limits, MaterialsHeader};
    let source = dir.join("en7-e2e");
    copy_dir(
        &workspace_root().join("audio-fixtures/packages/en-7"),
        &source,
    );
    for (file, key) in [("package.json", "id"), ("keys.json", "package_id")] {
        let mut v: Value =
            serde_json::from_slice(&std::fs::read(source.join(file)).unwrap()).unwrap();
        v[key] = "en7-e2e".into();
        if file == "package.json" {
            v["demo"] = false.into();
        }
        if file == "keys.json" && levels {
            for t in v["variants"][0]["tasks"].as_array_mut().unwrap() {
                let monologue = t["number"] == 3;
                for (i, c) in t
                    .get_mut("criteria")
                    .and_then(Value::as_array_mut)
                    .into_iter()
                    .flatten()
                    .enumerate()
                {
                    c["levels"] = levels_of(c);
                    if monologue && i == 0 {
                        c["critical"] = true.into();
                    }
                }
            }
        }
        std::fs::write(source.join(file), v.to_string()).unwrap();
    }
    let issuer = Issuer::from_pkcs8(&Issuer::generate_pkcs8().unwrap()).unwrap();
    let now = time::OffsetDateTime::now_utc();
    let hour_ago = now - time::Duration::hours(1);
    let meta = MaterialsHeader::read_dir(&source).unwrap().meta(
        "МБОУ «Школа № 1»",
        now.date(),
        hour_ago,
        hour_ago,
    );
    let password = vpr_package::generate_password().unwrap().text;
    let keys_password = vpr_package::generate_password().unwrap().text;
    let out = dir.join("en7-e2e.vprpkg");
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
        &out,
    )
    .unwrap();
    let public = dir.join("region.pub");
    std::fs::write(&public, issuer.public_key_hex()).unwrap();
    (out, report.file_sha256, password, keys_password, public)
}

pub fn station_key(seed: u8) -> vpr_integrity::StationKey {
    vpr_integrity::StationKey::from_seed(&[seed; 32]).unwrap()
}

/// The passport file the technician brings on a USB drive.
pub fn passport(dir: &Path, number: u32, key: &vpr_integrity::StationKey) -> PathBuf {
    let p = vpr_bundle::StationPassport::new(
        "770001",
        "101",
        number,
        &key.public_key(),
        "2026-04-15T07:00:00Z",
    );
    let path = dir.join(p.file_name());
    std::fs::write(&path, p.to_bytes().unwrap()).unwrap();
    path
}

/// A bundle written by station `number` (as its store says), signed by
/// `key`: one finished session per (code, answers), ran on the package file
/// `package_sha256`; with `spoken`, a recording of a sample answer for the
/// oral tasks 2 and 3.
pub fn bundle(
    dir: &Path,
    name: &str,
    number: u32,
    key: &vpr_integrity::StationKey,
    package_sha256: &str,
    works: &[(String, Vec<(String, String)>)],
    spoken: bool,
) -> PathBuf {
    bundle_choosing(dir, name, number, key, package_sha256, works, spoken, &[])
}

/// As [`bundle`], each session also logging the photos chosen, (code, task,
/// photo), as the station's session logs its `photo_chosen` event.
#[allow(clippy::too_many_arguments)]
pub fn bundle_choosing(
    dir: &Path,
    name: &str,
    number: u32,
    key: &vpr_integrity::StationKey,
    package_sha256: &str,
    works: &[(String, Vec<(String, String)>)],
    spoken: bool,
    photos: &[(String, u32, u32)],
) -> PathBuf {
    use vpr_store::{
        NewRecording, NewSession, RecordingStatus, RecordingUpdate, SessionStatus, StationInfo,
        Store,
    };
    let data = dir.join(name);
    std::fs::create_dir_all(&data).unwrap();
    let store = Store::open(&vpr_store::exam_path(&data)).unwrap();
    store
        .set_station(&StationInfo {
            station_id: format!("st-{number}"),
            school_id: "770001".into(),
            room: "101".into(),
            number,
            key_fingerprint: key.public_key().fingerprint(),
        })
        .unwrap();
    let sample = workspace_root().join("audio-fixtures/simulate/answer-en-2.wav");
    for (code, answers) in works {
        let mut new = NewSession::new(code, "en7-e2e", "1");
        new.package_sha256 = Some(package_sha256.into());
        let s = store.start_session(&new).unwrap();
        for (item, value) in answers {
            let task = item.split('.').next().unwrap();
            store
                .save_answer(s.id, task, item, &serde_json::json!(value))
                .unwrap();
        }
        for (i, (_, task, photo)) in photos.iter().filter(|p| &p.0 == code).enumerate() {
            // The shape of `vpr_exam::session::Event` as the station stores it.
            let event = serde_json::json!({
                "seq": i + 1,
                "at_ms": 1_776_150_000_000_i64,
                "work_used_ms": 60_000,
                "kind": {"event": "photo_chosen", "task": task, "photo": photo},
            });
            store.log_event(Some(s.id), "photo_chosen", &event).unwrap();
        }
        if spoken {
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
                std::fs::create_dir_all(data.join(format!("recordings/{code}"))).unwrap();
                std::fs::copy(&sample, data.join(&file)).unwrap();
                let (sha, _) = vpr_integrity::sha256_file(&data.join(&file)).unwrap();
                store
                    .update_recording(
                        r.id,
                        &RecordingUpdate {
                            status: RecordingStatus::Complete,
                            sha256: Some(sha),
                            duration_ms: 4_600,
                            level_flags: Default::default(),
                        },
                    )
                    .unwrap();
            }
        }
        store
            .set_session_status(s.id, SessionStatus::Finished)
            .unwrap();
    }
    let out = dir.join(format!("{name}.zip"));
    vpr_bundle::write_bundle(
        &store,
        &data,
        key,
        &out,
        vpr_package::time::OffsetDateTime::now_utc(),
    )
    .unwrap();
    out
}
