//! Streaming the data entries of a bundle: a reader thread decompresses
//! entries in blocks while the caller hashes (and optionally extracts) them.

use std::{
    fs::File,
    io::{Read, Write},
    path::PathBuf,
    sync::mpsc,
};

use vpr_integrity::Sha256;
use zip::{read::ZipReadOptions, ZipArchive};

use super::*;
use crate::{manifest::FileEntry, mismatch, BundleError, Result};

/// What the reader thread hands over.
pub(super) enum Chunk {
    /// Data of entry `.0`.
    Data(usize, Vec<u8>),
    /// Entry `.0` is complete (its CRC matched).
    End(usize),
    /// Entry `.0` could not be read.
    Failed(usize, String),
}

/// The reader thread: every data entry in order, in blocks of [`BUF`].
pub(super) fn read_entries(
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

pub(super) struct Streamed {
    pub(super) answers_raw: Vec<(String, Vec<u8>)>,
    pub(super) journal_raw: Vec<u8>,
    pub(super) recordings: Vec<VerifiedRecording>,
    pub(super) bytes: u64,
}

/// The check of one entry against the manifest, fed block by block.
pub(super) struct EntryCheck<'m> {
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

pub(super) fn empty_streamed() -> Streamed {
    Streamed {
        answers_raw: Vec::new(),
        journal_raw: Vec::new(),
        recordings: Vec::new(),
        bytes: 0,
    }
}

/// One thread: read a block, hash it, repeat.
pub(super) fn stream_sequential(
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
pub(super) fn stream_pipelined(
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
pub(super) fn consume_entries(
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
pub(super) fn data_read_options() -> ZipReadOptions<'static> {
    ZipReadOptions::new().ignore_crc32(true)
}
