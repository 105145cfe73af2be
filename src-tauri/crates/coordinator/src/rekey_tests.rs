//! A database written under the legacy key scheme (64 PBKDF2 bytes, cells
//! without associated data, ОВЗ in a plain column) opens with this build:
//! every cell re-sealed under the HKDF keys in one transaction, names, ОВЗ,
//! staff and the archive key as before, duplicates still found.

use rusqlite::{params, Connection};

use super::*;
use crate::{
    crypto::Scheme, model::util::json, Coordinator, NewParticipant, NewStaff, PersonName, StaffRole,
};

const PASSWORD: &str = "пароль-координатора";

fn person(last: &str, first: &str) -> PersonName {
    PersonName {
        last: last.into(),
        first: first.into(),
        middle: String::new(),
    }
}

/// Rewrite a fresh database the way the previous release wrote it.
fn make_legacy(path: &std::path::Path) {
    let conn = Connection::open(path).unwrap();
    let salt = meta(&conn, "salt").unwrap().unwrap();
    let legacy = Vault::derive(PASSWORD, &salt, 1000, Scheme::Legacy).unwrap();
    conn.execute("DELETE FROM meta WHERE key IN ('kdf', 'cells')", [])
        .unwrap();
    conn.execute(
        "UPDATE meta SET value = ?1 WHERE key = 'check'",
        [legacy.check_value().unwrap()],
    )
    .unwrap();
    conn.execute(
        "UPDATE meta SET value = ?1 WHERE key = 'signing_seed'",
        [legacy.seal(&[0x42u8; 32]).unwrap()],
    )
    .unwrap();
    for (id, last, first, ovz) in [(1i64, "Ёлкина", "Анна", true), (2, "Петров", "Пётр", false)]
    {
        let name = person(last, first);
        conn.execute(
            "UPDATE participants SET name_sealed = ?1, name_index = ?2, special_needs = ?3 WHERE id = ?4",
            params![
                legacy.seal(json(&name).unwrap().as_bytes()).unwrap(),
                legacy.blind_index(&participant_index_input("7А", &name)),
                ovz,
                id
            ],
        )
        .unwrap();
    }
    conn.execute(
        "UPDATE staff SET name_sealed = ?1",
        [legacy
            .seal(json(&person("Сидорова", "Мария")).unwrap().as_bytes())
            .unwrap()],
    )
    .unwrap();
}

#[test]
fn a_legacy_database_is_resealed_on_first_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("coordinator.sqlite");
    let fresh_key;
    {
        let mut db = Coordinator::create_with_iterations(&path, PASSWORD, 1000).unwrap();
        db.upsert_class("7А", 7, "Английский язык").unwrap();
        let p = |last: &str, first: &str| NewParticipant {
            class_name: "7А".into(),
            name: person(last, first),
            sex: String::new(),
            special_needs: false,
            previous_mark: None,
        };
        db.add_participants(&[p("x", "y"), p("z", "w")]).unwrap();
        db.add_staff(&NewStaff {
            role: StaffRole::Expert,
            name: person("x", "y"),
            subjects: vec!["Английский язык".into()],
            teaches_classes: vec![],
            experience_years: 3,
            school_employee: true,
            parent_of_participant: false,
            organization: String::new(),
        })
        .unwrap();
        fresh_key = db.archive_public_key().unwrap();
    }
    make_legacy(&path);
    let expected_key = vpr_integrity::StationKey::from_seed(&[0x42u8; 32])
        .unwrap()
        .public_key()
        .to_hex();
    assert_ne!(fresh_key, expected_key);

    for _ in 0..2 {
        let mut db = Coordinator::open(&path, PASSWORD).unwrap();
        let people = db.participants().unwrap();
        let mut names: Vec<(String, bool)> = people
            .iter()
            .map(|p| (p.name.last.clone(), p.special_needs))
            .collect();
        names.sort();
        assert_eq!(
            names,
            vec![("Ёлкина".to_string(), true), ("Петров".to_string(), false)]
        );
        assert_eq!(db.staff().unwrap()[0].name.last, "Сидорова");
        assert_eq!(db.archive_public_key().unwrap(), expected_key);
        assert_eq!(meta(&db.conn, "kdf").unwrap().as_deref(), Some(SCHEME_V2));
        let plain: i64 = db
            .conn
            .query_row("SELECT SUM(special_needs) FROM participants", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(plain, 0, "ОВЗ no longer in the clear");
        // The recomputed blind index still finds the same person (ё folded).
        let again = NewParticipant {
            class_name: "7А".into(),
            name: person("Елкина", "Анна"),
            sex: String::new(),
            special_needs: false,
            previous_mark: None,
        };
        assert!(matches!(
            db.add_participants(&[again]),
            Err(CoordinatorError::Roster(_))
        ));
    }
    assert!(matches!(
        Coordinator::open(&path, "другой-пароль"),
        Err(CoordinatorError::WrongPassword)
    ));
}

