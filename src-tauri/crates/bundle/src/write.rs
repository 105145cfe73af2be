//! Writing a station bundle: temporary name, fsync, rename, read back, verify.

use std::{
    collections::BTreeMap,
    fs,
    io::{Read, Write},
    path::{Path, PathBuf},
};

use time::OffsetDateTime;
use vpr_integrity::{HashingReader, StationKey};
use vpr_store::{format_at, Store};
use zip::{write::SimpleFileOptions, CompressionMethod, ZipWriter};

use crate::{
    layout,
    manifest::{
        AnswerFile, BundleAnswer, BundleRecording, BundleSession, ChainInfo, FileEntry, Manifest,
        Participant, StationRef, FORMAT, FORMAT_VERSION,
    },
    verify::{verify_bundle, TrustedKeys},
    wire::{LevelFlags, RecordingStatus, SessionStatus},
    BundleError, Result, JOURNAL, MANIFEST, SIGNATURE,
};

// The boundary between the station database and the wire format: the
// store's types map onto the bundle's, one to one.

impl From<vpr_store::SessionStatus> for SessionStatus {
    fn from(s: vpr_store::SessionStatus) -> Self {
        match s {
            vpr_store::SessionStatus::Active => Self::Active,
            vpr_store::SessionStatus::Finished => Self::Finished,
            vpr_store::SessionStatus::TechnicalFailure => Self::TechnicalFailure,
            vpr_store::SessionStatus::Training => Self::Training,
        }
    }
}

impl From<vpr_store::RecordingStatus> for RecordingStatus {
    fn from(s: vpr_store::RecordingStatus) -> Self {
        match s {
            vpr_store::RecordingStatus::Recording => Self::Recording,
            vpr_store::RecordingStatus::Complete => Self::Complete,
            vpr_store::RecordingStatus::Interrupted => Self::Interrupted,
            vpr_store::RecordingStatus::Repaired => Self::Repaired,
        }
    }
}

impl From<vpr_store::LevelFlags> for LevelFlags {
    fn from(f: vpr_store::LevelFlags) -> Self {
        Self {
            silent: f.silent,
            too_quiet: f.too_quiet,
            clipped: f.clipped,
        }
    }
}

/// What was written and verified.
#[derive(Debug, Clone)]
pub struct WrittenBundle {
    pub path: PathBuf,
    pub manifest: Manifest,
    pub bytes: u64,
}

/// A file name for the bundle: `vpr-<school>-st<number>-<YYYYMMDD-HHMMSS>.zip`.
pub fn default_file_name(school_id: &str, number: u32, at: OffsetDateTime) -> String {
    let at = at.to_offset(time::UtcOffset::UTC);
    format!(
        "vpr-{}-st{:02}-{:04}{:02}{:02}-{:02}{:02}{:02}.zip",
        school_id
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect::<String>(),
        number,
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    )
}

enum Source {
    Bytes(Vec<u8>),
    /// A recording on disk with the SHA-256 its row records, if any.
    File(PathBuf, Option<vpr_integrity::Sha256Hash>),
}

fn check_name_part(kind: &str, s: &str) -> Result<()> {
    if s.is_empty()
        || s.len() > 64
        || !s
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        return Err(BundleError::NotReady(format!(
            "{kind} {s:?} нельзя использовать в имени файла"
        )));
    }
    Ok(())
}

fn write_err(path: &Path, e: impl std::fmt::Display) -> BundleError {
    BundleError::Write {
        path: path.display().to_string(),
        reason: e.to_string(),
    }
}

