//! The coordinator's SQLite file: WAL, `synchronous=FULL`, the schema in
//! `migrations/*.sql` run by `vpr-sql` (one transaction per step, a newer
//! schema refused untouched), opened only with the right password.

use std::path::Path;

use rusqlite::{params, Connection};
use vpr_sql::{Migration, Schema, SqlError};

use crate::{
    crypto::{random_bytes, Scheme, Vault, ITERATIONS, SALT_LEN, SCHEME_V2},
    CoordinatorError, CoordinatorLayout, Result,
};

/// The coordinator's migrations, in order (`migrations/*.sql`).
pub(crate) static MIGRATIONS: &[Migration] = &[
    vpr_sql::migration!(1, "0001_init.sql"),
    vpr_sql::migration!(2, "0002_packages.sql"),
    vpr_sql::migration!(3, "0003_package_keys.sql"),
    vpr_sql::migration!(4, "0004_custody.sql"),
    vpr_sql::migration!(5, "0005_fis_codes.sql"),
    vpr_sql::migration!(6, "0006_recording_parts.sql"),
    vpr_sql::migration!(7, "0007_versions.sql"),
    vpr_sql::migration!(8, "0008_paper.sql"),
    vpr_sql::migration!(9, "0009_paper_sheets.sql"),
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: u32 = 9;

const SCHEMA: Schema = Schema::new("база координатора", MIGRATIONS);

fn sql_error(e: SqlError) -> CoordinatorError {
    match e {
        SqlError::Newer {
            found, supported, ..
        } => CoordinatorError::TooNew { found, supported },
        SqlError::Sqlite(e) => CoordinatorError::Db(e),
        other => CoordinatorError::Schema(other),
    }
}

/// An open coordinator database; every method needs the password-derived key.
#[derive(Debug)]
pub struct Coordinator {
    pub(crate) conn: Connection,
    pub(crate) vault: Vault,
    pub(crate) layout: CoordinatorLayout,
}

impl Coordinator {
    /// Create a new database at `path` protected by `password`.
    pub fn create(path: &Path, password: &str) -> Result<Self> {
        Self::create_with_iterations(path, password, ITERATIONS)
    }

    /// As [`Coordinator::create`] with a chosen PBKDF2 work factor (tests and
    /// benchmarks use a small one; the app always uses [`ITERATIONS`]).
    pub fn create_with_iterations(path: &Path, password: &str, iterations: u32) -> Result<Self> {
        Self::create_with_schema(path, password, iterations, SCHEMA)
    }

    /// As [`Coordinator::create_with_iterations`] at a given schema (tests
    /// build databases of earlier versions with it).
    pub(crate) fn create_with_schema(
        path: &Path,
        password: &str,
        iterations: u32,
        schema: Schema,
    ) -> Result<Self> {
        if password.chars().count() < 8 {
            return Err(CoordinatorError::WeakPassword);
        }
        if path.exists() {
            return Err(CoordinatorError::AlreadyExists);
        }
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        crate::owner_only::create_file(path)?;
        let mut conn = Connection::open(path)?;
        vpr_sql::durable(&conn).map_err(sql_error)?;
        crate::owner_only::secure_database(path)?;
        schema.migrate(&mut conn).map_err(sql_error)?;
        let salt = random_bytes::<SALT_LEN>()?;
        let vault = Vault::derive(password, &salt, iterations, Scheme::V2)?;
        let check = vault.check_value()?;
        {
            let tx = conn.transaction()?;
            for (k, v) in [
                ("salt", salt.to_vec()),
                ("iterations", iterations.to_le_bytes().to_vec()),
                ("check", check),
                ("kdf", SCHEME_V2.to_vec()),
                ("cells", crate::rekey::CELLS_BOUND.to_vec()),
                ("created_at", crate::model::now_string().into_bytes()),
            ] {
                tx.execute(
                    "INSERT INTO meta (key, value) VALUES (?1, ?2)",
                    params![k, v],
                )?;
            }
            tx.commit()?;
        }
        Ok(Self {
            conn,
            vault,
            layout: CoordinatorLayout::for_database(path),
        })
    }

    /// Open an existing database; a wrong password is refused before any
    /// data is read.
    pub fn open(path: &Path, password: &str) -> Result<Self> {
        if !path.is_file() {
            return Err(CoordinatorError::NotFound);
        }
        let mut conn = Connection::open(path)?;
        // Check the version before anything writes to the file.
        SCHEMA.refuse_newer(&conn).map_err(sql_error)?;
        vpr_sql::durable(&conn).map_err(sql_error)?;
        crate::owner_only::secure_database(path)?;
        let vault = crate::rekey::unlock(&mut conn, password, |c| {
            SCHEMA.migrate(c).map_err(sql_error)
        })?;
        Ok(Self {
            conn,
            vault,
            layout: CoordinatorLayout::for_database(path),
        })
    }

    /// Create the database of a coordinator folder.
    pub fn create_in(layout: &CoordinatorLayout, password: &str) -> Result<Self> {
        Self::create(layout.database(), password)
    }

    /// Open the database of a coordinator folder.
    pub fn open_in(layout: &CoordinatorLayout, password: &str) -> Result<Self> {
        Self::open(layout.database(), password)
    }

    /// The coordinator's folder: the database and the imported recordings.
    pub fn layout(&self) -> &CoordinatorLayout {
        &self.layout
    }

    /// The folder of the database where imported recordings are kept.
    pub fn data_dir(&self) -> &Path {
        self.layout.root()
    }
}

#[cfg(test)]
#[path = "upgrade_tests.rs"]
mod upgrade_tests;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_migrations_folder_is_the_embedded_list() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
        SCHEMA.check_files(&dir).unwrap();
        assert_eq!(SCHEMA.latest(), SCHEMA_VERSION);
    }

    #[test]
    fn wrong_password_opens_nothing_and_newer_schema_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("coord.sqlite");
        assert!(matches!(
            Coordinator::create_with_iterations(&path, "short", 1000),
            Err(CoordinatorError::WeakPassword)
        ));
        drop(Coordinator::create_with_iterations(&path, "пароль-координатора", 1000).unwrap());
        assert!(matches!(
            Coordinator::create_with_iterations(&path, "пароль-координатора", 1000),
            Err(CoordinatorError::AlreadyExists)
        ));
        assert!(matches!(
            Coordinator::open(&path, "другой-пароль"),
            Err(CoordinatorError::WrongPassword)
        ));
        Coordinator::open(&path, "пароль-координатора").unwrap();
        {
            let c = Connection::open(&path).unwrap();
            c.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
                .unwrap();
        }
        assert!(matches!(
            Coordinator::open(&path, "пароль-координатора"),
            Err(CoordinatorError::TooNew { .. })
        ));
        assert!(matches!(
            Coordinator::open(&dir.path().join("none.sqlite"), "x"),
            Err(CoordinatorError::NotFound)
        ));
    }
}
