//! The types the technician screens receive export to TypeScript cleanly.

#![allow(clippy::unwrap_used)] // test code

use ts_rs::{Config, TS};
use vpr_package::{BuildReport, PackageView, ShelfEntry, UnlockReport};

#[test]
fn ui_types_export_to_typescript() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = Config::new()
        .with_out_dir(dir.path())
        .with_large_int("number");
    PackageView::export_all(&cfg).unwrap();
    ShelfEntry::export_all(&cfg).unwrap();
    UnlockReport::export_all(&cfg).unwrap();
    BuildReport::export_all(&cfg).unwrap();
    let read = |name: &str| std::fs::read_to_string(dir.path().join(name)).unwrap();
    let view = read("PackageView.ts");
    assert!(view.contains("trusted: boolean"), "{view}");
    assert!(view.contains("header: PackageHeader"), "{view}");
    let header = read("PackageHeader.ts");
    // The meta fields are flattened into the header, dates are strings.
    assert!(header.contains("issuer_fingerprint: string"), "{header}");
    assert!(header.contains("package_id: string"), "{header}");
    assert!(
        header.contains("exam_date: string") && header.contains("keys_release: string"),
        "{header}"
    );
    let shelf = read("ShelfEntry.ts");
    assert!(shelf.contains("view: PackageView | null"), "{shelf}");
}
