//! `vpr bench form`: the results collection form for N participants (goal:
//! ≤ 1 s for 1,000) — the own layout and the official template filled — and
//! the import with verification of station bundles.

use std::{collections::BTreeMap, process::ExitCode, time::Instant};

use vpr_coordinator::{
    scoring::{CriterionScore, Submission},
    Coordinator, CoordinatorError, NewParticipant, NewStaff, NewWork, PersonName, StaffRole,
    WorkSpec,
};

#[derive(clap::Args)]
pub struct Args {
    /// Участников в форме
    #[arg(long, default_value_t = 1000)]
    participants: u32,
    /// Повторов замера (печатается медиана)
    #[arg(long, default_value_t = 5)]
    runs: u32,
    /// Пакетов станций для импорта
    #[arg(long, default_value_t = 30)]
    bundles: u32,
    /// Участников на станции (в каждом пакете по две записи на участника)
    #[arg(long, default_value_t = 4)]
    per_station: u32,
}

const SPEC: &str = r#"{"stations_per_room":4,
 "marks":[{"min_total":0,"mark":2},{"min_total":13,"mark":3},{"min_total":21,"mark":4},{"min_total":27,"mark":5}],
 "tasks":[
  {"number":1,"title":"Аудирование","oral":false,"items":[{"id":"1.1","points":1},{"id":"1.2","points":1},{"id":"1.3","points":1},{"id":"1.4","points":1},{"id":"1.5","points":1}]},
  {"number":2,"title":"Чтение вслух","oral":true,"criteria":[{"id":"2К1","name":"Фонетика","max_points":2,"description":""}]},
  {"number":3,"title":"Монолог","oral":true,"criteria":[{"id":"3К1","name":"Задача","max_points":3,"description":""},{"id":"3К2","name":"Организация","max_points":3,"description":""},{"id":"3К3","name":"Язык","max_points":2,"description":""}]},
  {"number":4,"title":"Чтение","oral":false,"items":[{"id":"4.1","points":1},{"id":"4.2","points":1},{"id":"4.3","points":1},{"id":"4.4","points":1},{"id":"4.5","points":1}]},
  {"number":5,"title":"Грамматика","oral":false,"items":[{"id":"5.1","points":1},{"id":"5.2","points":1},{"id":"5.3","points":1},{"id":"5.4","points":1},{"id":"5.5","points":1}]},
  {"number":6,"title":"Лексика","oral":false,"items":[{"id":"6.1","points":1},{"id":"6.2","points":1},{"id":"6.3","points":1},{"id":"6.4","points":1},{"id":"6.5","points":1}]}]}"#;

