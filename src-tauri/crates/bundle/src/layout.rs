//! The canonical byte layout of a bundle, checked header byte by header byte.
//!
//! Entry data is covered by the SHA-256 in the signed manifest; everything
//! else in the file (local headers, central directory, end record) must be
//! exactly what the writer produces for those entries: stored, no extra
//! fields or comments, fixed time stamp and permissions, entries back to
//! back from offset 0, nothing before, between or after. So no byte of a
//! bundle can change without verification failing.

use std::fs::File;

use crate::{mismatch, BundleError, Result};

/// Unix permissions every entry carries (`-rw-r--r--`).
pub(crate) const FILE_MODE: u32 = 0o644;
const EXTERNAL_ATTRS: u32 = (0o100_000 | FILE_MODE) << 16;
const VERSION_NEEDED: u16 = 10;
const VERSION_MADE_BY: u16 = 0x030a; // Unix, spec 1.0
const DOS_TIME: u16 = 0;
const DOS_DATE: u16 = 0x0021; // 1980-01-01
const LOCAL_LEN: u64 = 30;
const CENTRAL_LEN: u64 = 46;
const EOCD_LEN: u64 = 22;

/// One entry as the central directory describes it.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub name: String,
    pub crc32: u32,
    pub size: u64,
    pub header_start: u64,
}

impl Entry {
    pub fn data_start(&self) -> u64 {
        self.header_start + LOCAL_LEN + self.name.len() as u64
    }
    fn end(&self) -> u64 {
        self.data_start() + self.size
    }
}

fn local_header(e: &Entry) -> Result<Vec<u8>> {
    let size = u32::try_from(e.size).map_err(|_| mismatch(&e.name, "запись больше 4 ГБ"))?;
    let name_len =
        u16::try_from(e.name.len()).map_err(|_| mismatch(&e.name, "имя слишком длинное"))?;
    let mut h = Vec::with_capacity(30 + e.name.len());
    h.extend_from_slice(b"PK\x03\x04");
    h.extend_from_slice(&VERSION_NEEDED.to_le_bytes());
    h.extend_from_slice(&0u16.to_le_bytes()); // flags
    h.extend_from_slice(&0u16.to_le_bytes()); // stored
    h.extend_from_slice(&DOS_TIME.to_le_bytes());
    h.extend_from_slice(&DOS_DATE.to_le_bytes());
    h.extend_from_slice(&e.crc32.to_le_bytes());
    h.extend_from_slice(&size.to_le_bytes());
    h.extend_from_slice(&size.to_le_bytes());
    h.extend_from_slice(&name_len.to_le_bytes());
    h.extend_from_slice(&0u16.to_le_bytes()); // extra
    h.extend_from_slice(e.name.as_bytes());
    Ok(h)
}

fn central_record(e: &Entry, out: &mut Vec<u8>) -> Result<()> {
    let size = u32::try_from(e.size).map_err(|_| mismatch(&e.name, "запись больше 4 ГБ"))?;
    let offset =
        u32::try_from(e.header_start).map_err(|_| mismatch(&e.name, "смещение больше 4 ГБ"))?;
    let name_len =
        u16::try_from(e.name.len()).map_err(|_| mismatch(&e.name, "имя слишком длинное"))?;
    out.extend_from_slice(b"PK\x01\x02");
    out.extend_from_slice(&VERSION_MADE_BY.to_le_bytes());
    out.extend_from_slice(&VERSION_NEEDED.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes()); // flags
    out.extend_from_slice(&0u16.to_le_bytes()); // stored
    out.extend_from_slice(&DOS_TIME.to_le_bytes());
    out.extend_from_slice(&DOS_DATE.to_le_bytes());
    out.extend_from_slice(&e.crc32.to_le_bytes());
    out.extend_from_slice(&size.to_le_bytes());
    out.extend_from_slice(&size.to_le_bytes());
    out.extend_from_slice(&name_len.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes()); // extra
    out.extend_from_slice(&0u16.to_le_bytes()); // comment
    out.extend_from_slice(&0u16.to_le_bytes()); // disk
    out.extend_from_slice(&0u16.to_le_bytes()); // internal attributes
    out.extend_from_slice(&EXTERNAL_ATTRS.to_le_bytes());
    out.extend_from_slice(&offset.to_le_bytes());
    out.extend_from_slice(e.name.as_bytes());
    Ok(())
}

/// Check that the whole file outside entry data is in canonical form:
/// entries back to back from offset 0, their local headers, then the
/// central directory and the end record, then nothing.
pub(crate) fn check(file: &File, bundle: &str, entries: &[Entry], file_len: u64) -> Result<()> {
    let mut expected_start = 0u64;
    for e in entries {
        if e.header_start != expected_start {
            return Err(mismatch(
                &e.name,
                "запись стоит не на своём месте в архиве (лишние байты или другой порядок)",
            ));
        }
        let want = local_header(e)?;
        let mut got = vec![0u8; want.len()];
        read_at(file, bundle, &mut got, e.header_start)?;
        if got != want {
            return Err(mismatch(&e.name, "заголовок записи в архиве изменён"));
        }
        expected_start = e.end();
    }
    let mut central = Vec::new();
    for e in entries {
        central_record(e, &mut central)?;
    }
    let count = u16::try_from(entries.len())
        .map_err(|_| mismatch(bundle, "слишком много записей для формата"))?;
    let cd_size = u32::try_from(central.len()).map_err(|_| mismatch(bundle, "оглавление"))?;
    let cd_offset =
        u32::try_from(expected_start).map_err(|_| mismatch(bundle, "архив больше 4 ГБ"))?;
    central.extend_from_slice(b"PK\x05\x06");
    central.extend_from_slice(&0u16.to_le_bytes());
    central.extend_from_slice(&0u16.to_le_bytes());
    central.extend_from_slice(&count.to_le_bytes());
    central.extend_from_slice(&count.to_le_bytes());
    central.extend_from_slice(&cd_size.to_le_bytes());
    central.extend_from_slice(&cd_offset.to_le_bytes());
    central.extend_from_slice(&0u16.to_le_bytes()); // comment
    if expected_start + central.len() as u64 != file_len {
        return Err(mismatch(
            bundle,
            "в архиве лишние или недостающие байты после данных",
        ));
    }
    let mut got = vec![0u8; central.len()];
    read_at(file, bundle, &mut got, expected_start)?;
    if got != central {
        // Name the entry whose central record differs.
        let mut at = 0usize;
        for e in entries {
            let len = (CENTRAL_LEN as usize) + e.name.len();
            if got.get(at..at + len) != central.get(at..at + len) {
                return Err(mismatch(&e.name, "запись оглавления архива изменена"));
            }
            at += len;
        }
        let _ = EOCD_LEN;
        return Err(mismatch(bundle, "конец оглавления архива изменён"));
    }
    Ok(())
}

fn read_at(file: &File, bundle: &str, buf: &mut [u8], offset: u64) -> Result<()> {
    read_exact_at(file, buf, offset).map_err(|e| BundleError::Unreadable {
        path: bundle.to_string(),
        reason: e.to_string(),
    })
}

#[cfg(unix)]
fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

#[cfg(windows)]
fn read_exact_at(file: &File, mut buf: &mut [u8], mut offset: u64) -> std::io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !buf.is_empty() {
        match file.seek_read(buf, offset)? {
            0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            n => {
                buf = &mut buf[n..];
                offset += n as u64;
            }
        }
    }
    Ok(())
}
