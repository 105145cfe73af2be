#![allow(clippy::unwrap_used)]
//! Rosters as schools have them (issue 13): a cp1251 `;` CSV saved by
//! Russian Excel with title rows, a UTF-8-BOM CSV with one «ФИО» column and
//! classes written every way, an XLSX with a merged title row above the
//! header and real date cells. Problems are reported by the file's own row
//! and column name; re-import updates; invalid rows can be skipped.

use std::path::Path;

use vpr_coordinator::{roster::read_roster, Coordinator, CoordinatorError};

fn new_db(dir: &Path) -> Coordinator {
    Coordinator::create_with_iterations(
        &dir.join("coordinator.sqlite"),
        "пароль-координатора",
        1000,
    )
    .unwrap()
}

const EXCEL_CP1251: &str = "Список обучающихся 7-х классов;;;;;;;;\r\n\
МБОУ СОШ № 1;;;;;;;;\r\n\
;;;;;;;;\r\n\
№;Фамилия;Имя;Отчество;Класс;Литера;Дата рождения;Пол;ОВЗ\r\n\
1;Ёлкина;Анна;Сергеевна;7;б;01.09.2013;ж;нет\r\n\
2;Петров;Пётр;;7;Б;12.3.2013;м;да\r\n\
3;=Сумм;Олег;;7;а;2013-02-28;М;\r\n\
4;Кузнецов;Иван;;7;а;31.02.2013;М;нет\r\n\
5;Орлова;Ольга;;7;в;05.05.2013;Ж;может быть\r\n";

fn write_cp1251(path: &Path) {
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1251.encode(EXCEL_CP1251);
    assert!(!unmappable);
    assert!(std::str::from_utf8(&bytes).is_err(), "really not UTF-8");
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn a_cp1251_excel_csv_with_title_rows_reports_problems_by_file_row() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("список.csv");
    write_cp1251(&path);
    let Err(CoordinatorError::Roster(issues)) = read_roster(&path) else {
        panic!("rows 8 and 9 have problems")
    };
    let found: Vec<(u32, &str)> = issues.iter().map(|i| (i.row, i.column.as_str())).collect();
    assert_eq!(found, vec![(8, "Дата рождения"), (9, "ОВЗ")], "{issues:?}");

    // --skip-invalid: the valid rows go in, the rest are listed by row.
    let mut db = new_db(dir.path());
    let r = db.import_roster_skipping_invalid(&path).unwrap();
    assert_eq!((r.added, r.updated), (3, 0));
    assert_eq!(r.skipped.len(), 2);
    assert_eq!(r.classes, vec!["7Б".to_string(), "7А".to_string()]);
    let people = db.participants().unwrap();
    let elkina = people.iter().find(|p| p.name.last == "Ёлкина").unwrap();
    assert_eq!(elkina.class_name, "7Б");
    assert_eq!(elkina.name.middle, "Сергеевна");
    assert_eq!(elkina.sex, "Ж");
    assert!(people
        .iter()
        .any(|p| p.name.last == "Петров" && p.special_needs));
    // A name that starts with «=» is kept as the name.
    assert!(people.iter().any(|p| p.name.last == "=Сумм"));
    assert_eq!(
        db.classes().unwrap().len(),
        2,
        "«7 б» and «7Б» are one class"
    );

    // The same file again updates, never doubles.
    let again = db.import_roster_skipping_invalid(&path).unwrap();
    assert_eq!((again.added, again.updated), (0, 3));
    assert_eq!(db.participants().unwrap().len(), 3);
}

#[test]
fn a_utf8_bom_csv_with_one_fio_column_and_classes_written_every_way() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("7 классы.csv");
    let text = "\u{feff}Ф.И.О.,Класс,Пол,Дата рождения\n\
\"Смирнова Мария Ивановна\",7 Б,Ж,03.04.2013\n\
Васильев Игорь,7-б,М,\n\
Ли Вэй,7б,М,\n\
\"+Плюсов Павел\",7 А,М,\n";
    std::fs::write(&path, text).unwrap();
    let mut db = new_db(dir.path());
    let r = db.import_roster(&path).unwrap();
    assert_eq!(r.added, 4);
    assert_eq!(r.classes, vec!["7Б".to_string(), "7А".to_string()]);
    let people = db.participants().unwrap();
    let m = people.iter().find(|p| p.name.last == "Смирнова").unwrap();
    assert_eq!(
        (m.name.first.as_str(), m.name.middle.as_str()),
        ("Мария", "Ивановна")
    );
    assert!(people.iter().any(|p| p.name.last == "+Плюсов"));
    assert_eq!(people.iter().filter(|p| p.class_name == "7Б").count(), 3);

    // An edited file: one name fixed (ё for е), one sex changed → updated.
    std::fs::write(
        &path,
        text.replace("Васильев Игорь,7-б,М", "Васильев Игорь,7-б,Ж"),
    )
    .unwrap();
    let r = db.import_roster(&path).unwrap();
    assert_eq!((r.added, r.updated), (0, 4));
    let v = db
        .participants()
        .unwrap()
        .into_iter()
        .find(|p| p.name.last == "Васильев")
        .unwrap();
    assert_eq!(v.sex, "Ж");

    // A name with no first name in «ФИО» is named by the file's column.
    std::fs::write(&path, "\u{feff}Ф.И.О.,Класс\nОдинокий,7А\n").unwrap();
    let Err(CoordinatorError::Roster(issues)) = read_roster(&path) else {
        panic!()
    };
    assert_eq!((issues[0].row, issues[0].column.as_str()), (2, "Ф.И.О."));
}

#[test]
fn an_xlsx_with_a_merged_title_row_and_date_cells() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("roster.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    let title = rust_xlsxwriter::Format::new().set_bold();
    ws.merge_range(0, 0, 0, 5, "Список участников ВПР, 7 классы", &title)
        .unwrap();
    for (c, h) in [
        "Класс",
        "Фамилия",
        "Имя",
        "Отчество",
        "Дата рождения",
        "ОВЗ",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(2, c as u16, *h).unwrap();
    }
    let date = rust_xlsxwriter::Format::new().set_num_format("dd.mm.yyyy");
    let rows = [
        ("7 а", "Абрамова", "Алиса", "Игоревна", 41_518.0, "нет"),
        ("7а", "Белов", "Борис", "", 41_600.0, "да"),
        ("7 А", "Волков", "Виктор", "", 1.0, "нет"),
    ];
    for (i, (class, last, first, middle, born, ovz)) in rows.iter().enumerate() {
        let r = 3 + i as u32;
        ws.write_string(r, 0, *class).unwrap();
        ws.write_string(r, 1, *last).unwrap();
        ws.write_string(r, 2, *first).unwrap();
        ws.write_string(r, 3, *middle).unwrap();
        ws.write_number_with_format(r, 4, *born, &date).unwrap();
        ws.write_string(r, 5, *ovz).unwrap();
    }
    wb.save(&path).unwrap();
    let Err(CoordinatorError::Roster(issues)) = read_roster(&path) else {
        panic!("1900 is not a birth date")
    };
    assert_eq!(issues.len(), 1, "{issues:?}");
    assert_eq!(
        (issues[0].row, issues[0].column.as_str()),
        (6, "Дата рождения")
    );
    let mut db = new_db(dir.path());
    let r = db.import_roster_skipping_invalid(&path).unwrap();
    assert_eq!(r.added, 2);
    assert_eq!(r.classes, vec!["7А".to_string()]);
    assert_eq!(r.skipped[0].row, 6);
}
