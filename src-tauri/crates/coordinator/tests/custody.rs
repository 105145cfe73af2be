#![allow(clippy::unwrap_used)]

//! The chain of custody at the coordinator (issue 11): works only from the
//! signed package, stations only as enrolled, every refusal with its reason
//! and nothing left behind, unknown codes and conflicts held, receipts
//! compared. Each attack here worked before.

mod common;

use std::collections::BTreeMap;

use common::*;
use vpr_coordinator::{
    custody::{HeldKind, ReceiptState, Resolution},
    Coordinator, CoordinatorError, PackageWork,
};
use vpr_package::{PackageError, SystemClock};

fn roster(db: &mut Coordinator, n: usize) -> Vec<u32> {
    if n == 0 {
        return Vec::new();
    }
    db.import_roster(&fixtures().join("roster.csv")).unwrap();
    let codes: Vec<u32> = db.participants().unwrap().iter().map(|p| p.code).collect();
    assert!(codes.len() >= n);
    codes[..n].to_vec()
}

fn answers_all_right() -> BTreeMap<String, String> {
    grade7_items()
        .into_iter()
        .map(|(_, id, answer)| (id, answer))
        .collect()
}

fn work_of(code: u32, answers: BTreeMap<String, String>) -> SimWork {
    SimWork {
        code,
        variant: 1,
        answers,
        finished: true,
        silent_monologue: false,
    }
}

/// Sum of auto-scores per code after keys and auto-scoring.
fn closed_totals(db: &Coordinator, work: i64) -> BTreeMap<u32, u32> {
    db.auto_score(work).unwrap();
    db.results(work)
        .unwrap()
        .into_iter()
        .map(|r| {
            let sum = r.tasks.values().flatten().sum();
            (r.code, sum)
        })
        .collect()
}

#[test]
fn marks_come_from_the_signed_package_and_an_edited_keys_folder_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut db = new_db(dir.path());
    let codes = roster(&mut db, 2);
    let (fx, issuer) = sealed_grade7(false);
    let work = sealed_work(&db, &fx, &issuer);
    let w = db.work(work).unwrap();
    assert_eq!(w.package_id, "en7-2026");
    assert_eq!(w.package_sha256, fx.sha256);
    assert_eq!(w.issuer_fingerprint, issuer.fingerprint);
    assert_eq!(w.subject, "Английский язык", "from the signed header");
    // The coordinator keeps its own copy of the package the stations ran.
    let kept = db.layout().package_file(&fx.sha256).1;
    assert_eq!(
        vpr_integrity::sha256_file(&kept).unwrap().0.to_hex(),
        fx.sha256
    );
    let room = db.add_room("Кабинет 21").unwrap();
    let st = simulate_station_with(
        1,
        "21",
        "770123",
        "en7-2026",
        Some(&fx.sha256),
        &[
            work_of(codes[0], answers_all_right()),
            work_of(codes[1], BTreeMap::new()),
        ],
    );
    enrol(&db, room, 1, "21", &st);
    assert_eq!(db.import_bundle(&st.bundle).unwrap().added.len(), 2);
    // Keys only with the keys password, from the sealed package.
    assert!(matches!(
        db.release_keys(work, "не тот пароль к ключам", &SystemClock),
        Err(CoordinatorError::Package(PackageError::WrongKeysPassword))
    ));
    db.release_keys(work, &fx.keys_password, &SystemClock)
        .unwrap();
    let before = closed_totals(&db, work);
    assert_eq!(before[&codes[0]], 20);
    assert_eq!(before[&codes[1]], 0);
    let marks_before = db.work(work).unwrap().spec.marks;

    // The attack: every key of the folder accepts the empty answer's
    // neighbour, the conversion gives «5» for anything.
    let mut keys: serde_json::Value =
        serde_json::from_slice(&std::fs::read(fx.source.join("keys.json")).unwrap()).unwrap();
    for v in keys["variants"].as_array_mut().unwrap() {
        for t in v["tasks"].as_array_mut().unwrap() {
            for i in t["items"].as_array_mut().into_iter().flatten() {
                i["accepted"] = serde_json::json!(["=HYPERLINK(\"x\")", "1"]);
                i["points"] = 3.into();
            }
        }
    }
    std::fs::write(fx.source.join("keys.json"), keys.to_string()).unwrap();
    let mut package: serde_json::Value =
        serde_json::from_slice(&std::fs::read(fx.source.join("package.json")).unwrap()).unwrap();
    package["conversion"] = serde_json::json!([{"min": 0, "max": 30, "mark": 5}]);
    std::fs::write(fx.source.join("package.json"), package.to_string()).unwrap();
    // Keys released again (the only way in) still come from the sealed file.
    db.release_keys(work, &fx.keys_password, &SystemClock)
        .unwrap();
    assert_eq!(closed_totals(&db, work), before);
    assert_eq!(db.work(work).unwrap().spec.marks, marks_before);
    assert_eq!(
        db.work(work).unwrap().spec.mark_for(0),
        Some(2),
        "0 points is still «2»"
    );
    // A keys file typed in is refused for a work of a signed package.
    assert!(matches!(
        db.set_keys(work, &grade7_keys()),
        Err(CoordinatorError::Invalid(_))
    ));
    // The kept copy changed on disk: refused, the keys stay as they were.
    let mut bytes = std::fs::read(&kept).unwrap();
    let at = bytes.len() - 10;
    bytes[at] ^= 1;
    std::fs::write(&kept, &bytes).unwrap();
    let err = db
        .release_keys(work, &fx.keys_password, &SystemClock)
        .unwrap_err();
    assert!(matches!(err, CoordinatorError::Corrupt(_)), "{err}");
    assert_eq!(closed_totals(&db, work), before);
}

