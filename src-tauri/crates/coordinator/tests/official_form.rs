#![allow(clippy::unwrap_used)]
//! The official results form: a realistic ФИС ОКО-shaped template (title
//! block with merged cells, a two-row merged header, a formula column, a
//! data-validation list, a defined name, a second sheet) filled for a
//! scored work and read back; ambiguous headers, missing scores and bad
//! files refused.

mod common;

use std::{
    collections::BTreeMap,
    io::{Read, Write},
    path::Path,
};

use calamine::{open_workbook, Data, Reader, Xlsx};
use common::*;
use rust_xlsxwriter::{DataValidation, Format, FormatAlign, FormatBorder, Workbook};
use vpr_coordinator::{
    official_form::{FormAnswer, FormTarget},
    scoring::{CriterionScore, Submission},
    Coordinator, CoordinatorError, NewStaff, PersonName, StaffRole,
};

const SHEET: &str = "Форма сбора результатов";
/// Data rows the template is prepared for (numbered, with the total formula).
const PREPARED: u32 = 30;

/// Expected per code: task → score and criterion → score.
type Expected = BTreeMap<u32, (u32, BTreeMap<u32, u32>, BTreeMap<String, u32>)>;

/// A work of the 20-participant roster: one absent, the rest with answers
/// and expert scores known in advance (code, variant, tasks, criteria).
/// `leave_unscored`: one expert piece not scored.
fn scored_work(dir: &Path, leave_unscored: bool) -> (Coordinator, i64, Expected) {
    let mut db = new_db(dir);
    db.import_roster(&fixtures().join("roster.csv")).unwrap();
    let work = db.add_work(&grade7_work()).unwrap();
    let people = db.participants().unwrap();
    db.record_absence(work, people[3].id, "болезнь", "справка", None)
        .unwrap();
    let mut expected = Expected::new();
    for (n, p) in people.iter().enumerate().filter(|(n, _)| *n != 3) {
        let mut answers = BTreeMap::new();
        let mut tasks = BTreeMap::new();
        for t in [1u32, 4, 5, 6] {
            let mut score = 0;
            for i in 1..=5u32 {
                let right = (p.code + t + i) % 3 != 0;
                answers.insert(
                    format!("{t}.{i}"),
                    if right {
                        format!("A{t}{i}")
                    } else {
                        "нет".into()
                    },
                );
                score += u32::from(right);
            }
            tasks.insert(t, score);
        }
        let variant = 1 + (n as u32 % 2);
        db.record_submission(
            &Submission {
                adaptation: None,
                work_id: work,
                code: p.code,
                variant,
                station_fingerprint: "00".into(),
                bundle_sha256: "00".into(),
                interrupted: false,
                answers,
            },
            &[],
        )
        .unwrap();
        expected.insert(p.code, (variant, tasks, BTreeMap::new()));
    }
    db.set_keys(work, &grade7_keys()).unwrap();
    db.auto_score(work).unwrap();
    let expert = db
        .add_staff(&NewStaff {
            role: StaffRole::Expert,
            name: PersonName {
                last: "Эксперт".into(),
                first: "Первый".into(),
                middle: String::new(),
            },
            subjects: vec!["Английский язык".into()],
            teaches_classes: vec![],
            experience_years: 5,
            school_employee: true,
            parent_of_participant: false,
            organization: String::new(),
        })
        .unwrap();
    db.assign_experts(work).unwrap();
    let mut skipped = false;
    for item in db.expert_queue(expert).unwrap() {
        if leave_unscored && !skipped && item.task == 3 {
            skipped = true;
            continue;
        }
        let scores: Vec<CriterionScore> = item
            .criteria
            .iter()
            .enumerate()
            .map(|(k, c)| CriterionScore {
                criterion: c.id.clone(),
                score: (item.code + c.max_points + k as u32) % (c.max_points + 1),
                note: String::new(),
            })
            .collect();
        let e = expected.get_mut(&item.code).unwrap();
        e.1.insert(item.task, scores.iter().map(|s| s.score).sum());
        for s in &scores {
            e.2.insert(s.criterion.clone(), s.score);
        }
        db.submit_scores(expert, work, item.code, item.task, &scores)
            .unwrap();
    }
    (db, work, expected)
}

