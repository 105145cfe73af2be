//! Building a `.vprpkg` (issuer side).

use std::{
    fs,
    io::Write,
    path::{Path, PathBuf},
};

use ring::digest;
use serde::Serialize;
use time::OffsetDateTime;
use ts_rs::TS;

use crate::{
    archive::{is_keys_path, Archive},
    container::{aad, write_part, KEYS_LABEL, MAGIC, MATERIALS_LABEL},
    crypto,
    password::check_strength,
    Issuer, Limits, PackageError, PackageHeader, PackageMeta, Result, SizeItem, FORMAT_VERSION,
    ITERATIONS,
};

/// Everything a package is built from.
///
/// [`build`] signs `meta` as given; `vpr package build` takes it from the
/// materials ([`MaterialsHeader::read_dir`](crate::MaterialsHeader::read_dir)
/// and [`MaterialsHeader::meta`](crate::MaterialsHeader::meta)), and a
/// station refuses at unlock a header that disagrees with its materials.
/// Both passwords must reach [`MIN_PASSWORD_BITS`](crate::MIN_PASSWORD_BITS)
/// unless the issuer is the demo key.
#[derive(Debug)]
pub struct BuildRequest<'a> {
    /// Folder with `package.json`, media, `keys.json`, `criteria*`.
    pub source: &'a Path,
    pub meta: PackageMeta,
    /// The day password (materials).
    pub password: &'a str,
    /// The password released at 14:00 Moscow time (keys and criteria).
    pub keys_password: &'a str,
    pub issuer: &'a Issuer,
    pub limits: Limits,
    /// Stored in the header as the build time.
    pub created: OffsetDateTime,
}

/// What went into a package.
#[derive(Debug, Clone, Serialize, TS)]
pub struct BuildReport {
    pub materials_files: u32,
    pub keys_files: u32,
    #[ts(type = "number")]
    pub file_size: u64,
    pub file_sha256: String,
    pub issuer_fingerprint: String,
}

/// Build a package in memory.
pub fn build(req: &BuildRequest<'_>) -> Result<(Vec<u8>, BuildReport)> {
    let password = crypto::normalise(req.password)?;
    let keys_password = crypto::normalise(req.keys_password)?;
    if password == keys_password {
        return Err(PackageError::SamePasswords);
    }
    if req.issuer.public_key_hex() != crate::DEMO_ISSUER_PUBLIC_KEY {
        // The demo key's packages are exempt: its private half and their
        // materials are public, a password cannot protect them.
        check_strength("пароль дня", password)?;
        check_strength("пароль к ключам", keys_password)?;
    }
    req.meta.check().map_err(|p| PackageError::BadSource(p.0))?;
    if req.issuer.public_key_hex() == crate::DEMO_ISSUER_PUBLIC_KEY && !req.meta.demo {
        return Err(PackageError::BadSource(
            "демонстрационным ключом можно подписать только учебный пакет (--demo)".into(),
        ));
    }
    let (materials, keys): (Vec<_>, Vec<_>) = read_tree(req.source, &req.limits)?
        .into_iter()
        .partition(|(path, _)| !is_keys_path(path));
    if materials.is_empty() {
        return Err(PackageError::BadSource("нет файлов материалов".into()));
    }
    let materials = Archive::from_files(materials, &req.limits)?;
    let keys = Archive::from_files(keys, &req.limits)?;

    let public_key = req.issuer.public_key();
    let header = PackageHeader {
        format_version: FORMAT_VERSION,
        issuer_fingerprint: req.issuer.fingerprint(),
        created: req.created,
        meta: req.meta.clone(),
    };
    let header_bytes =
        serde_json::to_vec_pretty(&header).map_err(|e| PackageError::BadSource(e.to_string()))?;
    check_size(SizeItem::Header, header_bytes.len(), req.limits.max_header)?;
    let sealed_materials = crypto::seal(
        materials.encode()?,
        password,
        ITERATIONS,
        &aad(MATERIALS_LABEL, &header_bytes),
    )?;
    check_size(
        SizeItem::Materials,
        sealed_materials.ciphertext.len(),
        req.limits.max_materials,
    )?;
    let sealed_keys = crypto::seal(
        keys.encode()?,
        keys_password,
        ITERATIONS,
        &aad(KEYS_LABEL, &header_bytes),
    )?;
    check_size(
        SizeItem::Keys,
        sealed_keys.ciphertext.len(),
        req.limits.max_keys,
    )?;

    let mut out = Vec::with_capacity(
        sealed_materials.ciphertext.len() + sealed_keys.ciphertext.len() + header_bytes.len() + 256,
    );
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&public_key);
    let header_len = u32::try_from(header_bytes.len()).map_err(|_| PackageError::TooLarge {
        what: SizeItem::Header,
        size: header_bytes.len() as u64,
        limit: req.limits.max_header,
    })?;
    out.extend_from_slice(&header_len.to_le_bytes());
    out.extend_from_slice(&header_bytes);
    write_part(&mut out, &sealed_materials);
    write_part(&mut out, &sealed_keys);
    let signature = req.issuer.sign(&out);
    out.extend_from_slice(&signature);
    check_size(SizeItem::File, out.len(), req.limits.max_file)?;

    let report = BuildReport {
        materials_files: u32::try_from(materials.len()).unwrap_or(u32::MAX),
        keys_files: u32::try_from(keys.len()).unwrap_or(u32::MAX),
        file_size: out.len() as u64,
        file_sha256: hex::encode(digest::digest(&digest::SHA256, &out)),
        issuer_fingerprint: req.issuer.fingerprint(),
    };
    Ok((out, report))
}

