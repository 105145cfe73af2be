//! Table `receipts`: per work and code, the receipt recomputed from the
//! imported bundle's journal and the one the organizer wrote on the paper
//! protocol. A mismatch is a problem for that code and blocks the form.

use rusqlite::{params, OptionalExtension};
use serde::Serialize;
use ts_rs::TS;
use vpr_integrity::{display_receipt, normalize_receipt};

use crate::{Coordinator, CoordinatorError, Result};

/// How the paper receipt of a code compares with its imported work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ReceiptState {
    /// Nothing entered from paper yet.
    NotEntered,
    /// Paper and bundle agree.
    Match,
    /// Paper and bundle differ: the bundle is not the one the station closed.
    Mismatch,
    /// Entered from paper, no work imported for the code (yet).
    NoWork,
    /// The imported session carries no receipt (not closed on the station).
    NoReceipt,
}

/// One code's receipts, as `ABCD-EFGH`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ReceiptRow {
    pub code: u32,
    pub computed: Option<String>,
    pub paper: Option<String>,
    pub state: ReceiptState,
}

impl Coordinator {
    /// The receipt of an imported work (inside the caller's transaction).
    pub(crate) fn set_computed_receipt(
        &self,
        work_id: i64,
        code: u32,
        receipt: Option<&str>,
    ) -> Result<()> {
        self.conn.execute(
            "INSERT INTO receipts (work_id, code, computed) VALUES (?1, ?2, ?3)
             ON CONFLICT (work_id, code) DO UPDATE SET computed = ?3",
            params![work_id, code, receipt],
        )?;
        Ok(())
    }

    /// Enter the receipt written on the paper protocol for a code (typed:
    /// spaces, dashes, case and the look-alikes 0/1/8 do not matter).
    pub fn enter_receipt(&self, work_id: i64, code: u32, typed: &str) -> Result<ReceiptRow> {
        self.work(work_id)?;
        let paper = normalize_receipt(typed).ok_or_else(|| {
            CoordinatorError::Invalid(format!(
                "квитанция «{}» для кода {code}: нужно 8 знаков — латинские буквы A–Z и цифры 2–7",
                typed.trim()
            ))
        })?;
        self.conn.execute(
            "INSERT INTO receipts (work_id, code, paper) VALUES (?1, ?2, ?3)
             ON CONFLICT (work_id, code) DO UPDATE SET paper = ?3",
            params![work_id, code, paper],
        )?;
        self.receipt(work_id, code)
    }

    /// One code's receipts.
    pub fn receipt(&self, work_id: i64, code: u32) -> Result<ReceiptRow> {
        let row: Option<(Option<String>, Option<String>)> = self
            .conn
            .query_row(
                "SELECT computed, paper FROM receipts WHERE work_id = ?1 AND code = ?2",
                params![work_id, code],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let (computed, paper) = row.unwrap_or_default();
        self.receipt_row(work_id, code, computed, paper)
    }

    fn receipt_row(
        &self,
        work_id: i64,
        code: u32,
        computed: Option<String>,
        paper: Option<String>,
    ) -> Result<ReceiptRow> {
        let imported: bool = self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM submissions WHERE work_id = ?1 AND code = ?2)",
            params![work_id, code],
            |r| r.get(0),
        )?;
        let state = match (&paper, &computed, imported) {
            (None, _, _) => ReceiptState::NotEntered,
            (Some(_), _, false) => ReceiptState::NoWork,
            (Some(_), None, true) => ReceiptState::NoReceipt,
            (Some(p), Some(c), true) if p == c => ReceiptState::Match,
            (Some(_), Some(_), true) => ReceiptState::Mismatch,
        };
        Ok(ReceiptRow {
            code,
            computed: computed.as_deref().map(display_receipt),
            paper: paper.as_deref().map(display_receipt),
            state,
        })
    }

    /// Every code of a work with an imported work or a paper receipt.
    pub fn receipts(&self, work_id: i64) -> Result<Vec<ReceiptRow>> {
        let mut st = self.conn.prepare(
            "SELECT s.code, r.computed, r.paper FROM submissions s
               LEFT JOIN receipts r ON r.work_id = s.work_id AND r.code = s.code
              WHERE s.work_id = ?1
             UNION
             SELECT r.code, r.computed, r.paper FROM receipts r
              WHERE r.work_id = ?1 AND r.paper IS NOT NULL
                AND NOT EXISTS (SELECT 1 FROM submissions s WHERE s.work_id = r.work_id AND s.code = r.code)
             ORDER BY 1",
        )?;
        let rows: Vec<(u32, Option<String>, Option<String>)> = st
            .query_map([work_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        rows.into_iter()
            .map(|(code, c, p)| self.receipt_row(work_id, code, c, p))
            .collect()
    }

    /// The form's problems from receipts: every mismatch, and every receipt
    /// on paper whose imported work carries none.
    pub(crate) fn receipt_problems(&self, work_id: i64) -> Result<Vec<String>> {
        Ok(self
            .receipts(work_id)?
            .into_iter()
            .filter_map(|r| match r.state {
                ReceiptState::Mismatch => Some(format!(
                    "код {}: квитанция в протоколе {} не совпадает с квитанцией работы из пакета станции {}",
                    r.code,
                    r.paper.unwrap_or_default(),
                    r.computed.unwrap_or_default()
                )),
                ReceiptState::NoReceipt => Some(format!(
                    "код {}: в протоколе записана квитанция {}, а работа из пакета станции не закрыта",
                    r.code,
                    r.paper.unwrap_or_default()
                )),
                _ => None,
            })
            .collect())
    }
}
