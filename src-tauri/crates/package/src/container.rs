//! Reading a `.vprpkg`: structure, signature, trust, release times, unlock.

use std::path::Path;

use ring::digest;
use serde::Serialize;
use ts_rs::TS;
use vpr_integrity::aead::NONCE_LEN;

use crate::{
    archive::{prepare_target, Archive},
    clock::moscow_text,
    crypto::{self, SealedPart, SALT_LEN},
    issuer::{self, IssuerKey, TrustedIssuers},
    materials::{check_archive, MaterialsHeader},
    Clock, Limits, PackageError, PackageHeader, Result, SizeItem, FORMAT_VERSION, MAX_ITERATIONS,
    MIN_ITERATIONS,
};

pub(crate) const MAGIC: &[u8; 8] = b"VPRPKG\0\x1a";
pub(crate) const SIGNATURE_LEN: usize = 64;
pub(crate) const MATERIALS_LABEL: &[u8] = b"vprpkg:materials\0";
pub(crate) const KEYS_LABEL: &[u8] = b"vprpkg:keys\0";

/// Additional authenticated data of a part: its label and the plain header.
pub(crate) fn aad(label: &[u8], header: &[u8]) -> Vec<u8> {
    let mut aad = Vec::with_capacity(label.len() + header.len());
    aad.extend_from_slice(label);
    aad.extend_from_slice(header);
    aad
}

/// What the technician sees about a package before (and after) unlocking.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PackageView {
    pub header: PackageHeader,
    /// The signature was checked against the key in the file.
    pub signature_valid: bool,
    /// The signer is one of this station's trusted issuers.
    pub trusted: bool,
    /// Label of the trusted key, when trusted.
    pub issuer_label: Option<String>,
    /// Signed by the project's demonstration key (training only).
    pub demo_issuer: bool,
    /// Size of the `.vprpkg` file in bytes.
    #[ts(type = "number")]
    pub file_size: u64,
    /// SHA-256 of the whole file, hex.
    pub file_sha256: String,
    /// "15.04.2026 07:30", Moscow time.
    pub materials_release_moscow: String,
    /// "15.04.2026 14:00", Moscow time.
    pub keys_release_moscow: String,
    /// The clock has passed the materials' release time.
    pub materials_released: bool,
    /// The clock has passed the keys' release time.
    pub keys_released: bool,
}

/// What an unlock wrote.
#[derive(Debug, Clone, Serialize, TS)]
pub struct UnlockReport {
    pub target: String,
    pub files: u32,
    #[ts(type = "number")]
    pub bytes: u64,
}

/// A package whose structure, signature and issuer have been checked; its
/// parts are still encrypted.
#[derive(Debug, Clone)]
pub struct SealedPackage {
    header: PackageHeader,
    header_bytes: Vec<u8>,
    issuer: IssuerKey,
    trusted: Option<IssuerKey>,
    materials: SealedPart,
    keys: SealedPart,
    file_size: u64,
    file_sha256: String,
    limits: Limits,
}

impl SealedPackage {
    /// Check a package held in memory; refuses untrusted issuers.
    pub fn open(bytes: &[u8], trust: &TrustedIssuers, limits: &Limits) -> Result<Self> {
        Self::check(bytes, trust, limits, true)
    }

    /// Read and check a package file; refuses untrusted issuers.
    pub fn read(path: &Path, trust: &TrustedIssuers, limits: &Limits) -> Result<Self> {
        Self::open(&read_limited(path, limits)?, trust, limits)
    }

    fn check(
        bytes: &[u8],
        trust: &TrustedIssuers,
        limits: &Limits,
        refuse_untrusted: bool,
    ) -> Result<Self> {
        let size = bytes.len() as u64;
        if size > limits.max_file {
            return Err(PackageError::TooLarge {
                what: SizeItem::File,
                size,
                limit: limits.max_file,
            });
        }
        let parsed = parse(bytes, limits)?;
        if !issuer::verify(
            &parsed.public_key,
            &bytes[..parsed.signed_len],
            parsed.signature,
        ) {
            return Err(PackageError::BadSignature);
        }
        let issuer = IssuerKey::new(parsed.public_key, "");
        let trusted = trust.find(&issuer.fingerprint).cloned();
        if trusted.is_none() && refuse_untrusted {
            // Nothing more of an unknown issuer's file is parsed.
            return Err(PackageError::UntrustedIssuer {
                fingerprint: issuer.fingerprint,
            });
        }
        let header = parse_header(parsed.header, &issuer)?;
        for part in [&parsed.materials, &parsed.keys] {
            if !(MIN_ITERATIONS..=MAX_ITERATIONS).contains(&part.iterations) {
                return Err(PackageError::BadHeader(format!(
                    "недопустимое число итераций PBKDF2: {}",
                    part.iterations
                )));
            }
            if part.ciphertext.len() < 16 {
                return Err(PackageError::BadHeader(
                    "зашифрованная часть короче метки".into(),
                ));
            }
        }
        Ok(Self {
            header,
            header_bytes: parsed.header.to_vec(),
            issuer,
            trusted,
            materials: parsed.materials,
            keys: parsed.keys,
            file_size: size,
            file_sha256: hex::encode(digest::digest(&digest::SHA256, bytes)),
            limits: *limits,
        })
    }