#[test]
fn a_demo_signed_package_that_claims_a_real_work_is_refused_as_a_work() {
    let dir = tempfile::tempdir().unwrap();
    let db = new_db(dir.path());
    let (fx, _) = sealed_grade7(true);
    // The unsigned package.json says «a real exam».
    let package: serde_json::Value =
        serde_json::from_slice(&std::fs::read(fx.source.join("package.json")).unwrap()).unwrap();
    assert_eq!(package["demo"], false);
    let before = tree(dir.path());
    let err = db
        .add_work_from_package(
            &PackageWork {
                package: fx.path.clone(),
                password: fx.password.clone(),
                date: today(),
                reserve_dates: Vec::new(),
                upload_deadline: "2099-01-10".into(),
                stations_per_room: 4,
            },
            &SystemClock,
        )
        .unwrap_err();
    assert!(matches!(err, CoordinatorError::TrainingPackage(_)), "{err}");
    assert!(err.to_string().contains("учебный"), "{err}");
    assert!(db.works().unwrap().is_empty());
    assert_eq!(tree(dir.path()), before, "nothing kept");
    // The demo key cannot be put on the coordinator's trust list either.
    assert!(matches!(
        db.add_issuer(&vpr_package::TrustedIssuers::demo_key()),
        Err(CoordinatorError::Invalid(_))
    ));
}

