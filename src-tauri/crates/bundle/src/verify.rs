//! Streaming verification of a station bundle.

use std::{
    collections::{BTreeSet, HashMap, HashSet},
    fs::{self, File},
    io::{Read, Write},
    path::{Component, Path, PathBuf},
    sync::mpsc,
};

use crate::wire::SessionStatus;
use serde_json::Value;
use vpr_integrity::{
    canonical_json, verify_chain, ChainLink, Fingerprint, PublicKey, Sha256, Sha256Hash,
};
use zip::{read::ZipReadOptions, CompressionMethod, ZipArchive};

use crate::{
    layout, limits,
    manifest::{AnswerFile, FileEntry, Manifest, FORMAT, FORMAT_VERSION},
    mismatch, refused, BundleError, Result, JOURNAL, MANIFEST, SIGNATURE,
};

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

fn parse_journal(raw: &[u8]) -> Result<Vec<ChainLink>> {
    let text = std::str::from_utf8(raw).map_err(|_| mismatch(JOURNAL, "не UTF-8"))?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let link: ChainLink = serde_json::from_str(line).map_err(|e| BundleError::Record {
            entry: JOURNAL.to_string(),
            seq: i as u64 + 1,
            reason: format!("строка не разбирается: {e}"),
        })?;
        out.push(link);
    }
    Ok(out)
}

