#![allow(clippy::unwrap_used)]

mod common;

use std::collections::HashSet;

use common::*;
use vpr_coordinator::{
    Coordinator, CoordinatorError, NewParticipant, NewStaff, NewWork, PersonName, StaffRole,
};

fn sample_work() -> NewWork {
    serde_json::from_str(
        r#"{"subject":"Английский язык","grade":7,"date":"2026-04-14","reserve_dates":["2026-04-21"],
        "upload_deadline":"2026-04-18","spec":{"stations_per_room":4,
        "marks":[{"min_total":0,"mark":2},{"min_total":13,"mark":3}],
        "tasks":[{"number":1,"title":"Аудирование","oral":false,"items":[{"id":"1.1","points":1}]},
                 {"number":2,"title":"Чтение вслух","oral":true,"criteria":[{"id":"К1","name":"Фонетика","max_points":2,"description":""}]}]}}"#,
    )
    .unwrap()
}

#[test]
fn csv_roster_gets_unique_codes_and_names_are_sealed() {
    let dir = tempfile::tempdir().unwrap();
    let mut db = new_db(dir.path());
    let report = db.import_roster(&fixtures().join("roster.csv")).unwrap();
    assert_eq!(report.added, 20);
    assert_eq!(report.classes, vec!["7А".to_string(), "7Б".to_string()]);
    let people = db.participants().unwrap();
    assert_eq!(people.len(), 20);
    let codes: HashSet<u32> = people.iter().map(|p| p.code).collect();
    assert_eq!(codes.len(), 20, "codes are unique");
    assert!(codes.iter().all(|c| (10_000..=99_999).contains(c)));
    let tricky = people
        .iter()
        .find(|p| p.name.last.starts_with("=HYPERLINK"))
        .unwrap();
    assert_eq!(
        tricky.name.last,
        r#"=HYPERLINK("http://example.invalid";"Вадим")"#
    );
    assert!(people.iter().any(|p| p.name.first == "Нина; Мария"));
    assert!(people.iter().any(|p| p.name.last == "О'Коннор"));
    let classes = db.classes().unwrap();
    assert_eq!(classes[1].foreign_language, "немецкий");
    drop(db);
    // No name is in the database files in the clear.
    assert_no_names(dir.path(), &roster_name_parts());
    // A wrong password opens nothing; the right one reads the names back.
    let path = dir.path().join("coordinator.sqlite");
    assert!(matches!(
        Coordinator::open(&path, "не тот пароль"),
        Err(CoordinatorError::WrongPassword)
    ));
    let db = Coordinator::open(&path, PASSWORD).unwrap();
    assert_eq!(db.participants().unwrap().len(), 20);
}

#[test]
fn xlsx_roster_reads_like_csv() {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("roster.xlsx");
    roster_as_xlsx(&xlsx);
    let rows = vpr_coordinator::roster::read_roster(&xlsx).unwrap();
    let csv = vpr_coordinator::roster::read_roster(&fixtures().join("roster.csv")).unwrap();
    assert_eq!(rows, csv);
    assert_eq!(rows[0].participant.previous_mark, Some(5));
    // The committed sample workbook reads the same.
    assert_eq!(
        vpr_coordinator::roster::read_roster(&fixtures().join("roster.xlsx")).unwrap(),
        csv
    );
}

#[test]
fn bad_rosters_name_row_and_column_and_add_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut db = new_db(dir.path());
    let Err(CoordinatorError::Roster(issues)) = db.import_roster(&fixtures().join("bad.csv"))
    else {
        panic!("bad roster accepted")
    };
    let has = |row: u32, col: &str| issues.iter().any(|i| i.row == row && i.column == col);
    assert!(has(3, "Класс"), "{issues:?}");
    assert!(has(4, "Фамилия"));
    assert!(has(5, "Фамилия"));
    assert!(has(6, "Класс"));
    assert!(has(7, "Имя") && has(7, "Пол") && has(7, "ОВЗ") && has(7, "Отметка"));
    assert!(!issues.iter().any(|i| i.row == 2), "row 2 is fine");
    let Err(CoordinatorError::Roster(issues)) =
        db.import_roster(&fixtures().join("no_class_column.csv"))
    else {
        panic!("roster without class accepted")
    };
    assert_eq!(issues[0].column, "Класс");
    assert!(matches!(
        db.import_roster(&fixtures().join("duplicates.csv")),
        Err(CoordinatorError::Roster(_))
    ));
    assert!(db.participants().unwrap().is_empty());
    assert!(
        db.classes().unwrap().is_empty(),
        "a refused file creates no class"
    );
    // Messages never carry a name.
    let msg = db
        .import_roster(&fixtures().join("duplicates.csv"))
        .unwrap_err()
        .to_string();
    assert!(!msg.contains("Юдин"), "{msg}");
}

