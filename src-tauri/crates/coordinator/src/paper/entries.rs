//! Table `paper_entries`: what was typed from the participants' sheets of a
//! paper work (by code only), one value per code, task and item or criterion.

use rusqlite::{params, OptionalExtension};

use crate::{Coordinator, Result};

/// One stored paper entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    pub code: u32,
    pub task: u32,
    pub item: String,
    pub value: String,
}

impl Coordinator {
    /// The value entered for one cell, if any.
    pub(crate) fn paper_value(
        &self,
        work_id: i64,
        code: u32,
        task: u32,
        item: &str,
    ) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT value FROM paper_entries WHERE work_id = ?1 AND code = ?2 AND task = ?3 AND item = ?4",
                params![work_id, code, task, item],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Write (or, with `None`, clear) one cell.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn put_paper_value(
        &self,
        work_id: i64,
        code: u32,
        task: u32,
        item: &str,
        value: Option<&str>,
        by_staff: Option<i64>,
        by_label: &str,
        at: &str,
    ) -> Result<()> {
        match value {
            Some(v) => self.conn.execute(
                "INSERT OR REPLACE INTO paper_entries (work_id, code, task, item, value, by_staff, by_label, entered_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![work_id, code, task, item, v, by_staff, by_label, at],
            )?,
            None => self.conn.execute(
                "DELETE FROM paper_entries WHERE work_id = ?1 AND code = ?2 AND task = ?3 AND item = ?4",
                params![work_id, code, task, item],
            )?,
        };
        Ok(())
    }

    /// Every entry of a work.
    pub(crate) fn paper_entries(&self, work_id: i64) -> Result<Vec<Entry>> {
        let mut st = self.conn.prepare(
            "SELECT code, task, item, value FROM paper_entries WHERE work_id = ?1 ORDER BY code, task, item",
        )?;
        let rows = st.query_map([work_id], |r| {
            Ok(Entry {
                code: r.get(0)?,
                task: r.get(1)?,
                item: r.get(2)?,
                value: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