#[test]
fn issuers_are_the_coordinator_s_own_list() {
    let dir = tempfile::tempdir().unwrap();
    let db = new_db(dir.path());
    let (fx, issuer) = sealed_grade7(false);
    let add = |db: &Coordinator| {
        db.add_work_from_package(
            &PackageWork {
                package: fx.path.clone(),
                password: fx.password.clone(),
                date: today(),
                reserve_dates: Vec::new(),
                upload_deadline: "2099-01-10".into(),
                stations_per_room: 4,
            },
            &SystemClock,
        )
    };
    assert!(matches!(
        add(&db),
        Err(CoordinatorError::Package(
            PackageError::UntrustedIssuer { .. }
        ))
    ));
    // Imported from a .pub file, shown by fingerprint, persisted, removable.
    let pub_file = dir.path().join("region.pub");
    std::fs::write(&pub_file, hex::encode(issuer.public_key)).unwrap();
    let trusted = db
        .import_issuer_file(&pub_file, "Региональный центр")
        .unwrap();
    assert_eq!(trusted.fingerprint, issuer.fingerprint);
    drop(db);
    let db = Coordinator::open(&dir.path().join("coordinator.sqlite"), PASSWORD).unwrap();
    assert_eq!(db.issuers().unwrap().len(), 1);
    let w = add(&db).unwrap();
    assert_eq!(w.issuer_fingerprint, issuer.fingerprint);
    db.remove_issuer(&issuer.fingerprint).unwrap();
    assert!(db.issuers().unwrap().is_empty());
    assert!(matches!(
        add(&db),
        Err(CoordinatorError::Package(
            PackageError::UntrustedIssuer { .. }
        ))
    ));
}

/// A coordinator with a sealed work today, a roster of `n`, room «Кабинет 21».
struct Setup {
    dir: tempfile::TempDir,
    db: Coordinator,
    fx: SealedFixture,
    work: i64,
    room: i64,
    codes: Vec<u32>,
}

fn setup(n: usize) -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let mut db = new_db(dir.path());
    let codes = roster(&mut db, n);
    let (fx, issuer) = sealed_grade7(false);
    let work = sealed_work(&db, &fx, &issuer);
    let room = db.add_room("Кабинет 21").unwrap();
    Setup {
        dir,
        db,
        fx,
        work,
        room,
        codes,
    }
}

/// The import is refused with a reason containing `needle`, and the
/// coordinator's folder holds exactly the files it held before.
fn refused(s: &Setup, bundle: &std::path::Path, needle: &str) {
    let before = tree(s.dir.path());
    let err = s.db.import_bundle(bundle).unwrap_err();
    assert!(
        matches!(&err, CoordinatorError::BundleRejected(m) if m.contains(needle)),
        "{err}"
    );
    assert_eq!(
        tree(s.dir.path()),
        before,
        "a refused import leaves nothing"
    );
    assert!(s.db.submissions(s.work).unwrap().is_empty());
    assert!(s.db.held_sessions(s.work).unwrap().is_empty());
}

#[test]
fn a_bundle_signed_by_an_enrolled_key_for_another_station_number_or_room_is_refused() {
    let s = setup(1);
    let sha = Some(s.fx.sha256.as_str());
    let w = [work_of(s.codes[0], answers_all_right())];
    // Station 1's key, enrolled as station 1 of room 21, signs a bundle
    // that says it is station 7.
    let st = simulate_station_with(7, "21", "770123", "en7-2026", sha, &w);
    let passport = vpr_coordinator::vpr_bundle::StationPassport::new(
        "770123",
        "21",
        1,
        &st.key.public_key(),
        "2026-04-14T07:00:00Z",
    );
    s.db.enrol_station(s.room, &passport).unwrap();
    refused(&s, &st.bundle, "станция № 7");
    // The same key naming another room.
    let st2 = simulate_station_with(7, "22", "770123", "en7-2026", sha, &w);
    refused(&s, &st2.bundle, "аудитория «22»");
    // A key that is not enrolled at all.
    let other = simulate_station_with(3, "21", "770123", "en7-2026", sha, &w);
    refused(&s, &other.bundle, "нет доверия");
}

#[test]
fn another_school_s_bundle_is_refused() {
    let s = setup(1);
    let st = simulate_station_with(
        1,
        "21",
        "999999",
        "en7-2026",
        Some(&s.fx.sha256),
        &[work_of(s.codes[0], answers_all_right())],
    );
    // Enrolled by typed key and fingerprint (the school is the coordinator's).
    let key = st.key.public_key();
    s.db.add_station(
        s.room,
        1,
        "21",
        &key.to_hex(),
        &key.fingerprint().to_string(),
    )
    .unwrap();
    refused(&s, &st.bundle, "другой школы");
}