#[test]
fn reimport_updates_and_codes_are_never_reused() {
    let dir = tempfile::tempdir().unwrap();
    let mut db = new_db(dir.path());
    db.import_roster(&fixtures().join("roster.csv")).unwrap();
    let codes_before: HashSet<u32> = db.participants().unwrap().iter().map(|p| p.code).collect();
    let again = db.import_roster(&fixtures().join("roster.csv")).unwrap();
    assert_eq!((again.added, again.updated), (0, 20));
    let codes_after: HashSet<u32> = db.participants().unwrap().iter().map(|p| p.code).collect();
    assert_eq!(codes_before, codes_after, "an update keeps every code");
    assert_eq!(
        db.participants().unwrap().len(),
        20,
        "nothing lost, nothing doubled"
    );
    let gone = db.participants().unwrap()[0].clone();
    db.delete_participant(gone.id).unwrap();
    // Same person again: a new code, never the old one.
    let new = NewParticipant {
        class_name: gone.class_name.clone(),
        name: gone.name.clone(),
        sex: String::new(),
        special_needs: false,
        previous_mark: None,
    };
    let codes = db.add_participants(&[new]).unwrap();
    assert_ne!(codes[0], gone.code);
    let many: Vec<NewParticipant> = (0..2000)
        .map(|i| NewParticipant {
            class_name: "7Б".into(),
            name: PersonName {
                last: format!("Тестов{i}"),
                first: "Тест".into(),
                middle: String::new(),
            },
            sex: String::new(),
            special_needs: false,
            previous_mark: None,
        })
        .collect();
    let codes = db.add_participants(&many).unwrap();
    assert!(!codes.contains(&gone.code));
    let all: HashSet<u32> = db.participants().unwrap().iter().map(|p| p.code).collect();
    assert_eq!(all.len(), 2020);
}

#[test]
fn staff_rules_and_absences() {
    let dir = tempfile::tempdir().unwrap();
    let mut db = new_db(dir.path());
    db.import_roster(&fixtures().join("roster.csv")).unwrap();
    let work = db.add_work(&sample_work()).unwrap();
    let person =
        |role, employee, parent, years: u32, subjects: &[&str], classes: &[&str]| NewStaff {
            role,
            name: PersonName {
                last: "Сотрудникова".into(),
                first: "Светлана".into(),
                middle: String::new(),
            },
            subjects: subjects.iter().map(|s| s.to_string()).collect(),
            teaches_classes: classes.iter().map(|s| s.to_string()).collect(),
            experience_years: years,
            school_employee: employee,
            parent_of_participant: parent,
            organization: String::new(),
        };
    assert!(db
        .add_staff(&person(StaffRole::Observer, true, false, 0, &[], &[]))
        .is_err());
    assert!(db
        .add_staff(&person(StaffRole::Observer, false, true, 0, &[], &[]))
        .is_err());
    db.add_staff(&person(StaffRole::Observer, false, false, 0, &[], &[]))
        .unwrap();
    assert!(db
        .add_staff(&person(
            StaffRole::Expert,
            true,
            false,
            0,
            &["Английский язык"],
            &[]
        ))
        .is_err());
    assert!(db
        .add_staff(&person(StaffRole::Expert, true, false, 3, &[], &[]))
        .is_err());
    db.add_staff(&person(
        StaffRole::Expert,
        true,
        false,
        1,
        &["Английский язык"],
        &[],
    ))
    .unwrap();
    let org = db
        .add_staff(&person(
            StaffRole::Organizer,
            true,
            false,
            5,
            &["Английский язык"],
            &["7А"],
        ))
        .unwrap();
    let calm = db
        .add_staff(&person(
            StaffRole::Organizer,
            true,
            false,
            5,
            &["Физика"],
            &["9В"],
        ))
        .unwrap();
    let room = db.add_room("Кабинет 21").unwrap();
    let slots = db.seat_all(work, room, "09:00", 45).unwrap();
    assert_eq!(slots.len(), 5, "20 participants, 4 stations at once");
    let warnings = db.assign_organizer(org, work, room).unwrap();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(db.assign_organizer(calm, work, room).unwrap().is_empty());
    let staff_text = format!("{warnings:?}");
    assert!(!staff_text.contains("Сотрудникова"));
    // Absence and the move to the reserve day.
    let p = db.participants().unwrap()[3].clone();
    assert!(db
        .record_absence(work, p.id, "болезнь", "справка", Some("2026-05-30"))
        .is_err());
    db.record_absence(work, p.id, "болезнь", "справка №12", Some("2026-04-21"))
        .unwrap();
    let absences = db.absences(work).unwrap();
    assert_eq!(absences.len(), 1);
    assert_eq!(absences[0].code, p.code);
    assert_eq!(absences[0].reserve_date.as_deref(), Some("2026-04-21"));
    assert_eq!(absences[0].reason, "болезнь");
    assert_eq!(absences[0].document, "справка №12");
    // The reason and the document are sealed at rest like names.
    assert_no_names(
        dir.path(),
        &["справка №12".to_string(), "болезнь".to_string()],
    );
    let seated: usize = db
        .seating(work, room)
        .unwrap()
        .iter()
        .map(|(_, ps)| ps.len())
        .sum();
    assert_eq!(seated, 19, "the absent participant leaves the seating");
    // Retention: not before a year has passed, and only when confirmed.
    assert_eq!(db.retention_due().unwrap().as_deref(), Some("2027-04-14"));
    assert!(matches!(
        db.purge_expired("2026-12-01", true),
        Err(CoordinatorError::RetentionNotDue(_))
    ));
    assert!(matches!(
        db.purge_expired("2027-04-15", false),
        Err(CoordinatorError::NotConfirmed)
    ));
    db.purge_expired("2027-04-15", true).unwrap();
    assert!(db.participants().unwrap().is_empty());
    assert!(db.staff().unwrap().is_empty());
}