/// Write the bundle of every non-training session in `store` to `out`
/// (recording files are relative to `data_dir`), sign it with `key`, then
/// read the written file back and verify it against `key`.
pub fn write_bundle(
    store: &Store,
    data_dir: &Path,
    key: &StationKey,
    out: &Path,
    created_at: OffsetDateTime,
) -> Result<WrittenBundle> {
    let station = store.station()?.ok_or_else(|| {
        BundleError::NotReady("станция не настроена (нет кода ОО и номера)".into())
    })?;
    let public_key = key.public_key();
    if station.key_fingerprint != public_key.fingerprint() {
        return Err(BundleError::NotReady(
            "ключ станции не совпадает с записанным при настройке".into(),
        ));
    }
    // Never export a journal that does not verify.
    let head = store.verify()?;
    let journal = store.journal()?;

    let mut by_code: BTreeMap<String, Vec<vpr_store::Session>> = BTreeMap::new();
    for s in store.sessions()? {
        if s.status != vpr_store::SessionStatus::Training {
            by_code
                .entry(s.participant_code.clone())
                .or_default()
                .push(s);
        }
    }

    let mut entries: BTreeMap<String, Source> = BTreeMap::new();
    let mut participants = Vec::new();
    let mut package_ids = Vec::new();
    for (code, sessions) in &by_code {
        check_name_part("код участника", code)?;
        let mut file = AnswerFile {
            code: code.clone(),
            sessions: Vec::new(),
        };
        for s in sessions {
            let answers = store
                .answers(s.id)?
                .into_iter()
                .map(|a| BundleAnswer {
                    task: a.task,
                    item: a.item,
                    value: a.value,
                    saved_at: format_at(a.saved_at),
                    seq: a.seq,
                })
                .collect();
            let mut recordings = Vec::new();
            for r in store.recordings(s.id)? {
                check_name_part("номер задания", &r.task)?;
                let on_disk = data_dir.join(&r.file);
                let name = if on_disk.is_file() {
                    let mut name = format!("recordings/{code}/{}.wav", r.task);
                    if entries.contains_key(&name) {
                        name = format!("recordings/{code}/{}-{}.wav", r.task, r.id);
                    }
                    entries.insert(name.clone(), Source::File(on_disk, r.sha256));
                    Some(name)
                } else {
                    None
                };
                recordings.push(BundleRecording {
                    task: r.task,
                    item: r.item,
                    file: name,
                    sha256: r.sha256,
                    duration_ms: r.duration_ms,
                    status: r.status.into(),
                    level_flags: r.level_flags.into(),
                    seq: r.seq,
                });
            }
            file.sessions.push(BundleSession {
                session_id: s.id,
                package_id: s.package_id.clone(),
                variant: s.variant.clone(),
                status: s.status.into(),
                extended_time: s.extended_time,
                adapted_version: s.adapted_version.clone(),
                started_at: format_at(s.started_at),
                package_sha256: s.package_sha256.clone(),
                issuer_fingerprint: s.issuer_fingerprint.clone(),
                answers,
                recordings,
            });
            if !package_ids.contains(&s.package_id) {
                package_ids.push(s.package_id.clone());
            }
        }
        // The participant line shows the latest session of the code.
        if let Some(last) = sessions.last() {
            participants.push(Participant {
                code: code.clone(),
                package_id: last.package_id.clone(),
                variant: last.variant.clone(),
                status: last.status.into(),
                extended_time: last.extended_time,
                adapted_version: last.adapted_version.clone(),
                answers_file: format!("answers/{code}.json"),
            });
        }
        let json = serde_json::to_vec_pretty(&file).map_err(|e| write_err(out, e))?;
        entries.insert(format!("answers/{code}.json"), Source::Bytes(json));
    }
    package_ids.sort();
    let mut journal_bytes = Vec::new();
    for link in &journal {
        serde_json::to_writer(&mut journal_bytes, link).map_err(|e| write_err(out, e))?;
        journal_bytes.push(b'\n');
    }
    entries.insert(JOURNAL.to_string(), Source::Bytes(journal_bytes));

    let tmp = tmp_path(out);
    let result = write_zip(
        &tmp,
        entries,
        |files| {
            let merkle_root = Manifest::compute_merkle_root(files);
            Manifest {
                format: FORMAT.to_string(),
                format_version: FORMAT_VERSION,
                school_id: station.school_id.clone(),
                station: StationRef {
                    id: station.station_id.clone(),
                    number: station.number,
                    room: station.room.clone(),
                },
                package_ids: package_ids.clone(),
                participants: participants.clone(),
                files: files.to_vec(),
                chain: ChainInfo {
                    length: head.seq,
                    head: head.hash,
                },
                merkle_root,
                public_key,
                key_fingerprint: public_key.fingerprint(),
                created_at: format_at(created_at),
            }
        },
        key,
    );
    let manifest = match result {
        Ok(m) => m,
        Err(e) => {
            let _ = fs::remove_file(&tmp);
            return Err(e);
        }
    };
    fs::rename(&tmp, out).map_err(|e| {
        let _ = fs::remove_file(&tmp);
        write_err(out, e)
    })?;
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        if let Ok(d) = fs::File::open(dir) {
            d.sync_all().map_err(|e| write_err(dir, e))?;
        }
    }
    // Read back what the drive now holds and verify it as the coordinator will.
    let verified = verify_bundle(out, &TrustedKeys::only(&[public_key]))?;
    if verified.manifest != manifest {
        return Err(write_err(
            out,
            "прочитанный манифест отличается от записанного",
        ));
    }
    Ok(WrittenBundle {
        path: out.to_path_buf(),
        manifest,
        bytes: verified.bytes,
    })
}

