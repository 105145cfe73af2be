//! Which package an exam runs and what vouches for it.
//!
//! A folder the technician unlocked on the shelf (`<data>/packages/<id>/materials`)
//! is opened through the shelf: the sealed file is verified again (signature,
//! trusted issuer), its `package.json` is checked against the signed header
//! (a disagreement refuses the start), and **training versus exam, the
//! package id and the demo banner come from that header**, never from the
//! unsigned `package.json`. Any other folder (the built-in training package,
//! a folder named by `VPR_PACKAGE_DIR` outside the shelf) vouches for
//! nothing: it always runs as training, into the training database.

use std::path::{Path, PathBuf};

use vpr_exam::Package;
use vpr_package::SystemClock;

use crate::{packages, Result, StationError, StationLayout};

/// What the verified package says of the work the station runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Custody {
    /// Training (its own database, never exported as exam work): from the
    /// signed header (a demo-key package is always training), or `true` for
    /// an unsigned folder.
    pub training: bool,
    /// The package id of the signed header (the folder's own id when unsigned).
    pub package_id: String,
    /// SHA-256 (hex) of the sealed package file; `None` for an unsigned folder.
    pub package_sha256: Option<String>,
    /// Fingerprint of the issuer key that signed it; `None` for an unsigned folder.
    pub issuer_fingerprint: Option<String>,
}

/// The shelf id of `dir` when it is `<packages>/<id>/materials` of this station.
fn shelf_id(layout: &StationLayout, dir: &Path) -> Option<String> {
    let canon = |p: &Path| std::fs::canonicalize(p).ok();
    let dir = canon(dir)?;
    if dir.file_name()? != "materials" {
        return None;
    }
    let package = dir.parent()?;
    if package.parent()? != canon(&layout.packages_dir())?.as_path() {
        return None;
    }
    package.file_name()?.to_str().map(str::to_owned)
}

/// Load the package the exam runs from `dir`, with its custody.
pub fn open(layout: &StationLayout, dir: &Path) -> Result<(Package, Custody)> {
    if let Some(id) = shelf_id(layout, dir) {
        let shelf = packages::shelf(layout).map_err(|e| StationError::Technician(Box::new(e)))?;
        // Verified again, and `package.json` checked against the header.
        let (sealed, package) = shelf.unlocked(&id)?;
        let view = sealed.view(&SystemClock);
        let custody = Custody {
            training: sealed.is_training(),
            package_id: sealed.package_id().to_owned(),
            package_sha256: Some(view.file_sha256),
            issuer_fingerprint: Some(sealed.issuer().fingerprint.clone()),
        };
        tracing::info!(
            package = %custody.package_id,
            training = custody.training,
            issuer = ?custody.issuer_fingerprint,
            "package opened from the shelf (signed header)"
        );
        return Ok((package, custody));
    }
    let package = Package::load_dir(dir)?;
    tracing::warn!(
        package = %package.id,
        folder = %dir.display(),
        "unsigned package folder: it runs as training"
    );
    let custody = Custody {
        training: true,
        package_id: package.id.clone(),
        package_sha256: None,
        issuer_fingerprint: None,
    };
    Ok((package, custody))
}

/// The materials folder of shelf package `id` (for tests and callers that name a package).
pub fn shelf_materials(layout: &StationLayout, id: &str) -> PathBuf {
    layout.packages_dir().join(id).join("materials")
}

#[cfg(test)]
mod tests;
