//! `vpr bench form`: the results collection form for N participants (goal:
//! ≤ 1 s for 1,000) and the import with verification of station bundles.

use std::{collections::BTreeMap, process::ExitCode, time::Instant};

use vpr_coordinator::{
    scoring::{CriterionScore, Submission},
    Coordinator, CoordinatorError, Keys, NewParticipant, NewStaff, NewWork, PersonName, StaffRole,
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
}

const SPEC: &str = r#"{"stations_per_room":4,
 "marks":[{"min_total":0,"mark":2},{"min_total":13,"mark":3},{"min_total":21,"mark":4},{"min_total":27,"mark":5}],
 "tasks":[
  {"number":1,"title":"Аудирование","oral":false,"items":[{"id":"1.1","points":1},{"id":"1.2","points":1},{"id":"1.3","points":1},{"id":"1.4","points":1},{"id":"1.5","points":1}]},
  {"number":2,"title":"Чтение вслух","oral":true,"criteria":[{"id":"2К1","text":"Фонетика","max":2}]},
  {"number":3,"title":"Монолог","oral":true,"criteria":[{"id":"3К1","text":"Задача","max":3},{"id":"3К2","text":"Организация","max":3},{"id":"3К3","text":"Язык","max":2}]},
  {"number":4,"title":"Чтение","oral":false,"items":[{"id":"4.1","points":1},{"id":"4.2","points":1},{"id":"4.3","points":1},{"id":"4.4","points":1},{"id":"4.5","points":1}]},
  {"number":5,"title":"Грамматика","oral":false,"items":[{"id":"5.1","points":1},{"id":"5.2","points":1},{"id":"5.3","points":1},{"id":"5.4","points":1},{"id":"5.5","points":1}]},
  {"number":6,"title":"Лексика","oral":false,"items":[{"id":"6.1","points":1},{"id":"6.2","points":1},{"id":"6.3","points":1},{"id":"6.4","points":1},{"id":"6.5","points":1}]}]}"#;

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
    let mut keys = Keys::default();
    for t in [1, 4, 5, 6] {
        for i in 1..=5 {
            keys.items
                .insert(format!("{t}.{i}"), vec![format!("A{t}{i}")]);
        }
    }
    db.release_keys(work, &keys)?;
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
                    score: (item.code % (c.max + 1)),
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
    let t = Instant::now();
    let s = db.statistics(work)?;
    println!(
        "статистика: {:.3} с, флагов {}",
        t.elapsed().as_secs_f64(),
        s.flags.len()
    );
    drop(db);
    std::fs::remove_dir_all(&dir)?;
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
