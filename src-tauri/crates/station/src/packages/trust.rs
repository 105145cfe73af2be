//! The station's trust list: the issuer public keys packages are accepted
//! from, kept in the data folder (`trusted-issuers.json`), the same for the
//! app and `vpr station`. The project's demo key is always on it and opens
//! training packages only (`vpr-package` refuses an exam package it signed).

use std::{io::Write, path::Path};

use serde::{Deserialize, Serialize};
use vpr_package::{IssuerKey, TrustedIssuers};

use crate::{
    technician::{Result, TechnicianError, TrustedKey},
    StationLayout,
};

/// The file is a short list; anything longer is not ours.
const MAX_BYTES: u64 = 256 * 1024;
/// Shortest fingerprint prefix accepted to name a key.
const MIN_PREFIX: usize = 8;

#[derive(Debug, Default, Serialize, Deserialize)]
struct TrustFile {
    keys: Vec<SavedKey>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct SavedKey {
    /// 64 hex digits.
    public_key: String,
    label: String,
}

fn corrupt(layout: &StationLayout, detail: impl Into<String>) -> TechnicianError {
    TechnicianError::TrustList {
        path: layout.trust_list(),
        detail: detail.into(),
    }
}

fn read(layout: &StationLayout) -> Result<Vec<IssuerKey>> {
    let path = layout.trust_list();
    let bytes = match std::fs::File::open(&path) {
        Ok(f) => {
            use std::io::Read;
            let mut bytes = Vec::new();
            f.take(MAX_BYTES + 1)
                .read_to_end(&mut bytes)
                .map_err(TechnicianError::io(&path))?;
            if bytes.len() as u64 > MAX_BYTES {
                return Err(corrupt(layout, format!("файл длиннее {MAX_BYTES} байт")));
            }
            bytes
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(TechnicianError::io(&path)(e)),
    };
    let file: TrustFile =
        serde_json::from_slice(&bytes).map_err(|e| corrupt(layout, e.to_string()))?;
    file.keys
        .into_iter()
        .enumerate()
        .map(|(i, k)| {
            IssuerKey::parse(k.public_key.as_bytes(), k.label)
                .map_err(|e| corrupt(layout, format!("ключ № {}: {e}", i + 1)))
        })
        .collect()
}

fn write(layout: &StationLayout, keys: &[IssuerKey]) -> Result<()> {
    let file = TrustFile {
        keys: keys
            .iter()
            .map(|k| SavedKey {
                public_key: hex_of(&k.public_key),
                label: k.label.clone(),
            })
            .collect(),
    };
    let path = layout.trust_list();
    let tmp = path.with_extension("json.tmp");
    let io = TechnicianError::io;
    let bytes = serde_json::to_vec_pretty(&file).map_err(|e| corrupt(layout, e.to_string()))?;
    std::fs::create_dir_all(layout.root()).map_err(io(layout.root()))?;
    {
        let mut f = std::fs::File::create(&tmp).map_err(io(&tmp))?;
        f.write_all(&bytes).map_err(io(&tmp))?;
        f.sync_all().map_err(io(&tmp))?;
    }
    std::fs::rename(&tmp, &path).map_err(io(&path))?;
    Ok(())
}

fn hex_of(key: &[u8; 32]) -> String {
    key.iter().map(|b| format!("{b:02x}")).collect()
}

fn entry(k: &IssuerKey) -> TrustedKey {
    TrustedKey {
        fingerprint: k.fingerprint.clone(),
        label: k.label.clone(),
        demo: k.demo,
    }
}

/// The issuers this station accepts: the demo key (training only) and the
/// saved keys.
pub fn trusted(layout: &StationLayout) -> Result<TrustedIssuers> {
    let mut trust = TrustedIssuers::demo();
    for key in read(layout)? {
        trust.add(key);
    }
    Ok(trust)
}

/// The list as the technician sees it, the demo key first.
pub fn list(layout: &StationLayout) -> Result<Vec<TrustedKey>> {
    Ok(trusted(layout)?.keys().iter().map(entry).collect())
}

/// The key of a `.pub` file as the list would show it, without adding it:
/// the technician compares its fingerprint with the printed one first.
pub fn inspect(file: &Path) -> Result<TrustedKey> {
    if !file.is_file() {
        return Err(TechnicianError::NoFile(file.to_path_buf()));
    }
    let key = IssuerKey::read(file)?;
    let label = file
        .file_stem()
        .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
    Ok(entry(&IssuerKey::new(key.public_key, label)))
}

/// Add the key of a `.pub` file (64 hex digits); `label` defaults to the
/// file name. Adding a key already on the list changes nothing.
pub fn add(layout: &StationLayout, file: &Path, label: Option<&str>) -> Result<TrustedKey> {
    if !file.is_file() {
        return Err(TechnicianError::NoFile(file.to_path_buf()));
    }
    let label = label
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .unwrap_or_else(|| {
            file.file_stem().map_or_else(
                || file.display().to_string(),
                |s| s.to_string_lossy().into_owned(),
            )
        });
    if label.chars().count() > 120 || label.chars().any(char::is_control) {
        return Err(TechnicianError::Invalid(
            "Название ключа — до 120 знаков, без управляющих символов".into(),
        ));
    }
    let key = IssuerKey::read(file)?;
    let key = IssuerKey::new(key.public_key, label);
    if key.demo {
        return Ok(entry(&TrustedIssuers::demo_key()));
    }
    let mut keys = read(layout)?;
    if let Some(old) = keys.iter().find(|k| k.fingerprint == key.fingerprint) {
        return Ok(entry(old));
    }
    keys.push(key.clone());
    write(layout, &keys)?;
    tracing::warn!(fingerprint = %key.fingerprint, label = %key.label, "issuer key trusted");
    Ok(entry(&key))
}

/// Remove the key whose fingerprint starts with `fingerprint` (at least 8
/// hex digits, one key only).
pub fn remove(layout: &StationLayout, fingerprint: &str) -> Result<TrustedKey> {
    let wanted = fingerprint
        .trim()
        .to_ascii_lowercase()
        .replace([' ', '-'], "");
    if wanted.len() < MIN_PREFIX {
        return Err(TechnicianError::Invalid(format!(
            "Укажите не меньше {MIN_PREFIX} первых знаков отпечатка ключа"
        )));
    }
    if TrustedIssuers::demo_key().fingerprint.starts_with(&wanted) {
        return Err(TechnicianError::DemoKeyFixed);
    }
    let mut keys = read(layout)?;
    let matching: Vec<usize> = keys
        .iter()
        .enumerate()
        .filter(|(_, k)| k.fingerprint.starts_with(&wanted))
        .map(|(i, _)| i)
        .collect();
    let [index] = matching.as_slice() else {
        return Err(if matching.is_empty() {
            TechnicianError::NoSuchKey(wanted)
        } else {
            TechnicianError::Invalid(format!(
                "Отпечатку {wanted} соответствует несколько ключей: укажите больше знаков"
            ))
        });
    };
    let removed = keys.remove(*index);
    write(layout, &keys)?;
    tracing::warn!(fingerprint = %removed.fingerprint, "issuer key removed from the trust list");
    Ok(entry(&removed))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use vpr_error::Coded;

    fn key_file(dir: &Path, name: &str) -> (std::path::PathBuf, String) {
        let der = vpr_package::Issuer::generate_pkcs8().unwrap();
        let issuer = vpr_package::Issuer::from_pkcs8(&der).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, format!("{}\n", issuer.public_key_hex())).unwrap();
        (path, issuer.fingerprint())
    }

    #[test]
    fn keys_are_added_listed_kept_and_removed() {
        let dir = tempfile::tempdir().unwrap();
        let layout = StationLayout::new(dir.path().join("data"));
        let listed = list(&layout).unwrap();
        assert_eq!(listed.len(), 1);
        assert!(listed[0].demo, "the demo key is always there");

        let (region, fp) = key_file(dir.path(), "region.pub");
        // Inspected first: the fingerprint to compare, nothing saved.
        assert_eq!(inspect(&region).unwrap().fingerprint, fp);
        assert_eq!(list(&layout).unwrap().len(), 1);
        let added = add(&layout, &region, None).unwrap();
        assert_eq!(added.fingerprint, fp);
        assert_eq!(added.label, "region");
        assert!(!added.demo);
        // Again: nothing changes.
        add(&layout, &region, Some("другое имя")).unwrap();
        let listed = list(&layout).unwrap();
        assert_eq!(listed.len(), 2);
        assert!(trusted(&layout).unwrap().find(&fp).is_some());

        assert_eq!(
            remove(&layout, "abc").unwrap_err().code(),
            "technician_invalid"
        );
        let demo = TrustedIssuers::demo_key().fingerprint;
        assert_eq!(
            remove(&layout, &demo[..12]).unwrap_err().code(),
            "trust_demo_key_fixed"
        );
        assert_eq!(
            remove(&layout, "00000000").unwrap_err().code(),
            "trust_no_such_key"
        );
        assert_eq!(remove(&layout, &fp[..10]).unwrap().fingerprint, fp);
        assert_eq!(list(&layout).unwrap().len(), 1);
    }

    #[test]
    fn a_corrupt_list_is_an_error_not_an_empty_list() {
        let dir = tempfile::tempdir().unwrap();
        let layout = StationLayout::create(dir.path()).unwrap();
        std::fs::write(layout.trust_list(), b"{ broken").unwrap();
        let e = trusted(&layout).unwrap_err();
        assert_eq!(e.code(), "trust_list_corrupt");
        assert!(e.to_string().contains("trusted-issuers.json"), "{e}");
        std::fs::write(
            layout.trust_list(),
            br#"{"keys":[{"public_key":"zz","label":"x"}]}"#,
        )
        .unwrap();
        assert!(trusted(&layout).unwrap_err().to_string().contains("№ 1"));
        let not_a_key = dir.path().join("x.pub");
        std::fs::write(&not_a_key, b"hello").unwrap();
        std::fs::remove_file(layout.trust_list()).unwrap();
        assert_eq!(
            add(&layout, &not_a_key, None).unwrap_err().code(),
            "package_bad_issuer_key"
        );
    }
}