    pub fn header(&self) -> &PackageHeader {
        &self.header
    }

    /// The package id from the verified signed header: the one the station
    /// names the package, its folders and its sessions by.
    pub fn package_id(&self) -> &str {
        &self.header.meta.package_id
    }

    /// Training (demo) or a real exam, from the verified signed header (a
    /// package of the demo key is always training). **The only source of
    /// truth** for where a work's data go and whether it is a real exam:
    /// never the unsigned `package.json` on disk.
    pub fn is_training(&self) -> bool {
        self.header.meta.demo || self.issuer.demo
    }

    /// A `package.json` loaded from disk (e.g. the unlocked folder) still
    /// says what this signed header says: refused with
    /// [`PackageError::MaterialsMismatch`] naming the field otherwise.
    pub fn check_materials(&self, package: &vpr_exam::Package) -> Result<()> {
        MaterialsHeader::from_package(package)?.check_header(&self.header.meta)
    }

    /// The key that signed the file (as trusted by this station).
    pub fn issuer(&self) -> &IssuerKey {
        self.trusted.as_ref().unwrap_or(&self.issuer)
    }

    /// The header and state for the technician's screen.
    pub fn view(&self, clock: &dyn Clock) -> PackageView {
        let now = clock.now();
        let meta = &self.header.meta;
        PackageView {
            header: self.header.clone(),
            signature_valid: true,
            trusted: self.trusted.is_some(),
            issuer_label: self.trusted.as_ref().map(|k| k.label.clone()),
            demo_issuer: self.issuer.demo,
            file_size: self.file_size,
            file_sha256: self.file_sha256.clone(),
            materials_release_moscow: moscow_text(meta.materials_release),
            keys_release_moscow: moscow_text(meta.keys_release),
            materials_released: now >= meta.materials_release,
            keys_released: now >= meta.keys_release,
        }
    }

    /// Decrypt the materials with the day password (not before their
    /// release time); refused when their `package.json` disagrees with the
    /// signed header.
    pub fn materials(&self, password: &str, clock: &dyn Clock) -> Result<Archive> {
        let release = self.header.meta.materials_release;
        if clock.now() < release {
            return Err(PackageError::NotYetReleased {
                release: moscow_text(release),
            });
        }
        let archive = self
            .decrypt(&self.materials, MATERIALS_LABEL, password)?
            .ok_or(PackageError::WrongPassword)?;
        check_archive(&archive, &self.header.meta)?;
        Ok(archive)
    }

    /// Decrypt keys and criteria with the second password (not before 14:00 Moscow time).
    pub fn keys(&self, keys_password: &str, clock: &dyn Clock) -> Result<Archive> {
        let release = self.header.meta.keys_release;
        if clock.now() < release {
            return Err(PackageError::KeysNotYetReleased {
                release: moscow_text(release),
            });
        }
        self.decrypt(&self.keys, KEYS_LABEL, keys_password)?
            .ok_or(PackageError::WrongKeysPassword)
    }

    /// Unpack the materials into `target` (absent or empty); atomic.
    pub fn unlock_materials(
        &self,
        password: &str,
        clock: &dyn Clock,
        target: &Path,
    ) -> Result<UnlockReport> {
        prepare_target(target)?;
        let archive = self.materials(password, clock)?;
        extract(&archive, target)
    }

    /// Unpack keys and criteria into `target` (absent or empty); atomic.
    pub fn unlock_keys(
        &self,
        keys_password: &str,
        clock: &dyn Clock,
        target: &Path,
    ) -> Result<UnlockReport> {
        prepare_target(target)?;
        let archive = self.keys(keys_password, clock)?;
        extract(&archive, target)
    }

    fn decrypt(&self, part: &SealedPart, label: &[u8], password: &str) -> Result<Option<Archive>> {
        let password = crypto::normalise(password)?;
        match crypto::open(part, password, &aad(label, &self.header_bytes))? {
            Some(plain) => Archive::decode(plain, &self.limits).map(Some),
            None => Ok(None),
        }
    }
}

fn extract(archive: &Archive, target: &Path) -> Result<UnlockReport> {
    archive.extract_to(target)?;
    Ok(UnlockReport {
        target: target.display().to_string(),
        files: u32::try_from(archive.len()).unwrap_or(u32::MAX),
        bytes: archive.total_size(),
    })
}

/// Header, signature and trust of a package, without any password. The
/// signature must verify; an unknown issuer is reported, not refused.
pub fn inspect(
    bytes: &[u8],
    trust: &TrustedIssuers,
    limits: &Limits,
    clock: &dyn Clock,
) -> Result<PackageView> {
    Ok(SealedPackage::check(bytes, trust, limits, false)?.view(clock))
}

/// [`inspect`] of a file.
pub fn inspect_file(
    path: &Path,
    trust: &TrustedIssuers,
    limits: &Limits,
    clock: &dyn Clock,
) -> Result<PackageView> {
    inspect(&read_limited(path, limits)?, trust, limits, clock)
}