/// Build a package and write it to `out` atomically (temporary file, sync, rename).
pub fn build_to_file(req: &BuildRequest<'_>, out: &Path) -> Result<BuildReport> {
    let (bytes, report) = build(req)?;
    let dir = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&dir).map_err(PackageError::io(&dir))?;
    let mut tmp_name = out.file_name().unwrap_or_default().to_os_string();
    tmp_name.push(".partial");
    let tmp = dir.join(tmp_name);
    let written = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(&bytes)?;
        f.sync_all()?;
        fs::rename(&tmp, out)
    })();
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(PackageError::io(out)(e));
    }
    if let Ok(d) = fs::File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(report)
}

fn check_size(what: SizeItem, size: usize, limit: u64) -> Result<()> {
    let size = size as u64;
    if size > limit {
        return Err(PackageError::TooLarge { what, size, limit });
    }
    Ok(())
}

/// Every regular file under `root`, as ('/'-separated relative path, bytes), sorted.
fn read_tree(root: &Path, limits: &Limits) -> Result<Vec<(String, Vec<u8>)>> {
    let meta = fs::metadata(root).map_err(PackageError::io(root))?;
    if !meta.is_dir() {
        return Err(PackageError::BadSource(format!(
            "{} — не папка",
            root.display()
        )));
    }
    let mut files = Vec::new();
    let mut stack = vec![(root.to_path_buf(), String::new())];
    let mut total = 0u64;
    while let Some((dir, prefix)) = stack.pop() {
        let mut entries = fs::read_dir(&dir)
            .map_err(PackageError::io(&dir))?
            .collect::<std::io::Result<Vec<_>>>()
            .map_err(PackageError::io(&dir))?;
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let path = entry.path();
            let name = entry.file_name().into_string().map_err(|n| {
                PackageError::BadSource(format!("имя не в UTF-8: {}", n.to_string_lossy()))
            })?;
            let rel = if prefix.is_empty() {
                name
            } else {
                format!("{prefix}/{name}")
            };
            let kind = entry.file_type().map_err(PackageError::io(&path))?;
            if kind.is_dir() {
                stack.push((path, rel));
            } else if kind.is_file() {
                let size = entry.metadata().map_err(PackageError::io(&path))?.len();
                if size > limits.max_file_size {
                    return Err(PackageError::TooLarge {
                        what: SizeItem::OneFile,
                        size,
                        limit: limits.max_file_size,
                    });
                }
                total = total.saturating_add(size);
                if total > limits.max_unpacked {
                    return Err(PackageError::TooLarge {
                        what: SizeItem::Unpacked,
                        size: total,
                        limit: limits.max_unpacked,
                    });
                }
                let bytes = fs::read(&path).map_err(PackageError::io(&path))?;
                files.push((rel, bytes));
            } else {
                return Err(PackageError::BadSource(format!(
                    "{} — не обычный файл (ссылки не допускаются)",
                    path.display()
                )));
            }
        }
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(files)
}
