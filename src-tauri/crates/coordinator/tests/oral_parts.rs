#![allow(clippy::unwrap_used)]

//! The ЕГЭ oral demo (`audio-fixtures/packages/ege-en-oral`) signed as an
//! exam package and sat on a simulated station (a real `vpr-store` journal
//! with the recordings the runtime makes for it, items `q<part>.<segment>`
//! as `station/src/runtime/effects.rs` writes them; `vpr_station::simulate`
//! cannot sit the interview kinds yet), the station's signed bundle imported
//! into a real coordinator database:
//! every answer of the interview (task 3) and of «ask questions» (task 2) is
//! kept, the expert gets one recording per question next to its criterion,
//! and a critical criterion at 0 zeroes its task in the results, the form
//! and the statistics.

mod common;

use std::path::Path;

use common::*;
use vpr_coordinator::{
    scoring::CriterionScore, Coordinator, CoordinatorError, NewParticipant, PersonName,
};

/// The ЕГЭ demo as exam work signed by a fresh issuer, released an hour ago.
fn sealed_ege(dir: &Path) -> (SealedFixture, vpr_package::IssuerKey) {
    use vpr_package::{build_to_file, BuildRequest, Issuer, Limits, MaterialsHeader};
    let source = dir.join("ege");
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../audio-fixtures");
    copy_tree(&fixtures.join("packages/ege-en-oral"), &source);
    let mut package: serde_json::Value =
        serde_json::from_slice(&std::fs::read(source.join("package.json")).unwrap()).unwrap();
    package["demo"] = false.into();
    std::fs::write(
        source.join("package.json"),
        serde_json::to_vec_pretty(&package).unwrap(),
    )
    .unwrap();
    let issuer = Issuer::from_pkcs8(&Issuer::generate_pkcs8().unwrap()).unwrap();
    let now = time::OffsetDateTime::now_utc();
    let hour_ago = now - time::Duration::hours(1);
    let meta = MaterialsHeader::read_dir(&source).unwrap().meta(
        "МБОУ СОШ № 5",
        now.date(),
        hour_ago,
        hour_ago,
    );
    let password = vpr_package::generate_password().unwrap().text;
    let keys_password = vpr_package::generate_password().unwrap().text;
    let path = dir.join("ege.vprpkg");
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
    let package_id = package["id"].as_str().unwrap().to_string();
    (
        SealedFixture {
            dir: tempfile::tempdir().unwrap(),
            path,
            source,
            package_id,
            sha256: report.file_sha256,
            password,
            keys_password,
        },
        key,
    )
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_tree(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

/// The recordings the station runtime makes for the ЕГЭ demo (item as
/// `effects.rs` writes it, from the session engine's parts and segments):
/// (task, item). Task 1 reading aloud; task 2 four prompts and task 3 five
/// interview questions, each answer its own recording, the segment counter
/// running on through the task; task 4 the monologue, paused once and
/// continued in segment 2.
const EGE_RECORDINGS: &[(u32, Option<&str>)] = &[
    (1, Some("1")),
    (2, Some("q1.1")),
    (2, Some("q2.2")),
    (2, Some("q3.3")),
    (2, Some("q4.4")),
    (3, Some("q1.1")),
    (3, Some("q2.2")),
    (3, Some("q3.3")),
    (3, Some("q4.4")),
    (3, Some("q5.5")),
    (4, Some("1")),
    (4, Some("2")),
];

/// Participants sit the package on a simulated station (a real `vpr-store`
/// journal, the sessions naming the package file and its issuer, real WAVs
/// under the runtime's file names); its signed bundle.
fn sit(
    dir: &Path,
    fx: &SealedFixture,
    issuer: &vpr_package::IssuerKey,
    codes: &[u32],
    recordings: &[(u32, Option<&str>)],
) -> (std::path::PathBuf, vpr_integrity::StationKey) {
    use vpr_store::{LevelFlags, NewRecording, NewSession, RecordingStatus, RecordingUpdate};
    let data = dir.join("station");
    std::fs::create_dir_all(&data).unwrap();
    let key = vpr_integrity::StationKey::from_seed(&[7; 32]).unwrap();
    let store = vpr_store::Store::open(&vpr_store::exam_path(&data)).unwrap();
    store
        .set_station(&vpr_store::StationInfo {
            station_id: "st-7".into(),
            school_id: "770123".into(),
            room: "21".into(),
            number: 7,
            key_fingerprint: key.public_key().fingerprint(),
        })
        .unwrap();
    let wav = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../audio-fixtures/simulate/answer-en-2.wav"),
    )
    .unwrap();
    for &code in codes {
        let code = code.to_string();
        let mut new = NewSession::new(&code, &fx.package_id, "1");
        new.package_sha256 = Some(fx.sha256.clone());
        new.issuer_fingerprint = Some(issuer.fingerprint.clone());
        let s = store.start_session(&new).unwrap();
        for (n, (task, item)) in recordings.iter().enumerate() {
            let segment = item.map_or("1".to_string(), |i| {
                i.rsplit('.').next().unwrap().to_string()
            });
            let file = format!("recordings/{}-{code}/task{task}-{segment}-{n}.wav", s.id);
            let path = data.join(&file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &wav).unwrap();
            let r = store
                .start_recording(&NewRecording {
                    session_id: s.id,
                    task: task.to_string(),
                    item: item.map(str::to_string),
                    file,
                })
                .unwrap();
            let (sha, _) = vpr_integrity::sha256_file(&path).unwrap();
            store
                .update_recording(
                    r.id,
                    &RecordingUpdate {
                        status: RecordingStatus::Complete,
                        sha256: Some(sha),
                        duration_ms: 3_000,
                        level_flags: LevelFlags::default(),
                    },
                )
                .unwrap();
        }
        store
            .set_session_status(s.id, vpr_store::SessionStatus::Finished)
            .unwrap();
    }
    let bundle = dir.join("station-7.zip");
    vpr_bundle::write_bundle(
        &store,
        &data,
        &key,
        &bundle,
        time::OffsetDateTime::now_utc(),
    )
    .unwrap();
    (bundle, key)
}

fn setup(
    dir: &Path,
    recordings: &[(u32, Option<&str>)],
) -> (
    Coordinator,
    i64,
    SealedFixture,
    Vec<u32>,
    std::path::PathBuf,
) {
    let mut db = new_db(dir);
    let (fx, issuer) = sealed_ege(dir);
    let work = sealed_work(&db, &fx, &issuer);
    db.upsert_class("11А", 11, "английский").unwrap();
    let people: Vec<NewParticipant> = (0..2)
        .map(|i| NewParticipant {
            class_name: "11А".into(),
            name: PersonName {
                last: format!("Выпускник{i}"),
                first: "Участник".into(),
                middle: String::new(),
            },
            sex: "Ж".into(),
            special_needs: false,
            previous_mark: None,
        })
        .collect();
    let codes = db.add_participants(&people).unwrap();
    let (bundle, key) = sit(dir, &fx, &issuer, &codes, recordings);
    let room = db.add_room("Кабинет 21").unwrap();
    let passport = vpr_coordinator::vpr_bundle::StationPassport::new(
        "770123",
        "21",
        7,
        &key.public_key(),
        "2026-04-14T07:00:00Z",
    );
    db.enrol_station(room, &passport).unwrap();
    (db, work, fx, codes, bundle)
}

#[test]
fn every_answer_of_the_ege_interview_is_kept_and_scored_by_its_criteria() {
    let dir = tempfile::tempdir().unwrap();
    let (db, work, fx, codes, bundle) = setup(dir.path(), EGE_RECORDINGS);
    let db = db;
    let r = db.import_bundle(&bundle).unwrap();
    assert_eq!(r.added.len(), 2, "{r:?}");

    for &code in &codes {
        let recs = db.recordings(work, code).unwrap();
        let of = |task: u32| recs.iter().filter(|r| r.task == task).count();
        assert_eq!(of(1), 1, "{recs:?}");
        assert_eq!(of(2), 4, "four questions about the advert: {recs:?}");
        assert_eq!(of(3), 5, "five interview answers: {recs:?}");
        assert_eq!(of(4), 2, "the monologue in two segments: {recs:?}");
        let parts: Vec<(u32, u32, u32)> =
            recs.iter().map(|r| (r.task, r.part, r.segment)).collect();
        let mut sorted = parts.clone();
        sorted.sort_unstable();
        assert_eq!(parts, sorted, "ordered by task, part, segment");
        let interview: Vec<u32> = recs
            .iter()
            .filter(|r| r.task == 3)
            .map(|r| r.part)
            .collect();
        assert_eq!(interview, [1, 2, 3, 4, 5]);
        for r in &recs {
            let (sha, _) = vpr_integrity::sha256_file(&db.data_dir().join(&r.path)).unwrap();
            assert_eq!(sha.to_hex(), r.sha256, "{}", r.path);
        }
        // The player addresses an answer by task and part.
        let q3 = recs.iter().find(|r| r.task == 3 && r.part == 3).unwrap();
        assert_eq!(
            db.recording_paths(work, code, 3, 3).unwrap(),
            vec![db.data_dir().join(&q3.path)]
        );
        assert_eq!(
            db.recording_waveform(work, code, 3, 3, q3.segment, 50)
                .unwrap()
                .len(),
            50
        );
        assert!(matches!(
            db.recording_paths(work, code, 3, 9),
            Err(CoordinatorError::Missing { .. })
        ));
    }

    // The released keys give each criterion its levels and К1 of task 4 is critical.
    db.release_keys(work, &fx.keys_password, &vpr_package::SystemClock)
        .unwrap();
    let spec = db.work(work).unwrap().spec;
    let t4 = spec.task(4).unwrap();
    assert!(t4.criteria[0].critical && !t4.criteria[1].critical);
    assert_eq!(t4.criteria[0].levels.len(), 5);
    assert_eq!(spec.task(3).unwrap().parts, 5);
    assert_eq!(spec.task(2).unwrap().parts, 4);

    let subject = db.work(work).unwrap().subject;
    let expert = db
        .add_staff(&vpr_coordinator::NewStaff {
            role: vpr_coordinator::StaffRole::Expert,
            name: PersonName {
                last: "Экспертова".into(),
                first: "Анна".into(),
                middle: String::new(),
            },
            subjects: vec![subject],
            teaches_classes: Vec::new(),
            experience_years: 5,
            school_employee: true,
            parent_of_participant: false,
            organization: String::new(),
        })
        .unwrap();
    db.assign_experts(work).unwrap();
    let queue = db.expert_queue(expert).unwrap();
    assert_eq!(queue.len(), 2 * 4);
    for item in &queue {
        let (task, code) = (item.task, item.code);
        match task {
            3 | 2 => {
                let n = if task == 3 { 5 } else { 4 };
                assert_eq!(item.parts.len(), n);
                for (i, p) in item.parts.iter().enumerate() {
                    assert_eq!(p.part, i as u32 + 1);
                    assert_eq!(p.segments.len(), 1);
                    assert_eq!(p.criterion.as_deref(), Some(item.criteria[i].id.as_str()));
                }
            }
            _ => {
                assert_eq!(item.parts.len(), 1);
                let segments: Vec<u32> = item.parts[0].segments.iter().map(|r| r.segment).collect();
                assert_eq!(segments, if task == 4 { vec![1, 2] } else { vec![1] });
                assert_eq!(
                    (item.parts[0].part, item.parts[0].criterion.as_deref()),
                    (0, None)
                );
            }
        }
        // Full marks everywhere, except К1 of task 4 at 0 for the first code.
        let scores: Vec<CriterionScore> = item
            .criteria
            .iter()
            .map(|c| CriterionScore {
                criterion: c.id.clone(),
                score: if code == codes[0] && c.critical {
                    0
                } else {
                    c.max_points
                },
                note: String::new(),
            })
            .collect();
        db.submit_scores(expert, work, code, task, &scores).unwrap();
    }
    db.auto_score(work).unwrap();
    let results = db.results(work).unwrap();
    let of = |code: u32| results.iter().find(|r| r.code == code).unwrap();
    assert_eq!(of(codes[0]).tasks[&4], Some(0), "К1 at 0 zeroes task 4");
    assert_eq!(of(codes[1]).tasks[&4], Some(10));
    assert_eq!(of(codes[0]).tasks[&3], Some(5));
    assert_eq!(of(codes[0]).total(), Some(1 + 4 + 5));
    assert_eq!(of(codes[1]).total(), Some(20));

    // The form and the statistics show the same 0.
    let form = db.results_form(work).unwrap();
    let col = form.header.iter().position(|h| h == "Задание 4").unwrap();
    let row = form
        .rows
        .iter()
        .find(|r| r[0] == vpr_coordinator::tabular::Cell::text(codes[0].to_string()))
        .unwrap();
    assert_eq!(
        row[col],
        vpr_coordinator::tabular::Cell::int(0u32),
        "{row:?}"
    );
    let stats = db.statistics(work).unwrap();
    // `totals[n]`: participants with n points.
    assert_eq!((stats.totals[10], stats.totals[20]), (1, 1), "{stats:?}");
    let t4 = stats.tasks.iter().find(|t| t.task == 4).unwrap();
    assert!((t4.mean - 5.0).abs() < 1e-9, "{t4:?}");
}

#[test]
fn a_recording_item_that_is_neither_part_nor_segment_is_refused() {
    use vpr_coordinator::scoring::recording_part;
    assert_eq!(recording_part(None), Some((0, 1)));
    assert_eq!(recording_part(Some("2")), Some((0, 2)));
    assert_eq!(recording_part(Some("q3.7")), Some((3, 7)));
    for bad in [
        "",
        "q",
        "q3",
        "q.1",
        "q0.1",
        "q1.0",
        "0",
        "x1",
        "q1.2.3",
        "-1",
        "1e3",
        "99999999999",
        "q１.1",
    ] {
        assert_eq!(recording_part(Some(bad)), None, "{bad:?}");
    }
}

#[test]
fn a_bundle_with_an_unknown_recording_item_is_refused_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let (db, work, _fx, _codes, bundle) =
        setup(dir.path(), &[(1, Some("1")), (3, Some("вопрос-1"))]);
    let err = db.import_bundle(&bundle).unwrap_err();
    assert!(
        matches!(err, CoordinatorError::BundleRejected(ref m) if m.contains("«вопрос-1»") && m.contains("задание 3")),
        "{err}"
    );
    assert!(db.submissions(work).unwrap().is_empty(), "nothing imported");
}