struct JournalView {
    /// seq → (kind, at, data)
    records: Vec<(String, String, Value)>,
    latest_answer: HashMap<(i64, String, String), u64>,
    latest_row: HashMap<(&'static str, i64), u64>,
}

fn view(journal: &[ChainLink]) -> Result<JournalView> {
    let mut v = JournalView {
        records: Vec::with_capacity(journal.len()),
        latest_answer: HashMap::new(),
        latest_row: HashMap::new(),
    };
    for link in journal {
        let bad = |reason: &str| BundleError::Record {
            entry: JOURNAL.to_string(),
            seq: link.seq,
            reason: reason.to_string(),
        };
        let body: Value = serde_json::from_str(&link.body).map_err(|_| bad("не JSON"))?;
        let at = body
            .get("at")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let data = body.get("data").cloned().unwrap_or(Value::Null);
        match link.kind.as_str() {
            "answer" => {
                let key = (
                    data.get("session_id").and_then(Value::as_i64).unwrap_or(-1),
                    data.get("task")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_string(),
                    data.get("item")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_string(),
                );
                v.latest_answer.insert(key, link.seq);
            }
            "session" | "recording" => {
                let table = if link.kind == "session" {
                    "session"
                } else {
                    "recording"
                };
                let id = data
                    .get("id")
                    .and_then(Value::as_i64)
                    .ok_or_else(|| bad("нет номера"))?;
                v.latest_row.insert((table, id), link.seq);
            }
            _ => {}
        }
        v.records.push((link.kind.clone(), at, data));
    }
    Ok(v)
}

fn same(a: &Value, b: &Value) -> bool {
    matches!((canonical_json(a), canonical_json(b)), (Ok(x), Ok(y)) if x == y)
}

fn check_answers(
    manifest: &Manifest,
    journal: &[ChainLink],
    raw: Vec<(String, Vec<u8>)>,
) -> Result<Vec<AnswerFile>> {
    let view = view(journal)?;
    let record = |seq: u64| -> Option<&(String, String, Value)> {
        usize::try_from(seq)
            .ok()
            .and_then(|s| s.checked_sub(1))
            .and_then(|i| view.records.get(i))
    };
    let mut out = Vec::with_capacity(raw.len());
    let mut sessions_seen = HashSet::new();
    for (name, bytes) in raw {
        let file: AnswerFile = serde_json::from_slice(&bytes)
            .map_err(|e| mismatch(&name, format!("неверная структура: {e}")))?;
        if name != format!("answers/{}.json", file.code)
            || !manifest
                .participants
                .iter()
                .any(|p| p.code == file.code && p.answers_file == name)
        {
            return Err(mismatch(&name, "код участника не совпадает с манифестом"));
        }
        for s in &file.sessions {
            let rec_err = |seq: u64, reason: &str| BundleError::Record {
                entry: name.clone(),
                seq,
                reason: reason.to_string(),
            };
            let sseq = view
                .latest_row
                .get(&("session", s.session_id))
                .copied()
                .unwrap_or(0);
            let srow = record(sseq).map(|r| &r.2);
            let ok = srow.is_some_and(|d| {
                d.get("participant_code").and_then(Value::as_str) == Some(file.code.as_str())
                    && d.get("package_id").and_then(Value::as_str) == Some(s.package_id.as_str())
                    && d.get("variant").and_then(Value::as_str) == Some(s.variant.as_str())
                    && d.get("status").and_then(Value::as_str)
                        == serde_json::to_value(s.status)
                            .ok()
                            .as_ref()
                            .and_then(Value::as_str)
            });
            if !ok {
                return Err(rec_err(sseq, "сеанс не совпадает с журналом"));
            }
            sessions_seen.insert(s.session_id);
            let mut listed = HashSet::new();
            for a in &s.answers {
                let good = record(a.seq).is_some_and(|(kind, at, d)| {
                    kind == "answer"
                        && *at == a.saved_at
                        && d.get("session_id").and_then(Value::as_i64) == Some(s.session_id)
                        && d.get("task").and_then(Value::as_str) == Some(a.task.as_str())
                        && d.get("item").and_then(Value::as_str) == Some(a.item.as_str())
                        && d.get("value").is_some_and(|v| same(v, &a.value))
                });
                if !good {
                    return Err(rec_err(a.seq, "ответ не совпадает с журналом"));
                }
                let key = (s.session_id, a.task.clone(), a.item.clone());
                if view.latest_answer.get(&key) != Some(&a.seq) {
                    return Err(rec_err(
                        a.seq,
                        "в журнале есть более поздний ответ на это задание",
                    ));
                }
                listed.insert(key);
            }
            for (key, seq) in &view.latest_answer {
                if key.0 == s.session_id && !listed.contains(key) {
                    return Err(rec_err(*seq, "ответ из журнала отсутствует в файле"));
                }
            }
            for r in &s.recordings {
                let good = record(r.seq).is_some_and(|(kind, _, d)| {
                    kind == "recording"
                        && d.get("session_id").and_then(Value::as_i64) == Some(s.session_id)
                        && d.get("task").and_then(Value::as_str) == Some(r.task.as_str())
                        && d.get("sha256").and_then(Value::as_str).map(str::to_string)
                            == r.sha256.map(|h| h.to_hex())
                        && d.get("duration_ms").and_then(Value::as_u64) == Some(r.duration_ms)
                        && d.get("id").and_then(Value::as_i64).is_some_and(|id| {
                            view.latest_row.get(&("recording", id)) == Some(&r.seq)
                        })
                });
                if !good {
                    return Err(rec_err(r.seq, "запись ответа не совпадает с журналом"));
                }
                if let (Some(f), Some(sha)) = (&r.file, r.sha256) {
                    match manifest.file(f) {
                        Some(entry) if entry.sha256 == sha => {}
                        _ => {
                            return Err(mismatch(f, "файл записи не совпадает с хешем из журнала"))
                        }
                    }
                }
            }
        }
        out.push(file);
    }
    for p in &manifest.participants {
        if !out.iter().any(|f| f.code == p.code) {
            return Err(mismatch(
                &p.answers_file,
                "файл ответов участника отсутствует",
            ));
        }
    }
    // Every exam session of the journal is in some answers file.
    for (&(table, id), &seq) in &view.latest_row {
        if table == "session" && !sessions_seen.contains(&id) {
            let training = record(seq)
                .and_then(|r| r.2.get("status"))
                .and_then(Value::as_str)
                == Some(SessionStatus::Training.as_str());
            if !training {
                return Err(BundleError::Record {
                    entry: JOURNAL.to_string(),
                    seq,
                    reason: "сеанс из журнала отсутствует в файлах ответов".into(),
                });
            }
        }
    }
    Ok(out)
}

/// What the reader thread hands over.
enum Chunk {
    /// Data of entry `.0`.
    Data(usize, Vec<u8>),
    /// Entry `.0` is complete (its CRC matched).
    End(usize),
    /// Entry `.0` could not be read.
    Failed(usize, String),
}

/// The reader thread: every data entry in order, in blocks of [`BUF`].
fn read_entries(
    archive: &mut ZipArchive<File>,
    count: usize,
    tx: &mpsc::SyncSender<Chunk>,
    recycle: &mpsc::Receiver<Vec<u8>>,
) {
    for i in 0..count {
        let mut reader = match archive.by_index_with_options(i, data_read_options()) {
            Ok(r) => r,
            Err(e) => {
                let _ = tx.send(Chunk::Failed(i, format!("запись не читается: {e}")));
                return;
            }
        };
        loop {
            let mut buf = recycle.try_recv().unwrap_or_default();
            buf.resize(BUF, 0);
            match reader.read(&mut buf) {
                Ok(0) => break,
                Ok(k) => {
                    buf.truncate(k);
                    if tx.send(Chunk::Data(i, buf)).is_err() {
                        return;
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    let _ = tx.send(Chunk::Failed(i, format!("данные повреждены: {e}")));
                    return;
                }
            }
        }
        if tx.send(Chunk::End(i)).is_err() {
            return;
        }
    }
}

struct Streamed {
    answers_raw: Vec<(String, Vec<u8>)>,
    journal_raw: Vec<u8>,
    recordings: Vec<VerifiedRecording>,
    bytes: u64,
}

/// The check of one entry against the manifest, fed block by block.
struct EntryCheck<'m> {
    name: String,
    expected: &'m FileEntry,
    keep: bool,
    kept: Vec<u8>,
    sink: Option<(File, PathBuf, PathBuf)>,
    hash: Sha256,
    size: u64,
}

impl<'m> EntryCheck<'m> {
    fn new(
        entry: &layout::Entry,
        expected: &'m FileEntry,
        options: &VerifyOptions,
        extracted: &mut Vec<(PathBuf, PathBuf)>,
    ) -> Result<Self> {
        let name = entry.name.clone();
        let keep = name == JOURNAL || name.starts_with("answers/");
        let sink = match &options.extract_to {
            Some(dir) if !keep => Some(open_extract_target(dir, &name, extracted)?),
            _ => None,
        };
        Ok(Self {
            name,
            expected,
            keep,
            kept: Vec::new(),
            sink,
            hash: Sha256::new(),
            size: 0,
        })
    }