/// The sub-headers under «Задания» in columns D…K.
const TASK_HEADERS: [&str; 8] = ["1", "2", "3К1", "3К2", "3К3", "4", "5", "6"];

/// A form as ФИС ОКО lays one out: title block A1:M4 (merged), header rows
/// 6–7 («№ п/п», «Код участника», «Вариант» merged down; «Задания» merged
/// over the task columns), rows 8… numbered with a total formula in L, the
/// code column formatted as text, a list validation on the variant column,
/// a defined name, and a second sheet «Инструкция».
fn template(path: &Path, sub_headers: &[&str]) {
    let mut wb = Workbook::new();
    let title = Format::new().set_bold().set_align(FormatAlign::Center);
    let head = Format::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    let text = Format::new()
        .set_num_format("@")
        .set_border(FormatBorder::Thin);
    let ws = wb.add_worksheet();
    ws.set_name(SHEET).unwrap();
    for (r, line) in [
        "Форма сбора результатов ВПР",
        "ОО: МБОУ СОШ № 5 (sch770123)",
        "Предмет: Английский язык, 7 класс",
        "Дата проведения: 14.04.2026",
    ]
    .iter()
    .enumerate()
    {
        ws.merge_range(r as u32, 0, r as u32, 12, line, &title)
            .unwrap();
    }
    ws.merge_range(5, 0, 6, 0, "№ п/п", &head).unwrap();
    ws.merge_range(5, 1, 6, 1, "Код участника", &head).unwrap();
    ws.merge_range(5, 2, 6, 2, "Вариант", &head).unwrap();
    ws.merge_range(5, 3, 5, 3 + sub_headers.len() as u16 - 1, "Задания", &head)
        .unwrap();
    for (i, h) in sub_headers.iter().enumerate() {
        ws.write_string_with_format(6, 3 + i as u16, *h, &head)
            .unwrap();
    }
    let last = 3 + sub_headers.len() as u16;
    ws.merge_range(5, last, 6, last, "Сумма баллов", &head)
        .unwrap();
    ws.merge_range(5, last + 1, 6, last + 1, "Отметка", &head)
        .unwrap();
    ws.set_column_format(1, &text).unwrap();
    let first_task = "D";
    let last_task = vpr_coordinator::roster::column_letter(last as usize - 1);
    for i in 0..PREPARED {
        let r = 7 + i;
        ws.write_number(r, 0, f64::from(i + 1)).unwrap();
        ws.write_formula(
            r,
            last,
            format!("=SUM({first_task}{}:{last_task}{})", r + 1, r + 1).as_str(),
        )
        .unwrap();
    }
    let dv = DataValidation::new()
        .allow_list_strings(&["1", "2"])
        .unwrap();
    ws.add_data_validation(7, 2, 199, 2, &dv).unwrap();
    let info = wb.add_worksheet();
    info.set_name("Инструкция").unwrap();
    info.write_string(
        0,
        0,
        "Заполните код участника, вариант и баллы за каждое задание.",
    )
    .unwrap();
    info.write_string(1, 0, "Не меняйте порядок столбцов.")
        .unwrap();
    wb.define_name(
        "Баллы",
        &format!("='{SHEET}'!$D$8:${last_task}${}", 7 + PREPARED),
    )
    .unwrap();
    wb.save(path).unwrap();
}

fn entry(path: &Path, name: &str) -> Vec<u8> {
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut e = z.by_name(name).unwrap();
    let mut out = Vec::new();
    e.read_to_end(&mut out).unwrap();
    out
}

fn entry_names(path: &Path) -> Vec<String> {
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    (0..z.len())
        .map(|i| z.by_index_raw(i).unwrap().name().unwrap().to_string())
        .collect()
}

fn cell(range: &calamine::Range<Data>, row: u32, col: u32) -> Data {
    range.get_value((row, col)).cloned().unwrap_or(Data::Empty)
}

fn num(d: &Data) -> u32 {
    match d {
        Data::Float(f) => *f as u32,
        Data::Int(i) => *i as u32,
        other => panic!("not a number: {other:?}"),
    }
}

