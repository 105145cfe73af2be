#![allow(dead_code)]

use std::path::{Path, PathBuf};

use vpr_coordinator::{tabular, Coordinator};

pub const PASSWORD: &str = "пароль-координатора";

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../audio-fixtures/rosters")
}

pub fn new_db(dir: &Path) -> Coordinator {
    Coordinator::create_with_iterations(&dir.join("coordinator.sqlite"), PASSWORD, 1_000).unwrap()
}

/// The names of `roster.csv`, every part of them, for scanning exports.
pub fn roster_name_parts() -> Vec<String> {
    let text = std::fs::read_to_string(fixtures().join("roster.csv")).unwrap();
    let grid = vpr_coordinator::roster::parse_csv(&text);
    let mut out = Vec::new();
    for row in grid.iter().skip(1) {
        for part in &row[1..4] {
            if part.chars().count() >= 3 {
                out.push(part.clone());
            }
        }
    }
    out
}

/// Every file under `dir` (recursively, zip entries unpacked) contains none of `names`.
pub fn assert_no_names(path: &Path, names: &[String]) {
    let mut files = Vec::new();
    collect(path, &mut files);
    assert!(!files.is_empty(), "nothing to scan at {}", path.display());
    for f in files {
        let bytes = std::fs::read(&f).unwrap();
        let mut blobs = vec![bytes.clone()];
        if let Ok(mut z) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) {
            for i in 0..z.len() {
                let mut e = z.by_index(i).unwrap();
                let mut b = Vec::new();
                std::io::Read::read_to_end(&mut e, &mut b).unwrap();
                blobs.push(b);
            }
        }
        for blob in blobs {
            for name in names {
                let needle = name.as_bytes();
                assert!(
                    !blob.windows(needle.len()).any(|w| w == needle),
                    "{} contains a roster name",
                    f.display()
                );
                // XLSX shared strings escape quotes and ampersands.
                let escaped = name.replace('&', "&amp;").replace('"', "&quot;");
                assert!(!blob.windows(escaped.len()).any(|w| w == escaped.as_bytes()));
            }
        }
    }
}

fn collect(p: &Path, out: &mut Vec<PathBuf>) {
    if p.is_dir() {
        for e in std::fs::read_dir(p).unwrap() {
            collect(&e.unwrap().path(), out);
        }
    } else {
        out.push(p.to_path_buf());
    }
}

/// The CSV roster written as an XLSX workbook (raw strings, as a school's
/// spreadsheet would hold them).
pub fn roster_as_xlsx(out: &Path) {
    let text = std::fs::read_to_string(fixtures().join("roster.csv")).unwrap();
    let grid = vpr_coordinator::roster::parse_csv(&text);
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (r, row) in grid.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if r > 0 && c == 6 && !v.is_empty() {
                ws.write_number(r as u32, c as u16, v.parse::<f64>().unwrap())
                    .unwrap();
            } else {
                ws.write_string(r as u32, c as u16, v).unwrap();
            }
        }
    }
    wb.save(out).unwrap();
    let _ = tabular::protect("");
}
