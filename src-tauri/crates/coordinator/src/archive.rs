//! The export of all results of a work: one signed archive with the form,
//! the statistics, every score with who gave it, a paper work's change log, and every station bundle
//! as imported (manifests, answers, journals, recordings). No names.
//!
//! Layout: data entries, then `manifest.json` (format, school, work, every
//! entry's SHA-256 and size, the coordinator's public key), then
//! `signature.ed25519` (Ed25519 over the exact manifest bytes). The
//! coordinator's signing key is kept sealed in the database.

use std::{
    collections::BTreeSet,
    io::{Read, Write},
    path::Path,
};

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use vpr_integrity::{PublicKey, StationKey};

use crate::{
    crypto::random_bytes,
    model::now_string,
    tabular::{write_csv, write_xlsx},
    Coordinator, CoordinatorError, Result,
};

/// `format` of a results archive.
pub const ARCHIVE_FORMAT: &str = "vpr-results-archive";
pub const ARCHIVE_VERSION: u32 = 1;
const MANIFEST: &str = "manifest.json";
const SIGNATURE: &str = "signature.ed25519";
const MAX_ENTRY: u64 = 4 * 1024 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ArchiveFile {
    pub name: String,
    pub sha256: String,
    pub size: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ArchiveManifest {
    pub format: String,
    pub format_version: u32,
    pub school_login: String,
    pub subject: String,
    pub grade: u8,
    pub date: String,
    pub package_id: String,
    pub participants: u32,
    pub files: Vec<ArchiveFile>,
    /// Hex Ed25519 public key of the coordinator.
    pub public_key: String,
    pub key_fingerprint: String,
    pub created_at: String,
}

/// What verification found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ArchiveCheck {
    pub manifest: ArchiveManifest,
    /// Station bundles inside that verified too.
    pub station_bundles: u32,
}

fn sha_hex(bytes: &[u8]) -> String {
    vpr_integrity::sha256(bytes).to_hex()
}

fn rejected(reason: impl Into<String>) -> CoordinatorError {
    CoordinatorError::BundleRejected(reason.into())
}

impl Coordinator {
    /// The coordinator's signing key (created on first use, sealed at rest).
    pub(crate) fn signing_key(&self) -> Result<StationKey> {
        let sealed: Option<Vec<u8>> = rusqlite::OptionalExtension::optional(self.conn.query_row(
            "SELECT value FROM meta WHERE key = 'signing_seed'",
            [],
            |r| r.get(0),
        ))?;
        let seed = match sealed {
            Some(s) => self.vault.open(&s)?,
            None => {
                let seed = random_bytes::<32>()?;
                self.conn.execute(
                    "INSERT INTO meta (key, value) VALUES ('signing_seed', ?1)",
                    [self.vault.seal(&seed)?],
                )?;
                seed.to_vec()
            }
        };
        let seed: [u8; 32] = seed
            .try_into()
            .map_err(|_| CoordinatorError::Corrupt("ключ подписи повреждён".into()))?;
        StationKey::from_seed(&seed)
            .map_err(|_| CoordinatorError::Crypto("не удалось создать ключ подписи"))
    }

    /// The public key the coordinator's archives are signed with (hex).
    pub fn archive_public_key(&self) -> Result<String> {
        Ok(self.signing_key()?.public_key().to_hex())
    }