#[test]
fn fills_the_template_keeping_everything_else() {
    let dir = tempfile::tempdir().unwrap();
    let (db, work, expected) = scored_work(dir.path(), false);
    let tpl = dir.path().join("ВПР_форма.xlsx");
    template(&tpl, &TASK_HEADERS);

    let mapping = db.official_form_mapping(work, &tpl, &[]).unwrap();
    assert!(mapping.questions.is_empty(), "{:?}", mapping.questions);
    assert_eq!(mapping.sheet, SHEET);
    assert_eq!(mapping.header_rows, vec![6, 7]);
    assert_eq!(mapping.first_data_row, 8);
    let by_col: BTreeMap<&str, &FormTarget> = mapping
        .columns
        .iter()
        .map(|c| (c.column.as_str(), &c.target))
        .collect();
    assert_eq!(by_col["A"], &FormTarget::Skip);
    assert_eq!(by_col["B"], &FormTarget::Code);
    assert_eq!(by_col["C"], &FormTarget::Variant);
    assert_eq!(by_col["D"], &FormTarget::Task(1));
    assert_eq!(by_col["E"], &FormTarget::Task(2));
    assert_eq!(by_col["F"], &FormTarget::Criterion("3К1".into()));
    assert_eq!(by_col["H"], &FormTarget::Criterion("3К3".into()));
    assert_eq!(by_col["K"], &FormTarget::Task(6));
    assert_eq!(by_col["L"], &FormTarget::Total);
    assert_eq!(by_col["M"], &FormTarget::Mark);
    assert!(
        mapping
            .columns
            .iter()
            .find(|c| c.column == "L")
            .unwrap()
            .formula
    );

    let out = dir.path().join("out/filled.xlsx");
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    let filled = db.fill_official_form(work, &tpl, &out, &[]).unwrap();
    assert_eq!(filled.rows, 19);

    // Read back: every participant in code order, in the right columns.
    let mut wb: Xlsx<_> = open_workbook(&out).unwrap();
    assert_eq!(
        wb.sheet_names(),
        vec![SHEET.to_string(), "Инструкция".into()]
    );
    let range = wb.worksheet_range(SHEET).unwrap();
    let start = range.start().unwrap();
    assert_eq!(start, (0, 0));
    assert_eq!(
        cell(&range, 0, 0),
        Data::String("Форма сбора результатов ВПР".into())
    );
    let spec = grade7_spec();
    for (i, (code, (variant, tasks, criteria))) in expected.iter().enumerate() {
        let r = 7 + i as u32;
        assert_eq!(
            cell(&range, r, 0),
            Data::Float(f64::from(i as u32 + 1)),
            "№ kept"
        );
        assert_eq!(
            cell(&range, r, 1),
            Data::String(code.to_string()),
            "code as text: the column is formatted «@»"
        );
        assert_eq!(num(&cell(&range, r, 2)), *variant);
        assert_eq!(num(&cell(&range, r, 3)), tasks[&1], "code {code} task 1");
        assert_eq!(num(&cell(&range, r, 4)), tasks[&2], "code {code} task 2");
        for (k, id) in ["3К1", "3К2", "3К3"].iter().enumerate() {
            assert_eq!(
                num(&cell(&range, r, 5 + k as u32)),
                criteria[*id],
                "{code} {id}"
            );
        }
        for (k, t) in [4u32, 5, 6].iter().enumerate() {
            assert_eq!(
                num(&cell(&range, r, 8 + k as u32)),
                tasks[t],
                "code {code} task {t}"
            );
        }
        let total: u32 = tasks.values().sum();
        assert_eq!(
            num(&cell(&range, r, 11)),
            total,
            "the formula's value, fresh"
        );
        assert_eq!(
            num(&cell(&range, r, 12)),
            u32::from(spec.mark_for(total).unwrap())
        );
    }
    let after = 7 + expected.len() as u32;
    assert_eq!(
        cell(&range, after, 1),
        Data::Empty,
        "nothing below the last code"
    );
    assert_eq!(cell(&range, after, 0), Data::Float(f64::from(after - 6)));
    let formulas = wb.worksheet_formula(SHEET).unwrap();
    assert_eq!(
        formulas.get_value((after, 11)).map(String::as_str),
        Some(format!("SUM(D{}:K{})", after + 1, after + 1).as_str()),
        "formulas below the data kept"
    );
    assert_eq!(
        formulas.get_value((7, 11)).map(String::as_str),
        Some("SUM(D8:K8)"),
        "formulas of the written rows kept"
    );

    // The other parts are the template's bytes.
    assert_eq!(
        entry_names(&out),
        entry_names(&tpl),
        "same parts, same order"
    );
    for part in [
        "xl/worksheets/sheet2.xml",
        "xl/styles.xml",
        "xl/workbook.xml",
        "xl/sharedStrings.xml",
        "[Content_Types].xml",
    ] {
        assert!(entry(&out, part) == entry(&tpl, part), "{part} changed");
    }
    let sheet = String::from_utf8(entry(&out, "xl/worksheets/sheet1.xml")).unwrap();
    for kept in [
        "<f>SUM(D8:K8)</f>",
        "<dataValidation",
        "sqref=\"C8:C200\"",
        "<mergeCell ref=\"D6:K6\"/>",
        "<mergeCell ref=\"A1:M1\"/>",
        "<mergeCell ref=\"B6:B7\"/>",
    ] {
        assert!(sheet.contains(kept), "{kept} lost");
    }
    let workbook = String::from_utf8(entry(&out, "xl/workbook.xml")).unwrap();
    assert!(workbook.contains("definedName name=\"Баллы\""));
    assert_no_names(&dir.path().join("out"), &roster_name_parts());

    // The template can be its own output.
    let copy = dir.path().join("copy.xlsx");
    std::fs::copy(&tpl, &copy).unwrap();
    db.fill_official_form(work, &copy, &copy, &[]).unwrap();
    assert!(entry(&copy, "xl/worksheets/sheet1.xml") == sheet.as_bytes());
    // The product's own layout is still there without a template.
    let own = db
        .export_results_form(
            work,
            &dir.path().join("own.xlsx"),
            &dir.path().join("own.csv"),
        )
        .unwrap();
    assert_eq!(own.rows, 19);
}