#[test]
fn a_session_of_another_package_or_none_or_another_day_is_refused() {
    let s = setup(1);
    let w = [work_of(s.codes[0], answers_all_right())];
    let other_sha = "ab".repeat(32);
    let wrong = simulate_station_with(1, "21", "770123", "en7-2026", Some(&other_sha), &w);
    enrol(&s.db, s.room, 1, "21", &wrong);
    refused(&s, &wrong.bundle, "по другому пакету");
    let none = simulate_station_with(1, "21", "770123", "en7-2026", None, &w);
    refused(&s, &none.bundle, "не указано");
    let other_issuer = "cd".repeat(32);
    let signer = simulate_station_signed(
        1,
        "21",
        "770123",
        "en7-2026",
        Some(&s.fx.sha256),
        Some(&other_issuer),
        &w,
    );
    refused(&s, &signer.bundle, "другим издателем");
    let work = s.db.work(s.work).unwrap();
    let right = simulate_station_signed(
        1,
        "21",
        "770123",
        "en7-2026",
        Some(&s.fx.sha256),
        Some(&work.issuer_fingerprint),
        &w,
    );
    assert_eq!(s.db.import_bundle(&right.bundle).unwrap().added.len(), 1);

    // A work on another day (and reserve day): today's session is refused.
    let dir = tempfile::tempdir().unwrap();
    let mut db = new_db(dir.path());
    let codes = roster(&mut db, 1);
    let (fx, issuer) = sealed_grade7(false);
    db.set_school(&vpr_coordinator::School {
        name: "МБОУ СОШ № 5".into(),
        login: "sch770123".into(),
        ..Default::default()
    })
    .unwrap();
    db.add_issuer(&issuer).unwrap();
    let work = db
        .add_work_from_package(
            &PackageWork {
                package: fx.path.clone(),
                password: fx.password.clone(),
                date: "2020-04-14".into(),
                reserve_dates: vec!["2020-04-21".into()],
                upload_deadline: "2020-04-30".into(),
                stations_per_room: 4,
            },
            &SystemClock,
        )
        .unwrap()
        .id;
    let room = db.add_room("Кабинет 21").unwrap();
    let st = simulate_station_with(
        1,
        "21",
        "770123",
        "en7-2026",
        Some(&fx.sha256),
        &[work_of(codes[0], answers_all_right())],
    );
    enrol(&db, room, 1, "21", &st);
    let before = tree(dir.path());
    let err = db.import_bundle(&st.bundle).unwrap_err();
    assert!(
        err.to_string().contains("2020-04-14") && err.to_string().contains("2020-04-21"),
        "{err}"
    );
    assert_eq!(tree(dir.path()), before);
    assert!(db.submissions(work).unwrap().is_empty());
}

#[test]
fn stations_are_enrolled_only_with_a_matching_fingerprint_and_school() {
    let s = setup(0);
    let key = vpr_integrity::StationKey::from_seed(&[9; 32])
        .unwrap()
        .public_key();
    let other = vpr_integrity::StationKey::from_seed(&[8; 32])
        .unwrap()
        .public_key();
    assert!(matches!(
        s.db.add_station(s.room, 1, "21", &key.to_hex(), &other.fingerprint().to_string()),
        Err(CoordinatorError::Invalid(m)) if m.contains("не соответствует")
    ));
    let foreign = vpr_coordinator::vpr_bundle::StationPassport::new(
        "999999",
        "21",
        1,
        &key,
        "2026-04-14T07:00:00Z",
    );
    assert!(matches!(
        s.db.enrol_station(s.room, &foreign),
        Err(CoordinatorError::Invalid(m)) if m.contains("другой школы")
    ));
    // From a passport file, the fingerprint shown for the printed page.
    let file = s.dir.path().join("passport.json");
    let passport = vpr_coordinator::vpr_bundle::StationPassport::new(
        "770123",
        "21",
        2,
        &key,
        "2026-04-14T07:00:00Z",
    );
    std::fs::write(&file, passport.to_bytes().unwrap()).unwrap();
    let st = s.db.enrol_station_file(s.room, &file).unwrap();
    assert_eq!(st.fingerprint, key.fingerprint().to_string());
    assert_eq!((st.number, st.station_room.as_str()), (2, "21"));
    // Typed with dashes, spaces and capitals: the same fingerprint.
    let typed = other
        .fingerprint()
        .to_string()
        .to_uppercase()
        .replace('-', " - ");
    s.db.add_station(s.room, 3, "21", &other.to_hex(), &typed)
        .unwrap();
}

