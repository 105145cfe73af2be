//! Table `issuers`: the issuer public keys this coordinator takes works
//! from, imported from a `.pub` file and compared by fingerprint with a
//! printed one. The project's demo key is never on the list: its packages
//! are training material and are refused as works.

use std::path::Path;

use rusqlite::params;
use serde::Serialize;
use ts_rs::TS;
use vpr_package::{IssuerKey, TrustedIssuers};

use crate::{model::now_string, Coordinator, CoordinatorError, Result};

/// One trusted issuer as the screen shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct TrustedIssuer {
    /// SHA-256 of the public key, hex (compare with the printed one).
    pub fingerprint: String,
    /// The public key, hex.
    pub public_key: String,
    pub label: String,
    pub added_at: String,
}

impl Coordinator {
    /// Trust an issuer key. The demo key is refused: it signs training
    /// packages only.
    pub fn add_issuer(&self, key: &IssuerKey) -> Result<TrustedIssuer> {
        if key.demo {
            return Err(CoordinatorError::Invalid(
                "демонстрационный ключ проекта подписывает только учебные пакеты; работы по нему не принимаются".into(),
            ));
        }
        let label = key.label.trim();
        let row = TrustedIssuer {
            fingerprint: key.fingerprint.clone(),
            public_key: hex::encode(key.public_key),
            label: if label.is_empty() {
                "Ключ организатора".into()
            } else {
                label.chars().take(200).collect()
            },
            added_at: now_string(),
        };
        self.conn.execute(
            "INSERT INTO issuers (fingerprint, public_key, label, added_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (fingerprint) DO UPDATE SET label = ?3",
            params![row.fingerprint, row.public_key, row.label, row.added_at],
        )?;
        Ok(row)
    }

    /// Trust the issuer key in a `.pub` file (64 hex characters or 32
    /// bytes); `label` names it on screen (the file name when empty).
    pub fn import_issuer_file(&self, path: &Path, label: &str) -> Result<TrustedIssuer> {
        let size = std::fs::metadata(path)?.len();
        if size > 4096 {
            return Err(CoordinatorError::Invalid(format!(
                "{}: файл открытого ключа больше 4 КБ",
                path.display()
            )));
        }
        let mut key = IssuerKey::read(path)?;
        if !label.trim().is_empty() {
            key.label = label.trim().to_string();
        } else if let Some(name) = path.file_name() {
            key.label = name.to_string_lossy().into_owned();
        }
        self.add_issuer(&key)
    }

    pub fn issuers(&self) -> Result<Vec<TrustedIssuer>> {
        let mut st = self.conn.prepare(
            "SELECT fingerprint, public_key, label, added_at FROM issuers ORDER BY added_at, fingerprint",
        )?;
        let rows = st.query_map([], |r| {
            Ok(TrustedIssuer {
                fingerprint: r.get(0)?,
                public_key: r.get(1)?,
                label: r.get(2)?,
                added_at: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Stop trusting an issuer (works already taken keep their record).
    pub fn remove_issuer(&self, fingerprint: &str) -> Result<()> {
        let n = self
            .conn
            .execute("DELETE FROM issuers WHERE fingerprint = ?1", [fingerprint])?;
        if n == 0 {
            return Err(CoordinatorError::Invalid(format!(
                "издатель с отпечатком {fingerprint} не в списке доверенных"
            )));
        }
        Ok(())
    }

    /// The trust list for opening a package: the coordinator's issuers, and
    /// the demo key so that a demo package is named as training (and
    /// refused as a work) rather than as an unknown signer.
    pub(crate) fn trusted_issuers(&self) -> Result<TrustedIssuers> {
        let mut trust = TrustedIssuers::new();
        for i in self.issuers()? {
            let key = IssuerKey::parse(i.public_key.as_bytes(), i.label.clone())
                .map_err(|_| CoordinatorError::Corrupt("ключ издателя в базе повреждён".into()))?;
            if key.fingerprint != i.fingerprint {
                return Err(CoordinatorError::Corrupt(
                    "отпечаток ключа издателя в базе не совпадает с ключом".into(),
                ));
            }
            trust.add(key);
        }
        trust.add(TrustedIssuers::demo_key());
        Ok(trust)
    }
}