    fn feed(&mut self, chunk: &[u8]) -> Result<()> {
        self.hash.update(chunk);
        self.size += chunk.len() as u64;
        if self.size > self.expected.size {
            return Err(mismatch(
                &self.name,
                "файл длиннее, чем указано в манифесте",
            ));
        }
        if self.keep {
            self.kept.extend_from_slice(chunk);
        }
        if let Some((f, tmp, _)) = &mut self.sink {
            f.write_all(chunk).map_err(|e| BundleError::Write {
                path: tmp.display().to_string(),
                reason: e.to_string(),
            })?;
        }
        Ok(())
    }

    fn finish(self, out: &mut Streamed) -> Result<()> {
        let Self {
            name,
            expected,
            keep,
            kept,
            sink,
            hash,
            size,
        } = self;
        out.bytes += size;
        if size != expected.size {
            return Err(mismatch(
                &name,
                format!("размер {size} байт, в манифесте {}", expected.size),
            ));
        }
        if hash.finish() != expected.sha256 {
            return Err(mismatch(&name, "SHA-256 не совпадает с манифестом"));
        }
        if name == JOURNAL {
            out.journal_raw = kept;
        } else if keep {
            out.answers_raw.push((name, kept));
        } else {
            let code = name.split('/').nth(1).unwrap_or_default().to_string();
            let path = match sink {
                Some((f, tmp, final_path)) => {
                    f.sync_all().map_err(|e| BundleError::Write {
                        path: tmp.display().to_string(),
                        reason: e.to_string(),
                    })?;
                    Some(final_path)
                }
                None => None,
            };
            out.recordings.push(VerifiedRecording {
                name,
                code,
                sha256: expected.sha256,
                size,
                path,
            });
        }
        Ok(())
    }
}

fn empty_streamed() -> Streamed {
    Streamed {
        answers_raw: Vec::new(),
        journal_raw: Vec::new(),
        recordings: Vec::new(),
        bytes: 0,
    }
}

/// One thread: read a block, hash it, repeat.
fn stream_sequential(
    archive: &mut ZipArchive<File>,
    entries: &[layout::Entry],
    manifest: &Manifest,
    options: &VerifyOptions,
    extracted: &mut Vec<(PathBuf, PathBuf)>,
) -> Result<Streamed> {
    let mut out = empty_streamed();
    let mut buf = vec![0u8; BUF];
    for (i, entry) in entries.iter().enumerate() {
        let mut check = EntryCheck::new(entry, &manifest.files[i], options, extracted)?;
        let mut reader = archive
            .by_index_with_options(i, data_read_options())
            .map_err(|e| mismatch(&entry.name, format!("запись не читается: {e}")))?;
        loop {
            match reader.read(&mut buf) {
                Ok(0) => break,
                Ok(k) => check.feed(&buf[..k])?,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(mismatch(&entry.name, format!("данные повреждены: {e}"))),
            }
        }
        drop(reader);
        check.finish(&mut out)?;
    }
    Ok(out)
}

/// Two threads: a reader pulls blocks out of the archive (checking CRCs)
/// while this thread hashes them.
fn stream_pipelined(
    archive: &mut ZipArchive<File>,
    entries: &[layout::Entry],
    manifest: &Manifest,
    options: &VerifyOptions,
    extracted: &mut Vec<(PathBuf, PathBuf)>,
) -> Result<Streamed> {
    let count = entries.len();
    let (tx, rx) = mpsc::sync_channel::<Chunk>(8);
    let (recycle_tx, recycle_rx) = mpsc::channel::<Vec<u8>>();
    std::thread::scope(|scope| {
        scope.spawn(move || read_entries(archive, count, &tx, &recycle_rx));
        let out = consume_entries(entries, manifest, options, extracted, &rx, &recycle_tx);
        drop(rx); // unblocks the reader if we stopped early
        out
    })
}

/// The hashing side of [`stream_pipelined`].
fn consume_entries(
    entries: &[layout::Entry],
    manifest: &Manifest,
    options: &VerifyOptions,
    extracted: &mut Vec<(PathBuf, PathBuf)>,
    rx: &mpsc::Receiver<Chunk>,
    recycle: &mpsc::Sender<Vec<u8>>,
) -> Result<Streamed> {
    let mut out = empty_streamed();
    for (i, entry) in entries.iter().enumerate() {
        let mut check = EntryCheck::new(entry, &manifest.files[i], options, extracted)?;
        loop {
            match rx.recv() {
                Ok(Chunk::Data(j, buf)) if j == i => {
                    check.feed(&buf)?;
                    let _ = recycle.send(buf);
                }
                Ok(Chunk::End(j)) if j == i => break,
                Ok(Chunk::Failed(j, reason)) => {
                    return Err(mismatch(
                        entries.get(j).map_or(&entry.name, |e| &e.name),
                        reason,
                    ))
                }
                _ => return Err(mismatch(&entry.name, "чтение архива прервано")),
            }
        }
        check.finish(&mut out)?;
    }
    Ok(out)
}

/// How entry data is read. The zip CRC-32 is not recomputed: the data is
/// hashed with SHA-256 against the signed manifest, and the CRC-32 the
/// headers state is compared with the one the signer recorded in the
/// manifest, so recomputing it would only cost time.
fn data_read_options() -> ZipReadOptions<'static> {
    ZipReadOptions::new().ignore_crc32(true)
}