pub(crate) fn read_limited(path: &Path, limits: &Limits) -> Result<Vec<u8>> {
    let size = std::fs::metadata(path)
        .map_err(PackageError::io(path))?
        .len();
    if size > limits.max_file {
        return Err(PackageError::TooLarge {
            what: SizeItem::File,
            size,
            limit: limits.max_file,
        });
    }
    std::fs::read(path).map_err(PackageError::io(path))
}

fn parse_header(bytes: &[u8], issuer: &IssuerKey) -> Result<PackageHeader> {
    let header: PackageHeader =
        serde_json::from_slice(bytes).map_err(|e| PackageError::BadHeader(e.to_string()))?;
    if header.format_version != FORMAT_VERSION {
        return Err(PackageError::BadHeader(
            "версия в заголовке не совпадает с версией файла".into(),
        ));
    }
    if header.issuer_fingerprint != issuer.fingerprint {
        return Err(PackageError::BadHeader(
            "отпечаток ключа в заголовке не совпадает с подписью".into(),
        ));
    }
    header
        .meta
        .check()
        .map_err(|p| PackageError::BadHeader(p.0))?;
    if issuer.demo && !header.meta.demo {
        // The demo private key is public: its packages are training only.
        return Err(PackageError::BadHeader(
            "демонстрационным ключом подписан пакет, не помеченный как учебный".into(),
        ));
    }
    Ok(header)
}

struct Parsed<'a> {
    public_key: [u8; 32],
    header: &'a [u8],
    materials: SealedPart,
    keys: SealedPart,
    signed_len: usize,
    signature: &'a [u8],
}

/// The layout, with every declared size checked against the limits.
fn parse<'a>(bytes: &'a [u8], limits: &Limits) -> Result<Parsed<'a>> {
    if bytes.len() < MAGIC.len() {
        return Err(if !bytes.is_empty() && MAGIC.starts_with(bytes) {
            PackageError::Truncated
        } else {
            PackageError::NotAPackage
        });
    }
    let mut r = Cursor {
        data: bytes,
        pos: 0,
    };
    if r.take(MAGIC.len())? != MAGIC {
        return Err(PackageError::NotAPackage);
    }
    let version = r.u16()?;
    if version != FORMAT_VERSION {
        return Err(PackageError::UnknownVersion {
            found: version,
            supported: FORMAT_VERSION,
        });
    }
    let mut public_key = [0u8; 32];
    public_key.copy_from_slice(r.take(32)?);
    let header_len = u64::from(r.u32()?);
    if header_len > limits.max_header {
        return Err(PackageError::TooLarge {
            what: SizeItem::Header,
            size: header_len,
            limit: limits.max_header,
        });
    }
    let header = r.take_u64(header_len)?;
    let materials = r.part(SizeItem::Materials, limits.max_materials)?;
    let keys = r.part(SizeItem::Keys, limits.max_keys)?;
    let signed_len = r.pos;
    let signature = match bytes.len() - signed_len {
        0 => return Err(PackageError::MissingSignature),
        n if n < SIGNATURE_LEN => return Err(PackageError::Truncated),
        n if n > SIGNATURE_LEN => return Err(PackageError::TrailingData),
        _ => &bytes[signed_len..],
    };
    Ok(Parsed {
        public_key,
        header,
        materials,
        keys,
        signed_len,
        signature,
    })
}

struct Cursor<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.data.len())
            .ok_or(PackageError::Truncated)?;
        let slice = &self.data[self.pos..end];
        self.pos = end;
        Ok(slice)
    }

    fn take_u64(&mut self, n: u64) -> Result<&'a [u8]> {
        self.take(usize::try_from(n).map_err(|_| PackageError::Truncated)?)
    }

    fn u16(&mut self) -> Result<u16> {
        let b = self.take(2)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }

    fn u32(&mut self) -> Result<u32> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn u64(&mut self) -> Result<u64> {
        let mut b = [0u8; 8];
        b.copy_from_slice(self.take(8)?);
        Ok(u64::from_le_bytes(b))
    }

    fn part(&mut self, what: SizeItem, limit: u64) -> Result<SealedPart> {
        let iterations = self.u32()?;
        let mut salt = [0u8; SALT_LEN];
        salt.copy_from_slice(self.take(SALT_LEN)?);
        let mut nonce = [0u8; NONCE_LEN];
        nonce.copy_from_slice(self.take(NONCE_LEN)?);
        let len = self.u64()?;
        if len > limit {
            return Err(PackageError::TooLarge {
                what,
                size: len,
                limit,
            });
        }
        let ciphertext = self.take_u64(len)?.to_vec();
        Ok(SealedPart {
            iterations,
            salt,
            nonce,
            ciphertext,
        })
    }
}

/// Append one part in the stored layout.
pub(crate) fn write_part(out: &mut Vec<u8>, part: &SealedPart) {
    out.extend_from_slice(&part.iterations.to_le_bytes());
    out.extend_from_slice(&part.salt);
    out.extend_from_slice(&part.nonce);
    out.extend_from_slice(&(part.ciphertext.len() as u64).to_le_bytes());
    out.extend_from_slice(&part.ciphertext);
}
