//! Embedded migrations, run in one transaction with the schema version
//! (`PRAGMA user_version`); a database written by a newer binary is refused
//! before anything is changed.

use rusqlite::{Connection, TransactionBehavior};

use crate::{Result, StoreError};

pub(crate) struct Migration {
    pub version: u32,
    pub sql: &'static str,
}

pub(crate) const MIGRATIONS: &[Migration] = &[Migration {
    version: 1,
    sql: include_str!("../migrations/0001_init.sql"),
}];

/// The schema version this build writes.
pub const SCHEMA_VERSION: u32 = 1;

pub(crate) fn schema_version(conn: &Connection) -> Result<u32> {
    let v: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    u32::try_from(v).map_err(|_| StoreError::Corrupt(format!("версия схемы {v}")))
}

/// Refuse a database from a newer build without touching it.
pub(crate) fn refuse_newer(conn: &Connection, migrations: &[Migration]) -> Result<()> {
    let latest = migrations.last().map_or(0, |m| m.version);
    let found = schema_version(conn)?;
    if found > latest {
        return Err(StoreError::NewerSchema {
            found,
            supported: latest,
        });
    }
    Ok(())
}

/// Bring the schema up to the last of `migrations` in a single transaction:
/// either every step and the new version are committed, or nothing is.
pub(crate) fn migrate(conn: &mut Connection, migrations: &[Migration]) -> Result<u32> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    refuse_newer(&tx, migrations)?;
    let found = schema_version(&tx)?;
    let mut current = found;
    for m in migrations.iter().filter(|m| m.version > found) {
        tx.execute_batch(m.sql)
            .map_err(|source| StoreError::Migration {
                version: m.version,
                source,
            })?;
        current = m.version;
    }
    tx.pragma_update(None, "user_version", current)?;
    tx.commit()?;
    Ok(current)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failed_migration_leaves_the_old_schema_intact() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        let mut conn = Connection::open(&path).unwrap();
        assert_eq!(migrate(&mut conn, MIGRATIONS).unwrap(), 1);
        conn.execute(
            "INSERT INTO journal(seq, kind, body, prev, hash) VALUES (1, 'x', '{}', zeroblob(32), zeroblob(32))",
            [],
        )
        .unwrap();
        let broken = [
            Migration {
                version: 1,
                sql: MIGRATIONS[0].sql,
            },
            Migration {
                version: 2,
                sql: "CREATE TABLE extra(x INTEGER); ALTER TABLE journal ADD COLUMN y INTEGER; \
                      THIS IS NOT SQL;",
            },
        ];
        let err = migrate(&mut conn, &broken).unwrap_err();
        assert!(
            matches!(err, StoreError::Migration { version: 2, .. }),
            "{err:?}"
        );
        assert_eq!(schema_version(&conn).unwrap(), 1);
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
        assert_eq!(migrate(&mut conn, MIGRATIONS).unwrap(), 1);
    }
}
