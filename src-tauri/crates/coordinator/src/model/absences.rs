//! Table `absences`: reasons and documents (sealed), reserve days.

use rusqlite::params;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::*;
use crate::{Coordinator, CoordinatorError, Result};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Absence {
    pub work_id: i64,
    pub participant_id: i64,
    pub code: u32,
    pub reason: String,
    pub document: String,
    pub reserve_date: Option<String>,
}

/// The table of the sealed absence cells (their AAD).
pub(crate) const ABSENCES: &str = "absences";

/// An absence cell's column in its AAD: the column and the work, so a reason
/// moved to another work or another participant does not open.
pub(crate) fn absence_column(column: &str, work_id: i64) -> String {
    format!("{column}@work{work_id}")
}

impl Coordinator {
    /// Record an absence with its reason and document, optionally moving the
    /// participant to one of the work's reserve days.
    pub fn record_absence(
        &self,
        work_id: i64,
        participant_id: i64,
        reason: &str,
        document: &str,
        reserve_date: Option<&str>,
    ) -> Result<()> {
        non_empty("причина отсутствия", reason)?;
        let work = self.work(work_id)?;
        if let Some(d) = reserve_date {
            parse_date(d)?;
            if !work.reserve_dates.iter().any(|r| r == d) {
                return Err(CoordinatorError::Invalid(format!(
                    "{d} не резервный день этой работы"
                )));
            }
        }
        self.conn.execute(
            "INSERT INTO absences (work_id, participant_id, reason, document, reserve_date) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (work_id, participant_id) DO UPDATE SET reason = ?3, document = ?4, reserve_date = ?5",
            params![
                work_id,
                participant_id,
                self.vault.seal_cell(
                    ABSENCES,
                    &absence_column("reason", work_id),
                    participant_id,
                    reason.trim().as_bytes()
                )?,
                self.vault.seal_cell(
                    ABSENCES,
                    &absence_column("document", work_id),
                    participant_id,
                    document.trim().as_bytes()
                )?,
                reserve_date
            ],
        )?;
        self.conn.execute(
            "DELETE FROM seating WHERE work_id = ?1 AND participant_id = ?2",
            params![work_id, participant_id],
        )?;
        Ok(())
    }

    pub fn clear_absence(&self, work_id: i64, participant_id: i64) -> Result<()> {
        self.conn.execute(
            "DELETE FROM absences WHERE work_id = ?1 AND participant_id = ?2",
            params![work_id, participant_id],
        )?;
        Ok(())
    }

    pub fn absences(&self, work_id: i64) -> Result<Vec<Absence>> {
        let mut st = self.conn.prepare(
            "SELECT a.work_id, a.participant_id, p.code, a.reason, a.document, a.reserve_date
             FROM absences a JOIN participants p ON p.id = a.participant_id WHERE a.work_id = ?1 ORDER BY p.code",
        )?;
        let rows = st.query_map([work_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, u32>(2)?,
                r.get::<_, Vec<u8>>(3)?,
                r.get::<_, Vec<u8>>(4)?,
                r.get::<_, Option<String>>(5)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (work_id, participant_id, code, reason, document, reserve_date) = row?;
            // The reason (often health) and the document are sealed like names.
            out.push(Absence {
                work_id,
                participant_id,
                code,
                reason: self.vault.open_cell_str(
                    ABSENCES,
                    &absence_column("reason", work_id),
                    participant_id,
                    &reason,
                )?,
                document: self.vault.open_cell_str(
                    ABSENCES,
                    &absence_column("document", work_id),
                    participant_id,
                    &document,
                )?,
                reserve_date,
            });
        }
        Ok(out)
    }
}
