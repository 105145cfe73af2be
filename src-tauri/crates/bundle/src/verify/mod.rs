//! Streaming verification of a station bundle.

use std::{
    collections::{BTreeSet, HashSet},
    fs::{self, File},
    io::Read,
    path::{Component, Path, PathBuf},
};

use serde_json::Value;
use vpr_integrity::{verify_chain, ChainLink, Fingerprint, PublicKey, Sha256Hash};
use zip::{CompressionMethod, ZipArchive};

mod records;
mod stream;

use crate::{
    layout, limits,
    manifest::{AnswerFile, Manifest, FORMAT, FORMAT_VERSION},
    mismatch, refused, BundleError, Result, JOURNAL, MANIFEST, SIGNATURE,
};
use records::*;
use stream::*;

/// The station keys a verifier accepts.
#[derive(Debug, Clone, Default)]
pub struct TrustedKeys {
    fingerprints: BTreeSet<Fingerprint>,
    any: bool,
}

impl TrustedKeys {
    /// Trust nothing: every bundle is reported as untrusted.
    pub fn none() -> Self {
        Self::default()
    }

    /// Accept any signer (the signature must still be valid).
    pub fn any() -> Self {
        Self {
            any: true,
            ..Self::default()
        }
    }

    pub fn only(keys: &[PublicKey]) -> Self {
        Self {
            fingerprints: keys.iter().map(PublicKey::fingerprint).collect(),
            any: false,
        }
    }

    pub fn from_fingerprints(fps: impl IntoIterator<Item = Fingerprint>) -> Self {
        Self {
            fingerprints: fps.into_iter().collect(),
            any: false,
        }
    }

    pub fn add_key(&mut self, key: &PublicKey) {
        self.fingerprints.insert(key.fingerprint());
    }

    pub fn add_fingerprint(&mut self, fp: Fingerprint) {
        self.fingerprints.insert(fp);
    }

    pub fn accepts(&self, fp: &Fingerprint) -> bool {
        self.any || self.fingerprints.contains(fp)
    }
}

/// What to do with the recordings while verifying, and how to read.
#[derive(Debug, Clone)]
pub struct VerifyOptions {
    /// Extract the recordings under this directory (as
    /// `recordings/<code>/<task>.wav`). Files appear only once the whole
    /// bundle has verified; nothing is ever written outside it.
    pub extract_to: Option<PathBuf>,
    /// Read the archive on a second thread while this one hashes (faster
    /// when a spare core exists). Default: when the machine has more than
    /// two cores.
    pub reader_thread: bool,
}

impl Default for VerifyOptions {
    fn default() -> Self {
        Self {
            extract_to: None,
            reader_thread: std::thread::available_parallelism().is_ok_and(|n| n.get() > 2),
        }
    }
}

