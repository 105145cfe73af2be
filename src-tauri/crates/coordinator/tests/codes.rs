#![allow(clippy::unwrap_used)]
//! Participant codes from ФИС ОКО: a cp1251 CSV with a title row and a class
//! column, a bare XLSX column of numbers; handed out in roster order or at
//! random, a class's codes to that class; works already recorded keep their
//! code; not enough codes refuses naming the class; new participants take
//! the list's next code; the code sheet prints the list's codes.

mod common;

use std::{collections::BTreeMap, path::Path, process::Command};

use common::*;
use vpr_coordinator::{
    read_code_list, scoring::Submission, CodeOrder, Coordinator, CoordinatorError, Participant,
};

fn cp1251(path: &Path, text: &str) {
    let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(text);
    std::fs::write(path, bytes).unwrap();
}

/// `n` codes for each class, as ФИС ОКО lists them (title row, header, «7 а» spelling).
fn code_csv(path: &Path, per_class: &[(&str, u32, u32)]) -> Vec<(u32, String)> {
    let mut text =
        String::from("Коды участников ВПР; ОО sch770123;\r\n;;\r\n№;Класс;Код участника\r\n");
    let mut out = Vec::new();
    let mut k = 0;
    for (class, first, n) in per_class {
        for i in 0..*n {
            k += 1;
            let code = first + i * 7;
            text.push_str(&format!("{k};{class};{code}\r\n"));
            out.push((code, class.to_string()));
        }
    }
    cp1251(path, &text);
    out
}

/// Participants in roster order (class, then name).
fn roster_order(db: &Coordinator) -> Vec<Participant> {
    let mut people = db.participants().unwrap();
    people.sort_by_key(|p| {
        (
            p.class_name.clone(),
            p.name.last.to_lowercase(),
            p.name.first.to_lowercase(),
        )
    });
    people
}