#[test]
fn unknown_codes_are_held_until_assigned_or_discarded() {
    let s = setup(2);
    let all: Vec<u32> =
        s.db.participants()
            .unwrap()
            .iter()
            .map(|p| p.code)
            .collect();
    let stray = (10_000..99_999).find(|c| !all.contains(c)).unwrap();
    let st = simulate_station_with(
        1,
        "21",
        "770123",
        "en7-2026",
        Some(&s.fx.sha256),
        &[
            work_of(s.codes[0], answers_all_right()),
            work_of(stray, answers_all_right()),
        ],
    );
    enrol(&s.db, s.room, 1, "21", &st);
    let r = s.db.import_bundle(&st.bundle).unwrap();
    assert_eq!(r.added, vec![s.codes[0]]);
    assert_eq!(r.unknown_codes, vec![stray]);
    let subs: Vec<u32> =
        s.db.submissions(s.work)
            .unwrap()
            .iter()
            .map(|x| x.code)
            .collect();
    assert_eq!(
        subs,
        vec![s.codes[0]],
        "the unknown code is not on the form"
    );
    let held = s.db.held_sessions(s.work).unwrap();
    assert_eq!(held.len(), 1);
    assert_eq!((held[0].kind, held[0].code), (HeldKind::UnknownCode, stray));
    let missing = s.db.missing_for_form(s.work).unwrap();
    assert!(
        missing.iter().any(|m| m.contains(&stray.to_string())),
        "{missing:?}"
    );
    // Not a roster code: refused. The organizer's slip: assigned to codes[1].
    assert!(s
        .db
        .resolve_held(held[0].id, &Resolution::AssignCode { code: stray })
        .is_err());
    s.db.resolve_held(held[0].id, &Resolution::AssignCode { code: s.codes[1] })
        .unwrap();
    assert!(s.db.held_sessions(s.work).unwrap().is_empty());
    assert_eq!(s.db.submissions(s.work).unwrap().len(), 2);
}

#[test]
fn a_second_different_work_is_a_conflict_decided_by_the_coordinator() {
    let s = setup(1);
    let sha = Some(s.fx.sha256.as_str());
    let code = s.codes[0];
    let first = simulate_station_with(
        1,
        "21",
        "770123",
        "en7-2026",
        sha,
        &[work_of(code, answers_all_right())],
    );
    let second = simulate_station_with(
        2,
        "21",
        "770123",
        "en7-2026",
        sha,
        &[work_of(
            code,
            BTreeMap::from([("5.1".into(), "went".into())]),
        )],
    );
    enrol(&s.db, s.room, 1, "21", &first);
    enrol(&s.db, s.room, 2, "21", &second);
    s.db.import_bundle(&first.bundle).unwrap();
    let r = s.db.import_bundle(&second.bundle).unwrap();
    assert_eq!(r.conflicts, vec![code]);
    let held = s.db.held_sessions(s.work).unwrap();
    assert_eq!(held.len(), 1);
    let h = &held[0];
    assert_eq!(h.kind, HeldKind::Conflict);
    let existing = h.existing.as_ref().unwrap();
    assert_eq!((existing.answers, h.held.answers), (20, 1));
    assert!(existing.station.contains("станция 1") && h.held.station.contains("станция 2"));
    assert!(!existing.started_at.is_empty() && !h.held.started_at.is_empty());
    assert!(existing.receipt.is_some() && h.held.receipt.is_some());
    let missing = s.db.missing_for_form(s.work).unwrap();
    assert!(
        missing.iter().any(|m| m.contains("вторая, другая работа")),
        "{missing:?}"
    );
    // The coordinator takes the second one.
    s.db.resolve_held(h.id, &Resolution::TakeHeld).unwrap();
    let sub = s.db.submissions(s.work).unwrap();
    assert_eq!(sub.len(), 1);
    assert_eq!(sub[0].answers.len(), 1);
    assert_eq!(sub[0].bundle_sha256, h.held.bundle_sha256);
    assert!(s.db.held_sessions(s.work).unwrap().is_empty());
}