impl VerifyOptions {
    /// Verify and extract the recordings under `dir`.
    pub fn extract_to(dir: &Path) -> Self {
        Self {
            extract_to: Some(dir.to_path_buf()),
            ..Self::default()
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedRecording {
    /// Entry name, `recordings/<code>/<task>.wav`.
    pub name: String,
    pub code: String,
    pub sha256: Sha256Hash,
    pub size: u64,
    /// Where it was extracted, if [`VerifyOptions::extract_to`] was given.
    pub path: Option<PathBuf>,
}

/// A bundle whose every byte matched its signed manifest.
#[derive(Debug, Clone)]
pub struct VerifiedBundle {
    pub manifest: Manifest,
    pub signer: Fingerprint,
    pub answers: Vec<AnswerFile>,
    pub recordings: Vec<VerifiedRecording>,
    pub journal: Vec<ChainLink>,
    /// Bytes of entry data hashed.
    pub bytes: u64,
}

/// Verify `path` against the trusted keys.
pub fn verify_bundle(path: &Path, trust: &TrustedKeys) -> Result<VerifiedBundle> {
    verify_bundle_with(path, trust, &VerifyOptions::default())
}

/// Verify `path`, optionally extracting the recordings.
pub fn verify_bundle_with(
    path: &Path,
    trust: &TrustedKeys,
    options: &VerifyOptions,
) -> Result<VerifiedBundle> {
    let mut extracted = Vec::new();
    let result = verify_inner(path, trust, options, &mut extracted);
    match result {
        Ok(v) => {
            // Everything matched: give the extracted files their names.
            for (tmp, final_path) in &extracted {
                fs::rename(tmp, final_path).map_err(|e| BundleError::Write {
                    path: final_path.display().to_string(),
                    reason: e.to_string(),
                })?;
            }
            Ok(v)
        }
        Err(e) => {
            for (tmp, _) in &extracted {
                let _ = fs::remove_file(tmp);
            }
            Err(e)
        }
    }
}

fn unreadable(path: &Path, reason: impl std::fmt::Display) -> BundleError {
    BundleError::Unreadable {
        path: path.display().to_string(),
        reason: reason.to_string(),
    }
}

/// A safe entry name: relative, `/`-separated plain components only.
fn check_entry_name(name: &str, enclosed: Option<PathBuf>) -> Result<()> {
    if name.len() > limits::MAX_NAME {
        return Err(refused(name, "слишком длинное имя"));
    }
    let Some(enclosed) = enclosed else {
        return Err(refused(name, "имя выходит за пределы папки пакета"));
    };
    let plain = !name.is_empty()
        && !name.starts_with('/')
        && !name.contains('\\')
        && !name.contains('\0')
        && !name.contains(':')
        && name
            .split('/')
            .all(|c| !c.is_empty() && c != "." && c != "..");
    if !plain
        || !enclosed
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
        || enclosed != Path::new(name)
    {
        return Err(refused(
            name,
            "имя выходит за пределы папки пакета или не является простым путём",
        ));
    }
    Ok(())
}

const BUF: usize = 256 * 1024;

fn verify_inner(
    path: &Path,
    trust: &TrustedKeys,
    options: &VerifyOptions,
    extracted: &mut Vec<(PathBuf, PathBuf)>,
) -> Result<VerifiedBundle> {
    let bundle = path.display().to_string();
    let file = File::open(path).map_err(|e| unreadable(path, e))?;
    let file_len = file.metadata().map_err(|e| unreadable(path, e))?.len();
    let header_file = file.try_clone().map_err(|e| unreadable(path, e))?;
    let mut archive = ZipArchive::new(file)
        .map_err(|e| unreadable(path, format!("не zip-архив или архив обрезан ({e})")))?;

    // 1. The central directory: names, kinds, sizes, duplicates, caps.
    let n = archive.len();
    if n > limits::MAX_ENTRIES {
        return Err(refused(&bundle, format!("слишком много записей ({n})")));
    }
    let mut entries = Vec::with_capacity(n);
    let mut seen = HashSet::with_capacity(n);
    let mut total = 0u64;
    for i in 0..n {
        let e = archive.by_index_data(i).map_err(|e| unreadable(path, e))?;
        let name = std::str::from_utf8(e.name_raw())
            .map_err(|_| refused(&String::from_utf8_lossy(e.name_raw()), "имя не в UTF-8"))?
            .to_string();
        check_entry_name(&name, e.enclosed_name())?;
        if !seen.insert(name.clone()) {
            return Err(refused(&name, "имя повторяется в архиве"));
        }
        if e.is_symlink() {
            return Err(refused(&name, "символическая ссылка"));
        }
        if e.is_dir() {
            return Err(refused(&name, "каталог вместо файла"));
        }
        if e.encrypted() {
            return Err(refused(&name, "зашифрованная запись"));
        }
        if e.compression() != CompressionMethod::Stored || e.compressed_size() != e.size() {
            return Err(refused(
                &name,
                "сжатая запись (пакет станции хранит файлы без сжатия)",
            ));
        }
        let cap = if name == MANIFEST {
            limits::MAX_MANIFEST
        } else if name.ends_with(".wav") {
            limits::MAX_RECORDING
        } else {
            limits::MAX_JSON
        };
        if e.size() > cap {
            return Err(refused(
                &name,
                format!("запись слишком велика ({} байт)", e.size()),
            ));
        }
        total = total.saturating_add(e.size());
        if total > limits::MAX_TOTAL || total > file_len {
            return Err(refused(
                &name,
                "общий объём записей больше допустимого или больше файла",
            ));
        }
        entries.push(layout::Entry {
            name,
            crc32: e.crc32(),
            size: e.size(),
            header_start: e.header_start(),
        });
    }
    if n < 2 || entries[n - 2].name != MANIFEST || entries[n - 1].name != SIGNATURE {
        return Err(refused(
            &bundle,
            "нет манифеста и подписи в конце архива: это не пакет станции",
        ));
    }

    // 2. Every byte outside entry data in canonical form.
    layout::check(&header_file, &bundle, &entries, file_len)?;

    // 3. Manifest and signature, before anything else is trusted.
    let manifest_bytes = read_small(&mut archive, n - 2, MANIFEST, limits::MAX_MANIFEST)?;
    let signature = read_small(&mut archive, n - 1, SIGNATURE, 64)?;
    let raw: Value = serde_json::from_slice(&manifest_bytes)
        .map_err(|e| mismatch(MANIFEST, format!("не JSON: {e}")))?;
    if raw.get("format").and_then(Value::as_str) != Some(FORMAT) {
        return Err(refused(MANIFEST, "это не пакет результатов станции"));
    }
    match raw.get("format_version").and_then(Value::as_u64) {
        Some(v) if v == u64::from(FORMAT_VERSION) => {}
        Some(v) => {
            return Err(refused(
                MANIFEST,
                format!("неизвестная версия формата {v} (поддерживается {FORMAT_VERSION})"),
            ))
        }
        None => return Err(refused(MANIFEST, "не указана версия формата")),
    }
    let manifest: Manifest = serde_json::from_value(raw)
        .map_err(|e| mismatch(MANIFEST, format!("неверная структура: {e}")))?;
    if signature.len() != 64 {
        return Err(mismatch(SIGNATURE, "подпись не 64 байта"));
    }
    let signer = manifest.public_key.fingerprint();
    manifest
        .public_key
        .verify(&manifest_bytes, &signature)
        .map_err(|_| {
            mismatch(
                SIGNATURE,
                format!("подпись не сходится с манифестом (ключ {signer})"),
            )
        })?;
    if manifest.key_fingerprint != signer {
        return Err(mismatch(MANIFEST, "отпечаток ключа не соответствует ключу"));
    }
    if !trust.accepts(&signer) {
        return Err(BundleError::Untrusted {
            fingerprint: signer,
        });
    }

    // 4. The manifest's file list is exactly the archive's, in order.
    for (i, e) in entries[..n - 2].iter().enumerate() {
        match manifest.files.get(i) {
            Some(f) if f.name == e.name && f.crc32 == e.crc32 => {}
            Some(f) if f.name == e.name => {
                return Err(mismatch(
                    &e.name,
                    "CRC-32 в заголовках архива не совпадает с манифестом",
                ))
            }
            Some(f) if f.name < e.name => {
                return Err(mismatch(&f.name, "файл из манифеста отсутствует в архиве"))
            }
            _ => {
                return Err(mismatch(
                    &e.name,
                    "файла нет в манифесте или он не на своём месте",
                ))
            }
        }
    }
    if let Some(f) = manifest.files.get(n - 2) {
        return Err(mismatch(&f.name, "файл из манифеста отсутствует в архиве"));
    }
    if Manifest::compute_merkle_root(&manifest.files) != manifest.merkle_root {
        return Err(mismatch(
            MANIFEST,
            "корень дерева Меркла не совпадает со списком файлов",
        ));
    }

    // 5. Stream every entry once, hashing while reading. A reader thread
    //    pulls the data out of the archive (and checks its CRC) while this
    //    thread hashes, so verification runs at SHA-256 speed.
    for entry in &entries[..n - 2] {
        let name = &entry.name;
        let keep = name == JOURNAL || (name.starts_with("answers/") && name.ends_with(".json"));
        let is_recording = name.starts_with("recordings/") && name.ends_with(".wav");
        if !keep && !is_recording {
            return Err(refused(name, "неизвестный вид файла в пакете"));
        }
    }
    let data = &entries[..n - 2];
    let streamed = if options.reader_thread {
        stream_pipelined(&mut archive, data, &manifest, options, extracted)?
    } else {
        stream_sequential(&mut archive, data, &manifest, options, extracted)?
    };
    let Streamed {
        answers_raw,
        journal_raw,
        recordings,
        bytes,
    } = streamed;
    // 6. The journal: an intact chain ending at the signed head.
    let journal = parse_journal(&journal_raw)?;
    let (head, length) =
        verify_chain(journal.iter().cloned()).map_err(|b| BundleError::Record {
            entry: JOURNAL.to_string(),
            seq: b.seq,
            reason: b.reason,
        })?;
    if head != manifest.chain.head || length != manifest.chain.length {
        return Err(mismatch(JOURNAL, "конец цепочки не совпадает с манифестом"));
    }

    // 7. Answers files against the journal and the manifest.
    let answers = check_answers(&manifest, &journal, answers_raw)?;
    for r in &recordings {
        if !manifest.participants.iter().any(|p| p.code == r.code) {
            return Err(mismatch(
                &r.name,
                "запись участника, которого нет в манифесте",
            ));
        }
    }
    Ok(VerifiedBundle {
        manifest,
        signer,
        answers,
        recordings,
        journal,
        bytes,
    })
}

fn read_small(
    archive: &mut ZipArchive<File>,
    index: usize,
    name: &str,
    cap: u64,
) -> Result<Vec<u8>> {
    let reader = archive
        .by_index(index)
        .map_err(|e| mismatch(name, format!("запись не читается: {e}")))?;
    let mut out = Vec::new();
    reader
        .take(cap + 1)
        .read_to_end(&mut out)
        .map_err(|e| mismatch(name, format!("данные повреждены: {e}")))?;
    if out.len() as u64 > cap {
        return Err(refused(name, "запись слишком велика"));
    }
    Ok(out)
}

fn open_extract_target(
    dir: &Path,
    name: &str,
    extracted: &mut Vec<(PathBuf, PathBuf)>,
) -> Result<(File, PathBuf, PathBuf)> {
    let werr = |p: &Path, e: std::io::Error| BundleError::Write {
        path: p.display().to_string(),
        reason: e.to_string(),
    };
    // `name` passed check_entry_name: plain relative components only.
    let final_path = dir.join(name);
    let parent = final_path.parent().unwrap_or(dir).to_path_buf();
    fs::create_dir_all(&parent).map_err(|e| werr(&parent, e))?;
    // Refuse to follow a symlink planted anywhere below the target.
    let mut p = dir.to_path_buf();
    for c in Path::new(name)
        .parent()
        .into_iter()
        .flat_map(Path::components)
    {
        p.push(c);
        let meta = fs::symlink_metadata(&p).map_err(|e| werr(&p, e))?;
        if !meta.is_dir() {
            return Err(refused(
                name,
                format!("{} не является каталогом", p.display()),
            ));
        }
    }
    let mut tmp_name = final_path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    tmp_name.push(".part");
    let tmp = final_path.with_file_name(tmp_name);
    let _ = fs::remove_file(&tmp);
    let f = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp)
        .map_err(|e| werr(&tmp, e))?;
    extracted.push((tmp.clone(), final_path.clone()));
    Ok((f, tmp, final_path))
}
