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
        let paths: Vec<String> = {
            let mut st = self
                .conn
                .prepare("SELECT path FROM recordings UNION SELECT stored_path FROM bundles")?;
            let p = st
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            p
        };
        let tx = self.conn.transaction()?;
        tx.execute_batch(
            "DELETE FROM expert_scores; DELETE FROM assignments; DELETE FROM auto_scores; DELETE FROM recordings;
             DELETE FROM submissions; DELETE FROM cross_packages; DELETE FROM bundles; DELETE FROM absences;
             DELETE FROM seating; DELETE FROM staff_rooms; DELETE FROM participants; DELETE FROM staff;",
        )?;
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