fn tmp_path(out: &Path) -> PathBuf {
    let mut name = out
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".tmp");
    out.with_file_name(name)
}

/// Options of every entry: the canonical form the verifier insists on.
pub(crate) fn entry_options() -> SimpleFileOptions {
    SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(layout::FILE_MODE)
        .large_file(false)
}

fn write_zip(
    tmp: &Path,
    entries: BTreeMap<String, Source>,
    make_manifest: impl FnOnce(&[FileEntry]) -> Manifest,
    key: &StationKey,
) -> Result<Manifest> {
    let file = fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(tmp)
        .map_err(|e| write_err(tmp, e))?;
    let mut zip = ZipWriter::new(std::io::BufWriter::with_capacity(1 << 20, file));
    let mut files = Vec::with_capacity(entries.len());
    let mut buf = vec![0u8; 256 * 1024];
    for (name, source) in entries {
        zip.start_file(name.as_str(), entry_options())
            .map_err(|e| write_err(tmp, e))?;
        let mut crc = crc32fast::Hasher::new();
        let (sha256, size) = match source {
            Source::Bytes(bytes) => {
                zip.write_all(&bytes).map_err(|e| write_err(tmp, e))?;
                crc.update(&bytes);
                (vpr_integrity::sha256(&bytes), bytes.len() as u64)
            }
            Source::File(path, expected) => {
                let f = fs::File::open(&path).map_err(|e| write_err(&path, e))?;
                let mut reader = HashingReader::new(f);
                loop {
                    let n = reader.read(&mut buf).map_err(|e| write_err(&path, e))?;
                    if n == 0 {
                        break;
                    }
                    zip.write_all(&buf[..n]).map_err(|e| write_err(tmp, e))?;
                    crc.update(&buf[..n]);
                }
                let (sha, size) = reader.finish();
                if expected.is_some_and(|e| e != sha) {
                    return Err(BundleError::NotReady(format!(
                        "файл записи {} изменился после того, как был сохранён",
                        path.display()
                    )));
                }
                (sha, size)
            }
        };
        files.push(FileEntry {
            name,
            sha256,
            size,
            crc32: crc.finalize(),
        });
    }
    let manifest = make_manifest(&files);
    let manifest_bytes = serde_json::to_vec_pretty(&manifest).map_err(|e| write_err(tmp, e))?;
    let signature = key.sign(&manifest_bytes);
    zip.start_file(MANIFEST, entry_options())
        .map_err(|e| write_err(tmp, e))?;
    zip.write_all(&manifest_bytes)
        .map_err(|e| write_err(tmp, e))?;
    zip.start_file(SIGNATURE, entry_options())
        .map_err(|e| write_err(tmp, e))?;
    zip.write_all(&signature).map_err(|e| write_err(tmp, e))?;
    let writer = zip.finish().map_err(|e| write_err(tmp, e))?;
    let file = writer.into_inner().map_err(|e| write_err(tmp, e.error()))?;
    file.sync_all().map_err(|e| write_err(tmp, e))?;
    Ok(manifest)
}
