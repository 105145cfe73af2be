//! `vpr coordinator cross …`: cross-checking with another school from the
//! command line — our answers out as an anonymous package, the other
//! school's package opened and scored (the scores file signed with our
//! archive key), their signed scores in. The same vpr-coordinator
//! operations as the window's commands.

use std::path::PathBuf;

use clap::Subcommand;
use vpr_coordinator::{Coordinator, CoordinatorError, CrossPackage, CrossScore};

#[derive(Subcommand)]
pub enum CrossCmd {
    /// Обезличенный пакет заданий для проверки в другой школе
    Export {
        work: i64,
        out: PathBuf,
        /// Только эти задания (можно несколько раз)
        #[arg(long)]
        task: Vec<u32>,
    },
    /// Пакет другой школы: работы по токенам, критерии, записи
    Show { package: PathBuf },
    /// Вынуть запись работы из пакета другой школы (номер части с 1)
    Play {
        package: PathBuf,
        token: String,
        part: usize,
        out: PathBuf,
    },
    /// Записать баллы к пакету другой школы (JSON: список token, criterion, score, note, expert),
    /// подписав файл ключом архива этой школы
    Score {
        package: PathBuf,
        scores: PathBuf,
        out: PathBuf,
    },
    /// Принять подписанные баллы другой школы (её открытый ключ архива — hex)
    Import {
        file: PathBuf,
        #[arg(long)]
        school_key: String,
    },
    /// Открытый ключ архива этой школы (его сверяет другая школа)
    Key,
}

/// Largest scores file read.
const MAX_SCORES_BYTES: u64 = 16 * 1024 * 1024;

fn read_scores(path: &std::path::Path) -> Result<Vec<CrossScore>, CoordinatorError> {
    let bad = |why: String| CoordinatorError::Invalid(format!("{}: {why}", path.display()));
    if std::fs::metadata(path)?.len() > MAX_SCORES_BYTES {
        return Err(bad("файл больше 16 МиБ".into()));
    }
    serde_json::from_slice(&std::fs::read(path)?).map_err(|e| bad(e.to_string()))
}