#[test]
fn an_ambiguous_column_is_a_question_until_answered() {
    let dir = tempfile::tempdir().unwrap();
    let (db, work, expected) = scored_work(dir.path(), false);
    let tpl = dir.path().join("form.xlsx");
    // «К1» alone under «Задания»: criterion 1 of task 2 or of task 3?
    template(&tpl, &["1", "2", "К1", "К2", "К3", "4", "5", "6"]);
    let out = dir.path().join("filled.xlsx");
    let err = db.fill_official_form(work, &tpl, &out, &[]).unwrap_err();
    let CoordinatorError::FormQuestions { file, questions } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(vpr_error::Coded::code(&err), "coord_form_questions");
    assert_eq!(file, "form.xlsx");
    assert_eq!(questions.len(), 1, "{questions:?}");
    let q = &questions[0];
    assert_eq!(q.column.as_deref(), Some("F"));
    assert_eq!(q.header, "Задания / К1");
    assert_eq!(
        q.candidates,
        vec![
            FormTarget::Criterion("2К1".into()),
            FormTarget::Criterion("3К1".into())
        ]
    );
    assert!(err.to_string().contains("столбец F"), "{err}");
    assert!(!out.exists(), "nothing written while a question is open");
    // К2 and К3 have one owner each: no question about them.
    let mapping = db.official_form_mapping(work, &tpl, &[]).unwrap();
    assert!(mapping
        .columns
        .iter()
        .any(|c| c.column == "G" && c.target == FormTarget::Criterion("3К2".into())));

    // The CLI's spelling of the answer.
    let answer = FormAnswer::parse("f=3к1", &grade7_spec()).unwrap();
    assert_eq!(
        answer,
        FormAnswer {
            column: "F".into(),
            target: FormTarget::Criterion("3К1".into())
        }
    );
    assert!(
        FormAnswer::parse("F=9", &grade7_spec()).is_err(),
        "no task 9"
    );
    assert!(FormAnswer::parse("1=3", &grade7_spec()).is_err());
    db.fill_official_form(work, &tpl, &out, &[answer]).unwrap();
    let mut wb: Xlsx<_> = open_workbook(&out).unwrap();
    let range = wb.worksheet_range(SHEET).unwrap();
    let (code, (_, _, criteria)) = expected.iter().next().unwrap();
    assert_eq!(cell(&range, 7, 1), Data::String(code.to_string()));
    assert_eq!(num(&cell(&range, 7, 5)), criteria["3К1"]);
}