/// A re-seal that fails half way (a cell the old key cannot open) leaves
/// the file as it was: still legacy, still opening nothing.
#[test]
fn a_failed_reseal_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("coordinator.sqlite");
    {
        let mut db = Coordinator::create_with_iterations(&path, PASSWORD, 1000).unwrap();
        db.upsert_class("7А", 7, "").unwrap();
        db.add_participants(&[NewParticipant {
            class_name: "7А".into(),
            name: person("a", "b"),
            sex: String::new(),
            special_needs: false,
            previous_mark: None,
        }])
        .unwrap();
        db.add_staff(&NewStaff {
            role: StaffRole::Organizer,
            name: person("x", "y"),
            subjects: vec![],
            teaches_classes: vec![],
            experience_years: 0,
            school_employee: true,
            parent_of_participant: false,
            organization: String::new(),
        })
        .unwrap();
        db.archive_public_key().unwrap();
    }
    make_legacy(&path);
    let conn = Connection::open(&path).unwrap();
    conn.execute("UPDATE staff SET name_sealed = x'00112233'", [])
        .unwrap();
    let before: Vec<u8> = conn
        .query_row("SELECT name_sealed FROM participants", [], |r| r.get(0))
        .unwrap();
    drop(conn);
    assert!(matches!(
        Coordinator::open(&path, PASSWORD),
        Err(CoordinatorError::Corrupt(_))
    ));
    let conn = Connection::open(&path).unwrap();
    let after: Vec<u8> = conn
        .query_row("SELECT name_sealed FROM participants", [], |r| r.get(0))
        .unwrap();
    assert_eq!(before, after);
    assert_eq!(meta(&conn, "kdf").unwrap(), None);
}

/// A V2 file written before staff names were bound to their rows (sealed
/// without associated data, no `meta.cells`) opens, its names intact, and
/// is bound from then on: a name moved to another row no longer opens.
#[test]
fn staff_names_of_an_unbound_v2_file_are_bound_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("coordinator.sqlite");
    let organizer = |last: &str| NewStaff {
        role: StaffRole::Organizer,
        name: person(last, "Мария"),
        subjects: vec![],
        teaches_classes: vec![],
        experience_years: 0,
        school_employee: true,
        parent_of_participant: false,
        organization: String::new(),
    };
    {
        let db = Coordinator::create_with_iterations(&path, PASSWORD, 1000).unwrap();
        db.add_staff(&organizer("Сидорова")).unwrap();
        db.add_staff(&organizer("Кузнецова")).unwrap();
    }
    {
        // As the earlier V2 code wrote it.
        let conn = Connection::open(&path).unwrap();
        let salt = meta(&conn, "salt").unwrap().unwrap();
        let v2 = Vault::derive(PASSWORD, &salt, 1000, Scheme::V2).unwrap();
        for (id, last) in [(1i64, "Сидорова"), (2, "Кузнецова")] {
            conn.execute(
                "UPDATE staff SET name_sealed = ?1 WHERE id = ?2",
                params![
                    v2.seal(json(&person(last, "Мария")).unwrap().as_bytes())
                        .unwrap(),
                    id
                ],
            )
            .unwrap();
        }
        conn.execute("DELETE FROM meta WHERE key = 'cells'", [])
            .unwrap();
    }
    {
        let db = Coordinator::open(&path, PASSWORD).unwrap();
        let names: Vec<String> = db
            .staff()
            .unwrap()
            .into_iter()
            .map(|s| s.name.last)
            .collect();
        assert_eq!(names, ["Сидорова", "Кузнецова"]);
    }
    let conn = Connection::open(&path).unwrap();
    assert_eq!(meta(&conn, "cells").unwrap().as_deref(), Some(CELLS_BOUND));
    conn.execute(
        "UPDATE staff SET name_sealed = (SELECT name_sealed FROM staff WHERE id = 2) WHERE id = 1",
        [],
    )
    .unwrap();
    drop(conn);
    let db = Coordinator::open(&path, PASSWORD).unwrap();
    let err = db.staff().unwrap_err();
    assert!(
        err.to_string().contains("staff.name_sealed в записи №1"),
        "{err}"
    );
}
