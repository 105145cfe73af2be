//! The exam session persists through the answer store: the checkpoint, its
//! events and every changed answer, durable before the session acts.

use std::{collections::BTreeMap, sync::Arc};

use serde_json::json;
use vpr_exam::session::{Checkpoint, CloseReason, Event, Journal, Stage};
use vpr_store::{NewSession, SessionStatus, Store, StoreError};

/// [`Journal`] over [`Store`]. Nothing is written before the participant has
/// confirmed the code: a mistyped code leaves no session behind.
pub struct StoreJournal {
    store: Arc<Store>,
    training: bool,
    session_id: Option<i64>,
    saved: BTreeMap<String, String>,
    /// Package file hash and issuer fingerprint written into each new session.
    custody: (Option<String>, Option<String>),
}

impl StoreJournal {
    pub fn new(store: Arc<Store>, training: bool) -> Self {
        Self {
            store,
            training,
            session_id: None,
            saved: BTreeMap::new(),
            custody: (None, None),
        }
    }

    /// Every session this journal starts records the package file's SHA-256
    /// and the issuer's fingerprint (from the verified package).
    pub fn with_custody(
        mut self,
        package_sha256: Option<String>,
        issuer_fingerprint: Option<String>,
    ) -> Self {
        self.custody = (package_sha256, issuer_fingerprint);
        self
    }

    /// Continue writing to an existing store session (after a restart).
    pub fn resume(
        store: Arc<Store>,
        training: bool,
        session_id: i64,
        saved: BTreeMap<String, String>,
    ) -> Self {
        Self {
            store,
            training,
            session_id: Some(session_id),
            saved,
            custody: (None, None),
        }
    }

    pub fn session_id(&self) -> Option<i64> {
        self.session_id
    }

    pub fn store(&self) -> &Arc<Store> {
        &self.store
    }
}

fn task_of(item: &str) -> &str {
    item.split('.').next().unwrap_or(item)
}

impl Journal for StoreJournal {
    type Error = StoreError;

    fn commit(&mut self, cp: &Checkpoint, events: &[Event]) -> Result<(), StoreError> {
        if matches!(cp.stage, Stage::CodeEntry | Stage::Confirm) && self.session_id.is_none() {
            return Ok(());
        }
        let id = match self.session_id {
            Some(id) => id,
            None => {
                let code = cp.code.clone().unwrap_or_default();
                let mut new = NewSession::new(&code, &cp.package_id, &cp.variant.to_string());
                new.adapted_version = cp.adaptation.clone();
                new.extended_time = cp.adaptation.is_some();
                new.training = self.training;
                new.package_sha256 = self.custody.0.clone();
                new.issuer_fingerprint = self.custody.1.clone();
                let s = self.store.start_session(&new)?;
                self.session_id = Some(s.id);
                s.id
            }
        };
        let state = serde_json::to_value(cp).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        self.store.checkpoint(
            id,
            &vpr_store::Checkpoint {
                state,
                deadlines: BTreeMap::new(),
            },
        )?;
        for e in events {
            let payload = serde_json::to_value(e).unwrap_or_else(|_| json!({}));
            self.store.log_event(Some(id), e.kind.name(), &payload)?;
        }
        for (item, value) in &cp.answers {
            if self.saved.get(item) != Some(value) {
                self.store
                    .save_answer(id, task_of(item), item, &json!(value))?;
                self.saved.insert(item.clone(), value.clone());
            }
        }
        if let Stage::Closed { reason } = &cp.stage {
            let status = match reason {
                CloseReason::TechnicalFailure { .. } => SessionStatus::TechnicalFailure,
                _ if self.training => SessionStatus::Training,
                _ => SessionStatus::Finished,
            };
            if self.store.session(id)?.status != status {
                self.store.set_session_status(id, status)?;
            }
        }
        Ok(())
    }
}