#[test]
fn a_missing_score_refuses_naming_code_and_task() {
    let dir = tempfile::tempdir().unwrap();
    let (db, work, expected) = scored_work(dir.path(), true);
    let tpl = dir.path().join("form.xlsx");
    template(&tpl, &TASK_HEADERS);
    let out = dir.path().join("filled.xlsx");
    let err = db.fill_official_form(work, &tpl, &out, &[]).unwrap_err();
    let CoordinatorError::FormScoreMissing { code, task } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(vpr_error::Coded::code(&err), "coord_form_score_missing");
    assert!(expected.contains_key(code));
    assert_eq!(task, "3 (критерий 3К1)");
    let text = err.to_string();
    assert!(
        text.contains(&format!("кодом {code}")) && text.contains("задание 3"),
        "{text}"
    );
    assert!(!out.exists());
    // With task 3 as one column the message names the task alone.
    let tpl2 = dir.path().join("form2.xlsx");
    template(&tpl2, &["1", "2", "3", "4", "5", "6"]);
    let err = db.fill_official_form(work, &tpl2, &out, &[]).unwrap_err();
    assert!(
        matches!(&err, CoordinatorError::FormScoreMissing { task, .. } if task == "3"),
        "{err:?}"
    );
}

#[test]
fn a_template_listing_codes_is_filled_by_code() {
    let dir = tempfile::tempdir().unwrap();
    let (db, work, expected) = scored_work(dir.path(), false);
    let tpl = dir.path().join("listed.xlsx");
    template(&tpl, &TASK_HEADERS);
    // The same template with the codes already in column B, in reverse order,
    // and one code more (the absent participant's).
    let absent = db.participants().unwrap()[3].code;
    let mut codes: Vec<u32> = expected.keys().copied().collect();
    codes.push(absent);
    codes.reverse();
    let listed = dir.path().join("listed-codes.xlsx");
    rewrite_part(&tpl, &listed, "xl/worksheets/sheet1.xml", |xml| {
        let mut xml = xml.to_string();
        for (i, code) in codes.iter().enumerate() {
            let r = 8 + i;
            let tag = format!("<c r=\"A{r}\"");
            let at = xml.find(&tag).unwrap();
            let end = at + xml[at..].find("</c>").unwrap() + 4;
            xml.insert_str(
                end,
                &format!("<c r=\"B{r}\" t=\"inlineStr\"><is><t>{code}</t></is></c>"),
            );
        }
        xml
    });
    let out = dir.path().join("filled.xlsx");
    let mapping = db.official_form_mapping(work, &listed, &[]).unwrap();
    assert_eq!(mapping.listed_codes, 20);
    let filled = db.fill_official_form(work, &listed, &out, &[]).unwrap();
    assert_eq!(filled.rows, 19);
    assert!(
        filled
            .warnings
            .iter()
            .any(|w| w.contains(&absent.to_string())),
        "{:?}",
        filled.warnings
    );
    let mut wb: Xlsx<_> = open_workbook(&out).unwrap();
    let range = wb.worksheet_range(SHEET).unwrap();
    for (i, code) in codes.iter().enumerate() {
        let r = 7 + i as u32;
        assert_eq!(cell(&range, r, 1), Data::String(code.to_string()));
        match expected.get(code) {
            Some((variant, tasks, _)) => {
                assert_eq!(num(&cell(&range, r, 2)), *variant);
                assert_eq!(num(&cell(&range, r, 3)), tasks[&1]);
            }
            None => assert_eq!(cell(&range, r, 2), Data::Empty, "absent: left empty"),
        }
    }
}