    /// Export every result of a work into one signed archive at `out`.
    /// Refused (with the list) while the form is blocked.
    pub fn export_results_archive(&self, work_id: i64, out: &Path) -> Result<ArchiveManifest> {
        self.refuse_names_in_notes(work_id)?;
        let work = self.work(work_id)?;
        let form = self.results_form(work_id)?;
        let stats = self.statistics(work_id)?;
        let tmp = tempdir_in(self.layout.root())?;
        let mut entries: Vec<(String, Vec<u8>)> = Vec::new();
        write_xlsx(&tmp.join("form.xlsx"), std::slice::from_ref(&form))?;
        write_csv(&tmp.join("form.csv"), &form)?;
        write_xlsx(&tmp.join("statistics.xlsx"), &stats.tables())?;
        for name in ["form.xlsx", "form.csv", "statistics.xlsx"] {
            entries.push((name.to_string(), std::fs::read(tmp.join(name))?));
        }
        let json = |v: &dyn erased::Json| v.to_json();
        entries.push(("statistics.json".into(), json(&stats)?));
        entries.push(("scores.json".into(), json(&self.score_log(work_id)?)?));
        entries.push(("results.json".into(), json(&self.results(work_id)?)?));
        // A paper work's entries, and who changed what when (codes and
        // staff or operator labels only).
        let paper_log = self.paper_log(work_id)?;
        if !paper_log.is_empty() {
            entries.push(("paper_log.json".into(), json(&paper_log)?));
        }
        let _ = std::fs::remove_dir_all(&tmp);
        // The station bundles this work's results came from, byte for byte.
        let shas: BTreeSet<String> = self
            .submissions(work_id)?
            .into_iter()
            .map(|s| s.bundle_sha256)
            .collect();
        let mut bundle_files = Vec::new();
        for sha in shas {
            let stored: Option<String> =
                rusqlite::OptionalExtension::optional(self.conn.query_row(
                    "SELECT stored_path FROM bundles WHERE sha256 = ?1",
                    [&sha],
                    |r| r.get(0),
                ))?;
            if let Some(dir) = stored {
                let path = self.layout.resolve(&dir).join("bundle.zip");
                if path.is_file() {
                    bundle_files.push((format!("bundles/{sha}.zip"), path));
                }
            }
        }
        let key = self.signing_key()?;
        let school = self.school()?.unwrap_or_default();
        let mut files: Vec<ArchiveFile> = entries
            .iter()
            .map(|(n, b)| ArchiveFile {
                name: n.clone(),
                sha256: sha_hex(b),
                size: b.len() as u64,
            })
            .collect();
        for (name, path) in &bundle_files {
            let (sha, size) =
                vpr_integrity::sha256_file(path).map_err(|e| rejected(e.to_string()))?;
            files.push(ArchiveFile {
                name: name.clone(),
                sha256: sha.to_hex(),
                size,
            });
        }
        let manifest = ArchiveManifest {
            format: ARCHIVE_FORMAT.into(),
            format_version: ARCHIVE_VERSION,
            school_login: school.login,
            subject: work.subject.clone(),
            grade: work.grade,
            date: work.date.clone(),
            package_id: work.package_id.clone(),
            participants: form.rows.len() as u32,
            files,
            public_key: key.public_key().to_hex(),
            key_fingerprint: key.public_key().fingerprint().to_string(),
            created_at: now_string(),
        };
        let manifest_bytes = serde_json::to_vec_pretty(&manifest)
            .map_err(|e| CoordinatorError::Corrupt(e.to_string()))?;
        let signature = key.sign(&manifest_bytes);
        let partial = out.with_extension("partial");
        {
            let mut zip = zip::ZipWriter::new(std::fs::File::create(&partial)?);
            let opts = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Stored)
                .large_file(true);
            for (name, bytes) in &entries {
                zip.start_file(name.as_str(), opts)?;
                zip.write_all(bytes)?;
            }
            for (name, path) in &bundle_files {
                zip.start_file(name.as_str(), opts)?;
                std::io::copy(&mut std::fs::File::open(path)?, &mut zip)?;
            }
            zip.start_file(MANIFEST, opts)?;
            zip.write_all(&manifest_bytes)?;
            zip.start_file(SIGNATURE, opts)?;
            zip.write_all(&signature)?;
            let f = zip.finish()?;
            f.sync_all()?;
        }
        std::fs::rename(&partial, out)?;
        verify_results_archive(out, Some(&key.public_key().to_hex()))?;
        Ok(manifest)
    }
}

