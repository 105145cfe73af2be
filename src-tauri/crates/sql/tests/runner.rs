//! The runner on real SQLite files.

#![allow(clippy::unwrap_used)]

use rusqlite::Connection;
use vpr_sql::{user_version, Migration, Schema, SqlError};

const M1: Migration = Migration {
    version: 1,
    name: "0001_init.sql",
    sql: "CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT NOT NULL);",
};
const M2: Migration = Migration {
    version: 2,
    name: "0002_rooms.sql",
    sql: "CREATE TABLE rooms (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
          ALTER TABLE people ADD COLUMN room_id INTEGER REFERENCES rooms(id);",
};
/// Creates a table, changes another, then fails: none of it may stay.
const BROKEN3: Migration = Migration {
    version: 3,
    name: "0003_broken.sql",
    sql: "CREATE TABLE extra (x INTEGER);
          ALTER TABLE people ADD COLUMN age INTEGER;
          INSERT INTO people (name) VALUES ('half');
          THIS IS NOT SQL;",
};

static ONE: &[Migration] = &[M1];
static TWO: &[Migration] = &[M1, M2];
static BROKEN: &[Migration] = &[M1, M2, BROKEN3];
static GAP: &[Migration] = &[M1, BROKEN3];

fn table_exists(c: &Connection, name: &str) -> bool {
    c.query_row(
        "SELECT count(*) FROM sqlite_master WHERE name = ?1",
        [name],
        |r| r.get::<_, i64>(0),
    )
    .unwrap()
        == 1
}

fn columns(c: &Connection, table: &str) -> Vec<String> {
    let mut st = c
        .prepare(&format!("SELECT name FROM pragma_table_info('{table}')"))
        .unwrap();
    st.query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn a_new_file_gets_every_migration_and_durable_pragmas() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.db");
    let conn = Schema::new("тестовая база", TWO).open(&path).unwrap();
    assert_eq!(user_version(&conn).unwrap(), 2);
    assert!(table_exists(&conn, "rooms"));
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    let sync: i64 = conn
        .query_row("PRAGMA synchronous", [], |r| r.get(0))
        .unwrap();
    let fk: i64 = conn
        .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
        .unwrap();
    assert_eq!((mode.as_str(), sync, fk), ("wal", 2, 1));
    drop(conn);
    // Reopening runs nothing again.
    let conn = Schema::new("тестовая база", TWO).open(&path).unwrap();
    assert_eq!(user_version(&conn).unwrap(), 2);
}

#[test]
fn an_old_file_is_brought_up_step_by_step_keeping_its_rows() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    let conn = Schema::new("тестовая база", ONE).open(&path).unwrap();
    conn.execute("INSERT INTO people (name) VALUES ('Иванов')", [])
        .unwrap();
    drop(conn);
    let conn = Schema::new("тестовая база", TWO).open(&path).unwrap();
    assert_eq!(user_version(&conn).unwrap(), 2);
    assert!(columns(&conn, "people").contains(&"room_id".to_string()));
    let name: String = conn
        .query_row("SELECT name FROM people", [], |r| r.get(0))
        .unwrap();
    assert_eq!(name, "Иванов");
}

#[test]
fn a_newer_file_is_refused_untouched_with_a_russian_message() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("newer.db");
    drop(Schema::new("база координатора", TWO).open(&path).unwrap());
    // Checkpoint so the main file holds everything, then compare its bytes.
    {
        let c = Connection::open(&path).unwrap();
        c.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);").unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let err = Schema::new("база координатора", ONE)
        .open(&path)
        .unwrap_err();
    assert!(
        matches!(
            err,
            SqlError::Newer {
                found: 2,
                supported: 1,
                ..
            }
        ),
        "{err:?}"
    );
    let text = err.to_string();
    assert!(text.starts_with("база координатора"), "{text}");
    assert!(text.contains("более новой версией программы"), "{text}");
    assert_eq!(vpr_error::Coded::code(&err), "sql_newer_schema");
    assert_eq!(std::fs::read(&path).unwrap(), before, "nothing written");
    // migrate() refuses the same way on an already open connection.
    let mut c = Connection::open(&path).unwrap();
    assert!(matches!(
        Schema::new("база координатора", ONE).migrate(&mut c),
        Err(SqlError::Newer { .. })
    ));
}

#[test]
fn a_failing_migration_leaves_the_file_at_the_version_before_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fail.db");
    let conn = Schema::new("тестовая база", ONE).open(&path).unwrap();
    conn.execute("INSERT INTO people (name) VALUES ('Петров')", [])
        .unwrap();
    drop(conn);
    // From version 1: step 2 commits on its own, step 3 fails and leaves nothing.
    let err = Schema::new("тестовая база", BROKEN)
        .open(&path)
        .unwrap_err();
    assert!(
        matches!(
            err,
            SqlError::Migration {
                version: 3,
                kept: 2,
                name: "0003_broken.sql",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("оставлена на версии 2"), "{err}");
    let conn = Connection::open(&path).unwrap();
    assert_eq!(user_version(&conn).unwrap(), 2);
    assert!(table_exists(&conn, "rooms"), "step 2 committed");
    assert!(!table_exists(&conn, "extra"), "no half of step 3");
    assert!(!columns(&conn, "people").contains(&"age".to_string()));
    let names: i64 = conn
        .query_row("SELECT count(*) FROM people", [], |r| r.get(0))
        .unwrap();
    assert_eq!(names, 1);
    drop(conn);
    // The good list still opens it.
    let conn = Schema::new("тестовая база", TWO).open(&path).unwrap();
    assert_eq!(user_version(&conn).unwrap(), 2);
}

#[test]
fn a_list_with_a_gap_is_refused_before_running() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gap.db");
    let err = Schema::new("тестовая база", GAP).open(&path).unwrap_err();
    assert!(matches!(err, SqlError::BadList { .. }), "{err:?}");
    let conn = Connection::open(&path).unwrap();
    assert_eq!(user_version(&conn).unwrap(), 0);
    assert!(!table_exists(&conn, "people"));
}

#[test]
fn check_files_compares_the_folder_with_the_list() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("0001_init.sql"), M1.sql).unwrap();
    Schema::new("тестовая база", ONE)
        .check_files(dir.path())
        .unwrap();
    std::fs::write(dir.path().join("0002_rooms.sql"), M2.sql).unwrap();
    assert!(Schema::new("тестовая база", ONE)
        .check_files(dir.path())
        .is_err());
    Schema::new("тестовая база", TWO)
        .check_files(dir.path())
        .unwrap();
    std::fs::write(dir.path().join("0002_rooms.sql"), "-- changed").unwrap();
    assert!(Schema::new("тестовая база", TWO)
        .check_files(dir.path())
        .is_err());
}
