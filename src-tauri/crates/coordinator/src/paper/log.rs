//! Table `paper_log`: every change of a paper entry with who made it (a
//! staff id or an operator label, never a participant's name) and when (UTC).

use rusqlite::params;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{Coordinator, Result};

/// One change of a paper entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PaperLogEntry {
    pub code: u32,
    pub task: u32,
    /// The item's or criterion's id (the grid's column).
    pub item: String,
    /// None: the cell was empty before.
    pub old_value: Option<String>,
    /// None: the cell was cleared.
    pub new_value: Option<String>,
    /// The staff member's id when a staff member entered it.
    pub by_staff: Option<i64>,
    /// Who entered it as shown: the staff label or the operator label.
    pub by: String,
    /// RFC 3339, UTC.
    pub at: String,
}

impl Coordinator {
    pub(crate) fn log_paper_change(&self, work_id: i64, e: &PaperLogEntry) -> Result<()> {
        self.conn.execute(
            "INSERT INTO paper_log (work_id, code, task, item, old_value, new_value, by_staff, by_label, changed_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                work_id,
                e.code,
                e.task,
                e.item,
                e.old_value,
                e.new_value,
                e.by_staff,
                e.by,
                e.at
            ],
        )?;
        Ok(())
    }

    /// Every change of a paper work's entries, oldest first.
    pub fn paper_log(&self, work_id: i64) -> Result<Vec<PaperLogEntry>> {
        self.work(work_id)?;
        let mut st = self.conn.prepare(
            "SELECT code, task, item, old_value, new_value, by_staff, by_label, changed_at
             FROM paper_log WHERE work_id = ?1 ORDER BY id",
        )?;
        let rows = st.query_map([work_id], |r| {
            Ok(PaperLogEntry {
                code: r.get(0)?,
                task: r.get(1)?,
                item: r.get(2)?,
                old_value: r.get(3)?,
                new_value: r.get(4)?,
                by_staff: r.get(5)?,
                by: r.get(6)?,
                at: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
