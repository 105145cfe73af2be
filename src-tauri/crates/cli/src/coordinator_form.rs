//! `vpr coordinator form`: the results collection form — the official form
//! downloaded from ФИС ОКО filled in place (`--template FILE --out FILE`,
//! `--map COL=TASK` for the columns it asks about, `--dry-run` to see the
//! mapping only), or the product's own layout (`--xlsx`, `--csv`).

use std::path::PathBuf;

use vpr_coordinator::{
    official_form::{FormAnswer, FormColumn, FormQuestion},
    Coordinator, CoordinatorError,
};

#[derive(clap::Args)]
pub struct FormArgs {
    #[arg(long)]
    work: i64,
    /// Форма из ФИС ОКО (.xlsx), которую заполнить
    #[arg(long, requires = "out", conflicts_with_all = ["xlsx", "csv"])]
    template: Option<PathBuf>,
    /// Куда записать заполненную форму (может совпадать с --template)
    #[arg(long)]
    out: Option<PathBuf>,
    /// Столбец формы и что в нём: D=3К1, E=5, F=вариант, G=- (не заполнять); можно несколько раз
    #[arg(long = "map", value_name = "СТОЛБЕЦ=ЗАДАНИЕ")]
    map: Vec<String>,
    /// Только показать, как распознаны столбцы формы, ничего не записывая
    #[arg(long, requires = "template")]
    dry_run: bool,
    /// Своя форма (без шаблона): XLSX
    #[arg(long, required_unless_present = "template", requires = "csv")]
    xlsx: Option<PathBuf>,
    /// Своя форма (без шаблона): CSV
    #[arg(long, required_unless_present = "template", requires = "xlsx")]
    csv: Option<PathBuf>,
}

fn print_columns(columns: &[FormColumn]) {
    for c in columns {
        println!(
            "  {}\t«{}»\t→ {}{}{}",
            c.column,
            c.header,
            c.target.label(),
            if c.answered { " (указано)" } else { "" },
            if c.formula {
                " (формула сохранена)"
            } else {
                ""
            }
        );
    }
}

/// The questions of a template, each with the `--map` that answers it.
pub fn print_questions(questions: &[FormQuestion]) {
    for q in questions {
        let choices: Vec<String> = q.candidates.iter().map(|t| t.spelling()).collect();
        match &q.column {
            Some(col) => eprintln!(
                "  – {}; укажите --map {col}=… ({})",
                q.message,
                choices.join(", ")
            ),
            None => eprintln!(
                "  – {}; укажите --map СТОЛБЕЦ={}",
                q.message,
                choices.join("|")
            ),
        }
    }
}