/// Verify a results archive: the signature over the manifest (against
/// `trusted_key` when given), every entry's hash and size, no entry missing
/// or extra, and every station bundle inside (signed by its station).
pub fn verify_results_archive(path: &Path, trusted_key: Option<&str>) -> Result<ArchiveCheck> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path)?)
        .map_err(|e| rejected(format!("не архив результатов: {e}")))?;
    let read =
        |zip: &mut zip::ZipArchive<std::fs::File>, name: &str, cap: u64| -> Result<Vec<u8>> {
            let mut e = zip
                .by_name(name)
                .map_err(|_| rejected(format!("нет файла {name}")))?;
            let mut b = Vec::new();
            e.by_ref().take(cap).read_to_end(&mut b)?;
            Ok(b)
        };
    let manifest_bytes = read(&mut zip, MANIFEST, 64 * 1024 * 1024)?;
    let signature = read(&mut zip, SIGNATURE, 1024)?;
    let manifest: ArchiveManifest = serde_json::from_slice(&manifest_bytes)
        .map_err(|e| rejected(format!("{MANIFEST}: {e}")))?;
    if manifest.format != ARCHIVE_FORMAT || manifest.format_version != ARCHIVE_VERSION {
        return Err(rejected("неизвестный формат или версия архива результатов"));
    }
    let key = PublicKey::from_hex(&manifest.public_key).map_err(|e| rejected(e.to_string()))?;
    if let Some(t) = trusted_key {
        if !t.trim().eq_ignore_ascii_case(&manifest.public_key) {
            return Err(rejected(format!(
                "архив подписан другим ключом ({})",
                key.fingerprint()
            )));
        }
    }
    key.verify(&manifest_bytes, &signature)
        .map_err(|_| rejected(format!("{SIGNATURE}: подпись не совпадает с {MANIFEST}")))?;
    let listed: BTreeSet<&str> = manifest.files.iter().map(|f| f.name.as_str()).collect();
    for i in 0..zip.len() {
        let e = zip.by_index(i)?;
        let name = e.name()?.to_string();
        if name != MANIFEST && name != SIGNATURE && !listed.contains(name.as_str()) {
            return Err(rejected(format!("лишний файл {name}")));
        }
    }
    let tmp = tempfile_dir(path)?;
    let mut station_bundles = 0;
    let result = (|| -> Result<()> {
        for f in &manifest.files {
            let mut e = zip
                .by_name(&f.name)
                .map_err(|_| rejected(format!("нет файла {}", f.name)))?;
            let is_bundle = f.name.starts_with("bundles/");
            let mut hasher = vpr_integrity::Sha256::new();
            let mut out = if is_bundle {
                Some(std::fs::File::create(tmp.join("bundle.zip"))?)
            } else {
                None
            };
            let mut buf = vec![0u8; 1 << 16];
            let mut size = 0u64;
            loop {
                let n = e.read(&mut buf)?;
                if n == 0 {
                    break;
                }
                size += n as u64;
                if size > MAX_ENTRY {
                    return Err(rejected(format!("{}: слишком большой файл", f.name)));
                }
                hasher.update(&buf[..n]);
                if let Some(o) = out.as_mut() {
                    o.write_all(&buf[..n])?;
                }
            }
            if size != f.size || hasher.finish().to_hex() != f.sha256 {
                return Err(rejected(format!(
                    "{}: содержимое не совпадает с {MANIFEST}",
                    f.name
                )));
            }
            if is_bundle {
                drop(out);
                vpr_bundle::verify_bundle(&tmp.join("bundle.zip"), &vpr_bundle::TrustedKeys::any())
                    .map_err(|e| rejected(format!("{}: {e}", f.name)))?;
                station_bundles += 1;
            }
        }
        Ok(())
    })();
    let _ = std::fs::remove_dir_all(&tmp);
    result?;
    Ok(ArchiveCheck {
        manifest,
        station_bundles,
    })
}

fn tempdir_in(dir: &Path) -> Result<std::path::PathBuf> {
    let p = dir.join(format!("tmp-{}", hex::encode(random_bytes::<8>()?)));
    std::fs::create_dir_all(&p)?;
    Ok(p)
}

fn tempfile_dir(near: &Path) -> Result<std::path::PathBuf> {
    let base = near
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    match tempdir_in(base) {
        Ok(p) => Ok(p),
        Err(_) => tempdir_in(&std::env::temp_dir()),
    }
}

mod erased {
    use crate::{CoordinatorError, Result};

    /// Serialise any result type to pretty JSON bytes.
    pub trait Json {
        fn to_json(&self) -> Result<Vec<u8>>;
    }

    impl<T: serde::Serialize> Json for T {
        fn to_json(&self) -> Result<Vec<u8>> {
            serde_json::to_vec_pretty(self).map_err(|e| CoordinatorError::Corrupt(e.to_string()))
        }
    }
}