pub fn run(cmd: &CrossCmd, db: &mut Coordinator) -> Result<(), CoordinatorError> {
    match cmd {
        CrossCmd::Export { work, out, task } => {
            let tasks = (!task.is_empty()).then_some(task.as_slice());
            let n = db.export_cross_package(*work, tasks, out)?;
            println!("В пакете {n} работ: {}", out.display());
        }
        CrossCmd::Show { package } => {
            let p = CrossPackage::open(package)?;
            println!(
                "{}, {} класс, {}: {} работ",
                p.subject,
                p.grade,
                p.date,
                p.items.len()
            );
            for i in &p.items {
                let criteria: Vec<String> = i
                    .criteria
                    .iter()
                    .map(|c| format!("{} (0–{})", c.id, c.max_points))
                    .collect();
                println!(
                    "{}\tзадание {}\t{}\tзаписей: {}",
                    i.token,
                    i.task,
                    criteria.join(", "),
                    i.parts.len()
                );
            }
        }
        CrossCmd::Play {
            package,
            token,
            part,
            out,
        } => {
            let p = CrossPackage::open(package)?;
            let audio = p.part_audio(package, token, part.saturating_sub(1))?;
            std::fs::write(out, &audio.bytes)?;
            println!("{}", out.display());
        }
        CrossCmd::Score {
            package,
            scores,
            out,
        } => {
            let p = CrossPackage::open(package)?;
            let s = read_scores(scores)?;
            db.write_cross_scores(&p, out, &s)?;
            println!("Баллов: {}, файл подписан: {}", s.len(), out.display());
        }
        CrossCmd::Import { file, school_key } => {
            let n = db.import_cross_scores(file, school_key.trim())?;
            println!("Принято работ: {n}");
        }
        CrossCmd::Key => println!("{}", db.archive_public_key()?),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use clap::Parser;
    use vpr_coordinator::scoring::{RecordingRef, Submission};

    use super::*;

    #[derive(Parser)]
    struct Cli {
        #[command(subcommand)]
        cmd: CrossCmd,
    }

    fn run_args(db: &mut Coordinator, argv: &[&str]) -> Result<(), CoordinatorError> {
        let mut all = vec!["vpr"];
        all.extend_from_slice(argv);
        run(&Cli::try_parse_from(all).unwrap().cmd, db)
    }

    /// A 16 kHz mono 16-bit WAV of `samples` samples.
    fn wav(samples: u32) -> Vec<u8> {
        let data = samples * 2;
        let mut b = Vec::new();
        b.extend_from_slice(b"RIFF");
        b.extend_from_slice(&(36 + data).to_le_bytes());
        b.extend_from_slice(b"WAVEfmt ");
        b.extend_from_slice(&16u32.to_le_bytes());
        b.extend_from_slice(&1u16.to_le_bytes());
        b.extend_from_slice(&1u16.to_le_bytes());
        b.extend_from_slice(&16_000u32.to_le_bytes());
        b.extend_from_slice(&32_000u32.to_le_bytes());
        b.extend_from_slice(&2u16.to_le_bytes());
        b.extend_from_slice(&16u16.to_le_bytes());
        b.extend_from_slice(b"data");
        b.extend_from_slice(&data.to_le_bytes());
        for i in 0..samples {
            b.extend_from_slice(&((i % 50) as i16 * 100).to_le_bytes());
        }
        b
    }

    fn school(dir: &std::path::Path, name: &str) -> Coordinator {
        let d = dir.join(name);
        std::fs::create_dir_all(&d).unwrap();
        Coordinator::create_with_iterations(&d.join("c.sqlite"), "пароль-теста", 1_000).unwrap()
    }

    #[test]
    fn a_cross_check_round_trip_from_the_command_line() {
        let dir = tempfile::tempdir().unwrap();
        let mut a = school(dir.path(), "a");
        let roster = dir.path().join("roster.csv");
        std::fs::write(&roster, "Класс;Фамилия;Имя\n7А;Борисов;Борис\n").unwrap();
        a.import_roster(&roster).unwrap();
        let spec: vpr_coordinator::WorkSpec = serde_json::from_str(
            r#"{"stations_per_room":1,"marks":[{"min_total":0,"mark":2}],
            "tasks":[{"number":1,"title":"Беседа","oral":true,"parts":2,"criteria":[{"id":"1К1","name":"Ответы","max_points":3,"description":"","levels":[],"critical":false}]}]}"#,
        )
        .unwrap();
        let work = a
            .add_work(&vpr_coordinator::NewWork {
                package_id: String::new(),
                subject: "Английский язык".into(),
                grade: 7,
                date: "2026-04-14".into(),
                reserve_dates: vec![],
                upload_deadline: "2026-04-18".into(),
                spec,
            })
            .unwrap();
        let code = a.participants().unwrap()[0].code;
        std::fs::create_dir_all(dir.path().join("a/rec")).unwrap();
        let recs: Vec<RecordingRef> = (1..=2)
            .map(|part| {
                let rel = format!("rec/{code}-{part}.wav");
                std::fs::write(dir.path().join("a").join(&rel), wav(8_000 * part)).unwrap();
                RecordingRef {
                    task: 1,
                    part,
                    segment: 1,
                    path: rel,
                    sha256: "00".into(),
                    duration_ms: u64::from(500 * part),
                    silent: false,
                }
            })
            .collect();
        a.record_submission(
            &Submission {
                adaptation: None,
                work_id: work,
                code,
                variant: 1,
                station_fingerprint: "00".into(),
                bundle_sha256: "00".into(),
                interrupted: false,
                answers: BTreeMap::new(),
            },
            &recs,
        )
        .unwrap();
        let pkg = dir.path().join("cross.vprscore");
        let p = pkg.to_str().unwrap();
        run_args(&mut a, &["export", &work.to_string(), p]).unwrap();

        // The other school: sees the piece, plays both questions, scores.
        let mut b = school(dir.path(), "b");
        run_args(&mut b, &["show", p]).unwrap();
        let opened = CrossPackage::open(&pkg).unwrap();
        let token = opened.items[0].token.clone();
        let play = dir.path().join("play.wav");
        run_args(&mut b, &["play", p, &token, "2", play.to_str().unwrap()]).unwrap();
        assert_eq!(
            std::fs::read(&play).unwrap(),
            wav(16_000),
            "the second question"
        );
        let scores = dir.path().join("scores.json");
        std::fs::write(
            &scores,
            format!(
                r#"[{{"token":"{token}","criterion":"1К1","score":2,"note":"","expert":"Школа 2, эксперт 1"}}]"#
            ),
        )
        .unwrap();
        let signed = dir.path().join("scores.signed.json");
        run_args(
            &mut b,
            &[
                "score",
                p,
                scores.to_str().unwrap(),
                signed.to_str().unwrap(),
            ],
        )
        .unwrap();
        // Back home, against the other school's key only.
        let key = b.archive_public_key().unwrap();
        let own = a.archive_public_key().unwrap();
        assert!(run_args(
            &mut a,
            &["import", signed.to_str().unwrap(), "--school-key", &own]
        )
        .is_err());
        run_args(
            &mut a,
            &["import", signed.to_str().unwrap(), "--school-key", &key],
        )
        .unwrap();
        let r = &a.results(work).unwrap()[0];
        assert_eq!(r.tasks[&1], Some(2));
    }
}