fn today_utc() -> String {
    let d = vpr_package::time::OffsetDateTime::now_utc().date();
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

fn bench_err(e: impl std::fmt::Display) -> CoordinatorError {
    CoordinatorError::Invalid(e.to_string())
}

/// A 16-bit mono 22.05 kHz WAV of `ms` milliseconds of a tone.
fn wav(ms: u32, freq: f64) -> Vec<u8> {
    let n = 22_050 * ms / 1000;
    let data_len = n * 2;
    let mut b = Vec::with_capacity(44 + data_len as usize);
    b.extend_from_slice(b"RIFF");
    b.extend_from_slice(&(36 + data_len).to_le_bytes());
    b.extend_from_slice(b"WAVEfmt ");
    b.extend_from_slice(&16u32.to_le_bytes());
    b.extend_from_slice(&1u16.to_le_bytes());
    b.extend_from_slice(&1u16.to_le_bytes());
    b.extend_from_slice(&22_050u32.to_le_bytes());
    b.extend_from_slice(&44_100u32.to_le_bytes());
    b.extend_from_slice(&2u16.to_le_bytes());
    b.extend_from_slice(&16u16.to_le_bytes());
    b.extend_from_slice(b"data");
    b.extend_from_slice(&data_len.to_le_bytes());
    for i in 0..n {
        let t = f64::from(i) / 22_050.0;
        let v = (8000.0 * (t * freq * std::f64::consts::TAU).sin()) as i16;
        b.extend_from_slice(&v.to_le_bytes());
    }
    b
}

/// One simulated station's bundle: a real `vpr-store` journal with unique
/// codes, answers and two 5-second recordings per participant, signed by
/// `vpr-bundle`. (`vpr simulate station` derives codes from its seed, so 30
/// of its stations would share codes.)
/// The demo grade 7 materials as the exam package `bench-en7`, signed by a
/// throw-away issuer (the coordinator takes works only from a signed,
/// non-training package): the file, its SHA-256, the day password and the
/// issuer's key.
fn bench_package(
    root: &std::path::Path,
) -> Result<(std::path::PathBuf, String, String, vpr_package::IssuerKey), CoordinatorError> {
    use vpr_package::{build_to_file, BuildRequest, Issuer, Limits, MaterialsHeader};
    let source = root.join("package-src");
    let from = crate::simulate::default_package();
    for rel in ["package.json", "keys.json"] {
        std::fs::create_dir_all(&source)?;
        std::fs::copy(from.join(rel), source.join(rel))?;
    }
    std::fs::create_dir_all(source.join("media"))?;
    for e in std::fs::read_dir(from.join("media"))? {
        let e = e?;
        std::fs::copy(e.path(), source.join("media").join(e.file_name()))?;
    }
    for rel in ["package.json", "keys.json"] {
        let text = std::fs::read_to_string(source.join(rel))?;
        let mut v: serde_json::Value = serde_json::from_str(&text).map_err(bench_err)?;
        if rel == "package.json" {
            v["id"] = "bench-en7".into();
            v["demo"] = false.into();
        } else {
            v["package_id"] = "bench-en7".into();
        }
        std::fs::write(source.join(rel), v.to_string())?;
    }
    let issuer = Issuer::from_pkcs8(&Issuer::generate_pkcs8()?)?;
    let now = vpr_package::time::OffsetDateTime::now_utc();
    let meta = MaterialsHeader::read_dir(&source)?.meta(
        "Школа замера",
        now.date(),
        now - vpr_package::time::Duration::hours(1),
        now - vpr_package::time::Duration::hours(1),
    );
    let password = vpr_package::generate_password()?.text;
    let keys_password = vpr_package::generate_password()?.text;
    let out = root.join("bench-en7.vprpkg");
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
    )?;
    let key = vpr_package::IssuerKey::new(issuer.public_key(), "издатель замера");
    Ok((out, report.file_sha256, password, key))
}

fn station_bundle(
    root: &std::path::Path,
    number: u32,
    codes: &[u32],
    package_sha256: &str,
) -> Result<(std::path::PathBuf, String), CoordinatorError> {
    use vpr_store::{
        LevelFlags, NewRecording, NewSession, RecordingStatus, RecordingUpdate, SessionStatus,
        StationInfo, Store,
    };
    let dir = root.join(format!("station-{number}"));
    std::fs::create_dir_all(&dir)?;
    let key = crate::simulate::station_key(u64::from(number)).map_err(bench_err)?;
    let store = Store::open(&vpr_store::exam_path(&dir)).map_err(bench_err)?;
    store
        .set_station(&StationInfo {
            station_id: format!("st-{number}"),
            school_id: "770123".into(),
            room: format!("{}", 20 + number / 4),
            number,
            key_fingerprint: key.public_key().fingerprint(),
        })
        .map_err(bench_err)?;
    for (k, code) in codes.iter().enumerate() {
        let code_s = code.to_string();
        let mut new = NewSession::new(&code_s, "bench-en7", "1");
        new.package_sha256 = Some(package_sha256.to_string());
        let _ = k;
        let s = store.start_session(&new).map_err(bench_err)?;
        for t in [1, 4, 5, 6] {
            for i in 1..=5 {
                let value = serde_json::json!(format!("A{t}{i}"));
                store
                    .save_answer(s.id, &t.to_string(), &format!("{t}.{i}"), &value)
                    .map_err(bench_err)?;
            }
        }
        for task in ["2", "3"] {
            let file = format!("recordings/{code_s}/{task}.wav");
            let r = store
                .start_recording(&NewRecording {
                    session_id: s.id,
                    task: task.into(),
                    item: None,
                    file: file.clone(),
                })
                .map_err(bench_err)?;
            std::fs::create_dir_all(dir.join(format!("recordings/{code_s}")))?;
            std::fs::write(dir.join(&file), wav(5_000, 220.0 + f64::from(number)))?;
            let (sha, _) = vpr_integrity::sha256_file(&dir.join(&file)).map_err(bench_err)?;
            store
                .update_recording(
                    r.id,
                    &RecordingUpdate {
                        status: RecordingStatus::Complete,
                        sha256: Some(sha),
                        duration_ms: 5_000,
                        level_flags: LevelFlags::default(),
                    },
                )
                .map_err(bench_err)?;
        }
        store
            .set_session_status(s.id, SessionStatus::Finished)
            .map_err(bench_err)?;
    }
    let out = root.join(format!("bundle-{number}.zip"));
    let now = vpr_package::time::OffsetDateTime::now_utc();
    vpr_bundle::write_bundle(&store, &dir, &key, &out, now).map_err(bench_err)?;
    Ok((out, key.public_key().to_hex()))
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}

