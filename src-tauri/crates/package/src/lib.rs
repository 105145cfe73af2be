//! Signed, encrypted exam package container (`.vprpkg`).
//!
//! A package file carries one school's exam materials for one day:
//!
//! ```text
//! magic "VPRPKG\0\x1a" | format version u16 | issuer Ed25519 public key (32 bytes)
//! | header length u32 | header (JSON, plain: who, what, when)
//! | materials part | keys-and-criteria part | Ed25519 signature over everything before it
//! part = PBKDF2 iterations u32 | salt (16) | nonce (12) | ciphertext length u64 | AES-256-GCM ciphertext
//! ```
//!
//! The materials are encrypted under a key derived (PBKDF2-HMAC-SHA256, at
//! least [`MIN_ITERATIONS`] rounds, random salt) from the day password;
//! `keys.json` and `criteria*` under a second password released at 14:00
//! Moscow time. All integers are little-endian. Each part's plaintext is a
//! small archive of files ([`Archive`]).
//!
//! Reading checks, in order: magic, version, sizes against [`Limits`], the
//! signature, that the signer is one of the [`TrustedIssuers`], the header;
//! decryption also checks the release time against an injectable [`Clock`],
//! and that the decrypted `package.json` says what the signed header says
//! (id, title, subject, grade, language, training or exam — see
//! [`MaterialsHeader`]).
//!
//! Training versus exam and the package id come from the **verified signed
//! header** only: [`SealedPackage::is_training`] and
//! [`SealedPackage::package_id`] are the one source of truth, never the
//! unsigned `package.json` on disk.
//!
//! Building (`vpr package build`) takes the header from the materials
//! ([`MaterialsHeader::read_dir`], flags may only confirm:
//! [`HeaderClaims`]); passwords are generated ([`generate_password`],
//! about 79 bits) or, when typed, must reach [`MIN_PASSWORD_BITS`]
//! ([`check_strength`]) — except for packages signed with the project's
//! demo key, whose private half and materials are public anyway.
//! Every failure is its own [`PackageError`] variant, and unpacking writes into
//! a temporary folder beside the target that is renamed into place only when
//! everything succeeded, so a bad file changes nothing on the station.
//!
//! For the station, [`PackageShelf`] keeps verified copies in the data
//! folder (`<data>/packages/<id>.vprpkg`) and unlocks them beside
//! (`<id>/materials`, `<id>/keys`):
//!
//! ```no_run
//! # fn demo(data: &std::path::Path, usb: &std::path::Path) -> vpr_package::Result<()> {
//! use vpr_package::{Limits, PackageShelf, SystemClock, TrustedIssuers};
//! let shelf = PackageShelf::new(data.join("packages"), TrustedIssuers::demo(), Limits::default());
//! let view = shelf.load(usb, &SystemClock)?; // verify + copy; show `view` to the technician
//! let id = view.header.meta.package_id.clone();
//! shelf.unlock(&id, "пароль дня", &SystemClock)?; // refused before the release time
//! let folder = shelf.materials_dir(&id); // package.json + media for the exam
//! # let _ = folder; Ok(()) }
//! ```

mod archive;
mod build;
mod clock;
mod container;
mod crypto;
mod error;
mod header;
mod issuer;
mod materials;
mod password;
mod shelf;

pub use archive::{is_keys_path, Archive};
pub use build::{build, build_to_file, BuildReport, BuildRequest};
pub use clock::{
    default_keys_release, default_materials_release, to_moscow, Clock, FixedClock, SystemClock,
    MOSCOW,
};
pub use container::{inspect, inspect_file, PackageView, SealedPackage, UnlockReport};
pub use error::{PackageError, Result, SizeItem};
pub use header::{PackageHeader, PackageMeta};
pub use issuer::{fingerprint, Issuer, IssuerKey, TrustedIssuers, DEMO_ISSUER_PUBLIC_KEY};
pub use materials::{HeaderClaims, MaterialsHeader, MAX_PACKAGE_JSON};
pub use password::{
    check_strength, estimate, generate_password, GeneratedPassword, Strength, ALPHABET,
    GENERATED_GROUPS, GROUP_LEN, MIN_PASSWORD_BITS,
};
pub use shelf::{PackageShelf, ShelfEntry};
/// The date/time crate of this API (dates, release times, clocks).
pub use time;
/// The error trait of [`PackageError`] (stable codes for the UI).
pub use vpr_error::Coded;

/// The only container version this build reads and writes.
pub const FORMAT_VERSION: u16 = 1;
/// Minimum PBKDF2-HMAC-SHA256 rounds for a password key (OWASP 2023).
pub const MIN_ITERATIONS: u32 = 600_000;
/// Rounds this build writes.
pub const ITERATIONS: u32 = 600_000;
/// More rounds than this are refused, so a file cannot make the station spin.
pub const MAX_ITERATIONS: u32 = 10_000_000;
/// File name extension of a package.
pub const EXTENSION: &str = "vprpkg";

/// Size limits checked before anything is decrypted or written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The whole `.vprpkg` file.
    pub max_file: u64,
    /// The plain JSON header.
    pub max_header: u64,
    /// The encrypted materials part.
    pub max_materials: u64,
    /// The encrypted keys-and-criteria part.
    pub max_keys: u64,
    /// Files in one part.
    pub max_files: u64,
    /// One unpacked file.
    pub max_file_size: u64,
    /// All unpacked files of one part together.
    pub max_unpacked: u64,
    /// Bytes in one path inside the package.
    pub max_path: u64,
}

impl Default for Limits {
    fn default() -> Self {
        const MIB: u64 = 1024 * 1024;
        Self {
            max_file: 600 * MIB,
            max_header: 64 * 1024,
            max_materials: 560 * MIB,
            max_keys: 16 * MIB,
            max_files: 4096,
            max_file_size: 256 * MIB,
            max_unpacked: 512 * MIB,
            max_path: 255,
        }
    }
}
