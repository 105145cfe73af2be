//! Table `paper_sheets`: what a participant's paper sheet says beside the
//! answers — the variant sat and the adapted version (no listening, …) —,
//! so a paper participant is scored on the variant's keys and the version's
//! scale, with a task left out of the version shown as not applicable. A
//! participant whose station part came in keeps the station's variant and
//! version; a sheet that says otherwise is refused. Changes are logged in
//! `paper_log` (task 0, item «вариант» or «версия»).

use std::collections::HashMap;

use rusqlite::{params, OptionalExtension};

use super::{log::PaperLogEntry, EnteredBy, PaperRow};
use crate::{model::now_string, scoring::Submission, Coordinator, CoordinatorError, Result, Work};

/// The log's item for a variant change.
pub const VARIANT_ITEM: &str = "вариант";
/// The log's item for a version change.
pub const VERSION_ITEM: &str = "версия";

/// A sheet's variant and version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Sheet {
    pub variant: u32,
    pub version: Option<String>,
}

impl Coordinator {
    /// Every sheet of a work by code.
    pub(crate) fn paper_sheets(&self, work_id: i64) -> Result<HashMap<u32, Sheet>> {
        let mut st = self
            .conn
            .prepare("SELECT code, variant, version FROM paper_sheets WHERE work_id = ?1")?;
        let rows = st.query_map([work_id], |r| {
            Ok((
                r.get::<_, u32>(0)?,
                Sheet {
                    variant: r.get(1)?,
                    version: r.get(2)?,
                },
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn paper_sheet(&self, work_id: i64, code: u32) -> Result<Option<Sheet>> {
        Ok(self
            .conn
            .query_row(
                "SELECT variant, version FROM paper_sheets WHERE work_id = ?1 AND code = ?2",
                params![work_id, code],
                |r| {
                    Ok(Sheet {
                        variant: r.get(0)?,
                        version: r.get(1)?,
                    })
                },
            )
            .optional()?)
    }

    /// The adapted version per code: the station's where its part came in,
    /// else the sheet's (absent: the standard version).
    pub(crate) fn paper_versions(
        &self,
        work: &Work,
        subs: &[Submission],
    ) -> Result<HashMap<u32, Option<String>>> {
        let mut v: HashMap<u32, Option<String>> = self
            .paper_sheets(work.id)?
            .into_iter()
            .map(|(code, s)| (code, s.version))
            .collect();
        v.extend(subs.iter().map(|s| (s.code, s.adaptation.clone())));
        Ok(v)
    }

    /// Set the variant and the version a paper participant sat, as written
    /// on the sheet. Returns the participant's row of the grid.
    pub fn paper_set_sheet(
        &self,
        work_id: i64,
        code: u32,
        variant: u32,
        version: Option<&str>,
        by: &EnteredBy,
    ) -> Result<PaperRow> {
        let work = self.work(work_id)?;
        let refuse = |item: &str, reason: String| CoordinatorError::PaperEntry {
            code,
            item: item.to_string(),
            reason,
        };
        if !self
            .participants_of_work(work_id)?
            .iter()
            .any(|p| p.code == code)
        {
            return Err(refuse(
                VARIANT_ITEM,
                "такого кода нет среди участников работы".into(),
            ));
        }
        let variants = &work.spec.variants;
        if (!variants.is_empty() && !variants.contains(&variant)) || variant == 0 || variant > 99 {
            let list: Vec<String> = variants.iter().map(u32::to_string).collect();
            return Err(refuse(
                VARIANT_ITEM,
                if list.is_empty() {
                    format!("вариант {variant}: номер от 1 до 99")
                } else {
                    format!(
                        "в работе нет варианта {variant} (есть: {})",
                        list.join(", ")
                    )
                },
            ));
        }
        let version = version.map(str::trim).filter(|v| !v.is_empty());
        if let Some(v) = version {
            if work.spec.version(Some(v)).is_none() {
                return Err(refuse(VERSION_ITEM, format!("в работе нет версии «{v}»")));
            }
        }
        if let Some(s) = self.submissions(work_id)?.iter().find(|s| s.code == code) {
            if s.variant != variant || s.adaptation.as_deref() != version {
                return Err(refuse(
                    VARIANT_ITEM,
                    format!(
                        "часть работы со станции уже импортирована: вариант {}, {}",
                        s.variant,
                        s.adaptation
                            .as_deref()
                            .and_then(|v| work.spec.version(Some(v)))
                            .map_or("обычная версия".to_string(), |v| format!(
                                "версия «{}»",
                                v.title
                            ))
                    ),
                ));
            }
        }
        let (by_staff, label) = self.entered_by_label(by)?;
        let old = self.paper_sheet(work_id, code)?;
        let default_variant = self
            .paper_variants(&work, &[])?
            .get(&code)
            .copied()
            .unwrap_or(1);
        let (old_variant, old_version) = match &old {
            Some(s) => (Some(s.variant), s.version.clone()),
            None => (None, None),
        };
        let at = now_string();
        let tx = self.conn.unchecked_transaction()?;
        self.conn.execute(
            "INSERT OR REPLACE INTO paper_sheets (work_id, code, variant, version, by_staff, by_label, set_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![work_id, code, variant, version, by_staff, label, at],
        )?;
        let log = |item: &str, old_value: Option<String>, new_value: Option<String>| {
            self.log_paper_change(
                work_id,
                &PaperLogEntry {
                    code,
                    task: 0,
                    item: item.to_string(),
                    old_value,
                    new_value,
                    by_staff,
                    by: label.clone(),
                    at: at.clone(),
                },
            )
        };
        if old_variant != Some(variant) && !(old.is_none() && variant == default_variant) {
            log(
                VARIANT_ITEM,
                old_variant.map(|v| v.to_string()),
                Some(variant.to_string()),
            )?;
        }
        if old_version.as_deref() != version {
            log(VERSION_ITEM, old_version, version.map(str::to_string))?;
        }
        tx.commit()?;
        self.paper_grid(work_id)?
            .rows
            .into_iter()
            .find(|r| r.code == code)
            .ok_or_else(|| {
                refuse(
                    VARIANT_ITEM,
                    "такого кода нет среди участников работы".into(),
                )
            })
    }
}
