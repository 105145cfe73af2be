//! A shelf entry flattened for the technician's screen.

use vpr_package::ShelfEntry;

use crate::technician::PackageInfo;

/// What the screen shows of one shelf entry (empty fields when the stored
/// file no longer verifies: `problem` says why).
pub(super) fn info_of(e: ShelfEntry) -> PackageInfo {
    let id_from_file = e
        .file
        .strip_suffix(&format!(".{}", vpr_package::EXTENSION))
        .unwrap_or(&e.file)
        .to_owned();
    match e.view {
        Some(v) => {
            let m = &v.header.meta;
            PackageInfo {
                file: e.file.clone(),
                package_id: m.package_id.clone(),
                title: m.title.clone(),
                school: m.school.clone(),
                subject: m.subject.clone(),
                grade: m.grade,
                language: m.language.clone(),
                exam_date: format!(
                    "{:04}-{:02}-{:02}",
                    m.exam_date.year(),
                    u8::from(m.exam_date.month()),
                    m.exam_date.day()
                ),
                // Training from the signed header: a demo-key package always is.
                demo: m.demo || v.demo_issuer,
                signature_valid: v.signature_valid,
                trusted: v.trusted,
                issuer_label: v.issuer_label.clone(),
                issuer_fingerprint: v.header.issuer_fingerprint.clone(),
                demo_issuer: v.demo_issuer,
                file_size: v.file_size,
                file_sha256: v.file_sha256.clone(),
                materials_release_moscow: v.materials_release_moscow.clone(),
                keys_release_moscow: v.keys_release_moscow.clone(),
                materials_released: v.materials_released,
                keys_released: v.keys_released,
                unlocked: e.unlocked,
                keys_unlocked: e.keys_unlocked,
                problem: e.problem,
            }
        }
        None => PackageInfo {
            file: e.file,
            package_id: id_from_file,
            title: String::new(),
            school: String::new(),
            subject: String::new(),
            grade: 0,
            language: String::new(),
            exam_date: String::new(),
            demo: false,
            signature_valid: false,
            trusted: false,
            issuer_label: None,
            issuer_fingerprint: String::new(),
            demo_issuer: false,
            file_size: 0,
            file_sha256: String::new(),
            materials_release_moscow: String::new(),
            keys_release_moscow: String::new(),
            materials_released: false,
            keys_released: false,
            unlocked: e.unlocked,
            keys_unlocked: e.keys_unlocked,
            problem: e.problem,
        },
    }
}