pub fn run(a: &FormArgs, db: &Coordinator) -> Result<(), CoordinatorError> {
    let (Some(template), Some(out)) = (&a.template, &a.out) else {
        let (Some(xlsx), Some(csv)) = (&a.xlsx, &a.csv) else {
            return Err(CoordinatorError::Invalid(
                "укажите --template и --out (форма ФИС ОКО) или --xlsx и --csv".into(),
            ));
        };
        let f = db.export_results_form(a.work, xlsx, csv)?;
        println!("Строк: {}; {} и {}", f.rows, xlsx.display(), csv.display());
        return Ok(());
    };
    let spec = db.work(a.work)?.spec;
    let answers = a
        .map
        .iter()
        .map(|m| FormAnswer::parse(m, &spec))
        .collect::<Result<Vec<_>, _>>()?;
    if a.dry_run {
        let m = db.official_form_mapping(a.work, template, &answers)?;
        println!(
            "Форма «{}», лист «{}»: заголовок в строках {}, данные с строки {}{}",
            m.file,
            m.sheet,
            m.header_rows
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join("–"),
            m.first_data_row,
            if m.listed_codes > 0 {
                format!(", в форме уже {} кодов", m.listed_codes)
            } else {
                String::new()
            }
        );
        print_columns(&m.columns);
        for w in &m.warnings {
            eprintln!("предупреждение: {w}");
        }
        if !m.questions.is_empty() {
            eprintln!("Нужно уточнить столбцы ({}):", m.questions.len());
            print_questions(&m.questions);
        }
        return Ok(());
    }
    let f = db.fill_official_form(a.work, template, out, &answers)?;
    println!("Форма «{}», лист «{}»:", template.display(), f.sheet);
    print_columns(&f.columns);
    for w in &f.warnings {
        eprintln!("предупреждение: {w}");
    }
    println!("Записано участников: {}; файл {}", f.rows, f.file);
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use clap::Parser;
    use vpr_coordinator::{scoring::Submission, NewParticipant, NewWork, PersonName, WorkSpec};

    use super::*;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        args: FormArgs,
    }

    fn parse(argv: &[&str]) -> Result<FormArgs, clap::Error> {
        Cli::try_parse_from(std::iter::once("form").chain(argv.iter().copied())).map(|c| c.args)
    }

    /// A paper work of two closed tasks, two participants scored.
    fn scored(dir: &Path) -> (Coordinator, i64, Vec<u32>) {
        let mut db =
            Coordinator::create_with_iterations(&dir.join("c.sqlite"), "пароль-теста", 1_000)
                .unwrap();
        db.upsert_class("5А", 5, "").unwrap();
        let people: Vec<NewParticipant> = ["Первый", "Второй"]
            .iter()
            .map(|n| NewParticipant {
                class_name: "5А".into(),
                name: PersonName {
                    last: n.to_string(),
                    first: "Ученик".into(),
                    middle: String::new(),
                },
                sex: String::new(),
                special_needs: false,
                previous_mark: None,
            })
            .collect();
        let codes = db.add_participants(&people).unwrap();
        let spec: WorkSpec = serde_json::from_str(
            r#"{"stations_per_room":1,"marks":[{"min_total":0,"mark":2},{"min_total":3,"mark":4}],
            "tasks":[{"number":1,"title":"А","oral":false,"items":[{"id":"1.1","points":1},{"id":"1.2","points":1}]},
                     {"number":2,"title":"Б","oral":false,"items":[{"id":"2.1","points":2}]}]}"#,
        )
        .unwrap();
        let work = db
            .add_work(&NewWork {
                package_id: "p".into(),
                subject: "Математика".into(),
                grade: 5,
                date: "2026-04-14".into(),
                reserve_dates: vec![],
                upload_deadline: "2026-04-18".into(),
                spec,
            })
            .unwrap();
        let keys = db
            .work(work)
            .unwrap()
            .spec
            .keys_for("p", &[1], |i| vec![format!("ok{}", i.id)]);
        db.set_keys(work, &keys).unwrap();
        for (k, code) in codes.iter().enumerate() {
            let mut answers = std::collections::BTreeMap::new();
            answers.insert("1.1".to_string(), "ok1.1".to_string());
            answers.insert(
                "2.1".to_string(),
                if k == 0 { "ok2.1" } else { "нет" }.to_string(),
            );
            db.record_submission(
                &Submission {
                    adaptation: None,
                    work_id: work,
                    code: *code,
                    variant: 1,
                    station_fingerprint: "00".into(),
                    bundle_sha256: "00".into(),
                    interrupted: false,
                    answers,
                },
                &[],
            )
            .unwrap();
        }
        db.auto_score(work).unwrap();
        (db, work, codes)
    }

    #[test]
    fn template_with_a_question_then_answered_by_map() {
        let dir = tempfile::tempdir().unwrap();
        let (db, work, mut codes) = scored(dir.path());
        codes.sort_unstable();
        let tpl = dir.path().join("form.xlsx");
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        ws.merge_range(
            0,
            0,
            0,
            4,
            "Форма сбора результатов",
            &rust_xlsxwriter::Format::new(),
        )
        .unwrap();
        for (c, h) in ["Код", "Вариант", "Задание 1", "Баллы", "Итого"]
            .iter()
            .enumerate()
        {
            ws.write_string(2, c as u16, *h).unwrap();
        }
        wb.save(&tpl).unwrap();
        let out = dir.path().join("filled.xlsx");
        let argv = |extra: &[&str]| {
            let mut v = vec![
                "--work",
                "1",
                "--template",
                tpl.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
            ];
            v.extend_from_slice(extra);
            parse(&v).unwrap()
        };
        assert_eq!(work, 1);
        // «Баллы» (column D) says nothing about which task.
        let err = run(&argv(&[]), &db).unwrap_err();
        assert!(
            matches!(&err, CoordinatorError::FormQuestions { questions, .. }
            if questions.len() == 1 && questions[0].column.as_deref() == Some("D")),
            "{err:?}"
        );
        run(&argv(&["--dry-run"]), &db).unwrap();
        assert!(!out.exists());
        assert!(run(&argv(&["--map", "D=7"]), &db).is_err(), "no task 7");
        run(&argv(&["--map", "d=2"]), &db).unwrap();
        let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&out).unwrap();
        let range = calamine::Reader::worksheet_range_at(&mut wb, 0)
            .unwrap()
            .unwrap();
        let row = |r: u32| -> Vec<String> {
            (0..5)
                .map(|c| {
                    range
                        .get_value((r, c))
                        .map(|d| d.to_string())
                        .unwrap_or_default()
                })
                .collect()
        };
        let first = row(3);
        assert_eq!(first[0], codes[0].to_string());
        assert_eq!(&first[1..3], &["1".to_string(), "1".to_string()]);
        assert_eq!(row(4)[0], codes[1].to_string());
        // Total: task 1 (1) + task 2 (2 or 0).
        let totals: Vec<String> = [row(3)[4].clone(), row(4)[4].clone()].into();
        let mut sorted = totals.clone();
        sorted.sort();
        assert_eq!(sorted, vec!["1".to_string(), "3".to_string()]);
    }

    #[test]
    fn arguments() {
        assert!(parse(&["--work", "1", "--xlsx", "a.xlsx", "--csv", "a.csv"]).is_ok());
        assert!(
            parse(&["--work", "1"]).is_err(),
            "a template or the own layout"
        );
        assert!(
            parse(&["--work", "1", "--template", "t.xlsx"]).is_err(),
            "--out needed"
        );
        assert!(
            parse(&["--work", "1", "--xlsx", "a.xlsx"]).is_err(),
            "--csv needed"
        );
        assert!(parse(&[
            "--work",
            "1",
            "--template",
            "t.xlsx",
            "--out",
            "o.xlsx",
            "--xlsx",
            "a"
        ])
        .is_err());
    }
}