/// Copy an XLSX, passing one part's XML through `f`.
fn rewrite_part(from: &Path, to: &Path, part: &str, f: impl Fn(&str) -> String) {
    let mut z = zip::ZipArchive::new(std::fs::File::open(from).unwrap()).unwrap();
    let mut w = zip::ZipWriter::new(std::fs::File::create(to).unwrap());
    for i in 0..z.len() {
        let mut e = z.by_index(i).unwrap();
        let name = e.name().unwrap().to_string();
        let mut bytes = Vec::new();
        e.read_to_end(&mut bytes).unwrap();
        if name == part {
            bytes = f(std::str::from_utf8(&bytes).unwrap()).into_bytes();
        }
        w.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(&bytes).unwrap();
    }
    w.finish().unwrap();
}

fn refused(db: &Coordinator, work: i64, path: &Path) -> CoordinatorError {
    let out = path.with_file_name("never.xlsx");
    let e = db.fill_official_form(work, path, &out, &[]).unwrap_err();
    assert!(!out.exists());
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    assert!(e.to_string().contains(&name), "the file is named: {e}");
    e
}

#[test]
fn bad_files_are_refused_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let (db, work, _) = scored_work(dir.path(), false);
    let code = |e: &CoordinatorError| vpr_error::Coded::code(e);

    // A zip bomb: a sheet of 70 MB of spaces, a few hundred KB compressed.
    let bomb = dir.path().join("bomb.xlsx");
    {
        let mut w = zip::ZipWriter::new(std::fs::File::create(&bomb).unwrap());
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        w.start_file("[Content_Types].xml", opts).unwrap();
        w.write_all(b"<Types/>").unwrap();
        w.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
        let chunk = vec![b' '; 1024 * 1024];
        for _ in 0..70 {
            w.write_all(&chunk).unwrap();
        }
        w.finish().unwrap();
    }
    assert!(std::fs::metadata(&bomb).unwrap().len() < 2 * 1024 * 1024);
    assert_eq!(
        code(&refused(&db, work, &bomb)),
        "coord_form_template_too_large"
    );

    // Oversized file.
    let big = dir.path().join("big.xlsx");
    let f = std::fs::File::create(&big).unwrap();
    f.set_len(21 * 1024 * 1024).unwrap();
    assert_eq!(
        code(&refused(&db, work, &big)),
        "coord_form_template_too_large"
    );

    // Not a workbook at all, a CSV, an old .xls.
    let fake = dir.path().join("fake.xlsx");
    std::fs::write(&fake, "Код;Вариант\n1;2\n").unwrap();
    assert_eq!(code(&refused(&db, work, &fake)), "coord_form_template");
    let csv = dir.path().join("form.csv");
    std::fs::write(&csv, "Код;Вариант\n").unwrap();
    assert_eq!(code(&refused(&db, work, &csv)), "coord_form_template");
    let xls = dir.path().join("old.xlsx");
    std::fs::write(&xls, [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0]).unwrap();
    let e = refused(&db, work, &xls);
    assert!(e.to_string().contains(".xls"), "{e}");

    // Macros: by extension and by content type.
    let tpl = dir.path().join("form.xlsx");
    template(&tpl, &TASK_HEADERS);
    let xlsm = dir.path().join("form.xlsm");
    std::fs::copy(&tpl, &xlsm).unwrap();
    assert_eq!(code(&refused(&db, work, &xlsm)), "coord_form_macros");
    let macro_types = dir.path().join("macro.xlsx");
    rewrite_part(&tpl, &macro_types, "[Content_Types].xml", |xml| {
        xml.replace(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
            "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
        )
    });
    assert_eq!(code(&refused(&db, work, &macro_types)), "coord_form_macros");

    // A sheet of more than 100,000 rows.
    let tall = dir.path().join("tall.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "Код участника").unwrap();
    for r in 1..=100_001u32 {
        ws.write_number(r, 1, 1.0).unwrap();
    }
    wb.save(&tall).unwrap();
    let e = refused(&db, work, &tall);
    assert_eq!(code(&e), "coord_form_template_too_large", "{e}");

    // A workbook without a form header.
    let plain = dir.path().join("plain.xlsx");
    let mut wb = Workbook::new();
    wb.add_worksheet().write_string(0, 0, "Список").unwrap();
    wb.save(&plain).unwrap();
    assert_eq!(code(&refused(&db, work, &plain)), "coord_form_template");
}