/// The receipt the station showed when the session closed: recomputed from
/// its own bundle's journal.
fn station_receipt(st: &SimStation) -> String {
    let v = vpr_coordinator::vpr_bundle::verify_bundle(
        &st.bundle,
        &vpr_coordinator::vpr_bundle::TrustedKeys::only(&[st.key.public_key()]),
    )
    .unwrap();
    let receipts = vpr_coordinator::vpr_bundle::session_receipts(&v.journal);
    assert_eq!(receipts.len(), 1);
    receipts.into_values().next().unwrap()
}

#[test]
fn a_bundle_rebuilt_and_resigned_on_the_station_no_longer_matches_the_paper_receipt() {
    let s = setup(1);
    let sha = Some(s.fx.sha256.as_str());
    let code = s.codes[0];
    let mut answers = answers_all_right();
    answers.insert("5.1".into(), "goed".into());
    let honest = simulate_station_with(
        1,
        "21",
        "770123",
        "en7-2026",
        sha,
        &[work_of(code, answers)],
    );
    let on_paper = station_receipt(&honest);
    // Rewritten on the station: the answer corrected, the journal rebuilt,
    // the bundle signed again with the station's own key.
    let forged = simulate_station_with(
        1,
        "21",
        "770123",
        "en7-2026",
        sha,
        &[work_of(code, answers_all_right())],
    );
    assert_eq!(forged.key.public_key(), honest.key.public_key());
    enrol(&s.db, s.room, 1, "21", &forged);
    s.db.import_bundle(&forged.bundle).unwrap();
    // Typed from paper in lower case with a space.
    let typed = format!("{} {}", &on_paper[..4], &on_paper[4..]).to_lowercase();
    let row = s.db.enter_receipt(s.work, code, &typed).unwrap();
    assert_eq!(row.state, ReceiptState::Mismatch);
    let missing = s.db.missing_for_form(s.work).unwrap();
    assert!(
        missing
            .iter()
            .any(|m| m.contains("квитанция") && m.contains(&code.to_string())),
        "{missing:?}"
    );
    assert!(s.db.enter_receipt(s.work, code, "ABC").is_err());

    // The honest bundle matches its receipt.
    let t = setup(1);
    let code = t.codes[0];
    let honest = simulate_station_with(
        1,
        "21",
        "770123",
        "en7-2026",
        Some(&t.fx.sha256),
        &[work_of(code, answers_all_right())],
    );
    enrol(&t.db, t.room, 1, "21", &honest);
    t.db.import_bundle(&honest.bundle).unwrap();
    let row =
        t.db.enter_receipt(t.work, code, &station_receipt(&honest))
            .unwrap();
    assert_eq!(row.state, ReceiptState::Match);
    assert!(!t
        .db
        .missing_for_form(t.work)
        .unwrap()
        .iter()
        .any(|m| m.contains("квитанция")));
}
