//! Shared by the integration tests: the demo issuer and real `package.json`
//! files (the demo fixtures) carrying a given header.

#![allow(dead_code, clippy::unwrap_used)] // each test file uses a part

use std::path::{Path, PathBuf};

use vpr_package::{Issuer, PackageMeta};

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../audio-fixtures")
}

pub fn demo_issuer() -> Issuer {
    Issuer::read(&fixtures().join("issuer/demo-issuer.DEMO-ONLY.pk8")).unwrap()
}

/// The demo fixture of `meta.language` (grade 7), with id, title, grade and
/// demo set from `meta`, and `note` added to the briefing (two files with
/// the same header can differ).
pub fn package_json(meta: &PackageMeta, note: &str) -> Vec<u8> {
    let path = fixtures().join(format!("packages/{}-7/package.json", meta.language));
    let mut p: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    p["id"] = meta.package_id.clone().into();
    p["title"] = meta.title.clone().into();
    p["grade"] = meta.grade.into();
    p["demo"] = meta.demo.into();
    p["briefing"]
        .as_array_mut()
        .unwrap()
        .push(format!("Примечание: {note}").into());
    serde_json::to_vec_pretty(&p).unwrap()
}