#[test]
fn a_cp1251_list_with_classes_in_roster_order() {
    let dir = tempfile::tempdir().unwrap();
    let mut db = new_db(dir.path());
    db.import_roster(&fixtures().join("roster.csv")).unwrap();
    assert!(!db.has_code_list().unwrap());
    let before = roster_order(&db);
    // The first 7Б code of the list is the current (generated) code of the
    // last 7А participant: moving everyone at once must not collide.
    let last_a = before.iter().rfind(|p| p.class_name == "7А").unwrap().code;
    let list = dir.path().join("коды.csv");
    let mut listed = code_csv(
        &list,
        &[("7 а", 50_001, 10), ("7-Б", 60_001, 10), ("8А", 70_001, 3)],
    );
    listed[10].0 = last_a;
    let text = std::fs::read(&list).unwrap();
    let text = encoding_rs::WINDOWS_1251
        .decode(&text)
        .0
        .replace("60001", &last_a.to_string());
    cp1251(&list, &text);

    let r = db.import_codes(&list, CodeOrder::Roster).unwrap();
    assert_eq!((r.imported, r.already, r.assigned, r.free), (23, 0, 20, 3));
    assert!(r.kept.is_empty() && r.uncovered.is_empty(), "{r:?}");
    assert!(db.has_code_list().unwrap());
    let after = roster_order(&db);
    let a_codes: Vec<u32> = listed
        .iter()
        .filter(|c| c.1 == "7 а")
        .map(|c| c.0)
        .collect();
    let b_codes: Vec<u32> = listed
        .iter()
        .filter(|c| c.1 == "7-Б")
        .map(|c| c.0)
        .collect();
    let got_a: Vec<u32> = after
        .iter()
        .filter(|p| p.class_name == "7А")
        .map(|p| p.code)
        .collect();
    let got_b: Vec<u32> = after
        .iter()
        .filter(|p| p.class_name == "7Б")
        .map(|p| p.code)
        .collect();
    assert_eq!(
        got_a, a_codes,
        "7А in roster order takes the 7А codes in the file's order"
    );
    assert_eq!(got_b, b_codes);
    for (b, a) in before.iter().zip(&after) {
        assert_eq!(b.id, a.id);
        assert_eq!(b.name, a.name, "the same people");
    }

    // Importing the same file again changes nothing.
    let again = db.import_codes(&list, CodeOrder::Random).unwrap();
    assert_eq!((again.imported, again.already, again.assigned), (0, 23, 0));
    assert_eq!(roster_order(&db), after);

    // The code sheet prints the list's codes.
    let work = db.add_work(&grade7_work()).unwrap();
    let pdf = dir.path().join("codes.pdf");
    std::fs::write(&pdf, db.code_sheet_pdf(work, None).unwrap()).unwrap();
    let out = Command::new("pdftotext")
        .args([pdf.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils) is needed");
    let text = String::from_utf8_lossy(&out.stdout);
    for c in a_codes.iter().chain(&b_codes) {
        assert!(text.contains(&c.to_string()), "code {c} on the sheet");
    }
    for p in &before {
        if !a_codes.contains(&p.code) && !b_codes.contains(&p.code) {
            assert!(
                !text.contains(&p.code.to_string()),
                "old code {} not printed",
                p.code
            );
        }
    }
}

#[test]
fn a_bare_xlsx_column_at_random_and_later_participants() {
    let dir = tempfile::tempdir().unwrap();
    let mut db = new_db(dir.path());
    db.import_roster(&fixtures().join("roster.csv")).unwrap();
    // A participant whose work is already recorded keeps the code.
    let people = db.participants().unwrap();
    let work = db.add_work(&grade7_work()).unwrap();
    db.record_submission(
        &Submission {
            adaptation: None,
            work_id: work,
            code: people[0].code,
            variant: 1,
            station_fingerprint: "00".into(),
            bundle_sha256: "00".into(),
            interrupted: false,
            answers: BTreeMap::new(),
        },
        &[],
    )
    .unwrap();
    // Six digits: never one of the five-digit codes the program made (a
    // made code that happened to be on the list would stay, not be handed).
    let codes: Vec<u32> = (0..21).map(|i| 300_000 + i * 11).collect();
    let list = dir.path().join("codes.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (r, c) in codes.iter().enumerate() {
        ws.write_number(r as u32, 0, f64::from(*c)).unwrap();
    }
    wb.save(&list).unwrap();
    assert_eq!(read_code_list(&list).unwrap().len(), 21);

    let r = db.import_codes(&list, CodeOrder::Random).unwrap();
    assert_eq!(r.kept, vec![people[0].code]);
    assert_eq!((r.assigned, r.free), (19, 2));
    let now = db.participants().unwrap();
    let mut handed: Vec<u32> = now
        .iter()
        .map(|p| p.code)
        .filter(|c| codes.contains(c))
        .collect();
    assert_eq!(handed.len(), 19);
    handed.sort_unstable();
    handed.dedup();
    assert_eq!(handed.len(), 19, "one code each");
    assert!(now.iter().any(|p| p.code == people[0].code));
    let in_roster_order: Vec<u32> = roster_order(&db)
        .iter()
        .map(|p| p.code)
        .filter(|c| codes.contains(c))
        .collect();
    assert_ne!(in_roster_order, codes[..19].to_vec(), "shuffled");

    // A new participant takes a free code of the list; then the list is spent.
    let extra = dir.path().join("extra.csv");
    std::fs::write(
        &extra,
        "Класс;Фамилия;Имя\n7А;Тестова;Ксения\n7Б;Тестов;Яков\n7Б;Тестова;Юлия\n",
    )
    .unwrap();
    let err = db.import_roster(&extra).unwrap_err();
    assert!(matches!(err, CoordinatorError::CodesShort(_)), "{err:?}");
    assert_eq!(db.participants().unwrap().len(), 20, "nothing added");
    std::fs::write(
        &extra,
        "Класс;Фамилия;Имя\n7А;Тестова;Ксения\n7Б;Тестов;Яков\n",
    )
    .unwrap();
    db.import_roster(&extra).unwrap();
    let all = db.participants().unwrap();
    assert_eq!(all.len(), 22);
    assert_eq!(all.iter().filter(|p| codes.contains(&p.code)).count(), 21);
}

#[test]
fn short_or_bad_lists_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut db = new_db(dir.path());
    db.import_roster(&fixtures().join("roster.csv")).unwrap();
    let before = db.participants().unwrap();
    let list = dir.path().join("short.csv");
    code_csv(&list, &[("7А", 50_001, 10), ("7Б", 60_001, 8)]);
    let err = db.import_codes(&list, CodeOrder::Roster).unwrap_err();
    assert_eq!(vpr_error::Coded::code(&err), "coord_codes_short");
    assert!(err.to_string().contains("7Б: не хватает 2"), "{err}");
    assert_eq!(db.participants().unwrap(), before, "nothing handed out");
    assert!(!db.has_code_list().unwrap(), "nothing imported");

    // A list for another parallel only: this roster keeps its codes.
    let other = dir.path().join("eighth.csv");
    code_csv(&other, &[("8", 80_001, 5)]);
    let r = db.import_codes(&other, CodeOrder::Roster).unwrap();
    assert_eq!(r.assigned, 0);
    assert_eq!(r.uncovered, vec!["7А".to_string(), "7Б".to_string()]);
    assert_eq!(db.participants().unwrap(), before);

    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "Код участника;Класс\n12345;7А\n12a45;7А\n12345;7Б\n0123;7А\n",
    )
    .unwrap();
    let Err(CoordinatorError::CodeList(issues)) = db.import_codes(&bad, CodeOrder::Roster) else {
        panic!("bad list accepted")
    };
    let rows: Vec<u32> = issues.iter().map(|i| i.row).collect();
    assert_eq!(rows, vec![3, 4, 5], "{issues:?}");
    assert!(issues[1].message.contains("строке 2"));
    assert_eq!(issues[0].column, "Код участника");
    let none = dir.path().join("none.csv");
    std::fs::write(&none, "Фамилия;Имя\nИванов;Иван\n").unwrap();
    assert!(matches!(
        db.import_codes(&none, CodeOrder::Roster),
        Err(CoordinatorError::CodeList(_))
    ));
}
