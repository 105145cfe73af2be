//! Unlocking a database: the key parameters read from `meta` (the iteration
//! count bounded before hashing), the password checked, the migrations run,
//! and a database written under the legacy scheme re-sealed under the
//! current one: every sealed cell opened with the old keys and sealed again
//! (row cells bound to table, column and row), blind indexes recomputed and
//! ОВЗ moved into the participant's sealed cell — all in one transaction, so a failure
//! leaves the file as it was.

use rusqlite::{params, Connection, OptionalExtension};

use crate::{
    crypto::{check_iterations, Scheme, Vault, SCHEME_V2},
    model::{
        participant_index_input, sealed_person, util::from_json, PersonName, NAME_CELL,
        PARTICIPANTS,
    },
    CoordinatorError, Result,
};

fn meta(conn: &Connection, key: &str) -> Result<Option<Vec<u8>>> {
    Ok(conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()?)
}

/// Derive and check the keys of an open database file, run `migrate`, and
/// bring a legacy database to the current scheme.
pub(crate) fn unlock(
    conn: &mut Connection,
    password: &str,
    migrate: impl FnOnce(&mut Connection) -> Result<u32>,
) -> Result<Vault> {
    let salt = meta(conn, "salt")?.ok_or_else(|| CoordinatorError::Corrupt("нет соли".into()))?;
    let iterations = meta(conn, "iterations")?
        .and_then(|b| <[u8; 4]>::try_from(b.as_slice()).ok())
        .map(u32::from_le_bytes)
        .ok_or_else(|| CoordinatorError::Corrupt("нет числа итераций".into()))?;
    check_iterations(iterations)?;
    let check = meta(conn, "check")?
        .ok_or_else(|| CoordinatorError::Corrupt("нет проверочного значения".into()))?;
    let scheme = match meta(conn, "kdf")? {
        None => Scheme::Legacy,
        Some(v) if v == SCHEME_V2 => Scheme::V2,
        Some(_) => {
            return Err(CoordinatorError::Corrupt(
                "неизвестная схема ключей: база создана другой программой".into(),
            ))
        }
    };
    let vault = Vault::derive(password, &salt, iterations, scheme)?;
    if !vault.verify_check(&check) {
        return Err(CoordinatorError::WrongPassword);
    }
    migrate(conn)?;
    if scheme == Scheme::V2 {
        if meta(conn, "cells")?.as_deref() != Some(CELLS_BOUND) {
            // Staff names and absence cells of a V2 file written before they
            // were bound to their rows: bound now, in one transaction.
            let tx = conn.transaction()?;
            rebind_cells(&tx, |sealed| vault.open(sealed), &vault)?;
            tx.commit()?;
            tracing::info!("ячейки сотрудников и отсутствий привязаны к своим записям");
        }
        return Ok(vault);
    }
    let current = Vault::derive(password, &salt, iterations, Scheme::V2)?;
    let tx = conn.transaction()?;
    reseal(&tx, &vault, &current)?;
    tx.commit()?;
    tracing::info!("база координатора переведена на новую схему ключей");
    Ok(current)
}

/// The `meta.cells` value of a file whose staff names and absence cells are
/// bound to their rows.
pub(crate) const CELLS_BOUND: &[u8] = b"bound-v1";

/// Seal every staff name and absence cell again, bound to its row, from the
/// plaintext `open` gives; mark the file.
fn rebind_cells(
    tx: &Connection,
    open: impl Fn(&[u8]) -> Result<Vec<u8>>,
    new: &Vault,
) -> Result<()> {
    use crate::model::{absence_column, ABSENCES, STAFF, STAFF_NAME};
    for (id, sealed) in rows(tx, "SELECT id, name_sealed FROM staff")? {
        tx.execute(
            "UPDATE staff SET name_sealed = ?1 WHERE id = ?2",
            params![new.seal_cell(STAFF, STAFF_NAME, id, &open(&sealed)?)?, id],
        )?;
    }
    let absences: Vec<(i64, i64, Vec<u8>, Vec<u8>)> = {
        let mut st =
            tx.prepare("SELECT work_id, participant_id, reason, document FROM absences")?;
        let v = st
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<rusqlite::Result<_>>()?;
        v
    };
    for (work, participant, reason, document) in absences {
        tx.execute(
            "UPDATE absences SET reason = ?1, document = ?2 WHERE work_id = ?3 AND participant_id = ?4",
            params![
                new.seal_cell(ABSENCES, &absence_column("reason", work), participant, &open(&reason)?)?,
                new.seal_cell(
                    ABSENCES,
                    &absence_column("document", work),
                    participant,
                    &open(&document)?
                )?,
                work,
                participant
            ],
        )?;
    }
    tx.execute(
        "INSERT INTO meta (key, value) VALUES ('cells', ?1)
         ON CONFLICT(key) DO UPDATE SET value = ?1",
        [CELLS_BOUND],
    )?;
    Ok(())
}

type Rows = Vec<(i64, Vec<u8>)>;

fn rows(tx: &Connection, sql: &str) -> Result<Rows> {
    let mut st = tx.prepare(sql)?;
    let out = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(out)
}

/// Re-seal every cell of a legacy database (`old`) under `new`.
fn reseal(tx: &Connection, old: &Vault, new: &Vault) -> Result<()> {
    // Participants: names bound to their row, ОВЗ sealed, indexes recomputed.
    let people: Vec<(i64, Vec<u8>, bool, String)> = {
        let mut st = tx.prepare(
            "SELECT p.id, p.name_sealed, p.special_needs, c.name
             FROM participants p JOIN classes c ON c.id = p.class_id",
        )?;
        let v = st
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<rusqlite::Result<_>>()?;
        v
    };
    for (id, sealed, special_needs, class_name) in people {
        let plain = old.open(&sealed)?;
        let name: PersonName = from_json(
            std::str::from_utf8(&plain)
                .map_err(|_| CoordinatorError::Corrupt("имя не в UTF-8".into()))?,
        )?;
        tx.execute(
            "UPDATE participants SET name_sealed = ?1, name_index = ?2, special_needs = 0
             WHERE id = ?3",
            params![
                new.seal_cell(
                    PARTICIPANTS,
                    NAME_CELL,
                    id,
                    &sealed_person(&name, special_needs)?
                )?,
                new.blind_index(&participant_index_input(&class_name, &name)),
                id
            ],
        )?;
    }
    // Staff names and absence cells: opened, sealed under the new key bound to their rows.
    rebind_cells(tx, |sealed| old.open(sealed), new)?;
    if let Some(seed) = meta(tx, "signing_seed")? {
        tx.execute(
            "UPDATE meta SET value = ?1 WHERE key = 'signing_seed'",
            [new.seal(&old.open(&seed)?)?],
        )?;
    }
    tx.execute(
        "UPDATE meta SET value = ?1 WHERE key = 'check'",
        [new.check_value()?],
    )?;
    tx.execute(
        "INSERT INTO meta (key, value) VALUES ('kdf', ?1)",
        [SCHEME_V2],
    )?;
    Ok(())
}

#[cfg(test)]
#[path = "rekey_tests.rs"]
mod tests;