fn prepare(dir: &std::path::Path, n: u32) -> Result<(Coordinator, i64), CoordinatorError> {
    let mut db = Coordinator::create_with_iterations(
        &dir.join("coordinator.sqlite"),
        "пароль-замера",
        1_000,
    )?;
    let spec: WorkSpec =
        serde_json::from_str(SPEC).map_err(|e| CoordinatorError::Invalid(e.to_string()))?;
    let classes = n.div_ceil(25).max(1);
    for c in 0..classes {
        db.upsert_class(&format!("7-{c}"), 7, "английский")?;
    }
    let people: Vec<NewParticipant> = (0..n)
        .map(|i| NewParticipant {
            class_name: format!("7-{}", i % classes),
            name: PersonName {
                last: format!("Участник{i}"),
                first: "Имя".into(),
                middle: String::new(),
            },
            sex: if i % 2 == 0 { "М".into() } else { "Ж".into() },
            special_needs: false,
            previous_mark: None,
        })
        .collect();
    db.add_participants(&people)?;
    let work = db.add_work(&NewWork {
        package_id: "bench-en7".into(),
        subject: "Английский язык".into(),
        grade: 7,
        date: "2026-04-14".into(),
        reserve_dates: vec![],
        upload_deadline: "2026-04-18".into(),
        spec,
    })?;
    let keys = db.work(work)?.spec.keys_for("bench-en7", &[1, 2], |i| {
        vec![format!("A{}", i.id.replace('.', ""))]
    });
    db.set_keys(work, &keys)?;
    for (k, p) in db.participants()?.iter().enumerate() {
        let mut answers = BTreeMap::new();
        for t in [1, 4, 5, 6] {
            for i in 1..=5 {
                if (k + t + i) % 3 != 0 {
                    answers.insert(format!("{t}.{i}"), format!("A{t}{i}"));
                }
            }
        }
        db.record_submission(
            &Submission {
                adaptation: None,
                work_id: work,
                code: p.code,
                variant: 1 + (k as u32 % 2),
                station_fingerprint: "bench".into(),
                bundle_sha256: "bench".into(),
                interrupted: false,
                answers,
            },
            &[],
        )?;
    }
    db.auto_score(work)?;
    let mut experts = Vec::new();
    for e in 0..8 {
        experts.push(db.add_staff(&NewStaff {
            role: StaffRole::Expert,
            name: PersonName {
                last: format!("Эксперт{e}"),
                first: "Имя".into(),
                middle: String::new(),
            },
            subjects: vec!["Английский язык".into()],
            teaches_classes: vec![format!("7-{e}")],
            experience_years: 3,
            school_employee: true,
            parent_of_participant: false,
            organization: String::new(),
        })?);
    }
    db.assign_experts(work)?;
    for e in experts {
        for item in db.expert_queue(e)? {
            let scores: Vec<CriterionScore> = item
                .criteria
                .iter()
                .map(|c| CriterionScore {
                    criterion: c.id.clone(),
                    score: (item.code % (c.max_points + 1)),
                    note: String::new(),
                })
                .collect();
            db.submit_scores(e, work, item.code, item.task, &scores)?;
        }
    }
    Ok((db, work))
}

