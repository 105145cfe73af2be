//! The one-year retention of works and protocol, across every table.

use super::*;
use crate::{Coordinator, CoordinatorError, Result};

impl Coordinator {
    /// The day from which the works and protocol may be purged: one year after the last work.
    pub fn retention_due(&self) -> Result<Option<String>> {
        let last: Option<String> = self
            .conn
            .query_row("SELECT MAX(date) FROM works", [], |r| r.get(0))?;
        let Some(last) = last else { return Ok(None) };
        let d = parse_date(&last)?;
        let due = d
            .replace_year(d.year() + 1)
            .unwrap_or_else(|_| d + time::Duration::days(365));
        Ok(Some(format_date(due)))
    }

    /// Purge names, protocol, answers and recordings once the year has passed
    /// and the coordinator has confirmed. Codes stay used.
    pub fn purge_expired(&mut self, today: &str, confirmed: bool) -> Result<()> {
        let today = parse_date(today)?;
        if let Some(due) = self.retention_due()? {
            if today < parse_date(&due)? {
                return Err(CoordinatorError::RetentionNotDue(due));
            }
        }
        if !confirmed {
            return Err(CoordinatorError::NotConfirmed);
        }
        let paths = self.purged_paths()?;
        let tx = self.conn.transaction()?;
        for t in PURGED_TABLES {
            tx.execute(&format!("DELETE FROM {t}"), [])?;
        }
        tx.commit()?;
        for p in paths {
            let path = self.layout.resolve(&p);
            if path.is_dir() {
                std::fs::remove_dir_all(path)?;
            } else if path.is_file() {
                std::fs::remove_file(path)?;
            }
        }
        self.conn.execute_batch("VACUUM")?;
        Ok(())
    }
}

/// What a purge would remove, for the dry run and the confirmation screen.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct PurgePreview {
    /// The day from which the purge is allowed (none while there are no works).
    pub due: Option<String>,
    /// Whether `today` is on or after that day.
    pub allowed: bool,
    /// Rows per table that would be deleted, in deletion order.
    pub tables: Vec<PurgeCount>,
    /// Files and folders under the coordinator's folder that would be deleted.
    pub files: Vec<String>,
    /// Their total size in bytes.
    pub bytes: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct PurgeCount {
    pub table: String,
    pub rows: u32,
}

/// The tables a purge empties, in the order it deletes them.
const PURGED_TABLES: &[&str] = &[
    "paper_log",
    "paper_entries",
    "held_sessions",
    "receipts",
    "expert_scores",
    "assignments",
    "auto_scores",
    "recordings",
    "submissions",
    "cross_packages",
    "bundles",
    "absences",
    "seating",
    "staff_rooms",
    "participants",
    "staff",
];

fn size_of(path: &std::path::Path, depth: usize) -> u64 {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return 0;
    };
    if meta.is_file() {
        return meta.len();
    }
    if !meta.is_dir() || depth == 0 {
        return 0;
    }
    std::fs::read_dir(path)
        .map(|rd| {
            rd.flatten()
                .map(|e| size_of(&e.path(), depth - 1))
                .sum::<u64>()
        })
        .unwrap_or(0)
}

impl Coordinator {
    /// What [`Coordinator::purge_expired`] would delete on `today`, deleting
    /// nothing (`vpr coordinator purge --dry-run`, the purge screen).
    pub fn purge_preview(&self, today: &str) -> Result<PurgePreview> {
        let today = parse_date(today)?;
        let due = self.retention_due()?;
        let allowed = match &due {
            Some(d) => today >= parse_date(d)?,
            None => true,
        };
        let mut tables = Vec::new();
        for t in PURGED_TABLES {
            let rows: u32 = self
                .conn
                .query_row(&format!("SELECT COUNT(*) FROM {t}"), [], |r| r.get(0))?;
            tables.push(PurgeCount {
                table: (*t).to_string(),
                rows,
            });
        }
        let files = self.purged_paths()?;
        let bytes = files
            .iter()
            .map(|p| size_of(&self.layout.resolve(p), 16))
            .sum();
        Ok(PurgePreview {
            due,
            allowed,
            tables,
            files,
            bytes,
        })
    }

    fn purged_paths(&self) -> Result<Vec<String>> {
        let mut st = self.conn.prepare(
            "SELECT path FROM recordings UNION SELECT stored_path FROM bundles ORDER BY 1",
        )?;
        let p = st
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(p)
    }
}

/// Today's date (`YYYY-MM-DD`, UTC) for the purge when none is given.
pub fn today() -> String {
    format_date(time::OffsetDateTime::now_utc().date())
}
