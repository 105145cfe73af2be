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
    /// Ids of the package's adapted versions that give more time.
    extended: Vec<String>,
    /// The variant and version the store session row holds.
    version: Option<(String, Option<String>)>,
}

impl StoreJournal {
    pub fn new(store: Arc<Store>, training: bool) -> Self {
        Self {
            store,
            training,
            session_id: None,
            saved: BTreeMap::new(),
            custody: (None, None),
            extended: Vec::new(),
            version: None,
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
            extended: Vec::new(),
            version: None,
        }
    }

    /// Which of the package's adapted versions extend the time (the session
    /// row's `extended_time`).
    pub fn with_package(mut self, package: &vpr_exam::Package) -> Self {
        self.extended = package
            .adaptations
            .iter()
            .filter(|a| a.extends_time())
            .map(|a| a.id.clone())
            .collect();
        self
    }

    pub fn session_id(&self) -> Option<i64> {
        self.session_id
    }

    pub fn store(&self) -> &Arc<Store> {
        &self.store
    }
}

impl StoreJournal {
    fn extends(&self, adaptation: Option<&str>) -> bool {
        adaptation.is_some_and(|a| self.extended.iter().any(|e| e == a))
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
                new.extended_time = self.extends(cp.adaptation.as_deref());
                new.training = self.training;
                new.package_sha256 = self.custody.0.clone();
                new.issuer_fingerprint = self.custody.1.clone();
                let s = self.store.start_session(&new)?;
                self.session_id = Some(s.id);
                self.version = Some((s.variant.clone(), s.adapted_version.clone()));
                s.id
            }
        };
        // The organizer changed the variant or the version after the
        // session row was written (before the start): the row follows.
        let version = (cp.variant.to_string(), cp.adaptation.clone());
        if self.version.as_ref() != Some(&version) {
            let row = self.store.session(id)?;
            if (row.variant.as_str(), row.adapted_version.as_deref())
                != (version.0.as_str(), version.1.as_deref())
                && !matches!(cp.stage, Stage::Closed { .. })
            {
                self.store.set_session_version(
                    id,
                    &version.0,
                    version.1.as_deref(),
                    self.extends(version.1.as_deref()),
                )?;
            }
            self.version = Some(version);
        }
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
