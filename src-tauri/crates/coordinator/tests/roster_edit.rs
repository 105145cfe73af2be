#![allow(clippy::unwrap_used)]
//! A roster fixed where it stands (issue 13, item 1): a cp1251 `;` CSV from
//! Russian Excel with two problem rows; the coordinator corrects one cell in
//! place and leaves the other row out, sees the preview again and imports.
//! The file on disk is never written; a file changed since the preview is
//! refused; re-importing the edited file updates rather than duplicates.

use std::path::Path;

use vpr_error::Coded;

use vpr_coordinator::{
    roster::{preview_roster, preview_roster_edited, RosterChoices, RosterEdit},
    Coordinator, CoordinatorError,
};

const EXCEL_CP1251: &str = "Список обучающихся 7-х классов;;;;;;;;\r\n\
МБОУ СОШ № 1;;;;;;;;\r\n\
;;;;;;;;\r\n\
№;Фамилия;Имя;Отчество;Класс;Литера;Дата рождения;Пол;ОВЗ\r\n\
1;Ёлкина;Анна;Сергеевна;7;б;01.09.2013;ж;нет\r\n\
2;Петров;Пётр;;7;Б;12.3.2013;м;да\r\n\
3;=Сумм;Олег;;7;а;2013-02-28;М;\r\n\
4;Кузнецов;Иван;;7;а;31.02.2013;М;нет\r\n\
5;Орлова;Ольга;;7;в;05.05.2013;Ж;может быть\r\n\
6;Смирнова;Вера;;8 в;;03.03.2012;Ж;нет\r\n";

fn setup(dir: &Path) -> (Coordinator, std::path::PathBuf) {
    let path = dir.join("список.csv");
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1251.encode(EXCEL_CP1251);
    assert!(!unmappable);
    std::fs::write(&path, bytes).unwrap();
    let db =
        Coordinator::create_with_iterations(&dir.join("c.sqlite"), "пароль-координатора", 1000)
            .unwrap();
    (db, path)
}

fn fix_date_skip_orlova() -> RosterChoices {
    RosterChoices {
        edits: vec![RosterEdit {
            row: 8,
            column: "Дата рождения".into(),
            value: "28.02.2013".into(),
        }],
        skip: vec![9],
        ..Default::default()
    }
}

#[test]
fn one_cell_fixed_in_place_one_row_skipped_then_imported() {
    let dir = tempfile::tempdir().unwrap();
    let (mut db, path) = setup(dir.path());
    let before = std::fs::read(&path).unwrap();

    let plain = preview_roster(&path).unwrap();
    assert_eq!(plain.valid.len(), 4);
    let rows: Vec<u32> = plain.problems.iter().map(|p| p.row).collect();
    assert_eq!(rows, vec![8, 9], "{:?}", plain.problems);
    let found: Vec<(u32, &str, &str)> = plain
        .found
        .iter()
        .map(|f| (f.row, f.column.as_str(), f.value.as_str()))
        .collect();
    assert_eq!(
        found,
        vec![(8, "Дата рождения", "31.02.2013"), (9, "ОВЗ", "может быть")]
    );
    // Without the choices the import is refused and adds nothing.
    let refused = db.import_roster_edited(&path, Some(&plain.sha256), &RosterChoices::default());
    assert!(matches!(refused, Err(CoordinatorError::Roster(ref p)) if p.len() == 2));
    assert!(db.participants().unwrap().is_empty());

    let choices = fix_date_skip_orlova();
    let fixed = preview_roster_edited(&path, &choices).unwrap();
    assert!(fixed.problems.is_empty(), "{:?}", fixed.problems);
    assert_eq!(fixed.valid.len(), 5);
    assert!(fixed
        .valid
        .iter()
        .any(|r| r.row == 8 && r.name.last == "Кузнецов"));
    assert_eq!(fixed.skipped.len(), 1);
    assert_eq!(
        (fixed.skipped[0].row, fixed.skipped[0].column.as_str()),
        (9, "ОВЗ")
    );
    assert_eq!(fixed.sha256, plain.sha256);

    let r = db
        .import_roster_edited(&path, Some(&fixed.sha256), &choices)
        .unwrap();
    assert_eq!((r.added, r.updated, r.skipped.len()), (5, 0, 1));
    let people = db.participants().unwrap();
    assert_eq!(people.len(), 5);
    assert!(!people.iter().any(|p| p.name.last == "Орлова"));
    assert!(people
        .iter()
        .any(|p| p.name.last == "Кузнецов" && p.class_name == "7А"));
    assert!(people
        .iter()
        .any(|p| p.name.last == "Смирнова" && p.class_name == "8В"));
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "the file is never written"
    );

    // The same file with the same choices again: updated, not doubled.
    let again = db
        .import_roster_edited(&path, Some(&fixed.sha256), &choices)
        .unwrap();
    assert_eq!((again.added, again.updated), (0, 5));
    assert_eq!(db.participants().unwrap().len(), 5);
}

#[test]
fn a_class_fixed_whole_replaces_class_and_letter() {
    let dir = tempfile::tempdir().unwrap();
    let (mut db, path) = setup(dir.path());
    let mut choices = fix_date_skip_orlova();
    // «7» + «б» is a class; typed whole as «7 Г», the letter column goes.
    choices.edits.push(RosterEdit {
        row: 5,
        column: "Класс".into(),
        value: "7 Г".into(),
    });
    db.import_roster_edited(&path, None, &choices).unwrap();
    let elkina = db
        .participants()
        .unwrap()
        .into_iter()
        .find(|p| p.name.last == "Ёлкина")
        .unwrap();
    assert_eq!(elkina.class_name, "7Г");
}

#[test]
fn a_file_changed_since_the_preview_is_refused_and_adds_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (mut db, path) = setup(dir.path());
    let preview = preview_roster(&path).unwrap();
    let mut bytes = std::fs::read(&path).unwrap();
    bytes.extend_from_slice("7;Новиков;Артём;;7;а;01.01.2013;М;нет\r\n".as_bytes());
    std::fs::write(&path, bytes).unwrap();
    let err = db
        .import_roster_edited(&path, Some(&preview.sha256), &fix_date_skip_orlova())
        .unwrap_err();
    assert_eq!(err.code(), "coord_invalid", "{err}");
    assert!(err.to_string().contains("изменился"), "{err}");
    assert!(db.participants().unwrap().is_empty());
}

#[test]
fn a_fix_to_a_row_or_column_the_file_does_not_have_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let (_db, path) = setup(dir.path());
    for (row, column, want) in [
        (4, "Фамилия", "строке 4"),
        (40, "Фамилия", "строке 40"),
        (8, "Школа", "«Школа»"),
    ] {
        let choices = RosterChoices {
            edits: vec![RosterEdit {
                row,
                column: column.into(),
                value: "x".into(),
            }],
            ..Default::default()
        };
        let err = preview_roster_edited(&path, &choices).unwrap_err();
        assert!(err.to_string().contains(want), "{err}");
    }
    // A fix that is still wrong stays a problem at its row and column.
    let choices = RosterChoices {
        edits: vec![RosterEdit {
            row: 8,
            column: "Дата рождения".into(),
            value: "30.02.2013".into(),
        }],
        skip: vec![9],
        ..Default::default()
    };
    let p = preview_roster_edited(&path, &choices).unwrap();
    assert_eq!(p.problems.len(), 1);
    assert_eq!(
        (p.problems[0].row, p.problems[0].column.as_str()),
        (8, "Дата рождения")
    );
}