fn run_inner(args: &Args) -> Result<(), CoordinatorError> {
    let dir = std::env::temp_dir().join(format!("vpr-bench-form-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let t0 = Instant::now();
    let (db, work) = prepare(&dir, args.participants)?;
    println!(
        "подготовка ({} участников, оценки экспертов): {:.2} с",
        args.participants,
        t0.elapsed().as_secs_f64()
    );
    let mut times = Vec::new();
    for r in 0..args.runs.max(1) {
        let t = Instant::now();
        let f = db.export_results_form(
            work,
            &dir.join(format!("form-{r}.xlsx")),
            &dir.join(format!("form-{r}.csv")),
        )?;
        times.push(t.elapsed().as_secs_f64());
        if f.rows != args.participants {
            return Err(CoordinatorError::Invalid(format!(
                "в форме {} строк вместо {}",
                f.rows, args.participants
            )));
        }
    }
    let m = median(times);
    println!(
        "форма сбора результатов (XLSX + CSV, с проверкой полноты), {} участников: медиана {:.3} с (цель ≤ 1 с) — {}",
        args.participants,
        m,
        if m <= 1.0 { "OK" } else { "ПРЕВЫШЕНО" }
    );
    super::form_official::bench(&db, work, &dir, args.participants, args.runs)?;
    let t = Instant::now();
    let s = db.statistics(work)?;
    println!(
        "статистика: {:.3} с, флагов {}",
        t.elapsed().as_secs_f64(),
        s.flags.len()
    );
    drop(db);
    std::fs::remove_dir_all(&dir)?;
    bench_import(args)
}

fn bench_import(args: &Args) -> Result<(), CoordinatorError> {
    let root = std::env::temp_dir().join(format!("vpr-bench-import-{}", std::process::id()));
    std::fs::create_dir_all(&root)?;
    let (package, package_sha, password, issuer) = bench_package(&root)?;
    let t0 = Instant::now();
    let mut bundles = Vec::new();
    let mut code = 10_000u32;
    for n in 1..=args.bundles {
        let codes: Vec<u32> = (0..args.per_station)
            .map(|_| {
                code += 7;
                code
            })
            .collect();
        bundles.push(station_bundle(&root, n, &codes, &package_sha)?);
    }
    let total_bytes: u64 = bundles
        .iter()
        .map(|(p, _)| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0))
        .sum();
    println!(
        "подготовка {} пакетов станций ({:.1} МБ, по {} участника с двумя записями): {:.2} с",
        args.bundles,
        total_bytes as f64 / 1e6,
        args.per_station,
        t0.elapsed().as_secs_f64()
    );
    let mut times = Vec::new();
    for run in 0..args.runs.clamp(1, 3) {
        let dir = root.join(format!("coord-{run}"));
        let db = Coordinator::create_with_iterations(
            &dir.join("coordinator.sqlite"),
            "пароль-замера",
            1_000,
        )?;
        db.set_school(&vpr_coordinator::School {
            name: "Школа замера".into(),
            login: "sch770123".into(),
            ..Default::default()
        })?;
        db.add_issuer(&issuer)?;
        db.add_work_from_package(
            &vpr_coordinator::PackageWork {
                package: package.clone(),
                password: password.clone(),
                date: today_utc(),
                reserve_dates: vec![],
                upload_deadline: "2099-01-10".into(),
                stations_per_room: 4,
            },
            &vpr_package::SystemClock,
        )?;
        let room = db.add_room("21")?;
        for (n, (_, key)) in bundles.iter().enumerate() {
            let number = n as u32 + 1;
            let k = vpr_integrity::PublicKey::from_hex(key).map_err(bench_err)?;
            db.add_station(
                room,
                number,
                &format!("{}", 20 + number / 4),
                key,
                &k.fingerprint().to_string(),
            )?;
        }
        let t = Instant::now();
        let mut works = 0;
        for (path, _) in &bundles {
            // Codes not on this roster are verified and held, not put on the form.
            let r = db.import_bundle(path)?;
            works += r.added.len() + r.unknown_codes.len();
        }
        times.push(t.elapsed().as_secs_f64());
        if works != (args.bundles * args.per_station) as usize {
            return Err(CoordinatorError::Invalid(format!(
                "импортировано {works} работ"
            )));
        }
    }
    let m = median(times);
    println!(
        "импорт с проверкой подписи, хэшей и журнала, {} пакетов: медиана {:.2} с ({:.0} МБ/с; цель ≤ 5 с) — {}",
        args.bundles,
        m,
        total_bytes as f64 / 1e6 / m.max(1e-9),
        if m <= 5.0 { "OK" } else { "ПРЕВЫШЕНО" }
    );
    std::fs::remove_dir_all(&root)?;
    Ok(())
}

pub fn run(args: Args) -> ExitCode {
    match run_inner(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
