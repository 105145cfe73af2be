//! Sign and build a work into an encrypted `.vprpkg` with vpr-package's builder: the header
//! from the materials, both passwords generated (about 79 bits each). Refused while the work
//! has problems. The school's issuer key pair is made once ([`create_issuer`]).

use std::{
    fs,
    io::Write,
    path::{Path, PathBuf},
};

use vpr_package::{
    build_to_file, default_keys_release, default_materials_release, generate_password,
    time::{Date, OffsetDateTime, UtcOffset},
    BuildReport, BuildRequest, GeneratedPassword, Issuer, Limits, MaterialsHeader, PackageMeta,
};

use crate::{error::Result, AuthorError, Work};

/// What the materials do not say: who, when.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub school: String,
    pub exam_date: Date,
    /// Default: 07:30 in `utc_offset` on the exam day.
    pub materials_release: Option<OffsetDateTime>,
    /// Default: 14:00 Moscow time on the exam day.
    pub keys_release: Option<OffsetDateTime>,
    pub utc_offset: UtcOffset,
}

/// A built package and its passwords (shown once, never stored).
#[derive(Debug)]
pub struct Built {
    pub report: BuildReport,
    pub meta: PackageMeta,
    pub password: GeneratedPassword,
    pub keys_password: GeneratedPassword,
    /// Fields still holding «Замените: …» (the work builds, the author is told).
    pub placeholders: Vec<String>,
}

/// Build the work in `dir`, signed with the private key at `issuer_key`, into `out`.
/// Nothing is written while the work has problems (they are listed in the error).
pub fn build(dir: &Path, issuer_key: &Path, out: &Path, options: &BuildOptions) -> Result<Built> {
    let work = ready_to_build(dir)?;
    let issuer = Issuer::read(issuer_key)?;
    let materials = MaterialsHeader::from_package(&work.package)?;
    let meta = materials.meta(
        &options.school,
        options.exam_date,
        options
            .materials_release
            .unwrap_or_else(|| default_materials_release(options.exam_date, options.utc_offset)),
        options
            .keys_release
            .unwrap_or_else(|| default_keys_release(options.exam_date)),
    );
    let password = generate_password()?;
    let keys_password = generate_password()?;
    let req = BuildRequest {
        source: dir,
        meta: meta.clone(),
        password: &password.text,
        keys_password: &keys_password.text,
        issuer: &issuer,
        limits: Limits::default(),
        created: OffsetDateTime::now_utc(),
    };
    let report = build_to_file(&req, out)?;
    Ok(Built {
        report,
        meta,
        password,
        keys_password,
        placeholders: work.placeholders(),
    })
}

/// What every build of a work folder goes through first (this crate's [`build`] and the
/// CLI's `vpr package build` with its own passwords and times): refused while the work has
/// problems, and the temporary files an interrupted save left removed so they are never
/// packed. The work, opened.
pub fn ready_to_build(dir: &Path) -> Result<Work> {
    let (work, problems) = Work::open(dir)?;
    if !problems.is_empty() {
        return Err(AuthorError::HasProblems(problems));
    }
    remove_leftovers(dir)?;
    Ok(work)
}

/// The temporary files an interrupted save left (`.package.json.tmp`, `media/.x.mp3.tmp`):
/// removed, so they are never packed.
fn remove_leftovers(dir: &Path) -> Result<()> {
    for folder in [dir.to_path_buf(), dir.join(crate::MEDIA_DIR)] {
        let Ok(entries) = fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') && name.ends_with(".tmp") {
                let path = entry.path();
                fs::remove_file(&path).map_err(AuthorError::io(&path))?;
            }
        }
    }
    Ok(())
}

/// The school's issuer key pair, made once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuerFiles {
    /// `NAME.pk8`: the private key (owner-only), kept off the stations.
    pub private: PathBuf,
    /// `NAME.pub`: the public key as hex, for the stations' trust list.
    pub public: PathBuf,
    pub fingerprint: String,
}

fn with_extension(base: &Path, ext: &str) -> PathBuf {
    let mut name = base.as_os_str().to_os_string();
    name.push(".");
    name.push(ext);
    PathBuf::from(name)
}

/// Make a new issuer key pair as `base.pk8` and `base.pub`; neither may exist.
pub fn create_issuer(base: &Path) -> Result<IssuerFiles> {
    let private = with_extension(base, "pk8");
    let public = with_extension(base, "pub");
    for p in [&private, &public] {
        if p.exists() {
            return Err(AuthorError::NotEmpty(p.clone()));
        }
    }
    let der = Issuer::generate_pkcs8()?;
    let issuer = Issuer::from_pkcs8(&der)?;
    write_new(&private, &der, true)?;
    write_new(
        &public,
        format!("{}\n", issuer.public_key_hex()).as_bytes(),
        false,
    )?;
    Ok(IssuerFiles {
        private,
        public,
        fingerprint: issuer.fingerprint(),
    })
}

fn write_new(path: &Path, bytes: &[u8], secret: bool) -> Result<()> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    if secret {
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    }
    #[cfg(not(unix))]
    let _ = secret;
    let io = AuthorError::io(path);
    let mut f = options.open(path).map_err(|e| AuthorError::io(path)(e))?;
    f.write_all(bytes).and_then(|()| f.sync_all()).map_err(io)
}
