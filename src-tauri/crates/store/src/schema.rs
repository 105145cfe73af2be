//! The station database's migrations (`migrations/*.sql`), run by the one
//! runner of the product ([`vpr_sql`]): each step in one transaction with its
//! schema version (`PRAGMA user_version`); a database written by a newer
//! binary is refused before anything is changed.

use rusqlite::Connection;
use vpr_sql::{Migration, Schema, SqlError};

use crate::{Result, StoreError};

pub(crate) const MIGRATIONS: &[Migration] = &[
    vpr_sql::migration!(1, "0001_init.sql"),
    vpr_sql::migration!(2, "0002_session_custody.sql"),
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: u32 = 2;

const WHAT: &str = "база станции";

fn store_error(e: SqlError) -> StoreError {
    match e {
        SqlError::Newer {
            found, supported, ..
        } => StoreError::NewerSchema { found, supported },
        SqlError::Migration {
            version, source, ..
        } => StoreError::Migration { version, source },
        SqlError::Sqlite(e) => StoreError::Sqlite(e),
        other => StoreError::Corrupt(other.to_string()),
    }
}

/// The file's schema version (tests read it).
#[cfg(test)]
pub(crate) fn schema_version(conn: &Connection) -> Result<u32> {
    vpr_sql::user_version(conn).map_err(store_error)
}

/// Refuse a database from a newer build without touching it.
pub(crate) fn refuse_newer(conn: &Connection, migrations: &'static [Migration]) -> Result<()> {
    Schema::new(WHAT, migrations)
        .refuse_newer(conn)
        .map(drop)
        .map_err(store_error)
}

/// Bring the schema up to the last of `migrations`, one transaction per
/// step: a failing step leaves the database at the version before it.
pub(crate) fn migrate(conn: &mut Connection, migrations: &'static [Migration]) -> Result<u32> {
    Schema::new(WHAT, migrations)
        .migrate(conn)
        .map_err(store_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_migrations_folder_is_the_embedded_list() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
        Schema::new(WHAT, MIGRATIONS).check_files(&dir).unwrap();
        assert_eq!(Schema::new(WHAT, MIGRATIONS).latest(), SCHEMA_VERSION);
    }

    static BROKEN: &[Migration] = &[
        MIGRATIONS[0],
        MIGRATIONS[1],
        Migration {
            version: 3,
            name: "0003_broken.sql",
            sql: "CREATE TABLE extra(x INTEGER); ALTER TABLE journal ADD COLUMN y INTEGER; \
                  THIS IS NOT SQL;",
        },
    ];

    #[test]
    fn failed_migration_leaves_the_old_schema_intact() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        let mut conn = Connection::open(&path).unwrap();
        assert_eq!(migrate(&mut conn, MIGRATIONS).unwrap(), 2);
        conn.execute(
            "INSERT INTO journal(seq, kind, body, prev, hash) VALUES (1, 'x', '{}', zeroblob(32), zeroblob(32))",
            [],
        )
        .unwrap();
        let err = migrate(&mut conn, BROKEN).unwrap_err();
        assert!(
            matches!(err, StoreError::Migration { version: 3, .. }),
            "{err:?}"
        );
        assert_eq!(schema_version(&conn).unwrap(), 2);
        let extra: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name = 'extra'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(extra, 0, "half of a failed migration must not stay");
        let rows: i64 = conn
            .query_row("SELECT count(*) FROM journal", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, 1);
        // Re-running the good migrations is a no-op.
        assert_eq!(migrate(&mut conn, MIGRATIONS).unwrap(), 2);
    }
}
