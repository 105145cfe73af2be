#![allow(clippy::unwrap_used)]
//! The coordinator's data at rest, checked on the real SQLite file: sealed
//! names moved between rows are refused, an iteration count from the file
//! is bounded before hashing, and the files are owner-only.

use rusqlite::{params, Connection};
use vpr_coordinator::{
    Coordinator, CoordinatorError, CoordinatorLayout, NewParticipant, PersonName,
};

const PASSWORD: &str = "пароль-координатора";

fn new_db(dir: &std::path::Path) -> Coordinator {
    Coordinator::create_with_iterations(&dir.join("coordinator.sqlite"), PASSWORD, 1_000).unwrap()
}

fn person(last: &str, first: &str, ovz: bool) -> NewParticipant {
    NewParticipant {
        class_name: "7А".into(),
        name: PersonName {
            last: last.into(),
            first: first.into(),
            middle: String::new(),
        },
        sex: String::new(),
        special_needs: ovz,
        previous_mark: None,
    }
}

fn two_people(db: &mut Coordinator) {
    db.upsert_class("7А", 7, "Английский язык").unwrap();
    db.add_participants(&[
        person("Иванов", "Иван", false),
        person("Петрова", "Анна", true),
    ])
    .unwrap();
}

#[test]
fn sealed_names_swapped_between_rows_are_detected() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("coordinator.sqlite");
    {
        let mut db = new_db(dir.path());
        two_people(&mut db);
    }
    {
        let c = Connection::open(&path).unwrap();
        let cells: Vec<(i64, Vec<u8>)> = c
            .prepare("SELECT id, name_sealed FROM participants ORDER BY id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(cells.len(), 2);
        for (i, (id, _)) in cells.iter().enumerate() {
            c.execute(
                "UPDATE participants SET name_sealed = ?1 WHERE id = ?2",
                params![cells[1 - i].1, id],
            )
            .unwrap();
        }
        // ОВЗ is not in the clear any more.
        let plain: i64 = c
            .query_row("SELECT SUM(special_needs) FROM participants", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(plain, 0);
    }
    let db = Coordinator::open(&path, PASSWORD).unwrap();
    let err = db.participants().unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, CoordinatorError::Corrupt(_)), "{err:?}");
    assert!(msg.contains("participants.name_sealed в записи №"), "{msg}");
    assert!(!msg.contains("Иванов") && !msg.contains("Петрова"), "{msg}");
}

#[test]
fn an_iteration_count_above_the_cap_is_refused_before_hashing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("coordinator.sqlite");
    drop(new_db(dir.path()));
    {
        let c = Connection::open(&path).unwrap();
        c.execute(
            "UPDATE meta SET value = ?1 WHERE key = 'iterations'",
            [u32::MAX.to_le_bytes().to_vec()],
        )
        .unwrap();
    }
    let t = std::time::Instant::now();
    let err = Coordinator::open(&path, PASSWORD).unwrap_err();
    assert!(matches!(err, CoordinatorError::Corrupt(_)), "{err:?}");
    assert!(err.to_string().contains("4294967295"), "{err}");
    // Hashing u32::MAX iterations would take hours.
    assert!(t.elapsed() < std::time::Duration::from_secs(30));
}

#[cfg(unix)]
#[test]
fn database_wal_and_bundle_files_are_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("coord");
    std::fs::create_dir(&root).unwrap();
    std::fs::set_permissions(&root, std::fs::Permissions::from_mode(0o755)).unwrap();
    let layout = CoordinatorLayout::new(&root);
    {
        let mut db =
            Coordinator::create_with_iterations(layout.database(), PASSWORD, 1000).unwrap();
        two_people(&mut db);
        let wal = root.join("coordinator.sqlite-wal");
        assert!(wal.is_file(), "WAL mode keeps a -wal file while open");
        assert_eq!(mode(&wal), 0o600);
        assert_eq!(mode(&root.join("coordinator.sqlite-shm")), 0o600);
    }
    assert_eq!(mode(layout.database()), 0o600);
    assert_eq!(mode(&root), 0o700);
    // A bundle folder written with the system's defaults is tightened when
    // the database is opened again (and by `secure_files` after an import).
    let bundle = root.join("bundles/0123456789abcdef/audio");
    std::fs::create_dir_all(&bundle).unwrap();
    std::fs::write(bundle.join("1.wav"), b"RIFF").unwrap();
    std::fs::set_permissions(&bundle, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(bundle.join("1.wav"), std::fs::Permissions::from_mode(0o644)).unwrap();
    std::fs::set_permissions(&root, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(layout.database(), std::fs::Permissions::from_mode(0o644)).unwrap();
    let db = Coordinator::open_in(&layout, PASSWORD).unwrap();
    assert_eq!(mode(layout.database()), 0o600);
    assert_eq!(mode(&root), 0o700);
    assert_eq!(mode(&root.join("bundles")), 0o700);
    assert_eq!(mode(&bundle), 0o700);
    assert_eq!(mode(&bundle.join("1.wav")), 0o600);
    std::fs::set_permissions(bundle.join("1.wav"), std::fs::Permissions::from_mode(0o644)).unwrap();
    db.secure_files().unwrap();
    assert_eq!(mode(&bundle.join("1.wav")), 0o600);
}
