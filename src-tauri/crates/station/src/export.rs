//! The station's results to a USB drive or folder: the signed bundle,
//! named after school and station, read back and verified before it is
//! reported written.

use std::path::PathBuf;

use vpr_integrity::StationKey;
use vpr_package::time::OffsetDateTime;
use vpr_store::Store;

use crate::{
    technician::{count, BundleExported, Result, TechnicianError},
    StationLayout,
};

/// Write the signed station bundle into `folder`.
pub fn export(layout: &StationLayout, folder: &str) -> Result<BundleExported> {
    let folder = PathBuf::from(folder.trim());
    if !folder.is_dir() {
        return Err(TechnicianError::NoFolder(folder));
    }
    let store = Store::open(&layout.exam_db())?;
    let info = store.station()?.ok_or_else(|| {
        TechnicianError::Invalid(
            "Сначала укажите код ОО, аудиторию и номер станции (раздел «Станция»)".into(),
        )
    })?;
    let key = StationKey::load(layout.key_dir())?;
    let now = OffsetDateTime::now_utc();
    let name = vpr_bundle::default_file_name(&info.school_id, info.number, now);
    let written = vpr_bundle::write_bundle(&store, layout.root(), &key, &folder.join(&name), now)?;
    tracing::info!(file = %written.path.display(), bytes = written.bytes, "bundle exported");
    Ok(BundleExported {
        path: written.path.display().to_string(),
        file_name: name,
        bytes: written.bytes,
        participants: count(written.manifest.participants.len()),
        files: count(written.manifest.files.len()),
        key_fingerprint: written.manifest.key_fingerprint.to_string(),
    })
}
